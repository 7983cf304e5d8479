"""AppTest: the months ahead page. Its settings change the figures, in the user's language, and
every figure is the projection's."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from pages._ui.app import state
from roi_model.files.scenario_file import scenario_from_dict
from roi_model.model.months import project
from roi_model.model.months_uncertainty import months_sensitivity, simulate_months
from tests.html_figures import figure_value
from tests.html_tables import html_table_with, html_tables

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60


def months_page(lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    return at.run().switch_page("pages/8_Months_ahead.py").run()


def test_the_page_draws_its_figures_and_charts() -> None:
    at = months_page()
    assert not at.exception
    assert [t.value for t in at.title] == ["Months ahead"]
    # the online shop has no returning customers: it never pays back on its sales alone
    assert figure_value(at, "payback_financial") == "Not within 12 months"
    # nor an audience: a line says where to give one, not a chart of flat zeros
    assert len(at.get("vega_lite_chart")) == 2
    assert any(c.value.startswith("No audience to follow") for c in at.caption)


def test_a_channel_with_a_follow_rate_brings_the_audience_chart() -> None:
    at = months_page("es")
    draft = at.session_state[state.DRAFT]
    draft["channels"][0]["follow_rate"] = 0.001
    at.session_state[state.DRAFT] = draft
    at.run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 3
    assert "La audiencia de cada canal" in [m.value.strip("*") for m in at.markdown]
    assert not any(c.value.startswith("No hay audiencia") for c in at.caption)


def test_retention_and_repeat_purchases_bring_the_payback_and_match_the_model() -> None:
    at = months_page()
    at.number_input(key="months_repeat_purchases").set_value(1.0).run()
    at.slider(key="months_retention").set_value(90.0).run()
    assert not at.exception
    scenario = scenario_from_dict(at.session_state[state.DRAFT])
    assert (scenario.months.retention, scenario.months.repeat_purchases) == (0.9, 1.0)
    projection = project(scenario)
    month = projection.payback_month["financial"]
    assert month is not None and month <= 12
    assert figure_value(at, "payback_financial") == f"Month {month}"
    assert figure_value(at, "customer_value") == "€480.00"  # 120 x 0.4 x (1 + 1 x 0.9 / 0.1)


def test_a_longer_horizon_and_a_schedule_change_the_figures_in_spanish() -> None:
    at = months_page("es")
    before = figure_value(at, "roi_full")
    at.slider(key="months_horizon").set_value(24).run()
    assert not at.exception
    assert at.session_state[state.DRAFT]["months"]["horizon"] == 24
    assert figure_value(at, "payback_financial") == "No en 24 meses"
    assert figure_value(at, "roi_full") == before  # the same month, 24 times: the same ROI


def test_the_schedule_reads_as_a_table_and_its_editor_opens_on_demand() -> None:
    """The steps as texts in the locale (a blank cell, the figure as it was, a dash); the
    data grid that edits them is drawn only while its panel is open."""
    at = months_page("es")
    assert any("Aún no hay ningún cambio" in c.value for c in at.caption)
    draft = at.session_state[state.DRAFT]
    draft["months"]["schedule"] = [
        {"from_month": 3, "ad_budget": 2500.0},
        {"from_month": 7, "staff_hours": 90.5},
    ]
    at.session_state[state.DRAFT] = draft
    at.run()
    table = html_table_with(at, "Horas del equipo")
    assert table.index.name == "Desde el mes"
    assert table.loc["3"].tolist() == ["2.500\xa0€", "—"]
    assert table.loc["7"].tolist() == ["—", "90,5"]
    assert not any("Desde el mes" in d.value.columns for d in at.dataframe)
    at.session_state["months_schedule_panel"] = True  # what a click on the expander does
    at.run()
    assert not at.exception
    grid = next(d.value for d in at.dataframe if "Desde el mes" in d.value.columns)
    assert grid["Desde el mes"].tolist() == [3.0, 7.0]


def test_a_horizon_of_the_goals_by_month_beyond_it_is_said_not_lost() -> None:
    at = months_page()
    draft = at.session_state[state.DRAFT]
    draft["goals"] = [{"tier": "primary", "metric": "sales", "target": 10.0, "by_month": 10}]
    at.session_state[state.DRAFT] = draft
    at.run()
    at.slider(key="months_horizon").set_value(6).run()
    assert not at.exception
    assert "horizon" in " ".join(w.value for w in at.warning)
    assert at.session_state[state.DRAFT]["months"]["horizon"] == 6  # kept, to be fixed


def _with_returning_customers(at: AppTest) -> AppTest:
    """The online shop with customers who come back: it pays back within the year."""
    draft = at.session_state[state.DRAFT]
    draft["months"] |= {"retention": 0.8, "repeat_purchases": 1.0}
    draft["goals"] = [
        {"tier": "primary", "metric": "sales", "target": 400.0, "by_month": 6},
        {"tier": "secondary", "metric": "full_roi", "target": 0.5, "by_month": None},
    ]
    at.session_state[state.DRAFT] = draft
    return at.run()


def test_the_goals_page_says_each_goal_over_the_months() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = "en"
    at = _with_returning_customers(at.run()).switch_page("pages/5_Goals.py").run()
    assert not at.exception
    said = " ".join(str(c.value) for c in at.caption)
    projection = project(scenario_from_dict(at.session_state[state.DRAFT]))
    verdict = "met" if projection.goals["met"].iloc[0] else "not met"
    assert re.search(rf"By month 6: [\d,.]+, {verdict}\.", said), said
    first = projection.goals["month_met"].iloc[1]
    assert f"met from month {first}" in said


def test_the_cockpit_and_the_meeting_say_when_it_pays_back() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = "en"
    at = _with_returning_customers(at.run())
    line = "Over 12 months, payback: Month 6 (financial) · Month 2 (full value)"
    assert any(line in str(c.value) for c in at.caption)
    at = at.switch_page("pages/7_Meeting.py").run()
    assert not at.exception
    assert any(line in str(c.value) for c in at.caption)


def test_the_schedule_editor_writes_steps_naming_only_what_they_set() -> None:
    """What an edit of the schedule does (the callback, run as Streamlit would)."""
    import streamlit as st

    from pages._ui.views import months as months_view
    from roi_model.files.assumptions import SAMPLE_DATA, load_presets
    from roi_model.files.scenario_file import scenario_to_dict

    shop = load_presets(SAMPLE_DATA / "presets")["online_shop"]
    draft = scenario_to_dict(shop)
    draft["months"]["schedule"] = [{"from_month": 3, "ad_budget": 2000.0}]
    st.session_state[state.DRAFT] = draft
    st.session_state[state.EDITOR_VERSION] = 0
    labels = ["From month", "Ad budget", "Staff hours"]
    frame = pd.DataFrame([[3.0, 2000.0, float("nan")]], columns=labels)
    st.session_state["k"] = {
        "edited_rows": {"0": {"Staff hours": 40.0}},
        "added_rows": [{"From month": 7, "Ad budget": 0.0}],
        "deleted_rows": [],
    }
    try:
        months_view._write_schedule("k", frame)
        assert st.session_state[state.DRAFT]["months"]["schedule"] == [
            {"from_month": 3.0, "ad_budget": 2000.0, "staff_hours": 40.0},
            {"from_month": 7.0, "ad_budget": 0.0},
        ]
    finally:
        for key in (state.DRAFT, state.EDITOR_VERSION, "k"):
            st.session_state.pop(key, None)


def test_a_range_on_the_retention_shows_how_sure_the_months_are() -> None:
    """The toggle puts a low and a high beside each number; a range on the retention adds
    the draws' table, every cell the simulation's."""
    at = _with_returning_customers(months_page())
    assert _how_sure_table(at) is None
    at.toggle(key="months_ranges").set_value(True).run()
    at.number_input(key="range_low_months.retention").set_value(50.0).run()
    at.number_input(key="range_high_months.retention").set_value(95.0).run()
    assert not at.exception
    draft = at.session_state[state.DRAFT]
    assert draft["uncertainty"] == [{"input": "months.retention", "low": 0.5, "high": 0.95}]
    simulation = simulate_months(scenario_from_dict(draft))
    table = _how_sure_table(at)
    assert table is not None
    assert (table.index.name, list(table.columns)) == ("Figure", ["P10", "P50", "P90"])
    payback = table.loc["Pays back (financial)"]
    expected = [simulation.payback.loc["financial", f"p{p}"] for p in (10, 50, 90)]
    assert list(payback) == [_payback_words(month, 12) for month in expected]
    assert not [f for f in html_tables(at) if "Pays back (full value)" in f.columns]
    at.session_state["months_tornado_panel"] = True  # opened: what decides it is drawn
    at.run()
    tornado = html_table_with(at, "Pays back (full value)")
    ends = months_sensitivity(scenario_from_dict(draft)).iloc[0]
    low, high = (ends[f"payback_full_at_{end}"] for end in ("low", "high"))
    assert tornado.iloc[0, 1] == f"{_payback_words(low, 12)} → {_payback_words(high, 12)}"
    chance = f"{simulation.p_pays_back('full'):.0%}".replace("%", "\u00a0%")
    assert any(chance in c.value or chance.replace("\u00a0", "") in c.value for c in at.caption)


def _payback_words(month: float, horizon: int) -> str:
    return f"Not within {horizon} months" if month == float("inf") else f"Month {int(month)}"


def _how_sure_table(at: AppTest) -> pd.DataFrame | None:
    """The draws' table, found by its columns."""
    tables = [frame for frame in html_tables(at) if "P50" in frame.columns]
    return tables[0] if tables else None
