"""How long the client's report (``roi_model.report``) takes, against one ``evaluate``.

The seven-channel preset ``sample_data/presets/fashion_brand.json`` (3 goals, ranges, a
measurement plan), in Spanish for Spain, as the cockpit's report buttons make it: the document
(``scenario_report``: the evaluation, 10,000 draws over the ranges, the drivers, the best mix,
the assumptions' sources), then each format end to end (the document and ``rendered`` in HTML,
PDF and xlsx), and each format's drawing alone from a ready document. One ``evaluate`` of the
same scenario, timed in the same run, is the unit of the ratios.

A report call takes a tenth of a second or more, so each is timed as the median of a few calls
(``REPEATS``) after a first one, which is shown apart: that one pays the lazy imports (Jinja,
fpdf2, openpyxl) and the caches, as the first click after the server starts does.

Run from the project root: ``python -m benchmarks.report_timing``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from benchmarks.model_timing import (
    evaluated_in_full,
    human_time,
    import_model,
    median_seconds_per_call,
)

if TYPE_CHECKING:  # roi_model is imported by import_model(), with a clear exit if it cannot be
    from roi_model.report import ReportFormat
    from roi_model.report.document import Document

PRESET = Path(__file__).resolve().parents[1] / "sample_data" / "presets" / "fashion_brand.json"
LANGUAGE, LOCALE = "es", "es_ES"
#: Calls of 0.2-0.7 s: timeit's autorange and 7 repeats would make some 15 calls of each and
#: no steadier a median.
REPEATS = 5
#: A fixed date, so that every run draws the same report (the cockpit passes its clock's).
MADE_ON = datetime(2026, 1, 15, 10, 0, tzinfo=UTC)


@dataclass(frozen=True)
class StepTiming:
    """One thing the report makes: its first call, its median after it, and (for a format)
    the median of its drawing alone, from a ready document."""

    label: str
    first_s: float
    median_s: float
    drawing_s: float | None = None


@dataclass(frozen=True)
class ReportTiming:
    """The document and each format, against one ``evaluate`` of the same scenario."""

    channels: int
    evaluate_s: float
    steps: tuple[StepTiming, ...]

    def ratio(self, step: StepTiming) -> float:
        return step.median_s / self.evaluate_s

    def report(self) -> str:
        header = (
            f"{'':<28} {'first call':>10} {'median':>10} {'x evaluate':>10} {'drawing alone':>14}"
        )
        unit = f"{'one evaluate':<28} {'':>10} {human_time(self.evaluate_s):>10} {1.0:>10.1f}"
        return "\n".join([header, unit, *(self._row(step) for step in self.steps)])

    def _row(self, step: StepTiming) -> str:
        drawing = "" if step.drawing_s is None else human_time(step.drawing_s)
        return (
            f"{step.label:<28} {human_time(step.first_s):>10} {human_time(step.median_s):>10} "
            f"{self.ratio(step):>10.0f} {drawing:>14}"
        ).rstrip()


def first_and_median(call: Callable[[], object], repeats: int = REPEATS) -> tuple[float, float]:
    """Seconds of the first call, and the median of ``repeats`` calls after it."""
    first = _seconds(call)
    return first, statistics.median(_seconds(call) for _ in range(repeats))


def _seconds(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def time_report(model: ModuleType) -> ReportTiming:
    from roi_model.files.scenario_file import load_scenario
    from roi_model.report import FORMATS
    from roi_model.report.build import scenario_report
    from roi_model.words import words_for

    scenario = load_scenario(PRESET)
    words = words_for(LANGUAGE, LOCALE)

    def document() -> Document:
        # The preset itself as the preset it started from: the cockpit with it just opened.
        return scenario_report(scenario, words, made_on=MADE_ON, preset=scenario)

    made = StepTiming("document (scenario_report)", *first_and_median(document))
    ready = document()
    formats = tuple(format_step(form, document, ready) for form in FORMATS)
    return ReportTiming(
        channels=len(scenario.channels),
        evaluate_s=median_seconds_per_call(lambda: evaluated_in_full(model, scenario)),
        steps=(made, *formats),
    )


def format_step(
    form: ReportFormat, document: Callable[[], Document], ready: Document
) -> StepTiming:
    """One format end to end (a fresh document each call, as a click makes), then its drawing
    alone from a ready document: the difference is the document's share."""
    from roi_model.report import rendered

    first, median = first_and_median(lambda: rendered(document(), form))
    _, drawing = first_and_median(lambda: rendered(ready, form))
    return StepTiming(f"{form} (document + rendered)", first, median, drawing)


def run_report_timing() -> ReportTiming:
    return time_report(import_model())


def main() -> None:
    timing = run_report_timing()
    print(f"{PRESET.name}, {timing.channels} channels, {LOCALE}; median of {REPEATS} calls:")
    print(timing.report())


if __name__ == "__main__":
    main()
