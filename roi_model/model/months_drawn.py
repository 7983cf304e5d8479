"""The months ahead for many draws at once: the kernel of the months' simulation.

:mod:`roi_model.model.months` projects one scenario month by month, keeping every column of
every channel. A draw of the simulation needs only, month after month, the investment and
the two returns summed over the channels, to know its cumulative ROI at the horizon and the
month it pays back. :func:`drawn_months` regroups the same equations (docs/model.md, "The
months ahead") as :mod:`~roi_model.model.drawn_totals` regroups the month's: every action is
the remembered impressions times a product of rates, so each month's return is the
remembered impressions times a money value per impression, summed over the channels, plus
what does not come from them (support queries, the new followers' value, the customers who
come back). The one loop runs over the months; channels and draws are the arrays' axes.

Shapes: channels on the first axis, draws on the second; a figure that does not vary between
draws keeps a second axis of 1 (or is a float) and broadcasts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from roi_model.model.curves import FloatArray, audience_growth, audience_lift, safe_divide
from roi_model.model.drawn_totals import (
    Number,
    Values,
    channel_sum,
    organic_visit_value,
    other_lenses_per_reach,
    paid_impressions_drawn,
)
from roi_model.model.spec import ScheduleStep
from roi_model.model.vocabulary import OBJECTIVES, Lens, Objective


@dataclass(frozen=True)
class DrawnMonths:
    """Each draw's months ahead, by objective: the cumulative ROI at the horizon (NaN where
    nothing is invested or a figure is undefined) and the payback month, the first whose
    cumulative net is >= 0 (``inf`` when none is within the horizon, NaN where undefined),
    and the NPV of the monthly nets (month ``t`` discounted by ``(1 + rate)^(t - 1)``)."""

    roi: dict[Objective, FloatArray]
    payback_month: dict[Objective, FloatArray]
    npv: dict[Objective, FloatArray]


@dataclass(frozen=True)
class MonthsInputs:
    """What the months ahead add to one block of draws: the horizon, the schedule, and the
    launch costs, repeat purchases, retention and discount rate (a float, or one per draw)."""

    horizon: int
    schedule: tuple[ScheduleStep, ...]
    launch_costs: Number
    repeat_purchases: Number
    retention: Number
    discount_rate: Number


@dataclass(frozen=True)
class _Stretch:
    """Months with one ad budget and one staff figure, from month index ``first`` on: what
    each of them buys, posts (at today's audience), earns from support and invests."""

    first: int
    paid: FloatArray
    posted: FloatArray
    support: FloatArray
    investment: Number


@dataclass(frozen=True)
class _Worth:
    """Money per remembered impression (``(channels, draws)``), per draw in the block."""

    financial: FloatArray  # sales margin
    full: FloatArray  # sales margin and the other counted lenses but organic visits
    organic: FloatArray | float  # organic visits, per remembered organic impression
    sales: FloatArray  # new sales (for the customers who come back)
    follows: FloatArray  # new followers offered, before the ceiling
    follower: Number  # a new follower's value in the full-value return (0 if not counted)
    margin: Number  # a returning purchase's margin: order value x gross margin


def drawn_months(
    budget_shares: FloatArray,
    hours_shares: FloatArray,
    rates: dict[str, FloatArray],
    values: Values,
    investment: dict[str, Number],
    months: MonthsInputs,
    lenses: tuple[Lens, ...],
) -> DrawnMonths:
    """Months 1 to the horizon of every draw in a block.

    Parameters
    ----------
    budget_shares, hours_shares
        Each channel's share of the ad budget and of the staff hours (normalised), per draw:
        ``(channels, draws)`` or ``(channels, 1)``; every month splits its figures so.
    rates
        :func:`~roi_model.model.evaluate.channel_arrays`, ``(channels, 1)`` or drawn.
    values
        What each action is worth, per draw or for all.
    investment
        ``ad_budget``, ``staff_hours``, ``hourly_rate`` and ``fixed_costs``, per draw or not.
    months
        The months ahead's settings.
    lenses
        The lenses the full-value return counts.

    Notes
    -----
    Per month ``t`` and channel: remembered ``Rp_t = paid_t + carryover * Rp_(t-1)`` and
    ``Ro_t = posted_t * F_(t-1) / F_0 + carryover * Ro_(t-1)`` (``* 1`` without an audience at
    the start); ``R = Rp + Ro``; the financial return is ``sum_c R * fit * sale * order_value *
    gross_margin + support``, the full-value return adds ``R * fit * (other lenses per reach)``,
    ``Ro * fit * ctr * organic_visit`` and the new followers' value; the customers kept
    ``K_t = retention * (K_(t-1) + S_(t-1))`` buy ``repeat_purchases * K_t`` times at the
    order's margin (both returns). The same equations as
    :func:`~roi_model.model.months.project`, whose figures these equal up to rounding.
    """
    worth = _worth(rates, values, lenses)
    carryover = rates["carryover"]
    start = rates["followers"]
    growing = bool(np.any(rates["follow_rate"] > 0) or np.any(rates["follower_churn"] > 0))
    stretches = _stretches((budget_shares, hours_shares), rates, values, investment, months)
    shape = np.broadcast_shapes(
        *(stretch.paid.shape for stretch in stretches),
        *(stretch.posted.shape for stretch in stretches),
        *(np.shape(a) for a in rates.values()),
        (1, np.size(investment["ad_budget"])),
        (1, np.size(months.retention)),
    )
    draws = shape[1]
    paid_kept = organic_kept = np.zeros(shape)
    audience = np.broadcast_to(start, shape)
    customers = last_sales = np.zeros(draws)
    invested = np.zeros(draws)
    returned: dict[Objective, FloatArray] = {kind: np.zeros(draws) for kind in OBJECTIVES}
    payback: dict[Objective, FloatArray] = {kind: np.full(draws, np.inf) for kind in OBJECTIVES}
    npv: dict[Objective, FloatArray] = {kind: np.zeros(draws) for kind in OBJECTIVES}
    discount = 1.0 / (1.0 + np.asarray(months.discount_rate, float))
    weight = np.ones_like(discount)  # month t's: discount^(t - 1)
    stretch = stretches[0]
    for index in range(months.horizon):
        stretch = next((s for s in stretches if s.first == index), stretch)
        lift = audience_lift(audience, start) if growing else 1.0
        paid_kept = stretch.paid + carryover * paid_kept
        organic_kept = stretch.posted * lift + carryover * organic_kept
        remembered = paid_kept + organic_kept
        financial = channel_sum(remembered, worth.financial) + stretch.support
        full = channel_sum(remembered, worth.full) + stretch.support
        full = full + channel_sum(organic_kept, worth.organic)
        if growing:
            new, audience = audience_growth(
                remembered * worth.follows,
                audience,
                rates["follower_churn"],
                rates["audience_ceiling"],
            )
            full = full + new.sum(axis=0) * worth.follower
        customers = months.retention * (customers + last_sales)
        last_sales = channel_sum(remembered, worth.sales)
        coming_back = months.repeat_purchases * customers * worth.margin
        month_investment = stretch.investment + (months.launch_costs if index == 0 else 0.0)
        invested = invested + month_investment
        month_returns: dict[Objective, FloatArray] = {"financial": financial, "full": full}
        for kind in OBJECTIVES:
            returned[kind] = returned[kind] + month_returns[kind] + coming_back
            paid_back = np.isinf(payback[kind]) & (returned[kind] >= invested)
            payback[kind] = np.where(paid_back, index + 1.0, payback[kind])
            net = month_returns[kind] + coming_back - month_investment
            npv[kind] = npv[kind] + net * weight
        weight = weight * discount
    return _outcome(invested, returned, payback, npv)


def _worth(rates: dict[str, FloatArray], values: Values, lenses: tuple[Lens, ...]) -> _Worth:
    fit = rates["fit"]
    visit_lead = rates["ctr"] * rates["lead_rate"]
    sales = fit * visit_lead * rates["close_rate"]
    margin = values.order_value * values.gross_margin
    financial = sales * margin
    others = other_lenses_per_reach(rates, values, lenses, visit_lead)
    organic = organic_visit_value(rates, values) if Lens.ORGANIC_TRAFFIC in lenses else 0.0
    return _Worth(
        financial=financial,
        full=financial + fit * others,
        organic=organic,
        sales=sales,
        follows=fit * rates["follow_rate"],
        follower=values.follower if Lens.ENGAGEMENT in lenses else 0.0,
        margin=margin,
    )


def _stretches(
    shares: tuple[FloatArray, FloatArray],
    rates: dict[str, FloatArray],
    values: Values,
    investment: dict[str, Number],
    months: MonthsInputs,
) -> list[_Stretch]:
    """Today's stretch, and one from each step of the schedule within the horizon (a step
    sets its figures from its month on; what it leaves out stays as it was)."""
    figures = dict(investment)
    stretches = [_stretch(0, shares, rates, values, figures)]
    for step in months.schedule:
        if step.from_month > months.horizon:
            break
        if step.ad_budget is not None:
            figures["ad_budget"] = step.ad_budget
        if step.staff_hours is not None:
            figures["staff_hours"] = step.staff_hours
        stretches.append(_stretch(step.from_month - 1, shares, rates, values, dict(figures)))
    return stretches


def _stretch(
    first: int,
    shares: tuple[FloatArray, FloatArray],
    rates: dict[str, FloatArray],
    values: Values,
    investment: dict[str, Number],
) -> _Stretch:
    spend = investment["ad_budget"] * shares[0]
    hours = investment["staff_hours"] * shares[1]
    return _Stretch(
        first=first,
        paid=paid_impressions_drawn(spend, rates["cpm"], rates["saturation_spend"]),
        posted=hours * rates["organic_impressions_per_hour"],
        support=(hours * (rates["support_queries_per_hour"] * values.support_query)).sum(axis=0),
        # The sum in Investment.total's order.
        investment=investment["ad_budget"]
        + investment["staff_hours"] * investment["hourly_rate"]
        + investment["fixed_costs"],
    )


def _outcome(
    invested: FloatArray,
    returned: dict[Objective, FloatArray],
    payback: dict[Objective, FloatArray],
    npv: dict[Objective, FloatArray],
) -> DrawnMonths:
    """The ROIs at the horizon; a draw whose figures are undefined has no payback month."""
    roi = {kind: safe_divide(returned[kind] - invested, invested) for kind in OBJECTIVES}
    undefined = {kind: np.isnan(returned[kind]) | np.isnan(invested) for kind in OBJECTIVES}
    return DrawnMonths(
        roi=roi,
        payback_month={
            kind: np.where(undefined[kind], np.nan, payback[kind]) for kind in OBJECTIVES
        },
        npv=npv,
    )
