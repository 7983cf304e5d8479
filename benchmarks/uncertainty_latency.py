"""Cockpit latency with the simulation on: the online shop with ranges on three inputs (10,000
draws on every rerun, and the P10-P90 bands under the ROI headlines), a key press on the budget
slider until the headline (its investment, drawn with the bands in one element) is redrawn,
against hello-world.

Run from the project root: ``python -m benchmarks.uncertainty_latency --rounds 20``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from playwright.sync_api import Page

from benchmarks.latency import (
    PROJECT_ROOT,
    AppUnderTest,
    LatencyResult,
    cockpit,
    page_main,
    run_latency,
)
from tests.browser_support import headline_figure, wait_for_app_ready

#: The ranges the bands are drawn from (each holding the preset's value).
RANGES = (
    ("values.order_value", 80.0, 200.0),
    ("channels[*].close_rate", 0.15, 0.45),
    ("investment.staff_hours", 60.0, 120.0),
)


def _open_with_ranges(page: Page) -> None:
    """Open the shop with its ranges through a share link, as a consultant would."""
    from roi_model.files.scenario_file import load_scenario
    from roi_model.files.share import LINK_PARAM, encode_scenario
    from roi_model.model.spec import InputRange

    shop = load_scenario(PROJECT_ROOT / "sample_data" / "presets" / "online_shop.json")
    ranged = replace(shop, uncertainty=tuple(InputRange(*item) for item in RANGES))
    page.goto(f"{page.url}&{LINK_PARAM}={encode_scenario(ranged)}")
    wait_for_app_ready(page, headline_figure(page, "full_roi", "detail").filter(has_text="P10"))


def uncertainty_app() -> AppUnderTest:
    """The full-value ROI's band is drawn in the headline, after the simulation: the
    investment beside it changes with every step."""
    return replace(cockpit(), name="cockpit+ranges", prepare=_open_with_ranges)


def run_uncertainty_latency(rounds: int = 20, warmup: int = 3) -> LatencyResult:
    return run_latency(rounds, warmup, uncertainty_app())


def main(argv: Sequence[str] | None = None) -> None:
    page_main(__doc__.splitlines()[0], run_uncertainty_latency, argv)


if __name__ == "__main__":
    main()
