"""Shared fixtures of the model's tests: the Hypothesis profiles and the hand-checked scenarios.

Nothing browser-related lives here: browser fixtures belong to their own module.
"""

from __future__ import annotations

import copy
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from playwright.sync_api import Browser

from pages._ui.app.draft_writer import wait_for_writes
from roi_model import Scenario
from roi_model.files.scenario_file import scenario_from_dict
from roi_model.store import DB_ENV_VAR
from tests.browser_support import chromium_session, serve_streamlit
from tests.postgres_support import Cluster, throwaway_cluster

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# Under CI the examples are derived from each test's name, so a failure reproduces on rerun;
# no deadline, because shared CI machines stall for reasons that are not the model's.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


#: The single-channel example of the brief; its figures are worked out by hand in
#: test_evaluate.py (TestEvaluateExampleGolden).
EXAMPLE_SCENARIO: dict[str, Any] = {
    "schema_version": 1,
    "name": "Tienda online",
    "currency": "EUR",
    "investment": {"ad_budget": 5000, "staff_hours": 80, "hourly_rate": 30, "fixed_costs": 500},
    "values": {
        "like": 0.05,
        "comment": 0.5,
        "share": 1.0,
        "video_view": 0.02,
        "organic_visit": 0.8,
        "lead": 15,
        "order_value": 120,
        "gross_margin": 0.4,
        "support_query": 6,
    },
    "lenses": {"leads": True, "engagement": True, "organic_traffic": True},
    "channels": [
        {
            "name": "Facebook",
            "budget_share": 0.4,
            "hours_share": 0.3,
            "cpm": 8.0,
            "saturation_spend": 4000,
            "organic_impressions_per_hour": 500,
            "like_rate": 0.02,
            "comment_rate": 0.002,
            "share_rate": 0.001,
            "video_view_rate": 0.05,
            "ctr": 0.01,
            "lead_rate": 0.05,
            "close_rate": 0.2,
            "fit": 1.0,
            "support_queries_per_hour": 0.0,
        }
    ],
    "goals": [
        {"tier": "primary", "metric": "sales", "target": 50},
        {"tier": "secondary", "metric": "leads", "target": 300},
    ],
}

#: Three channels with unequal shares that do not sum to 1 (budget 0.3/0.2/0, hours
#: 0.2/0.3/0.3), one channel without saturation, one without spend and CPM 0, fit < 1, the
#: engagement lens off, support queries, and an ROI goal among the goals. Worked out by hand in
#: test_evaluate.py (TestEvaluateClinicGolden).
CLINIC_SCENARIO: dict[str, Any] = {
    "schema_version": 1,
    "name": "Clínica dental",
    "currency": "EUR",
    "investment": {"ad_budget": 6000, "staff_hours": 100, "hourly_rate": 25, "fixed_costs": 1000},
    "values": {
        "like": 0.1,
        "comment": 0.4,
        "share": 0.8,
        "video_view": 0.01,
        "organic_visit": 0.5,
        "lead": 20,
        "order_value": 200,
        "gross_margin": 0.5,
        "support_query": 4,
    },
    "lenses": {"leads": True, "engagement": False, "organic_traffic": True},
    "channels": [
        {
            "name": "Instagram",
            "budget_share": 0.3,
            "hours_share": 0.2,
            "cpm": 6,
            "saturation_spend": 3000,
            "organic_impressions_per_hour": 400,
            "like_rate": 0.03,
            "comment_rate": 0.004,
            "share_rate": 0.002,
            "video_view_rate": 0.1,
            "ctr": 0.008,
            "lead_rate": 0.04,
            "close_rate": 0.25,
            "fit": 0.9,
            "support_queries_per_hour": 0.5,
        },
        {
            "name": "LinkedIn",
            "budget_share": 0.2,
            "hours_share": 0.3,
            "cpm": 20,
            "saturation_spend": None,
            "organic_impressions_per_hour": 100,
            "like_rate": 0.01,
            "comment_rate": 0.002,
            "share_rate": 0.001,
            "video_view_rate": 0.0,
            "ctr": 0.015,
            "lead_rate": 0.1,
            "close_rate": 0.1,
            "fit": 0.5,
            "support_queries_per_hour": 0.2,
        },
        {
            "name": "Twitter",
            "budget_share": 0.0,
            "hours_share": 0.3,
            "cpm": 0.0,
            "saturation_spend": None,
            "organic_impressions_per_hour": 200,
            "like_rate": 0.005,
            "comment_rate": 0.001,
            "share_rate": 0.0005,
            "video_view_rate": 0.02,
            "ctr": 0.004,
            "lead_rate": 0.02,
            "close_rate": 0.5,
            "fit": 0.25,
            "support_queries_per_hour": 1.0,
        },
    ],
    "goals": [
        {"tier": "primary", "metric": "sales", "target": 20},
        {"tier": "secondary", "metric": "full_roi", "target": 0.5},
        {"tier": "secondary", "metric": "support_queries", "target": 50},
        {"tier": "secondary", "metric": "financial_roi", "target": -0.2},
    ],
}


@pytest.fixture
def example_dict() -> dict[str, Any]:
    """A fresh copy of the example scenario file's JSON object, free to mutate."""
    return copy.deepcopy(EXAMPLE_SCENARIO)


@pytest.fixture(scope="session")
def example_scenario() -> Scenario:
    return scenario_from_dict(copy.deepcopy(EXAMPLE_SCENARIO))


@pytest.fixture
def clinic_dict() -> dict[str, Any]:
    return copy.deepcopy(CLINIC_SCENARIO)


@pytest.fixture(scope="session")
def clinic_scenario() -> Scenario:
    return scenario_from_dict(copy.deepcopy(CLINIC_SCENARIO))


@pytest.fixture
def write_scenario_file(tmp_path: Path) -> Callable[[Any], Path]:
    """Write a scenario file into a fresh folder: a dict as JSON, a str as text, bytes as is."""

    def write(content: Any, name: str = "scenario.json") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
        return path

    return write


@pytest.fixture
def example_file(write_scenario_file: Callable[[Any], Path]) -> Path:
    """The example scenario saved as a file in a temporary folder."""
    return write_scenario_file(copy.deepcopy(EXAMPLE_SCENARIO))


@pytest.fixture(autouse=True)
def private_scenario_store(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Every test saves into a database of its own, never into the user's data folder; its
    drafts are all written before the next test starts."""
    path = tmp_path_factory.mktemp("store") / "scenarios.sqlite3"
    monkeypatch.setenv("ROI_EXPLORER_DB", str(path))
    yield path
    assert wait_for_writes(), "a draft was still being written 10 s after the test"


@pytest.fixture(autouse=True)
def main_module_kept() -> Iterator[None]:
    """AppTest runs a page as ``__main__`` and leaves it there: a process started by "spawn"
    afterwards (the store's tests of several processes) would run that page, or a test's own
    script, before its work. Each test gets pytest's ``__main__`` back."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


# --- The store on PostgreSQL: one throwaway server per run, a new database per test ---


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """A throwaway PostgreSQL server (skips loudly where there is none, fails in CI)."""
    with throwaway_cluster() as cluster:
        yield cluster


@pytest.fixture
def postgres_url(postgres_cluster: Cluster) -> str:
    """The URL of a new, empty database on the throwaway server."""
    return postgres_cluster.url()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """Each store test runs on both backends; an SQLite-only test parametrizes ``backend``
    itself with ``["sqlite"]``."""
    return str(request.param)


@pytest.fixture
def store_location(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """Where a test's store lives: a new SQLite file, or a new PostgreSQL database."""
    if backend == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return str(tmp_path / "scenarios.sqlite3")


# --- Real-browser tests: one chromium and one served app (with its own database) per module ---


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """Debian's chromium, driven by Playwright (skips loudly where it is missing, not in CI)."""
    with chromium_session() as browser:
        yield browser


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The served app's database, checked directly by the tests as well as on the page."""
    return tmp_path_factory.mktemp("browser-store") / "scenarios.sqlite3"


@pytest.fixture(scope="module")
def app_url(chromium: Browser, store_path: Path) -> Iterator[str]:
    """The app served from the project folder with the module's own database."""
    env = {DB_ENV_VAR: str(store_path)}
    with serve_streamlit(PROJECT_ROOT / "app.py", cwd=PROJECT_ROOT, env=env) as url:
        yield url
