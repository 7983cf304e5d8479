"""The client's report as a document of plain blocks: what every format draws.

:mod:`roi_model.report.build` makes one from a scenario (or a comparison) in the reader's
language and locale; :mod:`~roi_model.report.html`, :mod:`~roi_model.report.pdf` and
:mod:`~roi_model.report.workbook` draw the same document, so that the three formats say the
same thing. Every text is already in the reader's language and every number already
formatted for their locale; a table cell keeps its number and its kind beside its text, so
that the workbook stores numbers (not text) with a currency or percent format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class CellKind(StrEnum):
    """What a number is, which decides how the workbook formats it."""

    TEXT = "text"
    MONEY = "money"  # in the document's currency
    PERCENT = "percent"  # a fraction: 0.125 is 12.5 %
    COUNT = "count"  # whole actions: visits, leads, sales
    NUMBER = "number"  # any other amount (a rate per hour, a CPM without currency...)
    RATIO = "ratio"  # such as ROAS: 2.35x


@dataclass(frozen=True)
class Cell:
    """One cell: its text as the reader reads it, and the number behind it (None for a text,
    or where the number is undefined: the text then says so, e.g. "—")."""

    text: str
    value: float | None = None
    kind: CellKind = CellKind.TEXT

    @classmethod
    def of_text(cls, text: str) -> Cell:
        return cls(text)


@dataclass(frozen=True)
class Figure:
    """A headline figure: its label, its value and a line of detail (a range, a split)."""

    label: str
    value: Cell
    detail: str = ""


@dataclass(frozen=True)
class Headline:
    """The headline figures, drawn as a grid of boxes; the workbook's summary sheet."""

    title: str
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Table:
    """A table of rows. ``key`` names it for tests and styles (``channels``, ``goals``,
    ``plan``, ``assumptions``, ``side_by_side``, ``changes``, ...); ``sheet`` is its sheet's
    name in the workbook (at most 31 characters; empty: not in the workbook). ``emphasis``
    marks the rows drawn in bold (a total, the base of a comparison). ``printed`` False
    keeps a table out of the HTML and the PDF (a long tidy list the workbook alone holds,
    when the pages show the same facts more compactly)."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""
    sheet: str = ""
    emphasis: frozenset[int] = field(default_factory=frozenset)
    printed: bool = True


@dataclass(frozen=True)
class Chart:
    """A chart as a self-contained SVG (no script, no font, no link: text drawn as paths),
    with its size on the page and a sentence that says what it shows."""

    key: str
    title: str
    svg: str
    width_mm: float
    height_mm: float
    description: str


@dataclass(frozen=True)
class Paragraph:
    """A short text under a title (the best mix's suggestion, a note)."""

    key: str
    title: str
    text: str


Block = Headline | Table | Chart | Paragraph


@dataclass(frozen=True)
class Money:
    """How the document writes money, for the workbook's number formats: the currency's ISO
    code, its symbol in the reader's locale, whether the symbol comes first, and the places."""

    code: str
    symbol: str
    symbol_first: bool
    places: int


@dataclass(frozen=True)
class Document:
    """The whole report.

    ``language`` is the text's language for the HTML ``lang`` attribute (``es``, ``pt-BR``);
    ``title`` the report's title ("Informe para el cliente"); ``facts`` the title block's
    pairs (client, scenario, date, period); ``blocks`` the body in reading order;
    ``appendix`` what follows the body (every assumption with its source); ``footer`` a
    line printed at the foot of every page.
    """

    language: str
    title: str
    facts: tuple[tuple[str, str], ...]
    blocks: tuple[Block, ...]
    appendix: tuple[Block, ...]
    footer: str
    money: Money

    def tables(self) -> tuple[Table, ...]:
        """Every table of the body and the appendix, in reading order."""
        return tuple(b for b in (*self.blocks, *self.appendix) if isinstance(b, Table))

    def headlines(self) -> tuple[Headline, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Headline))
