"""The Channels page's panels: every channel on one footing, its curve, its fit, its hours.

Every figure comes from :mod:`roi_model.model.channels`; this module formats, colours and draws.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np
import pandas as pd
import streamlit as st

from pages._ui import fmt
from pages._ui.app import state
from pages._ui.charts import channel_charts, charts
from pages._ui.charts.bars import bar_panels, bars, measure_rows, panel_rows
from pages._ui.i18n import FAMILIES, N_, display_key, key_for, t
from pages._ui.widgets.headings import section_heading
from pages._ui.widgets.html_table import marked_table
from pages._ui.widgets.kind_format import formatter
from roi_model import Evaluation, Lens, Scenario
from roi_model.model.channels import (
    BEST,
    CHANNEL_COLUMNS,
    CHANNEL_KEYS,
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
_DEFAULT_OBJECTIVE = "full"
_LENSES = frozenset(lens.value for lens in Lens)
_POOR_FIT = "poor-fit"
#: The comparison table's marked cells: the best and worst of a column, a poor fit's figure.
_MARK_RULES = (
    f"table.text-table td.{BEST} {{ background-color: rgba(26, 127, 55, 0.16); }}"
    f" table.text-table td.{WORST} {{ background-color: rgba(207, 34, 46, 0.14); }}"
    f" table.text-table td.{_POOR_FIT} {{ color: #cf222e; }}"
)


def chosen_objective() -> Objective:
    """The objective chosen on this page (full-value at first), before its control is drawn:
    the best mix at the page's top follows it."""
    st.session_state.setdefault(OBJECTIVE, _DEFAULT_OBJECTIVE)
    return cast(Objective, st.session_state[OBJECTIVE])


def objective_choice() -> None:
    """Financial or full-value return: what the ROI chart, the curves and the optimiser use.
    Its choice is read by :func:`chosen_objective`, before the control is drawn."""
    _kept_choice(
        t("channels.objective"),
        OBJECTIVES,
        OBJECTIVE,
        "channels_objective",
        "channels.objective.{}",
        default=_DEFAULT_OBJECTIVE,
        help=t("channels.objective_help"),
    )


def _kept_choice(
    label: str,
    options: tuple[str, ...],
    kept: str,
    key: str,
    family: str,
    *,
    default: str,
    **extra: Any,
) -> str:
    """A segmented control whose choice is kept under ``kept`` in the session, across pages
    and languages (``default`` at first), each option named by its key in ``family``. A click
    never unselects it (required); a None set elsewhere keeps the choice."""
    st.session_state.setdefault(kept, default)

    def keep(value: str | None) -> None:
        if value is not None:
            st.session_state[kept] = value

    choice = st.segmented_control(
        label,
        options,
        format_func=lambda option: t(key_for(family, option)),
        required=True,
        **extra,
        **state.bind(key, lambda: st.session_state[kept], keep),
    )
    return str(choice) if choice in options else str(st.session_state[kept])


# --- The table ------------------------------------------------------------------------


VIEWS = ("table", "curves", "funnel_hours")
VIEW = "channels_view_value"  # the view chosen on this page, kept across languages


def view_choice() -> str:
    """The table, the response curves, or the funnel and hours: one drawn at a time, so a
    slider move redraws less. A row of buttons, not tabs: tabs cost a press some 6 ms more to
    redraw in the browser, and show no more."""
    return _kept_choice(
        t("channels.view"),
        VIEWS,
        VIEW,
        "channels_view",
        "channels.tab.{}",
        default=VIEWS[0],
        label_visibility="collapsed",
    )


def comparison_table(ev: Evaluation) -> None:
    """One row per channel, every figure; the best and worst of each column stand out, and
    a channel that suits the industry poorly is marked in red."""
    table = channel_comparison(ev)
    poor = table["poor_fit"].to_numpy(bool)
    index = pd.Index(
        [_channel_name(name, p) for name, p in zip(table.index, poor, strict=True)],
        name=t("col.channel"),
    )
    shown = pd.DataFrame(_comparison_texts(table, ev.scenario.currency), index=index, dtype=object)
    marks = extremes(table)[list(CHANNEL_KEYS)].to_numpy()  # numpy compares objects fast
    classes = np.column_stack(
        [
            np.where(poor, _POOR_FIT, ""),
            np.select([marks == BEST, marks == WORST], [BEST, WORST], ""),
        ]
    )
    # A class per marked cell and one rule per class: far less for the server to write and
    # for the browser to read than a style per cell.
    marks_of_cells = pd.DataFrame(classes, index=index, columns=shown.columns)
    marked_table(shown, "channel_comparison", marks_of_cells, _MARK_RULES)
    st.caption(t("channels.table_caption"))


def _comparison_texts(table: pd.DataFrame, currency: str) -> dict[str, list[str]]:
    """Each column's title and its figures as the locale writes them, the fit first."""
    texts = {t("channels.col.fit"): [fmt.percent(v) for v in table["fit"]]}
    for column in CHANNEL_COLUMNS:
        show = formatter(column.kind, currency)
        texts[_column_title(column.key)] = [show(v) for v in table[column.key]]
    return texts


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


def roi_and_share_charts(ev: Evaluation, objective: Objective) -> None:
    """Each channel's ROI (financial and full-value), and its share of the spend against its
    share of the return: are we spending where the return is? One chart of two panels."""
    table = ev.channels
    shares = spend_vs_return(ev, objective)["share"].to_numpy(float)  # spend's, then return's
    count = len(table)
    rows = panel_rows(
        table.index,
        [
            {t("col.financial_roi"): table["financial_roi"], t("col.full_roi"): table["full_roi"]},
            {t("channels.share.spend"): shares[:count], t("channels.share.return"): shares[count:]},
        ],
        fmt.percent,
    )
    titles = [
        (t("channels.chart.roi"), t("channels.roi")),
        (t("channels.chart.shares"), t("channels.share")),
    ]
    bar_panels(titles, rows, "roi_share_chart", percent=True)
    st.caption(t("channels.shares_caption"))


def hours_chart(ev: Evaluation, objective: Objective) -> None:
    """Where the staff hours go (their cost) and what they bring."""
    section_heading(N_("channels.hours"))
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
    measure = _kept_choice(
        t("channels.curves_show"),
        ("return", "impressions"),
        _CURVE_MEASURE,
        "curves_measure",
        "channels.curves.{}",
        default="return",
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
    charts.draw(data, fmt.with_currency(spec, cur), "curves_chart")


_CURVE_MEASURE = "curves_measure_value"


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
