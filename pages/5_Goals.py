"""Goals: the campaign's primary and secondary goals, what closes each gap, the measurement plan."""

import streamlit as st

from pages._ui import goals_view, plan_view, state
from pages._ui.cockpit import evaluated
from pages._ui.i18n import error_message, t
from pages._ui.sidebar import start_page

st.set_page_config(page_title="ROI Explorer", page_icon=":material/flag:", layout="wide")


def main() -> None:
    start_page("goals.title", "goals.intro")
    goals()
    goals_view.across_scenarios()
    plan_view.measurement_plan()


@st.fragment
def goals() -> None:
    """The goals and their editor: an edit reruns this panel only."""
    scenario, error = state.current_scenario()
    if error is not None:
        st.warning(
            t("cockpit.invalid", reason=error_message(error, scenario.channel_names)),
            icon=":material/warning:",
        )
    ev = evaluated(scenario)
    goals_view.at_a_glance(ev)
    goals_view.goal_cards(scenario, ev)
    goals_view.editor()


main()
