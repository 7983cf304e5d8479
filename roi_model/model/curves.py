"""Response curves: what a month's spend buys on a channel.

Small pure functions over numpy arrays; channels are the array axis.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def safe_divide(numerator: npt.ArrayLike, denominator: npt.ArrayLike) -> FloatArray:
    """Element-wise ``numerator / denominator``, NaN where the denominator is 0.

    Examples
    --------
    >>> safe_divide([1.0, 2.0], [2.0, 0.0]).tolist()
    [0.5, nan]
    """
    num, den = np.broadcast_arrays(np.asarray(numerator, float), np.asarray(denominator, float))
    out = np.full(num.shape, np.nan)
    with np.errstate(over="ignore"):  # a ratio beyond float range is as undefined as 0/0
        np.divide(num, den, out=out, where=den != 0)
    return np.where(np.isfinite(out), out, np.nan)


def audience_growth(
    offered: npt.ArrayLike,
    audience: npt.ArrayLike,
    churn: npt.ArrayLike,
    ceiling: npt.ArrayLike,
) -> tuple[FloatArray, FloatArray]:
    """New followers and the audience after a month: ``(new, audience after)``.

    ``offered`` is what the month's remembered impressions would bring with no ceiling
    (``remembered * follow_rate * fit``); ``ceiling`` NaN means no limit.

    Notes
    -----
    ``kept = audience * (1 - churn)``; with a ceiling ``C``,
    ``new = min(offered * max(0, 1 - audience / C), max(0, C - kept))``, so growth slows as
    the audience nears the ceiling and never passes it; without, ``new = offered``. The
    audience after is ``kept + new``.

    Examples
    --------
    >>> new, after = audience_growth([400.0, 400.0], [1000.0, 1000.0], 0.1, [np.nan, 2000.0])
    >>> new.tolist(), after.tolist()
    ([400.0, 200.0], [1300.0, 1100.0])
    """
    offered_a, audience_a, churn_a, ceiling_a = (
        np.asarray(a, float) for a in (offered, audience, churn, ceiling)
    )
    kept = audience_a * (1.0 - churn_a)
    # No ceiling is an infinite one: the slowing factor is exactly 1 and the room infinite,
    # so new = offered without a branch (and the ceilings, one per channel, are not spread
    # over every draw).
    limit = np.where(np.isnan(ceiling_a), np.inf, ceiling_a)
    slowed = offered_a * np.maximum(0.0, 1.0 - audience_a / limit)
    new = np.minimum(slowed, np.maximum(0.0, limit - kept))  # every input's shape
    return new, kept + new


def audience_lift(audience: npt.ArrayLike, start: npt.ArrayLike) -> FloatArray:
    """How far organic reach has grown with the audience: ``audience / start``, 1 where a
    channel had no audience at the start (its posts reach as many as ever).

    Examples
    --------
    >>> audience_lift([1500.0, 40.0], [1000.0, 0.0]).tolist()
    [1.5, 1.0]
    """
    start_a = np.asarray(start, float)
    return np.where(
        start_a > 0, np.asarray(audience, float) / np.where(start_a > 0, start_a, 1.0), 1.0
    )


def effective_cpm(
    spend: npt.ArrayLike, cpm: npt.ArrayLike, saturation_spend: npt.ArrayLike
) -> FloatArray:
    """CPM actually paid at a monthly spend: ``cpm * (1 + spend / saturation_spend)``.

    ``saturation_spend`` NaN (no diminishing returns) keeps the base CPM at any spend.

    Examples
    --------
    >>> effective_cpm([0.0, 4000.0], 8.0, 4000.0).tolist()
    [8.0, 16.0]
    """
    s, c, k = np.broadcast_arrays(*(np.asarray(a, float) for a in (spend, cpm, saturation_spend)))
    return np.where(np.isnan(k), c, c * (1.0 + s / np.where(np.isnan(k), 1.0, k)))


def paid_impressions(
    spend: npt.ArrayLike, cpm: npt.ArrayLike, saturation_spend: npt.ArrayLike
) -> FloatArray:
    """Impressions bought: ``1000 * spend / effective_cpm`` (a Hill curve of slope 1).

    Notes
    -----
    ``1000 * s / (cpm * (1 + s / S))``; the first unit of money buys at the base CPM and the
    curve tends to ``1000 * S / cpm``. No spend buys nothing, whatever the CPM.

    Examples
    --------
    >>> paid_impressions([0.0, 2000.0, 4000.0], 8.0, 4000.0).tolist()
    [0.0, 166666.66666666666, 250000.0]
    >>> paid_impressions(800.0, 8.0, np.nan).item()
    100000.0
    """
    spend_arr = np.asarray(spend, float)
    per_thousand = safe_divide(spend_arr, effective_cpm(spend_arr, cpm, saturation_spend))
    return np.where(np.broadcast_to(spend_arr, per_thousand.shape) > 0, 1000.0 * per_thousand, 0.0)


def paid_impressions_slope(
    spend: npt.ArrayLike, cpm: npt.ArrayLike, saturation_spend: npt.ArrayLike
) -> FloatArray:
    """Impressions bought by the next unit of money: the derivative of :func:`paid_impressions`.

    Notes
    -----
    ``d/ds [1000 s / (cpm (1 + s/S))] = 1000 / (cpm (1 + s/S)^2)``; without saturation,
    ``1000 / cpm``. NaN where the CPM is 0.

    Examples
    --------
    >>> paid_impressions_slope([0.0, 4000.0], 8.0, 4000.0).tolist()
    [125.0, 31.25]
    """
    s, c, k = np.broadcast_arrays(*(np.asarray(a, float) for a in (spend, cpm, saturation_spend)))
    crowding = np.where(np.isnan(k), 1.0, (1.0 + s / np.where(np.isnan(k), 1.0, k)) ** 2)
    return safe_divide(1000.0, c * crowding)
