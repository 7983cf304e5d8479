"""Hostile files: an export built to hang or crash the importer is refused quickly, with a
sentence that names the bound it breaks; the fast and the careful CSV paths refuse alike; and a
lone surrogate in a scenario file neither survives reading it nor crashes the command line.

The xlsx bombs are built here by hand, small on disk and huge inside: each distinct piece of a
part is deflated once and its block repeated (a full flush ends each block and forgets what came
before, so every copy inflates alone), so a part holding a gigabyte takes a megabyte and a
fraction of a second to build and is never held whole in memory. ``zipfile`` would deflate
every byte (1.4 s a gigabyte at its fastest level), so the zip around the parts is written
field by field; a test below has ``zipfile`` read one back, checksums included.
"""

from __future__ import annotations

import codecs
import copy
import csv
import io
import json
import os
import random
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from roi_model.cli import main
from roi_model.files.imports import ImportProblem, ImportRefused, ImportResult, read_history
from roi_model.files.imports import fast as fast_path
from roi_model.files.imports import limits as limits
from roi_model.files.imports import read as importer
from roi_model.files.imports import sniff as sniff
from roi_model.files.scenario_file import scenario_from_json, scenario_to_json

REPO = Path(__file__).resolve().parents[1]
QUICK = 2.0  # seconds: a named bomb is refused well within this
PROMISE = 5.0  # seconds: any hostile file is read or refused within this

T = TypeVar("T")


# --- Building files ------------------------------------------------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml."


@dataclass(frozen=True)
class Part:
    """A zip member, deflated: its packed bytes, its CRC-32 and its size unpacked."""

    packed: bytes
    crc: int
    size: int


def deflated(*pieces: tuple[bytes, int]) -> Part:
    """Each ``(piece, times)``: the piece repeated that many times, without ever holding the
    repeats (the piece is deflated once and its block repeated)."""
    blocks, crc, size = [], 0, 0
    for piece, times in pieces:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate, as zip holds it
        blocks.append((compressor.compress(piece) + compressor.flush(zlib.Z_FULL_FLUSH)) * times)
        for _ in range(times):
            crc = zlib.crc32(piece, crc)
        size += len(piece) * times
    blocks.append(zlib.compressobj(9, zlib.DEFLATED, -15).flush())  # the last, empty block
    return Part(b"".join(blocks), crc, size)


def zipped(parts: Sequence[tuple[str, Part | bytes]]) -> bytes:
    """A zip of deflated parts: local headers, central directory and its end (APPNOTE 4.3)."""
    body, directory = bytearray(), bytearray()
    for name, given_part in parts:
        part = given_part if isinstance(given_part, Part) else deflated((given_part, 1))
        raw, offset = name.encode(), len(body)
        sizes = (part.crc, len(part.packed), part.size, len(raw))
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, *sizes, 0)
        body += raw + part.packed
        directory += (
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                *sizes,
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + raw
        )
    count = len(parts)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), len(body), 0)
    return bytes(body + directory + end)


def workbook(*sheets: tuple[str, Part | bytes], strings: Part | bytes | None = None) -> bytes:
    """An xlsx of these sheets (the part's name, its XML) in the workbook's order, with shared
    strings if given. No styles part: openpyxl then takes its own without a warning."""
    overrides = [("/xl/workbook.xml", SPREADSHEET + "sheet.main+xml")]
    overrides += [("/" + name, SPREADSHEET + "worksheet+xml") for name, _ in sheets]
    links = [(f"rId{i}", "worksheet", "/" + name) for i, (name, _) in enumerate(sheets, 1)]
    parts: list[tuple[str, Part | bytes]] = []
    if strings is not None:
        overrides.append(("/xl/sharedStrings.xml", SPREADSHEET + "sharedStrings+xml"))
        links.append(("rIdS", "sharedStrings", "sharedStrings.xml"))
        parts.append(("xl/sharedStrings.xml", strings))
    types = (
        f'<Types xmlns="{CONTENT_TYPES}"><Default Extension="xml" '
        'ContentType="application/xml"/><Default Extension="rels" ContentType='
        '"application/vnd.openxmlformats-package.relationships+xml"/>'
        + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
        + "</Types>"
    )
    root = (
        f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
        f'Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    names = "".join(
        f'<sheet name="S{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, len(sheets) + 1)
    )
    book = f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>{names}</sheets></workbook>'
    book_links = (
        f'<Relationships xmlns="{PACKAGE}">'
        + "".join(
            f'<Relationship Id="{i}" Type="{RELATIONSHIPS}/{kind}" Target="{t}"/>'
            for i, kind, t in links
        )
        + "</Relationships>"
    )
    parts += [
        ("[Content_Types].xml", types.encode()),
        ("_rels/.rels", root.encode()),
        ("xl/workbook.xml", book.encode()),
        ("xl/_rels/workbook.xml.rels", book_links.encode()),
        *sheets,
    ]
    return zipped(parts)


def sheet(*pieces: tuple[bytes, int], head: bytes = b"", dimension: str | None = None) -> Part:
    """A worksheet's XML: ``head`` and a dimension, then rows made of the repeated pieces."""
    declared = b"" if dimension is None else f'<dimension ref="{dimension}"/>'.encode()
    opening = f'<worksheet xmlns="{MAIN}">'.encode() + head + declared + b"<sheetData>"
    return deflated((opening, 1), *pieces, (b"</sheetData></worksheet>", 1))


def shared(*pieces: tuple[bytes, int]) -> Part:
    """A shared strings part holding the repeated pieces."""
    return deflated((f'<sst xmlns="{MAIN}">'.encode(), 1), *pieces, (b"</sst>", 1))


def text_cell(reference: str, text: str) -> bytes:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


HEADER = b'<row r="1">' + text_cell("A1", "date") + text_cell("B1", "spend") + b"</row>"
DATA = b'<row r="2">' + text_cell("A2", "2025-03-01") + b'<c r="B2"><v>12.5</v></c></row>'


def one_sheet(*pieces: tuple[bytes, int], **options: Any) -> bytes:
    return workbook(("xl/worksheets/sheet1.xml", sheet(*pieces, **options)))


def numbered_rows(first: int, count: int, column: str = "A") -> list[tuple[bytes, int]]:
    """Rows ``first``... with a number in ``column``, a thousand to a piece (each piece differs,
    so they pack as real rows do, about ten times)."""
    rows = range(first, first + count)
    return [
        (
            b"".join(
                b'<row r="%d"><c r="%s%d"><v>%d</v></c></row>' % (n, column.encode(), n, n)
                for n in rows[start : start + 1000]
            ),
            1,
        )
        for start in range(0, count, 1000)
    ]


def letters(rng: random.Random, size: int) -> str:
    """Text that packs poorly (so that a part of it stays under the inflation bound)."""
    return "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=size))


def far_corner(**options: Any) -> bytes:
    corner = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return one_sheet((HEADER, 1), (DATA, 1), (corner, 1), **options)


def gigabyte_cell(inline: bool) -> bytes:
    text = (b"x" * 2**20, 1024)
    if inline:
        start = b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
        return one_sheet((HEADER, 1), (start, 1), text, (b"</t></is></c></row>", 1))
    strings = shared((b"<si><t>", 1), text, (b"</t></si>", 1))
    cell = b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return workbook(("xl/worksheets/sheet1.xml", sheet((HEADER, 1), (cell, 1))), strings=strings)


def long_text(inline: bool, size: int = 70_000) -> bytes:
    text = letters(random.Random(size), size)
    if inline:
        return one_sheet((HEADER, 1), (b'<row r="2">' + text_cell("A2", text) + b"</row>", 1))
    strings = shared((f"<si><t>{text}</t></si>".encode(), 1))
    cell = b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return workbook(("xl/worksheets/sheet1.xml", sheet((HEADER, 1), (cell, 1))), strings=strings)


def first_sheet_not_sheet1() -> bytes:
    """pandas reads the first sheet of workbook.xml, here the part sheet2.xml."""
    bomb = sheet((HEADER, 1), (b'<row r="3"><c r="ZZZ3"><v>1</v></c></row>', 1))
    return workbook(
        ("xl/worksheets/sheet2.xml", bomb),
        ("xl/worksheets/sheet1.xml", sheet((HEADER, 1), (DATA, 1))),
    )


#: Each bomb: how to build it, what it must be refused as, and the bound the reason names.
XLSX_BOMBS: dict[str, tuple[Callable[[], bytes], ImportProblem, str]] = {
    "far corner XFD1048576, declared": (
        lambda: far_corner(dimension="A1:XFD1048576"),
        ImportProblem.TOO_WIDE,
        "2,000",
    ),
    "far corner XFD1048576, undeclared": (far_corner, ImportProblem.TOO_WIDE, "2,000"),
    "far corner under a dimension that lies": (
        lambda: far_corner(dimension="A1:B2"),
        ImportProblem.TOO_WIDE,
        "2,000",
    ),
    "far corner behind a comment (the exact scan)": (
        lambda: far_corner(head=b"<!-- by hand -->"),
        ImportProblem.TOO_WIDE,
        "2,000",
    ),
    "2 million rows, declared": (
        lambda: one_sheet((HEADER, 1), (DATA, 1), dimension="A1:B2000000"),
        ImportProblem.TOO_MANY_ROWS,
        "1,048,576",
    ),
    "2 million rows, numbered": (
        lambda: one_sheet((HEADER, 1), *numbered_rows(2, 2_000_000)),
        ImportProblem.TOO_MANY_ROWS,
        "1,048,576",
    ),
    "2 million rows, packed a thousand times": (
        lambda: one_sheet((HEADER, 1), (b"<row><c><v>1</v></c></row>" * 1000, 2000)),
        ImportProblem.UNPACKS_TOO_LARGE,
        "100 times",
    ),
    "1.1 million empty rows": (
        lambda: one_sheet((HEADER, 1), (b"<row/>" * 1000, 1100)),
        ImportProblem.TOO_MANY_ROWS,
        "1,048,576",
    ),
    "1 million columns": (
        lambda: one_sheet((HEADER, 1), (b"<row>", 1), (b"<c/>" * 1000, 1000), (b"</row>", 1)),
        ImportProblem.TOO_WIDE,
        "2,000",
    ),
    "1 GB cell, shared": (lambda: gigabyte_cell(False), ImportProblem.UNPACKS_TOO_LARGE, "500 MB"),
    "1 GB cell, inline": (lambda: gigabyte_cell(True), ImportProblem.UNPACKS_TOO_LARGE, "500 MB"),
    "70,000-character text, shared": (
        lambda: long_text(False),
        ImportProblem.CELL_TOO_LONG,
        "65,536",
    ),
    "70,000-character text, inline": (
        lambda: long_text(True),
        ImportProblem.CELL_TOO_LONG,
        "65,536",
    ),
    "one cell at E1048576 below the header": (
        lambda: one_sheet((HEADER, 1), (b'<row r="1048576"><c r="E1048576"><v>1</v></c></row>', 1)),
        ImportProblem.TOO_MANY_ROWS,
        "100,000",
    ),
    "one cell at BXX1000 beside the header": (
        lambda: one_sheet((HEADER, 1), (b'<row r="1000"><c r="BXX1000"><v>1</v></c></row>', 1)),
        ImportProblem.TOO_MANY_CELLS,
        "1,000,000",
    ),
    "600,000 rows out to column T": (
        lambda: one_sheet((HEADER, 1), *numbered_rows(2, 600_000, column="T")),
        ImportProblem.TOO_MANY_CELLS,
        "10,000,000",
    ),
    "1.1 million shared strings": (
        lambda: workbook(
            ("xl/worksheets/sheet1.xml", sheet((HEADER, 1), (DATA, 1))),
            strings=shared((b"<si/>" * 1000, 1100)),
        ),
        ImportProblem.TOO_MANY_CELLS,
        "1,048,576",
    ),
    "the first sheet is sheet2.xml": (first_sheet_not_sheet1, ImportProblem.TOO_WIDE, "2,000"),
}


def csv_wide() -> bytes:
    return (",".join(f"c{i}" for i in range(100_000)) + "\n" + ",".join("1" * 100_000)).encode()


#: Each CSV bomb: how to build it, what it must be refused as, and the bound the reason names.
CSV_BOMBS: dict[str, tuple[Callable[[], bytes], ImportProblem, str]] = {
    "100,000 columns": (csv_wide, ImportProblem.TOO_WIDE, "2,000"),
    "2,001 columns in a data row": (
        lambda: b"date,channel,spend\n2025-03-01,Meta,1" + b",1" * 1998 + b"\n",
        ImportProblem.TOO_WIDE,
        "2,000",
    ),
    "a single 20 MB line": (
        lambda: b"date,spend\n2025-03-01," + b"1" * 20 * 2**20 + b"\n",
        ImportProblem.LINE_TOO_LONG,
        "1,048,576",
    ),
    "a 20 MB quoted field on one line": (
        lambda: b'date,spend,note\n2025-03-01,1,"' + b"x" * 20 * 2**20 + b'"\n',
        ImportProblem.LINE_TOO_LONG,
        "1,048,576",
    ),
    "a 20 MB quoted field over many lines": (
        lambda: b'date,spend,note\n2025-03-01,1,"' + (b"x" * 99 + b"\n") * 200_000 + b'"\n',
        ImportProblem.CELL_TOO_LONG,
        "65,536",
    ),
    "a 100,000-character quoted field over many lines": (
        lambda: b'date,spend,note\n2025-03-01,1,"' + (b"x" * 99 + b"\n") * 1000 + b'"\n',
        ImportProblem.CELL_TOO_LONG,
        "65,536",
    ),
    "a 100,000-character cell on one line": (
        lambda: b"date,spend,note\n2025-03-01,1," + b"x" * 100_000 + b"\n",
        ImportProblem.CELL_TOO_LONG,
        "65,536",
    ),
    "a 100,000-character cell, semicolons and CR line ends": (
        lambda: b"date;spend;note\r2025-03-01;1;" + b"x" * 100_000 + b"\r",
        ImportProblem.CELL_TOO_LONG,
        "65,536",
    ),
}


def refusal(data: bytes, filename: str = "") -> tuple[ImportRefused, float]:
    """The refusal of a file and the seconds it took."""
    start = time.perf_counter()
    with pytest.raises(ImportRefused) as refused:
        read_history(data, filename=filename)
    return refused.value, time.perf_counter() - start


# --- Named bombs ---------------------------------------------------------------------------


class TestCsvBombs:
    @pytest.mark.parametrize(("build", "problem", "bound"), CSV_BOMBS.values(), ids=CSV_BOMBS)
    def test_refused_quickly_naming_the_bound(
        self, build: Callable[[], bytes], problem: ImportProblem, bound: str
    ) -> None:
        refused, seconds = refusal(build())
        assert (refused.problem, seconds < QUICK) == (problem, True), refused.reason
        assert bound in refused.reason and refused.reason.endswith(".")

    @pytest.mark.parametrize(("build", "problem", "bound"), CSV_BOMBS.values(), ids=CSV_BOMBS)
    def test_the_fast_path_leaves_it_to_the_careful_one(
        self, build: Callable[[], bytes], problem: ImportProblem, bound: str
    ) -> None:
        """pyarrow never reads a hostile file; the csv module refuses it as read_history does."""
        data = build()
        assert fast_path.fast_table(data, {}) is None
        with pytest.raises(ImportRefused) as careful:
            sniff.text_table(*sniff.decode(data))
        refused, _ = refusal(data)
        assert (careful.value.problem, careful.value.reason) == (refused.problem, refused.reason)

    @pytest.mark.parametrize(
        ("line", "cell"),
        [(limits.MAX_CELL_CHARS, limits.MAX_CELL_CHARS), (limits.MAX_LINE_CHARS - 40, 60_000)],
        ids=["a cell at the bound", "a line at the bound"],
    )
    def test_a_file_at_the_bounds_is_imported(self, line: int, cell: int) -> None:
        notes = ",".join(["x" * cell] * (line // (cell + 1)))
        data = f"date,channel,spend,{','.join(['note'] * notes.count(',') + ['note'])}\n"
        data += f"2025-03-01,Meta,12.5,{notes}\n"
        result = read_history(data.encode())
        assert result.totals()["spend"] == 12.5

    def test_2000_columns_are_imported(self) -> None:
        header = "date,channel,spend," + ",".join(f"extra {i}" for i in range(1997))
        row = "2025-03-01,Meta,12.5," + ",".join("1" * 1997)
        result = read_history(f"{header}\n{row}\n".encode())
        assert len(result.columns) == limits.MAX_COLUMNS and result.totals()["spend"] == 12.5

    def test_the_csv_module_is_left_as_it_is(self) -> None:
        """The bound on cells is below the module's process-wide limit, which nothing raises."""
        refusal(CSV_BOMBS["a 20 MB quoted field over many lines"][0]())
        assert limits.MAX_CELL_CHARS < csv.field_size_limit() == 131_072


class TestXlsxBombs:
    @pytest.mark.parametrize(("build", "problem", "bound"), XLSX_BOMBS.values(), ids=XLSX_BOMBS)
    def test_refused_quickly_naming_the_bound(
        self, build: Callable[[], bytes], problem: ImportProblem, bound: str
    ) -> None:
        refused, seconds = refusal(build(), "bomb.xlsx")
        assert (refused.problem, seconds < QUICK) == (problem, True), refused.reason
        assert bound in refused.reason and refused.reason.endswith(".")

    def test_a_bomb_in_a_sheet_pandas_does_not_read_is_no_concern(self) -> None:
        bomb = sheet((HEADER, 1), (b'<row r="3"><c r="ZZZ3"><v>1</v></c></row>', 1))
        data = workbook(
            ("xl/worksheets/sheet1.xml", sheet((HEADER, 1), (DATA, 1))),
            ("xl/worksheets/sheet2.xml", bomb),
        )
        assert read_history(data, filename="two.xlsx").totals() == {"spend": 12.5}

    def test_a_sheet_at_the_bounds_is_imported(self) -> None:
        wide = b'<row r="2">' + text_cell("A2", "2025-03-01") + b'<c r="B2"><v>12.5</v></c>'
        wide += text_cell("BXX2", letters(random.Random(1), limits.MAX_CELL_CHARS)) + b"</row>"
        result = read_history(one_sheet((HEADER, 1), (wide, 1)), filename="edge.xlsx")
        assert result.totals() == {"spend": 12.5} and len(result.columns) == 2

    def test_rows_written_without_numbers_are_counted_as_openpyxl_counts_them(self) -> None:
        rows = b"<row><c><v>1</v></c></row>" * 10
        tail = b"<row>" + text_cell("A1", "2025-03-01") + b'<c r="B1"><v>2</v></c></row>'
        data = one_sheet((HEADER, 1), (rows, 1), (tail, 1))
        assert read_history(data, filename="plain.xlsx").totals() == {"spend": 2.0}

    def test_the_builder_writes_zips_that_zipfile_reads(self) -> None:
        data = one_sheet((HEADER, 1), (DATA.replace(b'"2"', b'"9"'), 2**14))
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.testzip() is None  # every checksum holds
            size = archive.getinfo("xl/worksheets/sheet1.xml").file_size
            assert size == len(archive.read("xl/worksheets/sheet1.xml")) > 2**20


# --- The scans themselves ----------------------------------------------------------------


class TestHasLongLines:
    @given(st.text(alphabet="ab\n", max_size=300), st.integers(0, 40))
    def test_says_exactly_whether_a_line_is_longer(self, text: str, longest: int) -> None:
        expected = max(map(len, text.split("\n"))) > longest
        assert limits.has_long_lines(text, longest) is expected
        assert limits.has_long_lines(text.encode(), longest) is expected


def plain_sheet(rows: Sequence[tuple[int | None, Sequence[int | None]]]) -> bytes:
    """A sheet as spreadsheet programs write it: each row numbered or not, its cells with a
    column or not."""
    xml = [f'<worksheet xmlns="{MAIN}"><sheetData>']
    for number, cells in rows:
        xml.append("<row>" if number is None else f'<row r="{number}">')
        for column in cells:
            name = "" if column is None else f' r="{limits.column_letters(column)}1"'
            xml.append(f"<c{name}><v>1</v></c>")
        xml.append("</row>")
    return ("".join(xml) + "</sheetData></worksheet>").encode()


def scan_outcome(scan: Callable[[], object]) -> str:
    try:
        return "within" if scan() is not False else "unsure"
    except ImportRefused as refused:
        return f"refused: {refused.problem}"


class TestTheFastScanAgreesWithTheExactOne:
    @settings(max_examples=80, deadline=None)
    @given(
        st.lists(
            st.tuples(st.none() | st.integers(1, 40), st.lists(st.none() | st.integers(1, 9))),
            max_size=25,
        )
    )
    def test_on_sheets_as_programs_write_them(
        self, rows: list[tuple[int | None, list[int | None]]]
    ) -> None:
        """With small bounds the generated sheets fall on both sides of each; the fast scan
        may be unsure (then the exact one decides), never wrong."""
        xml = plain_sheet(rows)
        small = {
            "MAX_COLUMNS": 6,
            "MAX_ROWS": 30,
            "MAX_CELLS": 100,
            "MAX_EMPTY_ROWS": 4,
            "MAX_EMPTY_CELLS": 30,
        }
        archive = zipfile.ZipFile(io.BytesIO(zipped([("sheet.xml", xml)])))
        with mock.patch.multiple(limits, **small):
            fast = scan_outcome(lambda: limits._CanonicalScan(io.BytesIO(xml)).within_bounds())
            exact = scan_outcome(lambda: limits._scan_part(archive, "sheet.xml", limits._SheetScan))
        mixed = any(None in cells and set(cells) != {None} for _, cells in rows)
        assert (fast == "unsure") == mixed  # a row mixing cells numbered and not
        if not mixed:  # both within, or both refused (maybe for different bounds first)
            assert fast.split(":")[0] == exact.split(":")[0], (fast, exact)


# --- The promise, fuzzed -------------------------------------------------------------------


class Chooser(Protocol):
    """Where a hostile file's sizes and shapes come from: Hypothesis, or a seeded generator."""

    def integer(self, low: int, high: int) -> int: ...

    def choice(self, options: Sequence[T]) -> T: ...

    def octets(self, size: int) -> bytes: ...


class Seeded:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def choice(self, options: Sequence[T]) -> T:
        return self.rng.choice(options)

    def octets(self, size: int) -> bytes:
        return self.rng.randbytes(size)


class Drawn:
    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def integer(self, low: int, high: int) -> int:
        return self.data.draw(st.integers(low, high))

    def choice(self, options: Sequence[T]) -> T:
        return self.data.draw(st.sampled_from(options))

    def octets(self, size: int) -> bytes:
        return self.data.draw(st.binary(min_size=size, max_size=size))


def size(choose: Chooser, within: int, beyond: int) -> int:
    """A size a real export has, one about a bound, or one far beyond it."""
    return choose.choice(
        [
            choose.integer(1, within),
            choose.integer(beyond - 5, beyond + 5),
            choose.integer(beyond, 20 * beyond),
        ]
    )


#: Texts that have broken importers: control characters, BOMs, bidi and zero-width marks, line
#: and paragraph separators, combining marks, astral characters, a lone surrogate (written
#: with "surrogatepass": bytes no UTF-8 decoder accepts), quotes, numbers in odd notations.
ODDITIES = [
    "\x00",
    "\ufeff",
    "\u200b",
    "\u202e",
    "\u2028",
    "\x85",
    "\x1a",
    "\x0c",
    "😀",
    "e\u0301",
    "\udcff",
    "ß",
    "İ",
    '"',
    '""',
    "\t",
    ";",
    ",",
    "1.234,56 €",
    "$1,234.56",
    "8,30 %",
    "--",
    "nan",
    "inf",
    "-1e309",
    "1e309",
    " ",
    "",
    "Total",
    "Totales",
    "\u0661\u0662\u0663",
    "\uff12\uff10\uff12\uff15-\uff10\uff13",
    "2025-02-30",
    "0000-00-00",
    "31/12/1899",
    "  Meta  ",
    "Meta",
    "12.5",
    "3",
    "2025-03-01",
    "01/02/2025",
]
LINE_ENDS = ["\n", "\r\n", "\r"]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252"]

Hostile = tuple[str, bytes, str]  # what it is, its bytes, its file name


def hostile_wide_csv(choose: Chooser) -> Hostile:
    width = size(choose, 60, limits.MAX_COLUMNS)
    delimiter = choose.choice([",", ";", "\t"])
    header = delimiter.join(["date", "channel", "spend", *(f"c{i}" for i in range(width))])
    row = delimiter.join(["2025-03-01", "Meta", "12.5", *("1" * width)])
    return f"{width:,} columns", f"{header}\n{row}\n".encode(), "wide.csv"


def hostile_long_line(choose: Chooser) -> Hostile:
    length = size(choose, 2000, choose.choice([limits.MAX_CELL_CHARS, limits.MAX_LINE_CHARS]))
    filler = choose.choice([b"x", b"1", b"x,", b"\xc3\xa9"])
    end = choose.choice([b"\n", b"\r\n", b"\r", b""])
    data = b"date,spend,note" + end + b"2025-03-01,1," + filler * (length // len(filler)) + end
    return f"a line of {length:,}", data, "long.csv"


def hostile_quoted_field(choose: Chooser) -> Hostile:
    length = size(choose, 2000, choose.choice([limits.MAX_CELL_CHARS, 131_072]))
    every = choose.choice([0, 1, 80, 4096])
    piece = b"x" * (every - 1) + b"\n" if every else b"x"
    closing = choose.choice([b'"', b"", b'""'])
    field = piece * max(1, length // len(piece))
    data = b'date,spend,note\n2025-03-01,1,"' + field + closing + b"\n2025-03-02,2,y\n"
    return f"a quoted field of {length:,} (a newline every {every})", data, "quoted.csv"


def hostile_odd_text(choose: Chooser) -> Hostile:
    lines = ["date,channel,campaign,spend,clicks"]
    for _ in range(choose.integer(0, 40)):
        cells = [choose.choice(ODDITIES) + choose.choice(ODDITIES) for _ in range(5)]
        lines.append(choose.choice([",", ";", "\t"]).join(cells[: choose.integer(1, 7)]))
    text = "".join(line + choose.choice(LINE_ENDS) for line in lines)
    encoding = choose.choice(ENCODINGS)
    errors = "surrogatepass" if encoding.startswith("utf") else "replace"
    return f"odd texts in {encoding}", text.encode(encoding, errors), "odd.csv"


def hostile_bytes(choose: Chooser) -> Hostile:
    prefix = choose.choice([b"", b"PK\x03\x04", codecs.BOM_UTF8, codecs.BOM_UTF16_LE])
    return "random bytes", prefix + choose.octets(choose.integer(0, 3000)), "random.csv"


def hostile_corner(choose: Chooser) -> Hostile:
    row, column = size(choose, 50, limits.MAX_ROWS), choose.integer(1, 18_278)
    reference = f"{limits.column_letters(column)}{row}"
    declared = choose.choice([None, f"A1:{reference}", "A1:B2", "A1:XFD1048576", "A1"])
    head = choose.choice([b"", b"<!-- by hand -->"])
    corner = f'<row r="{row}"><c r="{reference}"><v>1</v></c></row>'.encode()
    pieces = [(HEADER, 1), (DATA, 1), (corner, 1)] if row > 2 else [(HEADER, 1), (corner, 1)]
    data = one_sheet(*pieces, head=head, dimension=declared)
    return f"a cell at {reference} (declared {declared})", data, "corner.xlsx"


def hostile_rows(choose: Chooser) -> Hostile:
    count = choose.choice([choose.integer(1, 3000), choose.integer(limits.MAX_ROWS, 2_500_000)])
    style = choose.choice(["numbered", "plain", "empty"])
    if style == "numbered":  # numbered rows near the end of the sheet: cheap to build, real
        first = choose.integer(3, limits.MAX_ROWS)
        pieces = numbered_rows(first, min(count, 5000))
        label = f"rows {first:,} to {first + min(count, 5000) - 1:,}"
    else:
        row = b"<row><c><v>1</v></c></row>" if style == "plain" else b"<row/>"
        pieces, label = [(row * 100, count // 100 + 1)], f"{count:,} {style} rows"
    return label, one_sheet((HEADER, 1), (DATA, 1), *pieces), "rows.xlsx"


def hostile_columns(choose: Chooser) -> Hostile:
    count = size(choose, 60, limits.MAX_COLUMNS)
    cell = choose.choice([b"<c/>", b"<c><v>1</v></c>", b"<c><v>3.25</v></c>"])
    pieces = [(b'<row r="3">', 1), (cell * 100, count // 100 + 1), (b"</row>", 1)]
    return f"{count:,} columns", one_sheet((HEADER, 1), (DATA, 1), *pieces), "columns.xlsx"


def hostile_text(choose: Chooser) -> Hostile:
    length = size(choose, 500, limits.MAX_CELL_CHARS)
    inline = choose.choice([True, False])
    if length > 200_000:  # a long text is built by repeating, as a bomb would be
        return f"a text of {length:,} repeated", gigabyte_cell(inline), "text.xlsx"
    return f"a text of {length:,}", long_text(inline, length), "text.xlsx"


def hostile_shared_strings(choose: Chooser) -> Hostile:
    count = size(choose, 500, limits.MAX_SHARED_STRINGS)
    strings = shared((b"<si/>" * 100, count // 100 + 1))
    data = workbook(("xl/worksheets/sheet1.xml", sheet((HEADER, 1), (DATA, 1))), strings=strings)
    return f"{count:,} shared strings", data, "strings.xlsx"


#: Sheets no spreadsheet program writes, for the exact scan and for openpyxl's own refusals.
MALFORMED = [
    b'<row r="abc"><c><v>1</v></c></row>',
    b'<row r="1e6"><c><v>1</v></c></row>',
    b'<row r="-3"><c><v>1</v></c></row>',
    b'<row r="2.5"><c><v>1</v></c></row>',
    b'<row r="3"><c r="$A$3"><v>1</v></c></row>',
    b'<row r="3"><c r="AAAA3"><v>1</v></c></row>',
    b'<row r="3"><c r="a3"><v>1</v></c></row>',
    b'<row r="3"><c r="A"><v>1</v></c></row>',
    b'<row r="3"><row r="4"><c><v>1</v></c></row></row>',
    b"<row><v><v>1</v></v></row>" * 3000,
    b'<x:row xmlns:x="' + MAIN.encode() + b'" r="1048577"/>',
    b"<row r='3'><c r='XFD3'/></row>",
    b'<row r="3"><c r="B3" t="inlineStr"><is><r><t>rich</t></r></is></c></row>',
    b"<row><c>\x00</c></row>",
    b"</sheetData>",
    b'<row r="3"><c r="C3"><v>&amp;&lt;</v></c>',
]


def hostile_malformed(choose: Chooser) -> Hostile:
    piece = choose.choice(MALFORMED)
    head = choose.choice([b"", b"<!-- by hand -->", b"<?pi x?>"])
    data = one_sheet((HEADER, 1), (DATA, 1), (piece, 1), head=head)
    cut = choose.choice([len(data), choose.integer(0, len(data))])  # a workbook cut short
    return f"malformed {piece[:30]!r} cut at {cut}", data[:cut], "malformed.xlsx"


def hostile_damage(choose: Chooser) -> Hostile:
    """A workbook with bytes overwritten: a broken deflate stream, header or directory."""
    data = bytearray(one_sheet((HEADER, 1), (DATA, 1), *numbered_rows(3, 2000)))
    start = choose.integer(0, len(data) - 1)
    damage = choose.octets(choose.integer(1, 64))
    data[start : start + len(damage)] = damage
    return f"a workbook damaged at byte {start:,}", bytes(data), "damaged.xlsx"


def hostile_entities(choose: Chooser) -> Hostile:
    """A DTD whose entities multiply rows (expat refuses the amplification past its limits)."""
    levels, fanout = choose.integer(1, 6), choose.integer(2, 10)
    entities = '<!ENTITY e0 "<row/>">' + "".join(
        f'<!ENTITY e{i} "{f"&e{i - 1};" * fanout}">' for i in range(1, levels + 1)
    )
    xml = (
        f'<!DOCTYPE worksheet [{entities}]><worksheet xmlns="{MAIN}"><sheetData>'
        f"&e{levels};</sheetData></worksheet>"
    ).encode()
    data = workbook(("xl/worksheets/sheet1.xml", xml))
    return f"{fanout}**{levels} rows from entities", data, "entities.xlsx"


def hostile_spreadsheet(choose: Chooser) -> Hostile:
    """A workbook openpyxl writes, with odd texts (those XML can hold) among its values."""
    book = Workbook()
    rows = book.active
    assert rows is not None
    rows.append(["date", "channel", "spend", "clicks"])
    legal = [text for text in ODDITIES if text.isprintable() and "\udcff" not in text]
    for _ in range(choose.integer(0, 200)):
        rows.append(
            [
                choose.choice(legal),
                choose.choice(legal),
                choose.choice([12.5, "3,5", None]),
                choose.choice([1, "--", ""]),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return "a spreadsheet with odd texts", out.getvalue(), "odd.xlsx"


HOSTILE: list[Callable[[Chooser], Hostile]] = [
    hostile_wide_csv,
    hostile_long_line,
    hostile_quoted_field,
    hostile_odd_text,
    hostile_bytes,
    hostile_corner,
    hostile_rows,
    hostile_columns,
    hostile_text,
    hostile_shared_strings,
    hostile_malformed,
    hostile_damage,
    hostile_entities,
    hostile_spreadsheet,
]


def attempt(data: bytes, filename: str) -> tuple[str, float]:
    """The outcome ("imported" or "refused") and the seconds it took; any other exception
    propagates."""
    start = time.perf_counter()
    try:
        result = read_history(data, filename=filename)
    except ImportRefused as refused:
        assert refused.reason.strip() and refused.problem in ImportProblem
        return "refused", time.perf_counter() - start
    assert isinstance(result, ImportResult)
    json.dumps(result.to_dict(), allow_nan=False)  # what the command line prints
    return "imported", time.perf_counter() - start


class TestThePromise:
    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.data())
    def test_any_hostile_file_is_read_or_refused_in_seconds(self, data: st.DataObject) -> None:
        choose = Drawn(data)
        label, content, filename = choose.choice(HOSTILE)(choose)
        _, seconds = attempt(content, filename)
        assert seconds < PROMISE, label

    def test_a_cell_of_many_newlines_is_read_in_seconds(self) -> None:
        """The seeded run's first finding: an unclosed quote makes the rest of the file one
        cell of newlines, and the pattern that asks whether a cell is a number backtracked
        over them in cubic time (800 newlines took 2 s, 1,659 took 18)."""
        data = b'date,spend,note\n2025-03-01,1,"' + b"\n" * 1659 + b"\n2025-03-02,2,y\n"
        outcome, seconds = attempt(data, "quoted.csv")
        assert (outcome, seconds < PROMISE) == ("imported", True), seconds

    def test_a_seeded_run_of_250_hostile_files(self) -> None:
        """The same 250 files each run: counted, the slowest named (``pytest -s`` prints)."""
        choose, counts, others = Seeded(20261205), Counter[str](), []
        slowest = (0.0, "")
        for _ in range(250):
            label, content, filename = choose.choice(HOSTILE)(choose)
            try:
                outcome, seconds = attempt(content, filename)
            except Exception as error:  # the promise broken: counted, and named below
                outcome, seconds = "other", 0.0
                others.append(f"{label}: {type(error).__name__}: {error}"[:300])
            counts[outcome] += 1
            slowest = max(slowest, (seconds, label))
        summary = (
            f"imported {counts['imported']}, refused {counts['refused']}, other "
            f"{counts['other']}; slowest {slowest[0]:.2f} s ({slowest[1]})"
        )
        print(f"\nhostile fuzz: {summary}")
        assert others == []
        assert slowest[0] < PROMISE


# --- Lone surrogates: scenario files and the command line -----------------------------------


@pytest.fixture
def surrogate_file(tmp_path: Path, example_dict: dict[str, Any]) -> Path:
    """The example scenario with lone surrogates in its name and its channel's, written by
    ``json.dumps`` (as ``\\ud800`` escapes: valid JSON)."""
    example_dict["name"] = "Tienda \ud800 online"
    example_dict["channels"][0]["name"] = "Face\udfffbook"
    path = tmp_path / "surrogates.json"
    path.write_text(json.dumps(example_dict), encoding="ascii")
    return path


def strict_stream(monkeypatch: pytest.MonkeyPatch, name: str) -> io.BytesIO:
    """``sys.<name>`` as a real UTF-8 console that refuses what UTF-8 cannot encode."""
    buffer = io.BytesIO()
    monkeypatch.setattr(sys, name, io.TextIOWrapper(buffer, encoding="utf-8", errors="strict"))
    return buffer


def printed(buffer: io.BytesIO, name: str) -> str:
    getattr(sys, name).flush()
    return buffer.getvalue().decode("utf-8")  # strictly: a surrogate would not decode


COMMANDS = {
    "evaluate": [],
    "break-even": ["--input", "values.order_value"],
    "optimize": [],
    "link": ["--base-url", "https://roi.example.com/"],
}


class TestLoneSurrogates:
    def test_reading_puts_the_replacement_character_in_their_place(
        self, surrogate_file: Path, example_dict: dict[str, Any]
    ) -> None:
        scenario = scenario_from_json(surrogate_file.read_text("ascii"))
        replaced = copy.deepcopy(example_dict)
        replaced["name"], replaced["channels"][0]["name"] = "Tienda \ufffd online", "Face\ufffdbook"
        assert scenario == scenario_from_json(json.dumps(replaced))
        assert scenario_to_json(scenario).encode("utf-8")  # as SQLite and the browser take it

    def test_a_pair_of_surrogates_is_one_character_and_kept(
        self, example_dict: dict[str, Any]
    ) -> None:
        example_dict["name"] = "Tienda \U0001f600"
        text = json.dumps(example_dict)  # "\ud83d\ude00": a pair, escaped
        assert "\\ud83d\\ude00" in text and scenario_from_json(text).name == "Tienda \U0001f600"

    @pytest.mark.parametrize("command", COMMANDS)
    def test_every_command_prints_to_a_strict_utf8_console(
        self, command: str, surrogate_file: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        out = strict_stream(monkeypatch, "stdout")
        assert main([command, str(surrogate_file), *COMMANDS[command]]) == 0
        text = printed(out, "stdout")
        if command == "evaluate":
            shown = json.loads(text)
            assert shown["name"] == "Tienda \ufffd online"
            assert shown["channels"][0]["name"] == "Face\ufffdbook"
        else:
            assert text.strip()

    def test_a_goal_named_with_a_lone_surrogate_is_one_error_line(
        self, tmp_path: Path, example_dict: dict[str, Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        example_dict["goals"][0]["metric"] = "sales\ud800"
        path = tmp_path / "goal.json"
        path.write_text(json.dumps(example_dict), encoding="ascii")
        err = strict_stream(monkeypatch, "stderr")
        assert main(["evaluate", str(path)]) == 2
        lines = printed(err, "stderr").splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and "sales\ufffd" in lines[0]

    def test_the_module_prints_through_a_real_utf8_stdout(self, surrogate_file: Path) -> None:
        done = run_module(["evaluate", str(surrogate_file)], "utf-8:strict")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout.decode("utf-8"))["name"] == "Tienda \ufffd online"

    def test_an_undecodable_file_name_is_one_error_line(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Linux gives Python a file name's undecodable bytes as lone surrogates."""
        name = os.fsdecode(os.fsencode(tmp_path) + b"/\xff.json")
        err = strict_stream(monkeypatch, "stderr")
        assert main(["evaluate", name]) == 2
        lines = printed(err, "stderr").splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and "\\udcff.json" in lines[0]

    def test_an_import_prints_valid_json_on_an_ascii_console(self, tmp_path: Path) -> None:
        path = tmp_path / "málaga.csv"
        path.write_text("Fecha,Canal,Campaña,Importe\n2025-03-01,Málaga 😀,Sí,12.5\n", "utf-8")
        done = run_module(["import", str(path)], "ascii")
        assert done.returncode == 0, done.stderr
        summary = json.loads(done.stdout.decode("ascii"))
        assert summary["channels"] == ["Málaga 😀"] and "Campaña" in summary["mapping"]


def run_module(args: list[str], io_encoding: str) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, "PYTHONIOENCODING": io_encoding}
    return subprocess.run(
        [sys.executable, "-m", "roi_model", *args],
        capture_output=True,
        cwd=REPO,
        env=environment,
        timeout=120,
        check=False,
    )


# --- Every refusal is said in every language -------------------------------------------------


class TestRefusalTexts:
    def test_every_problem_of_the_limits_is_an_import_problem(self) -> None:
        problems = {problem.value for problem in ImportProblem}
        assert {limit.value for limit in limits.Limit} <= problems
        assert limits.MAX_PART_BYTES == importer.MAX_BYTES

    def test_every_problem_has_a_text_in_every_language(self) -> None:
        from pages._ui.i18n import FAMILIES, LANGUAGES
        from tests.catalogs import entries

        keys = FAMILIES["history.refused.{}"]
        assert set(keys) == {problem.value for problem in ImportProblem}
        missing = [
            (language, key)
            for language in LANGUAGES
            for key in keys.values()
            if key not in entries(language)
        ]
        assert missing == []

    @pytest.mark.parametrize(
        ("problem", "bound"),
        [
            (ImportProblem.TOO_WIDE, limits.MAX_COLUMNS),
            (ImportProblem.LINE_TOO_LONG, limits.MAX_LINE_CHARS),
            (ImportProblem.CELL_TOO_LONG, limits.MAX_CELL_CHARS),
            (ImportProblem.TOO_MANY_ROWS, limits.MAX_ROWS),
            (ImportProblem.TOO_MANY_CELLS, limits.MAX_CELLS),
            (ImportProblem.UNPACKS_TOO_LARGE, limits.MAX_INFLATION),
        ],
        ids=lambda value: str(value),
    )
    def test_the_english_text_names_the_bound(self, problem: ImportProblem, bound: int) -> None:
        """As the page says it: the bound filled in, in the locale's numbers."""
        import streamlit as st

        from pages._ui.i18n import LANGUAGE_KEY, key_for, t
        from pages._ui.views.history import refusal_bounds

        st.session_state[LANGUAGE_KEY] = "en"
        try:
            key = key_for("history.refused.{}", problem.value)
            said = t(key, name="x.csv", columns="", **refusal_bounds())
        finally:
            st.session_state.pop(LANGUAGE_KEY, None)
        assert f"{bound:,}" in said
