"""The months ahead in a real browser: a consultant sets returning customers, then lengthens the
retention with the slider's arrow keys, and the financial payback month comes earlier; with a
range on the retention, narrowing it narrows how sure the months are."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from roi_model.files.scenario_file import load_scenario
from roi_model.files.share import LINK_PARAM, encode_scenario
from roi_model.model.spec import InputRange
from tests.browser_support import (
    assert_no_exception,
    cards_selector,
    collect_console_errors,
    figure_selector,
    fresh_session_url,
    keyed,
    new_context,
    slider_position,
    slider_thumb,
    wait_for_app_ready,
    wait_for_script_idle,
    wait_for_text_change,
)

pytestmark = pytest.mark.browser

PROJECT_ROOT = Path(__file__).resolve().parents[1]
HEADLINE = "months_headline"
PAYBACK = "payback_financial"
PERCENT = re.compile(r"(-?[\d.,]+)%")
MONTH = re.compile(r"Month (\d+)")


def payback_text(page: Page) -> str:
    return page.locator(figure_selector(PAYBACK, cards=HEADLINE)).inner_text()


def payback_month(page: Page) -> int | None:
    """The financial payback month shown, or None for "Not within N months"."""
    found = MONTH.search(payback_text(page))
    return int(found.group(1)) if found else None


def set_number(page: Page, key: str, value: str) -> None:
    """Type a value in a number input and commit it with Enter, as a person does."""
    field = keyed(page, key).locator("input")
    field.fill(value)
    field.press("Enter")
    page.wait_for_timeout(600)  # past Streamlit's 500 ms before it shows a rerun
    wait_for_script_idle(page)


def retention_step(page: Page) -> int | None:
    """One PageUp on the retention slider; the payback month once the page has redrawn."""
    thumb = slider_thumb(page, "months_retention")
    before = slider_position(thumb)[0]
    thumb.press("PageUp")
    for _ in range(50):  # the thumb moves at once; the rerun's figures follow it
        if slider_position(slider_thumb(page, "months_retention"))[0] != before:
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(600)  # past Streamlit's 500 ms before it shows a rerun
    wait_for_script_idle(page)
    return payback_month(page)


def test_a_longer_retention_brings_the_payback_earlier(chromium: Browser, app_url: str) -> None:
    page = new_context(chromium).new_page()
    with collect_console_errors(page) as console_errors:
        page.goto(fresh_session_url(app_url, "Months_ahead") + "&lang=en")
        wait_for_app_ready(page, page.locator(cards_selector(HEADLINE)))
        wait_for_script_idle(page)
        assert payback_text(page) == "Not within 12 months"
        set_number(page, "months_repeat_purchases", "2")
        # no customer kept yet: the purchases they would repeat change nothing
        assert payback_text(page) == "Not within 12 months"
        months = [retention_step(page) for _ in range(9)]  # keeping more customers each time
        reached = [month for month in months if month is not None]
        assert reached, f"never paid back: {months}"
        assert reached == sorted(reached, reverse=True)  # never later for a longer retention
        assert reached[-1] < reached[0]  # and at last sooner than when it first paid back
        assert_no_exception(page)
    assert console_errors == []


def roi_spread(page: Page) -> float:
    """P90 - P10 of the financial ROI at the horizon, in points, as the draws' table shows."""
    row = keyed(page, "months_sure").locator("tr", has_text="Financial ROI at the horizon")
    low, _, high = (float(v.replace(",", "")) for v in PERCENT.findall(row.inner_text()))
    return high - low


def test_narrowing_the_retention_range_narrows_the_months(chromium: Browser, app_url: str) -> None:
    shop = load_scenario(PROJECT_ROOT / "sample_data" / "presets" / "online_shop.json")
    returning = replace(shop.months, retention=0.8, repeat_purchases=1.0)
    ranged = replace(
        shop, months=returning, uncertainty=(InputRange("months.retention", 0.5, 0.95),)
    )
    page = new_context(chromium).new_page()
    page.set_viewport_size({"width": 1400, "height": 1000})
    with collect_console_errors(page) as console_errors:
        link = f"{fresh_session_url(app_url, 'Months_ahead')}&lang=en"
        page.goto(f"{link}&{LINK_PARAM}={encode_scenario(ranged)}")
        table = keyed(page, "months_sure")
        table.wait_for()
        wait_for_script_idle(page)
        wide = roi_spread(page)
        assert wide > 0
        page.get_by_text("Ranges on these numbers").click()
        low = keyed(page, "range_low_months-retention").locator("input")
        low.wait_for()
        before = table.inner_text()
        low.fill("75")
        low.press("Enter")
        wait_for_text_change(table, before)
        wait_for_script_idle(page)
        assert roi_spread(page) < wide
        assert_no_exception(page)
    assert console_errors == []
