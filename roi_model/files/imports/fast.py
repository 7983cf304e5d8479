"""The fast path: pyarrow over a clean UTF-8 comma file, giving the table the careful path
(:mod:`roi_model.files.imports.sniff`) would.

When nothing in the body needs the csv module (no quote after the header, no line long enough
to hold a cell beyond the bounds), pyarrow reads it in C: the measure columns as numbers where
every cell is one, the others as text cleaned like the careful path's. The file's own text is
kept for the few rows whose text decides what the typed cells cannot (a decimal mark, rows
written differently with equal values). Anything else is left to the careful path.
"""

from __future__ import annotations

import codecs
import io
import itertools
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
from pyarrow import csv as arrow_csv

from roi_model.files.imports.cells import DECIMAL_SAMPLE, factorized
from roi_model.files.imports.headers import corrected_mapping
from roi_model.files.imports.limits import MAX_CELL_CHARS, has_long_lines
from roi_model.files.imports.problems import ImportRefused
from roi_model.files.imports.result import Table
from roi_model.files.imports.sniff import (
    SNIFF_ROWS,
    Bytes,
    blank_to_none,
    csv_records,
    find_header,
    named_header,
    preamble,
    sniff_delimiter,
    starts_with,
)
from roi_model.model.vocabulary import HISTORY_FIELDS

__all__ = ["fast_table"]

_SNIFF_BYTES = 64 * 1024


@dataclass
class _BodyText:
    """The file's own text of the rows the fast path read as numbers, for the few rows that
    need it: the first rows (from the sample already parsed) or any row (from the bytes).
    The table's :class:`~roi_model.files.imports.result.RowText`."""

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
        return [
            tuple(([blank_to_none(cell) for cell in cells] + pad)[: self.width]) for cells in texts
        ]

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
        try:
            whole = arrow_csv.read_csv(
                pa.py_buffer(self.body),
                read_options=arrow_csv.ReadOptions(column_names=["line"]),
                parse_options=arrow_csv.ParseOptions(
                    delimiter="\x1f", quote_char=False, ignore_empty_lines=False
                ),
                convert_options=arrow_csv.ConvertOptions(
                    column_types={"line": pa.string()}, strings_can_be_null=False
                ),
            ).column(0)
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


def fast_table(data: Bytes, overrides: Mapping[str, str]) -> Table | None:
    """pyarrow over the bytes after the header, when nothing in the body needs the csv module.

    Without quotes every line of the body is one row: pyarrow, like the csv module, ends lines
    at \\n, \\r\\n or a lone \\r, and keeps a blank line as an empty row, so line numbers stay
    exact. Measure columns come back as numbers where every cell is one; the other columns as
    text, cleaned like the careful path's. Anything else returns None for the careful path.
    """
    if has_long_lines(data, MAX_CELL_CHARS):  # a cell may be too long: the careful path says
        return None
    start = len(codecs.BOM_UTF8) if starts_with(data, codecs.BOM_UTF8) else 0
    complete = len(data) - start <= _SNIFF_BYTES
    try:
        head = codecs.getincrementaldecoder("utf-8")().decode(
            data[start : start + _SNIFF_BYTES], final=complete
        )
        if sniff_delimiter(head) != ",":
            return None
        every = list(csv_records(head, ","))
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
    first = [row for _, row in records[index + 1 :]][:DECIMAL_SAMPLE]
    table = Table(
        header,
        cells,
        np.arange(len(cells), dtype=np.int64) + first_line,
        "utf-8-sig" if start else "utf-8",
        ",",
    )
    table.text, table.numbers = _BodyText(body, len(header), first, fractions), numbers
    table.skipped = preamble(records[:index])
    return table


def _sampled_header(records: Sequence[tuple[int, list[str]]], complete: bool) -> int | None:
    """The header ``find_header`` finds in the whole file, when the sample is enough to say."""
    named = named_header(records)
    if named is not None or not (complete or len(records) >= SNIFF_ROWS):
        return named
    try:
        return find_header(records)
    except ImportRefused:
        return None


def _line_bytes(text: str, lines: int) -> int:
    """Bytes of the first ``lines`` physical lines of ``text``, line ends included."""
    taken = "".join(itertools.islice(io.StringIO(text, newline=""), lines))
    return len(taken.encode("utf-8"))


def _measure_positions(header: Sequence[str], overrides: Mapping[str, str]) -> set[int] | None:
    """The columns that will be read as measures (None when the mapping will be refused)."""
    try:
        mapping, _ = corrected_mapping(header, overrides)
    except ImportRefused:
        return None
    return {
        list(header).index(column) for column, name in mapping.items() if name in HISTORY_FIELDS
    }


_Typed = tuple[pd.DataFrame, frozenset[int], dict[int, np.ndarray[Any, np.dtype[np.float64]]]]


def _arrow_cells(body: memoryview, width: int, measures: set[int]) -> _Typed | None:
    """The body's cells by position (measures typed, other columns as categorical text), the
    columns read as fractions and the typed measures' floats; None when pyarrow refuses the
    body or types a measure oddly."""
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
                null_values=[""],
                strings_can_be_null=True,
            ),
        )
    except (pa.ArrowException, ValueError):  # a ragged row, bad UTF-8...: the careful path
        return None
    numeric = [i for i in range(width) if _is_number_type(read.column(i).type, pa)]
    others = [i for i in range(width) if i not in numeric]
    # In parallel, as pyarrow converts: numpy and pyarrow let go of the GIL while they copy,
    # and the page faults of a 100 MB file's new arrays cost more than the copies.
    with ThreadPoolExecutor() as pool:
        converted = pool.map(_float_array, map(read.column, numeric))
        texts = dict(
            zip(others, pool.map(lambda i: _text_column(read.column(i), pa), others), strict=True)
        )
        numbers = dict(zip(numeric, converted, strict=True))
    columns = [
        pd.Series(numbers[i], copy=False) if i in numbers else texts[i] for i in range(width)
    ]
    if any(
        np.isfinite(floats).sum() != len(floats) - read.column(i).null_count
        for i, floats in numbers.items()
    ):
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
        codes, uniques = factorized(values)
        blank = np.append([not str(name).strip() for name in uniques], False)[codes]
        return values.where(~blank) if blank.any() else values
    return None
