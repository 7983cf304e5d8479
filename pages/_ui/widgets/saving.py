"""Saving the scenario being edited: the bar above the cockpit and the actions behind it.

Every save goes through the store's optimistic check: if another tab saved the same scenario
since this one opened it, nothing is overwritten until the user chooses to (and even then the
other version stays in the scenario's history).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from urllib.parse import urlsplit, urlunsplit

import streamlit as st

from pages._ui.app import notices, state, storage
from pages._ui.fmt import datetime_text
from pages._ui.i18n import LANGUAGE_PARAM, LOCALE_PARAM, error_message, language, locale_code, t
from roi_model import Scenario, ScenarioError
from roi_model.files.scenario_file import scenario_to_dict
from roi_model.files.share import LinkError, scenario_link
from roi_model.store import ScenarioStore, ScenarioSummary, StoreError, StoreProblem

NOTICES = "save_notices"  # the notices channel of the actions below
_CONFLICT = "save_conflict"
CLOSE_POPOVER = "close_popover"  # the popover to close on the next run
NEW_CLIENT = -1  # the "new client…" choice in the save-as form
PAGE_PATHS = (
    "Assumptions",
    "Scenarios",
    "Compare",
    "Channels",
    "Goals",
)  # page URL names, stripped from links
FALLBACK_URL = "http://localhost:8501/"


def scenario_actions() -> None:
    """The scenario's name with Save, Save as and Share beside it.

    Drawn by full reruns only, outside the cockpit's panel, so that a slider move does not
    redraw them; each reads the draft when it is used. The panel draws :func:`scenario_status`.
    """
    store = storage.store()
    name, save, save_as, share = st.columns([2.6, 1, 1.4, 1.2], vertical_alignment="center")
    name.markdown(f"**{_title(store)}**")
    with save:
        _save_button(store)
    with save_as:
        _save_as_popover(store)
    with share:
        _share_popover()
    notices.show(NOTICES)
    _conflict_choices(store)


def _title(store: ScenarioStore | None) -> str:
    """``Client › Scenario`` for a stored scenario, else the draft's name."""
    summary = None if store is None else _stored_summary(store, state.saved_ref())
    if summary is None:
        return str(state.draft().get("name", ""))
    return f"{summary.client_name} › {summary.name}"


def scenario_status() -> None:
    """One line under the name: not saved, saved, unsaved changes, saved elsewhere meanwhile."""
    _autosave_warning()
    store = storage.store()
    ref = state.saved_ref()
    if store is None:
        problem = storage.problem()
        st.caption(t("save.off", reason=storage.problem_message(problem) if problem else ""))
        return
    summary = _stored_summary(store, ref)
    if ref is None or summary is None:
        st.caption(t("save.not_saved"))
        return
    words = [t("save.unsaved_changes") if state.has_unsaved_changes() else t("save.saved")]
    if summary.version > ref.version:
        words.append(t("save.changed_elsewhere", when=datetime_text(summary.updated_at)))
    st.caption(" · ".join(words))


def _autosave_warning() -> None:
    """Say that the draft is only in this tab, and try once more to keep it: a server that is
    back takes it without waiting for the next change (the warning goes on a later run)."""
    failed = state.autosave_problem()
    if not failed:
        return
    state.autosave()
    if failed == StoreProblem.UNAVAILABLE:
        st.caption("⚠ " + t("store.unavailable"))
    elif failed:
        st.caption(t("save.autosave_failed"))


def _stored_summary(store: ScenarioStore, ref: state.SavedRef | None) -> ScenarioSummary | None:
    if ref is None:
        return None
    try:
        return store.summary(ref.scenario_id)
    except StoreError:  # deleted meanwhile (or the store is busy): shown as not saved
        return None


# --- Save -----------------------------------------------------------------------------


def _save_button(store: ScenarioStore | None) -> None:
    ref = state.saved_ref()
    if st.button(
        t("save.save"),
        icon=":material/save:",
        type="primary",
        disabled=store is None or ref is None,
        help=t("save.save_help"),
        key="save_scenario",
        width="stretch",
    ):
        assert store is not None and ref is not None
        scenario, error = state.current_scenario()
        if error is not None:
            _notice("error", t("save.invalid", reason=error_message(error)))
        elif not state.has_unsaved_changes():
            _notice("ok", t("save.nothing_to_save"))
        else:
            save_over(store, ref, scenario, force=False)
        st.rerun()


def save_over(
    store: ScenarioStore, ref: state.SavedRef, scenario: Scenario, *, force: bool
) -> None:
    """Save the draft over its stored scenario; a conflict is kept for the user to settle."""
    try:
        summary = store.save(ref.scenario_id, scenario, ref.version, force=force)
    except StoreError as error:
        if error.problem is StoreProblem.CONFLICT:
            st.session_state[_CONFLICT] = error.current
        else:
            _notice("error", storage.problem_message(error))
        return
    st.session_state.pop(_CONFLICT, None)
    _now_saved(summary, scenario)


def _now_saved(summary: ScenarioSummary, scenario: Scenario) -> None:
    """The draft is what was stored, under the stored name; the user is told so."""
    body = scenario_to_dict(replace(scenario, name=summary.name))
    state.update_draft(lambda d: d.update(name=summary.name))
    state.mark_saved(state.SavedRef(summary.id, summary.client_id, summary.version, body))
    _notice("ok", t("save.done", name=summary.name, version=summary.version))


def _conflict_choices(store: ScenarioStore | None) -> None:
    """Someone else saved this scenario meanwhile: overwrite it, or keep both."""
    current = st.session_state.get(_CONFLICT)
    ref = state.saved_ref()
    scenario, error = state.current_scenario()
    if current is None or store is None or ref is None or error is not None:
        return
    st.warning(
        t("save.conflict", name=current.name, when=datetime_text(current.updated_at)),
        icon=":material/sync_problem:",
    )
    overwrite, keep_both = st.columns(2)
    if overwrite.button(t("save.overwrite"), key="conflict_overwrite", width="stretch"):
        save_over(store, ref, scenario, force=True)
        st.rerun()
    if keep_both.button(t("save.keep_both"), key="conflict_keep_both", width="stretch"):
        st.session_state.pop(_CONFLICT, None)
        save_copy(store, ref.client_id, scenario, t("save.my_copy", name=current.name))
        st.rerun()


def save_copy(store: ScenarioStore, client_id: int, scenario: Scenario, name: str) -> None:
    """Save as a new scenario under a free name (``name (2)`` when taken)."""
    try:
        (summary,) = store.import_scenarios(client_id, [replace(scenario, name=name)])
    except StoreError as error:
        _notice("error", storage.problem_message(error))
        return
    _now_saved(summary, scenario)


def open_stored(
    store: ScenarioStore, scenario_id: int, version: Scenario | None = None
) -> str | None:
    """Make a stored scenario the one being edited; returns why not, if it cannot be read.

    With an older ``version`` of it, that version opens as unsaved changes to the scenario,
    so that Save makes it the newest (every version stays in the history).
    """
    try:
        summary, current = store.load(scenario_id)
    except (StoreError, ScenarioError) as error:
        return storage.refusal(error)
    ref = state.SavedRef(summary.id, summary.client_id, summary.version, scenario_to_dict(current))
    state.load_scenario_into_draft(replace(version or current, name=summary.name), saved=ref)
    return None


# --- Save as --------------------------------------------------------------------------


def _save_as_popover(store: ScenarioStore | None) -> None:
    label, icon = t("save.save_as"), ":material/save_as:"
    with lazy_popover(label, "save_as_popover", icon, disabled=store is None) as open_:
        if store is None or not open_:
            return
        scenario, error = state.current_scenario()
        if error is not None:
            st.warning(t("save.invalid", reason=error_message(error)))
            return
        with st.form("save_as_form", border=False, clear_on_submit=True):
            client_id = _client_choice(store)
            new_client = st.text_input(t("save.new_client_name"), key="save_as_new_client")
            name = st.text_input(t("save.name"), value=scenario.name, key="save_as_name")
            if st.form_submit_button(
                t("save.save"), icon=":material/save:", type="primary", key="save_as_submit"
            ):
                if save_as(store, client_id, new_client, name, scenario):
                    st.session_state[CLOSE_POPOVER] = "save_as_popover"  # done: fold it away
                st.rerun()


def _client_choice(store: ScenarioStore) -> int:
    clients = {c.id: c.name for c in store.clients()}
    ref = state.saved_ref()
    options = [*clients, NEW_CLIENT]
    index = options.index(ref.client_id) if ref and ref.client_id in clients else 0
    names = clients | {NEW_CLIENT: t("save.new_client")}
    return int(
        st.selectbox(
            t("save.client"),
            options,
            index=index,
            format_func=names.__getitem__,
            # A form's widgets take no callbacks, and "New client…" changes with the language:
            # a widget per language keeps a stale label from being read back.
            key=f"save_as_client_{language()}",
        )
    )


def save_as(
    store: ScenarioStore, client_id: int, new_client: str, name: str, scenario: Scenario
) -> bool:
    """Store the draft as a new scenario, in a new client if asked; refusals are explained."""
    try:
        if client_id == NEW_CLIENT:
            client_id = store.create_client(new_client).id
        summary = store.save_new(client_id, scenario, name)
    except StoreError as error:
        _notice("error", storage.problem_message(error))
        return False
    _now_saved(summary, scenario)
    return True


# --- Share ----------------------------------------------------------------------------


def _share_popover() -> None:
    with lazy_popover(t("share.share"), "share_popover", ":material/share:") as open_:
        if not open_:
            return
        scenario, error = state.current_scenario()
        if error is not None:
            st.warning(t("save.invalid", reason=error_message(error)))
            return
        try:
            # The link opens in the sender's language and number format.
            here = f"{app_url()}?{LANGUAGE_PARAM}={language()}&{LOCALE_PARAM}={locale_code()}"
            link = scenario_link(scenario, here)
        except LinkError:
            st.warning(t("share.too_long_to_share"))
            return
        st.caption(t("share.caption"))
        st.code(link, language=None, wrap_lines=True)


@contextmanager
def lazy_popover(label: str, key: str, icon: str, *, disabled: bool = False) -> Iterator[bool]:
    """A popover whose content is drawn only while it is open: closed, it costs the slider
    reruns of the cockpit nothing (the link, the client list)."""
    if st.session_state.get(CLOSE_POPOVER) == key:  # a drawn widget's state can't be set: next run
        st.session_state[key] = False
        del st.session_state[CLOSE_POPOVER]
    with st.popover(
        label, icon=icon, disabled=disabled, width="stretch", key=key, on_change="rerun"
    ) as box:
        yield bool(box.open)


def app_url() -> str:
    """The app's own address, at its home page, as the browser sees it."""
    url = st.context.url or FALLBACK_URL
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    head, _, last = path.rpartition("/")
    if last in PAGE_PATHS:
        path = head
    return urlunsplit((parts.scheme, parts.netloc, path + "/", "", ""))


def _notice(kind: str, text: str) -> None:
    notices.post(NOTICES, kind, text)
