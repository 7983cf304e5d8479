"""What happened: past campaigns imported from real exports, their figures, and calibration."""

import streamlit as st

from pages._ui.app import state, storage
from pages._ui.i18n import N_, t
from pages._ui.views import history as history_view
from pages._ui.views import history_kept
from pages._ui.widgets.sidebar import start_page
from roi_model import Scenario
from roi_model.files.imports import ImportResult
from roi_model.store import Client, ScenarioStore

st.set_page_config(page_title="ROI Explorer", page_icon=":material/history:", layout="wide")


def main() -> None:
    start_page(N_("history.title"), N_("history.intro"))
    store = storage.store()
    if store is None:
        history_kept.unavailable()
    client = history_kept.client_choice(store) if store is not None else None
    kept = st.container()  # drawn last, so that it lists a file kept by this very run
    history(store, client)
    if store is not None and client is not None:
        with kept:
            history_kept.kept_list(store, client)


def history(store: ScenarioStore | None, client: Client | None) -> None:
    """The file being looked at: how it was read, what it shows, what it suggests."""
    source = history_view.source_picker()
    if source is None:
        st.info(t("history.start"), icon=":material/upload_file:")
        return
    result = history_view.imported(source)
    if result is None:
        return
    if store is not None:
        history_kept.keep(store, client, result)
    scenario, _ = state.current_scenario()
    history_view.report(result)
    what_happened(result, scenario, store)
    history_view.calibration(result, scenario)


@st.fragment
def what_happened(result: ImportResult, scenario: Scenario, store: ScenarioStore | None) -> None:
    """Filters, grouping and staff hours rerun this panel only, not the whole page."""
    history_view.figures(result, scenario)
    if store is not None:
        history_kept.keep_hours(store)


main()
