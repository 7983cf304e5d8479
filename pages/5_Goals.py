"""Goals: the campaign's primary and secondary goals, what closes each gap, the measurement plan."""

import streamlit as st

from pages._ui.app.model import evaluated
from pages._ui.i18n import N_
from pages._ui.views import cockpit, plan
from pages._ui.views import goals as goals_view
from pages._ui.widgets.sidebar import start_page

st.set_page_config(page_title="ROI Explorer", page_icon=":material/flag:", layout="wide")


def main() -> None:
    start_page(N_("goals.title"), N_("goals.intro"))
    goals()
    goals_view.across_scenarios()
    plan.measurement_plan()


@st.fragment
def goals() -> None:
    """The goals and their editor: an edit reruns this panel only."""
    scenario = cockpit.scenario_or_warning()
    ev = evaluated(scenario)
    goals_view.at_a_glance(ev)
    goals_view.goal_cards(scenario, ev)
    goals_view.editor()


main()
