"""AppTest: every page runs without an exception, and the cockpit answers to its inputs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.html_figures import figure_value, shown_figures
from tests.html_tables import html_table_with

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))
TIMEOUT = 60  # cold imports of pandas, altair and the model take seconds on a slow machine


def cockpit() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()


def test_pages_exist() -> None:
    assert PAGES, "no pages found under pages/"


@pytest.mark.parametrize("page", ["app.py", *PAGES], ids=lambda p: Path(p).stem)
def test_page_runs_without_exception(page: str) -> None:
    at = cockpit()
    if page != "app.py":
        at.switch_page(page).run()
    assert not at.exception
    assert at.title, f"{page} shows no title"


class TestCockpit:
    def test_headline_shows_the_default_presets_figures(self) -> None:
        at = cockpit()
        assert figure_value(at, "investment") == "€7,900"  # 5000 + 80 h x 30 + 500

    def test_headline_is_one_element_of_seven_figures_with_their_explanations(self) -> None:
        at = cockpit()
        figures = shown_figures(at)
        assert list(figures) == [
            "investment",
            "return",
            "financial_roi",
            "full_roi",
            "roas",
            "cost_per_lead",
            "cost_per_sale",
        ]
        assert not at.metric  # the cards, not seven metrics
        assert (figures["return"].detail, figures["return"].tone) == ("net -€9.16", "bad")
        assert all(figure.label and figure.help for figure in figures.values())
        assert figures["full_roi"].detail == ""  # no ranges, no band

    def test_moving_the_budget_changes_the_roi(self) -> None:
        at = cockpit()
        before = figure_value(at, "financial_roi")
        at.slider(key="ad_budget").set_value(12000.0).run()
        assert not at.exception
        assert figure_value(at, "investment") == "€14,900"  # 12000 + 2400 + 500
        assert figure_value(at, "financial_roi") != before

    def test_the_goals_table_says_each_goal_and_moves_with_the_budget(self) -> None:
        at = cockpit()
        goals = html_table_with(at, "Attainment")
        # 80 sales a month (66 today: 82.5 %), 250 leads (220: 88.0 %)
        assert goals.loc["Primary"].tolist() == ["Sales", "80", "66", "82.5%", "Not yet"]
        assert goals.loc["Secondary"].tolist() == ["Leads", "250", "220", "88.0%", "Not yet"]
        bars = " ".join(h.proto.body for h in at.html if "Attainment" in h.proto.body)
        assert "82.5%, transparent 82.5%" in bars and "88.0%, transparent 88.0%" in bars
        at.slider(key="ad_budget").set_value(12000.0).run()
        assert not at.exception
        assert html_table_with(at, "Attainment").loc["Primary", "Value"] != "66"

    def test_switching_language_translates_labels_and_numbers(self) -> None:
        at = cockpit()
        assert shown_figures(at)["investment"].label == "Investment"
        at.selectbox(key="language").set_value("es").run()
        assert not at.exception
        assert shown_figures(at)["investment"].label == "Inversión"
        assert figure_value(at, "investment") == "7.900\xa0€"  # Babel es_ES: dot groups, NBSP
        assert at.title[0].value.startswith("ROI en redes sociales")

    def test_headings_keep_their_anchors_in_every_language(self) -> None:
        at = cockpit()
        english = [(h.proto.anchor, h.value) for h in (*at.title, *at.subheader)]
        at.selectbox(key="language").set_value("es").run()
        spanish = [(h.proto.anchor, h.value) for h in (*at.title, *at.subheader)]
        assert [a for a, _ in english] == [a for a, _ in spanish]
        assert ("cockpit-goals", "Goals") in english
        assert ("cockpit-goals", "Objetivos") in spanish
        assert ("cockpit-title", "Social media ROI: what if…?") in english

    def test_currency_changes_the_money_format(self) -> None:
        at = cockpit()
        at.selectbox(key="currency").set_value("USD").run()
        assert figure_value(at, "investment") == "$7,900"

    def test_disabling_lenses_makes_full_roi_equal_financial(self) -> None:
        at = cockpit()
        for lens in ("leads", "engagement", "organic_traffic"):
            at.toggle(key=f"lens_{lens}").set_value(False).run()
        assert figure_value(at, "full_roi") == figure_value(at, "financial_roi")

    def test_value_inputs_are_drawn_only_while_their_panel_is_open(self) -> None:
        at = cockpit()
        assert not at.number_input
        at.session_state["values_panel"] = True  # what a click on the expander does
        at.run()
        assert len(at.number_input) == 9 * 3  # each value, and the low and high of its range

    def test_order_value_moves_the_financial_roi(self) -> None:
        at = cockpit()
        at.session_state["values_panel"] = True
        at.run()
        before = figure_value(at, "financial_roi")
        at.number_input(key="value_order_value").set_value(500.0).run()
        assert figure_value(at, "financial_roi") != before
        assert shown_figures(at)["return"].tone == "good"  # the net turns a gain: green

    def test_a_budget_with_no_channel_share_warns_and_keeps_the_input(self) -> None:
        at = cockpit()
        at.session_state["draft"] = _draft_without_budget_shares(at)
        at.run()
        assert not at.exception
        assert any("nowhere to go" in w.value for w in at.warning)
        assert at.session_state["draft"]["investment"]["ad_budget"] == 5000

    def test_loading_a_preset_replaces_the_scenario(self) -> None:
        at = cockpit()
        at.selectbox(key="preset_picker").set_value("construction_firm").run()
        at.button(key="load_preset").click().run()
        assert not at.exception
        assert at.session_state["draft"]["name"] == "Constructora"
        assert (
            at.slider(key="ad_budget").value == at.session_state["draft"]["investment"]["ad_budget"]
        )

    def test_a_slider_holding_the_drafts_value_is_sent_unchanged(self) -> None:
        """A moved slider already holds the draft's value: the rerun does not set it again, so
        the browser keeps the slider it has instead of drawing it anew. A draft changed
        elsewhere (a preset loaded) still sets it."""
        at = cockpit()
        at.slider(key="ad_budget").set_value(9000.0).run()
        at.run()  # a second rerun, as after any other press
        assert not at.slider(key="ad_budget").proto.set_value
        at.selectbox(key="preset_picker").set_value("construction_firm").run()
        at.button(key="load_preset").click().run()
        budget = at.session_state["draft"]["investment"]["ad_budget"]
        assert at.slider(key="ad_budget").proto.set_value
        assert at.slider(key="ad_budget").value == budget != 9000.0

    def test_the_mix_reads_as_a_table_and_its_editor_opens_on_demand(self) -> None:
        """The weights, the fit and the shares they make, as texts; the data grid that edits
        them is drawn only while its panel is open."""
        at = cockpit()
        mix = html_table_with(at, "Budget weight (%)")
        assert mix.index.name == "Channel"
        shares = [float(v.rstrip("%")) for v in mix["Share of spend"]]
        assert abs(sum(shares) - 100.0) < 0.5  # the weights normalised
        assert not any("budget_share" in d.value.columns for d in at.dataframe)
        at.session_state["mix_panel"] = True  # what a click on the expander does
        at.run()
        assert not at.exception
        grid = next(d.value for d in at.dataframe if "budget_share" in d.value.columns)
        assert list(grid.index) == list(mix.index)

    def test_inputs_survive_a_page_switch(self) -> None:
        at = cockpit()
        at.slider(key="ad_budget").set_value(9000.0).run()
        at.switch_page(PAGES[0]).run()
        at.switch_page("app.py").run()
        assert not at.exception
        assert at.slider(key="ad_budget").value == 9000.0
        assert figure_value(at, "investment") == "€11,900"


def _draft_without_budget_shares(at: AppTest) -> dict[str, object]:
    draft = json.loads(json.dumps(at.session_state["draft"]))
    for channel in draft["channels"]:
        channel["budget_share"] = 0.0
    return draft


class TestAssumptionsPage:
    def test_break_even_of_a_chosen_input_is_shown(self) -> None:
        at = cockpit()
        at.switch_page("pages/1_Assumptions.py").run()
        at.selectbox(key="break_even_input").set_value("values.order_value").run()
        assert not at.exception
        assert any("Average order value: today €120.00" in m.value for m in at.markdown)


class TestSidebarAcrossPages:
    def test_language_and_preset_pickers_keep_their_values_on_another_page(self) -> None:
        at = cockpit()
        at.selectbox(key="language").set_value("es").run()
        at.selectbox(key="preset_picker").set_value("dental_clinic").run()
        at.switch_page("pages/1_Assumptions.py").run()
        assert not at.exception
        assert at.selectbox(key="language").value == "es"
        assert at.selectbox(key="preset_picker").value == "dental_clinic"
        assert at.title[0].value == "Supuestos y punto de equilibrio"


class TestHowSureAreWe:
    """Ranges on the assumptions: the ROI headlines get their P10-P90 band, and the panel the
    spread and the tornado; a wider range gives a wider band."""

    @staticmethod
    def with_ranges(at: AppTest, order_value: tuple[float, float]) -> AppTest:
        draft = json.loads(json.dumps(at.session_state["draft"]))
        draft["uncertainty"] = [
            {"input": "values.order_value", "low": order_value[0], "high": order_value[1]},
            {"input": "channels[*].close_rate", "low": 0.0, "high": 0.5},
        ]
        at.session_state["draft"] = draft
        return at.run()

    @staticmethod
    def bands(at: AppTest) -> list[tuple[float, float]]:
        """The P10-P90 under each headline ROI."""
        details = [figure.detail for figure in shown_figures(at).values()]
        found = [re.search(r"P10–P90: (-?[\d.]+)% to (-?[\d.]+)%", d) for d in details]
        return [(float(m[1]), float(m[2])) for m in found if m]

    def test_without_ranges_the_figures_are_said_to_be_certain(self) -> None:
        at = cockpit()
        assert self.bands(at) == []
        at.session_state["uncertainty_panel"] = True
        at.run()
        assert not at.exception
        assert any("No input has a range yet" in str(c.value) for c in at.caption)

    def test_a_wider_range_gives_a_wider_band(self) -> None:
        at = self.with_ranges(cockpit(), (100.0, 140.0))
        assert not at.exception
        narrow = self.bands(at)
        assert len(narrow) == 2  # financial and full-value ROI
        wide = self.bands(self.with_ranges(at, (40.0, 300.0)))
        assert all(w[1] - w[0] > n[1] - n[0] for w, n in zip(wide, narrow, strict=True))

    def test_the_panel_draws_the_spread_and_the_tornado(self) -> None:
        at = self.with_ranges(cockpit(), (60.0, 200.0))
        at.session_state["uncertainty_panel"] = True
        at.run()
        assert not at.exception
        charts = [c for c in at.get("vega_lite_chart")]
        assert len(charts) >= 4  # the waterfall, the funnel, the spread and the tornado
        assert any("2 inputs have a range" in str(c.value) for c in at.caption)

    def test_each_goal_says_its_chance_of_being_met(self) -> None:
        at = self.with_ranges(cockpit(), (60.0, 200.0))
        at.switch_page("pages/5_Goals.py").run()
        assert not at.exception
        chances = [
            re.search(
                r"Chance of meeting it, with the ranges on the assumptions: (\d+)%", str(c.value)
            )
            for c in at.caption
        ]
        found = [int(m[1]) for m in chances if m]
        assert len(found) == 2 and all(0 <= p <= 100 for p in found)

    def test_a_range_is_set_beside_its_value_and_emptied_away(self) -> None:
        at = cockpit()
        at.session_state["values_panel"] = True
        at.run()
        at.number_input(key="range_high_values.order_value").set_value(300.0).run()
        assert not at.exception
        assert at.session_state["draft"]["uncertainty"] == [
            {"input": "values.order_value", "low": 120.0, "high": 300.0}
        ]  # the low end starts at today's value
        assert len(self.bands(at)) == 2
        at.number_input(key="range_low_values.order_value").set_value(None).run()
        assert at.session_state["draft"]["uncertainty"] == []
        assert self.bands(at) == []

    def test_investment_ranges_appear_when_asked_for(self) -> None:
        at = cockpit()
        count = len(at.number_input)
        at.toggle(key="investment_ranges").set_value(True).run()
        assert len(at.number_input) == count + 8  # a low and a high per investment input
        at.number_input(key="range_high_investment.ad_budget").set_value(9000.0).run()
        assert not at.exception
        assert at.session_state["draft"]["uncertainty"][0]["input"] == "investment.ad_budget"

    def test_channel_assumptions_get_their_ranges_on_every_channel(self) -> None:
        import streamlit as st

        from pages._ui.app import state
        from pages._ui.widgets import ranges
        from pages._ui.widgets.sources import ASSUMPTION_COLUMNS
        from roi_model.files.scenario_file import load_scenario, scenario_to_dict

        at = cockpit()
        at.session_state["assumptions_panel"] = True
        at.run()
        at.toggle(key="channel_ranges").set_value(True).run()
        assert not at.exception
        table = next(d.value for d in at.dataframe if list(d.value.columns) == ["low", "high"])
        assert len(table) == len(ASSUMPTION_COLUMNS) and table.isna().all().all()

        # What an edit of the close rate's high end does (the callback, run as Streamlit would).
        shop = load_scenario(ROOT / "sample_data" / "presets" / "online_shop.json")
        st.session_state[state.DRAFT] = scenario_to_dict(shop)
        st.session_state[state.EDITOR_VERSION] = 0
        paths = [f"channels[*].{name}" for name in ASSUMPTION_COLUMNS]
        row = ASSUMPTION_COLUMNS.index("close_rate")
        st.session_state["k"] = {"edited_rows": {str(row): {"high": 50.0}}}
        frame = table.reset_index(drop=True)
        try:
            ranges._apply_channel_ranges("k", frame, paths, shop)
            lowest = min(c.close_rate for c in shop.channels)
            assert st.session_state[state.DRAFT]["uncertainty"] == [
                {"input": "channels[*].close_rate", "low": lowest, "high": 0.5}
            ]
        finally:
            for key in (state.DRAFT, state.EDITOR_VERSION, "k"):
                st.session_state.pop(key, None)
