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


#: Counts that are the reach times one rate (the others are worked out in :class:`_Counts`).
_PER_REACH: dict[str, str] = {
    "likes": "like_rate",
    "comments": "comment_rate",
    "shares": "share_rate",
    "video_views": "video_view_rate",
    "visits": "ctr",
}
#: The counts that come from the audience's growth.
_AUDIENCE = ("new_followers", "followers")


def paid_impressions_drawn(
    spend: FloatArray, cpm: FloatArray, saturation: FloatArray, per_thousand: Number = 1000.0
) -> FloatArray:
    """``per_thousand * spend / (cpm * (1 + spend / saturation))``, NaN saturation meaning none.

    As :func:`~roi_model.model.curves.paid_impressions` with ``per_thousand`` 1000: the
    impressions bought (1000 times the fit: those that reach the audience). No spend buys
    nothing whatever the CPM, and spend on a channel whose CPM is 0 is undefined (NaN), not
    infinite.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        bought = np.multiply(spend, np.divide(per_thousand, cpm))  # mended below at a CPM of 0
        inverse = np.divide(
            1.0, saturation, out=np.zeros(np.shape(saturation)), where=saturation > 0
        )
        if np.any(inverse):  # only a channel that saturates buys less the more it spends
            price = np.multiply(spend, inverse)
            price += 1.0
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
        Each figure per draw, ``(draws,)`` (``(1,)`` when nothing varies); every figure of a
        draw that spends on a channel whose CPM is 0 is undefined (NaN).

    Notes
    -----
    An action is worth the same on every channel, so each return is a sum over the actions
    of ``value * count``, each count summed over the channels first (:class:`_Counts`; with
    ``reach = (paid + organic) * fit``, every action is the reach times a product of rates):
    ``financial = sales * order_value * gross_margin + support_queries * support_query``; the
    full-value return adds, for the lenses it counts, the leads not closed
    (``reach * ctr * lead_rate * (1 - close_rate)``) times ``lead``, ``likes * like``,
    ``comments * comment``, ``shares * share``, ``video_views * video_view``, the new
    followers (:func:`~roi_model.model.curves.audience_growth` of ``reach * follow_rate``)
    times ``follower``, and the organic visits (``organic * fit * ctr``) times
    ``organic_visit``.
    """
    count = _Counts(spend, hours, rates)
    financial = count("sales") * (values.order_value * values.gross_margin)
    financial = financial + count("support_queries") * values.support_query
    full = financial
    for name, value in _full_value_terms(values, lenses):
        full = full + count(name) * value
    out = {"financial_return": financial, "full_return": full}
    for name in counts:
        out[name] = count("sales") * values.order_value if name == "revenue" else count(name)
    return count.undefined_where_unbought(out)


def _full_value_terms(values: Values, lenses: tuple[Lens, ...]) -> list[tuple[str, Number]]:
    """The counts the full-value return adds to the financial one, each with its worth
    (those worth 0 for every draw left out)."""
    terms: list[tuple[str, Number]] = []
    if Lens.LEADS in lenses:
        terms.append(("leads_not_closed", values.lead))
    if Lens.ENGAGEMENT in lenses:
        terms += [
            ("likes", values.like),
            ("comments", values.comment),
            ("shares", values.share),
            ("video_views", values.video_view),
            ("new_followers", values.follower),
        ]
    if Lens.ORGANIC_TRAFFIC in lenses:
        terms.append(("organic_visits", values.organic_visit))
    return [(name, value) for name, value in terms if not _is_zero(value)]


def channel_sum(figures: FloatArray, weights: FloatArray | float | None = None) -> FloatArray:
    """``figures * weights`` summed over the channels (the first axis), per draw.

    Where one side does not vary between draws (a second axis of 1) the sum is a matrix
    product: one pass over the other, and no channels x draws array in between; weights the
    same on every channel (a float, or one row given to all) multiply the figures' sum.

    Examples
    --------
    >>> channel_sum(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[10.0], [1.0]])).tolist()
    [13.0, 24.0]
    """
    if weights is None:
        return np.asarray(figures.sum(axis=0), float)
    if isinstance(weights, float | int):
        return np.asarray(figures.sum(axis=0) * weights, float)
    if weights.shape[1] != 1 and weights.strides[0] == 0:  # one row for every channel alike
        return np.asarray(figures.sum(axis=0) * weights[0], float)
    if figures.shape[1] != 1 and weights.shape[1] == 1:
        return np.asarray(weights[:, 0] @ figures, float)
    if figures.shape[1] == 1 and weights.shape[1] != 1:
        return np.asarray(figures[:, 0] @ weights, float)
    return np.asarray(np.einsum("cd,cd->d", *np.broadcast_arrays(figures, weights)), float)


class _Counts:
    """The month's counts summed over the channels, per draw (``count("sales")``), each
    worked out once, when first asked for: the returns and the goals share them."""

    def __init__(self, spend: FloatArray, hours: FloatArray, rates: dict[str, FloatArray]):
        self.spend, self.hours, self.rates = spend, hours, rates
        fit = rates["fit"]
        self.organic_reach = hours * (rates["organic_impressions_per_hour"] * fit)
        paid_reach = paid_impressions_drawn(
            spend, rates["cpm"], rates["saturation_spend"], 1000.0 * fit
        )
        self.reach = paid_reach + self.organic_reach
        self.known: dict[str, FloatArray] = {}
        self.per_channel: dict[str, FloatArray] = {}

    def __call__(self, name: str) -> FloatArray:
        if name not in self.known:
            self.known[name] = np.asarray(self._work_out(name), float).reshape(-1)
        return self.known[name]

    def _work_out(self, name: str) -> FloatArray:
        rates = self.rates
        if name in _PER_REACH:
            return channel_sum(self.reach, rates[_PER_REACH[name]])
        if name == "leads":
            return channel_sum(self._leads())
        if name == "sales":
            return channel_sum(self._leads(), rates["close_rate"])
        if name == "leads_not_closed":
            return channel_sum(self._leads(), 1.0 - rates["close_rate"])
        if name == "organic_visits":
            return channel_sum(self.organic_reach, rates["ctr"])
        if name == "support_queries":
            return channel_sum(self.hours, rates["support_queries_per_hour"])
        if name == "engagements":
            return self("likes") + self("comments") + self("shares")
        if name == "impressions":
            bought = paid_impressions_drawn(self.spend, rates["cpm"], rates["saturation_spend"])
            posted = channel_sum(self.hours, rates["organic_impressions_per_hour"])
            return channel_sum(bought) + posted
        if name in _AUDIENCE:
            return channel_sum(self._audience()[name])
        raise ValueError(f"unknown count {name!r}")

    def _leads(self) -> FloatArray:
        """Each channel's leads per draw, ``reach * ctr * lead_rate``: the sales and the
        leads not closed are its parts."""
        if "leads" not in self.per_channel:
            per_reach = self.rates["ctr"] * self.rates["lead_rate"]
            self.per_channel["leads"] = self.reach * per_reach
        return self.per_channel["leads"]

    def _audience(self) -> dict[str, FloatArray]:
        if "new_followers" not in self.per_channel:
            self.per_channel |= _audience(self.reach, self.rates)
        return self.per_channel

    def undefined_where_unbought(self, out: dict[str, FloatArray]) -> dict[str, FloatArray]:
        """``out`` with NaN in every figure of a draw that spends on a channel whose CPM is 0:
        said here, since a matrix product may skip a NaN whose weight is 0."""
        if np.all(self.rates["cpm"] > 0):
            return out
        undefined = np.isnan(self.reach).any(axis=0)  # the organic reach is never NaN
        return {name: np.where(undefined, np.nan, figure) for name, figure in out.items()}


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
