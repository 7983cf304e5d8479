"""How long ``read_history`` takes on a large clean export, against a bare pyarrow read.

Writes a 1,000,000-row daily history CSV (about 100 MB: date, channel, campaign, spend,
impressions, clicks, leads, sales, revenue) to a temporary file, then times
``read_history(path.read_bytes())`` and ``pd.read_csv(path, engine="pyarrow")``. The importer
cannot be faster than the parse it builds on, so the ratio says what its cleaning costs.

Run from the project root: ``python -m benchmarks.import_timing``.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from roi_model.importer import read_history

ROWS = 1_000_000
REPEATS = 3  # each run reads 100 MB; three medians are steady enough for a ratio
TARGET_RATIO = 1.5


def write_history(path: Path, rows: int = ROWS) -> None:
    """A clean daily history with realistic magnitudes, written the way pandas writes CSV."""
    rng = np.random.default_rng(7)
    days = pd.Timestamp("2015-01-01") + pd.to_timedelta(np.arange(rows) // 100, unit="D")
    channels = np.array(["Facebook", "Instagram", "LinkedIn", "TikTok", "Google Ads"])
    frame = pd.DataFrame(
        {
            "date": days.strftime("%Y-%m-%d"),
            "channel": channels[np.arange(rows) % len(channels)],
            "campaign": [f"Campaign {i % 20}" for i in range(rows)],
            "spend": rng.gamma(2.0, 60.0, rows).round(2),
            "impressions": rng.integers(1_000, 200_000, rows),
            "clicks": rng.integers(0, 5_000, rows),
            "leads": rng.integers(0, 200, rows),
            "sales": rng.integers(0, 40, rows),
            "revenue": rng.gamma(2.0, 400.0, rows).round(2),
        }
    )
    frame.to_csv(path, index=False)


def _median_seconds(run: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.csv"
        write_history(path)
        size = path.stat().st_size / 1e6
        bare = _median_seconds(lambda: pd.read_csv(path, engine="pyarrow"))
        ours = _median_seconds(lambda: read_history(path.read_bytes(), filename=path.name))
    ratio = ours / bare
    verdict = "within" if ratio <= TARGET_RATIO else "above"
    print(f"file: {ROWS:,} rows, {size:.0f} MB")
    print(f"pd.read_csv(engine='pyarrow'): {bare:.3f} s")
    print(f"read_history:                  {ours:.3f} s")
    print(f"ratio: {ratio:.2f} ({verdict} the target of {TARGET_RATIO})")


if __name__ == "__main__":
    main()
