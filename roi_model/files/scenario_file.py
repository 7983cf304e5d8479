"""Scenario files: the JSON that users keep and scripts read (``schema_version: 5``).

The field names are a public contract. Reading is strict: malformed JSON, a field too many or
too few, or a value of the wrong type is a :class:`ScenarioError` that says where and why.

Version 2 added ``plan``, the measurement plan: a list of objects with the fields of
:class:`~roi_model.model.spec.PlanRow` (``tactics`` and ``metrics`` are lists of texts, ``cadence``
one of ``daily``, ``weekly``, ``biweekly``, ``monthly``, ``quarterly``).

Version 3 added ``calibration``: the figures taken from a history of past campaigns, a list of
objects with the fields of :class:`~roi_model.model.spec.Calibration` (``channel``, ``field``,
``value``, ``periods``, ``source``).

Version 4 added ``uncertainty``: ranges on the assumptions, a list of objects with the fields of
:class:`~roi_model.model.spec.InputRange` (``input``, a path such as ``values.order_value`` or
``channels[*].close_rate``; ``low`` and ``high``, around today's value).

Version 5 added the months ahead: the block ``months`` (``horizon``, ``launch_costs``,
``discount_rate``, ``repeat_purchases``, ``retention`` and ``schedule``, a list of
``{"from_month", "ad_budget"?, "staff_hours"?}``), each channel's ``followers``,
``follow_rate``, ``follower_churn``, ``audience_ceiling`` and ``carryover``, the value of a new
follower (``values.follower``) and a goal's ``by_month`` (null for a monthly target).

Older files are still read, with the newer parts empty (or at their defaults); a field of a
newer version in an older file is an unknown field. Files are always written in the newest version.

A text holding a lone surrogate (``"\\ud800"`` is valid JSON, but no UTF-8 text, SQLite database
or browser can hold it) is read with U+FFFD, the replacement character, in its place; the rest of
the file is kept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

from roi_model.model.errors import Rule, ScenarioError
from roi_model.model.spec import (
    MONTHS_CHANNEL_FIELDS,
    READABLE_SCHEMA_VERSIONS,
    SCHEMA_VERSION,
    ActionValues,
    Calibration,
    Channel,
    Goal,
    InputRange,
    Investment,
    Lenses,
    Months,
    PlanRow,
    Scenario,
    ScheduleStep,
    field_prefix,
)

_TOP_LEVEL_V1 = (
    "schema_version",
    "name",
    "currency",
    "investment",
    "values",
    "lenses",
    "channels",
    "goals",
)
#: The top-level fields of each readable schema version, in the documented order.
_TOP_LEVEL: dict[int, tuple[str, ...]] = {
    1: _TOP_LEVEL_V1,
    2: (*_TOP_LEVEL_V1, "plan"),
    3: (*_TOP_LEVEL_V1, "plan", "calibration"),
    4: (*_TOP_LEVEL_V1, "plan", "calibration", "uncertainty"),
    5: (*_TOP_LEVEL_V1, "plan", "calibration", "uncertainty", "months"),
}
#: The fields version 5 added to specs that older files already had.
_ADDED_IN_5: dict[type[Any], tuple[str, ...]] = {
    Channel: MONTHS_CHANNEL_FIELDS,
    ActionValues: ("follower",),
    Goal: ("by_month",),
}
_MONTHS_FIELDS = tuple(f.name for f in fields(Months))
_STEP_FIELDS = tuple(f.name for f in fields(ScheduleStep))


def scenario_from_dict(data: Any) -> Scenario:
    """Build a validated scenario from the parsed JSON of a scenario file (version 1 to 4).

    The version is checked before the fields, so that a newer file is refused for being newer
    rather than for a field this version does not know.
    """
    data = _without_lone_surrogates(data)
    version = _file_version(data)
    _check_keys("", data, _TOP_LEVEL[version])
    return Scenario(
        name=data["name"],
        currency=data["currency"],
        investment=_spec_from(Investment, data["investment"], "investment."),
        values=_spec_from(ActionValues, data["values"], "values.", version),
        lenses=_spec_from(Lenses, data["lenses"], "lenses."),
        channels=tuple(
            _spec_from(Channel, item, f"channels[{i}].", version)
            for i, item in enumerate(_as_list("channels", data["channels"]))
        ),
        goals=tuple(
            _spec_from(Goal, item, f"goals[{i}].", version)
            for i, item in enumerate(_as_list("goals", data["goals"]))
        ),
        plan=tuple(
            _spec_from(PlanRow, item, f"plan[{i}].")
            for i, item in enumerate(_as_list("plan", data.get("plan", [])))
        ),
        calibration=tuple(
            _spec_from(Calibration, item, f"calibration[{i}].")
            for i, item in enumerate(_as_list("calibration", data.get("calibration", [])))
        ),
        uncertainty=tuple(
            _spec_from(InputRange, item, f"uncertainty[{i}].")
            for i, item in enumerate(_as_list("uncertainty", data.get("uncertainty", [])))
        ),
        months=_months_from(data["months"]) if "months" in data else Months(),
    )


def _months_from(data: Any) -> Months:
    _check_keys("months", data, _MONTHS_FIELDS)
    steps = [
        _step_from(item, f"months.schedule[{i}]")
        for i, item in enumerate(_as_list("months.schedule", data["schedule"]))
    ]
    numbers = {name: _as_float(data[name]) for name in _MONTHS_FIELDS if name != "schedule"}
    with field_prefix("months."):
        return Months(**numbers, schedule=tuple(steps))


def _step_from(data: Any, where: str) -> ScheduleStep:
    """A schedule step: ``from_month`` and the figures it changes (each may be left out)."""
    if not isinstance(data, Mapping):
        raise ScenarioError(where, _short(data), Rule.WRONG_TYPE, "an object {...}")
    for key in data:
        if key not in _STEP_FIELDS:
            options = ", ".join(_STEP_FIELDS)
            raise ScenarioError(f"{where}.{key}", data[key], Rule.UNKNOWN_FIELD, options)
    if "from_month" not in data:
        raise ScenarioError(f"{where}.from_month", None, Rule.MISSING_FIELD)
    with field_prefix(where + "."):
        return ScheduleStep(**{key: _as_float(value) for key, value in data.items()})


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """The scenario file's JSON object, fields in the documented order."""
    return {
        "schema_version": SCHEMA_VERSION,
        "name": scenario.name,
        "currency": scenario.currency,
        "investment": _spec_to_dict(scenario.investment),
        "values": _spec_to_dict(scenario.values),
        "lenses": _spec_to_dict(scenario.lenses),
        "channels": [_spec_to_dict(channel) for channel in scenario.channels],
        "goals": [_spec_to_dict(goal) for goal in scenario.goals],
        "plan": [_plan_row_to_dict(row) for row in scenario.plan],
        "calibration": [_spec_to_dict(item) for item in scenario.calibration],
        "uncertainty": [_spec_to_dict(item) for item in scenario.uncertainty],
        "months": _months_to_dict(scenario.months),
    }


def _months_to_dict(months: Months) -> dict[str, Any]:
    """The months block; a schedule step names only the figures it changes."""
    steps = [
        {key: value for key, value in _spec_to_dict(step).items() if value is not None}
        for step in months.schedule
    ]
    return _spec_to_dict(months) | {"schedule": steps}


def scenario_from_json(text: str) -> Scenario:
    """Parse a scenario file's text; malformed JSON names the line and column."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}: {error.msg}"
        raise ScenarioError("", where, Rule.MALFORMED_JSON) from error
    except (ValueError, RecursionError) as error:  # an integer too long to parse, deep nesting
        raise ScenarioError("", str(error)[:80], Rule.MALFORMED_JSON) from error
    return scenario_from_dict(data)


def scenario_to_json(scenario: Scenario) -> str:
    """The scenario file's text: UTF-8 friendly, indented for people to read and diff."""
    return json.dumps(scenario_to_dict(scenario), ensure_ascii=False, indent=2) + "\n"


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario file; an unreadable or non-UTF-8 file is a :class:`ScenarioError`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError("", str(path), Rule.UNREADABLE) from error
    return scenario_from_json(text)


def has_months(path: str | Path) -> bool:
    """Whether a scenario file (already read by :func:`load_scenario`) has a ``months``
    block: a horizon of its own, where files before version 5 have only the month."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return isinstance(data, dict) and isinstance(data.get("months"), dict)


def save_scenario(scenario: Scenario, path: str | Path) -> None:
    """Write a scenario file."""
    Path(path).write_text(scenario_to_json(scenario), encoding="utf-8")


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # a pair in JSON is one character once parsed
_DEEPEST = 8  # a scenario file nests four levels; anything deeper is refused by its type


def _without_lone_surrogates(data: Any, depth: int = 0) -> Any:
    """Parsed JSON with U+FFFD in place of each lone surrogate of its texts and keys."""
    if isinstance(data, str):
        return _LONE_SURROGATE.sub("\ufffd", data)
    if depth >= _DEEPEST:
        return data
    if isinstance(data, list):
        return [_without_lone_surrogates(item, depth + 1) for item in data]
    if isinstance(data, dict):
        return {
            _without_lone_surrogates(key, depth + 1): _without_lone_surrogates(item, depth + 1)
            for key, item in data.items()
        }
    return data


def _spec_from(spec: type[Any], data: Any, prefix: str, version: int = SCHEMA_VERSION) -> Any:
    """A spec from its JSON object: exactly the fields of the file's version (those added
    later take their defaults)."""
    added = _ADDED_IN_5.get(spec, ()) if version < 5 else ()
    names = tuple(f.name for f in fields(spec) if f.name not in added)
    _check_keys(prefix.rstrip("."), data, names)
    with field_prefix(prefix):
        return spec(**{name: _as_float(data[name]) for name in names})


def _spec_to_dict(spec: Any) -> dict[str, Any]:
    return {f.name: getattr(spec, f.name) for f in fields(spec)}


def _plan_row_to_dict(row: PlanRow) -> dict[str, Any]:
    """Plain JSON values: lists for the tuples, the cadence as its text."""
    return _spec_to_dict(row) | {
        "tactics": list(row.tactics),
        "metrics": list(row.metrics),
        "cadence": row.cadence.value,
    }


def _check_keys(where: str, data: Any, names: tuple[str, ...]) -> None:
    """Exactly the documented fields: a typo must not silently become a default."""
    if not isinstance(data, Mapping):
        raise ScenarioError(where, _short(data), Rule.WRONG_TYPE, "an object {...}")
    prefix = f"{where}." if where else ""
    for key in data:
        if key not in names:
            raise ScenarioError(prefix + str(key), data[key], Rule.UNKNOWN_FIELD, ", ".join(names))
    for name in names:
        if name not in data:
            raise ScenarioError(prefix + name, None, Rule.MISSING_FIELD)


def _file_version(data: Any) -> int:
    """The version whose fields a file must have: its own, or today's when it states none."""
    if not isinstance(data, Mapping) or "schema_version" not in data:
        return SCHEMA_VERSION
    _check_schema_version(data["schema_version"])
    return int(data["schema_version"])


def _check_schema_version(version: Any) -> None:
    readable = READABLE_SCHEMA_VERSIONS
    if isinstance(version, bool) or not isinstance(version, int | float) or version not in readable:
        raise ScenarioError(
            "schema_version", version, Rule.SCHEMA_VERSION, ", ".join(map(str, readable))
        )


def _as_list(where: str, data: Any) -> list[Any]:
    if not isinstance(data, list):
        raise ScenarioError(where, _short(data), Rule.WRONG_TYPE, "a list [...]")
    return data


def _as_float(value: Any) -> Any:
    """JSON integers become floats so that equal scenarios compare and hash equal."""
    if not isinstance(value, int) or isinstance(value, bool):
        return value
    try:
        return float(value)
    except OverflowError:  # an integer beyond float range is refused as not finite
        return float("inf") if value > 0 else float("-inf")


def _short(value: Any) -> Any:
    text = repr(value)
    return value if len(text) <= 60 else text[:57] + "..."
