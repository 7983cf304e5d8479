"""``python -m benchmarks``: model, optimiser and simulation timing, then slider latency in a
real browser, ending with one table of every page against hello and its target."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.channels_latency import run_channels_end_latency, run_channels_latency
from benchmarks.compare_latency import run_compare_latency
from benchmarks.history_latency import LARGE_ROWS, run_history_latency, run_large_history_latency
from benchmarks.history_latency import target_report as history_target_report
from benchmarks.import_timing import main as run_import_timing
from benchmarks.latency import LatencyResult, add_latency_options, app_from_args, run_latency
from benchmarks.meeting_latency import TARGET_HELLO_RATIO, run_meeting_latency
from benchmarks.model_timing import run_model_timing
from benchmarks.months_latency import run_months_latency
from benchmarks.months_timing import SIMULATION_TARGET_TEXT as MONTHS_SIMULATION_TARGET_TEXT
from benchmarks.months_timing import TARGET_TEXT as MONTHS_TARGET_TEXT
from benchmarks.months_timing import run_months_simulation_timing, run_months_timing
from benchmarks.optimizer_timing import TARGET_TEXT, run_optimizer_timing, target_report
from benchmarks.report_timing import run_report_timing
from benchmarks.store_timing import report as store_report
from benchmarks.store_timing import run_store_timing
from benchmarks.team_latency import run_team_latency
from benchmarks.uncertainty_latency import run_uncertainty_latency
from benchmarks.uncertainty_timing import TARGET_TEXT as UNCERTAINTY_TARGET_TEXT
from benchmarks.uncertainty_timing import run_uncertainty_timing

SCENARIOS_TEXT = "6 saved scenarios x 8 channels"


@dataclass(frozen=True)
class PageTarget:
    """A page's median at most ``hello`` times hello's and, when set, ``floor`` times the
    floor's (hello redrawing as many elements as the page)."""

    hello: float
    floor: float | None = None

    def text(self) -> str:
        floor = "" if self.floor is None else f", page/floor <= {self.floor:.1f}"
        return f"page/hello <= {self.hello:.1f}{floor}"

    def met(self, result: LatencyResult) -> bool:
        within_floor = self.floor is None or page_over_floor(result) <= self.floor
        return result.ratio_of_medians <= self.hello and within_floor


#: The issue's targets: a meeting's slider as quick as hello's; any other page within three
#: times hello and within half again of a page of its size that does nothing.
PAGE_TARGET = PageTarget(hello=3.0, floor=1.5)
MEETING_TARGET = PageTarget(hello=TARGET_HELLO_RATIO)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--skip-browser", action="store_true", help="model and optimiser timing only"
    )
    add_latency_options(parser)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    print("== Model: roi_model.model.evaluate vs pd.DataFrame of the same shape", flush=True)
    timings = run_model_timing()
    for timing in timings:
        print(timing.report())
    print(
        f"== Optimiser: roi_model.optimize_mix vs one evaluate (target {TARGET_TEXT})", flush=True
    )
    optimizer = run_optimizer_timing()
    for each in optimizer:
        print(each.report())
    print(target_report(optimizer))
    print(
        f"== Uncertainty: roi_model.model.uncertainty.simulate vs one evaluate "
        f"(target {UNCERTAINTY_TARGET_TEXT})",
        flush=True,
    )
    uncertainty = run_uncertainty_timing()
    print(uncertainty.report())
    print(uncertainty.target_report())
    print(f"== Months ahead: project vs one evaluate (target {MONTHS_TARGET_TEXT})", flush=True)
    months = run_months_timing()
    print(months.report())
    print(
        f"== Months ahead, how sure: simulate_months vs one evaluate "
        f"(target {MONTHS_SIMULATION_TARGET_TEXT})",
        flush=True,
    )
    months_simulation = run_months_simulation_timing()
    print(months_simulation.report())
    print("== Report: the client's report, each format vs one evaluate", flush=True)
    client_report = run_report_timing()
    print(client_report.report())
    print("== Import: read_history vs pd.read_csv(engine='pyarrow'), same file", flush=True)
    run_import_timing()
    print("== Store: save and list as a team user, PostgreSQL vs SQLite", flush=True)
    stores = run_store_timing()
    print(store_report(stores))
    if args.skip_browser:
        return
    print(
        f"== Latency: key press on the slider -> metric text changed ({args.rounds} rounds)",
        flush=True,
    )
    latency = run_latency(args.rounds, args.warmup, app_from_args(args))
    print(latency.report())
    print(
        f"== Compare page: {SCENARIOS_TEXT}, base changed -> page redrawn ({args.rounds} rounds)",
        flush=True,
    )
    compare = run_compare_latency(args.rounds, args.warmup)
    print(compare.report())
    print(f"== Channels page: budget slider -> best mix redrawn ({args.rounds} rounds)", flush=True)
    channels = run_channels_latency(args.rounds, args.warmup)
    print(channels.report())
    print(f"== Channels page: budget slider -> its end redrawn ({args.rounds} rounds)", flush=True)
    channels_end = run_channels_end_latency(args.rounds, args.warmup)
    print(channels_end.report())
    print(f"== Cockpit with ranges: budget slider -> headline redrawn ({args.rounds} rounds)")
    ranged = run_uncertainty_latency(args.rounds, args.warmup)
    print(ranged.report())
    print(f"== Meeting page: budget slider -> figures redrawn ({args.rounds} rounds)", flush=True)
    meeting = run_meeting_latency(args.rounds, args.warmup)
    print(meeting.report())
    print(f"== Months page: horizon slider -> headline redrawn ({args.rounds} rounds)", flush=True)
    months_page = run_months_latency(args.rounds, args.warmup)
    print(months_page.report())
    print(
        f"== History page, sample history: grouping -> panel redrawn ({args.rounds} rounds)",
        flush=True,
    )
    history = run_history_latency(args.rounds, args.warmup)
    print(history.report())
    print(
        f"== History page, {LARGE_ROWS:,} rows kept: grouping -> panel redrawn "
        f"({args.rounds} rounds)",
        flush=True,
    )
    large_history = run_large_history_latency(args.rounds, args.warmup)
    print(large_history.report())
    print(f"== Team mode: cockpit signed in vs the embedded default ({args.rounds} rounds)")
    team = run_team_latency(args.rounds, args.warmup)
    print(team.report())
    print("== Summary")
    for timing in timings:
        print(f"model/pandas, {timing.channels:>2} channel(s): {timing.ratio:.1f}")
    for each in optimizer:
        print(f"optimiser/evaluate, {each.channels:>2} channels: {each.ratio:.1f}")
    print(f"optimiser {target_report(optimizer)}")
    print(f"simulate/evaluate, 10 channels: {uncertainty.ratio:.1f}")
    print(f"simulate {uncertainty.target_report()}")
    print(f"months ahead/evaluate, 36 months x 10 channels: {months.ratio:.1f}")
    print(f"months simulation/evaluate, 10,000 draws x 36 months: {months_simulation.ratio:.1f}")
    for step in client_report.steps:
        print(f"report, {step.label} / evaluate: {client_report.ratio(step):.0f}")
    every = (
        ("app", latency),
        ("compare", compare),
        ("channels", channels),
        ("channels-end", channels_end),
        ("ranges", ranged),
        ("meeting", meeting),
        ("months", months_page),
        ("history", history),
        ("history-large", large_history),
    )
    for name, result in every:
        print(latency_summary(name, result))
    print("== Pages against hello, and their targets")
    pages = (
        ("cockpit (app)", latency, PAGE_TARGET),
        ("channels", channels, PAGE_TARGET),
        ("compare", compare, PAGE_TARGET),
        ("history (sample)", history, PAGE_TARGET),
        ("meeting", meeting, MEETING_TARGET),
        ("months ahead", months_page, PAGE_TARGET),
        ("cockpit with ranges", ranged, PAGE_TARGET),
    )
    print(pages_table(pages))
    print(
        "channels down to its end (the best mix's table; the row above stops at the best "
        f"mix's answer, which heads the page): page/hello {channels_end.ratio_of_medians:.2f}, "
        f"page/floor {page_over_floor(channels_end):.2f}"
    )
    print(f"history, {history_target_report(large_history)}")


def latency_summary(name: str, result: LatencyResult) -> str:
    """The ratio to hello, and the floor of a page as large as the measured one."""
    line = (
        f"{name}/hello latency: {result.ratio_of_medians:.2f} "
        f"(medians {result.app.median_ms:.0f} ms vs {result.hello.median_ms:.0f} ms)"
    )
    if result.floor is None:
        return line
    return (
        f"{line}; a page of as many elements doing nothing: {result.floor_ratio:.2f} "
        f"({result.floor.median_ms:.0f} ms, {result.elements} elements more than hello)"
    )


def page_over_floor(result: LatencyResult) -> float:
    """What the page's work adds beyond its size; a page no larger than hello has hello as
    its floor."""
    return result.app.median_ms / (result.floor or result.hello).median_ms


_COLUMNS = (
    ("page", "<20"),
    ("elements beyond hello", ">22"),
    ("page/hello", ">11"),
    ("floor/hello", ">12"),
    ("page/floor", ">11"),
    ("target", "<36"),
    ("met", "<3"),
)


def pages_table(pages: Sequence[tuple[str, LatencyResult, PageTarget]]) -> str:
    """One row per page: its size beyond hello, the three ratios, its target and whether it is
    met (ratios of medians, two decimals)."""

    def row(cells: Sequence[str]) -> str:
        return "  ".join(f"{cell:{spec}}" for cell, (_, spec) in zip(cells, _COLUMNS, strict=True))

    lines = [row([name for name, _ in _COLUMNS]).rstrip()]
    for name, result, target in pages:
        cells = (
            name,
            str(result.elements),
            f"{result.ratio_of_medians:.2f}",
            f"{result.floor_ratio or 1.0:.2f}",
            f"{page_over_floor(result):.2f}",
            target.text(),
            "yes" if target.met(result) else "no",
        )
        lines.append(row(cells).rstrip())
    return "\n".join(lines)


if __name__ == "__main__":
    main()
