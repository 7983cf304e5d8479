"""Evaluate a scenario: every figure of the equations in docs/model.md, per channel and in total.

Channels are the array axis; no Python loop runs over them. Undefined ratios (nothing invested,
no leads, no ad spend) are NaN here and ``null``/"—" at the edges.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from roi_model.model.curves import (
    FloatArray,
    audience_growth,
    paid_impressions,
    paid_impressions_slope,
    safe_divide,
)
from roi_model.model.spec import ActionValues, Channel, Goal, GoalMetric, Lenses, Scenario
from roi_model.model.vocabulary import Lens


def enabled_lenses(lenses: Lenses) -> tuple[Lens, ...]:
    """The lenses that count in the full-value return."""
    optional = {
        Lens.LEADS: lenses.leads,
        Lens.ENGAGEMENT: lenses.engagement,
        Lens.ORGANIC_TRAFFIC: lenses.organic_traffic,
    }
    return tuple(lens for lens in Lens if lens.is_financial or optional[lens])


#: Count and money columns of the channel table, in funnel order; totals are their sums.
COUNT_COLUMNS: tuple[str, ...] = (
    "spend",
    "hours",
    "investment",
    "paid_impressions",
    "organic_impressions",
    "impressions",
    "likes",
    "comments",
    "shares",
    "video_views",
    "engagements",
    "visits",
    "organic_visits",
    "leads",
    "sales",
    "revenue",
    "support_queries",
    "new_followers",
    "followers",
    *(f"return_{lens}" for lens in Lens),
    "financial_return",
    "full_return",
)

_CHANNEL_NUMBERS = tuple(f.name for f in fields(Channel) if f.name != "name")


@dataclass(frozen=True)
class InvestmentSummary:
    """Money put in this month, by kind."""

    ad_spend: float
    staff_cost: float
    fixed_costs: float
    total: float


@dataclass(frozen=True)
class ReturnSummary:
    """The month's return by lens; ``full`` adds only the lenses the scenario enables."""

    sales: float
    support: float
    leads: float
    engagement: float
    organic_traffic: float
    financial: float
    full: float


@dataclass(frozen=True)
class Evaluation:
    """The evaluated scenario: a tidy channel table plus the headline figures.

    ``channels`` has one row per channel (indexed by name) with every count, money figure and
    ratio; ``totals`` holds the sum of each count column; ``goals`` one row per goal. The two
    tables are made when first read, each once, from ``channel_figures`` (the channel table's
    columns) and the goals' metrics (:meth:`metric`): a headline drawn first on a slider press
    needs neither.
    """

    scenario: Scenario
    channel_figures: Mapping[str, FloatArray]
    totals: dict[str, float]
    investment: InvestmentSummary
    returns: ReturnSummary
    financial_roi: float
    full_roi: float
    roas: float
    cost_per_lead: float
    cost_per_sale: float

    @functools.cached_property
    def channels(self) -> pd.DataFrame:
        return _frame(self.channel_figures, self.scenario.channel_names)

    @functools.cached_property
    def goals(self) -> pd.DataFrame:
        goals = self.scenario.goals
        metrics = zip((g.metric.value for g in goals), self.goal_values, strict=True)
        return goal_table(goals, dict(metrics))

    @functools.cached_property
    def goal_values(self) -> tuple[float, ...]:
        """Each goal's value, in the order of the scenario's goals: what a line of goals met or
        not reads, without the table."""
        return tuple(self.metric(goal.metric) for goal in self.scenario.goals)

    @property
    def financial_net(self) -> float:
        """The financial return minus the whole investment."""
        return self.returns.financial - self.investment.total

    @property
    def full_net(self) -> float:
        """The full-value return minus the whole investment."""
        return self.returns.full - self.investment.total

    def metric(self, metric: GoalMetric) -> float:
        """The value of any goal metric for the whole scenario."""
        if metric is GoalMetric.FINANCIAL_ROI:
            return self.financial_roi
        if metric is GoalMetric.FULL_ROI:
            return self.full_roi
        return self.totals[metric.value]


def channel_arrays(channels: tuple[Channel, ...]) -> dict[str, FloatArray]:
    """Per-channel numbers as arrays (channels on the axis); a missing saturation is NaN."""
    return {
        name: np.array(
            [np.nan if getattr(c, name) is None else getattr(c, name) for c in channels], float
        )
        for name in _CHANNEL_NUMBERS
    }


def normalised(shares: FloatArray) -> FloatArray:
    """Shares scaled to sum to 1; all zeros stay zeros.

    Examples
    --------
    >>> normalised(np.array([2.0, 6.0])).tolist()
    [0.25, 0.75]
    >>> normalised(np.zeros(2)).tolist()
    [0.0, 0.0]
    """
    total = shares.sum()
    return shares / total if total > 0 else np.zeros_like(shares)


def funnel(
    impressions: FloatArray,
    organic_impressions: FloatArray,
    hours: FloatArray,
    rates: dict[str, FloatArray],
    values: ActionValues,
) -> dict[str, FloatArray]:
    """Impressions to actions and their value by lens, per channel.

    Notes
    -----
    ``likes = impressions * like_rate * fit`` (likewise comments, shares, video views),
    ``visits = impressions * ctr * fit``, ``leads = visits * lead_rate``,
    ``sales = leads * close_rate``, ``revenue = sales * order_value``,
    ``organic_visits = visits * organic / impressions``, computed as
    ``organic * ctr * fit`` (the same, without 0/0 when there are no impressions);
    ``new_followers`` from ``reach * follow_rate`` by
    :func:`~roi_model.model.curves.audience_growth` (the channel's audience at the start, its
    churn and ceiling), ``followers`` the audience at the end of the month.
    Every output but the followers is linear in ``impressions`` for fixed organic impressions
    and hours (the followers too, below a ceiling).
    """
    reach = impressions * rates["fit"]
    out = {
        "likes": reach * rates["like_rate"],
        "comments": reach * rates["comment_rate"],
        "shares": reach * rates["share_rate"],
        "video_views": reach * rates["video_view_rate"],
        "visits": reach * rates["ctr"],
        "organic_visits": organic_impressions * rates["fit"] * rates["ctr"],
        "support_queries": hours * rates["support_queries_per_hour"],
    }
    out["new_followers"], out["followers"] = audience_growth(
        reach * rates["follow_rate"],
        rates["followers"],
        rates["follower_churn"],
        rates["audience_ceiling"],
    )
    out["engagements"] = out["likes"] + out["comments"] + out["shares"]
    out["leads"] = out["visits"] * rates["lead_rate"]
    out["sales"] = out["leads"] * rates["close_rate"]
    out["revenue"] = out["sales"] * values.order_value
    out |= {f"return_{lens}": value for lens, value in lens_values(out, values).items()}
    return out


def lens_values(counts: dict[str, FloatArray], values: ActionValues) -> dict[Lens, FloatArray]:
    """Each lens's money value of the counts (docs/model.md, "Return, by lens")."""
    return {
        Lens.SALES: counts["revenue"] * values.gross_margin,
        Lens.SUPPORT: counts["support_queries"] * values.support_query,
        Lens.LEADS: (counts["leads"] - counts["sales"]) * values.lead,
        Lens.ENGAGEMENT: counts["likes"] * values.like
        + counts["comments"] * values.comment
        + counts["shares"] * values.share
        + counts["video_views"] * values.video_view
        + counts["new_followers"] * values.follower,
        Lens.ORGANIC_TRAFFIC: counts["organic_visits"] * values.organic_visit,
    }


def objective_returns(
    counts: dict[str, FloatArray], lenses: tuple[Lens, ...]
) -> tuple[FloatArray, FloatArray]:
    """The return of each objective from the per-lens columns: (financial, full-value).

    Parameters
    ----------
    counts
        The ``return_<lens>`` columns of :func:`funnel` (any shape, all alike).
    lenses
        The lenses the full-value return counts: :func:`enabled_lenses` of the scenario.

    Notes
    -----
    ``financial = return_sales + return_support``; ``full = sum of return_<lens>`` over the
    counted lenses, in :class:`~roi_model.model.vocabulary.Lens` order (every caller sums in
    this one order, so their figures agree to the last bit).
    """
    financial = counts[f"return_{Lens.SALES}"] + counts[f"return_{Lens.SUPPORT}"]
    full = sum((counts[f"return_{lens}"] for lens in lenses), np.zeros_like(financial))
    return financial, full


def channel_figures(
    spend: FloatArray,
    hours: FloatArray,
    rates: dict[str, FloatArray],
    values: ActionValues,
    lenses: tuple[Lens, ...],
) -> dict[str, FloatArray]:
    """Impressions, actions and returns of channels at given spends and hours: the kernel.

    :func:`channel_columns` runs it on the scenario's own spends; the optimiser's budget scan
    and the response curves run it on others, so that their figures are the evaluation's.

    Parameters
    ----------
    spend, hours
        Each channel's money and staff hours, channels on the first axis; a further axis (the
        points of a curve) broadcasts against ``rates`` shaped ``(channels, 1)``.
    rates
        :func:`channel_arrays` of the channels.
    values
        What each action is worth.
    lenses
        The lenses the full-value return counts: :func:`enabled_lenses` of the scenario.

    Returns
    -------
    dict of str to ndarray
        ``paid_impressions``, ``organic_impressions``, ``impressions``, every column of
        :func:`funnel`, ``financial_return`` and ``full_return``.

    Notes
    -----
    ``paid = 1000 * spend / (cpm * (1 + spend / saturation_spend))`` (``1000 * spend / cpm``
    without saturation), ``organic = hours * organic_impressions_per_hour``, the
    :func:`funnel` run on ``paid + organic``, and the returns of :func:`objective_returns`.
    """
    paid = paid_impressions(spend, rates["cpm"], rates["saturation_spend"])
    organic = hours * rates["organic_impressions_per_hour"]
    counts = funnel(paid + organic, organic, hours, rates, values)
    financial, full = objective_returns(counts, lenses)
    return {
        "paid_impressions": paid,
        "organic_impressions": organic,
        "impressions": paid + organic,
        **counts,
        "financial_return": financial,
        "full_return": full,
    }


def return_per_impression(
    rates: dict[str, FloatArray], values: ActionValues, lenses: tuple[Lens, ...]
) -> tuple[FloatArray, FloatArray]:
    """What one more paid impression returns on each channel: (financial, full-value).

    Notes
    -----
    Every return is linear in paid impressions (for fixed organic impressions and hours), so
    this is the :func:`funnel` run on one impression with no organic reach and no hours.
    """
    ones = np.ones_like(rates["cpm"])
    zeros = np.zeros_like(ones)
    return objective_returns(funnel(ones, zeros, zeros, rates, values), lenses)


def channel_columns(scenario: Scenario) -> dict[str, FloatArray]:
    """Every per-channel figure of docs/model.md's equations, as arrays over the channels."""
    inv, rates = scenario.investment, channel_arrays(scenario.channels)
    spend = inv.ad_budget * normalised(rates["budget_share"])
    hours = inv.staff_hours * normalised(rates["hours_share"])
    lenses = enabled_lenses(scenario.lenses)
    figures = channel_figures(spend, hours, rates, scenario.values, lenses)
    financial, full = figures["financial_return"], figures["full_return"]
    investment = spend + hours * inv.hourly_rate
    marginal_financial, marginal_full = _marginal_return(scenario, rates, spend, lenses)
    columns = {"spend": spend, "hours": hours, "investment": investment, **figures}
    ordered = {name: columns[name] for name in COUNT_COLUMNS}
    return ordered | {
        "financial_roi": safe_divide(financial - investment, investment),
        "full_roi": safe_divide(full - investment, investment),
        "roas": safe_divide(figures["revenue"], spend),
        "cost_per_lead": safe_divide(investment, figures["leads"]),
        "cost_per_sale": safe_divide(investment, figures["sales"]),
        "marginal_financial_roi": marginal_financial - 1.0,
        "marginal_roi": marginal_full - 1.0,
        "spend_share": normalised(spend),
        "hours_share": normalised(hours),
        "return_share": normalised(full),
        "fit": rates["fit"],
    }


def channel_table(scenario: Scenario) -> pd.DataFrame:
    """One row per channel (indexed by name) with every figure of :func:`channel_columns`."""
    return _frame(channel_columns(scenario), scenario.channel_names)


def _frame(columns: Mapping[str, FloatArray], names: tuple[str, ...]) -> pd.DataFrame:
    """One DataFrame built in one go: far cheaper than growing it column by column."""
    return pd.DataFrame(
        np.column_stack(list(columns.values())),
        index=pd.Index(names, name="channel", dtype=object),
        columns=list(columns),
    )


def _marginal_return(
    scenario: Scenario, rates: dict[str, FloatArray], spend: FloatArray, lenses: tuple[Lens, ...]
) -> tuple[FloatArray, FloatArray]:
    """Return of the next unit of money spent on each channel (financial, full).

    Notes
    -----
    Every return is linear in paid impressions, so the return of one paid impression (the
    funnel run on a single impression) times the impressions the next unit buys, at today's
    spend, is the exact derivative.
    """
    financial, full = return_per_impression(rates, scenario.values, lenses)
    slope = paid_impressions_slope(spend, rates["cpm"], rates["saturation_spend"])
    return financial * slope, full * slope


def evaluate(scenario: Scenario) -> Evaluation:
    """Every figure of the scenario's month: per channel, in total, by lens, per goal.

    Notes
    -----
    Investment ``= ad_budget + staff_hours * hourly_rate + fixed_costs``;
    ROI ``= (return - investment) / investment``, financial and full-value;
    ROAS ``= revenue / ad spend``; cost per lead and per sale divide the whole investment.

    Examples
    --------
    >>> from roi_model.model.spec import Investment
    >>> ev = evaluate(Scenario(investment=Investment(ad_budget=1000.0)))
    >>> ev.totals["impressions"], ev.investment.total
    (100000.0, 1000.0)
    """
    columns = channel_columns(scenario)
    totals = {column: float(columns[column].sum()) for column in COUNT_COLUMNS}
    investment = _investment_summary(scenario)
    returns = ReturnSummary(
        **{lens.value: totals[f"return_{lens}"] for lens in Lens},
        financial=totals["financial_return"],
        full=totals["full_return"],
    )
    financial_roi = roi(returns.financial, investment.total)
    full_roi = roi(returns.full, investment.total)
    return Evaluation(
        scenario=scenario,
        channel_figures=columns,
        totals=totals,
        investment=investment,
        returns=returns,
        financial_roi=financial_roi,
        full_roi=full_roi,
        roas=_ratio(totals["revenue"], investment.ad_spend),
        cost_per_lead=_ratio(investment.total, totals["leads"]),
        cost_per_sale=_ratio(investment.total, totals["sales"]),
    )


def _investment_summary(scenario: Scenario) -> InvestmentSummary:
    inv = scenario.investment
    return InvestmentSummary(
        ad_spend=inv.ad_budget,
        staff_cost=inv.staff_cost,
        fixed_costs=inv.fixed_costs,
        total=inv.total,
    )


def roi(gross: float, invested: float) -> float:
    """Return on investment, as a fraction; NaN (undefined) when nothing is invested.

    Notes
    -----
    ``roi = (return - investment) / investment``.

    Examples
    --------
    >>> roi(1500.0, 1000.0), roi(10.0, 0.0)
    (0.5, nan)
    """
    return _ratio(gross - invested, invested)


def _ratio(numerator: float, denominator: float) -> float:
    return float(safe_divide(numerator, denominator))


def goal_table(goals: tuple[Goal, ...], metrics: Mapping[str, float]) -> pd.DataFrame:
    """Each goal's value and attainment (value / target; NaN where the target is not > 0)."""
    value = np.array([metrics[goal.metric.value] for goal in goals], float)
    target = np.array([goal.target for goal in goals], float)
    # plain lists and arrays: a Series per column would cost every evaluation a third more
    return pd.DataFrame(
        {
            "tier": [g.tier.value for g in goals],
            "metric": [g.metric.value for g in goals],
            "target": target,
            "value": value,
            "attainment": np.array([g.attainment(v) for g, v in zip(goals, value, strict=True)]),
            "met": np.array([g.is_met(v) for g, v in zip(goals, value, strict=True)], bool),
        }
    )
