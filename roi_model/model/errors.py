"""The one error type the model raises for bad input.

Every error names the field, echoes the value and says what is allowed, in English for logs and
the command line; ``rule`` and ``limits`` let the app say the same in the user's language.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Rule(StrEnum):
    """Why a value was refused: one member per kind of message the app translates."""

    NOT_NEGATIVE = "not_negative"
    FRACTION = "fraction"
    POSITIVE = "positive"
    POSITIVE_OR_NULL = "positive_or_null"
    FINITE = "finite"
    CPM_WITH_SPEND = "cpm_with_spend"
    BUDGET_WITHOUT_SHARE = "budget_without_share"
    HOURS_WITHOUT_SHARE = "hours_without_share"
    NON_EMPTY = "non_empty"
    UNIQUE = "unique"
    ONE_OF = "one_of"
    CURRENCY = "currency"
    AT_LEAST_ONE = "at_least_one"
    MALFORMED_JSON = "malformed_json"
    UNKNOWN_FIELD = "unknown_field"
    MISSING_FIELD = "missing_field"
    WRONG_TYPE = "wrong_type"
    SCHEMA_VERSION = "schema_version"
    UNREADABLE = "unreadable"
    RANGE_ORDER = "range_order"
    RANGE_EXCLUDES_VALUE = "range_excludes_value"
    BELOW_ONE = "below_one"
    MONTH = "month"
    ORDER = "order"
    ABOVE_CEILING = "above_ceiling"
    BELOW_AUDIENCE = "below_audience"


_ALLOWED: dict[Rule, str] = {
    Rule.NOT_NEGATIVE: "a number >= 0",
    Rule.FRACTION: "a fraction between 0 and 1",
    Rule.POSITIVE: "a number > 0",
    Rule.POSITIVE_OR_NULL: "a number > 0, or null for no saturation",
    Rule.FINITE: "a finite number",
    Rule.CPM_WITH_SPEND: "a CPM > 0 on a channel that gets ad spend",
    Rule.BUDGET_WITHOUT_SHARE: "a budget share > 0 on at least one channel when the budget is > 0",
    Rule.HOURS_WITHOUT_SHARE: "an hours share > 0 on at least one channel when staff hours are > 0",
    Rule.NON_EMPTY: "a non-empty text",
    Rule.UNIQUE: "a name no other channel has",
    Rule.ONE_OF: "one of: {options}",
    Rule.CURRENCY: "a three-letter ISO 4217 code such as EUR",
    Rule.AT_LEAST_ONE: "at least one channel",
    Rule.MALFORMED_JSON: "valid JSON",
    Rule.UNKNOWN_FIELD: "only the fields: {options}",
    Rule.MISSING_FIELD: "the field to be present",
    Rule.WRONG_TYPE: "{options}",
    Rule.SCHEMA_VERSION: "schema_version {options}",
    Rule.UNREADABLE: "a readable UTF-8 file",
    Rule.RANGE_ORDER: "a high end at least the low end ({options})",
    Rule.RANGE_EXCLUDES_VALUE: "a range that holds today's value {options}",
    Rule.BELOW_ONE: "a fraction from 0 up to, but not including, 1",
    Rule.MONTH: "a whole number of months from {options}",
    Rule.ORDER: "months in increasing order, after {options}",
    Rule.ABOVE_CEILING: "an audience at most the channel's ceiling ({options})",
    Rule.BELOW_AUDIENCE: "a ceiling at least the channel's audience ({options})",
}


class ScenarioError(ValueError):
    """A scenario field (or file) that cannot be accepted.

    Parameters
    ----------
    field
        Dotted path of the field, e.g. ``channels[2].cpm``; empty for the whole file.
    value
        The value refused (echoed in the message).
    rule
        Which rule it breaks.
    options
        What is allowed, when the rule has a list (field names, enum members, a version).
    """

    def __init__(self, field: str, value: Any, rule: Rule, options: str = "") -> None:
        self.field = field
        self.value = value
        self.rule = rule
        self.options = options
        allowed = _ALLOWED[rule].format(options=options)
        where = field or "file"
        super().__init__(f"{where} = {value!r}: expected {allowed}")
