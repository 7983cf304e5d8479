"""Goals as more than one page shows them: a goal's name, its target or value in the unit of
its metric, and the editor of the draft's goals."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st

from pages._ui import fmt
from pages._ui.app import state
from pages._ui.i18n import key_for, t
from roi_model import GoalMetric, GoalTier
from roi_model.model.spec import MAX_HORIZON, Goal
from roi_model.model.vocabulary import Kind, is_money, kind_of

#: Goal metrics entered and shown as percentages (the ROIs).
RATIO_METRICS = frozenset(metric.value for metric in GoalMetric if kind_of(metric) is Kind.PERCENT)


def goal_label(goal: Goal) -> str:
    return t(
        "goals.label",
        tier=t(key_for("tier.{}", goal.tier.value)),
        metric=t(key_for("metric.{}", goal.metric.value)),
    )


def goal_amount(metric: str, value: float, currency: str) -> str:
    """A goal's target or value in the unit of its metric."""
    if is_money(metric):
        return fmt.money(value, currency)
    if metric in RATIO_METRICS:
        return fmt.percent(value)
    return fmt.number(value)


def goal_editor() -> None:
    tiers = {t(key_for("tier.{}", tier.value)): tier.value for tier in GoalTier}
    metrics = {t(key_for("metric.{}", m.value)): m.value for m in GoalMetric}
    goals = state.draft()["goals"]
    frame = pd.DataFrame(
        {
            "tier": pd.Series([t(key_for("tier.{}", g["tier"])) for g in goals], dtype=object),
            "metric": pd.Series(
                [t(key_for("metric.{}", g["metric"])) for g in goals], dtype=object
            ),
            "target": pd.Series(
                [g["target"] * (100 if g["metric"] in RATIO_METRICS else 1) for g in goals],
                dtype=float,
            ),
            "by_month": pd.Series([g.get("by_month") for g in goals], dtype=float),
        }
    )
    key = state.editor_key("goals_editor")
    st.data_editor(
        frame,
        key=key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "tier": st.column_config.SelectboxColumn(
                t("col.tier"), options=list(tiers), required=True, default=list(tiers)[1]
            ),
            "metric": st.column_config.SelectboxColumn(
                t("col.metric"), options=list(metrics), required=True
            ),
            "target": st.column_config.NumberColumn(t("col.target"), required=True),
            "by_month": st.column_config.NumberColumn(
                t("col.by_month"),
                help=t("col.by_month_help"),
                min_value=1,
                max_value=MAX_HORIZON,
                step=1,
                format="%d",
            ),
        },
        on_change=_apply_goal_edits,
        args=(key, frame, tiers, metrics),
    )


def _whole_or_none(value: Any) -> int | None:
    """A month from the editor's cell; a blank one (None or NaN) is a monthly goal."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value)


def _apply_goal_edits(
    key: str, frame: pd.DataFrame, tiers: dict[str, str], metrics: dict[str, str]
) -> None:
    goals = []
    for row in state.edited_rows(key, frame):
        if not row.get("metric") or row.get("target") is None:
            continue
        metric = metrics.get(row["metric"], row["metric"])
        scale = 100 if metric in RATIO_METRICS else 1
        goals.append(
            {
                "tier": tiers.get(row.get("tier") or "", "secondary"),
                "metric": metric,
                "target": float(row["target"]) / scale,
                "by_month": _whole_or_none(row.get("by_month")),
            }
        )
    state.update_draft(lambda d: d.update(goals=goals))
    state.bump_editors()
