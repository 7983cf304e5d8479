"""What happened: past campaigns imported from real exports, their figures, and calibration."""

import streamlit as st

from pages._ui import history_view, state
from pages._ui.i18n import t
from pages._ui.sidebar import start_page

st.set_page_config(page_title="ROI Explorer", page_icon=":material/history:", layout="wide")


def main() -> None:
    start_page("history.title", "history.intro")
    source = history_view.source_picker()
    if source is None:
        st.info(t("history.start"), icon=":material/upload_file:")
        return
    result = history_view.imported(source)
    if result is None:
        return
    scenario, _ = state.current_scenario()
    history_view.report(result)
    history_view.figures(result, scenario)
    history_view.calibration(result, scenario)


main()
