"""The measurement plan: its rows, the advice on them, suggestions, the table, and the trips
through files, links, tables and the store (old version 1 bodies included)."""

from __future__ import annotations

import copy
import io
import json
import re
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_model import Channel, Goal, GoalMetric, GoalTier, Investment, Rule, Scenario, ScenarioError
from roi_model.files.scenario_file import scenario_from_json, scenario_to_json
from roi_model.files.share import decode_scenario, encode_scenario
from roi_model.model.plan import (
    CHANNEL_TOOLS,
    KPI_CADENCE,
    KPI_KEYS,
    KPI_METRICS,
    KPI_OF_METRIC,
    METRIC_KEYS,
    ORGANIC_TACTICS,
    PAID_TACTICS,
    PLAN_COLUMNS,
    TACTIC_KEYS,
    TOOL_KEYS,
    PlanProblem,
    PlanSuggestion,
    ProblemKind,
    plan_from_table,
    plan_problems,
    plan_table,
    suggested_plan,
    tool_for,
)
from roi_model.model.spec import SCHEMA_VERSION, Cadence, PlanRow
from roi_model.store import ScenarioStore
from tests.conftest import EXAMPLE_SCENARIO
from tests.strategies import plan_rows, scenarios

ROW = PlanRow(
    objective="Más ventas",
    channel="Facebook",
    kpi="Coste por lead",
    tactics=("Anuncios con formulario", "Contenido descargable"),
    metrics=("leads", "inversión"),
    tool="Meta Business Suite",
    cadence=Cadence.WEEKLY,
)
#: ROW as plan_table writes it.
ROW_CELLS = [
    "Más ventas",
    "Facebook",
    "Coste por lead",
    "Anuncios con formulario; Contenido descargable",
    "leads; inversión",
    "Meta Business Suite",
    "weekly",
]


def _error(build: Callable[[], object]) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        build()
    return caught.value


def _table(*rows: list[Any]) -> pd.DataFrame:
    return pd.DataFrame([list(row) for row in rows], columns=list(PLAN_COLUMNS), dtype=object)


class TestPlanRow:
    def test_texts_are_stripped_and_lists_become_tuples(self) -> None:
        row = PlanRow(
            " Más ventas ",
            "Facebook\n",
            " Coste por lead",
            [" Anuncios con formulario", "Contenido descargable "],  # type: ignore[arg-type]
            [" leads", "inversión"],  # type: ignore[arg-type]
            " Meta Business Suite ",
            "weekly",
        )  # type: ignore[arg-type]
        assert row == ROW
        assert type(row.tactics) is tuple and type(row.metrics) is tuple
        assert row.cadence is Cadence.WEEKLY
        assert hash(row) == hash(ROW)

    def test_defaults_a_row_with_no_tactics_metrics_or_tool(self) -> None:
        row = PlanRow("Ventas", "Facebook", "ROAS")
        assert (row.tactics, row.metrics, row.tool, row.cadence) == ((), (), "", Cadence.MONTHLY)

    @pytest.mark.parametrize(
        ("changes", "field", "rule"),
        [
            ({"objective": "  "}, "objective", Rule.NON_EMPTY),
            ({"channel": ""}, "channel", Rule.NON_EMPTY),
            ({"kpi": "\n"}, "kpi", Rule.NON_EMPTY),
            ({"kpi": 3}, "kpi", Rule.WRONG_TYPE),
            ({"tool": None}, "tool", Rule.WRONG_TYPE),
            ({"tactics": "Anuncios"}, "tactics", Rule.WRONG_TYPE),
            ({"tactics": None}, "tactics", Rule.WRONG_TYPE),
            ({"metrics": ("leads", 2)}, "metrics[1]", Rule.WRONG_TYPE),
            ({"metrics": ("leads", " ")}, "metrics[1]", Rule.NON_EMPTY),
            ({"tactics": ("a; b",)}, "tactics[0]", Rule.WRONG_TYPE),
            ({"cadence": "yearly"}, "cadence", Rule.ONE_OF),
            ({"cadence": None}, "cadence", Rule.ONE_OF),
        ],
        ids=[
            "blank-objective",
            "empty-channel",
            "newline-kpi",
            "number-kpi",
            "null-tool",
            "text-tactics",
            "null-tactics",
            "number-metric",
            "blank-metric",
            "separator-in-tactic",
            "unknown-cadence",
            "null-cadence",
        ],
    )
    def test_errors_name_the_field(self, changes: dict[str, Any], field: str, rule: Rule) -> None:
        error = _error(lambda: replace(ROW, **changes))
        assert (error.field, error.rule) == (field, rule)

    def test_a_separator_error_says_what_is_allowed(self) -> None:
        assert "a text without ';'" in str(_error(lambda: replace(ROW, tactics=("a;b",))))

    def test_a_scenario_refuses_what_is_not_a_plan_row(self) -> None:
        error = _error(lambda: Scenario(plan=(ROW, {"kpi": "leads"})))  # type: ignore[arg-type]
        assert (error.field, error.rule) == ("plan[1]", Rule.WRONG_TYPE)

    def test_a_scenario_keeps_its_plan_as_a_tuple(self) -> None:
        scenario = Scenario(plan=[ROW])  # type: ignore[arg-type]
        assert scenario.plan == (ROW,)
        assert hash(scenario) == hash(Scenario(plan=(ROW,)))


class TestPlanProblems:
    def test_a_complete_row_has_none(self) -> None:
        assert plan_problems([ROW], ["Facebook"]) == ()

    def test_each_gap_of_each_row(self) -> None:
        plan = [
            ROW,
            PlanRow("Ventas", "TikTok", "Leads", ("Anuncios",)),  # one tactic, no metric, tool
            replace(ROW, tactics=("Anuncios", "ANUNCIOS ")),  # the same tactic twice
        ]
        assert plan_problems(plan, ["Facebook", "Instagram"]) == (
            PlanProblem(1, ProblemKind.FEW_TACTICS, "plan[1].tactics"),
            PlanProblem(1, ProblemKind.NO_METRIC, "plan[1].metrics"),
            PlanProblem(1, ProblemKind.NO_TOOL, "plan[1].tool"),
            PlanProblem(1, ProblemKind.UNKNOWN_CHANNEL, "plan[1].channel"),
            PlanProblem(2, ProblemKind.FEW_TACTICS, "plan[2].tactics"),
        )

    def test_channels_match_like_channel_names(self) -> None:
        row = replace(ROW, channel="  FACEBOOK")
        assert plan_problems([row], ["facebook "]) == ()
        assert plan_problems([row], ["Instagram"])[0].kind is ProblemKind.UNKNOWN_CHANNEL

    def test_without_the_channels_no_channel_is_unknown(self) -> None:
        assert plan_problems([replace(ROW, channel="Nowhere")]) == ()

    def test_kinds_are_the_keys_the_app_translates(self) -> None:
        assert [k.value for k in ProblemKind] == [
            "few_tactics",
            "no_metric",
            "no_tool",
            "unknown_channel",
        ]


#: Facebook with budget and hours, LinkedIn with hours only, TikTok with budget only, X with
#: nothing: three active channels.
MIXED = Scenario(
    investment=Investment(ad_budget=1000.0, staff_hours=20.0, hourly_rate=25.0),
    channels=(
        Channel("Facebook", budget_share=1.0, hours_share=1.0, cpm=8.0),
        Channel("LinkedIn", hours_share=1.0),
        Channel("TikTok", budget_share=1.0, cpm=6.0),
        Channel("X"),
    ),
    goals=(
        Goal(GoalTier.PRIMARY, GoalMetric.LEADS, 100.0),
        Goal(GoalTier.SECONDARY, GoalMetric.SHARES, 500.0),
    ),
)


class TestSuggestedPlan:
    def test_one_per_goal_and_active_channel(self) -> None:
        suggestions = suggested_plan(MIXED)
        assert [(s.objective_goal, s.channel) for s in suggestions] == [
            (0, "Facebook"),
            (0, "LinkedIn"),
            (0, "TikTok"),
            (1, "Facebook"),
            (1, "LinkedIn"),
            (1, "TikTok"),
        ]

    def test_a_leads_goal_by_hand(self) -> None:
        facebook, linkedin, tiktok = suggested_plan(MIXED)[:3]
        assert facebook == PlanSuggestion(
            objective_goal=0,
            channel="Facebook",
            kpi="cost_per_lead",
            # paid (budget) then organic (hours), once each
            tactics=("lead_form_ads", "landing_page_tests", "gated_content"),
            metrics=("leads", "spend", "staff_hours"),
            tool="meta_business_suite",
            cadence=Cadence.BIWEEKLY,
        )
        assert linkedin.tactics == ("gated_content", "landing_page_tests")  # hours only
        assert linkedin.tool == "linkedin_campaign_manager"
        assert tiktok.tactics == ("lead_form_ads", "landing_page_tests")  # budget only
        assert tiktok.tool == "tiktok_ads_manager"

    def test_a_shares_goal_tracks_engagement(self) -> None:
        facebook = suggested_plan(MIXED)[3]
        assert (facebook.kpi, facebook.cadence) == ("engagement_rate", Cadence.WEEKLY)
        assert facebook.metrics == ("likes", "comments", "shares", "impressions")

    def test_no_goals_no_suggestions(self) -> None:
        assert suggested_plan(replace(MIXED, goals=())) == ()

    @settings(max_examples=40)
    @given(scenarios(max_channels=4))
    def test_every_suggestion_is_made_of_known_keys(self, scenario: Scenario) -> None:
        for suggestion in suggested_plan(scenario):
            assert suggestion.kpi in KPI_KEYS
            assert len(suggestion.tactics) >= 2
            assert set(suggestion.tactics) <= set(TACTIC_KEYS)
            assert suggestion.metrics and set(suggestion.metrics) <= set(METRIC_KEYS)
            assert suggestion.tool in TOOL_KEYS
            assert suggestion.channel in scenario.channel_names
            goal = scenario.goals[suggestion.objective_goal]
            assert suggestion.kpi == KPI_OF_METRIC[goal.metric]

    def test_suggestions_made_rows_have_no_problems(self) -> None:
        plan = [
            PlanRow(
                f"goal {s.objective_goal}",
                s.channel,
                s.kpi,
                s.tactics,
                s.metrics,
                s.tool,
                s.cadence,
            )
            for s in suggested_plan(MIXED)
        ]
        assert plan_problems(plan, MIXED.channel_names) == ()


class TestVocabulary:
    def test_every_goal_metric_has_a_kpi(self) -> None:
        assert set(KPI_OF_METRIC) == set(GoalMetric)
        assert set(KPI_OF_METRIC.values()) == set(KPI_KEYS)

    @pytest.mark.parametrize("kpi", KPI_KEYS)
    def test_every_kpi_has_two_tactics_each_way_metrics_and_a_cadence(self, kpi: str) -> None:
        assert len(set(PAID_TACTICS[kpi])) >= 2
        assert len(set(ORGANIC_TACTICS[kpi])) >= 2
        assert KPI_METRICS[kpi] and set(KPI_METRICS[kpi]) <= set(METRIC_KEYS)
        assert isinstance(KPI_CADENCE[kpi], Cadence)

    def test_the_key_lists_are_exactly_what_suggestions_use(self) -> None:
        used_tactics = {t for kpi in KPI_KEYS for t in PAID_TACTICS[kpi] + ORGANIC_TACTICS[kpi]}
        assert set(TACTIC_KEYS) == used_tactics
        assert set(METRIC_KEYS) == {m for kpi in KPI_KEYS for m in KPI_METRICS[kpi]}
        assert set(TOOL_KEYS) == {tool for tool, _ in CHANNEL_TOOLS} | {"ga4"}

    @pytest.mark.parametrize(
        "keys",
        [KPI_KEYS, TACTIC_KEYS, METRIC_KEYS, TOOL_KEYS],
        ids=["kpi", "tactic", "metric", "tool"],
    )
    def test_keys_are_unique_snake_case(self, keys: tuple[str, ...]) -> None:
        assert len(set(keys)) == len(keys)
        assert all(re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", key) for key in keys)

    @pytest.mark.parametrize(
        ("channel", "tool"),
        [
            ("Facebook", "meta_business_suite"),
            ("Instagram Reels", "meta_business_suite"),
            ("LinkedIn", "linkedin_campaign_manager"),
            ("TikTok", "tiktok_ads_manager"),
            ("X", "x_analytics"),
            ("X (Twitter)", "x_analytics"),
            ("twitter", "x_analytics"),
            ("Pinterest", "pinterest_analytics"),
            ("YouTube Shorts", "youtube_studio"),
            ("Newsletter", "ga4"),
            ("Xing", "ga4"),
            ("Blog", "ga4"),
        ],
        ids=str,
    )
    def test_tool_for_a_channel(self, channel: str, tool: str) -> None:
        assert tool_for(channel) == tool


class TestPlanTable:
    def test_by_hand(self) -> None:
        table = plan_table([ROW, PlanRow("Ventas", "X", "ROAS")])
        assert list(table.columns) == list(PLAN_COLUMNS)
        assert table.iloc[0].tolist() == ROW_CELLS
        assert table.iloc[1].tolist() == ["Ventas", "X", "ROAS", "", "", "", "monthly"]

    def test_an_empty_plan_is_an_empty_table_with_the_columns(self) -> None:
        table = plan_table(())
        assert table.empty and list(table.columns) == list(PLAN_COLUMNS)
        assert plan_from_table(table) == ()


class TestPlanFromTable:
    def test_the_inverse_of_plan_table(self) -> None:
        assert plan_from_table(_table(ROW_CELLS)) == (ROW,)

    def test_cells_are_split_stripped_and_empty_items_dropped(self) -> None:
        cells = [
            " Más ventas",
            "Facebook ",
            "Coste por lead",
            ";Anuncios con formulario ;; Contenido descargable;",
            " leads;inversión ",
            "Meta Business Suite",
            " WEEKLY ",
        ]
        assert plan_from_table(_table(cells)) == (ROW,)

    def test_empty_rows_are_dropped_and_missing_cells_are_empty(self) -> None:
        table = _table(
            [None, None, None, None, None, None, "monthly"],  # the editor's new row
            ["Ventas", "X", "ROAS", float("nan"), pd.NA, None, None],
            ["", " ", "", "", "", "", ""],
        )
        assert plan_from_table(table) == (PlanRow("Ventas", "X", "ROAS"),)

    @pytest.mark.parametrize(
        ("cells", "field", "rule"),
        [
            (["", "X", "ROAS", "", "", "", ""], "plan[1].objective", Rule.NON_EMPTY),
            (["Ventas", "X", "", "a; b", "", "", ""], "plan[1].kpi", Rule.NON_EMPTY),
            (["Ventas", "X", "ROAS", "", "", "", "yearly"], "plan[1].cadence", Rule.ONE_OF),
        ],
        ids=["no-objective", "no-kpi", "unknown-cadence"],
    )
    def test_a_bad_row_is_named_by_its_place_in_the_table(
        self, cells: list[str], field: str, rule: Rule
    ) -> None:
        # the first row is empty and dropped: the bad one is still the table's row 1
        table = _table([""] * 7, cells)
        error = _error(lambda: plan_from_table(table))
        assert (error.field, error.rule) == (field, rule)

    def test_a_missing_column(self) -> None:
        error = _error(lambda: plan_from_table(_table(ROW_CELLS).drop(columns="tool")))
        assert (error.field, error.rule) == ("plan[*].tool", Rule.MISSING_FIELD)

    def test_an_unknown_column(self) -> None:
        table = _table(ROW_CELLS).assign(owner="Ana")
        error = _error(lambda: plan_from_table(table))
        assert (error.field, error.rule) == ("plan[*].owner", Rule.UNKNOWN_FIELD)
        assert error.options.split(", ") == list(PLAN_COLUMNS)

    def test_columns_in_another_order(self) -> None:
        table = _table(ROW_CELLS)[list(reversed(PLAN_COLUMNS))]
        assert plan_from_table(table) == (ROW,)

    def test_numbers_in_cells_become_texts(self) -> None:
        table = _table(["2025", "X", "ROAS", "", "", "", ""])
        table.loc[0, "objective"] = 2025
        assert plan_from_table(table)[0].objective == "2025"

    def test_the_csv_download_reads_back(self) -> None:
        plan = (ROW, PlanRow("1", "X", "ROAS", ("a",), (), "", Cadence.DAILY))
        text = plan_table(plan).to_csv(index=False)
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        assert plan_from_table(table) == plan


class TestRoundTrips:
    """Every valid plan survives the table, the file and the link unchanged."""

    @settings(max_examples=60)
    @given(st.lists(plan_rows(), max_size=5))
    def test_table(self, plan: list[PlanRow]) -> None:
        assert plan_from_table(plan_table(plan)) == tuple(plan)

    @settings(max_examples=40)
    @given(scenarios(max_channels=3), st.lists(plan_rows(), min_size=1, max_size=3))
    def test_file_and_link(self, scenario: Scenario, plan: list[PlanRow]) -> None:
        planned = replace(scenario, plan=tuple(plan))
        assert scenario_from_json(scenario_to_json(planned)) == planned
        assert decode_scenario(encode_scenario(planned)) == planned

    def test_unicode_and_blanks_inside_texts(self) -> None:
        row = PlanRow(
            "Ventas 🚀",
            "Clínica\u00a0dental",
            "Coste\tpor lead",
            ("Anuncios «cerca»", 'Say "hi"'),
            ("línea 1\nlínea 2",),
            "Herramienta\\",
            Cadence.QUARTERLY,
        )
        scenario = Scenario(plan=(row,))
        assert scenario_from_json(scenario_to_json(scenario)) == scenario
        assert decode_scenario(encode_scenario(scenario)) == scenario
        assert plan_from_table(plan_table(scenario.plan)) == scenario.plan


class TestStoredScenarios:
    """The store keeps scenario JSON: bodies saved before version 2 must keep loading."""

    @staticmethod
    def _set_body(db: Path, scenario_id: int, body: str) -> None:
        """Make a row look as an older app left it (the store's API writes version 2)."""
        with closing(sqlite3.connect(db)) as conn, conn:
            conn.execute("UPDATE scenarios SET body = ? WHERE id = ?", (body, scenario_id))
            conn.execute(
                "UPDATE scenario_versions SET body = ? WHERE scenario_id = ?", (body, scenario_id)
            )

    @staticmethod
    def _body(db: Path, scenario_id: int) -> dict[str, Any]:
        with closing(sqlite3.connect(db)) as conn:
            (body,) = conn.execute(
                "SELECT body FROM scenarios WHERE id = ?", (scenario_id,)
            ).fetchone()
        return json.loads(body)  # type: ignore[no-any-return]

    def test_a_version_1_body_loads_with_no_plan(self, tmp_path: Path) -> None:
        db = tmp_path / "scenarios.sqlite3"
        v1 = copy.deepcopy(EXAMPLE_SCENARIO)
        assert v1["schema_version"] == 1 and "plan" not in v1
        with ScenarioStore(db) as store:
            client = store.create_client("Acme")
            saved = store.save_new(client.id, scenario_from_json(json.dumps(v1)))
        self._set_body(db, saved.id, json.dumps(v1))
        assert self._body(db, saved.id)["schema_version"] == 1
        with ScenarioStore(db) as store:
            _, loaded = store.load(saved.id)
            (version,) = store.history(saved.id)
            assert loaded.plan == () and version.scenario.plan == ()
            assert loaded.investment.ad_budget == 5000.0
            # saved again, it is written in the newest version with its plan
            store.save(saved.id, replace(loaded, plan=(ROW,)), expected_version=1)
            assert store.load(saved.id)[1].plan == (ROW,)
        assert self._body(db, saved.id)["schema_version"] == SCHEMA_VERSION

    def test_a_plan_survives_the_store(self, tmp_path: Path) -> None:
        scenario = Scenario(name="Plan", plan=(ROW, replace(ROW, channel="Instagram")))
        with ScenarioStore(tmp_path / "scenarios.sqlite3") as store:
            saved = store.save_new(store.create_client("Acme").id, scenario)
            assert store.load(saved.id)[1] == scenario
