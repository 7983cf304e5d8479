"""The best mix: the optimiser's suggestion beside today's mix, applied or saved in one click,
and the smallest budget that reaches a target. Every figure comes from
:mod:`roi_model.model.optimize`.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import pandas as pd
import streamlit as st

from pages._ui import fmt
from pages._ui.app import notices, state, storage
from pages._ui.app.send_now import send_now
from pages._ui.i18n import N_, error_message, key_for, language, t
from pages._ui.widgets import saving
from pages._ui.widgets.figure_cards import Figure, figure_cards
from pages._ui.widgets.headings import section_heading
from pages._ui.widgets.html_table import text_table
from pages._ui.widgets.lazy_expander import lazy_expander
from roi_model import Goal, GoalMetric, GoalTier, Scenario, ScenarioError
from roi_model.model.optimize import (
    BudgetForTarget,
    InfeasibleBudget,
    Optimum,
    SpendLimit,
    budget_for_target,
    optimize_mix,
)
from roi_model.model.vocabulary import Objective
from roi_model.store import StoreError

LIMITS = "mix_limits"  # channel -> (locked, minimum, maximum): the user's constraints
HOURS = "mix_hours"  # also allocate the staff hours
NOTICES = "mix_notices"
SUMMARY = "mix_summary"  # the best mix's return and ROI (cards named "return" and "roi")


# --- Running the optimiser ---------------------------------------------------------------

#: The user's limits as a hashable key: (channel, locked, minimum, maximum or None).
Limits = tuple[tuple[str, bool, float, float | None], ...]


def _model_limits(limits: Limits) -> tuple[dict[str, SpendLimit], list[str]]:
    """The page's limits as the optimiser takes them: spend limits, and locked channels."""
    spend = {name: SpendLimit(low, high) for name, locked, low, high in limits if not locked}
    return spend, [name for name, locked, *_ in limits if locked]


@lru_cache(maxsize=64)
def _optimum(
    scenario: Scenario, objective: Objective, limits: Limits, hours: bool
) -> Optimum | Exception:
    """The optimum, or why the model found none (kept per inputs: a slider that comes back
    costs nothing; the reason is translated when shown, not cached in one language)."""
    spend, locked = _model_limits(limits)
    try:
        return optimize_mix(scenario, objective, limits=spend, locked=locked, hours=hours)
    except (ScenarioError, ValueError) as error:
        return error


def _reason(error: Exception, scenario: Scenario) -> str:
    """Why no mix or budget could be found, in the user's language."""
    if isinstance(error, ScenarioError):
        return error_message(error, scenario.channel_names)
    if isinstance(error, InfeasibleBudget):
        cur = scenario.currency
        highest = fmt.money(error.highest, cur) if math.isfinite(error.highest) else "∞"
        return t("mix.infeasible_range", lowest=fmt.money(error.lowest, cur), highest=highest)
    return t("mix.infeasible")


def _limits(scenario: Scenario) -> Limits:
    """The user's limits for the scenario's channels (channels since removed are dropped)."""
    stored: dict[str, tuple[bool, float, float | None]] = st.session_state.get(LIMITS, {})
    return tuple((name, *stored[name]) for name in scenario.channel_names if name in stored)


def best_mix_answer(scenario: Scenario, objective: Objective) -> Optimum | Exception:
    """The page's answer at its top: the best mix's return and ROI against today's, handed
    to the browser before the rest of the page is computed. The settings it follows (the
    objective, the hours, the limits) are drawn further down; their changes are in the
    session before a rerun starts. Where there is none, why is said in the answer's place.
    Returns the optimum, or the reason there is none."""
    result = _optimum(scenario, objective, _limits(scenario), bool(st.session_state.get(HOURS)))
    if not isinstance(result, Optimum):
        st.warning(t("mix.none", reason=_reason(result, scenario)), icon=":material/block:")
        return result
    _summary(result)
    send_now()
    return result


def best_mix(scenario: Scenario, result: Optimum | Exception) -> None:
    """The suggestion of :func:`best_mix_answer`: its settings, today's mix beside it, and
    what to do with it."""
    section_heading(N_("mix.title"))
    st.caption(t("mix.caption"))
    notices.show(NOTICES)
    st.toggle(
        t("mix.hours"),
        help=t("mix.hours_help"),
        **state.bind("mix_hours_toggle", lambda: bool(st.session_state.get(HOURS)), _set_hours),
    )
    _limits_editor(scenario)
    if not isinstance(result, Optimum):  # why, said at the page's top
        return
    _mix_table(result)
    _actions(result)


def _set_hours(value: bool) -> None:
    st.session_state[HOURS] = bool(value)


def _summary(result: Optimum) -> None:
    """The best mix's return and ROI against today's, as one element of cards."""
    cur = result.after.currency
    gain = result.gain
    vs_today = t(
        "mix.vs_today",
        amount=fmt.signed(fmt.money(gain, cur), gain),
        today=fmt.money(result.before_return, cur),
    )
    figures = (
        Figure(
            "return",
            t(key_for("mix.return.{}", result.objective)),
            fmt.money(result.after_return, cur),
            help="",
            detail=vs_today,
            tone="good" if gain >= 0 else "bad",
        ),
        Figure(
            "roi",
            t(key_for("mix.roi.{}", result.objective)),
            fmt.percent(result.after_roi),
            help="",
            detail=t("mix.roi_today", today=fmt.percent(result.before_roi)),
        ),
    )
    figure_cards(figures, SUMMARY, _CARD_WIDTH)


#: The summary cards' least width in pixels: side by side in the page's width, like the two
#: columns they replace.
_CARD_WIDTH = 280


def _mix_table(result: Optimum) -> None:
    table = result.mix_table()
    cur = result.after.currency
    money = lambda v: fmt.money(v, cur)  # noqa: E731 - a formatter per column
    columns: dict[str, tuple[str, Any]] = {
        "spend_before": (t("mix.col.spend_before"), money),
        "spend_after": (t("mix.col.spend_after"), money),
        "hours_before": (t("mix.col.hours_before"), fmt.number),
        "hours_after": (t("mix.col.hours_after"), fmt.number),
        "return_before": (t("mix.col.return_before"), money),
        "return_after": (t("mix.col.return_after"), money),
        "roi_before": (t("mix.col.roi_before"), fmt.percent),
        "roi_after": (t("mix.col.roi_after"), fmt.percent),
    }
    shown = pd.DataFrame(
        {title: [format_(v) for v in table[key]] for key, (title, format_) in columns.items()},
        index=pd.Index(table.index, name=t("col.channel")),
    )
    text_table(shown, "mix_table")


def _actions(result: Optimum) -> None:
    # One row that shares its width between the two, as two columns would, in one element.
    with st.container(horizontal=True):
        if st.button(
            t("mix.apply"),
            icon=":material/check:",
            type="primary",
            key="mix_apply",
            width="stretch",
        ):
            _apply(result.after)
            st.rerun()
        _save_popover(result.after)


def _apply(optimised: Scenario) -> None:
    """The suggested shares (and hours) become the scenario being edited's."""
    shares = {c.name: (c.budget_share, c.hours_share) for c in optimised.channels}

    def change(d: dict[str, Any]) -> None:
        d["investment"]["ad_budget"] = optimised.investment.ad_budget
        for channel in d["channels"]:
            channel["budget_share"], channel["hours_share"] = shares[channel["name"]]

    state.update_draft(change)
    state.bump_editors()
    notices.post(NOTICES, "ok", t("mix.applied"))


def _save_popover(optimised: Scenario) -> None:
    store = storage.store()
    label, icon = t("mix.save"), ":material/save_as:"
    with saving.lazy_popover(label, "mix_save", icon, disabled=store is None) as is_open:
        if store is None or not is_open:  # closed, it costs a slider move nothing
            return
        with st.form("mix_save_form", border=False, clear_on_submit=True):
            clients = {c.id: c.name for c in store.clients()}
            options = [*clients, saving.NEW_CLIENT]
            names = clients | {saving.NEW_CLIENT: t("save.new_client")}
            client = st.selectbox(
                t("save.client"),
                options,
                format_func=names.__getitem__,
                key=f"mix_client_{language()}",
            )
            new_client = st.text_input(t("save.new_client_name"), key="mix_new_client")
            default = t("mix.default_name", name=optimised.name)
            name = st.text_input(t("save.name"), value=default, key="mix_name")
            if st.form_submit_button(t("save.save"), icon=":material/save:", key="mix_save_submit"):
                if _save_new(int(client), new_client, name, optimised):
                    st.session_state[saving.CLOSE_POPOVER] = "mix_save"
                st.rerun()


def _save_new(client_id: int, new_client: str, name: str, optimised: Scenario) -> bool:
    """Store the suggestion as a scenario of its own; the one being edited is untouched."""
    store = storage.store()
    assert store is not None
    try:
        if client_id == saving.NEW_CLIENT:
            client_id = store.create_client(new_client).id
        summary = store.save_new(client_id, optimised, name)
    except StoreError as error:
        notices.post(NOTICES, "error", storage.problem_message(error))
        return False
    notices.post(NOTICES, "ok", t("mix.saved", name=summary.name))
    return True


# --- Limits -------------------------------------------------------------------------------


def _limits_editor(scenario: Scenario) -> None:
    """Lock a channel at today's spend, or keep its spend between a minimum and a maximum."""
    with lazy_expander(t("mix.limits"), "mix_limits_panel", ":material/lock:") as is_open:
        if not is_open:
            return
        stored = dict(st.session_state.get(LIMITS, {}))
        names = scenario.channel_names
        limits = [stored.get(n, (False, 0.0, None)) for n in names]  # none set: free
        frame = pd.DataFrame(
            {
                "locked": [locked for locked, _, _ in limits],
                "minimum": [low for _, low, _ in limits],
                "maximum": pd.Series([high for _, _, high in limits], dtype=float),
            },
            index=pd.Index(names, name=t("col.channel")),
        )
        money = fmt.money_template(scenario.currency)
        key = state.editor_key("mix_limits_editor")
        st.data_editor(
            frame,
            key=key,
            width="stretch",
            column_config={
                "locked": st.column_config.CheckboxColumn(
                    t("mix.col.locked"), help=t("mix.locked_help")
                ),
                "minimum": st.column_config.NumberColumn(
                    t("mix.col.minimum"), min_value=0.0, format=money
                ),
                "maximum": st.column_config.NumberColumn(
                    t("mix.col.maximum"),
                    min_value=0.0,
                    format=money,
                    help=t("mix.maximum_help"),
                ),
            },
            on_change=_store_limits,
            args=(key, frame),
        )


def _store_limits(key: str, frame: pd.DataFrame) -> None:
    rows = state.edited_rows(key, frame)
    st.session_state[LIMITS] = {
        str(name): (
            bool(row["locked"]),
            float(row["minimum"]) if _number(row["minimum"]) else 0.0,
            float(row["maximum"]) if _number(row["maximum"]) else None,
        )
        for name, row in zip(frame.index, rows, strict=True)
    }


def _number(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


# --- The reverse question -----------------------------------------------------------------


def budget_for(scenario: Scenario, objective: Objective) -> None:
    """The smallest budget that reaches a target ROI, or the primary goal, at the best mix."""
    with lazy_expander(t("mix.reverse"), "mix_reverse_panel", ":material/target:") as is_open:
        if is_open:  # a scan of optimal mixes: only worked out while someone looks at it
            _budget_question(scenario, objective)


def _primary_goal(scenario: Scenario) -> Goal | None:
    return next((g for g in scenario.goals if g.tier is GoalTier.PRIMARY), None)


def _budget_question(scenario: Scenario, objective: Objective) -> None:
    primary = _primary_goal(scenario)
    options = ["roi", *(["goal"] if primary else [])]
    left, right = st.columns([2, 3])
    with left:
        kind = st.radio(
            t("mix.reverse_target"),
            options,
            format_func=lambda k: (
                t(key_for("mix.reverse.roi.{}", objective))
                if k == "roi"
                else t(
                    "mix.reverse.goal",
                    metric=t(key_for("metric.{}", primary.metric)) if primary else "",
                )
            ),
            key="mix_reverse_kind",
            horizontal=True,
        )
        target = (
            st.number_input(
                t("mix.reverse_roi"), value=0.0, step=5.0, format="%.1f", key="mix_reverse_roi"
            )
            / 100
            if kind == "roi"
            else None
        )
    found = _budget_for(scenario, objective, kind, target, _limits(scenario))
    with right:
        _budget_sentence(scenario, found)


@lru_cache(maxsize=32)
def _budget_for(
    scenario: Scenario,
    objective: Objective,
    kind: str,
    target_roi: float | None,
    limits: Limits,
) -> BudgetForTarget | Exception:
    spend_limits, locked = _model_limits(limits)
    primary = _primary_goal(scenario)
    try:
        if kind == "goal" and primary is not None:
            return budget_for_target(
                scenario,
                objective,
                goal=GoalMetric(primary.metric),
                goal_target=primary.target,
                limits=spend_limits,
                locked=locked,
            )
        return budget_for_target(
            scenario, objective, target_roi=target_roi, limits=spend_limits, locked=locked
        )
    except (ScenarioError, ValueError) as error:
        return error


def _budget_sentence(scenario: Scenario, found: BudgetForTarget | Exception) -> None:
    cur = scenario.currency
    if not isinstance(found, BudgetForTarget):
        st.warning(t("mix.none", reason=_reason(found, scenario)))
    elif found.budget is None:
        st.info(t("mix.reverse_unreachable", cap=fmt.money(found.cap, cur)))
    else:
        st.success(
            t(
                "mix.reverse_found",
                budget=fmt.money(found.budget, cur),
                today=fmt.money(scenario.investment.ad_budget, cur),
            )
        )
