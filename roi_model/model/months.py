"""The months ahead: today's month and the ones after it, each starting where the last ended.

Month 1 is today's scenario, figure for figure the evaluation's (the same functions, in the
same order). From one month to the next the ad budget and the staff hours may change (the
schedule), ads and posts are still remembered (carryover), the audience grows or shrinks and
the posts' reach with it, and customers come back (docs/model.md, "The months ahead").
Channels are the array axis; the one Python loop runs over the months, because each month
needs the one before it.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from roi_model.model.curves import (
    FloatArray,
    audience_growth,
    audience_lift,
    paid_impressions,
    safe_divide,
)
from roi_model.model.errors import Rule, ScenarioError
from roi_model.model.evaluate import (
    COUNT_COLUMNS,
    channel_arrays,
    enabled_lenses,
    funnel,
    normalised,
    objective_returns,
)
from roi_model.model.report import json_number
from roi_model.model.spec import MAX_HORIZON, ActionValues, Goal, Months, Scenario
from roi_model.model.vocabulary import OBJECTIVES, Lens

#: The month's totals the JSON reports: the evaluation's totals (its JSON's), in its order.
MONTH_TOTALS: tuple[str, ...] = tuple(
    name for name in COUNT_COLUMNS if name != "investment" and not name.startswith("return_")
)
#: The channel columns summed each month. The channels' share of the investment is left out:
#: a month's investment is the whole of it (fixed and launch costs too).
_SUMMED: tuple[str, ...] = tuple(name for name in COUNT_COLUMNS if name != "investment")
#: What accumulates over the months; the audience is a stock, counted where it stands.
_FLOWS: tuple[str, ...] = (
    "investment",
    *(name for name in _SUMMED if name != "followers"),
    "financial_net",
    "full_net",
    "new_customers",
    "returning_purchases",
)
#: The per-channel figures kept for each month (the tidy channel table).
CHANNEL_FIGURES: tuple[str, ...] = ("impressions", "sales", "new_followers", "followers")
_SALES_LENS = f"return_{Lens.SALES}"


@dataclass(frozen=True, eq=False)
class Projection:
    """The months ahead of a scenario.

    ``months`` has one row per month: ``investment`` (the month's whole), each
    ``return_<lens>``, ``financial_return`` and ``full_return``, ``financial_net``,
    ``full_net``, the month's own ``financial_roi`` and ``full_roi``, ``new_customers``,
    ``returning_purchases``, the month's total of every count (``followers`` is the audience
    at the month's end), and ``cumulative_<figure>`` from month 1 to that month (the
    cumulative ROIs divide the cumulative net by the cumulative investment;
    ``cumulative_followers`` is the audience then). ``channels`` is tidy: one row per month
    and channel. ``payback_month``, ``npv`` and ``roi`` are keyed by objective. Undefined
    numbers are NaN; a payback month never reached and a customer value without end are None.

    The three tables are made when first read, each once, from the arrays the projection
    worked out (``figures``: the months' columns in order; ``channel_figures``: months x
    channels each): a headline of paybacks and ROIs, drawn first on a slider press, needs
    none of them.
    """

    figures: Mapping[str, npt.NDArray[Any]]
    channel_figures: Mapping[str, FloatArray]
    scenario: Scenario
    payback_month: dict[str, int | None]
    npv: dict[str, float]
    roi: dict[str, float]
    customer_value: float | None
    acquisition_cost: float

    @property
    def horizon(self) -> int:
        return len(self.figures["month"])

    @functools.cached_property
    def months(self) -> pd.DataFrame:
        return pd.DataFrame(self.figures)

    @functools.cached_property
    def channels(self) -> pd.DataFrame:
        return _channels_frame(self.scenario.channel_names, self.channel_figures)

    @functools.cached_property
    def goals(self) -> pd.DataFrame:
        return _goal_table(self.scenario.goals, self.figures)

    def to_dict(self) -> dict[str, Any]:
        """Every figure under the documented keys (docs/model.md); undefined numbers are None."""
        per_month = _chunks(self.channels.to_dict("records"), self.horizon)
        return {
            "horizon": self.horizon,
            "months": [
                _month_dict(row, channels)
                for row, channels in zip(self.months.to_dict("records"), per_month, strict=True)
            ],
            "payback_month": dict(self.payback_month),
            "npv": {kind: json_number(value) for kind, value in self.npv.items()},
            "roi": {kind: json_number(value) for kind, value in self.roi.items()},
            "customer_value": _optional_number(self.customer_value),
            "acquisition_cost": json_number(self.acquisition_cost),
            "goals": [_goal_dict(goal) for goal in self.goals.to_dict("records")],
        }


def project(scenario: Scenario, horizon: int | None = None) -> Projection:
    """The scenario's months 1 to ``horizon`` (default: the scenario's own horizon).

    Notes
    -----
    docs/model.md, "The months ahead". Without launch costs, month 1 is
    :func:`~roi_model.model.evaluate.evaluate` to the last bit.

    Examples
    --------
    >>> from roi_model.model.spec import Investment
    >>> projection = project(Scenario(investment=Investment(ad_budget=1000.0)), horizon=3)
    >>> projection.months["cumulative_impressions"].tolist()
    [100000.0, 200000.0, 300000.0]
    """
    run = _MonthByMonth(scenario, _checked_horizon(scenario, horizon))
    columns, totals = run.all_months()
    figures = _month_figures(run.plan.investment, totals)
    return Projection(
        figures=figures,
        channel_figures={figure: columns[figure] for figure in CHANNEL_FIGURES},
        scenario=scenario,
        payback_month={kind: _payback(figures[f"cumulative_{kind}_net"]) for kind in OBJECTIVES},
        npv={
            kind: _npv(figures[f"{kind}_net"], scenario.months.discount_rate) for kind in OBJECTIVES
        },
        roi={kind: float(figures[f"cumulative_{kind}_roi"][-1]) for kind in OBJECTIVES},
        customer_value=customer_value(scenario.values, scenario.months),
        acquisition_cost=float(
            safe_divide(
                figures["cumulative_investment"][-1], figures["cumulative_new_customers"][-1]
            )
        ),
    )


def _checked_horizon(scenario: Scenario, horizon: int | None) -> int:
    if horizon is None:
        return scenario.months.horizon
    if isinstance(horizon, bool) or not isinstance(horizon, int) or not 1 <= horizon <= MAX_HORIZON:
        raise ScenarioError("months.horizon", horizon, Rule.MONTH, f"1 to {MAX_HORIZON}")
    return horizon


def customer_value(values: ActionValues, months: Months) -> float | None:
    """The margin a new customer brings over all the months: the first purchase and the
    returning ones, ``order_value * gross_margin * (1 + repeat * retention / (1 - retention))``.

    None when customers never leave (retention 1) and keep buying (repeat purchases > 0):
    the sum has no end.

    Examples
    --------
    >>> customer_value(ActionValues(order_value=100.0, gross_margin=0.5),
    ...                Months(repeat_purchases=1.0, retention=0.5))  # 50 * (1 + 1)
    100.0
    """
    margin = values.order_value * values.gross_margin
    repeat, retention = months.repeat_purchases, months.retention
    if retention < 1:
        return margin * (1.0 + repeat * retention / (1.0 - retention))
    return margin if repeat == 0 else None


@dataclass(frozen=True)
class _Plan:
    """Each month's inputs: months on the first axis, channels on the second."""

    spend: FloatArray
    hours: FloatArray
    paid: FloatArray  # impressions bought
    posted: FloatArray  # organic impressions at today's audience
    investment: FloatArray  # the month's whole investment (one per month)


def _plan(scenario: Scenario, horizon: int, rates: dict[str, FloatArray]) -> _Plan:
    """Spend and hours split as the evaluation splits them, from each month's figures."""
    inv, months = scenario.investment, scenario.months
    schedule = months.schedule
    ad_budget = _scheduled(inv.ad_budget, [(s.from_month, s.ad_budget) for s in schedule], horizon)
    staff = _scheduled(inv.staff_hours, [(s.from_month, s.staff_hours) for s in schedule], horizon)
    spend = ad_budget[:, np.newaxis] * normalised(rates["budget_share"])
    hours = staff[:, np.newaxis] * normalised(rates["hours_share"])
    launch = np.zeros(horizon)
    launch[0] = months.launch_costs
    return _Plan(
        spend=spend,
        hours=hours,
        paid=paid_impressions(spend, rates["cpm"], rates["saturation_spend"]),
        posted=hours * rates["organic_impressions_per_hour"],
        # The sum in Investment.total's order, so that month 1 is the evaluation's.
        investment=ad_budget + staff * inv.hourly_rate + inv.fixed_costs + launch,
    )


def _scheduled(today: float, steps: Sequence[tuple[int, float | None]], horizon: int) -> FloatArray:
    """Each month's figure: today's, until a step sets another from its month on.

    Examples
    --------
    >>> _scheduled(5.0, [(3, 0.0), (4, None), (5, 2.0)], 6).tolist()
    [5.0, 5.0, 0.0, 0.0, 2.0, 2.0]
    """
    changes = [(month, value) for month, value in steps if value is not None]
    starts = np.array([1, *(month for month, _ in changes)])
    figures = np.array([today, *(value for _, value in changes)], float)
    months = np.arange(1, horizon + 1)
    return figures[np.searchsorted(starts, months, side="right") - 1]


class _MonthByMonth:
    """The scenario's fixed figures, and the months run one after another.

    Only what a month hands the next runs month by month: the impressions still remembered and
    the audience (each month's organic reach follows it). The funnel, the returns and the
    channels' totals are then worked out for every month at once, months on the first axis:
    element by element, the same operations as one month's, so the same numbers.
    """

    def __init__(self, scenario: Scenario, horizon: int) -> None:
        self.rates = channel_arrays(scenario.channels)
        self.lenses = enabled_lenses(scenario.lenses)
        self.values = scenario.values
        self.months = scenario.months
        self.horizon = horizon
        self.plan = _plan(scenario, horizon, self.rates)

    def all_months(self) -> tuple[dict[str, FloatArray], dict[str, FloatArray]]:
        """Each channel column (months x channels) and each total (one per month)."""
        paid, organic, posted, audience = self._remembered()
        now = self.rates | {"followers": audience}
        counts = funnel(paid + organic, organic, self.plan.hours, now, self.values)
        financial, full = objective_returns(counts, self.lenses)
        columns = {
            "spend": self.plan.spend,
            "hours": self.plan.hours,
            "paid_impressions": self.plan.paid,
            "organic_impressions": posted,
            "impressions": self.plan.paid + posted,
            **counts,
            "financial_return": financial,
            "full_return": full,
        }
        return columns, self._totals(columns)

    def _remembered(self) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        """Month by month: the bought and the posted impressions still remembered (adstock),
        the month's posts (their reach following the audience), and the audience each month
        starts with. Months x channels each."""
        rates, plan = self.rates, self.plan
        start, carryover = rates["followers"], rates["carryover"]
        shape = plan.paid.shape
        paid, organic, posted, audience = (np.empty(shape) for _ in range(4))
        kept_paid = kept_organic = np.zeros(shape[1])
        now = start
        for index in range(self.horizon):
            # Posts reach the audience: organic reach follows it (as is, with no audience at
            # start). Adstock: this month's impressions plus the share of last month's.
            posted[index] = plan.posted[index] * audience_lift(now, start)
            paid[index] = kept_paid = plan.paid[index] + carryover * kept_paid
            organic[index] = kept_organic = posted[index] + carryover * kept_organic
            audience[index] = now
            reach = (kept_paid + kept_organic) * rates["fit"]
            now = audience_growth(
                reach * rates["follow_rate"],
                now,
                rates["follower_churn"],
                rates["audience_ceiling"],
            )[1]
        return paid, organic, posted, audience

    def _totals(self, columns: dict[str, FloatArray]) -> dict[str, FloatArray]:
        """Each month's totals, the evaluation's sums, plus the customers who came back
        (they belong to no channel: they count in the totals only)."""
        totals = {name: columns[name].sum(axis=1) for name in _SUMMED}
        new_sales = totals["sales"].copy()
        returning = self.months.repeat_purchases * _customers_kept(new_sales, self.months.retention)
        revenue = returning * self.values.order_value
        margin = revenue * self.values.gross_margin
        totals["sales"] = totals["sales"] + returning
        totals["revenue"] = totals["revenue"] + revenue
        for name in (_SALES_LENS, "financial_return", "full_return"):
            totals[name] = totals[name] + margin
        return totals | {"new_customers": new_sales, "returning_purchases": returning}


def _customers_kept(new_sales: FloatArray, retention: float) -> FloatArray:
    """The earlier customers still customers at the start of each month:
    ``K_t = retention * (K_(t-1) + S_(t-1))``, ``K_1 = 0``."""
    kept = np.zeros_like(new_sales)
    for index in range(1, new_sales.size):
        kept[index] = retention * (kept[index - 1] + new_sales[index - 1])
    return kept


def _month_figures(
    investment: FloatArray, totals: dict[str, FloatArray]
) -> dict[str, npt.NDArray[Any]]:
    """Each month's figures (one per month), its nets and ROIs, and the running figures: the
    columns of :attr:`Projection.months`, in order."""
    frame: dict[str, FloatArray] = {"investment": investment, **totals}
    for kind in OBJECTIVES:
        frame[f"{kind}_net"] = frame[f"{kind}_return"] - investment
        frame[f"{kind}_roi"] = safe_divide(frame[f"{kind}_net"], investment)
    running = {f"cumulative_{name}": np.cumsum(frame[name]) for name in _FLOWS}
    running["cumulative_followers"] = frame["followers"]
    for kind in OBJECTIVES:
        running[f"cumulative_{kind}_roi"] = safe_divide(
            running[f"cumulative_{kind}_net"], running["cumulative_investment"]
        )
    return {"month": np.arange(1, len(investment) + 1), **frame, **running}


def _channels_frame(names: tuple[str, ...], columns: Mapping[str, FloatArray]) -> pd.DataFrame:
    """Tidy: one row per month and channel, months in order, channels in the scenario's."""
    months = len(columns[CHANNEL_FIGURES[0]])
    return pd.DataFrame(
        {
            "month": np.repeat(np.arange(1, months + 1), len(names)),
            "channel": pd.Series(list(names) * months, dtype=object),
            **{figure: columns[figure].ravel() for figure in CHANNEL_FIGURES},
        }
    )


def _payback(cumulative_net: FloatArray) -> int | None:
    """The first month whose cumulative net is >= 0; None if none is within the horizon."""
    return _first_month(cumulative_net >= 0)


def _first_month(reached: npt.NDArray[np.bool_]) -> int | None:
    """The first month (from 1) where ``reached`` holds; None if none does."""
    months = np.flatnonzero(reached)
    return int(months[0]) + 1 if months.size else None


def _npv(nets: FloatArray, rate: float) -> float:
    """Month t's net discounted by (1 + rate)^(t - 1), summed (numpy-financial's ``npv``)."""
    return float((nets / (1.0 + rate) ** np.arange(nets.size)).sum())


def _goal_table(goals: tuple[Goal, ...], months: Mapping[str, npt.NDArray[Any]]) -> pd.DataFrame:
    """Each goal judged on the months (their columns): by its month, or as a monthly
    target."""
    judged = [_judged(goal, months) for goal in goals]
    return pd.DataFrame(
        {
            "tier": pd.Series([goal.tier.value for goal in goals], dtype=object),
            "metric": pd.Series([goal.metric.value for goal in goals], dtype=object),
            "target": np.array([goal.target for goal in goals], float),
            "by_month": pd.Series([goal.by_month for goal in goals], dtype=object),
            "value": np.array([value for value, _, _ in judged], float),
            "met": np.array([met for _, met, _ in judged], bool),
            "month_met": pd.Series([month for _, _, month in judged], dtype=object),
        }
    )


def _judged(goal: Goal, months: Mapping[str, npt.NDArray[Any]]) -> tuple[float, bool, int | None]:
    """(value, met, first month met) of a goal.

    A goal by month ``m`` is judged on the running figure (the total from month 1, the
    cumulative ROI, the audience) at ``m``; its first month met is when the running figure
    first reaches the target. A goal with no month is a monthly target: met in the first
    month that reaches it, with no one value. A horizon that ends before ``m`` cannot judge
    the goal: no value, not met.
    """
    metric = goal.metric.value
    if goal.by_month is None:
        month_met = _first_month(np.asarray(months[metric], float) >= goal.target)
        return math.nan, month_met is not None, month_met
    running = np.asarray(months[f"cumulative_{metric}"], float)
    month_met = _first_month(running >= goal.target)
    if goal.by_month > running.size:
        return math.nan, False, month_met
    value = float(running[goal.by_month - 1])
    return value, goal.is_met(value), month_met


def _chunks(rows: list[dict[Any, Any]], count: int) -> list[list[dict[Any, Any]]]:
    size = len(rows) // count
    return [rows[index * size : (index + 1) * size] for index in range(count)]


def _optional_number(value: float | None) -> float | None:
    return None if value is None else json_number(value)


def _by_objective(row: Mapping[Any, Any], pattern: str) -> dict[str, float | None]:
    return {kind: json_number(row[pattern.format(kind)]) for kind in OBJECTIVES}


def _month_dict(row: Mapping[Any, Any], channels: list[dict[Any, Any]]) -> dict[str, Any]:
    return {
        "month": int(row["month"]),
        "investment": json_number(row["investment"]),
        "return": {lens.value: json_number(row[f"return_{lens}"]) for lens in Lens}
        | _by_objective(row, "{}_return"),
        "net": _by_objective(row, "{}_net"),
        "new_customers": json_number(row["new_customers"]),
        "returning_purchases": json_number(row["returning_purchases"]),
        "followers": json_number(row["followers"]),
        "totals": {name: json_number(row[name]) for name in MONTH_TOTALS},
        "cumulative": {
            "investment": json_number(row["cumulative_investment"]),
            "return": _by_objective(row, "cumulative_{}_return"),
            "net": _by_objective(row, "cumulative_{}_net"),
            "roi": _by_objective(row, "cumulative_{}_roi"),
            "totals": {name: json_number(row[f"cumulative_{name}"]) for name in MONTH_TOTALS},
        },
        "channels": [
            {"name": str(channel["channel"])}
            | {figure: json_number(channel[figure]) for figure in CHANNEL_FIGURES}
            for channel in channels
        ],
    }


def _goal_dict(goal: Mapping[Any, Any]) -> dict[str, Any]:
    return {
        "tier": goal["tier"],
        "metric": goal["metric"],
        "target": json_number(goal["target"]),
        "by_month": goal["by_month"],
        "value": json_number(goal["value"]),
        "met": bool(goal["met"]),
        "month_met": goal["month_met"],
    }


# --- The charts' tidy data -------------------------------------------------------------------


def cumulative_lines(projection: Projection) -> pd.DataFrame:
    """Cumulative investment, financial and full-value return per month, tidy: ``month``,
    ``series`` (``investment``, ``financial``, ``full``), ``amount``."""
    columns = {
        "investment": "cumulative_investment",
        "financial": "cumulative_financial_return",
        "full": "cumulative_full_return",
    }
    return _tidy(projection.months, columns, "series")


def lens_bars(projection: Projection, lenses: Sequence[Lens]) -> pd.DataFrame:
    """Each month's return by lens (the counted ones), tidy: ``month``, ``lens``, ``order``,
    ``amount``."""
    frame = _tidy(projection.months, {str(lens): f"return_{lens}" for lens in lenses}, "lens")
    frame.insert(2, "order", np.repeat(np.arange(len(lenses)), projection.horizon))
    return frame


def _tidy(months: pd.DataFrame, columns: Mapping[str, str], name: str) -> pd.DataFrame:
    """Some columns of the months, stacked: ``month``, ``name`` (the key of each column) and
    ``amount``, column after column (one frame built at once: charts redraw it on every
    move of a slider)."""
    count = len(months)
    return pd.DataFrame(
        {
            "month": np.tile(months["month"].to_numpy(), len(columns)),
            name: pd.Series(np.repeat(list(columns), count), dtype=object),
            "amount": np.concatenate(
                [months[column].to_numpy(float) for column in columns.values()]
            )
            if columns
            else np.array([], float),
        }
    )
