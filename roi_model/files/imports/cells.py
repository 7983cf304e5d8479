"""Cell values as exports write them: totals, numbers, dates, currency.

A total row starts "Total", "Totales", "Suma"...; a number may be "1.234,56 €", "$12", "8,30 %"
or "1.5e3", and "--" is no number (NaN, not 0), its decimal mark decided by the file's cells;
a date may be ISO, compact, dd/mm or mm/dd (decided by a part above 12, else by the user's
choice, else by the file's look) or name its month in English, Spanish or Portuguese; a currency
is a code (EUR) or a sign (€). Each is judged once per distinct cell: a million daily rows hold
a few thousand dates or names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from roi_model.files.imports.headers import ImportNote, NoteCode, normalise
from roi_model.files.imports.shapes import MONTHS

__all__ = [
    "DECIMAL_SAMPLE",
    "category_codes",
    "cell_currency",
    "decide_decimal",
    "decimal_from_votes",
    "factorized",
    "holds_numbers",
    "is_total",
    "mark_votes",
    "mostly_numbers",
    "parse_dates",
    "parse_numbers",
]

DECIMAL_SAMPLE = 20_000  # distinct texts per column that decide the decimal mark
_TOTAL = r"^\s*(?:totals?|totales|grand total|suma)\b"
_PLACEHOLDERS = r"^\s*(?:-+|\u2014|\u2013|n/?a|nan|null|none)?\s*$"
_THOUSAND_SPACES = "\u00a0\u202f\u2009 '"
_CURRENCY_SIGNS = {"R$": "BRL", "€": "EUR", "£": "GBP", "$": "USD"}  # R$ before $
_CURRENCY_CELL = re.compile(r"\b(EUR|USD|GBP|MXN|ARS|COP|CLP|PEN|BRL|CHF)\b")
_MONTH_WORD = r"\b(" + "|".join(MONTHS) + r")[a-z]*\b"

# A cell that is one number as exports write them: "1.234,56 €", "$12", "8,30 %", "-3".
# Matched on the stripped cell, with single optional spaces: runs of optional spaces side by
# side backtrack in cubic time (a cell of 1,600 newlines took 18 s).
_NUMBER_CELL = re.compile(
    r"[-+(]?(?:[€$£]|[A-Z]{3})? ?[-+]?\d[\d.,\u00a0\u202f\u2009' ]*(?:[eE][-+]?\d+)?"
    r" ?(?:%|[€$£]|[A-Z]{3})?\)?"
)
_LONGEST_NUMBER = 40  # characters: a longer cell is text, whatever it holds


def _as_text(values: pd.Series) -> pd.Series:
    """String cells as str; numbers and dates from xlsx become NaN here (handled natively)."""
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return pd.Series(np.nan, index=values.index, dtype="str")
    if pd.api.types.is_string_dtype(values) and values.dtype != object:
        return values
    if _only_text(values):  # no cell to drop: spare a Python call per cell
        return values.astype("str")
    return values.where(values.map(lambda cell: isinstance(cell, str))).astype("str")


def _only_text(values: pd.Series) -> bool:
    """Whether every cell is text or missing (one scan in C)."""
    return pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")


def _matches(text: pd.Series, pattern: str) -> np.ndarray[Any, Any]:
    """A plain boolean mask of the cells matching ``pattern`` (missing cells do not)."""
    return text.str.match(pattern).fillna(False).to_numpy(dtype=bool)


def factorized(values: pd.Series) -> tuple[np.ndarray[Any, Any], pd.Series]:
    """Codes and distinct values: a million daily rows hold a few thousand dates or names."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, pd.Series(np.asarray(uniques, dtype=object), dtype=object)


def _expand(
    parsed: pd.Series, codes: np.ndarray[Any, Any], missing: object
) -> np.ndarray[Any, Any]:
    """The per-distinct-value results back in row order (missing cells get ``missing``)."""
    values = parsed.to_numpy()
    padded: np.ndarray[Any, Any] = np.append(values, np.array([missing], dtype=values.dtype))
    expanded: np.ndarray[Any, Any] = padded[codes]
    return expanded  # code -1 (a missing cell) picks the padding at the end


def category_codes(values: pd.Series) -> tuple[np.ndarray[Any, Any], pd.Series]:
    """As ``factorized``, straight from a categorical's codes when there is one (its categories
    may include values of other rows: only for results that go back through the codes)."""
    if not isinstance(values.dtype, pd.CategoricalDtype):
        return factorized(values)
    return values.cat.codes.to_numpy(), pd.Series(np.asarray(values.cat.categories, dtype=object))


def is_total(values: pd.Series) -> np.ndarray[Any, Any]:
    """Cells that start a total row: "Total", "Total: Campañas", "Totales", "Suma"…"""
    codes, uniques = category_codes(values)
    text = _as_text(uniques)
    text = text.where(text.str.contains("[tTsS\u017f]").fillna(False))  # each total word has one
    flags = pd.Series(_matches(text, "(?i)" + _TOTAL))
    if not flags.any():
        return np.zeros(len(codes), dtype=bool)
    return _expand(flags, codes, False).astype(bool)


def holds_numbers(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values)


def decide_decimal(columns: Sequence[pd.Series], european: bool) -> tuple[str, ImportNote | None]:
    """The file's decimal mark from its measure cells, and a note when nothing decided it."""
    columns = [column for column in columns if not pd.api.types.is_numeric_dtype(column)]
    if not columns:  # every measure parsed as a number already: the mark was "."
        return ".", None
    return decimal_from_votes(*mark_votes(columns), columns, european)


def mark_votes(columns: Sequence[pd.Series]) -> tuple[int, int]:
    """Distinct cells voting for a decimal comma and for a decimal point."""
    comma = point = 0
    for column in columns:
        text = _as_text(column).dropna().drop_duplicates().head(DECIMAL_SAMPLE).astype(str)
        digits = text.str.replace(r"[^\d,.]", "", regex=True)
        last_comma = digits.str.rfind(",")
        last_point = digits.str.rfind(".")
        tail = digits.str.len() - np.maximum(last_comma, last_point) - 1
        both = (last_comma >= 0) & (last_point >= 0)
        only_comma = (last_comma >= 0) & (last_point < 0)
        only_point = (last_point >= 0) & (last_comma < 0)
        many_commas = digits.str.count(",") > 1
        many_points = digits.str.count(r"\.") > 1
        comma += int((both & (last_comma > last_point)).sum())
        comma += int(
            (only_comma & ~many_commas & (tail != 3)).sum() + (only_point & many_points).sum()
        )
        point += int((both & (last_point > last_comma)).sum())
        point += int(
            (only_point & ~many_points & (tail != 3)).sum() + (only_comma & many_commas).sum()
        )
    return comma, point


def decimal_from_votes(
    comma: int, point: int, columns: Sequence[pd.Series], european: bool
) -> tuple[str, ImportNote | None]:
    if comma != point:
        return ("," if comma > point else "."), None
    if not any(_as_text(column).str.contains(r"\d[.,]\d", regex=True).any() for column in columns):
        return ("," if european else "."), None
    mark = "," if european else "."
    return mark, ImportNote.of(NoteCode.DECIMAL_ASSUMED, mark=mark)


def parse_numbers(values: pd.Series, decimal: str) -> pd.Series:
    """Floats from cells like "1.234,56 €", "8,30 %" (0.083), "--" (NaN, not 0)."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype(np.float64)
    native = pd.to_numeric(values.where(values.map(_is_number)), errors="coerce")
    text = _as_text(values)
    text = text.where(~_matches(text, _PLACEHOLDERS))
    percent = text.str.contains("%", regex=False).fillna(False).to_numpy(dtype=bool)
    thousands = "." if decimal == "," else ","
    cleaned = text.str.replace(f"[{re.escape(thousands + _THOUSAND_SPACES)}]", "", regex=True)
    cleaned = cleaned.str.replace(r"[^\d,.\-+]", "", regex=True)
    cleaned = cleaned.str.replace(",", ".", regex=False) if decimal == "," else cleaned
    parsed = pd.to_numeric(cleaned, errors="coerce").astype(np.float64)
    parsed = _with_exponents(parsed.where(~percent, parsed / 100.0), text, decimal)
    return parsed.fillna(native.astype(np.float64))


def _with_exponents(parsed: pd.Series, text: pd.Series, decimal: str) -> pd.Series:
    """Cells in scientific notation ("1.5e3"), which the cleaning above garbles (to 1.53)."""
    mark = re.escape(decimal)
    scientific = _matches(text, rf"^\s*[+-]?(?:\d+{mark}?\d*|{mark}\d+)[eE][+-]?\d+\s*$")
    if not scientific.any():
        return parsed
    plain = text.where(scientific).str.strip().str.replace(decimal, ".", regex=False)
    return parsed.where(~scientific, pd.to_numeric(plain, errors="coerce").astype(np.float64))


def _is_number(cell: object) -> bool:
    return isinstance(cell, int | float | np.number) and not isinstance(cell, bool)


def mostly_numbers(cells: pd.Series) -> bool:
    """Whether nine in ten of these (filled) cells are numbers, judged once per distinct cell
    ("160 x 600" is not one, though it holds digits)."""
    if cells.empty:
        return False
    codes, uniques = factorized(cells)
    numeric = np.array(
        [
            _is_number(cell) or (isinstance(cell, str) and _is_number_text(cell.strip()))
            for cell in uniques
        ]
    )
    return bool(numeric[codes].mean() >= 0.9)


def _is_number_text(text: str) -> bool:
    return len(text) <= _LONGEST_NUMBER and _NUMBER_CELL.fullmatch(text) is not None


def cell_currency(values: pd.Series) -> str | None:
    """A currency named in the cells: a code (EUR) or a sign (€, £, $)."""
    if holds_numbers(values):
        return None
    text = " ".join(_as_text(values).dropna().head(200).astype(str))
    code = _CURRENCY_CELL.search(text)
    if code:
        return code.group(1)
    return next((name for sign, name in _CURRENCY_SIGNS.items() if sign in text), None)


def parse_dates(
    values: pd.Series, european: bool, chosen: str | None = None
) -> tuple[pd.Series, str | None, list[ImportNote]]:
    """Dates (midnight, datetime64[ns]) from any common export format; the order and notes.

    ``chosen`` ("dmy" or "mdy") settles dates that could be read either way; dates that can
    only be read one way are read that way whatever is chosen.
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.astype("datetime64[ns]").dt.normalize(), None, []
    codes, uniques = category_codes(values)
    # A categorical keeps the values of rows since dropped (totals, strays): they must not
    # decide the day-month order or be quoted in a note.
    seen = np.bincount(codes[codes >= 0], minlength=len(uniques)) > 0
    parsed, order, notes = _parse_distinct_dates(uniques.where(seen), european, chosen)
    dates = _expand(parsed, codes, np.datetime64("NaT", "ns"))
    return pd.Series(dates, index=values.index, dtype="datetime64[ns]", copy=False), order, notes


def _parse_distinct_dates(
    values: pd.Series, european: bool, chosen: str | None
) -> tuple[pd.Series, str | None, list[ImportNote]]:
    if _only_text(values):
        native = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    else:
        native = pd.to_datetime(values.where(values.map(_is_datetime)), errors="coerce")
    text = _as_text(values).astype(object).where(lambda s: s.notna(), "").astype(str)
    text = _without_ranges(text).str.strip()
    result = _nanoseconds(native)
    # Each format only sees the cells the ones before left undated (ISO and compact dates
    # never look like dd/mm/yyyy, so the day-month order is decided by the same cells).
    result = _fill(_fill(result, text, _iso_dates), text, _compact_dates)
    slashed, order, notes = _numeric_dates(text[result.isna().to_numpy()], european, chosen)
    result = _fill(result.fillna(slashed), text, _named_month_dates)
    return result.dt.normalize(), order, notes


def _without_ranges(text: pd.Series) -> pd.Series:
    """ "2025-03-01 - 2025-03-31" -> "2025-03-01"; cells of digits and marks have no range."""
    plain = text.str.fullmatch(r"[0-9./-]*").fillna(False).to_numpy(dtype=bool)
    if plain.all():
        return text
    ranges = r"\s+[-\u2013]\s+.*$|\s+(?:a|to)\s+\d.*$"
    return text.where(plain, text.str.replace(ranges, "", regex=True))


def _fill(dates: pd.Series, text: pd.Series, parse: Callable[[pd.Series], pd.Series]) -> pd.Series:
    undated = text[dates.isna().to_numpy()]
    return dates if undated.empty else dates.fillna(parse(undated))


def _is_datetime(cell: object) -> bool:
    return isinstance(cell, pd.Timestamp | date)


def _from_parts(parts: pd.DataFrame) -> pd.Series:
    numbers = parts.apply(pd.to_numeric, errors="coerce")
    year = numbers["year"].where(numbers["year"] >= 100, numbers["year"] + 2000)
    frame = pd.DataFrame({"year": year, "month": numbers["month"], "day": numbers["day"]})
    return _nanoseconds(pd.to_datetime(frame, errors="coerce"))


def _nanoseconds(dates: pd.Series) -> pd.Series:
    """The table's datetime64[ns]; a date it cannot hold (the year 1500) is no date."""
    inside = (dates >= pd.Timestamp.min) & (dates <= pd.Timestamp.max)
    return dates.where(inside).astype("datetime64[ns]")


def _iso_dates(text: pd.Series) -> pd.Series:
    # Plain yyyy-mm-dd, the common case, in one vectorised call; the regex for the rest.
    plain = text.str.fullmatch(r"[12]\d{3}-\d{2}-\d{2}").fillna(False).to_numpy(dtype=bool)
    dates = _nanoseconds(pd.to_datetime(text[plain], format="%Y-%m-%d", errors="coerce"))
    rest = text[~plain]
    if rest.empty:
        return dates
    parts = rest.str.extract(r"^(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})")
    every: pd.Series = pd.concat([dates, _from_parts(parts)]).reindex(text.index)
    return every


def _compact_dates(text: pd.Series) -> pd.Series:
    parts = text.str.extract(r"^(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})$")
    return _from_parts(parts)


def _numeric_dates(
    text: pd.Series, european: bool, chosen: str | None = None
) -> tuple[pd.Series, str | None, list[ImportNote]]:
    """``dd/mm/yyyy`` or ``mm/dd/yyyy``, decided by a part above 12, else by the user's choice,
    else by the file's look."""
    parts = text.str.extract(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})\b")
    if parts[0].isna().all():
        return pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]"), None, []
    first, second = (pd.to_numeric(parts[i], errors="coerce") for i in (0, 1))
    notes: list[ImportNote] = []
    if (first > 12).any() and not (second > 12).any():
        order = "dmy"
    elif (second > 12).any() and not (first > 12).any():
        order = "mdy"
    else:  # the user's choice, else the file's look: day first in a European-looking file
        example = str(text[parts[0].notna()].iloc[0])
        order = chosen or ("dmy" if european else "mdy")
        notes.append(ImportNote.of(_ORDER_NOTES[order, chosen is not None], example=example))
    day, month = (parts[0], parts[1]) if order == "dmy" else (parts[1], parts[0])
    dates = _from_parts(pd.DataFrame({"year": parts[2], "month": month, "day": day}))
    return dates, order, notes


#: (order, chosen by the user) -> what the note says.
_ORDER_NOTES = {
    ("dmy", False): NoteCode.DAY_FIRST_ASSUMED,
    ("mdy", False): NoteCode.MONTH_FIRST_ASSUMED,
    ("dmy", True): NoteCode.DAY_FIRST_CHOSEN,
    ("mdy", True): NoteCode.MONTH_FIRST_CHOSEN,
}


def _named_month_dates(text: pd.Series) -> pd.Series:
    """ "1 mar 2025", "Mar 1, 2025", "1 de marzo de 2025"."""
    plain = text.map(normalise)
    month = plain.str.extract(_MONTH_WORD)[0].map(MONTHS)
    day = plain.str.extract(r"(?<!\d)(\d{1,2})(?!\d)")[0]
    year = plain.str.extract(r"(\d{4})")[0]
    return _from_parts(pd.DataFrame({"year": year, "month": month, "day": day}))
