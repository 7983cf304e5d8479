"""The report's charts: self-contained SVG (text as paths, no script, no link), the same string
for the same input, every number through the caller's formatter, the size asked for in mm,
and no failure (nor warning: pytest turns them into errors) on awkward data."""

from __future__ import annotations

import io
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from babel.numbers import format_currency, format_decimal, format_percent
from fpdf import FPDF

from roi_model.report.charts import (
    FINANCIAL,
    FULL,
    LOSS,
    RETURN,
    cumulative_svg,
    tornado_height_mm,
    tornado_svg,
    waterfall_svg,
)

NAN = math.nan
PT_PER_MM = 72 / 25.4
HOSTILE = '<script>alert("x")</script> <a href="http://evil.example">$x^2$</a> --> &amp;'
LONG = "Una campaña de temporada con un nombre larguísimo que nadie acorta " * 3
END_LABELS = ("en su extremo bajo", "en su extremo alto")


class Recorder:
    """A formatter that notes every number it is asked to write."""

    def __init__(self, unit: str) -> None:
        self.unit = unit
        self.calls: list[float] = []

    def __call__(self, value: float) -> str:
        self.calls.append(value)
        return f"{value:.2f} {self.unit}"


Chart = Callable[..., str]


def waterfall(fmt: Callable[[float], str], **data: Any) -> str:
    steps = data.get("steps", [("Inversión", -12000.0), ("Ventas", 9000.0), ("Soporte", 1500.0)])
    return waterfall_svg(steps, data.get("total", "Retorno neto"), fmt, **data.get("size", {}))


def tornado(fmt: Callable[[float], str], **data: Any) -> str:
    return tornado_svg(
        data.get("names", ["Valor de una venta", "Instagram · Lead → venta (%)", "CPM"]),
        data.get("first", [0.1, 0.25, 0.35]),
        data.get("second", [0.8, 0.6, 0.45]),
        data.get("today", 0.4),
        data.get("labels", END_LABELS),
        fmt,
        **data.get("size", {}),
    )


def cumulative(fmt: Callable[[float], str], **data: Any) -> str:
    months = data.get("months", list(range(1, 13)))
    return cumulative_svg(
        months,
        data.get(
            "lines",
            (
                [8000.0 * m for m in months],
                [6500.0 * m + 300.0 * m * m for m in months],
                [9000.0 * m + 500.0 * m * m for m in months],
            ),
        ),
        data.get("labels", ("Inversión acumulada", "Retorno financiero", "Retorno de valor total")),
        data.get("paybacks", ((6, "Se recupera (financiero): mes 6"), (1, "mes 1"))),
        fmt,
        data.get("month", lambda value: f"{value:.0f}"),
        **data.get("size", {}),
    )


CHARTS: dict[str, Chart] = {
    "waterfall": waterfall,
    "tornado": tornado,
    "cumulative": cumulative,
}

# Awkward data, per chart: each must draw without an error or a warning.
EDGE_CASES: list[tuple[str, dict[str, Any]]] = [
    ("waterfall", {"steps": []}),
    ("waterfall", {"steps": [("Inversión", 0.0), ("Ventas", 0.0)]}),
    ("waterfall", {"steps": [("Inversión", NAN), ("Ventas", NAN)]}),
    ("waterfall", {"steps": [("Inversión", -5000.0), ("Ventas", NAN), ("Soporte", -300.0)]}),
    ("waterfall", {"steps": [(LONG, -1e9), (HOSTILE, 2e9)], "total": LONG}),
    ("waterfall", {"steps": [("Inversión", -1.0), *((f"Lente {i}", 0.3) for i in range(8))]}),
    ("tornado", {"names": [], "first": [], "second": []}),
    ("tornado", {"names": ["A"], "first": [0.4], "second": [0.4]}),
    ("tornado", {"names": ["A", "B"], "first": [NAN, 0.1], "second": [0.5, NAN]}),
    ("tornado", {"today": NAN}),
    (
        "tornado",
        {"names": ["A", "B"], "first": [-0.9, -0.5], "second": [-0.1, -0.3], "today": -0.4},
    ),
    ("tornado", {"names": ["A"], "first": [0.0], "second": [0.0], "today": 0.0}),
    (
        "tornado",
        {"names": [f"{LONG} {i}" for i in range(15)], "first": [0.1] * 15, "second": [0.9] * 15},
    ),
    ("cumulative", {"months": [], "lines": ([], [], []), "paybacks": ((None, ""), (None, ""))}),
    (
        "cumulative",
        {"months": [1], "lines": ([10.0], [0.0], [12.0]), "paybacks": ((None, ""), (1, "m"))},
    ),
    ("cumulative", {"months": [1, 2], "lines": ([0.0, 0.0], [0.0, 0.0], [0.0, 0.0])}),
    ("cumulative", {"months": [1, 2, 3], "lines": ([1.0, NAN, 3.0], [NAN] * 3, [0.0, -5.0, 2.0])}),
    ("cumulative", {"paybacks": ((3, LONG), (3, LONG))}),  # both at once: stacked
    ("cumulative", {"months": list(range(1, 61)), "lines": ([1e9] * 60, [2e9] * 60, [3e9] * 60)}),
]


def draw(name: str, fmt: Callable[[float], str] | None = None, **data: Any) -> str:
    return CHARTS[name](fmt or Recorder("u"), **data)


def assert_self_contained(svg: str) -> None:
    """Inline-ready SVG: no prolog, no text element, no script, every reference internal."""
    assert svg.startswith("<svg")
    root = ET.fromstring(svg)
    lowered = svg.lower()
    for banned in ("<text", "<script", "<image", "<foreignobject", "<!--", "<?xml", "<!doctype"):
        assert banned not in lowered
    for banned in ('href="http', "@import", "url(http", "url('http", 'url("http', "javascript:"):
        assert banned not in lowered
    ids = {element.attrib["id"] for element in root.iter() if "id" in element.attrib}
    for element in root.iter():
        assert not any(key.lower().startswith("on") for key in element.attrib)
        for key, value in element.attrib.items():
            if key.endswith("href"):
                assert value.startswith("#") and value[1:] in ids, value
        for reference in re.findall(r"url\(#([^)]+)\)", " ".join(element.attrib.values())):
            assert reference in ids


def size_mm(svg: str) -> tuple[float, float]:
    root = ET.fromstring(svg)
    width, height = (root.attrib[key] for key in ("width", "height"))
    assert width.endswith("pt") and height.endswith("pt")
    return float(width[:-2]) / PT_PER_MM, float(height[:-2]) / PT_PER_MM


@pytest.mark.parametrize("name", CHARTS)
def test_chart_is_self_contained_inline_svg(name: str) -> None:
    assert_self_contained(draw(name))


@pytest.mark.parametrize("name", CHARTS)
def test_same_input_draws_the_same_string(name: str) -> None:
    assert draw(name) == draw(name)


def test_charts_drawn_at_once_from_threads_are_the_same_as_one_by_one() -> None:
    expected = {name: draw(name) for name in CHARTS}
    # Without the module's lock, one thread's style is restored under another's drawing.
    with ThreadPoolExecutor(max_workers=8) as pool:
        drawn = list(pool.map(lambda name: (name, draw(name)), list(CHARTS) * 4))
    for name, svg in drawn:
        assert svg == expected[name]


@pytest.mark.parametrize("name", CHARTS)
def test_numbers_are_written_by_the_callers_formatter(name: str) -> None:
    recorder = Recorder("u")
    draw(name, recorder)
    assert recorder.calls
    assert all(type(value) is float for value in recorder.calls)
    assert not any(value == 0 and math.copysign(1, value) < 0 for value in recorder.calls)
    # What the formatter returns is what is drawn.
    assert draw(name, lambda value: "1") != draw(name, lambda value: "1 234 567 890")


def test_waterfall_writes_each_step_and_the_net() -> None:
    money = Recorder("€")
    waterfall_svg([("Inversión", -12000.0), ("Ventas", 9000.0), ("Soporte", 1500.0)], "Neto", money)
    assert {-12000.0, 9000.0, 1500.0, -1500.0} <= set(money.calls)


def test_waterfall_net_is_green_when_it_returns_red_when_it_loses() -> None:
    gain = waterfall_svg([("Inversión", -100.0), ("Ventas", 150.0)], "Neto", Recorder("€"))
    loss = waterfall_svg([("Inversión", -100.0), ("Ventas", 50.0)], "Neto", Recorder("€"))
    assert f"fill: {RETURN}" in gain and f"fill: {LOSS}" not in gain
    assert f"fill: {LOSS}" in loss


def test_percent_axis_ticks_span_the_data() -> None:
    percent = Recorder("%")
    tornado(percent, names=["A"], first=[0.0], second=[1.0], today=0.5)
    # Matplotlib also formats the ticks just outside the view, which it then leaves out.
    assert min(percent.calls) <= 1e-9 and max(percent.calls) >= 1 - 1e-9


@pytest.mark.parametrize("name", CHARTS)
@pytest.mark.parametrize(("width", "height"), [(170.0, 62.0), (80.0, 30.0), (210.5, 99.9)])
def test_size_is_the_size_asked_for_in_mm(name: str, width: float, height: float) -> None:
    svg = draw(name, size={"width_mm": width, "height_mm": height})
    assert size_mm(svg) == pytest.approx((width, height), abs=1e-4)


def test_default_sizes() -> None:
    assert size_mm(waterfall(Recorder("€"))) == pytest.approx((170, 62), abs=1e-4)
    assert size_mm(tornado(Recorder("%"))) == pytest.approx((170, tornado_height_mm(3)), abs=1e-4)
    assert size_mm(cumulative(Recorder("€"))) == pytest.approx((170, 62), abs=1e-4)


def test_cumulative_marks_each_payback_in_its_lines_colour() -> None:
    both = cumulative(Recorder("€"), paybacks=((6, "financiero"), (2, "valor total")))
    assert f"stroke: {FINANCIAL}" in both and f"stroke: {FULL}" in both
    dashed = re.findall(r'style="[^"]*stroke-dasharray[^"]*"', both)
    assert len(dashed) == 2  # a dotted line at each payback month
    neither = cumulative(Recorder("€"), paybacks=((None, ""), (None, "")))
    assert re.findall(r'style="[^"]*stroke-dasharray[^"]*"', neither) == []


def test_cumulative_writes_whole_months_on_its_axis() -> None:
    months = Recorder("")
    cumulative(Recorder("€"), month=months)
    shown = [value for value in months.calls if 1 <= value <= 12]
    assert shown and all(value == int(value) for value in months.calls)


def test_row_charts_grow_with_their_rows_up_to_a_page_share() -> None:
    heights = [tornado_height_mm(count) for count in range(0, 30)]
    assert heights == sorted(heights)
    assert tornado_height_mm(1) < tornado_height_mm(7) < tornado_height_mm(15) <= 120
    assert tornado_height_mm(0) == tornado_height_mm(1) == pytest.approx(17.5)
    assert tornado_height_mm(10) == pytest.approx(67.0)  # a thin bar per driver
    assert tornado_height_mm(19) == pytest.approx(116.5) and tornado_height_mm(20) == 120
    assert tornado_height_mm(100) == 120


@pytest.mark.parametrize(("name", "data"), EDGE_CASES)
def test_awkward_data_still_draws(name: str, data: dict[str, Any]) -> None:
    assert_self_contained(draw(name, **data))


@pytest.mark.parametrize("name", CHARTS)
def test_hostile_labels_are_drawn_as_shapes_only(name: str) -> None:
    cases: dict[str, dict[str, Any]] = {
        "waterfall": {"steps": [(HOSTILE, -10.0), ("Ventas", 20.0)], "total": HOSTILE},
        "tornado": {"names": [HOSTILE, "B", "C"], "labels": (HOSTILE, HOSTILE)},
        "cumulative": {
            "labels": (HOSTILE, HOSTILE, HOSTILE),
            "paybacks": ((2, HOSTILE), (4, HOSTILE)),
        },
    }
    svg = draw(name, lambda value: HOSTILE, **cases[name])
    assert_self_contained(svg)
    assert "script" not in svg and "evil" not in svg and "alert" not in svg


@pytest.mark.parametrize("locale", ["es_ES", "fr_FR", "pt_BR", "de_CH", "ar_EG", "hi_IN"])
def test_babel_output_draws_without_a_missing_glyph(locale: str) -> None:
    # A missing glyph is a warning, so an error here: French writes U+202F between groups.
    def money(value: float) -> str:
        return format_currency(value, "EUR", locale=locale)

    def percent(value: float) -> str:
        return format_percent(value, locale=locale)

    waterfall(money)
    tornado(percent)
    cumulative(money, month=lambda value: format_decimal(value, locale=locale))


def test_ids_differ_between_charts_so_they_can_share_a_page() -> None:
    id_sets = [set(re.findall(r'\bid="([^"]+)"', draw(name))) for name in CHARTS]
    assert all(id_sets)
    assert sum(map(len, id_sets)) == len(set().union(*id_sets))


@pytest.mark.parametrize("name", CHARTS)
def test_fpdf2_embeds_the_chart(name: str) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(draw(name).encode()), x=20, y=20, w=170)
    assert bytes(pdf.output()).startswith(b"%PDF")


@pytest.mark.parametrize(
    "call",
    [
        lambda: tornado(Recorder("%"), second=[0.5]),
        lambda: cumulative(Recorder("€"), months=[1, 2], lines=([1.0], [1.0, 2.0], [1.0, 2.0])),
    ],
)
def test_values_that_do_not_match_their_names_are_refused(call: Callable[[], str]) -> None:
    with pytest.raises(ValueError, match="expected"):
        call()
