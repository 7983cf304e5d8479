"""How long the months ahead (``roi_model.model.months.project``) take, against one evaluate.

A 36-month projection of the optimiser benchmark's 10 unlike channels, each with an audience,
a follow rate, churn, a ceiling and carryover, with returning customers, launch costs and a
schedule, against one ``evaluate`` of the same scenario, timed in the same run. The target is
a ratio of at most 10: a month of the projection costs about what the evaluation's arithmetic
does, without its tables, and the loop over the months is the only Python loop.

The same run times the months' simulation (``simulate_months``): 10,000 draws of that scenario
with ranges on 12 inputs (the step-7 benchmark's, and the months ahead's: retention, repeat
purchases, launch costs, every channel's carryover and follow rate) over the 36 months, against
the same evaluate; the target is a ratio of at most 400.

Run from the project root: ``python -m benchmarks.months_timing``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from benchmarks.model_timing import (
    evaluated_in_full,
    human_time,
    import_model,
    median_seconds_per_call,
    scenario_from_dict,
)
from benchmarks.optimizer_timing import mixed_channels

CHANNELS = 10
HORIZON = 36
TARGET_RATIO = 10.0
TARGET_TEXT = f"ratio <= {TARGET_RATIO:.0f} for {HORIZON} months of {CHANNELS} channels"
DRAWS = 10_000
SIMULATION_TARGET_RATIO = 400.0
SIMULATION_TARGET_TEXT = (
    f"ratio <= {SIMULATION_TARGET_RATIO:.0f} for {DRAWS:,} draws x {HORIZON} months of "
    f"{CHANNELS} channels"
)
#: Ranges on 12 inputs, each holding the grown scenario's value.
RANGES: list[tuple[str, float, float]] = [
    ("investment.ad_budget", 4000, 7000),
    ("investment.staff_hours", 60, 120),
    ("values.order_value", 90, 160),
    ("values.gross_margin", 0.3, 0.5),
    ("channels[*].ctr", 0.004, 0.03),
    ("channels[*].close_rate", 0.1, 0.3),
    ("channels[*].carryover", 0.0, 0.6),
    ("channels[*].follow_rate", 0.0002, 0.001),
    ("months.retention", 0.5, 0.85),
    ("months.repeat_purchases", 0.2, 0.8),
    ("months.launch_costs", 1000, 4000),
    ("channels[2].cpm", 5, 12),
]


@dataclass(frozen=True)
class MonthsTiming:
    project_s: float
    evaluate_s: float

    @property
    def ratio(self) -> float:
        return self.project_s / self.evaluate_s

    def report(self) -> str:
        verdict = "met" if self.ratio <= TARGET_RATIO else "MISSED"
        return (
            f"project, {HORIZON} months x {CHANNELS} channels: {human_time(self.project_s):>9} "
            f"per call; one evaluate of the same scenario: {human_time(self.evaluate_s):>9}; "
            f"ratio {self.ratio:.1f} (target {TARGET_TEXT}: {verdict})"
        )


def grown_scenario() -> Any:
    """The 10 unlike channels with every part of the months ahead in use."""
    from roi_model.model.spec import Months, ScheduleStep

    scenario = scenario_from_dict(import_model())(mixed_channels(CHANNELS))
    channels = tuple(
        replace(
            channel,
            followers=1000.0 * (index + 1),
            follow_rate=0.0005,
            follower_churn=0.02,
            audience_ceiling=50_000.0 * (index + 1),
            carryover=0.1 * (index % 5),
        )
        for index, channel in enumerate(scenario.channels)
    )
    months = Months(
        horizon=HORIZON,
        launch_costs=2000.0,
        discount_rate=0.01,
        repeat_purchases=0.5,
        retention=0.7,
        schedule=(ScheduleStep(4, ad_budget=6000.0), ScheduleStep(13, staff_hours=60.0)),
    )
    return replace(
        scenario, channels=channels, months=months, values=replace(scenario.values, follower=0.5)
    )


@dataclass(frozen=True)
class MonthsSimulationTiming:
    simulate_s: float
    evaluate_s: float

    @property
    def ratio(self) -> float:
        return self.simulate_s / self.evaluate_s

    def report(self) -> str:
        verdict = "met" if self.ratio <= SIMULATION_TARGET_RATIO else "MISSED"
        return (
            f"simulate_months, {DRAWS:,} draws x {HORIZON} months x {CHANNELS} channels, "
            f"{len(RANGES)} ranges: {human_time(self.simulate_s):>9} per call; one evaluate of "
            f"the same scenario: {human_time(self.evaluate_s):>9}; ratio {self.ratio:.1f} "
            f"(target {SIMULATION_TARGET_TEXT}: {verdict})"
        )


def ranged_scenario() -> Any:
    """The grown scenario with the ranges on its 12 inputs."""
    from roi_model.model.spec import InputRange

    ranges = tuple(InputRange(path, float(low), float(high)) for path, low, high in RANGES)
    return replace(grown_scenario(), uncertainty=ranges)


def run_months_timing() -> MonthsTiming:
    from roi_model.model import evaluate as model
    from roi_model.model.months import project

    scenario = grown_scenario()

    def projected_with_tables() -> None:
        # its tables are made when first read: read them all, as the evaluation makes its own
        projection = project(scenario)
        projection.months, projection.channels, projection.goals  # noqa: B018

    return MonthsTiming(
        project_s=median_seconds_per_call(projected_with_tables),
        evaluate_s=median_seconds_per_call(lambda: evaluated_in_full(model, scenario)),
    )


def run_months_simulation_timing() -> MonthsSimulationTiming:
    from roi_model.model import evaluate as model
    from roi_model.model.months_uncertainty import simulate_months

    scenario = ranged_scenario()
    return MonthsSimulationTiming(
        simulate_s=median_seconds_per_call(lambda: simulate_months(scenario, DRAWS)),
        evaluate_s=median_seconds_per_call(lambda: evaluated_in_full(model, scenario)),
    )


def main() -> None:
    print(run_months_timing().report())
    print(run_months_simulation_timing().report())


if __name__ == "__main__":
    main()
