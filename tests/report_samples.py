"""Hand-made report documents for the renderers' tests (HTML, PDF, workbook), before and apart
from the builder: a Spanish one with hostile names, seven channels and three goals."""

from __future__ import annotations

from roi_model.report.document import (
    Cell,
    CellKind,
    Chart,
    Document,
    Figure,
    Headline,
    Money,
    Paragraph,
    Table,
)

HOSTILE_CLIENT = "<script>alert('x')</script> & Cía"
HOSTILE_CHANNEL = '=HYPERLINK("http://evil.example","clic")'
EURO = Money(code="EUR", symbol="€", symbol_first=False, places=2)

_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="170mm" height="60mm" viewBox="0 0 170 60">'
    '<rect x="10" y="10" width="40" height="40" fill="#1f77b4"/>'
    '<path d="M 60 50 L 80 20 L 100 35" stroke="#333" fill="none"/></svg>'
)


def money(value: float) -> Cell:
    text = f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".") + " €"
    return Cell(text, value, CellKind.MONEY)


def percent(value: float) -> Cell:
    return Cell(f"{value * 100:.1f} %".replace(".", ","), value, CellKind.PERCENT)


def count(value: float) -> Cell:
    return Cell(f"{value:,.0f}".replace(",", "."), value, CellKind.COUNT)


def sample_document(channels: int = 7) -> Document:
    names = [HOSTILE_CHANNEL, "Instagram", "TikTok", "LinkedIn", "YouTube", "X", "Pinterest"]
    rows = tuple(
        (
            Cell.of_text(names[i % len(names)]),
            money(1000.0 + 250 * i),
            money(1800.0 + 310 * i),
            percent(0.8 - 0.05 * i),
            percent(1 / channels),
            percent((1 + i) / sum(range(1, channels + 1))),
        )
        for i in range(channels)
    )
    headline = Headline(
        "Cifras principales",
        (
            Figure("Inversión", money(12_345.5), "Anuncios 8.000 € · Equipo 4.345,50 €"),
            Figure("ROI financiero", percent(0.42), "P10–P90: 12,0 % – 61,3 % · 87 % positivo"),
            Figure("ROI de valor total", percent(0.88), "P10–P90: 40,1 % – 120,2 %"),
            Figure("ROAS", Cell("2,35×", 2.35, CellKind.RATIO)),
            Figure("Coste por lead", money(23.4)),
            Figure("Coste por venta", Cell("—", None, CellKind.MONEY)),
        ),
    )
    channel_table = Table(
        key="channels",
        title="Canales",
        columns=("Canal", "Gasto", "Retorno", "ROI", "Parte del gasto", "Parte del retorno"),
        rows=rows,
        sheet="Canales",
    )
    goals = Table(
        key="goals",
        title="Objetivos",
        columns=("Nivel", "Métrica", "Meta", "Valor", "Logro", "Prob. de cumplirlo"),
        rows=tuple(
            (
                Cell.of_text(tier),
                Cell.of_text(metric),
                count(target),
                count(value),
                percent(value / target),
                percent(p),
            )
            for tier, metric, target, value, p in (
                ("Principal", "Ventas", 120, 131, 0.64),
                ("Secundario", "Leads", 900, 812, 0.31),
                ("Secundario", "Visitas", 20_000, 24_500, 0.93),
            )
        ),
        sheet="Objetivos",
    )
    assumptions = Table(
        key="assumptions",
        title="Supuestos y su fuente",
        columns=("Supuesto", "Valor", "Fuente"),
        rows=tuple(
            (Cell.of_text(f"CTR de {names[i % len(names)]}"), percent(0.012), Cell.of_text(src))
            for i, src in enumerate(
                ["Referencia del sector (Fuente, 2025)", "Su historial, 6 meses", "Consultor"] * 4
            )
        ),
        sheet="Supuestos",
    )
    return Document(
        language="es",
        title="Informe para el cliente",
        facts=(
            ("Cliente", HOSTILE_CLIENT),
            ("Escenario", "Plan de otoño"),
            ("Fecha", "5 dic 2026"),
            ("Periodo", "por mes"),
        ),
        blocks=(
            headline,
            Chart("waterfall", "De la inversión al retorno neto", _SVG, 170, 60, "Cascada"),
            channel_table,
            Paragraph(
                "best_mix", "La mejor mezcla", "Pasar 500 € de X a Instagram añadiría 320 €."
            ),
            goals,
        ),
        appendix=(assumptions,),
        footer="ROI Explorer · Plan de otoño · 5 dic 2026",
        money=EURO,
    )
