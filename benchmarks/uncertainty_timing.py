"""How long ``simulate`` (``roi_model.model.uncertainty``) takes, against one ``evaluate``.

10,000 draws of the example scenario with 10 channels unlike each other and ranges on 12
inputs (investment, action values, every channel's rates and one channel's CPM), against one
evaluation of the same scenario, timed in turn in the same run (AB, BA, ...); the target is a
ratio of at most 10.

Four of the five ranges on every channel are on figures the channels share today (the lead and
close rates, the budget shares, the like rate), which ``simulate`` draws once for all the
channels alike; the run also times the same scenario with those figures unlike on every channel
(each channel then draws its own), against its own ``evaluate``.

The run also says where the time goes: drawing the 12 ranges (as ``simulate`` draws them), the
kernel (``drawn_totals`` over blocks of draws x channels: what the draws and the kernel take
together, less the draws), and the percentiles and tables. Beside it, what numpy pays for one
pass over a block-sized array (10 channels x the simulation's block of draws) into a fresh
array and in place, and the same pass over 10 channels x 4,096 draws: an array that large is
handed over by the operating system page by page, which costs more than the arithmetic.

Run from the project root: ``python -m benchmarks.uncertainty_timing``.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np

from benchmarks.model_timing import (
    alternated_seconds_per_call,
    evaluated_in_full,
    human_time,
    import_model,
    median_seconds_per_call,
    scenario_from_dict,
)
from benchmarks.optimizer_timing import mixed_channels

CHANNELS = 10
DRAWS = 10_000
LARGE_BLOCK = 4096  # a block of draws whose arrays are no longer recycled by the C library
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
    """Median seconds per call of ``simulate``, of its parts and of ``evaluate``."""

    simulate_s: float
    evaluate_s: float
    outcomes_s: float  # the draws and the kernel: simulate before its percentiles and tables
    draws_s: float  # the triangular draws of the ranges alone
    block: int  # the simulation's block of draws
    fresh_pass_s: float  # one multiply of two block-sized arrays into a fresh array
    in_place_pass_s: float  # the same multiply into an existing array
    large_fresh_pass_s: float  # a multiply into a fresh array of LARGE_BLOCK draws
    unlike_simulate_s: float  # simulate with no figure alike on every channel
    unlike_evaluate_s: float  # one evaluate of that scenario

    @property
    def ratio(self) -> float:
        return self.simulate_s / self.evaluate_s

    def report(self) -> str:
        return (
            f"simulate, {DRAWS:,} draws x {CHANNELS} channels, {len(RANGES)} ranges: "
            f"{human_time(self.simulate_s):>9} per call; one evaluate of the same scenario: "
            f"{human_time(self.evaluate_s):>9}; ratio {self.ratio:.1f}\n"
            f"the same with every ranged rate unlike on every channel: "
            f"{human_time(self.unlike_simulate_s):>9} against "
            f"{human_time(self.unlike_evaluate_s):>9}; ratio {self.unlike_ratio:.1f}"
        )

    @property
    def unlike_ratio(self) -> float:
        return self.unlike_simulate_s / self.unlike_evaluate_s

    def target_report(self) -> str:
        verdict = "met" if self.ratio <= TARGET_RATIO else "MISSED"
        kernel_s = max(self.outcomes_s - self.draws_s, 0.0)
        summary_s = max(self.simulate_s - self.outcomes_s, 0.0)
        return (
            f"target {TARGET_TEXT}: {verdict} ({self.ratio:.1f})\n"
            f"of which: drawing the ranges {human_time(self.draws_s)} "
            f"({self.draws_s / self.evaluate_s:.1f} evaluates), the kernel "
            f"{human_time(kernel_s)} ({kernel_s / self.evaluate_s:.1f}), percentiles and tables "
            f"{human_time(summary_s)} ({summary_s / self.evaluate_s:.1f})\n"
            f"one numpy pass over {CHANNELS} x {self.block:,} numbers (a block): into a fresh "
            f"array {human_time(self.fresh_pass_s)}, in place "
            f"{human_time(self.in_place_pass_s)}; over {CHANNELS} x {LARGE_BLOCK:,} into a "
            f"fresh array {human_time(self.large_fresh_pass_s)}"
        )


def ranged_scenario_dict() -> dict[str, Any]:
    """The optimiser benchmark's 10 unlike channels, with the ranges (schema version 4)."""
    return mixed_channels(CHANNELS) | {
        "schema_version": 4,
        "plan": [],
        "calibration": [],
        "uncertainty": RANGES,
    }


def unlike_scenario_dict() -> dict[str, Any]:
    """:func:`ranged_scenario_dict` with the ranged rates and shares unlike on every channel
    (each within its range), so that no ``channels[*]`` range finds the channels alike."""
    data = ranged_scenario_dict()
    data["channels"] = [
        channel
        | {
            "lead_rate": 0.03 + 0.004 * index,
            "close_rate": 0.12 + 0.015 * index,
            "budget_share": 0.06 + 0.02 * index,
            "like_rate": 0.012 + 0.002 * index,
        }
        for index, channel in enumerate(data["channels"])
    ]
    return data


def time_uncertainty(model: ModuleType) -> UncertaintyTiming:
    from roi_model.model.uncertainty import _outcomes, block_size, simulate

    scenario = scenario_from_dict(model)(ranged_scenario_dict())
    unlike = scenario_from_dict(model)(unlike_scenario_dict())
    left, right = np.random.default_rng(0).random((2, CHANNELS, block_size(CHANNELS)))
    into = np.empty_like(left)
    large = np.random.default_rng(1).random((2, CHANNELS, LARGE_BLOCK))
    simulate_s, evaluate_s = alternated_seconds_per_call(
        lambda: _simulated_in_full(simulate(scenario, DRAWS)),
        lambda: evaluated_in_full(model, scenario),
    )
    unlike_simulate_s, unlike_evaluate_s = alternated_seconds_per_call(
        lambda: _simulated_in_full(simulate(unlike, DRAWS)),
        lambda: evaluated_in_full(model, unlike),
    )
    return UncertaintyTiming(
        simulate_s=simulate_s,
        evaluate_s=evaluate_s,
        outcomes_s=median_seconds_per_call(lambda: _outcomes(scenario, DRAWS, 0)),
        draws_s=median_seconds_per_call(lambda: _draws_by_block(scenario)),
        block=block_size(CHANNELS),
        fresh_pass_s=median_seconds_per_call(lambda: left * right),
        in_place_pass_s=median_seconds_per_call(lambda: np.multiply(left, right, out=into)),
        large_fresh_pass_s=median_seconds_per_call(lambda: large[0] * large[1]),
        unlike_simulate_s=unlike_simulate_s,
        unlike_evaluate_s=unlike_evaluate_s,
    )


def _simulated_in_full(simulation: Any) -> None:
    """Every table of a simulation read (each is made when first read), as the command line's
    JSON reads them."""
    simulation.summary, simulation.goals  # noqa: B018


def _draws_by_block(scenario: Any) -> None:
    """The ranges drawn as ``simulate`` draws them: the uniforms and the figures of the
    investment and values for every draw at once, the channels' figures block by block."""
    from roi_model.model.uncertainty import blocks, drawn

    figures = drawn(scenario, DRAWS, 0)
    for block in blocks(DRAWS, CHANNELS):
        for ranged, roots in figures.channel_ranges:
            ranged.drawn(roots[:, block])


def run_uncertainty_timing() -> UncertaintyTiming:
    return time_uncertainty(import_model())


def main() -> None:
    timing = run_uncertainty_timing()
    print(timing.report())
    print(timing.target_report())


if __name__ == "__main__":
    main()
