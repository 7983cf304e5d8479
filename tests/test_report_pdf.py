"""The report's PDF, read back with pypdf: its pages, its metadata and its text."""

from __future__ import annotations

import dataclasses
import io

from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from pypdf import PdfReader

from roi_model.report.document import Cell, Chart, Document, Paragraph, Table
from roi_model.report.pdf import pdf_bytes
from tests.report_samples import HOSTILE_CHANNEL, HOSTILE_CLIENT, money, sample_document


def read(document: Document) -> PdfReader:
    return PdfReader(io.BytesIO(pdf_bytes(document)))


def text_of(reader: PdfReader) -> str:
    """The whole text, its whitespace collapsed: pypdf breaks lines where the layout does."""
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def with_blocks(document: Document, *blocks: Chart | Paragraph | Table) -> Document:
    return dataclasses.replace(document, blocks=(*document.blocks, *blocks))


def matplotlib_svg() -> str:
    """A chart as the report's builder draws it: matplotlib's SVG, text as paths."""
    figure = Figure(figsize=(6.7, 2.4))
    FigureCanvasSVG(figure)
    axes = figure.add_subplot()
    axes.bar(["Inversión", "Retorno", "Neto"], [100.0, 142.0, 42.0])
    axes.set_title("P10–P90 ≥ 2×")
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def test_the_sample_is_a_pdf_of_at_most_two_pages() -> None:
    data = pdf_bytes(sample_document())

    assert data.startswith(b"%PDF")
    assert 1 <= len(PdfReader(io.BytesIO(data)).pages) <= 2


def test_the_text_says_the_title_the_figures_and_the_hostile_names_literally() -> None:
    text = text_of(read(sample_document()))

    assert "Informe para el cliente" in text
    assert HOSTILE_CLIENT in text
    assert "<script>alert('x')</script>" in text
    assert HOSTILE_CHANNEL in text
    assert "12.345,50 €" in text
    assert "—" in text
    assert "P10–P90: 12,0 % – 61,3 %" in text
    assert "2,35×" in text
    assert "Pasar 500 € de X a Instagram añadiría 320 €." in text


def test_the_appendix_follows_the_body() -> None:
    text = text_of(read(sample_document()))

    assert text.index("Objetivos") < text.index("Supuestos y su fuente")
    assert "Referencia del sector (Fuente, 2025)" in text


def test_every_page_is_numbered_in_its_footer() -> None:
    reader = read(sample_document(30))
    total = len(reader.pages)

    assert total > 1
    for number, page in enumerate(reader.pages, start=1):
        page_text = " ".join(page.extract_text().split())
        assert f"{number} / {total}" in page_text
        assert "ROI Explorer · Plan de otoño · 5 dic 2026" in page_text
    assert "1 / " in text_of(reader)


def test_a_name_typed_as_the_page_count_alias_stays_as_typed() -> None:
    document = dataclasses.replace(sample_document(), footer="Plan {nb}", title="Informe {nb}")

    text = text_of(read(document))

    assert "Informe {nb}" in text
    assert "Plan {nb}" in text


def test_thirty_channels_print_every_row() -> None:
    text = text_of(read(sample_document(30)))

    for index in range(30):
        spend = money(1000.0 + 250 * index).text
        returned = money(1800.0 + 310 * index).text
        assert f"{spend} {returned}" in text


def test_the_metadata_says_the_title_the_language_and_the_creator() -> None:
    reader = read(sample_document())

    assert reader.metadata is not None
    assert reader.metadata.title == "Informe para el cliente"
    assert reader.metadata.creator == "ROI Explorer"
    assert str(reader.root_object["/Lang"]) == "es"


def test_an_unreadable_chart_prints_its_description_instead() -> None:
    broken = Chart("broken", "Un gráfico roto", "<svg", 170, 60, "La cascada, sin dibujo")

    text = text_of(read(with_blocks(sample_document(), broken)))

    assert "Un gráfico roto" in text
    assert "La cascada, sin dibujo" in text


def test_a_matplotlib_chart_is_drawn_not_described() -> None:
    chart = Chart("waterfall", "Cascada", matplotlib_svg(), 250, 90, "Descripción sustituta")

    text = text_of(read(with_blocks(sample_document(), chart)))

    assert "Cascada" in text
    assert "Descripción sustituta" not in text


def test_a_long_name_and_a_note_fit_in_the_table() -> None:
    long_name = "Un canal con un nombre larguísimo que no cabe en una línea " * 3
    table = Table(
        key="extra",
        title="Tabla extra",
        columns=("Canal", "Gasto"),
        rows=((Cell.of_text(long_name.strip()), money(1.5)),),
        note="Cifras por mes — según el apéndice.",
        emphasis=frozenset({0}),
    )

    text = text_of(read(with_blocks(sample_document(), table)))

    assert " ".join(long_name.split()) in text
    assert "1,50 €" in text
    assert "Cifras por mes — según el apéndice." in text


def test_a_table_not_printed_stays_out_of_the_pdf() -> None:
    workbook_only = Table(
        key="tidy",
        title="Solo en el libro",
        columns=("Canal", "Gasto"),
        rows=((Cell.of_text("Lista larga"), money(2.5)),),
        printed=False,
    )
    document = with_blocks(sample_document(), workbook_only)
    document = dataclasses.replace(document, appendix=(workbook_only,))

    text = text_of(read(document))

    assert "Solo en el libro" not in text
    assert "Lista larga" not in text


def test_an_empty_document_still_renders() -> None:
    empty = dataclasses.replace(sample_document(), facts=(), blocks=(), appendix=(), footer="")

    reader = read(empty)

    assert len(reader.pages) == 1
    assert "Informe para el cliente" in text_of(reader)
