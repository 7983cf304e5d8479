"""Import messy CSV/xlsx exports of past campaigns into one tidy history table.

``read_history`` takes the bytes of a platform export (Meta, Google Ads, LinkedIn, TikTok, X,
GA4, Instagram/Facebook insights, or a home-made spreadsheet; English or Spanish) and returns an
``ImportResult``: one row per day, ad or post with ``date``, ``channel``, ``campaign`` and every
recognised measure as a float, plus the lines it skipped and every assumption it made. A file it
cannot use raises ``ImportRefused`` with the reason; it never returns a silent zero.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

from roi_model.import_headers import (
    HISTORY_FIELDS,
    KEY_FIELDS,
    VISIT_NAMES,
    HeaderMatch,
    detect_mapping,
    header_currency,
    match_columns,
    normalise,
    resolve,
)

__all__ = [
    "HISTORY_FIELDS",
    "ImportProblem",
    "ImportRefused",
    "ImportResult",
    "Skipped",
    "detect_mapping",
    "read_history",
]

MAX_BYTES = 512 * 1024 * 1024  # far above any real export; protects the app's memory
_SNIFF_BYTES = 64 * 1024
_SNIFF_ROWS = 200
_DELIMITERS = ("\t", ";", ",")
_SPANISH_WORDS = frozenset(
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
    ]
)

Progress = Callable[[float], None]


class ImportProblem(StrEnum):
    """Why a file was refused: one member per message the app translates."""

    EMPTY = "empty"
    UNREADABLE = "unreadable"
    NO_HEADER = "no_header"
    NOTHING_USABLE = "nothing_usable"
    TOO_LARGE = "too_large"
    BAD_MAPPING = "bad_mapping"


class ImportRefused(Exception):
    """A file that cannot give any history; ``reason`` is one English sentence."""

    def __init__(
        self, problem: ImportProblem, reason: str, found_columns: Sequence[str] = ()
    ) -> None:
        super().__init__(reason)
        self.problem = problem
        self.reason = reason
        self.found_columns = tuple(str(column) for column in found_columns)


class SkipReason(StrEnum):
    """Why a line is not data (the values are what the command line prints)."""

    BEFORE_HEADER = "before the header"
    EMPTY = "empty line"
    TOTAL = "total row"
    STRAY = "not a data row (a single value outside the table)"
    NO_NUMBERS = "no numbers in the measure columns"
    DUPLICATE = "duplicate row"


@dataclass(frozen=True)
class Skipped:
    """A line of the file that is not a data row: 1-based physical line and why."""

    line: int
    reason: str


@dataclass(frozen=True, eq=False)
class ImportResult:
    """The tidy history of one file and how it was read."""

    rows: pd.DataFrame
    skipped: tuple[Skipped, ...]
    mapping: dict[str, str]
    warnings: tuple[str, ...]
    encoding: str
    delimiter: str
    decimal: str
    date_order: str | None
    currency: str | None
    columns: tuple[str, ...] = ()  # every column of the file's header, mapped or not

    def fields(self) -> tuple[str, ...]:
        """The measures the file gave, in ``HISTORY_FIELDS`` order."""
        return tuple(name for name in HISTORY_FIELDS if name in self.rows.columns)

    def totals(self) -> dict[str, float]:
        """The sum of every measure over the imported rows (empty cells count as nothing)."""
        return {name: float(self.rows[name].sum()) for name in self.fields()}

    def date_range(self) -> tuple[date, date] | None:
        """The first and last date, or None when the rows have no dates."""
        dates = self.rows["date"].dropna()
        if dates.empty:
            return None
        return dates.min().date(), dates.max().date()

    def channels(self) -> tuple[str, ...]:
        """The channels present, sorted."""
        return tuple(sorted(set(self.rows["channel"].tolist())))

    def to_dict(self) -> dict[str, Any]:
        """The summary the command line prints as JSON."""
        span = self.date_range()
        return {
            "rows": len(self.rows),
            "skipped": [{"line": item.line, "reason": item.reason} for item in self.skipped],
            "mapping": dict(self.mapping),
            "totals": {name: _json_float(value) for name, value in self.totals().items()},
            "date_range": None if span is None else [span[0].isoformat(), span[1].isoformat()],
            "channels": list(self.channels()),
            "warnings": list(self.warnings),
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "decimal": self.decimal,
            "date_order": self.date_order,
            "currency": self.currency,
        }


def _json_float(value: float) -> float | None:
    return value if np.isfinite(value) else None


@dataclass
class _Table:
    """The file's cells after the header, by position, with each row's physical line."""

    header: list[str]
    cells: pd.DataFrame
    lines: np.ndarray[Any, np.dtype[np.int64]]
    encoding: str
    delimiter: str
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_history(
    data: bytes,
    *,
    filename: str = "",
    channel: str | None = None,
    mapping: Mapping[str, str] | None = None,
    keep_duplicates: bool = True,
    progress: Progress | None = None,
) -> ImportResult:
    """Read one export of past campaigns into a tidy history table.

    Parameters
    ----------
    data
        The file's bytes (CSV in any common encoding and separator, or xlsx).
    filename
        The file's name; only its extension is used, to recognise xlsx.
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
    """
    report = progress or (lambda fraction: None)
    report(0.0)
    _check_size(data)
    table = _read_table(data, filename)
    report(0.5)
    result = _build_result(table, channel, mapping or {}, keep_duplicates)
    report(1.0)
    return result


def _check_size(data: bytes) -> None:
    if not data.strip():
        raise ImportRefused(ImportProblem.EMPTY, "The file is empty.")
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            ImportProblem.TOO_LARGE,
            f"The file has {len(data) / 1e6:,.0f} MB; at most {MAX_BYTES / 1e6:,.0f} MB can be "
            "imported.",
        )


def _read_table(data: bytes, filename: str) -> _Table:
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith((".xlsx", ".xlsm")):
        return _xlsx_table(data)
    fast = _fast_table(data)
    if fast is not None:
        return fast
    text, encoding = _decode(data)
    return _text_table(text, encoding)


# --- Decoding and the csv layout ----------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    """Text and encoding: a BOM first, then strict UTF-8, then Windows-1252."""
    boms = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
            (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip
    for bom, encoding in boms:
        if data.startswith(bom):
            codec = "utf-16-be" if bom == codecs.BOM_UTF16_BE else encoding
            codec = "utf-16-le" if bom == codecs.BOM_UTF16_LE else codec
            return _strict(data[len(bom) :], codec, encoding), encoding
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ImportRefused(
        ImportProblem.UNREADABLE, "The file is not text in UTF-8, UTF-16 or Windows-1252."
    )


def _strict(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        raise ImportRefused(
            ImportProblem.UNREADABLE, f"The file starts as {name} but is not valid {name}."
        ) from error


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Each csv record with the physical line it starts on (quoted newlines span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as error:
        raise ImportRefused(
            ImportProblem.UNREADABLE, f"Line {start} cannot be read as CSV ({error})."
        ) from error


def _sniff_delimiter(text: str) -> str:
    """The separator giving the same field count on most of the first lines."""
    sample = "\n".join([line for line in text.splitlines()[:_SNIFF_ROWS] if line.strip()])
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        counts = [len(cells) for cells in csv.reader(io.StringIO(sample), delimiter=delimiter)]
        if not counts:
            continue
        modal = max(set(counts), key=lambda n: (counts.count(n), n))
        score = (counts.count(modal) if modal > 1 else 0, modal)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _find_header(records: Sequence[tuple[int, list[str]]]) -> int:
    """Index of the header: the first record naming two known fields, else the modal width."""
    for index, (_, cells) in enumerate(records[:_SNIFF_ROWS]):
        if len({match.field for match in match_columns(cells)}) >= 2:
            return index
    widths = [len(_trim(cells)) for _, cells in records[:_SNIFF_ROWS] if _trim(cells)]
    if not widths:
        raise ImportRefused(ImportProblem.NO_HEADER, "The file has no header line.")
    modal = max(set(widths), key=lambda n: (widths.count(n), n))
    return next(i for i, (_, cells) in enumerate(records) if len(_trim(cells)) == modal)


def _trim(cells: Sequence[str]) -> list[str]:
    """Cells without the trailing empty ones re-saved spreadsheets add."""
    cells = list(cells)
    while cells and not str(cells[-1]).strip():
        cells.pop()
    return cells


def _text_table(text: str, encoding: str) -> _Table:
    delimiter = _sniff_delimiter(text)
    records = list(_records(text, delimiter))
    header_index = _find_header(records)
    header = records[header_index][1]
    table = _grid_table([str(cell).strip() for cell in header], records[header_index + 1 :])
    table.encoding, table.delimiter = encoding, delimiter
    table.skipped = _preamble(records[:header_index]) + table.skipped
    return table


def _preamble(records: Sequence[tuple[int, Sequence[object]]]) -> list[Skipped]:
    return [
        Skipped(
            line,
            SkipReason.EMPTY if not _trim([str(c) for c in cells]) else SkipReason.BEFORE_HEADER,
        )
        for line, cells in records
    ]


def _grid_table(header: list[str], records: Sequence[tuple[int, Sequence[object]]]) -> _Table:
    """The rows after the header as object cells (None for blank), one column per header cell."""
    width = len(header)
    rows: list[list[object]] = []
    lines: list[int] = []
    skipped: list[Skipped] = []
    for line, cells in records:
        values = [_blank_to_none(cell) for cell in list(cells)[:width]]
        if all(value is None for value in values):
            skipped.append(Skipped(line, SkipReason.EMPTY))
            continue
        rows.append(values + [None] * (width - len(values)))
        lines.append(line)
    frame = pd.DataFrame(rows, columns=range(width), dtype=object)
    return _Table(header, frame, np.array(lines, dtype=np.int64), "", "", skipped)


def _blank_to_none(cell: object) -> object:
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return None
    if isinstance(cell, str):
        return cell if cell.strip() else None
    return cell


# --- The fast path: a clean UTF-8 comma file -------------------------------------------------


def _fast_table(data: bytes) -> _Table | None:
    """pyarrow over the bytes after the header, when nothing in the body needs the csv module.

    Line numbers stay exact because the body has no quotes (no multi-line cells) and no blank
    lines (pyarrow skips those); anything else returns None for the careful path.
    """
    body_start = 3 if data.startswith(codecs.BOM_UTF8) else 0
    try:
        head = codecs.getincrementaldecoder("utf-8")().decode(
            data[body_start : body_start + _SNIFF_BYTES], final=False
        )
    except UnicodeDecodeError:
        return None
    if _sniff_delimiter(head) != ",":
        return None
    records = list(_records(head, ","))[:-1]  # the last may be cut off by the sample
    try:
        header_index = _find_header(records)
    except ImportRefused:
        return None
    header_line = records[header_index][0]
    header_end = _after_line(data, body_start, records[header_index + 1][0] - 1 if
                             header_index + 1 < len(records) else header_line)  # fmt: skip
    body = data[header_end:]
    if header_end < 0 or b'"' in body or b"\n\n" in body or b"\n\r\n" in body or b"\r\r" in body:
        return None
    header = [cell.strip() for cell in records[header_index][1]]
    cells = _arrow_cells(body, len(header))
    if cells is None:
        return None
    table = _Table(header, cells, np.arange(len(cells), dtype=np.int64) + header_line + 1,
                   "utf-8-sig" if body_start else "utf-8", ",")  # fmt: skip
    table.skipped = _preamble(records[:header_index])
    return table


def _after_line(data: bytes, start: int, line: int) -> int:
    """Byte offset just after physical line ``line`` (1-based), or -1 if the file is shorter."""
    position = start
    for _ in range(line):
        position = data.find(b"\n", position) + 1
        if position == 0:
            return -1
    return position


def _arrow_cells(body: bytes, width: int) -> pd.DataFrame | None:
    if not body.strip():
        return pd.DataFrame({i: pd.Series([], dtype=object) for i in range(width)})
    try:
        cells = pd.read_csv(
            io.BytesIO(body), engine="pyarrow", header=None,
            names=[f"c{i}" for i in range(width)], keep_default_na=False, na_values=[""],
        )  # fmt: skip
    except Exception:  # any pyarrow complaint means: use the careful path
        return None
    cells.columns = pd.RangeIndex(width)
    return cells


# --- xlsx -----------------------------------------------------------------------------------


def _xlsx_table(data: bytes) -> _Table:
    try:
        sheet = pd.read_excel(io.BytesIO(data), header=None, dtype=object, engine="openpyxl")
    except Exception as error:  # a corrupt workbook fails in many ways
        raise ImportRefused(
            ImportProblem.UNREADABLE, "The file looks like an Excel workbook but cannot be opened."
        ) from error
    records = [
        (int(index) + 1, [_blank_to_none(cell) for cell in row])
        for index, row in zip(sheet.index, sheet.itertuples(index=False, name=None), strict=True)
    ]
    as_text = [(line, ["" if c is None else str(c) for c in cells]) for line, cells in records]
    header_index = _find_header(as_text)
    header = [cell.strip() for cell in as_text[header_index][1]]
    table = _grid_table(header, records[header_index + 1 :])
    table.encoding, table.delimiter = "xlsx", ""
    table.skipped = _preamble(records[:header_index]) + table.skipped
    return table


# --- From cells to the tidy table ------------------------------------------------------------


def _build_result(
    table: _Table, channel: str | None, overrides: Mapping[str, str], keep_duplicates: bool
) -> ImportResult:
    mapping, warnings = _mapping(table.header, overrides)
    columns = {field_name: table.header.index(column) for column, field_name in mapping.items()}
    measures = [name for name in HISTORY_FIELDS if name in columns]
    if not measures:
        raise _nothing_usable(table.header)
    skipped = list(table.skipped)
    keep, totals = _data_rows(table, skipped)
    european = _looks_european(table)
    decimal, decimal_note = decide_decimal(
        [table.cells.loc[keep, columns[name]] for name in measures], european
    )
    warnings += [decimal_note] if decimal_note else []
    numbers = {
        name: parse_numbers(table.cells[columns[name]], decimal).to_numpy(dtype=np.float64)
        for name in measures
    }
    keep &= _has_numbers(numbers, keep, table.lines, skipped)
    keep &= _duplicates(table, keep, keep_duplicates, skipped, warnings)
    if not keep.any():
        raise ImportRefused(
            ImportProblem.NOTHING_USABLE,
            "The file has a header but no data rows with numbers under "
            + ", ".join(f'"{c}"' for c, f in mapping.items() if f in HISTORY_FIELDS)
            + ".",
            table.header,
        )
    dates, date_order, date_notes = _dates(table, columns, keep, european)
    warnings += date_notes
    rows = _tidy(table, columns, measures, numbers, keep, dates, channel, warnings)
    warnings += _total_checks(table, totals, numbers, keep, measures)
    return ImportResult(
        rows=rows,
        skipped=tuple(sorted(skipped, key=lambda item: item.line)),
        mapping=mapping,
        warnings=tuple(table.warnings + warnings),
        encoding=table.encoding,
        delimiter=table.delimiter,
        decimal=decimal,
        date_order=date_order,
        currency=_currency(table, mapping, columns, measures),
        columns=tuple(name for name in table.header if name),
    )


def _nothing_usable(header: Sequence[str]) -> ImportRefused:
    found = ", ".join(f'"{column}"' for column in header if column) or "none"
    return ImportRefused(
        ImportProblem.NOTHING_USABLE,
        f"None of the columns ({found}) is a campaign measure; the file needs at least one of: "
        + ", ".join(HISTORY_FIELDS)
        + ".",
        header,
    )


def _mapping(
    header: Sequence[str], overrides: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """The detected mapping with the user's corrections applied, and the notes on it."""
    known = set(KEY_FIELDS) | set(HISTORY_FIELDS) | {""}
    for column, field_name in overrides.items():
        if field_name not in known:
            raise ImportRefused(
                ImportProblem.BAD_MAPPING,
                f'Column "{column}" cannot be mapped to "{field_name}"; the fields are: '
                + ", ".join((*KEY_FIELDS, *HISTORY_FIELDS)) + ".",
                header,
            )  # fmt: skip
    matches = [m for m in match_columns(header) if m.column not in overrides]
    matches += [
        HeaderMatch(column, field_name, -1, False, header_currency(column))
        for column, field_name in overrides.items()
        if field_name and column in header
    ]
    mapping, warnings = resolve(matches)
    warnings += [
        f'The mapping names column "{column}", which the file does not have.'
        for column in overrides
        if column not in header
    ]
    warnings += [
        f'"{column}" (visits) is counted as clicks.'
        for column, field_name in mapping.items()
        if field_name == "clicks" and normalise(column) in VISIT_NAMES
    ]
    return mapping, warnings


def _data_rows(table: _Table, skipped: list[Skipped]) -> tuple[np.ndarray[Any, Any], list[int]]:
    """Rows that may be data (a mask) and the positions of total rows, noting the rest."""
    cells = table.cells
    filled = cells.notna().to_numpy().sum(axis=1)
    total = np.zeros(len(cells), dtype=bool)
    for column in cells.columns:
        if not pd.api.types.is_numeric_dtype(cells[column]):
            total |= is_total(cells[column])
    lone = (filled == 1) & (len(cells.columns) > 1) & ~total
    empty = filled == 0
    for position in np.flatnonzero(total | lone | empty):
        reason = SkipReason.TOTAL if total[position] else (
            SkipReason.EMPTY if empty[position] else SkipReason.STRAY)  # fmt: skip
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
    for position in np.flatnonzero(keep & ~any_number):
        skipped.append(Skipped(int(lines[position]), SkipReason.NO_NUMBERS))
    return any_number


def _duplicates(
    table: _Table,
    keep: np.ndarray[Any, Any],
    keep_duplicates: bool,
    skipped: list[Skipped],
    warnings: list[str],
) -> np.ndarray[Any, Any]:
    """Exact repeats of an earlier data row: always reported, dropped on request."""
    positions = np.flatnonzero(keep)
    repeated = _repeated_rows(table.cells.iloc[positions])
    result = np.ones(len(keep), dtype=bool)
    if not repeated.any():
        return result
    lines = table.lines[positions[repeated]]
    shown = ", ".join(str(line) for line in lines[:10]) + (" …" if len(lines) > 10 else "")
    action = "kept" if keep_duplicates else "dropped"
    warnings.append(
        f"{len(lines)} row(s) repeat an earlier row exactly (lines {shown}); they were {action}."
    )
    if not keep_duplicates:
        result[positions[repeated]] = False
        skipped.extend(Skipped(int(line), SkipReason.DUPLICATE) for line in lines)
    return result


def _repeated_rows(cells: pd.DataFrame) -> np.ndarray[Any, Any]:
    """Rows that repeat an earlier row exactly. Row hashes find the candidates at half the
    cost of comparing every cell; only rows whose hash occurs twice are compared exactly."""
    hashes = pd.util.hash_pandas_object(cells, index=False)
    candidates = hashes.duplicated(keep=False).to_numpy()
    repeated = np.zeros(len(cells), dtype=bool)
    if candidates.any():
        repeated[candidates] = cells[candidates].duplicated(keep="first").to_numpy()
    return repeated


def _dates(
    table: _Table, columns: Mapping[str, int], keep: np.ndarray[Any, Any], european: bool
) -> tuple[pd.Series, str | None, list[str]]:
    if "date" not in columns:
        empty = pd.Series(pd.NaT, index=range(int(keep.sum())), dtype="datetime64[ns]")
        return empty, None, ["The file has no date column; the rows have no dates."]
    source = table.cells[columns["date"]][keep].reset_index(drop=True)
    return parse_dates(source, european)


def _tidy(
    table: _Table,
    columns: Mapping[str, int],
    measures: Sequence[str],
    numbers: Mapping[str, np.ndarray[Any, Any]],
    keep: np.ndarray[Any, Any],
    dates: pd.Series,
    channel: str | None,
    warnings: list[str],
) -> pd.DataFrame:
    count = int(keep.sum())
    tidy: dict[str, Any] = {"date": dates.to_numpy()}
    tidy["channel"] = _labels(table, columns, "channel", keep, channel or "")
    if "channel" not in columns and not channel:
        warnings.append('The file has no channel column and no channel was given; channel is "".')
    elif "channel" in columns and channel:
        warnings.append(f'The file has a channel column; the channel "{channel}" was not used.')
    tidy["campaign"] = _labels(table, columns, "campaign", keep, "")
    for name in measures:
        tidy[name] = numbers[name][keep]
    return pd.DataFrame(tidy, index=pd.RangeIndex(count))


def _labels(
    table: _Table, columns: Mapping[str, int], name: str, keep: np.ndarray[Any, Any], default: str
) -> np.ndarray[Any, Any]:
    if name not in columns:
        return np.full(int(keep.sum()), default, dtype=object)
    codes, uniques = _uniques(table.cells[columns[name]][keep])
    cleaned = uniques.astype(str).str.strip().astype(object)  # per distinct name, not per row
    return _expand(cleaned, codes, "").astype(object)


def _total_checks(
    table: _Table,
    totals: Sequence[int],
    numbers: Mapping[str, np.ndarray[Any, Any]],
    keep: np.ndarray[Any, Any],
    measures: Sequence[str],
) -> list[str]:
    """Compare every total row with the sum of the detail rows (0.5 % tolerance)."""
    notes = []
    for position in totals:
        for name in measures:
            stated = float(numbers[name][position])
            summed = float(np.nansum(numbers[name][keep]))
            if np.isnan(stated) or abs(stated - summed) <= 0.005 * max(abs(stated), 1e-9):
                continue
            notes.append(
                f"The total row on line {table.lines[position]} gives {name} {stated:,.2f} but "
                f"the detail rows add up to {summed:,.2f}."
            )
    return notes


def _looks_european(table: _Table) -> bool:
    """Semicolons or Spanish headers suggest day-first dates and decimal commas."""
    words = {word for column in table.header for word in normalise(column).split()}
    return table.delimiter == ";" or bool(words & _SPANISH_WORDS)


def _currency(
    table: _Table, mapping: Mapping[str, str], columns: Mapping[str, int], measures: Sequence[str]
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
    return None


# --- Cell values: totals, numbers, dates, currency ---------------------------------------------

_TOTAL = r"^\s*(?:totals?|totales|grand total|suma)\b"
_PLACEHOLDERS = r"^\s*(?:-+|\u2014|\u2013|n/?a|nan|null|none)?\s*$"
_THOUSAND_SPACES = "\u00a0\u202f\u2009 '"
_CURRENCY_SIGNS = {"€": "EUR", "£": "GBP", "$": "USD"}
_CURRENCY_CELL = re.compile(r"\b(EUR|USD|GBP|MXN|ARS|COP|CLP|PEN|BRL|CHF)\b")
_MONTHS = {
    "jan": 1, "ene": 1, "feb": 2, "mar": 3, "apr": 4, "abr": 4, "may": 5, "jun": 6, "jul": 7,
    "aug": 8, "ago": 8, "sep": 9, "set": 9, "oct": 10, "nov": 11, "dec": 12, "dic": 12,
}  # fmt: skip
_MONTH_WORD = r"\b(" + "|".join(_MONTHS) + r")[a-z]*\b"


def _as_text(values: pd.Series) -> pd.Series:
    """String cells as str; numbers and dates from xlsx become NaN here (handled natively)."""
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return pd.Series(np.nan, index=values.index, dtype="str")
    if pd.api.types.is_string_dtype(values) and values.dtype != object:
        return values
    return values.where(values.map(lambda cell: isinstance(cell, str))).astype("str")


def _matches(text: pd.Series, pattern: str) -> np.ndarray[Any, Any]:
    """A plain boolean mask of the cells matching ``pattern`` (missing cells do not)."""
    return text.str.match(pattern).fillna(False).to_numpy(dtype=bool)


def _uniques(values: pd.Series) -> tuple[np.ndarray[Any, Any], pd.Series]:
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


def is_total(values: pd.Series) -> np.ndarray[Any, Any]:
    """Cells that start a total row: "Total", "Total: Campañas", "Totales", "Suma"…"""
    codes, uniques = _uniques(values)
    flags = pd.Series(_matches(_as_text(uniques), "(?i)" + _TOTAL))
    return _expand(flags, codes, False).astype(bool)


def decide_decimal(columns: Sequence[pd.Series], european: bool) -> tuple[str, str | None]:
    """The file's decimal mark from its measure cells, and a note when nothing decided it."""
    columns = [column for column in columns if not pd.api.types.is_numeric_dtype(column)]
    if not columns:  # every measure parsed as a number already: the mark was "."
        return ".", None
    comma = point = 0
    for column in columns:
        text = _as_text(column).dropna().drop_duplicates().head(20_000).astype(str)
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
    if comma != point:
        return ("," if comma > point else "."), None
    if not any(_as_text(column).str.contains(r"\d[.,]\d", regex=True).any() for column in columns):
        return ("," if european else "."), None
    mark = "," if european else "."
    return mark, f'The decimal mark could not be decided from the numbers; "{mark}" was assumed.'


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
    parsed = parsed.where(~percent, parsed / 100.0)
    return parsed.fillna(native.astype(np.float64))


def _is_number(cell: object) -> bool:
    return isinstance(cell, int | float | np.number) and not isinstance(cell, bool)


def cell_currency(values: pd.Series) -> str | None:
    """A currency named in the cells: a code (EUR) or a sign (€, £, $)."""
    text = " ".join(_as_text(values).dropna().head(200).astype(str))
    code = _CURRENCY_CELL.search(text)
    if code:
        return code.group(1)
    return next((name for sign, name in _CURRENCY_SIGNS.items() if sign in text), None)


def parse_dates(values: pd.Series, european: bool) -> tuple[pd.Series, str | None, list[str]]:
    """Dates (midnight, datetime64[ns]) from any common export format; the order and notes."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.astype("datetime64[ns]").dt.normalize(), None, []
    codes, uniques = _uniques(values)
    parsed, order, notes = _parse_distinct_dates(uniques, european)
    dates = _expand(parsed, codes, np.datetime64("NaT", "ns"))
    return pd.Series(dates, index=values.index, dtype="datetime64[ns]"), order, notes


def _parse_distinct_dates(
    values: pd.Series, european: bool
) -> tuple[pd.Series, str | None, list[str]]:
    native = pd.to_datetime(values.where(values.map(_is_datetime)), errors="coerce")
    text = _as_text(values).astype(object).where(lambda s: s.notna(), "").astype(str)
    text = text.str.replace(r"\s+[-\u2013]\s+.*$|\s+(?:a|to)\s+\d.*$", "", regex=True).str.strip()
    result = native.astype("datetime64[ns]")
    result = result.fillna(_iso_dates(text)).fillna(_compact_dates(text))
    slashed, order, notes = _numeric_dates(text, european)
    result = result.fillna(slashed).fillna(_named_month_dates(text))
    return result.dt.normalize(), order, notes


def _is_datetime(cell: object) -> bool:
    return isinstance(cell, pd.Timestamp | date)


def _from_parts(parts: pd.DataFrame) -> pd.Series:
    numbers = parts.apply(pd.to_numeric, errors="coerce")
    year = numbers["year"].where(numbers["year"] >= 100, numbers["year"] + 2000)
    frame = pd.DataFrame({"year": year, "month": numbers["month"], "day": numbers["day"]})
    return pd.to_datetime(frame, errors="coerce").astype("datetime64[ns]")


def _iso_dates(text: pd.Series) -> pd.Series:
    parts = text.str.extract(r"^(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})")
    return _from_parts(parts)


def _compact_dates(text: pd.Series) -> pd.Series:
    parts = text.str.extract(r"^(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})$")
    return _from_parts(parts)


def _numeric_dates(text: pd.Series, european: bool) -> tuple[pd.Series, str | None, list[str]]:
    """``dd/mm/yyyy`` or ``mm/dd/yyyy``, decided by a part above 12, else by the file's look."""
    parts = text.str.extract(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})\b")
    if parts[0].isna().all():
        return pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]"), None, []
    first, second = (pd.to_numeric(parts[i], errors="coerce") for i in (0, 1))
    notes: list[str] = []
    if (first > 12).any() and not (second > 12).any():
        order = "dmy"
    elif (second > 12).any() and not (first > 12).any():
        order = "mdy"
    else:
        order = "dmy" if european else "mdy"
        look = "European (semicolons, Spanish headers)" if european else "not European"
        notes.append(
            f"Dates like {text[parts[0].notna()].iloc[0]} could be day-first or month-first; "
            f"{'day/month/year' if order == 'dmy' else 'month/day/year'} was assumed because "
            f"the file looks {look}."
        )
    day, month = (parts[0], parts[1]) if order == "dmy" else (parts[1], parts[0])
    dates = _from_parts(pd.DataFrame({"year": parts[2], "month": month, "day": day}))
    return dates, order, notes


def _named_month_dates(text: pd.Series) -> pd.Series:
    """ "1 mar 2025", "Mar 1, 2025", "1 de marzo de 2025"."""
    plain = text.map(normalise)
    month = plain.str.extract(_MONTH_WORD)[0].map(_MONTHS)
    day = plain.str.extract(r"(?<!\d)(\d{1,2})(?!\d)")[0]
    year = plain.str.extract(r"(\d{4})")[0]
    return _from_parts(pd.DataFrame({"year": year, "month": month, "day": day}))
