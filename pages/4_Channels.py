"""Channels: every network on one footing, its response curve, its fit, and the best mix."""

import streamlit as st

from pages._ui.app.model import evaluated
from pages._ui.i18n import N_
from pages._ui.views import channels as channels_view
from pages._ui.views import cockpit, optimizer
from pages._ui.widgets import sources
from pages._ui.widgets.sidebar import start_page

st.set_page_config(page_title="ROI Explorer", page_icon=":material/hub:", layout="wide")


def main() -> None:
    start_page(N_("channels.title"), N_("channels.intro"))
    channels()


@st.fragment
def channels() -> None:
    """A slider move reruns this panel only; the optimiser runs again on every move. Its
    answer, the best mix, comes first: the page's question is which mix brings the most."""
    scenario = cockpit.scenario_or_warning()
    objective = channels_view.chosen_objective()
    optimum = optimizer.best_mix_answer(scenario, objective)
    ev = evaluated(scenario)
    inputs, charts = st.columns([2, 3], gap="large")
    with inputs:
        cockpit.investment_inputs(scenario, sources.origin_texts(scenario))
        channels_view.objective_choice()
    with charts:
        channels_view.roi_and_share_charts(ev, objective)
    channels_view.fit_warnings(ev)
    view = channels_view.view_choice()
    if view == "table":
        channels_view.comparison_table(ev)
    elif view == "curves":
        channels_view.curves(scenario, objective)
    else:
        funnel, hours = st.columns(2, gap="large")
        with funnel:
            cockpit.funnel(ev)
        with hours:
            channels_view.hours_chart(ev, objective)
    optimizer.best_mix(scenario, optimum)
    optimizer.budget_for(scenario, objective)


main()
