"""The assumptions page's panels: sources, published benchmarks, break-even."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages._ui import fmt
from pages._ui.app import state
from pages._ui.i18n import N_, field_label, key_for, t, words
from pages._ui.widgets.headings import section_heading
from pages._ui.widgets.sources import sources_table
from roi_model import Scenario
from roi_model.model.break_even import BreakEven, break_even, input_paths
from roi_model.model.vocabulary import Kind, Objective, kind_of
from roi_model.report import labels

#: The inputs a consultant is asked about first.
KEY_INPUTS = (
    "values.order_value",
    "values.gross_margin",
    "channels[*].close_rate",
    "channels[*].lead_rate",
    "channels[*].ctr",
    "investment.hourly_rate",
    "investment.ad_budget",
)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_break_even(scenario: Scenario, path: str, objective: Objective) -> BreakEven:
    return break_even(scenario, path, objective)


def input_label(scenario: Scenario, path: str) -> str:
    """``Lead → sale (%) · all channels`` / ``CPM · Facebook`` / ``Average order value``."""
    return labels.input_label(words(), scenario, path)


def input_amount(path: str, value: float | None, currency: str) -> str:
    """An input's value in its own unit: money, percent or plain number."""
    if value is None:
        return t("assumptions.unreachable")
    kind = kind_of(path)
    if kind is Kind.MONEY:
        return fmt.money(value, currency)
    if kind is Kind.PERCENT:
        return fmt.percent(value, decimals=2)
    return fmt.number(value, decimals=2)


def key_inputs_table(scenario: Scenario, objective: Objective) -> pd.DataFrame:
    rows = [cached_break_even(scenario, path, objective) for path in KEY_INPUTS]
    return pd.DataFrame(
        {
            t("assumptions.break_even_input"): [input_label(scenario, r.path) for r in rows],
            t("assumptions.today"): [
                input_amount(r.path, r.current, scenario.currency) for r in rows
            ],
            t("assumptions.break_even_at"): [
                input_amount(r.path, r.value, scenario.currency) for r in rows
            ],
        }
    )


@st.fragment
def break_even_panel(scenario: Scenario) -> None:
    """Pick any input; only this panel reruns while exploring."""
    section_heading(N_("assumptions.break_even"))
    objective: Objective = st.radio(
        t("assumptions.objective"),
        ["financial", "full"],
        horizontal=True,
        format_func=lambda o: t(key_for("kpi.{}_roi", o)),
        key="break_even_objective",
    )
    st.caption(t("assumptions.key_inputs_caption"))
    st.dataframe(key_inputs_table(scenario, objective), hide_index=True, width="stretch")
    path = st.selectbox(
        t("assumptions.break_even_input"),
        input_paths(scenario),
        format_func=lambda p: input_label(scenario, p),
        key="break_even_input",
    )
    result = cached_break_even(scenario, path, objective)
    words = {
        "input": input_label(scenario, path),
        "current": input_amount(path, result.current, scenario.currency),
        "roi": t(key_for("kpi.{}_roi", objective)),
        "value": input_amount(path, result.value, scenario.currency),
    }
    key = (
        N_("assumptions.break_even_result")
        if result.value is not None
        else N_("assumptions.break_even_none")
    )
    st.markdown(t(key, **words))
    st.caption(t("assumptions.exact") if result.exact else t("assumptions.numeric"))


def sources_panel(scenario: Scenario) -> None:
    section_heading(N_("cockpit.sources"))
    st.caption(t("assumptions.sources_caption"))
    st.dataframe(sources_table(scenario), hide_index=True, width="stretch", key="sources")


def benchmarks_panel() -> None:
    section_heading(N_("assumptions.benchmarks"))
    table = state.benchmarks()
    shown = table.assign(metric=[field_label(f"channels[*].{m}") for m in table["metric"]])
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key="benchmarks",
        column_config={
            "channel": t("col.channel"),
            "metric": t("col.metric"),
            "value": st.column_config.NumberColumn(t("col.value"), format="%g"),
            "unit": t("col.unit"),
            "source": t("col.detail"),
            "source_url": st.column_config.LinkColumn("URL"),
            "year": st.column_config.NumberColumn(t("col.year"), format="%d"),
            "note": t("col.note"),
        },
    )
