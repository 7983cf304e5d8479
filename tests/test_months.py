"""The months ahead (docs/model.md, "The months ahead"): golden figures worked out by hand,
properties against the one-month evaluation, numpy-financial and a slow reference, the
command line and the horizon's limits."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_model import ActionValues, Channel, Goal, GoalMetric, GoalTier, Investment, Scenario
from roi_model.cli import main
from roi_model.model.errors import Rule, ScenarioError
from roi_model.model.evaluate import evaluate
from roi_model.model.months import MONTH_TOTALS, Projection, project
from roi_model.model.report import evaluation_to_dict
from roi_model.model.spec import MAX_HORIZON, Lenses, Months, ScheduleStep
from roi_model.model.vocabulary import Lens
from tests.strategies import MONEY, RATES, floats, scenarios, zero_or

GOLDEN = {"rel": 1e-9}
#: Against the slow reference: sums over channels run in another order, so the last bits
#: differ; a net near 0 is a difference of figures near 1e6.
CLOSE = {"rel": 1e-9, "abs": 1e-6}


# --- Strategies: a drawn scenario given an audience, carryover and a months block ----------


@st.composite
def audience_fields(draw: st.DrawFn) -> dict[str, Any]:
    """A channel's months-ahead fields. An audience of 100 or more and follow rates up to
    1e-3 keep the audience's feedback on organic reach within floats over 60 months."""
    followers = draw(zero_or(floats(100.0, 1e5)))
    ceiling = draw(st.none() | floats(1.0, 1e6).map(lambda room: followers + room))
    return {
        "followers": followers,
        "follow_rate": draw(zero_or(floats(1e-6, 1e-3))),
        "follower_churn": draw(RATES),
        "audience_ceiling": ceiling,
        "carryover": draw(zero_or(floats(1e-3, 0.95))),
    }


@st.composite
def schedules(draw: st.DrawFn) -> tuple[ScheduleStep, ...]:
    starts = sorted(draw(st.sets(st.integers(2, MAX_HORIZON), max_size=3)))
    return tuple(
        ScheduleStep(
            from_month=start,
            ad_budget=draw(st.none() | MONEY),
            staff_hours=draw(st.none() | zero_or(floats(0.1, 500.0))),
        )
        for start in starts
    )


@st.composite
def months_blocks(draw: st.DrawFn, launch: bool = True) -> Months:
    return Months(
        horizon=draw(st.integers(1, MAX_HORIZON)),
        launch_costs=draw(MONEY) if launch else 0.0,
        discount_rate=draw(zero_or(floats(1e-4, 0.1))),
        repeat_purchases=draw(zero_or(floats(0.01, 5.0))),
        retention=draw(RATES),
        schedule=draw(schedules()),
    )


@st.composite
def goals_by_month(draw: st.DrawFn, horizon: int) -> tuple[Goal, ...]:
    """Goals of every metric, some by a month within the horizon, some monthly targets."""
    drawn = []
    for _ in range(draw(st.integers(0, 4))):
        metric = draw(st.sampled_from(GoalMetric))
        target = draw(floats(-1.0, 5.0) if metric.is_ratio else floats(0.01, 1e7))
        by_month = draw(st.none() | st.integers(1, horizon))
        drawn.append(Goal(draw(st.sampled_from(GoalTier)), metric, target, by_month))
    return tuple(drawn)


@st.composite
def months_scenarios(draw: st.DrawFn, launch: bool = True) -> Scenario:
    """A whole scenario with an audience and carryover on each channel, a months block and
    goals by month."""
    scenario = draw(scenarios())
    channels = tuple(replace(c, **draw(audience_fields())) for c in scenario.channels)
    values = replace(scenario.values, follower=draw(zero_or(floats(1e-3, 5.0))))
    months = draw(months_blocks(launch))
    months = replace(months, schedule=_spendable(months.schedule, channels))
    goals = draw(goals_by_month(months.horizon))
    return replace(scenario, channels=channels, values=values, months=months, goals=goals)


def _spendable(
    schedule: tuple[ScheduleStep, ...], channels: tuple[Channel, ...]
) -> tuple[ScheduleStep, ...]:
    """The schedule without budgets (or hours) that no channel has a share to take."""
    budget = any(c.budget_share > 0 for c in channels)
    hours = any(c.hours_share > 0 for c in channels)
    return tuple(
        replace(
            step,
            ad_budget=step.ad_budget if budget else None,
            staff_hours=step.staff_hours if hours else None,
        )
        for step in schedule
    )


def _on_every_channel(scenario: Scenario, **changes: Any) -> Scenario:
    return replace(scenario, channels=tuple(replace(c, **changes) for c in scenario.channels))


# --- Golden: one channel, three months, worked out by hand ---------------------------------

GOLDEN_SCENARIO = Scenario(
    name="Golden",
    investment=Investment(ad_budget=1000.0, staff_hours=10.0, hourly_rate=20.0, fixed_costs=100.0),
    values=ActionValues(
        like=0.01, lead=2.0, order_value=100.0, gross_margin=0.5, organic_visit=0.5, follower=1.0
    ),
    lenses=Lenses(),
    channels=(
        Channel(
            "Instagram",
            budget_share=1.0,
            hours_share=1.0,
            cpm=10.0,
            organic_impressions_per_hour=100.0,
            like_rate=0.02,
            ctr=0.01,
            lead_rate=0.1,
            close_rate=0.5,
            followers=1000.0,
            follow_rate=0.001,
            follower_churn=0.1,
            audience_ceiling=2000.0,
            carryover=0.5,
        ),
    ),
    goals=(
        Goal(GoalTier.PRIMARY, GoalMetric.SALES, 200.0, by_month=3),
        Goal(GoalTier.SECONDARY, GoalMetric.FOLLOWERS, 940.0, by_month=2),
        Goal(GoalTier.SECONDARY, GoalMetric.NEW_FOLLOWERS, 60.0),
        Goal(GoalTier.SECONDARY, GoalMetric.FULL_ROI, 0.5, by_month=3),
        Goal(GoalTier.SECONDARY, GoalMetric.FINANCIAL_ROI, 0.5),
    ),
    months=Months(
        horizon=3,
        launch_costs=5000.0,
        discount_rate=0.01,
        repeat_purchases=0.5,
        retention=0.8,
        schedule=(ScheduleStep(from_month=3, ad_budget=500.0),),
    ),
)

# Working, month by month (λ = 0.5, follow rate 0.001, churn 0.1, ceiling 2000, F0 = 1000):
#
# Investment: 1000 + 10 h * 20 + 100 = 1300 a month, + 5000 launch in month 1 = 6300;
#   month 3's ad budget is 500 (the schedule): 500 + 200 + 100 = 800.
#
# Month 1: paid I = 1000 * 1000 / 10 = 100,000; organic = 10 h * 100 * (1000/1000) = 1000.
#   R_paid = 100,000, R_org = 1000, R = 101,000.
#   likes = 101,000 * 0.02 = 2020; visits = 1010; organic visits = 1000 * 0.01 = 10;
#   leads = 101; new sales S1 = 50.5; returning K1 = 0, P1 = 0.
#   followers: offered = 101,000 * 0.001 = 101; kept = 1000 * 0.9 = 900;
#     N1 = min(101 * (1 - 1000/2000), 2000 - 900) = 50.5; F1 = 950.5.
#   sales lens = 50.5 * 100 * 0.5 = 2525; leads lens = (101 - 50.5) * 2 = 101;
#   engagement = 2020 * 0.01 + 50.5 * 1 = 70.7; organic traffic = 10 * 0.5 = 5.
#   financial = 2525; full = 2525 + 101 + 70.7 + 5 = 2701.7.
#   nets: 2525 - 6300 = -3775; 2701.7 - 6300 = -3598.3.
#
# Month 2: paid I = 100,000; organic = 1000 * 950.5/1000 = 950.5.
#   R_paid = 100,000 + 0.5 * 100,000 = 150,000; R_org = 950.5 + 0.5 * 1000 = 1450.5;
#   R = 151,450.5.
#   likes = 3029.01; visits = 1514.505; organic visits = 14.505; leads = 151.4505;
#   S2 = 75.72525; K2 = 0.8 * (0 + 50.5) = 40.4; P2 = 0.5 * 40.4 = 20.2;
#   sales = 95.92525, revenue = 9592.525.
#   followers: offered = 151.4505; kept = 950.5 * 0.9 = 855.45;
#     N2 = min(151.4505 * (1 - 950.5/2000), 2000 - 855.45) = 151.4505 * 0.52475
#        = 79.473649875; F2 = 934.923649875.
#   sales lens = 95.92525 * 50 = 4796.2625; leads lens = (151.4505 - 75.72525) * 2 = 151.4505;
#   engagement = 30.2901 + 79.473649875 = 109.763749875; organic traffic = 7.2525.
#   financial = 4796.2625; full = 5064.729249875.
#   nets: 3496.2625; 3764.729249875.
#
# Month 3: paid I = 500 * 1000 / 10 = 50,000; organic = 1000 * 0.934923649875 = 934.923649875.
#   R_paid = 50,000 + 75,000 = 125,000; R_org = 934.923649875 + 725.25 = 1660.173649875;
#   R = 126,660.173649875.
#   likes = 2533.2034729975; visits = 1266.60173649875; organic visits = 16.60173649875;
#   leads = 126.660173649875; S3 = 63.3300868249375;
#   K3 = 0.8 * (40.4 + 75.72525) = 92.9002; P3 = 46.4501; sales = 109.7801868249375.
#   followers: offered = 126.660173649875; kept = 934.923649875 * 0.9 = 841.4312848875;
#     N3 = 126.660173649875 * (1 - 934.923649875/2000) = 126.660173649875 * 0.5325381750625
#        = 67.45137772860378233; F3 = 908.88266261610378233.
#   sales lens = 109.7801868249375 * 50 = 5489.009341246875;
#   leads lens = 126.660173649875; engagement = 25.332034729975 + 67.451377728603782
#   = 92.783412458578782; organic traffic = 8.300868249375.
#   financial = 5489.009341246875; full = 5716.753795604703782.
#   nets: 4689.009341246875; 4916.753795604703782.
#
# Cumulative nets: financial -3775, -278.7375, 4410.271841246875 (payback month 3);
#   full -3598.3, 166.429249875 (payback month 2), 5083.183045479703782.
# ROI at the horizon: 4410.271841246875 / 8400 = 0.52503236205319940;
#   5083.183045479703782 / 8400 = 0.60514083874758378.
# NPV at 1 % a month: -3775 + 3496.2625/1.01 + 4689.009341246875/1.0201 = 4283.2633724604205;
#   full: -3598.3 + 3764.729249875/1.01 + 4916.753795604703782/1.0201 = 4949.0290245843092.
# Customer value: 100 * 0.5 * (1 + 0.5 * 0.8 / 0.2) = 150.
# Acquisition cost: 8400 / (50.5 + 75.72525 + 63.3300868249375) = 8400 / 189.5553368249375
#   = 44.314236363377946.
# Goals: sales by month 3 = 50.5 + 95.92525 + 109.7801868249375 = 256.2054368249375 >= 200
#   (running total reaches 200 in month 3); followers by month 2 = 934.923649875 < 940 (the
#   audience was 950.5 >= 940 in month 1); new followers 60 a month: 50.5, 79.47…, first met
#   in month 2; full ROI by month 3 = 0.60514… >= 0.5 (cumulative ROI -0.571, 0.0219, 0.605:
#   month 3); financial ROI 0.5 a month: (2525 - 6300)/6300 < 0, 3496.2625/1300 = 2.69: month 2.


@pytest.fixture(scope="module")
def golden() -> Projection:
    return project(GOLDEN_SCENARIO)


class TestGolden:
    def test_investment_by_month(self, golden: Projection) -> None:
        assert golden.months["investment"].tolist() == pytest.approx([6300, 1300, 800], **GOLDEN)

    def test_impressions_reported_are_those_of_the_month(self, golden: Projection) -> None:
        months = golden.months
        assert months["paid_impressions"].tolist() == pytest.approx([1e5, 1e5, 5e4], **GOLDEN)
        assert months["organic_impressions"].tolist() == pytest.approx(
            [1000.0, 950.5, 934.923649875], **GOLDEN
        )

    def test_actions_come_from_remembered_impressions(self, golden: Projection) -> None:
        months = golden.months
        assert months["likes"].tolist() == pytest.approx(
            [2020.0, 3029.01, 2533.2034729975], **GOLDEN
        )
        assert months["organic_visits"].tolist() == pytest.approx(
            [10.0, 14.505, 16.60173649875], **GOLDEN
        )
        assert months["leads"].tolist() == pytest.approx(
            [101.0, 151.4505, 126.660173649875], **GOLDEN
        )
        assert months["new_customers"].tolist() == pytest.approx(
            [50.5, 75.72525, 63.3300868249375], **GOLDEN
        )

    def test_audience_grows_towards_its_ceiling(self, golden: Projection) -> None:
        months = golden.months
        assert months["new_followers"].tolist() == pytest.approx(
            [50.5, 79.473649875, 67.45137772860378], **GOLDEN
        )
        assert months["followers"].tolist() == pytest.approx(
            [950.5, 934.923649875, 908.8826626161038], **GOLDEN
        )

    def test_returning_customers_buy_again(self, golden: Projection) -> None:
        months = golden.months
        assert months["returning_purchases"].tolist() == pytest.approx([0, 20.2, 46.4501], **GOLDEN)
        assert months["sales"].tolist() == pytest.approx(
            [50.5, 95.92525, 109.7801868249375], **GOLDEN
        )
        assert months["revenue"].tolist() == pytest.approx(
            [5050.0, 9592.525, 10978.01868249375], **GOLDEN
        )

    def test_returns_by_lens(self, golden: Projection) -> None:
        months = golden.months
        expected = {
            "return_sales": [2525.0, 4796.2625, 5489.009341246875],
            "return_support": [0.0, 0.0, 0.0],
            "return_leads": [101.0, 151.4505, 126.660173649875],
            "return_engagement": [70.7, 109.763749875, 92.78341245857878],
            "return_organic_traffic": [5.0, 7.2525, 8.300868249375],
            "financial_return": [2525.0, 4796.2625, 5489.009341246875],
            "full_return": [2701.7, 5064.729249875, 5716.753795604704],
            "financial_net": [-3775.0, 3496.2625, 4689.009341246875],
            "full_net": [-3598.3, 3764.729249875, 4916.753795604704],
        }
        for name, figures in expected.items():
            assert months[name].tolist() == pytest.approx(figures, **GOLDEN), name

    def test_cumulative_figures(self, golden: Projection) -> None:
        months = golden.months
        assert months["cumulative_financial_net"].tolist() == pytest.approx(
            [-3775.0, -278.7375, 4410.271841246875], **GOLDEN
        )
        assert months["cumulative_full_net"].tolist() == pytest.approx(
            [-3598.3, 166.429249875, 5083.183045479704], **GOLDEN
        )
        assert months["cumulative_followers"].tolist() == months["followers"].tolist()

    def test_headline_figures(self, golden: Projection) -> None:
        assert golden.payback_month == {"financial": 3, "full": 2}
        assert golden.roi == pytest.approx(
            {"financial": 0.5250323620531994, "full": 0.6051408387475838}, **GOLDEN
        )
        assert golden.npv == pytest.approx(
            {"financial": 4283.2633724604205, "full": 4949.029024584309}, **GOLDEN
        )
        assert golden.customer_value == pytest.approx(150.0, **GOLDEN)
        assert golden.acquisition_cost == pytest.approx(44.314236363377946, **GOLDEN)

    def test_goals(self, golden: Projection) -> None:
        goals = golden.goals
        assert goals["by_month"].tolist() == [3, 2, None, 3, None]
        assert goals["met"].tolist() == [True, False, True, True, True]
        assert goals["month_met"].tolist() == [3, 1, 2, 3, 2]
        value = goals["value"].tolist()
        assert value[:2] == pytest.approx([256.2054368249375, 934.923649875], **GOLDEN)
        assert value[3] == pytest.approx(0.6051408387475838, **GOLDEN)
        assert math.isnan(value[2]) and math.isnan(value[4])

    def test_channels_table(self, golden: Projection) -> None:
        channels = golden.channels
        assert list(channels.columns) == [
            "month",
            "channel",
            "impressions",
            "sales",
            "new_followers",
            "followers",
        ]
        assert channels["month"].tolist() == [1, 2, 3]
        assert channels["channel"].tolist() == ["Instagram"] * 3
        # Returning purchases belong to no channel: the channel's sales are its new ones.
        assert channels["sales"].tolist() == pytest.approx(
            [50.5, 75.72525, 63.3300868249375], **GOLDEN
        )
        assert channels["impressions"].tolist() == pytest.approx(
            [101000.0, 100950.5, 50934.923649875], **GOLDEN
        )

    def test_json(self, golden: Projection) -> None:
        report = golden.to_dict()
        json.dumps(report, allow_nan=False)
        assert report["horizon"] == 3
        assert report["payback_month"] == {"financial": 3, "full": 2}
        third = report["months"][2]
        assert third["month"] == 3
        assert third["return"]["full"] == pytest.approx(5716.753795604704, **GOLDEN)
        assert third["cumulative"]["roi"]["financial"] == pytest.approx(
            0.5250323620531994, **GOLDEN
        )
        assert third["cumulative"]["totals"]["sales"] == pytest.approx(256.2054368249375, **GOLDEN)
        assert third["channels"][0]["name"] == "Instagram"
        assert report["goals"][2] == {
            "tier": "secondary",
            "metric": "new_followers",
            "target": 60.0,
            "by_month": None,
            "value": None,
            "met": True,
            "month_met": 2,
        }


# --- Properties -----------------------------------------------------------------------------


class TestMonthOneIsTheEvaluation:
    @settings(max_examples=60)
    @given(scenario=months_scenarios(launch=False))
    def test_exactly(self, scenario: Scenario) -> None:
        evaluation = evaluate(scenario)
        first = project(scenario).months.iloc[0]
        for name, total in evaluation.totals.items():
            if name != "investment":  # the channels' share; the month's is below
                assert first[name] == total or math.isnan(total), name
        assert first["investment"] == evaluation.investment.total
        for lens in Lens:
            assert first[f"return_{lens}"] == getattr(evaluation.returns, lens.value)
        assert first["financial_net"] == evaluation.financial_net
        assert first["full_net"] == evaluation.full_net
        assert _same(first["cumulative_financial_roi"], evaluation.financial_roi)
        assert _same(first["cumulative_full_roi"], evaluation.full_roi)

    def test_json_totals_are_the_evaluations(self) -> None:
        first = project(GOLDEN_SCENARIO).to_dict()["months"][0]
        evaluated = evaluation_to_dict(evaluate(GOLDEN_SCENARIO))
        assert list(first["totals"]) == list(evaluated["totals"])
        assert list(first["totals"]) == list(MONTH_TOTALS)


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


def _steady(scenario: Scenario) -> Scenario:
    """Nothing carries from month to month: no carryover, an audience that neither grows nor
    shrinks, no returning customers, no schedule, no launch."""
    still = _on_every_channel(scenario, carryover=0.0, follow_rate=0.0, follower_churn=0.0)
    months = replace(still.months, launch_costs=0.0, repeat_purchases=0.0, schedule=())
    return replace(still, months=months)


class TestSteadyMonths:
    @settings(max_examples=40)
    @given(scenario=months_scenarios().map(_steady))
    def test_every_month_is_the_evaluation_and_adds_up(self, scenario: Scenario) -> None:
        evaluation = evaluate(scenario)
        months = project(scenario).months
        count = np.arange(1, len(months) + 1)
        for name in MONTH_TOTALS:
            assert (months[name] == evaluation.totals[name]).all(), name
            if name != "followers":  # a stock: where it stands, not a sum
                expected = count * evaluation.totals[name]
                assert months[f"cumulative_{name}"].tolist() == pytest.approx(expected.tolist())
        assert (months["investment"] == evaluation.investment.total).all()
        assert months["cumulative_full_net"].tolist() == pytest.approx(
            (count * evaluation.full_net).tolist(), rel=1e-9, abs=1e-6
        )


def _one_month_then_nothing(scenario: Scenario, carryover: float) -> Scenario:
    """Spend and hours in month 1 only, nothing posted, no returning customers, 60 months."""
    quiet = _on_every_channel(
        scenario, organic_impressions_per_hour=0.0, carryover=carryover, audience_ceiling=None
    )
    months = Months(
        horizon=MAX_HORIZON, schedule=(ScheduleStep(from_month=2, ad_budget=0.0, staff_hours=0.0),)
    )
    return replace(quiet, months=months, goals=())


class TestTables:
    def test_made_once_when_read_and_agreeing_with_the_headline(self) -> None:
        projection = project(GOLDEN_SCENARIO)
        months = projection.months
        assert projection.months is months and projection.goals is projection.goals
        assert (
            projection.horizon
            == len(months)
            == len(projection.channels) // len(GOLDEN_SCENARIO.channels)
        )
        assert projection.roi["full"] == months["cumulative_full_roi"].iloc[-1]
        paid_back = months.index[months["cumulative_financial_net"] >= 0]
        expected = int(paid_back[0]) + 1 if len(paid_back) else None
        assert projection.payback_month["financial"] == expected


class TestCarryover:
    @settings(max_examples=40)
    @given(scenario=months_scenarios(), carryover=zero_or(floats(1e-3, 0.8)))
    def test_one_month_of_spend_is_remembered_1_over_1_minus_carryover_times(
        self, scenario: Scenario, carryover: float
    ) -> None:
        once = _one_month_then_nothing(scenario, carryover)
        first = evaluate(once).totals
        cumulative = project(once).months.iloc[-1]
        # λ^60 <= 0.8^60 ≈ 1.5e-6 of the sum is left beyond the horizon.
        for name in ("likes", "comments", "video_views", "visits", "leads", "sales"):
            assert cumulative[f"cumulative_{name}"] == pytest.approx(
                first[name] / (1 - carryover), rel=1e-5, abs=1e-9
            ), name
        assert cumulative["cumulative_new_followers"] == pytest.approx(
            first["new_followers"] / (1 - carryover), rel=1e-5, abs=1e-9
        )
        # Impressions reported are those bought in their month: month 1's alone.
        assert cumulative["cumulative_impressions"] == pytest.approx(first["impressions"])


class TestReturningCustomers:
    @settings(max_examples=40)
    @given(
        scenario=months_scenarios(),
        repeat=floats(0.01, 5.0),
        retention=zero_or(floats(1e-3, 0.8)),
    )
    def test_one_month_of_customers_buys_1_plus_r_rho_over_1_minus_rho_times(
        self, scenario: Scenario, repeat: float, retention: float
    ) -> None:
        once = _one_month_then_nothing(scenario, 0.0)
        once = replace(
            once, months=replace(once.months, repeat_purchases=repeat, retention=retention)
        )
        projection = project(once)
        months = projection.months
        new = months["new_customers"].iloc[0]
        assert (months["new_customers"].iloc[1:] == 0).all()
        factor = 1 + repeat * retention / (1 - retention)
        assert months["cumulative_sales"].iloc[-1] == pytest.approx(new * factor, rel=1e-5)
        # Each purchase brings order value × margin: the customer value, per new customer.
        assert projection.customer_value is not None
        assert months["cumulative_return_sales"].iloc[-1] == pytest.approx(
            new * projection.customer_value, rel=1e-5, abs=1e-9
        )


class TestAudience:
    @settings(max_examples=60)
    @given(scenario=months_scenarios())
    def test_never_above_its_ceiling_nor_below_zero(self, scenario: Scenario) -> None:
        channels = project(scenario).channels
        ceilings = {
            c.name: math.inf if c.audience_ceiling is None else c.audience_ceiling
            for c in scenario.channels
        }
        ceiling = channels["channel"].map(ceilings).to_numpy(float)
        followers = channels["followers"].to_numpy(float)
        assert (followers >= 0).all()
        assert (followers <= ceiling * (1 + 1e-12)).all()  # kept + (C - kept): a rounding at most


class TestMoney:
    @settings(max_examples=60)
    @given(scenario=months_scenarios())
    def test_npv_is_numpy_financials(self, scenario: Scenario) -> None:
        projection = project(scenario)
        rate = scenario.months.discount_rate
        for kind in ("financial", "full"):
            nets = projection.months[f"{kind}_net"].to_numpy(float)
            expected = float(npf.npv(rate, nets))
            assert projection.npv[kind] == pytest.approx(expected, rel=1e-9, abs=1e-6)

    @settings(max_examples=60)
    @given(scenario=months_scenarios())
    def test_payback_is_the_first_month_with_a_cumulative_net_at_least_0(
        self, scenario: Scenario
    ) -> None:
        projection = project(scenario)
        for kind in ("financial", "full"):
            running = projection.months[f"cumulative_{kind}_net"].tolist()
            first = next((t for t, net in enumerate(running, start=1) if net >= 0), None)
            assert projection.payback_month[kind] == first

    @settings(max_examples=60)
    @given(scenario=months_scenarios())
    def test_json_has_every_key_and_no_nan(self, scenario: Scenario) -> None:
        report = project(scenario).to_dict()
        json.dumps(report, allow_nan=False)
        assert list(report) == TOP_LEVEL
        assert len(report["months"]) == scenario.months.horizon
        assert len(report["goals"]) == len(scenario.goals)


# --- The slow reference: the equations, month by month, channel by channel, in plain floats --


def _reference(scenario: Scenario) -> list[dict[str, float]]:
    """Each month's figures, written out from docs/model.md with no numpy and no model code."""
    channels, months = scenario.channels, scenario.months
    state = {
        "paid": [0.0] * len(channels),
        "organic": [0.0] * len(channels),
        "audience": [c.followers for c in channels],
    }
    ad, staff = scenario.investment.ad_budget, scenario.investment.staff_hours
    customers, last_new = 0.0, 0.0
    rows = []
    for t in range(1, months.horizon + 1):
        for step in months.schedule:
            if step.from_month == t:
                ad = ad if step.ad_budget is None else step.ad_budget
                staff = staff if step.staff_hours is None else step.staff_hours
        row: dict[str, float] = defaultdict(float)
        for index, channel in enumerate(channels):
            _reference_channel(scenario, index, channel, ad, staff, state, row)
        customers = months.retention * (customers + last_new)
        returning = months.repeat_purchases * customers
        last_new = row["sales"]
        _reference_month(scenario, t, ad, staff, returning, row)
        rows.append(dict(row))
    return rows


def _reference_channel(
    scenario: Scenario,
    index: int,
    c: Channel,
    ad: float,
    staff: float,
    state: dict[str, list[float]],
    row: dict[str, float],
) -> None:
    values, lenses = scenario.values, scenario.lenses
    budget_total = sum(ch.budget_share for ch in scenario.channels)
    hours_total = sum(ch.hours_share for ch in scenario.channels)
    spend = ad * (c.budget_share / budget_total) if budget_total > 0 else 0.0
    hours = staff * (c.hours_share / hours_total) if hours_total > 0 else 0.0
    paid = 0.0
    if spend > 0:
        saturation = 1.0 if c.saturation_spend is None else 1.0 + spend / c.saturation_spend
        paid = 1000.0 * (spend / (c.cpm * saturation))
    audience = state["audience"][index]
    lift = audience / c.followers if c.followers > 0 else 1.0
    posted = hours * c.organic_impressions_per_hour * lift
    remembered_paid = paid + c.carryover * state["paid"][index]
    remembered_organic = posted + c.carryover * state["organic"][index]
    reach = (remembered_paid + remembered_organic) * c.fit
    likes, comments = reach * c.like_rate, reach * c.comment_rate
    shares, views = reach * c.share_rate, reach * c.video_view_rate
    visits = reach * c.ctr
    organic_visits = remembered_organic * c.fit * c.ctr
    leads = visits * c.lead_rate
    sales = leads * c.close_rate
    offered = reach * c.follow_rate
    kept = audience * (1.0 - c.follower_churn)
    new = offered
    if c.audience_ceiling is not None:
        room = max(0.0, 1.0 - audience / c.audience_ceiling)
        new = min(offered * room, max(0.0, c.audience_ceiling - kept))
    state["paid"][index], state["organic"][index] = remembered_paid, remembered_organic
    state["audience"][index] = kept + new
    support = hours * c.support_queries_per_hour
    counts = {
        "spend": spend,
        "hours": hours,
        "paid_impressions": paid,
        "organic_impressions": posted,
        "impressions": paid + posted,
        "likes": likes,
        "comments": comments,
        "shares": shares,
        "video_views": views,
        "engagements": likes + comments + shares,
        "visits": visits,
        "organic_visits": organic_visits,
        "leads": leads,
        "sales": sales,
        "revenue": sales * values.order_value,
        "support_queries": support,
        "new_followers": new,
        "followers": kept + new,
        "return_sales": sales * values.order_value * values.gross_margin,
        "return_support": support * values.support_query,
        "return_leads": (leads - sales) * values.lead,
        "return_engagement": likes * values.like
        + comments * values.comment
        + shares * values.share
        + views * values.video_view
        + new * values.follower,
        "return_organic_traffic": organic_visits * values.organic_visit,
    }
    for name, value in counts.items():
        row[name] += value
    row[f"impressions[{index}]"] = paid + posted
    row[f"sales[{index}]"] = sales
    row[f"new_followers[{index}]"] = new
    row[f"followers[{index}]"] = kept + new
    counted = {"leads": lenses.leads, "engagement": lenses.engagement}
    counted["organic_traffic"] = lenses.organic_traffic
    row["financial_return"] += counts["return_sales"] + counts["return_support"]
    row["full_return"] += counts["return_sales"] + counts["return_support"]
    for lens, on in counted.items():
        row["full_return"] += counts[f"return_{lens}"] if on else 0.0


def _reference_month(
    scenario: Scenario, t: int, ad: float, staff: float, returning: float, row: dict[str, float]
) -> None:
    values, inv = scenario.values, scenario.investment
    row["new_customers"] = row["sales"]
    row["returning_purchases"] = returning
    margin = returning * values.order_value * values.gross_margin
    row["sales"] += returning
    row["revenue"] += returning * values.order_value
    for name in ("return_sales", "financial_return", "full_return"):
        row[name] += margin
    launch = scenario.months.launch_costs if t == 1 else 0.0
    row["investment"] = ad + staff * inv.hourly_rate + inv.fixed_costs + launch
    row["financial_net"] = row["financial_return"] - row["investment"]
    row["full_net"] = row["full_return"] - row["investment"]


class TestAgainstTheSlowReference:
    @settings(max_examples=60)
    @given(scenario=months_scenarios())
    def test_every_month_every_channel(self, scenario: Scenario) -> None:
        projection = project(scenario)
        expected = _reference(scenario)
        names = [n for n in expected[0] if "[" not in n]
        got = projection.months[names].to_dict("records")
        assert got == [pytest.approx({n: row[n] for n in names}, **CLOSE) for row in expected]
        count = len(scenario.channels)
        for figure in ("impressions", "sales", "new_followers", "followers"):
            want = [row[f"{figure}[{i}]"] for row in expected for i in range(count)]
            assert projection.channels[figure].tolist() == pytest.approx(want, **CLOSE), figure


# --- The horizon -----------------------------------------------------------------------------


class TestHorizon:
    @pytest.mark.parametrize("horizon", [0, 61, -1])
    def test_outside_1_to_60_is_refused(self, horizon: int) -> None:
        with pytest.raises(ScenarioError) as caught:
            project(GOLDEN_SCENARIO, horizon)
        assert (caught.value.field, caught.value.value) == ("months.horizon", horizon)
        assert caught.value.rule is Rule.MONTH
        assert caught.value.options == "1 to 60"

    def test_override_replaces_the_scenarios_own(self) -> None:
        assert project(GOLDEN_SCENARIO, 1).horizon == 1
        assert project(GOLDEN_SCENARIO, MAX_HORIZON).horizon == MAX_HORIZON
        assert project(Scenario()).horizon == 12

    def test_a_goal_after_a_shorter_horizon_is_not_judged(self) -> None:
        goals = project(GOLDEN_SCENARIO, 2).goals
        sales_by_3 = goals.iloc[0]
        assert math.isnan(sales_by_3["value"]) and not sales_by_3["met"]
        assert sales_by_3["month_met"] is None  # 146.4 < 200 by month 2

    def test_no_goals_is_an_empty_table(self) -> None:
        goals = project(replace(GOLDEN_SCENARIO, goals=())).goals
        assert goals.empty
        assert list(goals.columns) == [
            "tier",
            "metric",
            "target",
            "by_month",
            "value",
            "met",
            "month_met",
        ]

    def test_customer_value_without_end_is_none(self) -> None:
        forever = replace(GOLDEN_SCENARIO.months, retention=1.0)
        assert project(replace(GOLDEN_SCENARIO, months=forever)).customer_value is None
        once = replace(forever, repeat_purchases=0.0)
        assert project(replace(GOLDEN_SCENARIO, months=once)).customer_value == 50.0


# --- The command line ------------------------------------------------------------------------

TOP_LEVEL = [
    "horizon",
    "months",
    "payback_month",
    "npv",
    "roi",
    "customer_value",
    "acquisition_cost",
    "goals",
]
MONTH_KEYS = [
    "month",
    "investment",
    "return",
    "net",
    "new_customers",
    "returning_purchases",
    "followers",
    "totals",
    "cumulative",
    "channels",
]


def _main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


class TestCommandLine:
    def test_prints_the_documented_keys(
        self, capsys: pytest.CaptureFixture[str], example_file: Path
    ) -> None:
        code, out, err = _main(capsys, "months", str(example_file))
        assert (code, err) == (0, "")
        report = json.loads(out)
        assert list(report) == TOP_LEVEL
        assert report["horizon"] == 12 and len(report["months"]) == 12
        first = report["months"][0]
        assert list(first) == MONTH_KEYS
        assert list(first["return"]) == [
            "sales",
            "support",
            "leads",
            "engagement",
            "organic_traffic",
            "financial",
            "full",
        ]
        assert list(first["net"]) == ["financial", "full"]
        assert list(first["cumulative"]) == ["investment", "return", "net", "roi", "totals"]
        assert list(first["channels"][0]) == [
            "name",
            "impressions",
            "sales",
            "new_followers",
            "followers",
        ]
        assert "new_followers" in first["totals"]
        assert list(report["goals"][0]) == [
            "tier",
            "metric",
            "target",
            "by_month",
            "value",
            "met",
            "month_met",
        ]
        # The example file's month (no months block) is the evaluation's: 7900 invested.
        assert first["investment"] == pytest.approx(7900.0, **GOLDEN)
        assert report["payback_month"].keys() == {"financial", "full"}

    def test_horizon_option(self, capsys: pytest.CaptureFixture[str], example_file: Path) -> None:
        code, out, _ = _main(capsys, "months", str(example_file), "--horizon", "3")
        assert code == 0
        report = json.loads(out)
        assert report["horizon"] == 3
        assert [month["month"] for month in report["months"]] == [1, 2, 3]

    @pytest.mark.parametrize("horizon", ["0", "61", "abc", "2.5"])
    def test_bad_horizon_exits_2_with_one_line(
        self, capsys: pytest.CaptureFixture[str], example_file: Path, horizon: str
    ) -> None:
        code, out, err = _main(capsys, "months", str(example_file), "--horizon", horizon)
        assert (code, out) == (2, "")
        assert len(err.splitlines()) == 1
        assert err.startswith("error: --horizon: ")

    @pytest.mark.parametrize("content", ['{"schema_version": 1,', {"schema_version": 99}])
    def test_bad_file_exits_2_with_one_line(
        self,
        capsys: pytest.CaptureFixture[str],
        write_scenario_file: Any,
        content: Any,
    ) -> None:
        path = write_scenario_file(content)
        code, out, err = _main(capsys, "months", str(path))
        assert (code, out) == (2, "")
        assert len(err.splitlines()) == 1
        assert err.startswith(f"error: {path}: ")

    def test_undefined_numbers_are_null(
        self,
        capsys: pytest.CaptureFixture[str],
        write_scenario_file: Any,
        example_dict: dict[str, Any],
    ) -> None:
        example_dict["investment"] = dict.fromkeys(example_dict["investment"], 0)
        example_dict["channels"][0]["close_rate"] = 0
        code, out, _ = _main(capsys, "months", str(write_scenario_file(example_dict)))
        assert code == 0
        report = json.loads(out)
        assert report["roi"] == {"financial": None, "full": None}
        assert report["acquisition_cost"] is None
        # Nothing in, nothing out: the cumulative net is 0 from month 1, paid back at once.
        assert report["payback_month"] == {"financial": 1, "full": 1}
