"""evaluate: golden values worked out by hand, and the mathematics as properties."""

from __future__ import annotations

import math
from dataclasses import fields, replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_model import (
    ActionValues,
    Channel,
    Evaluation,
    Goal,
    GoalMetric,
    GoalTier,
    Investment,
    Lens,
    Lenses,
    Scenario,
    enabled_lenses,
    evaluate,
)
from roi_model.model.evaluate import (
    COUNT_COLUMNS,
    channel_arrays,
    channel_columns,
    channel_table,
    funnel,
    goal_table,
    lens_values,
    normalised,
)
from tests.strategies import floats, investments, scenarios

GOLDEN = {"rel": 1e-9}

# --------------------------------------------------------------------------------------------
# (a) The example: one channel, Facebook. Worked out by hand (fractions kept exact):
#   spend   = 5000 * 0.4 / 0.4 = 5000;   hours = 80 * 0.3 / 0.3 = 80
#   paid    = 1000 * 5000 / (8 * (1 + 5000/4000)) = 5e6 / 18 = 2500000/9 = 277777.78
#   organic = 80 * 500 = 40000;   impressions = 2860000/9 = 317777.78
#   likes   = 317777.78 * 0.02 * 1 = 6355.56;  comments = * 0.002 = 635.56
#   shares  = * 0.001 = 317.78;  video views = * 0.05 = 15888.89;  visits = * 0.01 = 3177.78
#   engagements = likes + comments + shares = 7308.89
#   organic visits = 3177.78 * 40000 / 317777.78 = 40000 * 0.01 = 400
#   leads   = 3177.78 * 0.05 = 158.89;  sales = 158.89 * 0.2 = 31.78
#   revenue = 31.78 * 120 = 3813.33;  support queries = 80 * 0 = 0
#   return: sales   = 3813.33 * 0.4 = 1525.33;  support = 0
#           leads   = (158.89 - 31.78) * 15 = 1906.67
#           engagement = 6355.56*0.05 + 635.56*0.5 + 317.78*1 + 15888.89*0.02
#                      = 317.78 * 4 = 1271.11
#           organic traffic = 400 * 0.8 = 320
#   financial = 1525.33;  full = 1525.33 + 1906.67 + 1271.11 + 320 = 5023.11
#   investment: channel = 5000 + 80*30 = 7400;  total = 7400 + 500 = 7900
# --------------------------------------------------------------------------------------------
EXAMPLE_CHANNEL: dict[str, float] = {
    "spend": 5000.0,
    "hours": 80.0,
    "investment": 7400.0,
    "paid_impressions": 2_500_000 / 9,
    "organic_impressions": 40_000.0,
    "impressions": 2_860_000 / 9,
    "likes": 57_200 / 9,
    "comments": 5_720 / 9,
    "shares": 2_860 / 9,
    "video_views": 143_000 / 9,
    "engagements": 65_780 / 9,
    "visits": 28_600 / 9,
    "organic_visits": 400.0,
    "leads": 1_430 / 9,
    "sales": 286 / 9,
    "revenue": 11_440 / 3,
    "support_queries": 0.0,
    "new_followers": 0.0,
    "followers": 0.0,
    "return_sales": 4_576 / 3,
    "return_support": 0.0,
    "return_leads": 5_720 / 3,
    "return_engagement": 11_440 / 9,
    "return_organic_traffic": 320.0,
    "financial_return": 4_576 / 3,
    "full_return": 45_208 / 9,
    # channel ROI uses the channel's investment (fixed costs are not allocated):
    # (1525.33 - 7400) / 7400 = -0.79387;  (5023.11 - 7400) / 7400 = -0.32120
    "financial_roi": -2_203 / 2_775,
    "full_roi": -2_674 / 8_325,
    # roas = 3813.33 / 5000;  cost per lead = 7400 / 158.89;  per sale = 7400 / 31.78
    "roas": 286 / 375,
    "cost_per_lead": 7_400 / (1_430 / 9),
    "cost_per_sale": 7_400 / (286 / 9),
    # marginal: slope = 1000 / (8 * (1 + 5000/4000)^2) = 1000 / 40.5 = 24.691358
    #   full return of one paid impression:
    #     sales      0.01 * 1 * 0.05 * 0.2 * 120 * 0.4           = 0.0048
    #     leads      0.01 * 1 * 0.05 * (1 - 0.2) * 15            = 0.006
    #     engagement 1 * (0.02*0.05 + 0.002*0.5 + 0.001*1 + 0.05*0.02) = 0.004
    #     organic traffic: a paid impression adds no organic visit = 0
    #   marginal ROI = 0.0148 * 24.691358 - 1 = -0.634568
    #   marginal financial ROI = 0.0048 * 24.691358 - 1 = -0.881481
    "marginal_roi": 0.0148 * 1000 / 40.5 - 1,
    "marginal_financial_roi": 0.0048 * 1000 / 40.5 - 1,
    "spend_share": 1.0,
    "hours_share": 1.0,
    "return_share": 1.0,
    "fit": 1.0,
}

# --------------------------------------------------------------------------------------------
# (b) The clinic: Instagram, LinkedIn, Twitter (see conftest.CLINIC_SCENARIO).
#   budget shares 0.3/0.2/0 (sum 0.5): spend = 6000*0.3/0.5 = 3600, 6000*0.2/0.5 = 2400, 0
#   hours shares 0.2/0.3/0.3 (sum 0.8): hours = 100*0.2/0.8 = 25, 37.5, 37.5
#   Instagram (saturation 3000, fit 0.9):
#     paid = 1000*3600/(6*(1+3600/3000)) = 3.6e6/13.2 = 272727.27;  organic = 25*400 = 10000
#     impressions = 282727.27;  reach = *0.9 = 254454.55
#     likes = 254454.55*0.03 = 7633.64;  comments = *0.004 = 1017.82;  shares = *0.002 = 508.91
#     video views = *0.1 = 25445.45;  visits = *0.008 = 2035.64
#     organic visits = 10000 * 0.9 * 0.008 = 72
#     leads = 2035.64*0.04 = 81.43;  sales = 81.43*0.25 = 20.36;  revenue = *200 = 4071.27
#     support queries = 25 * 0.5 = 12.5
#     return sales = 4071.27*0.5 = 2035.64;  support = 12.5*4 = 50
#            leads = (81.43 - 20.36)*20 = 1221.38;  organic = 72*0.5 = 36
#            engagement (reported, lens off) = 7633.64*0.1 + 1017.82*0.4 + 508.91*0.8
#                                               + 25445.45*0.01 = 1832.07
#     financial = 2085.64;  full = 2085.64 + 1221.38 + 36 = 3343.02
#     investment = 3600 + 25*25 = 4225
#   LinkedIn (no saturation, fit 0.5):
#     paid = 1000*2400/20 = 120000;  organic = 37.5*100 = 3750;  impressions = 123750
#     reach = 61875;  likes = 618.75;  comments = 123.75;  shares = 61.875;  video views = 0
#     visits = 61875*0.015 = 928.125;  organic visits = 3750*0.5*0.015 = 28.125
#     leads = 92.8125;  sales = 9.28125;  revenue = 1856.25;  support = 37.5*0.2 = 7.5
#     return sales = 928.125;  support = 30;  leads = (92.8125-9.28125)*20 = 1670.625
#            organic = 14.0625;  engagement (off) = 61.875 + 49.5 + 49.5 + 0 = 160.875
#     financial = 958.125;  full = 958.125 + 1670.625 + 14.0625 = 2642.8125
#     investment = 2400 + 37.5*25 = 3337.5
#   Twitter (no spend, CPM 0, fit 0.25):
#     paid = 0;  organic = 37.5*200 = 7500;  reach = 1875
#     likes = 9.375;  comments = 1.875;  shares = 0.9375;  video views = 37.5;  visits = 7.5
#     organic visits = 7.5;  leads = 0.15;  sales = 0.075;  revenue = 15;  support = 37.5
#     return sales = 7.5;  support = 150;  leads = 1.5;  organic = 3.75;  engagement = 2.8125
#     financial = 157.5;  full = 162.75;  investment = 937.5
#   marginal: Instagram slope = 1000/(6*2.2^2) = 34.435262
#               per paid impression: sales 0.008*0.9*0.04*0.25*200*0.5 = 0.0072
#                                    leads 0.008*0.9*0.04*0.75*20       = 0.00432
#               marginal ROI = 0.01152*34.435262 - 1 = -0.603306 (= -73/121)
#             LinkedIn slope = 1000/20 = 50
#               per paid impression: sales 0.015*0.5*0.1*0.1*200*0.5 = 0.0075
#                                    leads 0.015*0.5*0.1*0.9*20       = 0.0135
#               marginal ROI = 0.021*50 - 1 = 0.05
#             Twitter: CPM 0, no next impression to price: undefined (NaN)
# --------------------------------------------------------------------------------------------
CLINIC_CHANNELS: dict[str, dict[str, float]] = {
    "Instagram": {
        "spend": 3600.0,
        "hours": 25.0,
        "investment": 4225.0,
        "paid_impressions": 3_000_000 / 11,
        "organic_impressions": 10_000.0,
        "impressions": 3_110_000 / 11,
        "likes": 83_970 / 11,
        "comments": 11_196 / 11,
        "shares": 5_598 / 11,
        "video_views": 279_900 / 11,
        "engagements": 100_764 / 11,
        "visits": 22_392 / 11,
        "organic_visits": 72.0,
        "leads": 22_392 / 275,
        "sales": 5_598 / 275,
        "revenue": 44_784 / 11,
        "support_queries": 12.5,
        "new_followers": 0.0,
        "followers": 0.0,
        "return_sales": 22_392 / 11,
        "return_support": 50.0,
        "return_leads": 67_176 / 55,
        "return_engagement": 100_764 / 55,
        "return_organic_traffic": 36.0,
        "financial_return": 22_942 / 11,
        "full_return": 183_866 / 55,
        "financial_roi": -23_533 / 46_475,
        "full_roi": -48_509 / 232_375,
        "roas": 44_784 / 11 / 3600,
        "cost_per_lead": 4225 / (22_392 / 275),
        "cost_per_sale": 4225 / (5_598 / 275),
        "marginal_roi": -73 / 121,
        "marginal_financial_roi": -91 / 121,
        "spend_share": 0.6,
        "hours_share": 0.25,
        "fit": 0.9,
    },
    "LinkedIn": {
        "spend": 2400.0,
        "hours": 37.5,
        "investment": 3337.5,
        "paid_impressions": 120_000.0,
        "organic_impressions": 3750.0,
        "impressions": 123_750.0,
        "likes": 618.75,
        "comments": 123.75,
        "shares": 61.875,
        "video_views": 0.0,
        "engagements": 804.375,
        "visits": 928.125,
        "organic_visits": 28.125,
        "leads": 92.8125,
        "sales": 9.28125,
        "revenue": 1856.25,
        "support_queries": 7.5,
        "new_followers": 0.0,
        "followers": 0.0,
        "return_sales": 928.125,
        "return_support": 30.0,
        "return_leads": 1670.625,
        "return_engagement": 160.875,
        "return_organic_traffic": 14.0625,
        "financial_return": 958.125,
        "full_return": 2642.8125,
        "financial_roi": -1_269 / 1_780,
        "full_roi": -741 / 3_560,
        "roas": 1856.25 / 2400,
        "cost_per_lead": 3337.5 / 92.8125,
        "cost_per_sale": 3337.5 / 9.28125,
        "marginal_roi": 0.05,
        "marginal_financial_roi": -0.625,
        "spend_share": 0.4,
        "hours_share": 0.375,
        "fit": 0.5,
    },
    "Twitter": {
        "spend": 0.0,
        "hours": 37.5,
        "investment": 937.5,
        "paid_impressions": 0.0,
        "organic_impressions": 7500.0,
        "impressions": 7500.0,
        "likes": 9.375,
        "comments": 1.875,
        "shares": 0.9375,
        "video_views": 37.5,
        "engagements": 12.1875,
        "visits": 7.5,
        "organic_visits": 7.5,
        "leads": 0.15,
        "sales": 0.075,
        "revenue": 15.0,
        "support_queries": 37.5,
        "new_followers": 0.0,
        "followers": 0.0,
        "return_sales": 7.5,
        "return_support": 150.0,
        "return_leads": 1.5,
        "return_engagement": 2.8125,
        "return_organic_traffic": 3.75,
        "financial_return": 157.5,
        "full_return": 162.75,
        "financial_roi": -0.832,
        "full_roi": -0.8264,
        "cost_per_lead": 937.5 / 0.15,
        "cost_per_sale": 937.5 / 0.075,
        "spend_share": 0.0,
        "hours_share": 0.375,
        "fit": 0.25,
    },
}
CLINIC_UNDEFINED = [
    ("Twitter", "roas"),
    ("Twitter", "marginal_roi"),
    ("Twitter", "marginal_financial_roi"),
]
#   totals (sums of the channels): full return = 3343.02 + 2642.81 + 162.75 = 6148.58
#   investment = 6000 + 100*25 + 1000 = 9500
CLINIC_TOTALS: dict[str, float] = {
    "spend": 6000.0,
    "hours": 100.0,
    "investment": 8500.0,
    "paid_impressions": 4_320_000 / 11,
    "organic_impressions": 21_250.0,
    "impressions": 4_553_750 / 11,
    "likes": 727_035 / 88,
    "comments": 100_623 / 88,
    "shares": 100_623 / 176,
    "video_views": 560_625 / 22,
    "engagements": 1_755_939 / 176,
    "visits": 261_471 / 88,
    "organic_visits": 107.625,
    "leads": 767_307 / 4400,
    "sales": 261_471 / 8800,
    "revenue": 261_471 / 44,
    "support_queries": 57.5,
    "new_followers": 0.0,
    "followers": 0.0,
    "return_sales": 261_471 / 88,
    "return_support": 230.0,
    "return_leads": 1_273_143 / 440,
    "return_engagement": 1_756_269 / 880,
    "return_organic_traffic": 53.8125,
    "financial_return": 281_711 / 88,
    "full_return": 5_410_751 / 880,
}


@pytest.fixture(scope="module")
def example_eval(example_scenario: Scenario) -> Evaluation:
    return evaluate(example_scenario)


@pytest.fixture(scope="module")
def clinic_eval(clinic_scenario: Scenario) -> Evaluation:
    return evaluate(clinic_scenario)


def _full_return_with_spend(scenario: Scenario, index: int, delta: float) -> float:
    """The full return with one channel's spend moved by ``delta``, the others' unchanged."""
    spends = evaluate(scenario).channels["spend"].to_numpy().copy()
    spends[index] += delta
    channels = tuple(
        replace(channel, budget_share=float(spend))
        for channel, spend in zip(scenario.channels, spends, strict=True)
    )
    investment = replace(scenario.investment, ad_budget=float(spends.sum()))
    return evaluate(replace(scenario, investment=investment, channels=channels)).returns.full


class TestEvaluateExampleGolden:
    @pytest.mark.parametrize(("column", "expected"), EXAMPLE_CHANNEL.items(), ids=EXAMPLE_CHANNEL)
    def test_channel_figure(self, example_eval: Evaluation, column: str, expected: float) -> None:
        assert example_eval.channels.loc["Facebook", column] == pytest.approx(expected, **GOLDEN)

    @pytest.mark.parametrize("column", COUNT_COLUMNS, ids=COUNT_COLUMNS)
    def test_totals_of_one_channel_equal_its_row(
        self, example_eval: Evaluation, column: str
    ) -> None:
        assert example_eval.totals[column] == pytest.approx(EXAMPLE_CHANNEL[column], **GOLDEN)

    def test_investment(self, example_eval: Evaluation) -> None:
        # 5000 + 80*30 + 500
        inv = example_eval.investment
        assert (inv.ad_spend, inv.staff_cost, inv.fixed_costs, inv.total) == pytest.approx(
            (5000.0, 2400.0, 500.0, 7900.0), **GOLDEN
        )

    def test_returns_by_lens(self, example_eval: Evaluation) -> None:
        r = example_eval.returns
        got = (r.sales, r.support, r.leads, r.engagement, r.organic_traffic, r.financial, r.full)
        expected = (4_576 / 3, 0.0, 5_720 / 3, 11_440 / 9, 320.0, 4_576 / 3, 45_208 / 9)
        assert got == pytest.approx(expected, **GOLDEN)

    def test_net_returns(self, example_eval: Evaluation) -> None:
        # financial 4576/3 - 7900 = -19124/3;  full 45208/9 - 7900 = -25892/9
        ev = example_eval
        assert (ev.financial_net, ev.full_net) == pytest.approx(
            (-19_124 / 3, -25_892 / 9), **GOLDEN
        )

    def test_headline_ratios(self, example_eval: Evaluation) -> None:
        # financial ROI = (1525.33 - 7900)/7900 = -0.80692;  full = (5023.11 - 7900)/7900
        # ROAS = 3813.33/5000;  cost per lead = 7900/158.89 = 49.72;  per sale = 7900/31.78
        ev = example_eval
        got = (ev.financial_roi, ev.full_roi, ev.roas, ev.cost_per_lead, ev.cost_per_sale)
        expected = (-4_781 / 5_925, -6_473 / 17_775, 286 / 375, 7_110 / 143, 35_550 / 143)
        assert got == pytest.approx(expected, **GOLDEN)

    def test_brief_rounded_values(self, example_eval: Evaluation) -> None:
        t = example_eval.totals
        assert round(t["paid_impressions"], 2) == 277777.78
        assert (round(t["visits"], 2), round(t["leads"], 2), round(t["sales"], 2)) == (
            3177.78,
            158.89,
            31.78,
        )
        assert round(example_eval.returns.financial, 2) == 1525.33
        assert round(example_eval.returns.full, 2) == 5023.11

    @pytest.mark.parametrize(
        ("column", "key"),
        [("marginal_roi", "full"), ("marginal_financial_roi", "financial")],
        ids=["full", "financial"],
    )
    def test_marginal_roi_is_the_derivative_minus_1(
        self, example_scenario: Scenario, example_eval: Evaluation, column: str, key: str
    ) -> None:
        h = 1.0

        def gross(delta: float) -> float:
            budget = replace(example_scenario.investment, ad_budget=5000.0 + delta)
            returns = evaluate(replace(example_scenario, investment=budget)).returns
            return float(getattr(returns, key))

        difference = (gross(h) - gross(-h)) / (2 * h) - 1
        assert example_eval.channels.loc["Facebook", column] == pytest.approx(difference, rel=1e-7)

    def test_goals(self, example_eval: Evaluation) -> None:
        # sales 31.78 / 50 = 0.6356;  leads 158.89 / 300 = 0.5296; neither met
        goals = example_eval.goals
        assert goals["tier"].tolist() == ["primary", "secondary"]
        assert goals["metric"].tolist() == ["sales", "leads"]
        assert goals["target"].tolist() == [50.0, 300.0]
        assert goals["value"].tolist() == pytest.approx([286 / 9, 1_430 / 9], **GOLDEN)
        assert goals["attainment"].tolist() == pytest.approx(
            [286 / 9 / 50, 1_430 / 9 / 300], **GOLDEN
        )
        assert goals["met"].tolist() == [False, False]


class TestTables:
    def test_made_once_when_read_and_equal_to_the_table_functions(
        self, example_eval: Evaluation
    ) -> None:
        scenario = example_eval.scenario
        assert example_eval.channels is example_eval.channels
        pd.testing.assert_frame_equal(example_eval.channels, channel_table(scenario))
        metrics = {g.metric.value: example_eval.metric(g.metric) for g in scenario.goals}
        pd.testing.assert_frame_equal(example_eval.goals, goal_table(scenario.goals, metrics))

    def test_goal_values_are_the_goal_tables_without_the_table(
        self, example_eval: Evaluation
    ) -> None:
        goals = example_eval.scenario.goals
        assert goals  # the example has goals, so the comparison says something
        assert list(example_eval.goal_values) == example_eval.goals["value"].tolist()
        values = example_eval.goal_values
        met = [goal.is_met(value) for goal, value in zip(goals, values, strict=True)]
        assert met == example_eval.goals["met"].tolist()


class TestGoalIsMet:
    @pytest.mark.parametrize(
        ("value", "met"), [(99.0, False), (100.0, True), (100.5, True), (math.nan, False)]
    )
    def test_the_target_itself_counts_and_an_undefined_value_never_does(
        self, value: float, met: bool
    ) -> None:
        goal = Goal(GoalTier.PRIMARY, GoalMetric.SALES, 100.0)
        assert goal.is_met(value) is met

    @pytest.mark.parametrize(
        ("target", "value", "expected"),
        [
            (0.8, 0.66, 0.825),
            (0.8, 0.8, 1.0),
            (0.8, 1.2, 1.5),
            (0.8, math.nan, math.nan),
            (0.0, 0.5, math.nan),
            (-0.1, 0.5, math.nan),
        ],
    )
    def test_attainment_is_the_value_against_a_target_above_zero(
        self, target: float, value: float, expected: float
    ) -> None:
        goal = Goal(GoalTier.PRIMARY, GoalMetric.FULL_ROI, target)
        assert goal.attainment(value) == pytest.approx(expected, nan_ok=True)

    def test_the_goal_table_reads_the_same_attainment(self) -> None:
        goals = (
            Goal(GoalTier.PRIMARY, GoalMetric.SALES, 5.0),
            Goal(GoalTier.SECONDARY, GoalMetric.FULL_ROI, 0.5),
            Goal(GoalTier.SECONDARY, GoalMetric.FINANCIAL_ROI, -0.2),
        )
        ev = evaluate(Scenario(goals=goals))
        pairs = zip(ev.scenario.goals, ev.goal_values, strict=True)
        attained = [g.attainment(v) for g, v in pairs]
        assert ev.goals["attainment"].tolist() == pytest.approx(attained, nan_ok=True)


def _clinic_cases() -> list[tuple[str, str, float]]:
    return [
        (name, column, value)
        for name, figures in CLINIC_CHANNELS.items()
        for column, value in figures.items()
    ]


class TestEvaluateClinicGolden:
    @pytest.mark.parametrize(
        ("channel", "column", "expected"),
        _clinic_cases(),
        ids=[f"{name}-{column}" for name, column, _ in _clinic_cases()],
    )
    def test_channel_figure(
        self, clinic_eval: Evaluation, channel: str, column: str, expected: float
    ) -> None:
        assert clinic_eval.channels.loc[channel, column] == pytest.approx(expected, **GOLDEN)

    @pytest.mark.parametrize(
        ("channel", "column"), CLINIC_UNDEFINED, ids=[f"{n}-{c}" for n, c in CLINIC_UNDEFINED]
    )
    def test_undefined_channel_ratio_is_nan(
        self, clinic_eval: Evaluation, channel: str, column: str
    ) -> None:
        assert math.isnan(clinic_eval.channels.loc[channel, column])

    @pytest.mark.parametrize(("column", "expected"), CLINIC_TOTALS.items(), ids=CLINIC_TOTALS)
    def test_total(self, clinic_eval: Evaluation, column: str, expected: float) -> None:
        assert clinic_eval.totals[column] == pytest.approx(expected, **GOLDEN)

    def test_investment(self, clinic_eval: Evaluation) -> None:
        # 6000 + 100*25 + 1000 = 9500
        inv = clinic_eval.investment
        assert (inv.ad_spend, inv.staff_cost, inv.fixed_costs, inv.total) == pytest.approx(
            (6000.0, 2500.0, 1000.0, 9500.0), **GOLDEN
        )

    def test_disabled_lens_is_reported_but_not_counted(self, clinic_eval: Evaluation) -> None:
        r = clinic_eval.returns
        assert r.engagement == pytest.approx(1_756_269 / 880, **GOLDEN)  # 1995.76
        # full = sales + support + leads + organic traffic (engagement lens off)
        #      = 2971.26 + 230 + 2893.51 + 53.81 = 6148.58
        assert r.full == pytest.approx(r.sales + r.support + r.leads + r.organic_traffic, **GOLDEN)
        assert r.full == pytest.approx(5_410_751 / 880, **GOLDEN)
        assert r.financial == pytest.approx(281_711 / 88, **GOLDEN)  # 2971.26 + 230

    def test_headline_ratios(self, clinic_eval: Evaluation) -> None:
        # financial ROI = (3201.26 - 9500)/9500 = -0.66303;  full = (6148.58 - 9500)/9500
        # ROAS = 5942.52/6000;  cost per lead = 9500/174.39 = 54.48;  per sale = 9500/29.71
        ev = clinic_eval
        got = (ev.financial_roi, ev.full_roi, ev.roas, ev.cost_per_lead, ev.cost_per_sale)
        expected = (
            -554_289 / 836_000,
            -2_949_249 / 8_360_000,
            87_157 / 88_000,
            41_800_000 / 767_307,
            83_600_000 / 261_471,
        )
        assert got == pytest.approx(expected, **GOLDEN)

    def test_return_share_of_each_channel(self, clinic_eval: Evaluation) -> None:
        full = 5_410_751 / 880
        expected = [183_866 / 55 / full, 2642.8125 / full, 162.75 / full]
        assert clinic_eval.channels["return_share"].tolist() == pytest.approx(expected, **GOLDEN)

    @pytest.mark.parametrize(
        ("index", "name"), [(0, "Instagram"), (1, "LinkedIn")], ids=["saturating", "linear"]
    )
    def test_marginal_roi_is_the_derivative_minus_1(
        self, clinic_scenario: Scenario, clinic_eval: Evaluation, index: int, name: str
    ) -> None:
        h = 1.0
        up = _full_return_with_spend(clinic_scenario, index, h)
        down = _full_return_with_spend(clinic_scenario, index, -h)
        expected = (up - down) / (2 * h) - 1
        assert clinic_eval.channels.loc[name, "marginal_roi"] == pytest.approx(expected, rel=1e-7)

    def test_goals(self, clinic_eval: Evaluation) -> None:
        # sales 29.71 / 20 = 1.4856 (met); full ROI -0.3528 / 0.5 = -0.7056 (not met);
        # support 57.5 / 50 = 1.15 (met); financial ROI -0.663 vs target -0.2: no attainment
        # ratio for a target that is not > 0, and not met
        goals = clinic_eval.goals
        full_roi = -2_949_249 / 8_360_000
        financial_roi = -554_289 / 836_000
        assert goals["value"].tolist() == pytest.approx(
            [261_471 / 8800, full_roi, 57.5, financial_roi], **GOLDEN
        )
        attainment = goals["attainment"].tolist()
        assert attainment[:3] == pytest.approx(
            [261_471 / 8800 / 20, full_roi / 0.5, 1.15], **GOLDEN
        )
        assert math.isnan(attainment[3])
        assert goals["met"].tolist() == [True, False, True, False]


class TestEvaluateUndefined:
    def test_no_investment_gives_nan_roi_not_inf(self) -> None:
        # Unpaid staff hours earn a return with nothing invested: ROI undefined, not inf.
        scenario = Scenario(
            investment=Investment(staff_hours=10.0),
            values=ActionValues(order_value=100.0, support_query=5.0),
            channels=(
                Channel(
                    "A",
                    hours_share=1.0,
                    organic_impressions_per_hour=1000.0,
                    ctr=0.1,
                    lead_rate=0.5,
                    close_rate=0.5,
                    support_queries_per_hour=1.0,
                ),
            ),
        )
        ev = evaluate(scenario)
        assert ev.returns.full > 0
        assert ev.investment.total == 0.0
        assert math.isnan(ev.financial_roi)
        assert math.isnan(ev.full_roi)
        assert math.isnan(ev.channels.loc["A", "full_roi"])
        assert math.isnan(ev.roas)

    def test_no_leads_gives_nan_cost_per_lead_and_sale(self, example_scenario: Scenario) -> None:
        facebook = replace(example_scenario.channels[0], ctr=0.0)
        ev = evaluate(replace(example_scenario, channels=(facebook,)))
        assert ev.totals["leads"] == 0.0
        assert math.isnan(ev.cost_per_lead)
        assert math.isnan(ev.cost_per_sale)
        assert math.isnan(ev.channels.loc["Facebook", "cost_per_lead"])

    def test_channel_without_spend_or_hours_has_zeros_not_nan(self) -> None:
        # organic visits = visits * organic / impressions would be 0/0: it must be 0.
        scenario = Scenario(
            investment=Investment(ad_budget=100.0, staff_hours=1.0),
            channels=(
                Channel("A", budget_share=1.0, hours_share=1.0, ctr=0.5),
                Channel("Idle", ctr=0.5, organic_impressions_per_hour=10.0),
            ),
        )
        row = evaluate(scenario).channels.loc["Idle", list(COUNT_COLUMNS)]
        assert (row == 0.0).all()


WITH_BUDGET = investments(ad_budget=floats(1.0, 1e6))
VALUE_FIELDS = [f.name for f in fields(ActionValues)]


def _not_less(new: float, old: float) -> bool:
    """``new >= old`` up to the rounding of sums of many products."""
    return new >= old - 1e-9 * max(abs(old), 1.0)


class TestEvaluateProperties:
    @settings(max_examples=30)
    @given(scenario=scenarios(investment=WITH_BUDGET), extra=floats(0.01, 1e6))
    def test_returns_do_not_fall_when_the_budget_grows(
        self, scenario: Scenario, extra: float
    ) -> None:
        before = evaluate(scenario).returns
        bigger = replace(scenario.investment, ad_budget=scenario.investment.ad_budget + extra)
        after = evaluate(replace(scenario, investment=bigger)).returns
        assert _not_less(after.full, before.full)
        assert _not_less(after.financial, before.financial)

    @settings(max_examples=40)
    @given(
        scenario=scenarios(),
        name=st.sampled_from(VALUE_FIELDS),
        extra=floats(0.01, 100.0),
    )
    def test_returns_do_not_fall_when_an_action_is_worth_more(
        self, scenario: Scenario, name: str, extra: float
    ) -> None:
        old = getattr(scenario.values, name)
        new = min(1.0, old + extra) if name == "gross_margin" else old + extra
        before = evaluate(scenario).returns
        after = evaluate(replace(scenario, values=replace(scenario.values, **{name: new}))).returns
        assert _not_less(after.full, before.full)
        assert _not_less(after.financial, before.financial)

    @settings(max_examples=30)
    @given(scenario=scenarios(investment=investments(ad_budget=floats(1.0, 5e5))))
    def test_without_saturation_doubling_the_budget_doubles_paid_impressions(
        self, scenario: Scenario
    ) -> None:
        linear = replace(
            scenario, channels=tuple(replace(c, saturation_spend=None) for c in scenario.channels)
        )
        doubled = replace(
            linear, investment=replace(linear.investment, ad_budget=2 * linear.investment.ad_budget)
        )
        once = evaluate(linear).channels["paid_impressions"].to_numpy()
        twice = evaluate(doubled).channels["paid_impressions"].to_numpy()
        np.testing.assert_allclose(twice, 2 * once, rtol=1e-12)
        assert once.sum() > 0

    @settings(max_examples=30)
    @given(scenario=scenarios())
    def test_normalised_shares_spend_the_whole_budget_and_hours(self, scenario: Scenario) -> None:
        totals = evaluate(scenario).totals
        assert totals["spend"] == pytest.approx(scenario.investment.ad_budget, rel=1e-12)
        assert totals["hours"] == pytest.approx(scenario.investment.staff_hours, rel=1e-12)

    @settings(max_examples=30)
    @given(scenario=scenarios())
    def test_totals_add_up(self, scenario: Scenario) -> None:
        ev = evaluate(scenario)
        table = ev.channels
        for column in COUNT_COLUMNS:
            assert ev.totals[column] == pytest.approx(float(table[column].sum()), rel=1e-12)
        assert ev.totals["investment"] + scenario.investment.fixed_costs == pytest.approx(
            ev.investment.total, rel=1e-12
        )
        np.testing.assert_allclose(
            table["impressions"], table["paid_impressions"] + table["organic_impressions"]
        )
        np.testing.assert_allclose(
            table["engagements"], table["likes"] + table["comments"] + table["shares"]
        )
        assert ev.returns.financial == pytest.approx(ev.returns.sales + ev.returns.support)

    @settings(max_examples=40)
    @given(scenario=scenarios())
    def test_vectorised_equals_each_channel_alone(self, scenario: Scenario) -> None:
        table = evaluate(scenario).channels
        for channel in scenario.channels:
            spend, hours = table.loc[channel.name, ["spend", "hours"]]
            alone = Scenario(
                investment=replace(scenario.investment, ad_budget=spend, staff_hours=hours),
                values=scenario.values,
                lenses=scenario.lenses,
                channels=(
                    replace(
                        channel,
                        budget_share=1.0 if spend > 0 else 0.0,
                        hours_share=1.0 if hours > 0 else 0.0,
                    ),
                ),
            )
            solo = evaluate(alone).channels.iloc[0]
            for column in COUNT_COLUMNS:
                assert solo[column] == pytest.approx(table.loc[channel.name, column], rel=1e-12)

    @settings(max_examples=30)
    @given(
        scenario=scenarios(
            investment=st.builds(
                Investment, staff_hours=floats(0.0, 500.0), hourly_rate=st.just(0.0)
            )
        )
    )
    def test_no_investment_means_undefined_roi_never_inf(self, scenario: Scenario) -> None:
        ev = evaluate(scenario)
        assert ev.investment.total == 0.0
        assert math.isnan(ev.financial_roi)
        assert math.isnan(ev.full_roi)
        assert not np.isinf(ev.channels[["financial_roi", "full_roi"]].to_numpy()).any()

    @settings(max_examples=30)
    @given(scenario=scenarios())
    def test_full_return_at_least_the_financial(self, scenario: Scenario) -> None:
        ev = evaluate(scenario)
        assert _not_less(ev.returns.full, ev.returns.financial)
        assert (ev.channels["full_return"] >= ev.channels["financial_return"]).all()

    @settings(max_examples=30)
    @given(scenario=scenarios())
    def test_no_negative_counts_and_defined_roi_when_invested(self, scenario: Scenario) -> None:
        ev = evaluate(scenario)
        assert (ev.channels[list(COUNT_COLUMNS)].to_numpy() >= 0).all()
        if ev.investment.total > 0:
            assert math.isfinite(ev.financial_roi)
            assert math.isfinite(ev.full_roi)

    @settings(max_examples=30)
    @given(scenario=scenarios(), data=st.data())
    def test_disabling_a_lens_removes_exactly_its_value(
        self, scenario: Scenario, data: st.DataObject
    ) -> None:
        lens = data.draw(st.sampled_from(["leads", "engagement", "organic_traffic"]))
        on = evaluate(replace(scenario, lenses=replace(scenario.lenses, **{lens: True})))
        off = evaluate(replace(scenario, lenses=replace(scenario.lenses, **{lens: False})))
        assert off.returns.full == pytest.approx(
            on.returns.full - getattr(on.returns, lens), rel=1e-9, abs=1e-6
        )
        assert getattr(off.returns, lens) == getattr(on.returns, lens)
        assert off.returns.financial == on.returns.financial


class TestEnabledLenses:
    @pytest.mark.parametrize(
        ("lenses", "expected"),
        [
            (Lenses(), tuple(Lens)),
            (Lenses(False, False, False), (Lens.SALES, Lens.SUPPORT)),
            (
                Lenses(leads=True, engagement=False, organic_traffic=True),
                (Lens.SALES, Lens.SUPPORT, Lens.LEADS, Lens.ORGANIC_TRAFFIC),
            ),
        ],
        ids=["all", "financial-only", "engagement-off"],
    )
    def test_sales_and_support_always_count(
        self, lenses: Lenses, expected: tuple[Lens, ...]
    ) -> None:
        assert enabled_lenses(lenses) == expected

    @pytest.mark.parametrize("lens", list(Lens), ids=lambda lens: lens.value)
    def test_only_sales_and_support_are_financial(self, lens: Lens) -> None:
        assert lens.is_financial == (lens in (Lens.SALES, Lens.SUPPORT))


class TestNormalised:
    @pytest.mark.parametrize(
        ("shares", "expected"),
        [([2.0, 6.0], [0.25, 0.75]), ([0.3, 0.2, 0.0], [0.6, 0.4, 0.0]), ([0.0, 0.0], [0.0, 0.0])],
        ids=["scaled", "with-a-zero", "all-zero-stay-zero"],
    )
    def test_scales_to_sum_1(self, shares: list[float], expected: list[float]) -> None:
        assert normalised(np.array(shares)).tolist() == pytest.approx(expected, rel=1e-12)


class TestChannelArrays:
    def test_missing_saturation_is_nan(self, clinic_scenario: Scenario) -> None:
        arrays = channel_arrays(clinic_scenario.channels)
        saturation = arrays["saturation_spend"]
        assert saturation[0] == 3000.0
        assert np.isnan(saturation[1:]).all()
        assert arrays["cpm"].tolist() == [6.0, 20.0, 0.0]
        assert "name" not in arrays


class TestGoalTable:
    def test_attainment_value_and_met(self) -> None:
        goals = (
            Goal("primary", "sales", 40.0),
            Goal("secondary", "full_roi", -0.1),
            Goal("secondary", "financial_roi", 0.0),
        )
        table = goal_table(goals, {"sales": 30.0, "full_roi": 0.2, "financial_roi": -0.5})
        assert table["value"].tolist() == [30.0, 0.2, -0.5]
        assert table["attainment"].iloc[0] == 0.75
        assert table["attainment"].iloc[1:].isna().all()
        assert table["met"].tolist() == [False, True, False]

    def test_no_goals_gives_an_empty_table_with_the_columns(self) -> None:
        table = goal_table((), {})
        assert table.empty
        assert list(table.columns) == ["tier", "metric", "target", "value", "attainment", "met"]

    def test_undefined_value_is_not_met(self) -> None:
        table = goal_table((Goal("primary", "full_roi", -1.0),), {"full_roi": math.nan})
        assert table["met"].tolist() == [False]


EXAMPLE_METRICS = {
    GoalMetric.IMPRESSIONS: 2_860_000 / 9,
    GoalMetric.LIKES: 57_200 / 9,
    GoalMetric.COMMENTS: 5_720 / 9,
    GoalMetric.SHARES: 2_860 / 9,
    GoalMetric.VIDEO_VIEWS: 143_000 / 9,
    GoalMetric.ENGAGEMENTS: 65_780 / 9,
    GoalMetric.VISITS: 28_600 / 9,
    GoalMetric.LEADS: 1_430 / 9,
    GoalMetric.SALES: 286 / 9,
    GoalMetric.REVENUE: 11_440 / 3,
    GoalMetric.SUPPORT_QUERIES: 0.0,
    GoalMetric.FINANCIAL_RETURN: 4_576 / 3,
    GoalMetric.FULL_RETURN: 45_208 / 9,
    GoalMetric.FINANCIAL_ROI: -4_781 / 5_925,
    GoalMetric.FULL_ROI: -6_473 / 17_775,
}


class TestEvaluationMetric:
    @pytest.mark.parametrize(
        ("metric", "expected"), EXAMPLE_METRICS.items(), ids=[m.value for m in EXAMPLE_METRICS]
    )
    def test_every_goal_metric_has_a_value(
        self, example_eval: Evaluation, metric: GoalMetric, expected: float
    ) -> None:
        assert example_eval.metric(metric) == pytest.approx(expected, **GOLDEN)


class TestChannelTable:
    def test_is_tidy_and_indexed_by_channel(self, clinic_scenario: Scenario) -> None:
        table = channel_table(clinic_scenario)
        assert isinstance(table, pd.DataFrame)
        assert table.index.name == "channel"
        assert table.index.tolist() == ["Instagram", "LinkedIn", "Twitter"]
        assert list(table.columns[: len(COUNT_COLUMNS)]) == list(COUNT_COLUMNS)
        assert table["spend"].tolist() == pytest.approx([3600.0, 2400.0, 0.0], **GOLDEN)


class TestChannelColumns:
    def test_count_columns_first_then_ratios(self, clinic_scenario: Scenario) -> None:
        columns = channel_columns(clinic_scenario)
        assert list(columns)[: len(COUNT_COLUMNS)] == list(COUNT_COLUMNS)
        assert {"financial_roi", "full_roi", "marginal_roi", "roas"} <= set(columns)
        assert all(len(values) == 3 for values in columns.values())

    def test_same_figures_as_the_table(self, clinic_scenario: Scenario) -> None:
        columns = channel_columns(clinic_scenario)
        table = channel_table(clinic_scenario)
        assert list(table.columns) == list(columns)
        for name, values in columns.items():
            np.testing.assert_array_equal(table[name].to_numpy(), values)


def _rates(**overrides: float) -> dict[str, np.ndarray]:
    base = channel_arrays((Channel("A"),))
    return base | {name: np.array([value]) for name, value in overrides.items()}


class TestFunnel:
    def test_by_hand(self) -> None:
        # 10000 impressions (2000 organic), fit 0.5: reach 5000; ctr 0.02: 100 visits, 20 of
        # them organic (2000 * 0.5 * 0.02); lead rate 0.1: 10 leads; close 0.3: 3 sales;
        # order value 50: revenue 150; 4 hours * 2 queries: 8 support queries
        out = funnel(
            np.array([10_000.0]),
            np.array([2000.0]),
            np.array([4.0]),
            _rates(
                fit=0.5,
                ctr=0.02,
                lead_rate=0.1,
                close_rate=0.3,
                like_rate=0.01,
                support_queries_per_hour=2.0,
            ),
            ActionValues(order_value=50.0, gross_margin=0.5),
        )
        got = [
            out[k].item()
            for k in (
                "likes",
                "visits",
                "organic_visits",
                "leads",
                "sales",
                "revenue",
                "support_queries",
                "return_sales",
            )
        ]
        assert got == pytest.approx([50.0, 100.0, 20.0, 10.0, 3.0, 150.0, 8.0, 75.0], **GOLDEN)

    def test_no_impressions_means_no_organic_visits_not_nan(self) -> None:
        out = funnel(np.zeros(1), np.zeros(1), np.zeros(1), _rates(ctr=0.5), ActionValues())
        assert out["organic_visits"].tolist() == [0.0]


class TestLensValues:
    def test_each_lens_by_hand(self) -> None:
        counts = {
            name: np.array([value])
            for name, value in {
                "revenue": 1000.0,
                "support_queries": 10.0,
                "leads": 50.0,
                "sales": 5.0,
                "likes": 100.0,
                "comments": 20.0,
                "shares": 10.0,
                "video_views": 500.0,
                "organic_visits": 40.0,
                "new_followers": 30.0,
            }.items()
        }
        values = ActionValues(
            like=0.1,
            comment=0.5,
            share=1.0,
            video_view=0.02,
            organic_visit=0.8,
            lead=15.0,
            gross_margin=0.4,
            support_query=6.0,
            follower=0.5,
        )
        got = {lens: value.item() for lens, value in lens_values(counts, values).items()}
        assert got == pytest.approx(
            {
                Lens.SALES: 400.0,  # 1000 * 0.4
                Lens.SUPPORT: 60.0,  # 10 * 6
                Lens.LEADS: 675.0,  # (50 - 5) * 15
                # 100*0.1 + 20*0.5 + 10*1 + 500*0.02 + 30*0.5 = 10+10+10+10+15
                Lens.ENGAGEMENT: 55.0,
                Lens.ORGANIC_TRAFFIC: 32.0,  # 40 * 0.8
            },
            **GOLDEN,
        )
