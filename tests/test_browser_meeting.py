"""Meeting mode in a real browser: the budget's arrow keys move the large figures, "Keep this
one" (by click and by its K shortcut) stores what is on the screen for the Compare page, and
screenshots at a projector's sizes for a person to look at.

One server per module (conftest's ``app_url``, with a database of its own); each test opens a
fresh browser context. The screenshots go to ``$MEETING_SHOTS`` (by default
``meeting_shots`` in the temporary folder); nothing about them is asserted but that the page ran.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from roi_model.store import ScenarioStore
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
    wait_for_text_change,
)

pytestmark = pytest.mark.browser

MEETING = "Meeting"  # the page's URL path
FIGURES = ".meeting-large-figures"  # the large figures and the goals line, one element
TOAST = '[data-testid="stToast"]'
KEPT = re.compile(r"Kept as “(.+)”")
MEETINGS_CLIENT = "Meetings"  # where a draft not opened from a stored scenario is kept
DEFAULT_SCENARIO = "Tienda online"
ARROW_PRESSES = 3
#: A laptop on a projector, and a meeting room's screen.
SIZES: tuple[ViewportSize, ...] = ({"width": 1280, "height": 720}, {"width": 1920, "height": 1080})
LANGUAGES = ("en", "es")
SHOTS = Path(os.environ.get("MEETING_SHOTS", Path(tempfile.gettempdir()) / "meeting_shots"))


class Meeting(NamedTuple):
    page: Page
    console_errors: list[str]  # console errors since the page was opened, load included


def open_meeting(page: Page, url: str) -> None:
    """Load the meeting page and wait until its first run has drawn the figures and ended."""
    page.goto(url)
    wait_for_app_ready(page, page.locator(FIGURES))
    wait_for_script_idle(page)


@pytest.fixture
def meeting(chromium: Browser, app_url: str) -> Iterator[Meeting]:
    """The meeting page, loaded and rendered, in a fresh context (its own Streamlit session)."""
    context = new_context(chromium)
    page = context.new_page()
    with collect_console_errors(page) as console_errors:
        open_meeting(page, fresh_session_url(app_url, MEETING))
        yield Meeting(page, console_errors)
    context.close()


def shown_investment(figures_text: str) -> float:
    """The investment written under ROAS (``investment €7,900``), English locale."""
    found = re.search(r"investment €([\d,.]+)", figures_text)
    assert found is not None, figures_text
    return float(found.group(1).replace(",", ""))


def kept_name(page: Page, other_than: str | None = None) -> str:
    """The scenario named by a "Kept as “…”" toast; with ``other_than``, waits for a toast
    naming another one (the first toast may still be on the screen)."""
    pattern = KEPT
    if other_than is not None:
        pattern = re.compile(rf"Kept as “(?!{re.escape(other_than)}”)(.+)”")
    toast = page.locator(TOAST).filter(has_text=pattern).last
    toast.wait_for()
    found = pattern.search(toast.inner_text())
    assert found is not None, toast.inner_text()
    return found.group(1)


def same_session(url: str, page_path: str) -> str:
    """``url`` on another page, with its query kept: the ``?session=`` token and language."""
    return urlsplit(url)._replace(path=f"/{page_path}").geturl()


def test_arrow_keys_on_the_budget_move_the_figures(meeting: Meeting) -> None:
    page = meeting.page
    figures = page.locator(FIGURES)
    thumb = slider_thumb(page, "meeting_ad_budget")
    before = figures.inner_text()
    budget_before, _, high = slider_position(thumb)
    assert budget_before < high, "the default budget is at the slider's end"

    thumb.focus()
    for _ in range(ARROW_PRESSES):
        thumb.press("ArrowRight")
    wait_for_text_change(figures, before)
    budget_after = slider_position(thumb)[0]
    # The last press must reach the figures, not just the first rerun.
    expected = shown_investment(before) + budget_after - budget_before
    expect(figures).to_contain_text(f"investment €{expected:,.0f}")
    wait_for_script_idle(page)

    assert budget_after > budget_before
    assert_no_exception(page)
    assert meeting.console_errors == []


def test_kept_scenarios_are_offered_on_the_compare_page(meeting: Meeting, store_path: Path) -> None:
    page = meeting.page
    keyed(page, "meeting_keep").get_by_role("button").click()
    first = kept_name(page)
    wait_for_script_idle(page)
    # The shortcut as pressed with nothing focused: a key typed into a control is not one.
    page.evaluate("() => document.activeElement?.blur()")
    page.keyboard.press("k")
    second = kept_name(page, other_than=first)
    wait_for_script_idle(page)
    assert_no_exception(page)
    # The meeting page's errors; the Compare page's own are test_browser_scenarios' concern.
    assert meeting.console_errors == []

    page.goto(same_session(page.url, "Compare"))
    page.get_by_role("heading", name="Compare scenarios").wait_for()
    wait_for_script_idle(page)
    keyed(page, "compare_picked").locator("input").click()
    options = page.get_by_role("option").all_inner_texts()

    prefix = f"{MEETINGS_CLIENT} · {DEFAULT_SCENARIO} · "
    kept = {f"{MEETINGS_CLIENT} · {first}", f"{MEETINGS_CLIENT} · {second}"}
    assert all(label.startswith(prefix) for label in kept), kept
    assert kept <= set(options), options
    assert_no_exception(page)
    with ScenarioStore(store_path) as store:
        stored = {s.name for s in store.scenarios() if s.client_name == MEETINGS_CLIENT}
    assert {first, second} <= stored


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s['width']}x{s['height']}")
def test_screenshots_for_the_meeting_room(
    chromium: Browser, app_url: str, language: str, size: ViewportSize
) -> None:
    """What the room sees without scrolling, saved for a person to judge (not asserted)."""
    context = new_context(chromium)
    page = context.new_page()
    page.set_viewport_size(size)
    with collect_console_errors(page) as console_errors:
        open_meeting(page, f"{fresh_session_url(app_url, MEETING)}&lang={language}")
        # The waterfall is drawn after the script has ended: wait for its marks.
        expect(page.locator('[data-testid="stVegaLiteChart"] svg.marks')).to_be_visible()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"meeting_{language}_{size['width']}x{size['height']}.png")
        assert_no_exception(page)
    assert console_errors == []
    context.close()
