"""Channels on one footing: the comparison table, response curves, industry fit, staff hours.

Every function reads an :class:`~roi_model.model.evaluate.Evaluation` (or, for the curves, the
scenario) and runs the model's own functions (:func:`~roi_model.model.evaluate.channel_figures`,
:func:`~roi_model.model.evaluate.funnel`) with channels on the first array axis; nothing
loops over channels or curve points in Python. Undefined figures are NaN, never inf.

Lenses: :func:`channel_comparison` shows every ``return_<lens>`` column, counted or not (as the
evaluation does: a lens the scenario leaves out is valued but not added to ``full_return``);
:func:`counted_lenses` says which ones count, so a page can grey out the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from roi_model.model.compare import SAME_TOLERANCE, Direction
from roi_model.model.curves import FloatArray, effective_cpm, safe_divide
from roi_model.model.evaluate import (
    Evaluation,
    channel_arrays,
    channel_columns,
    channel_figures,
    enabled_lenses,
    funnel,
    normalised,
    objective_returns,
)
from roi_model.model.spec import Scenario
from roi_model.model.vocabulary import OBJECTIVES, Kind, Lens, Objective, kind_of

#: A channel whose industry fit is below this suits the client poorly (Twitter for builders).
POOR_FIT = 0.5

#: The marks of :func:`extremes`.
BEST, WORST = "best", "worst"


@dataclass(frozen=True)
class ChannelColumn:
    """A column of the channel comparison: its key, its format and which way is better."""

    key: str
    kind: Kind
    better: Direction


def _column(key: str, better: Direction) -> ChannelColumn:
    """A column of the comparison, of the kind the vocabulary gives its figure."""
    return ChannelColumn(key, kind_of(key), better)


_HIGHER, _LOWER, _NEUTRAL = Direction.HIGHER_BETTER, Direction.LOWER_BETTER, Direction.NEUTRAL

#: The columns of :func:`channel_comparison`, in display order.
CHANNEL_COLUMNS: tuple[ChannelColumn, ...] = (
    _column("spend", _NEUTRAL),
    _column("hours", _NEUTRAL),
    _column("investment", _NEUTRAL),
    *(_column(key, _HIGHER) for key in ("impressions", "engagements", "visits", "leads", "sales")),
    *(_column(f"return_{lens}", _HIGHER) for lens in Lens),
    _column("financial_return", _HIGHER),
    _column("full_return", _HIGHER),
    _column("financial_roi", _HIGHER),
    _column("full_roi", _HIGHER),
    _column("roas", _HIGHER),
    _column("cost_per_lead", _LOWER),
    _column("cost_per_sale", _LOWER),
    _column("marginal_roi", _HIGHER),
    _column("spend_share", _NEUTRAL),
    _column("return_share", _HIGHER),
)

#: The keys of :data:`CHANNEL_COLUMNS`, in order.
CHANNEL_KEYS: tuple[str, ...] = tuple(column.key for column in CHANNEL_COLUMNS)

#: The columns of :func:`hours_view`.
HOURS_COLUMNS: tuple[str, ...] = (
    "hours",
    "staff_cost",
    "organic_impressions",
    "hours_financial_return",
    "hours_full_return",
    "hours_financial_roi",
    "hours_full_roi",
)

#: The columns of :func:`poor_fit`.
POOR_FIT_COLUMNS: tuple[str, ...] = (
    "fit",
    "investment",
    "full_return",
    "net",
    "return_at_full_fit",
    "cost_of_fit",
)

#: The columns of :func:`response_curves`.
CURVE_COLUMNS: tuple[str, ...] = (
    "channel",
    "spend",
    "paid_impressions",
    "impressions",
    "effective_cpm",
    "financial_return",
    "full_return",
)

#: The curve figures :func:`curve_markers` gives at each marked point.
_MARKED = ("impressions", "financial_return", "full_return")

#: The columns of :func:`curve_markers`.
MARKER_COLUMNS: tuple[str, ...] = (
    "has_curve",
    "today_spend",
    "today_impressions",
    "today_financial_return",
    "today_full_return",
    "doubling_spend",
    "doubling_impressions",
    "doubling_financial_return",
    "doubling_full_return",
    "today_marginal_roi",
)

#: The end of every curve when nothing gives it a scale (no spend, saturation or budget).
CURVE_FLOOR = 100.0


def _frame(columns: dict[str, npt.NDArray[Any]], names: pd.Index) -> pd.DataFrame:
    """A per-channel frame indexed by channel name."""
    return pd.DataFrame(columns, index=pd.Index(names, name="channel", dtype=object))


# ---------------------------------------------------------------------------------------------
# The comparison table


def counted_lenses(ev: Evaluation) -> tuple[Lens, ...]:
    """The lenses whose ``return_<lens>`` column counts in the channels' full-value return."""
    return enabled_lenses(ev.scenario.lenses)


def channel_comparison(ev: Evaluation) -> pd.DataFrame:
    """Every channel on one footing: one row per channel (index ``channel``).

    Columns: the :data:`CHANNEL_COLUMNS` keys in order, then ``fit`` and ``poor_fit``
    (``fit < POOR_FIT``). Every ``return_<lens>`` column is shown, counted or not; see
    :func:`counted_lenses`.
    """
    table = ev.channels.loc[:, list(CHANNEL_KEYS)].astype(float)
    fit = ev.channels["fit"].to_numpy(float)
    return table.assign(fit=fit, poor_fit=fit < POOR_FIT)


def extremes(table: pd.DataFrame) -> pd.DataFrame:
    """Which cell of each column is the best and which the worst, by the column's direction.

    Returns a frame with the table's index and the :data:`CHANNEL_COLUMNS` keys, each cell
    ``"best"``, ``"worst"`` or ``""``.

    Notes
    -----
    NaN is never best or worst. Values within ``tolerance = SAME_TOLERANCE * max(1, |max|,
    |min|)`` of the column's extreme tie with it and are all marked. Nothing is marked in a
    neutral column, a table of one row, or a column whose known values are all equal (span no
    more than twice the tolerance, so no value ties with both ends).

    Examples
    --------
    >>> table = pd.DataFrame({key: [1.0, 2.0, 2.0] for key in CHANNEL_KEYS})
    >>> extremes(table)[["full_return", "cost_per_lead", "spend"]].to_numpy().tolist()
    [['worst', 'best', ''], ['best', 'worst', ''], ['best', 'worst', '']]
    """
    values = table.loc[:, list(CHANNEL_KEYS)].to_numpy(float)
    marks = np.full(values.shape, "", dtype=object)
    if len(table) > 1:
        direction = np.array([int(column.better) for column in CHANNEL_COLUMNS])
        known = ~np.isnan(values)
        high = np.where(known, values, -np.inf).max(axis=0)
        low = np.where(known, values, np.inf).min(axis=0)
        tolerance = SAME_TOLERANCE * np.maximum(1.0, np.maximum(np.abs(high), np.abs(low)))
        # Beyond twice the tolerance no value can tie with both ends.
        spread = known & (high - low > 2 * tolerance) & (direction != 0)
        at_high = spread & (values >= high - tolerance)
        at_low = spread & (values <= low + tolerance)
        marks[np.where(direction > 0, at_high, at_low)] = BEST
        marks[np.where(direction > 0, at_low, at_high)] = WORST
    return pd.DataFrame(marks, index=table.index, columns=list(CHANNEL_KEYS))


# ---------------------------------------------------------------------------------------------
# Spend against return


def spend_vs_return(ev: Evaluation, objective: Objective = "full") -> pd.DataFrame:
    """Each channel's share of the spend beside its share of the return.

    One row per measure (``spend``, then ``return``) × channel, channels in order:
    ``channel``, ``measure``, ``share`` (each measure sums to 1, or is all 0), ``amount`` (the
    money) and the channel's ``return_per_spend_share`` on both of its rows.

    Notes
    -----
    ``return_per_spend_share = return_share / spend_share``: above 1 the channel returns more
    than its share of the spend; NaN where its spend share is 0.

    Raises
    ------
    ValueError
        If ``objective`` is neither ``"financial"`` nor ``"full"``.
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be 'financial' or 'full', got {objective!r}")
    channels = ev.channels
    spend = channels["spend"].to_numpy(float)
    returned = channels[f"{objective}_return"].to_numpy(float)
    spend_share, return_share = normalised(spend), normalised(returned)
    ratio = safe_divide(return_share, spend_share)
    names = channels.index.to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "channel": np.tile(names, 2),
            "measure": np.repeat(np.array(["spend", "return"], dtype=object), len(names)),
            "share": np.concatenate([spend_share, return_share]),
            "amount": np.concatenate([spend, returned]),
            "return_per_spend_share": np.tile(ratio, 2),
        }
    )


# ---------------------------------------------------------------------------------------------
# Staff hours and industry fit


def _rerun_funnel(
    ev: Evaluation, impressions: FloatArray, fit: FloatArray | None = None
) -> tuple[FloatArray, FloatArray]:
    """Financial and full return of the channels' funnel on other impressions or fit.

    Organic impressions and hours stay today's.
    """
    rates = channel_arrays(ev.scenario.channels)
    if fit is not None:
        rates = rates | {"fit": fit}
    channels = ev.channels
    counts = funnel(
        impressions,
        channels["organic_impressions"].to_numpy(float),
        channels["hours"].to_numpy(float),
        rates,
        ev.scenario.values,
    )
    return objective_returns(counts, counted_lenses(ev))


def hours_view(ev: Evaluation) -> pd.DataFrame:
    """What each channel's staff hours cost and bring: one row per channel (index ``channel``).

    Columns: :data:`HOURS_COLUMNS`: ``hours``, ``staff_cost`` (hours × hourly rate),
    ``organic_impressions``, ``hours_financial_return`` and ``hours_full_return`` (the return
    the hours bring), ``hours_financial_roi`` and ``hours_full_roi``
    (``(hours return - staff cost) / staff cost``, NaN without staff cost).

    Notes
    -----
    The hours' return is the funnel run on the organic impressions alone, plus support:
    sales, leads and engagement grow in proportion to impressions, so their organic part is
    ``return * organic / impressions``; the organic-traffic lens and support come from the
    hours entirely (organic visits need no paid impression).
    """
    channels = ev.channels
    hours = channels["hours"].to_numpy(float)
    organic = channels["organic_impressions"].to_numpy(float)
    staff_cost = hours * ev.scenario.investment.hourly_rate
    financial, full = _rerun_funnel(ev, organic)
    columns = {
        "hours": hours,
        "staff_cost": staff_cost,
        "organic_impressions": organic,
        "hours_financial_return": financial,
        "hours_full_return": full,
        "hours_financial_roi": safe_divide(financial - staff_cost, staff_cost),
        "hours_full_roi": safe_divide(full - staff_cost, staff_cost),
    }
    return _frame(columns, channels.index)


def poor_fit(ev: Evaluation) -> pd.DataFrame:
    """The channels that suit the client poorly (``fit < POOR_FIT``) and what that costs.

    One row per such channel (index ``channel``), columns :data:`POOR_FIT_COLUMNS`: ``fit``,
    ``investment``, ``full_return``, ``net`` (return - investment), ``return_at_full_fit``
    (the same channel with fit 1, everything else equal) and ``cost_of_fit``
    (``return_at_full_fit - full_return``). No rows when every channel fits.

    Notes
    -----
    Fit scales engagement and clicks; support queries do not depend on it. Every channel is
    rerun at fit 1 in one vectorised funnel call.
    """
    channels = ev.channels
    fit = channels["fit"].to_numpy(float)
    full_return = channels["full_return"].to_numpy(float)
    investment = channels["investment"].to_numpy(float)
    _, at_full_fit = _rerun_funnel(ev, channels["impressions"].to_numpy(float), np.ones_like(fit))
    columns = {
        "fit": fit,
        "investment": investment,
        "full_return": full_return,
        "net": full_return - investment,
        "return_at_full_fit": at_full_fit,
        "cost_of_fit": at_full_fit - full_return,
    }
    return _frame(columns, channels.index).loc[fit < POOR_FIT]


# ---------------------------------------------------------------------------------------------
# Response curves


def _returns_at(scenario: Scenario, spend: FloatArray) -> dict[str, FloatArray]:
    """Each channel's figures at other spends, its hours held at today's.

    ``spend`` has one row per channel and any number of columns; so has every output:
    ``paid_impressions``, ``impressions``, ``effective_cpm``, ``financial_return`` and
    ``full_return``. Computed by :func:`~roi_model.model.evaluate.channel_figures`, the evaluation's
    own kernel, so a point equals the evaluation of a scenario with that spend.
    """
    flat = channel_arrays(scenario.channels)
    hours = (scenario.investment.staff_hours * normalised(flat["hours_share"]))[:, None]
    rates = {name: values[:, None] for name, values in flat.items()}
    lenses = enabled_lenses(scenario.lenses)
    figures = channel_figures(spend, hours, rates, scenario.values, lenses)
    return {
        "paid_impressions": figures["paid_impressions"],
        "impressions": figures["impressions"],
        "effective_cpm": effective_cpm(spend, rates["cpm"], rates["saturation_spend"]),
        "financial_return": figures["financial_return"],
        "full_return": figures["full_return"],
    }


def curve_ends(scenario: Scenario, reach: float = 3.0) -> FloatArray:
    """Where each channel's response curve ends: ``reach`` times its spend scale.

    Notes
    -----
    The scale is ``max(today's spend, saturation spend, ad budget / channels)``, or
    :data:`CURVE_FLOOR` when all of them are 0: far enough to see the curve bend.
    """
    flat = channel_arrays(scenario.channels)
    spend = scenario.investment.ad_budget * normalised(flat["budget_share"])
    saturation = np.nan_to_num(flat["saturation_spend"], nan=0.0)
    floor = scenario.investment.ad_budget / len(scenario.channels)
    scale = np.maximum(np.maximum(spend, saturation), floor)
    return reach * np.where(scale > 0, scale, CURVE_FLOOR)


def response_curves(scenario: Scenario, points: int = 61, reach: float = 3.0) -> pd.DataFrame:
    """Each channel's return against its monthly spend, from 0 to :func:`curve_ends`.

    Tidy: one row per channel × point (channels in order, spends rising), columns
    :data:`CURVE_COLUMNS`: ``channel``, ``spend``, ``paid_impressions``, ``impressions`` (paid
    plus today's organic), ``effective_cpm``, ``financial_return``, ``full_return``. The other
    inputs, the channel's hours among them, stay today's. A channel with a CPM of 0 has no
    curve (no spend on it is valid) and no rows; see ``has_curve`` in :func:`curve_markers`.

    Raises
    ------
    ValueError
        If ``points`` is below 2 or ``reach`` is not a positive number.
    """
    if isinstance(points, bool) or not isinstance(points, int) or points < 2:
        raise ValueError(f"points must be an integer of at least 2, got {points!r}")
    if not np.isfinite(reach) or reach <= 0:
        raise ValueError(f"reach must be a positive number, got {reach!r}")
    spend = curve_ends(scenario, reach)[:, None] * np.linspace(0.0, 1.0, points)
    figures = _returns_at(scenario, spend)
    has_curve = channel_arrays(scenario.channels)["cpm"] > 0
    names = np.array(scenario.channel_names, dtype=object)
    columns = {"spend": spend, **figures}
    return pd.DataFrame(
        {"channel": np.repeat(names[has_curve], points)}
        | {name: values[has_curve].ravel() for name, values in columns.items()}
    )


def curve_markers(scenario: Scenario) -> pd.DataFrame:
    """The points to mark on each channel's curve: today, and where the CPM has doubled.

    One row per channel (index ``channel``), columns :data:`MARKER_COLUMNS`: ``has_curve``
    (CPM above 0); ``today_spend`` and today's ``impressions``, ``financial_return`` and
    ``full_return`` (each prefixed ``today_``); ``doubling_spend`` and the same three figures
    there (prefixed ``doubling_``); ``today_marginal_roi``. Each ``<point>_<figure>`` matches
    the :func:`response_curves` column ``<figure>`` at ``<point>_spend``.

    Notes
    -----
    The effective CPM ``cpm * (1 + s / saturation_spend)`` is twice the base CPM at
    ``s = saturation_spend``: there each unit of money buys a quarter of what the first did,
    diminishing returns made visible. NaN without saturation or without a curve.
    """
    today = channel_columns(scenario)
    flat = channel_arrays(scenario.channels)
    has_curve = flat["cpm"] > 0
    doubling = np.where(has_curve, flat["saturation_spend"], np.nan)
    spends = np.column_stack([today["spend"], np.nan_to_num(doubling, nan=0.0)])
    figures = _returns_at(scenario, spends)
    missing = np.isnan(doubling)
    columns = {
        "has_curve": has_curve,
        "today_spend": today["spend"],
        **{f"today_{name}": figures[name][:, 0] for name in _MARKED},
        "doubling_spend": doubling,
        **{f"doubling_{name}": np.where(missing, np.nan, figures[name][:, 1]) for name in _MARKED},
        "today_marginal_roi": today["marginal_roi"],
    }
    return _frame(columns, pd.Index(scenario.channel_names))
