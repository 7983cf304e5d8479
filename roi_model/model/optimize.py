"""The best mix: the split of a budget (and of staff hours) across channels with the most return.

Every return is linear in paid impressions for fixed hours, so channel ``c`` returns
``R_c(s) = a_c * I_c(s) + b_c`` at spend ``s``: ``a_c`` is the return of one paid impression
(the funnel run on one impression), ``I_c(s) = 1000 s / (cpm_c (1 + s / S_c))`` the impressions
bought and ``b_c`` what the hours bring, which no spend changes. The investment is fixed for a
given budget and hours, so the most return is also the best ROI.

The optimum is exact (Karush-Kuhn-Tucker water-filling), not a numerical search: every channel
strictly inside its limits earns the same marginal return ``lambda`` on its next unit of money.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from roi_model.model.curves import FloatArray
from roi_model.model.errors import Rule, ScenarioError
from roi_model.model.evaluate import (
    channel_arrays,
    channel_columns,
    channel_figures,
    enabled_lenses,
    funnel,
    normalised,
    objective_returns,
    return_per_impression,
    roi,
)
from roi_model.model.report import json_number
from roi_model.model.spec import GoalMetric, Scenario
from roi_model.model.vocabulary import OBJECTIVES, Objective

_SCAN_POINTS = 200
#: Budgets this close (relatively) to the limits' bounds are taken as on them: sums round.
_SLACK = 1e-9

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class SpendLimit:
    """The least and the most one channel may spend a month (``maximum`` None: no cap)."""

    minimum: float = 0.0
    maximum: float | None = None

    def __post_init__(self) -> None:
        _check_amount("minimum", self.minimum)
        if self.maximum is None:
            return
        _check_amount("maximum", self.maximum)
        if self.maximum < self.minimum:
            # No Rule says "at least another field"; a plain ValueError names both.
            raise ValueError(
                f"maximum = {self.maximum!r}: expected a number >= the minimum "
                f"({self.minimum!r}), or None for no cap"
            )


class InfeasibleBudget(ValueError):
    """A budget the limits cannot hold: below the sum of the minimums or above the maximums.

    ``lowest`` and ``highest`` are the budgets the limits allow (``highest`` may be inf), so
    the app can say it in the user's language.
    """

    def __init__(self, budget: float, lowest: float, highest: float) -> None:
        self.budget = budget
        self.lowest = lowest
        self.highest = highest
        super().__init__(
            f"budget = {budget!r}: expected a budget between {lowest!r} (the channels' minimum "
            f"and locked spends) and {highest!r} (their maximum spends)"
        )


@dataclass(frozen=True)
class Optimum:
    """Today's mix and the best one at the same budget, with the objective's return and ROI.

    ``before`` is the scenario as given (with the budget replaced when one was passed);
    ``after`` the same scenario with ``budget_share = spend / budget`` (and ``hours_share``
    when hours were optimised). ROIs are NaN where undefined, as in :func:`evaluate`.
    """

    objective: Objective
    budget: float
    before: Scenario
    after: Scenario
    before_return: float
    after_return: float
    before_roi: float
    after_roi: float

    @property
    def gain(self) -> float:
        """What the best mix adds to today's return (of the objective)."""
        return self.after_return - self.before_return

    def mix_table(self) -> pd.DataFrame:
        """One row per channel (index ``channel``): spend, share, hours, return and ROI of the
        objective, before and after; ROIs are NaN where a channel has no investment."""
        sides = {"before": channel_columns(self.before), "after": channel_columns(self.after)}
        columns = {
            f"{name}_{side}": sides[side][source]
            for name, source in (
                ("spend", "spend"),
                ("share", "spend_share"),
                ("hours", "hours"),
                ("return", f"{self.objective}_return"),
                ("roi", f"{self.objective}_roi"),
            )
            for side in ("before", "after")
        }
        index = pd.Index(self.before.channel_names, name="channel", dtype=object)
        return pd.DataFrame(columns, index=index)

    def to_dict(self) -> dict[str, Any]:
        """The command line's JSON: return, ROI and each channel's share and spend, both sides.

        ``budget_share`` is the share of the budget the channel actually gets (normalised).
        """
        return {
            "objective": self.objective,
            "budget": json_number(self.budget),
            "before": _side_dict(self.before, self.before_return, self.before_roi),
            "after": _side_dict(self.after, self.after_return, self.after_roi),
        }


@dataclass(frozen=True)
class BudgetForTarget:
    """The smallest budget whose best mix reaches a target (None if none up to ``cap``)."""

    budget: float | None
    optimum: Optimum | None
    cap: float


@dataclass(frozen=True)
class _Problem:
    """One scenario's optimisation constants, as arrays over the channels."""

    scenario: Scenario
    rates: dict[str, FloatArray]
    marginal_at_zero: FloatArray  # return of the first unit of money: 1000 a / cpm
    per_hour: FloatArray  # return of one staff hour (organic reach and support)
    lower: FloatArray
    upper: FloatArray
    locked: BoolArray
    hours_today: FloatArray


def optimize_mix(
    scenario: Scenario,
    objective: Objective = "financial",
    *,
    budget: float | None = None,
    limits: Mapping[str, SpendLimit] | None = None,
    locked: Iterable[str] = (),
    hours: bool = False,
) -> Optimum:
    """The split of the budget across channels that maximises the objective's return.

    Parameters
    ----------
    scenario
        Today's scenario: its channels, rates, values and hours.
    objective
        ``"financial"`` (sales and support) or ``"full"`` (every enabled lens).
    budget
        The monthly ad budget to split; today's when None.
    limits
        Per channel name, the least and most it may spend; absent channels are free.
    locked
        Channel names that keep today's spend (and, with ``hours``, today's hours), whatever
        the budget: a lock is a limit with minimum = maximum = today's money.
    hours
        Also move staff hours to where an hour returns most.

    Returns
    -------
    Optimum
        Both mixes with the objective's return and ROI.

    Raises
    ------
    ScenarioError
        A bad objective, budget, channel name or limit, a channel with a CPM of 0 that must
        spend, or a budget with no share to go to in today's mix.
    InfeasibleBudget
        The minimums (and locks) exceed the budget, or the maximums cannot absorb it.

    Notes
    -----
    Channel ``c`` at spend ``s`` earns ``a_c I_c(s)`` with ``I_c'(s) = 1000 / (cpm_c (1 +
    s/S_c)^2)``. At the optimum (KKT) channels strictly inside their limits share one marginal
    return ``lambda``, channels at their maximum earn at least ``lambda`` and channels at their
    minimum at most ``lambda``. Solving ``a_c I_c'(s) = lambda`` gives
    ``s_c(lambda) = S_c (sqrt(m_c / lambda) - 1)`` clipped to the limits, with
    ``m_c = 1000 a_c / cpm_c``; a channel without saturation has the constant marginal ``m_c``
    and takes its maximum when ``m_c > lambda``. The total spend is piecewise
    ``alpha + beta / sqrt(lambda)`` between the points where a channel meets a limit, so
    ``lambda`` is found exactly: sort those points, find the piece holding the budget and solve
    it. Channels tied at ``lambda`` (linear ones with equal ``m_c``, or those returning nothing
    when money is left over) share what is left equally, each up to its maximum.

    Staff hours return ``h_c`` per hour (organic impressions through the funnel plus support
    queries answered), linear and the same hourly cost everywhere, so all free hours go to the
    channel with the highest ``h_c`` (shared equally on a tie); locked channels keep theirs.
    """
    problem = _problem(scenario, objective, budget, limits, locked)
    before = problem.scenario
    spend = _spend_at(problem, before.investment.ad_budget)
    new_hours = _best_hours(problem) if hours else None
    after = _with_mix(before, spend, new_hours)
    before_return, before_roi = _objective_figures(before, objective)
    after_return, after_roi = _objective_figures(after, objective)
    return Optimum(
        objective=objective,
        budget=before.investment.ad_budget,
        before=before,
        after=after,
        before_return=before_return,
        after_return=after_return,
        before_roi=before_roi,
        after_roi=after_roi,
    )


def budget_for_target(
    scenario: Scenario,
    objective: Objective = "financial",
    *,
    target_roi: float | None = None,
    goal: GoalMetric | None = None,
    goal_target: float | None = None,
    limits: Mapping[str, SpendLimit] | None = None,
    locked: Iterable[str] = (),
    cap: float | None = None,
) -> BudgetForTarget:
    """The smallest budget whose best mix (for the objective) reaches a target.

    Give either ``target_roi`` (the objective's ROI, 0.5 is 50 %) or a ``goal`` metric and its
    ``goal_target``. Hours stay as in the scenario; limits and locks apply at every budget.

    Notes
    -----
    The best return never falls as the budget grows, but the ROI need not rise: budgets from
    the least the limits allow to ``cap`` (default ``max(10 x budget, 10 x investment, 1000)``)
    are scanned at 201 points and the first crossing is bisected to float precision. A target
    met only between two scan points is missed (for the objective's own ROI the budgets that
    reach it form one interval, since the best return is concave in the budget).

    Raises
    ------
    ScenarioError, InfeasibleBudget, ValueError
        As :func:`optimize_mix`; ``ValueError`` also when the target is not exactly one of
        ``target_roi`` or ``goal`` with ``goal_target``.
    """
    metric, target = _target(objective, target_roi, goal, goal_target)
    limit = _default_cap(scenario) if cap is None else cap
    _check_amount("cap", limit)
    problem = _problem(scenario, objective, None, limits, locked)
    _with_budget(scenario, limit)  # a budget with no share in today's mix fails here, not later
    lowest, highest = float(problem.lower.sum()), min(float(problem.upper.sum()), limit)
    if lowest > highest:
        return BudgetForTarget(None, None, limit)

    def reached(budget: float) -> bool:
        return _metric_at(problem, budget, metric) >= target  # NaN (undefined) never reaches

    found = _first_reaching(reached, lowest, highest)
    if found is None:
        return BudgetForTarget(None, None, limit)
    return BudgetForTarget(
        found, optimize_mix(scenario, objective, budget=found, limits=limits, locked=locked), limit
    )


def _check_amount(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(name, value, Rule.WRONG_TYPE, "a number")
    if not math.isfinite(value):
        raise ScenarioError(name, value, Rule.FINITE)
    if value < 0:
        raise ScenarioError(name, value, Rule.NOT_NEGATIVE)


def _with_budget(scenario: Scenario, budget: float) -> Scenario:
    """The scenario with another ad budget (today's shares): invalid if no channel has one."""
    _check_amount("budget", budget)
    return replace(scenario, investment=replace(scenario.investment, ad_budget=float(budget)))


def _problem(
    scenario: Scenario,
    objective: Objective,
    budget: float | None,
    limits: Mapping[str, SpendLimit] | None,
    locked: Iterable[str],
) -> _Problem:
    """The constants of the optimisation: a_c, h_c and each channel's spend limits."""
    if objective not in OBJECTIVES:
        raise ScenarioError("objective", objective, Rule.ONE_OF, ", ".join(OBJECTIVES))
    before = scenario if budget is None else _with_budget(scenario, budget)
    rates = channel_arrays(scenario.channels)
    lenses = enabled_lenses(scenario.lenses)
    impression = return_per_impression(rates, scenario.values, lenses)
    per_impression = _objective_return(objective, impression)
    # one staff hour: its organic impressions run through the funnel, plus support
    reach, ones = rates["organic_impressions_per_hour"], np.ones(len(scenario.channels))
    hour = funnel(reach, reach, ones, rates, scenario.values)
    per_hour = _objective_return(objective, objective_returns(hour, lenses))
    cpm = rates["cpm"]
    marginal = np.where(cpm > 0, 1000.0 * per_impression / np.where(cpm > 0, cpm, 1.0), 0.0)
    inv = scenario.investment
    is_locked = _locked_mask(scenario.channel_names, locked)
    lower, upper = _bounds(scenario, rates, limits or {}, is_locked)
    return _Problem(
        scenario=before,
        rates=rates,
        marginal_at_zero=marginal,
        per_hour=per_hour,
        lower=lower,
        upper=upper,
        locked=is_locked,
        hours_today=inv.staff_hours * normalised(rates["hours_share"]),
    )


def _objective_return(objective: Objective, returns: tuple[FloatArray, FloatArray]) -> FloatArray:
    """The objective's return, picked from the (financial, full-value) pair."""
    financial, full = returns
    return financial if objective == "financial" else full


def _locked_mask(names: tuple[str, ...], locked: Iterable[str]) -> BoolArray:
    chosen = set(locked)
    _check_names("locked", chosen, names)
    return np.array([name in chosen for name in names], bool)


def _check_names(field: str, given: Iterable[str], names: tuple[str, ...]) -> None:
    for name in given:
        if name not in names:
            raise ScenarioError(field, name, Rule.ONE_OF, ", ".join(names))


def _bounds(
    scenario: Scenario,
    rates: dict[str, FloatArray],
    limits: Mapping[str, SpendLimit],
    locked: BoolArray,
) -> tuple[FloatArray, FloatArray]:
    """Each channel's least and most spend: its limit, today's spend if locked, 0 without CPM."""
    names = scenario.channel_names
    _check_names("limits", limits, names)
    free = SpendLimit()
    chosen = [limits.get(name, free) for name in names]
    lower = np.array([limit.minimum for limit in chosen], float)
    upper = np.array([math.inf if lim.maximum is None else lim.maximum for lim in chosen], float)
    today = scenario.investment.ad_budget * normalised(rates["budget_share"])
    lower, upper = np.where(locked, today, lower), np.where(locked, today, upper)
    no_cpm = rates["cpm"] <= 0  # would buy impressions for nothing: may not spend at all
    if (no_cpm & (lower > 0)).any():
        index = int(np.argmax(no_cpm & (lower > 0)))
        raise ScenarioError(
            f"channels[{index}].cpm", scenario.channels[index].cpm, Rule.CPM_WITH_SPEND
        )
    return lower, np.where(no_cpm, 0.0, upper)


def _spend_at(problem: _Problem, budget: float) -> FloatArray:
    """The optimum spend per channel for a budget, within the problem's limits."""
    lowest, highest = float(problem.lower.sum()), float(problem.upper.sum())
    slack = _SLACK * max(budget, 1.0)
    if budget < lowest - slack or budget > highest + slack:
        raise InfeasibleBudget(budget, lowest, highest)
    return _water_fill(
        problem.marginal_at_zero,
        problem.rates["saturation_spend"],
        problem.lower,
        problem.upper,
        budget,
    )


def _water_fill(
    marginal: FloatArray,
    saturation: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
    budget: float,
) -> FloatArray:
    """Spends within ``[lower, upper]`` summing to ``budget`` with the most return (exact).

    ``marginal`` is each channel's return on its first unit of money (``m_c``), ``saturation``
    NaN for a channel without diminishing returns. See :func:`optimize_mix` for the maths.
    """
    curved = ~np.isnan(saturation) & (marginal > 0)
    sat = np.where(curved, saturation, 1.0)
    # lambda above ``enter``: the channel stays at its minimum; below ``full``: at its maximum
    enter = np.where(curved, marginal / (1.0 + lower / sat) ** 2, 0.0)
    full = np.where(curved, marginal / (1.0 + upper / sat) ** 2, 0.0)
    points = np.unique(np.concatenate((marginal[~curved], enter[curved], full[curved], [0.0])))
    points = points[::-1, None]  # lambdas where some channel meets a limit, highest first
    on_curve = _curved_spend(points, marginal, sat, enter, full, lower, upper)
    above = np.where(curved, on_curve, np.where(marginal > points, upper, lower))
    below = np.where(curved, on_curve, np.where(marginal >= points, upper, lower))
    total_above, total_below = above.sum(axis=1), below.sum(axis=1)
    tie = (total_above <= budget) & (budget <= total_below)
    if tie.any():  # lambda is one of the points: tied channels share what is left
        row = int(np.argmax(tie))
        tied = ~curved & (marginal == points[row, 0])
        extra = _equal_split(np.where(tied, upper - lower, 0.0), budget - total_above[row])
        spend: FloatArray = above[row] + extra
        return spend
    row = int((total_below < budget).sum()) - 1
    if row < 0 or row + 1 >= len(points):  # on a bound, up to rounding
        return (lower if row < 0 else upper).copy()
    return _solve_piece(
        marginal, sat, curved, enter, full, lower, upper, budget, points[row : row + 2, 0]
    )


def _curved_spend(
    lam: FloatArray,
    marginal: FloatArray,
    sat: FloatArray,
    enter: FloatArray,
    full: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
) -> FloatArray:
    """``s(lambda) = S (sqrt(m / lambda) - 1)`` clipped to the limits; the maximum at 0."""
    inside = sat * (np.sqrt(marginal / np.where(lam > 0, lam, np.inf)) - 1.0)
    return np.where(lam >= enter, lower, np.where(lam <= full, upper, inside))


def _solve_piece(
    marginal: FloatArray,
    sat: FloatArray,
    curved: BoolArray,
    enter: FloatArray,
    full: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
    budget: float,
    bracket: FloatArray,
) -> FloatArray:
    """Solve for lambda between two consecutive points, where no channel meets a limit.

    There the spend is ``fixed + sum_interior S_c (sqrt(m_c) u - 1)`` with
    ``u = 1 / sqrt(lambda)``: one linear equation in ``u``, solved in closed form.
    """
    high, low = float(bracket[0]), float(bracket[1])
    interior = curved & (enter > low) & (full < high)
    at_upper = np.where(curved, full >= high, marginal >= high)
    spend = np.where(at_upper, upper, lower)
    if not interior.any():  # a step lost to rounding: the fixed spends are the answer
        return spend
    root, size = np.sqrt(marginal[interior]), sat[interior]
    left = budget - float(spend[~interior].sum())  # for the interior channels
    weight = size * root
    # S_c (sqrt(m_c) u - 1) with u = (left + sum S) / sum S sqrt(m), written without the
    # cancellation (left + S) - S, which loses a small budget against a large saturation
    gaps = (size[None, :] * (root[:, None] - root[None, :])).sum(axis=1)
    interior_spend = size * (root * left + gaps) / weight.sum()
    spend[interior] = np.clip(interior_spend, lower[interior], upper[interior])
    return spend


def _equal_split(headroom: FloatArray, amount: float) -> FloatArray:
    """``amount`` shared equally, none beyond its headroom (which may be inf or 0).

    Examples
    --------
    >>> _equal_split(np.array([1.0, np.inf, np.inf]), 7.0).tolist()
    [1.0, 3.0, 3.0]
    """
    if amount <= 0:
        return np.zeros_like(headroom)
    sizes = np.sort(headroom)
    filled = np.concatenate(([0.0], np.cumsum(sizes)[:-1]))  # by those below each size
    left = len(sizes) - np.arange(len(sizes))
    enough = filled + sizes * left >= amount
    if not enough.any():  # every headroom full, up to rounding
        return headroom.copy()
    first = int(np.argmax(enough))
    share: FloatArray = np.minimum(headroom, (amount - filled[first]) / left[first])
    return share


def _best_hours(problem: _Problem) -> FloatArray:
    """All free hours to the channel(s) an hour returns most on; locked channels keep theirs."""
    free, today = ~problem.locked, problem.hours_today
    if not free.any():
        return today
    spare = max(problem.scenario.investment.staff_hours - float(today[~free].sum()), 0.0)
    best = free & (problem.per_hour == problem.per_hour[free].max())
    return np.where(free, np.where(best, spare / best.sum(), 0.0), today)


def _with_mix(scenario: Scenario, spend: FloatArray, hours: FloatArray | None) -> Scenario:
    """The scenario with ``budget_share = spend / budget`` (and the hours' shares if given)."""
    inv = scenario.investment
    shares = spend / inv.ad_budget if inv.ad_budget > 0 else np.zeros_like(spend)
    hours_shares = (
        [c.hours_share for c in scenario.channels]
        if hours is None or inv.staff_hours <= 0
        else (hours / inv.staff_hours).tolist()
    )
    channels = tuple(
        replace(channel, budget_share=share, hours_share=hours_share)
        for channel, share, hours_share in zip(
            scenario.channels, shares.tolist(), hours_shares, strict=True
        )
    )
    return replace(scenario, channels=channels)


def _objective_figures(scenario: Scenario, objective: Objective) -> tuple[float, float]:
    """The objective's return and ROI, computed exactly as :func:`evaluate` does."""
    total_return = float(channel_columns(scenario)[f"{objective}_return"].sum())
    return total_return, roi(total_return, scenario.investment.total)


def _side_dict(scenario: Scenario, total: float, total_roi: float) -> dict[str, Any]:
    columns = channel_columns(scenario)
    channels = [
        {"name": name, "budget_share": json_number(share), "spend": json_number(spend)}
        for name, share, spend in zip(
            scenario.channel_names, columns["spend_share"], columns["spend"], strict=True
        )
    ]
    return {"return": json_number(total), "roi": json_number(total_roi), "channels": channels}


def _target(
    objective: Objective,
    target_roi: float | None,
    goal: GoalMetric | None,
    goal_target: float | None,
) -> tuple[GoalMetric, float]:
    """The metric and the value to reach: the objective's ROI, or a goal's metric."""
    if target_roi is not None and goal is None and goal_target is None:
        _check_finite("target_roi", target_roi)
        roi = GoalMetric.FINANCIAL_ROI if objective == "financial" else GoalMetric.FULL_ROI
        return roi, float(target_roi)
    if target_roi is None and goal is not None and goal_target is not None:
        if goal not in {metric.value for metric in GoalMetric}:
            raise ScenarioError("goal", goal, Rule.ONE_OF, ", ".join(GoalMetric))
        _check_finite("goal_target", goal_target)
        return GoalMetric(goal), float(goal_target)
    raise ValueError("give either target_roi, or goal and goal_target (not both)")


def _check_finite(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(name, value, Rule.WRONG_TYPE, "a number")
    if not math.isfinite(value):
        raise ScenarioError(name, value, Rule.FINITE)


def _default_cap(scenario: Scenario) -> float:
    invested = scenario.investment.total
    return max(10.0 * scenario.investment.ad_budget, 10.0 * invested, 1000.0)


def _metric_at(problem: _Problem, budget: float, metric: GoalMetric) -> float:
    """A goal metric at the best mix for ``budget``, bit for bit as :func:`evaluate` gives it.

    Runs the model's own kernel (:func:`~roi_model.model.evaluate.channel_figures`) on the
    spends the optimum's scenario will get, without building that scenario: the scan of
    :func:`budget_for_target` calls this hundreds of times.
    """
    spend = _spend_at(problem, budget)
    scenario = problem.scenario
    shares = np.array((spend / budget).tolist() if budget > 0 else np.zeros_like(spend), float)
    spend = budget * normalised(shares)  # as evaluate spends the shares it is given
    lenses = enabled_lenses(scenario.lenses)
    figures = channel_figures(spend, problem.hours_today, problem.rates, scenario.values, lenses)
    if not metric.is_ratio:
        return float(figures[metric.value].sum())
    gross = figures["financial_return" if metric is GoalMetric.FINANCIAL_ROI else "full_return"]
    invested = scenario.investment.total_at(float(budget))
    return roi(float(gross.sum()), invested)


def _first_reaching(
    reached: Callable[[float], bool], lowest: float, highest: float
) -> float | None:
    """The first budget of a scan that reaches, refined by bisection; None if none does."""
    previous: float | None = None
    for budget in np.linspace(lowest, highest, _SCAN_POINTS + 1).tolist():
        if reached(budget):
            return budget if previous is None else _bisect(reached, previous, budget)
        previous = budget
    return None


def _bisect(reached: Callable[[float], bool], low: float, high: float) -> float:
    """The least budget that reaches, between ``low`` (does not) and ``high`` (does)."""
    for _ in range(200):  # float precision is hit well before: about 60 halvings
        middle = (low + high) / 2
        if not low < middle < high:
            break
        if reached(middle):
            high = middle
        else:
            low = middle
    return high
