"""How long ``read_history`` takes on a large clean export, against a bare pyarrow read.

Writes a 1,000,000-row daily history CSV (about 100 MB: date, channel, campaign and twelve
measures, the columns of a social-ads export: spend, impressions, reach, clicks, likes,
comments, shares, saves, video views, leads, sales, revenue) to a temporary file, then times
``read_history(path)`` (which maps the file into memory, as the command line does) and
``pd.read_csv(path, engine="pyarrow")``. The importer cannot be faster than the parse it builds
on, so the ratio says what its cleaning costs.

A second line compares the two on the file's bytes already in memory, which is what the app
has (an upload arrives as bytes): ``read_history(data)`` against
``pd.read_csv(io.BytesIO(data), engine="pyarrow")``. The first line is the one the target is
judged on.

Run from the project root: ``python -m benchmarks.import_timing``.
"""

from __future__ import annotations

import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from roi_model.files.imports import read_history

ROWS = 1_000_000
REPEATS = 9  # each run reads 100 MB; with five, one run to the next moved the ratio by 0.3
TARGET_RATIO = 1.5


def write_history(path: Path, rows: int = ROWS) -> None:
    """A clean daily history with realistic magnitudes, written the way pandas writes CSV."""
    rng = np.random.default_rng(7)
    days = pd.Timestamp("2015-01-01") + pd.to_timedelta(np.arange(rows) // 100, unit="D")
    channels = np.array(["Facebook", "Instagram", "LinkedIn", "TikTok", "Google Ads"])
    campaigns = np.array(
        [f"Campaign {i} - {kind}" for i in range(20) for kind in ("prospecting", "retargeting")]
    )
    impressions = rng.integers(1_000, 200_000, rows)
    likes = rng.binomial(impressions, 0.01)
    frame = pd.DataFrame(
        {
            "date": days.strftime("%Y-%m-%d"),
            "channel": channels[np.arange(rows) % len(channels)],
            "campaign": campaigns[np.arange(rows) % len(campaigns)],
            "spend": rng.gamma(2.0, 60.0, rows).round(2),
            "impressions": impressions,
            "reach": (impressions * rng.uniform(0.4, 0.9, rows)).astype(np.int64),
            "clicks": rng.binomial(impressions, 0.012),
            "likes": likes,
            "comments": rng.binomial(likes, 0.1),
            "shares": rng.binomial(likes, 0.05),
            "saves": rng.binomial(likes, 0.03),
            "video_views": rng.binomial(impressions, 0.2),
            "leads": rng.integers(0, 200, rows),
            "sales": rng.integers(0, 40, rows),
            "revenue": rng.gamma(2.0, 400.0, rows).round(2),
        }
    )
    frame.to_csv(path, index=False)


def _median_seconds(runs: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Each run's median time, the runs taking turns so that both see the same machine."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(REPEATS):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(seconds) for name, seconds in times.items()}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.csv"
        write_history(path)
        size = path.stat().st_size / 1e6
        data = path.read_bytes()
        seconds = _median_seconds(
            {
                "bare": lambda: pd.read_csv(path, engine="pyarrow"),
                "ours": lambda: read_history(path),
                "bare in memory": lambda: pd.read_csv(io.BytesIO(data), engine="pyarrow"),
                "ours in memory": lambda: read_history(data, filename=path.name),
            }
        )
    print(f"file: {ROWS:,} rows, {size:.0f} MB")
    _report("from the file", seconds["bare"], seconds["ours"])
    _report(
        "from its bytes in memory, as an upload",
        seconds["bare in memory"],
        seconds["ours in memory"],
    )


def _report(what: str, bare: float, ours: float) -> None:
    ratio = ours / bare
    verdict = "within" if ratio <= TARGET_RATIO else "above"
    print(f"{what}:")
    print(f"  pd.read_csv(engine='pyarrow'): {bare:.3f} s")
    print(f"  read_history:                  {ours:.3f} s")
    print(f"  ratio: {ratio:.2f} ({verdict} the target of {TARGET_RATIO})")


if __name__ == "__main__":
    main()
