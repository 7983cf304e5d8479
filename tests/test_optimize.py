"""The budget optimiser: hand-worked optima, brute force on grids, and the KKT conditions."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from roi_model import (
    ActionValues,
    Channel,
    GoalMetric,
    Investment,
    Rule,
    Scenario,
    ScenarioError,
    enabled_lenses,
    evaluate,
)
from roi_model.model.curves import FloatArray, paid_impressions
from roi_model.model.evaluate import _marginal_return, channel_arrays, funnel, objective_returns
from roi_model.model.optimize import (
    BudgetForTarget,
    InfeasibleBudget,
    Optimum,
    SpendLimit,
    budget_for_target,
    optimize_mix,
)
from tests.strategies import floats, investments, scenarios, zero_or

GOLDEN = {"rel": 1e-9}
MIX_COLUMNS = [
    f"{name}_{side}"
    for name in ("spend", "share", "hours", "return", "roi")
    for side in ("before", "after")
]


def _channel(
    name: str,
    ctr: float,
    *,
    cpm: float = 10.0,
    saturation: float | None = None,
    share: float = 1.0,
    **more: Any,
) -> Channel:
    """A channel whose paid impression returns exactly ``ctr`` (see ``VALUES``)."""
    return Channel(
        name,
        budget_share=share,
        cpm=cpm,
        saturation_spend=saturation,
        ctr=ctr,
        lead_rate=0.1,
        close_rate=0.1,
        **more,
    )


#: One visit in a hundred buys (0.1 lead rate x 0.1 close rate), an order of 100 at full margin:
#: a visit is worth 1 and a paid impression ``ctr`` (fit 1). No other value: full = financial.
VALUES = ActionValues(order_value=100.0, gross_margin=1.0)


def _scenario(*channels: Channel, budget: float, fixed: float = 0.0, **inv: float) -> Scenario:
    investment = Investment(ad_budget=budget, fixed_costs=fixed, **inv)
    return Scenario(investment=investment, values=VALUES, channels=channels)


def _spends(optimum: Optimum) -> list[float]:
    return optimum.mix_table()["spend_after"].tolist()


def _objective_return(scenario: Scenario, objective: str) -> float:
    returns = evaluate(scenario).returns
    return returns.financial if objective == "financial" else returns.full


# --------------------------------------------------------------------------------------------
# Two saturating channels, by hand. CPM 10 on both, so 1000 s / 10 = 100 s impressions before
# saturation; a paid impression returns a_A = 0.01 on A and a_B = 0.04 on B (their CTRs).
#   A: S = 1000, m_A = 1000 a / cpm = 1;   B: S = 4000, m_B = 4
#   marginal return at spend s: m / (1 + s/S)^2; equal to lambda at s = S (sqrt(m / lambda) - 1)
#   with u = 1 / sqrt(lambda): s_A = 1000 (u - 1), s_B = 4000 (2u - 1), sum 9000 u - 5000
#   budget 13000: u = 2, lambda = 1/4, s_A = 1000, s_B = 12000
#     check: A 1 / (1 + 1)^2 = 1/4;  B 4 / (1 + 3)^2 = 1/4
#     return: A 0.01 * 1000 * 1000 / (10 * 2) = 500;  B 0.04 * 1000 * 12000 / (10 * 4) = 12000
#     total 12500 (in general 17000 - 9000 / u while both spend)
#   today (shares 1:1, 6500 each): A 0.01 * 650000 / 7.5 = 866.67, B 0.04 * 650000 / 2.625
#     = 9904.76, total 10771.43
#   budget 2000: u = 7/9 < 1 would make s_A < 0, so A stays at 0 (its first unit returns
#     m_A = 1, less than lambda) and B takes all: 4000 (2u - 1) = 2000, u = 3/4,
#     lambda = 16/9 > 1; return 0.04 * 100 * 2000 / 1.5 = 16000 * 2000 / 6000 = 5333.33
# --------------------------------------------------------------------------------------------
TWO_CURVES = _scenario(
    _channel("A", 0.01, saturation=1000.0), _channel("B", 0.04, saturation=4000.0), budget=13000.0
)


class TestGolden:
    def test_two_saturating_channels_share_one_marginal_return(self) -> None:
        optimum = optimize_mix(TWO_CURVES)
        assert _spends(optimum) == pytest.approx([1000.0, 12000.0], **GOLDEN)
        assert optimum.after_return == pytest.approx(12500.0, **GOLDEN)
        assert optimum.before_return == pytest.approx(866.6666666666666 + 9904.761904761905)
        assert optimum.after_roi == pytest.approx(-500 / 13000, **GOLDEN)
        assert optimum.budget == 13000.0
        [share_a, share_b] = [c.budget_share for c in optimum.after.channels]
        assert (share_a, share_b) == pytest.approx((1 / 13, 12 / 13), **GOLDEN)
        marginal = evaluate(optimum.after).channels["marginal_financial_roi"] + 1
        assert marginal.tolist() == pytest.approx([0.25, 0.25], **GOLDEN)

    def test_a_small_budget_goes_to_one_channel(self) -> None:
        optimum = optimize_mix(TWO_CURVES, budget=2000.0)
        assert _spends(optimum) == pytest.approx([0.0, 2000.0], **GOLDEN)
        assert optimum.after_return == pytest.approx(16000 / 3, **GOLDEN)
        assert optimum.before.investment.ad_budget == 2000.0  # today's shares at that budget
        assert optimum.mix_table()["spend_before"].tolist() == [1000.0, 1000.0]

    # Linear channels (no saturation), CPM 10: 100 impressions per unit, marginal 100 ctr.
    # A: 1, B: 4 (at most 3000), C: 2. Budget 5000: B to its cap 3000, then C 2000, A nothing.
    # Return 0.04 * 100 * 3000 + 0.02 * 100 * 2000 = 12000 + 4000 = 16000.
    def test_linear_channels_fill_in_order_of_marginal_return(self) -> None:
        scenario = _scenario(
            _channel("A", 0.01), _channel("B", 0.04), _channel("C", 0.02), budget=5000.0
        )
        optimum = optimize_mix(scenario, limits={"B": SpendLimit(maximum=3000.0)})
        assert _spends(optimum) == pytest.approx([0.0, 3000.0, 2000.0], **GOLDEN)
        assert optimum.after_return == pytest.approx(16000.0, **GOLDEN)

    def test_all_linear_puts_everything_on_the_best_channel(self) -> None:
        scenario = _scenario(_channel("A", 0.01), _channel("B", 0.04), budget=5000.0)
        assert _spends(optimize_mix(scenario)) == [0.0, 5000.0]

    def test_tied_linear_channels_split_equally_up_to_their_caps(self) -> None:
        channels = [_channel(name, 0.02) for name in "ABC"]
        scenario = _scenario(*channels, _channel("D", 0.01), budget=900.0)
        limits = {"A": SpendLimit(maximum=100.0)}
        # A is full at 100; B and C share the remaining 800 equally; D (worse) gets nothing
        assert _spends(optimize_mix(scenario, limits=limits)) == [100.0, 400.0, 400.0, 0.0]

    def test_money_left_over_goes_to_channels_that_return_nothing(self) -> None:
        scenario = _scenario(
            _channel("A", 0.02, saturation=500.0),
            _channel("Z", 0.0),
            _channel("Y", 0.0),
            budget=1000.0,
        )
        optimum = optimize_mix(scenario, limits={"A": SpendLimit(maximum=400.0)})
        assert _spends(optimum) == pytest.approx([400.0, 300.0, 300.0], **GOLDEN)

    # Hours (100 h, shares 1:1). A: 1000 organic impressions an hour, worth 0.01 each: 10 an
    # hour. B: 100 impressions worth 0.04 (4) plus 2 support queries worth 5 (10): 14 an hour.
    # Today 50 * 10 + 50 * 14 = 1200; best all on B, 1400. No budget: only hours count.
    def test_hours_go_to_the_channel_an_hour_returns_most_on(self) -> None:
        scenario = replace(
            _scenario(
                _channel("A", 0.01, organic_impressions_per_hour=1000.0, hours_share=1.0),
                _channel(
                    "B",
                    0.04,
                    organic_impressions_per_hour=100.0,
                    hours_share=1.0,
                    support_queries_per_hour=2.0,
                ),
                budget=0.0,
                staff_hours=100.0,
            ),
            values=replace(VALUES, support_query=5.0),
        )
        optimum = optimize_mix(scenario, hours=True)
        table = optimum.mix_table()
        assert table["hours_after"].tolist() == [0.0, 100.0]
        assert (optimum.before_return, optimum.after_return) == pytest.approx((1200.0, 1400.0))
        assert optimize_mix(scenario).after_return == pytest.approx(1200.0)  # hours untouched
        locked = optimize_mix(scenario, hours=True, locked=["A"])
        assert locked.mix_table()["hours_after"].tolist() == [50.0, 50.0]


class TestLimitsAndLocks:
    def test_a_minimum_is_spent_even_where_it_returns_less(self) -> None:
        optimum = optimize_mix(TWO_CURVES, budget=2000.0, limits={"A": SpendLimit(500.0)})
        assert _spends(optimum) == pytest.approx([500.0, 1500.0], **GOLDEN)

    def test_a_locked_channel_keeps_todays_money_whatever_the_budget(self) -> None:
        optimum = optimize_mix(TWO_CURVES, budget=20000.0, locked=["A"])
        assert _spends(optimum) == pytest.approx([6500.0, 13500.0], **GOLDEN)

    def test_every_channel_locked_keeps_todays_mix(self) -> None:
        optimum = optimize_mix(TWO_CURVES, locked=["A", "B"])
        assert _spends(optimum) == pytest.approx([6500.0, 6500.0], **GOLDEN)
        assert optimum.after_return == pytest.approx(optimum.before_return, **GOLDEN)

    @pytest.mark.parametrize(
        ("limits", "budget"),
        [
            ({"A": SpendLimit(1500.0), "B": SpendLimit(1000.0)}, 2000.0),
            ({"A": SpendLimit(0.0, 500.0), "B": SpendLimit(0.0, 1000.0)}, 2000.0),
        ],
        ids=["minimums-above-budget", "maximums-below-budget"],
    )
    def test_limits_that_cannot_hold_the_budget_are_refused(
        self, limits: dict[str, SpendLimit], budget: float
    ) -> None:
        with pytest.raises(InfeasibleBudget) as caught:
            optimize_mix(TWO_CURVES, budget=budget, limits=limits)
        assert isinstance(caught.value, ValueError)
        assert "budget = 2000.0" in str(caught.value)
        assert caught.value.budget == budget

    def test_a_budget_of_zero_spends_nothing_and_stays_valid(self) -> None:
        optimum = optimize_mix(TWO_CURVES, budget=0.0)
        assert _spends(optimum) == [0.0, 0.0]
        assert [c.budget_share for c in optimum.after.channels] == [0.0, 0.0]
        assert math.isnan(optimum.after_roi)  # nothing invested

    @pytest.mark.parametrize(
        ("call", "field", "rule"),
        [
            (lambda: optimize_mix(TWO_CURVES, budget=-1.0), "budget", Rule.NOT_NEGATIVE),
            (lambda: optimize_mix(TWO_CURVES, budget=math.inf), "budget", Rule.FINITE),
            (lambda: optimize_mix(TWO_CURVES, limits={"C": SpendLimit()}), "limits", Rule.ONE_OF),
            (lambda: optimize_mix(TWO_CURVES, locked=["a"]), "locked", Rule.ONE_OF),
            (lambda: optimize_mix(TWO_CURVES, "cash"), "objective", Rule.ONE_OF),  # type: ignore[arg-type]
            (lambda: SpendLimit(-1.0), "minimum", Rule.NOT_NEGATIVE),
            (lambda: SpendLimit(0.0, math.nan), "maximum", Rule.FINITE),
        ],
        ids=[
            "negative-budget",
            "infinite-budget",
            "unknown-limit",
            "unknown-lock",
            "objective",
            "negative-minimum",
            "nan-maximum",
        ],
    )
    def test_bad_input_names_the_field(self, call: Any, field: str, rule: Rule) -> None:
        with pytest.raises(ScenarioError) as caught:
            call()
        assert (caught.value.field, caught.value.rule) == (field, rule)

    def test_a_maximum_below_the_minimum_is_refused(self) -> None:
        with pytest.raises(ValueError, match=r"maximum = 1\.0: expected a number >= the minimum"):
            SpendLimit(2.0, 1.0)

    def test_a_channel_without_cpm_cannot_be_made_to_spend(self) -> None:
        scenario = _scenario(
            _channel("A", 0.01), _channel("B", 0.02, cpm=0.0, share=0.0), budget=100.0
        )
        assert _spends(optimize_mix(scenario)) == [100.0, 0.0]  # B would be best, but is free
        with pytest.raises(ScenarioError) as caught:
            optimize_mix(scenario, limits={"B": SpendLimit(10.0)})
        assert (caught.value.field, caught.value.rule) == ("channels[1].cpm", Rule.CPM_WITH_SPEND)


class TestResult:
    def test_mix_table_has_one_row_per_channel(self) -> None:
        table = optimize_mix(TWO_CURVES).mix_table()
        assert list(table.columns) == MIX_COLUMNS
        assert (table.index.name, list(table.index)) == ("channel", ["A", "B"])
        assert table["return_after"].tolist() == pytest.approx([500.0, 12000.0], **GOLDEN)
        assert table["roi_after"].tolist() == pytest.approx([-0.5, 0.0], abs=1e-12)
        assert table["share_before"].tolist() == [0.5, 0.5]

    def test_channel_roi_without_investment_is_nan_not_inf(self) -> None:
        table = optimize_mix(TWO_CURVES, budget=2000.0).mix_table()
        assert math.isnan(table.loc["A", "roi_after"])

    def test_to_dict_gives_both_sides(self) -> None:
        result = optimize_mix(TWO_CURVES, "full").to_dict()
        assert list(result) == ["objective", "budget", "before", "after"]
        assert (result["objective"], result["budget"]) == ("full", 13000.0)
        assert list(result["after"]) == ["return", "roi", "channels"]
        assert result["after"]["channels"][1]["name"] == "B"
        assert result["after"]["channels"][1]["spend"] == pytest.approx(12000.0, **GOLDEN)
        assert result["after"]["channels"][1]["budget_share"] == pytest.approx(12 / 13, **GOLDEN)
        assert result["after"]["return"] == pytest.approx(12500.0, **GOLDEN)

    def test_undefined_roi_is_none_in_the_dict(self) -> None:
        assert optimize_mix(TWO_CURVES, budget=0.0).to_dict()["after"]["roi"] is None


# --------------------------------------------------------------------------------------------
# Brute force: every split of the budget on a grid of shares.
# --------------------------------------------------------------------------------------------
def _grid_returns(scenario: Scenario, objective: str, spend: FloatArray) -> FloatArray:
    """The objective's return of each row of spends (rows x channels), through the model's
    own curve and funnel, broadcast over the rows; checked against evaluate below."""
    rates, inv = channel_arrays(scenario.channels), scenario.investment
    hours = inv.staff_hours * rates["hours_share"] / rates["hours_share"].sum()
    paid = paid_impressions(spend, rates["cpm"], rates["saturation_spend"])
    organic = hours * rates["organic_impressions_per_hour"]
    counts = funnel(paid + organic, organic, hours, rates, scenario.values)
    financial, full = objective_returns(counts, enabled_lenses(scenario.lenses))
    return (financial if objective == "financial" else full).sum(axis=1)


def _bounds(
    scenario: Scenario, limits: Mapping[str, SpendLimit], locked: set[str]
) -> tuple[FloatArray, FloatArray]:
    """Each channel's least and most spend, from the scenario as given (before any budget)."""
    today = evaluate(scenario).channels["spend"]
    limit = [limits.get(name, SpendLimit()) for name in scenario.channel_names]
    lower = [
        today[c.name] if c.name in locked else lim.minimum
        for c, lim in zip(scenario.channels, limit, strict=True)
    ]
    upper = [
        0.0
        if c.cpm <= 0
        else today[c.name]
        if c.name in locked
        else math.inf
        if lim.maximum is None
        else lim.maximum
        for c, lim in zip(scenario.channels, limit, strict=True)
    ]
    return np.array(lower), np.array(upper)


def _simplex(parts: int, steps: int) -> FloatArray:
    """Every split of 1 into ``parts`` multiples of ``1 / steps``."""
    cuts = itertools.combinations(range(steps + parts - 1), parts - 1)
    rows = [np.diff([-1, *cut, steps + parts - 1]) - 1 for cut in cuts]
    return np.array(rows, float) / steps


def _brute_force(
    scenario: Scenario,
    objective: str,
    limits: Mapping[str, SpendLimit],
    locked: set[str],
    steps: int,
) -> tuple[float, FloatArray, float]:
    """The best return on the grid, its spends, and the grid's step in money."""
    today = evaluate(scenario).channels["spend"].to_numpy()
    fixed = np.array([name in locked for name in scenario.channel_names])
    free_budget = scenario.investment.ad_budget - today[fixed].sum()
    shares = _simplex(int((~fixed).sum()), steps)
    spend = np.tile(np.where(fixed, today, 0.0), (len(shares), 1))
    spend[:, ~fixed] = shares * free_budget
    lower, upper = _bounds(scenario, limits, locked)
    within = ((spend >= lower - 1e-9) & (spend <= upper + 1e-9)).all(axis=1)
    returns = _grid_returns(scenario, objective, spend[within])
    best = int(np.argmax(returns))
    return float(returns[best]), spend[within][best], free_budget / steps


def _rich_channel(name: str, **numbers: Any) -> Channel:
    rates = {
        "budget_share": 1.0,
        "hours_share": 1.0,
        "organic_impressions_per_hour": 300.0,
        "like_rate": 0.02,
        "share_rate": 0.002,
        "lead_rate": 0.05,
        "close_rate": 0.1,
    }
    return Channel(name, **(rates | numbers))


RICH_VALUES = ActionValues(like=0.05, share=1.0, lead=15.0, order_value=120.0, gross_margin=0.4)
BRUTE_CASES = {
    "two-curves": (
        [
            _rich_channel("A", cpm=8.0, saturation_spend=2000.0, ctr=0.01),
            _rich_channel("B", cpm=5.0, saturation_spend=800.0, ctr=0.006),
        ],
        "financial",
        {},
        (),
        200,
    ),
    "three-with-linear-and-cap": (
        [
            _rich_channel("A", cpm=8.0, saturation_spend=3000.0, ctr=0.012),
            _rich_channel("B", cpm=12.0, ctr=0.015),
            _rich_channel("C", cpm=4.0, saturation_spend=500.0, ctr=0.004, fit=0.7),
        ],
        "full",
        {"B": SpendLimit(maximum=1500.0)},
        (),
        60,
    ),
    "four-with-minimum-and-lock": (
        [
            _rich_channel("A", cpm=8.0, saturation_spend=3000.0, ctr=0.012),
            _rich_channel("B", cpm=12.0, ctr=0.015, budget_share=0.5),
            _rich_channel("C", cpm=4.0, saturation_spend=500.0, ctr=0.004),
            _rich_channel("D", cpm=6.0, saturation_spend=1500.0, ctr=0.009, like_rate=0.05),
        ],
        "full",
        {"C": SpendLimit(minimum=1000.0), "D": SpendLimit(maximum=2000.0)},
        ("B",),
        40,
    ),
}


class TestAgainstBruteForce:
    @pytest.mark.parametrize("case", list(BRUTE_CASES))
    def test_no_split_on_a_grid_beats_the_optimum(self, case: str) -> None:
        channels, objective, limits, locked, steps = BRUTE_CASES[case]
        scenario = Scenario(
            investment=Investment(ad_budget=6000.0, staff_hours=20.0),
            values=RICH_VALUES,
            channels=tuple(channels),
        )
        optimum = optimize_mix(scenario, objective, limits=limits, locked=locked)  # type: ignore[arg-type]
        grid_best, grid_spend, step = _brute_force(scenario, objective, limits, set(locked), steps)
        assert grid_best <= optimum.after_return * (1 + 1e-12)
        # the grid's best lies next to the optimum, and returns nearly as much
        assert np.abs(grid_spend - _spends(optimum)).max() <= step
        column = "marginal_financial_roi" if objective == "financial" else "marginal_roi"
        marginal = evaluate(optimum.after).channels[column] + 1
        assert optimum.after_return - grid_best <= marginal.max() * step * len(channels)
        assert optimum.after_return > optimum.before_return

    def test_the_grid_helper_agrees_with_evaluate(self) -> None:
        channels, *_ = BRUTE_CASES["four-with-minimum-and-lock"]
        scenario = Scenario(
            investment=Investment(ad_budget=6000.0, staff_hours=20.0),
            values=RICH_VALUES,
            channels=tuple(channels),
        )
        spend = evaluate(scenario).channels["spend"].to_numpy()
        [value] = _grid_returns(scenario, "full", spend[None, :])
        assert value == pytest.approx(evaluate(scenario).returns.full, rel=1e-12)


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------
WITH_BUDGET = investments(ad_budget=floats(1.0, 1e5))
OBJECTIVES = st.sampled_from(["financial", "full"])
TOLERANCE = 1e-9


@st.composite
def selling(draw: st.DrawFn, scenario: Scenario) -> Scenario:
    """The scenario with every channel that can buy selling at rates of one order (random rates
    are often 0 or far apart, and then one channel takes everything), mostly with saturation
    near the budgets drawn: several channels share the optimum."""
    ctr, lead_rate, close_rate = (draw(floats(0.01, 0.1)) for _ in range(3))
    channels = tuple(
        replace(
            channel,
            ctr=ctr * draw(floats(0.5, 2.0)),
            lead_rate=lead_rate,
            close_rate=close_rate,
            fit=1.0,
            cpm=draw(floats(2.0, 20.0)),
            saturation_spend=None if draw(st.integers(0, 3)) == 0 else draw(floats(100.0, 2e4)),
        )
        if channel.cpm > 0
        else channel
        for channel in scenario.channels
    )
    values = replace(scenario.values, order_value=draw(floats(10.0, 1e3)), gross_margin=1.0)
    return replace(scenario, channels=channels, values=values)


@st.composite
def problems(draw: st.DrawFn) -> tuple[Scenario, Any, float, dict[str, SpendLimit], set[str]]:
    """A scenario, an objective, limits and locks, and a budget the limits can hold."""
    scenario = draw(scenarios(min_channels=2, max_channels=5, investment=WITH_BUDGET))
    if draw(st.booleans()):
        scenario = draw(selling(scenario))
    names = scenario.channel_names
    locked = draw(st.sets(st.sampled_from(names), max_size=len(names) - 1))
    limits: dict[str, SpendLimit] = {}
    for channel in scenario.channels:
        if channel.name in locked or not draw(st.booleans()):
            continue
        low = 0.0 if channel.cpm <= 0 else draw(zero_or(floats(1.0, 2e4)))
        limits[channel.name] = SpendLimit(low, draw(st.none() | floats(low, low + 5e4)))
    lower, upper = _bounds(scenario, limits, locked)
    lowest, highest = float(lower.sum()), float(upper.sum())
    assume(lowest <= highest)
    budget = draw(floats(lowest, min(highest, lowest + 1e5)))
    return scenario, draw(OBJECTIVES), budget, limits, locked


class TestProperties:
    @settings(max_examples=100)
    @given(problem=problems())
    def test_spends_sum_to_the_budget_within_limits(self, problem: Any) -> None:
        scenario, objective, budget, limits, locked = problem
        optimum = optimize_mix(scenario, objective, budget=budget, limits=limits, locked=locked)
        shares = [c.budget_share for c in optimum.after.channels]
        spend = np.array(shares) * budget
        assert spend.sum() == pytest.approx(budget, rel=TOLERANCE, abs=TOLERANCE)
        lower, upper = _bounds(scenario, limits, locked)
        slack = TOLERANCE * max(budget, 1.0)
        assert (spend >= lower - slack).all() and (spend <= upper + slack).all()

    @settings(max_examples=100)
    @given(problem=problems())
    def test_after_evaluates_to_the_reported_return_and_roi(self, problem: Any) -> None:
        scenario, objective, budget, limits, locked = problem
        optimum = optimize_mix(scenario, objective, budget=budget, limits=limits, locked=locked)
        evaluation = evaluate(optimum.after)
        roi = evaluation.financial_roi if objective == "financial" else evaluation.full_roi
        assert _objective_return(optimum.after, objective) == optimum.after_return
        assert roi == optimum.after_roi or (math.isnan(roi) and math.isnan(optimum.after_roi))
        assert _objective_return(optimum.before, objective) == optimum.before_return

    @settings(max_examples=100)
    @given(problem=problems())
    def test_kkt_no_move_of_money_between_channels_pays(self, problem: Any) -> None:
        # Every channel that can take more earns at most the marginal return of every channel
        # that can give some up: interior channels share one lambda, those at their maximum
        # earn at least it, those at their minimum at most.
        scenario, objective, budget, limits, locked = problem
        optimum = optimize_mix(scenario, objective, budget=budget, limits=limits, locked=locked)
        after = optimum.after
        spend = evaluate(after).channels["spend"].to_numpy()
        marginal = _marginal_return(
            after, channel_arrays(after.channels), spend, enabled_lenses(after.lenses)
        )[objective == "full"]
        lower, upper = _bounds(scenario, limits, locked)
        slack = 1e-7 * max(budget, 1.0)
        can_take, can_give = spend < upper - slack, spend > lower + slack
        if can_take.any() and can_give.any():
            top = float(np.nanmax(marginal))
            assert marginal[can_take].max() <= marginal[can_give].min() * (1 + 1e-7) + 1e-12 * top

    @settings(max_examples=100)
    @given(
        scenario=scenarios(min_channels=1, max_channels=5, investment=WITH_BUDGET),
        objective=OBJECTIVES,
        budgets=st.lists(floats(0.0, 2e5), min_size=2, max_size=2),
    )
    def test_more_budget_never_lowers_the_best_return(
        self, scenario: Scenario, objective: Any, budgets: list[float]
    ) -> None:
        low, high = sorted(budgets)
        less = optimize_mix(scenario, objective, budget=low).after_return
        more = optimize_mix(scenario, objective, budget=high).after_return
        assert less <= more * (1 + 1e-12) + 1e-12

    @settings(max_examples=100)
    @given(
        scenario=scenarios(min_channels=1, max_channels=6, investment=WITH_BUDGET),
        objective=OBJECTIVES,
        hours=st.booleans(),
        lock=st.booleans(),
    )
    def test_the_optimum_is_never_worse_than_todays_mix(
        self, scenario: Scenario, objective: Any, hours: bool, lock: bool
    ) -> None:
        locked = scenario.channel_names[:1] if lock else ()
        optimum = optimize_mix(scenario, objective, hours=hours, locked=locked)
        assert optimum.after_return >= optimum.before_return * (1 - 1e-12) - 1e-12


# --------------------------------------------------------------------------------------------
# Budget for a target. TWO_CURVES plus 2000 of fixed costs: for budgets below 4000 only B
# spends (see above), returning 16000 b / (4000 + b). Break-even (ROI 0):
#   16000 b = (b + 2000)(b + 4000)  ->  b^2 - 10000 b + 8e6 = 0  ->  b = 5000 - 1000 sqrt(17)
#   = 876.89 (the other root, 9123, is past 4000 where A also spends).
# The default cap is 10 x the investment: 10 x 15000 = 150000.
# --------------------------------------------------------------------------------------------
WITH_FIXED = replace(TWO_CURVES, investment=replace(TWO_CURVES.investment, fixed_costs=2000.0))


class TestBudgetForTarget:
    def test_break_even_budget(self) -> None:
        result = budget_for_target(WITH_FIXED, target_roi=0.0)
        assert result.budget == pytest.approx(5000 - 1000 * math.sqrt(17), **GOLDEN)
        assert result.cap == 150000.0
        assert result.optimum is not None
        assert result.optimum.budget == result.budget
        assert result.optimum.after_roi >= 0.0
        smaller = optimize_mix(WITH_FIXED, budget=result.budget * (1 - 1e-9))
        assert smaller.after_roi < 0.0

    def test_goal_on_the_return(self) -> None:
        # both spending, the best return is 17000 - 9000 / u with u = (b + 5000) / 9000:
        # 12500 at u = 2, a budget of 13000
        result = budget_for_target(
            WITH_FIXED, goal=GoalMetric.FINANCIAL_RETURN, goal_target=12500.0
        )
        assert result.budget == pytest.approx(13000.0, **GOLDEN)
        assert result.optimum is not None
        assert evaluate(result.optimum.after).metric(GoalMetric.FINANCIAL_RETURN) >= 12500.0

    @pytest.mark.parametrize(
        "target",
        [{"target_roi": 3.0}, {"goal": GoalMetric.FINANCIAL_RETURN, "goal_target": 17000.0}],
        ids=["roi-above-the-first-unit", "return-at-the-asymptote"],
    )
    def test_unreachable_is_none(self, target: dict[str, Any]) -> None:
        assert budget_for_target(WITH_FIXED, **target) == BudgetForTarget(None, None, 150000.0)

    def test_a_target_met_with_no_budget_needs_none(self) -> None:
        result = budget_for_target(WITH_FIXED, target_roi=-1.0)
        assert result.budget == 0.0

    def test_the_cap_limits_the_search(self) -> None:
        result = budget_for_target(WITH_FIXED, target_roi=0.0, cap=500.0)
        assert (result.budget, result.cap) == (None, 500.0)

    def test_minimums_above_the_cap_find_nothing(self) -> None:
        limits = {"A": SpendLimit(1000.0)}
        result = budget_for_target(WITH_FIXED, target_roi=-1.0, limits=limits, cap=500.0)
        assert result == BudgetForTarget(None, None, 500.0)

    def test_the_target_must_be_one_thing(self) -> None:
        with pytest.raises(ValueError, match="either target_roi, or goal and goal_target"):
            budget_for_target(WITH_FIXED, target_roi=0.0, goal=GoalMetric.SALES, goal_target=1.0)

    @settings(max_examples=60)
    @given(
        scenario=scenarios(min_channels=1, max_channels=4, investment=WITH_BUDGET),
        objective=OBJECTIVES,
        target=floats(-1.0, 2.0),
    )
    def test_the_budget_found_reaches_the_target_and_a_smaller_one_does_not(
        self, scenario: Scenario, objective: Any, target: float
    ) -> None:
        result = budget_for_target(scenario, objective, target_roi=target)
        if result.budget is None:
            return
        assert result.optimum is not None
        assert result.optimum.after_roi >= target
        # With no staff and no fixed costs nothing is invested at budget 0 (ROI undefined) and
        # the least budget may be as near 0 as floats go: nothing smaller to try there.
        smaller = result.budget * (1 - 1e-6)
        if smaller > 1e-9 * result.cap:
            assert not optimize_mix(scenario, objective, budget=smaller).after_roi >= target


def test_the_gain_is_the_best_mix_return_over_todays() -> None:
    from roi_model.files.scenario_file import load_scenario
    from roi_model.model.optimize import optimize_mix

    shop = load_scenario("sample_data/presets/online_shop.json")
    optimum = optimize_mix(shop, "full")
    assert optimum.gain == optimum.after_return - optimum.before_return
    assert optimum.gain > 0  # the preset's mix is not the best one
