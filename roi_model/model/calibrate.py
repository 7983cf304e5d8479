"""Calibration: turn a history of past campaigns into a scenario's channel assumptions.

The history is the importer's tidy table: ``date``, ``channel``, ``campaign`` and any of the
count and money columns of :data:`COUNT_COLUMNS` (NaN means unknown, never zero). Everything is
estimated from **monthly** sums per channel, because the model's figures are per month and its
saturation is a property of a month's spend.

Rules (docs/model.md, "Calibration from a history"):

- **CPM and saturation.** Each month's observed CPM is ``1000 * spend / impressions``; the
  history's impressions are read as paid impressions (organic impressions, if any, make the
  observed CPM look lower). The model's effective CPM is ``cpm * (1 + spend / saturation_spend)``,
  a straight line in spend, so a least-squares line ``a + b * spend`` gives ``cpm = a`` and
  ``saturation_spend = a / b``. The slope counts only when it is *credibly* positive: the
  lower end of its two-sided 90 % interval (Student's t, ``n - 2`` degrees of freedom) is
  above 0. Otherwise there is no saturation (``None``) and the CPM is the spend-weighted mean
  ``1000 * sum(spend) / sum(impressions)`` (note ``"ratio"``).
- **Rates** are ratios of sums over the months where both sums are known and the denominator
  is > 0; they are clipped to [0, 1] (note ``"clipped"``). ``order_value`` (revenue / sales) is
  one figure across all channels (channel :data:`ALL_CHANNELS`).
- Every estimate needs at least ``min_periods`` supporting months; with fewer, the value is
  ``None`` (the CPM falls back to the mean of the months there are), note
  ``"too_few_periods"``. Values are finite and never negative: anything else is ``None``.
- **Fit.** The model multiplies engagement and click rates by the channel's ``fit``; a history
  already reflects the fit, so these estimates are for ``fit = 1``, and
  :func:`calibrated_scenario` divides them by the scenario's fit (see there).
- **The audience.** The month's audience ``F_m`` is the stock at its end (the figure of its last
  date, never a sum), ``N_m`` its new followers. ``follow_rate = sum(N) / sum(impressions)`` is
  a ratio like the others (fit-scaled, like the CTR); it reads every impression as remembered
  and ignores the carryover and the audience ceiling of the months ahead. ``follower_churn``
  comes from months in a row: ``lost_m = F_{m-1} + N_m - F_m`` and
  ``churn = sum(lost) / sum(F_{m-1})`` over the pairs with ``F_{m-1} > 0`` (``min_periods``
  counts pairs); without a new-followers column the churn cannot be told from growth
  (``"no_column"``). ``followers``, the audience the months ahead start from, is the last
  month-end audience the history gives (note ``"latest"``, no minimum: it is read, not
  estimated).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from roi_model.model.curves import FloatArray
from roi_model.model.history import stock_per_group
from roi_model.model.spec import (
    CALIBRATED_FIELDS,
    FRACTION_FIELDS,
    Calibration,
    Channel,
    InputRange,
    Scenario,
)
from roi_model.model.vocabulary import HISTORY_FIELDS, STOCK_FIELDS

#: The history's count and money columns (any may be missing from a file).
COUNT_COLUMNS: tuple[str, ...] = HISTORY_FIELDS

#: The channel of estimates that hold for every channel at once (``order_value``).
ALL_CHANNELS = ""

#: Each ratio estimate: field -> (numerator column, denominator column).
RATIOS: dict[str, tuple[str, str]] = {
    "ctr": ("clicks", "impressions"),
    "lead_rate": ("leads", "clicks"),
    "close_rate": ("sales", "leads"),
    "like_rate": ("likes", "impressions"),
    "comment_rate": ("comments", "impressions"),
    "share_rate": ("shares", "impressions"),
    "video_view_rate": ("video_views", "impressions"),
}
ORDER_VALUE = ("revenue", "sales")
#: The audience's ratio estimate: new followers per impression (docs/model.md, "The months
#: ahead": new followers = remembered impressions * follow_rate * fit).
AUDIENCE_RATIOS: dict[str, tuple[str, str]] = {"follow_rate": ("new_followers", "impressions")}

#: Rates the model multiplies by the channel's ``fit`` (docs/model.md: likes = impressions *
#: like_rate * fit).
FIT_SCALED: frozenset[str] = frozenset(
    {"ctr", "like_rate", "comment_rate", "share_rate", "video_view_rate", "follow_rate"}
)
#: Estimates that are fractions: clipped to [0, 1] rather than refused when below 0.
_RATES: frozenset[str] = frozenset({*RATIOS, *AUDIENCE_RATIOS, "follower_churn"})

#: Every field an estimate may be for, in the order of the estimates (the scenario's list of
#: figures a history can calibrate: ``cpm``, ``saturation_spend``, the ratios, the audience's
#: ``follow_rate``, ``follower_churn`` and ``followers``, then ``order_value``).
FIELDS: tuple[str, ...] = CALIBRATED_FIELDS

#: Every note an estimate may carry (keys the app translates).
NOTES: tuple[str, ...] = (
    "fit",  # from the straight-line fit of CPM against spend
    "ratio",  # a ratio of sums (for the CPM: the spend-weighted mean CPM)
    "clipped",  # a rate above 1, clipped
    "clipped_at_zero",  # a rate below 0 (a churn: the audience grew more than N explains)
    "no_column",  # the history lacks a column the estimate needs
    "no_spend",  # no month with both spend and impressions > 0
    "no_data",  # no month where both numerator and denominator are known (denominator > 0)
    "no_pairs",  # no two months in a row with the audience and the new followers known
    "latest",  # the last month-end figure the history gives (the audience)
    "above_ceiling",  # an audience above the channel's audience ceiling: not taken
    "too_few_periods",  # fewer supporting months than asked for
    "slope_not_positive",  # CPM does not credibly rise with spend: no saturation
    "intercept_not_positive",  # the fitted line's CPM at zero spend is not > 0
    "spend_constant",  # every month spent the same: no slope can be fitted
    "negative",  # a ratio below 0 where a rate is not clipped (order value)
    "not_positive",  # a CPM or saturation of 0 (underflow): the model needs them > 0
    "not_finite",  # the sums overflowed
)

#: Notes whose ``None`` is a finding to apply, not a gap: no credible saturation.
_NONE_IS_FINDING: frozenset[str] = frozenset({"slope_not_positive"})

#: Fields the model needs > 0 (a CPM of 0 would buy infinite impressions).
_POSITIVE_FIELDS: frozenset[str] = frozenset({"cpm", "saturation_spend"})

#: The fewest months a line (two parameters plus one degree of freedom) can be tested on.
_FIT_MIN_PERIODS = 3


@dataclass(frozen=True)
class Estimate:
    """One assumption as the history shows it.

    ``field`` is a :class:`~roi_model.model.spec.Channel` field name, or ``"order_value"``
    (an :class:`~roi_model.model.spec.ActionValues` field, with ``channel`` :data:`ALL_CHANNELS`).
    ``value`` is ``None`` when the history says nothing credible (``note`` says why) — except
    a ``saturation_spend`` of ``None`` with note ``"slope_not_positive"``, which is the finding
    "no saturation". ``low``/``high`` give a rough 90 % range where one can be computed.
    """

    channel: str
    field: str
    value: float | None
    periods: int
    note: str
    low: float | None = None
    high: float | None = None

    @property
    def applicable(self) -> bool:
        """Whether :func:`calibrated_scenario` would change the scenario with this estimate."""
        return self.value is not None or self.note in _NONE_IS_FINDING


# --- monthly sums ----------------------------------------------------------------------------


def monthly(history: pd.DataFrame) -> pd.DataFrame:
    """Per channel and calendar month, the sum of every count column the history has.

    Returns one row per (``channel``, ``month``), ``month`` being the first day of the month,
    sorted, with the history's count columns. A month's sum is NaN (unknown) when **any** of
    its rows is unknown in that column: a partial sum would pass for a small one. Infinite
    values count as unknown. A stock (``followers``) is not summed: it is the figure of the
    month's last date that has one (:func:`~roi_model.model.history.stock_per_group`), NaN
    when no row of the month gives it. Rows without a date (NaT) cannot be put in a month:
    they are **left out** here, and so out of every estimate (no total counts them); so are
    rows without a channel name. Channel names are stripped of surrounding blanks.
    """
    columns = [c for c in COUNT_COLUMNS if c in history.columns]
    names = history["channel"].astype("string").str.strip()
    dated = history.loc[history["date"].notna() & names.fillna("").ne("")]
    numbers = dated[columns].astype(float).replace([np.inf, -np.inf], np.nan)
    keys = pd.DataFrame(
        {
            "channel": names[dated.index].astype(str),
            "month": pd.to_datetime(dated["date"]).dt.to_period("M").dt.to_timestamp(),
        }
    )
    grouped = pd.concat([keys, numbers], axis=1).groupby(["channel", "month"], sort=True)
    flows = [c for c in columns if c not in STOCK_FIELDS]
    complete = grouped[flows].count().eq(grouped.size(), axis=0)
    sums = grouped[flows].sum().where(complete)
    for stock in STOCK_FIELDS.intersection(columns):
        sums[stock] = stock_per_group(numbers[stock], dated["date"], keys["channel"], keys)
    return sums[columns].reset_index()


# --- CPM and saturation ----------------------------------------------------------------------


def _t_quantile_95(dof: int) -> float:
    """Student's t 0.95 quantile (the half-width factor of a two-sided 90 % interval).

    Notes
    -----
    A table up to 30 degrees of freedom; beyond, the first-order expansion
    ``z + (z**3 + z) / (4 * dof)``, within 0.001 of the exact value.
    """
    table: tuple[float, ...] = (
        *(6.314, 2.920, 2.353, 2.132, 2.015, 1.943, 1.895, 1.860, 1.833, 1.812),
        *(1.796, 1.782, 1.771, 1.761, 1.753, 1.746, 1.740, 1.734, 1.729, 1.725),
        *(1.721, 1.717, 1.714, 1.711, 1.708, 1.706, 1.703, 1.701, 1.699, 1.697),
    )
    if dof <= len(table):
        return table[max(dof, 1) - 1]
    z = 1.6449
    return z + (z**3 + z) / (4 * dof)


@dataclass(frozen=True)
class _Line:
    """A least-squares line ``a + b x`` with the standard errors of both coefficients."""

    a: float
    b: float
    se_a: float
    se_b: float
    cov_ab: float
    dof: int

    @property
    def ratio_se(self) -> float:
        """Standard error of ``a / b`` by the delta method (first-order, correlation kept)."""
        relative = (
            (self.se_a / self.a) ** 2
            + (self.se_b / self.b) ** 2
            - 2 * self.cov_ab / (self.a * self.b)
        )
        return abs(self.a / self.b) * math.sqrt(max(relative, 0.0))


def _fit_line(x: FloatArray, y: FloatArray) -> _Line:
    """Ordinary least squares of ``y`` on ``[1, x]`` (``x`` must not be constant)."""
    design = np.column_stack([np.ones_like(x), x])
    (a, b), *_ = np.linalg.lstsq(design, y, rcond=None)
    dof = len(x) - 2
    residuals = y - (a + b * x)
    variance = float(residuals @ residuals) / dof
    covariance = variance * np.linalg.inv(design.T @ design)
    se_a, se_b = np.sqrt(np.clip(np.diag(covariance), 0.0, None))
    return _Line(float(a), float(b), float(se_a), float(se_b), float(covariance[0, 1]), dof)


def _slope_is_credible(line: _Line, spend: FloatArray) -> bool:
    """The 90 % interval of the slope lies above 0, and the slope moves the CPM at all.

    The second test keeps float noise (a slope of 1e-20 with a standard error of 1e-21 on an
    exactly flat history) from passing for saturation.
    """
    low = line.b - _t_quantile_95(line.dof) * line.se_b
    moves_cpm = line.b * float(spend.max()) > 1e-9 * abs(line.a)
    return low > 0 and moves_cpm


def _mean_cpm(spend: FloatArray, impressions: FloatArray, periods: int, note: str) -> Estimate:
    """The spend-weighted mean CPM, ``1000 * sum(spend) / sum(impressions)``."""
    value, low, high = _ratio_with_range(1000.0 * spend, impressions)
    return _checked(Estimate("", "cpm", value, periods, note, low, high))


def _cpm_estimates(channel: str, months: pd.DataFrame, min_periods: int) -> tuple[Estimate, ...]:
    """The channel's ``cpm`` and ``saturation_spend`` from its monthly spend and impressions."""
    if not {"spend", "impressions"} <= set(months.columns):
        return _both(channel, None, None, 0, "no_column")
    usable = months[(months["spend"] > 0) & (months["impressions"] > 0)]
    spend = usable["spend"].to_numpy(float)
    impressions = usable["impressions"].to_numpy(float)
    periods = len(usable)
    if periods == 0:
        return _both(channel, None, None, 0, "no_spend")
    if periods < max(min_periods, _FIT_MIN_PERIODS):
        return _with_saturation(channel, _mean_cpm(spend, impressions, periods, "too_few_periods"))
    if np.ptp(spend) <= 1e-9 * spend.max():
        mean = _mean_cpm(spend, impressions, periods, "ratio")
        return _with_saturation(channel, mean, "spend_constant")
    return _fitted(channel, spend, impressions)


def _fitted(channel: str, spend: FloatArray, impressions: FloatArray) -> tuple[Estimate, ...]:
    """Fit observed CPM against spend; keep the slope only when it is credibly positive."""
    periods = len(spend)
    line = _fit_line(spend, 1000.0 * spend / impressions)
    if line.a <= 0:
        mean = _mean_cpm(spend, impressions, periods, "ratio")
        return _with_saturation(channel, mean, "intercept_not_positive")
    if not _slope_is_credible(line, spend):
        mean = _mean_cpm(spend, impressions, periods, "ratio")
        return _with_saturation(channel, mean, "slope_not_positive")
    t = _t_quantile_95(line.dof)
    cpm = Estimate(
        channel,
        "cpm",
        line.a,
        periods,
        "fit",
        max(line.a - t * line.se_a, 0.0),
        line.a + t * line.se_a,
    )
    saturation_value = line.a / line.b
    half = t * line.ratio_se
    saturation = Estimate(
        channel,
        "saturation_spend",
        saturation_value,
        periods,
        "fit",
        saturation_value - half,
        saturation_value + half,
    )
    return _checked(cpm), _checked(saturation)


def _both(
    channel: str, cpm: float | None, saturation: float | None, periods: int, note: str
) -> tuple[Estimate, ...]:
    return (
        Estimate(channel, "cpm", cpm, periods, note),
        Estimate(channel, "saturation_spend", saturation, periods, note),
    )


def _with_saturation(channel: str, cpm: Estimate, note: str | None = None) -> tuple[Estimate, ...]:
    """A mean CPM and the saturation that goes with it: none found (``note`` says why)."""
    cpm = replace(cpm, channel=channel)
    return cpm, Estimate(channel, "saturation_spend", None, cpm.periods, note or cpm.note)


# --- ratios ----------------------------------------------------------------------------------


def _ratio_with_range(
    numerator: FloatArray, denominator: FloatArray
) -> tuple[float, float | None, float | None]:
    """``sum(numerator) / sum(denominator)`` and a rough 90 % range from month-to-month spread.

    Notes
    -----
    The ratio estimator's variance is ``n / (n - 1) * sum((y - r x)**2) / sum(x)**2``; the
    range is ``r ± t(n - 1) * sqrt(variance)``. With one month there is no spread to measure,
    so no range.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        total = float(denominator.sum())
        ratio = float(numerator.sum()) / total
        n = len(numerator)
        if n < 2 or not math.isfinite(ratio):
            return ratio, None, None
        residuals = numerator - ratio * denominator
        spread = math.sqrt(n / (n - 1) * float(residuals @ residuals)) / total
    half = _t_quantile_95(n - 1) * spread
    return ratio, ratio - half, ratio + half


def _ratio_estimate(
    channel: str,
    field: str,
    months: pd.DataFrame,
    columns: tuple[str, str],
    min_periods: int,
) -> Estimate:
    """A ratio of sums over the months where both are known and the denominator is > 0."""
    top, bottom = columns
    if not {top, bottom} <= set(months.columns):
        return Estimate(channel, field, None, 0, "no_column")
    known = months[months[top].notna() & (months[bottom] > 0)]
    periods = len(known)
    if periods == 0:
        return Estimate(channel, field, None, 0, "no_data")
    if periods < min_periods:
        return Estimate(channel, field, None, periods, "too_few_periods")
    value, low, high = _ratio_with_range(known[top].to_numpy(float), known[bottom].to_numpy(float))
    return _checked(Estimate(channel, field, value, periods, "ratio", low, high))


def _clipped_rate(estimate: Estimate) -> Estimate:
    """A rate is a fraction: clip it (and its range) to [0, 1], saying so when it moved."""
    if estimate.value is None:
        return estimate
    value = min(max(estimate.value, 0.0), 1.0)
    if value == estimate.value:
        note = estimate.note
    else:  # below 0 only the churn can be: more growth than the new followers explain
        note = "clipped" if value == 1.0 else "clipped_at_zero"
    return replace(
        estimate,
        value=value,
        note=note,
        low=None if estimate.low is None else min(max(estimate.low, 0.0), 1.0),
        high=None if estimate.high is None else min(max(estimate.high, 0.0), 1.0),
    )


def _checked(estimate: Estimate) -> Estimate:
    """No inf or NaN leaks out, and nothing is negative: ``None`` (or a range cut at 0)."""
    value = estimate.value
    if value is not None and not math.isfinite(value):
        return replace(estimate, value=None, note="not_finite", low=None, high=None)
    if value is not None and value <= 0 and estimate.field in _POSITIVE_FIELDS:
        return replace(estimate, value=None, note="not_positive", low=None, high=None)
    if value is not None and value < 0 and estimate.field not in _RATES:
        return replace(estimate, value=None, note="negative", low=None, high=None)
    low, high = estimate.low, estimate.high
    if low is None or high is None or not (math.isfinite(low) and math.isfinite(high)):
        return replace(estimate, low=None, high=None)
    return replace(estimate, low=max(low, 0.0), high=max(high, 0.0))


# --- all estimates ---------------------------------------------------------------------------


def estimate_channels(history: pd.DataFrame, min_periods: int = 3) -> tuple[Estimate, ...]:
    """Every estimate the history supports: per channel (sorted) the fields of :data:`FIELDS`.

    Parameters
    ----------
    history
        The importer's tidy table (``date``, ``channel``, ``campaign`` and count columns).
    min_periods
        The fewest months an estimate needs; the CPM line needs at least 3 whatever this says.

    Returns
    -------
    tuple of Estimate
        For each channel ``cpm``, ``saturation_spend``, the rates of :data:`RATIOS` and of
        :data:`AUDIENCE_RATIOS`, ``follower_churn`` and ``followers``, then one
        ``order_value`` for all channels (channel :data:`ALL_CHANNELS`).
    """
    months = monthly(history)
    estimates: list[Estimate] = []
    for channel, rows in months.groupby("channel", sort=True):
        name = str(channel)
        estimates.extend(_cpm_estimates(name, rows, min_periods))
        for field, columns in {**RATIOS, **AUDIENCE_RATIOS}.items():
            ratio = _ratio_estimate(name, field, rows, columns, min_periods)
            estimates.append(_clipped_rate(ratio))
        estimates.append(_clipped_rate(_churn_estimate(name, rows, min_periods)))
        estimates.append(_audience_estimate(name, rows))
    estimates.append(_order_value(months, min_periods))
    return tuple(estimates)


# --- the audience ----------------------------------------------------------------------------


def _churn_estimate(channel: str, months: pd.DataFrame, min_periods: int) -> Estimate:
    """The share of the audience lost per month, from pairs of months in a row.

    ``lost_m = F_{m-1} + N_m - F_m`` (the audience kept plus the new followers, against the
    audience found); ``churn = sum(lost) / sum(F_{m-1})`` over the pairs whose three figures
    are known and ``F_{m-1} > 0``. Without the new followers a fall in the audience could be
    churn or fewer new followers: no estimate (``"no_column"``).
    """
    field = "follower_churn"
    if not {"followers", "new_followers"} <= set(months.columns):
        return Estimate(channel, field, None, 0, "no_column")
    before = months["followers"].shift(1)
    in_a_row = _month_number(months["month"]).diff().eq(1)
    pairs = in_a_row & (before > 0) & months["followers"].notna() & months["new_followers"].notna()
    periods = int(pairs.sum())
    if periods == 0:
        return Estimate(channel, field, None, 0, "no_pairs")
    if periods < min_periods:
        return Estimate(channel, field, None, periods, "too_few_periods")
    start = before[pairs].to_numpy(float)
    lost = start + months.loc[pairs, "new_followers"].to_numpy(float)
    lost -= months.loc[pairs, "followers"].to_numpy(float)
    value, low, high = _ratio_with_range(lost, start)
    return _checked(Estimate(channel, field, value, periods, "ratio", low, high))


def _month_number(months: pd.Series) -> pd.Series:
    """Months counted from year 0, so that months in a row differ by exactly 1."""
    dates = pd.DatetimeIndex(months)
    return pd.Series(dates.year * 12 + dates.month, index=months.index)


def _audience_estimate(channel: str, months: pd.DataFrame) -> Estimate:
    """The audience the months ahead start from: the last month-end figure the history gives.

    One month's figure, read rather than estimated: no range and no minimum of months.
    """
    if "followers" not in months.columns:
        return Estimate(channel, "followers", None, 0, "no_column")
    known = months["followers"].dropna()
    if known.empty:
        return Estimate(channel, "followers", None, 0, "no_data")
    return _checked(Estimate(channel, "followers", float(known.iloc[-1]), 1, "latest"))


def _order_value(months: pd.DataFrame, min_periods: int) -> Estimate:
    """Revenue per sale across every channel: one figure, as the model has one order value.

    Its periods are channel-months, summed over channels.
    """
    return _ratio_estimate(ALL_CHANNELS, "order_value", months, ORDER_VALUE, min_periods)


# --- the estimates against a scenario --------------------------------------------------------


def _channel_index(scenario: Scenario) -> dict[str, int]:
    """Channel positions by name as the scenario compares names: stripped, case-folded."""
    return {c.name.strip().casefold(): i for i, c in enumerate(scenario.channels)}


def _current(scenario: Scenario, channel: str, field: str) -> float:
    """The scenario's value of an estimate's field; NaN without the channel or a saturation."""
    if field == "order_value":
        return scenario.values.order_value
    index = _channel_index(scenario).get(channel.strip().casefold())
    if index is None:
        return math.nan
    value = getattr(scenario.channels[index], field)
    return math.nan if value is None else float(value)


def estimates_table(estimates: Iterable[Estimate], scenario: Scenario) -> pd.DataFrame:
    """One row per estimate, beside the scenario's current value.

    Columns: ``channel``, ``field``, ``estimate`` (NaN for ``None``), ``low``, ``high``,
    ``periods``, ``note``, ``current`` (NaN when the scenario lacks the channel or has no
    saturation), ``in_scenario`` (the scenario has the channel; ``order_value`` always) and
    ``fallback``: True when the history gives nothing to apply, so the scenario keeps its
    current figure (a benchmark, default, preset or the user's). An audience above the
    channel's audience ceiling is a fallback too, with note ``"above_ceiling"``: the scenario
    cannot hold it (see :func:`calibrated_scenario`).
    """
    index = _channel_index(scenario)
    estimates = tuple(_refused_by(scenario, index, e) for e in estimates)

    def number(value: float | None) -> float:
        return math.nan if value is None else value

    return pd.DataFrame(
        {
            "channel": pd.Series([e.channel for e in estimates], dtype=object),
            "field": pd.Series([e.field for e in estimates], dtype=object),
            "estimate": np.array([number(e.value) for e in estimates], float),
            "low": np.array([number(e.low) for e in estimates], float),
            "high": np.array([number(e.high) for e in estimates], float),
            "periods": np.array([e.periods for e in estimates], int),
            "note": pd.Series([e.note for e in estimates], dtype=object),
            "current": np.array([_current(scenario, e.channel, e.field) for e in estimates]),
            "in_scenario": np.array(
                [
                    e.field == "order_value" or e.channel.strip().casefold() in index
                    for e in estimates
                ],
                bool,
            ),
            "fallback": np.array([not e.applicable for e in estimates], bool),
        }
    )


def _refused_by(scenario: Scenario, index: dict[str, int], estimate: Estimate) -> Estimate:
    """The estimate as the scenario can take it: an audience above its channel's ceiling is
    not applicable (value ``None``, note ``"above_ceiling"``)."""
    position = index.get(estimate.channel.strip().casefold())
    if position is None or not _above_ceiling(scenario.channels[position], estimate):
        return estimate
    return replace(estimate, value=None, note="above_ceiling", low=None, high=None)


def _above_ceiling(channel: Channel, estimate: Estimate) -> bool:
    """Whether an audience estimate exceeds the channel's audience ceiling (a channel cannot
    start above its ceiling)."""
    ceiling, value = channel.audience_ceiling, estimate.value
    if estimate.field != "followers" or ceiling is None or value is None:
        return False
    return value > ceiling


def calibrated_scenario(
    scenario: Scenario,
    estimates: Iterable[Estimate],
    chosen: Iterable[tuple[str, str]],
    source: str = "",
) -> Scenario:
    """A new scenario whose chosen (channel, field) figures are the history's estimates.

    Each figure changed is recorded in the scenario's ``calibration`` (the value written, the
    months behind it and ``source``, the history's name), replacing an older record of the same
    figure, so that the figure can show where it came from.

    Only channels the scenario already has change: a channel found in the history but not in
    the scenario is **not** added (its budget share, hours and fit are decisions, not data).
    Names match as the scenario compares them (stripped, case-folded). ``order_value`` (channel
    :data:`ALL_CHANNELS`) goes to the action values. Estimates that are not applicable (value
    ``None`` for want of data) leave the figure as it is; a ``saturation_spend`` found absent
    (``"slope_not_positive"``) becomes ``None``. An audience (``followers``) above the channel's
    ``audience_ceiling`` is not taken either: neither the ceiling (the user's judgement of the
    reachable audience) is raised nor the audience cut to it, which would hide that the two
    disagree; :func:`estimates_table` says so (note ``"above_ceiling"``).

    Notes
    -----
    The history already reflects each channel's fit, so its engagement and click rates are
    for ``fit = 1``. The scenario's fit is left as the user set it and each chosen rate of
    :data:`FIT_SCALED` is **divided by the fit**, so that ``rate * fit`` reproduces the history;
    the result is capped at 1 (a fit too low for the history cannot be reproduced). Where the
    fit is 0 the rate is stored undivided: the user has ruled the channel out.

    Raises
    ------
    ValueError
        When a chosen field is not one of :data:`FIELDS`.
    """
    by_key = {(e.channel.strip().casefold(), e.field): e for e in estimates}
    channels, values = list(scenario.channels), scenario.values
    index = _channel_index(scenario)
    records = {item.key: item for item in scenario.calibration}
    ranges = {item.input: item for item in scenario.uncertainty}
    for channel, field in chosen:
        if field not in FIELDS:
            raise ValueError(f"calibrated_scenario: unknown field {field!r}")
        estimate = by_key.get((channel.strip().casefold(), field))
        if estimate is None or not estimate.applicable:
            continue
        if field == "order_value" and estimate.value is not None:
            values = replace(values, order_value=estimate.value)
            written = Calibration(ALL_CHANNELS, field, estimate.value, estimate.periods, source)
            path, fit = f"values.{field}", 1.0
        elif (position := index.get(channel.strip().casefold())) is not None:
            if _above_ceiling(channels[position], estimate):
                continue
            changed = _with_estimate(channels[position], field, estimate.value)
            channels[position] = changed
            value = getattr(changed, field)
            written = Calibration(changed.name, field, value, estimate.periods, source)
            path, fit = f"channels[{position}].{field}", _fit_divisor(changed, field)
        else:
            continue
        records[written.key] = written
        _reconcile_ranges(
            ranges, path, written.value, _likely_range(path, estimate, written.value, fit)
        )
    return replace(
        scenario,
        channels=tuple(channels),
        values=values,
        calibration=tuple(records.values()),
        uncertainty=tuple(ranges.values()),
    )


def _reconcile_ranges(
    ranges: dict[str, InputRange], path: str, value: float | None, likely: InputRange | None
) -> None:
    """The ranges once the figure at ``path`` is ``value``: the history's likely range where
    it has one, unless a range on every channel (``channels[*]``) already covers the figure
    (one range per figure); a range kept that no longer holds the value is widened to it, so
    that the consultant's doubt stays and the scenario stays valid."""
    field = path.rsplit(".", 1)[-1]
    every = f"channels[*].{field}" if path.startswith("channels[") else None
    if likely is not None and (every is None or every not in ranges):
        ranges[path] = likely
    for key in (path,) if every is None else (path, every):
        kept = ranges.get(key)
        if kept is not None and value is not None and not kept.low <= value <= kept.high:
            ranges[kept.input] = replace(kept, low=min(kept.low, value), high=max(kept.high, value))


def _fit_divisor(channel: Channel, field: str) -> float:
    """What :func:`_with_estimate` divided the history's figure by (1 where it did not)."""
    return channel.fit if field in FIT_SCALED and channel.fit > 0 else 1.0


def _likely_range(
    path: str, estimate: Estimate, written: float | None, fit: float
) -> InputRange | None:
    """The history's likely range of a figure, on the scale the scenario holds it, around the
    value written (a range for "no saturation", or without both ends, is none)."""
    if written is None or estimate.low is None or estimate.high is None:
        return None
    low, high = estimate.low / fit, estimate.high / fit
    if path.rsplit(".", 1)[-1] in FRACTION_FIELDS:
        low, high = max(low, 0.0), min(high, 1.0)
    low, high = min(low, written), max(high, written)
    if path.endswith((".saturation_spend", ".cpm")) and low <= 0:
        # a saturation must stay positive, and so must a CPM (a channel with spend would buy
        # infinite impressions): no lower end to offer
        low = written
    return InputRange(path, max(low, 0.0), high)


def _with_estimate(channel: Channel, field: str, value: float | None) -> Channel:
    """The channel with one figure replaced; rates scaled by the fit are divided by it."""
    if value is not None and field in FIT_SCALED and channel.fit > 0:
        value = min(value / channel.fit, 1.0)
    changes: dict[str, Any] = {field: value}
    return replace(channel, **changes)
