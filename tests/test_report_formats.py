"""The real report in each format: the HTML is self-contained and escapes every name, the PDF
has at most three pages with the headline figures in its text, the workbook holds numbers; and
names that look like markup or formulas come out as text everywhere. The months ahead are in
each format: their title on the page, every month a row of numbers in the workbook."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from roi_model.files.assumptions import SAMPLE_DATA, load_presets
from roi_model.files.scenario_file import load_scenario
from roi_model.model.evaluate import evaluate
from roi_model.model.months import project
from roi_model.model.spec import Scenario
from roi_model.report import FORMATS, rendered
from roi_model.report.build import scenario_report
from roi_model.report.comparison import comparison_report
from roi_model.report.document import Document
from roi_model.report.html import html_text
from roi_model.words import words_for

ROOT = Path(__file__).resolve().parents[1]
FASHION = load_scenario(ROOT / "sample_data" / "presets" / "fashion_brand.json")
DAY = datetime(2026, 12, 5, 10, 0)
SCRIPT = "<script>alert('x')</script>"
FORMULA = '=HYPERLINK("http://evil.example","clic")'
HOSTILE = replace(
    FASHION,
    name=f"{SCRIPT} Plan",
    channels=(replace(FASHION.channels[0], name=FORMULA), *FASHION.channels[1:]),
)


def _report(language: str = "es", scenario: object = FASHION) -> Document:
    return scenario_report(scenario, words_for(language), made_on=DAY, client=SCRIPT)  # type: ignore[arg-type]


class _Page(HTMLParser):
    """What an HTML page would fetch, its scripts, and the numbers its cells carry."""

    def __init__(self) -> None:
        super().__init__()
        self.fetches: list[str] = []
        self.tags: set[str] = set()
        self.values: list[float] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            fetched = name in ("src", "href", "xlink:href", "srcset", "poster", "data")
            if fetched and value and not value.startswith("#"):
                self.fetches.append(value)
            if name == "data-value" and value:
                self.values.append(float(value))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _among(value: float, values: list[float]) -> bool:
    return any(value == pytest.approx(other) for other in values)


def _parsed(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


class TestHtml:
    def test_nothing_is_fetched_and_nothing_runs(self) -> None:
        html = html_text(_report())
        page = _parsed(html)
        assert page.fetches == []
        assert not page.tags & {"script", "link", "iframe", "img", "object", "embed", "image"}
        assert not re.search(r"@import|url\((?!#)|@font-face", html)

    def test_every_number_the_model_gave_is_in_the_page(self) -> None:
        page = _parsed(html_text(_report()))
        ev = evaluate(FASHION)
        for figure in (ev.investment.total, ev.returns.full, ev.full_roi, ev.roas):
            assert _among(figure, page.values)
        for spend in ev.channels["spend"]:
            assert _among(float(spend), page.values)

    def test_hostile_names_are_escaped(self) -> None:
        html = html_text(_report(scenario=HOSTILE))
        assert SCRIPT not in html
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
        page = _parsed(html)
        assert "script" not in page.tags
        assert SCRIPT in "".join(page.text)  # the reader sees the name as typed
        assert FORMULA.replace('"', "&#34;") in html

    def test_the_print_footer_cannot_close_the_style(self) -> None:
        html = html_text(_report(scenario=HOSTILE))
        style = html[html.index("<style>") + len("<style>") : html.index("</style>")]
        footer = next(line for line in style.splitlines() if "@bottom-left" in line)
        content = footer[footer.index('content: "') + len('content: "') : footer.index('";')]
        assert "<" not in content and '"' not in content and "\\3c script" in content

    def test_print_styles_for_a4(self) -> None:
        html = html_text(_report())
        assert "@page" in html and "size: A4" in html and "@media print" in html

    @pytest.mark.parametrize("language", ["en", "es", "pt", "gl"])
    def test_the_page_declares_its_language(self, language: str) -> None:
        html = html_text(_report(language))
        expected = "pt-BR" if language == "pt" else language
        assert f'<html lang="{expected}">' in html


class TestPdf:
    @pytest.mark.parametrize("language", ["es", "en"])
    def test_at_most_three_pages_with_the_headline_figures(self, language: str) -> None:
        words = words_for(language)
        reader = PdfReader(io.BytesIO(rendered(_report(language), "pdf")))
        # The report stays compact: the month's figures on two pages (as before the months
        # ahead), the months ahead's figures, chart and table month by month on one more.
        assert 1 <= len(reader.pages) <= 3
        text = " ".join(page.extract_text() for page in reader.pages)
        ev = evaluate(FASHION)
        for figure in (
            words.money(ev.investment.total, "EUR"),
            words.money(ev.returns.full, "EUR"),
            words.percent(ev.financial_roi),
            words.percent(ev.full_roi),
            words.ratio(ev.roas),
        ):
            assert figure in text
        assert words.t("report.title") in text

    def test_hostile_names_are_printed_as_typed(self) -> None:
        reader = PdfReader(io.BytesIO(rendered(_report(scenario=HOSTILE), "pdf")))
        text = " ".join(page.extract_text() for page in reader.pages)
        compact = re.sub(r"\s+", "", text)
        assert re.sub(r"\s+", "", SCRIPT) in compact
        assert "=HYPERLINK(" in compact


class TestWorkbook:
    def test_channels_are_numbers_with_formats(self) -> None:
        book = openpyxl.load_workbook(io.BytesIO(rendered(_report(), "xlsx")))
        sheet = book["Canales"]
        ev = evaluate(FASHION)
        spends = [sheet.cell(row=r, column=2).value for r in range(2, 2 + len(FASHION.channels))]
        assert spends == pytest.approx(list(ev.channels["spend"]))
        assert all(isinstance(v, (int, float)) for v in spends)
        assert "€" in sheet.cell(row=2, column=2).number_format
        assert sheet.cell(row=2, column=5).number_format == "0.0%"
        assert sheet.freeze_panes == "A2"

    def test_sheets_for_summary_channels_goals_plan_and_assumptions(self) -> None:
        book = openpyxl.load_workbook(io.BytesIO(rendered(_report("en"), "xlsx")))
        assert book.sheetnames == [
            "Headline figures",
            "Channels",
            "Goals",
            "Months ahead",
            "Plan",
            "Assumptions",
        ]
        summary = book["Headline figures"]
        numbers = [
            c.value for row in summary.iter_rows() for c in row if isinstance(c.value, (int, float))
        ]
        assert _among(evaluate(FASHION).investment.total, numbers)

    def test_a_formula_typed_as_a_name_stays_text(self) -> None:
        book = openpyxl.load_workbook(io.BytesIO(rendered(_report(scenario=HOSTILE), "xlsx")))
        cell = book["Canales"]["A2"]
        assert cell.data_type == "s" and cell.value == "'" + FORMULA

    def test_a_comparison_has_side_by_side_and_what_changed(self) -> None:
        other = replace(FASHION, name="B", investment=replace(FASHION.investment, ad_budget=9000.0))
        document = comparison_report([FASHION, other], ["A", "B"], words_for("en"), made_on=DAY)
        book = openpyxl.load_workbook(io.BytesIO(rendered(document, "xlsx")))
        assert book.sheetnames[-2:] == ["Side by side", "Changes · B"]
        assert book["Changes · B"]["A2"].value == "Ad budget"


@pytest.mark.parametrize("form", FORMATS)
def test_every_format_of_a_comparison_renders(form: str) -> None:
    other = replace(FASHION, name="B", investment=replace(FASHION.investment, ad_budget=9000.0))
    document = comparison_report([FASHION, other], ["A", "B"], words_for("gl"), made_on=DAY)
    assert len(rendered(document, form)) > 1000  # type: ignore[arg-type]


class TestMonthsAhead:
    """The online shop with returning customers: it pays back, financially in month 6."""

    SHOP = load_presets(SAMPLE_DATA / "presets")["online_shop"]
    RETURNING = replace(SHOP, months=replace(SHOP.months, retention=0.8, repeat_purchases=1.0))

    def _months(self, horizon: int = 12) -> Scenario:
        return replace(self.RETURNING, months=replace(self.RETURNING.months, horizon=horizon))

    def test_the_html_has_the_section_its_chart_and_a_row_per_month(self) -> None:
        html = html_text(_report(scenario=self._months()))
        es = words_for("es")
        assert f"<h2>{es.t('months.title')}</h2>" in html
        assert 'id="months_chart"' in html and "<svg" in html
        table = html[html.index('data-key="months"') :]
        table = table[: table.index("</table>")]
        assert table.count("<tr>") == 1 + 12  # the header and every month
        assert _parsed(html).fetches == []

    def test_the_pdf_prints_the_section_and_its_paybacks(self) -> None:
        reader = PdfReader(io.BytesIO(rendered(_report(scenario=self._months()), "pdf")))
        text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
        es = words_for("es")
        assert es.t("months.title") in text
        assert es.t("report.months.table") in text
        assert "Mes 6" in text and "Mes 2" in text
        npv = es.money(project(self._months()).npv["full"], "EUR")
        assert " ".join(npv.split()) in text  # the PDF's text has a plain space for U+00A0

    def test_the_workbook_has_every_month_as_numbers(self) -> None:
        scenario = self._months(60)
        book = openpyxl.load_workbook(io.BytesIO(rendered(_report(scenario=scenario), "xlsx")))
        sheet = book["Próximos meses"]
        months = project(scenario).months
        assert [sheet.cell(row=r, column=1).value for r in range(2, 62)] == list(range(1, 61))
        for column, name in ((2, "investment"), (4, "full_return"), (5, "cumulative_full_net")):
            values = [sheet.cell(row=r, column=column).value for r in range(2, 62)]
            assert all(isinstance(v, (int, float)) for v in values)
            assert values == pytest.approx(months[name].tolist())
        assert "€" in sheet.cell(row=2, column=2).number_format
        assert sheet.cell(row=2, column=6).number_format == "0.0%"

    def test_a_long_horizon_prints_the_quarters_and_says_so(self) -> None:
        html = html_text(_report(scenario=self._months(60)))
        assert 'data-key="months"' not in html  # every month: the workbook's alone
        table = html[html.index('data-key="months_printed"') :]
        assert table[: table.index("</table>")].count("<tr>") == 1 + 20
        assert words_for("es").t("report.months.table_note_quarters", months=60) in html
