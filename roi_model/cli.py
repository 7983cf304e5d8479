"""Command line for scripts and batch work: ``python -m roi_model evaluate FILE.json``."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO, cast

from roi_model.cli_team import TEAM_COMMANDS, add_team_parsers
from roi_model.files.assumptions import SAMPLE_DATA, load_presets
from roi_model.files.imports import ImportRefused, read_history
from roi_model.files.scenario_file import has_months, load_scenario
from roi_model.files.share import LinkError, scenario_link
from roi_model.model.break_even import break_even
from roi_model.model.errors import ScenarioError
from roi_model.model.evaluate import evaluate
from roi_model.model.months import project
from roi_model.model.months_uncertainty import simulate_months
from roi_model.model.optimize import optimize_mix
from roi_model.model.report import evaluation_to_dict, json_number
from roi_model.model.spec import InputRange, Scenario
from roi_model.model.uncertainty import DEFAULT_DRAWS, sensitivity, simulate
from roi_model.report import FORMATS, ReportFormat, rendered
from roi_model.report.build import scenario_report
from roi_model.report.comparison import comparison_report
from roi_model.store import StoreError
from roi_model.words import LANGUAGES, Words, words_for


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m roi_model",
        description="Evaluate social media marketing scenarios (scenario files, JSON).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    evaluate_cmd = commands.add_parser(
        "evaluate", help="print every figure of a scenario file's month as JSON"
    )
    evaluate_cmd.add_argument("file", help="a scenario file (JSON, schema_version 1 to 3)")
    break_even_cmd = commands.add_parser(
        "break-even", help="print the value of one input at which the ROI is 0, as JSON"
    )
    break_even_cmd.add_argument("file", help="a scenario file (JSON, schema_version 1 to 3)")
    break_even_cmd.add_argument(
        "--input", required=True, help="e.g. values.order_value or channels[*].close_rate"
    )
    break_even_cmd.add_argument("--objective", choices=("financial", "full"), default="financial")
    optimize_cmd = commands.add_parser(
        "optimize", help="print the split of the budget across channels with the most return"
    )
    optimize_cmd.add_argument("file", help="a scenario file (JSON, schema_version 1 to 3)")
    optimize_cmd.add_argument("--objective", choices=("financial", "full"), default="financial")
    optimize_cmd.add_argument(
        "--budget", help="the monthly ad budget to split (default: the file's ad_budget)"
    )
    link_cmd = commands.add_parser(
        "link", help="print a link that opens the app with a scenario file loaded"
    )
    link_cmd.add_argument("file", help="a scenario file (JSON, schema_version 1 to 3)")
    link_cmd.add_argument(
        "--base-url", required=True, help="the app's address, e.g. https://roi.example.com/"
    )
    simulate_cmd = commands.add_parser(
        "simulate", help="draw the file's ranges many times; print percentiles and a tornado"
    )
    simulate_cmd.add_argument("file", help="a scenario file (JSON, schema_version 1 to 5)")
    simulate_cmd.add_argument(
        "--draws", default=str(DEFAULT_DRAWS), help=f"how many draws (default {DEFAULT_DRAWS})"
    )
    simulate_cmd.add_argument("--seed", default="0", help="the random seed (default 0)")
    simulate_cmd.add_argument(
        "--range",
        action="append",
        default=[],
        metavar="PATH=LOW:HIGH",
        help="a range on one input, e.g. values.order_value=80:150 (adds to or replaces the "
        "file's range on that input; repeatable)",
    )
    months_cmd = commands.add_parser(
        "months", help="print the months ahead of a scenario file as JSON: returns, payback, NPV"
    )
    months_cmd.add_argument("file", help="a scenario file (JSON, schema_version 1 to 5)")
    months_cmd.add_argument("--horizon", help="how many months, 1 to 60 (default: the file's)")
    _add_report_parser(commands)
    import_cmd = commands.add_parser(
        "import", help="read a CSV/xlsx export of past campaigns and print its summary as JSON"
    )
    import_cmd.add_argument("file", help="a platform export (CSV or xlsx)")
    import_cmd.add_argument("--channel", help="the channel of a file without a channel column")
    import_cmd.add_argument("--json", action="store_true", help="print JSON (the default)")
    add_team_parsers(commands)
    return parser


def _add_report_parser(commands: Any) -> None:
    report_cmd = commands.add_parser(
        "report",
        help="write the client's report of a scenario file, or of a comparison (HTML, PDF, xlsx)",
    )
    report_cmd.add_argument("file", nargs="?", help="a scenario file (JSON, schema_version 1 to 4)")
    report_cmd.add_argument(
        "--compare", nargs="+", metavar="FILE", help="the scenario files to compare instead"
    )
    report_cmd.add_argument(
        "--base", default="1", help="which of --compare's files is the base, from 1 (default 1)"
    )
    report_cmd.add_argument("--lang", choices=tuple(LANGUAGES), default="en")
    report_cmd.add_argument("--locale", help="e.g. es_MX (default: the language's first)")
    report_cmd.add_argument("--currency", help="an ISO 4217 code (default: the file's)")
    report_cmd.add_argument("--format", choices=FORMATS, help="default: from OUT's extension")
    report_cmd.add_argument("--client", default="", help="the client's name for the title")
    report_cmd.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="the file to write"
    )


def _evaluate_command(args: argparse.Namespace) -> dict[str, Any]:
    return evaluation_to_dict(evaluate(load_scenario(args.file)))


def _break_even_command(args: argparse.Namespace) -> dict[str, Any]:
    result = break_even(load_scenario(args.file), args.input, args.objective)
    return {
        "input": result.path,
        "objective": args.objective,
        "current": json_number(result.current),
        "break_even": None if result.value is None else json_number(result.value),
        "exact": result.exact,
    }


class _OptionError(ValueError):
    """Bad input that is not the file's fault: the message names the option instead."""

    def __init__(self, option: str, message: str) -> None:
        self.option = option
        super().__init__(message)


def _optimize_command(args: argparse.Namespace) -> dict[str, Any]:
    scenario = load_scenario(args.file)
    budget = None if args.budget is None else _budget_option(args.budget)
    return optimize_mix(scenario, args.objective, budget=budget).to_dict()


def _budget_option(text: str) -> float:
    """``--budget`` as an amount; checked here so that the message names the option."""
    try:
        budget = float(text)
    except ValueError:
        budget = math.nan
    if not (math.isfinite(budget) and budget >= 0):
        raise _OptionError("--budget", f"expected a number >= 0, got {text!r}")
    return budget


def _simulate_command(args: argparse.Namespace) -> dict[str, Any]:
    scenario = load_scenario(args.file)
    draws = _whole_option("--draws", args.draws, 1)
    seed = _whole_option("--seed", args.seed, 0)
    ranged = _with_ranges(scenario, args.range)
    figures = simulate(ranged, draws, seed).to_dict(sensitivity(ranged))
    on_months = any(item.input.startswith("months.") for item in ranged.uncertainty)
    if has_months(args.file) or on_months:  # a horizon, or ranges on it: the months ahead too
        figures["months"] = simulate_months(ranged, draws, seed).to_dict()
    return figures


def _months_command(args: argparse.Namespace) -> dict[str, Any]:
    scenario = load_scenario(args.file)
    horizon = None if args.horizon is None else _horizon_option(args.horizon)
    try:
        return project(scenario, horizon).to_dict()
    except ScenarioError as error:  # the file is valid: only the option can be out of range
        raise _OptionError("--horizon", str(error)) from error


def _horizon_option(text: str) -> int:
    """A whole number; whether it lies in 1 to 60 is the model's to say, in one message."""
    try:
        return int(text)
    except ValueError:
        raise _OptionError(
            "--horizon", f"expected a whole number of months, got {text!r}"
        ) from None


def _whole_option(option: str, text: str, least: int) -> int:
    """A whole-number option, checked here so that the message names the option."""
    try:
        number = int(text)
    except ValueError:
        number = least - 1
    if number < least:
        raise _OptionError(option, f"expected a whole number >= {least}, got {text!r}")
    return number


def _with_ranges(scenario: Scenario, texts: Sequence[str]) -> Scenario:
    """The scenario with each ``--range PATH=LOW:HIGH`` added, or replacing the file's."""
    ranges = {item.input: item for item in scenario.uncertainty}
    for text in texts:
        path, _, ends = text.partition("=")
        low, _, high = ends.partition(":")
        try:
            item = InputRange(path.strip(), float(low), float(high))
            replace(scenario, uncertainty=(item,))  # checked alone, so the message is its own
        except ScenarioError as error:
            field = error.field.removeprefix("uncertainty[0].")
            message = str(ScenarioError(field, error.value, error.rule, error.options))
            raise _OptionError("--range", f"{text}: {message}") from error
        except ValueError as error:
            expected = "expected PATH=LOW:HIGH, e.g. values.order_value=80:150"
            raise _OptionError("--range", f"{text}: {expected}") from error
        ranges[item.input] = item
    try:
        return replace(scenario, uncertainty=tuple(ranges.values()))
    except ScenarioError as error:  # e.g. channels[0].ctr beside the file's channels[*].ctr
        raise _OptionError("--range", str(error)) from error


def _link_command(args: argparse.Namespace) -> str:
    scenario = load_scenario(args.file)
    try:
        return scenario_link(scenario, args.base_url)
    except LinkError:  # the scenario's link would be too long: the file's fault
        raise
    except ValueError as error:
        raise _OptionError("--base-url", str(error)) from error


def _import_command(args: argparse.Namespace) -> dict[str, Any]:
    """``import`` is a Python keyword, hence the name; refusals become ValueErrors below."""
    try:
        return read_history(Path(args.file), channel=args.channel).to_dict()
    except OSError as error:
        raise ValueError(f"cannot read the file ({error.strerror})") from error
    except ImportRefused as refusal:
        raise ValueError(refusal.reason) from refusal


def _report_command(args: argparse.Namespace) -> str:
    """Write the report to ``--output`` and print where it went."""
    words = _report_words(args.lang, args.locale)
    form = _report_format(args.format, args.output)
    made_on = datetime.now().astimezone()
    if args.compare:
        if args.file is not None:
            raise _OptionError("--compare", "give either FILE or --compare A.json B.json …")
        scenarios = [_in_currency(_loaded(path), args.currency) for path in args.compare]
        base = _whole_option("--base", args.base, 1) - 1
        if base >= len(scenarios):
            raise _OptionError("--base", f"expected 1 to {len(scenarios)}, got {args.base}")
        labels = _labels([s.name for s in scenarios])
        document = comparison_report(
            scenarios, labels, words, made_on=made_on, base=base, client=args.client
        )
    elif args.file is None:
        raise _OptionError("report", "give a scenario FILE, or --compare A.json B.json …")
    else:
        scenario = _in_currency(load_scenario(args.file), args.currency)
        document = scenario_report(
            scenario, words, made_on=made_on, client=args.client, preset=_preset_named(scenario)
        )
    try:
        Path(args.output).write_bytes(rendered(document, form))
    except OSError as error:
        raise _OptionError("--output", f"cannot write {args.output} ({error.strerror})") from error
    return str(args.output)


def _report_words(language: str, locale: str | None) -> Words:
    if locale is not None and locale not in LANGUAGES[language].locales:
        known = ", ".join(LANGUAGES[language].locales)
        raise _OptionError("--locale", f"{locale} is not one of {language}'s: {known}")
    return words_for(language, locale)


def _report_format(form: str | None, output: str) -> ReportFormat:
    if form is not None:
        return cast(ReportFormat, form)
    suffix = Path(output).suffix.lower().lstrip(".")
    if suffix in ("htm", "html"):
        return "html"
    if suffix in FORMATS:
        return suffix
    raise _OptionError("--format", f"say html, pdf or xlsx (OUT ends in {suffix or 'nothing'})")


def _preset_named(scenario: Scenario) -> Scenario | None:
    """The preset of the scenario's name, if one is: its figures are then cited as the
    preset's rather than as the consultant's."""
    presets = load_presets(SAMPLE_DATA / "presets")
    return next((p for p in presets.values() if p.name == scenario.name), None)


def _loaded(path: str) -> Scenario:
    """A scenario file of ``--compare``, its errors naming the file."""
    try:
        return load_scenario(path)
    except (ScenarioError, ValueError) as error:
        raise _OptionError(path, str(error)) from error


def _in_currency(scenario: Scenario, currency: str | None) -> Scenario:
    if currency is None:
        return scenario
    try:
        return replace(scenario, currency=currency)
    except ScenarioError as error:
        raise _OptionError("--currency", str(error)) from error


def _labels(names: Sequence[str]) -> list[str]:
    """The scenarios' names, numbered where two are alike (a comparison needs them apart)."""
    seen: dict[str, int] = {}
    labels = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        labels.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return labels


_COMMANDS: dict[str, Callable[[argparse.Namespace], dict[str, Any] | list[Any] | str]] = {
    "evaluate": _evaluate_command,
    "break-even": _break_even_command,
    "optimize": _optimize_command,
    "link": _link_command,
    "simulate": _simulate_command,
    "months": _months_command,
    "import": _import_command,
    "report": _report_command,
    **TEAM_COMMANDS,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; bad input prints one line on stderr and exits 2.

    Commands print JSON, except ``link``, which prints the link alone on one line, and
    ``scenarios save``, which prints the new scenario's id alone.
    """
    args = build_parser().parse_args(argv)
    command = _COMMANDS[args.command]
    try:
        output = command(args)
    except (ScenarioError, ValueError) as error:
        subject = error.option if isinstance(error, _OptionError) else _subject(args)
        _write(sys.stderr, f"error: {subject}: {error}\n")
        return 2
    except StoreError as error:  # its message names the problem and whom it concerns
        _write(sys.stderr, f"error: {error}\n")
        return 2
    try:
        text = output if isinstance(output, str) else _json_text(output, sys.stdout)
        _write(sys.stdout, text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # piped into `head`: the reader has what it wanted
        sys.stderr.close()
    return 0


def _subject(args: argparse.Namespace) -> str:
    """What a refusal is about: the file, or the command of those that read none (users)."""
    return str(getattr(args, "file", None) or args.command)


def _encoding(stream: TextIO) -> str:
    return getattr(stream, "encoding", None) or "utf-8"


def _write(stream: TextIO, text: str) -> None:
    """Write ``text`` whatever the stream's encoding can hold: what it cannot (a lone
    surrogate from a file name, "ñ" on an ASCII console) becomes a backslash escape."""
    encoding = _encoding(stream)
    stream.write(text.encode(encoding, "backslashreplace").decode(encoding))


def _json_text(output: dict[str, Any] | list[Any], stream: TextIO) -> str:
    """The output as JSON, readable when the stream can encode it, else all in JSON's ASCII
    escapes (a backslash escape of an emoji, ``\\U0001f600``, would not be JSON)."""
    text = json.dumps(output, ensure_ascii=False, indent=2, allow_nan=False)
    try:
        text.encode(_encoding(stream))
    except UnicodeEncodeError:  # a lone surrogate, or a console that cannot show the text
        return json.dumps(output, ensure_ascii=True, indent=2, allow_nan=False)
    return text
