"""AppTest: team mode. Nothing before sign-in; each user sees only their own clients, scenarios
and drafts; signing out forgets the session; the embedded default asks nobody to sign in."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages._ui.app import state, storage
from roi_model.files.assumptions import SAMPLE_DATA, load_presets
from roi_model.store import Role, ScenarioStore

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60
PASSWORD = "correct horse battery"


@pytest.fixture
def team(private_scenario_store: Path, monkeypatch: pytest.MonkeyPatch) -> ScenarioStore:
    """Team mode on, with Ana (owner of Acme, one scenario) and Bruno (owner of Bravo)."""
    monkeypatch.setenv(storage.TEAM_ENV_VAR, "1")
    store = ScenarioStore(private_scenario_store)
    for name, client in (("ana", "Acme"), ("bruno", "Bravo")):
        store.add_user(name, PASSWORD)
        store.grant(name, client, Role.OWNER)
    acme = next(c for c in store.clients() if c.name == "Acme")
    ana = store.as_user(store.find_user("ana"))
    ana.save_new(acme.id, load_presets(SAMPLE_DATA / "presets")["online_shop"], "Acme plan")
    return store


def page(**query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def scenarios_page(at: AppTest) -> AppTest:
    return at.switch_page("pages/2_Scenarios.py").run()


def sign_in(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="sign_in_name").input(name)
    at.text_input(key="sign_in_password").input(password)
    return at.button[0].click().run()


def everything_said(at: AppTest) -> str:
    parts = [*at.title, *at.caption, *at.markdown, *at.info, *at.error, *at.warning]
    return "\n".join(str(e.value) for e in parts)


def test_nothing_but_the_form_before_sign_in(team: ScenarioStore) -> None:
    at = page(lang="en")
    assert not at.exception
    assert [t.value for t in at.title] == ["Sign in"]
    assert len(at.slider) == 0 and len(at.sidebar.selectbox) == 0
    assert "Acme" not in everything_said(at)


def test_a_wrong_password_is_refused_in_the_users_language(team: ScenarioStore) -> None:
    at = sign_in(page(lang="es"), "ana", "not the password")
    assert not at.exception
    assert [e.value for e in at.error] == ["Nombre o contraseña incorrectos."]
    assert [t.value for t in at.title] == ["Iniciar sesión"]


def test_an_unknown_name_is_refused_alike(team: ScenarioStore) -> None:
    at = sign_in(page(lang="en"), "nobody")
    assert [e.value for e in at.error] == ["Wrong name or password."]


def test_too_many_failures_are_refused_before_the_password(team: ScenarioStore) -> None:
    at = page(lang="en")
    for _ in range(5):
        at = sign_in(at, "ana", "wrong password")
    at = sign_in(at, "ana")  # the right password, too late
    assert "Too many failed attempts" in at.error[0].value


def test_a_signed_in_user_sees_their_clients_only(team: ScenarioStore) -> None:
    at = scenarios_page(sign_in(page(lang="en"), "bruno"))
    assert not at.exception
    said = everything_said(at) + " ".join(str(s.options) for s in at.selectbox)
    assert "Bravo" in said and "Acme" not in said and "Acme plan" not in said
    assert "Signed in as bruno" in [c.value for c in at.sidebar.caption]


def test_the_owner_sees_their_scenario(team: ScenarioStore) -> None:
    at = scenarios_page(sign_in(page(lang="en"), "ana"))
    said = everything_said(at) + " ".join(str(s.options) for s in at.selectbox)
    assert "Acme" in said and "Bravo" not in said


def test_signing_out_forgets_the_session(team: ScenarioStore) -> None:
    at = sign_in(page(lang="en"), "ana")
    assert len(at.slider) > 0
    at = at.sidebar.button(key="sign_out").click().run()
    assert [t.value for t in at.title] == ["Sign in"]
    assert len(at.slider) == 0


def test_a_signed_out_token_opens_nothing(team: ScenarioStore) -> None:
    _, token = team.sign_in("ana", PASSWORD, "test")
    team.sign_out(token)
    assert team.session_user(token) is None


def test_without_team_mode_no_one_signs_in(private_scenario_store: Path) -> None:
    at = page(lang="en")
    assert not at.exception
    assert len(at.slider) > 0
    assert "Sign in" not in [t.value for t in at.title]


def test_the_scenarios_list_says_who_saved_each(team: ScenarioStore) -> None:
    at = scenarios_page(sign_in(page(lang="en"), "ana"))
    tables = [frame.value for frame in at.dataframe]
    assert any(
        "Saved by" in table.columns and table["Saved by"].tolist() == ["ana"] for table in tables
    )


def test_without_sign_in_no_saved_by_column(private_scenario_store: Path) -> None:
    store = ScenarioStore(private_scenario_store)
    client = store.create_client("Acme")
    store.save_new(client.id, load_presets(SAMPLE_DATA / "presets")["online_shop"], "Plan")
    at = scenarios_page(page(lang="en"))
    assert at.dataframe and all("Saved by" not in frame.value.columns for frame in at.dataframe)


def members_table(at: AppTest) -> list[str]:
    """The names in the members table (the one with a Role column)."""
    frames = [frame.value for frame in at.dataframe if "Role" in frame.value.columns]
    assert len(frames) == 1, "one members table"
    return list(frames[0]["Name"])


def members_panel(at: AppTest) -> AppTest:
    at.session_state["members_panel"] = True  # what a click on the lazy expander does
    return at.run()


def test_an_owner_adds_and_removes_a_member(team: ScenarioStore) -> None:
    at = members_panel(scenarios_page(sign_in(page(lang="en"), "ana")))
    assert members_table(at) == ["ana"]
    at.text_input(key="add_member_name").input("bruno")
    at = at.button(key="FormSubmitter:add_member_form-Add").click().run()
    assert not at.exception
    assert [m.user for m in team.members(_client(team, "Acme"))] == ["ana", "bruno"]
    at.selectbox(key="remove_member_name").set_value("bruno")
    at = at.button(key="FormSubmitter:remove_member_form-Remove").click().run()
    assert [m.user for m in team.members(_client(team, "Acme"))] == ["ana"]


def test_an_unknown_name_is_said_and_nobody_added(team: ScenarioStore) -> None:
    at = members_panel(scenarios_page(sign_in(page(lang="es"), "ana")))
    at.text_input(key="add_member_name").input("nadie")
    at = at.button(key="FormSubmitter:add_member_form-Añadir").click().run()
    assert "No hay ningún usuario llamado «nadie»" in everything_said(at)
    assert [m.user for m in team.members(_client(team, "Acme"))] == ["ana"]


def test_a_member_sees_the_members_but_cannot_change_them(team: ScenarioStore) -> None:
    team.grant("bruno", "Acme")
    at = sign_in(page(lang="en"), "bruno")
    at = scenarios_page(at)
    at.selectbox(key="client_pick").set_value(_client(team, "Acme")).run()
    at = members_panel(at)
    assert sorted(members_table(at)) == ["ana", "bruno"]
    assert not [t for t in at.text_input if t.key == "add_member_name"]


def test_a_forged_session_token_opens_nothing(team: ScenarioStore) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["sign_in_token"] = "forged-token-guessing-is-hopeless"
    at = at.run()
    assert [t.value for t in at.title] == ["Sign in"] and len(at.slider) == 0


def test_the_session_token_never_reaches_the_url(team: ScenarioStore) -> None:
    at = sign_in(page(lang="en"), "ana")
    token = at.session_state["sign_in_token"]
    assert token and all(token not in str(value) for value in at.query_params.values())
    assert set(at.query_params) <= {"session", "lang", "locale"}


def _client(store: ScenarioStore, name: str) -> int:
    return next(c.id for c in store.clients() if c.name == name)


def test_a_share_link_opens_after_sign_in_as_an_unsaved_copy(team: ScenarioStore) -> None:
    from roi_model.files.share import LINK_PARAM, encode_scenario

    shared = load_presets(SAMPLE_DATA / "presets")["dental_clinic"]
    at = page(lang="en", **{LINK_PARAM: encode_scenario(shared)})
    assert [t.value for t in at.title] == ["Sign in"]  # the link waits for the sign-in
    at = sign_in(at, "bruno")
    assert not at.exception
    assert at.session_state[state.DRAFT]["name"] == shared.name
    assert state.SAVED not in at.session_state or at.session_state[state.SAVED] is None
    assert [s.name for s in team.scenarios()] == ["Acme plan"]  # nothing stored by opening it
