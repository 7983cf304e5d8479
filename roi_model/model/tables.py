"""Tidy tables that charts map column by column: the return waterfall and the funnel."""

from __future__ import annotations

import numpy as np
import pandas as pd

from roi_model.model.evaluate import Evaluation, enabled_lenses
from roi_model.model.vocabulary import Objective

#: Funnel stages in order, from what people see to what they buy.
FUNNEL_STAGES: tuple[str, ...] = ("impressions", "engagements", "visits", "leads", "sales")


def return_waterfall(evaluation: Evaluation, objective: Objective = "full") -> pd.DataFrame:
    """Steps from the investment to the net return, one row per step.

    Columns: ``step`` (``investment``, a lens name, or ``net``), ``kind`` (``investment``,
    ``return``, ``net``), ``amount`` (signed), ``start`` and ``end`` (the bar's span).

    Notes
    -----
    The first bar goes from 0 down to ``-investment``; each counted lens climbs from there;
    the last bar spans 0 to the net (``return - investment``).
    """
    lenses = enabled_lenses(evaluation.scenario.lenses)
    if objective == "financial":
        lenses = tuple(lens for lens in lenses if lens.is_financial)
    amounts = np.array(
        [-evaluation.investment.total]
        + [getattr(evaluation.returns, lens.value) for lens in lenses]
    )
    ends = np.cumsum(amounts)
    net = ends[-1]
    return pd.DataFrame(
        {
            "step": ["investment", *(lens.value for lens in lenses), "net"],
            "kind": ["investment"] + ["return"] * len(lenses) + ["net"],
            "amount": np.append(amounts, net),
            "start": np.append(ends - amounts, 0.0),
            "end": np.append(ends, net),
        }
    )


def funnel_table(evaluation: Evaluation) -> pd.DataFrame:
    """One row per channel and funnel stage: ``channel``, ``stage``, ``order``, ``value``."""
    channels = evaluation.channels
    stages = len(FUNNEL_STAGES)
    return pd.DataFrame(
        {
            "channel": np.repeat(channels.index.to_numpy(dtype=object), stages),
            "stage": np.tile(np.array(FUNNEL_STAGES, dtype=object), len(channels)),
            "order": np.tile(np.arange(stages), len(channels)),
            # column by column: a frame of the stages' columns costs more than the rest
            "value": np.column_stack(
                [channels[stage].to_numpy(float) for stage in FUNNEL_STAGES]
            ).ravel(),
        }
    )
