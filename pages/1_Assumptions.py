"""Assumptions: where every figure comes from, and the break-even of each input."""

import streamlit as st

from pages._ui.app import state
from pages._ui.i18n import N_
from pages._ui.views import assumptions
from pages._ui.widgets.sidebar import start_page

st.set_page_config(page_title="ROI Explorer", page_icon=":material/menu_book:", layout="wide")


def main() -> None:
    start_page(N_("assumptions.title"), N_("assumptions.intro"))
    scenario, _ = state.current_scenario()
    assumptions.break_even_panel(scenario)
    assumptions.sources_panel(scenario)
    assumptions.benchmarks_panel()


main()
