"""The model's calls that several views share, cached across reruns."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from roi_model import Evaluation, Scenario, evaluate
from roi_model.model.months import Projection, project
from roi_model.model.months_uncertainty import (
    MonthsSimulation,
    months_sensitivity,
    simulate_months,
)
from roi_model.model.uncertainty import Simulation, sensitivity, simulate


@lru_cache(maxsize=256)
def evaluated(scenario: Scenario) -> Evaluation:
    """The model's evaluation, cached: a slider that comes back to a value costs nothing.

    A scenario is a frozen, hashable spec, so Python's own cache keys it in microseconds;
    ``st.cache_data`` would pickle every evaluation in and out, which costs more than the
    model itself. Nothing mutates an evaluation (pages only read it).
    """
    return evaluate(scenario)


@lru_cache(maxsize=8)  # a simulation keeps its draws (megabytes): the Compare page's six fit
def simulated(scenario: Scenario) -> Simulation:
    """The scenario's ranges drawn 10,000 times (seeded: the same scenario, the same bands),
    cached like the evaluation; without ranges it costs one vectorised evaluation."""
    return simulate(scenario)


@lru_cache(maxsize=32)
def tornado(scenario: Scenario) -> pd.DataFrame:
    """Each range at its two ends, largest swing of the full-value ROI first (read only)."""
    return sensitivity(scenario)


@lru_cache(maxsize=32)
def projected(scenario: Scenario) -> Projection:
    """The scenario's months ahead, cached like the evaluation (the cockpit, the meeting mode
    and the months page ask for the same one)."""
    return project(scenario)


@lru_cache(maxsize=8)
def simulated_months(scenario: Scenario) -> MonthsSimulation:
    """The scenario's ranges drawn 10,000 times over its horizon (seeded), cached like the
    simulation of the month."""
    return simulate_months(scenario)


@lru_cache(maxsize=32)
def months_tornado(scenario: Scenario) -> pd.DataFrame:
    """Each range at its two ends over the months ahead (read only)."""
    return months_sensitivity(scenario)
