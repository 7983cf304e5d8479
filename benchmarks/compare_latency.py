"""Compare-page latency: six saved scenarios of eight channels each, against hello-world.

The store is filled before the server starts; the page picks the six scenarios once, and each
measured press moves the base to the next scenario (a full rerun of the page: table, charts,
what changed). The watched text is the "What changed" section, drawn after the table and the
charts, so the clock stops only once the page has been redrawn.

Run from the project root: ``python -m benchmarks.compare_latency --rounds 20``.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from benchmarks.latency import (
    PROJECT_ROOT,
    AppUnderTest,
    LatencyResult,
    OpenApp,
    page_main,
    run_latency,
)
from roi_model import Channel, Investment, Scenario
from roi_model.files.assumptions import default_channel, load_channel_defaults
from roi_model.files.scenario_file import load_scenario
from roi_model.store import DB_ENV_VAR, ScenarioStore
from tests.browser_support import keyed

CLIENT = "Benchmark"
SCENARIOS = 6
CHANNELS = 8


def eight_channel_scenarios() -> list[Scenario]:
    """Six plans over eight channels: the seven networks with defaults, plus a newsletter,
    valued as the online shop preset values its actions."""
    shop = load_scenario(PROJECT_ROOT / "sample_data" / "presets" / "online_shop.json")
    defaults = load_channel_defaults(PROJECT_ROOT / "sample_data" / "channel_defaults.csv")
    networks = [default_channel(name, defaults) for name in defaults.index]
    newsletter = Channel("Newsletter", budget_share=0.0, hours_share=0.1, cpm=1.0)
    channels = (*networks, newsletter)[:CHANNELS]
    base = replace(
        shop,
        name="Plan",
        investment=Investment(ad_budget=6000, staff_hours=100, hourly_rate=35, fixed_costs=400),
        channels=tuple(
            replace(c, budget_share=1.0 + i, hours_share=1.0) for i, c in enumerate(channels)
        ),
    )
    return [
        replace(
            base,
            name=f"Plan {i + 1}",
            investment=replace(base.investment, ad_budget=3000.0 * (i + 1)),
        )
        for i in range(SCENARIOS)
    ]


def fill_store(path: Path) -> list[str]:
    """Save the scenarios into a fresh store; their labels as the Compare page shows them."""
    with ScenarioStore(path) as store:
        client = store.create_client(CLIENT)
        saved = [store.save_new(client.id, s) for s in eight_channel_scenarios()]
    return [f"{CLIENT} · {s.name}" for s in saved]


def pick_all(labels: list[str]) -> Callable[[Page], None]:
    """The ``prepare`` step: replace the default pick with the six saved scenarios."""

    def prepare(page: Page) -> None:
        # Every step changes the number of "what changed" panels (picked - 1), and each waits
        # for that number: the next step never starts while the page is still redrawing.
        picker = page.locator('[data-testid="stMultiSelect"]')  # the page's only one
        removers = picker.get_by_role("button", name=re.compile("^Remove "))  # one per chip
        panels = page.locator(".st-key-what_changed details:visible")  # the chosen base's
        expect(panels).to_have_count(1)  # the default pick: the draft and its preset
        removers.nth(1).click()  # drop the preset, keep the draft
        page.get_by_text("Pick at least two").wait_for()
        for count, label in enumerate(labels[:-1], start=1):
            _add(page, picker, label)
            expect(panels).to_have_count(count)
        page.keyboard.press("Escape")  # close the list, which hides the chips' buttons
        removers.nth(0).click()  # drop the draft
        expect(panels).to_have_count(len(labels) - 2)
        _add(page, picker, labels[-1])
        expect(panels).to_have_count(len(labels) - 1)
        page.keyboard.press("Escape")

    return prepare


def _add(page: Page, picker: Locator, label: str) -> None:
    picker.locator("input").click()
    picker.locator("input").fill(label)
    page.get_by_role("option", name=label, exact=True).click()


def next_base(opened: OpenApp) -> tuple[Locator, str]:
    """The option after the current base; Enter presses a focused option."""
    buttons = keyed(opened.page, "compare_base").get_by_role("radio")
    selected = int(buttons.evaluate_all(SELECTED_INDEX))
    return buttons.nth((selected + 1) % SCENARIOS), "Enter"


# A segmented control's options are radios; the chosen one is aria-checked.
SELECTED_INDEX = """bs => bs.findIndex(b => b.getAttribute("aria-checked") === "true")"""


def compare_app(store_path: Path, labels: list[str]) -> AppUnderTest:
    return AppUnderTest(
        "compare",
        PROJECT_ROOT / "app.py",
        slider_key="",
        metric_key="compare_picked",
        path="Compare",
        prepare=pick_all(labels),
        control=next_base,
        watched=".st-key-what_changed",
        watch_shown=True,  # what changed is drawn for every base; the base's is shown
        env={DB_ENV_VAR: str(store_path)},
    )


def run_compare_latency(rounds: int = 20, warmup: int = 3) -> LatencyResult:
    """The compare page against hello-world, on a store of its own filled for the run."""
    with tempfile.TemporaryDirectory(prefix="roi-bench-") as folder:
        store_path = Path(folder) / "scenarios.sqlite3"
        return run_latency(rounds, warmup, compare_app(store_path, fill_store(store_path)))


def main(argv: Sequence[str] | None = None) -> None:
    page_main(__doc__.splitlines()[0], run_compare_latency, argv)


if __name__ == "__main__":
    main()
