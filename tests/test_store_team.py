"""Team mode in the store: users and their passwords, signing in, and a store acting for one
user that reaches only the clients they belong to (scenarios, histories, drafts alike)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from roi_model import Scenario
from roi_model.store import (
    SCHEMA_VERSION,
    Role,
    ScenarioStore,
    StoreError,
    StoreProblem,
    create_schema,
)
from roi_model.store import users as users_module
from tests.test_store import Clock

PASSWORD = "correct horse battery"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(store_location: str, clock: Clock) -> Iterator[ScenarioStore]:
    """Ana owns Acme and Bruno owns Bravo, on each backend (``backend`` in conftest)."""
    with ScenarioStore(store_location, now=clock) as opened:
        for name in ("ana", "bruno"):
            opened.add_user(name, PASSWORD)
        opened.grant("ana", "Acme", Role.OWNER)
        opened.grant("bruno", "Bravo", Role.OWNER)
        yield opened


def _as(store: ScenarioStore, name: str) -> ScenarioStore:
    return store.as_user(store.find_user(name))


def _client_id(store: ScenarioStore, name: str) -> int:
    return next(c.id for c in store.clients() if c.name == name)


def _problem(call: Callable[[], object]) -> StoreProblem:
    with pytest.raises(StoreError) as caught:
        call()
    return caught.value.problem


class TestPasswords:
    def test_kept_only_as_an_argon2id_hash(self, store: ScenarioStore) -> None:
        with store._read() as conn:
            (stored,) = conn.execute(
                "SELECT password_hash FROM users WHERE name = 'ana'"
            ).fetchone()
        assert stored.startswith("$argon2id$") and PASSWORD not in stored
        assert PasswordHasher().verify(stored, PASSWORD)

    def test_a_wrong_password_is_refused_by_the_librarys_check(
        self, store: ScenarioStore, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        checked: list[str] = []
        verify = PasswordHasher.verify

        def spy(hasher: PasswordHasher, hashed: str, password: str) -> bool:
            checked.append(hashed)
            return verify(hasher, hashed, password)

        monkeypatch.setattr(PasswordHasher, "verify", spy)
        assert _problem(lambda: store.sign_in("ana", "wrong one!", "1.2.3.4")) is (
            StoreProblem.SIGN_IN_FAILED
        )
        assert checked and checked[0].startswith("$argon2id$")

    def test_an_unknown_name_is_checked_against_a_decoy_and_refused_alike(
        self, store: ScenarioStore
    ) -> None:
        assert _problem(lambda: store.sign_in("nobody", PASSWORD, "1.2.3.4")) is (
            StoreProblem.SIGN_IN_FAILED
        )

    def test_short_passwords_and_taken_names_are_refused(self, store: ScenarioStore) -> None:
        assert _problem(lambda: store.add_user("carla", "short")) is StoreProblem.WEAK_PASSWORD
        assert _problem(lambda: store.add_user("ANA", PASSWORD)) is StoreProblem.NAME_TAKEN

    def test_a_new_password_ends_every_session(self, store: ScenarioStore) -> None:
        _, token = store.sign_in("ana", PASSWORD, "1.2.3.4")
        store.set_password("ana", "another long secret")
        assert store.session_user(token) is None
        assert store.sign_in("ana", "another long secret", "1.2.3.4")[0].name == "ana"


class TestSigningIn:
    def test_a_session_lasts_until_it_expires_or_is_signed_out(
        self, store: ScenarioStore, clock: Clock
    ) -> None:
        user, token = store.sign_in(" Ana ", PASSWORD, "1.2.3.4")
        assert user.name == "ana" and store.session_user(token) == user
        clock.advance(hours=11)
        assert store.session_user(token) == user
        clock.advance(hours=2)
        assert store.session_user(token) is None
        _, again = store.sign_in("ana", PASSWORD, "1.2.3.4")
        store.sign_out(again)
        assert store.session_user(again) is None

    def test_only_the_tokens_hash_is_stored(self, store: ScenarioStore) -> None:
        _, token = store.sign_in("ana", PASSWORD, "1.2.3.4")
        with store._read() as conn:
            stored = [row[0] for row in conn.execute("SELECT token_hash FROM sign_in_sessions")]
        assert stored and token not in stored

    def test_failures_are_limited_per_user(self, store: ScenarioStore, clock: Clock) -> None:
        for attempt in range(users_module.MAX_FAILURES_PER_USER):
            address = f"10.0.0.{attempt}"
            store_problem = _problem(lambda: store.sign_in("ana", "wrong!!!", address))  # noqa: B023
            assert store_problem is StoreProblem.SIGN_IN_FAILED
        refused = _problem(lambda: store.sign_in("ana", PASSWORD, "10.0.0.99"))
        assert refused is StoreProblem.RATE_LIMITED
        assert store.sign_in("bruno", PASSWORD, "10.0.0.99")[0].name == "bruno"
        clock.advance(minutes=16)  # the window has passed
        assert store.sign_in("ana", PASSWORD, "10.0.0.99")[0].name == "ana"

    def test_failures_are_limited_per_address(self, store: ScenarioStore) -> None:
        for attempt in range(users_module.MAX_FAILURES_PER_ADDRESS):
            store.add_user(f"user{attempt}", PASSWORD)
            name = f"user{attempt}"
            _problem(lambda: store.sign_in(name, "wrong!!!", "6.6.6.6"))  # noqa: B023
        assert _problem(lambda: store.sign_in("ana", PASSWORD, "6.6.6.6")) is (
            StoreProblem.RATE_LIMITED
        )
        assert store.sign_in("ana", PASSWORD, "7.7.7.7")[0].name == "ana"

    def test_a_removed_user_cannot_sign_in_and_their_session_ends(
        self, store: ScenarioStore
    ) -> None:
        _, token = store.sign_in("bruno", PASSWORD, "1.2.3.4")
        store.remove_user("bruno")
        assert store.session_user(token) is None
        assert _problem(lambda: store.sign_in("bruno", PASSWORD, "1.2.3.4")) is (
            StoreProblem.SIGN_IN_FAILED
        )
        assert [u.name for u in store.users()] == ["ana"]


class TestIsolation:
    def test_each_user_sees_their_clients_only(self, store: ScenarioStore) -> None:
        assert [c.name for c in _as(store, "ana").clients()] == ["Acme"]
        assert [c.name for c in _as(store, "bruno").clients()] == ["Bravo"]
        assert [c.name for c in store.clients()] == ["Acme", "Bravo"]  # the server: all

    def test_every_operation_on_anothers_client_is_refused(
        self, store: ScenarioStore, example_scenario: Scenario
    ) -> None:
        ana, bruno = _as(store, "ana"), _as(store, "bruno")
        acme = _client_id(store, "Acme")
        saved = ana.save_new(acme, example_scenario, "Plan")
        kept = ana.keep_history(acme, "ventas.csv", b"date,spend\n2025-01-01,10\n", rows=1)
        refused: list[Callable[[], object]] = [
            lambda: bruno.client(acme),
            lambda: bruno.scenarios(acme),
            lambda: bruno.save_new(acme, example_scenario, "Mine now"),
            lambda: bruno.load(saved.id),
            lambda: bruno.summary(saved.id),
            lambda: bruno.history(saved.id),
            lambda: bruno.save(saved.id, example_scenario, saved.version),
            lambda: bruno.rename_scenario(saved.id, "Renamed"),
            lambda: bruno.duplicate_scenario(saved.id),
            lambda: bruno.delete_scenario(saved.id),
            lambda: bruno.import_scenarios(acme, [example_scenario]),
            lambda: bruno.histories(acme),
            lambda: bruno.load_history(kept.id),
            lambda: bruno.delete_history(kept.id),
            lambda: bruno.rename_client(acme, "Taken over"),
            lambda: bruno.delete_client(acme),
        ]
        for call in refused:
            assert _problem(call) is StoreProblem.FORBIDDEN
        assert [s.name for s in bruno.scenarios()] == []
        assert ana.load(saved.id)[0].version == 1  # nothing changed

    def test_a_member_saves_but_only_an_owner_deletes_or_adds_members(
        self, store: ScenarioStore, example_scenario: Scenario
    ) -> None:
        store.grant("bruno", "Acme", Role.MEMBER)
        bruno = _as(store, "bruno")
        acme = _client_id(store, "Acme")
        saved = bruno.save_new(acme, example_scenario, "Bruno's idea")
        assert saved.saved_by == "bruno"
        assert _problem(lambda: bruno.delete_client(acme)) is StoreProblem.FORBIDDEN
        assert _problem(lambda: bruno.grant("ana", "Acme", Role.MEMBER)) is StoreProblem.FORBIDDEN
        _as(store, "ana").delete_client(acme)  # the owner may

    def test_a_new_client_belongs_to_its_creator(self, store: ScenarioStore) -> None:
        made = _as(store, "bruno").create_client("Charlie")
        assert [m.client_name for m in store.memberships("bruno")] == ["Bravo", "Charlie"]
        assert [m.role for m in store.memberships("bruno")] == [Role.OWNER, Role.OWNER]
        assert _problem(lambda: _as(store, "ana").client(made.id)) is StoreProblem.FORBIDDEN

    def test_members_are_listed_owners_first_to_members_only(self, store: ScenarioStore) -> None:
        store.grant("bruno", "Acme")
        acme = _client_id(store, "Acme")
        members = _as(store, "bruno").members(acme)
        assert [(m.user, m.role) for m in members] == [("ana", Role.OWNER), ("bruno", Role.MEMBER)]
        store.add_user("carla", PASSWORD)
        assert _problem(lambda: _as(store, "carla").members(acme)) is StoreProblem.FORBIDDEN

    def test_a_clients_last_owner_stays(self, store: ScenarioStore) -> None:
        assert _problem(lambda: store.revoke("ana", "Acme")) is StoreProblem.FORBIDDEN
        assert _problem(lambda: store.grant("ana", "Acme", Role.MEMBER)) is StoreProblem.FORBIDDEN
        store.grant("bruno", "Acme", Role.OWNER)
        store.revoke("ana", "Acme")  # another owner remains
        assert [m.user for m in store.members(_client_id(store, "Acme"))] == ["bruno"]

    def test_revoking_takes_the_client_away(self, store: ScenarioStore) -> None:
        store.grant("bruno", "Acme")
        assert len(_as(store, "bruno").clients()) == 2
        store.revoke("bruno", "Acme")
        assert [c.name for c in _as(store, "bruno").clients()] == ["Bravo"]

    def test_versions_record_who_saved_them(
        self, store: ScenarioStore, example_scenario: Scenario
    ) -> None:
        store.grant("bruno", "Acme")
        ana, bruno = _as(store, "ana"), _as(store, "bruno")
        first = ana.save_new(_client_id(store, "Acme"), example_scenario, "Plan")
        bruno.save(first.id, example_scenario, first.version)
        assert [v.saved_by for v in ana.history(first.id)] == ["bruno", "ana"]
        assert ana.summary(first.id).saved_by == "bruno"

    def test_drafts_are_each_users_own_even_under_the_same_token(
        self, store: ScenarioStore
    ) -> None:
        ana, bruno = _as(store, "ana"), _as(store, "bruno")
        ana.autosave("tab1", '{"name": "Ana draft"}', None, None)
        assert bruno.autosaved("tab1") is None
        assert bruno.latest_autosave() is None
        bruno.autosave("tab1", '{"name": "Bruno draft"}', None, None)
        assert ana.autosaved("tab1").draft == '{"name": "Ana draft"}'  # type: ignore[union-attr]
        assert bruno.latest_autosave().draft == '{"name": "Bruno draft"}'  # type: ignore[union-attr]
        assert store.latest_autosave() is None  # the embedded default's drafts: none


def test_a_version_3_database_gains_users_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    create_schema(path, 3)
    with closing(sqlite3.connect(path)) as conn, conn:
        stamp = "2023-01-02T03:04:05+00:00"
        conn.execute("INSERT INTO clients VALUES (1, 'Acme', ?, ?, NULL)", (stamp, stamp))
    with ScenarioStore(path) as store:
        assert [c.name for c in store.clients()] == ["Acme"]
        store.add_user("ana", PASSWORD)
        assert store.grant("ana", "1").client_name == "Acme"
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
