"""The Goals page's panels: each goal's outcome, who contributes to it, what would close its
gap, the goals across saved scenarios, and the measurement plan.

Every figure comes from :mod:`roi_model.model.goals` and :mod:`roi_model.model.plan`.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import pandas as pd
import streamlit as st

from pages._ui import fmt
from pages._ui.app import state, storage
from pages._ui.app.model import projected, simulated
from pages._ui.i18n import N_, field_label, key_for, t
from pages._ui.widgets import scenario_picker
from pages._ui.widgets.goals import goal_amount, goal_editor, goal_label
from pages._ui.widgets.headings import section_heading
from roi_model import Evaluation, Goal, Scenario
from roi_model.model.goals import (
    SHARED,
    GapCloser,
    gap_closers,
    goal_contributions,
    goal_matrix,
    tier_summary,
)
from roi_model.model.vocabulary import Kind, kind_of

# --- At a glance ------------------------------------------------------------------------------


def at_a_glance(ev: Evaluation) -> None:
    """Primary against secondary: a plan can win on one and lose on the other."""
    if ev.goals.empty:
        st.info(t("goals.none"), icon=":material/flag:")
        return
    tiers = tier_summary(ev).to_dict("records")  # primary, then secondary
    for column, row in zip(st.columns(len(tiers)), tiers, strict=True):
        tier, count, met = row["tier"], int(row["goals"]), int(row["met"])
        with column, st.container(key=f"glance_{tier}"):
            if not count:
                st.metric(t(key_for("goals.glance.{}", tier)), fmt.UNDEFINED, border=True)
                continue
            st.metric(
                t(key_for("goals.glance.{}", tier)),
                t("goals.met_of", met=met, count=count),
                t("goals.mean_attainment", value=fmt.percent(row["attainment"], decimals=0)),
                delta_color="normal" if row["all_met"] else "inverse",
                delta_arrow="off",
                border=True,
            )


# --- Each goal --------------------------------------------------------------------------------


def goal_cards(scenario: Scenario, ev: Evaluation) -> None:
    """Per goal: value against target, attainment, met or missed, contributions, gap closers."""
    if ev.goals.empty:
        return
    contributions = goal_contributions(ev)
    cur = scenario.currency
    ahead = projected(scenario)
    for index, goal in enumerate(scenario.goals):
        row = ev.goals.iloc[index]
        with st.container(border=True, key=f"goal_card_{index}"):
            title, status = st.columns([4, 1])
            title.markdown(f"**{goal_label(goal)}**")
            badge = ("green", t("goal.met")) if row["met"] else ("red", t("goal.not_met"))
            status.markdown(f":{badge[0]}-badge[{badge[1]}]")
            attainment = row["attainment"]
            st.progress(
                min(max(attainment, 0.0), 1.0) if math.isfinite(attainment) else 0.0,
                text=t(
                    "goals.progress",
                    value=goal_amount(goal.metric.value, row["value"], cur),
                    target=goal_amount(goal.metric.value, goal.target, cur),
                    attainment=fmt.percent(attainment, decimals=0),
                ),
            )
            if scenario.uncertainty:
                chance = float(simulated(scenario).goals["p_met"].iloc[index])
                st.caption(t("goals.chance", chance=fmt.percent(chance, decimals=0)))
            st.caption(_months_text(goal, ahead.goals.iloc[index], ahead.horizon, cur))
            mine = contributions[contributions["goal"] == index]
            st.caption(_contribution_text(mine, goal.metric.value, cur))
            if not row["met"]:
                _gap_text(scenario, index)


def _months_text(goal: Goal, row: pd.Series[Any], horizon: int, currency: str) -> str:
    """The goal over the months ahead: judged by its month, or the first month it is met."""
    if goal.by_month is not None:
        value = goal_amount(goal.metric.value, float(row["value"]), currency)
        if row["met"]:
            return t("goals.by_month_met", month=goal.by_month, value=value)
        return t("goals.by_month_not_met", month=goal.by_month, value=value)
    first = row["month_met"]
    if first is None or (isinstance(first, float) and math.isnan(first)):
        return t("goals.not_met_within", months=horizon)
    return t("goals.met_from_month", month=int(first))


def _contribution_text(rows: pd.DataFrame, metric: str, currency: str) -> str:
    parts = [
        t(
            "goals.contribution",
            channel=t("goals.shared") if name == SHARED else name,
            amount=goal_amount(metric, amount, currency),
            share=fmt.percent(share, decimals=0),
        )
        for name, amount, share in zip(
            rows["channel"], rows["contribution"], rows["share"], strict=True
        )
        if amount != 0
    ]
    return t("goals.contributions", parts=" · ".join(parts) if parts else fmt.UNDEFINED)


def _gap_text(scenario: Scenario, index: int) -> None:
    closers = [c for c in _closers(scenario, index) if c.needed is not None]
    if not closers:
        st.caption(t("goals.no_closer"))
        return
    options = [_closer_text(c, scenario.currency) for c in closers]
    st.markdown(t("goals.needs", options=t("goals.or").join(options)))


@lru_cache(maxsize=128)
def _closers(scenario: Scenario, index: int) -> tuple[GapCloser, ...]:
    return gap_closers(scenario, index)


def _closer_text(closer: GapCloser, currency: str) -> str:
    """``€1,300 more ad budget at today's mix (€6,300 instead of €5,000)``."""
    leaf = closer.path.rsplit(".", 1)[-1]
    label = _mid_sentence(field_label(closer.path))
    needed, current = closer.needed or 0.0, closer.current
    kind = kind_of(closer.path)
    if kind is Kind.MONEY:
        shown = (fmt.money(needed, currency), fmt.money(current, currency))
    elif kind is Kind.PERCENT:
        shown = (fmt.percent(needed), fmt.percent(current))
    elif kind is Kind.HOURS:
        shown = (f"{fmt.number(needed, decimals=1)} h", f"{fmt.number(current, decimals=1)} h")
    else:
        shown = (fmt.number(needed, decimals=1), fmt.number(current, decimals=1))
    key = N_("goals.closer.budget") if leaf == "ad_budget" else N_("goals.closer")
    more = fmt.money(closer.change, currency) if leaf == "ad_budget" else ""
    return t(key, input=label, needed=shown[0], current=shown[1], more=more)


def _mid_sentence(label: str) -> str:
    """A field's label inside the sentence: ``staff hours``, but ``CTR (%)`` as written."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def editor() -> None:
    section_heading(N_("goals.edit"))
    st.caption(t("goals.edit_caption"))
    goal_editor()


# --- Across saved scenarios -----------------------------------------------------------------


def across_scenarios() -> None:
    """Each goal's attainment in several scenarios (saved ones, presets, the one being edited)."""
    section_heading(N_("goals.across"))
    store = storage.store()
    options = scenario_picker.choices(store)
    st.session_state.setdefault("goals_picked_keys", list(options)[: scenario_picker.MAX_SCENARIOS])
    keys = st.multiselect(
        t("goals.across_pick"),
        list(options),
        format_func=options.__getitem__,
        max_selections=scenario_picker.MAX_SCENARIOS,
        placeholder=t("ui.choose"),
        **state.bind(
            "goals_picked",
            lambda: [k for k in st.session_state["goals_picked_keys"] if k in options],
            lambda keys: st.session_state.update(goals_picked_keys=list(keys)),
        ),
    )
    picked = scenario_picker.load(store, list(keys), options)
    if not picked.keys:
        return
    matrix = goal_matrix(picked.evaluations, picked.labels)
    if matrix.empty:
        st.info(t("goals.across_none"))
        return
    _matrix_table(matrix, picked.labels)


def _matrix_table(matrix: pd.DataFrame, labels: tuple[str, ...]) -> None:
    names = {
        key: t(
            "goals.label", tier=t(key_for("tier.{}", tier)), metric=t(key_for("metric.{}", metric))
        )
        for key, tier, metric in zip(matrix["goal"], matrix["tier"], matrix["metric"], strict=True)
    }
    wide = (
        matrix.assign(label=matrix["goal"].map(names))
        .pivot(index="label", columns="scenario", values="attainment")
        .reindex(index=list(dict.fromkeys(names.values())), columns=list(labels))
    )  # goals in the model's order (primary first), not alphabetical
    wide.index.name = t("col.goal")
    st.dataframe(
        wide,
        width="stretch",
        key="goal_matrix",
        column_config={
            label: st.column_config.ProgressColumn(
                label, min_value=0.0, max_value=1.0, format="percent"
            )
            for label in labels
        },
    )
    st.caption(t("goals.across_caption"))
