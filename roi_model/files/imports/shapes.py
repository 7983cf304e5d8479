"""Exports laid out other than one row per record, turned into that shape before they are read.

Two layouts are recognised, on the file's header and cells as text:

- **Wide by channel.** One column per channel and measure — "Facebook gasto", "Spend -
  Instagram", "LinkedIn: Clicks" — and no channel column. Each row becomes one row per channel,
  with a ``channel`` column and one column per measure (named by its field), the other columns
  (date, campaign, anything unknown) repeated on each; every new row keeps its source line.
- **Month and day apart.** A month column ("Mes", "Month": names in English or Spanish, or
  numbers) beside a day column ("Día", "Day": 1 to 31), with no full date. They become one ISO
  date column. A year column ("Año", "Year") gives the year; without one the year is assumed:
  the latest one that puts no date after ``today`` (said in a note, as every assumption is).

Pure: the importer calls these on its text table and reports what they did.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from roi_model.files.imports.headers import match_header, normalise

#: Month names by their first three letters, in English, Spanish, Portuguese and Galician
#: (normalised: no accents; "xuño" reads "xun").
MONTHS: dict[str, int] = {
    "jan": 1,
    "ene": 1,
    "xan": 1,
    "feb": 2,
    "fev": 2,
    "mar": 3,
    "apr": 4,
    "abr": 4,
    "may": 5,
    "mai": 5,
    "jun": 6,
    "xun": 6,
    "jul": 7,
    "xul": 7,
    "aug": 8,
    "ago": 8,
    "sep": 9,
    "set": 9,
    "oct": 10,
    "out": 10,
    "nov": 11,
    "dec": 12,
    "dic": 12,
    "dez": 12,
}

#: Networks a wide table names in its headers (normalised) and how the app writes them.
NETWORKS: dict[str, str] = {
    "facebook": "Facebook",
    "instagram": "Instagram",
    "linkedin": "LinkedIn",
    "tiktok": "TikTok",
    "x": "X",
    "twitter": "X",
    "youtube": "YouTube",
    "pinterest": "Pinterest",
    "google ads": "Google Ads",
    "google": "Google Ads",
    "meta": "Meta",
    "snapchat": "Snapchat",
    "threads": "Threads",
    "whatsapp": "WhatsApp",
}
_LONGEST_FIRST = sorted(NETWORKS, key=len, reverse=True)

_MONTH_HEADERS = frozenset({"month", "mes"})
_DAY_HEADERS = frozenset({"day", "dia", "day of month", "dia del mes"})
_YEAR_HEADERS = frozenset({"year", "ano", "anio"})
_DATE_FIELD = "date"


@dataclass(frozen=True)
class Reshaped:
    """A table in the usual shape: header, cells (text or None) and each row's source line."""

    header: list[str]
    cells: pd.DataFrame
    lines: np.ndarray[Any, Any]


def channel_and_field(column: str) -> tuple[str, str] | None:
    """("Instagram", "spend") for "Instagram gasto" or "Spend - Instagram"; None otherwise."""
    words = normalise(column)
    for network in _LONGEST_FIRST:
        if words.startswith(network + " "):
            rest = words[len(network) + 1 :]
        elif words.endswith(" " + network):
            rest = words[: -len(network) - 1]
        else:
            continue
        found = match_header(rest)
        if found is not None and found.field not in ("date", "channel", "campaign"):
            return NETWORKS[network], found.field
    return None


def measure_name(column: str) -> str:
    """The header without its network: "TikTok - Importe gastado (EUR)" -> "Importe gastado
    (EUR)", "Spend - Instagram" -> "Spend"."""
    for network in _LONGEST_FIRST:
        pattern = (
            rf"^\s*{re.escape(network)}\b[\s:|\-\u2013]*|[\s:|\-\u2013]*\b{re.escape(network)}\s*$"
        )
        stripped = re.sub(pattern, "", column, count=1, flags=re.IGNORECASE).strip()
        if stripped != column.strip() and stripped:
            return stripped
    return column


def unpivot_channels(
    header: Sequence[str], cells: pd.DataFrame, lines: np.ndarray[Any, Any]
) -> Reshaped | None:
    """The long table of a table wide by channel, or None when the table is not one.

    A table is wide when it has no channel column, at least two columns name a channel and
    a measure, and no other column is a measure (an account-wide "Gasto total" beside them
    would be counted once per channel); a column named twice (two "Facebook spend") keeps the
    first.
    """
    if any(_field(column) == "channel" for column in header):
        return None
    wide: dict[str, dict[str, int]] = {}
    kept: list[int] = []
    for position, column in enumerate(header):
        pair = channel_and_field(column) if _field(column) is None else None
        if pair is None:
            kept.append(position)
        else:
            wide.setdefault(pair[0], {}).setdefault(pair[1], position)
    if sum(len(fields) for fields in wide.values()) < 2 or any(
        _field(header[p]) not in (None, "date", "campaign") for p in kept
    ):
        return None
    fields = list(dict.fromkeys(f for by_field in wide.values() for f in by_field))
    parts = [_one_channel(cells, kept, name, by_field, fields) for name, by_field in wide.items()]
    order = np.argsort(np.tile(np.arange(len(cells)), len(wide)), kind="stable")
    long = pd.concat(parts, ignore_index=True).iloc[order].reset_index(drop=True)
    long.columns = pd.RangeIndex(long.shape[1])
    long = long.astype(object).where(long.notna(), None)  # empty cells are None, as read
    # Each measure is named as the file names it, without the network: "Importe gastado (EUR)"
    # keeps its currency, and the mapping editor shows the file's own words.
    named = {f: measure_name(header[by_field[f]]) for by_field in wide.values() for f in by_field}
    new_header = [header[p] for p in kept] + ["channel", *(named[f] for f in fields)]
    return Reshaped(new_header, long, np.tile(np.asarray(lines), len(wide))[order])


def _one_channel(
    cells: pd.DataFrame, kept: list[int], name: str, by_field: dict[str, int], fields: list[str]
) -> pd.DataFrame:
    part = cells.iloc[:, kept].copy()
    part.columns = pd.RangeIndex(len(kept))
    part[len(kept)] = name
    for offset, field in enumerate(fields, start=len(kept) + 1):
        part[offset] = cells.iloc[:, by_field[field]].to_numpy() if field in by_field else None
    return part


def _field(column: str) -> str | None:
    found = match_header(column)
    return None if found is None else found.field


def month_day_dates(
    header: Sequence[str], cells: pd.DataFrame, lines: np.ndarray[Any, Any], today: date
) -> tuple[Reshaped, int | None] | None:
    """The table with its month and day columns made one date column, and the year assumed
    (None when a year column gave it); None when the table has no such pair of columns.

    The day column is replaced by the dates (ISO text, empty where a row's month or day does
    not read) and renamed "date"; the month and year columns stay, unmapped.
    """
    keys = [normalise(column) for column in header]
    month, day = _position(keys, _MONTH_HEADERS), _position(keys, _DAY_HEADERS)
    if month is None or day is None or _has_full_date(keys, day):
        return None
    months = _per_value(cells.iloc[:, month], _month_number)
    days = _per_value(cells.iloc[:, day], _day_number)
    if months.notna().sum() == 0 or not days.dropna().between(1, 31).all():
        return None
    year_column = _position(keys, _YEAR_HEADERS)
    if year_column is not None:
        years, assumed = pd.to_numeric(cells.iloc[:, year_column], errors="coerce"), None
    else:
        assumed = _latest_year(months, days, today)
        years = pd.Series(float(assumed), index=cells.index)
    dates = pd.to_datetime(
        pd.DataFrame({"year": years, "month": months, "day": days}), errors="coerce"
    )
    out = cells.copy()
    # The whole column is replaced, not written into: the fast path's day column is a
    # categorical of the days as text, which cannot take dates as values.
    out[out.columns[day]] = _cells(dates.dt.strftime("%Y-%m-%d"), dates.notna().to_numpy())
    new_header = list(header)
    new_header[day] = _DATE_FIELD
    return Reshaped(new_header, out, lines), assumed


def _position(keys: list[str], names: frozenset[str]) -> int | None:
    return next((i for i, key in enumerate(keys) if key in names), None)


def _has_full_date(keys: list[str], day: int) -> bool:
    """Another column already gives whole dates: the day column is then just a day."""
    return any(_field(key) == "date" for i, key in enumerate(keys) if i != day)


def _per_value(values: pd.Series, read: Callable[[object], float]) -> pd.Series:
    """``read`` of every cell as floats, worked out once per distinct value, whatever the
    column's dtype (text, categorical text or numbers); a missing cell reads as NaN."""
    codes, uniques = pd.factorize(values)
    read_values = np.array([read(value) for value in uniques] + [np.nan], dtype=np.float64)
    return pd.Series(read_values[codes], index=values.index)  # code -1: the NaN at the end


def _day_number(cell: object) -> float:
    """The cell as a number (12 for "12", "12.0" or 12); NaN for anything else."""
    try:
        return float(str(cell).strip())
    except ValueError:
        return np.nan


def _month_number(cell: object) -> float:
    """3 for "marzo", "Mar", "March", "3" or "03"; NaN for anything else."""
    if cell is None:
        return np.nan
    text = normalise(str(cell))
    if text.isdigit():
        number = int(text)
        return float(number) if 1 <= number <= 12 else np.nan
    return float(MONTHS.get(text[:3], np.nan)) if len(text) >= 3 else np.nan


def _latest_year(months: pd.Series, days: pd.Series, today: date) -> int:
    """The latest year in which every (month, day) of the file is on or before ``today``."""
    pairs = pd.DataFrame({"month": months, "day": days}).dropna()
    if pairs.empty:
        return today.year
    last = max(zip(pairs["month"].astype(int), pairs["day"].astype(int), strict=True))
    return today.year if last <= (today.month, today.day) else today.year - 1


# --- One results column, a result type per row ----------------------------------------------

_RESULTS_HEADERS = frozenset({"results", "resultados"})
_RESULT_TYPE_HEADERS = frozenset(
    {
        "result indicator",
        "indicador de resultado",
        "indicador de resultados",
        "result type",
        "tipo de resultado",
    }
)
#: A row's result type (Meta's indicator, "actions:lead", or its wording, "Clientes
#: potenciales (formulario)") -> our field, the first pattern found in it deciding; None for
#: results the model has no field for (conversations started, post engagement...).
RESULT_TYPES: tuple[tuple[str, str | None], ...] = (
    (r"messag|conversation|conversaci|conversas|mensaje|mensag", None),
    (r"purchase|compra", "sales"),
    (r"lead|potencial|contact", "leads"),
    (r"link_click|link click|clics? en el enlace|cliques no link", "clicks"),
    (r"landing_page_view|landing page view|visitas a la p|p[aá]gina de destino", "clicks"),
    (r"video_view|thruplay|reproducci|reprodu[cç][oõ]es", "video_views"),
    (r"^reach$|^alcance$", "reach"),
    # Page likes and follows won by the ad ("actions:like" is Meta's Page like).
    (
        r"^actions:like$|page_like|page like|follow|me gusta de la p|seguidor|curtidas (da|na) p",
        "new_followers",
    ),
)


@dataclass(frozen=True)
class ResultType:
    """What became of one result type of a results column: the field it was read as (None
    when it was not used), the rows holding it, and the column already giving that field
    (which is then used instead)."""

    name: str
    rows: int
    field: str | None
    taken_by: str | None = None


@dataclass(frozen=True)
class ResultsSplit:
    """A results column split by type: the table with the new columns at the end, the new
    columns' fields, the column split and what became of each of its result types."""

    header: list[str]
    cells: pd.DataFrame
    mapping: dict[str, str]
    column: str
    types: tuple[ResultType, ...]


def results_by_type(header: Sequence[str], cells: pd.DataFrame) -> ResultsSplit | None:
    """A results column split by the result type each row names (Meta's "Resultados" beside
    "Indicador de resultado"): one new column per field, "Resultados [leads]", holding the
    results of the rows of that type. A field another column already gives keeps that
    column (counting both would count the results twice). None without such a pair.
    """
    keys = [normalise(column) for column in header]
    results, types = _position(keys, _RESULTS_HEADERS), _position(keys, _RESULT_TYPE_HEADERS)
    if results is None or types is None:
        return None
    given = {f: column for column in header if (f := _field(column)) is not None}
    codes, names = pd.factorize(cells.iloc[:, types])
    fields = [_result_field(str(name)) for name in names]
    filled = cells.iloc[:, results].notna().to_numpy()
    kinds = tuple(
        _what_became(str(name), int(((codes == i) & filled).sum()), field, given)
        for i, (name, field) in enumerate(zip(names, fields, strict=True))
    )
    new_header, new_cells, mapping = list(header), cells.copy(), {}
    for field in dict.fromkeys(kind.field for kind in kinds if kind.field is not None):
        of_field = np.isin(codes, [i for i, f in enumerate(fields) if f == field]) & filled
        new_cells[len(new_header)] = _cells(cells.iloc[:, results], of_field)
        new_header.append(f"{header[results]} [{field}]")
        mapping[new_header[-1]] = field
    return ResultsSplit(new_header, new_cells, mapping, header[results], kinds)


def _cells(values: pd.Series, kept: np.ndarray[Any, Any]) -> pd.Series:
    """The values as the text table holds cells (objects, not pandas' inferred text, which
    would turn None into NaN), None where not ``kept``."""
    out = values.to_numpy(dtype=object, copy=True)
    out[~kept] = None
    return pd.Series(out, index=values.index, dtype=object)


def _what_became(name: str, rows: int, field: str | None, given: dict[str, str]) -> ResultType:
    """A type read as its field, unless another column gives that field already."""
    taken = given.get(field) if field is not None else None
    return ResultType(name, rows, None if taken else field, taken)


def _result_field(name: str) -> str | None:
    text = name.strip().lower()
    return next((field for pattern, field in RESULT_TYPES if re.search(pattern, text)), None)


def is_date_part(column: str) -> bool:
    """A month, day or year column: read into dates, never a measure."""
    return normalise(column) in _MONTH_HEADERS | _DAY_HEADERS | _YEAR_HEADERS
