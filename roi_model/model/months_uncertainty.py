"""How sure are we of the months ahead? The scenario's ranges drawn many times over the horizon.

:func:`simulate_months` draws the ranges as :func:`~roi_model.model.uncertainty.simulate` draws
them (the same uniforms for the same seed, so the month's and the horizon's bands come from
the same draws), runs each block of draws through the horizon with
:func:`~roi_model.model.months_drawn.drawn_months`, and summarises the cumulative ROI at the
horizon and the payback month by their 10th, 50th and 90th percentiles, with the probability
of paying back within the horizon (docs/model.md, "How sure are we of the months ahead?").
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from roi_model.model.curves import FloatArray
from roi_model.model.evaluate import enabled_lenses
from roi_model.model.months import Projection, project
from roi_model.model.months_drawn import DrawnMonths, MonthsInputs, drawn_months
from roi_model.model.report import json_number
from roi_model.model.spec import Scenario
from roi_model.model.uncertainty import (
    DEFAULT_DRAWS,
    PERCENTILES,
    SUMMARY_COLUMNS,
    Block,
    at_ends,
    block_figures,
    blocks,
    check_draws,
    drawn,
    share_of_defined,
    summary_stats,
    tornado_frame,
)
from roi_model.model.vocabulary import OBJECTIVES, Objective


@dataclass(frozen=True, eq=False)
class MonthsSimulation:
    """The scenario's ranges drawn ``draws`` times over its horizon.

    Attributes
    ----------
    samples
        One row per draw: ``roi_financial``, ``roi_full`` (the cumulative ROI at the horizon),
        ``payback_financial``, ``payback_full`` (the payback month; ``inf`` when the draw
        does not pay back within the horizon, NaN where its figures are undefined) and
        ``npv_financial``, ``npv_full``.
    roi
        One row per objective (index): ``p10``, ``p50``, ``p90``, ``mean`` and ``p_positive``
        of the cumulative ROI at the horizon.
    payback
        One row per objective (index): ``p10``, ``p50``, ``p90`` of the payback month (a month
        that one of the draws has; ``inf`` where that share of the draws does not pay back
        within the horizon) and ``p_pays_back``, the share of the draws that pay back.
    npv
        Like ``roi``, of the NPV of the monthly nets at the discount rate.
    """

    scenario: Scenario
    draws: int
    seed: int
    samples: pd.DataFrame
    roi: pd.DataFrame
    payback: pd.DataFrame
    npv: pd.DataFrame

    @property
    def horizon(self) -> int:
        return self.scenario.months.horizon

    def p_pays_back(self, objective: Objective = "financial") -> float:
        """The probability of paying back within the horizon."""
        return float(self.payback["p_pays_back"][objective])

    def to_dict(self) -> dict[str, Any]:
        """The ``months`` figures of ``python -m roi_model simulate``; a payback month that a
        percentile of the draws (or a range's end) does not reach within the horizon is None."""
        tornado = months_sensitivity(self.scenario).to_dict(orient="records")
        return {
            "horizon": self.horizon,
            "roi": {
                kind: {key: json_number(self.roi.at[kind, key]) for key in self.roi.columns}
                for kind in OBJECTIVES
            },
            "payback_month": {
                kind: {f"p{p}": _month(self.payback[f"p{p}"][kind]) for p in PERCENTILES}
                for kind in OBJECTIVES
            },
            "npv": {
                kind: {key: json_number(self.npv.at[kind, key]) for key in self.npv.columns}
                for kind in OBJECTIVES
            },
            "p_pays_back": {
                kind: json_number(self.payback.at[kind, "p_pays_back"]) for kind in OBJECTIVES
            },
            "sensitivity": [
                {"input": row["input"], "low": row["low"], "high": row["high"]}
                | {
                    name: (_month if name.startswith("payback") else json_number)(row[name])
                    for name in SENSITIVITY_COLUMNS
                }
                for row in tornado
            ],
        }


#: The months' tornado's columns: each objective's ROI at the horizon, payback month and NPV
#: at the range's two ends.
SENSITIVITY_COLUMNS: tuple[str, ...] = tuple(
    f"{figure}_{kind}_at_{end}"
    for figure in ("roi", "payback", "npv")
    for kind in OBJECTIVES
    for end in ("low", "high")
)


def months_sensitivity(scenario: Scenario) -> pd.DataFrame:
    """The months' tornado: each range at its low and at its high end, everything else as
    today, and what that does to the months ahead.

    One row per range: ``input``, ``low``, ``high`` and :data:`SENSITIVITY_COLUMNS` (the
    ROI at the horizon, the payback month, ``inf`` when not within the horizon, and the NPV),
    sorted by the full-value ROI's swing, largest first (undefined swings last; a range that
    moves only the NPV, on the discount rate, has no swing and comes after the others). An
    end the scenario cannot take is NaN throughout.
    """
    rows = [
        {"input": item.input, "low": item.low, "high": item.high}
        | {
            f"{figure}_{kind}_at_{end}": _end_figure(projection, figure, kind)
            for figure in ("roi", "payback", "npv")
            for kind in OBJECTIVES
            for end, projection in (("low", at_low), ("high", at_high))
        }
        for item, at_low, at_high in at_ends(scenario, project, scenario.uncertainty)
    ]
    return tornado_frame(rows, SENSITIVITY_COLUMNS)


def _end_figure(projection: Projection | None, figure: str, kind: Objective) -> float:
    if projection is None:
        return math.nan
    if figure in ("roi", "npv"):
        return float(getattr(projection, figure)[kind])
    month = projection.payback_month[kind]
    return math.inf if month is None else float(month)


def simulate_months(
    scenario: Scenario, draws: int = DEFAULT_DRAWS, seed: int = 0
) -> MonthsSimulation:
    """The ranges of ``scenario.uncertainty`` drawn ``draws`` times over the months ahead.

    Notes
    -----
    Each draw projects the scenario with the drawn inputs through its horizon (the schedule's
    figures hold as written; a range on today's ad budget or hours moves the months until the
    schedule sets another figure). Without ranges (or with ranges of no width) the scenario is
    projected once and every percentile is :func:`~roi_model.model.months.project`'s figure.

    Examples
    --------
    >>> from roi_model.model.spec import ActionValues, Channel, InputRange, Investment, Months
    >>> # +1,000 a month once launched; launch costs 1,000 to 6,000, most likely 3,000
    >>> s = Scenario(investment=Investment(staff_hours=10.0, hourly_rate=0.0, fixed_costs=1000.0),
    ...              values=ActionValues(support_query=20.0),
    ...              channels=(Channel("Shop", hours_share=1.0, support_queries_per_hour=10.0),),
    ...              months=Months(horizon=6, launch_costs=3000.0),
    ...              uncertainty=(InputRange("months.launch_costs", 1000.0, 6000.0),))
    >>> sim = simulate_months(s, draws=1_000)
    >>> sim.p_pays_back(), sim.payback.loc["financial", ["p10", "p50", "p90"]].tolist()
    (1.0, [2.0, 4.0, 5.0])
    """
    check_draws(draws, seed)
    if all(item.low == item.high for item in scenario.uncertainty):
        outcome = _projected_outcome(scenario, draws)
    else:
        outcome = _drawn_outcome(scenario, draws, seed)
    samples = pd.DataFrame(
        {f"roi_{kind}": outcome.roi[kind] for kind in OBJECTIVES}
        | {f"payback_{kind}": outcome.payback_month[kind] for kind in OBJECTIVES}
        | {f"npv_{kind}": outcome.npv[kind] for kind in OBJECTIVES}
    )
    return MonthsSimulation(
        scenario=scenario,
        draws=draws,
        seed=seed,
        samples=samples,
        roi=_summary(outcome.roi),
        payback=_payback_summary(outcome),
        npv=_summary(outcome.npv),
    )


def _drawn_outcome(scenario: Scenario, draws: int, seed: int) -> DrawnMonths:
    figures = drawn(scenario, draws, seed)
    lenses = enabled_lenses(scenario.lenses)
    parts = [
        _block_months(block_figures(figures, block), scenario, lenses)
        for block in blocks(draws, figures.channels)
    ]
    return _each_figure(lambda *blocks: np.concatenate(blocks), *parts)


def _block_months(block: Block, scenario: Scenario, lenses: Any) -> DrawnMonths:
    months = block.months
    settings = MonthsInputs(
        horizon=scenario.months.horizon,
        schedule=scenario.months.schedule,
        launch_costs=months["launch_costs"],
        repeat_purchases=months["repeat_purchases"],
        retention=months["retention"],
        discount_rate=months["discount_rate"],
    )
    outcome = drawn_months(
        block.budget_shares,
        block.hours_shares,
        block.rates,
        block.values,
        block.investment,
        settings,
        lenses,
    )
    return _each_figure(lambda figure: np.broadcast_to(figure, (block.size,)), outcome)


def _each_figure(combine: Callable[..., FloatArray], *outcomes: DrawnMonths) -> DrawnMonths:
    """Every figure of the outcomes (each objective's), combined by ``combine``."""
    return DrawnMonths(
        **{
            name: {
                kind: combine(*(getattr(each, name)[kind] for each in outcomes))
                for kind in OBJECTIVES
            }
            for name in ("roi", "payback_month", "npv")
        }
    )


def _projected_outcome(scenario: Scenario, draws: int) -> DrawnMonths:
    """Every draw is today's scenario: one projection."""
    projection = project(replace(scenario, uncertainty=()))
    months = {
        kind: math.inf if (month := projection.payback_month[kind]) is None else float(month)
        for kind in OBJECTIVES
    }
    return DrawnMonths(
        roi={kind: np.full(draws, projection.roi[kind]) for kind in OBJECTIVES},
        payback_month={kind: np.full(draws, months[kind]) for kind in OBJECTIVES},
        npv={kind: np.full(draws, projection.npv[kind]) for kind in OBJECTIVES},
    )


def _summary(figure: dict[Objective, FloatArray]) -> pd.DataFrame:
    """P10, P50, P90, mean and the share above 0 of a figure, one row per objective."""
    return pd.DataFrame(
        summary_stats([figure[kind] for kind in OBJECTIVES]),
        index=pd.Index(OBJECTIVES, name="objective", dtype=object),
        columns=list(SUMMARY_COLUMNS),
    )


def _payback_summary(outcome: DrawnMonths) -> pd.DataFrame:
    """Percentiles of a whole month that some draw has (the inverted CDF: a payback month
    between two months means nothing); a draw that never pays back counts as ``inf``."""
    rows = []
    for kind in OBJECTIVES:
        months = outcome.payback_month[kind]
        defined = months[~np.isnan(months)]
        if defined.size:
            percentiles = np.percentile(defined, PERCENTILES, method="inverted_cdf")
        else:
            percentiles = np.full(len(PERCENTILES), np.nan)
        rows.append([*percentiles, share_of_defined(months, np.isfinite)])
    return pd.DataFrame(
        rows,
        index=pd.Index(OBJECTIVES, name="objective", dtype=object),
        columns=[*(f"p{p}" for p in PERCENTILES), "p_pays_back"],
        dtype=float,
    )


def _month(value: float) -> int | None:
    return int(value) if math.isfinite(value) else None
