"""Goals: what each channel contributes to a goal, what would close its gap, and goals across
scenarios (docs/model.md, principle 3: primary and secondary goals, each tracked separately).

A goal's metric is a total of the channel table (impressions ... sales, revenue, the returns)
or an ROI. Contributions split that figure by channel; for an ROI the fixed costs, which no
channel carries, are one more row, :data:`SHARED`. A *gap closer* is one input that, changed
alone, would make a goal not yet met reach its target; it reuses the root finding of
:mod:`roi_model.model.break_even`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from roi_model.model.break_even import Apply, Measure, current_input, solve, with_input
from roi_model.model.compare import check_labels, matched_goals
from roi_model.model.curves import safe_divide
from roi_model.model.evaluate import Evaluation, channel_columns, evaluate
from roi_model.model.spec import FRACTION_FIELDS, Goal, GoalMetric, GoalTier, Scenario

#: The ``channel`` of a contribution no channel carries: the fixed costs in an ROI.
SHARED = "__shared__"

_BUDGET, _HOURS = "investment.ad_budget", "investment.staff_hours"
_CTR, _LEAD_RATE, _CLOSE_RATE = "channels[*].ctr", "channels[*].lead_rate", "channels[*].close_rate"
_ORDER_VALUE, _MARGIN = "values.order_value", "values.gross_margin"

#: Every input a gap closer may name, in the order they are offered. The budget keeps today's
#: mix across channels; a rate moves on every channel in proportion (see :class:`GapCloser`).
GAP_CANDIDATES: tuple[str, ...] = (
    _BUDGET,
    _HOURS,
    _CLOSE_RATE,
    _LEAD_RATE,
    _CTR,
    _ORDER_VALUE,
    _MARGIN,
)

_RATES = frozenset({_CTR, _LEAD_RATE, _CLOSE_RATE})
_REACH = frozenset({_BUDGET, _HOURS})
_SALES = _REACH | _RATES
_EVERYTHING = frozenset(GAP_CANDIDATES)

#: Which candidates each metric depends on, following the funnel: budget and hours buy
#: impressions, ``ctr`` turns them into visits, ``lead_rate`` into leads, ``close_rate`` into
#: sales, ``order_value`` into revenue; returns and ROIs depend on all of them.
_DEPENDS: dict[GoalMetric, frozenset[str]] = {
    **dict.fromkeys(
        (
            GoalMetric.IMPRESSIONS,
            GoalMetric.LIKES,
            GoalMetric.COMMENTS,
            GoalMetric.SHARES,
            GoalMetric.VIDEO_VIEWS,
            GoalMetric.ENGAGEMENTS,
            GoalMetric.NEW_FOLLOWERS,
            GoalMetric.FOLLOWERS,
        ),
        _REACH,
    ),
    GoalMetric.VISITS: _REACH | {_CTR},
    GoalMetric.LEADS: _REACH | {_CTR, _LEAD_RATE},
    GoalMetric.SALES: _SALES,
    GoalMetric.REVENUE: _SALES | {_ORDER_VALUE},
    GoalMetric.SUPPORT_QUERIES: frozenset({_HOURS}),
    **dict.fromkeys(
        (
            GoalMetric.FINANCIAL_RETURN,
            GoalMetric.FULL_RETURN,
            GoalMetric.FINANCIAL_ROI,
            GoalMetric.FULL_ROI,
        ),
        _EVERYTHING,
    ),
}

#: The return column whose ROI a goal tracks.
_ROI_RETURN = {GoalMetric.FINANCIAL_ROI: "financial_return", GoalMetric.FULL_ROI: "full_return"}

#: Budget and hours are scanned up to this many times today's value ...
_SCAN_TIMES = 100.0
#: ... or, when today's is 0, times the month's whole investment, and at least this much.
_SCAN_BASE = 1000.0


def gap_candidates(metric: GoalMetric) -> tuple[str, ...]:
    """The inputs of :data:`GAP_CANDIDATES` that ``metric`` depends on, in that order.

    Examples
    --------
    >>> gap_candidates(GoalMetric.LEADS)
    ('investment.ad_budget', 'investment.staff_hours', 'channels[*].lead_rate', 'channels[*].ctr')
    """
    depends = _DEPENDS[GoalMetric(metric)]
    return tuple(path for path in GAP_CANDIDATES if path in depends)


# ---------------------------------------------------------------------------------------------
# Contributions


def goal_contributions(ev: Evaluation) -> pd.DataFrame:
    """What each channel contributes to each goal's value: one row per goal × channel.

    Columns: ``goal`` (index into ``scenario.goals``), ``tier``, ``metric``, ``channel`` (its
    name, or :data:`SHARED`), ``contribution`` and ``share`` (of the goal's value; NaN when the
    value is 0 or undefined). A goal's contributions add up to its value.

    Notes
    -----
    A count or a return: the channel's column of ``ev.channels``. An ROI: each channel's
    ``(return_c - investment_c) / investment``, plus the shared row
    ``-fixed_costs / investment``; they add up to ``(return - investment) / investment``.
    With nothing invested every ROI contribution is NaN, like the ROI.
    """
    parts = [_goal_rows(ev, index, goal) for index, goal in enumerate(ev.scenario.goals)]
    columns = ("goal", "tier", "metric", "channel", "contribution", "share")
    if not parts:
        return pd.DataFrame(
            {
                "goal": np.array([], dtype=np.int64),
                **{name: pd.Series([], dtype=object) for name in ("tier", "metric", "channel")},
                "contribution": np.array([], dtype=float),
                "share": np.array([], dtype=float),
            }
        )
    return pd.DataFrame({name: np.concatenate([part[name] for part in parts]) for name in columns})


def _goal_rows(ev: Evaluation, index: int, goal: Goal) -> dict[str, np.ndarray]:
    """The contribution rows of one goal (see :func:`goal_contributions`)."""
    channels = ev.channels
    names = channels.index.to_numpy(dtype=object)
    if goal.metric.is_ratio:
        net = channels[_ROI_RETURN[goal.metric]].to_numpy(float) - channels["investment"].to_numpy()
        parts = np.append(net, -ev.investment.fixed_costs)
        contribution = safe_divide(parts, ev.investment.total)
        names = np.append(names, np.array([SHARED], dtype=object))
    else:
        contribution = channels[goal.metric.value].to_numpy(float)
    count = len(names)
    return {
        "goal": np.full(count, index, dtype=np.int64),
        "tier": np.full(count, goal.tier.value, dtype=object),
        "metric": np.full(count, goal.metric.value, dtype=object),
        "channel": names,
        "contribution": contribution,
        "share": safe_divide(contribution, ev.metric(goal.metric)),
    }


# ---------------------------------------------------------------------------------------------
# Gap closers


@dataclass(frozen=True)
class GapCloser:
    """One input that, changed alone, makes a goal reach its target.

    ``current`` is today's value; ``needed`` the value that reaches the target, None when none
    in the input's range does; ``exact`` whether it was solved exactly (linear inputs) or by
    scan and bisection (the budget). For a rate (``channels[*].ctr``, ``lead_rate``,
    ``close_rate``) ``current`` is the channels' spend-weighted mean (hours-weighted without
    spend), and ``needed`` that mean once every channel's rate is scaled by the same factor,
    ``needed / current``; no rate may pass 1. :func:`apply_closer` makes the change.
    """

    path: str
    current: float
    needed: float | None
    exact: bool

    @property
    def change(self) -> float | None:
        """How much the input must move: ``needed - current`` (None when nothing reaches it)."""
        return None if self.needed is None else self.needed - self.current


def gap_closers(scenario: Scenario, goal_index: int) -> tuple[GapCloser, ...]:
    """For a goal not yet met, each candidate input's value that alone would meet it.

    The candidates are :func:`gap_candidates` of the goal's metric; everything else stays as
    today. A met goal has none: an empty tuple.

    Notes
    -----
    A count or return goal solves ``metric(x) = target``. An ROI goal solves
    ``return(x) - (1 + target) * investment(x) = 0`` where something is invested (undefined
    elsewhere, like the ROI): the same equation but, unlike the ROI, linear in every linear
    input. The gross margin is searched in
    [0, 1], a rate up to where its highest channel reaches 1; the budget, the one input
    scanned, up to 100 × today (today 0: 100 × the month's investment, at least 100 × 1,000),
    taking for an ROI the crossing nearest today's budget (counts and returns only grow with
    it: no scan, only bisection). Hours and the order value have no upper bound.

    Raises
    ------
    IndexError
        ``goal_index`` is not the index of one of the scenario's goals.

    Examples
    --------
    >>> from roi_model import Channel, Investment
    >>> s = Scenario(investment=Investment(ad_budget=1000.0),
    ...              channels=(Channel("Ads", budget_share=1.0, cpm=10.0, ctr=0.01,
    ...                                lead_rate=0.1),),
    ...              goals=(Goal(GoalTier.PRIMARY, GoalMetric.LEADS, 150.0),))
    >>> [(c.path, c.needed) for c in gap_closers(s, 0)][2:]  # 1000 visits x 0.15 = 150 leads
    [('channels[*].lead_rate', 0.15), ('channels[*].ctr', 0.015)]
    """
    if not 0 <= goal_index < len(scenario.goals):
        raise IndexError(f"goal_index {goal_index} is not one of {len(scenario.goals)} goals")
    goal = scenario.goals[goal_index]
    today = evaluate(scenario)
    if goal.is_met(today.metric(goal.metric)):
        return ()
    base = max(today.investment.total, _SCAN_BASE)
    return tuple(_closer(scenario, path, goal, base) for path in gap_candidates(goal.metric))


def _closer(scenario: Scenario, path: str, goal: Goal, base: float) -> GapCloser:
    """One candidate's closer; ``base`` stands in for today's value when that is 0."""
    current = current_input(scenario, path)
    if path.rsplit(".", 1)[1] in FRACTION_FIELDS:
        upper = _fraction_upper(scenario, path, current)
    else:
        upper = _SCAN_TIMES * (current if current > 0 else base)
    measure, target = _equation(goal)
    apply = _setter(path, current)
    # counts and returns never fall as an input grows; an ROI may
    monotone = not goal.metric.is_ratio
    needed, exact = solve(
        scenario, path, measure, target, upper, nearest_to=current, apply=apply, monotone=monotone
    )
    return GapCloser(path, current, needed, exact)


def apply_closer(scenario: Scenario, closer: GapCloser) -> Scenario:
    """The scenario with a gap closer's change made: its input at ``needed``.

    Raises
    ------
    ValueError
        The closer has no ``needed`` value.
    """
    if closer.needed is None:
        raise ValueError(f"{closer.path} cannot close the gap: it has no needed value")
    return _setter(closer.path, closer.current)(scenario, closer.path, closer.needed)


def _setter(path: str, current: float) -> Apply:
    """How a candidate is set: a rate in proportion on every channel, the rest as it is.

    A rate whose mean is 0 has no proportion to keep: every channel gets the value itself.
    """
    if path not in _RATES or not current > 0:
        return with_input
    name = path.rsplit(".", 1)[1]

    def scale(scenario: Scenario, _: str, mean: float) -> Scenario:
        factor = mean / current
        channels = tuple(
            replace(channel, **{name: min(1.0, getattr(channel, name) * factor)})
            for channel in scenario.channels
        )
        return replace(scenario, channels=channels)

    return scale


def _fraction_upper(scenario: Scenario, path: str, current: float) -> float:
    """The highest value a fraction can take: 1, or for a scaled rate the mean at which the
    highest channel's rate reaches 1."""
    if path not in _RATES or not current > 0:
        return 1.0
    name = path.rsplit(".", 1)[1]
    return current / max(float(getattr(channel, name)) for channel in scenario.channels)


def _equation(goal: Goal) -> tuple[Measure, float]:
    """What :func:`solve` drives to what: the metric to its target, or an ROI's numerator.

    Computed from the channel arrays alone (no tables): the budget's scan evaluates hundreds
    of scenarios.
    """
    metric, target = goal.metric, goal.target
    column = _ROI_RETURN.get(metric, metric.value)

    def total(scenario: Scenario) -> float:
        return float(channel_columns(scenario)[column].sum())

    if not metric.is_ratio:
        return total, target

    def numerator(scenario: Scenario) -> float:
        invested = scenario.investment.total
        return total(scenario) - (1.0 + target) * invested if invested > 0 else math.nan

    return numerator, 0.0


# ---------------------------------------------------------------------------------------------
# Across scenarios


def goal_matrix(evaluations: Sequence[Evaluation], labels: Sequence[str]) -> pd.DataFrame:
    """Each goal's attainment in each scenario: one row per goal × scenario.

    Columns: ``scenario`` (label), ``goal`` (``"<tier>:<metric>"``), ``tier``, ``metric``,
    ``target``, ``value``, ``attainment`` and ``met`` (pandas ``boolean``). Goals are matched
    by :func:`roi_model.model.compare.matched_goals`; a scenario without the goal has NaN target and
    attainment, NA ``met``, and its own value of the metric all the same. Goals in order of
    first appearance, then scenarios in the order given.

    Raises
    ------
    ValueError
        As :func:`roi_model.model.compare.check_labels`.
    """
    check_labels(len(evaluations), labels)
    rows = [
        _matrix_row(label, evaluation, tier, metric, index)
        for (tier, metric), indexes in matched_goals(evaluations).items()
        for label, evaluation, index in zip(labels, evaluations, indexes, strict=True)
    ]
    columns = ("scenario", "goal", "tier", "metric", "target", "value", "attainment", "met")
    frame = pd.DataFrame(rows, columns=list(columns))
    return frame.astype(
        {name: object for name in columns[:4]}
        | dict.fromkeys(("target", "value", "attainment"), float)
        | {"met": "boolean"}
    )


def _matrix_row(
    label: str, evaluation: Evaluation, tier: str, metric: str, index: int | None
) -> tuple[object, ...]:
    key = f"{tier}:{metric}"
    if index is None:
        value = evaluation.metric(GoalMetric(metric))
        return (label, key, tier, metric, math.nan, value, math.nan, pd.NA)
    row = evaluation.goals.iloc[index]
    return (
        label,
        key,
        tier,
        metric,
        row["target"],
        row["value"],
        row["attainment"],
        bool(row["met"]),
    )


#: The figures of each tier in :func:`tier_summary`, with their dtypes.
_TIER_COLUMNS: dict[str, Any] = {
    "goals": np.int64,
    "met": np.int64,
    "attainment": float,
    "all_met": "boolean",
}


def tier_summary(ev: Evaluation) -> pd.DataFrame:
    """Primary and secondary goals at a glance: one row per tier, in :class:`GoalTier` order.

    Columns: ``tier``, ``goals`` (how many), ``met`` (how many are met), ``attainment`` (the
    mean attainment, each goal counted at most 100 % so that one goal beaten by far does not
    hide another missed; NaN without a goal with a positive target) and ``all_met`` (pandas
    ``boolean``, NA without goals).
    """
    goals = ev.goals
    rows = []
    for tier in GoalTier:
        mine = goals[goals["tier"] == tier.value]
        count = len(mine)
        met = int(mine["met"].sum())
        attainment = float(mine["attainment"].clip(upper=1.0).mean()) if count else math.nan
        rows.append((tier.value, count, met, attainment, pd.NA if not count else met == count))
    frame = pd.DataFrame(rows, columns=["tier", *_TIER_COLUMNS])
    return frame.astype({"tier": object} | _TIER_COLUMNS)
