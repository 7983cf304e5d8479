"""History-page latency: a change of grouping (per channel, campaign or month) on the What
happened page until the table per group is redrawn, against hello-world; with the sample
history, or with a kept history of a million rows.

Each measured press focuses the next option of the "Per" control and presses Enter, so the
grouping goes round channel, campaign, month. The page keeps one grouping's sums at a time:
channel and campaign are summed again from every row at each change, month comes from the
monthly trend summed once. The watched text is the part the grouping reruns (its own
fragment: the control, the table per group, its caption and the ROI chart; not the filters,
the totals or the monthly trend); the first of it to change is the table per group (an HTML
table, drawn when its text is).

The sample history (2,928 rows) is opened with the page's own "use the sample" button. The
large one is the import benchmark's clean daily history (``write_history``, 1,000,000 rows,
about 100 MB), kept for a client in a fresh store before the server starts, as if it had been
uploaded there before; the page opens it from the client's kept histories, which reads the
file as an upload is read. The issue's target for that one is absolute: a grouping change in
at most 0.5 s in the browser.

Run from the project root: ``python -m benchmarks.history_latency --rounds 20`` (the sample
history), ``python -m benchmarks.history_latency --rows 1000000`` (a kept history of that many
rows).
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from benchmarks.compare_latency import SELECTED_INDEX
from benchmarks.import_timing import write_history
from benchmarks.latency import PROJECT_ROOT, AppUnderTest, LatencyResult, OpenApp, run_latency
from roi_model.files.imports import read_history
from roi_model.model.history import GROUPS
from roi_model.store import DB_ENV_VAR, ScenarioStore
from tests.browser_support import UI_TIMEOUT_MS, keyed, metric_value

GROUPING_KEY = "history_group"
SAMPLE_BUTTON_KEY = "history_sample"  # on the page from the start, whatever the store holds
#: The part the grouping reruns: its fragment's block, the one holding the grouping control.
PANEL = f'[data-testid="stVerticalBlock"]:has(> .st-key-{GROUPING_KEY})'
#: The table per group: the chosen grouping's (every grouping's is drawn, the chosen one shown).
TABLE = ".st-key-history_table table:visible"
CLIENT = "Benchmark"
LARGE_ROWS = 1_000_000
TARGET_SECONDS = 0.5
# Opening a 100 MB history reads it, calibrates on it and sums it: seconds, not milliseconds.
OPEN_TIMEOUT_MS = 180_000


def next_grouping(opened: OpenApp) -> tuple[Locator, str]:
    """The grouping after the chosen one; Enter presses a focused option.

    First waits for the table of the last change (its first cell is the grouping's name).
    """
    page = opened.page
    options = keyed(page, GROUPING_KEY).get_by_role("radio")
    chosen = int(options.evaluate_all(SELECTED_INDEX))
    shown = re.compile(rf"^\s*{re.escape(options.nth(chosen).inner_text())}")
    expect(page.locator(TABLE)).to_have_text(shown)
    return options.nth((chosen + 1) % options.count()), "Enter"


def use_the_sample(page: Page) -> None:
    """The ``prepare`` step of the sample: the page's own button, then its table."""
    keyed(page, SAMPLE_BUTTON_KEY).get_by_role("button").click()
    wait_for_the_panel(page)


def open_kept(history_id: int, rows: int) -> Callable[[Page], None]:
    """The ``prepare`` step of a kept history: open it from the client's list, wait until all
    its rows are read and the table is drawn."""

    def prepare(page: Page) -> None:
        keyed(page, f"history_open_{history_id}").get_by_role("button").click()
        count = metric_value(page, "history_count_rows")
        expect(count).to_have_text(f"{rows:,}", timeout=OPEN_TIMEOUT_MS)
        wait_for_the_panel(page, OPEN_TIMEOUT_MS)

    return prepare


def wait_for_the_panel(page: Page, timeout_ms: float = UI_TIMEOUT_MS) -> None:
    """The table and every grouping option drawn (for a moment after the table appears, the
    control can still be a placeholder: the first press would find no option)."""
    expect(page.locator(TABLE)).to_be_visible(timeout=timeout_ms)
    options = keyed(page, GROUPING_KEY).get_by_role("radio")
    expect(options).to_have_count(len(GROUPS), timeout=timeout_ms)


def history_app(
    name: str, prepare: Callable[[Page], None], env: Mapping[str, str] | None = None
) -> AppUnderTest:
    return AppUnderTest(
        name,
        PROJECT_ROOT / "app.py",
        slider_key="",
        metric_key=SAMPLE_BUTTON_KEY,
        path="History",
        prepare=prepare,
        control=next_grouping,
        watched=PANEL,
        watch_shown=True,  # the chosen grouping's table is shown by CSS, all drawn already
        env=dict(env or {}),
    )


def keep_large_history(store_path: Path, rows: int, folder: Path) -> int:
    """Write a clean history of ``rows`` rows and keep it for a new client in a fresh store,
    as the page keeps an upload (the file, what it read as); the kept history's id."""
    path = folder / f"history_{rows}_rows.csv"
    write_history(path, rows)
    data = path.read_bytes()
    read = read_history(data, filename=path.name)
    with ScenarioStore(store_path) as store:
        client = store.create_client(CLIENT)
        kept = store.keep_history(
            client.id, path.name, data, rows=len(read.rows), dates=read.date_range()
        )
    return kept.id


def run_history_latency(rounds: int = 20, warmup: int = 3) -> LatencyResult:
    """The sample history's grouping against hello-world."""
    return run_latency(rounds, warmup, history_app("history", use_the_sample))


def run_large_history_latency(
    rounds: int = 20, warmup: int = 3, rows: int = LARGE_ROWS
) -> LatencyResult:
    """A kept history of ``rows`` rows: its grouping against hello-world."""
    with tempfile.TemporaryDirectory(prefix="roi-bench-") as folder:
        store_path = Path(folder) / "scenarios.sqlite3"
        history_id = keep_large_history(store_path, rows, Path(folder))
        app = history_app(
            "history-large", open_kept(history_id, rows), env={DB_ENV_VAR: str(store_path)}
        )
        return run_latency(rounds, warmup, app)


def target_report(result: LatencyResult, rows: int = LARGE_ROWS) -> str:
    """The absolute time of a grouping change against the issue's target, and the ratio."""
    median_s, p90_s = result.app.median_ms / 1000, result.app.p90_ms / 1000
    verdict = "within" if median_s <= TARGET_SECONDS else "above"
    return (
        f"grouping change with {rows:,} rows: {median_s:.2f} s median (p90 {p90_s:.2f} s), "
        f"{verdict} the target of {TARGET_SECONDS} s; page/hello {result.ratio_of_medians:.2f}"
    )


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="measured presses per app")
    parser.add_argument("--warmup", type=int, default=3, help="discarded presses per app")
    parser.add_argument(
        "--rows",
        type=int,
        default=0,
        help="a kept history of this many rows instead of the sample (the target: 1000000)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.perf_counter()
    if args.rows:
        result = run_large_history_latency(args.rounds, args.warmup, args.rows)
        print(result.report())
        print(target_report(result, args.rows))
    else:
        print(run_history_latency(args.rounds, args.warmup).report())
    print(f"(took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
