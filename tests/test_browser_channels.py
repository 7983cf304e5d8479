"""The Channels and Goals pages in a real browser, as a consultant uses them in a meeting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from roi_model.store import ScenarioStore
from tests.browser_support import (
    assert_no_exception,
    choose_option,
    collect_console_errors,
    figure_selector,
    fresh_session_url,
    headline_figure,
    keyed,
    metric_value,
    new_context,
    open_cockpit,
    open_grid_cell,
    slider_thumb,
    wait_for_script_idle,
    wait_for_text_change,
)

pytestmark = pytest.mark.browser

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def percent(text: str) -> float:
    """``-47.1%`` → -47.1 (English locale; the minus may be a typographic one)."""
    return float(re.sub(r"[^\d.\-]", "", text.replace("−", "-")))


def mix_return(page: Page) -> Locator:
    """The best mix's return: a card of the mix's summary (``pages/_ui/views/optimizer.py``)."""
    return page.locator(figure_selector("return", cards="mix_summary"))


def go_to(page: Page, link: str, heading: str) -> None:
    page.get_by_role("link", name=link).click()
    page.get_by_role("heading", name=heading).wait_for()
    wait_for_script_idle(page)


def test_applying_the_best_mix_raises_the_cockpits_roi(chromium: Browser, app_url: str) -> None:
    context = new_context(chromium)
    page = context.new_page()
    with collect_console_errors(page) as console_errors:
        open_cockpit(page, fresh_session_url(app_url))
        roi_before = percent(headline_figure(page, "full_roi").inner_text())

        go_to(page, "Channels and best mix", "Which networks are worth it?")
        page.get_by_role("heading", name="The best mix").wait_for()
        suggested = mix_return(page).inner_text()
        page.get_by_role("button", name="Apply to the scenario being edited").click()
        page.get_by_text("The suggested mix is now").wait_for()
        wait_for_script_idle(page)
        assert mix_return(page).inner_text() == suggested  # already the best

        go_to(page, "What-if cockpit", "Social media ROI: what if…?")
        roi_after = percent(headline_figure(page, "full_roi").inner_text())
        assert roi_after > roi_before
        assert_no_exception(page)
        assert console_errors == []
    context.close()


def test_the_suggestion_follows_the_budget_slider(chromium: Browser, app_url: str) -> None:
    context = new_context(chromium)
    page = context.new_page()
    page.goto(fresh_session_url(app_url, "Channels"))
    suggested = mix_return(page)
    suggested.wait_for()
    wait_for_script_idle(page)
    before = suggested.inner_text()
    slider_thumb(page, "ad_budget").press("PageUp")
    assert wait_for_text_change(suggested, before) != before
    assert_no_exception(page)
    context.close()


def test_the_views_below_the_inputs_switch_and_keep_the_best_mix(
    chromium: Browser, app_url: str
) -> None:
    context = new_context(chromium)
    page = context.new_page()
    page.goto(fresh_session_url(app_url, "Channels"))
    mix_return(page).wait_for()
    wait_for_script_idle(page)
    table = page.locator(".st-key-channel_comparison table")
    expect(table).to_contain_text("Spend")
    page.get_by_role("radio", name="Response curves").click()
    charts = page.get_by_test_id("stVegaLiteChart")
    expect(charts).to_have_count(2)  # ROI and shares, and the curves
    expect(table).to_have_count(0)
    page.get_by_role("radio", name="Funnel and staff hours").click()
    page.get_by_role("heading", name=re.compile("^Staff hours")).wait_for()
    expect(charts).to_have_count(3)
    page.get_by_role("radio", name="Channels on one footing").click()
    expect(table).to_contain_text("Spend")
    expect(mix_return(page)).to_be_visible()
    assert_no_exception(page)
    context.close()


def test_goals_page_shows_each_goal_and_suggests_a_plan(chromium: Browser, app_url: str) -> None:
    context = new_context(chromium, locale="es-ES")
    page = context.new_page()
    page.goto(fresh_session_url(app_url, "Goals"))
    page.get_by_role("heading", name="¿Alcanzaremos lo que nos propusimos?").wait_for()
    wait_for_script_idle(page)
    assert page.get_by_text("Aportaciones:").count() >= 2  # one line per goal
    page.get_by_role("button", name="Sugerir a partir de los objetivos").click()
    page.get_by_text("filas añadidas").wait_for()
    wait_for_script_idle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Descargar el plan (CSV)").click()
    text = Path(download.value.path()).read_text("utf-8")
    assert text.splitlines()[0].startswith("Objetivo,Canal,KPI")
    assert len(text.splitlines()) > 2
    assert_no_exception(page)
    context.close()


def test_the_history_table_follows_the_grouping(chromium: Browser, app_url: str) -> None:
    """The sample history in Spanish: per channel, per month, per campaign; the table reads
    in the locale's format and scrolls inside its box when a month per row runs long."""
    context = new_context(chromium, locale="es-ES")
    page = context.new_page()
    page.goto(fresh_session_url(app_url, "History"))
    wait_for_script_idle(page)
    keyed(page, "history_sample").get_by_role("button").click()
    table = page.locator(".st-key-history_table table:visible")  # the chosen grouping's
    expect(table.locator("tbody tr")).to_have_count(4)  # Facebook, Instagram, Pinterest, TikTok
    expect(table.locator("tbody tr").first).to_contain_text("Facebook")
    expect(table.locator("tbody tr").first).to_contain_text(re.compile(r"\d\.\d{3}\s€"))
    keyed(page, "history_group").get_by_role("radio", name="Mes").click()
    expect(table.locator("tbody tr")).to_have_count(12)
    expect(table.locator("tbody tr").first).to_contain_text("2024-01")
    month = keyed(page, "history_group").get_by_role("radio", name="Mes")
    month.click()  # a second click keeps the grouping chosen
    wait_for_script_idle(page)
    expect(month).to_have_attribute("aria-checked", "true")
    expect(table.locator("tbody tr")).to_have_count(12)
    box = page.locator(".st-key-history_table .text-table-scroll:visible")
    assert box.evaluate("e => getComputedStyle(e).overflowY") == "auto"
    head = box.locator("thead th").first  # the titles stay in view while the rows scroll
    assert head.evaluate("e => getComputedStyle(e).position") == "sticky"
    keyed(page, "history_group").get_by_role("radio", name="Campaña").click()
    page.get_by_text("ROI por campaña").wait_for()
    assert table.locator("thead th").first.inner_text() == "Campaña"
    assert_no_exception(page)
    context.close()


def test_an_export_is_uploaded_a_mapping_fixed_and_a_calibrated_scenario_made(
    chromium: Browser, app_url: str, store_path: Path, tmp_path: Path
) -> None:
    """The sample history with its spend column renamed to something no platform uses: the
    user maps it by hand, then takes the history's numbers into the scenario. The export is
    kept in the client's histories and reopens, corrected, in a later session."""
    with ScenarioStore(store_path) as store:
        store.create_client("Historias Browser")
    sample = (PROJECT_ROOT / "sample_data" / "history" / "shop_history.csv").read_text("utf-8")
    export = tmp_path / "my_export.csv"
    export.write_text(sample.replace("spend,", "money out,", 1), "utf-8")
    context = new_context(chromium)
    page = context.new_page()
    page.set_viewport_size({"width": 1400, "height": 2000})  # the mapping editor in view
    page.goto(fresh_session_url(app_url, "History"))
    page.get_by_role("heading", name="What did past campaigns return?").wait_for()
    wait_for_script_idle(page)
    choose_option(page, "history_client", "Historias Browser")
    page.get_by_text("Histories kept for Historias Browser (0)").wait_for()
    uploader = page.locator('[data-testid="stMain"] [data-testid="stFileUploaderDropzoneInput"]')
    uploader.set_input_files(str(export))
    rows = metric_value(page, "history_count_rows")
    rows.wait_for()
    wait_for_script_idle(page)
    assert rows.inner_text() == "2,928"
    page.get_by_text("Kept as “my_export.csv”").wait_for()
    # The upload is the page's now: the uploader is empty again, and the file is named.
    page.get_by_text("Open: my_export.csv").wait_for()
    files = page.locator('[data-testid="stMain"] [data-testid="stFileUploaderFile"]')
    expect(files).to_have_count(0)
    # .last: while a rerun draws it, the old figure and the new one may both be on the page
    investment = metric_value(page, "history_total_investment").last
    before = investment.inner_text()  # staff time only: the spend column is not read yet

    # The missed spend is called out above the details, which open by themselves.
    warning = page.locator('[data-testid="stAlertContentWarning"]')
    expect(warning).to_contain_text("no spend column")
    expect(warning).to_contain_text('Not used: "money out" (numbers)')
    editor = page.locator('[data-testid="stDataFrame"]').first
    editor.wait_for()
    wait_for_script_idle(page)

    def map_the_spend() -> None:
        spend = page.get_by_role("option", name="Spend", exact=True)
        # the 4th data row is "money out" (date, channel, campaign first)
        open_grid_cell(editor, row=4, x_fraction=0.5, opened=spend)
        spend.click()

    map_the_spend()
    try:
        changed = wait_for_text_change(investment, before, timeout_ms=10_000)
    except AssertionError:  # on a loaded machine the grid may take the first edit too early
        wait_for_script_idle(page)
        map_the_spend()
        changed = wait_for_text_change(investment, before)
    assert changed != before  # the spend now counts
    expect(warning).to_have_count(0)  # nothing is left unread

    corrected = investment.inner_text()

    page.get_by_role("button", name="Use these numbers").click()
    page.get_by_text("assumptions taken from your history").wait_for()
    wait_for_script_idle(page)
    assert_no_exception(page)
    context.close()

    later = new_context(chromium)  # another day: the export is there, with its correction
    page = later.new_page()
    page.goto(fresh_session_url(app_url, "History"))
    page.get_by_role("heading", name="What did past campaigns return?").wait_for()
    wait_for_script_idle(page)
    choose_option(page, "history_client", "Historias Browser")
    kept = page.get_by_text("Histories kept for Historias Browser (1)")
    kept.wait_for()
    if not page.get_by_text("my_export.csv").is_visible():
        kept.click()
    with ScenarioStore(store_path) as store:
        client = next(c for c in store.clients() if c.name == "Historias Browser")
        (history,) = store.histories(client.id)
    keyed(page, f"history_open_{history.id}").get_by_role("button").click()
    metric_value(page, "history_total_investment").wait_for()
    wait_for_script_idle(page)
    assert metric_value(page, "history_total_investment").inner_text() == corrected
    assert metric_value(page, "history_count_rows").inner_text() == "2,928"
    assert_no_exception(page)
    later.close()
