"""How long ``optimize_mix`` (``roi_model.model.optimize``) takes, against one ``evaluate``.

The reference is one evaluation of the same scenario: the optimiser builds the best mix's
scenario and evaluates both mixes' returns, so the ratio says how many evaluations the search
itself costs on top. The target is an absolute one: under 50 ms for 10 channels on a 2-core
machine, so that the best mix can follow a slider.

Run from the project root: ``python -m benchmarks.optimizer_timing``.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

from benchmarks.model_timing import (
    evaluated_in_full,
    human_time,
    import_model,
    median_seconds_per_call,
    scenario_dict,
    scenario_from_dict,
)

CHANNEL_COUNTS = (10, 50)
TARGET_CHANNELS = 10
TARGET_S = 0.050
TARGET_TEXT = f"< {TARGET_S * 1e3:.0f} ms for {TARGET_CHANNELS} channels"


@dataclass(frozen=True)
class OptimizerTiming:
    """Median seconds per call of ``optimize_mix`` and of ``evaluate``, for one size."""

    channels: int
    optimize_s: float
    evaluate_s: float

    @property
    def ratio(self) -> float:
        return self.optimize_s / self.evaluate_s

    def report(self) -> str:
        return (
            f"optimize_mix, {self.channels:>2} channels: {human_time(self.optimize_s):>9} per "
            f"call; one evaluate of the same scenario: {human_time(self.evaluate_s):>9}; "
            f"ratio {self.ratio:.1f}"
        )


def target_report(timings: list[OptimizerTiming]) -> str:
    """Whether the run met the target, with the figure it is judged on."""
    [timing] = [t for t in timings if t.channels == TARGET_CHANNELS]
    verdict = "met" if timing.optimize_s < TARGET_S else "MISSED"
    return f"target {TARGET_TEXT}: {verdict} ({human_time(timing.optimize_s)})"


def mixed_channels(channels: int) -> dict[str, Any]:
    """The example scenario with channels unlike each other, so that the best mix is not today's.

    CPM and click-through rate differ per channel; every fourth channel has no saturation
    (linear), the rest saturate at different spends. With 10 channels the best mix spends on
    five of them, most on a linear one (tied with the marginal return of the other four).
    """
    data = scenario_dict(channels)
    data["channels"] = [
        channel
        | {
            "cpm": 5.0 + index,
            "ctr": 0.01 * (1 + (index * 7 % 10) / 10),
            "saturation_spend": None if index % 4 == 3 else 500.0 * (index + 1),
        }
        for index, channel in enumerate(data["channels"])
    ]
    return data


def time_optimizer(model: ModuleType, channels: int) -> OptimizerTiming:
    from roi_model.model.optimize import optimize_mix

    scenario = scenario_from_dict(model)(mixed_channels(channels))
    return OptimizerTiming(
        channels,
        optimize_s=median_seconds_per_call(lambda: optimize_mix(scenario)),
        evaluate_s=median_seconds_per_call(lambda: evaluated_in_full(model, scenario)),
    )


def run_optimizer_timing() -> list[OptimizerTiming]:
    model = import_model()
    return [time_optimizer(model, channels) for channels in CHANNEL_COUNTS]


def main() -> None:
    timings = run_optimizer_timing()
    for timing in timings:
        print(timing.report())
    print(target_report(timings))


if __name__ == "__main__":
    main()
