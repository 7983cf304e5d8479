"""Comparing scenarios against a base: the table, its verdicts, what changed, chart tables.

Golden figures of the example scenario come from test_evaluate.py (TestEvaluateExampleGolden):
investment 7900 (5000 ads + 80 h x 30 + 500 fixed); returns sales 4576/3, support 0,
leads 5720/3, engagement 11440/9, organic traffic 320, full 45208/9; 1430/9 leads, 286/9 sales;
goals primary:sales 50 and secondary:leads 300.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

from roi_model import Channel, Evaluation, Goal, GoalMetric, GoalTier, Lens, Scenario, evaluate
from roi_model.model.compare import (
    ADDED,
    HEADLINE_METRICS,
    REMOVED,
    Change,
    Direction,
    Verdict,
    changes_table,
    channel_mix,
    check_labels,
    comparison_table,
    goal_key,
    headline_ratios,
    investment_vs_return,
    lens_returns,
    verdicts,
    what_changed,
)
from roi_model.model.vocabulary import Kind
from tests.strategies import scenarios

GOLDEN = {"rel": 1e-12}
KEYS = [metric.key for metric in HEADLINE_METRICS]


def _with_investment(scenario: Scenario, **changes: float) -> Scenario:
    return replace(scenario, investment=replace(scenario.investment, **changes))


def _with_channel(scenario: Scenario, index: int, **changes: object) -> Scenario:
    channels = list(scenario.channels)
    channels[index] = replace(channels[index], **changes)  # type: ignore[arg-type]
    return replace(scenario, channels=tuple(channels))


def _row(table: pd.DataFrame, metric: str, scenario: str) -> pd.Series:
    rows = table[(table["metric"] == metric) & (table["scenario"] == scenario)]
    assert len(rows) == 1
    return rows.iloc[0]


@pytest.fixture(scope="module")
def example_eval(example_scenario: Scenario) -> Evaluation:
    return evaluate(example_scenario)


@pytest.fixture(scope="module")
def no_fixed(example_scenario: Scenario) -> Evaluation:
    """The example without fixed costs: investment 7400, the same returns."""
    return evaluate(_with_investment(example_scenario, fixed_costs=0.0))


@pytest.fixture(scope="module")
def double_budget(example_scenario: Scenario) -> Evaluation:
    """The example with ad budget 10000: investment 12900.

    Paid impressions 1000 x 10000 / (8 x (1 + 10000/4000)) = 2500000/7, organic 80 h x 500 =
    40000, so impressions 2780000/7, visits (1 %) 27800/7, leads (5 %) 1390/7.
    """
    return evaluate(_with_investment(example_scenario, ad_budget=10_000.0))


@pytest.fixture(scope="module")
def no_leads(example_scenario: Scenario) -> Evaluation:
    """The example with a lead rate of 0: no leads, no sales, no revenue."""
    return evaluate(_with_channel(example_scenario, 0, lead_rate=0.0))


@pytest.fixture(scope="module")
def other_goals(example_scenario: Scenario) -> Evaluation:
    """The example with secondary:leads 100 (then again at 1000) and primary:visits 1000."""
    goals = (
        Goal(GoalTier.SECONDARY, GoalMetric.LEADS, 100.0),
        Goal(GoalTier.PRIMARY, GoalMetric.VISITS, 1000.0),
        Goal(GoalTier.SECONDARY, GoalMetric.LEADS, 1000.0),
    )
    return evaluate(replace(example_scenario, goals=goals))


class TestHeadlineMetrics:
    def test_display_order_kinds_and_directions(self) -> None:
        assert KEYS == [
            "investment",
            "ad_spend",
            "staff_cost",
            "fixed_costs",
            "return_sales",
            "return_support",
            "return_leads",
            "return_engagement",
            "return_organic_traffic",
            "financial_return",
            "full_return",
            "financial_net",
            "full_net",
            "financial_roi",
            "full_roi",
            "roas",
            "cost_per_lead",
            "cost_per_sale",
            "payback_financial_month",
            "payback_full_month",
            "horizon_financial_roi",
            "horizon_full_roi",
        ]
        by_key = {metric.key: metric for metric in HEADLINE_METRICS}
        assert {k for k, m in by_key.items() if m.direction is Direction.NEUTRAL} == {
            "investment",
            "ad_spend",
            "staff_cost",
            "fixed_costs",
        }
        assert {k for k, m in by_key.items() if m.direction is Direction.LOWER_BETTER} == {
            "cost_per_lead",
            "cost_per_sale",
            "payback_financial_month",
            "payback_full_month",
        }
        assert {k for k, m in by_key.items() if m.kind is not Kind.MONEY} == {
            "financial_roi",
            "full_roi",
            "roas",
            "payback_financial_month",
            "payback_full_month",
            "horizon_financial_roi",
            "horizon_full_roi",
        }
        assert by_key["payback_full_month"].kind is Kind.COUNT  # a month, shown as a number
        assert by_key["horizon_full_roi"].kind is Kind.PERCENT
        assert by_key["roas"].kind is Kind.RATIO
        assert by_key["full_roi"].kind is Kind.PERCENT


class TestCheckLabels:
    @pytest.mark.parametrize(
        ("count", "labels", "base", "message"),
        [
            (0, [], 0, "at least one"),
            (2, ["a"], 0, "1 labels for 2"),
            (1, ["a", "b"], 0, "2 labels for 1"),
            (2, ["a", "a"], 0, "repeated: \\['a'\\]"),
            (2, ["a", "b"], 2, "base"),
            (2, ["a", "b"], -1, "base"),
            (2, ["a", "b"], True, "base"),
            (2, "ab", 0, "not the text"),
        ],
        ids=["none", "too-few", "too-many", "repeated", "base-past-end", "negative", "bool", "str"],
    )
    def test_refuses(self, count: int, labels: list[str], base: int, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            check_labels(count, labels, base)

    @pytest.mark.parametrize("base", [0, 1, 2], ids=["first", "middle", "last"])
    def test_accepts_any_base_in_range(self, base: int) -> None:
        check_labels(3, ["a", "b", "c"], base)


class TestGoalKey:
    def test_joins_tier_and_metric(self) -> None:
        assert goal_key(GoalTier.SECONDARY, GoalMetric.FULL_ROI) == "goal:secondary:full_roi"


VERDICT_IDS = [
    "higher-up",
    "higher-down",
    "lower-down",
    "lower-up",
    "neutral",
    "nan-value",
    "nan-base",
    "same-near-0",
    "past-tolerance-near-0",
    "same-relative",
    "past-tolerance-relative",
]


class TestVerdicts:
    @pytest.mark.parametrize(
        ("value", "base", "direction", "expected"),
        [
            (3.0, 2.0, 1, Verdict.BETTER),
            (1.0, 2.0, 1, Verdict.WORSE),
            (1.0, 2.0, -1, Verdict.BETTER),
            (3.0, 2.0, -1, Verdict.WORSE),
            (9.0, 2.0, 0, Verdict.NEUTRAL),
            (np.nan, 2.0, 1, Verdict.UNDEFINED),
            (2.0, np.nan, -1, Verdict.UNDEFINED),
            # tolerance 1e-9 x max(1, |base|): 1e-9 absolute near 0, 1e-3 at a base of 1e6
            (0.5e-9, 0.0, 1, Verdict.SAME),
            (2e-9, 0.0, 1, Verdict.BETTER),
            (1e6 + 5e-4, 1e6, 1, Verdict.SAME),
            (1e6 + 5e-3, 1e6, 1, Verdict.BETTER),
        ],
        ids=VERDICT_IDS,
    )
    def test_verdict(self, value: float, base: float, direction: int, expected: Verdict) -> None:
        assert verdicts([value], [base], [direction]).tolist() == [expected.value]

    def test_broadcasts_a_direction_per_row(self) -> None:
        got = verdicts([[1.0, 2.0], [1.0, 2.0]], [[1.0], [1.0]], [[1], [-1]])
        assert got.tolist() == [["same", "better"], ["same", "worse"]]
        assert got.dtype == object


class TestComparisonTable:
    def test_rows_are_metrics_by_scenario_in_order(
        self, example_eval: Evaluation, no_fixed: Evaluation
    ) -> None:
        table = comparison_table([example_eval, no_fixed], ["base", "lean"])
        goals = ["goal:primary:sales", "goal:secondary:leads"]
        assert table["metric"].tolist() == [key for key in KEYS + goals for _ in range(2)]
        assert table["scenario"].tolist() == ["base", "lean"] * (len(KEYS) + 2)
        assert table["is_base"].tolist() == [True, False] * (len(KEYS) + 2)
        assert list(table.columns) == [
            "metric",
            "kind",
            "direction",
            "scenario",
            "is_base",
            "value",
            "base_value",
            "diff",
            "diff_pct",
            "verdict",
        ]
        assert table["direction"].dtype == np.int64
        assert _row(table, "cost_per_lead", "lean")["direction"] == -1
        assert _row(table, "investment", "lean")["kind"] == "money"
        assert _row(table, "goal:primary:sales", "lean")["kind"] == "percent"

    def test_headline_values_of_the_example(self, example_eval: Evaluation) -> None:
        table = comparison_table([example_eval], ["only"])
        expected = [
            7900,
            5000,
            2400,
            500,
            4576 / 3,
            0,
            5720 / 3,
            11440 / 9,
            320,
            4576 / 3,
            45208 / 9,
            4576 / 3 - 7900,
            45208 / 9 - 7900,
            -4781 / 5925,
            -6473 / 17775,
            286 / 375,
            7110 / 143,
            35550 / 143,
            # the months ahead: every month is the same loss, so no payback within the year
            # (NaN) and the ROIs at the horizon are the month's
            math.nan,
            math.nan,
            -4781 / 5925,
            -6473 / 17775,
            # attainment: 286/9 sales of 50; 1430/9 leads of 300
            286 / 9 / 50,
            1430 / 9 / 300,
        ]
        assert table["value"].tolist() == pytest.approx(expected, nan_ok=True, **GOLDEN)

    def test_neutral_money_diff_and_percent(
        self, example_eval: Evaluation, no_fixed: Evaluation
    ) -> None:
        # investment 7400 vs 7900: -500, -500/7900; fixed costs 0 vs 500: -500, -100 %
        table = comparison_table([example_eval, no_fixed], ["base", "lean"])
        row = _row(table, "investment", "lean")
        assert (row["value"], row["base_value"], row["diff"]) == (7400.0, 7900.0, -500.0)
        assert row["diff_pct"] == pytest.approx(-5 / 79, **GOLDEN)
        assert row["verdict"] == "neutral"
        fixed = _row(table, "fixed_costs", "lean")
        assert (fixed["diff"], fixed["diff_pct"], fixed["verdict"]) == (-500.0, -1.0, "neutral")

    def test_lower_is_better_when_the_cost_per_lead_falls(
        self, example_eval: Evaluation, no_fixed: Evaluation
    ) -> None:
        # 7400 / (1430/9) = 6660/143 against 7110/143: -450/143, -450/7110 = -5/79
        table = comparison_table([example_eval, no_fixed], ["base", "lean"])
        row = _row(table, "cost_per_lead", "lean")
        assert row["value"] == pytest.approx(6660 / 143, **GOLDEN)
        assert row["diff"] == pytest.approx(-450 / 143, **GOLDEN)
        assert row["diff_pct"] == pytest.approx(-5 / 79, **GOLDEN)
        assert row["verdict"] == "better"

    def test_lower_is_better_when_the_cost_per_lead_rises(
        self, example_eval: Evaluation, double_budget: Evaluation
    ) -> None:
        # 12900 / (1390/7) = 90300/1390 = 64.96 against 7110/143 = 49.72
        table = comparison_table([example_eval, double_budget], ["base", "double"])
        row = _row(table, "cost_per_lead", "double")
        assert row["value"] == pytest.approx(90300 / 1390, **GOLDEN)
        assert row["diff"] == pytest.approx(90300 / 1390 - 7110 / 143, **GOLDEN)
        assert row["verdict"] == "worse"
        spend = _row(table, "ad_spend", "double")
        assert (spend["diff"], spend["diff_pct"], spend["verdict"]) == (5000.0, 1.0, "neutral")

    def test_higher_is_better_for_net_and_roi(
        self, example_eval: Evaluation, no_fixed: Evaluation
    ) -> None:
        # full net -2376.89 vs -2876.89: +500, 500 / |45208/9 - 7900| = 4500/25892
        table = comparison_table([example_eval, no_fixed], ["base", "lean"])
        net = _row(table, "full_net", "lean")
        assert net["diff"] == pytest.approx(500.0, **GOLDEN)
        assert net["diff_pct"] == pytest.approx(4500 / 25892, **GOLDEN)
        assert net["verdict"] == "better"
        roi = _row(table, "financial_roi", "lean")
        assert roi["value"] == pytest.approx((4576 / 3 - 7400) / 7400, **GOLDEN)
        assert roi["verdict"] == "better"

    def test_unchanged_figures_are_same_and_zero_base_has_no_percent(
        self, example_eval: Evaluation, no_fixed: Evaluation
    ) -> None:
        table = comparison_table([example_eval, no_fixed], ["base", "lean"])
        sales = _row(table, "return_sales", "lean")
        assert (sales["diff"], sales["diff_pct"], sales["verdict"]) == (0.0, 0.0, "same")
        support = _row(table, "return_support", "lean")  # 0 against 0
        assert support["diff"] == 0.0
        assert math.isnan(support["diff_pct"])
        assert support["verdict"] == "same"

    def test_no_leads_makes_cost_per_lead_undefined(
        self, example_eval: Evaluation, no_leads: Evaluation
    ) -> None:
        table = comparison_table([example_eval, no_leads], ["base", "cold"])
        for metric in ("cost_per_lead", "cost_per_sale"):
            row = _row(table, metric, "cold")
            assert math.isnan(row["value"]) and math.isnan(row["diff"])
            assert math.isnan(row["diff_pct"])
            assert row["verdict"] == "undefined"
        leads = _row(table, "return_leads", "cold")  # 0 against 5720/3
        assert leads["diff"] == pytest.approx(-5720 / 3, **GOLDEN)
        assert (leads["diff_pct"], leads["verdict"]) == (-1.0, "worse")
        roas = _row(table, "roas", "cold")  # 0 revenue / 5000 against 286/375
        assert (roas["value"], roas["diff_pct"], roas["verdict"]) == (0.0, -1.0, "worse")

    def test_an_undefined_base_makes_every_row_undefined(
        self, example_eval: Evaluation, no_leads: Evaluation
    ) -> None:
        table = comparison_table([example_eval, no_leads], ["base", "cold"], base=1)
        rows = table[table["metric"] == "cost_per_lead"]
        assert rows["is_base"].tolist() == [False, True]
        assert rows["verdict"].tolist() == ["undefined", "undefined"]
        assert rows["base_value"].isna().all()

    def test_another_base(self, example_eval: Evaluation, no_fixed: Evaluation) -> None:
        # against the lean scenario the example invests 500 more: +500 / 7400
        table = comparison_table([example_eval, no_fixed], ["base", "lean"], base=1)
        row = _row(table, "investment", "base")
        assert (row["base_value"], row["diff"], row["is_base"]) == (7400.0, 500.0, False)
        assert row["diff_pct"] == pytest.approx(5 / 74, **GOLDEN)
        assert _row(table, "cost_per_lead", "base")["verdict"] == "worse"

    def test_base_rows_are_same_neutral_or_undefined(
        self, example_eval: Evaluation, no_leads: Evaluation
    ) -> None:
        table = comparison_table([no_leads, example_eval], ["cold", "base"])
        base = table[table["is_base"]]
        assert (base["scenario"] == "cold").all()
        expected = {m.key: "neutral" if m.direction == 0 else "same" for m in HEADLINE_METRICS}
        expected |= {"cost_per_lead": "undefined", "cost_per_sale": "undefined"}
        expected |= {"payback_financial_month": "undefined", "payback_full_month": "undefined"}
        expected |= {"goal:primary:sales": "same", "goal:secondary:leads": "same"}
        assert dict(zip(base["metric"], base["verdict"], strict=True)) == expected

    def test_goals_matched_by_tier_and_metric(
        self, example_eval: Evaluation, other_goals: Evaluation
    ) -> None:
        table = comparison_table([example_eval, other_goals], ["base", "goals"])
        goal_rows = table[table["metric"].str.startswith("goal:")]
        # union in order of first appearance: the base's two, then the other's new one
        assert list(dict.fromkeys(goal_rows["metric"])) == [
            "goal:primary:sales",
            "goal:secondary:leads",
            "goal:primary:visits",
        ]
        assert (goal_rows["kind"] == "percent").all() and (goal_rows["direction"] == 1).all()
        # the first secondary:leads counts: 1430/9 of 100 = 143/90 against 143/270
        leads = _row(table, "goal:secondary:leads", "goals")
        assert leads["value"] == pytest.approx(143 / 90, **GOLDEN)
        assert leads["diff"] == pytest.approx(143 / 135, **GOLDEN)
        assert leads["diff_pct"] == pytest.approx(2.0, **GOLDEN)
        assert leads["verdict"] == "better"
        # a goal missing on either side is NaN and undefined, the base's own row included
        sales = _row(table, "goal:primary:sales", "goals")
        assert math.isnan(sales["value"]) and sales["verdict"] == "undefined"
        visits = table[table["metric"] == "goal:primary:visits"]
        assert math.isnan(visits["value"].iloc[0])
        assert visits["value"].iloc[1] == pytest.approx(28600 / 9 / 1000, **GOLDEN)
        assert visits["verdict"].tolist() == ["undefined", "undefined"]

    def test_uncounted_lens_is_zero_and_lenses_add_up_to_full_return(
        self, clinic_scenario: Scenario
    ) -> None:
        table = comparison_table([evaluate(clinic_scenario)], ["clinic"])
        values = dict(zip(table["metric"], table["value"], strict=True))
        assert values["return_engagement"] == 0.0  # engagement lens is off in the clinic
        lens_sum = sum(values[f"return_{lens}"] for lens in Lens)
        assert lens_sum == pytest.approx(values["full_return"], rel=1e-12)

    def test_three_scenarios_share_one_base(
        self, example_eval: Evaluation, no_fixed: Evaluation, double_budget: Evaluation
    ) -> None:
        table = comparison_table([example_eval, no_fixed, double_budget], ["a", "b", "c"])
        rows = table[table["metric"] == "investment"]
        assert rows["base_value"].tolist() == [7900.0] * 3
        assert rows["diff"].tolist() == [0.0, -500.0, 5000.0]

    @pytest.mark.parametrize(
        ("labels", "base"),
        [([], 0), (["a"], 0), (["a", "a"], 0), (["a", "b"], 2), (["a", "b"], -1)],
        ids=["no-labels", "too-few", "repeated", "base-past-end", "negative-base"],
    )
    def test_refuses_bad_labels_or_base(
        self, example_eval: Evaluation, labels: list[str], base: int
    ) -> None:
        with pytest.raises(ValueError):
            comparison_table([example_eval, example_eval], labels, base)

    def test_refuses_no_evaluation(self) -> None:
        with pytest.raises(ValueError, match="at least one"):
            comparison_table([], [])

    @settings(max_examples=30)
    @given(scenario=scenarios())
    def test_compared_with_itself_nothing_differs(self, scenario: Scenario) -> None:
        evaluation = evaluate(scenario)
        table = comparison_table([evaluation, evaluation], ["a", "b"])
        assert set(table["verdict"]) <= {"same", "neutral", "undefined"}
        defined = table["value"].notna()
        assert (table.loc[defined, "diff"] == 0).all()
        assert table.loc[~defined, "diff"].isna().all()
        assert (table.loc[~defined, "verdict"] == "undefined").all()
        assert table["value"].tolist()[::2] == pytest.approx(
            table["value"].tolist()[1::2], nan_ok=True
        )


class TestWhatChanged:
    def test_nothing_changed(self, example_scenario: Scenario) -> None:
        assert what_changed(example_scenario, example_scenario) == []

    def test_the_name_is_not_a_change(self, example_scenario: Scenario) -> None:
        assert what_changed(example_scenario, replace(example_scenario, name="Otro")) == []

    def test_budget_change(self, example_scenario: Scenario) -> None:
        other = _with_investment(example_scenario, ad_budget=10_000.0)
        assert what_changed(example_scenario, other) == [
            Change("investment.ad_budget", 5000.0, 10_000.0)
        ]

    def test_value_currency_and_lens(self, example_scenario: Scenario) -> None:
        other = replace(
            example_scenario,
            currency="USD",
            values=replace(example_scenario.values, lead=20.0),
            lenses=replace(example_scenario.lenses, engagement=False),
        )
        assert what_changed(example_scenario, other) == [
            Change("currency", "EUR", "USD"),
            Change("values.lead", 15.0, 20.0),
            Change("lenses.engagement", True, False),
        ]

    def test_channel_field_named_by_channel(self, clinic_scenario: Scenario) -> None:
        other = _with_channel(clinic_scenario, 1, cpm=25.0, saturation_spend=5000.0)
        assert what_changed(clinic_scenario, other) == [
            Change("channels[LinkedIn].cpm", 20.0, 25.0),
            Change("channels[LinkedIn].saturation_spend", None, 5000.0),
        ]

    def test_reordered_channels_are_no_change(self, clinic_scenario: Scenario) -> None:
        reordered = replace(clinic_scenario, channels=clinic_scenario.channels[::-1])
        assert what_changed(clinic_scenario, reordered) == []
        changed = _with_channel(reordered, 0, fit=0.5)  # Twitter, now first
        assert what_changed(clinic_scenario, changed) == [
            Change("channels[Twitter].fit", 0.25, 0.5)
        ]

    def test_channel_added_and_removed(self, clinic_scenario: Scenario) -> None:
        instagram, linkedin, _twitter = clinic_scenario.channels
        other = replace(clinic_scenario, channels=(Channel("TikTok"), linkedin, instagram))
        # base order first (Twitter removed), then the added ones
        assert what_changed(clinic_scenario, other) == [
            Change("channels[Twitter]", None, REMOVED),
            Change("channels[TikTok]", None, ADDED),
        ]

    def test_goal_target_changed_and_reordered_goals(self, example_scenario: Scenario) -> None:
        sales, leads = example_scenario.goals
        other = replace(example_scenario, goals=(replace(leads, target=100.0), sales))
        assert what_changed(example_scenario, other) == [
            Change("goals[secondary:leads].target", 300.0, 100.0)
        ]

    def test_goal_added_and_removed(self, example_scenario: Scenario) -> None:
        visits = Goal(GoalTier.PRIMARY, GoalMetric.VISITS, 1000.0)
        other = replace(example_scenario, goals=(example_scenario.goals[1], visits))
        assert what_changed(example_scenario, other) == [
            Change("goals[primary:sales]", None, REMOVED),
            Change("goals[primary:visits]", None, ADDED),
        ]

    def test_repeated_goal_matched_by_occurrence(self, example_scenario: Scenario) -> None:
        leads = example_scenario.goals[1]
        base = replace(example_scenario, goals=(leads, leads))
        other = replace(example_scenario, goals=(leads, replace(leads, target=500.0)))
        assert what_changed(base, other) == [
            Change("goals[secondary:leads#2].target", 300.0, 500.0)
        ]

    def test_changes_in_scenario_file_order(self, clinic_scenario: Scenario) -> None:
        other = replace(
            _with_channel(_with_investment(clinic_scenario, fixed_costs=0.0), 0, ctr=0.01),
            goals=clinic_scenario.goals[:1],
            lenses=replace(clinic_scenario.lenses, leads=False),
            currency="MXN",
        )
        assert [change.field for change in what_changed(clinic_scenario, other)] == [
            "currency",
            "investment.fixed_costs",
            "lenses.leads",
            "channels[Instagram].ctr",
            "goals[secondary:full_roi]",
            "goals[secondary:support_queries]",
            "goals[secondary:financial_roi]",
        ]


class TestChangesTable:
    def test_rows_for_every_scenario_but_the_base(self, example_scenario: Scenario) -> None:
        lean = _with_investment(example_scenario, fixed_costs=0.0)
        renamed = replace(example_scenario, name="Copy")
        table = changes_table([example_scenario, lean, renamed], ["base", "lean", "copy"])
        assert list(table.columns) == ["scenario", "field", "base_value", "value"]
        assert table.to_dict("records") == [
            {
                "scenario": "lean",
                "field": "investment.fixed_costs",
                "base_value": 500.0,
                "value": 0.0,
            },
        ]
        assert all(pd.api.types.is_object_dtype(table[column]) for column in table.columns)

    def test_another_base_and_values_keep_their_type(self, clinic_scenario: Scenario) -> None:
        off = replace(clinic_scenario, lenses=replace(clinic_scenario.lenses, leads=False))
        extra = replace(clinic_scenario, channels=(*clinic_scenario.channels, Channel("TikTok")))
        table = changes_table([clinic_scenario, off, extra], ["a", "b", "c"], base=1)
        assert table["scenario"].tolist() == ["a", "c", "c"]
        assert table["field"].tolist() == ["lenses.leads", "lenses.leads", "channels[TikTok]"]
        assert table["base_value"].tolist() == [False, False, None]
        assert table["value"].tolist() == [True, True, ADDED]
        assert table["value"].iloc[0] is True

    def test_a_single_scenario_has_an_empty_table_with_columns(
        self, example_scenario: Scenario
    ) -> None:
        table = changes_table([example_scenario], ["only"])
        assert table.empty
        assert list(table.columns) == ["scenario", "field", "base_value", "value"]

    def test_refuses_repeated_labels(self, example_scenario: Scenario) -> None:
        with pytest.raises(ValueError, match="unique"):
            changes_table([example_scenario, example_scenario], ["x", "x"])


class TestHeadlineRatios:
    def test_three_ratios_per_scenario(
        self, example_eval: Evaluation, no_leads: Evaluation
    ) -> None:
        table = headline_ratios([example_eval, no_leads], ["base", "cold"])
        assert list(table.columns) == ["scenario", "metric", "value"]
        assert table["scenario"].tolist() == ["base"] * 3 + ["cold"] * 3
        assert table["metric"].tolist() == ["financial_roi", "full_roi", "roas"] * 2
        assert table["value"].iloc[:3].tolist() == pytest.approx(
            [-4781 / 5925, -6473 / 17775, 286 / 375], **GOLDEN
        )
        assert table["value"].iloc[5] == 0.0  # no sales, no revenue: ROAS 0 of 5000

    def test_refuses_mismatched_labels(self, example_eval: Evaluation) -> None:
        with pytest.raises(ValueError, match="labels"):
            headline_ratios([example_eval], ["a", "b"])


class TestInvestmentVsReturn:
    def test_one_row_per_scenario(self, example_eval: Evaluation, no_fixed: Evaluation) -> None:
        table = investment_vs_return([example_eval, no_fixed], ["base", "lean"])
        assert list(table.columns) == [
            "scenario",
            "investment",
            "financial_return",
            "full_return",
            "full_net",
        ]
        assert table["scenario"].tolist() == ["base", "lean"]
        assert table.iloc[0, 1:].tolist() == pytest.approx(
            [7900, 4576 / 3, 45208 / 9, 45208 / 9 - 7900], **GOLDEN
        )
        assert table["full_net"].iloc[1] == pytest.approx(45208 / 9 - 7400, **GOLDEN)


class TestChannelMix:
    def test_clinic_shares_and_amounts(self, clinic_scenario: Scenario) -> None:
        # budget shares 0.3/0.2/0 of 6000: 3600, 2400, 0; hours 0.2/0.3/0.3 of 100 h
        table = channel_mix([evaluate(clinic_scenario)], ["clinic"])
        assert list(table.columns) == ["scenario", "channel", "measure", "share", "amount"]
        assert table["measure"].tolist() == ["spend"] * 3 + ["hours"] * 3
        assert table["channel"].tolist() == ["Instagram", "LinkedIn", "Twitter"] * 2
        assert table["share"].tolist() == pytest.approx([0.6, 0.4, 0, 0.25, 0.375, 0.375])
        assert table["amount"].tolist() == pytest.approx([3600, 2400, 0, 25, 37.5, 37.5])

    def test_nothing_spent_has_all_zero_shares(self, example_scenario: Scenario) -> None:
        idle = _with_investment(example_scenario, ad_budget=0.0, staff_hours=0.0)
        table = channel_mix([evaluate(example_scenario), evaluate(idle)], ["base", "idle"])
        assert table["scenario"].tolist() == ["base", "base", "idle", "idle"]
        assert table["share"].tolist() == [1.0, 1.0, 0.0, 0.0]
        assert table["amount"].tolist() == [5000.0, 80.0, 0.0, 0.0]

    @settings(max_examples=20)
    @given(first=scenarios(), second=scenarios())
    def test_shares_sum_to_1_per_scenario_and_measure(
        self, first: Scenario, second: Scenario
    ) -> None:
        table = channel_mix([evaluate(first), evaluate(second)], ["a", "b"])
        for label, scenario in (("a", first), ("b", second)):
            rows = table[table["scenario"] == label]
            assert len(rows) == 2 * len(scenario.channels)
            for measure, total in (
                ("spend", scenario.investment.ad_budget),
                ("hours", scenario.investment.staff_hours),
            ):
                shares = rows.loc[rows["measure"] == measure, "share"]
                assert shares.sum() == pytest.approx(1.0 if total > 0 else 0.0)
                assert ((shares >= 0) & (shares <= 1 + 1e-12)).all()
                amounts = rows.loc[rows["measure"] == measure, "amount"]
                assert amounts.sum() == pytest.approx(total)


class TestLensReturns:
    def test_uncounted_lens_is_zero_and_marked(self, clinic_scenario: Scenario) -> None:
        evaluation = evaluate(clinic_scenario)
        table = lens_returns([evaluation], ["clinic"])
        assert list(table.columns) == ["scenario", "lens", "amount", "counted"]
        assert table["lens"].tolist() == [lens.value for lens in Lens]
        assert table["counted"].tolist() == [True, True, True, False, True]
        assert table.loc[table["lens"] == "engagement", "amount"].tolist() == [0.0]
        assert evaluation.returns.engagement > 0  # the lens has a value, it is just not counted

    def test_example_amounts(self, example_eval: Evaluation, no_leads: Evaluation) -> None:
        table = lens_returns([example_eval, no_leads], ["base", "cold"])
        assert table["scenario"].tolist() == ["base"] * 5 + ["cold"] * 5
        assert table["amount"].iloc[:5].tolist() == pytest.approx(
            [4576 / 3, 0, 5720 / 3, 11440 / 9, 320], **GOLDEN
        )
        assert table["amount"].iloc[5:8].tolist() == [0.0, 0.0, 0.0]  # no leads, no sales

    @settings(max_examples=30)
    @given(scenario=scenarios())
    def test_amounts_add_up_to_the_full_return(self, scenario: Scenario) -> None:
        evaluation = evaluate(scenario)
        table = lens_returns([evaluation], ["x"])
        assert table["amount"].sum() == pytest.approx(evaluation.returns.full, rel=1e-9, abs=1e-6)
        assert not table.loc[~table["counted"], "amount"].any()
