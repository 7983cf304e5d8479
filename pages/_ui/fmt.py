"""Money, numbers and percentages formatted by Babel for the session's locale and currency.

Undefined numbers (None, NaN, inf) are shown as "—", never as "nan" or "inf".
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st
from babel import Locale
from babel.dates import format_datetime
from babel.numbers import (
    NumberPattern,
    format_currency,
    format_decimal,
    format_percent,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
    parse_pattern,
)

from pages._ui.i18n import language

UNDEFINED = "—"
CURRENCIES: tuple[str, ...] = ("EUR", "USD", "MXN", "COP", "ARS", "PEN", "CLP", "GBP")
_LOCALES = {"en": "en_US", "es": "es_ES"}


def locale() -> Locale:
    """The Babel locale of the session's language."""
    return _parsed_locale(_LOCALES[language()])


# Parsing a locale or a pattern costs more than formatting a number with it, and a page
# formats a hundred numbers per rerun: parse each once per process.
@lru_cache(maxsize=8)
def _parsed_locale(code: str) -> Locale:
    return Locale.parse(code)


@lru_cache(maxsize=64)
def _pattern(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)


def _defined(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def money(value: float | None, currency: str, *, decimals: int | None = None) -> str:
    """``1.234,50 €`` / ``€1,234.50``; whole units from 1,000 up unless ``decimals`` says."""
    if not _defined(value):
        return UNDEFINED
    assert value is not None
    places = decimals if decimals is not None else (0 if abs(value) >= 1000 else 2)
    pattern = None if places == 2 else _pattern(_currency_pattern(places))
    return format_currency(
        value, currency, format=pattern, locale=locale(), currency_digits=places == 2
    )


def _currency_pattern(places: int) -> str:
    decimals = "." + "0" * places if places else ""
    return f"¤#,##0{decimals}" if language() == "en" else f"#,##0{decimals}\xa0¤"


def number(value: float | None, *, decimals: int = 0) -> str:
    """A count or amount without currency, grouped for the locale."""
    if not _defined(value):
        return UNDEFINED
    return format_decimal(
        round(value, decimals), format=_pattern(_decimal_pattern(decimals)), locale=locale()
    )


def _decimal_pattern(decimals: int) -> str:
    return "#,##0" + ("." + "#" * decimals if decimals else "")


def percent(value: float | None, *, decimals: int = 1) -> str:
    """A fraction as a percentage: 0.125 → ``12.5%`` / ``12,5 %``."""
    if not _defined(value):
        return UNDEFINED
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    if language() == "es":
        pattern = pattern.replace("%", "\xa0%")
    return format_percent(value, format=_pattern(pattern), locale=locale())


def ratio(value: float | None) -> str:
    """A ratio such as ROAS: ``2.35×``."""
    if not _defined(value):
        return UNDEFINED
    return format_decimal(value, format=_pattern("#,##0.00"), locale=locale()) + "×"


def signed(text: str, value: float) -> str:
    """A formatted difference with its sign: ``+€120``; negatives carry theirs already."""
    return f"+{text}" if value > 0 and text != UNDEFINED else text


def currency_symbol(currency: str) -> str:
    """The locale's symbol for a currency: ``€``, ``US$``/``$``, ``MXN``."""
    return get_currency_symbol(currency, locale=locale())


def chart_number_locale() -> dict[str, Any]:
    """The locale's decimal and group marks, in the form Vega's number formatting takes."""
    return {
        "decimal": get_decimal_symbol(locale()),
        "thousands": get_group_symbol(locale()),
        "grouping": [3],
        "currency": ["", ""],
    }


def datetime_text(moment: datetime) -> str:
    """A stored moment in the browser's time zone: ``Nov 23, 2026, 6:02:05 PM`` /
    ``23 nov 2026, 18:02:05``."""
    return format_datetime(
        moment, format="medium", tzinfo=_browser_zone(st.context.timezone), locale=locale()
    )


@lru_cache(maxsize=16)
def _browser_zone(name: str | None) -> tzinfo:
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC
