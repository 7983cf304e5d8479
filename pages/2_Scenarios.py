"""Scenarios: clients and their saved scenarios; open, rename, duplicate, delete, import, export."""

import streamlit as st

from pages._ui.app import storage
from pages._ui.i18n import N_
from pages._ui.views import scenarios
from pages._ui.widgets.sidebar import start_page

st.set_page_config(page_title="ROI Explorer", page_icon=":material/folder_open:", layout="wide")


def main() -> None:
    start_page(N_("scenarios.title"), N_("scenarios.intro"))
    store = storage.store()
    if store is None:
        scenarios.unavailable()
        return
    client = scenarios.client_panel(store)
    if client is not None:
        scenarios.members_panel(store, client)
        scenarios.scenario_panel(store, client)
        scenarios.import_panel(store, client)


main()
