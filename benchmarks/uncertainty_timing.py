"""How long ``simulate`` (``roi_model.model.uncertainty``) takes, against one ``evaluate``.

10,000 draws of the example scenario with 10 channels unlike each other and ranges on 12
inputs (investment, action values, every channel's rates and one channel's CPM), against one
evaluation of the same scenario, timed in the same run. The draws run as arrays of draws x
channels through the evaluation's kernel, so the ratio says what 10,000 draws cost in
evaluations; the target is a ratio of at most 10.

The floor printed beside it is what the model's equations cost in numpy on arrays of that
size, whatever code surrounds them: the evaluation's kernel alone on draws x channels arrays,
plus the triangular draws of the 12 ranges alone. Each numpy operation is one pass over (and
one fresh allocation of) a 10 x 10,000 array; the kernel makes some 40 such passes and the
draws of a ``channels[*]`` range about 7, so the floor lies above the target on this kind of
machine: the target is below what numpy itself costs for these equations.

Run from the project root: ``python -m benchmarks.uncertainty_timing``.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

from benchmarks.model_timing import (
    human_time,
    import_model,
    median_seconds_per_call,
    scenario_from_dict,
)
from benchmarks.optimizer_timing import mixed_channels

CHANNELS = 10
DRAWS = 10_000
TARGET_RATIO = 10.0
TARGET_TEXT = f"ratio <= {TARGET_RATIO:.0f} for {DRAWS:,} draws of {CHANNELS} channels"

#: Ranges on 12 inputs, each holding the example's value (see ``model_timing.SCENARIO``).
RANGES: list[dict[str, Any]] = [
    {"input": "investment.ad_budget", "low": 4000, "high": 7000},
    {"input": "investment.staff_hours", "low": 60, "high": 120},
    {"input": "investment.hourly_rate", "low": 25, "high": 40},
    {"input": "values.order_value", "low": 90, "high": 160},
    {"input": "values.gross_margin", "low": 0.3, "high": 0.5},
    {"input": "values.lead", "low": 5, "high": 25},
    {"input": "channels[*].ctr", "low": 0.004, "high": 0.03},
    {"input": "channels[*].lead_rate", "low": 0.02, "high": 0.08},
    {"input": "channels[*].close_rate", "low": 0.1, "high": 0.3},
    {"input": "channels[*].budget_share", "low": 0.05, "high": 0.3},
    {"input": "channels[*].like_rate", "low": 0.01, "high": 0.04},
    {"input": "channels[2].cpm", "low": 5, "high": 12},
]


@dataclass(frozen=True)
class UncertaintyTiming:
    """Median seconds per call of ``simulate`` and of ``evaluate`` of the same scenario."""

    simulate_s: float
    evaluate_s: float
    kernel_s: float  # the model's kernel alone over the draws x channels arrays
    draws_s: float  # the triangular draws of the ranges alone

    @property
    def ratio(self) -> float:
        return self.simulate_s / self.evaluate_s

    @property
    def floor_s(self) -> float:
        return self.kernel_s + self.draws_s

    @property
    def floor_ratio(self) -> float:
        return self.floor_s / self.evaluate_s

    def report(self) -> str:
        return (
            f"simulate, {DRAWS:,} draws x {CHANNELS} channels, {len(RANGES)} ranges: "
            f"{human_time(self.simulate_s):>9} per call; one evaluate of the same scenario: "
            f"{human_time(self.evaluate_s):>9}; ratio {self.ratio:.1f}"
        )

    def target_report(self) -> str:
        verdict = "met" if self.ratio <= TARGET_RATIO else "MISSED"
        return (
            f"target {TARGET_TEXT}: {verdict} ({self.ratio:.1f})\n"
            f"floor: evaluate's kernel alone on the {CHANNELS} x {DRAWS:,} arrays "
            f"{human_time(self.kernel_s)} + the draws alone {human_time(self.draws_s)} = "
            f"{human_time(self.floor_s)}, ratio {self.floor_ratio:.1f} "
            f"(simulate / floor {self.simulate_s / self.floor_s:.1f})"
        )


def ranged_scenario_dict() -> dict[str, Any]:
    """The optimiser benchmark's 10 unlike channels, with the ranges (schema version 4)."""
    return mixed_channels(CHANNELS) | {
        "schema_version": 4,
        "plan": [],
        "calibration": [],
        "uncertainty": RANGES,
    }


def time_uncertainty(model: ModuleType) -> UncertaintyTiming:
    from roi_model.model.uncertainty import draw_inputs, simulate

    scenario = scenario_from_dict(model)(ranged_scenario_dict())
    return UncertaintyTiming(
        simulate_s=median_seconds_per_call(lambda: simulate(scenario, DRAWS)),
        evaluate_s=median_seconds_per_call(lambda: model.evaluate(scenario)),
        kernel_s=median_seconds_per_call(_kernel_over_draws(scenario)),
        draws_s=median_seconds_per_call(lambda: draw_inputs(scenario, DRAWS)),
    )


def _kernel_over_draws(scenario: Any) -> Any:
    """One run of ``channel_figures`` on arrays shaped as the simulation's: what any vectorised
    simulation through the model's own kernel must at least spend."""
    import numpy as np

    from roi_model.model.evaluate import channel_arrays, channel_figures, enabled_lenses

    rates = {
        name: np.repeat(values[:, None], DRAWS, axis=1)
        for name, values in channel_arrays(scenario.channels).items()
    }
    spend = np.full((CHANNELS, DRAWS), scenario.investment.ad_budget / CHANNELS)
    hours = np.full((CHANNELS, DRAWS), scenario.investment.staff_hours / CHANNELS)
    lenses = enabled_lenses(scenario.lenses)
    return lambda: channel_figures(spend, hours, rates, scenario.values, lenses)


def run_uncertainty_timing() -> UncertaintyTiming:
    return time_uncertainty(import_model())


def main() -> None:
    timing = run_uncertainty_timing()
    print(timing.report())
    print(timing.target_report())


if __name__ == "__main__":
    main()
