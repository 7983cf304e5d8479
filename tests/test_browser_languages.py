"""Every page in a real browser set to each language and country we serve: the words in its
language, the numbers as its country writes them, and none of our English left."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from pages._ui.i18n import LANGUAGES
from tests.browser_support import (
    assert_no_exception,
    collect_console_errors,
    fresh_session_url,
    headline_figure,
    new_context,
    open_cockpit,
    selected_option,
    serve_streamlit,
    wait_for_script_idle,
)
from tests.catalogs import entries, text

pytestmark = pytest.mark.browser

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PAGES = [
    ("nav.assumptions", "assumptions.title"),
    ("nav.scenarios", "scenarios.title"),
    ("nav.compare", "compare.title"),
    ("nav.channels", "channels.title"),
    ("nav.goals", "goals.title"),
    ("nav.history", "history.title"),
    ("nav.cockpit", "cockpit.title"),
]
# The default preset's investment (€7,900) as each country writes euros (Babel's CLDR data).
BROWSERS = {
    "es-ES": ("es", "7.900 €"),
    "es-MX": ("es", "EUR7,900"),
    "pt-BR": ("pt", "€ 7.900"),
    "gl-ES": ("gl", "7 900 €"),
    "en-US": ("en", "€7,900"),
}


@pytest.fixture(scope="module")
def app_url(chromium: Browser) -> Iterator[str]:
    with serve_streamlit(PROJECT_ROOT / "app.py", cwd=PROJECT_ROOT) as url:
        yield url


def _english_only(language: str) -> list[str]:
    """Our English texts that read differently in ``language``: long enough to be a phrase,
    without placeholders (the filled text would differ), none of them should show."""
    if language == "en":
        return []
    return [
        english
        for key, (english, *_) in entries("en").items()
        if len(english) > 24 and "{" not in english and entries(language)[key][0] != english
    ]


def _spaces(value: str) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", value)


@pytest.mark.parametrize("browser_locale", list(BROWSERS))
def test_every_page_in_the_browsers_language_and_number_format(
    chromium: Browser, app_url: str, browser_locale: str
) -> None:
    language, investment = BROWSERS[browser_locale]
    context = new_context(chromium, locale=browser_locale)
    page = context.new_page()
    page.set_viewport_size({"width": 1400, "height": 1600})
    english = _english_only(language)
    with collect_console_errors(page) as console_errors:
        open_cockpit(page, fresh_session_url(app_url))
        assert selected_option(page, "language") == LANGUAGES[language].name
        assert _spaces(headline_figure(page, "investment").inner_text()) == investment
        for link, title in PAGES:
            page.get_by_role("link", name=text(link, language), exact=True).click()
            page.get_by_role("heading", name=text(title, language)).wait_for()
            wait_for_script_idle(page)
            assert_no_exception(page)
            _assert_no_english(page, english)
    assert console_errors == []
    context.close()


def _assert_no_english(page: Page, english: list[str]) -> None:
    shown = _spaces(page.locator('[data-testid="stApp"]').inner_text())
    assert [phrase for phrase in english if _spaces(phrase) in shown] == []
