"""Where the app keeps scenarios: one SQLite store shared by every session of the server.

The file's place comes from the ``ROI_EXPLORER_DB`` environment variable, else the
``database_path`` Streamlit secret, else a per-user data folder. A store that cannot be opened
(corrupt, written by a newer version, unreadable) is reported, never overwritten; the app runs
on without saving.

Team mode (``ROI_EXPLORER_TEAM=1``, or the secret ``team_mode = true``) asks everyone to sign in
(:mod:`pages._ui.app.sign_in`), and :func:`store` then acts for the signed-in user only: their
clients, scenarios, histories and drafts.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

import streamlit as st

from pages._ui.app import notices
from pages._ui.i18n import error_message, key_for, t
from roi_model import ScenarioError
from roi_model.store import DB_ENV_VAR, ScenarioStore, StoreError, StoreProblem, default_db_path
from roi_model.store.postgres import is_server_url, masked

T = TypeVar("T")
SECRET_NAME = "database_path"
KEEP_FOR = timedelta(days=30)
TEAM_ENV_VAR = "ROI_EXPLORER_TEAM"
TEAM_SECRET = "team_mode"
#: The signed-in user's session token (session state only: never in the URL), and the user.
SIGN_IN_TOKEN = "sign_in_token"
SIGNED_IN_USER = "signed_in_user"


#: Session state: where the store is and whether everyone signs in, read once per session.
SETTINGS = "store_settings"


def team_mode() -> bool:
    """Whether everyone signs in: the environment variable, else the secret."""
    return _settings()[1]


def db_path() -> str:
    """The store: a file or a ``postgresql://`` URL, from the environment variable, then the
    secret, then the per-user default file."""
    return _settings()[0]


def _settings() -> tuple[str, bool]:
    # Neither changes under a session, and every press asks: where no secrets file exists,
    # each look at the secrets searches for one again (about 0.4 ms of a press's run).
    settings = st.session_state.get(SETTINGS)
    if settings is None:
        settings = st.session_state[SETTINGS] = (_configured_db_path(), _configured_team_mode())
    return settings


def _configured_team_mode() -> bool:
    switch = os.environ.get(TEAM_ENV_VAR, "").strip().casefold()
    if switch:
        return switch in ("1", "true", "yes", "on")
    try:  # no secrets file at all is the normal case, not an error
        return bool(st.secrets.get(TEAM_SECRET, False) is True)
    except Exception:  # a malformed secrets file must not stop the app either
        return False


def _configured_db_path() -> str:
    configured = os.environ.get(DB_ENV_VAR, "").strip() or _secret_path()
    if is_server_url(configured):
        return configured
    return str(Path(configured).expanduser() if configured else default_db_path())


def shown_location() -> str:
    """Where the store is, as messages show it: a server's URL without its password."""
    location = db_path()
    return masked(location) if is_server_url(location) else location


def _secret_path() -> str:
    try:  # no secrets file at all is the normal case, not an error
        value = st.secrets.get(SECRET_NAME, "")
    except Exception:  # a malformed secrets file must not stop the app either
        return ""
    return str(value).strip()


@st.cache_resource(show_spinner=False)
def _open_cached(path: str) -> ScenarioStore | StoreError:
    """One store per file for the whole server; a refusal of the file is kept so it is not
    retried per run. A server that cannot be reached raises instead: nothing is cached, and
    the next run tries again."""
    try:
        store = ScenarioStore(path)
        # Housekeeping once per server start: drafts of tabs long closed, and deletions too old
        # to be undone (the undo is offered right after a delete, not a month later).
        store.prune_autosaves(KEEP_FOR)
        store.purge_deleted(KEEP_FOR)
        store.prune_sign_ins()
    except StoreError as error:
        if error.problem is StoreProblem.UNAVAILABLE:
            raise
        return error
    return store


def _open(path: str) -> ScenarioStore | StoreError:
    try:
        return _open_cached(path)
    except StoreError as error:
        return error


def server_store() -> ScenarioStore | None:
    """The store of the whole server, acting for no one (sign-in itself, housekeeping)."""
    opened = _open(db_path())
    return opened if isinstance(opened, ScenarioStore) else None


def store() -> ScenarioStore | None:
    """The open store, or None when it is unavailable (see :func:`problem`); in team mode it
    acts for the signed-in user, and is None while no one is signed in."""
    opened = server_store()
    if opened is None or not team_mode():
        return opened
    user = st.session_state.get(SIGNED_IN_USER)
    return None if user is None else opened.as_user(user)


def problem() -> StoreError | None:
    """Why the store is unavailable, if it is."""
    opened = _open(db_path())
    return opened if isinstance(opened, StoreError) else None


def problem_message(error: StoreError) -> str:
    """A store error in the user's language, with the file it concerns."""
    return t(key_for("store.{}", error.problem.value), detail=error.detail, path=shown_location())


def refusal(error: StoreError | ScenarioError) -> str:
    """Why a stored scenario could not be used: the store said no, or its body is invalid."""
    if isinstance(error, StoreError):
        return problem_message(error)
    return error_message(error)


def attempt(action: Callable[[], T], channel: str) -> T | StoreError:
    """Run a store action; a refusal becomes a notice on ``channel`` and is returned."""
    try:
        return action()
    except StoreError as error:
        notices.post(channel, "error", problem_message(error))
        return error
