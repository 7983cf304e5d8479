"""The client's report as built from a scenario: every figure is the model's, written for the
reader's locale, in every language; and the comparison's report is the comparison's."""

from __future__ import annotations

import math
import re
from dataclasses import fields, replace
from datetime import datetime
from pathlib import Path

import pytest

from roi_model.files.scenario_file import load_scenario
from roi_model.model.compare import comparison_table
from roi_model.model.evaluate import evaluate
from roi_model.model.months import project
from roi_model.model.optimize import optimize_mix
from roi_model.model.spec import MONTHS_CHANNEL_FIELDS, ActionValues, Channel, Investment, Scenario
from roi_model.model.uncertainty import band, simulate
from roi_model.report.build import printed_months, scenario_report
from roi_model.report.comparison import comparison_report
from roi_model.report.document import Cell, Chart, Document, Headline, Paragraph, Table
from roi_model.words import LANGUAGES, words_for

ROOT = Path(__file__).resolve().parents[1]
FASHION = load_scenario(ROOT / "sample_data" / "presets" / "fashion_brand.json")
SHOP = load_scenario(ROOT / "sample_data" / "presets" / "online_shop.json")
DAY = datetime(2026, 12, 5, 10, 0)
ES = words_for("es", "es_ES")


@pytest.fixture(scope="module")
def report() -> Document:
    return scenario_report(FASHION, ES, made_on=DAY, client="Moda Lúa")


def _table(document: Document, key: str) -> Table:
    return next(t for t in document.tables() if t.key == key)


def _block(document: Document, key: str) -> Chart | Paragraph:
    return next(b for b in document.blocks if isinstance(b, (Chart, Paragraph)) and b.key == key)


def _texts(document: Document) -> list[str]:
    """Every text the reader sees."""
    texts = [document.title, document.footer, *(v for pair in document.facts for v in pair)]
    for block in (*document.blocks, *document.appendix):
        if isinstance(block, Headline):
            texts += [block.title] + [f.label + f.detail + f.value.text for f in block.figures]
        elif isinstance(block, Table):
            texts += [block.title, block.note, *block.columns]
            texts += [cell.text for row in block.rows for cell in row]
        elif isinstance(block, Chart):
            texts += [block.title, block.description]
        else:
            texts += [block.title, block.text]
    return texts


class TestHeadline:
    def test_every_figure_is_the_evaluations(self, report: Document) -> None:
        ev = evaluate(FASHION)
        figures = {f.label: f.value for f in report.headlines()[0].figures}
        expected = {
            "Inversión": ev.investment.total,
            "Retorno de valor total": ev.returns.full,
            "Retorno financiero": ev.returns.financial,
            "ROI financiero": ev.financial_roi,
            "ROI de valor total": ev.full_roi,
            "ROAS": ev.roas,
            "Coste por lead": ev.cost_per_lead,
            "Coste por venta": ev.cost_per_sale,
        }
        assert {label: cell.value for label, cell in figures.items()} == pytest.approx(expected)
        assert figures["Inversión"].text == ES.money(ev.investment.total, "EUR")
        assert figures["ROI financiero"].text == ES.percent(ev.financial_roi)

    def test_each_roi_carries_the_simulations_p10_to_p90_and_chance(self, report: Document) -> None:
        spread = band(simulate(FASHION), "full_roi")
        detail = next(
            f.detail for f in report.headlines()[0].figures if f.label == "ROI de valor total"
        )
        assert ES.percent(spread.p10) in detail and ES.percent(spread.p90) in detail
        assert ES.percent(spread.p_positive, decimals=0) in detail

    def test_investment_split_and_title_block(self, report: Document) -> None:
        ev = evaluate(FASHION)
        first = report.headlines()[0].figures[0]
        assert ES.money(ev.investment.ad_spend, "EUR") in first.detail
        assert ES.money(ev.investment.staff_cost, "EUR") in first.detail
        assert dict(report.facts) == {
            "Cliente": "Moda Lúa",
            "Escenario": "Marca de moda",
            "Fecha": "5 de diciembre de 2026",
            "Periodo": "por mes",
        }

    def test_without_ranges_the_report_says_a_single_figure(self) -> None:
        plain = scenario_report(SHOP, ES, made_on=DAY)
        details = [f.detail for f in plain.headlines()[0].figures if "ROI" in f.label]
        assert details == [ES.t("report.no_ranges")] * 2
        assert _block(plain, "drivers").text == ES.t("report.drivers_none")  # type: ignore[union-attr]


class TestBody:
    def test_channels_are_the_channel_table_with_a_total(self, report: Document) -> None:
        frame = evaluate(FASHION).channels
        table = _table(report, "channels")
        assert [row[0].text for row in table.rows[:-1]] == list(FASHION.channel_names)
        for row, (_, figures) in zip(table.rows, frame.iterrows(), strict=False):
            values = [cell.value for cell in row[1:]]
            expected = [figures[c] for c in ("spend", "investment", "full_return", "full_roi")]
            expected += [figures["spend_share"], figures["return_share"]]
            assert values == pytest.approx(expected)
        total = table.rows[-1]
        assert total[1].value == pytest.approx(frame["spend"].sum())
        assert total[3].value == pytest.approx(evaluate(FASHION).returns.full)
        assert table.emphasis == frozenset({len(table.rows) - 1})

    def test_the_waterfall_is_an_inline_svg(self, report: Document) -> None:
        chart = _block(report, "waterfall")
        assert isinstance(chart, Chart) and chart.svg.startswith("<svg")

    def test_the_best_mix_says_what_the_optimiser_found(self, report: Document) -> None:
        best = optimize_mix(FASHION, "full")
        text = _block(report, "best_mix").text  # type: ignore[union-attr]
        assert ES.money(best.after_return, "EUR") in text
        assert ES.money(best.gain, "EUR") in text

    def test_goals_carry_attainment_and_the_chance_of_meeting_each(self, report: Document) -> None:
        goals = evaluate(FASHION).goals
        chances = simulate(FASHION).goals["p_met"].tolist()
        table = _table(report, "goals")
        assert len(table.rows) == 3
        for row, goal, chance in zip(table.rows, goals.to_dict("records"), chances, strict=True):
            assert row[2].value == pytest.approx(goal["target"])
            assert row[3].value == pytest.approx(goal["value"])
            assert row[4].value == pytest.approx(goal["attainment"])
            assert row[6].value == pytest.approx(chance)

    def test_drivers_are_a_tornado_when_there_are_ranges(self, report: Document) -> None:
        assert isinstance(_block(report, "drivers"), Chart)

    def test_the_plan_is_the_scenarios(self, report: Document) -> None:
        plan = _table(report, "plan")
        assert [row[0].text for row in plan.rows] == [r.objective for r in FASHION.plan]
        assert plan.rows[0][6].text == "Semanal"  # the cadence in the reader's words
        empty = scenario_report(SHOP, ES, made_on=DAY)
        assert _block(empty, "plan").text == ES.t("report.plan_none")  # type: ignore[union-attr]


class TestAppendix:
    def test_every_assumption_is_listed_for_the_workbook(self, report: Document) -> None:
        everything = _table(report, "all_assumptions")
        assert not everything.printed and everything.sheet == "Supuestos"
        # the months ahead's inputs are left out while the scenario does not use them
        unused = len(MONTHS_CHANNEL_FIELDS)
        inputs = len(fields(Investment)) + len(fields(ActionValues)) - 1  # not the follower
        per_channel = len(fields(Channel)) - 1 - unused  # every number but the name
        assert len(everything.rows) == inputs + per_channel * len(FASHION.channels)

    def test_the_months_ahead_inputs_are_listed_once_used(self) -> None:
        grown = replace(
            FASHION,
            channels=(replace(FASHION.channels[0], carryover=0.3), *FASHION.channels[1:]),
        )
        everything = _table(scenario_report(grown, ES, made_on=DAY), "all_assumptions")
        listed = [row[1].text for row in everything.rows]
        assert listed.count(ES.field_label("carryover")) == len(FASHION.channels)
        assert ES.field_label("follow_rate") not in listed

    def test_channel_assumptions_side_by_side_with_their_source(self, report: Document) -> None:
        table = _table(report, "channel_assumptions")
        assert table.columns[1:] == FASHION.channel_names
        cpm = next(row for row in table.rows if row[0].text == "CPM")
        assert cpm[1].value == pytest.approx(FASHION.channels[0].cpm)
        marks = [cell.text.rsplit(" ", 1)[1] for cell in cpm[1:]]
        assert all(re.fullmatch(r"B\d+|[DCPH]", mark) for mark in marks)
        for mark in {m for m in marks if m.startswith("B")}:
            assert f"{mark} " in table.note  # each benchmark's citation, by its number
        assert "B = " in table.note

    def test_the_preset_marks_its_own_figures(self) -> None:
        document = scenario_report(FASHION, ES, made_on=DAY, preset=FASHION)
        general = _table(document, "assumptions")
        assert {row[2].text for row in general.rows} == {"Escenario tipo (Marca de moda)"}


class TestLanguagesAndLocales:
    @pytest.mark.parametrize("language", list(LANGUAGES))
    def test_no_key_is_left_untranslated(self, language: str) -> None:
        document = scenario_report(FASHION, words_for(language), made_on=DAY)
        raw = [text for text in _texts(document) if "report." in text or "col." in text]
        assert raw == []

    def test_a_mexican_reader_gets_a_decimal_point(self) -> None:
        mx = words_for("es", "es_MX")
        document = scenario_report(replace(FASHION, currency="MXN"), mx, made_on=DAY)
        investment = document.headlines()[0].figures[0].value
        assert investment.text == mx.money(evaluate(FASHION).investment.total, "MXN")
        assert "," in investment.text and document.money.code == "MXN"

    def test_html_language_names_the_portuguese_of_brazil(self) -> None:
        assert scenario_report(SHOP, words_for("pt"), made_on=DAY).language == "pt-BR"
        assert scenario_report(SHOP, ES, made_on=DAY).language == "es"


class TestComparison:
    def test_side_by_side_is_the_comparison_table(self) -> None:
        other = replace(
            SHOP, name="Más presupuesto", investment=replace(SHOP.investment, ad_budget=7000)
        )
        scenarios, labels = [SHOP, other], ["Hoy", "Más presupuesto"]
        document = comparison_report(scenarios, labels, ES, made_on=DAY, base=0)
        table = _table(document, "side_by_side")
        assert table.columns[:4] == ("Métrica", "★ Hoy", "Más presupuesto", "Δ Más presupuesto")
        expected = comparison_table([evaluate(s) for s in scenarios], labels, 0)
        values = expected["value"].to_numpy().reshape(-1, 2)
        diffs = expected["diff"].to_numpy().reshape(-1, 2)
        for row, (base_value, value), (_, diff) in zip(table.rows, values, diffs, strict=True):
            for cell, number in ((row[1], base_value), (row[2], value), (row[3], diff)):
                if math.isfinite(number):
                    assert cell.value == pytest.approx(number)
                else:
                    assert cell.value is None

    def test_what_changed_lists_each_changed_input(self) -> None:
        other = replace(SHOP, investment=replace(SHOP.investment, ad_budget=7000))
        document = comparison_report([SHOP, other], ["A", "B"], ES, made_on=DAY)
        changes = [t for t in document.tables() if t.key.startswith("changes_")]
        assert len(changes) == 1
        assert [(r[0].text, r[2].text) for r in changes[0].rows] == [
            ("Presupuesto en anuncios", ES.number(7000.0, decimals=4))
        ]

    def test_identical_scenarios_say_so(self) -> None:
        document = comparison_report([SHOP, SHOP], ["A", "B"], ES, made_on=DAY)
        changes = next(t for t in document.tables() if t.key.startswith("changes_"))
        assert changes.rows == () and changes.note == ES.t("compare.no_changes")


def test_a_single_channel_scenario_reports() -> None:
    document = scenario_report(Scenario(), words_for("en"), made_on=DAY)
    assert len(_table(document, "channels").rows) == 2


def test_cells_keep_undefined_numbers_empty() -> None:
    # no sales at all: cost per sale is undefined, "—", with no number behind it
    scenario = replace(SHOP, channels=tuple(replace(c, close_rate=0.0) for c in SHOP.channels))
    document = scenario_report(scenario, ES, made_on=DAY)
    cost_per_sale = document.headlines()[0].figures[-1].value
    assert cost_per_sale == Cell("—", None, cost_per_sale.kind)


RETURNING = replace(SHOP, months=replace(SHOP.months, retention=0.8, repeat_purchases=1.0))


@pytest.fixture(scope="module")
def document() -> Document:
    return scenario_report(RETURNING, ES, made_on=DAY)


class TestMonthsAhead:
    """The online shop with returning customers pays back: financially in month 6, in full
    value in month 2."""

    RETURNING = RETURNING

    def test_the_section_follows_what_decides_the_roi_and_precedes_the_plan(
        self, document: Document
    ) -> None:
        keys = [getattr(b, "key", "headline") for b in document.blocks]
        assert keys[keys.index("drivers") + 1 :] == [
            "headline",
            "months_chart",
            "months",
            "plan",
        ]
        assert document.headlines()[1].title == "Los próximos meses"

    def test_the_figures_are_the_projections(self, document: Document) -> None:
        projection = project(self.RETURNING)
        assert projection.payback_month == {"financial": 6, "full": 2}
        figures = {f.label: f.value for f in document.headlines()[1].figures}
        assert figures["Se recupera (financiero)"].text == "Mes 6"
        assert figures["Se recupera (valor total)"].text == "Mes 2"
        assert projection.customer_value is not None
        expected = {
            "Valor actual neto": projection.npv["full"],
            "ROI financiero al final": projection.roi["financial"],
            "ROI de valor total al final": projection.roi["full"],
            "Valor de un cliente": projection.customer_value,
            "Coste de un cliente nuevo": projection.acquisition_cost,
            "Valor ÷ coste": projection.customer_value / projection.acquisition_cost,
        }
        assert {label: figures[label].value for label in expected} == pytest.approx(expected)
        # in Spanish, as Spain writes numbers
        assert figures["Valor actual neto"].text == ES.money(projection.npv["full"], "EUR")
        assert "." in figures["Valor actual neto"].text  # 92.924 €
        assert figures["ROI de valor total al final"].text == ES.percent(projection.roi["full"])
        assert "," in figures["ROI de valor total al final"].text

    def test_without_payback_the_figure_says_so(self) -> None:
        losing = replace(SHOP, investment=replace(SHOP.investment, fixed_costs=1e6))
        document = scenario_report(losing, ES, made_on=DAY)
        figures = document.headlines()[1].figures
        assert figures[0].value.text == "No en 12 meses"
        assert figures[1].value.text == "No en 12 meses"

    def test_one_row_per_month_with_the_projections_numbers(self, document: Document) -> None:
        months = project(self.RETURNING).months
        table = _table(document, "months")
        assert table.printed and table.sheet == "Próximos meses"
        assert [row[0].value for row in table.rows] == list(range(1, 13))
        columns = (
            "investment",
            "financial_return",
            "full_return",
            "cumulative_full_net",
            "cumulative_full_roi",
        )
        for row, (_, month) in zip(table.rows, months.iterrows(), strict=True):
            assert [cell.value for cell in row[1:]] == pytest.approx([month[c] for c in columns])
            assert row[1].text == ES.money(float(month["investment"]), "EUR")
            assert row[5].text == ES.percent(float(month["cumulative_full_roi"]))

    def test_a_long_horizon_prints_the_quarters_and_keeps_every_month(self) -> None:
        long = replace(self.RETURNING, months=replace(self.RETURNING.months, horizon=32))
        document = scenario_report(long, ES, made_on=DAY)
        every, printed = _table(document, "months"), _table(document, "months_printed")
        assert not every.printed and every.sheet == "Próximos meses"
        assert [row[0].value for row in every.rows] == list(range(1, 33))
        assert printed.printed and not printed.sheet
        assert [row[0].value for row in printed.rows] == [*range(3, 31, 3), 32]
        assert "32" in printed.note
        assert printed_months(24) == list(range(1, 25))

    def test_the_chart_is_a_deterministic_inline_svg(self, document: Document) -> None:
        chart = _block(document, "months_chart")
        assert isinstance(chart, Chart) and chart.svg.startswith("<svg")
        assert "<script" not in chart.svg and 'href="http' not in chart.svg
        assert "Mes 6" in chart.description and "Mes 2" in chart.description
        again = _block(scenario_report(self.RETURNING, ES, made_on=DAY), "months_chart")
        assert again.svg == chart.svg  # type: ignore[union-attr]
