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
import functools
import io
import itertools
import mmap
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

from roi_model.files.imports.headers import (
    VISIT_NAMES,
    HeaderMatch,
    ImportNote,
    NoteCode,
    detect_mapping,
    header_currency,
    match_columns,
    normalise,
    resolve,
)
from roi_model.files.imports.limits import (
    MAX_CELL_CHARS,
    bounded_lines,
    cell_too_long,
    check_record,
    check_workbook,
    has_long_lines,
    sniff_lines,
)
from roi_model.files.imports.shapes import (
    MONTHS,
    ResultType,
    is_date_part,
    month_day_dates,
    results_by_type,
    unpivot_channels,
)
from roi_model.model.vocabulary import HISTORY_FIELDS, KEY_FIELDS

__all__ = [
    "HISTORY_FIELDS",
    "ImportNote",
    "ImportProblem",
    "ImportRefused",
    "ImportResult",
    "NoteCode",
    "Skipped",
    "detect_mapping",
    "read_history",
]

MAX_BYTES = 500 * 2**20  # far above any real export; protects the app's memory
_SNIFF_BYTES = 64 * 1024
_SNIFF_ROWS = 200
_DECIMAL_SAMPLE = 20_000  # distinct texts per column that decide the decimal mark
_DELIMITERS = ("\t", ";", ",")
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


class ImportProblem(StrEnum):
    """Why a file was refused: one member per message the app translates."""

    EMPTY = "empty"
    UNREADABLE = "unreadable"
    NO_HEADER = "no_header"
    NOTHING_USABLE = "nothing_usable"
    TOO_LARGE = "too_large"
    BAD_MAPPING = "bad_mapping"
    # The bounds of roi_model.files.imports.limits:
    TOO_WIDE = "too_wide"
    LINE_TOO_LONG = "line_too_long"
    CELL_TOO_LONG = "cell_too_long"
    TOO_MANY_ROWS = "too_many_rows"
    TOO_MANY_CELLS = "too_many_cells"
    UNPACKS_TOO_LARGE = "unpacks_too_large"


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
    warnings: tuple[ImportNote, ...]
    encoding: str
    delimiter: str
    decimal: str
    date_order: str | None
    currency: str | None
    columns: tuple[str, ...] = ()  # every column of the file's header, mapped or not
    unused_numbers: tuple[str, ...] = ()  # columns of numbers that no field reads

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
        return tuple(sorted(self.rows["channel"].unique().tolist()))  # not a million strs

    def campaigns(self) -> tuple[str, ...]:
        """The campaigns present, sorted."""
        return tuple(sorted(self.rows["campaign"].unique().tolist()))

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
            "warnings": [str(note) for note in self.warnings],
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "decimal": self.decimal,
            "date_order": self.date_order,
            "currency": self.currency,
            "unused_numbers": list(self.unused_numbers),
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
    text: _BodyText | None = None  # the file's text, when the cells hold pyarrow's numbers
    # The measures pyarrow read as numbers, as float arrays of their own: the tidy table
    # takes them as they are (each copy of a 100 MB file's columns costs page faults).
    numbers: dict[int, np.ndarray[Any, np.dtype[np.float64]]] = field(default_factory=dict)


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
    source: _Bytes
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
        text = _text_table(*_decode(source))
        result = _build_result(text, channel, overrides, keep_duplicates, order, day)
    report(1.0)
    return result


def _reshaped(table: _Table, today: date) -> tuple[_Table, list[ImportNote], dict[str, str]]:
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


_Bytes = bytes | mmap.mmap  # a file's bytes, read or mapped: sliced and searched alike


def _mapped(path: os.PathLike[str]) -> _Bytes:
    """The file's bytes mapped into memory (an empty file cannot be mapped). Unmapped when
    the last reference goes, so that nothing parsed from it needs to outlive a `with`."""
    with open(path, "rb") as file:
        if os.fstat(file.fileno()).st_size == 0:
            return b""
        return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)


def _starts(data: _Bytes, prefix: bytes) -> bool:
    return data[: len(prefix)] == prefix


_BLANK = re.compile(rb"\s*")


def _check_size(data: _Bytes) -> None:
    if _BLANK.fullmatch(data):  # as `not data.strip()`, without copying 100 MB
        raise ImportRefused(ImportProblem.EMPTY, "The file is empty.")
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            ImportProblem.TOO_LARGE,
            f"The file has {len(data) / 2**20:,.0f} MB; at most {MAX_BYTES / 2**20:,.0f} MB can be "
            "imported.",
        )


def _read_table(data: _Bytes, filename: str, overrides: Mapping[str, str]) -> _Table:
    if _starts(data, b"PK\x03\x04") or filename.lower().endswith((".xlsx", ".xlsm")):
        return _xlsx_table(data)
    fast = _fast_table(data, overrides)
    if fast is not None:
        return fast
    text, encoding = _decode(data)
    return _text_table(text, encoding)


# --- Decoding and the csv layout ----------------------------------------------------------


def _decode(mapped: _Bytes) -> tuple[str, str]:
    """Text and encoding: a BOM first, then strict UTF-8, then Windows-1252."""
    data = mapped if isinstance(mapped, bytes) else mapped[:]  # the text copies them anyway
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
    # Lines no longer than a cell may be (the common case) hold no cell too long, unless a
    # record spans several: only then are its cells measured.
    long_lines = has_long_lines(text, MAX_CELL_CHARS)
    lines = bounded_lines(text) if long_lines else io.StringIO(text, newline="")
    reader = csv.reader(lines, delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            check_record(start, cells, long_lines or reader.line_num > start)
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as error:
        if "field larger than field limit" in str(error):  # the module's limit is above ours
            raise cell_too_long(start) from error
        raise ImportRefused(
            ImportProblem.UNREADABLE, f"Line {start} cannot be read as CSV ({error})."
        ) from error


def _sniff_delimiter(text: str) -> str:
    """The separator giving the same field count on most of the first lines."""
    sample = "\n".join([line for line in sniff_lines(text)[:_SNIFF_ROWS] if line.strip()])
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
    named = _named_header(records)
    if named is not None:
        return named
    widths = [len(_trim(cells)) for _, cells in records[:_SNIFF_ROWS] if _trim(cells)]
    if not widths:
        raise ImportRefused(ImportProblem.NO_HEADER, "The file has no header line.")
    modal = max(set(widths), key=lambda n: (widths.count(n), n))
    return next(i for i, (_, cells) in enumerate(records) if len(_trim(cells)) == modal)


def _named_header(records: Sequence[tuple[int, list[str]]]) -> int | None:
    for index, (_, cells) in enumerate(records[:_SNIFF_ROWS]):
        if len({match.field for match in match_columns(cells)}) >= 2:
            return index
    return None


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


class _NeedsText(Exception):
    """The typed cells of the fast path cannot settle what the file's text would."""


@dataclass
class _BodyText:
    """The file's own text of the rows the fast path read as numbers, for the few rows that
    need it: the first rows (from the sample already parsed) or any row (from the bytes)."""

    body: memoryview
    width: int
    first: list[list[str]]  # cells of the first rows, as the csv module read them
    fractions: frozenset[int]  # the columns pyarrow read as fractions (float)
    starts: np.ndarray[Any, np.dtype[np.int64]] | None = None

    def rows(self, positions: np.ndarray[Any, Any]) -> list[tuple[object, ...]]:
        """The cells of those rows as the careful path holds them (None for blank)."""
        if not len(positions) or int(positions.max()) < len(self.first):
            texts = [self.first[int(position)] for position in positions]
        else:
            texts = [self._line(int(position)).split(",") for position in positions]
        pad = [None] * self.width
        return [tuple(([_blank_to_none(cell) for cell in cells] + pad)[: self.width])
                for cells in texts]  # fmt: skip

    def keys(
        self, positions: np.ndarray[Any, Any], hashes: np.ndarray[Any, Any]
    ) -> np.ndarray[Any, np.dtype[np.int64]]:
        """A key per row, equal for rows the careful path holds equal, given rows with equal
        ``hashes`` (of their values): the line as written, unless rows of equal values were
        written differently (1.5 and 1.50, a blank and an empty cell); then their cells as the
        careful path holds them. Building every row's cells took a minute for 3,000,000."""
        lines = self._line_codes(positions)
        values = pd.factorize(hashes)[0].astype(np.int64)
        width = int(lines.max()) + 1
        pairs = _distinct(values * width + lines)
        spellings = np.bincount(pairs // width, minlength=int(values.max()) + 1)
        differently = np.flatnonzero(spellings[values] > 1)
        if len(differently):
            cells = pd.Series(self.rows(positions[differently]), dtype=object)
            lines[differently] = width + pd.factorize(cells)[0]
        return lines

    def _line_codes(self, positions: np.ndarray[Any, Any]) -> np.ndarray[Any, np.dtype[np.int64]]:
        """Equal codes for rows written alike: pyarrow reads each line whole, as one cell."""
        import pyarrow as pa  # type: ignore[import-untyped]  # the fast path read this text
        from pyarrow import csv as arrow_csv

        try:
            whole = arrow_csv.read_csv(
                pa.py_buffer(self.body),
                read_options=arrow_csv.ReadOptions(column_names=["line"]),
                parse_options=arrow_csv.ParseOptions(delimiter="\x1f", quote_char=False,
                                                     ignore_empty_lines=False),
                convert_options=arrow_csv.ConvertOptions(column_types={"line": pa.string()},
                                                         strings_can_be_null=False),
            ).column(0)  # fmt: skip
        except (pa.ArrowException, ValueError):  # a \x1f in a line: one by one
            lines = pd.Series([self._line(int(position)) for position in positions], dtype=object)
            return pd.factorize(lines)[0].astype(np.int64)
        every = len(positions) == len(whole)  # the rows are ascending: all of them
        taken = (whole if every else whole.take(pa.array(positions))).combine_chunks()
        return np.asarray(taken.dictionary_encode().indices, dtype=np.int64)

    def _line(self, position: int) -> str:
        if self.starts is None:
            self.starts = _line_starts(self.body)
        end = int(self.starts[position + 1]) if position + 1 < len(self.starts) else None
        return bytes(self.body[int(self.starts[position]) : end]).decode().rstrip("\r\n")


def _distinct(numbers: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """``np.unique`` by a sort: numpy's hash table took seconds for millions of integers."""
    ordered = np.sort(numbers)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def _line_starts(body: memoryview) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Where each line starts: after \\n, or after a \\r not followed by \\n (csv's line ends)."""
    octets = np.frombuffer(body, dtype=np.uint8)
    ends = octets == 10
    ends[:-1] |= (octets[:-1] == 13) & (octets[1:] != 10)
    ends[-1:] |= octets[-1:] == 13
    return np.concatenate(([0], np.flatnonzero(ends) + 1)).astype(np.int64)


def _fast_table(data: _Bytes, overrides: Mapping[str, str]) -> _Table | None:
    """pyarrow over the bytes after the header, when nothing in the body needs the csv module.

    Without quotes every line of the body is one row: pyarrow, like the csv module, ends lines
    at \\n, \\r\\n or a lone \\r, and keeps a blank line as an empty row, so line numbers stay
    exact. Measure columns come back as numbers where every cell is one; the other columns as
    text, cleaned like the careful path's. Anything else returns None for the careful path.
    """
    if has_long_lines(data, MAX_CELL_CHARS):  # a cell may be too long: the careful path says
        return None
    start = len(codecs.BOM_UTF8) if _starts(data, codecs.BOM_UTF8) else 0
    complete = len(data) - start <= _SNIFF_BYTES
    try:
        head = codecs.getincrementaldecoder("utf-8")().decode(
            data[start : start + _SNIFF_BYTES], final=complete
        )
        if _sniff_delimiter(head) != ",":
            return None
        every = list(_records(head, ","))
    except (UnicodeDecodeError, ImportRefused):
        return None
    records = every if complete else every[:-1]  # the last may be cut off by the sample
    index = _sampled_header(records, complete)
    if index is None:
        return None
    lines = every[index + 1][0] - 1 if index + 1 < len(every) else None  # through the header
    header_end = len(data) if lines is None else start + _line_bytes(head, lines)
    if data.find(b'"', header_end) >= 0:
        return None
    header = [cell.strip() for cell in records[index][1]]
    measures = _measure_positions(header, overrides)
    body = memoryview(data)[header_end:]
    typed = None if measures is None else _arrow_cells(body, len(header), measures)
    if typed is None:
        return None
    cells, fractions, numbers = typed
    first_line = every[index][0] + 1 if lines is None else lines + 1
    first = [row for _, row in records[index + 1 :]][:_DECIMAL_SAMPLE]
    table = _Table(header, cells, np.arange(len(cells), dtype=np.int64) + first_line,
                   "utf-8-sig" if start else "utf-8", ",")  # fmt: skip
    table.text, table.numbers = _BodyText(body, len(header), first, fractions), numbers
    table.skipped = _preamble(records[:index])
    return table


def _sampled_header(records: Sequence[tuple[int, list[str]]], complete: bool) -> int | None:
    """The header ``_find_header`` finds in the whole file, when the sample is enough to say."""
    named = _named_header(records)
    if named is not None or not (complete or len(records) >= _SNIFF_ROWS):
        return named
    try:
        return _find_header(records)
    except ImportRefused:
        return None


def _line_bytes(text: str, lines: int) -> int:
    """Bytes of the first ``lines`` physical lines of ``text``, line ends included."""
    taken = "".join(itertools.islice(io.StringIO(text, newline=""), lines))
    return len(taken.encode("utf-8"))


def _measure_positions(header: Sequence[str], overrides: Mapping[str, str]) -> set[int] | None:
    """The columns that will be read as measures (None when the mapping will be refused)."""
    try:
        mapping, _ = _mapping(header, overrides)
    except ImportRefused:
        return None
    return {list(header).index(column) for column, name in mapping.items()
            if name in HISTORY_FIELDS}  # fmt: skip


_Typed = tuple[pd.DataFrame, frozenset[int], dict[int, np.ndarray[Any, np.dtype[np.float64]]]]


def _arrow_cells(body: memoryview, width: int, measures: set[int]) -> _Typed | None:
    """The body's cells by position (measures typed, other columns as categorical text), the
    columns read as fractions and the typed measures' floats; None when pyarrow refuses the
    body or types a measure oddly."""
    try:
        import pyarrow as pa  # optional, as for pandas' csv engine
        from pyarrow import csv as arrow_csv
    except ImportError:
        return None
    if not len(body):
        empty = pd.DataFrame({i: pd.Series([], dtype=object) for i in range(width)})
        return empty, frozenset(), {}
    names = [f"c{i}" for i in range(width)]
    text = pa.dictionary(pa.int32(), pa.string())
    try:
        read = arrow_csv.read_csv(
            pa.py_buffer(body),
            read_options=arrow_csv.ReadOptions(column_names=names),
            parse_options=arrow_csv.ParseOptions(ignore_empty_lines=False),
            convert_options=arrow_csv.ConvertOptions(
                column_types={name: text for i, name in enumerate(names) if i not in measures},
                null_values=[""], strings_can_be_null=True,
            ),
        )  # fmt: skip
    except (pa.ArrowException, ValueError):  # a ragged row, bad UTF-8...: the careful path
        return None
    numeric = [i for i in range(width) if _is_number_type(read.column(i).type, pa)]
    others = [i for i in range(width) if i not in numeric]
    # In parallel, as pyarrow converts: numpy and pyarrow let go of the GIL while they copy,
    # and the page faults of a 100 MB file's new arrays cost more than the copies.
    with ThreadPoolExecutor() as pool:
        converted = pool.map(_float_array, map(read.column, numeric))
        texts = dict(zip(others, pool.map(lambda i: _text_column(read.column(i), pa), others),
                         strict=True))  # fmt: skip
        numbers = dict(zip(numeric, converted, strict=True))
    columns = [pd.Series(numbers[i], copy=False) if i in numbers else texts[i]
               for i in range(width)]  # fmt: skip
    if any(np.isfinite(floats).sum() != len(floats) - read.column(i).null_count
           for i, floats in numbers.items()):  # fmt: skip
        return None  # "nan" or "inf" written out: cells the careful path holds as text
    if any(column is None for column in columns):
        return None
    fractions = frozenset(i for i in range(width) if pa.types.is_floating(read.column(i).type))
    return pd.DataFrame(dict(enumerate(columns)), copy=False), fractions, numbers


def _is_number_type(kind: Any, pa: Any) -> bool:
    return bool(pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_null(kind))


def _float_array(column: Any) -> np.ndarray[Any, np.dtype[np.float64]]:
    """A numeric column as one new float array (NaN for empty cells), filled chunk by chunk."""
    floats = np.empty(len(column), dtype=np.float64)
    start = 0
    for chunk in column.chunks:
        end = start + len(chunk)
        if chunk.null_count == len(chunk):  # pyarrow's null type has no numbers to copy
            floats[start:end] = np.nan
        else:
            floats[start:end] = chunk.to_numpy(zero_copy_only=False)
        start = end
    return floats


def _text_column(column: Any, pa: Any) -> pd.Series | None:
    """A text column as the careful path would hold its cells (blank text is missing), or None
    for a type it would not expect."""
    kind = column.type
    values: pd.Series = column.to_pandas()
    if pa.types.is_dictionary(kind):
        names = values.cat.categories.to_numpy(dtype=object)  # iterating arrow's is slow
        blank = [name for name in names if not str(name).strip()]
        return values.cat.remove_categories(blank) if blank else values
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        codes, uniques = _uniques(values)
        blank = np.append([not str(name).strip() for name in uniques], False)[codes]
        return values.where(~blank) if blank.any() else values
    return None


# --- xlsx -----------------------------------------------------------------------------------


def _xlsx_table(data: _Bytes) -> _Table:
    check_workbook(data)  # before pandas builds a grid of whatever size the sheet claims
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
    table: _Table,
    channel: str | None,
    overrides: Mapping[str, str],
    keep_duplicates: bool,
    date_order: str | None,
    today: date,
) -> ImportResult:
    table, shape_notes, made = _reshaped(table, today)
    overrides = {**made, **overrides}
    mapping, warnings = _mapping(table.header, overrides)
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
        repeats = _repeats(table, positions, pool)
        if not keep_duplicates:  # dropping repeats changes the rows: they come first
            keep[positions[repeats()]] = False
        dates, date_order, date_notes = _dates(table, columns, keep, european, date_order)
        rows = _tidy(table, columns, measures, numbers, keep, dates, channel, tidy_notes)
        repeated_lines = table.lines[positions[repeats()]]
    warnings += _repeat_notes(repeated_lines, keep_duplicates, skipped) + date_notes + tidy_notes
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
    table: _Table, mapping: Mapping[str, str], keep: np.ndarray[Any, Any]
) -> tuple[str, ...]:
    """The columns neither read as a field nor ignored by choice whose cells are numbers (most
    of the first data rows' filled cells): each may be a measure the vocabulary missed."""
    sample = np.flatnonzero(keep)[:_UNUSED_SAMPLE]
    found = []
    for position, column in enumerate(table.header):
        if not column or column in mapping or is_date_part(column):
            continue
        cells = table.cells[position].iloc[sample]
        if _mostly_numbers(cells[cells.notna()]):
            found.append(column)
    return tuple(dict.fromkeys(found))


# A cell that is one number as exports write them: "1.234,56 €", "$12", "8,30 %", "-3".
# Matched on the stripped cell, with single optional spaces: runs of optional spaces side by
# side backtrack in cubic time (a cell of 1,600 newlines took 18 s).
_NUMBER_CELL = re.compile(
    r"[-+(]?(?:[€$£]|[A-Z]{3})? ?[-+]?\d[\d.,\u00a0\u202f\u2009' ]*(?:[eE][-+]?\d+)?"
    r" ?(?:%|[€$£]|[A-Z]{3})?\)?"
)
_LONGEST_NUMBER = 40  # characters: a longer cell is text, whatever it holds


def _mostly_numbers(cells: pd.Series) -> bool:
    """Whether nine in ten of these (filled) cells are numbers, judged once per distinct cell
    ("160 x 600" is not one, though it holds digits)."""
    if cells.empty:
        return False
    codes, uniques = _uniques(cells)
    numeric = np.array(
        [
            _is_number(cell) or (isinstance(cell, str) and _is_number_text(cell.strip()))
            for cell in uniques
        ]
    )
    return bool(numeric[codes].mean() >= 0.9)


def _is_number_text(text: str) -> bool:
    return len(text) <= _LONGEST_NUMBER and _NUMBER_CELL.fullmatch(text) is not None


def _unused_note(columns: Sequence[str]) -> ImportNote:
    return ImportNote.of(NoteCode.UNUSED_NUMBERS, columns=", ".join(f'"{c}"' for c in columns))


def _measure(table: _Table, column: int, decimal: str) -> np.ndarray[Any, np.dtype[np.float64]]:
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


def _mapping(
    header: Sequence[str], overrides: Mapping[str, str]
) -> tuple[dict[str, str], list[ImportNote]]:
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
    mapping, notes = resolve(matches)
    notes += [
        ImportNote.of(NoteCode.MAPPED_COLUMN_MISSING, column=column)
        for column in overrides
        if column not in header
    ]
    notes += [
        ImportNote.of(NoteCode.VISITS_AS_CLICKS, column=column)
        for column, field_name in mapping.items()
        if field_name == "clicks" and normalise(column) in VISIT_NAMES
    ]
    return mapping, notes


def _data_rows(table: _Table, skipped: list[Skipped]) -> tuple[np.ndarray[Any, Any], list[int]]:
    """Rows that may be data (a mask) and the positions of total rows, noting the rest."""
    cells = table.cells
    missing = np.zeros(len(cells), dtype=np.int64)
    total = np.zeros(len(cells), dtype=bool)
    for column in cells.columns:
        values = cells[column]
        empty_cells = values.isna().to_numpy()
        if empty_cells.any():  # most columns of an export have none
            missing += empty_cells
        if not _holds_numbers(values):  # a number or a date cannot say "Total"
            total |= is_total(values)
    filled = len(cells.columns) - missing
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
        if any_number.all():  # usually after the first measure
            break
    for position in np.flatnonzero(keep & ~any_number):
        skipped.append(Skipped(int(lines[position]), SkipReason.NO_NUMBERS))
    return any_number


def _decimal(
    table: _Table, keep: np.ndarray[Any, Any], measures: Sequence[int], european: bool
) -> tuple[str, ImportNote | None]:
    """The decimal mark, decided as the careful path decides it from the file's text.

    pyarrow's whole numbers have no mark, so they vote for nothing. Its fractions were written
    with a point, but only their text says whether it was a decimal point (1234.56) or maybe
    a thousands one (1.234): the first rows' text settles it, or the file is read as text.
    """
    if table.text is None:
        return decide_decimal([table.cells.loc[keep, column] for column in measures], european)
    text = [table.cells.loc[keep, column] for column in measures
            if not _holds_numbers(table.cells[column])]  # fmt: skip
    comma, point = _mark_votes(text)
    fractions = [column for column in measures if column in table.text.fractions]
    if not fractions:
        return _decided(comma, point, text, european)
    for size in (100, len(table.text.first)):  # usually the first row's spend settles it
        first = table.text.rows(np.flatnonzero(keep[:size]))
        cells = pd.Series([row[column] for column in fractions for row in first], dtype=object)
        if comma < point + _mark_votes([cells])[1]:  # some of the whole file's votes: enough
            return ".", None
    raise _NeedsText


def _repeat_notes(
    lines: np.ndarray[Any, Any], keep_duplicates: bool, skipped: list[Skipped]
) -> list[ImportNote]:
    """Exact repeats of an earlier data row: always reported, listed as skipped if dropped."""
    if not len(lines):
        return []
    if not keep_duplicates:
        skipped.extend(Skipped(int(line), SkipReason.DUPLICATE) for line in lines)
    shown = ", ".join(str(line) for line in lines[:10]) + (" …" if len(lines) > 10 else "")
    code = NoteCode.DUPLICATES_KEPT if keep_duplicates else NoteCode.DUPLICATES_DROPPED
    return [ImportNote.of(code, count=len(lines), lines=shown)]


def _repeats(
    table: _Table, positions: np.ndarray[Any, Any], pool: ThreadPoolExecutor
) -> Callable[[], np.ndarray[Any, Any]]:
    """Which of those rows repeat an earlier one, when asked. On the fast path the search
    starts at once beside the caller (numpy on arrays taken out here lets go of the GIL);
    the careful path's cells are pandas objects, searched in the caller's thread."""
    find = _repeat_finder(table, positions)
    return functools.cache(find) if table.text is None else pool.submit(find).result


def _repeat_finder(
    table: _Table, positions: np.ndarray[Any, Any]
) -> Callable[[], np.ndarray[Any, Any]]:
    """Row hashes find the candidates at a fraction of the cost of comparing every cell:
    first of a few number columns (a repeated row repeats them too), then of every column
    for the rows still in doubt; only those are compared, cell by cell, as the file wrote
    them (pyarrow reads 1.5 and 1.50 alike)."""
    every = len(positions) == len(table.cells)
    cells = table.cells if every else table.cells.iloc[positions]
    words = [_cell_words(cells[column]) for column in cells.columns]
    telling = _telling_columns(cells)
    rounds = [telling, list(range(len(words)))] if len(telling) < len(words) else [telling]
    text = table.text

    def find() -> np.ndarray[Any, Any]:
        doubtful = np.arange(len(cells))
        for columns in rounds:  # the last round hashes every column
            subset = len(doubtful) < len(cells)
            hashes = _row_hashes([words[c][doubtful] if subset else words[c] for c in columns])
            again = _hash_repeats(hashes)
            doubtful, hashes = doubtful[again], hashes[again]
            if not len(doubtful):
                return np.zeros(len(cells), dtype=bool)
        exact = (cells.iloc[doubtful] if text is None else
                 pd.Series(text.keys(positions[doubtful], hashes)))  # fmt: skip
        repeated = np.zeros(len(cells), dtype=bool)
        repeated[doubtful] = exact.duplicated(keep="first").to_numpy()
        return repeated

    return find


def _telling_columns(cells: pd.DataFrame) -> list[int]:
    """Positions of a few number columns: amounts like 123.45 rarely repeat by chance."""
    numbers = [i for i, c in enumerate(cells.columns) if cells[c].dtype.kind in "if"]
    return numbers[:3] if len(numbers) > 3 else list(range(len(cells.columns)))


def _hash_repeats(hashes: np.ndarray[Any, np.dtype[np.uint64]]) -> np.ndarray[Any, Any]:
    """Rows whose hash occurs more than once (sorts: numpy's hash table and bisection of
    unsorted rows each took seconds for millions)."""
    ordered = np.sort(hashes)
    if not (ordered[1:] == ordered[:-1]).any():  # a clean file: no row to find again
        return np.zeros(len(hashes), dtype=bool)
    order = np.argsort(hashes)  # equal hashes side by side, each row marked in place
    equal = hashes[order[1:]] == hashes[order[:-1]]
    marked = np.zeros(len(hashes), dtype=bool)
    marked[1:] |= equal
    marked[:-1] |= equal
    repeated = np.empty(len(hashes), dtype=bool)
    repeated[order] = marked
    return repeated


_MIX = np.uint64(0x100000001B3)  # FNV's 64-bit prime: odd, so each step keeps rows apart


def _row_hashes(columns: Sequence[np.ndarray[Any, Any]]) -> np.ndarray[Any, np.dtype[np.uint64]]:
    """One word per row from its cells' words, equal for equal rows; rows differing in one
    cell always differ (each step is a bijection). The shift brings high bits down: whole
    numbers as floats differ only there."""
    hashes = np.zeros(len(columns[0]), dtype=np.uint64)
    shifted = np.empty_like(hashes)
    for words in columns:  # in place: no new 8 MB array per column
        np.bitwise_xor(hashes, words, out=hashes, dtype=np.uint64, casting="unsafe")
        np.multiply(hashes, _MIX, out=hashes)
        np.bitwise_xor(hashes, np.right_shift(hashes, 29, out=shifted), out=hashes)
    return hashes


def _cell_words(values: pd.Series) -> np.ndarray[Any, Any]:
    """Typed cells by their bits (text by its category), the rest by pandas' hash."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy()
    words: np.ndarray[Any, np.dtype[np.uint64]]
    if values.dtype.kind in "if":
        bits = np.float64 if values.dtype.kind == "f" else np.int64
        words = np.ascontiguousarray(values.to_numpy(dtype=bits)).view(np.uint64)
    else:
        words = np.asarray(pd.util.hash_pandas_object(values, index=False), dtype=np.uint64)
    return words


def _dates(
    table: _Table,
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
    table: _Table,
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
    table: _Table, columns: Mapping[str, int], name: str, keep: np.ndarray[Any, Any], default: str
) -> Any:
    if name not in columns:
        return _text_array([default], np.zeros(int(keep.sum()), dtype=np.int64))
    codes, uniques = _codes(_kept(table.cells[columns[name]], keep))
    cleaned = uniques.astype(str).str.strip().astype(object)  # per distinct name, not per row
    return _text_array([*cleaned, ""], codes)  # code -1 (a missing cell) picks the "" at the end


_TEXT = pd.Series(["x"]).dtype  # how pandas holds text: str (pyarrow) from pandas 3, else object


def _text_array(names: Sequence[str], codes: np.ndarray[Any, Any]) -> Any:
    """``names[codes]`` as pandas holds text. With pyarrow strings, arrow's take builds a
    million-row column in milliseconds; converting a million Python strings takes 100 ms."""
    if getattr(_TEXT, "storage", None) != "pyarrow":
        return np.asarray(names, dtype=object)[codes]
    import pyarrow as pa

    codes = np.where(codes < 0, codes + len(names), codes)  # numpy's -1, the last
    return pd.array(pa.array(names, pa.large_string()).take(pa.array(codes)), dtype=_TEXT)


def _kept(values: pd.Series, keep: np.ndarray[Any, Any]) -> pd.Series:
    return values if keep.all() else values[keep]


def _total_checks(
    table: _Table,
    totals: Sequence[int],
    numbers: Mapping[str, np.ndarray[Any, Any]],
    keep: np.ndarray[Any, Any],
    measures: Sequence[str],
    channel: int | None,
) -> list[ImportNote]:
    """Compare every total row with the sum of the detail rows (0.5 % tolerance): of its own
    channel's rows when it names a channel they have (a file wide by channel totals each)."""
    notes = []
    for position in totals:
        rows = _rows_it_totals(table, position, keep, channel)
        for name in measures:
            stated = float(numbers[name][position])
            summed = float(np.nansum(numbers[name][rows]))
            if np.isnan(stated) or abs(stated - summed) <= 0.005 * max(abs(stated), 1e-9):
                continue
            line = int(table.lines[position])
            notes.append(ImportNote.of(NoteCode.TOTAL_MISMATCH, line=line, field=name,
                                       stated=stated, summed=summed))  # fmt: skip
    return notes


def _rows_it_totals(
    table: _Table, position: int, keep: np.ndarray[Any, Any], channel: int | None
) -> np.ndarray[Any, Any]:
    if channel is None:
        return keep
    names = table.cells[channel]
    name = names.iloc[position]
    # A total without a channel totals the rows without one (NaN equals nothing in pandas).
    same = names.isna() if pd.isna(name) else names.eq(name).fillna(False)
    own = keep & same.to_numpy(dtype=bool)
    return own if own.any() else keep


def _looks_european(table: _Table) -> bool:
    """Semicolons or Spanish or Portuguese headers suggest day-first dates and decimal
    commas."""
    words = {word for column in table.header for word in normalise(column).split()}
    return table.delimiter == ";" or bool(words & _DAY_FIRST_WORDS)


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


# --- Cell values: totals, numbers, dates, currency ---------------------------------------------

_TOTAL = r"^\s*(?:totals?|totales|grand total|suma)\b"
_PLACEHOLDERS = r"^\s*(?:-+|\u2014|\u2013|n/?a|nan|null|none)?\s*$"
_THOUSAND_SPACES = "\u00a0\u202f\u2009 '"
_CURRENCY_SIGNS = {"R$": "BRL", "€": "EUR", "£": "GBP", "$": "USD"}  # R$ before $
_CURRENCY_CELL = re.compile(r"\b(EUR|USD|GBP|MXN|ARS|COP|CLP|PEN|BRL|CHF)\b")
_MONTH_WORD = r"\b(" + "|".join(MONTHS) + r")[a-z]*\b"


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


def _codes(values: pd.Series) -> tuple[np.ndarray[Any, Any], pd.Series]:
    """As ``_uniques``, straight from a categorical's codes when there is one (its categories
    may include values of other rows: only for results that go back through the codes)."""
    if not isinstance(values.dtype, pd.CategoricalDtype):
        return _uniques(values)
    return values.cat.codes.to_numpy(), pd.Series(np.asarray(values.cat.categories, dtype=object))


def is_total(values: pd.Series) -> np.ndarray[Any, Any]:
    """Cells that start a total row: "Total", "Total: Campañas", "Totales", "Suma"…"""
    codes, uniques = _codes(values)
    text = _as_text(uniques)
    text = text.where(text.str.contains("[tTsS\u017f]").fillna(False))  # each total word has one
    flags = pd.Series(_matches(text, "(?i)" + _TOTAL))
    if not flags.any():
        return np.zeros(len(codes), dtype=bool)
    return _expand(flags, codes, False).astype(bool)


def _holds_numbers(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values)


def decide_decimal(columns: Sequence[pd.Series], european: bool) -> tuple[str, ImportNote | None]:
    """The file's decimal mark from its measure cells, and a note when nothing decided it."""
    columns = [column for column in columns if not pd.api.types.is_numeric_dtype(column)]
    if not columns:  # every measure parsed as a number already: the mark was "."
        return ".", None
    return _decided(*_mark_votes(columns), columns, european)


def _mark_votes(columns: Sequence[pd.Series]) -> tuple[int, int]:
    """Distinct cells voting for a decimal comma and for a decimal point."""
    comma = point = 0
    for column in columns:
        text = _as_text(column).dropna().drop_duplicates().head(_DECIMAL_SAMPLE).astype(str)
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


def _decided(
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


def cell_currency(values: pd.Series) -> str | None:
    """A currency named in the cells: a code (EUR) or a sign (€, £, $)."""
    if _holds_numbers(values):
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
    codes, uniques = _codes(values)
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
