"""The months ahead in a real browser: a consultant sets returning customers, then lengthens the
retention with the slider's arrow keys, and the financial payback month comes earlier."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page

from tests.browser_support import (
    assert_no_exception,
    collect_console_errors,
    fresh_session_url,
    keyed,
    new_context,
    slider_position,
    slider_thumb,
    wait_for_app_ready,
    wait_for_script_idle,
)

pytestmark = pytest.mark.browser

PAYBACK = "months_payback_financial"
MONTH = re.compile(r"Month (\d+)")


def payback_text(page: Page) -> str:
    return keyed(page, PAYBACK).locator('[data-testid="stMetricValue"]').inner_text()


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
        wait_for_app_ready(page, keyed(page, PAYBACK))
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
