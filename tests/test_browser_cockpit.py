"""The cockpit in a real browser: what a person does with a mouse and a keyboard.

One Streamlit server per module (cold imports take seconds), a fresh browser context per test
(no state leaks between tests). Debian's chromium is required; see ``require_chromium``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from playwright.sync_api import Browser, Page

from roi_model.files.scenario_file import load_scenario
from tests.browser_support import (
    assert_no_exception,
    choose_option,
    collect_console_errors,
    fresh_session_url,
    headline_figure,
    keyed,
    new_context,
    nudge_budget,
    open_cockpit,
    selected_option,
    serve_streamlit,
    slider_position,
    slider_thumb,
    step_key_away_from_end,
    wait_for_app_ready,
    wait_for_script_idle,
    wait_for_text_change,
)

pytestmark = pytest.mark.browser

PROJECT_ROOT = Path(__file__).resolve().parents[1]
COCKPIT = PROJECT_ROOT / "app.py"
OTHER_LANGUAGE = {"English": "Español", "Español": "English"}


@pytest.fixture(scope="module")
def cockpit_url(chromium: Browser) -> Iterator[str]:
    # Depends on `chromium` so that a missing browser skips before a server is started.
    if not COCKPIT.is_file():
        pytest.fail(f"{COCKPIT} not found: the cockpit is what these tests drive")
    with serve_streamlit(COCKPIT, cwd=PROJECT_ROOT) as url:
        yield url


class Cockpit(NamedTuple):
    page: Page
    console_errors: list[str]  # console errors since the page was opened, load included


@pytest.fixture
def cockpit(chromium: Browser, cockpit_url: str) -> Iterator[Cockpit]:
    """The cockpit, loaded and rendered, in a fresh context (its own Streamlit session)."""
    context = new_context(chromium)
    page = context.new_page()
    with collect_console_errors(page) as console_errors:
        open_cockpit(page, fresh_session_url(cockpit_url))
        yield Cockpit(page, console_errors)
    context.close()


def test_budget_slider_changes_financial_roi(cockpit: Cockpit) -> None:
    page = cockpit.page
    roi = headline_figure(page, "financial_roi")
    thumb = slider_thumb(page, "ad_budget")
    roi_before, (budget_before, _, _) = roi.inner_text(), slider_position(thumb)
    # PageUp moves a tenth of the range: ArrowRight's step (1/500 of it) can leave the ROI's
    # rounded text as it was, and a wait for a change would then time out.
    key = step_key_away_from_end(thumb, "PageUp")

    thumb.press(key)
    roi_after = wait_for_text_change(roi, roi_before)
    wait_for_script_idle(page)

    assert slider_position(thumb)[0] != budget_before, f"{key} did not move the budget slider"
    assert roi_after != roi_before
    assert_no_exception(page)
    assert cockpit.console_errors == []


def test_language_switch_translates_headline(cockpit: Cockpit) -> None:
    page = cockpit.page
    label = headline_figure(page, "investment", "label")
    label_before = label.inner_text()
    other = OTHER_LANGUAGE[selected_option(page, "language")]

    choose_option(page, "language", other)
    label_after = wait_for_text_change(label, label_before)
    wait_for_script_idle(page)

    assert selected_option(page, "language") == other
    assert label_after != label_before
    assert_no_exception(page)
    assert cockpit.console_errors == []


def test_budget_survives_a_trip_to_another_page(cockpit: Cockpit) -> None:
    page = cockpit.page
    moved = nudge_budget(page)

    page.get_by_role("link", name="Assumptions and break-even").click()
    page.get_by_role("heading", name="Assumptions and break-even").wait_for()
    wait_for_script_idle(page)
    page.get_by_role("link", name="What-if cockpit").click()
    wait_for_app_ready(page, headline_figure(page, "investment"))

    assert headline_figure(page, "investment").inner_text() == moved
    assert_no_exception(page)
    assert cockpit.console_errors == []


def test_a_broken_scenario_file_is_refused_and_nothing_is_lost(
    cockpit: Cockpit, tmp_path: Path
) -> None:
    page = cockpit.page
    investment = headline_figure(page, "investment").inner_text()
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema_version": 1, "name": ', encoding="utf-8")

    keyed(page, "upload_scenario").locator("input[type=file]").set_input_files(broken)
    alert = page.get_by_text("This file was not loaded, your scenario is unchanged")
    alert.wait_for()
    wait_for_script_idle(page)

    assert "not valid JSON" in alert.inner_text()
    assert headline_figure(page, "investment").inner_text() == investment
    assert_no_exception(page)


def test_a_scenario_file_opens_in_the_cockpit(cockpit: Cockpit) -> None:
    page = cockpit.page
    clinic = PROJECT_ROOT / "sample_data" / "presets" / "dental_clinic.json"
    before = headline_figure(page, "investment").inner_text()

    keyed(page, "upload_scenario").locator("input[type=file]").set_input_files(clinic)
    page.get_by_text("Loaded “Clínica dental”.").wait_for()
    wait_for_text_change(headline_figure(page, "investment"), before)
    wait_for_script_idle(page)

    assert_no_exception(page)
    assert cockpit.console_errors == []


def test_download_gives_the_scenario_as_edited(cockpit: Cockpit, tmp_path: Path) -> None:
    page = cockpit.page
    nudge_budget(page)
    budget = slider_position(slider_thumb(page, "ad_budget"))[0]

    with page.expect_download() as download:
        keyed(page, "download_scenario").get_by_role("button").click()
    saved = tmp_path / "scenario.json"
    download.value.save_as(saved)

    scenario = load_scenario(saved)
    assert scenario.name == "Tienda online"
    assert scenario.investment.ad_budget == budget
    assert_no_exception(page)


def test_a_spanish_browser_gets_spanish_on_every_page(chromium: Browser, cockpit_url: str) -> None:
    context = new_context(chromium, locale="es-ES")
    page = context.new_page()
    with collect_console_errors(page) as console_errors:
        open_cockpit(page, fresh_session_url(cockpit_url))
        assert headline_figure(page, "investment", "label").inner_text().startswith("Inversión")
        assert selected_option(page, "language") == "Español"

        page.get_by_role("link", name="Supuestos y equilibrio").click()
        page.get_by_role("heading", name="Supuestos y punto de equilibrio").wait_for()
        wait_for_script_idle(page)

        assert selected_option(page, "language") == "Español"
        assert selected_option(page, "preset_picker") == "Tienda online"
        assert_no_exception(page)
    assert console_errors == []
    context.close()
