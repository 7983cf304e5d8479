"""The model's calls that several views share, cached across reruns."""

from __future__ import annotations

from functools import lru_cache

from roi_model import Evaluation, Scenario, evaluate


@lru_cache(maxsize=256)
def evaluated(scenario: Scenario) -> Evaluation:
    """The model's evaluation, cached: a slider that comes back to a value costs nothing.

    A scenario is a frozen, hashable spec, so Python's own cache keys it in microseconds;
    ``st.cache_data`` would pickle every evaluation in and out, which costs more than the
    model itself. Nothing mutates an evaluation (pages only read it).
    """
    return evaluate(scenario)
