"""Saving, comparing and sharing scenarios in a real browser, as a consultant does it.

One server per module with a database of its own (checked directly as well as on the page);
each test opens fresh browser contexts, so nothing but the database is shared between them.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from roi_model.files.share import LINK_PARAM, LINK_VERSION
from roi_model.store import ScenarioStore
from tests.browser_support import (
    assert_no_exception,
    collect_console_errors,
    fresh_session_url,
    headline_figure,
    keyed,
    new_context,
    nudge_budget,
    open_cockpit,
    slider_position,
    slider_thumb,
    wait_for_script_idle,
)

pytestmark = pytest.mark.browser

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# The side-by-side table's column titles marked ★ (by CSS, as the base control's choice
# shows): exactly the one given.
STARRED = """name => {
    const titles = [...document.querySelectorAll("table.comparison thead th")];
    const starred = titles.filter(th => getComputedStyle(th, "::before").content === '"★ "');
    return starred.length === 1 && starred[0].textContent === name;
}"""


def popover(page: Page, label: str) -> None:
    """Open the popover whose button reads ``label``."""
    page.locator('[data-testid="stPopover"]').get_by_role("button", name=label).click()


def save_as(page: Page, client: str, name: str) -> None:
    """Save the scenario being edited into a (new) client, as the Save as… form does."""
    popover(page, "Save as…")
    keyed(page, "save_as_new_client").locator("input").fill(client)
    name_box = keyed(page, "save_as_name").locator("input")
    name_box.fill(name)
    keyed(page, "save_as_submit").locator("button").click()
    saved(page, name)


def saved(page: Page, name: str) -> None:
    """Wait for the save's notice and for the whole page's rerun after it: until it ends, the
    old panel and the new one can both be on the page."""
    page.get_by_text(f"Saved “{name}”").wait_for()
    expect(headline_figure(page, "investment")).to_have_count(1)
    wait_for_script_idle(page)


def choose_existing_client(page: Page, client: str) -> None:
    popover(page, "Save as…")
    box = page.locator('[data-testid="stPopoverBody"] [data-testid="stSelectbox"]')
    box.click()
    page.get_by_role("option", name=client).click()


def go_to(page: Page, link: str, title: str) -> None:
    page.get_by_role("link", name=link).click()
    page.get_by_role("heading", name=title).wait_for()
    wait_for_script_idle(page)


def test_two_saved_scenarios_compare_and_survive_a_reload(
    chromium: Browser, app_url: str, store_path: Path
) -> None:
    context = new_context(chromium)
    page = context.new_page()
    with collect_console_errors(page) as console_errors:
        open_cockpit(page, fresh_session_url(app_url))
        save_as(page, "Acme", "Today")
        nudge_budget(page)
        page.keyboard.press("Escape")
        choose_existing_client(page, "Acme")
        keyed(page, "save_as_name").locator("input").fill("More budget")
        keyed(page, "save_as_submit").locator("button").click()
        saved(page, "More budget")

        go_to(page, "Compare scenarios", "Compare scenarios")
        picker = page.locator('[data-testid="stMultiSelect"]')  # the page's only one
        picker.locator("input").fill("Acme · Today")
        page.keyboard.press("Enter")
        page.get_by_text("Acme · Today: 1 input differs from the base").wait_for()
        # what changed is drawn against every base; the chosen base's sections are shown
        changes = page.locator(".st-key-what_changed details:visible", has_text="Acme · Today")
        expect(changes.locator("table")).to_contain_text("Ad budget")
        changes.locator("summary").click()  # it folds under its title, as an expander did
        expect(changes.locator("table")).to_be_hidden()
        changes.locator("summary").click()
        expect(changes.locator("table")).to_be_visible()
        assert page.locator('[data-testid="stVegaLiteChart"]').count() == 4
        table = page.locator("table.comparison")
        headers = table.locator("thead th:visible").all_inner_texts()
        assert headers[-2:] == ["Acme · Today", "Δ Acme · Today"]  # the one added last
        worse = table.locator("td:visible", has_text="-")  # "Today" spends less: earns less
        assert worse.count() > 0
        colours = {c.evaluate("e => getComputedStyle(e).color") for c in worse.all()}
        assert colours & {"rgb(26, 127, 55)", "rgb(207, 34, 46)"}  # better or worse, coloured

        # The report's buttons are drawn outside the panel a change of base reruns: the
        # report must still be made against the base on the screen when clicked.
        base = keyed(page, "compare_base").locator("button[role=radio]", has_text="Acme · Today")
        base.click()
        page.wait_for_function(STARRED, arg="Acme · Today")  # the base's column is marked ★
        expect(table.locator("thead th:visible").last).to_have_text("Acme · Today")
        wait_for_script_idle(page)
        with page.expect_download() as started:
            keyed(page, "comparison_report_html").get_by_role("button").click()
        report = Path(started.value.path()).read_text("utf-8")
        assert "★ Acme · Today" in report and "★ Being edited" not in report

        page.reload()  # a new session; the stored scenarios must still be there
        page.get_by_role("heading", name="Compare scenarios").wait_for()
        wait_for_script_idle(page)
        go_to(page, "Saved scenarios", "Saved scenarios")
        keyed(page, "scenario_pick").click()
        options = page.get_by_role("option").all_inner_texts()
        assert sorted(options) == ["More budget", "Today"]
        assert_no_exception(page)
        assert console_errors == []
    context.close()
    with ScenarioStore(store_path) as store:
        names = {s.name: s for s in store.scenarios()}
        assert set(names) >= {"Today", "More budget"}
        today = store.load(names["Today"].id)[1]
        more = store.load(names["More budget"].id)[1]
        assert more.investment.ad_budget > today.investment.ad_budget


def test_a_shared_link_opens_in_a_fresh_browser_context(
    chromium: Browser, app_url: str, store_path: Path
) -> None:
    sender = new_context(chromium)
    page = sender.new_page()
    open_cockpit(page, fresh_session_url(app_url))
    nudge_budget(page)
    sent_budget = slider_position(slider_thumb(page, "ad_budget"))[0]
    popover(page, "Share")
    link = page.locator('[data-testid="stPopoverBody"] code').inner_text().strip()
    assert parse_qs(urlsplit(link).query)[LINK_PARAM][0].startswith(f"{LINK_VERSION}.")
    sender.close()
    with ScenarioStore(store_path) as store:
        stored_before = store.scenarios()

    recipient = new_context(chromium)  # no cookies, no session: a colleague's browser
    page = recipient.new_page()
    with collect_console_errors(page) as console_errors:
        open_cockpit(page, link)
        page.get_by_text("Opened the shared scenario").wait_for()
        assert slider_position(slider_thumb(page, "ad_budget"))[0] == sent_budget
        assert LINK_PARAM not in parse_qs(urlsplit(page.url).query)
        assert page.get_by_text("Not saved yet").count() == 1
        assert_no_exception(page)
        assert console_errors == []
    recipient.close()
    with ScenarioStore(store_path) as store:
        assert store.scenarios() == stored_before


def test_a_tampered_link_is_refused_with_a_message(chromium: Browser, app_url: str) -> None:
    context = new_context(chromium)
    page = context.new_page()
    open_cockpit(page, f"{app_url}/?{LINK_PARAM}=1.eJzLSM3JyVcozy_KSQEAGgQEXQ-broken")
    page.get_by_text("The shared link was not opened").wait_for()
    assert_no_exception(page)
    context.close()
