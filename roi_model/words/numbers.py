"""Money, numbers, percentages and dates written by Babel for a given locale.

Undefined numbers (None, NaN, inf) are written "—", never "nan" or "inf". The pages call these
through ``pages/_ui/fmt.py`` with the session's locale; the report calls them through
:class:`roi_model.words.Words`.
"""

from __future__ import annotations

import copy
import math
from datetime import datetime, tzinfo
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import (
    NumberPattern,
    format_currency,
    format_decimal,
    format_percent,
    get_currency_precision,
    get_currency_symbol,
)

UNDEFINED = "—"


# Parsing a locale or a pattern costs more than formatting a number with it, and a page
# formats a hundred numbers per rerun: parse each once per process.
@lru_cache(maxsize=16)
def parsed_locale(code: str) -> Locale:
    """The Babel locale of a code such as ``es_MX``."""
    return Locale.parse(code)


@lru_cache(maxsize=256)
def _with_places(code: str, kind: str, low: int, high: int) -> NumberPattern:
    """The locale's own pattern for money, percentages or numbers (where the sign and the
    symbol go, and with what space), showing between ``low`` and ``high`` decimals."""
    formats = {
        "money": parsed_locale(code).currency_formats["standard"],
        "percent": parsed_locale(code).percent_formats[None],
        "number": parsed_locale(code).decimal_formats[None],
    }
    pattern: NumberPattern = copy.copy(formats[kind])
    pattern.frac_prec = (low, high)
    return pattern


def defined(value: float | None) -> bool:
    """Whether a number can be written (not None, NaN or infinite)."""
    return value is not None and math.isfinite(value)


# Texts are cached per value and locale: Babel takes tens of microseconds for each, and a page
# formats mostly the same numbers as the run before. (Adding 0.0 turns -0.0 into 0.0, which
# would otherwise share its cache entry.)


def money(value: float | None, currency: str, code: str, *, decimals: int | None = None) -> str:
    """``1.234,50 €`` (es_ES) / ``€1,234.50`` (en_US) / ``R$ 1.234,50`` (pt_BR), as the locale
    writes money; whole units from 1,000 up unless ``decimals`` says."""
    if not defined(value):
        return UNDEFINED
    assert value is not None
    places = money_places(value, currency, decimals)
    if round(value, places) == 0:  # float noise such as -1e-12 must not show as "-€0.00"
        value = 0.0
    return _money(value + 0.0, currency, places, code)


def money_places(value: float, currency: str, decimals: int | None = None) -> int:
    """The decimals money is written with: the currency's own (0 for the Chilean peso), none
    from 1,000 up, unless ``decimals`` says."""
    if decimals is not None:
        return decimals
    return 0 if abs(value) >= 1000 else get_currency_precision(currency)


@lru_cache(maxsize=4096)
def _money(value: float, currency: str, places: int, code: str) -> str:
    pattern = _with_places(code, "money", places, places)
    return format_currency(
        value, currency, format=pattern, locale=parsed_locale(code), currency_digits=False
    )


def number(value: float | None, code: str, *, decimals: int = 0) -> str:
    """A count or amount without currency, grouped for the locale."""
    if not defined(value):
        return UNDEFINED
    assert value is not None
    return _number(round(value, decimals) + 0.0, decimals, code)


@lru_cache(maxsize=4096)
def _number(value: float, decimals: int, code: str) -> str:
    pattern = _with_places(code, "number", 0, decimals)
    return format_decimal(value, format=pattern, locale=parsed_locale(code))


def percent(value: float | None, code: str, *, decimals: int = 1) -> str:
    """A fraction as a percentage: 0.125 → ``12.5%`` / ``12,5 %``."""
    if not defined(value):
        return UNDEFINED
    assert value is not None
    if round(value, decimals + 2) == 0:  # no "-0.0%"
        value = 0.0
    return _percent(value + 0.0, decimals, code)


@lru_cache(maxsize=4096)
def _percent(value: float, decimals: int, code: str) -> str:
    pattern = _with_places(code, "percent", decimals, decimals)
    return format_percent(value, format=pattern, locale=parsed_locale(code))


def ratio(value: float | None, code: str) -> str:
    """A ratio such as ROAS: ``2.35×``."""
    if not defined(value):
        return UNDEFINED
    assert value is not None
    return _ratio(value + 0.0, code)


@lru_cache(maxsize=4096)
def _ratio(value: float, code: str) -> str:
    pattern = _with_places(code, "number", 2, 2)
    return format_decimal(value, format=pattern, locale=parsed_locale(code)) + "×"


def currency_symbol(currency: str, code: str) -> str:
    """The locale's symbol for a currency: ``€``, ``US$``/``$``, ``MXN``."""
    return get_currency_symbol(currency, locale=parsed_locale(code))


def symbol_first(currency: str, code: str) -> bool:
    """Whether the locale writes the currency's symbol before the digits (``€1`` / ``1 €``)."""
    return money(7.0, currency, code, decimals=0).strip().index("7") > 0


def moment(value: datetime, code: str, zone: tzinfo) -> str:
    """A moment in a time zone: ``Nov 23, 2026, 6:02:05 PM`` / ``23 nov 2026, 18:02:05``."""
    return format_datetime(value, format="medium", tzinfo=zone, locale=parsed_locale(code))


def day(value: datetime, code: str) -> str:
    """A day, written long: ``December 5, 2026`` / ``5 de diciembre de 2026``."""
    return format_date(value, format="long", locale=parsed_locale(code))


def signed(text: str, value: float) -> str:
    """A formatted difference with its sign: ``+€120``; negatives carry theirs already."""
    return f"+{text}" if value > 0 and text != UNDEFINED else text
