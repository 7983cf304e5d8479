"""The report buttons: the client's report as a web page (HTML), a PDF or an Excel workbook,
each made only when its button is clicked (the cockpit's sliders never pay for it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import streamlit as st

from pages._ui.app import state, storage
from pages._ui.i18n import N_, t, words
from roi_model import Scenario
from roi_model.report import MEDIA_TYPES, ReportFormat, rendered
from roi_model.report.build import scenario_report
from roi_model.report.comparison import comparison_report
from roi_model.report.document import Document
from roi_model.store.errors import StoreError

#: Each button's label and help, by format; the HTML one says what the report is.
_BUTTONS: dict[ReportFormat, tuple[str, str, str]] = {
    "html": (N_("report.button"), N_("report.help"), ":material/description:"),
    "pdf": (N_("report.pdf"), N_("report.help_pdf"), ":material/picture_as_pdf:"),
    "xlsx": (N_("report.xlsx"), N_("report.help_xlsx"), ":material/table_view:"),
}


def scenario_buttons(name: str, scenario: Callable[[], Scenario]) -> None:
    """The report of the scenario on the screen when a button is clicked, in the session's
    language and locale."""
    reader, client, preset = words(), client_name(), state.preset_scenario()

    def make() -> Document:
        return scenario_report(scenario(), reader, made_on=_now(), client=client, preset=preset)

    _buttons(make, name, "scenario_report")


def comparison_buttons(
    scenarios: tuple[Scenario, ...], labels: tuple[str, ...], base: Callable[[], int]
) -> None:
    """The report of the comparison on the page, against its base when a button is clicked."""
    reader, client = words(), client_name()

    def make() -> Document:
        return comparison_report(
            scenarios, labels, reader, made_on=_now(), base=base(), client=client
        )

    _buttons(make, t("report.compare_button"), "comparison_report")


def _buttons(make: Callable[[], Document], name: str, key: str) -> None:
    file = t("report.file")
    # a row of three buttons, not three columns: fewer elements for a rerun to redraw
    with st.container(horizontal=True, key=f"{key}_buttons"):
        for form, (label, help_key, icon) in _BUTTONS.items():
            st.download_button(
                t(label),
                data=deferred_file(make, form),
                file_name=f"{name} - {file}.{form}",
                mime=MEDIA_TYPES[form],
                icon=icon,
                help=t(help_key),
                key=f"{key}_{form}",
                on_click="ignore",
                type="primary" if form == "html" else "secondary",
            )


def deferred_file(make: Callable[[], Document], form: ReportFormat) -> Callable[[], bytes]:
    """The file, made when the button is clicked; a failure becomes a short text file that
    says why, rather than a broken download (the page itself cannot speak from here)."""
    failed = t("report.failed", reason="{reason}")

    def made() -> bytes:
        try:
            return rendered(make(), form)
        except Exception as error:  # a report must never take the page down
            return failed.format(reason=error).encode("utf-8")

    return made


def client_name() -> str:
    """The client of the stored scenario the draft was opened from, or nothing."""
    saved = st.session_state.get(state.SAVED)
    store = storage.store()
    if saved is None or store is None:
        return ""
    try:
        return store.client(saved.client_id).name
    except StoreError:  # a client deleted meanwhile: the report simply names none
        return ""


def _now() -> datetime:
    return datetime.now().astimezone()
