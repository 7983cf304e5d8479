"""Tables drawn as plain HTML: every name escaped, lighter for a rerun to redraw than a data
grid (a slider move redraws a grid's canvas several times slower), and they sort nothing a
reader needs. The cockpit's, the Channels page's and the best mix's tables."""

from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

_CSS = """<style>
.text-table-scroll { overflow-x: auto; }
table.text-table { width: 100%; border-collapse: collapse; font-size: 0.85rem; }
table.text-table th, table.text-table td {
  padding: 0.3rem 0.5rem; border-bottom: 1px solid rgba(128, 128, 128, 0.25); }
table.text-table td { text-align: right; white-space: nowrap; }
table.text-table thead th { text-align: right; vertical-align: bottom; font-weight: 600; }
table.text-table tbody th, table.text-table td:first-child,
table.text-table thead th:first-child { text-align: left; font-weight: 500; white-space: normal; }
</style>"""


def text_table(frame: pd.DataFrame, key: str) -> None:
    """A frame of texts (its index a column of names) as a table under the key ``key``."""
    html = frame.reset_index().to_html(classes="text-table", border=0, escape=True, index=False)
    with st.container(key=key):
        st.html(_CSS + _scrolling(html))


def bar_table(frame: pd.DataFrame, key: str, column: str, fractions: Iterable[float]) -> None:
    """A frame of texts as a table whose ``column`` draws each row's fraction (0 to 1) as a
    bar behind its text: a progress column without a data grid (nor pandas' styler, which
    takes longer to write than the grid)."""
    head = "".join(f"<th>{html.escape(str(name))}</th>" for name in frame.columns)
    rows = "".join(
        "<tr>"
        + "".join(
            _cell(value, fraction if name == column else None)
            for name, value in zip(frame.columns, values, strict=True)
        )
        + "</tr>"
        for values, fraction in zip(frame.itertuples(index=False), fractions, strict=True)
    )
    table = f'<table class="text-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
    with st.container(key=key):
        st.html(_CSS + _scrolling(table))


#: A bar's colour: the theme's red, faint enough to read the text over it.
_BAR = "rgba(255, 75, 75, 0.25)"


def _cell(value: object, fraction: float | None) -> str:
    if fraction is None:
        return f"<td>{html.escape(str(value))}</td>"
    width = f"{100 * min(max(fraction, 0.0), 1.0):.1f}%"
    bar = f"linear-gradient(90deg, {_BAR} {width}, transparent {width})"
    return f'<td style="background: {bar}">{html.escape(str(value))}</td>'


def styled_table(styler: Styler, key: str) -> None:
    """A styled frame (highlighted cells) as a table, its names escaped."""
    escaped = styler.format_index(escape="html", axis=0).format_index(escape="html", axis=1)
    html = escaped.to_html(table_attributes='class="text-table"')
    with st.container(key=key):
        st.html(_CSS + _scrolling(html))


def _scrolling(table: str) -> str:
    """A wide table scrolls sideways inside its column instead of running off the page."""
    return f'<div class="text-table-scroll">{table}</div>'
