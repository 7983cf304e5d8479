"""The comparison page's panels: pick scenarios, see them side by side against a base.

The scenarios are picked with :mod:`pages._ui.widgets.scenario_picker`. Every figure comes
from :mod:`roi_model.model.compare`; this module formats and draws.
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any

import pandas as pd
import streamlit as st

from pages._ui import fmt
from pages._ui.app import state, storage
from pages._ui.app.model import simulated
from pages._ui.charts import charts
from pages._ui.i18n import N_, display_key, key_for, t, tn, words
from pages._ui.widgets import report, saving, shown_by_choice
from pages._ui.widgets.headings import section_heading
from pages._ui.widgets.html_table import folded_tables, marked_table_html, page_colour
from pages._ui.widgets.scenario_picker import Picked
from roi_model import Lens, Scenario
from roi_model.model.compare import (
    Verdict,
    changes_table,
    channel_mix,
    comparison_table,
    headline_ratios,
    investment_vs_return,
    lens_returns,
)
from roi_model.model.uncertainty import band, p_beats
from roi_model.report import labels
from roi_model.store import ScenarioStore

BASE = "compare_base_key"
BASE_CONTROL = "compare_base"  # the base control's key: the page's CSS follows its choice
BASE_SHOWN = "compare_base"  # held: the index of the base the page last showed
_VERDICT_CLASSES = {Verdict.BETTER.value: "better", Verdict.WORSE.value: "worse"}


def base_choice(picked: Picked) -> int:
    """Which picked scenario the others are measured against."""
    if st.session_state.get(BASE) not in picked.keys:
        st.session_state[BASE] = picked.keys[0]
    key = st.segmented_control(
        t("compare.base"),
        picked.keys,
        format_func=lambda k: picked.labels[picked.keys.index(k)],
        help=t("compare.base_help"),
        required=True,
        **state.bind(BASE_CONTROL, lambda: st.session_state[BASE], _set_base),
    )
    return picked.keys.index(key) if key in picked.keys else 0


def _set_base(key: str | None) -> None:
    if key is not None:  # a click never unselects (required); a None set elsewhere keeps it
        st.session_state[BASE] = key


# --- Side by side -------------------------------------------------------------------------


def side_by_side(picked: Picked) -> None:
    """Each figure per scenario, with its difference to the base coloured better or worse."""
    section_heading(N_("compare.side_by_side"))
    if len({s.currency for s in picked.scenarios}) > 1:
        st.warning(t("compare.mixed_currencies"), icon=":material/currency_exchange:")
    st.html(side_by_side_html(picked, display_key()) + _table_css(len(picked.keys)))
    st.caption(t("compare.caption"))
    if any(s.uncertainty for s in picked.scenarios):
        st.dataframe(_bands_table(picked), hide_index=True, width="stretch", key="bands")
        st.html(_chances_html(picked, display_key()))


def _bands_table(picked: Picked) -> pd.DataFrame:
    """Each scenario's ROIs from P10 to P90 and their chance above 0, side by side."""
    rows = {t("col.scenario"): list(picked.labels)}
    for quantity in ("financial_roi", "full_roi"):
        spreads = [band(simulated(scenario), quantity) for scenario in picked.scenarios]
        rows[t(key_for("kpi.{}", quantity))] = [
            t("compare.band", low=fmt.percent(s.p10), high=fmt.percent(s.p90)) for s in spreads
        ]
        rows[t(key_for("compare.above_zero.{}", quantity))] = [
            fmt.percent(s.p_positive, decimals=0) for s in spreads
        ]
    return pd.DataFrame(rows)


@lru_cache(maxsize=16)
def _chances_html(picked: Picked, _language: str) -> str:
    """Against each base, each other scenario's chance of beating its full-value ROI (on the
    same draws): a line per base, the chosen base's shown."""
    return "".join(
        f'<p class="chances {_for_base(base)}">{html.escape(_chances_text(picked, base))}</p>'
        for base in range(len(picked.keys))
    )


def _chances_text(picked: Picked, base: int) -> str:
    """Each other scenario's chance of beating the base's full-value ROI, on the same draws."""
    parts = [
        t("compare.chance_of", name=label, chance=fmt.percent(chance, decimals=0))
        for label, chance in _chances(picked, base)
    ]
    return t("compare.chances", chances=" · ".join(parts))


def _chances(picked: Picked, base: int) -> tuple[tuple[str, float], ...]:
    return tuple(
        (label, p_beats(scenario, picked.scenarios[base])["full"])
        for index, (label, scenario) in enumerate(zip(picked.labels, picked.scenarios, strict=True))
        if index != base
    )


# --- Every base at once --------------------------------------------------------------------
#
# What depends on the base (the differences, their colours, the ★, what changed, the chances)
# is drawn for every base at once, each part marked with its base's classes; the page's CSS
# shows the base checked in the base control (see :mod:`pages._ui.widgets.shown_by_choice`).

_FOR_BASE = "for-base"  # the class of every part drawn for one base


def _for_base(base: int) -> str:
    """The classes of a part of the page shown only while ``base`` is the chosen base."""
    return shown_by_choice.marked(_FOR_BASE, base)


def _table_css(count: int) -> str:
    """The metric names stay in view when the table scrolls sideways, on the theme's page
    colour (Streamlit does not expose it to CSS); the chosen base's parts shown, its ★."""
    stars = (
        f"{shown_by_choice.chosen(BASE_CONTROL, base)} table.comparison th.scenario-{base}::before"
        ' { content: "★ "; }'
        for base in range(count)
    )
    base_rules = shown_by_choice.rules(BASE_CONTROL, _FOR_BASE, count)
    return _TABLE_CSS.replace("PAGE_COLOUR", page_colour()).replace(
        "BASE_RULES", "\n".join((base_rules, *stars))
    )


_TABLE_CSS = """<style>
.comparison-frame { overflow-x: auto; }
table.comparison { border-collapse: collapse; font-size: 0.9rem; white-space: nowrap; }
table.comparison th, table.comparison td {
  padding: 0.35rem 0.75rem; border-bottom: 1px solid rgba(128, 128, 128, 0.25);
}
table.comparison td { text-align: right; font-variant-numeric: tabular-nums; }
table.comparison thead th { text-align: right; vertical-align: bottom; }
table.comparison thead th:first-child, table.comparison tbody th {
  text-align: left; position: sticky; left: 0; background: PAGE_COLOUR;
}
table.comparison tbody th { font-weight: 500; }
table.comparison td.better { color: #1a7f37; }
table.comparison td.worse { color: #cf222e; }
p.chances { font-size: 0.875rem; opacity: 0.7; margin: 0; }
BASE_RULES
</style>"""


@lru_cache(maxsize=16)
def side_by_side_html(picked: Picked, _language: str) -> str:
    """The comparison against every base as one HTML table, kept per language.

    A plain table, not a data grid, and drawn once for every base: a change of base sends the
    same string, which the browser does not draw again (sanitising and laying out the table
    took most of a change's time). Written directly, a class only on a marked cell: pandas'
    styler wrote twice the HTML.
    """
    shown, marks, heads = _every_base(picked)
    table = marked_table_html(shown, marks, "comparison", heads)
    return f'<div class="comparison-frame">{table}</div>'


def _every_base(picked: Picked) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Each scenario's values, then its difference to each other scenario as base (its cells
    of that base's classes, coloured by their verdicts); the column titles' classes."""
    count = len(picked.labels)
    figures = [
        _figures(comparison_table(picked.evaluations, picked.labels, base), count)
        for base in range(count)
    ]
    metrics, kinds = figures[0]["metric"][0], figures[0]["kind"][0]
    columns: list[tuple[str, str, list[str], list[str]]] = []  # title, its class, texts, marks
    for i, (label, scenario) in enumerate(zip(picked.labels, picked.scenarios, strict=True)):
        cur = scenario.currency
        values = [_value(k, v, cur) for k, v in zip(kinds, figures[0]["value"][i], strict=True)]
        columns.append((label, f"scenario-{i}", values, [""] * len(values)))
        delta = t("compare.delta", name=label)
        columns += [
            (delta, _for_base(base), *_differences(figures[base], i, kinds, cur, base))
            for base in range(count)
            if base != i
        ]
    titles, heads, texts, marks = (list(part) for part in zip(*columns, strict=True))
    index = pd.Index([metric_label(m) for m in metrics], name=t("col.metric"))
    return _columns(texts, titles, index), _columns(marks, titles, index), heads


def _differences(
    grid: dict[str, Any], i: int, kinds: Any, currency: str, base: int
) -> tuple[list[str], list[str]]:
    """Scenario ``i``'s differences to ``base``, and their cells' classes: the base's, and
    the verdict's colour."""
    texts = [
        _delta(k, d, pct, currency)
        for k, d, pct in zip(kinds, grid["diff"][i], grid["diff_pct"][i], strict=True)
    ]
    marks = [
        f"{_for_base(base)} {_VERDICT_CLASSES.get(str(v), '')}".rstrip() for v in grid["verdict"][i]
    ]
    return texts, marks


def _figures(table: pd.DataFrame, count: int) -> dict[str, Any]:
    """The comparison's columns as scenario × metric grids: the table is metric-major (each
    metric's rows list the scenarios in order), so each is a reshape, not a filter."""
    return {
        name: table[name].to_numpy().reshape(-1, count).T
        for name in ("metric", "kind", "value", "diff", "diff_pct", "verdict")
    }


def _columns(columns: list[list[str]], titles: list[str], index: pd.Index) -> pd.DataFrame:
    """Texts by column, under titles that repeat (a scenario's differences to each base)."""
    return pd.DataFrame(dict(enumerate(columns)), index=index).set_axis(titles, axis=1)


def metric_label(key: str) -> str:
    """The comparison's row names: a headline figure, or a goal's attainment."""
    return labels.metric_label(words(), key)


def _value(kind: str, value: float, currency: str) -> str:
    return labels.value_text(words(), kind, value, currency)


def _delta(kind: str, diff: float, diff_pct: float, currency: str) -> str:
    """``+€1,200 (+12.0%)``; percentages differ in points: ``+5.0 pp``."""
    return labels.delta_text(words(), kind, diff, diff_pct, currency)


# --- Charts --------------------------------------------------------------------------------


def comparison_charts(picked: Picked) -> None:
    """Headline ratios, investment against return, return by lens, channel mix."""
    section_heading(N_("compare.charts"))
    data, specs = _chart_tables(picked, display_key()), _specs()
    currency = picked.scenarios[0].currency
    left, right = st.columns(2, gap="large")
    for column, names in ((left, ("ratios", "lenses")), (right, ("money", "mix"))):
        with column:
            for name in names:
                st.markdown(f"**{t(key_for('compare.chart.{}', name))}**")
                spec = fmt.with_currency(specs[name], currency)
                charts.draw(data[name], spec, f"chart_{name}")


@lru_cache(maxsize=16)
def _chart_tables(picked: Picked, _language: str) -> dict[str, pd.DataFrame]:
    """Each chart's data with its labels and tooltips, kept per language (read only)."""
    order = {label: i for i, label in enumerate(picked.labels)}
    cur = picked.scenarios[0].currency
    return {
        "ratios": _ratio_rows(picked, order),
        "lenses": _lens_rows(picked, order, cur),
        "money": _money_rows(picked, order, cur),
        "mix": _mix_rows(picked, order),
    }


def _specs() -> dict[str, dict[str, Any]]:
    return _chart_specs(display_key())


@st.cache_data(max_entries=4, show_spinner=False)
def _chart_specs(language: str) -> dict[str, dict[str, Any]]:
    """Built once per language (titles and number marks): Altair is slower than the page."""
    marks = fmt.chart_number_locale()
    return {
        "ratios": charts.spec(charts.headline_bars_chart(t("channels.roi"), t("kpi.roas")), marks),
        "money": charts.spec(charts.grouped_money_chart(t("col.amount")), marks),
        "lenses": charts.spec(charts.stacked_chart(t("col.amount"), normalise=False), marks),
        "mix": charts.spec(charts.stacked_chart(t("compare.share"), normalise=True), marks),
    }


def _ratio_rows(picked: Picked, order: dict[str, int]) -> pd.DataFrame:
    rows = headline_ratios(picked.evaluations, picked.labels)
    metric_order = {m: i for i, m in enumerate(dict.fromkeys(rows["metric"]))}
    return rows.assign(
        order=rows["scenario"].map(order),
        metric_label=[metric_label(m) for m in rows["metric"]],
        metric_order=rows["metric"].map(metric_order),
        shown=[
            fmt.ratio(v) if m == "roas" else fmt.percent(v)
            for m, v in zip(rows["metric"], rows["value"], strict=True)
        ],
    )


def _money_rows(picked: Picked, order: dict[str, int], cur: str) -> pd.DataFrame:
    wide = investment_vs_return(picked.evaluations, picked.labels)
    items = ("investment", "financial_return", "full_return")
    rows = wide.melt(
        id_vars="scenario", value_vars=list(items), var_name="key", value_name="amount"
    )
    return rows.assign(
        order=rows["scenario"].map(order),
        item=[t(key_for("col.{}", k)) for k in rows["key"]],
        item_order=rows["key"].map({k: i for i, k in enumerate(items)}),
        shown=fmt.moneys(rows["amount"], cur),
    )


def _lens_rows(picked: Picked, order: dict[str, int], cur: str) -> pd.DataFrame:
    rows = lens_returns(picked.evaluations, picked.labels)
    rows = rows[rows["counted"]]
    lens_order = {lens.value: i for i, lens in enumerate(Lens)}
    return rows.assign(
        order=rows["scenario"].map(order),
        item=[t(key_for("lens.{}", k)) for k in rows["lens"]],
        item_order=rows["lens"].map(lens_order),
        shown=fmt.moneys(rows["amount"], cur),
    )


def _mix_rows(picked: Picked, order: dict[str, int]) -> pd.DataFrame:
    rows = channel_mix(picked.evaluations, picked.labels)
    channel_order = {c: i for i, c in enumerate(dict.fromkeys(rows["channel"]))}
    return rows.assign(
        order=rows["scenario"].map(order),
        item=rows["channel"],
        item_order=rows["channel"].map(channel_order),
        panel=[t(key_for("compare.mix.{}", m)) for m in rows["measure"]],
        amount=rows["share"],
        shown=[fmt.percent(v) for v in rows["share"]],
    )


# --- What changed, and editing -------------------------------------------------------------


@st.fragment
def differences(picked: Picked) -> None:
    """Base, side by side and what changed: a change of base reruns this panel only (the
    charts do not depend on the base), and it draws what it drew before (every base's)."""
    state.hold(BASE_SHOWN, base_choice(picked))
    side_by_side(picked)
    what_changed(picked)


def report_buttons(picked: Picked) -> None:
    """The comparison's report against the base on the screen when clicked: drawn after the
    panel a change of base reruns, not in it (a deferred download is new on every run); the
    panel, drawn first in every run, holds the base of these scenarios."""
    report.comparison_buttons(picked.scenarios, picked.labels, state.held(BASE_SHOWN, 0))


def what_changed(picked: Picked) -> None:
    """The inputs in which each scenario differs from the base."""
    section_heading(N_("compare.what_changed"))
    sections, marks = _changes_shown(picked, display_key())
    folded_tables(sections, "what_changed", marks)


@lru_cache(maxsize=16)
def _changes_shown(
    picked: Picked, _language: str
) -> tuple[tuple[tuple[str, pd.DataFrame | str], ...], tuple[str, ...]]:
    """Against each base, per other scenario: a title and its changed inputs as a table (or
    the text that there are none), each folding under its title, one element for them all
    (not an expander and a table each); and each section's base's classes."""
    sections: list[tuple[str, pd.DataFrame | str]] = []
    marks: list[str] = []
    for base in range(len(picked.keys)):
        changes = changes_table(picked.scenarios, picked.labels, base)
        for i, label in enumerate(picked.labels):
            if i != base:
                sections.append(_changes_section(changes[changes["scenario"] == label], label))
                marks.append(_for_base(base))
    return tuple(sections), tuple(marks)


def _changes_section(rows: pd.DataFrame, label: str) -> tuple[str, pd.DataFrame | str]:
    """A scenario's changed inputs against the base: its title, and its table or the text
    that there are none."""
    title = tn(
        "compare.changes_of",
        "compare.changes_of.plural",
        len(rows),
        name=label,
        count=fmt.number(len(rows)),
    )
    fields = rows["field"]
    table = pd.DataFrame(
        {
            t("compare.base_value"): [
                _input_text(v, f) for f, v in zip(fields, rows["base_value"], strict=True)
            ],
            t("compare.this_value"): [
                _input_text(v, f) for f, v in zip(fields, rows["value"], strict=True)
            ],
        },
        index=pd.Index([change_label(f) for f in fields], name=t("col.field")),
    )
    return title, table if len(rows) else t("compare.no_changes")


def change_label(path: str) -> str:
    """``channels[Instagram].cpm`` → ``Instagram · CPM``; ``values.lead`` → its label."""
    return labels.change_label(words(), path)


def _input_text(value: object, path: str) -> str:
    return labels.input_text(words(), value, path)


def edit_buttons(picked: Picked) -> None:
    """One click makes a compared scenario the one being edited in the cockpit."""
    section_heading(N_("compare.edit"))
    store = storage.store()
    columns = st.columns(len(picked.keys))
    for column, key, label, scenario in zip(
        columns, picked.keys, picked.labels, picked.scenarios, strict=True
    ):
        if column.button(label, icon=":material/tune:", key=f"edit_{key}", width="stretch"):
            refusal = _make_editable(store, key, scenario)
            if refusal is None:
                st.switch_page("app.py")
            st.error(refusal)


def _make_editable(store: ScenarioStore | None, key: str, scenario: Scenario) -> str | None:
    kind, _, name = key.partition(":")
    if kind == "stored" and store is not None:
        return saving.open_stored(store, int(name))
    if kind == "preset":
        state.load_scenario_into_draft(scenario, name)
    return None
