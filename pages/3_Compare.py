"""Compare: two to six scenarios side by side, measured against a base."""

import streamlit as st

from pages._ui import compare_view, storage
from pages._ui.i18n import N_, t
from pages._ui.sidebar import start_page

st.set_page_config(page_title="ROI Explorer", page_icon=":material/compare:", layout="wide")


def main() -> None:
    start_page(N_("compare.title"), N_("compare.intro"))
    store = storage.store()
    options = compare_view.choices(store)
    keys = compare_view.pick(options)
    picked = compare_view.load(store, keys, options)
    if len(picked.keys) < 2:
        st.info(t("compare.pick_more"), icon=":material/compare:")
        return
    compare_view.differences(picked)
    compare_view.comparison_charts(picked)
    compare_view.edit_buttons(picked)


main()
