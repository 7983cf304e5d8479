"""AppTest: the meeting mode runs, its controls move the figures, the channel mix is one
choice, "Keep this one" stores the screen as a scenario each time, and leaving returns to the
cockpit with the same scenario."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from roi_model.store import ScenarioStore
from tests.html_figures import shown_figures

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60


def meeting(language: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = language
    at.run()
    return at.switch_page("pages/7_Meeting.py").run()


def figures(at: AppTest) -> str:
    return next(h.proto.body for h in at.html if "meeting-figures" in h.proto.body)


def test_the_meeting_page_runs_with_four_controls() -> None:
    at = meeting()
    assert not at.exception
    assert [s.label for s in at.slider] == ["Ad budget", "Staff hours", "Average order value"]
    assert at.selectbox(key="meeting_mix").value == "today"
    body = figures(at)
    for label in ("Full-value return", "Financial ROI", "Full-value ROI", "ROAS"):
        assert label in body
    assert "Primary · Sales" in body  # the goals at a glance


def test_the_budget_moves_the_figures_and_the_cockpit_sees_it() -> None:
    at = meeting()
    before = figures(at)
    at.slider(key="meeting_ad_budget").set_value(9000.0).run()
    assert not at.exception and figures(at) != before
    assert "investment €11,900" in figures(at)  # 9,000 + 80 h × 30 + 500
    assert at.session_state["draft"]["investment"]["ad_budget"] == 9000.0


def test_the_best_mix_raises_the_full_value_roi() -> None:
    at = meeting()
    at.selectbox(key="meeting_mix").set_value("best").run()
    assert not at.exception
    assert "14.3%" in figures(at)  # the online shop's full-value ROI at its best split


def test_without_a_channel_is_offered_for_each_channel() -> None:
    options = meeting().selectbox(key="meeting_mix").options
    assert options[:2] == ["Today's mix", "Best mix"]
    assert "Without TikTok" in options


def test_keep_this_one_stores_a_scenario_each_time(private_scenario_store: Path) -> None:
    at = meeting()
    at.button(key="meeting_keep").click().run()
    at.button(key="meeting_keep").click().run()
    assert not at.exception
    with ScenarioStore(private_scenario_store) as store:
        kept = [s for s in store.scenarios() if s.client_name == "Meetings"]
    assert len(kept) == 2 and len({s.name for s in kept}) == 2
    assert all(s.name.startswith("Tienda online · ") for s in kept)


def test_leaving_returns_to_the_cockpit_with_the_mix_shown() -> None:
    at = meeting()
    at.selectbox(key="meeting_mix").set_value("without:TikTok").run()
    at.button(key="meeting_leave").click().run()
    assert not at.exception
    shares = {c["name"]: c["budget_share"] for c in at.session_state["draft"]["channels"]}
    assert shares["TikTok"] == 0.0
    assert shown_figures(at), "the cockpit is shown again"


@pytest.mark.parametrize(("language", "label"), [("es", "Presupuesto en anuncios")])
def test_in_spanish(language: str, label: str) -> None:
    at = meeting(language)
    assert at.slider[0].label == label
    assert "Retorno de valor total" in figures(at)
    assert at.button(key="meeting_keep").label == "Guardar este"


def test_the_title_bar_and_the_chart_are_few_elements_in_spanish() -> None:
    """The client's and the scenario's name in one title, the chart titled inside itself: a
    press redraws every element of the page, so the page keeps to few."""
    at = meeting("es")
    assert not at.exception
    assert [h.value for h in at.title] == ["Tienda online"]
    assert at.title[0].proto.anchor == "meeting-scenario"
    (chart,) = at.get("vega_lite_chart")
    spec = json.loads(chart.proto.spec)
    assert spec["title"]["text"] == "De la inversión al retorno neto"
    assert not [m for m in at.markdown if "De la inversión" in m.value]
    assert not at.columns  # one row of title and buttons, not columns
