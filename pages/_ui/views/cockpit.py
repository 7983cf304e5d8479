"""The what-if cockpit's panels: inputs bound to the draft, results drawn from the model."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from pages._ui import fmt
from pages._ui.app import state
from pages._ui.app.model import evaluated, tornado
from pages._ui.charts import charts
from pages._ui.charts import uncertainty as uncertainty_charts
from pages._ui.i18n import N_, display_key, error_message, key_for, t, tn
from pages._ui.widgets.figure_cards import Figure, Tone, figure_cards
from pages._ui.widgets.goals import goal_amount, goal_editor
from pages._ui.widgets.headings import section_heading
from pages._ui.widgets.html_table import bar_table, named_rows_table, text_table
from pages._ui.widgets.lazy_expander import lazy_expander
from pages._ui.widgets.ranges import path_label, range_pair, ranges_editor
from pages._ui.widgets.sources import INVESTMENT_INPUTS, VALUE_INPUTS
from pages._ui.widgets.waterfall import waterfall_chart
from roi_model import Evaluation, Scenario
from roi_model.files.scenario_file import scenario_to_json
from roi_model.model.tables import funnel_table
from roi_model.model.uncertainty import Simulation, band, histogram
from roi_model.model.vocabulary import INPUT_KINDS, Kind

LENSES = ("leads", "engagement", "organic_traffic")
#: Fractions the editors show as percentages (x100), for people who think in percent.
PERCENT_COLUMNS = frozenset(name for name, kind in INPUT_KINDS.items() if kind is Kind.PERCENT)
SHOWN = "cockpit_scenario"  # held: the scenario the cockpit's figures last showed


def scenario_or_warning() -> Scenario:
    """The scenario being edited; if the draft is invalid, a warning saying how to fix it and
    the last valid scenario (the figures stay put, nothing typed is lost)."""
    scenario, error = state.current_scenario()
    if error is not None:
        names = tuple(c.get("name", "") for c in state.draft().get("channels", []))
        st.warning(
            t("cockpit.invalid", reason=error_message(error, names)), icon=":material/warning:"
        )
    return scenario


def show(scenario: Scenario) -> None:
    """Note the scenario the figures now show: what the downloads give when clicked."""
    state.hold(SHOWN, scenario)


def shown(drawn: Scenario) -> Callable[[], Scenario]:
    """The scenario on the screen at the time of the call (of a click, for a download), else
    ``drawn``: the downloads are drawn outside the panel a slider reruns, so they must not
    hold one of their own."""
    return state.held(SHOWN, drawn)


def download_button(name: str, scenario: Callable[[], Scenario]) -> None:
    """The scenario on the screen as a scenario file, made when the button is clicked."""
    st.download_button(
        t("cockpit.download"),
        lambda: scenario_to_json(scenario()),
        file_name=f"{name}.json",
        mime="application/json",
        icon=":material/download:",
        key="download_scenario",
        on_click="ignore",
    )


# --- Headline ---------------------------------------------------------------------------


def headline(ev: Evaluation, simulation: Simulation | None) -> None:
    """Seven figures large enough to read across a meeting table, as one element: under the
    return its net (green, or red for a loss); under each ROI, its P10 to P90 and the chance
    it is above 0 when the assumptions have ranges."""
    cur, net = ev.scenario.currency, ev.full_net
    figures = [
        _figure("investment", fmt.money(ev.investment.total, cur)),
        _figure(
            "return",
            fmt.money(ev.returns.full, cur),
            t("kpi.net", amount=fmt.money(net, cur)),
            "good" if net >= 0 else "bad",
        ),
        _figure("financial_roi", fmt.percent(ev.financial_roi), _band(simulation, "financial_roi")),
        _figure("full_roi", fmt.percent(ev.full_roi), _band(simulation, "full_roi")),
        _figure("roas", fmt.ratio(ev.roas)),
        _figure("cost_per_lead", fmt.money(ev.cost_per_lead, cur)),
        _figure("cost_per_sale", fmt.money(ev.cost_per_sale, cur)),
    ]
    # one row that wraps (all seven on a wide screen); one element, where seven metrics in
    # their containers were fifteen to redraw on every slider move
    figure_cards(figures, "kpi_headline", _FIGURE_WIDTH)


def _figure(name: str, value: str, detail: str = "", tone: Tone = "") -> Figure:
    label, help_text = t(key_for("kpi.{}", name)), t(key_for("kpi.{}_help", name))
    return Figure(name, label, value, help_text, detail, tone)


#: A headline figure's least width in pixels: four to a row on a laptop, seven on a wide screen.
_FIGURE_WIDTH = 190


def _band(simulation: Simulation | None, quantity: str) -> str:
    """An ROI's P10 to P90 over the draws and the chance it is above 0 (none without ranges)."""
    if simulation is None:
        return ""
    spread = band(simulation, quantity)
    return t(
        "sure.band",
        low=fmt.percent(spread.p10),
        high=fmt.percent(spread.p90),
        chance=fmt.percent(spread.p_positive, decimals=0),
    )


def uncertainty_panel(scenario: Scenario, simulation: Simulation | None) -> None:
    """The ranges, how the full-value ROI spreads over the draws, and what decides it."""
    count = len(scenario.uncertainty)
    if count:
        st.caption(tn("sure.uncertain", "sure.uncertain.plural", count, count=count))
    else:
        st.caption(t("sure.certain"))
    ranges_editor(scenario)
    if simulation is None:
        return
    spread, drivers = st.columns(2, gap="large")
    with spread:
        st.markdown("**" + t("sure.spread", draws=fmt.number(simulation.draws)) + "**")
        _spread(simulation)
    with drivers:
        st.markdown("**" + t("sure.tornado") + "**")
        _tornado(scenario)


def _spread(simulation: Simulation) -> None:
    spread = band(simulation, "full_roi")
    marks = pd.DataFrame(
        {"value": [spread.p10, spread.p50, spread.p90], "label": ["P10", "P50", "P90"]}
    )
    data = uncertainty_charts.spread_data(histogram(simulation, "full_roi"), marks)
    spec = _spread_spec(t("kpi.full_roi"), t("sure.share_of_draws"), display_key())
    charts.draw(data, spec, "spread_chart")


def _tornado(scenario: Scenario) -> None:
    table = tornado(scenario).head(8)  # the drivers that decide it: a meeting reads eight
    today = evaluated(scenario).full_roi
    data = pd.DataFrame(
        {
            "input": [path_label(scenario, path) for path in table["input"]],
            "at_low": table["roi_full_at_low"],
            "at_high": table["roi_full_at_high"],
            "order": range(len(table)),
            "shown": [
                f"{fmt.percent(a)} → {fmt.percent(b)}"
                for a, b in zip(table["roi_full_at_low"], table["roi_full_at_high"], strict=True)
            ],
            "today": today,
        }
    )
    spec = _tornado_spec(t("kpi.full_roi"), display_key())
    charts.draw(data, spec, "tornado_chart")


@st.cache_data(max_entries=8, show_spinner=False)
def _spread_spec(roi_title: str, share_title: str, language: str) -> dict[str, Any]:
    chart = uncertainty_charts.spread_chart(roi_title, share_title)
    return charts.spec(chart, fmt.chart_number_locale())


@st.cache_data(max_entries=8, show_spinner=False)
def _tornado_spec(roi_title: str, language: str) -> dict[str, Any]:
    return charts.spec(uncertainty_charts.tornado_chart(roi_title), fmt.chart_number_locale())


# --- Inputs ----------------------------------------------------------------------------


def investment_inputs(scenario: Scenario, origins: dict[str, str]) -> None:
    section_heading(N_("cockpit.investment"))
    ranges = st.session_state[state.SLIDER_MAX]
    money = fmt.money_template(state.draft()["currency"])
    # Ranges beside the sliders only when asked for: a slider move redraws every element.
    with_ranges = st.toggle(t("sure.investment_ranges"), key="investment_ranges")
    for name in INVESTMENT_INPUTS:
        top = ranges[name]
        st.slider(
            t(key_for("input.{}", name)),
            min_value=0.0,
            max_value=float(top),
            step=float(max(top / 500, 1.0)),
            format="%.0f h" if name == "staff_hours" else money,
            help=f"{t(key_for('input.{}_help', name))} {origins.get(f'investment.{name}', '')}",
            **state.bind_draft(name, ("investment", name)),
        )
        if with_ranges:
            range_pair(scenario, f"investment.{name}")


def value_inputs(scenario: Scenario, origins: dict[str, str]) -> None:
    with lazy_expander(t("cockpit.values"), "values_panel", ":material/sell:") as is_open:
        if not is_open:
            return
        st.caption(t("cockpit.values_caption"))
        left, right = st.columns(2)
        for index, name in enumerate(VALUE_INPUTS):
            scale = 100.0 if name == "gross_margin" else 1.0
            with left if index % 2 == 0 else right:
                st.number_input(
                    t(key_for("value.{}", name)),
                    min_value=0.0,
                    max_value=100.0 if name == "gross_margin" else None,
                    step=1.0 if scale > 1 or name == "order_value" else 0.01,
                    format="%.2f",
                    help=origins.get(f"values.{name}"),
                    **state.bind_draft(f"value_{name}", ("values", name), scale),
                )
                range_pair(scenario, f"values.{name}")


def lens_inputs() -> None:
    section_heading(N_("cockpit.lenses"))
    st.caption(t("cockpit.lenses_caption"))
    for name in LENSES:
        st.toggle(t(key_for("lens.{}", name)), **state.bind_draft(f"lens_{name}", ("lenses", name)))


# --- Channels --------------------------------------------------------------------------


def channel_picker() -> None:
    """Add a network with its benchmark defaults, or drop one."""
    names = [c["name"] for c in state.draft()["channels"]]
    options = list(dict.fromkeys([*state.channel_defaults().index, *names]))
    st.multiselect(
        t("cockpit.pick_channels"),
        options,
        accept_new_options=True,
        placeholder=t("ui.choose"),
        **state.bind("channel_names", lambda: names, _set_channels),
    )


def _set_channels(names: list[str]) -> None:
    def change(d: dict[str, Any]) -> None:
        kept = {c["name"]: c for c in d["channels"]}
        share = sum(c["budget_share"] for c in kept.values()) / max(len(kept), 1) or 1.0
        hours = sum(c["hours_share"] for c in kept.values()) / max(len(kept), 1) or 1.0
        d["channels"] = [
            kept.get(name)
            or state.new_channel_dict(name) | {"budget_share": share, "hours_share": hours}
            for name in names
        ]

    state.update_draft(change)
    state.bump_editors()


def mix_table(columns: tuple[str, ...], ev: Evaluation) -> None:
    """The draft's channels with their ``columns`` (the weights and the fit) and the shares of
    spend and hours those weights make, as a table to read; they are edited in a panel opened
    on demand (a data grid on the page is drawn again on every slider press above, about a
    tenth of a press's time)."""
    channels = state.draft()["channels"]
    texts = {
        t(key_for("col.{}", col)): [fmt.number(_shown(col, c[col]), decimals=1) for c in channels]
        for col in columns
    }
    if len(ev.channels) == len(channels):
        texts |= {
            t("col.spend_share"): [fmt.percent(v) for v in ev.channels["spend_share"]],
            t("col.hours_share_norm"): [fmt.percent(v) for v in ev.channels["hours_share"]],
        }
    names = pd.Index([c["name"] for c in channels], name=t("col.channel"))
    text_table(pd.DataFrame(texts, index=names), "mix_table")


def channel_editor(name: str, columns: tuple[str, ...], ev: Evaluation | None = None) -> None:
    """A table of the draft's channels; edits go back to the draft in a callback."""
    channels = state.draft()["channels"]
    frame = pd.DataFrame(
        {col: [_shown(col, c[col]) for c in channels] for col in columns},
        index=pd.Index([c["name"] for c in channels], name=t("col.channel")),
    )
    config: dict[str, Any] = {col: _column(col) for col in columns}
    if ev is not None and len(ev.channels) == len(channels):
        frame = frame.assign(
            spend_share=ev.channels["spend_share"].to_numpy(),
            hours_norm=ev.channels["hours_share"].to_numpy(),
        )
        config |= {
            "spend_share": st.column_config.ProgressColumn(
                t("col.spend_share"), min_value=0.0, max_value=1.0, format="percent"
            ),
            "hours_norm": st.column_config.ProgressColumn(
                t("col.hours_share_norm"), min_value=0.0, max_value=1.0, format="percent"
            ),
        }
    key = state.editor_key(name)
    st.data_editor(
        frame,
        column_config=config,
        disabled=["spend_share", "hours_norm"],
        key=key,
        on_change=_apply_channel_edits,
        args=(key, list(frame.columns)),
        width="stretch",
        num_rows="fixed",
    )


def _shown(column: str, value: float | None) -> float | None:
    return value * 100 if column in PERCENT_COLUMNS and value is not None else value


def _stored(column: str, value: Any) -> Any:
    if value is None or column not in PERCENT_COLUMNS:
        return value
    return value / 100


def _column(column: str) -> Any:
    """Rates are capped at 100 %; shares are weights, so any size goes."""
    capped = column in PERCENT_COLUMNS and column not in ("budget_share", "hours_share")
    return st.column_config.NumberColumn(
        t(key_for("col.{}", column)),
        min_value=0.0,
        max_value=100.0 if capped else None,
        format="%.2f",
        required=column != "saturation_spend",  # empty saturation: no diminishing returns
    )


def _apply_channel_edits(key: str, columns: list[str]) -> None:
    edits = st.session_state[key].get("edited_rows", {})

    def change(d: dict[str, Any]) -> None:
        for row, values in edits.items():
            for column, value in values.items():
                if column in columns and (value is not None or column == "saturation_spend"):
                    d["channels"][int(row)][column] = _stored(column, value)

    state.update_draft(change)
    state.bump_editors()


# --- Results ---------------------------------------------------------------------------


@st.cache_data(max_entries=8, show_spinner=False)
def _funnel_spec(count_title: str, language: str) -> dict[str, Any]:
    return charts.spec(charts.funnel_chart(count_title), fmt.chart_number_locale())


def waterfall(ev: Evaluation) -> None:
    section_heading(N_("cockpit.waterfall"))
    waterfall_chart(ev, "waterfall_chart")


def funnel(ev: Evaluation) -> None:
    section_heading(N_("cockpit.funnel"))
    table = funnel_table(ev)
    data = table.assign(
        stage_label=[t(key_for("metric.{}", s)) for s in table["stage"]],
        shown=[fmt.number(v) for v in table["value"]],
    )
    charts.draw(data, _funnel_spec(t("col.count"), display_key()), "funnel_chart")


def channel_results(ev: Evaluation) -> None:
    """Per-channel money and ratios, formatted for the locale."""
    cur, figures = ev.scenario.currency, ev.channel_figures
    columns = [
        *((key_for("col.{}", c), fmt.moneys(figures[c], cur)) for c in _MONEY_COLUMNS),
        *((key_for("metric.{}", c), fmt.numbers_of(figures[c])) for c in _COUNT_COLUMNS),
        *((key_for("col.{}", c), fmt.percents(figures[c])) for c in _RATIO_COLUMNS),
    ]
    head = [t("col.channel"), *(t(title) for title, _ in columns)]
    rows = zip(ev.scenario.channel_names, *(texts for _, texts in columns), strict=True)
    named_rows_table(head, rows, "channel_results")
    st.caption(t("col.marginal_roi_help"))


#: The channel table's columns: money, counts, then ratios (each a key of the channels'
#: figures).
_MONEY_COLUMNS = ("spend", "investment", "financial_return", "full_return")
_COUNT_COLUMNS = ("impressions", "visits", "leads", "sales")
_RATIO_COLUMNS = ("financial_roi", "full_roi", "marginal_roi")


@st.fragment
def goals_panel() -> None:
    """Goals are edited here and only this panel reruns: they change no other figure."""
    section_heading(N_("cockpit.goals"))
    scenario, _ = state.current_scenario()
    ev = evaluated(scenario)
    if not scenario.goals:
        st.info(t("cockpit.no_goals"))
    else:
        # an HTML table, its attainment a bar behind the percentage: lighter for a slider
        # move to redraw than a data grid
        attained = _goal_attainments(ev)
        bar_table(*_goal_rows(ev, attained), "goal_results", _ATTAINMENT_COLUMN, attained)
    with lazy_expander(t("cockpit.goals_caption"), "goals_panel", ":material/flag:") as is_open:
        if is_open:
            goal_editor()


def _goal_attainments(ev: Evaluation) -> list[float]:
    """Each goal's attainment, up to 100 % (a bar's full width)."""
    goals = zip(ev.scenario.goals, ev.goal_values, strict=True)
    return [min(goal.attainment(value), 1.0) for goal, value in goals]


#: The goal table's columns (keys of ``col.*``); its attainment is drawn as bars.
_GOAL_COLUMNS = ("tier", "metric", "target", "value", "attainment", "status")
_ATTAINMENT_COLUMN = _GOAL_COLUMNS.index("attainment")


def _goal_rows(ev: Evaluation, attained: list[float]) -> tuple[list[str], list[list[str]]]:
    """The goal table's column titles and each goal's texts, its attainment (up to 100 %) as
    a percentage: from the goals and their values, without the goal table (a frame)."""
    cur = ev.scenario.currency
    rows = [
        [
            t(key_for("tier.{}", goal.tier.value)),
            t(key_for("metric.{}", goal.metric.value)),
            goal_amount(goal.metric.value, goal.target, cur),
            goal_amount(goal.metric.value, value, cur),
            fmt.percent(attainment),
            t("goal.met") if goal.is_met(value) else t("goal.not_met"),
        ]
        for goal, value, attainment in zip(ev.scenario.goals, ev.goal_values, attained, strict=True)
    ]
    return [t(key_for("col.{}", title)) for title in _GOAL_COLUMNS], rows
