"""Team mode's door: nothing is shown before sign-in, and signing out forgets the session.

The session token lives only in this session's state (never in the URL, so a shared or
bookmarked address opens no one's session); each full run checks it against the store, so an
expired session, a sign-out elsewhere or a removed user ends here too. A refresh of the tab
starts a new Streamlit session, which asks to sign in again; the draft is not lost, since the
user's autosave brings it back.
"""

from __future__ import annotations

import streamlit as st

from pages._ui.app import storage
from pages._ui.i18n import LANGUAGE_KEY, LOCALE_KEY, key_for, t
from roi_model.store import ScenarioStore, StoreError

_NAME = "sign_in_name"
_PASSWORD = "sign_in_password"
_ENDED = "sign_in_ended"  # a session that was signed in has ended: say so on the form


def require_sign_in() -> None:
    """In team mode, draw the sign-in form and stop the run until someone signs in."""
    if not storage.team_mode():
        return
    server = storage.server_store()
    if server is None:  # without the store no one can sign in: say why, show nothing else
        problem = storage.problem()
        st.error(storage.problem_message(problem) if problem else t("team.unavailable"))
        st.stop()
    if _signed_in(server):
        return
    _form(server)
    st.stop()


def _signed_in(server: ScenarioStore) -> bool:
    token = st.session_state.get(storage.SIGN_IN_TOKEN)
    user = None if token is None else server.session_user(token)
    if user is None and token is not None:
        _forget_session()
        st.session_state[_ENDED] = True
    st.session_state[storage.SIGNED_IN_USER] = user
    return user is not None


def _form(server: ScenarioStore) -> None:
    st.title(t("team.title"), anchor="team-title")
    st.caption(t("team.intro"))
    if st.session_state.pop(_ENDED, False):
        st.info(t("team.ended"))
    with st.form("sign_in_form", enter_to_submit=True):
        st.text_input(t("team.name"), key=_NAME, autocomplete="username")
        st.text_input(
            t("team.password"), key=_PASSWORD, type="password", autocomplete="current-password"
        )
        submitted = st.form_submit_button(t("team.sign_in"), type="primary")
    if submitted:
        _sign_in(server)


def _sign_in(server: ScenarioStore) -> None:
    seen = st.context.ip_address  # behind a proxy, the proxy's: see the README's team section
    address = seen if isinstance(seen, str) and seen else "unknown"
    try:
        user, token = server.sign_in(
            st.session_state.get(_NAME, ""), st.session_state.get(_PASSWORD, ""), address
        )
    except StoreError as error:
        st.error(t(key_for("store.{}", error.problem.value), detail="", path=""))
        return
    st.session_state[storage.SIGN_IN_TOKEN] = token
    st.session_state[storage.SIGNED_IN_USER] = user
    st.session_state.pop(_PASSWORD, None)
    st.rerun()


def signed_in_panel() -> None:
    """Who is signed in and the sign-out button (the sidebar draws it in team mode)."""
    user = st.session_state.get(storage.SIGNED_IN_USER)
    if not storage.team_mode() or user is None:
        return
    st.caption(t("team.signed_in_as", name=user.name))
    st.button(t("team.sign_out"), key="sign_out", on_click=_sign_out, icon=":material/logout:")


def _sign_out() -> None:
    token = st.session_state.get(storage.SIGN_IN_TOKEN)
    server = storage.server_store()
    if token is not None and server is not None:
        server.sign_out(token)
    _forget_session()


def _forget_session() -> None:
    """Everything of the signed-in user leaves the session; only the language stays."""
    state = st.session_state
    kept = {key: state[key] for key in (LANGUAGE_KEY, LOCALE_KEY) if key in state}
    for key in list(state):
        del state[key]
    state.update(kept)
