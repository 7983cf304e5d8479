"""The months ahead: when the scenario pays back and what it is worth over the horizon.

The settings (horizon, launch costs, retention, repeat purchases, discount rate, the schedule)
are edited here and written to the draft like every other input; each channel's audience and
carryover are in the cockpit's channel assumptions. Every figure is
:func:`~roi_model.model.months.project`'s.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from pages._ui import fmt
from pages._ui.app import state
from pages._ui.charts import charts, months_charts
from pages._ui.i18n import N_, display_key, key_for, t, tn
from pages._ui.widgets.figure_cards import Figure, figure_cards
from pages._ui.widgets.html_table import text_table
from pages._ui.widgets.lazy_expander import lazy_expander
from pages._ui.widgets.payback import payback_text
from pages._ui.widgets.ranges import path_label, range_pair
from roi_model import Scenario
from roi_model.model.evaluate import enabled_lenses
from roi_model.model.months import Projection, cumulative_lines, lens_bars
from roi_model.model.months_uncertainty import MonthsSimulation
from roi_model.model.spec import MAX_HORIZON
from roi_model.model.uncertainty import PERCENTILES

_SCHEDULE_KEY = "months_schedule_editor"
_SERIES = {
    "investment": N_("months.series.investment"),
    "financial": N_("months.series.financial"),
    "full": N_("months.series.full"),
}


# --- Settings ---------------------------------------------------------------------------------


def settings(scenario: Scenario) -> None:
    """The months block's inputs, bound to the draft; with the toggle on, a low and a high
    beside each number (its range, drawn by the simulation)."""
    with_ranges = st.toggle(t("sure.months_ranges"), key="months_ranges")
    left, right = st.columns(2, gap="large")
    with left:
        st.slider(
            t("input.horizon"), 1, MAX_HORIZON, **state.bind_draft("months_horizon", _at("horizon"))
        )
        st.number_input(
            t("input.launch_costs"),
            min_value=0.0,
            step=100.0,
            **state.bind_draft("months_launch_costs", _at("launch_costs")),
        )
        _range_of(scenario, "launch_costs", with_ranges)
        st.number_input(
            t("input.discount_rate"),
            min_value=0.0,
            max_value=100.0,
            step=0.1,
            format="%.2f",
            **state.bind_draft("months_discount_rate", _at("discount_rate"), scale=100.0),
        )
        _range_of(scenario, "discount_rate", with_ranges)
    with right:
        st.slider(
            t("input.retention"),
            0.0,
            100.0,
            step=1.0,
            format="%.0f %%",
            **state.bind_draft("months_retention", _at("retention"), scale=100.0),
        )
        _range_of(scenario, "retention", with_ranges)
        st.number_input(
            t("input.repeat_purchases"),
            min_value=0.0,
            step=0.1,
            **state.bind_draft("months_repeat_purchases", _at("repeat_purchases")),
        )
        _range_of(scenario, "repeat_purchases", with_ranges)
    st.caption(t("months.audience_note"))


def _range_of(scenario: Scenario, name: str, shown: bool) -> None:
    """The range pair of one of :data:`RANGED_MONTHS_FIELDS`, when the toggle is on."""
    if shown:
        range_pair(scenario, f"months.{name}")


def _at(name: str) -> tuple[str, str]:
    return ("months", name)


def schedule_editor() -> None:
    """From which month the budget or the hours change: the steps as a small table, edited
    in a panel opened on demand (a data grid on the page is drawn again on every press of the
    page's sliders, and cost each press about a tenth of its time)."""
    st.markdown("**" + t("months.schedule") + "**")
    st.caption(t("months.schedule_help"))
    columns = _schedule_columns()
    draft = state.draft()
    steps = draft["months"]["schedule"]
    frame = pd.DataFrame([{name: step.get(name) for name in columns} for step in steps])
    frame = frame.reindex(columns=list(columns)).astype(float)
    if steps:
        text_table(_schedule_shown(frame, columns, draft["currency"]), "months_schedule")
    else:
        st.caption(t("months.schedule_none"))
    label = t("months.schedule_edit")
    with lazy_expander(label, "months_schedule_panel", ":material/edit_calendar:") as is_open:
        if is_open:
            _schedule_grid(frame.rename(columns=columns), columns)


def _schedule_shown(frame: pd.DataFrame, columns: dict[str, str], currency: str) -> pd.DataFrame:
    """The steps as texts, a blank cell (the figure left as it was) as a dash."""

    def shown(value: float, text: Callable[[float], str]) -> str:
        return fmt.UNDEFINED if math.isnan(value) else text(value)

    return pd.DataFrame(
        {
            columns["ad_budget"]: [
                shown(v, lambda x: fmt.money(x, currency)) for v in frame["ad_budget"]
            ],
            columns["staff_hours"]: [shown(v, _hours) for v in frame["staff_hours"]],
        },
        index=pd.Index(
            [shown(v, lambda x: str(int(x))) for v in frame["from_month"]],
            name=columns["from_month"],
        ),
    )


def _hours(value: float) -> str:
    return fmt.number(value, decimals=0 if value.is_integer() else 1)


def _schedule_grid(frame: pd.DataFrame, columns: dict[str, str]) -> None:
    key = state.editor_key(_SCHEDULE_KEY)
    st.data_editor(
        frame,
        num_rows="dynamic",
        hide_index=True,
        key=key,
        on_change=_write_schedule,
        args=(key, frame),
        column_config={
            columns["from_month"]: st.column_config.NumberColumn(
                min_value=2, max_value=MAX_HORIZON, step=1, format="%d"
            ),
            columns["ad_budget"]: st.column_config.NumberColumn(min_value=0.0),
            columns["staff_hours"]: st.column_config.NumberColumn(min_value=0.0),
        },
    )


def _schedule_columns() -> dict[str, str]:
    """A schedule step's fields and their column labels, in the table's order."""
    return {
        "from_month": t("col.from_month"),
        "ad_budget": t("input.ad_budget"),
        "staff_hours": t("input.staff_hours"),
    }


def _write_schedule(key: str, frame: pd.DataFrame) -> None:
    """The editor's rows as schedule steps; a blank cell leaves that figure as it was."""
    columns = _schedule_columns()
    steps = [_step(row, columns) for row in state.edited_rows(key, frame)]
    state.update_draft(lambda d: d["months"].update(schedule=steps))


def _step(row: dict[str, Any], columns: dict[str, str]) -> dict[str, float]:
    """A row of the editor (cells by label) as a step naming only the figures it sets."""
    values = {name: _number(row.get(label)) for name, label in columns.items()}
    return {name: value for name, value in values.items() if value is not None}


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


# --- Figures and charts -----------------------------------------------------------------------


def headline(projection: Projection, scenario: Scenario) -> None:
    """Payback month, NPV, ROI at the horizon, customer value, acquisition cost and their
    ratio, in one wrapping row of cards."""
    cur, horizon = scenario.currency, projection.horizon
    value, cost = projection.customer_value, projection.acquisition_cost
    ratio = math.nan if value is None or not cost else value / cost
    shown = {
        "payback_financial": payback_text(projection.payback_month["financial"], horizon),
        "payback_full": payback_text(projection.payback_month["full"], horizon),
        "npv": fmt.money(projection.npv["full"], cur),
        "roi_financial": fmt.percent(projection.roi["financial"]),
        "roi_full": fmt.percent(projection.roi["full"]),
        "customer_value": fmt.money(math.inf if value is None else value, cur),
        "acquisition_cost": fmt.money(cost, cur),
        "value_to_cost": fmt.ratio(ratio),
    }
    figures = [
        Figure(
            name,
            t(key_for("months.kpi.{}", name)),
            text,
            t(key_for("months.kpi.{}_help", name), months=horizon),
        )
        for name, text in shown.items()
    ]
    figure_cards(figures, "months_headline", _CARD_WIDTH)


#: A card's least width in pixels (a payback in words widens its card to fit).
_CARD_WIDTH = 250


def how_sure(simulation: MonthsSimulation) -> None:
    """How the ranges spread the months ahead: P10, P50 and P90 of each payback month and
    ROI at the horizon, and the chance of paying back within it."""
    horizon = simulation.horizon
    st.markdown("**" + t("months.sure.title", draws=fmt.number(simulation.draws)) + "**")
    rows = [
        [t(key_for("months.kpi.{}", f"payback_{kind}"))]
        + [_payback_cell(simulation.payback.loc[kind, f"p{p}"], horizon) for p in PERCENTILES]
        for kind in simulation.payback.index
    ] + [
        [t(key_for("months.kpi.{}", f"roi_{kind}"))]
        + [fmt.percent(simulation.roi.loc[kind, f"p{p}"]) for p in PERCENTILES]
        for kind in simulation.roi.index
    ]
    currency = simulation.scenario.currency
    rows.append(
        [t("months.kpi.npv")]
        + [fmt.money(simulation.npv[f"p{p}"]["full"], currency) for p in PERCENTILES]
    )
    columns = [t("months.sure.col.figure"), *(f"P{p}" for p in PERCENTILES)]
    text_table(pd.DataFrame(rows, columns=columns).set_index(columns[0]), "months_sure")
    st.caption(
        tn(
            "months.sure.chance",
            "months.sure.chance.plural",
            horizon,
            months=horizon,
            financial=fmt.percent(simulation.p_pays_back("financial"), decimals=0),
            full=fmt.percent(simulation.p_pays_back("full"), decimals=0),
        )
    )


def what_decides(scenario: Scenario, tornado: pd.DataFrame) -> None:
    """Each range at its two ends: the full-value ROI at the horizon, the payback month and
    the NPV."""
    horizon, currency = scenario.months.horizon, scenario.currency
    frame = pd.DataFrame(
        {
            t("sure.col.input"): [path_label(scenario, path) for path in tornado["input"]],
            t("months.kpi.roi_full"): _ends(tornado, "roi_full", fmt.percent),
            t("months.kpi.payback_full"): _ends(
                tornado, "payback_full", lambda month: _payback_cell(month, horizon)
            ),
            t("months.kpi.npv"): _ends(tornado, "npv_full", lambda v: fmt.money(v, currency)),
        }
    )
    text_table(frame.set_index(t("sure.col.input")), "months_tornado")
    st.caption(t("months.sure.tornado_help"))


def _ends(tornado: pd.DataFrame, figure: str, shown: Callable[[float], str]) -> list[str]:
    """``low end → high end`` of one figure of the tornado, row by row."""
    lows, highs = tornado[f"{figure}_at_low"], tornado[f"{figure}_at_high"]
    return [f"{shown(low)} → {shown(high)}" for low, high in zip(lows, highs, strict=True)]


def _payback_cell(month: float, horizon: int) -> str:
    """A percentile of the payback month: a month, not within the horizon (inf), or none."""
    if math.isnan(month):
        return fmt.UNDEFINED
    return payback_text(None if math.isinf(month) else int(month), horizon)


def cumulative_chart(projection: Projection, scenario: Scenario) -> None:
    charts.draw(
        _cumulative_data(projection, scenario.currency),
        _spec("cumulative", scenario.currency),
        "months_cumulative_chart",
    )


def _cumulative_data(projection: Projection, currency: str) -> pd.DataFrame:
    """The three running lines, then a row per payback month (its rule and label). Built as
    one frame: the chart is redrawn on every move of a slider."""
    lines = cumulative_lines(projection)
    marks = {kind: month for kind, month in projection.payback_month.items() if month is not None}
    # Each series's label and order once, mapped onto its rows (a t() per row costs more
    # than the projection).
    labels = {series: t(key) for series, key in _SERIES.items()}
    columns: dict[str, list[Any]] = {
        "month": [*lines["month"], *marks.values()],
        "series": [*lines["series"], *([None] * len(marks))],
        "amount": [*lines["amount"], *([math.nan] * len(marks))],
        "label": [*lines["series"].map(labels)]
        + [t(key_for("months.kpi.{}", f"payback_{kind}")) for kind in marks],
        "order": [*lines["series"].map({s: i for i, s in enumerate(_SERIES)})]
        + [math.nan] * len(marks),
        "shown": [*fmt.moneys(lines["amount"], currency), *([None] * len(marks))],
        "payback": [False] * len(lines) + [True] * len(marks),
    }
    return pd.DataFrame(columns)


def lens_chart(projection: Projection, scenario: Scenario) -> None:
    bars = lens_bars(projection, enabled_lenses(scenario.lenses))
    data = bars.assign(
        label=bars["lens"].map({lens: t(key_for("lens.{}", lens)) for lens in set(bars["lens"])}),
        shown=fmt.moneys(bars["amount"], scenario.currency),
    )
    charts.draw(data, _spec("lenses", scenario.currency), "months_lens_chart")


def audience(projection: Projection) -> None:
    """The audience per channel over the months; with no audience to follow (no channel has
    followers at the start or a follow rate), a line that says where to give one instead of
    a chart of flat zeros."""
    if not projection.channels["followers"].any():
        st.caption(t("months.no_audience"))
        return
    st.markdown("**" + t("months.chart_audience") + "**")
    audience = projection.channels[["month", "channel", "followers"]]
    data = audience.assign(shown=fmt.numbers_of(audience["followers"]))
    charts.draw(data, _spec("audience", ""), "months_audience_chart")


def _spec(chart: str, currency: str) -> dict[str, Any]:
    spec = _cached_spec(chart, display_key())
    return fmt.with_currency(spec, currency) if currency else spec


@lru_cache(maxsize=24)
def _cached_spec(chart: str, language: str) -> dict[str, Any]:
    """A chart's spec in the session's language (the key), built once per language. Kept as
    is, not pickled in and out as ``st.cache_data`` would on every rerun: nothing changes it
    (Streamlit and :func:`~pages._ui.fmt.with_currency` copy before they add)."""
    month = t("col.month")
    built: alt.TopLevelMixin
    if chart == "cumulative":
        built = months_charts.cumulative_chart(t("months.cumulative_axis"), month)
    elif chart == "lenses":
        built = months_charts.lens_chart(t("col.amount"), month)
    else:
        built = months_charts.audience_chart(t("metric.followers"), month)
    return charts.spec(built, fmt.chart_number_locale())
