"""The tables a page draws as HTML (``pages/_ui/widgets/html_table.py``), read back as data
frames of their texts, as a person reads them (entities decoded)."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
from streamlit.testing.v1 import AppTest


class _Tables(HTMLParser):
    """Each table's header texts and its rows' cell texts (header cells included), and each
    body row's cell classes (``marks``, one list of class names per cell)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[list[list[str]], list[list[str]]]] = []
        self.marks: list[list[list[list[str]]]] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._row_marks: list[list[str]] = []
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append(([], []))
            self.marks.append([])
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._row, self._row_marks = [], []
        elif tag in ("th", "td"):
            self._cell = []
            self._row_marks.append((dict(attrs).get("class") or "").split())

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            head, rows = self.tables[-1]
            if self._in_head:
                head.append(self._row)  # a styled table adds a row naming its index
            else:
                rows.append(self._row)
                self.marks[-1].append(self._row_marks)
            self._row = None
        elif tag == "thead":
            self._in_head = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_tables(at: AppTest, *, marks: bool = False) -> list[pd.DataFrame]:
    """Every HTML table on the page: the first column as the index, the rest as columns;
    with ``marks``, each cell's class names (a space-separated text) instead of its text."""
    return [frame for element in at.html for frame in tables_in(element.proto.body, marks=marks)]


def tables_in(body: str, *, marks: bool = False) -> list[pd.DataFrame]:
    """The tables of one piece of HTML, as :func:`html_tables` reads them."""
    parser = _Tables()
    parser.feed(body)
    frames = []
    for (head, rows), classes in zip(parser.tables, parser.marks, strict=True):
        if not rows:
            continue
        named = max(head, key=lambda row: sum(bool(cell) for cell in row[1:]))
        index_name = next((row[0] for row in head if row[0]), None)
        cells = [[" ".join(c) for c in row] for row in classes] if marks else rows
        frame = pd.DataFrame([row[1:] for row in cells], columns=named[1:])
        frame.index = pd.Index([row[0] for row in rows], name=index_name)
        frames.append(frame)
    return frames


def html_table_with(at: AppTest, column: str, *, marks: bool = False) -> pd.DataFrame:
    """The HTML table that has ``column`` (with ``marks``, its cells' class names)."""
    return next(frame for frame in html_tables(at, marks=marks) if column in frame.columns)


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The table, data grid or HTML, that has ``column``; an HTML table's names (its first
    column) as a column too, as a grid shows them."""
    grids = [element.value for element in at.dataframe]
    tables = [frame.reset_index() for frame in html_tables(at)]
    return next(frame for frame in (*grids, *tables) if column in frame.columns)
