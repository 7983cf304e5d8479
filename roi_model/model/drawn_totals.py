"""The month's totals over the channels for many draws at once: the simulation's kernel.

:func:`~roi_model.model.evaluate.channel_figures` works out every column of the channel table,
some forty of them. A draw of the simulation needs only the two returns and the totals its goals
count, summed over the channels, so :func:`drawn_totals` regroups the same equations (docs/model.md)
around the impressions reached, ``reach = (paid + organic) * fit``: every action is ``reach``
times a product of rates, so each return is ``reach`` times a money value per reached impression
plus the terms that do not come from the reach (support queries from the hours, organic visits
from the organic impressions). The figures equal the evaluation's up to rounding (the tests hold
them to a relative 1e-12); a scenario whose ranges have no width is evaluated by
:func:`~roi_model.model.evaluate.evaluate` itself, to the last bit.

Shapes: channels on the first axis, draws on the second; a figure that does not vary between
draws keeps a second axis of 1 (or is a float, for the action values) and broadcasts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from roi_model.model.curves import FloatArray, audience_growth
from roi_model.model.spec import ActionValues
from roi_model.model.vocabulary import Lens

Number = float | FloatArray


@dataclass(frozen=True)
class DrawnValues:
    """What each action is worth, one value per draw (or a float for every draw): the fields
    of :class:`~roi_model.model.spec.ActionValues`, read only as multipliers, so arrays of
    shape ``(draws,)`` broadcast against the channels' figures."""

    like: Number
    comment: Number
    share: Number
    video_view: Number
    organic_visit: Number
    lead: Number
    order_value: Number
    gross_margin: Number
    support_query: Number
    follower: Number


Values = ActionValues | DrawnValues


#: Counts a goal may ask for, as the product of rates that one reached impression yields
#: (``impressions``, ``support_queries``, ``engagements`` and ``revenue`` are worked out apart).
_COUNTS_PER_REACH: dict[str, tuple[str, ...]] = {
    "likes": ("like_rate",),
    "comments": ("comment_rate",),
    "shares": ("share_rate",),
    "video_views": ("video_view_rate",),
    "visits": ("ctr",),
    "leads": ("ctr", "lead_rate"),
    "sales": ("ctr", "lead_rate", "close_rate"),
}


def paid_impressions_drawn(
    spend: FloatArray, cpm: FloatArray, saturation: FloatArray
) -> FloatArray:
    """``1000 * spend / (cpm * (1 + spend / saturation))``, NaN saturation meaning none.

    As :func:`~roi_model.model.curves.paid_impressions`: no spend buys nothing whatever the CPM,
    and spend on a channel whose CPM is 0 is undefined (NaN), not infinite.
    """
    inverse = np.divide(1.0, saturation, out=np.zeros(np.shape(saturation)), where=saturation > 0)
    # Worked in place at the shape of all three (a spend of one figure per channel may meet
    # a CPM drawn per draw).
    shape = np.broadcast_shapes(np.shape(spend), np.shape(cpm), np.shape(saturation))
    price = np.multiply(spend, inverse, out=np.empty(shape))
    price += 1.0
    price *= cpm
    bought = np.multiply(spend, 1000.0, out=np.empty(shape))
    with np.errstate(divide="ignore", invalid="ignore"):
        bought /= price
    if not np.all(cpm > 0):  # rare: only then are there zeros to mend
        free = np.broadcast_to(cpm == 0, bought.shape)
        bought[free] = np.where(np.broadcast_to(spend, bought.shape)[free] > 0, np.nan, 0.0)
    return bought


def drawn_totals(
    spend: FloatArray,
    hours: FloatArray,
    rates: dict[str, FloatArray],
    values: Values,
    lenses: tuple[Lens, ...],
    counts: Iterable[str] = (),
) -> dict[str, FloatArray]:
    """``financial_return``, ``full_return`` and each of ``counts``, summed over the channels.

    Parameters
    ----------
    spend, hours
        Each channel's money and staff hours per draw: ``(channels, draws)`` or ``(channels, 1)``.
    rates
        :func:`~roi_model.model.evaluate.channel_arrays` of the channels, ``(channels, 1)``, or
        ``(channels, draws)`` where drawn.
    values
        What each action is worth, per draw or for all.
    lenses
        The lenses the full-value return counts.
    counts
        Names of the evaluation's count columns a goal asks for (``sales``, ``impressions``...).

    Returns
    -------
    dict of str to ndarray
        Each figure per draw, ``(draws,)`` (``(1,)`` when nothing varies).

    Notes
    -----
    With ``reach = (paid + organic) * fit`` and per reached impression
    ``sale = ctr * lead_rate * close_rate``:
    ``financial = reach * sale * order_value * gross_margin
    + hours * support_queries_per_hour * support_query``; the full-value return adds, for the
    lenses it counts, ``reach * ctr * lead_rate * (1 - close_rate) * lead`` (leads not closed),
    ``reach * (like_rate * like + comment_rate * comment + share_rate * share
    + video_view_rate * video_view)``, ``organic * fit * ctr * organic_visit`` and the new
    followers' value (:func:`~roi_model.model.curves.audience_growth` of
    ``reach * follow_rate``, times ``follower``).
    """
    paid = paid_impressions_drawn(spend, rates["cpm"], rates["saturation_spend"])
    organic = hours * rates["organic_impressions_per_hour"]
    impressions = paid + organic
    reach = impressions * rates["fit"]
    visit_lead = rates["ctr"] * rates["lead_rate"]
    sale = visit_lead * rates["close_rate"]
    financial = reach * (sale * (values.order_value * values.gross_margin))
    financial += hours * (rates["support_queries_per_hour"] * values.support_query)
    full = financial + _other_lenses(reach, organic, rates, values, lenses, visit_lead)
    counts = tuple(counts)
    followed = Lens.ENGAGEMENT in lenses and not _is_zero(values.follower)
    audience = _audience(reach, rates) if followed or _AUDIENCE & set(counts) else {}
    if followed:
        full = full + audience["new_followers"] * values.follower
    out = {"financial_return": financial.sum(axis=0), "full_return": full.sum(axis=0)}
    for name in counts:
        if name in audience:
            out[name] = np.asarray(audience[name].sum(axis=0), float)
        else:
            out[name] = _count(name, reach, impressions, hours, rates, values)
    return out


#: The counts that come from the audience's growth.
_AUDIENCE = {"new_followers", "followers"}


def _audience(reach: FloatArray, rates: dict[str, FloatArray]) -> dict[str, FloatArray]:
    """The month's new followers and the audience at its end, per channel and draw.

    Without a follow rate on any channel none is won, and the audience only loses its churn:
    worked out so, without the ceiling's passes over every draw.
    """
    if not np.any(rates["follow_rate"] > 0):
        none = reach * 0.0  # NaN where the reach is (spend at a CPM of 0), as the ceiling's
        return {
            "new_followers": none,
            "followers": rates["followers"] * (1.0 - rates["follower_churn"]) + none,
        }
    new, after = audience_growth(
        reach * rates["follow_rate"],
        rates["followers"],
        rates["follower_churn"],
        rates["audience_ceiling"],
    )
    return {"new_followers": new, "followers": after}


def _is_zero(value: Number) -> bool:
    """Whether a value is 0 for every draw (a float 0, not a drawn array)."""
    return isinstance(value, float | int) and value == 0


def _other_lenses(
    reach: FloatArray,
    organic: FloatArray,
    rates: dict[str, FloatArray],
    values: Values,
    lenses: tuple[Lens, ...],
    visit_lead: FloatArray,
) -> FloatArray | float:
    """What the counted lenses beyond the financial ones add, per channel and draw."""
    added = reach * other_lenses_per_reach(rates, values, lenses, visit_lead)
    if Lens.ORGANIC_TRAFFIC in lenses:
        added = added + organic * organic_visit_value(rates, values)
    return added


def other_lenses_per_reach(
    rates: dict[str, FloatArray], values: Values, lenses: tuple[Lens, ...], visit_lead: FloatArray
) -> FloatArray | float:
    """What one reached impression adds in the counted lenses beyond the financial ones:
    the leads not closed and the engagement (not the organic visits nor the new followers,
    which do not come from the whole reach)."""
    per_reach: FloatArray | float = 0.0
    if Lens.LEADS in lenses:
        per_reach = visit_lead * (1.0 - rates["close_rate"]) * values.lead
    if Lens.ENGAGEMENT in lenses:
        per_reach = per_reach + (
            rates["like_rate"] * values.like
            + rates["comment_rate"] * values.comment
            + rates["share_rate"] * values.share
            + rates["video_view_rate"] * values.video_view
        )
    return per_reach


def organic_visit_value(rates: dict[str, FloatArray], values: Values) -> FloatArray:
    """What one organic impression is worth in organic visits: ``fit * ctr * organic_visit``."""
    return rates["fit"] * rates["ctr"] * values.organic_visit


def _count(
    name: str,
    reach: FloatArray,
    impressions: FloatArray,
    hours: FloatArray,
    rates: dict[str, FloatArray],
    values: Values,
) -> FloatArray:
    """One count column of the evaluation, summed over the channels."""
    if name == "impressions":
        return np.asarray(impressions.sum(axis=0), float)
    if name == "support_queries":
        return np.asarray((hours * rates["support_queries_per_hour"]).sum(axis=0), float)
    if name == "engagements":
        per_reach = rates["like_rate"] + rates["comment_rate"] + rates["share_rate"]
        return np.asarray((reach * per_reach).sum(axis=0), float)
    if name == "revenue":
        sales = (reach * _product(rates, _COUNTS_PER_REACH["sales"])).sum(axis=0)
        return np.asarray(sales * values.order_value, float)
    return np.asarray((reach * _product(rates, _COUNTS_PER_REACH[name])).sum(axis=0), float)


def _product(rates: dict[str, FloatArray], names: tuple[str, ...]) -> FloatArray:
    product = rates[names[0]]
    for name in names[1:]:
        product = product * rates[name]
    return product
