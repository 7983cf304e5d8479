"""Bounds on the shape of an imported file, checked before anything large is built from it.

A platform export has at most a few hundred columns, lines of a few thousand characters and
cells of a few hundred; a spreadsheet at most Excel's 1,048,576 rows. A file far beyond that is
a mistake or an attack (a 1 MB zip holding a 1 GB sheet), and reading it would hang the app or
exhaust its memory. Each bound below is far above any real export, and each is checked before
the expensive reading, so that such a file is refused in well under a second with a sentence
that names the bound:

- CSV: the separator is sniffed on a bounded sample; a line longer than ``MAX_LINE_CHARS``, a
  record wider than ``MAX_COLUMNS`` and a cell longer than ``MAX_CELL_CHARS`` are refused.
- xlsx: a part of the zip that unpacks to more than ``MAX_PART_BYTES``, or to more than
  ``MAX_INFLATION`` times its packed size, is refused from the sizes the zip declares (the zip
  module never inflates a part beyond them); the first worksheet's declared ``<dimension>``
  and its actual rows, columns and texts, and the shared strings, are checked by a streaming
  scan that stops at the first breach (a fast one in C for sheets written as spreadsheet
  programs write them, an exact one with expat for the rest).

The refusals are the importer's :class:`~roi_model.files.imports.problems.ImportRefused`.
"""

from __future__ import annotations

import io
import mmap
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from enum import StrEnum
from typing import IO, Any
from xml.etree import ElementTree
from xml.parsers import expat

from roi_model.files.imports.problems import ImportProblem, ImportRefused

__all__ = [
    "MAX_CELLS",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_EMPTY_CELLS",
    "MAX_EMPTY_ROWS",
    "MAX_INFLATION",
    "MAX_LINE_CHARS",
    "MAX_PART_BYTES",
    "MAX_ROWS",
    "MAX_SHARED_STRINGS",
    "SNIFF_CHARS",
    "Limit",
    "bounded_lines",
    "cell_too_long",
    "check_record",
    "check_workbook",
    "has_long_lines",
    "sniff_lines",
]

#: Columns of one record or sheet: real exports have a few hundred at most; this leaves room
#: for any of them while a table of that many columns of object cells stays small.
MAX_COLUMNS = 2_000
#: Characters of one cell: above the longest post a platform lets anyone write (Facebook:
#: 63,206) and twice Excel's own cell limit (32,767), and half the csv module's default
#: field limit (131,072), so that the module's process-wide limit never decides first and is
#: left as it is.
MAX_CELL_CHARS = 65_536
#: Characters of one physical CSV line: a full-width row (2,000 columns) of ordinary cells is
#: about 50,000; this leaves room for several cells of the longest kind.
MAX_LINE_CHARS = 2**20
#: Rows of a sheet: Excel's own limit; no spreadsheet program writes a row beyond it.
MAX_ROWS = 1_048_576
#: Cells of a sheet's grid (its last row by its last column): the grid pandas builds holds
#: about 50 bytes per cell in its copies, so this is about the 500 MB a CSV may have; a year
#: of daily rows for 200 ads with 30 columns is 2.2 million.
MAX_CELLS = 10_000_000
#: Empty rows and empty cells of a sheet's grid beyond those that hold something. openpyxl
#: yields every missing row (about 7 microseconds each) and pandas pads every row to the
#: widest (under a microsecond a cell), so one cell at A1 and one at E1048576, 1.5 KB zipped,
#: took 10 seconds; these take about a second, and a real sheet, mostly full, never comes near.
MAX_EMPTY_ROWS = 100_000
MAX_EMPTY_CELLS = 1_000_000
#: Bytes one part of an xlsx may unpack to: what a CSV may have (``importer.MAX_BYTES``).
MAX_PART_BYTES = 500 * 2**20
#: Times its packed size a part may unpack to. Spreadsheets pack their XML 5 to 20 times; a
#: bomb (a million empty rows, a gigabyte of one letter) a thousand. Apache POI refuses a part
#: beyond 100 times (its ``MIN_INFLATE_RATIO``, 0.01). A part under ``_INFLATION_FLOOR`` is
#: not judged: a small part may pack as tightly as it likes.
MAX_INFLATION = 100
_INFLATION_FLOOR = 10 * 2**20
#: Shared strings (distinct texts) of a workbook: openpyxl reads every one before the sheet,
#: about ten microseconds each; a sheet of Excel's full height with a new text on each row
#: has this many.
MAX_SHARED_STRINGS = 1_048_576
#: Characters the CSV separator is sniffed on: below the csv module's field limit, so no
#: field of the sample can exceed it whatever the file holds.
SNIFF_CHARS = 64 * 1024

_CHUNK = 2**20  # bytes of a sheet inflated at a time


class Limit(StrEnum):
    """The refusals of this module; the values are :class:`ImportProblem` members' values."""

    UNREADABLE = "unreadable"
    TOO_WIDE = "too_wide"
    LINE_TOO_LONG = "line_too_long"
    CELL_TOO_LONG = "cell_too_long"
    TOO_MANY_ROWS = "too_many_rows"
    TOO_MANY_CELLS = "too_many_cells"
    UNPACKS_TOO_LARGE = "unpacks_too_large"


def _refused(limit: Limit, reason: str) -> Exception:
    """The importer's refusal."""
    return ImportRefused(ImportProblem(limit.value), reason)


# --- CSV ---------------------------------------------------------------------------------


def sniff_lines(text: str) -> list[str]:
    """The lines of the first ``SNIFF_CHARS`` characters, without the last one when the
    sample cuts it (its field count would mislead), unless it is the only one."""
    lines = text[:SNIFF_CHARS].splitlines()
    if len(text) > SNIFF_CHARS and len(lines) > 1:
        lines.pop()
    return lines


def has_long_lines(data: str | bytes | mmap.mmap, longest: int) -> bool:
    """Whether a run of ``data`` between line feeds is longer than ``longest`` (characters of
    a text, bytes of bytes).

    Notes
    -----
    Any run of ``longest + 1`` holds a whole block of ``longest // 2 + 1`` aligned on that
    size, so a line feed in every block proves there is none; a block without one is measured
    exactly. A 100 MB file takes a few hundred ``find`` calls.
    """
    feed: Any = "\n" if isinstance(data, str) else b"\n"
    step, size, start = longest // 2 + 1, len(data), 0
    while start < size:
        end = min(start + step, size)
        if data.find(feed, start, end) >= 0:
            start = end
            continue
        before, after = data.rfind(feed, 0, start), data.find(feed, end)
        after = size if after < 0 else after
        if after - before - 1 > longest:
            return True
        start = after + 1
    return False


def bounded_lines(text: str) -> Iterator[str]:
    """The physical lines as the csv module reads them (ended by \\n, \\r\\n or \\r), each
    checked against ``MAX_LINE_CHARS`` before the module sees it."""
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        length = len(line.rstrip("\r\n"))
        if length > MAX_LINE_CHARS:
            raise _refused(
                Limit.LINE_TOO_LONG,
                f"Line {number:,} has {length:,} characters; at most {MAX_LINE_CHARS:,} can be "
                "imported.",
            )
        yield line


def check_record(line: int, cells: list[str], measure_cells: bool) -> None:
    """Refuse a record wider than ``MAX_COLUMNS``, or (when ``measure_cells``: its lines
    were not all shorter than the bound) one with a cell longer than ``MAX_CELL_CHARS``."""
    if len(cells) > MAX_COLUMNS:
        raise _refused(
            Limit.TOO_WIDE,
            f"Line {line:,} has {len(cells):,} columns; at most {MAX_COLUMNS:,} can be imported.",
        )
    if measure_cells and cells and max(map(len, cells)) > MAX_CELL_CHARS:
        raise cell_too_long(line)


def cell_too_long(line: int) -> Exception:
    """The refusal of a CSV cell over ``MAX_CELL_CHARS`` (the csv module's own field limit,
    above it, says the same)."""
    return _refused(
        Limit.CELL_TOO_LONG,
        f"Line {line:,} has a cell longer than {MAX_CELL_CHARS:,} characters, which no export "
        "writes.",
    )


# --- xlsx: the package -------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PACKAGE = "{http://schemas.openxmlformats.org/package/2006/"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml."
_MACRO = "application/vnd.ms-excel."
#: The content types of a workbook's main part, in the order openpyxl looks for them.
_WORKBOOK_TYPES = (
    _MACRO + "template.macroEnabled.main+xml",
    _CONTENT + "template.main+xml",
    _MACRO + "sheet.macroEnabled.main+xml",
    _CONTENT + "sheet.main+xml",
)
_SHARED_STRINGS_TYPE = _CONTENT + "sharedStrings+xml"
_UNOPENED = "The file looks like an Excel workbook but cannot be opened"
#: How a damaged zip or part fails (a bad checksum, a broken deflate stream, a compression
#: or an encryption zipfile does not know): openpyxl fails on it too.
_BROKEN = (
    KeyError,
    ElementTree.ParseError,
    expat.ExpatError,
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
)


def check_workbook(data: bytes | mmap.mmap) -> None:
    """Refuse an xlsx whose parts unpack beyond ``MAX_PART_BYTES``, or whose first worksheet
    (the one pandas reads) or shared strings break a bound.

    A file that is not a zip at all is left to the reader, which refuses it as unreadable.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    with archive:
        _check_part_sizes(archive)
        try:
            parts, defaults = _content_types(archive)
            sheet = _first_worksheet(archive, _workbook_part(parts, defaults))
        except _BROKEN as error:
            raise _refused(Limit.UNREADABLE, f"{_UNOPENED} ({error}).") from error
        strings = parts.get(_SHARED_STRINGS_TYPE, "")
        # A part shorter than the bound can hold no text longer, nor that many texts.
        if strings in archive.namelist() and archive.getinfo(strings).file_size > MAX_CELL_CHARS:
            _scan_part(archive, strings, _StringsScan)
        if sheet is not None:
            _check_sheet(archive, sheet)


def _check_part_sizes(archive: zipfile.ZipFile) -> None:
    """Refuse from the sizes the zip declares (the zip module inflates a part no further)."""
    for info in archive.infolist():
        if info.file_size > MAX_PART_BYTES:
            raise _refused(
                Limit.UNPACKS_TOO_LARGE,
                f"The workbook's part {info.filename} unpacks to "
                f"{info.file_size / 2**20:,.0f} MB; at most {MAX_PART_BYTES / 2**20:,.0f} MB "
                "can be read.",
            )
        inflation = info.file_size / max(info.compress_size, 1)
        if info.file_size > _INFLATION_FLOOR and inflation > MAX_INFLATION:
            raise _refused(
                Limit.UNPACKS_TOO_LARGE,
                f"The workbook's part {info.filename} unpacks to {inflation:,.0f} times its "
                f"packed size; spreadsheets pack about 10 times, and at most {MAX_INFLATION:,} "
                "times can be read.",
            )


def _content_types(archive: zipfile.ZipFile) -> tuple[dict[str, str], set[str]]:
    """Content type -> the first part of that type (as openpyxl's ``Manifest.find``), and the
    default content types."""
    root = ElementTree.fromstring(archive.read("[Content_Types].xml"))
    parts: dict[str, str] = {}
    for override in root.iter(_PACKAGE + "content-types}Override"):
        kind, part = override.get("ContentType", ""), override.get("PartName", "")
        parts.setdefault(kind, part.removeprefix("/"))
    defaults = root.iter(_PACKAGE + "content-types}Default")
    return parts, {default.get("ContentType", "") for default in defaults}


def _workbook_part(parts: dict[str, str], defaults: set[str]) -> str:
    """The workbook's main part, found as openpyxl finds it."""
    for kind in _WORKBOOK_TYPES:
        if kind in parts:
            return parts[kind]
    if defaults.intersection(_WORKBOOK_TYPES):
        return "xl/workbook.xml"
    raise ValueError("no workbook part")


def _first_worksheet(archive: zipfile.ZipFile, workbook: str) -> str | None:
    """The part of ``workbook.worksheets[0]`` in openpyxl: the first sheet whose relationship
    names a part of the zip, skipping chart sheets (None when there is none)."""
    folder, name = posixpath.split(workbook)
    targets = _relationships(archive, posixpath.join(folder, "_rels", f"{name}.rels"))
    names = set(archive.namelist())
    sheets = ElementTree.fromstring(archive.read(workbook)).iter(f"{{{_MAIN}}}sheet")
    for sheet in sheets:
        kind, target = targets.get(sheet.get(_REL_ID) or "", ("", ""))
        if target in names and "chartsheet" not in kind:
            return target
    return None


def _relationships(archive: zipfile.ZipFile, path: str) -> dict[str, tuple[str, str]]:
    """Id -> (type, part) of a relationships part, targets resolved as openpyxl does."""
    parent = posixpath.split(posixpath.dirname(path))[0]
    found = {}
    relationships = ElementTree.fromstring(archive.read(path))
    for item in relationships.iter(_PACKAGE + "relationships}Relationship"):
        target = item.get("Target", "")
        if item.get("TargetMode") != "External":
            target = target[1:] if target.startswith("/") else posixpath.join(parent, target)
        found[item.get("Id", "")] = (item.get("Type", ""), posixpath.normpath(target))
    return found


# --- xlsx: the first worksheet -------------------------------------------------------------


def column_number(letters: str) -> int:
    """The 1-based number of a column's letters ("A" is 1, "XFD" is 16,384)."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def column_letters(number: int) -> str:
    """The letters of a 1-based column number (16,384 is "XFD")."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class _Extent:
    """The largest row and column of a sheet seen so far, refused past the bounds, and the
    rows and cells it holds."""

    def __init__(self) -> None:
        self.rows = 0
        self.columns = 0
        self.rows_held = 0  # rows with a cell
        self.cells = 0

    def saw(self, rows: int, columns: int) -> None:
        """Take a row and a column seen in the sheet, refusing one beyond a bound."""
        if columns > MAX_COLUMNS:
            raise _refused(
                Limit.TOO_WIDE,
                f"The first sheet has a cell in column {column_letters(columns)} (column "
                f"{columns:,}); at most {MAX_COLUMNS:,} columns can be imported.",
            )
        if rows > MAX_ROWS:
            raise _refused(
                Limit.TOO_MANY_ROWS,
                f"The first sheet has a row {rows:,}; at most {MAX_ROWS:,} rows (Excel's own "
                "limit) can be imported.",
            )
        self.rows, self.columns = max(self.rows, rows), max(self.columns, columns)
        if self.rows * self.columns > MAX_CELLS:
            raise _refused(
                Limit.TOO_MANY_CELLS,
                f"The first sheet spans {self.rows:,} rows by {self.columns:,} columns; at most "
                f"{MAX_CELLS:,} cells can be imported.",
            )

    def check_emptiness(self) -> None:
        """Refuse a grid mostly empty and large (checked once the whole sheet is seen)."""
        held, grid = self.rows_held, self.rows * self.columns
        if self.rows - held > MAX_EMPTY_ROWS + held:
            raise _refused(
                Limit.TOO_MANY_ROWS,
                f"The first sheet reaches row {self.rows:,} but only {held:,} rows hold cells; "
                f"its empty rows may be at most {MAX_EMPTY_ROWS:,} more than those.",
            )
        if grid - self.cells > MAX_EMPTY_CELLS + self.cells:
            raise _refused(
                Limit.TOO_MANY_CELLS,
                f"The first sheet spans {grid:,} cells but holds only {self.cells:,}; its empty "
                f"cells may be at most {MAX_EMPTY_CELLS:,} more than those.",
            )


_REFERENCE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]+)")


def check_dimension(reference: str) -> None:
    """Refuse a sheet whose declared ``<dimension ref="A1:XFD1048576"/>`` breaks a bound
    (a reference that is not one is ignored: the scan checks what the sheet holds)."""
    corner = _REFERENCE.fullmatch(reference.rpartition(":")[2].strip())
    if corner is None:
        return
    rows, columns = int(corner[2]), column_number(corner[1])
    declares = f"The first sheet declares {reference} to be"
    if columns > MAX_COLUMNS:
        raise _refused(
            Limit.TOO_WIDE,
            f"{declares} {columns:,} columns wide; at most {MAX_COLUMNS:,} can be imported.",
        )
    if rows > MAX_ROWS:
        raise _refused(
            Limit.TOO_MANY_ROWS,
            f"{declares} {rows:,} rows long; at most {MAX_ROWS:,} (Excel's own limit) can be "
            "imported.",
        )
    if rows * columns > MAX_CELLS:
        raise _refused(
            Limit.TOO_MANY_CELLS,
            f"{declares} {rows * columns:,} cells; at most {MAX_CELLS:,} can be imported.",
        )


def _check_sheet(archive: zipfile.ZipFile, name: str) -> None:
    """The fast scan of a sheet written as spreadsheet programs write it; the exact one when
    the fast one cannot tell."""
    try:
        with archive.open(name) as part:
            if _CanonicalScan(part).within_bounds():
                return
    except _BROKEN as error:
        raise _refused(Limit.UNREADABLE, f"{_UNOPENED} ({error}).") from error
    _scan_part(archive, name, _SheetScan)


# The fast scan: rows as Excel, LibreOffice, Google Sheets, openpyxl and xlsxwriter write them,
# matched by one expression in C, then counted and measured in C. A cell or row whose "r"
# attribute is not first, a text longer than the bound, a comment, a DTD, a prefixed element,
# a rich-text cell... does not match: the exact scan decides.
_NAME = rb"[A-Za-z_][\w.:-]*+"
_VALUE = rb'"[^"<]{0,%d}+"' % MAX_CELL_CHARS
_ATTRIBUTES = rb"(?:\s++(?!r=)" + _NAME + rb"=" + _VALUE + rb")*+\s*+"  # "r" only first
_TEXT = rb"[^<]{0,%d}+" % MAX_CELL_CHARS


def _element(name: bytes, content: bytes, number: bytes = b"") -> bytes:
    """``<name number? attributes/>`` or ``<name ...>content</name>``, as a pattern."""
    opening = b"<" + name + (b'(?: r="' + number + b'")?' if number else b"") + _ATTRIBUTES
    return opening + b"(?:/>|>" + content + b"</" + name + b">)"


_CELL_CONTENT = b"|".join(
    [
        _element(b"v", _TEXT),
        _element(b"f", _TEXT),
        _element(b"is", rb"\s*+(?:" + _element(b"t", _TEXT) + rb")?\s*+"),
    ]
)
_CELL = _element(b"c", rb"\s*+(?:(?:" + _CELL_CONTENT + rb")\s*+)*+", rb"[A-Z]{1,3}[0-9]{1,7}")
_PLAIN_ROW = _element(b"row", rb"\s*+(?:" + _CELL + rb"\s*+)*+", rb"[0-9]{1,7}")
_ROWS = re.compile(rb"(?:\s*+" + _PLAIN_ROW + rb")*+\s*+")
# In plain rows, "<row" starts only rows and "<c" only cells: b"" stands for no number.
_ROW_NUMBER = re.compile(rb'<row(?: r="([0-9]++)")?')
_CELL_COLUMN = re.compile(rb'<c(?: r="([A-Z]++))?')
_EMPTY_ROW = re.compile(_element(b"row", rb"\s*+", rb"[0-9]++"))
_SHEET_DATA = re.compile(rb"<sheetData\s*+(/?)>")
_SHEET_DATA_END = b"</sheetData>"
_ANY_ROW = re.compile(rb"<(?:[^\s<>/!?]*:)?(?:row|sheetData)[\s/>]")  # any prefix, any place
_DIMENSION = re.compile(rb'<dimension ref="([^"<]*)"\s*/>')


class _CanonicalScan:
    """A sheet's XML read once, a chunk at a time: within the bounds, beyond them (refused),
    or not written as spreadsheet programs write it (then the exact scan decides)."""

    def __init__(self, part: IO[bytes]) -> None:
        self.part = part
        self.buffer = b""
        self.ended = False
        self.extent = _Extent()
        self.row = 0  # the last row's number, as openpyxl counts

    def _read(self) -> None:
        more = self.part.read(_CHUNK)
        self.ended = not more
        self.buffer += more

    def within_bounds(self) -> bool:
        """True for a sheet within the bounds, False when this scan cannot tell."""
        opening = self._head()
        if opening is None:
            return False
        if opening[1]:  # <sheetData/>: no rows
            self.buffer = self.buffer[opening.end() :]
        elif not self._rows(opening.end()):
            return False
        if not self._tail():
            return False
        self.extent.check_emptiness()
        return True

    def _head(self) -> re.Match[bytes] | None:
        """The ``<sheetData>`` tag, after a head that holds no row and a dimension that is
        within the bounds; None when the head is not plain."""
        while (opening := _SHEET_DATA.search(self.buffer)) is None:
            if self.ended or len(self.buffer) > _CHUNK:
                return None
            self._read()
        head = self.buffer[: opening.start()]
        if b"<!" in head or _ANY_ROW.search(head):
            return None
        dimension = _DIMENSION.search(head)
        if dimension is None and b"dimension" in head:
            return None
        if dimension is not None:
            check_dimension(dimension[1].decode("ascii", "replace"))
        return opening

    def _rows(self, start: int) -> bool:
        """Whether every row up to ``</sheetData>`` is plain (each checked on the way)."""
        while True:
            rows = _ROWS.match(self.buffer, start)
            if rows is None:  # (it matches no rows at all rather than fail)
                return False
            end = rows.end()
            if not self._measure(start, end):
                return False
            if self.buffer.startswith(_SHEET_DATA_END, end):
                self.buffer = self.buffer[end + len(_SHEET_DATA_END) :]
                return True
            if self.ended or len(self.buffer) - end > _CHUNK:
                return False  # something else, or a row over a megabyte
            self.buffer, start = self.buffer[end:], 0
            self._read()

    def _measure(self, start: int, end: int) -> bool:
        """Check the rows between ``start`` and ``end``; False when a row mixes cells with a
        reference and cells without (the exact scan numbers them then)."""
        span = self.buffer[start:end]
        references = _CELL_COLUMN.findall(span)  # b"" for a cell without one
        widest = _widest(span, references)
        if widest is None:
            return False
        numbers = _ROW_NUMBER.findall(span)  # b"" for a row without one
        self.row, highest = _row_numbers(numbers, self.row)
        self.extent.saw(highest, widest)
        self.extent.rows_held += len(numbers) - len(_EMPTY_ROW.findall(span))
        self.extent.cells += len(references)
        return True

    def _tail(self) -> bool:
        """Whether the rest of the part holds no row (openpyxl reads rows anywhere)."""
        while True:
            if b"<!" in self.buffer or _ANY_ROW.search(self.buffer):
                return False
            if self.ended:
                return True
            # The last tag may go on in the next chunk: it is looked at again, whole.
            last = self.buffer.rfind(b"<")
            self.buffer = self.buffer[last:] if last >= 0 else b""
            if len(self.buffer) > _CHUNK:
                return False
            self._read()


def _row_numbers(numbers: list[bytes], row: int) -> tuple[int, int]:
    """The last and the highest row number of rows numbered ``numbers`` (b"" for none) after
    row ``row``: a row without a number is the one before plus one (openpyxl's counter)."""
    if numbers and b"" not in numbers:  # the common case, in C
        return int(numbers[-1]), max(map(int, numbers))
    if not any(numbers):
        return row + len(numbers), row + len(numbers)
    highest = row
    for number in numbers:
        row = int(number) if number else row + 1
        highest = max(highest, row)
    return row, highest


def _widest(span: bytes, references: list[bytes]) -> int | None:
    """The highest column of the cells of plain rows, given their column ``references`` (b""
    for none), or None when a row mixes cells with a reference and cells without."""
    if b"" not in references:  # the common case, in C
        return max(map(column_number, {letters.decode() for letters in set(references)}), default=0)
    widths = [_row_width(_CELL_COLUMN.findall(row)) for row in span.split(b"<row")]
    return None if None in widths else max(width or 0 for width in widths)


def _row_width(references: list[bytes]) -> int | None:
    """The highest column of one row's cells: numbered 1, 2, ... when none has a reference;
    None when some have one and some not."""
    if not any(references):
        return len(references)
    if b"" in references:
        return None
    return max(column_number(letters.decode()) for letters in references)


class _Scan:
    """An exact streaming scan of a part: expat calls ``start`` for every element; the ends
    and texts go to lists (appending is a call in C, a Python handler per end and per text
    doubled the scan's time) that ``start`` folds in."""

    def __init__(self) -> None:
        self.ends: list[str] = []
        self.texts: list[str] = []
        self.opened = 0
        self.closed = 0

    def depth(self) -> int:
        """The depth of the element just started (the root is 1)."""
        self.opened += 1
        if len(self.ends) > 4096:
            self.closed += len(self.ends)
            self.ends.clear()
        return self.opened - self.closed - len(self.ends)

    def start(self, name: str, attributes: dict[str, str]) -> None:
        """Called by expat at each element's start."""
        raise NotImplementedError

    def finish(self) -> None:
        """Called once the whole part is read."""

    def check_text(self) -> None:
        """Refuse when the text gathered since the last cell began is over the bound."""
        if self.texts and sum(map(len, self.texts)) > MAX_CELL_CHARS:
            raise self.too_long()

    def too_long(self) -> Exception:
        """The refusal of a text over the bound."""
        return _refused(
            Limit.CELL_TOO_LONG,
            f"The first sheet has a text longer than {MAX_CELL_CHARS:,} characters, which no "
            "export writes.",
        )


def _scan_part(archive: zipfile.ZipFile, name: str, kind: type[_Scan]) -> None:
    """Feed a part to expat a chunk at a time through a scan, which refuses what breaks a
    bound as soon as it is seen."""
    scan = kind()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.ends.append
    parser.CharacterDataHandler = scan.texts.append
    try:
        with archive.open(name) as part:
            while chunk := part.read(_CHUNK):
                parser.Parse(chunk, False)
                scan.check_text()
            parser.Parse(b"", True)
        scan.finish()
    except _BROKEN as error:
        raise _refused(Limit.UNREADABLE, f"{_UNOPENED} ({error}).") from error


_ROW = f"{_MAIN} row"
_DIMENSION_TAG = f"{_MAIN} dimension"
_SHARED_STRING = f"{_MAIN} si"


class _SheetScan(_Scan):
    """The rows and cells of a sheet as openpyxl numbers them: a row is any ``row`` element,
    numbered by its ``r`` or the one before plus one; its cells are its children, numbered by
    their ``r`` or the one before plus one."""

    def __init__(self) -> None:
        super().__init__()
        self.extent = _Extent()
        self.row_depth = 0  # the depth of the open row, 0 outside rows
        self.row = 0
        self.column = 0
        self.cells_in_row = 0

    def finish(self) -> None:
        """Called once the whole part is read."""
        self.extent.check_emptiness()

    def start(self, name: str, attributes: dict[str, str]) -> None:
        """Called by expat at each element's start (a million times for a big sheet: the
        common cases, inside a cell and a cell, come first, and ``depth`` is inlined)."""
        self.opened += 1
        ends = self.ends
        if len(ends) > 4096:
            self.closed += len(ends)
            ends.clear()
        depth, row_depth = self.opened - self.closed - len(ends), self.row_depth
        if depth <= row_depth:
            self.row_depth = row_depth = 0
        if row_depth and depth > row_depth + 1 and name != _ROW:
            return  # inside a cell: its text adds up until the next cell starts
        if row_depth and depth == row_depth + 1 and name != _ROW:
            self._start_cell(attributes.get("r"))
        elif name == _ROW:
            self._start_row(depth, attributes.get("r"))
        else:
            self.check_text()
            self.texts.clear()
            if name == _DIMENSION_TAG:
                check_dimension(attributes.get("ref", ""))

    def _start_row(self, depth: int, number: str | None) -> None:
        if self.row_depth:
            raise _refused(Limit.UNREADABLE, f"{_UNOPENED} (a row inside a row).")
        self.check_text()
        self.texts.clear()
        self.row_depth, self.row, self.column = depth, _row_number(number, self.row), 0
        self.cells_in_row = 0
        self.extent.saw(self.row, 0)

    def _start_cell(self, reference: str | None) -> None:
        self.check_text()
        self.texts.clear()
        self.column = _cell_column(reference) if reference else self.column + 1
        self.extent.saw(self.row, self.column)
        self.extent.rows_held += not self.cells_in_row
        self.extent.cells += 1
        self.cells_in_row += 1


def _row_number(text: str | None, before: int) -> int:
    """A row's number as openpyxl reads its ``r``: an integer, or a float that is one."""
    if text is None:
        return before + 1
    try:
        return int(text)
    except ValueError:
        pass
    number = float(text)  # neither: openpyxl fails, and so the scan (a ValueError)
    if not number.is_integer():
        raise _refused(Limit.UNREADABLE, f"{_UNOPENED} (a row numbered {text[:20]!r}).")
    return int(number)


def _cell_column(reference: str) -> int:
    """A cell's column as openpyxl reads its ``r``: the letters before the first digit, or
    all but the last character when there is none (three letters at most)."""
    digit = next((i for i, char in enumerate(reference[:4]) if char in "0123456789"), None)
    letters = reference[: len(reference) - 1 if digit is None else digit]
    if not (1 <= len(letters) <= 3 and letters.isascii() and letters.isalpha()):
        raise _refused(Limit.UNREADABLE, f"{_UNOPENED} (a cell named {reference[:20]!r}).")
    return column_number(letters)


class _StringsScan(_Scan):
    """The shared strings: each ``si`` (at any depth, as openpyxl reads them) is one text."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def start(self, name: str, attributes: dict[str, str]) -> None:
        """Called by expat at each element's start."""
        self.depth()
        if name != _SHARED_STRING:
            return
        self.check_text()
        self.texts.clear()
        self.count += 1
        if self.count > MAX_SHARED_STRINGS:
            raise _refused(
                Limit.TOO_MANY_CELLS,
                f"The workbook holds more than {MAX_SHARED_STRINGS:,} different texts; at most "
                f"{MAX_SHARED_STRINGS:,} can be imported.",
            )

    def too_long(self) -> Exception:
        """The refusal of a text over the bound."""
        return _refused(
            Limit.CELL_TOO_LONG,
            f"The workbook holds a text longer than {MAX_CELL_CHARS:,} characters, which no "
            "export writes.",
        )
