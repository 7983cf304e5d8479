"""``python -m benchmarks``: model, optimiser and simulation timing, then slider latency in a
real browser."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from benchmarks.channels_latency import run_channels_latency
from benchmarks.compare_latency import run_compare_latency
from benchmarks.import_timing import main as run_import_timing
from benchmarks.latency import LatencyResult, add_latency_options, app_from_args, run_latency
from benchmarks.model_timing import run_model_timing
from benchmarks.optimizer_timing import TARGET_TEXT, run_optimizer_timing, target_report
from benchmarks.report_timing import run_report_timing
from benchmarks.uncertainty_latency import run_uncertainty_latency
from benchmarks.uncertainty_timing import TARGET_TEXT as UNCERTAINTY_TARGET_TEXT
from benchmarks.uncertainty_timing import run_uncertainty_timing

SCENARIOS_TEXT = "6 saved scenarios x 8 channels"


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
    print("== Report: the client's report, each format vs one evaluate", flush=True)
    client_report = run_report_timing()
    print(client_report.report())
    print("== Import: read_history vs pd.read_csv(engine='pyarrow'), same file", flush=True)
    run_import_timing()
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
    print(f"== Cockpit with ranges: budget slider -> headline redrawn ({args.rounds} rounds)")
    ranged = run_uncertainty_latency(args.rounds, args.warmup)
    print(ranged.report())
    print("== Summary")
    for timing in timings:
        print(f"model/pandas, {timing.channels:>2} channel(s): {timing.ratio:.1f}")
    for each in optimizer:
        print(f"optimiser/evaluate, {each.channels:>2} channels: {each.ratio:.1f}")
    print(f"optimiser {target_report(optimizer)}")
    print(f"simulate/evaluate, 10 channels: {uncertainty.ratio:.1f}")
    print(f"simulate {uncertainty.target_report()}")
    for step in client_report.steps:
        print(f"report, {step.label} / evaluate: {client_report.ratio(step):.0f}")
    every = (("app", latency), ("compare", compare), ("channels", channels), ("ranges", ranged))
    for name, result in every:
        print(latency_summary(name, result))


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


if __name__ == "__main__":
    main()
