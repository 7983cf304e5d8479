"""The client's report in a real browser: the cockpit's three report buttons download an HTML
page that opens offline (nothing fetched, no console error) and prints to A4, a PDF and an
Excel workbook, each made only when its button is clicked (Streamlit's deferred download).

One server per module (conftest's ``app_url``, with a database of its own); each test opens
fresh browser contexts, in English and in Spanish (``?lang=es``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Request, Route
from pypdf import PdfReader

from tests.browser_support import (
    assert_no_exception,
    collect_console_errors,
    fresh_session_url,
    keyed,
    new_context,
    nudge_budget,
    open_cockpit,
)
from tests.catalogs import text

pytestmark = pytest.mark.browser

#: The app's languages tested, chosen by the URL's ``lang`` (the browser stays en-US, so it is
#: the parameter, not the browser's locale, that makes the Spanish one Spanish).
LANGUAGES = ("en", "es")
#: The default preset (Tienda online) prints on one A4 page or a few, not on dozens.
MAX_PRINTED_PAGES = 3


class Cockpit(NamedTuple):
    page: Page
    language: str
    console_errors: list[str]  # console errors since the page was opened, load included


class OfflineVisit(NamedTuple):
    """What a page opened from disk, with every other request aborted, tried and logged."""

    page: Page
    requests: list[str]  # every request the page made, the document's own included
    aborted: list[str]  # the requests the route refused: all but the document's
    failed: list[str]  # requestfailed events (the aborted requests among them)
    console_errors: list[str]  # every console error and uncaught error, unfiltered


@pytest.fixture(params=LANGUAGES)
def cockpit(request: pytest.FixtureRequest, chromium: Browser, app_url: str) -> Iterator[Cockpit]:
    """The cockpit in one language, loaded and rendered, in a fresh context (its own session)."""
    language: str = request.param
    context = new_context(chromium)
    page = context.new_page()
    with collect_console_errors(page) as console_errors:
        open_cockpit(page, f"{fresh_session_url(app_url)}&lang={language}")
        yield Cockpit(page, language, console_errors)
    context.close()


def download(cockpit: Cockpit, form: str, label_key: str, folder: Path) -> Path:
    """Click the report button of ``form`` (checking its label) and save what it downloads
    under the name the app suggests."""
    button = keyed(cockpit.page, f"scenario_report_{form}").get_by_role("button")
    assert text(label_key, cockpit.language) in button.inner_text()
    with cockpit.page.expect_download() as started:
        button.click()
    saved = folder / started.value.suggested_filename
    started.value.save_as(saved)
    return saved


@contextmanager
def offline_visit(chromium: Browser, document: Path) -> Iterator[OfflineVisit]:
    """``document`` opened in a fresh context that lets through its own navigation only:
    every other request is aborted and recorded. A self-contained report needs nothing else."""
    context = new_context(chromium)
    page = context.new_page()
    visit = OfflineVisit(page, [], [], [], [])
    _let_through_first_file_navigation(context, visit)
    # Every request, also any the route might not see: one that escaped the route would be as
    # much a failure as one it aborted.
    context.on("request", lambda request: visit.requests.append(request.url))
    page.on("requestfailed", lambda request: visit.failed.append(_failure(request)))
    page.on("console", lambda message: _record_console_error(message, visit))
    page.on("pageerror", lambda error: visit.console_errors.append(f"uncaught: {error}"))
    try:
        page.goto(document.as_uri())
        yield visit
    finally:
        context.close()


def _let_through_first_file_navigation(context: BrowserContext, visit: OfflineVisit) -> None:
    let_through: list[str] = []

    def on_route(route: Route) -> None:
        request = route.request
        if (
            not let_through
            and request.url.startswith("file://")
            and request.is_navigation_request()
        ):
            let_through.append(request.url)
            route.continue_()
            return
        visit.aborted.append(f"{request.method} {request.url}")
        route.abort()

    context.route("**/*", on_route)


def _failure(request: Request) -> str:
    return f"{request.url}: {request.failure}"


def _record_console_error(message: ConsoleMessage, visit: OfflineVisit) -> None:
    if message.type == "error":
        visit.console_errors.append(f"console: {message.text} ({message.location.get('url')})")


def _spaces(value: str) -> str:
    # Babel writes "7.900 €" with a no-break space: the comparison is about digits and signs.
    return re.sub(r"[\u00a0\u202f]", " ", value)


def test_html_report_opens_offline_with_the_cockpits_figures(
    cockpit: Cockpit, chromium: Browser, tmp_path: Path
) -> None:
    page, language = cockpit.page, cockpit.language
    # the buttons are drawn outside the panel a slider reruns: the report must still be made
    # from the scenario on the screen when clicked
    investment = nudge_budget(page)

    saved = download(cockpit, "html", "report.button", tmp_path)

    assert saved.suffix == ".html", saved.name
    assert_no_exception(page)
    assert cockpit.console_errors == []
    with offline_visit(chromium, saved) as visit:
        body = _spaces(visit.page.locator("body").inner_text())
        assert text("report.title", language) in body
        assert text("report.headline", language) in body
        assert _spaces(investment) in body
        visit.page.emulate_media(media="print")
        printed = visit.page.pdf(format="A4")
        assert visit.requests == [saved.as_uri()]
        assert visit.aborted == []
        assert visit.failed == []
        assert visit.console_errors == []
    assert 1 <= len(PdfReader(io.BytesIO(printed)).pages) <= MAX_PRINTED_PAGES


def test_pdf_and_excel_reports_download(cockpit: Cockpit, tmp_path: Path) -> None:
    page, language = cockpit.page, cockpit.language

    pdf = download(cockpit, "pdf", "report.pdf", tmp_path)
    workbook = download(cockpit, "xlsx", "report.xlsx", tmp_path)

    content = pdf.read_bytes()
    assert pdf.suffix == ".pdf", pdf.name
    assert content.startswith(b"%PDF"), content[:200]  # not the text file of a failure
    assert len(PdfReader(io.BytesIO(content)).pages) >= 1
    assert workbook.suffix == ".xlsx", workbook.name
    sheets = load_workbook(workbook).sheetnames
    assert text("report.sheet.channels", language) in sheets, sheets
    assert_no_exception(page)
    assert cockpit.console_errors == []
