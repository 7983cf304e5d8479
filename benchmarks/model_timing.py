"""How long ``roi_model.model.evaluate`` takes, against the bare pandas call it builds on.

The reference is building a ``pd.DataFrame`` of the same shape as the model's channel table
from ready numpy columns: the model cannot be faster than the table it returns, so the ratio
says how much arithmetic and bookkeeping the model adds around it.

Run from the project root: ``python -m benchmarks.model_timing``.
"""

from __future__ import annotations

import copy
import statistics
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pandas as pd

REPEATS = 7  # timeit's own default; the median of 7 is steady enough for a ratio
#: Rounds of a pair timed in alternation: more than ``REPEATS``, since each round is shorter.
ALTERNATED_ROUNDS = 21
CHANNEL_COUNTS = (1, 50)

FACEBOOK: dict[str, Any] = {
    "name": "Facebook",
    "budget_share": 0.4,
    "hours_share": 0.3,
    "cpm": 8.0,
    "saturation_spend": 4000,
    "organic_impressions_per_hour": 500,
    "like_rate": 0.02,
    "comment_rate": 0.002,
    "share_rate": 0.001,
    "video_view_rate": 0.05,
    "ctr": 0.01,
    "lead_rate": 0.05,
    "close_rate": 0.2,
    "fit": 1.0,
    "support_queries_per_hour": 0.0,
}

SCENARIO: dict[str, Any] = {
    "schema_version": 1,
    "name": "Tienda online",
    "currency": "EUR",
    "investment": {"ad_budget": 5000, "staff_hours": 80, "hourly_rate": 30, "fixed_costs": 500},
    "values": {
        "like": 0.05,
        "comment": 0.5,
        "share": 1.0,
        "video_view": 0.02,
        "organic_visit": 0.8,
        "lead": 15,
        "order_value": 120,
        "gross_margin": 0.4,
        "support_query": 6,
    },
    "lenses": {"leads": True, "engagement": True, "organic_traffic": True},
    "channels": [FACEBOOK],
    "goals": [
        {"tier": "primary", "metric": "sales", "target": 50},
        {"tier": "secondary", "metric": "leads", "target": 300},
    ],
}


@dataclass(frozen=True)
class ModelTiming:
    """Median seconds per call of ``evaluate`` and of the pandas reference, for one size."""

    channels: int
    evaluate_s: float
    reference_s: float

    @property
    def ratio(self) -> float:
        return self.evaluate_s / self.reference_s

    def report(self) -> str:
        return (
            f"evaluate, {self.channels:>2} channel(s): {human_time(self.evaluate_s):>9} per call; "
            f"pd.DataFrame of the same shape: {human_time(self.reference_s):>9}; "
            f"ratio {self.ratio:.1f}"
        )


def import_model() -> ModuleType:
    """``roi_model``, or a clear exit if it cannot be imported from here."""
    try:
        import roi_model
    except ImportError as error:
        raise SystemExit(
            f"roi_model cannot be imported ({error}); run from the project root: "
            "python -m benchmarks"
        ) from error
    return roi_model


def scenario_from_dict(model: ModuleType) -> Callable[[dict[str, Any]], Any]:
    """The model's ``scenario_from_dict`` (re-exported by the package, or in its module)."""
    if hasattr(model, "scenario_from_dict"):
        exported: Callable[[dict[str, Any]], Any] = model.scenario_from_dict
        return exported
    from roi_model.files.scenario_file import scenario_from_dict as in_module

    return in_module


def scenario_dict(channels: int) -> dict[str, Any]:
    """The example scenario file with ``channels`` copies of its channel, uniquely named."""
    data = copy.deepcopy(SCENARIO)
    if channels > 1:
        data["channels"] = [
            FACEBOOK
            | {"name": f"Channel {i}", "budget_share": 1 / channels, "hours_share": 1 / channels}
            for i in range(1, channels + 1)
        ]
    return data


def median_seconds_per_call(call: Callable[[], object]) -> float:
    """Median over ``REPEATS`` timeit runs, each long enough (>= 0.2 s) to dwarf the timer."""
    timer = timeit.Timer(call)
    number, _ = timer.autorange()
    return statistics.median(timer.repeat(repeat=REPEATS, number=number)) / number


def alternated_seconds_per_call(
    first: Callable[[], object], second: Callable[[], object], rounds: int = ALTERNATED_ROUNDS
) -> tuple[float, float]:
    """Median seconds per call of two calls timed in turn (AB, BA, AB...), each timing about
    0.1 s of calls: the machine's drift in speed over the run (another process, the host)
    then weighs on both sides of their ratio alike, where timing one and then the other does
    not."""
    timers = [timeit.Timer(first), timeit.Timer(second)]
    numbers = [max(1, timer.autorange()[0] // 2) for timer in timers]
    samples: list[list[float]] = [[], []]
    for round_ in range(rounds):
        for side in (0, 1) if round_ % 2 == 0 else (1, 0):
            samples[side].append(timers[side].timeit(numbers[side]) / numbers[side])
    return statistics.median(samples[0]), statistics.median(samples[1])


def evaluated_in_full(model: ModuleType, scenario: Any) -> Any:
    """One evaluation as its readers take it: its figures and both its tables (made when first
    read), so that every ratio "against one evaluate" measures what it did before they were."""
    evaluation = model.evaluate(scenario)
    evaluation.channels, evaluation.goals  # noqa: B018
    return evaluation


def time_model(model: ModuleType, channels: int) -> ModelTiming:
    scenario = scenario_from_dict(model)(scenario_dict(channels))
    table = model.evaluate(scenario).channels
    columns = {name: table[name].to_numpy() for name in table.columns}
    index = pd.Index(list(table.index), name=table.index.name)
    return ModelTiming(
        channels,
        evaluate_s=median_seconds_per_call(lambda: evaluated_in_full(model, scenario)),
        reference_s=median_seconds_per_call(lambda: pd.DataFrame(columns, index=index)),
    )


def run_model_timing() -> list[ModelTiming]:
    model = import_model()
    return [time_model(model, channels) for channels in CHANNEL_COUNTS]


def human_time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    return f"{seconds * 1e3:.2f} ms"


def main() -> None:
    for timing in run_model_timing():
        print(timing.report())


if __name__ == "__main__":
    main()
