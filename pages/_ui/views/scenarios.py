"""The Scenarios page's panels: clients, their saved scenarios, import and export.

A delete is soft: the notice it leaves offers an undo until the next action.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from pages._ui import fmt
from pages._ui.app import notices, state, storage
from pages._ui.app.model import evaluated
from pages._ui.i18n import N_, error_message, key_for, t, tn
from pages._ui.widgets import saving
from pages._ui.widgets.headings import anchor_of, section_heading
from pages._ui.widgets.lazy_expander import lazy_expander
from roi_model import Scenario, ScenarioError
from roi_model.files.bundle import read_scenario_files, safe_filename, scenarios_zip
from roi_model.files.scenario_file import scenario_to_json
from roi_model.store import Client, Role, ScenarioStore, ScenarioSummary, StoreError

CLIENT = "client_pick"
SCENARIO = "scenario_pick"
_UNDO = "undo_delete"  # (kind, id, name) of the last delete
NOTICES = "scenarios_notices"  # the notices channel of this page's actions
_IMPORT_ROUND = "import_round"  # bumped to empty the uploader after an import


def unavailable() -> None:
    """The store cannot be opened: say why and what still works."""
    problem = storage.problem()
    if problem is not None:
        st.error(storage.problem_message(problem), icon=":material/database:")
    st.info(t("scenarios.still_works"))


def client_panel(store: ScenarioStore) -> Client | None:
    """Pick, create, rename or delete a client; returns the client picked, if any."""
    section_heading(N_("scenarios.clients"))
    notices.show(NOTICES)
    _undo_notice(store)
    clients = {c.id: c for c in store.clients()}
    if not clients:
        st.info(t("scenarios.no_clients"))
        _new_client_form(store)
        return None
    pick, new, rename, delete = st.columns([3, 1, 1, 1], vertical_alignment="bottom")
    with pick:
        ref = state.saved_ref()
        if ref is not None and st.session_state.get(CLIENT) not in clients:
            st.session_state[CLIENT] = ref.client_id  # start at the client being edited
        client_id = _pick(CLIENT, t("save.client"), list(clients), lambda c: clients[c].name)
    client = clients[client_id]
    with new, st.popover(t("scenarios.new_client"), icon=":material/add:", width="stretch"):
        _new_client_form(store)
    with rename, st.popover(t("scenarios.rename"), icon=":material/edit:", width="stretch"):
        _rename_form("rename_client", client.name, lambda n: store.rename_client(client.id, n))
    if delete.button(t("scenarios.delete"), icon=":material/delete:", key="delete_client"):
        _act(lambda: store.delete_client(client.id))
        st.session_state[_UNDO] = ("client", client.id, client.name)
        st.rerun()
    return client


_ROLES = {Role.OWNER: N_("team.role.owner"), Role.MEMBER: N_("team.role.member")}


def members_panel(store: ScenarioStore, client: Client) -> None:
    """Team mode: who belongs to the client; its owners add and remove members here."""
    if store.user is None:
        return
    label = t("team.members", client=client.name)
    with lazy_expander(label, "members_panel", ":material/group:") as is_open:
        if not is_open:
            return
        members = store.members(client.id)
        st.dataframe(
            pd.DataFrame(
                {
                    t("team.name"): [m.user for m in members],
                    t("team.role"): [t(_ROLES[m.role]) for m in members],
                }
            ),
            hide_index=True,
            key="members_table",
        )
        owner = any(m.user == store.user.name and m.role is Role.OWNER for m in members)
        if owner:
            _add_member_form(store, client)
            _remove_member_form(store, client, [m.user for m in members])


def _add_member_form(store: ScenarioStore, client: Client) -> None:
    with st.form("add_member_form", border=False, clear_on_submit=True):
        name = st.text_input(t("team.member_name"), key="add_member_name")
        # the labels themselves are the options: a format_func would be asked outside the
        # session (by AppTest) and answer in the wrong language
        roles = {t(label): role for role, label in _ROLES.items()}
        chosen = st.selectbox(t("team.role"), list(roles), index=1, key="add_member_role")
        if st.form_submit_button(t("team.add_member"), icon=":material/person_add:"):
            role = roles[chosen]
            _member_action(store, name, lambda: store.grant(name, str(client.id), role))


def _remove_member_form(store: ScenarioStore, client: Client, names: list[str]) -> None:
    with st.form("remove_member_form", border=False):
        name = st.selectbox(t("team.member_name"), names, key="remove_member_name")
        if st.form_submit_button(t("team.remove_member"), icon=":material/person_remove:"):
            _member_action(store, name, lambda: store.revoke(name, str(client.id)))


def _member_action(store: ScenarioStore, name: str, action: Callable[[], object]) -> None:
    try:
        store.find_user(name)
    except StoreError:
        notices.post(NOTICES, "error", t("team.no_such_user", name=name.strip()))
    else:
        _act(action)
    st.rerun()


def _pick(key: str, label: str, options: list[int], name: Callable[[int], str]) -> int:
    """A selectbox that keeps its choice across page switches and survives deletions; an
    action picks a new item through ``<key>_next`` (a drawn widget's key cannot be set)."""
    chosen = st.session_state.pop(f"{key}_next", None)
    if chosen in options:
        st.session_state[key] = chosen
    if st.session_state.get(key) not in options:
        st.session_state[key] = options[0]
    return int(st.selectbox(label, options, format_func=name, key=key))


def _new_client_form(store: ScenarioStore) -> None:
    with st.form("new_client_form", border=False, clear_on_submit=True):
        name = st.text_input(t("save.new_client_name"), key="new_client_name")
        if st.form_submit_button(
            t("scenarios.create"), icon=":material/add:", key="new_client_submit"
        ):
            created = _act(lambda: store.create_client(name))
            if isinstance(created, Client):
                st.session_state[f"{CLIENT}_next"] = created.id
            st.rerun()


def _rename_form(key: str, current: str, rename: Callable[[str], object]) -> None:
    with st.form(f"{key}_form", border=False):
        name = st.text_input(t("save.name"), value=current, key=f"{key}_name")
        if st.form_submit_button(
            t("scenarios.rename"), icon=":material/edit:", key=f"{key}_submit"
        ):
            _act(lambda: rename(name))
            st.rerun()


def scenario_panel(store: ScenarioStore, client: Client) -> None:
    """The client's scenarios with their headline figures, and what can be done to each."""
    st.subheader(
        t("scenarios.saved", client=client.name),
        divider="gray",
        anchor=anchor_of("scenarios.saved"),
    )
    summaries = {s.id: s for s in store.scenarios(client.id)}
    if not summaries:
        st.info(t("scenarios.none_saved"))
        return
    loaded = {sid: _load(store, sid) for sid in summaries}
    st.dataframe(
        _overview(summaries, loaded), hide_index=True, width="stretch", key="scenario_table"
    )
    for sid, item in loaded.items():
        if isinstance(item, ScenarioError):
            st.warning(
                t("scenarios.unreadable", name=summaries[sid].name, reason=error_message(item))
            )
    scenario_id = _pick(SCENARIO, t("scenarios.pick"), list(summaries), lambda s: summaries[s].name)
    _scenario_actions(store, summaries[scenario_id], loaded[scenario_id])
    _history(store, summaries[scenario_id])
    readable = [s for s in loaded.values() if isinstance(s, Scenario)]
    st.download_button(
        t("scenarios.export_all", client=client.name),
        scenarios_zip(readable),
        file_name=safe_filename(client.name, ".zip"),
        mime="application/zip",
        icon=":material/folder_zip:",
        key="export_client",
    )


def _load(store: ScenarioStore, scenario_id: int) -> Scenario | ScenarioError:
    try:
        return store.load(scenario_id)[1]
    except ScenarioError as error:  # a body edited by hand or written by a buggy version
        return error


def _overview(
    summaries: dict[int, ScenarioSummary], loaded: dict[int, Scenario | ScenarioError]
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("col.scenario"): [s.name for s in summaries.values()],
            t("col.saved_at"): [fmt.datetime_text(s.updated_at) for s in summaries.values()],
            **_saved_by([s.saved_by for s in summaries.values()]),
            t("col.version"): [s.version for s in summaries.values()],
            **_figures([loaded[sid] for sid in summaries]),
        }
    )


def _saved_by(names: list[str | None]) -> dict[str, list[str]]:
    """The "saved by" column, where anyone signed in saved (team mode); none without."""
    if all(name is None for name in names):
        return {}
    return {t("col.saved_by"): [name or "" for name in names]}


def _scenario_actions(
    store: ScenarioStore, summary: ScenarioSummary, item: Scenario | ScenarioError
) -> None:
    edit, rename, duplicate, delete, download = st.columns(5, vertical_alignment="bottom")
    if edit.button(
        t("scenarios.open"),
        icon=":material/tune:",
        type="primary",
        disabled=not isinstance(item, Scenario),
        key="open_scenario",
        width="stretch",
    ):
        refusal = saving.open_stored(store, summary.id)
        if refusal is None:
            st.switch_page("app.py")
        notices.post(NOTICES, "error", refusal)
        st.rerun()
    with rename, st.popover(t("scenarios.rename"), icon=":material/edit:", width="stretch"):
        _rename_form(
            "rename_scenario", summary.name, lambda n: store.rename_scenario(summary.id, n)
        )
    if duplicate.button(
        t("scenarios.duplicate"), icon=":material/content_copy:", key="duplicate_scenario"
    ):
        copy = _act(lambda: store.duplicate_scenario(summary.id))
        if isinstance(copy, ScenarioSummary):
            st.session_state[f"{SCENARIO}_next"] = copy.id
        st.rerun()
    if delete.button(t("scenarios.delete"), icon=":material/delete:", key="delete_scenario"):
        _act(lambda: store.delete_scenario(summary.id))
        st.session_state[_UNDO] = ("scenario", summary.id, summary.name)
        st.rerun()
    if isinstance(item, Scenario):
        download.download_button(
            t("scenarios.download"),
            scenario_to_json(item),
            file_name=safe_filename(summary.name),
            mime="application/json",
            icon=":material/download:",
            key="download_stored",
        )


def _history(store: ScenarioStore, summary: ScenarioSummary) -> None:
    """Every saved version (an overwritten one too), any of which can be opened again."""
    label = t("scenarios.history", name=summary.name, count=summary.version)
    with lazy_expander(label, "history_panel", ":material/history:") as is_open:
        if not is_open:
            return
        try:
            versions = store.history(summary.id)
        except (StoreError, ScenarioError) as error:
            st.error(storage.refusal(error))
            return
        st.dataframe(
            pd.DataFrame(
                {
                    t("col.version"): [v.version for v in versions],
                    t("col.saved_at"): [fmt.datetime_text(v.saved_at) for v in versions],
                    **_saved_by([v.saved_by for v in versions]),
                    **_figures([v.scenario for v in versions]),
                }
            ),
            hide_index=True,
            width="stretch",
            key="history_table",
        )
        by_version = {v.version: v.scenario for v in versions}
        chosen = st.selectbox(t("scenarios.version_pick"), list(by_version), key="version_pick")
        if st.button(t("scenarios.open_version"), icon=":material/restore:", key="open_version"):
            refusal = saving.open_stored(store, summary.id, by_version[chosen])
            if refusal is None:
                st.switch_page("app.py")
            notices.post(NOTICES, "error", refusal)
            st.rerun()
        st.caption(t("scenarios.open_version_help"))


def _figures(items: list[Scenario | ScenarioError]) -> dict[str, list[str]]:
    """Investment, full return and full ROI of each scenario, in its own currency ("—" for
    one that cannot be read)."""
    rows = [_headline(item) for item in items]
    keys = (N_("kpi.investment"), N_("kpi.return"), N_("kpi.full_roi"))
    return {t(key): [row[i] for row in rows] for i, key in enumerate(keys)}


def _headline(item: Scenario | ScenarioError) -> tuple[str, str, str]:
    if not isinstance(item, Scenario):
        return fmt.UNDEFINED, fmt.UNDEFINED, fmt.UNDEFINED
    ev, cur = evaluated(item), item.currency
    return (
        fmt.money(ev.investment.total, cur),
        fmt.money(ev.returns.full, cur),
        fmt.percent(ev.full_roi),
    )


def _undo_notice(store: ScenarioStore) -> None:
    undo = st.session_state.get(_UNDO)
    if undo is None:
        return
    kind, item_id, name = undo
    text, button = st.columns([4, 1], vertical_alignment="center")
    text.info(t(key_for("scenarios.deleted_{}", kind), name=name), icon=":material/delete:")
    if button.button(t("scenarios.undo"), icon=":material/undo:", key="undo_delete_button"):
        restore = store.restore_client if kind == "client" else store.restore_scenario
        st.session_state.pop(_UNDO)
        _act(lambda: restore(item_id))
        st.rerun()


def _act(action: Callable[[], object]) -> object:
    """Run a store action; a refusal becomes the page's notice, and a new action ends the
    chance to undo the last delete."""
    st.session_state.pop(_UNDO, None)
    done = storage.attempt(action, NOTICES)
    return None if isinstance(done, StoreError) else done


def import_panel(store: ScenarioStore, client: Client) -> None:
    """Scenario files (JSON, or a zip of them) into this client; nothing stored is replaced."""
    section_heading(N_("scenarios.import"))
    st.caption(t("scenarios.import_caption"))
    round_ = st.session_state.setdefault(_IMPORT_ROUND, 0)
    files = st.file_uploader(
        t("scenarios.import_files"),
        type=["json", "zip"],
        accept_multiple_files=True,
        key=f"import_files_{round_}",
        max_upload_size=state.SCENARIO_UPLOAD_MB,
    )
    if files and st.button(
        tn(
            "scenarios.import_button",
            "scenarios.import_button.plural",
            len(files),
            count=fmt.number(len(files)),
            client=client.name,
        ),
        icon=":material/upload:",
        key="import_button",
    ):
        _import(store, client, [(f.name, f.getvalue()) for f in files])
        st.session_state[_IMPORT_ROUND] = round_ + 1
        st.rerun()


def _import(store: ScenarioStore, client: Client, files: list[tuple[str, bytes]]) -> None:
    """Add the readable files as new scenarios; say what came in and what was refused, why."""
    read = read_scenario_files(files)
    imported = _act(lambda: store.import_scenarios(client.id, [s for _, s in read.scenarios]))
    if isinstance(imported, list) and imported:
        names = ", ".join(f"«{s.name}»" for s in imported)
        said = tn(
            "scenarios.imported",
            "scenarios.imported.plural",
            len(imported),
            count=fmt.number(len(imported)),
            names=names,
        )
        notices.post(NOTICES, "ok", said)
    for name, error in read.refused:
        notices.post(
            NOTICES, "error", t("scenarios.refused_file", file=name, reason=error_message(error))
        )
    if not read.scenarios and not read.refused:
        notices.post(NOTICES, "info", t("scenarios.nothing_imported"))
