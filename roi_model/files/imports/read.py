"""Import messy CSV/xlsx exports of past campaigns into one tidy history table.

``read_history`` takes the bytes of a platform export (Meta, Google Ads, LinkedIn, TikTok, X,
GA4, Instagram/Facebook insights, or a home-made spreadsheet; English or Spanish) and returns an
``ImportResult``: one row per day, ad or post with ``date``, ``channel``, ``campaign`` and every
recognised measure as a float, plus the lines it skipped and every assumption it made. A file it
cannot use raises ``ImportRefused`` with the reason; it never returns a silent zero.

The bytes become a table of cells (:mod:`~roi_model.files.imports.sniff`, or
:mod:`~roi_model.files.imports.fast` for a clean comma file), reshaped when the layout is not
one row per record (:mod:`~roi_model.files.imports.shapes`); this module then makes the table
tidy: the mapping (:mod:`~roi_model.files.imports.headers`), the data rows, total rows and
repeats (:mod:`~roi_model.files.imports.repeats`), and the cells' values
(:mod:`~roi_model.files.imports.cells`).
"""

from __future__ import annotations

import mmap
import os
import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

import roi_model.files.imports.fast as fast
from roi_model.files.imports.cells import (
    category_codes,
    cell_currency,
    decide_decimal,
    decimal_from_votes,
    holds_numbers,
    is_total,
    mark_votes,
    mostly_numbers,
    parse_dates,
    parse_numbers,
)
from roi_model.files.imports.headers import (
    ImportNote,
    NoteCode,
    corrected_mapping,
    header_currency,
    normalise,
)
from roi_model.files.imports.problems import ImportProblem, ImportRefused, Skipped, SkipReason
from roi_model.files.imports.repeats import find_repeats, repeat_notes
from roi_model.files.imports.result import ImportResult, Table
from roi_model.files.imports.shapes import (
    ResultType,
    is_date_part,
    month_day_dates,
    results_by_type,
    unpivot_channels,
)
from roi_model.files.imports.sniff import Bytes, decode, starts_with, text_table, xlsx_table
from roi_model.model.vocabulary import HISTORY_FIELDS, STOCK_FIELDS

__all__ = ["MAX_BYTES", "read_history"]

MAX_BYTES = 500 * 2**20  # far above any real export; protects the app's memory
_DAY_FIRST_WORDS = frozenset(
    [
        "fecha",
        "dia",
        "canal",
        "campana",
        "importe",
        "gastado",
        "coste",
        "costo",
        "gasto",
        "impresiones",
        "alcance",
        "clics",
        "gusta",
        "comentarios",
        "compartido",
        "guardado",
        "clientes",
        "compras",
        "conversiones",
        "ventas",
        "ingresos",
        "consultas",
        "horas",
        "valor",
        "publicacion",
        "sesiones",
        "visitas",
        "grupo",
        # Portuguese: Brazil and Portugal write day-first dates and decimal commas too.
        "custo",
        "usado",
        "impressoes",
        "cliques",
        "conversoes",
        "campanha",
        "receita",
        "sessoes",
        "curtidas",
    ]
)

Progress = Callable[[float], None]


def read_history(
    data: bytes | os.PathLike[str],
    *,
    filename: str = "",
    channel: str | None = None,
    mapping: Mapping[str, str] | None = None,
    keep_duplicates: bool = True,
    date_order: str | None = None,
    progress: Progress | None = None,
    today: date | None = None,
) -> ImportResult:
    """Read one export of past campaigns into a tidy history table.

    Parameters
    ----------
    data
        The file's bytes (CSV in any common encoding and separator, or xlsx), or its path: a
        file is mapped into memory rather than read, so that pyarrow parses it in place.
    filename
        The file's name; only its extension is used, to recognise xlsx (a path's own name
        when none is given).
    channel
        The channel of every row, for a file without a channel column.
    mapping
        Source column -> field, overriding the detected mapping for those columns; a field of
        ``""`` ignores the column.
    keep_duplicates
        Keep exact duplicate rows (they are always reported in the warnings).
    progress
        Called with fractions from 0 to 1 while the file is read.

    Returns
    -------
    ImportResult
        The rows, the skipped lines, the mapping used and every assumption made.

    Raises
    ------
    ImportRefused
        When the file is empty, too large, unreadable, or has nothing usable.
    OSError
        When a path cannot be opened.
    """
    report = progress or (lambda fraction: None)
    report(0.0)
    source: Bytes
    if isinstance(data, os.PathLike):
        filename, source = filename or os.fspath(data), _mapped(data)
    else:
        source = data
    _check_size(source)
    overrides = mapping or {}
    order, day = _checked_order(date_order), today or date.today()
    table = _read_table(source, filename, overrides)
    report(0.5)
    try:
        result = _build_result(table, channel, overrides, keep_duplicates, order, day)
    except _NeedsText:
        text = text_table(*decode(source))
        result = _build_result(text, channel, overrides, keep_duplicates, order, day)
    report(1.0)
    return result


def _reshaped(table: Table, today: date) -> tuple[Table, list[ImportNote], dict[str, str]]:
    """A table wide by channel made long, month and day columns made dates, and a results
    column split by result type (see :mod:`roi_model.files.imports.shapes`), with a note for each
    and the mapping of the columns made here."""
    notes: list[ImportNote] = []
    # pyarrow's typed columns are kept by position: only a text table may change its columns.
    long = None if table.numbers else unpivot_channels(table.header, table.cells, table.lines)
    if long is not None:
        table = replace(table, header=long.header, cells=long.cells, lines=long.lines)
        names = ", ".join(dict.fromkeys(long.cells[long.header.index("channel")]))
        notes.append(ImportNote.of(NoteCode.WIDE_BY_CHANNEL, channels=names))
    dated = month_day_dates(table.header, table.cells, table.lines, today)
    if dated is not None:
        shaped, year = dated
        table = replace(table, header=shaped.header, cells=shaped.cells)
        notes += [ImportNote.of(NoteCode.YEAR_ASSUMED, year=year)] if year is not None else []
    split = results_by_type(table.header, table.cells)
    if split is None:
        return table, notes, {}
    notes += [_result_type_note(split.column, kind) for kind in split.types]
    # The column split is read through its parts: by itself it reads as nothing.
    made = {split.column: "", **split.mapping}
    return replace(table, header=split.header, cells=split.cells), notes, made


def _result_type_note(column: str, kind: ResultType) -> ImportNote:
    if kind.field is not None:
        return ImportNote.of(
            NoteCode.RESULT_TYPE_USED,
            column=column,
            type=kind.name,
            rows=kind.rows,
            field=kind.field,
        )
    if kind.taken_by is not None:
        return ImportNote.of(
            NoteCode.RESULT_TYPE_TAKEN,
            column=column,
            type=kind.name,
            rows=kind.rows,
            other=kind.taken_by,
        )
    return ImportNote.of(
        NoteCode.RESULT_TYPE_NOT_USED, column=column, type=kind.name, rows=kind.rows
    )


def _checked_order(order: str | None) -> str | None:
    if order not in (None, "dmy", "mdy"):
        raise ValueError(f'date_order must be "dmy", "mdy" or None, not {order!r}')
    return order


def _mapped(path: os.PathLike[str]) -> Bytes:
    """The file's bytes mapped into memory (an empty file cannot be mapped). Unmapped when
    the last reference goes, so that nothing parsed from it needs to outlive a `with`."""
    with open(path, "rb") as file:
        if os.fstat(file.fileno()).st_size == 0:
            return b""
        return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)


_BLANK = re.compile(rb"\s*")


def _check_size(data: Bytes) -> None:
    if _BLANK.fullmatch(data):  # as `not data.strip()`, without copying 100 MB
        raise ImportRefused(ImportProblem.EMPTY, "The file is empty.")
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            ImportProblem.TOO_LARGE,
            f"The file has {len(data) / 2**20:,.0f} MB; at most {MAX_BYTES / 2**20:,.0f} MB can be "
            "imported.",
        )


def _read_table(data: Bytes, filename: str, overrides: Mapping[str, str]) -> Table:
    if starts_with(data, b"PK\x03\x04") or filename.lower().endswith((".xlsx", ".xlsm")):
        return xlsx_table(data)
    table = fast.fast_table(data, overrides)
    if table is not None:
        return table
    text, encoding = decode(data)
    return text_table(text, encoding)


class _NeedsText(Exception):
    """The typed cells of the fast path cannot settle what the file's text would."""


# --- From cells to the tidy table ------------------------------------------------------------


def _build_result(
    table: Table,
    channel: str | None,
    overrides: Mapping[str, str],
    keep_duplicates: bool,
    date_order: str | None,
    today: date,
) -> ImportResult:
    table, shape_notes, made = _reshaped(table, today)
    overrides = {**made, **overrides}
    mapping, warnings = corrected_mapping(table.header, overrides)
    warnings = shape_notes + warnings + _no_spend(mapping)
    columns = {field_name: table.header.index(column) for column, field_name in mapping.items()}
    measures = [name for name in HISTORY_FIELDS if name in columns]
    if not measures:
        raise _nothing_usable(table.header)
    skipped = list(table.skipped)
    keep, totals = _data_rows(table, skipped)
    european = _looks_european(table)
    decimal, decimal_note = _decimal(table, keep, [columns[name] for name in measures], european)
    warnings += [decimal_note] if decimal_note else []
    numbers = {name: _measure(table, columns[name], decimal) for name in measures}
    unused = _unused_numbers(table, {**overrides, **mapping}, keep)
    warnings += [_unused_note(unused)] if unused else []
    keep &= _has_numbers(numbers, keep, table.lines, skipped)
    if not keep.any():  # (dropping repeats leaves their first rows: it cannot empty the file)
        raise ImportRefused(
            ImportProblem.NOTHING_USABLE,
            "The file has a header but no data rows with numbers under "
            + ", ".join(f'"{c}"' for c, f in mapping.items() if f in HISTORY_FIELDS)
            + ".",
            table.header,
        )
    positions = np.flatnonzero(keep)
    tidy_notes: list[ImportNote] = []
    with ThreadPoolExecutor(max_workers=1) as pool:
        repeats = find_repeats(table, positions, pool)
        if not keep_duplicates:  # dropping repeats changes the rows: they come first
            keep[positions[repeats()]] = False
        dates, date_order, date_notes = _dates(table, columns, keep, european, date_order)
        rows = _tidy(table, columns, measures, numbers, keep, dates, channel, tidy_notes)
        repeated_lines = table.lines[positions[repeats()]]
    warnings += repeat_notes(repeated_lines, keep_duplicates, skipped) + date_notes + tidy_notes
    warnings += _total_checks(table, totals, numbers, keep, measures, columns.get("channel"))
    return ImportResult(
        rows=rows,
        # A row made several (wide by channel) is skipped once.
        skipped=tuple(sorted(dict.fromkeys(skipped), key=lambda item: item.line)),
        mapping=mapping,
        warnings=tuple(warnings),
        encoding=table.encoding,
        delimiter=table.delimiter,
        decimal=decimal,
        date_order=date_order,
        currency=_currency(table, mapping, columns, measures),
        columns=tuple(name for name in table.header if name),
        unused_numbers=unused,
    )


_COSTLESS = ("impressions", "reach", "clicks")  # results that cost money when they are ads
_UNUSED_SAMPLE = 1_000  # rows that decide whether an unmapped column holds numbers


def _no_spend(mapping: Mapping[str, str]) -> list[ImportNote]:
    """Impressions or clicks without a spend column: said plainly, since a spend column the
    vocabulary missed would otherwise leave an ROI built on nothing."""
    fields = set(mapping.values())
    if "spend" in fields or not fields & set(_COSTLESS):
        return []
    return [ImportNote.of(NoteCode.NO_SPEND)]


def _unused_numbers(
    table: Table, mapping: Mapping[str, str], keep: np.ndarray[Any, Any]
) -> tuple[str, ...]:
    """The columns neither read as a field nor ignored by choice whose cells are numbers (most
    of the first data rows' filled cells): each may be a measure the vocabulary missed."""
    sample = np.flatnonzero(keep)[:_UNUSED_SAMPLE]
    found = []
    for position, column in enumerate(table.header):
        if not column or column in mapping or is_date_part(column):
            continue
        cells = table.cells[position].iloc[sample]
        if mostly_numbers(cells[cells.notna()]):
            found.append(column)
    return tuple(dict.fromkeys(found))


def _unused_note(columns: Sequence[str]) -> ImportNote:
    return ImportNote.of(NoteCode.UNUSED_NUMBERS, columns=", ".join(f'"{c}"' for c in columns))


def _measure(table: Table, column: int, decimal: str) -> np.ndarray[Any, np.dtype[np.float64]]:
    """A measure's floats in an array of their own, which the tidy table takes as it is."""
    typed = table.numbers.get(column)
    if typed is not None:
        return typed
    return parse_numbers(table.cells[column], decimal).to_numpy(dtype=np.float64, copy=True)


def _nothing_usable(header: Sequence[str]) -> ImportRefused:
    found = ", ".join(f'"{column}"' for column in header if column) or "none"
    return ImportRefused(
        ImportProblem.NOTHING_USABLE,
        f"None of the columns ({found}) is a campaign measure; the file needs at least one of: "
        + ", ".join(HISTORY_FIELDS)
        + ".",
        header,
    )


def _data_rows(table: Table, skipped: list[Skipped]) -> tuple[np.ndarray[Any, Any], list[int]]:
    """Rows that may be data (a mask) and the positions of total rows, noting the rest."""
    cells = table.cells
    missing = np.zeros(len(cells), dtype=np.int64)
    total = np.zeros(len(cells), dtype=bool)
    for column in cells.columns:
        values = cells[column]
        empty_cells = values.isna().to_numpy()
        if empty_cells.any():  # most columns of an export have none
            missing += empty_cells
        if not holds_numbers(values):  # a number or a date cannot say "Total"
            total |= is_total(values)
    filled = len(cells.columns) - missing
    lone = (filled == 1) & (len(cells.columns) > 1) & ~total
    empty = filled == 0
    for position in np.flatnonzero(total | lone | empty):
        reason = (
            SkipReason.TOTAL
            if total[position]
            else (SkipReason.EMPTY if empty[position] else SkipReason.STRAY)
        )
        skipped.append(Skipped(int(table.lines[position]), reason))
    return ~(total | lone | empty), [int(p) for p in np.flatnonzero(total)]


def _has_numbers(
    numbers: Mapping[str, np.ndarray[Any, Any]],
    keep: np.ndarray[Any, Any],
    lines: np.ndarray[Any, Any],
    skipped: list[Skipped],
) -> np.ndarray[Any, Any]:
    """Rows with at least one number; the others are listed as skipped."""
    any_number = np.zeros(len(keep), dtype=bool)
    for values in numbers.values():
        any_number |= ~np.isnan(values)
        if any_number.all():  # usually after the first measure
            break
    for position in np.flatnonzero(keep & ~any_number):
        skipped.append(Skipped(int(lines[position]), SkipReason.NO_NUMBERS))
    return any_number


def _decimal(
    table: Table, keep: np.ndarray[Any, Any], measures: Sequence[int], european: bool
) -> tuple[str, ImportNote | None]:
    """The decimal mark, decided as the careful path decides it from the file's text.

    pyarrow's whole numbers have no mark, so they vote for nothing. Its fractions were written
    with a point, but only their text says whether it was a decimal point (1234.56) or maybe
    a thousands one (1.234): the first rows' text settles it, or the file is read as text.
    """
    if table.text is None:
        return decide_decimal([table.cells.loc[keep, column] for column in measures], european)
    text = [
        table.cells.loc[keep, column]
        for column in measures
        if not holds_numbers(table.cells[column])
    ]
    comma, point = mark_votes(text)
    fractions = [column for column in measures if column in table.text.fractions]
    if not fractions:
        return decimal_from_votes(comma, point, text, european)
    for size in (100, len(table.text.first)):  # usually the first row's spend settles it
        first = table.text.rows(np.flatnonzero(keep[:size]))
        cells = pd.Series([row[column] for column in fractions for row in first], dtype=object)
        if comma < point + mark_votes([cells])[1]:  # some of the whole file's votes: enough
            return ".", None
    raise _NeedsText


def _dates(
    table: Table,
    columns: Mapping[str, int],
    keep: np.ndarray[Any, Any],
    european: bool,
    chosen: str | None,
) -> tuple[pd.Series, str | None, list[ImportNote]]:
    if "date" not in columns:
        empty = pd.Series(pd.NaT, index=range(int(keep.sum())), dtype="datetime64[ns]")
        return empty, None, [ImportNote.of(NoteCode.NO_DATE_COLUMN)]
    source = _kept(table.cells[columns["date"]], keep).reset_index(drop=True)
    return parse_dates(source, european, chosen)


def _tidy(
    table: Table,
    columns: Mapping[str, int],
    measures: Sequence[str],
    numbers: Mapping[str, np.ndarray[Any, Any]],
    keep: np.ndarray[Any, Any],
    dates: pd.Series,
    channel: str | None,
    warnings: list[ImportNote],
) -> pd.DataFrame:
    count = int(keep.sum())
    every = count == len(keep)  # a clean file keeps every row: no copies
    tidy: dict[str, Any] = {"date": dates.array}  # the Series is ours: no copy
    tidy["channel"] = _labels(table, columns, "channel", keep, channel or "")
    if "channel" not in columns and not channel:
        warnings.append(ImportNote.of(NoteCode.NO_CHANNEL))
    elif "channel" in columns and channel:
        warnings.append(ImportNote.of(NoteCode.CHANNEL_NOT_USED, channel=channel))
    tidy["campaign"] = _labels(table, columns, "campaign", keep, "")
    for name in measures:
        tidy[name] = numbers[name] if every else numbers[name][keep]
    # Each array is the table's own: copying them into one block costs a copy of the table.
    return pd.DataFrame(tidy, index=pd.RangeIndex(count), copy=False)


def _labels(
    table: Table, columns: Mapping[str, int], name: str, keep: np.ndarray[Any, Any], default: str
) -> Any:
    if name not in columns:
        return _text_array([default], np.zeros(int(keep.sum()), dtype=np.int64))
    codes, uniques = category_codes(_kept(table.cells[columns[name]], keep))
    cleaned = uniques.astype(str).str.strip().astype(object)  # per distinct name, not per row
    return _text_array([*cleaned, ""], codes)  # code -1 (a missing cell) picks the "" at the end


_TEXT = pd.Series(["x"]).dtype  # how pandas holds text: str (pyarrow) from pandas 3, else object


def _text_array(names: Sequence[str], codes: np.ndarray[Any, Any]) -> Any:
    """``names[codes]`` as pandas holds text. With pyarrow strings, arrow's take builds a
    million-row column in milliseconds; converting a million Python strings takes 100 ms."""
    if getattr(_TEXT, "storage", None) != "pyarrow":
        return np.asarray(names, dtype=object)[codes]
    import pyarrow as pa  # type: ignore[import-untyped]  # pandas holds its text in it

    codes = np.where(codes < 0, codes + len(names), codes)  # numpy's -1, the last
    return pd.array(pa.array(names, pa.large_string()).take(pa.array(codes)), dtype=_TEXT)


def _kept(values: pd.Series, keep: np.ndarray[Any, Any]) -> pd.Series:
    return values if keep.all() else values[keep]


def _total_checks(
    table: Table,
    totals: Sequence[int],
    numbers: Mapping[str, np.ndarray[Any, Any]],
    keep: np.ndarray[Any, Any],
    measures: Sequence[str],
    channel: int | None,
) -> list[ImportNote]:
    """Compare every total row with the sum of the detail rows (0.5 % tolerance): of its own
    channel's rows when it names a channel they have (a file wide by channel totals each). A
    stock (the audience) is not a sum of its rows: its total is not checked."""
    notes = []
    summed_measures = [name for name in measures if name not in STOCK_FIELDS]
    for position in totals:
        rows = _rows_it_totals(table, position, keep, channel)
        for name in summed_measures:
            stated = float(numbers[name][position])
            summed = float(np.nansum(numbers[name][rows]))
            if np.isnan(stated) or abs(stated - summed) <= 0.005 * max(abs(stated), 1e-9):
                continue
            line = int(table.lines[position])
            notes.append(
                ImportNote.of(
                    NoteCode.TOTAL_MISMATCH, line=line, field=name, stated=stated, summed=summed
                )
            )
    return notes


def _rows_it_totals(
    table: Table, position: int, keep: np.ndarray[Any, Any], channel: int | None
) -> np.ndarray[Any, Any]:
    if channel is None:
        return keep
    names = table.cells[channel]
    name = names.iloc[position]
    # A total without a channel totals the rows without one (NaN equals nothing in pandas).
    same = names.isna() if pd.isna(name) else names.eq(name).fillna(False)
    own = keep & same.to_numpy(dtype=bool)
    return own if own.any() else keep


def _looks_european(table: Table) -> bool:
    """Semicolons or Spanish or Portuguese headers suggest day-first dates and decimal
    commas."""
    words = {word for column in table.header for word in normalise(column).split()}
    return table.delimiter == ";" or bool(words & _DAY_FIRST_WORDS)


def _currency(
    table: Table, mapping: Mapping[str, str], columns: Mapping[str, int], measures: Sequence[str]
) -> str | None:
    for column, field_name in mapping.items():
        code = header_currency(column)
        if code and field_name in HISTORY_FIELDS:
            return code
    for name in ("spend", "revenue"):
        if name in measures:
            code = cell_currency(table.cells[columns[name]])
            if code:
                return code
    # Google Ads' own column ("Currency code", "Código da moeda"), beside the amounts.
    named = [i for i, column in enumerate(table.header) if normalise(column) in _CURRENCY_HEADERS]
    return next((c for i in named if (c := cell_currency(table.cells[i])) is not None), None)


_CURRENCY_HEADERS = frozenset(
    {
        "currency",
        "currency code",
        "moneda",
        "codigo de moneda",
        "codigo de la moneda",
        "moeda",
        "codigo da moeda",
    }
)
