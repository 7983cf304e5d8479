"""How long the months ahead (``roi_model.model.months.project``) take, against one evaluate.

A 36-month projection of the optimiser benchmark's 10 unlike channels, each with an audience,
a follow rate, churn, a ceiling and carryover, with returning customers, launch costs and a
schedule, against one ``evaluate`` of the same scenario, timed in the same run. The target is
a ratio of at most 10: a month of the projection costs about what the evaluation's arithmetic
does, without its tables, and the loop over the months is the only Python loop.

Run from the project root: ``python -m benchmarks.months_timing``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from benchmarks.model_timing import (
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


def run_months_timing() -> MonthsTiming:
    from roi_model.model.evaluate import evaluate
    from roi_model.model.months import project

    scenario = grown_scenario()
    return MonthsTiming(
        project_s=median_seconds_per_call(lambda: project(scenario)),
        evaluate_s=median_seconds_per_call(lambda: evaluate(scenario)),
    )


def main() -> None:
    print(run_months_timing().report())


if __name__ == "__main__":
    main()
