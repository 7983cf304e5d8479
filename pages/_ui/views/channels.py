"""The Channels page's panels: every channel on one footing, its curve, its fit, its hours.

Every figure comes from :mod:`roi_model.model.channels`; this module formats, colours and draws.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

import numpy as np
import pandas as pd
import streamlit as st

from pages._ui import fmt
from pages._ui.app import state
from pages._ui.charts import channel_charts, charts
from pages._ui.charts.bars import bars, measure_rows
from pages._ui.i18n import FAMILIES, display_key, key_for, language, t
from pages._ui.widgets.html_table import styled_table
from pages._ui.widgets.kind_format import formatter
from roi_model import Evaluation, Lens, Scenario
from roi_model.model.channels import (
    BEST,
    CHANNEL_COLUMNS,
    WORST,
    channel_comparison,
    curve_markers,
    extremes,
    hours_view,
    poor_fit,
    response_curves,
    spend_vs_return,
)
from roi_model.model.vocabulary import OBJECTIVES, Objective

OBJECTIVE = "channels_objective_value"  # the objective chosen on this page (and the optimiser)
_LENSES = frozenset(lens.value for lens in Lens)
_HIGHLIGHT = {
    BEST: "background-color: rgba(26, 127, 55, 0.16)",
    WORST: "background-color: rgba(207, 34, 46, 0.14)",
}


def objective_choice() -> Objective:
    """Financial or full-value return: what the ROI chart, the curves and the optimiser use."""
    st.session_state.setdefault(OBJECTIVE, "full")
    options: tuple[Objective, ...] = OBJECTIVES
    choice = st.segmented_control(
        t("channels.objective"),
        options,
        format_func=lambda o: t(key_for("channels.objective.{}", o)),
        help=t("channels.objective_help"),
        **state.bind("channels_objective", lambda: st.session_state[OBJECTIVE], _set_objective),
    )
    chosen = choice if choice in options else st.session_state[OBJECTIVE]
    return cast(Objective, chosen)  # one of the options: Streamlit hands it back untyped


def _set_objective(value: str | None) -> None:
    if value is not None:  # a second click on the chosen option unselects it: keep it
        st.session_state[OBJECTIVE] = value


# --- The table ------------------------------------------------------------------------


TABS = ("table", "curves", "funnel_hours")


def tabs() -> Sequence[Any]:
    """The table, the response curves, the funnel and hours: one drawn at a time.

    The tabs' state is their (translated) label, so each language has its own key.
    """
    return st.tabs(
        [t(key_for("channels.tab.{}", name)) for name in TABS],
        key=f"channels_tabs_{language()}",
        on_change="rerun",
    )


def comparison_table(ev: Evaluation) -> None:
    """One row per channel, every figure; the best and worst of each column stand out."""
    table = channel_comparison(ev)
    keys = [c.key for c in CHANNEL_COLUMNS]
    marks = extremes(table)
    cur = ev.scenario.currency
    shown = table[keys].rename(columns=_column_title)
    shown.insert(0, t("channels.col.fit"), table["fit"])
    shown.index = pd.Index(
        [
            _channel_name(name, poor)
            for name, poor in zip(table.index, table["poor_fit"], strict=True)
        ],
        name=t("col.channel"),
    )
    grid = marks[keys].to_numpy()  # numpy compares objects far faster than a frame does
    styles = pd.DataFrame(
        np.select([grid == BEST, grid == WORST], [_HIGHLIGHT[BEST], _HIGHLIGHT[WORST]], ""),
        columns=list(shown.columns[1:]),
    )
    styles.insert(
        0, t("channels.col.fit"), ["color: #cf222e" if p else "" for p in table["poor_fit"]]
    )
    styles.index = shown.index
    kinds = [formatter(c.kind, cur) for c in CHANNEL_COLUMNS]
    formats = dict(zip(shown.columns[1:], kinds, strict=True))
    formats[t("channels.col.fit")] = fmt.percent
    styled = shown.style.apply(lambda _: styles, axis=None).format(formats, na_rep=fmt.UNDEFINED)
    styled_table(styled, "channel_comparison")
    st.caption(t("channels.table_caption"))


def _column_title(key: str) -> str:
    lens = key.removeprefix("return_")
    if key.startswith("return_") and lens in _LENSES:
        return t("channels.col.return_of", lens=t(key_for("lens.{}", lens)))
    for family in ("col.{}", "metric.{}", "channels.col.{}"):
        if key in FAMILIES[family]:
            return t(FAMILIES[family][key])
    return key


def _channel_name(name: str, poor: bool) -> str:
    return f"{name} ⚠" if poor else name


# --- Charts ---------------------------------------------------------------------------


@st.cache_data(max_entries=8, show_spinner=False)
def _curves_spec(
    spend: str, value: str, marker: str, money_values: bool, language: str
) -> dict[str, Any]:
    markers = (t("channels.marker.today"), t("channels.marker.doubling"))
    chart = channel_charts.response_curves_chart(
        spend, value, marker, markers, money_values=money_values
    )
    return charts.spec(chart, fmt.chart_number_locale())


def roi_chart(ev: Evaluation) -> None:
    """Financial and full-value ROI of each channel."""
    st.markdown("**" + t("channels.chart.roi") + "**")
    table = ev.channels
    rows = measure_rows(
        table.index,
        {t("col.financial_roi"): table["financial_roi"], t("col.full_roi"): table["full_roi"]},
        fmt.percent,
    )
    bars(rows, t("channels.roi"), "roi_chart", percent=True)


def share_chart(ev: Evaluation, objective: Objective) -> None:
    """Share of spend against share of return: are we spending where the return is?"""
    st.markdown("**" + t("channels.chart.shares") + "**")
    tidy = spend_vs_return(ev, objective)
    wide = tidy.pivot(index="channel", columns="measure", values="share").reindex(ev.channels.index)
    rows = measure_rows(
        wide.index,
        {t("channels.share.spend"): wide["spend"], t("channels.share.return"): wide["return"]},
        fmt.percent,
    )
    bars(rows, t("channels.share"), "share_chart", percent=True)
    st.caption(t("channels.shares_caption"))


def hours_chart(ev: Evaluation, objective: Objective) -> None:
    """Where the staff hours go (their cost) and what they bring."""
    st.subheader(t("channels.hours"), divider="gray")
    view = hours_view(ev)
    cur = ev.scenario.currency
    rows = measure_rows(
        view.index,
        {
            t("channels.hours.cost"): view["staff_cost"],
            t("channels.hours.brings"): view[f"hours_{objective}_return"],
        },
        lambda v: fmt.money(v, cur),
    )
    bars(rows, t("col.amount"), "hours_chart", percent=False, currency=cur)
    hours = ", ".join(f"{name}: {fmt.number(h)} h" for name, h in view["hours"].items() if h > 0)
    st.caption(t("channels.hours_caption", hours=hours or fmt.UNDEFINED))


# --- Industry fit -----------------------------------------------------------------------


def fit_warnings(ev: Evaluation) -> None:
    """The channels marked a poor fit, with what they cost and what they would bring."""
    poor = poor_fit(ev)
    if poor.empty:
        return
    cur = ev.scenario.currency
    for name, row in poor.iterrows():
        st.warning(
            t(
                "channels.poor_fit",
                channel=name,
                fit=fmt.percent(row["fit"], decimals=0),
                investment=fmt.money(row["investment"], cur),
                brings=fmt.money(row["full_return"], cur),
                net=fmt.money(row["net"], cur),
                full_fit=fmt.money(row["return_at_full_fit"], cur),
            ),
            icon=":material/block:",
        )


# --- Response curves --------------------------------------------------------------------


def curves(scenario: Scenario, objective: Objective) -> None:
    """Return (or impressions) against monthly spend per channel, today and the doubling
    of the CPM marked: diminishing returns made visible."""
    st.caption(t("channels.curves_caption"))
    measure = st.segmented_control(
        t("channels.curves_show"),
        ("return", "impressions"),
        format_func=lambda m: t(key_for("channels.curves.{}", m)),
        **state.bind("curves_measure", _curve_measure, _set_curve_measure),
    )
    column = "impressions" if measure == "impressions" else f"{objective}_return"
    cur = scenario.currency
    data = _curve_rows(scenario, column, cur)
    value_title = (
        t("metric.impressions") if column == "impressions" else t(key_for("col.{}", column))
    )
    spec = _curves_spec(
        t("channels.curves.spend", symbol=fmt.currency_symbol(cur)),
        value_title,
        t("channels.curves.marker"),
        column != "impressions",
        display_key(),
    )
    st.vega_lite_chart(data, fmt.with_currency(spec, cur), width="stretch", key="curves_chart")


_CURVE_MEASURE = "curves_measure_value"


def _curve_measure() -> str:
    return str(st.session_state.get(_CURVE_MEASURE, "return"))


def _set_curve_measure(value: str | None) -> None:
    if value is not None:
        st.session_state[_CURVE_MEASURE] = value


def _curve_rows(scenario: Scenario, column: str, currency: str) -> pd.DataFrame:
    """The curves and their marked points in one tidy frame (one chart, two layers)."""
    lines = response_curves(scenario)[["channel", "spend", column]].assign(kind="curve")
    markers = curve_markers(scenario)
    points = [
        pd.DataFrame(
            {
                "channel": markers.index,
                "spend": markers[f"{kind}_spend"],
                column: markers[f"{kind}_{column}"],
                "kind": kind,
            }
        )
        for kind in ("today", "doubling")
    ]
    marked = pd.concat(points, ignore_index=True).dropna(subset=["spend", column])
    show: Callable[[float], str] = (
        fmt.number if column == "impressions" else (lambda v: fmt.money(v, currency))
    )
    marked = marked.assign(
        marker=[t(key_for("channels.marker.{}", k)) for k in marked["kind"]],
        shown_spend=[fmt.money(s, currency) for s in marked["spend"]],
        shown=[show(v) for v in marked[column]],
    )  # only the marked points have tooltips: the lines' hundreds of points need no texts
    return pd.concat([lines, marked], ignore_index=True).rename(columns={column: "value"})
