"""Channels-page latency: a key press on its budget slider until the best mix's return, the
page's answer at its top, is redrawn; and, for comparison, until the best mix's table at the
page's end is. Both against hello-world.

Run from the project root: ``python -m benchmarks.channels_latency --rounds 20``.
"""

from __future__ import annotations

from collections.abc import Sequence

from benchmarks.latency import PROJECT_ROOT, AppUnderTest, LatencyResult, page_main, run_latency
from tests.browser_support import figure_selector

MIX_SUMMARY = "mix_summary"  # the best mix's cards (pages/_ui/views/optimizer.py)
MIX_TABLE = "mix_table"  # the best mix's table, drawn after the charts and the chosen view


def channels_app() -> AppUnderTest:
    """The best mix's return heads the page and changes with every budget step: the whole
    chain (evaluation, optimiser) has run once it is redrawn."""
    return AppUnderTest(
        "channels",
        PROJECT_ROOT / "app.py",
        slider_key="ad_budget",
        metric_key=MIX_SUMMARY,
        path="Channels",
        watched=figure_selector("return", cards=MIX_SUMMARY),
        ready=figure_selector("return", cards=MIX_SUMMARY),
    )


def channels_end_app() -> AppUnderTest:
    """The same press, until the best mix's table is redrawn: the charts, the comparison
    table and the best mix's figures have all been redrawn by then."""
    return AppUnderTest(
        "to-end",
        PROJECT_ROOT / "app.py",
        slider_key="ad_budget",
        metric_key=MIX_TABLE,
        path="Channels",
        watched=f".st-key-{MIX_TABLE}",
    )


def run_channels_latency(rounds: int = 20, warmup: int = 3) -> LatencyResult:
    return run_latency(rounds, warmup, channels_app())


def run_channels_end_latency(rounds: int = 20, warmup: int = 3) -> LatencyResult:
    return run_latency(rounds, warmup, channels_end_app())


def run_both(rounds: int, warmup: int) -> LatencyResult:
    print(run_channels_latency(rounds, warmup).report())
    print("-- the same press, until the best mix's table at the page's end is redrawn")
    return run_channels_end_latency(rounds, warmup)


def main(argv: Sequence[str] | None = None) -> None:
    page_main(__doc__.splitlines()[0], run_both, argv)


if __name__ == "__main__":
    main()
