"""AppTest: the app on a PostgreSQL server, and the server stopped under it. The page says what
happened, nothing typed is lost, and the draft is kept when the server is back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages._ui.app.draft_writer import wait_for_writes
from roi_model.store import ScenarioStore
from tests.postgres_support import Cluster

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60


@pytest.fixture
def served_from(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("ROI_EXPLORER_DB", postgres_url)
    return postgres_url


def _app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = "en"
    return at.run()


def _captions(at: AppTest) -> str:
    return "\n".join(str(c.value) for c in at.caption)


def _autosaved_budget(url: str, token: str) -> float | None:
    with ScenarioStore(url) as store:
        draft = store.autosaved(token)
    return None if draft is None else float(json.loads(draft.draft)["investment"]["ad_budget"])


def test_the_app_saves_its_drafts_on_the_server(served_from: str) -> None:
    at = _app()
    at.slider(key="ad_budget").set_value(12000.0).run()
    assert not at.exception
    assert wait_for_writes()
    assert _autosaved_budget(served_from, str(at.query_params["session"])) == 12000.0


def test_a_stopped_server_is_said_the_draft_kept_and_saved_when_back(
    served_from: str, postgres_cluster: Cluster
) -> None:
    at = _app()
    token = str(at.query_params["session"])
    postgres_cluster.stop()
    try:
        at.slider(key="ad_budget").set_value(13000.0).run()
        assert not at.exception
        assert wait_for_writes()
        at.run()  # the draft is written while the page is drawn: known on the next run
        assert "cannot be reached" in _captions(at)
        assert at.slider(key="ad_budget").value == 13000.0  # nothing typed is lost
        assert wait_for_writes()
    finally:
        postgres_cluster.start()
    at.slider(key="staff_hours").set_value(20.0).run()  # any next run finds the server back
    assert wait_for_writes()
    at.run()
    assert "cannot be reached" not in _captions(at)
    assert _autosaved_budget(served_from, token) == 13000.0
