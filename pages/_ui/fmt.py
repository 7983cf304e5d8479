"""Money, numbers and percentages formatted by Babel for the session's locale and currency.

Undefined numbers (None, NaN, inf) are shown as "—", never as "nan" or "inf".
"""

from __future__ import annotations

import copy
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
    get_currency_precision,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
)
from babel.units import format_unit

from pages._ui.i18n import locale_code

UNDEFINED = "—"
CURRENCIES: tuple[str, ...] = ("EUR", "USD", "MXN", "COP", "ARS", "PEN", "CLP", "BRL", "GBP")


def locale() -> Locale:
    """The Babel locale that formats the session's numbers (es_MX, pt_BR...)."""
    return _locale(locale_code())


# Parsing a locale or a pattern costs more than formatting a number with it, and a page
# formats a hundred numbers per rerun: parse each once per process.
@lru_cache(maxsize=16)
def _locale(code: str) -> Locale:
    return Locale.parse(code)


@lru_cache(maxsize=256)
def _with_places(code: str, kind: str, low: int, high: int) -> NumberPattern:
    """The locale's own pattern for money, percentages or numbers (where the sign and the
    symbol go, and with what space), showing between ``low`` and ``high`` decimals."""
    formats = {
        "money": _locale(code).currency_formats["standard"],
        "percent": _locale(code).percent_formats[None],
        "number": _locale(code).decimal_formats[None],
    }
    pattern: NumberPattern = copy.copy(formats[kind])
    pattern.frac_prec = (low, high)
    return pattern


def _defined(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


# A page formats hundreds of numbers per rerun, mostly the same ones as the run before, and
# Babel takes tens of microseconds for each: the texts are cached per value and language.
# (Adding 0.0 turns -0.0 into 0.0, which would otherwise share its cache entry.)


def money(value: float | None, currency: str, *, decimals: int | None = None) -> str:
    """``1.234,50 €`` (es_ES) / ``€1,234.50`` (en_US) / ``R$ 1.234,50`` (pt_BR), as the locale
    writes money; whole units from 1,000 up unless ``decimals`` says."""
    if not _defined(value):
        return UNDEFINED
    assert value is not None
    cents = get_currency_precision(currency)  # 0 for the Chilean peso
    places = decimals if decimals is not None else (0 if abs(value) >= 1000 else cents)
    if round(value, places) == 0:  # float noise such as -1e-12 must not show as "-€0.00"
        value = 0.0
    return _money(value + 0.0, currency, places, locale_code())


@lru_cache(maxsize=4096)
def _money(value: float, currency: str, places: int, code: str) -> str:
    pattern = _with_places(code, "money", places, places)
    return format_currency(
        value, currency, format=pattern, locale=_locale(code), currency_digits=False
    )


def number(value: float | None, *, decimals: int = 0) -> str:
    """A count or amount without currency, grouped for the locale."""
    if not _defined(value):
        return UNDEFINED
    assert value is not None
    return _number(round(value, decimals) + 0.0, decimals, locale_code())


@lru_cache(maxsize=4096)
def _number(value: float, decimals: int, code: str) -> str:
    pattern = _with_places(code, "number", 0, decimals)
    return format_decimal(value, format=pattern, locale=_locale(code))


def percent(value: float | None, *, decimals: int = 1) -> str:
    """A fraction as a percentage: 0.125 → ``12.5%`` / ``12,5 %``."""
    if not _defined(value):
        return UNDEFINED
    assert value is not None
    if round(value, decimals + 2) == 0:  # no "-0.0%"
        value = 0.0
    return _percent(value + 0.0, decimals, locale_code())


@lru_cache(maxsize=4096)
def _percent(value: float, decimals: int, code: str) -> str:
    pattern = _with_places(code, "percent", decimals, decimals)
    return format_percent(value, format=pattern, locale=_locale(code))


def ratio(value: float | None) -> str:
    """A ratio such as ROAS: ``2.35×``."""
    if not _defined(value):
        return UNDEFINED
    assert value is not None
    return _ratio(value + 0.0, locale_code())


@lru_cache(maxsize=4096)
def _ratio(value: float, code: str) -> str:
    return (
        format_decimal(value, format=_with_places(code, "number", 2, 2), locale=_locale(code)) + "×"
    )


def file_size(size: int) -> str:
    """A file's size: ``12 kB``, ``102.3 MB`` / ``102,3 MB``."""
    if size < 1e6:
        return format_unit(
            max(size / 1e3, 1), "digital-kilobyte", length="short", format="#,##0", locale=locale()
        )
    return format_unit(
        size / 1e6, "digital-megabyte", length="short", format="#,##0.#", locale=locale()
    )


def signed(text: str, value: float) -> str:
    """A formatted difference with its sign: ``+€120``; negatives carry theirs already."""
    return f"+{text}" if value > 0 and text != UNDEFINED else text


def money_template(currency: str) -> str:
    """A printf template for widgets that take one (Streamlit's sliders): the symbol where the
    locale puts it, ``€%.0f`` / ``%.0f €`` / ``R$ %.0f`` (the widget writes the digits)."""
    return money(7.0, currency, decimals=0).replace("7", "%.0f", 1)


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
