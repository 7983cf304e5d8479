"""Months ahead: when the scenario pays back, and what it is worth over the months to come."""

import streamlit as st

from pages._ui.app import state
from pages._ui.app.model import months_tornado, projected, simulated_months
from pages._ui.app.send_now import send_now
from pages._ui.i18n import N_, t
from pages._ui.views import cockpit
from pages._ui.views import months as months_view
from pages._ui.widgets.headings import section_heading
from pages._ui.widgets.lazy_expander import lazy_expander
from pages._ui.widgets.sidebar import start_page

st.set_page_config(page_title="ROI Explorer", page_icon=":material/calendar_month:", layout="wide")


def main() -> None:
    start_page(N_("months.title"), N_("months.intro"))
    months_ahead()
    # Outside the panel: a slider press does not redraw the table (nothing in it changes);
    # an edit of the schedule reruns the whole page, figures included.
    months_view.schedule_editor()


@st.fragment
def months_ahead() -> None:
    """The figures, the charts and the settings: a setting moved reruns this panel only, not
    the sidebar."""
    scenario = cockpit.scenario_or_warning()
    projection = projected(scenario)
    months_view.headline(projection, scenario)
    send_now()
    if any(item.low < item.high for item in scenario.uncertainty):
        months_view.how_sure(simulated_months(scenario))
        # Two projections a range: worked out only while the reader has it open.
        label = t("months.sure.tornado")
        with lazy_expander(label, "months_tornado_panel", ":material/tune:") as is_open:
            if is_open:
                months_view.what_decides(scenario, months_tornado(scenario))
    left, right = st.columns(2, gap="large")
    with left:
        st.markdown("**" + t("months.chart_cumulative") + "**")
        months_view.cumulative_chart(projection, scenario)
    with right:
        st.markdown("**" + t("months.chart_lenses") + "**")
        months_view.lens_chart(projection, scenario)
    months_view.audience(projection)
    section_heading(N_("months.settings"))
    months_view.settings(state.current_scenario()[0])


main()
