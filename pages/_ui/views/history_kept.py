"""Histories kept per client: pick the client, reopen or delete what was kept, and keep each
uploaded export (with the corrections made to its reading) so that it is there next time.

The store does the keeping (:meth:`roi_model.store.ScenarioStore.keep_history`); this module
asks and draws. An uploaded file is kept as soon as it imports, in the client picked then, and
kept again whenever its corrections change; the sample history is never kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from pages._ui import fmt
from pages._ui.app import history_source, notices, state, storage
from pages._ui.app.history_source import Corrections
from pages._ui.i18n import t
from roi_model.files.imports import ImportResult
from roi_model.store import Client, HistorySummary, ScenarioStore, StoreError

CLIENT = "history_client"  # the selectbox
_CLIENT_ID = "history_client_id"  # the client picked, kept across page switches
_KEPT = "history_kept"  # ((source version, corrections) as kept, its summary)
_UNDO = "history_undo"  # (id, name) of the last history deleted
_KEPT_HOURS = "history_kept_hours"  # (id, staff hours by month) as last kept
NOTICES = "history_keeping_notices"
T = TypeVar("T")


def unavailable() -> None:
    """The store cannot be opened: files are read as usual, but none is kept."""
    problem = storage.problem()
    if problem is not None:
        said = storage.problem_message(problem) + " " + t("kept.unavailable")
        st.warning(said, icon=":material/database:")


def client_choice(store: ScenarioStore) -> Client | None:
    """The client whose histories are shown and where new ones are kept (None: no client)."""
    try:
        clients = {c.id: c for c in store.clients()}
    except StoreError as error:
        st.error(storage.problem_message(error), icon=":material/database:")
        return None
    if not clients:
        _first_client_form(store)
        return None
    ref = state.saved_ref()
    if st.session_state.get(_CLIENT_ID) not in clients:
        start = ref.client_id if ref is not None and ref.client_id in clients else None
        st.session_state[_CLIENT_ID] = start if start is not None else next(iter(clients))
    chosen = st.selectbox(
        t("kept.client"),
        list(clients),
        format_func=lambda c: clients[c].name,
        help=t("kept.client_help"),
        **state.bind(CLIENT, lambda: st.session_state[_CLIENT_ID], _pick_client),
    )
    return clients[int(chosen)]


def _pick_client(client_id: int) -> None:
    st.session_state[_CLIENT_ID] = client_id


def _first_client_form(store: ScenarioStore) -> None:
    """Without a client nothing can be kept: say so, and offer to create one here."""
    st.info(t("kept.no_client"), icon=":material/inventory_2:")
    with st.form("history_new_client", border=False, clear_on_submit=True):
        name = st.text_input(t("kept.client_name"), key="history_new_client_name")
        if st.form_submit_button(t("scenarios.create"), icon=":material/add:"):
            created = _attempt(lambda: store.create_client(name))
            if isinstance(created, Client):
                st.session_state[_CLIENT_ID] = created.id
            st.rerun()


def kept_list(store: ScenarioStore, client: Client) -> None:
    """The client's kept histories, newest first, each to reopen or delete (with undo)."""
    notices.show(NOTICES)
    _undo_notice(store)
    try:
        kept = store.histories(client.id)
    except StoreError as error:
        st.error(storage.problem_message(error), icon=":material/database:")
        return
    opened = _opened_id()
    label = t("kept.title", client=client.name, count=fmt.number(len(kept)))
    with st.expander(label, icon=":material/inventory_2:", expanded=opened is None and bool(kept)):
        if not kept:
            st.caption(t("kept.none", client=client.name))
        for summary in kept:
            _kept_row(store, summary, summary.id == opened)


def _kept_row(store: ScenarioStore, summary: HistorySummary, is_open: bool) -> None:
    text, open_button, delete_button = st.columns([6, 1, 1], vertical_alignment="center")
    open_now = " · " + t("kept.open_now") if is_open else ""
    text.markdown(f"**{summary.name}**{open_now}")
    text.caption(_described(summary))
    if open_button.button(
        t("kept.open"),
        icon=":material/folder_open:",
        key=f"history_open_{summary.id}",
        disabled=is_open,
    ):
        _open(store, summary)
        st.rerun()
    if delete_button.button(
        t("scenarios.delete"), icon=":material/delete:", key=f"history_delete_{summary.id}"
    ):
        if not isinstance(_attempt(lambda: store.delete_history(summary.id)), StoreError):
            st.session_state[_UNDO] = (summary.id, summary.name)
            if is_open:  # deleted while on the page: it must not be kept again by a correction
                history_source.close_source()
        st.rerun()


def _described(summary: HistorySummary) -> str:
    dates = (
        f"{summary.first_date} → {summary.last_date}"
        if summary.first_date and summary.last_date
        else fmt.UNDEFINED
    )
    return t(
        "kept.described",
        rows=fmt.number(summary.rows),
        dates=dates,
        size=fmt.number(summary.size / 1e6, decimals=1),
        when=fmt.datetime_text(summary.updated_at),
    )


def _open(store: ScenarioStore, summary: HistorySummary) -> None:
    """Read a kept history back, with the corrections it was kept with."""
    stored = _attempt(lambda: store.load_history(summary.id))
    if isinstance(stored, StoreError):
        return
    version = history_source.open_source(
        stored.summary.name,
        stored.data,
        mapping=stored.mapping,
        channel=stored.channel,
        date_order=stored.date_order,
        hours=stored.hours,
    )
    st.session_state[_KEPT] = ((version, history_source.corrections()), stored.summary)
    st.session_state[_KEPT_HOURS] = (stored.summary.id, stored.hours)


def keep(store: ScenarioStore, client: Client | None, result: ImportResult) -> None:
    """Keep the uploaded file being looked at, unless it is kept as it is already; say where."""
    if history_source.source_is_sample():
        st.caption(t("kept.sample_not_kept"))
        return
    name, data = st.session_state[history_source.SOURCE]
    settled = history_source.corrections()
    wanted = (history_source.source_version(), settled)
    kept: tuple[tuple[int, Corrections], HistorySummary] | None = st.session_state.get(_KEPT)
    if kept is not None and kept[0] == wanted:
        _say_kept(kept[1])
        return
    target = _keeping_client(kept, wanted[0], client)
    if target is None:
        st.caption(t("kept.not_kept"))
        return
    try:
        summary = store.keep_history(
            target,
            name,
            data,
            channel=settled.channel,
            mapping=dict(settled.mapping),
            date_order=settled.date_order,
            rows=len(result.rows),
            dates=result.date_range(),
        )
    except StoreError as error:
        st.warning(storage.problem_message(error), icon=":material/database:")
        return
    st.session_state[_KEPT] = (wanted, summary)
    _say_kept(summary)


def _keeping_client(
    kept: tuple[tuple[int, Corrections], HistorySummary] | None, version: int, picked: Client | None
) -> int | None:
    """Where the file goes: the client it is kept with already (a correction updates it
    there), else the client picked, else nowhere."""
    if kept is not None and kept[0][0] == version:
        return kept[1].client_id
    return None if picked is None else picked.id


def _say_kept(summary: HistorySummary) -> None:
    st.caption(t("kept.kept_in", name=summary.name, when=fmt.datetime_text(summary.updated_at)))


def keep_hours(store: ScenarioStore) -> None:
    """The staff hours entered for the kept file on the page, kept with it when they change."""
    history_id = _opened_id()
    hours = history_source.entered_hours()
    if history_id is None or not hours or st.session_state.get(_KEPT_HOURS) == (history_id, hours):
        return
    if not isinstance(_attempt(lambda: store.keep_history_hours(history_id, hours)), StoreError):
        st.session_state[_KEPT_HOURS] = (history_id, hours)


def _opened_id() -> int | None:
    """The kept history being looked at, if the file on the page is one."""
    kept = st.session_state.get(_KEPT)
    if kept is None or kept[0][0] != history_source.source_version():
        return None
    return int(kept[1].id)


def _undo_notice(store: ScenarioStore) -> None:
    undo = st.session_state.get(_UNDO)
    if undo is None:
        return
    history_id, name = undo
    text, button = st.columns([4, 1], vertical_alignment="center")
    text.info(t("kept.deleted", name=name), icon=":material/delete:")
    if button.button(t("scenarios.undo"), icon=":material/undo:", key="history_undo_button"):
        _attempt(lambda: store.restore_history(history_id))
        st.rerun()


def _attempt(action: Callable[[], T]) -> T | StoreError:
    """Run a store action (a refusal becomes a notice, and is returned); the undo ends."""
    st.session_state.pop(_UNDO, None)
    return storage.attempt(action, NOTICES)
