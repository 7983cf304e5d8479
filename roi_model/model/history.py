"""What happened: an imported history of past campaigns, summed and valued like a scenario.

The history is the importer's tidy table (``date``, ``channel``, ``campaign`` and any of the
count columns). Its money is valued with the scenario's per-action values and lenses, so a
past month reads like a planned one: investment, return by lens, ROI, and the unit costs.

Notes
-----
Per group: ``staff_cost = staff_hours * hourly_rate``; ``investment = spend + staff_cost``;
``cpm = 1000 * spend / impressions``; ``ctr = clicks / impressions``;
``cost_per_lead = investment / leads``; ``cost_per_sale = investment / sales``;
``roas = revenue / spend``; financial return ``= revenue * gross_margin + support_queries *
support_query``; the full return adds, for the enabled lenses, ``(leads - sales) * lead``
and ``likes * like + comments * comment + shares * share + video_views * video_view``.
A history has no organic visits, so the organic-traffic lens adds nothing. Undefined ratios
are NaN, never inf. A count the file lacks is NaN in every group, not 0.

The audience (``followers``, a stock of :data:`~roi_model.model.vocabulary.STOCK_FIELDS`) is
not summed: a group holds, per channel, the figure of its last date (see
:func:`stock_per_group`), added over the channels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd

from roi_model.model.curves import FloatArray, safe_divide
from roi_model.model.spec import ActionValues, Lenses
from roi_model.model.vocabulary import HISTORY_FIELDS, STOCK_FIELDS

#: The counts a history may hold (the importer's fields), summed per group (the stocks of
#: :data:`~roi_model.model.vocabulary.STOCK_FIELDS` taken at the group's end instead).
COUNTS: tuple[str, ...] = HISTORY_FIELDS
#: What a summary can be grouped by.
GROUPS: tuple[str, ...] = ("channel", "campaign", "month")
#: The figures worked out per group, after the sums.
FIGURES: tuple[str, ...] = (
    "staff_cost",
    "investment",
    "cpm",
    "ctr",
    "cost_per_lead",
    "cost_per_sale",
    "roas",
    "financial_return",
    "full_return",
    "financial_roi",
    "full_roi",
)


def filtered(
    history: pd.DataFrame,
    *,
    channels: Sequence[str] = (),
    campaigns: Sequence[str] = (),
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    """The rows in the chosen channels, campaigns and date range (empty choices keep all).

    A date range leaves out the rows without a date.
    """
    keep = pd.Series(True, index=history.index)
    if channels:
        keep &= history["channel"].isin(list(channels))
    if campaigns:
        keep &= history["campaign"].isin(list(campaigns))
    dates = pd.to_datetime(history["date"])
    if start is not None:
        keep &= dates >= pd.Timestamp(start)
    if end is not None:
        keep &= dates <= pd.Timestamp(end)
    return history.loc[keep]


def months(history: pd.DataFrame) -> list[pd.Timestamp]:
    """The calendar months the history's dated rows fall in (first days), sorted."""
    starts = pd.DatetimeIndex(_month_starts(history).dropna().unique())  # a few, not a million
    return list(starts.sort_values())


def with_staff_hours(history: pd.DataFrame, hours: Mapping[pd.Timestamp, float]) -> pd.DataFrame:
    """The history with staff hours entered per month, for a file that gives none.

    ``hours`` maps a month's first day to the hours worked that month. They are spread over
    the month's rows in proportion to each row's spend, or evenly where the month has no known
    spend, so that a month's rows add up to its hours and a channel or campaign carries the
    share of the work its spend suggests. Rows without a date, and months not in ``hours``,
    get none. A history with hours of its own (any known cell) is returned unchanged: the file
    knows better than an estimate.
    """
    if "staff_hours" in history.columns and history["staff_hours"].notna().any():
        return history
    month = _month_starts(history)
    entered = month.map({pd.Timestamp(k): float(v) for k, v in hours.items()}).astype(float)
    spend = (
        history["spend"].astype(float).clip(lower=0).fillna(0.0)
        if "spend" in history.columns
        else pd.Series(0.0, index=history.index)
    )
    month_spend = spend.groupby(month).transform("sum")
    rows_in_month = spend.groupby(month).transform("size").astype(float)
    share = np.where(month_spend > 0, spend / month_spend.where(month_spend > 0), 1 / rows_in_month)
    # A new frame sharing the history's columns (copy-on-write): a deep copy of a million rows
    # costs more than the rest of this function.
    return history.assign(staff_hours=(entered * share).fillna(0.0).where(month.notna()))


def _month_starts(history: pd.DataFrame) -> pd.Series:
    """Each row's month as its first day (NaT for a row without a date)."""
    dates = pd.to_datetime(history["date"]).to_numpy(dtype="datetime64[ns]")
    firsts = dates.astype("datetime64[M]").astype("datetime64[ns]")  # NaT stays NaT
    return pd.Series(firsts, index=history.index)


def summary(
    history: pd.DataFrame,
    values: ActionValues,
    lenses: Lenses,
    *,
    by: Sequence[str] = ("channel",),
    hourly_rate: float = 0.0,
) -> pd.DataFrame:
    """Sums and figures per group (``by`` any of :data:`GROUPS`, in that order of columns).

    Rows without a date are left out of a grouping by month; every other grouping counts them.
    """
    return _valued(history, _group_keys(history, by), values, lenses, hourly_rate)


def total(
    history: pd.DataFrame, values: ActionValues, lenses: Lenses, *, hourly_rate: float = 0.0
) -> pd.Series:
    """The whole history as one group (the same sums and figures as :func:`summary`)."""
    keys = pd.DataFrame({_ALL: "all"}, index=history.index)
    return _valued(history, keys, values, lenses, hourly_rate).drop(columns=_ALL).iloc[0]


_ALL = "_all"  # the one group of :func:`total`


def _valued(
    history: pd.DataFrame,
    keys: pd.DataFrame,
    values: ActionValues,
    lenses: Lenses,
    hourly_rate: float,
) -> pd.DataFrame:
    """Per group of ``keys`` (rows with a missing key left out): every count, then every figure.

    A count the history lacks is a NaN column; an empty sum of known cells stays NaN too.
    """
    by = list(keys.columns)
    counts = [c for c in COUNTS if c in history.columns]
    # Grouped by the key columns themselves (a missing key drops its row): no joined copy of
    # a million rows.
    grouped = history[counts].astype(float).groupby([keys[name] for name in by], sort=True)
    sums = grouped.sum(min_count=1)
    for stock in STOCK_FIELDS.intersection(counts):
        sums[stock] = stock_per_group(history[stock], history["date"], history["channel"], keys)
    sums = sums.reset_index().reindex(columns=[*by, *COUNTS])
    return pd.concat([sums, _figures(sums, values, lenses, hourly_rate)], axis=1)


def stock_per_group(
    values: pd.Series, dates: pd.Series, channels: pd.Series, keys: pd.DataFrame
) -> pd.Series:
    """A stock such as the audience per group of ``keys``, added over the group's channels.

    Each channel contributes the figure of its last date in the group that has one. Every
    campaign's row of a date carries the page's one audience, so the rows of that date are not
    added: the largest is taken (a row left blank or rounded lower does not pull it down).
    Rows without a date count as earlier than any dated row. A group without a known figure is
    NaN; rows with a missing key are left out, as in a sum.

    Returns
    -------
    pandas.Series
        Indexed like ``groupby`` on the key columns (a MultiIndex for several).

    Examples
    --------
    >>> keys = pd.DataFrame({"month": ["2025-01"] * 3})
    >>> dates = pd.to_datetime(pd.Series(["2025-01-30", "2025-01-31", "2025-01-31"]))
    >>> stock_per_group(pd.Series([90.0, 100.0, 100.0]), dates, pd.Series(["FB"] * 3), keys)
    month
    2025-01    100.0
    Name: stock, dtype: float64
    """
    by = list(keys.columns)
    frame = keys.assign(
        _channel=channels.to_numpy(),
        _date=pd.to_datetime(dates).to_numpy(),
        stock=values.astype(float).replace([np.inf, -np.inf], np.nan).to_numpy(),
    ).dropna(subset=[*by, "_channel", "stock"])
    per_day = frame.groupby([*by, "_channel", "_date"], dropna=False, sort=False)["stock"].max()
    latest = (
        per_day.reset_index()
        .sort_values("_date", na_position="first", kind="stable")
        .drop_duplicates(subset=[*by, "_channel"], keep="last")
    )
    return latest.groupby(by, sort=True)["stock"].sum(min_count=1)


def _group_keys(history: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    unknown = set(by) - set(GROUPS)
    if unknown or not by:
        raise ValueError(f"by = {list(by)!r}: expected some of {', '.join(GROUPS)}")
    keys: dict[str, pd.Series] = {}
    for name in by:
        if name == "month":
            keys[name] = _month_starts(history)
        else:
            keys[name] = history[name]
    return pd.DataFrame(keys, index=history.index)


def _figures(
    sums: pd.DataFrame, values: ActionValues, lenses: Lenses, hourly_rate: float
) -> pd.DataFrame:
    """The figures of :data:`FIGURES` from each group's sums (missing counts stay NaN)."""

    def col(name: str) -> FloatArray:
        return np.asarray(sums[name].to_numpy(dtype=float), dtype=float)

    def known(name: str) -> FloatArray:  # for money: a count the file lacks adds nothing
        return np.asarray(np.nan_to_num(col(name)), dtype=float)

    staff_cost = known("staff_hours") * hourly_rate
    investment = known("spend") + staff_cost
    financial = known("revenue") * values.gross_margin + known("support_queries") * (
        values.support_query
    )
    full = financial.copy()
    if lenses.leads:
        full += np.clip(known("leads") - known("sales"), 0.0, None) * values.lead
    if lenses.engagement:
        full += (
            known("likes") * values.like
            + known("comments") * values.comment
            + known("shares") * values.share
            + known("video_views") * values.video_view
        )
    figures = {
        "staff_cost": staff_cost,
        "investment": investment,
        "cpm": safe_divide(1000.0 * col("spend"), col("impressions")),
        "ctr": safe_divide(col("clicks"), col("impressions")),
        "cost_per_lead": safe_divide(investment, col("leads")),
        "cost_per_sale": safe_divide(investment, col("sales")),
        "roas": safe_divide(col("revenue"), col("spend")),
        "financial_return": financial,
        "full_return": full,
        "financial_roi": safe_divide(financial - investment, investment),
        "full_roi": safe_divide(full - investment, investment),
    }
    return pd.DataFrame(figures, index=sums.index)
