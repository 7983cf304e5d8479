"""Meeting mode: the scenario on a shared screen, four controls, the figures in large type."""

import streamlit as st

from pages._ui.app import session_start
from pages._ui.app.model import evaluated, projected, simulated
from pages._ui.app.send_now import send_now
from pages._ui.views import cockpit, meeting
from pages._ui.widgets import payback
from roi_model import Evaluation, Scenario

st.set_page_config(
    page_title="ROI Explorer",
    page_icon=":material/co_present:",
    layout="wide",
    initial_sidebar_state="collapsed",
)


def main() -> None:
    session_start.start_session()
    meeting.hide_sidebar()
    meeting.title_bar(cockpit.scenario_or_warning())
    session_start.show_notice()
    live()


@st.fragment
def live() -> None:
    """Controls, figures and chart: a slider move reruns this panel only."""
    scenario = cockpit.scenario_or_warning()
    shown = meeting.meeting_scenario(scenario)
    ev = evaluated(shown)
    # the figures first: on a slider move they are what the room looks at, and they are sent
    # (and drawn) before the controls and the chart
    meeting.figures(ev, simulated(shown) if shown.uncertainty else None)
    send_now()
    meeting.controls(scenario)
    below_the_controls(shown, ev)


@st.fragment
def below_the_controls(shown: Scenario, ev: Evaluation) -> None:
    """The months ahead's line and the chart. No control: they rerun with the panel above.
    A panel of their own only so that the browser does not mark them out of date, and draw
    them again to do so, before a press's figures come."""
    payback.months_line(projected(shown))
    meeting.chart(ev)


main()
