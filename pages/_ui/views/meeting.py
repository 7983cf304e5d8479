"""Meeting mode: the scenario on a shared screen, for a client to follow from across the room.

No sidebar and no editing clutter: the client's and the scenario's name; four controls (ad
budget, staff hours, order value, and the channel mix as one choice); the headline figures
and the goals in large type, drawn as one element; the waterfall. "Keep this one" stores what
is on the screen as a scenario of the client, named with the time; leaving returns to the
cockpit with the same scenario.
"""

from __future__ import annotations

import html
from datetime import datetime

import streamlit as st

from pages._ui import fmt
from pages._ui.app import state, storage
from pages._ui.i18n import key_for, t
from pages._ui.widgets.goals import goal_amount
from pages._ui.widgets.report import client_name
from pages._ui.widgets.waterfall import waterfall_chart
from roi_model import Evaluation, Scenario
from roi_model.model.meeting import BEST, TODAY, WITHOUT, mix_choices, with_mix
from roi_model.model.uncertainty import Simulation, band
from roi_model.store import ScenarioStore, StoreError

MIX = "meeting_mix"
KEEP_SHORTCUT = "K"
#: The class of the element holding the large figures and the goals line (tests watch it).
FIGURES = "meeting-large-figures"

# Larger than anything else in the app: read from the back of a meeting room.
_STYLE = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stSidebarNav"], header[data-testid="stHeader"] { display: none !important; }
.meeting-figures { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 1rem; }
.meeting-figures > div { border-radius: 0.6rem; padding: 0.6rem 1rem; background: #f3f5f8; }
.meeting-figures .label { font-size: clamp(1rem, 1.3vw, 1.5rem); opacity: 0.8; }
.meeting-figures .value { font-size: clamp(2.2rem, 4.2vw, 4.6rem); font-weight: 700;
  line-height: 1.1; white-space: nowrap; }
.meeting-figures .detail { font-size: clamp(0.95rem, 1.2vw, 1.35rem); opacity: 0.8; }
.meeting-goals { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; margin-top: 0.8rem;
  font-size: clamp(1.1rem, 1.5vw, 1.7rem); }
.meeting-goals .met { color: #1a7f37; } .meeting-goals .missed { color: #cf222e; }
[data-testid="stMainBlockContainer"] { padding-top: 1.5rem; }
[data-testid="stHeaderActionElements"] { display: none; }
[data-testid="stSlider"] label p, [data-testid="stSelectbox"] label p { font-size: 1.2rem; }
[data-testid="stSliderThumbValue"] { font-size: 1.1rem; }
[data-testid="stSelectbox"] div[data-baseweb="select"] { font-size: 1.15rem; }
</style>"""


def hide_sidebar() -> None:
    """The page's styles: the sidebar and the header go, the figures grow."""
    st.html(_STYLE)


def title_bar(scenario: Scenario) -> None:
    """The client's and the scenario's name, "Keep this one" and the way back."""
    client = client_name()
    title = f"{client} · {scenario.name}" if client else scenario.name
    # one row, not columns: a column is two elements more for every press to redraw
    with st.container(horizontal=True, vertical_alignment="center", key="meeting_bar"):
        st.title(title, anchor="meeting-scenario", width="stretch")
        if st.button(
            t("meeting.keep"),
            key="meeting_keep",
            icon=":material/bookmark_add:",
            type="primary",
            shortcut=KEEP_SHORTCUT,
            help=t("meeting.keep_help"),
        ):
            keep(meeting_scenario(state.current_scenario()[0]))
        if st.button(t("meeting.leave"), key="meeting_leave", icon=":material/logout:"):
            leave(state.current_scenario()[0])


def controls(scenario: Scenario) -> None:
    """The four controls that move a meeting, bound to the draft the cockpit edits."""
    ranges = st.session_state[state.SLIDER_MAX]
    money = fmt.money_template(scenario.currency)
    # one row of four, not four columns: four fewer elements for a press to redraw
    with st.container(horizontal=True, gap="medium", key="meeting_controls"):
        _investment_slider("ad_budget", ranges["ad_budget"], money)
        _investment_slider("staff_hours", ranges["staff_hours"], "%.0f h")
        top = float(ranges.get("order_value", state.slider_ranges(scenario)["order_value"]))
        st.slider(
            t("value.order_value"),
            min_value=0.0,
            max_value=max(top, float(scenario.values.order_value)),
            step=float(max(top / 500, 0.5)),
            format=money,
            **state.bind_draft("meeting_order_value", ("values", "order_value")),
        )
        _mix_control(scenario)


def _investment_slider(name: str, top: float, form: str) -> None:
    """The cockpit's slider of an investment input, under the cockpit's label."""
    st.slider(
        t(key_for("input.{}", name)),
        min_value=0.0,
        max_value=float(top),
        step=float(max(top / 500, 1.0)),
        format=form,
        **state.bind_draft(f"meeting_{name}", ("investment", name)),
    )


def _mix_control(scenario: Scenario) -> None:
    choices = mix_choices(scenario)
    if st.session_state.get(MIX) not in choices:
        st.session_state[MIX] = TODAY
    # a list, not buttons side by side: six or more choices would not fit a column
    st.selectbox(t("meeting.mix"), choices, format_func=mix_label, key=MIX)


def mix_label(choice: str) -> str:
    """``Today's mix`` / ``Best mix`` / ``Without TikTok``."""
    if choice == TODAY:
        return t("meeting.mix_today")
    if choice == BEST:
        return t("meeting.mix_best")
    return t("meeting.mix_without", channel=choice.removeprefix(WITHOUT))


def meeting_scenario(scenario: Scenario) -> Scenario:
    """The draft's scenario with the mix chosen on the page."""
    return with_mix(scenario, str(st.session_state.get(MIX, TODAY)))


def figures(ev: Evaluation, simulation: Simulation | None) -> None:
    """Return, both ROIs with their P10 to P90, ROAS, and the goals met or not: one element,
    so that a slider move redraws one thing."""
    cur = ev.scenario.currency
    boxes = [
        (
            t("kpi.return"),
            fmt.money(ev.returns.full, cur),
            t("kpi.net", amount=fmt.money(ev.full_net, cur)),
        ),
        (t("kpi.financial_roi"), fmt.percent(ev.financial_roi), _band(simulation, "financial_roi")),
        (t("kpi.full_roi"), fmt.percent(ev.full_roi), _band(simulation, "full_roi")),
        (
            t("kpi.roas"),
            fmt.ratio(ev.roas),
            t("meeting.investment", amount=fmt.money(ev.investment.total, cur)),
        ),
    ]
    cells = "".join(
        f'<div><div class="label">{html.escape(label)}</div>'
        f'<div class="value">{html.escape(value)}</div>'
        f'<div class="detail">{html.escape(detail)}</div></div>'
        for label, value, detail in boxes
    )
    shown = f'<div class="meeting-figures">{cells}</div>{_goals_line(ev)}'
    # no container around it: a press's first drawing in the browser waits for fewer messages
    st.html(f'<div class="{FIGURES}">{shown}</div>')


def _band(simulation: Simulation | None, quantity: str) -> str:
    if simulation is None:
        return t("meeting.no_ranges")
    spread = band(simulation, quantity)
    return t("meeting.band", low=fmt.percent(spread.p10), high=fmt.percent(spread.p90))


def _goals_line(ev: Evaluation) -> str:
    """Each goal, met (✓) or not (✗), with its value against its target."""
    currency, items = ev.scenario.currency, []
    # the goals and their values, not the goal table: a press needs no DataFrame for a line
    for goal, value in zip(ev.scenario.goals, ev.goal_values, strict=True):
        metric = goal.metric.value
        text = t(
            "meeting.goal",
            tier=t(key_for("tier.{}", goal.tier.value)),
            metric=t(key_for("metric.{}", metric)),
            value=goal_amount(metric, value, currency),
            target=goal_amount(metric, goal.target, currency),
        )
        mark, style = ("✓", "met") if goal.is_met(value) else ("✗", "missed")
        items.append(f'<span class="{style}">{mark} {html.escape(text)}</span>')
    return f'<div class="meeting-goals">{"".join(items)}</div>' if items else ""


def chart(ev: Evaluation) -> None:
    waterfall_chart(ev, "meeting_waterfall", 320, font_size=15, title=t("cockpit.waterfall"))


def keep(scenario: Scenario) -> None:
    """Store what is on the screen as a new scenario of the client, named with the time."""
    store = storage.store()
    if store is None:
        st.toast(t("meeting.keep_no_store"), icon=":material/error:")
        return
    stamp = fmt.datetime_text(datetime.now().astimezone())
    try:
        client_id = _client_id(store)
        name = _free_name(store, client_id, f"{scenario.name} · {stamp}")
        store.save_new(client_id, scenario, name)
    except StoreError as error:
        st.toast(storage.problem_message(error), icon=":material/error:")
        return
    st.toast(t("meeting.kept", name=name), icon=":material/bookmark_added:")


def _client_id(store: ScenarioStore) -> int:
    """The client of the scenario on the screen; else the meetings' own client."""
    saved = state.saved_ref()
    if saved is not None:
        return saved.client_id
    wanted = t("meeting.client")
    found = next((c for c in store.clients() if c.name == wanted), None)
    return found.id if found is not None else store.create_client(wanted).id


def _free_name(store: ScenarioStore, client_id: int, name: str) -> str:
    """``name``, or ``name (2)``… when two are kept within the same second."""
    taken = {s.name for s in store.scenarios(client_id)}
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name} ({number})"
    return candidate


def leave(scenario: Scenario) -> None:
    """Back to the cockpit with the scenario as it is on the screen (the mix included)."""
    shown = meeting_scenario(scenario)
    if shown is not scenario:
        shares = {c.name: (c.budget_share, c.hours_share) for c in shown.channels}

        def apply(draft: dict[str, object]) -> None:
            for channel in draft["channels"]:  # type: ignore[attr-defined]
                budget, hours = shares[channel["name"]]
                channel.update(budget_share=budget, hours_share=hours)

        state.update_draft(apply)
        state.bump_editors()  # the cockpit's mix table shows the new weights
        st.session_state[MIX] = TODAY
    st.switch_page("app.py")
