"""The client's report as an Excel workbook (.xlsx), drawn from a :class:`Document`.

The first sheet is the summary: the title, the facts, the headline figures and the
paragraphs. Then each table with a sheet name has its own sheet, header frozen. Numbers are
stored as numbers with a number format of their kind (money in the document's currency, a
percent, a count...), so that the reader can compute with them; Excel shows them with the
reader's own separators. A cell whose number is undefined keeps its text ("—").

Every text may hold a name the user typed, so every text is stored as a string (never a
formula) and, OWASP's rule, quoted when it begins like a formula: the workbook may be saved
as CSV, where only the quote keeps ``=HYPERLINK(...)`` from running.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from typing import Any, Final

# No stubs for openpyxl in the dev extra: its objects are Any here.
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Font, PatternFill  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from roi_model.files.spreadsheet_text import neutralised
from roi_model.report.document import (
    Cell,
    CellKind,
    Document,
    Headline,
    Money,
    Paragraph,
    Table,
)

CREATOR: Final = "ROI Explorer"

#: Excel's limits on a sheet's name: its length and the characters it refuses.
SHEET_NAME_LENGTH: Final = 31
_FORBIDDEN_IN_SHEET_NAME: Final = re.compile(r"[\[\]:*?/\\]")
#: The control characters a workbook cannot hold (openpyxl refuses them in a cell).
_CONTROL_CHARACTERS: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Excel keeps this name for itself (case-insensitive): taken before any sheet is named.
_RESERVED_SHEET_NAME: Final = "history"

#: Column widths, in characters: from the longest text of the column, within these bounds.
MIN_COLUMN_WIDTH: Final = 8
MAX_COLUMN_WIDTH: Final = 60
_WIDTH_PADDING: Final = 2

_BOLD: Final = Font(bold=True)
_ITALIC: Final = Font(italic=True)
_TITLE: Final = Font(bold=True, size=14)
_HEADER_FILL: Final = PatternFill(fill_type="solid", start_color="FFE8EEF4", end_color="FFE8EEF4")

#: Number formats by kind (money's depends on the currency). Excel's codes always use ","
#: and "."; Excel shows the reader's own separators.
_FORMATS: Final[dict[CellKind, str]] = {
    CellKind.PERCENT: "0.0%",
    CellKind.COUNT: "#,##0",
    CellKind.NUMBER: "#,##0.00",
    CellKind.RATIO: '0.00"×"',
}


def workbook_bytes(document: Document) -> bytes:
    """The document as the bytes of an .xlsx workbook."""
    book = Workbook()
    names = _SheetNames()
    _write_summary(book.active, document, names)
    for table in document.tables():
        if table.sheet:
            sheet = book.create_sheet(names.unique(table.sheet, table.title))
            _write_table(_SheetWriter(sheet, document.money), table)
    _set_properties(book, document)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- Number formats ---------------------------------------------------------------------


def money_format(money: Money) -> str:
    """Excel's number format for amounts in ``money``: the symbol on its side, the places,
    and an explicit minus for negative amounts."""
    symbol = _format_literal(money.symbol)
    amount = "#,##0" + ("." + "0" * money.places if money.places > 0 else "")
    positive = f"{symbol}{amount}" if money.symbol_first else f"{amount} {symbol}"
    return f"{positive};-{positive}"


def _format_literal(text: str) -> str:
    """``text`` quoted for a number format. A quote cannot stand inside a quoted literal, so
    each one is written escaped (``\\"``) between the quoted pieces."""
    return '\\"'.join(f'"{piece}"' if piece else "" for piece in text.split('"'))


def number_format(kind: CellKind, money: Money) -> str:
    """Excel's number format for a number of ``kind``."""
    return money_format(money) if kind is CellKind.MONEY else _FORMATS[kind]


# --- Sheet names -------------------------------------------------------------------------


def sheet_name(text: str) -> str:
    """``text`` as Excel accepts a sheet's name: without the characters it refuses (nor
    control characters), not starting or ending with a quote, at most 31 characters."""
    name = _CONTROL_CHARACTERS.sub("", _FORBIDDEN_IN_SHEET_NAME.sub("", text))
    return name.strip(" '")[:SHEET_NAME_LENGTH].strip(" '")


@dataclass
class _SheetNames:
    """Hands out sheet names, each unique as Excel compares them (ignoring case)."""

    taken: set[str] = field(default_factory=lambda: {_RESERVED_SHEET_NAME})

    def unique(self, *candidates: str) -> str:
        """The first candidate that makes a name, made unique with a suffix " (2)"."""
        base = next((name for name in map(sheet_name, candidates) if name), "Sheet")
        name, copy = base, 1
        while name.casefold() in self.taken:
            copy += 1
            suffix = f" ({copy})"
            name = base[: SHEET_NAME_LENGTH - len(suffix)].rstrip() + suffix
        self.taken.add(name.casefold())
        return name


# --- Writing cells -----------------------------------------------------------------------


def _safe_text(text: str) -> str:
    return neutralised(_CONTROL_CHARACTERS.sub("", text))


def _has_number(cell: Cell) -> bool:
    # NaN and infinities have no place in a workbook: their text says what they are.
    return cell.kind is not CellKind.TEXT and cell.value is not None and math.isfinite(cell.value)


@dataclass
class _SheetWriter:
    """Writes the cells of one sheet and keeps, per column, the longest text for its width."""

    sheet: Any
    money: Money
    longest: dict[int, int] = field(default_factory=dict)

    def text(self, row: int, column: int, text: str, *, fit: bool = True) -> Any:
        """Writes ``text`` as a string, never a formula. ``fit``: count it for the width."""
        target = self.sheet.cell(row=row, column=column)
        target.value = _safe_text(text)
        target.data_type = "s"  # openpyxl would take a text that begins with "=" for a formula
        if fit:
            self._fit(column, target.value)
        return target

    def cell(self, row: int, column: int, cell: Cell) -> Any:
        """Writes ``cell``: its number with its kind's format, or else its text."""
        if not _has_number(cell):
            return self.text(row, column, cell.text)
        target = self.sheet.cell(row=row, column=column)
        target.value = cell.value
        target.number_format = number_format(cell.kind, self.money)
        self._fit(column, cell.text)
        return target

    def _fit(self, column: int, text: str) -> None:
        widest = max((len(line) for line in text.splitlines()), default=0)
        self.longest[column] = max(self.longest.get(column, 0), widest)

    def set_column_widths(self) -> None:
        for column, length in self.longest.items():
            width = min(max(length + _WIDTH_PADDING, MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH)
            self.sheet.column_dimensions[get_column_letter(column)].width = width


def _styled(cells: list[Any], font: Any) -> None:
    for target in cells:
        target.font = font


# --- The summary sheet -------------------------------------------------------------------


def _write_summary(sheet: Any, document: Document, names: _SheetNames) -> None:
    """The title, the facts, each headline's figures and the paragraphs, one below another."""
    headlines = document.headlines()
    sheet.title = names.unique(*(h.title for h in headlines[:1]), document.title)
    writer = _SheetWriter(sheet, document.money)
    # The title overflows into the empty cells beside it: it does not widen column A.
    writer.text(1, 1, document.title, fit=False).font = _TITLE
    row = 2
    for label, value in document.facts:
        writer.text(row, 1, label)
        writer.text(row, 2, value)
        row += 1
    for headline in headlines:
        row = _write_headline(writer, headline, row + 1)
    paragraphs = [b for b in (*document.blocks, *document.appendix) if isinstance(b, Paragraph)]
    if paragraphs:
        _write_paragraphs(writer, paragraphs, row + 1)
    writer.set_column_widths()


def _write_headline(writer: _SheetWriter, headline: Headline, row: int) -> int:
    """Writes the headline's header row and its figures from ``row``; the next free row."""
    writer.text(row, 2, headline.title).font = _BOLD  # over the values; column A stays empty
    for offset, figure in enumerate(headline.figures, start=1):
        writer.text(row + offset, 1, figure.label)
        writer.cell(row + offset, 2, figure.value)
        if figure.detail:
            writer.text(row + offset, 3, figure.detail)
    return row + len(headline.figures) + 1


def _write_paragraphs(writer: _SheetWriter, paragraphs: list[Paragraph], row: int) -> None:
    """Writes each paragraph as (title, text) from ``row``."""
    for offset, paragraph in enumerate(paragraphs):
        writer.text(row + offset, 1, paragraph.title).font = _BOLD
        # A sentence overflows to the right rather than widening the figures' column.
        writer.text(row + offset, 2, paragraph.text, fit=False)


# --- A table's sheet ---------------------------------------------------------------------


def _write_table(writer: _SheetWriter, table: Table) -> None:
    """The header (bold, filled, frozen), the rows (emphasised ones bold), then the note."""
    header = [writer.text(1, column, name) for column, name in enumerate(table.columns, 1)]
    for target in header:
        target.font = _BOLD
        target.fill = _HEADER_FILL
    writer.sheet.freeze_panes = "A2"
    for index, cells in enumerate(table.rows):
        written = [writer.cell(index + 2, column, cell) for column, cell in enumerate(cells, 1)]
        if index in table.emphasis:
            _styled(written, _BOLD)
    if table.note:
        # A sentence under the table: it overflows rather than widening column A.
        writer.text(len(table.rows) + 3, 1, table.note, fit=False).font = _ITALIC
    writer.set_column_widths()


def _set_properties(book: Any, document: Document) -> None:
    book.properties.title = _CONTROL_CHARACTERS.sub("", document.title)
    book.properties.creator = CREATOR
    book.properties.lastModifiedBy = CREATOR
    book.properties.language = document.language
