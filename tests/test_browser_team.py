"""Team mode in a real browser, on each backend: two consultants signed in side by side in two
browser contexts of one server; neither sees the other's clients, scenarios or drafts, not even
by opening the other's address; a visitor who has not signed in sees the form alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from roi_model.files.assumptions import SAMPLE_DATA, load_presets
from roi_model.store import DB_ENV_VAR, Role, ScenarioStore
from tests.browser_support import (
    assert_no_exception,
    fresh_session_url,
    headline_figure,
    new_context,
    nudge_budget,
    serve_streamlit,
    wait_for_app_ready,
    wait_for_script_idle,
)
from tests.postgres_support import Cluster

pytestmark = pytest.mark.browser

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery"


def _team(location: str) -> None:
    """Ana owns Acme with "Acme plan", Bruno owns Bravo with "Bravo plan"."""
    preset = load_presets(SAMPLE_DATA / "presets")["online_shop"]
    with ScenarioStore(location) as store:
        for name, client in (("ana", "Acme"), ("bruno", "Bravo")):
            store.add_user(name, PASSWORD)
            membership = store.grant(name, client, Role.OWNER)
            acting = store.as_user(store.find_user(name))
            acting.save_new(membership.client_id, preset, f"{client} plan")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def team_url(
    request: pytest.FixtureRequest, chromium: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A team-mode server on each backend, with its two users."""
    if request.param == "postgresql":
        cluster: Cluster = request.getfixturevalue("postgres_cluster")
        location = cluster.url()
    else:
        location = str(tmp_path_factory.mktemp("team-store") / "scenarios.sqlite3")
    _team(location)
    env = {DB_ENV_VAR: location, "ROI_EXPLORER_TEAM": "1"}
    with serve_streamlit(PROJECT_ROOT / "app.py", cwd=PROJECT_ROOT, env=env) as url:
        yield url


def sign_in(page: Page, url: str, name: str) -> None:
    page.goto(url)
    page.get_by_role("textbox", name="Name").fill(name)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    wait_for_app_ready(page, headline_figure(page, "financial_roi"))
    wait_for_script_idle(page)


def scenarios_page_text(page: Page) -> str:
    page.get_by_role("link", name="Saved scenarios").click()
    page.get_by_role("heading", name="Saved scenarios").wait_for()
    wait_for_script_idle(page)
    return page.locator('[data-testid="stMain"]').inner_text()


def test_a_visitor_sees_the_sign_in_form_alone(chromium: Browser, team_url: str) -> None:
    page = new_context(chromium).new_page()
    page.goto(fresh_session_url(team_url) + "&lang=en")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=30_000)
    wait_for_script_idle(page)
    assert page.locator('[data-testid="stSidebar"]').count() == 0
    text = page.locator('[data-testid="stApp"]').inner_text()
    assert "Acme" not in text and "Bravo" not in text
    assert headline_figure(page, "financial_roi").count() == 0


def test_two_consultants_side_by_side_see_only_their_own(chromium: Browser, team_url: str) -> None:
    ana, bruno = (new_context(chromium).new_page() for _ in range(2))
    ana_url = fresh_session_url(team_url) + "&lang=en"
    sign_in(ana, ana_url, "ana")
    sign_in(bruno, fresh_session_url(team_url) + "&lang=en", "bruno")
    assert "Signed in as ana" in ana.locator('[data-testid="stSidebar"]').inner_text()
    anas_budget = nudge_budget(ana)  # autosaved under Ana's tab token

    ana_sees, bruno_sees = scenarios_page_text(ana), scenarios_page_text(bruno)
    assert "Acme plan" in ana_sees and "Bravo" not in ana_sees
    assert "Bravo plan" in bruno_sees and "Acme" not in bruno_sees

    # Bruno opens Ana's own address, tab token and all: her draft stays hers
    intruder = new_context(chromium).new_page()
    sign_in(intruder, ana_url, "bruno")
    assert headline_figure(intruder, "investment").inner_text() != anas_budget
    assert "Acme" not in scenarios_page_text(intruder)
    for page in (ana, bruno, intruder):
        assert_no_exception(page)


def test_signing_out_leaves_the_form_and_nothing_else(chromium: Browser, team_url: str) -> None:
    page = new_context(chromium).new_page()
    sign_in(page, fresh_session_url(team_url) + "&lang=en", "ana")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=30_000)
    assert headline_figure(page, "financial_roi").count() == 0
