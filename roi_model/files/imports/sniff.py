"""Reading a file's bytes into a table of cells: the careful path, which reads any file.

The text's encoding (a BOM, then strict UTF-8, then Windows-1252); the csv layout: its records
with the physical line each starts on, the separator (sniffed on the first lines), the header
(the first line naming two known fields, else the modal width) and the lines before it; and the
first sheet of an xlsx workbook. The bounds of :mod:`roi_model.files.imports.limits` are checked
as the records are read, and before a workbook is opened.
"""

from __future__ import annotations

import codecs
import csv
import io
import mmap
from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

from roi_model.files.imports.headers import match_columns
from roi_model.files.imports.limits import (
    MAX_CELL_CHARS,
    bounded_lines,
    cell_too_long,
    check_record,
    check_workbook,
    has_long_lines,
    sniff_lines,
)
from roi_model.files.imports.problems import ImportProblem, ImportRefused, Skipped, SkipReason
from roi_model.files.imports.result import Table

__all__ = [
    "SNIFF_ROWS",
    "Bytes",
    "blank_to_none",
    "csv_records",
    "decode",
    "find_header",
    "named_header",
    "preamble",
    "sniff_delimiter",
    "starts_with",
    "text_table",
    "xlsx_table",
]

SNIFF_ROWS = 200
_DELIMITERS = ("\t", ";", ",")

Bytes = bytes | mmap.mmap  # a file's bytes, read or mapped: sliced and searched alike


def starts_with(data: Bytes, prefix: bytes) -> bool:
    return data[: len(prefix)] == prefix


# --- Decoding and the csv layout ----------------------------------------------------------


def decode(mapped: Bytes) -> tuple[str, str]:
    """Text and encoding: a BOM first, then strict UTF-8, then Windows-1252."""
    data = mapped if isinstance(mapped, bytes) else mapped[:]  # the text copies them anyway
    boms = (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    )
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


def csv_records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
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


def sniff_delimiter(text: str) -> str:
    """The separator giving the same field count on most of the first lines."""
    sample = "\n".join([line for line in sniff_lines(text)[:SNIFF_ROWS] if line.strip()])
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


def find_header(records: Sequence[tuple[int, list[str]]]) -> int:
    """Index of the header: the first record naming two known fields, else the modal width."""
    named = named_header(records)
    if named is not None:
        return named
    widths = [len(_trim(cells)) for _, cells in records[:SNIFF_ROWS] if _trim(cells)]
    if not widths:
        raise ImportRefused(ImportProblem.NO_HEADER, "The file has no header line.")
    modal = max(set(widths), key=lambda n: (widths.count(n), n))
    return next(i for i, (_, cells) in enumerate(records) if len(_trim(cells)) == modal)


def named_header(records: Sequence[tuple[int, list[str]]]) -> int | None:
    for index, (_, cells) in enumerate(records[:SNIFF_ROWS]):
        if len({match.field for match in match_columns(cells)}) >= 2:
            return index
    return None


def _trim(cells: Sequence[str]) -> list[str]:
    """Cells without the trailing empty ones re-saved spreadsheets add."""
    cells = list(cells)
    while cells and not str(cells[-1]).strip():
        cells.pop()
    return cells


def text_table(text: str, encoding: str) -> Table:
    delimiter = sniff_delimiter(text)
    records = list(csv_records(text, delimiter))
    header_index = find_header(records)
    header = records[header_index][1]
    table = _grid_table([str(cell).strip() for cell in header], records[header_index + 1 :])
    table.encoding, table.delimiter = encoding, delimiter
    table.skipped = preamble(records[:header_index]) + table.skipped
    return table


def preamble(records: Sequence[tuple[int, Sequence[object]]]) -> list[Skipped]:
    return [
        Skipped(
            line,
            SkipReason.EMPTY if not _trim([str(c) for c in cells]) else SkipReason.BEFORE_HEADER,
        )
        for line, cells in records
    ]


def _grid_table(header: list[str], records: Sequence[tuple[int, Sequence[object]]]) -> Table:
    """The rows after the header as object cells (None for blank), one column per header cell."""
    width = len(header)
    rows: list[list[object]] = []
    lines: list[int] = []
    skipped: list[Skipped] = []
    for line, cells in records:
        values = [blank_to_none(cell) for cell in list(cells)[:width]]
        if all(value is None for value in values):
            skipped.append(Skipped(line, SkipReason.EMPTY))
            continue
        rows.append(values + [None] * (width - len(values)))
        lines.append(line)
    frame = pd.DataFrame(rows, columns=range(width), dtype=object)
    return Table(header, frame, np.array(lines, dtype=np.int64), "", "", skipped)


def blank_to_none(cell: object) -> object:
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return None
    if isinstance(cell, str):
        return cell if cell.strip() else None
    return cell


# --- xlsx -----------------------------------------------------------------------------------


def xlsx_table(data: Bytes) -> Table:
    check_workbook(data)  # before pandas builds a grid of whatever size the sheet claims
    try:
        sheet = pd.read_excel(io.BytesIO(data), header=None, dtype=object, engine="openpyxl")
    except Exception as error:  # a corrupt workbook fails in many ways
        raise ImportRefused(
            ImportProblem.UNREADABLE, "The file looks like an Excel workbook but cannot be opened."
        ) from error
    records = [
        (int(index) + 1, [blank_to_none(cell) for cell in row])
        for index, row in zip(sheet.index, sheet.itertuples(index=False, name=None), strict=True)
    ]
    as_text = [(line, ["" if c is None else str(c) for c in cells]) for line, cells in records]
    header_index = find_header(as_text)
    header = [cell.strip() for cell in as_text[header_index][1]]
    table = _grid_table(header, records[header_index + 1 :])
    table.encoding, table.delimiter = "xlsx", ""
    table.skipped = preamble(records[:header_index]) + table.skipped
    return table
