"""How sure are we, in a real browser: a consultant opens a scenario with a range, widens the
range in the table, and the ROI's P10-P90 band under the headline widens."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from roi_model.files.scenario_file import load_scenario
from roi_model.files.share import LINK_PARAM, encode_scenario
from roi_model.model.spec import InputRange
from tests.browser_support import (
    assert_no_exception,
    fresh_session_url,
    headline_figure,
    keyed,
    new_context,
    open_grid_cell,
    serve_streamlit,
    wait_for_script_idle,
    wait_for_text_change,
)

pytestmark = pytest.mark.browser

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BAND = re.compile(r"P10–P90: (-?[\d.,]+)% to (-?[\d.,]+)%")


@pytest.fixture(scope="module")
def app_url(chromium: Browser) -> Iterator[str]:
    with serve_streamlit(PROJECT_ROOT / "app.py", cwd=PROJECT_ROOT) as url:
        yield url


def _width(text: str) -> float:
    found = BAND.search(text)
    assert found, text
    low, high = (float(value.replace(",", "")) for value in found.groups())
    return high - low


def test_widening_a_range_widens_the_band(chromium: Browser, app_url: str) -> None:
    shop = load_scenario(PROJECT_ROOT / "sample_data" / "presets" / "online_shop.json")
    ranged = replace(shop, uncertainty=(InputRange("values.order_value", 110.0, 130.0),))
    context = new_context(chromium)
    page = context.new_page()
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{fresh_session_url(app_url)}&{LINK_PARAM}={encode_scenario(ranged)}")
    band = headline_figure(page, "full_roi", "detail")
    band.wait_for()
    before = band.inner_text()
    narrow = _width(before)

    page.get_by_text("How sure are we?").click()
    page.get_by_text("1 input has a range").wait_for()  # the panel's rerun has drawn it
    wait_for_script_idle(page)
    editor = keyed(page, "uncertainty_panel").locator('[data-testid="stDataFrame"]').first
    # A double click opens the high end of the order value's range (the first row) for editing.
    cell = page.locator("#portal input, #portal textarea").first
    open_grid_cell(editor, row=1, x_fraction=0.9, opened=cell)
    cell.fill("400")
    cell.press("Enter")
    after = wait_for_text_change(band, before)
    assert _width(after) > narrow
    wait_for_script_idle(page)
    assert_no_exception(page)
    context.close()
