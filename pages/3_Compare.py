"""Compare: two to six scenarios side by side, measured against a base."""

import streamlit as st

from pages._ui.app import storage
from pages._ui.i18n import N_, t
from pages._ui.views import compare
from pages._ui.widgets import scenario_picker
from pages._ui.widgets.sidebar import start_page

st.set_page_config(page_title="ROI Explorer", page_icon=":material/compare:", layout="wide")


def main() -> None:
    start_page(N_("compare.title"), N_("compare.intro"))
    store = storage.store()
    options = scenario_picker.choices(store)
    keys = scenario_picker.pick(options)
    picked = scenario_picker.load(store, keys, options)
    if len(picked.keys) < 2:
        st.info(t("compare.pick_more"), icon=":material/compare:")
        return
    compare.differences(picked)
    compare.report_buttons(picked)
    compare.comparison_charts(picked)
    compare.edit_buttons(picked)


main()
