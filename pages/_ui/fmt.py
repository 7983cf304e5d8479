"""Money, numbers and percentages formatted by Babel for the session's locale and currency.

Undefined numbers (None, NaN, inf) are shown as "—", never as "nan" or "inf".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st
from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol
from babel.units import format_unit

import roi_model.words.numbers as numbers
from pages._ui.i18n import locale_code
from roi_model.words.numbers import UNDEFINED as UNDEFINED  # the pages write "—" too

CURRENCIES: tuple[str, ...] = ("EUR", "USD", "MXN", "COP", "ARS", "PEN", "CLP", "BRL", "GBP")


def locale() -> Locale:
    """The Babel locale that formats the session's numbers (es_MX, pt_BR...)."""
    return numbers.parsed_locale(locale_code())


def money(value: float | None, currency: str, *, decimals: int | None = None) -> str:
    """``1.234,50 €`` (es_ES) / ``€1,234.50`` (en_US) / ``R$ 1.234,50`` (pt_BR), as the locale
    writes money; whole units from 1,000 up unless ``decimals`` says."""
    return numbers.money(value, currency, locale_code(), decimals=decimals)


def moneys(values: Iterable[float], currency: str) -> list[str]:
    """:func:`money` of many values (a chart's tooltips), the locale read once."""
    code = locale_code()
    return [numbers.money(value, currency, code) for value in values]


def number(value: float | None, *, decimals: int = 0) -> str:
    """A count or amount without currency, grouped for the locale."""
    return numbers.number(value, locale_code(), decimals=decimals)


def numbers_of(values: Iterable[float], *, decimals: int = 0) -> list[str]:
    """:func:`number` of many values, the locale read once."""
    code = locale_code()
    return [numbers.number(value, code, decimals=decimals) for value in values]


def percent(value: float | None, *, decimals: int = 1) -> str:
    """A fraction as a percentage: 0.125 → ``12.5%`` / ``12,5 %``."""
    return numbers.percent(value, locale_code(), decimals=decimals)


def percents(values: Iterable[float], *, decimals: int = 1) -> list[str]:
    """:func:`percent` of many values, the locale read once."""
    code = locale_code()
    return [numbers.percent(value, code, decimals=decimals) for value in values]


def ratio(value: float | None) -> str:
    """A ratio such as ROAS: ``2.35×``."""
    return numbers.ratio(value, locale_code())


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
    return numbers.signed(text, value)


def money_template(currency: str) -> str:
    """A printf template for widgets that take one (Streamlit's sliders): the symbol where the
    locale puts it, ``€%,.0f`` / ``%.0f €`` / ``R$ %.0f`` (the widget writes the digits).

    The widget groups thousands with a comma only: where the locale groups with one
    (``€12,000``; ``$12,000`` in Mexico) the digits are grouped, elsewhere they stay ungrouped
    rather than grouped with the locale's decimal mark.
    """
    digits = "%,.0f" if get_group_symbol(locale()) == "," else "%.0f"
    return money(7.0, currency, decimals=0).replace("7", digits, 1)


def currency_symbol(currency: str) -> str:
    """The locale's symbol for a currency: ``€``, ``US$``/``$``, ``MXN``."""
    return numbers.currency_symbol(currency, locale_code())


def chart_number_locale() -> dict[str, Any]:
    """The locale's decimal and group marks and its percent sign (``12,5 %`` in Spanish), in
    the form Vega's number formatting takes; the currency is :func:`with_currency`'s."""
    return {
        "decimal": get_decimal_symbol(locale()),
        "thousands": get_group_symbol(locale()),
        "grouping": [3],
        "currency": ["", ""],
        "percent": percent(0.5, decimals=0).split("50", 1)[1],
    }


def with_currency(spec: dict[str, Any], currency: str) -> dict[str, Any]:
    """A chart's spec whose money axes (a ``$`` in their format) write ``currency`` where the
    locale writes it: ``€1,000`` / ``1.000 €`` / ``R$ 1.000``."""
    prefix, _, suffix = money(7.0, currency, decimals=0).partition("7")
    config = spec.get("config", {})
    chart_locale = config.get("locale", {})
    number = chart_locale.get("number", chart_number_locale()) | {"currency": [prefix, suffix]}
    return spec | {"config": config | {"locale": chart_locale | {"number": number}}}


def datetime_text(moment: datetime) -> str:
    """A stored moment in the browser's time zone: ``Nov 23, 2026, 6:02:05 PM`` /
    ``23 nov 2026, 18:02:05``."""
    return numbers.moment(moment, locale_code(), _browser_zone(st.context.timezone))


@lru_cache(maxsize=16)
def _browser_zone(name: str | None) -> tzinfo:
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC
