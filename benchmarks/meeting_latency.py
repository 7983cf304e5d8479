"""Meeting-mode latency: a key press on the meeting page's budget slider until its large figures
are redrawn, against hello-world.

A budget step reruns the page's fragment only: the four controls, the figures and the
waterfall. The figures (return, both ROIs, ROAS with the investment under it, the goals) are
one ``st.html``; the investment under ROAS changes with every step, so the clock always stops.
The waterfall is drawn after the figures: the clock stops before it, as a person reading the
figures would.

Run from the project root: ``python -m benchmarks.meeting_latency --rounds 20``.
"""

from __future__ import annotations

from collections.abc import Sequence

from benchmarks.latency import PROJECT_ROOT, AppUnderTest, LatencyResult, page_main, run_latency

#: The issue's target for this page: a slider in a meeting as quick as hello's.
TARGET_HELLO_RATIO = 1.5
#: The large figures and the goals line: one element (``pages/_ui/views/meeting.py``).
FIGURES = ".meeting-large-figures"


def meeting_app() -> AppUnderTest:
    return AppUnderTest(
        "meeting",
        PROJECT_ROOT / "app.py",
        slider_key="meeting_ad_budget",
        metric_key="meeting_controls",
        path="Meeting",
        watched=FIGURES,
    )


def run_meeting_latency(rounds: int = 20, warmup: int = 3) -> LatencyResult:
    return run_latency(rounds, warmup, meeting_app())


def main(argv: Sequence[str] | None = None) -> None:
    page_main(__doc__.splitlines()[0], run_meeting_latency, argv)


if __name__ == "__main__":
    main()
