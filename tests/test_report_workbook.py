"""The report's workbook, read back with openpyxl: sheets, numbers stored as numbers with their
formats, texts stored as inert strings, and the summary's figures."""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

import openpyxl
import pytest

from roi_model.report.document import (
    Cell,
    CellKind,
    Document,
    Figure,
    Headline,
    Money,
    Table,
)
from roi_model.report.workbook import (
    MAX_COLUMN_WIDTH,
    MIN_COLUMN_WIDTH,
    money_format,
    number_format,
    sheet_name,
    workbook_bytes,
)
from tests.report_samples import EURO, HOSTILE_CHANNEL, HOSTILE_CLIENT, sample_document

# openpyxl writes a float with 16 significant digits.
PRECISION = 1e-14


def read_back(document: Document) -> Any:
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes(document)))


def cells_of(sheet: Any) -> list[Any]:
    return [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]


def summary_rows(sheet: Any) -> dict[str, tuple[Any, ...]]:
    """Column A's label -> the cells of columns B and C on its row."""
    return {row[0].value: row[1:] for row in sheet.iter_rows(max_col=3) if row[0].value}


def assert_table_sheet(sheet: Any, table: Table, money: Money) -> None:
    assert [c.value for c in sheet[1]] == list(table.columns)
    assert len(table.rows) + 1 <= sheet.max_row
    for index, cells in enumerate(table.rows, start=2):
        for column, cell in enumerate(cells, start=1):
            assert_cell(sheet.cell(row=index, column=column), cell, money)


def assert_cell(written: Any, cell: Cell, money: Money) -> None:
    if cell.value is not None and cell.kind is not CellKind.TEXT:
        assert isinstance(written.value, float | int)
        assert written.data_type == "n"
        assert written.value == pytest.approx(cell.value, rel=PRECISION)
        assert written.number_format == number_format(cell.kind, money)
    else:
        assert written.data_type == "s"
        expected = "'" + cell.text if cell.text.startswith(("=", "+", "-", "@")) else cell.text
        assert written.value == expected


@pytest.fixture(scope="module")
def document() -> Document:
    return sample_document()


@pytest.fixture(scope="module")
def book(document: Document) -> Any:
    return read_back(document)


class TestSampleDocument:
    def test_the_summary_then_one_sheet_per_table(self, book: Any) -> None:
        assert book.sheetnames == ["Cifras principales", "Canales", "Objetivos", "Supuestos"]

    def test_the_properties(self, book: Any) -> None:
        assert book.properties.title == "Informe para el cliente"
        assert book.properties.creator == "ROI Explorer"
        assert book.properties.language == "es"

    @pytest.mark.parametrize("key", ["channels", "goals", "assumptions"])
    def test_a_table_is_its_cells(self, book: Any, document: Document, key: str) -> None:
        table = next(t for t in document.tables() if t.key == key)
        assert_table_sheet(book[table.sheet], table, document.money)

    def test_numbers_carry_their_kind_format(self, book: Any) -> None:
        channels = book["Canales"]
        assert "€" in channels["B2"].number_format
        assert channels["D2"].number_format == "0.0%"
        goals = book["Objetivos"]
        assert goals["C2"].number_format == "#,##0"
        assert goals["C2"].value == 120

    def test_headers_are_bold_and_frozen(self, book: Any) -> None:
        for name in ("Canales", "Objetivos", "Supuestos"):
            sheet = book[name]
            assert sheet.freeze_panes == "A2"
            header = [c for c in sheet[1] if c.value is not None]
            assert header
            assert all(c.font.b for c in header)
            assert all(c.fill.fill_type == "solid" for c in header)
            assert not any(c.font.b for c in sheet[2])

    def test_the_hostile_channel_is_an_inert_string(self, book: Any) -> None:
        cell = book["Canales"]["A2"]
        assert cell.value == "'" + HOSTILE_CHANNEL
        assert cell.value.startswith("'=HYPERLINK(")
        assert cell.data_type == "s"

    def test_no_cell_is_a_formula(self, book: Any) -> None:
        for sheet in book.worksheets:
            for cell in cells_of(sheet):
                assert cell.data_type in {"s", "n"}, (sheet.title, cell.coordinate)
                if cell.data_type == "s":
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))

    def test_the_hostile_client_is_stored_literally(self, book: Any) -> None:
        client = summary_rows(book.worksheets[0])["Cliente"][0]
        assert client.value == HOSTILE_CLIENT
        assert client.data_type == "s"

    def test_the_summary_holds_title_facts_and_figures(self, book: Any, document: Document) -> None:
        sheet = book.worksheets[0]
        assert sheet["A1"].value == document.title
        assert sheet["A1"].font.b
        rows = summary_rows(sheet)
        for label, value in document.facts:
            assert rows[label][0].value == value
        for figure in document.headlines()[0].figures:
            assert_cell(rows[figure.label][0], figure.value, document.money)
            assert (rows[figure.label][1].value or "") == figure.detail

    def test_the_headline_title_heads_the_figures(self, book: Any) -> None:
        sheet = book.worksheets[0]
        header = next(row for row in sheet.iter_rows() if row[1].value == "Cifras principales")
        assert header[1].font.b
        assert sheet.cell(row=header[1].row - 1, column=1).value is None  # an empty row above
        assert sheet.cell(row=header[1].row + 1, column=1).value == "Inversión"

    def test_an_undefined_figure_is_its_text(self, book: Any) -> None:
        cell = summary_rows(book.worksheets[0])["Coste por venta"][0]
        assert cell.value == "—"
        assert cell.data_type == "s"

    def test_the_figures_formats(self, book: Any) -> None:
        rows = summary_rows(book.worksheets[0])
        assert rows["Inversión"][0].number_format == '#,##0.00 "€";-#,##0.00 "€"'
        assert rows["ROI financiero"][0].number_format == "0.0%"
        assert rows["ROAS"][0].number_format == '0.00"×"'
        assert rows["ROAS"][0].value == pytest.approx(2.35)

    def test_paragraphs_follow_the_figures(self, book: Any) -> None:
        rows = summary_rows(book.worksheets[0])
        assert rows["La mejor mezcla"][0].value == "Pasar 500 € de X a Instagram añadiría 320 €."
        assert rows["La mejor mezcla"][0].row > rows["Coste por venta"][0].row

    def test_column_widths_are_within_bounds(self, book: Any) -> None:
        for sheet in book.worksheets:
            widths = [d.width for d in sheet.column_dimensions.values()]
            assert widths, sheet.title
            assert all(MIN_COLUMN_WIDTH <= w <= MAX_COLUMN_WIDTH for w in widths), sheet.title

    def test_a_long_text_widens_its_column(self, book: Any) -> None:
        channels = book["Canales"]
        assert channels.column_dimensions["A"].width > len(HOSTILE_CHANNEL)
        assert channels.column_dimensions["D"].width == MIN_COLUMN_WIDTH  # "ROI", "80,0 %"


def test_thirty_channels() -> None:
    document = sample_document(30)
    book = read_back(document)
    table = next(t for t in document.tables() if t.key == "channels")
    assert_table_sheet(book["Canales"], table, document.money)
    assert book["Canales"].max_row == 31
    hostile = [c.value for c in book["Canales"]["A"] if HOSTILE_CHANNEL in str(c.value)]
    assert hostile == ["'" + HOSTILE_CHANNEL] * 5


class TestMoneyFormat:
    @pytest.mark.parametrize(
        ("money", "expected"),
        [
            (EURO, '#,##0.00 "€";-#,##0.00 "€"'),
            (Money("USD", "US$", True, 2), '"US$"#,##0.00;-"US$"#,##0.00'),
            (Money("JPY", "¥", True, 0), '"¥"#,##0;-"¥"#,##0'),
            (Money("CLP", "CLP", False, 0), '#,##0 "CLP";-#,##0 "CLP"'),
            (Money("BHD", "BD", False, 3), '#,##0.000 "BD";-#,##0.000 "BD"'),
            (Money("XXX", 'a"b', True, 2), '"a"\\""b"#,##0.00;-"a"\\""b"#,##0.00'),
        ],
    )
    def test_money_format(self, money: Money, expected: str) -> None:
        assert money_format(money) == expected

    def test_the_workbook_uses_the_documents_currency(self) -> None:
        document = replace(sample_document(), money=Money("USD", "US$", True, 0))
        assert book_value_format(document) == '"US$"#,##0;-"US$"#,##0'


def book_value_format(document: Document) -> str:
    value: str = read_back(document)["Canales"]["B2"].number_format
    return value


class TestSheetNames:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Canales", "Canales"),
            ("a[b]c:d*e?f/g\\h", "abcdefgh"),
            ("x" * 40, "x" * 31),
            ("'quoted'", "quoted"),
            ("tab\there", "tab\there"),
            ("bell\x07", "bell"),
            ("???", ""),
        ],
    )
    def test_sheet_name(self, text: str, expected: str) -> None:
        assert sheet_name(text) == expected

    def test_names_are_unique_and_short(self) -> None:
        long = "Canales por mes y por objetivo, con más"
        tables = tuple(
            Table(key=f"t{i}", title="T", columns=("A",), rows=(), sheet=sheet)
            for i, sheet in enumerate([long, long, "canales", "Canales", "History", "?*"])
        )
        headline = Headline("Canales", (Figure("Gasto", Cell("1", 1.0, CellKind.NUMBER)),))
        document = replace(sample_document(), blocks=(headline, *tables), appendix=())
        names = read_back(document).sheetnames
        assert names == [
            "Canales",
            long[:31],
            long[:27].rstrip() + " (2)",
            "canales (2)",
            "Canales (3)",
            "History (2)",
            "T",
        ]
        assert all(len(name) <= 31 for name in names)

    def test_the_summary_falls_back_to_the_title(self) -> None:
        document = replace(sample_document(), blocks=(), appendix=())
        assert read_back(document).sheetnames == ["Informe para el cliente"]


class TestTableDetails:
    def table_book(self, table: Table) -> Any:
        return read_back(replace(sample_document(), blocks=(table,), appendix=()))[table.sheet]

    def test_emphasised_rows_are_bold_and_the_note_italic_below(self) -> None:
        rows = tuple(
            (Cell.of_text(f"r{i}"), Cell(f"{i}", float(i), CellKind.COUNT)) for i in range(3)
        )
        table = Table(
            "t",
            "T",
            ("Name", "N"),
            rows,
            note="Nota: -1 es nada",
            sheet="T",
            emphasis=frozenset({2}),
        )
        sheet = self.table_book(table)
        assert [c.font.b for c in sheet[3]] == [False, False]
        assert [c.font.b for c in sheet[4]] == [True, True]
        assert sheet["A5"].value is None
        assert sheet["A6"].value == "Nota: -1 es nada"
        assert sheet["A6"].font.i

    def test_a_table_without_a_sheet_is_left_out(self) -> None:
        table = Table("t", "T", ("A",), ((Cell.of_text("x"),),))
        document = sample_document()
        document = replace(document, appendix=(*document.appendix, table))
        assert read_back(document).sheetnames[-1] == "Supuestos"

    def test_hostile_headers_and_odd_numbers(self) -> None:
        rows = (
            (
                Cell("-", float("nan"), CellKind.MONEY),
                Cell("∞", float("inf"), CellKind.RATIO),
                Cell("-12,0 %", -0.12, CellKind.PERCENT),
                Cell("2,5", 2.5, CellKind.TEXT),
                Cell("bad\x00text"),
            ),
        )
        table = Table("t", "T", ("=A1", "@B", "+C", "D", "E"), rows, sheet="T")
        sheet = self.table_book(table)
        assert [c.value for c in sheet[1]] == ["'=A1", "'@B", "'+C", "D", "E"]
        assert [c.data_type for c in sheet[1]] == ["s"] * 5
        assert [c.value for c in sheet[2]] == ["'-", "∞", -0.12, "2,5", "badtext"]
        assert sheet["C2"].number_format == "0.0%"
