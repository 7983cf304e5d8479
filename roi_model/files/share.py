"""Share links: a whole scenario in one URL query parameter, compact, versioned, safe to parse.

A token is ``"5."`` (the link version) followed by the URL-safe base64, without padding, of the
zlib stream (level 9) of the scenario's *positional* JSON: arrays in each spec's field order
instead of objects with keys, integral numbers written without ``.0``, lenses as 0/1::

    [name, currency,
     [ad_budget, staff_hours, hourly_rate, fixed_costs],
     [like, comment, share, video_view, organic_visit, lead, order_value, gross_margin,
      support_query, follower],
     [leads, engagement, organic_traffic],
     [[name, budget_share, hours_share, cpm, saturation_spend, ..., support_queries_per_hour,
       followers, follow_rate, follower_churn, audience_ceiling, carryover], ...],
     [[tier, metric, target, by_month], ...],
     [[objective, channel, kpi, [tactic, ...], [metric, ...], tool, cadence], ...],
     [[channel, field, value, periods, source], ...],
     [[input, low, high], ...],
     [horizon, launch_costs, discount_rate, repeat_purchases, retention,
      [[from_month, ad_budget, staff_hours], ...]]]

Link version 4 (``"4."``, before the months ahead) has no last array, no follower value, no
channel fields after ``support_queries_per_hour`` and no goal ``by_month``: its links open with
those at their defaults. Link version 3 (``"3."``, before the ranges on the assumptions) is
version 4 without its last array, version 2 (before the calibration) without the last two, and
version 1 (before the measurement plan) without the last three; their links still open, with
those parts empty.

Typical token lengths (measured, without a plan): the one-channel example scenario, 200
characters; a 3-channel scenario with realistic, rounded inputs (rates like ``0.012``, CPMs like
``8.5``), about 340; an 8-channel one, about 500. With arbitrary 17-digit floats everywhere
(random scenarios of the property tests) a 3-channel scenario takes about 520 (at most ~800)
and an 8-channel one about 1,100 (at most ~1,500). A plan row written by hand adds some 60 to
100 characters. Links stay far below :data:`MAX_TOKEN_LENGTH` for any plan a client meeting
produces; a longer one is refused when the link is made, never cut.

Decoding trusts nothing: a token that is too long is refused before it is decoded; the base64
must be canonical, the zlib stream complete, checksummed, free of trailing bytes and at most
:data:`MAX_JSON_BYTES` once inflated (no decompression bombs); the JSON must have exactly the
shape above, element by element; and the scenario is then built by
:func:`~roi_model.files.scenario_file.scenario_from_dict`, so every rule of a scenario file applies.
Anything else is a :class:`LinkError`; a scenario is never half-built.

A changed, added or removed character is refused, with one harmless exception: where deflate
can spell the same bytes two ways (a back-reference to an equal earlier run, unused bits at the
end of the stream), a change that still passes the checksum decodes to the very same scenario,
never to another one. Comparing the bytes with a fresh compression would refuse those too, but
would tie links to one zlib build (zlib-ng, shipped by some systems, compresses differently).

The field lists below are the contract of link version 5. Changing a spec's fields means a new
link version (and, to keep old links working, a reader for the older ones); a test pins them.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from enum import StrEnum
from typing import Any
from urllib.parse import SplitResult, unquote_plus, urlsplit, urlunsplit

from roi_model.files.scenario_file import scenario_from_dict
from roi_model.model.errors import ScenarioError
from roi_model.model.spec import (
    MONTHS_CHANNEL_FIELDS,
    SCHEMA_VERSION,
    Calibration,
    InputRange,
    Months,
    PlanRow,
    Scenario,
)

#: The query parameter that carries the token: ``https://app.example/?s=2.eNq...``.
LINK_PARAM = "s"
#: The version written by :func:`encode_scenario`.
LINK_VERSION = 5
#: The versions :func:`decode_scenario` reads: 1 (no plan), 2 (no calibration), 3 (no ranges),
#: 4 (no months ahead) and 5.
READABLE_LINK_VERSIONS: tuple[int, ...] = (1, 2, 3, 4, 5)
#: Longer tokens are refused before decoding: browsers, chat apps and proxies cut long URLs.
MAX_TOKEN_LENGTH = 6000
#: At most this many bytes of JSON once inflated; a stream that inflates further is refused.
MAX_JSON_BYTES = 256 * 1024

# The positional layout of link version 5: the fields of each spec, in order.
INVESTMENT_FIELDS = ("ad_budget", "staff_hours", "hourly_rate", "fixed_costs")
VALUES_FIELDS = (
    "like",
    "comment",
    "share",
    "video_view",
    "organic_visit",
    "lead",
    "order_value",
    "gross_margin",
    "support_query",
    "follower",
)
LENSES_FIELDS = ("leads", "engagement", "organic_traffic")
CHANNEL_FIELDS = (
    "name",
    "budget_share",
    "hours_share",
    "cpm",
    "saturation_spend",
    "organic_impressions_per_hour",
    "like_rate",
    "comment_rate",
    "share_rate",
    "video_view_rate",
    "ctr",
    "lead_rate",
    "close_rate",
    "fit",
    "support_queries_per_hour",
    *MONTHS_CHANNEL_FIELDS,
)
GOAL_FIELDS = ("tier", "metric", "target", "by_month")
MONTHS_FIELDS = ("horizon", "launch_costs", "discount_rate", "repeat_purchases", "retention")
STEP_FIELDS = ("from_month", "ad_budget", "staff_hours")
#: What a link of version 4 or older lacks at the end of each spec's fields.
_ADDED_IN_5 = {"values": 1, "channel": len(MONTHS_CHANNEL_FIELDS), "goal": 1}
#: Fields that may be null in a link: none stands for "no limit" or "unchanged".
_NULLABLE = frozenset({"saturation_spend", "audience_ceiling", "by_month"})
PLAN_FIELDS = ("objective", "channel", "kpi", "tactics", "metrics", "tool", "cadence")
CALIBRATION_FIELDS = ("channel", "field", "value", "periods", "source")
RANGE_FIELDS = ("input", "low", "high")
#: How many top-level items a document of each link version has.
_ITEMS = {1: 7, 2: 8, 3: 9, 4: 10, 5: 11}

_TOKEN = re.compile(r"(?P<version>[0-9]+)\.(?P<payload>.*)", re.ASCII | re.DOTALL)
_PAYLOAD = re.compile(r"[A-Za-z0-9_-]+", re.ASCII)


class LinkProblem(StrEnum):
    """Why a link was refused: one member per message the app translates."""

    TOO_LONG = "too_long"
    MALFORMED = "malformed"
    VERSION = "version"
    INVALID = "invalid"


_MESSAGES: dict[LinkProblem, str] = {
    LinkProblem.TOO_LONG: "the link is too long",
    LinkProblem.MALFORMED: "the link is damaged or incomplete",
    LinkProblem.VERSION: "the link was made by another version of ROI Explorer",
    LinkProblem.INVALID: "the link's scenario is not valid",
}


class LinkError(ValueError):
    """A share link that cannot be made or opened.

    Parameters
    ----------
    problem
        What is wrong, for the app to say in the user's language.
    detail
        The specifics, in English (for logs and the command line).
    scenario_error
        For :attr:`LinkProblem.INVALID`: the rule the decoded scenario breaks.
    """

    def __init__(
        self, problem: LinkProblem, detail: str, scenario_error: ScenarioError | None = None
    ) -> None:
        self.problem = problem
        self.detail = detail
        self.scenario_error = scenario_error
        super().__init__(f"{_MESSAGES[problem]}: {detail}")


def encode_scenario(scenario: Scenario) -> str:
    """The link token of a scenario: ``"2."`` + base64url(zlib(positional JSON)).

    Raises
    ------
    LinkError
        ``TOO_LONG`` when the token would be longer than :data:`MAX_TOKEN_LENGTH` (or inflate to
        more than :data:`MAX_JSON_BYTES`): such a link could not be opened.

    Examples
    --------
    >>> from roi_model import Scenario
    >>> token = encode_scenario(Scenario())
    >>> token.startswith("5.")
    True
    >>> decode_scenario(token) == Scenario()
    True
    """
    # ASCII JSON: as short once compressed as UTF-8, and any str (even a lone surrogate) fits.
    text = json.dumps(_to_positional(scenario), separators=(",", ":"), allow_nan=False)
    data = text.encode("ascii")
    if len(data) > MAX_JSON_BYTES:
        raise LinkError(
            LinkProblem.TOO_LONG, f"{len(data)} bytes of scenario; at most {MAX_JSON_BYTES}"
        )
    payload = base64.urlsafe_b64encode(zlib.compress(data, 9)).rstrip(b"=").decode("ascii")
    token = f"{LINK_VERSION}.{payload}"
    if len(token) > MAX_TOKEN_LENGTH:
        raise LinkError(
            LinkProblem.TOO_LONG, f"{len(token)} characters; at most {MAX_TOKEN_LENGTH}"
        )
    return token


def decode_scenario(token: str) -> Scenario:
    """The scenario of a link token, fully validated, or a :class:`LinkError` saying why not.

    Raises
    ------
    LinkError
        ``TOO_LONG`` over :data:`MAX_TOKEN_LENGTH` characters; ``VERSION`` for a version
        prefix other than ``"1."`` to ``"5."``; ``MALFORMED`` for anything that
        is not such a token (no prefix, bad base64, a broken, truncated or oversized zlib
        stream, bad JSON, the wrong shape);
        ``INVALID`` for a well-formed scenario that breaks a scenario rule, with
        :attr:`LinkError.scenario_error` set.
    """
    if not isinstance(token, str):
        raise LinkError(LinkProblem.MALFORMED, f"expected a text, got {type(token).__name__}")
    if len(token) > MAX_TOKEN_LENGTH:
        raise LinkError(
            LinkProblem.TOO_LONG, f"{len(token)} characters; at most {MAX_TOKEN_LENGTH}"
        )
    match = _TOKEN.fullmatch(token)
    if match is None or match["version"].startswith("0"):
        raise LinkError(LinkProblem.MALFORMED, f'no version prefix such as "{LINK_VERSION}."')
    readable = {str(version): version for version in READABLE_LINK_VERSIONS}
    if match["version"] not in readable:
        raise LinkError(
            LinkProblem.VERSION,
            f"link version {match['version'][:12]}; this version reads " + ", ".join(readable),
        )
    data = _inflate(_unbase64(match["payload"]))
    try:
        text = data.decode("utf-8")
        parsed = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:  # bad UTF-8 or JSON, a huge integer, nesting
        raise LinkError(LinkProblem.MALFORMED, f"not valid JSON ({str(error)[:80]})") from error
    document = _from_positional(parsed, readable[match["version"]])
    try:
        return scenario_from_dict(document)
    except ScenarioError as error:
        raise LinkError(LinkProblem.INVALID, str(error), error) from error


def scenario_link(scenario: Scenario, base_url: str) -> str:
    """The app's address with the scenario's token in the ``s`` query parameter.

    ``base_url`` keeps its path, its other query parameters (byte for byte) and its fragment;
    an ``s`` parameter already there is replaced.

    Raises
    ------
    ValueError
        ``base_url`` is not an ``http://`` or ``https://`` address with a host.
    LinkError
        ``TOO_LONG``, as :func:`encode_scenario`.

    Examples
    --------
    >>> from roi_model import Scenario
    >>> link = scenario_link(Scenario(), "https://roi.example.com/app?lang=es&s=old")
    >>> link.startswith("https://roi.example.com/app?lang=es&s=5.")
    True
    """
    parts = _split_base_url(base_url)
    token = encode_scenario(scenario)
    kept = [
        item
        for item in parts.query.split("&")
        if item and unquote_plus(item.partition("=")[0]) != LINK_PARAM
    ]
    query = "&".join([*kept, f"{LINK_PARAM}={token}"])
    return urlunsplit(parts._replace(path=parts.path or "/", query=query))


def token_from_query(value: str | list[str] | None) -> str | None:
    """The token in a query parameter as Streamlit gives it, or ``None`` when there is none.

    ``st.query_params["s"]`` is a string (the last value when repeated),
    ``st.query_params.get_all("s")`` a list, and a missing parameter ``None``. The last
    non-empty value wins, as in Streamlit; surrounding whitespace (a link pasted from an email)
    is dropped.

    Examples
    --------
    >>> token_from_query(["2.abc", " 2.def\\n"])
    '2.def'
    >>> token_from_query("") is None
    True
    """
    values = [value] if isinstance(value, str) else list(value or [])
    for item in reversed(values):
        if isinstance(item, str) and item.strip():
            return item.strip()
    return None


def _split_base_url(base_url: str) -> SplitResult:
    problem = (
        f"base URL {base_url!r} is not an http:// or https:// address with a host, "
        "such as https://roi.example.com/"
    )
    # Spaces and control characters (a newline from a copied address) are never part of one.
    if not isinstance(base_url, str) or not base_url.isprintable() or " " in base_url:
        raise ValueError(problem)
    try:
        parts = urlsplit(base_url)
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError as error:
        raise ValueError(problem) from error
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(problem)
    return parts


def _number(value: float) -> float | int:
    """An integral float as an int when that is shorter: 5000.0 -> 5000, but 1e+16 stays."""
    value = float(value)  # a spec may hold an int (Investment(ad_budget=1000))
    if value.is_integer() and len(str(int(value))) < len(repr(value)):
        return int(value)
    return value


def _numbers(spec: object, names: tuple[str, ...]) -> list[Any]:
    return [None if (v := getattr(spec, name)) is None else _number(v) for name in names]


def _to_positional(scenario: Scenario) -> list[Any]:
    return [
        scenario.name,
        scenario.currency,
        _numbers(scenario.investment, INVESTMENT_FIELDS),
        _numbers(scenario.values, VALUES_FIELDS),
        [int(getattr(scenario.lenses, name)) for name in LENSES_FIELDS],
        [[c.name, *_numbers(c, CHANNEL_FIELDS[1:])] for c in scenario.channels],
        [[g.tier.value, g.metric.value, _number(g.target), g.by_month] for g in scenario.goals],
        [_plan_positional(row) for row in scenario.plan],
        [_calibration_positional(item) for item in scenario.calibration],
        [_range_positional(item) for item in scenario.uncertainty],
        _months_positional(scenario.months),
    ]


def _months_positional(months: Months) -> list[Any]:
    steps = [[step.from_month, *_numbers(step, STEP_FIELDS[1:])] for step in months.schedule]
    return [months.horizon, *_numbers(months, MONTHS_FIELDS[1:]), steps]


def _plan_positional(row: PlanRow) -> list[Any]:
    return [
        row.objective,
        row.channel,
        row.kpi,
        list(row.tactics),
        list(row.metrics),
        row.tool,
        row.cadence.value,
    ]


def _calibration_positional(item: Calibration) -> list[Any]:
    value = None if item.value is None else _number(item.value)
    return [item.channel, item.field, value, item.periods, item.source]


def _range_positional(item: InputRange) -> list[Any]:
    return [item.input, _number(item.low), _number(item.high)]


def _unbase64(payload: str) -> bytes:
    if _PAYLOAD.fullmatch(payload) is None or len(payload) % 4 == 1:
        raise LinkError(LinkProblem.MALFORMED, "not URL-safe base64")
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    except binascii.Error as error:
        raise LinkError(LinkProblem.MALFORMED, "not URL-safe base64") from error
    # Unused low bits in the last character would let two texts carry the same bytes.
    if base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != payload:
        raise LinkError(LinkProblem.MALFORMED, "not canonical URL-safe base64")
    return raw


def _inflate(raw: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(raw, MAX_JSON_BYTES + 1)  # one more tells "too much"
    except zlib.error as error:
        raise LinkError(LinkProblem.MALFORMED, f"not a zlib stream ({error})") from error
    if len(data) > MAX_JSON_BYTES:
        raise LinkError(LinkProblem.MALFORMED, f"inflates to more than {MAX_JSON_BYTES} bytes")
    if not inflater.eof:
        raise LinkError(LinkProblem.MALFORMED, "the zlib stream is cut short")
    if inflater.unused_data:
        raise LinkError(LinkProblem.MALFORMED, "bytes after the end of the zlib stream")
    return data


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


class _Shape(Exception):
    """Internal: where the positional JSON departs from the layout."""


def _from_positional(parsed: Any, version: int) -> dict[str, Any]:
    """The scenario-file object of a positional document, or MALFORMED if its shape is wrong.

    A version 1 document has no plan, a version 2 one no calibration and a version 3 one no
    ranges: they read as empty. A version 4 one has no months ahead: the scenario file object
    is then of version 4, whose reader gives those their defaults.
    """
    try:
        items = [*_items(parsed, _ITEMS[version], "scenario"), [], [], []][:10]
        name, currency, investment, values, lenses, channels, goals, plan, calibration = items[:9]
        ranges = items[9]
        old = version < 5
        document = {
            "schema_version": SCHEMA_VERSION if not old else 4,
            "name": _text(name, "name"),
            "currency": _text(currency, "currency"),
            "investment": _record(investment, INVESTMENT_FIELDS, "investment", _num),
            "values": _record(values, _fields(VALUES_FIELDS, "values", old), "values", _num),
            "lenses": _record(lenses, LENSES_FIELDS, "lenses", _flag),
            "channels": [
                _channel(item, f"channels[{i}]", _fields(CHANNEL_FIELDS, "channel", old))
                for i, item in enumerate(_array(channels, "channels"))
            ],
            "goals": [
                _goal(item, f"goals[{i}]", _fields(GOAL_FIELDS, "goal", old))
                for i, item in enumerate(_array(goals, "goals"))
            ],
            "plan": [_plan_row(item, f"plan[{i}]") for i, item in enumerate(_array(plan, "plan"))],
            "calibration": [
                _calibration(item, f"calibration[{i}]")
                for i, item in enumerate(_array(calibration, "calibration"))
            ],
            "uncertainty": [
                _range(item, f"uncertainty[{i}]")
                for i, item in enumerate(_array(ranges, "uncertainty"))
            ],
        }
        if not old:
            document["months"] = _months(parsed[10], "months")
        return document
    except _Shape as error:
        raise LinkError(LinkProblem.MALFORMED, f"unexpected content at {error}") from None


def _array(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise _Shape(where)
    return value


def _items(value: Any, count: int, where: str) -> list[Any]:
    if len(_array(value, where)) != count:
        raise _Shape(where)
    return list(value)


def _record(value: Any, names: tuple[str, ...], where: str, check: Any) -> dict[str, Any]:
    items = _items(value, len(names), where)
    return {name: check(item, f"{where}.{name}") for name, item in zip(names, items, strict=True)}


def _fields(names: tuple[str, ...], spec: str, old: bool) -> tuple[str, ...]:
    """A spec's fields in a link: without those version 5 added, in an older link."""
    return names[: len(names) - _ADDED_IN_5[spec]] if old else names


def _channel(value: Any, where: str, names: tuple[str, ...]) -> dict[str, Any]:
    name, *numbers = _items(value, len(names), where)
    channel: dict[str, Any] = {"name": _text(name, f"{where}.name")}
    for field, item in zip(names[1:], numbers, strict=True):
        channel[field] = _maybe_num(item, f"{where}.{field}", field in _NULLABLE)
    return channel


def _goal(value: Any, where: str, names: tuple[str, ...]) -> dict[str, Any]:
    tier, metric, target, *by_month = _items(value, len(names), where)
    goal: dict[str, Any] = {
        "tier": _text(tier, f"{where}.tier"),
        "metric": _text(metric, f"{where}.metric"),
        "target": _num(target, f"{where}.target"),
    }
    if by_month:
        goal["by_month"] = _maybe_num(by_month[0], f"{where}.by_month", nullable=True)
    return goal


def _months(value: Any, where: str) -> dict[str, Any]:
    *numbers, steps = _items(value, len(MONTHS_FIELDS) + 1, where)
    months: dict[str, Any] = {
        name: _num(item, f"{where}.{name}")
        for name, item in zip(MONTHS_FIELDS, numbers, strict=True)
    }
    months["schedule"] = [
        _step(item, f"{where}.schedule[{i}]") for i, item in enumerate(_array(steps, where))
    ]
    return months


def _step(value: Any, where: str) -> dict[str, Any]:
    """A schedule step, naming only the figures it changes (null in the link)."""
    items = _items(value, len(STEP_FIELDS), where)
    step = {
        name: _maybe_num(item, f"{where}.{name}", True)
        for name, item in zip(STEP_FIELDS, items, strict=True)
    }
    if step["from_month"] is None:
        raise _Shape(f"{where}.from_month")
    return {name: item for name, item in step.items() if item is not None}


def _maybe_num(value: Any, where: str, nullable: bool) -> float | int | None:
    return None if nullable and value is None else _num(value, where)


def _plan_row(value: Any, where: str) -> dict[str, Any]:
    """A plan row's texts, and its tactics and metrics as lists of texts."""
    row: dict[str, Any] = {}
    for name, item in zip(PLAN_FIELDS, _items(value, len(PLAN_FIELDS), where), strict=True):
        if name in ("tactics", "metrics"):
            listed = _array(item, f"{where}.{name}")
            row[name] = [_text(text, f"{where}.{name}[{i}]") for i, text in enumerate(listed)]
        else:
            row[name] = _text(item, f"{where}.{name}")
    return row


def _calibration(value: Any, where: str) -> dict[str, Any]:
    channel, field, number, periods, source = _items(value, len(CALIBRATION_FIELDS), where)
    return {
        "channel": _text(channel, f"{where}.channel"),
        "field": _text(field, f"{where}.field"),
        "value": None if number is None else _num(number, f"{where}.value"),
        "periods": _num(periods, f"{where}.periods"),
        "source": _text(source, f"{where}.source"),
    }


def _range(value: Any, where: str) -> dict[str, Any]:
    path, low, high = _items(value, len(RANGE_FIELDS), where)
    return {
        "input": _text(path, f"{where}.input"),
        "low": _num(low, f"{where}.low"),
        "high": _num(high, f"{where}.high"),
    }


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise _Shape(where)
    return value


def _num(value: Any, where: str) -> float | int:
    if type(value) not in (int, float):  # bool is an int subclass: refused here
        raise _Shape(where)
    return value  # type: ignore[no-any-return]


def _flag(value: Any, where: str) -> bool:
    if type(value) is not int or value not in (0, 1):
        raise _Shape(where)
    return bool(value)
