"""AppTest: the Channels page (table, curves, fit, the best mix) and the Goals page (goals,
gaps, goals across scenarios, the measurement plan).

Each test has a database of its own (``private_scenario_store`` in conftest).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import roi_model.words.numbers as numbers
from pages._ui.views.optimizer import LIMITS
from roi_model import evaluate
from roi_model.files.scenario_file import scenario_from_dict
from roi_model.model.channels import CHANNEL_KEYS, channel_comparison, extremes
from roi_model.model.optimize import optimize_mix
from roi_model.store import ScenarioStore
from tests.html_figures import shown_figures
from tests.html_tables import html_table_with, html_tables

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60


def page(path: str, *, preset: str = "", language: str = "") -> AppTest:
    """The cockpit first (it starts the session), then the page; optionally a preset loaded."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    if language:
        at.selectbox(key="language").set_value(language).run()
    if preset:
        at.selectbox(key="preset_picker").set_value(preset).run()
        at.button(key="load_preset").click().run()
    return at.switch_page(path).run()


def channels(**kwargs: str) -> AppTest:
    return page("pages/4_Channels.py", **kwargs)


def goals(**kwargs: str) -> AppTest:
    return page("pages/5_Goals.py", **kwargs)


def texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.caption, *at.markdown, *at.info, *at.success, *at.error)]
    parts += [e.value for e in at.warning]
    return "\n".join(str(p) for p in parts)


def draft_scenario(at: AppTest):  # type: ignore[no-untyped-def]
    return scenario_from_dict(at.session_state["draft"])


def table_with(at: AppTest, column: str):  # type: ignore[no-untyped-def]
    """The shown table that has ``column`` (AppTest's tables carry no keys)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def comparison(at: AppTest, *, marks: bool = False):  # type: ignore[no-untyped-def]
    return html_table_with(at, "Spend", marks=marks)


def locale_of(at: AppTest) -> str:
    return str(at.session_state["locale"])


def mix_table(at: AppTest):  # type: ignore[no-untyped-def]
    return html_table_with(at, "Spend suggested")


class TestChannelsPage:
    def test_one_row_per_channel_with_the_best_and_worst_marked(self) -> None:
        at = channels()
        assert not at.exception
        table = comparison(at)
        names = draft_scenario(at).channel_names
        assert len(table) == len(names)
        assert [str(i).rstrip(" ⚠") for i in table.index] == list(names)

    def test_the_model_s_best_and_worst_cells_are_marked(self) -> None:
        at = channels()
        marks = comparison(at, marks=True)
        expected = extremes(channel_comparison(evaluate(draft_scenario(at))))
        shown = marks.drop(columns="Fit").to_numpy()
        for mark in ("best", "worst"):
            found = [[mark in cell.split() for cell in row] for row in shown]
            assert found == (expected[list(CHANNEL_KEYS)] == mark).to_numpy().tolist()
        assert (expected == "best").to_numpy().any()  # something to see on the sample

    def test_poor_fit_channel_is_called_out(self) -> None:
        at = channels(preset="construction_firm")
        assert not at.exception
        warnings = " ".join(w.value for w in at.warning)
        assert "X suits this industry poorly" in warnings
        assert any(str(i) == "X ⚠" for i in comparison(at).index)
        fit = comparison(at, marks=True)["Fit"]
        assert "poor-fit" in fit["X ⚠"].split()  # its fit in red
        assert not any("poor-fit" in fit[name].split() for name in fit.index if name != "X ⚠")

    def test_spanish_texts_and_numbers(self) -> None:
        at = channels(language="es")
        assert not at.exception
        assert at.title[0].value == "¿Qué redes compensan?"
        view = at.button_group(key="channels_view")
        assert view.value == "table"  # the first view
        assert view.proto.options[0].content == "Canales con la misma vara"
        table = html_table_with(at, "Gasto")
        assert table.index.name == "Canal"
        figures = channel_comparison(evaluate(draft_scenario(at)))
        code = locale_of(at)
        assert code.startswith("es")
        assert list(table["Gasto"]) == [numbers.money(v, "EUR", code) for v in figures["spend"]]
        assert list(table["Encaje"]) == [numbers.percent(v, code) for v in figures["fit"]]

    def test_each_view_draws_only_its_own_content(self) -> None:
        at = channels()
        assert len(at.get("vega_lite_chart")) == 1  # ROI and shares; the table is the view
        assert any("Spend" in frame.columns for frame in html_tables(at))
        at.button_group(key="channels_view").set_value("curves").run()
        assert len(at.get("vega_lite_chart")) == 2
        assert not any("Spend" in frame.columns for frame in html_tables(at))
        at.button_group(key="channels_view").set_value("funnel_hours").run()
        assert not at.exception
        assert len(at.get("vega_lite_chart")) == 3  # ROI and shares, funnel, hours
        at.button_group(key="channels_view").set_value(None).run()  # a second click on it
        assert len(at.get("vega_lite_chart")) == 3  # the view stays
        at.button_group(key="channels_view").set_value("table").run()
        assert any("Spend" in frame.columns for frame in html_tables(at))

    def test_the_curves_show_impressions_on_demand_and_keep_the_choice(self) -> None:
        at = channels()
        at.button_group(key="channels_view").set_value("curves").run()
        at.button_group(key="curves_measure").set_value("impressions").run()
        assert not at.exception
        spec = json.dumps(json.loads(at.get("vega_lite_chart")[1].proto.spec))
        assert "Impressions" in spec
        at.button_group(key="curves_measure").set_value(None).run()  # kept, not unselected
        assert at.button_group(key="curves_measure").value == "impressions"

    def test_roi_and_shares_are_one_chart_of_two_titled_panels(self) -> None:
        at = channels()
        spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
        titles = [panel["title"]["text"] for panel in spec["vconcat"]]
        assert titles == ["ROI by channel", "Share of spend against share of return"]

    def test_invalid_draft_warns_and_keeps_the_last_valid_figures(self) -> None:
        at = channels()
        at.session_state["draft"] = at.session_state["draft"] | {"currency": "???"}
        at.run()
        assert not at.exception
        assert any("currency" in w.value.lower() or "moneda" in w.value.lower() for w in at.warning)


class TestBestMix:
    def test_suggestion_matches_the_model(self) -> None:
        at = channels()
        scenario = draft_scenario(at)
        optimum = optimize_mix(scenario, "full")
        table = mix_table(at)
        assert len(table) == len(scenario.channels)
        assert optimum.after_return >= optimum.before_return

    def test_summary_cards_show_the_optimum_as_the_locale_writes_it(self) -> None:
        for language, gain_word in (("", "on today's"), ("es", "sobre los")):
            at = channels(language=language)
            optimum = optimize_mix(draft_scenario(at), "full")
            code, cur = locale_of(at), optimum.after.currency
            cards = shown_figures(at)
            assert cards["return"].value == numbers.money(optimum.after_return, cur, code)
            gain = numbers.signed(numbers.money(optimum.gain, cur, code), optimum.gain)
            today = numbers.money(optimum.before_return, cur, code)
            assert cards["return"].detail.startswith(gain) and today in cards["return"].detail
            assert gain_word in cards["return"].detail
            assert cards["return"].tone == "good"  # the best mix brings at least today's
            assert cards["roi"].value == numbers.percent(optimum.after_roi, code)
            assert numbers.percent(optimum.before_roi, code) in cards["roi"].detail
            assert cards["roi"].help == ""  # no tooltip promised where there is none

    def test_the_answer_heads_the_page_and_follows_the_objective_chosen_below(self) -> None:
        at = channels()
        assert 'data-figure="return"' in at.html[0].proto.body  # before every other element
        at.segmented_control(key="channels_objective").set_value("financial").run()
        optimum = optimize_mix(draft_scenario(at), "financial")
        cards = shown_figures(at)
        assert cards["return"].label == "Financial return with the best mix"
        code, cur = locale_of(at), optimum.after.currency
        assert cards["return"].value == numbers.money(optimum.after_return, cur, code)

    def test_apply_makes_the_suggestion_the_scenario_being_edited(self) -> None:
        at = channels()
        before = draft_scenario(at)
        optimum = optimize_mix(before, "full")
        at.button(key="mix_apply").click().run()
        assert not at.exception
        after = draft_scenario(at)
        assert evaluate(after).returns.full == pytest.approx(optimum.after_return, rel=1e-9)
        assert evaluate(after).full_roi >= evaluate(before).full_roi
        assert "The suggested mix is now" in texts(at)

    def test_financial_objective_optimises_the_financial_return(self) -> None:
        at = channels()
        at.segmented_control(key="channels_objective").set_value("financial").run()
        at.button(key="mix_apply").click().run()
        optimum = optimize_mix(scenario_from_dict(at.session_state["draft"]), "financial")
        assert optimum.after_return == pytest.approx(
            optimum.before_return, rel=1e-6
        )  # already best

    def test_locked_channel_keeps_its_spend(self) -> None:
        at = channels()
        scenario = draft_scenario(at)
        first = scenario.channel_names[0]
        at.session_state[LIMITS] = {first: (True, 0.0, None)}
        at.run()
        table = mix_table(at)
        assert table.iloc[0, 0] == table.iloc[0, 1]  # spend today == spend suggested

    def test_impossible_limits_are_explained(self) -> None:
        at = channels()
        names = draft_scenario(at).channel_names
        at.session_state[LIMITS] = {n: (False, 1e9, None) for n in names}
        at.run()
        assert not at.exception
        assert "No mix can be suggested" in texts(at)
        assert "the ad budget must be between" in texts(at)  # the range the limits allow
        # said once, in the answer's place at the top; no mix table nor cards below
        assert sum("No mix can be suggested" in w.value for w in at.warning) == 1
        assert not any("Spend suggested" in frame.columns for frame in html_tables(at))
        assert not any('data-figure="return"' in e.proto.body for e in at.html)

    def test_save_as_new_scenario_keeps_the_draft(self, private_scenario_store: Path) -> None:
        at = channels()
        draft = json.dumps(at.session_state["draft"], sort_keys=True)
        at.session_state["mix_save"] = True  # what a click on the popover's button does
        at.run()
        at.selectbox(key="mix_client_en").set_value(-1)
        at.text_input(key="mix_new_client").set_value("Acme")
        at.text_input(key="mix_name").set_value("Best mix")
        at.button(key="mix_save_submit").click().run()
        assert not at.exception
        assert json.dumps(at.session_state["draft"], sort_keys=True) == draft
        with ScenarioStore(private_scenario_store) as store:
            saved = {s.name: s for s in store.scenarios()}
            stored = store.load(saved["Best mix"].id)[1]
        optimum = optimize_mix(draft_scenario(at), "full")
        assert evaluate(stored).returns.full == pytest.approx(optimum.after_return, rel=1e-9)

    def test_budget_needed_for_a_target_roi(self) -> None:
        at = channels()
        at.session_state["mix_reverse_panel"] = True  # what opening the expander does
        at.run()
        at.number_input(key="mix_reverse_roi").set_value(-50.0).run()
        assert not at.exception
        assert "At least" in texts(at) or "Not reachable" in texts(at)


class TestGoalsPage:
    def test_goals_at_a_glance_and_per_goal(self) -> None:
        at = goals()
        assert not at.exception
        scenario = draft_scenario(at)
        assert len(scenario.goals) == 2
        assert "Contributions:" in texts(at)

    def test_an_unmet_goal_says_what_would_close_it(self) -> None:
        at = goals()
        draft = at.session_state["draft"]
        draft["goals"] = [{"tier": "primary", "metric": "sales", "target": 1e5}]
        at.session_state["draft"] = draft
        at.run()
        assert not at.exception
        assert "To reach it:" in texts(at) or "No single input" in texts(at)

    def test_what_would_close_a_gap_reads_as_a_spanish_sentence(self) -> None:
        text = texts(goals(language="es"))
        assert "Para alcanzarlo: " in text and ", o horas del equipo de " in text
        assert ", o lead → venta (%) de " in text and ", o CTR (%) de " in text

    def test_goals_across_scenarios(self) -> None:
        at = goals()
        matrix = next(d.value for d in at.dataframe if d.value.index.name == "Goal")
        assert matrix.index[0] == "Primary · Sales"  # the scenario being edited's first
        assert matrix.loc["Primary · Sales"].notna().sum() >= 1
        assert len(matrix.columns) >= 2

    def test_measurement_plan_suggested_from_the_goals(self) -> None:
        at = goals()
        at.button(key="plan_suggest").click().run()
        assert not at.exception
        plan = draft_scenario(at).plan
        assert plan, "suggestions were added"
        assert all(len(row.tactics) >= 2 for row in plan)
        assert "Primary · Sales" in {row.objective for row in plan}

    def test_plan_problems_are_listed(self) -> None:
        at = goals()
        draft = at.session_state["draft"]
        channel = draft["channels"][0]["name"]
        draft["plan"] = [
            {
                "objective": "Sell",
                "channel": channel,
                "kpi": "Sales",
                "tactics": ["Ads"],
                "metrics": [],
                "tool": "",
                "cadence": "weekly",
            }
        ]
        draft["schema_version"] = 2
        at.session_state["draft"] = draft
        at.run()
        assert not at.exception
        assert "at least two tactics" in texts(at).lower()


def test_names_in_the_html_tables_are_escaped() -> None:
    at = channels()
    draft = at.session_state["draft"]
    draft["channels"][0]["name"] = "<b>Bold</b> & co"
    at.session_state["draft"] = draft
    at.run()
    assert not at.exception
    bodies = " ".join(h.proto.body for h in at.html if "text-table" in h.proto.body)
    assert "<b>Bold</b>" not in bodies and "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in bodies
    assert "<b>Bold</b> & co" in comparison(at).index  # read back as typed
