"""The client's report as PDF bytes, drawn with fpdf2 from a :class:`~.document.Document`.

A4 portrait, a title block with the document's facts, then the blocks in reading order and the
appendix; every page ends with the document's footer and "N / M". The fonts are matplotlib's
DejaVu Sans, embedded so that every accent, "€", "—" and "≥" prints. Every text is the
reader's already: this module only lays it out (and prints user text literally).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.fonts import FontFace

from roi_model.report.document import (
    Block,
    Cell,
    CellKind,
    Chart,
    Document,
    Figure,
    Headline,
    Paragraph,
    Table,
)

__all__ = ["pdf_bytes"]

FONT = "DejaVu"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}

MARGIN = 13.0  # mm, left, right and top
BOTTOM = 16.0  # mm kept free for the footer
TOTAL_PAGES = "{nb}"

INK = (26, 32, 44)
GREY = (107, 114, 128)
ACCENT = (31, 78, 121)
RULE = (201, 206, 214)
BOX_FILL = (242, 244, 247)
ROW_FILL = (248, 249, 251)

TITLE_PT = 17.0
FACTS_PT = 8.5
HEADING_PT = 10.0
BODY_PT = 8.5
TABLE_PT = 7.5
SMALL_PT = 7.0
DETAIL_PT = 6.5

HEADING_ABOVE = 2.5  # mm above a block's title
HEADING_BELOW = 0.8
HEADING_H = 8.5  # mm a one-line title takes, the space around it included
TABLE_MIN_ROOM = 25.0  # mm: less than this left, a table starts on the next page
TABLE_LINE_H = 3.3
CELL_SLACK = 4.0  # mm beside a cell's text: its padding, and rounding in fpdf2's wrapping
TEXT_COLUMN_CAP = 0.35  # of the printable width: a text column wraps beyond it
MAX_CELL_CHARS = 500  # a row taller than a page makes fpdf2 raise: no cell gets near that

BOXES_PER_ROW = 4
BOX_GAP = 3.0
BOX_H = 22.5
BOX_PAD = 2.5

ELLIPSIS = "\u2026"


def pdf_bytes(document: Document) -> bytes:
    """The document as a PDF file's bytes."""
    pdf = _ReportPDF(document.footer)
    _describe(pdf, document)
    pdf.add_page()
    _draw_title_block(pdf, document)
    for block in _printed(document.blocks):
        _draw_block(pdf, block)
    appendix = _printed(document.appendix)
    if appendix:
        _draw_appendix_rule(pdf)
        for block in appendix:
            _draw_block(pdf, block)
    return bytes(pdf.output())


def _printed(blocks: Sequence[Block]) -> list[Block]:
    """The blocks the pages show: a table marked not printed is the workbook's alone."""
    return [block for block in blocks if not (isinstance(block, Table) and not block.printed)]


class _ReportPDF(FPDF):
    """An A4 page with the report's fonts, margins and footer."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer_text
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=BOTTOM)
        fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        for style, name in _FONT_FILES.items():
            self.add_font(FONT, style=style, fname=fonts / name)
        self.set_font(FONT, size=BODY_PT)
        # fpdf2 replaces the total-pages alias in every text drawn while it is set: it is set
        # only to draw the footer's page count, so a name typed as "{nb}" stays as typed.
        self.alias_nb_pages("")

    def header(self) -> None:
        self.alias_nb_pages("")

    def footer(self) -> None:
        self.set_y(-11)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_y(-10)
        _set_font(self, SMALL_PT, GREY)
        numbering_w = self.get_string_width("0000 / 0000")
        left_w = self.epw - numbering_w - 2
        self.cell(left_w, 4, _fit_line(self, self.footer_text, left_w), align="L")
        # Left set after the last page's footer: output() then fills in the count.
        self.alias_nb_pages(TOTAL_PAGES, align="R")
        self.set_x(self.w - self.r_margin - numbering_w)
        self.cell(numbering_w, 4, f"{self.page_no()} / {TOTAL_PAGES}", align="R")


def _describe(pdf: FPDF, document: Document) -> None:
    pdf.set_title(document.title)
    pdf.set_lang(document.language)
    pdf.set_creator("ROI Explorer")


# Text helpers ------------------------------------------------------------------------------


def _set_font(pdf: FPDF, size: float, color: tuple[int, int, int] = INK, style: str = "") -> None:
    pdf.set_font(FONT, style=style, size=size)
    pdf.set_text_color(*color)


def _line_h(size_pt: float) -> float:
    """A comfortable line height, in mm, for a font size in points."""
    return size_pt * 0.3528 * 1.35


def _fit_line(pdf: FPDF, text: str, width: float) -> str:
    """The text on one line of the given width, cut with an ellipsis if it is longer."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + ELLIPSIS) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def _wrap(pdf: FPDF, text: str, width: float, max_lines: int) -> list[str]:
    """The text wrapped to the width in at most max_lines lines, the last cut if need be."""
    lines = pdf.multi_cell(width, 1, text, dry_run=True, output="LINES")
    assert isinstance(lines, list)  # what output="LINES" returns
    if len(lines) <= max_lines:
        return lines
    kept = lines[: max_lines - 1]
    rest = " ".join(lines[max_lines - 1 :])
    return [*kept, _fit_line(pdf, rest, width)]


def _ensure_room(pdf: FPDF, height: float) -> None:
    """A new page unless the given height still fits above the bottom margin."""
    if pdf.will_page_break(height):
        pdf.add_page()


def _heading(pdf: FPDF, title: str) -> None:
    """A block's title: a small bold heading with some space above it."""
    pdf.ln(HEADING_ABOVE)
    _set_font(pdf, HEADING_PT, ACCENT, "B")
    pdf.multi_cell(0, _line_h(HEADING_PT), title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(HEADING_BELOW)


# Title block --------------------------------------------------------------------------------


def _draw_title_block(pdf: FPDF, document: Document) -> None:
    _set_font(pdf, TITLE_PT, INK, "B")
    pdf.multi_cell(0, _line_h(TITLE_PT), document.title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    _draw_facts(pdf, document.facts)
    pdf.ln(2)
    _rule(pdf, ACCENT, 0.5)


def _draw_facts(pdf: FPDF, facts: Sequence[tuple[str, str]]) -> None:
    """The facts as "label: value" pairs, a pair moving whole to the next line if need be."""
    height = _line_h(FACTS_PT)
    separator = "   ·   "
    for index, (label, value) in enumerate(facts):
        if index:
            _set_font(pdf, FACTS_PT, RULE)
            if _fits_on_line(pdf, separator, label, value):
                pdf.write(height, separator)
            else:
                pdf.ln(height)
        _set_font(pdf, FACTS_PT, GREY)
        pdf.write(height, f"{label}: ")
        _set_font(pdf, FACTS_PT, INK, "B")
        pdf.write(height, value)
    if facts:
        pdf.ln(height)


def _fits_on_line(pdf: FPDF, separator: str, label: str, value: str) -> bool:
    """Whether the separator and the pair fit in what is left of the current line."""
    width = pdf.get_string_width(separator)
    _set_font(pdf, FACTS_PT, GREY)
    width += pdf.get_string_width(f"{label}: ")
    _set_font(pdf, FACTS_PT, INK, "B")
    width += pdf.get_string_width(value)
    _set_font(pdf, FACTS_PT, RULE)
    # write() wraps inside the cell margins, so those count as taken
    return pdf.get_x() + width <= pdf.w - pdf.r_margin - 2 * pdf.c_margin


def _rule(pdf: FPDF, color: tuple[int, int, int], width: float) -> None:
    pdf.set_draw_color(*color)
    pdf.set_line_width(width)
    y = pdf.get_y()
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.ln(1)


def _draw_appendix_rule(pdf: FPDF) -> None:
    """The appendix follows a rule across the page, apart from the body."""
    _ensure_room(pdf, TABLE_MIN_ROOM + 6)
    pdf.ln(4)
    _rule(pdf, ACCENT, 0.5)


# Blocks -------------------------------------------------------------------------------------


def _draw_block(pdf: FPDF, block: Block) -> None:
    if isinstance(block, Headline):
        _draw_headline(pdf, block)
    elif isinstance(block, Table):
        _draw_table(pdf, block)
    elif isinstance(block, Chart):
        _draw_chart(pdf, block)
    else:
        _draw_paragraph(pdf, block)


def _draw_headline(pdf: FPDF, headline: Headline) -> None:
    _ensure_room(pdf, HEADING_H + BOX_H)
    _heading(pdf, headline.title)
    box_w = (pdf.epw - BOX_GAP * (BOXES_PER_ROW - 1)) / BOXES_PER_ROW
    for start in range(0, len(headline.figures), BOXES_PER_ROW):
        if start:
            pdf.ln(BOX_GAP)
        _ensure_room(pdf, BOX_H)
        top = pdf.get_y()
        for column, figure in enumerate(headline.figures[start : start + BOXES_PER_ROW]):
            left = pdf.l_margin + column * (box_w + BOX_GAP)
            _draw_figure_box(pdf, figure, left, top, box_w)
        pdf.set_xy(pdf.l_margin, top + BOX_H)


def _draw_figure_box(pdf: FPDF, figure: Figure, left: float, top: float, width: float) -> None:
    """One headline figure in its box: the label, the value large, up to three lines of
    detail (small: four boxes share a row)."""
    pdf.set_fill_color(*BOX_FILL)
    pdf.rect(left, top, width, BOX_H, style="F")
    pdf.set_fill_color(*ACCENT)
    pdf.rect(left, top, 0.8, BOX_H, style="F")
    inner_left = left + BOX_PAD
    inner_w = width - 2 * BOX_PAD
    _set_font(pdf, SMALL_PT, GREY)
    pdf.set_xy(inner_left, top + 1.8)
    pdf.cell(inner_w, 3.4, _fit_line(pdf, figure.label, inner_w))
    _draw_figure_value(pdf, figure.value.text, inner_left, top + 5.6, inner_w)
    _set_font(pdf, DETAIL_PT, GREY)
    for index, line in enumerate(_wrap(pdf, figure.detail, inner_w, 3) if figure.detail else []):
        pdf.set_xy(inner_left, top + 12.8 + index * 2.9)
        pdf.cell(inner_w, 2.9, line)


def _draw_figure_value(pdf: FPDF, text: str, left: float, top: float, width: float) -> None:
    """The value as large as fits the box's width, from 15 pt down to 9 pt."""
    size = 15.0
    _set_font(pdf, size, INK, "B")
    while size > 9 and pdf.get_string_width(text) > width:
        size -= 0.5
        pdf.set_font_size(size)
    pdf.set_xy(left, top)
    pdf.cell(width, 7, _fit_line(pdf, text, width))


def _draw_paragraph(pdf: FPDF, paragraph: Paragraph) -> None:
    _ensure_room(pdf, HEADING_H + 2 * _line_h(BODY_PT))
    _heading(pdf, paragraph.title)
    _set_font(pdf, BODY_PT, INK)
    pdf.multi_cell(0, _line_h(BODY_PT), paragraph.text, new_x="LMARGIN", new_y="NEXT")


# Tables -------------------------------------------------------------------------------------


def _draw_table(pdf: FPDF, table: Table) -> None:
    _ensure_room(pdf, TABLE_MIN_ROOM)
    _heading(pdf, table.title)
    rows = _padded_rows(table)
    columns = _padded_columns(table, rows)
    if columns:
        _draw_table_grid(pdf, table, columns, rows)
    if table.note:
        pdf.ln(1)
        _set_font(pdf, SMALL_PT, GREY, "I")
        pdf.multi_cell(0, _line_h(SMALL_PT), table.note, new_x="LMARGIN", new_y="NEXT")


def _padded_rows(table: Table) -> list[tuple[Cell, ...]]:
    """Every row as long as the longest (or the headings): fpdf2 wants a full grid."""
    width = max([len(table.columns), *(len(row) for row in table.rows)])
    blank = Cell.of_text("")
    return [row + (blank,) * (width - len(row)) for row in table.rows]


def _padded_columns(table: Table, rows: Sequence[tuple[Cell, ...]]) -> tuple[str, ...]:
    width = max([len(table.columns), *(len(row) for row in rows)])
    return table.columns + ("",) * (width - len(table.columns))


def _draw_table_grid(
    pdf: FPDF, table: Table, columns: tuple[str, ...], rows: Sequence[tuple[Cell, ...]]
) -> None:
    numeric = [_is_numeric_column(rows, index) for index in range(len(columns))]
    col_widths = _column_widths(pdf, columns, rows, table.emphasis)
    # fpdf2 takes the body's style from the font set when the first row is added
    _set_font(pdf, TABLE_PT, INK)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    with pdf.table(
        col_widths=col_widths,
        text_align=tuple("RIGHT" if is_number else "LEFT" for is_number in numeric),
        headings_style=FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=ACCENT),
        line_height=TABLE_LINE_H,
        padding=(0.6, 1.4),
        borders_layout="HORIZONTAL_LINES",
        cell_fill_mode="NONE",
        first_row_as_headings=True,
        repeat_headings=1,
        width=pdf.epw,
    ) as grid:
        grid.row(columns)
        for index, row in enumerate(rows):
            table_row = grid.row(style=_row_style(index, index in table.emphasis))
            for cell in row:
                align = "LEFT" if cell.kind is CellKind.TEXT else "RIGHT"
                table_row.cell(_clip(cell.text), align=align)
    pdf.set_x(pdf.l_margin)


def _row_style(index: int, emphasis: bool) -> FontFace:
    """Every other row on a light fill, the emphasised ones bold: set row by row, since
    fpdf2's own alternating fill took the headings' dark fill on some rows."""
    fill = ROW_FILL if index % 2 else (255, 255, 255)
    return FontFace(emphasis="BOLD" if emphasis else None, fill_color=fill)


def _is_numeric_column(rows: Sequence[tuple[Cell, ...]], index: int) -> bool:
    """A column of numbers (its heading then aligns right with them)."""
    kinds = [row[index].kind for row in rows if row[index].text]
    return bool(kinds) and all(kind is not CellKind.TEXT for kind in kinds)


def _column_widths(
    pdf: FPDF,
    columns: Sequence[str],
    rows: Sequence[tuple[Cell, ...]],
    emphasis: frozenset[int],
) -> tuple[float, ...]:
    """Each column's width: its longest text (a text column wraps past a cap) when the table
    fits; else every column keeps at least its longest word (so no word is cut in two) and
    the rest of the width goes to the columns that want more, in proportion to their want."""
    wanted = [
        max(_cells_width(pdf, rows, index, emphasis), _heading_width(pdf, heading, whole=True))
        for index, heading in enumerate(columns)
    ]
    if sum(wanted) <= pdf.epw:
        return tuple(wanted)
    least = [
        min(want, max(_word_width(pdf, rows, index), _heading_width(pdf, heading, whole=False)))
        for index, (heading, want) in enumerate(zip(columns, wanted, strict=True))
    ]
    spare = max(pdf.epw - sum(least), 0.0)
    extra = [want - low for want, low in zip(wanted, least, strict=True)]
    total_extra = sum(extra) or 1.0
    return tuple(low + spare * more / total_extra for low, more in zip(least, extra, strict=True))


def _word_width(pdf: FPDF, rows: Sequence[tuple[Cell, ...]], index: int) -> float:
    """The width of a column's longest word (a number counts whole)."""
    _set_font(pdf, TABLE_PT, style="B")
    words = [
        word
        for row in rows
        for word in (
            [row[index].text] if row[index].kind is not CellKind.TEXT else row[index].text.split()
        )
    ]
    return max((pdf.get_string_width(word) for word in words), default=0.0) + CELL_SLACK


def _cells_width(
    pdf: FPDF, rows: Sequence[tuple[Cell, ...]], index: int, emphasis: frozenset[int]
) -> float:
    """The width a column's cells need, each measured in the weight it is drawn in."""
    longest = 0.0
    for row_index, row in enumerate(rows):
        _set_font(pdf, TABLE_PT, style="B" if row_index in emphasis else "")
        longest = max(longest, pdf.get_string_width(_clip(row[index].text)))
    return max(min(longest, pdf.epw * TEXT_COLUMN_CAP), 6.0) + CELL_SLACK


def _heading_width(pdf: FPDF, heading: str, *, whole: bool) -> float:
    _set_font(pdf, TABLE_PT, style="B")
    parts = [heading] if whole else heading.split()
    return max((pdf.get_string_width(part) for part in parts), default=0.0) + CELL_SLACK


def _clip(text: str) -> str:
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + ELLIPSIS


# Charts -------------------------------------------------------------------------------------


def _draw_chart(pdf: FPDF, chart: Chart) -> None:
    width, height = _chart_size(pdf, chart)
    _ensure_room(pdf, HEADING_H + height)
    _heading(pdf, chart.title)
    if not _place_svg(pdf, chart, width, height):
        _set_font(pdf, BODY_PT, GREY, "I")
        pdf.multi_cell(0, _line_h(BODY_PT), chart.description, new_x="LMARGIN", new_y="NEXT")


def _chart_size(pdf: FPDF, chart: Chart) -> tuple[float, float]:
    """The chart's size on the page, scaled down to the printable width and a page's height."""
    if chart.width_mm <= 0 or chart.height_mm <= 0:
        return 0.0, 0.0
    room_h = pdf.eph - HEADING_H
    scale = min(1.0, pdf.epw / chart.width_mm, room_h / chart.height_mm)
    return chart.width_mm * scale, chart.height_mm * scale


def _place_svg(pdf: FPDF, chart: Chart, width: float, height: float) -> bool:
    """Draws the chart's SVG, centred; False (nothing drawn) if fpdf2 cannot read it."""
    source = chart.svg.strip().encode("utf-8")
    # fpdf2 reads anything that does not start like an SVG as a raster image: refuse it here.
    if width <= 0 or not source.startswith((b"<?xml ", b"<svg ")):
        return False
    top = pdf.get_y()
    left = pdf.l_margin + (pdf.epw - width) / 2
    try:
        pdf.image(io.BytesIO(source), x=left, y=top, w=width, h=height, alt_text=chart.description)
    except Exception:  # an SVG fpdf2 cannot parse: the description stands in for it
        return False
    pdf.set_xy(pdf.l_margin, top + height)
    return True
