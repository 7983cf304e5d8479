"""Tables drawn as plain HTML: every name escaped, lighter for a rerun to redraw than a data
grid (a slider move redraws a grid's canvas several times slower), and they sort nothing a
reader needs. The cockpit's, the Channels page's and the best mix's tables."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, repeat

import pandas as pd
import streamlit as st

#: The tables' rules, drawn once per page (`sidebar.start_page`), not with every table: a
#: style element redrawn by a press makes the browser work out the page's styles again.
CSS = """<style>
.text-table-scroll { overflow-x: auto; }
.text-table-scroll.tall { max-height: 32rem; overflow-y: auto; }
table.text-table { width: 100%; border-collapse: collapse; font-size: 0.85rem; }
table.text-table th, table.text-table td {
  padding: 0.3rem 0.5rem; border-bottom: 1px solid rgba(128, 128, 128, 0.25); }
table.text-table td { text-align: right; white-space: nowrap; }
table.text-table thead th { text-align: right; vertical-align: bottom; font-weight: 600; }
table.text-table tbody th, table.text-table td:first-child,
table.text-table thead th:first-child { text-align: left; font-weight: 500; white-space: normal; }
table.text-table tbody th { min-width: 4.5rem; }
details.folded-table { border: 1px solid rgba(128, 128, 128, 0.25); border-radius: 0.5rem;
  padding: 0 0.75rem; margin-bottom: 0.75rem; }
details.folded-table > summary { cursor: pointer; padding: 0.6rem 0; font-weight: 600; }
details.folded-table > p { margin: 0 0 0.6rem; opacity: 0.7; font-size: 0.875rem; }
details.folded-table .text-table-scroll { margin-bottom: 0.6rem; }
</style>"""


def text_table(frame: pd.DataFrame, key: str, *, tall: bool = False) -> None:
    """A frame of texts (its index a column of names) as a table under the key ``key``;
    ``tall`` for one that may run long (a month per row): it then scrolls inside a box about
    sixteen rows high."""
    _draw(_named_table(frame), key, tall=tall)


def folded_tables(
    sections: Sequence[tuple[str, pd.DataFrame | str]],
    key: str,
    marks: Sequence[str] = (),
) -> None:
    """Titled tables in one element, each folding under its title (open at first), as
    expanders would at a dozen elements' cost to redraw; a text instead of a frame is said
    in place of its table. ``marks``: each section's own classes, if any."""
    parts = []
    for (title, table), mark in zip(sections, chain(marks, repeat("")), strict=False):
        body = (
            _scrolling(_named_table(table))
            if isinstance(table, pd.DataFrame)
            else f"<p>{html.escape(table)}</p>"
        )
        parts.append(
            f'<details class="{f"folded-table {mark}".strip()}" open>\n'
            f"<summary>{html.escape(title)}</summary>\n{body}\n</details>"
        )
    with st.container(key=key):
        st.html("\n".join(parts))


def bar_table(
    head: Sequence[str],
    rows: Iterable[Sequence[str]],
    key: str,
    bar_column: int,
    fractions: Iterable[float],
) -> None:
    """Rows of texts under the titles ``head``, the column ``bar_column`` drawing each row's
    fraction (0 to 1) as a bar behind its text: a progress column without a data grid (nor
    pandas' styler, which takes longer to write than the grid). Lists, not a frame: written
    on every press, where a frame of texts costs more to build than the table."""
    cells = (
        [
            _cell(value, style=_bar(fraction) if column == bar_column else "")
            for column, value in enumerate(values)
        ]
        for values, fraction in zip(rows, fractions, strict=True)
    )
    _draw(_table(head, cells), key)


def named_rows_table(head: Sequence[str], rows: Iterable[Sequence[str]], key: str) -> None:
    """Rows of texts under the titles ``head``, each row's first text its name (a header
    cell), as :func:`text_table` draws a frame: for a table written on every press, without
    building a frame of texts first."""
    _draw(_table(head, (_named_row(row[0], row[1:]) for row in rows)), key)


def marked_table(frame: pd.DataFrame, key: str, classes: pd.DataFrame, style: str) -> None:
    """A frame of texts (its index a column of names) as a table, each cell with its class
    in ``classes`` (the frame's shape, "" for none) and ``style`` the CSS rules of the
    classes: pandas' styler writes the same table several times slower."""
    _draw(f"<style>{style}</style>" + _named_table(frame, classes), key)


def marked_table_html(
    frame: pd.DataFrame,
    classes: pd.DataFrame,
    table_class: str,
    head_classes: Sequence[str] = (),
) -> str:
    """A :func:`marked_table`'s table alone, of the class ``table_class``: for a page that
    draws it in an element of its own, under rules of its own. ``head_classes``: each
    column title's class (the names' column's title has none)."""
    return _named_table(frame, classes, table_class, head_classes)


def _named_table(
    frame: pd.DataFrame,
    classes: pd.DataFrame | None = None,
    table_class: str = "text-table",
    head_classes: Sequence[str] = (),
) -> str:
    """The table of a frame whose index names its rows (its name heads their column)."""
    head = [frame.index.name or "", *frame.columns]
    return _table(head, _named_rows(frame, classes), table_class, ["", *head_classes])


def _named_rows(frame: pd.DataFrame, classes: pd.DataFrame | None = None) -> Iterator[list[str]]:
    """Each row's cells: its name (the index) as a header cell, then its texts, each with
    its class where ``classes`` gives one."""
    marks: list[list[object]] = (
        _rows(classes) if classes is not None else [[""] * frame.shape[1]] * len(frame)
    )
    for name, values, row_marks in zip(frame.index, _rows(frame), marks, strict=True):
        yield _named_row(name, values, row_marks)


def _named_row(
    name: object, values: Sequence[object], marks: Sequence[object] | None = None
) -> list[str]:
    """One row's cells: its name as a header cell, then its texts, each with its class
    where ``marks`` gives one."""
    classes = marks if marks is not None else [""] * len(values)
    cells = (_cell(value, str(mark)) for value, mark in zip(values, classes, strict=True))
    return [_cell(name, tag="th"), *cells]


def _rows(frame: pd.DataFrame) -> list[list[object]]:
    """The frame's rows as lists: numpy's, not ``itertuples``, which makes a row class on every
    call (these tables are written on every slider move)."""
    rows: list[list[object]] = frame.to_numpy(dtype=object).tolist()
    return rows


#: A bar's colour: the theme's red, faint enough to read the text over it.
_BAR = "rgba(255, 75, 75, 0.25)"


def _bar(fraction: float) -> str:
    shown = 0.0 if math.isnan(fraction) else min(max(fraction, 0.0), 1.0)  # NaN: no bar
    width = f"{100 * shown:.1f}%"
    return f"background: linear-gradient(90deg, {_BAR} {width}, transparent {width})"


def _cell(value: object, mark: str = "", *, tag: str = "td", style: str = "") -> str:
    """One cell, its text escaped."""
    attributes = (f' class="{mark}"' if mark else "") + (f' style="{style}"' if style else "")
    return f"<{tag}{attributes}>{html.escape(str(value))}</{tag}>"


def _table(
    head: Iterable[object],
    rows: Iterable[list[str]],
    table_class: str = "text-table",
    head_classes: Sequence[str] = (),
) -> str:
    """The table's HTML, a line per cell: its text then reads with the cells apart (a copy,
    a screen reader, a test reading the element's text), as pandas' ``to_html`` wrote it."""
    header = "\n".join(
        _cell(name, mark, tag="th")
        for name, mark in zip(head, chain(head_classes, repeat("")), strict=False)
    )
    body = "\n".join("<tr>\n" + "\n".join(cells) + "\n</tr>" for cells in rows)
    return (
        f'<table class="{table_class}">\n<thead>\n<tr>\n{header}\n</tr>\n</thead>\n'
        f"<tbody>\n{body}\n</tbody>\n</table>"
    )


def shown_by_choice_tables(
    frames: Sequence[pd.DataFrame], key: str, marks: Sequence[str], rules: str, *, tall: bool
) -> None:
    """Frames of texts (as :func:`text_table` draws one) in one element, each in a box of its
    classes in ``marks``, under the CSS ``rules``: the tables of a choice's options, the
    chosen one's shown (see :mod:`pages._ui.widgets.shown_by_choice`)."""
    boxes = (
        f'<div class="{mark}">{_scrolling(_named_table(frame), tall)}</div>'
        for frame, mark in zip(frames, marks, strict=True)
    )
    _element(f"<style>{rules}</style>" + "".join(boxes), key, tall=tall)


def _draw(table: str, key: str, *, tall: bool = False) -> None:
    _element(_scrolling(table, tall), key, tall=tall)


def _element(body: str, key: str, *, tall: bool) -> None:
    with st.container(key=key):
        st.html((_sticky_head() if tall else "") + body)


def _sticky_head() -> str:
    """A tall table's column titles stay in view while its rows scroll, on the page's colour."""
    return (
        "<style>.text-table-scroll.tall thead th { position: sticky; top: 0; z-index: 1;"
        f" background: {page_colour()}; }}</style>"
    )


def page_colour() -> str:
    """The page's background colour, for cells that stay in view over others as a table
    scrolls (Streamlit does not give it to CSS)."""
    dark = st.context.theme.type == "dark"
    return str(st.get_option("theme.backgroundColor") or ("#0e1117" if dark else "#ffffff"))


def _scrolling(table: str, tall: bool = False) -> str:
    """A wide table scrolls sideways inside its column instead of running off the page; a
    tall one also scrolls down inside its own box."""
    return f'<div class="text-table-scroll{" tall" if tall else ""}">{table}</div>'
