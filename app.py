"""ROI Explorer — the what-if cockpit: move the inputs, watch the return and the ROI change."""

import streamlit as st

from pages._ui.app import state
from pages._ui.app.model import evaluated, projected, simulated
from pages._ui.app.send_now import send_now
from pages._ui.i18n import N_, t
from pages._ui.views import cockpit
from pages._ui.widgets import payback, ranges, report, saving, sources
from pages._ui.widgets.headings import section_heading
from pages._ui.widgets.lazy_expander import lazy_expander
from pages._ui.widgets.sidebar import start_page
from roi_model import Evaluation

st.set_page_config(page_title="ROI Explorer", page_icon=":material/tune:", layout="wide")

#: The channels as the last full draw of the figures saw them: an edit of the channel tables
#: (their own panel) makes them differ, and the whole page reruns.
CHANNELS_SEEN = "channels_seen"


def main() -> None:
    start_page(N_("cockpit.title"), N_("cockpit.intro"))
    saving.scenario_actions()
    downloads()
    what_if()
    channel_inputs()


def downloads() -> None:
    """The scenario file and the client's report, each made when clicked from the scenario then
    on the screen: outside the panel a slider reruns, which need not redraw them."""
    drawn = state.current_scenario()[0]
    with st.container(horizontal=True, key="downloads"):
        cockpit.download_button(drawn.name, cockpit.shown(drawn))
        report.scenario_buttons(drawn.name, cockpit.shown(drawn))


@st.fragment
def what_if() -> None:
    """Inputs and results: a slider move reruns this panel only, not the sidebar."""
    scenario = cockpit.scenario_or_warning()
    ev = evaluated(scenario)
    # 10,000 draws only where there are ranges: without, a slider move would pay ~4 ms for none.
    simulation = simulated(scenario) if scenario.uncertainty else None
    cockpit.show(scenario)
    cockpit.headline(ev, simulation)
    send_now()  # the figures a press changes reach the browser before the rest is computed
    # under the figures, not above: a press's answer waits in the browser behind every
    # message that comes before it
    saving.scenario_status()
    payback.months_line(projected(scenario))
    origins = sources.origin_texts(scenario)
    inputs, results = st.columns([2, 3], gap="large")
    with inputs:
        cockpit.investment_inputs(scenario, origins)
        cockpit.value_inputs(scenario, origins)
        cockpit.lens_inputs()
    with results:
        charts_and_goals(ev)
    label = t("sure.title")
    with lazy_expander(label, "uncertainty_panel", ":material/ssid_chart:") as is_open:
        if is_open:
            cockpit.uncertainty_panel(scenario, simulation)
    channel_table(ev)
    if st.toggle(t("cockpit.sources"), key="show_sources"):  # drawn only when asked for
        st.dataframe(sources.sources_table(scenario), hide_index=True, width="stretch")
    st.session_state[CHANNELS_SEEN] = state.draft()["channels"]


# The two panels below hold no control: they rerun with the what-if panel, drawn by it. Each is
# a panel of its own only so that the browser does not mark their elements out of date when
# a press reruns the what-if panel (it marks the running panel's own elements, and draws each
# of them again to do so, before the headline of the press comes): a budget press on the
# cockpit with ranges about a tenth sooner, side by side.


@st.fragment
def charts_and_goals(ev: Evaluation) -> None:
    """The waterfall, the goals (a panel of their own, for their editor) and the funnel."""
    cockpit.waterfall(ev)
    cockpit.goals_panel()
    cockpit.funnel(ev)


@st.fragment
def channel_table(ev: Evaluation) -> None:
    """Each channel's money, counts and ratios."""
    section_heading(N_("cockpit.channel_table"))
    cockpit.channel_results(ev)


@st.fragment
def channel_inputs() -> None:
    """The channel mix and assumptions: their own panel, since a slider above changes none of
    what they show (the weights and rates), so a slider move does not redraw these tables.
    An edit here changes every figure above: the whole page then reruns."""
    if state.draft()["channels"] != st.session_state.get(CHANNELS_SEEN):
        st.rerun()
    scenario = state.current_scenario()[0]
    section_heading(N_("cockpit.channels"))
    st.caption(t("cockpit.channels_caption"))
    cockpit.channel_picker()
    ev = evaluated(scenario)
    cockpit.mix_table(sources.MIX_COLUMNS, ev)
    with lazy_expander(t("cockpit.edit_mix"), "mix_panel", ":material/edit:") as is_open:
        if is_open:
            cockpit.channel_editor("mix_editor", sources.MIX_COLUMNS, ev)
    label = t("cockpit.channel_assumptions")
    with lazy_expander(label, "assumptions_panel", ":material/tune:") as is_open:
        if is_open:
            cockpit.channel_editor("assumptions_editor", sources.ASSUMPTION_COLUMNS)
            if st.toggle(t("sure.channel_ranges"), key="channel_ranges"):
                ranges.channel_ranges_editor(scenario, sources.ASSUMPTION_COLUMNS)


main()
