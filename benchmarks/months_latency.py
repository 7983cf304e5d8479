"""Months-ahead latency: a key press on the months page's horizon slider until its headline
(payback months, NPV, ROIs at the horizon, the customer's value) is redrawn, against
hello-world.

A month more or less changes the NPV (and the "not within N months") with every press, so the
clock always stops. The settings and the figures are one fragment: a press reruns the
projection, the headline, the three charts and the settings (not the sidebar), as a person moving
the slider sees it.

Run from the project root: ``python -m benchmarks.months_latency --rounds 20``.
"""

from __future__ import annotations

from collections.abc import Sequence

from benchmarks.latency import PROJECT_ROOT, AppUnderTest, LatencyResult, page_main, run_latency
from tests.browser_support import cards_selector

HEADLINE_KEY = "months_headline"


def months_app() -> AppUnderTest:
    return AppUnderTest(
        "months",
        PROJECT_ROOT / "app.py",
        slider_key="months_horizon",
        metric_key=HEADLINE_KEY,
        path="Months_ahead",
        watched=cards_selector(HEADLINE_KEY),
        ready=cards_selector(HEADLINE_KEY),
    )


def run_months_latency(rounds: int = 20, warmup: int = 3) -> LatencyResult:
    return run_latency(rounds, warmup, months_app())


def main(argv: Sequence[str] | None = None) -> None:
    page_main(__doc__.splitlines()[0], run_months_latency, argv)


if __name__ == "__main__":
    main()
