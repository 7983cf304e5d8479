"""Channels-page latency: a key press on its budget slider until the best mix's return is
redrawn (the whole chain: evaluation, table, curves, optimiser), against hello-world.

Run from the project root: ``python -m benchmarks.channels_latency --rounds 20``.
"""

from __future__ import annotations

from collections.abc import Sequence

from benchmarks.latency import PROJECT_ROOT, AppUnderTest, LatencyResult, page_main, run_latency
from tests.browser_support import figure_selector

MIX_SUMMARY = "mix_summary"  # the best mix's cards (pages/_ui/views/optimizer.py)


def channels_app() -> AppUnderTest:
    """The optimiser's return is drawn after the table and the curves; it changes with every
    budget step, so the clock stops once the page has been redrawn down to it."""
    return AppUnderTest(
        "channels",
        PROJECT_ROOT / "app.py",
        slider_key="ad_budget",
        metric_key=MIX_SUMMARY,
        path="Channels",
        watched=figure_selector("return", cards=MIX_SUMMARY),
    )


def run_channels_latency(rounds: int = 20, warmup: int = 3) -> LatencyResult:
    return run_latency(rounds, warmup, channels_app())


def main(argv: Sequence[str] | None = None) -> None:
    page_main(__doc__.splitlines()[0], run_channels_latency, argv)


if __name__ == "__main__":
    main()
