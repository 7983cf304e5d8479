"""The report as one self-contained HTML file: charts inline as SVG, styles inline, no script,
font, image or link fetched from anywhere, and print styles for A4 so that the browser's print
gives the report's pages. Every text the user typed is escaped (the template escapes all)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from roi_model.report.document import Chart, Document, Headline, Table


def html_text(document: Document) -> str:
    """The document as a complete HTML page."""
    return _environment().get_template("report.html.j2").render(document=document)


def css_string(text: str) -> str:
    """A text made safe inside a CSS string (the print footer): every character but letters,
    digits and spaces as a CSS escape, so no quote, backslash or ``</style>`` can end it.

    >>> css_string('a "b" </style>')
    'a \\\\22 b\\\\22  \\\\3c \\\\2f style\\\\3e '
    """
    return "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text)


def numeric_columns(table: Table) -> frozenset[int]:
    """The columns whose cells are numbers in every row that has one (aligned right)."""
    return frozenset(
        index
        for index in range(len(table.columns))
        if any(row[index].kind != "text" for row in table.rows)
        and all(row[index].kind != "text" or not row[index].text for row in table.rows)
    )


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["css_string"] = css_string
    environment.globals["numeric"] = numeric_columns
    environment.tests["headline"] = lambda block: isinstance(block, Headline)
    environment.tests["table"] = lambda block: isinstance(block, Table)
    environment.tests["chart"] = lambda block: isinstance(block, Chart)
    return environment
