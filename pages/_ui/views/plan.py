"""The measurement plan: objective → KPI per channel → tactics → metrics → tool and cadence.

Edited in a data editor, saved with the scenario, downloadable as CSV. Suggestions come from
:func:`roi_model.model.plan.suggested_plan` as keys, translated here into the user's language.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from pages._ui import fmt
from pages._ui.app import notices, state
from pages._ui.i18n import N_, error_message, key_for, t, tn
from pages._ui.widgets.goals import goal_label
from pages._ui.widgets.headings import section_heading
from roi_model import Scenario, ScenarioError
from roi_model.files.scenario_file import scenario_to_dict
from roi_model.files.spreadsheet_text import neutralised_frame
from roi_model.model.plan import (
    PlanSuggestion,
    plan_from_table,
    plan_problems,
    plan_table,
    suggested_plan,
)
from roi_model.model.spec import SCHEMA_VERSION, Cadence, PlanRow

NOTICES = "plan_notices"
COLUMNS = ("objective", "channel", "kpi", "tactics", "metrics", "tool", "cadence")


def measurement_plan() -> None:
    section_heading(N_("plan.title"))
    st.caption(t("plan.caption"))
    notices.show(NOTICES)
    scenario, _ = state.current_scenario()
    _editor(scenario)
    _problems(scenario)
    suggest, download = st.columns(2)
    if suggest.button(
        t("plan.suggest"),
        icon=":material/auto_awesome:",
        key="plan_suggest",
        width="stretch",
        help=t("plan.suggest_help"),
        disabled=not scenario.goals,
    ):
        _add_suggestions(scenario)
        st.rerun()
    download.download_button(
        t("plan.download"),
        plan_csv(scenario),
        file_name=scenario.name + " - " + t("plan.file") + ".csv",
        mime="text/csv",
        icon=":material/download:",
        key="plan_download",
        width="stretch",
        disabled=not scenario.plan,
    )


def _cadences() -> dict[str, str]:
    return {t(key_for("plan.cadence.{}", c.value)): c.value for c in Cadence}


def _shown(scenario: Scenario) -> pd.DataFrame:
    """The plan as the editor shows it: cadences in words."""
    table = plan_table(scenario.plan).reindex(columns=list(COLUMNS))
    labels = {value: label for label, value in _cadences().items()}
    return table.assign(cadence=[labels.get(c, c) for c in table["cadence"]]).astype(object)


def _editor(scenario: Scenario) -> None:
    frame = _shown(scenario)
    key = state.editor_key("plan_editor")
    st.data_editor(
        frame,
        key=key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "objective": st.column_config.TextColumn(t("plan.col.objective"), required=True),
            "channel": st.column_config.SelectboxColumn(
                t("col.channel"), options=list(scenario.channel_names), required=True
            ),
            "kpi": st.column_config.TextColumn(t("plan.col.kpi"), required=True),
            "tactics": st.column_config.TextColumn(t("plan.col.tactics"), help=t("plan.list_help")),
            "metrics": st.column_config.TextColumn(t("plan.col.metrics"), help=t("plan.list_help")),
            "tool": st.column_config.TextColumn(t("plan.col.tool")),
            "cadence": st.column_config.SelectboxColumn(
                t("plan.col.cadence"), options=list(_cadences()), default=t("plan.cadence.monthly")
            ),
        },
        on_change=_apply_edits,
        args=(key, frame, scenario),
    )


def _apply_edits(key: str, frame: pd.DataFrame, scenario: Scenario) -> None:
    """The edited table becomes the scenario's plan; a bad row is explained and the editor
    keeps what was typed (its key is not renewed), so nothing is lost."""
    rows = state.edited_rows(key, frame)
    kept = [r for r in rows if any(_filled(r.get(c)) for c in COLUMNS)]
    cadences = _cadences()
    table = pd.DataFrame(
        [
            {c: r.get(c) for c in COLUMNS}
            | {"cadence": cadences.get(r.get("cadence") or "", "monthly")}
            for r in kept
        ],
        columns=list(COLUMNS),
    )
    try:
        plan = plan_from_table(table)
    except ScenarioError as error:
        notices.post(NOTICES, "error", t("plan.refused", reason=error_message(error)))
        return
    _store(scenario, plan)
    state.bump_editors()


def _filled(value: Any) -> bool:
    return value is not None and str(value).strip() != "" and str(value) != "nan"


def _store(scenario: Scenario, plan: tuple[PlanRow, ...]) -> None:
    rows = scenario_to_dict(replace(scenario, plan=plan))["plan"]
    state.update_draft(lambda d: d.update(plan=rows, schema_version=SCHEMA_VERSION))


def _problems(scenario: Scenario) -> None:
    problems = plan_problems(scenario.plan, scenario.channel_names)
    if problems:
        lines = [
            t(
                key_for("plan.problem.{}", p.kind.value),
                row=p.row + 1,
                channel=scenario.plan[p.row].channel,
            )
            for p in problems
        ]
        st.warning("\n".join(f"- {line}" for line in lines), icon=":material/checklist:")


def _add_suggestions(scenario: Scenario) -> None:
    """Suggested rows for every goal and active channel not yet in the plan, in words."""
    have = {(r.objective, r.channel, r.kpi) for r in scenario.plan}
    rows = [_row(scenario, suggestion) for suggestion in suggested_plan(scenario)]
    added = [row for row in rows if (row.objective, row.channel, row.kpi) not in have]
    _store(scenario, (*scenario.plan, *added))
    state.bump_editors()
    added_text = tn(
        "plan.suggested", "plan.suggested.plural", len(added), count=fmt.number(len(added))
    )
    notices.post(NOTICES, "ok", added_text)


def _row(scenario: Scenario, suggestion: PlanSuggestion) -> PlanRow:
    goal = scenario.goals[suggestion.objective_goal]
    return PlanRow(
        objective=goal_label(goal),
        channel=suggestion.channel,
        kpi=t(key_for("plan.kpi.{}", suggestion.kpi)),
        tactics=tuple(t(key_for("plan.tactic.{}", k)) for k in suggestion.tactics),
        metrics=tuple(t(key_for("plan.metric.{}", k)) for k in suggestion.metrics),
        tool=t(key_for("plan.tool.{}", suggestion.tool)),
        cadence=suggestion.cadence,
    )


def plan_csv(scenario: Scenario) -> str:
    """The plan with the columns and cadences in the user's language; a cell that begins like
    a formula (``=``, ``+``, ``-``, ``@``...) is quoted, so a spreadsheet shows it as text."""
    shown = _shown(scenario)
    titles = {
        c: t(key_for("plan.col.{}", c)) if c != "channel" else t("col.channel") for c in COLUMNS
    }
    return neutralised_frame(shown.rename(columns=titles)).to_csv(index=False)
