"""How a browser tab starts, and how it keeps its place in the URL.

On a tab's first run the draft comes from, in order: a shared link (``?s=…``), this tab's own
autosave (a refresh keeps ``?session=…`` in the URL), the newest autosave of any tab (a crashed
or closed tab, opened again without the token), or the default preset.
"""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from pages._ui.app import draft_writer, notices, sign_in, state, storage
from pages._ui.fmt import datetime_text
from pages._ui.i18n import (
    LANGUAGE_PARAM,
    LOCALE_PARAM,
    error_message,
    key_for,
    language,
    locale_code,
    t,
)
from roi_model import ScenarioError
from roi_model.files.scenario_file import scenario_from_dict, scenario_to_dict
from roi_model.files.share import LINK_PARAM, LinkError, decode_scenario, token_from_query
from roi_model.store import Autosave, StoreError


def start_session() -> None:
    """Fill the session's state on its first run; keep the tab's token in the URL. In team
    mode, nothing happens before sign-in."""
    state.init_state()
    sign_in.require_sign_in()
    if state.DRAFT not in st.session_state:
        _first_run()
    kept = {
        state.SESSION_PARAM: st.session_state[state.SESSION],
        LANGUAGE_PARAM: language(),
        LOCALE_PARAM: locale_code(),
    }
    for name, value in kept.items():
        if st.query_params.get(name) != value:
            st.query_params[name] = value


def show_notice() -> None:
    """Say once what happened at start-up: a link opened or refused, work restored."""
    notices.show(state.NOTICE)


def _notice(kind: str, text: str) -> None:
    notices.post(state.NOTICE, kind, text)


def _first_run() -> None:
    token = st.query_params.get(state.SESSION_PARAM, "")
    own = token if state.valid_token(token) else None
    st.session_state[state.SESSION] = own or state.new_session_token()
    if _open_shared_link() or _restore_autosave(own):
        return
    state.load_scenario_into_draft(state.presets()[state.DEFAULT_PRESET], state.DEFAULT_PRESET)


def _open_shared_link() -> bool:
    """Open ``?s=…`` as an unsaved scenario; the recipient's stored scenarios are not touched."""
    token = token_from_query(st.query_params.get_all(LINK_PARAM))
    if token is None:
        return False
    del st.query_params[LINK_PARAM]  # a refresh must not reopen the link over later edits
    try:
        scenario = decode_scenario(token)
    except LinkError as error:
        _notice("error", t("share.refused", reason=_link_reason(error)))
        return False
    state.load_scenario_into_draft(scenario)
    _notice("info", t("share.opened", name=scenario.name))
    return True


def _link_reason(error: LinkError) -> str:
    if error.scenario_error is not None:
        return error_message(error.scenario_error)
    return t(key_for("share.problem.{}", error.problem.value))


def _restore_autosave(own: str | None) -> bool:
    """Bring back this tab's draft after a refresh, or the newest one after a crash."""
    store = storage.store()
    if store is None:
        return False
    draft_writer.wait_for_writes()  # a refresh right after a change finds the change
    try:
        saved = store.autosaved(own) if own else store.latest_autosave()
    except StoreError:
        return False
    draft = _parsed_draft(saved)
    if saved is None or draft is None:
        return False
    state.restore_draft(draft, _saved_ref(saved), saved.preset)
    if own is None and state.has_unsaved_changes():
        when = datetime_text(saved.updated_at)
        _notice("info", t("session.restored", when=when))
    return True


def _parsed_draft(saved: Autosave | None) -> dict[str, Any] | None:
    if saved is None:
        return None
    try:
        draft = json.loads(saved.draft)
    except ValueError:
        return None
    return _newest_version(draft) if isinstance(draft, dict) else None


def _newest_version(draft: dict[str, Any]) -> dict[str, Any]:
    """A draft of an older scenario file version, written in the newest (the editors write
    today's fields into it); one that does not validate stays as typed, to be fixed."""
    try:
        return scenario_to_dict(scenario_from_dict(draft))
    except ScenarioError:
        return draft


def _saved_ref(saved: Autosave) -> state.SavedRef | None:
    """The stored scenario the autosaved draft was opened from, if it still exists."""
    store = storage.store()
    if store is None or saved.scenario_id is None or saved.base_version is None:
        return None
    try:
        summary, scenario = store.load(saved.scenario_id)
    except (StoreError, ScenarioError):
        return None
    # Saved again elsewhere since: keep the old base so that saving warns of the conflict.
    body = scenario_to_dict(scenario) if summary.version == saved.base_version else {}
    return state.SavedRef(summary.id, summary.client_id, saved.base_version, body)
