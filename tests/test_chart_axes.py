"""Every chart builder's axes: money in the chosen currency where the locale puts its symbol,
percentages as percentages (ROIs never as raw fractions), counts as counts; and the number
marks of the locale (a decimal comma and a spaced percent sign in Spanish)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
import streamlit as st

from pages._ui import fmt
from pages._ui.charts import channel_charts, charts, months_charts
from pages._ui.charts import uncertainty as uncertainty_charts
from pages._ui.i18n import LANGUAGE_KEY, LOCALE_KEY

MONEY, PERCENT = charts.MONEY, charts.PERCENT


@pytest.fixture(autouse=True)
def forget_language() -> Iterator[None]:
    yield
    st.session_state.pop(LANGUAGE_KEY, None)
    st.session_state.pop(LOCALE_KEY, None)


def speak(language: str, locale: str) -> None:
    st.session_state[LANGUAGE_KEY] = language
    st.session_state[LOCALE_KEY] = locale


def axes(spec: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """Each encoded position field's axis, by (channel, field), over layers and panels."""
    found: dict[tuple[str, str], dict[str, Any]] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for channel in ("x", "y"):
                encoding = node.get("encoding", {}).get(channel)
                if isinstance(encoding, dict) and "field" in encoding:
                    found[(channel, encoding["field"])] = encoding.get("axis") or {}
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return found


def test_waterfall_amounts_are_money() -> None:
    assert axes(charts.spec(charts.waterfall_chart("Amount")))[("y", "start")]["format"] == MONEY


def test_compare_rois_are_percentages_and_roas_a_multiple() -> None:
    spec = charts.spec(charts.headline_bars_chart("ROI", "ROAS"))
    panels = spec["hconcat"]
    assert all("data" not in panel for panel in panels)  # both draw the data sent with it
    assert axes(panels[0])[("y", "value")]["format"] == PERCENT
    roas = axes(panels[1])[("y", "value")]
    assert roas["labelExpr"] == "datum.label + '×'"
    assert [p["transform"][0]["filter"] for p in panels] == [
        "(datum.metric !== 'roas')",
        "(datum.metric === 'roas')",
    ]


def test_compare_money_and_lenses_are_money_and_the_mix_percentages() -> None:
    money = axes(charts.spec(charts.grouped_money_chart("Amount")))
    assert money[("y", "amount")]["format"] == MONEY
    lenses = axes(charts.spec(charts.stacked_chart("Amount", normalise=False)))
    assert lenses[("x", "amount")]["format"] == MONEY
    mix = axes(charts.spec(charts.stacked_chart("Share", normalise=True)))
    assert mix[("x", "amount")]["format"] == PERCENT


def test_legends_keep_their_labels_whole() -> None:
    spec = charts.spec(charts.stacked_chart("Amount", normalise=False))
    legend = spec["encoding"]["color"]["legend"]
    assert legend["labelLimit"] == 0 and legend["orient"] == "bottom"


@pytest.mark.parametrize(("percent", "expected"), [(True, PERCENT), (False, MONEY)])
def test_channel_bars(percent: bool, expected: str) -> None:
    spec = charts.spec(channel_charts.grouped_bars_chart("Value", percent=percent))
    assert axes(spec)[("x", "value")]["format"] == expected


def test_channel_bar_panels_keep_each_panel_s_title_axis_and_legend() -> None:
    chart = channel_charts.bar_panels_chart([("ROI", "ROI %"), ("Shares", "Share")], percent=True)
    spec = charts.spec(chart)
    panels = spec["vconcat"]
    assert [p["title"]["text"] for p in panels] == ["ROI", "Shares"]
    assert [p["encoding"]["x"]["title"] for p in panels] == ["ROI %", "Share"]
    assert all(p["encoding"]["x"]["axis"]["format"] == PERCENT for p in panels)
    assert spec["resolve"]["scale"]["color"] == "independent"  # a legend per panel


@pytest.mark.parametrize(("money_values", "expected"), [(True, MONEY), (False, ",.0f")])
def test_response_curves(money_values: bool, expected: str) -> None:
    chart = channel_charts.response_curves_chart(
        "Spend", "Return", "Marker", ("today", "doubling"), money_values=money_values
    )
    found = axes(charts.spec(chart))
    assert found[("x", "spend")]["format"] == MONEY
    assert found[("y", "value")]["format"] == expected


def test_the_spread_and_the_tornado_are_percentages() -> None:
    spread = axes(charts.spec(uncertainty_charts.spread_chart("ROI", "Share")))
    assert spread[("x", "start")]["format"] == ".0%"
    assert spread[("y", "share")]["format"] == ".0%"
    tornado = axes(charts.spec(uncertainty_charts.tornado_chart("ROI")))
    assert tornado[("x", "at_low")]["format"] == ".0%"


def test_the_funnel_counts_on_its_own_scale() -> None:
    funnel = charts.spec(charts.funnel_chart("Count"))
    assert funnel["encoding"]["y"]["scale"]["type"] == "symlog"


@pytest.mark.parametrize(
    ("language", "locale", "currency", "affixes", "marks"),
    [
        ("en", "en_US", "EUR", ["€", ""], (".", ",", "%")),
        ("es", "es_ES", "EUR", ["", "\xa0€"], (",", ".", "\xa0%")),
        ("pt", "pt_BR", "BRL", ["R$\xa0", ""], (",", ".", "%")),
        ("es", "es_MX", "MXN", ["$", ""], (".", ",", "%")),
    ],
)
def test_money_axes_write_the_currency_as_the_locale_does(
    language: str, locale: str, currency: str, affixes: list[str], marks: tuple[str, ...]
) -> None:
    speak(language, locale)
    spec = fmt.with_currency(
        charts.spec(charts.waterfall_chart("x"), fmt.chart_number_locale()), currency
    )
    number = spec["config"]["locale"]["number"]
    assert number["currency"] == affixes
    assert (number["decimal"], number["thousands"], number["percent"]) == marks


class TestMonthsAhead:
    def test_cumulative_lines_are_money_over_whole_months(self) -> None:
        spec = charts.spec(months_charts.cumulative_chart("Since month 1", "Month"))
        found = axes(spec)
        assert found[("y", "amount")]["format"] == MONEY
        assert found[("x", "month")]["format"] == months_charts.MONTH == "d"
        assert found[("x", "month")]["tickMinStep"] == 1

    def test_monthly_lenses_are_money_per_month(self) -> None:
        spec = charts.spec(months_charts.lens_chart("Amount", "Month"))
        assert axes(spec)[("y", "amount")]["format"] == MONEY
        assert spec["encoding"]["x"]["type"] == "ordinal"  # one bar per whole month

    def test_the_audience_is_a_whole_count_over_whole_months(self) -> None:
        found = axes(charts.spec(months_charts.audience_chart("Followers", "Month")))
        assert found[("y", "followers")]["format"] == ",.0f"
        assert found[("x", "month")]["format"] == "d"

    def test_money_in_the_currency_and_the_locales_marks(self) -> None:
        speak("es", "es_ES")
        spec = fmt.with_currency(
            charts.spec(
                months_charts.cumulative_chart("Desde el mes 1", "Mes"), fmt.chart_number_locale()
            ),
            "EUR",
        )
        number = spec["config"]["locale"]["number"]
        assert (number["decimal"], number["thousands"]) == (",", ".")
        assert number["currency"] == ["", "\xa0€"]


def test_chart_data_goes_as_an_arrow_table_and_a_mixed_column_as_it_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drawn: list[object] = []
    monkeypatch.setattr(charts.st, "vega_lite_chart", lambda data, spec, **_: drawn.append(data))
    frame = pd.DataFrame(
        {
            "channel": ["Facebook", "TikTok"],
            "value": [1.5, float("nan")],
            "month": pd.to_datetime(["2024-01-01", "2024-02-01"]),
        }
    )
    charts.draw(frame, {}, "chart")
    table = drawn[0]
    assert isinstance(table, pa.Table)
    assert table.column_names == ["channel", "value", "month"]
    assert table.column("channel").to_pylist() == ["Facebook", "TikTok"]
    assert table.column("value").to_pylist()[0] == 1.5
    assert str(table.column("month").to_pylist()[1])[:10] == "2024-02-01"
    mixed = pd.DataFrame({"shown": ["1.234 €", 5]})  # Arrow takes no column of text and numbers
    charts.draw(mixed, {}, "chart_2")
    assert drawn[1] is mixed
