"""The SQLite store: clients and scenarios survive, sessions never overwrite each other silently,
bad files are refused without a byte written, and old files are migrated after a backup."""

from __future__ import annotations

import hashlib
import multiprocessing
import random
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings

from roi_model import Scenario, ScenarioError
from roi_model.files.scenario_file import scenario_from_json, scenario_to_json
from roi_model.store import (
    DB_ENV_VAR,
    MAX_NAME,
    SCHEMA_VERSION,
    Client,
    ScenarioStore,
    StoreError,
    StoreProblem,
    create_schema,
    default_db_path,
)
from tests.strategies import scenarios

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.moment = T0

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "scenarios.sqlite3"


@pytest.fixture
def store(store_location: str, clock: Clock) -> Iterator[ScenarioStore]:
    """A new store on each backend (see ``backend`` in conftest)."""
    with ScenarioStore(store_location, now=clock) as opened:
        yield opened


#: For the tests that read or damage the SQLite file itself.
sqlite_only = pytest.mark.parametrize("backend", ["sqlite"])


@pytest.fixture
def acme(store: ScenarioStore) -> Client:
    return store.create_client("Acme")


def _problem(call: Callable[[], object]) -> StoreProblem:
    with pytest.raises(StoreError) as caught:
        call()
    return caught.value.problem


def _budget(scenario: Scenario, ad_budget: float) -> Scenario:
    return replace(scenario, investment=replace(scenario.investment, ad_budget=ad_budget))


def _snapshot(path: Path) -> tuple[str, list[str]]:
    """The file's hash and everything beside it: what "never written to" must keep."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "<dir>"
    return digest, sorted(p.name for p in path.parent.iterdir())


def _user_version(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


class TestDefaultDbPath:
    def test_environment_variable_wins(self) -> None:
        environ = {DB_ENV_VAR: "/srv/roi/team.sqlite3", "XDG_DATA_HOME": "/xdg"}
        assert default_db_path(environ, "linux", Path("/home/ana")) == Path("/srv/roi/team.sqlite3")

    def test_environment_variable_expands_the_home_folder(self) -> None:
        path = default_db_path({DB_ENV_VAR: "~/roi.sqlite3"}, "linux", Path("/home/ana"))
        assert path == Path("~/roi.sqlite3").expanduser()
        assert "~" not in str(path)

    @pytest.mark.parametrize(
        ("environ", "platform", "expected"),
        [
            ({DB_ENV_VAR: "  "}, "linux", "/home/ana/.local/share/roi-explorer"),
            ({}, "linux", "/home/ana/.local/share/roi-explorer"),
            ({"XDG_DATA_HOME": "/data/ana"}, "linux", "/data/ana/roi-explorer"),
            ({"XDG_DATA_HOME": "relative/x"}, "linux", "/home/ana/.local/share/roi-explorer"),
            ({}, "darwin", "/home/ana/Library/Application Support/ROI Explorer"),
            ({"APPDATA": "/appdata/roaming"}, "win32", "/appdata/roaming/ROI Explorer"),
            ({}, "win32", "/home/ana/AppData/Roaming/ROI Explorer"),
        ],
        ids=["blank-env", "linux", "xdg", "xdg-relative", "darwin", "win32", "win32-no-appdata"],
    )
    def test_per_user_data_folder(
        self, environ: dict[str, str], platform: str, expected: str
    ) -> None:
        path = default_db_path(environ, platform, Path("/home/ana"))
        assert path == Path(expected) / "scenarios.sqlite3"


class TestOpening:
    def test_creates_missing_folders_and_the_file(self, tmp_path: Path) -> None:
        path = tmp_path / "a" / "b" / "scenarios.sqlite3"
        with ScenarioStore(path) as store:
            assert store.path == path
            assert store.clients() == []
        assert path.is_file()
        assert _user_version(path) == SCHEMA_VERSION

    def test_an_empty_file_counts_as_new(self, db_path: Path) -> None:
        db_path.touch()
        with ScenarioStore(db_path) as store:
            store.create_client("Acme")
        assert _user_version(db_path) == SCHEMA_VERSION

    def test_reopening_keeps_the_data_and_makes_no_backup(self, db_path: Path) -> None:
        with ScenarioStore(db_path) as store:
            store.create_client("Acme")
        with ScenarioStore(db_path) as store:
            assert [c.name for c in store.clients()] == ["Acme"]
        assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]

    @sqlite_only
    def test_uses_write_ahead_logging(self, store: ScenarioStore, db_path: Path) -> None:
        with closing(sqlite3.connect(db_path)) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    def test_close_closes_every_connection(self, db_path: Path) -> None:
        store = ScenarioStore(db_path)
        threads = [threading.Thread(target=store.clients) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        store.close()
        # SQLite removes the write-ahead log when the last connection to the file closes.
        assert not db_path.with_name(db_path.name + "-wal").exists()
        with pytest.raises(sqlite3.ProgrammingError):
            store.clients()

    def test_times_are_utc(self, db_path: Path) -> None:
        madrid = datetime(2024, 5, 1, 11, 0, tzinfo=timezone(timedelta(hours=2)))
        with ScenarioStore(db_path, now=lambda: madrid) as store:
            client = store.create_client("Acme")
        assert client.created_at == madrid
        assert client.created_at.utcoffset() == timedelta(0)

    def test_a_writer_holding_the_lock_gives_busy(self, db_path: Path) -> None:
        with ScenarioStore(db_path, busy_timeout=0.05) as store:
            with closing(sqlite3.connect(db_path, isolation_level=None)) as other:
                other.execute("BEGIN IMMEDIATE")
                assert _problem(lambda: store.create_client("Acme")) is StoreProblem.BUSY
                assert store.clients() == []  # readers are not blocked by a writer
                other.execute("ROLLBACK")
            assert store.create_client("Acme").name == "Acme"


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(7).randbytes(8192))


def _text_file(path: Path) -> None:
    path.write_text("name,budget\nAcme,5000\n" * 50, encoding="utf-8")


def _truncated_database(path: Path) -> None:
    scenario = Scenario(name="x")
    with ScenarioStore(path) as store:
        client = store.create_client("Acme")
        for i in range(30):
            store.save_new(client.id, scenario, name=f"Plan {i}")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _future_schema(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE things (id INTEGER PRIMARY KEY)")
        conn.execute("PRAGMA user_version = 99")


def _future_schema_in_wal_mode(path: Path) -> None:
    with ScenarioStore(path) as store:
        store.create_client("Acme")
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA user_version = 99")


def _another_apps_database(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        conn.execute("INSERT INTO notes (text) VALUES ('keep me')")
        conn.commit()


class TestRefusesBadFiles:
    @pytest.mark.parametrize(
        ("make", "problem"),
        [
            (_random_bytes, StoreProblem.CORRUPT),
            (_text_file, StoreProblem.CORRUPT),
            (_truncated_database, StoreProblem.CORRUPT),
            (_another_apps_database, StoreProblem.CORRUPT),
            (_future_schema, StoreProblem.FUTURE_SCHEMA),
            (_future_schema_in_wal_mode, StoreProblem.FUTURE_SCHEMA),
        ],
        ids=["random-bytes", "text", "truncated", "another-app", "future", "future-wal"],
    )
    def test_refused_and_never_written(
        self, tmp_path: Path, make: Callable[[Path], None], problem: StoreProblem
    ) -> None:
        path = tmp_path / "bad" / "scenarios.sqlite3"
        path.parent.mkdir()
        make(path)
        before = _snapshot(path)
        with pytest.raises(StoreError) as caught:
            ScenarioStore(path)
        assert caught.value.problem is problem
        assert str(path) in caught.value.detail
        # Same bytes, and nothing beside it: no -wal, -shm, -journal or backup.
        assert _snapshot(path) == before

    def test_a_directory_is_unreadable(self, db_path: Path) -> None:
        db_path.mkdir()
        assert _problem(lambda: ScenarioStore(db_path)) is StoreProblem.UNREADABLE
        assert list(db_path.iterdir()) == []

    def test_a_file_where_the_folder_should_be_is_unreadable(self, tmp_path: Path) -> None:
        (tmp_path / "folder").write_text("not a folder", encoding="utf-8")
        path = tmp_path / "folder" / "scenarios.sqlite3"
        assert _problem(lambda: ScenarioStore(path)) is StoreProblem.UNREADABLE


def _v1_database(path: Path, scenario: Scenario) -> None:
    """A database as version 1 of the app left it: no versions, deletions or autosaves."""
    create_schema(path, 1)
    stamp = "2023-01-02T03:04:05+00:00"
    with closing(sqlite3.connect(path)) as conn, conn:
        rows = [(1, "Acme", stamp, stamp), (2, "ACME", stamp, stamp)]
        conn.executemany("INSERT INTO clients VALUES (?, ?, ?, ?)", rows)
        conn.execute(
            "INSERT INTO scenarios VALUES (1, 1, 'Plan', ?, ?, ?)",
            (scenario_to_json(replace(scenario, name="Plan")), stamp, stamp),
        )


class TestMigration:
    def test_version_1_is_migrated_after_a_backup(
        self, db_path: Path, example_scenario: Scenario
    ) -> None:
        _v1_database(db_path, example_scenario)
        with ScenarioStore(db_path) as store:
            (summary,) = store.scenarios()
            loaded = store.load(summary.id)
            history = store.history(summary.id)
            clients = store.clients()
        assert _user_version(db_path) == SCHEMA_VERSION
        assert loaded == (summary, replace(example_scenario, name="Plan"))
        assert (summary.client_name, summary.version) == ("Acme", 1)
        assert summary.updated_at == datetime(2023, 1, 2, 3, 4, 5, tzinfo=UTC)
        assert [(v.version, v.scenario) for v in history] == [(1, loaded[1])]
        # Version 1 allowed names differing only in case; the later one gets its id.
        assert [c.name for c in clients] == ["Acme", "ACME (2)"]
        backup = db_path.with_name(db_path.name + ".v1.bak")
        assert _user_version(backup) == 1
        with closing(sqlite3.connect(backup)) as conn:
            assert conn.execute("SELECT name FROM scenarios").fetchall() == [("Plan",)]

    def test_migrated_database_works_like_a_new_one(
        self, db_path: Path, example_scenario: Scenario
    ) -> None:
        _v1_database(db_path, example_scenario)
        with ScenarioStore(db_path) as store:
            summary = store.save(1, _budget(example_scenario, 1.0), expected_version=1)
            assert summary.version == 2
            assert _problem(lambda: store.create_client("acme")) is StoreProblem.NAME_TAKEN

    def test_an_existing_backup_is_not_overwritten(
        self, db_path: Path, example_scenario: Scenario
    ) -> None:
        _v1_database(db_path, example_scenario)
        first = db_path.with_name(db_path.name + ".v1.bak")
        first.write_bytes(b"an older backup")
        ScenarioStore(db_path).close()
        assert first.read_bytes() == b"an older backup"
        assert _user_version(db_path.with_name(db_path.name + ".v1.2.bak")) == 1

    def test_version_2_gains_histories_and_keeps_everything(
        self, db_path: Path, example_scenario: Scenario
    ) -> None:
        create_schema(db_path, 2)
        with closing(sqlite3.connect(db_path)) as conn, conn:
            stamp = "2023-01-02T03:04:05+00:00"
            conn.execute("INSERT INTO clients VALUES (1, 'Acme', ?, ?, NULL)", (stamp, stamp))
            conn.execute("INSERT INTO autosaves VALUES ('s1', '{}', NULL, NULL, ?)", (stamp,))
        with ScenarioStore(db_path) as store:
            assert store.autosaved("s1").preset == ""  # type: ignore[union-attr]
            assert store.histories(1) == []
            kept = store.keep_history(1, "ventas.csv", b"date,spend\n2025-01-01,10\n", rows=1)
            assert store.load_history(kept.id).data.startswith(b"date,spend")
        assert _user_version(db_path) == SCHEMA_VERSION
        assert _user_version(db_path.with_name(db_path.name + ".v2.bak")) == 2

    def test_create_schema_refuses_unknown_versions(self, db_path: Path) -> None:
        with pytest.raises(ValueError, match=f"between 0 and {SCHEMA_VERSION}"):
            create_schema(db_path, SCHEMA_VERSION + 1)
        assert not db_path.exists()


class TestClients:
    def test_create_strips_the_name(self, store: ScenarioStore, clock: Clock) -> None:
        client = store.create_client("  Clínica Sonrisa \t")
        assert client.name == "Clínica Sonrisa"
        assert client.created_at == client.updated_at == T0
        assert store.client(client.id) == client

    @pytest.mark.parametrize(
        ("first", "second"),
        [("Acme", "acme"), ("Acme", "  ACME  "), ("Straße", "STRASSE"), ("Ñandú", "ñandú")],
        ids=["lower", "stripped-upper", "casefold", "accented"],
    )
    def test_names_are_unique_regardless_of_case(
        self, store: ScenarioStore, first: str, second: str
    ) -> None:
        store.create_client(first)
        assert _problem(lambda: store.create_client(second)) is StoreProblem.NAME_TAKEN
        assert len(store.clients()) == 1

    @pytest.mark.parametrize(
        "name", ["", "   ", "x" * (MAX_NAME + 1)], ids=["empty", "blank", "long"]
    )
    def test_invalid_names(self, store: ScenarioStore, name: str) -> None:
        assert _problem(lambda: store.create_client(name)) is StoreProblem.INVALID_NAME
        assert store.clients() == []

    def test_longest_name_is_accepted(self, store: ScenarioStore) -> None:
        assert store.create_client("x" * MAX_NAME).name == "x" * MAX_NAME

    def test_listed_by_name_regardless_of_case(self, store: ScenarioStore) -> None:
        for name in ["beta", "Ñu", "Alpha", "gamma"]:
            store.create_client(name)
        assert [c.name for c in store.clients()] == ["Alpha", "beta", "gamma", "Ñu"]

    def test_rename(self, store: ScenarioStore, acme: Client, clock: Clock) -> None:
        clock.advance(hours=1)
        renamed = store.rename_client(acme.id, " Acme Corp ")
        assert (renamed.name, renamed.created_at, renamed.updated_at) == (
            "Acme Corp",
            T0,
            T0 + timedelta(hours=1),
        )
        assert store.rename_client(acme.id, "ACME CORP").name == "ACME CORP"

    def test_rename_to_a_taken_name_is_refused(self, store: ScenarioStore, acme: Client) -> None:
        store.create_client("Beta")
        assert _problem(lambda: store.rename_client(acme.id, "beta")) is StoreProblem.NAME_TAKEN
        assert store.client(acme.id).name == "Acme"

    def test_delete_and_restore(self, store: ScenarioStore, acme: Client) -> None:
        store.delete_client(acme.id)
        assert store.clients() == []
        assert _problem(lambda: store.client(acme.id)) is StoreProblem.NOT_FOUND
        assert _problem(lambda: store.rename_client(acme.id, "X")) is StoreProblem.NOT_FOUND
        assert _problem(lambda: store.delete_client(acme.id)) is StoreProblem.NOT_FOUND
        assert store.restore_client(acme.id) == acme
        assert store.clients() == [acme]

    def test_a_deleted_name_is_free_and_restore_then_refused(
        self, store: ScenarioStore, acme: Client
    ) -> None:
        store.delete_client(acme.id)
        newcomer = store.create_client("ACME")
        assert _problem(lambda: store.restore_client(acme.id)) is StoreProblem.NAME_TAKEN
        assert store.clients() == [newcomer]

    def test_missing_ids_are_not_found(self, store: ScenarioStore) -> None:
        assert _problem(lambda: store.client(999)) is StoreProblem.NOT_FOUND
        assert _problem(lambda: store.restore_client(999)) is StoreProblem.NOT_FOUND
        assert _problem(lambda: store.scenarios(999)) is StoreProblem.NOT_FOUND


class TestScenarios:
    def test_save_new_and_load_round_trip(
        self, store: ScenarioStore, acme: Client, example_scenario: Scenario
    ) -> None:
        summary = store.save_new(acme.id, example_scenario, name="  Plan A ")
        assert (summary.client_id, summary.client_name, summary.name) == (acme.id, "Acme", "Plan A")
        assert (summary.version, summary.updated_at) == (1, T0)
        assert store.load(summary.id) == (summary, replace(example_scenario, name="Plan A"))

    def test_summary_is_the_loaded_ones_and_refuses_a_deleted_scenario(
        self, store: ScenarioStore, acme: Client, example_scenario: Scenario
    ) -> None:
        saved = store.save_new(acme.id, example_scenario, name="Plan")
        assert store.summary(saved.id) == store.load(saved.id)[0] == saved
        store.delete_scenario(saved.id)
        assert _problem(lambda: store.summary(saved.id)) is StoreProblem.NOT_FOUND

    def test_save_new_takes_the_scenario_name_by_default(
        self, store: ScenarioStore, acme: Client, clinic_scenario: Scenario
    ) -> None:
        summary = store.save_new(acme.id, clinic_scenario)
        assert summary.name == "Clínica dental"
        assert store.load(summary.id)[1] == clinic_scenario

    def test_names_are_unique_per_client(
        self, store: ScenarioStore, acme: Client, example_scenario: Scenario
    ) -> None:
        other = store.create_client("Beta")
        store.save_new(acme.id, example_scenario, name="Plan")
        refused = _problem(lambda: store.save_new(acme.id, example_scenario, name="PLAN"))
        assert refused is StoreProblem.NAME_TAKEN
        assert store.save_new(other.id, example_scenario, name="PLAN").name == "PLAN"
        blank = _problem(lambda: store.save_new(acme.id, example_scenario, name=" "))
        assert blank is StoreProblem.INVALID_NAME

    def test_save_bumps_the_version_and_keeps_the_stored_name(
        self, store: ScenarioStore, acme: Client, example_scenario: Scenario, clock: Clock
    ) -> None:
        first = store.save_new(acme.id, example_scenario, name="Plan")
        clock.advance(minutes=5)
        changed = replace(_budget(example_scenario, 9000.0), name="ignored")
        second = store.save(first.id, changed, expected_version=1)
        assert (second.version, second.name, second.updated_at) == (2, "Plan", clock.moment)
        assert store.load(first.id) == (second, replace(changed, name="Plan"))
        assert [v.version for v in store.history(first.id)] == [2, 1]

    def test_save_from_a_stale_version_is_a_conflict(
        self, store: ScenarioStore, acme: Client, example_scenario: Scenario
    ) -> None:
        first = store.save_new(acme.id, example_scenario, name="Plan")
        store.save(first.id, _budget(example_scenario, 1.0), expected_version=1)
        with pytest.raises(StoreError) as caught:
            store.save(first.id, _budget(example_scenario, 2.0), expected_version=1)
        assert caught.value.problem is StoreProblem.CONFLICT
        assert caught.value.current == store.load(first.id)[0]
        assert store.load(first.id)[1].investment.ad_budget == 1.0

    def test_rename_is_a_new_version_with_the_new_name_in_the_body(
        self, store: ScenarioStore, acme: Client, example_scenario: Scenario
    ) -> None:
        first = store.save_new(acme.id, example_scenario, name="Plan")
        store.save_new(acme.id, example_scenario, name="Other")
        renamed = store.rename_scenario(first.id, " Plan B ")
        assert (renamed.name, renamed.version) == ("Plan B", 2)
        assert store.load(first.id)[1].name == "Plan B"
        assert [v.scenario.name for v in store.history(first.id)] == ["Plan B", "Plan"]
        clash = _problem(lambda: store.rename_scenario(first.id, "other"))
        assert clash is StoreProblem.NAME_TAKEN
        assert store.rename_scenario(first.id, "Plan B") == renamed  # unchanged: no new version

    def test_duplicate_names(
        self, store: ScenarioStore, acme: Client, example_scenario: Scenario
    ) -> None:
        source = store.save_new(acme.id, _budget(example_scenario, 1234.0), name="Plan")
        copies = [store.duplicate_scenario(source.id) for _ in range(3)]
        assert [c.name for c in copies] == ["Plan (copy)", "Plan (copy 2)", "Plan (copy 3)"]
        assert all(c.version == 1 and c.client_id == acme.id for c in copies)
        copied = store.load(copies[0].id)[1]
        assert copied == replace(example_scenario, name="Plan (copy)", investment=copied.investment)
        assert copied.investment.ad_budget == 1234.0
        assert store.duplicate_scenario(source.id, " Mine ").name == "Mine"
        taken = _problem(lambda: store.duplicate_scenario(source.id, "plan (COPY)"))
        assert taken is StoreProblem.NAME_TAKEN

    def test_duplicate_of_a_longest_name_fits(
        self, store: ScenarioStore, acme: Client, example_scenario: Scenario
    ) -> None:
        source = store.save_new(acme.id, example_scenario, name="x" * MAX_NAME)
        copy = store.duplicate_scenario(source.id)
        assert copy.name == "x" * (MAX_NAME - len(" (copy)")) + " (copy)"

    def test_delete_and_restore(
        self, store: ScenarioStore, acme: Client, example_scenario: Scenario
    ) -> None:
        plan = store.save_new(acme.id, example_scenario, name="Plan")
        store.delete_scenario(plan.id)
        assert store.scenarios() == []
        for call in (store.load, store.history, store.delete_scenario, store.duplicate_scenario):
            assert _problem(lambda call=call: call(plan.id)) is StoreProblem.NOT_FOUND
        save = _problem(lambda: store.save(plan.id, example_scenario, 1))
        assert save is StoreProblem.NOT_FOUND
        assert store.restore_scenario(plan.id) == plan
        assert store.scenarios(acme.id) == [plan]

    def test_restore_refused_when_the_name_was_taken(
        self, store: ScenarioStore, acme: Client, example_scenario: Scenario
    ) -> None:
        plan = store.save_new(acme.id, example_scenario, name="Plan")
        store.delete_scenario(plan.id)
        newer = store.save_new(acme.id, example_scenario, name="PLAN")
        assert _problem(lambda: store.restore_scenario(plan.id)) is StoreProblem.NAME_TAKEN
        assert store.scenarios() == [newer]

    def test_a_deleted_clients_scenarios_are_hidden_until_restored(
        self, store: ScenarioStore, acme: Client, example_scenario: Scenario
    ) -> None:
        plan = store.save_new(acme.id, example_scenario, name="Plan")
        beta = store.create_client("Beta")
        kept = store.save_new(beta.id, example_scenario, name="Kept")
        store.delete_client(acme.id)
        assert store.scenarios() == [kept]
        assert _problem(lambda: store.load(plan.id)) is StoreProblem.NOT_FOUND
        assert _problem(lambda: store.scenarios(acme.id)) is StoreProblem.NOT_FOUND
        assert _problem(lambda: store.restore_scenario(plan.id)) is StoreProblem.NOT_FOUND
        store.restore_client(acme.id)
        assert store.scenarios() == [plan, kept]

    def test_listed_by_client_then_name(
        self, store: ScenarioStore, example_scenario: Scenario
    ) -> None:
        beta = store.create_client("beta")
        alpha = store.create_client("Alpha")
        for client, name in [(beta, "b"), (alpha, "Zeta"), (beta, "A"), (alpha, "eta")]:
            store.save_new(client.id, example_scenario, name=name)
        listed = [(s.client_name, s.name) for s in store.scenarios()]
        assert listed == [("Alpha", "eta"), ("Alpha", "Zeta"), ("beta", "A"), ("beta", "b")]
        assert [s.name for s in store.scenarios(beta.id)] == ["A", "b"]

    @sqlite_only
    def test_a_body_that_fails_validation_raises_scenario_error(
        self, store: ScenarioStore, acme: Client, example_scenario: Scenario, db_path: Path
    ) -> None:
        plan = store.save_new(acme.id, example_scenario, name="Plan")
        with closing(sqlite3.connect(db_path)) as conn, conn:
            conn.execute("UPDATE scenarios SET body = '{\"name\": 1}' WHERE id = ?", (plan.id,))
        with pytest.raises(ScenarioError):
            store.load(plan.id)


class TestRoundTripProperty:
    @settings(max_examples=40)
    @given(scenario=scenarios())
    def test_any_valid_scenario_survives_save_and_load(self, scenario: Scenario) -> None:
        name = scenario.name.strip() or "Unnamed"
        with (
            tempfile.TemporaryDirectory() as folder,
            ScenarioStore(Path(folder) / "s.sqlite3") as store,
        ):
            client = store.create_client("Acme")
            summary = store.save_new(client.id, replace(scenario, name=name))
            loaded_summary, loaded = store.load(summary.id)
        assert loaded_summary == summary
        assert summary.name == name
        assert loaded == replace(scenario, name=name)


class TestTwoSessions:
    def test_stale_save_is_a_conflict_and_force_keeps_every_version(
        self, db_path: Path, example_scenario: Scenario
    ) -> None:
        with ScenarioStore(db_path) as a, ScenarioStore(db_path) as b:
            plan = a.save_new(a.create_client("Acme").id, example_scenario, name="Plan").id
            a_summary, a_scenario = a.load(plan)
            b_summary, b_scenario = b.load(plan)
            assert a_summary.version == b_summary.version == 1
            assert a.save(plan, _budget(a_scenario, 1000.0), a_summary.version).version == 2
            with pytest.raises(StoreError) as caught:
                b.save(plan, _budget(b_scenario, 2000.0), b_summary.version)
            assert caught.value.problem is StoreProblem.CONFLICT
            assert caught.value.current is not None
            assert caught.value.current.version == 2
            forced = b.save(plan, _budget(b_scenario, 2000.0), b_summary.version, force=True)
            assert forced.version == 3
            history = a.history(plan)
        budgets = [(v.version, v.scenario.investment.ad_budget) for v in history]
        assert budgets == [(3, 2000.0), (2, 1000.0), (1, example_scenario.investment.ad_budget)]


class TestThreads:
    def test_threads_sharing_one_store_lose_no_save(
        self, db_path: Path, example_scenario: Scenario
    ) -> None:
        threads, saves = 8, 25
        errors: list[BaseException] = []
        with ScenarioStore(db_path) as store:
            plan = store.save_new(store.create_client("Acme").id, example_scenario).id

            def work(worker: int) -> None:
                try:
                    for attempt in range(saves):
                        _save_with_retry(store, plan, float(worker * 100 + attempt))
                except BaseException as error:  # reported by the assertion below
                    errors.append(error)

            workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            summary, _ = store.load(plan)
            history = store.history(plan)
        assert errors == []
        assert summary.version == 1 + threads * saves
        assert [v.version for v in history] == list(range(1 + threads * saves, 0, -1))
        budgets = {v.scenario.investment.ad_budget for v in history[:-1]}
        assert budgets == {float(w * 100 + a) for w in range(threads) for a in range(saves)}


def _save_with_retry(store: ScenarioStore, plan: int, ad_budget: float) -> None:
    """Reload and save again until no one else saved in between."""
    while True:
        summary, scenario = store.load(plan)
        try:
            store.save(plan, _budget(scenario, ad_budget), summary.version)
            return
        except StoreError as error:
            if error.problem is not StoreProblem.CONFLICT:
                raise


def _save_in_another_process(path: str, client_id: int, body: str, worker: int, count: int) -> None:
    """A process's work: open the store, wait for the others, then save scenarios."""
    folder = Path(path).parent
    with ScenarioStore(path, busy_timeout=30.0) as store:
        (folder / f"ready-{worker}").touch()
        deadline = time.monotonic() + 60
        while not (folder / "go").exists():
            if time.monotonic() > deadline:
                raise TimeoutError("the test never said go")
            time.sleep(0.002)
        scenario = scenario_from_json(body)
        for i in range(count):
            store.save_new(client_id, scenario, name=f"process {worker} plan {i}")


class TestProcesses:
    def test_processes_writing_at_once_keep_every_row(
        self, tmp_path: Path, example_scenario: Scenario
    ) -> None:
        processes, count = 3, 40
        path = tmp_path / "scenarios.sqlite3"
        with ScenarioStore(path) as store:
            client = store.create_client("Acme")
        context = multiprocessing.get_context("spawn")
        body = scenario_to_json(example_scenario)
        workers = [
            context.Process(
                target=_save_in_another_process, args=(str(path), client.id, body, i, count)
            )
            for i in range(processes)
        ]
        for worker in workers:
            worker.start()
        try:
            _wait_for(lambda: all((tmp_path / f"ready-{i}").exists() for i in range(processes)))
            (tmp_path / "go").touch()
        finally:
            for worker in workers:
                worker.join(timeout=60)
        assert [w.exitcode for w in workers] == [0] * processes
        for worker in workers:
            worker.close()
        with ScenarioStore(path) as store:
            names = {s.name for s in store.scenarios(client.id)}
        assert names == {f"process {w} plan {i}" for w in range(processes) for i in range(count)}
        with closing(sqlite3.connect(path)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def _wait_for(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the other processes did not start"
        time.sleep(0.01)


class TestImportScenarios:
    def test_clashes_get_a_number_and_nothing_is_overwritten(
        self, store: ScenarioStore, acme: Client, example_scenario: Scenario
    ) -> None:
        existing = store.save_new(acme.id, example_scenario, name="Plan")
        batch = [
            _budget(replace(example_scenario, name=name), float(i))
            for i, name in enumerate(["Plan", " plan ", "Plan", "Other", "  ", "y" * 200])
        ]
        imported = store.import_scenarios(acme.id, batch)
        names = [s.name for s in imported]
        assert names == ["Plan (2)", "plan (3)", "Plan (4)", "Other", "Scenario", "y" * MAX_NAME]
        assert [store.load(s.id)[1].investment.ad_budget for s in imported] == list(
            map(float, range(6))
        )
        assert store.load(existing.id) == (existing, replace(example_scenario, name="Plan"))
        assert len(store.history(existing.id)) == 1

    def test_into_a_deleted_client_adds_nothing(
        self, store: ScenarioStore, acme: Client, example_scenario: Scenario
    ) -> None:
        store.delete_client(acme.id)
        refused = _problem(lambda: store.import_scenarios(acme.id, [example_scenario]))
        assert refused is StoreProblem.NOT_FOUND
        store.restore_client(acme.id)
        assert store.scenarios() == []


class TestPurgeDeleted:
    def test_only_what_was_deleted_long_enough_ago_goes(
        self, store: ScenarioStore, acme: Client, example_scenario: Scenario, clock: Clock
    ) -> None:
        kept = store.save_new(acme.id, example_scenario, name="Kept")
        gone = store.save_new(acme.id, example_scenario, name="Gone")
        beta = store.create_client("Beta")
        store.save_new(beta.id, example_scenario, name="With Beta")
        store.delete_scenario(gone.id)
        store.delete_client(beta.id)
        store.autosave("s1", "{draft}", gone.id, 1)
        clock.advance(days=10)
        assert store.purge_deleted(timedelta(days=30)) == 0
        clock.advance(days=21)
        assert store.purge_deleted(timedelta(days=30)) == 3  # Gone, With Beta and Beta
        assert _problem(lambda: store.restore_scenario(gone.id)) is StoreProblem.NOT_FOUND
        assert _problem(lambda: store.restore_client(beta.id)) is StoreProblem.NOT_FOUND
        assert store.scenarios() == [kept]
        draft = store.autosaved("s1")
        assert draft is not None
        assert (draft.draft, draft.scenario_id, draft.base_version) == ("{draft}", None, None)

    def test_an_autosave_keeps_the_preset_it_started_from(self, store: ScenarioStore) -> None:
        store.autosave("s1", "{draft}", None, None, "dental_clinic")
        assert store.autosaved("s1").preset == "dental_clinic"  # type: ignore[union-attr]
        store.autosave("s1", "{draft}", None, None)
        assert store.autosaved("s1").preset == ""  # type: ignore[union-attr]


class TestAutosave:
    def test_upsert_and_read_back(self, store: ScenarioStore, clock: Clock) -> None:
        assert store.autosaved("s1") is None
        assert store.latest_autosave() is None
        store.autosave("s1", "first", None, None)
        clock.advance(seconds=3)
        store.autosave("s1", "second", 7, 2)
        draft = store.autosaved("s1")
        assert draft is not None
        assert (draft.session, draft.draft, draft.scenario_id, draft.base_version) == (
            "s1",
            "second",
            7,
            2,
        )
        assert draft.updated_at == T0 + timedelta(seconds=3)

    def test_an_invalid_draft_is_kept_verbatim(self, store: ScenarioStore) -> None:
        text = '{"name": "Plan", "investment": {"ad_budget": -5,\n  // half typed ñ'
        store.autosave("s1", text, None, None)
        draft = store.autosaved("s1")
        assert draft is not None
        assert draft.draft == text

    def test_latest_is_the_most_recently_saved(self, store: ScenarioStore, clock: Clock) -> None:
        store.autosave("s1", "one", None, None)
        clock.advance(seconds=1)
        store.autosave("s2", "two", None, None)
        clock.advance(seconds=1)
        store.autosave("s1", "three", None, None)
        latest = store.latest_autosave()
        assert latest is not None
        assert (latest.session, latest.draft) == ("s1", "three")

    def test_prune_removes_only_old_drafts(self, store: ScenarioStore, clock: Clock) -> None:
        store.autosave("old", "a", None, None)
        clock.advance(days=8)
        store.autosave("new", "b", None, None)
        assert store.prune_autosaves(timedelta(days=7)) == 1
        assert store.autosaved("old") is None
        assert store.autosaved("new") is not None


EXPORT = "date;canal;importe\n01/02/2025;Facebook;1.234,50\n".encode("cp1252") * 50


class TestHistories:
    @sqlite_only
    def test_kept_and_loaded_as_uploaded_with_the_corrections(
        self, store: ScenarioStore, acme: Client, clock: Clock
    ) -> None:
        kept = store.keep_history(
            acme.id,
            " ventas 2025.csv ",
            EXPORT,
            channel="Facebook",
            mapping={"importe": "spend", "canal": ""},
            date_order="dmy",
            rows=50,
            dates=(date(2025, 2, 1), date(2025, 2, 1)),
        )
        assert (kept.name, kept.size, kept.rows) == ("ventas 2025.csv", len(EXPORT), 50)
        day = date(2025, 2, 1)
        assert (kept.first_date, kept.last_date, kept.created_at) == (day, day, T0)
        loaded = store.load_history(kept.id)
        assert (loaded.summary, loaded.data, loaded.channel) == (kept, EXPORT, "Facebook")
        assert (loaded.mapping, loaded.date_order) == ({"importe": "spend", "canal": ""}, "dmy")
        with closing(sqlite3.connect(store.path)) as conn:
            (stored,) = conn.execute("SELECT length(data) FROM histories").fetchone()
        assert stored < len(EXPORT) / 4  # compressed

    def test_keeping_the_same_name_again_replaces_it(
        self, store: ScenarioStore, acme: Client, clock: Clock
    ) -> None:
        first = store.keep_history(acme.id, "Ventas.csv", EXPORT, rows=50)
        clock.advance(minutes=5)
        again = store.keep_history(acme.id, "ventas.CSV", EXPORT, mapping={"a": "spend"}, rows=49)
        assert again.id == first.id
        assert (again.name, again.rows, again.created_at) == ("ventas.CSV", 49, T0)
        assert again.updated_at == T0 + timedelta(minutes=5)
        assert store.histories(acme.id) == [again]
        assert store.load_history(first.id).mapping == {"a": "spend"}

    def test_staff_hours_entered_per_month_are_kept(
        self, store: ScenarioStore, acme: Client
    ) -> None:
        kept = store.keep_history(acme.id, "ventas.csv", EXPORT)
        assert store.load_history(kept.id).hours == {}
        store.keep_history_hours(kept.id, {"2025-02": 40, "2025-01": 12.5})
        assert store.load_history(kept.id).hours == {"2025-01": 12.5, "2025-02": 40.0}
        store.keep_history(acme.id, "ventas.csv", EXPORT, mapping={"a": "spend"})  # corrected
        assert store.load_history(kept.id).hours == {"2025-01": 12.5, "2025-02": 40.0}
        assert _problem(lambda: store.keep_history_hours(999, {})) is StoreProblem.NOT_FOUND

    def test_each_client_has_its_own_newest_first(
        self, store: ScenarioStore, acme: Client, clock: Clock
    ) -> None:
        beta = store.create_client("Beta")
        older = store.keep_history(acme.id, "2024.csv", b"x")
        clock.advance(days=1)
        newer = store.keep_history(acme.id, "2025.csv", b"y")
        theirs = store.keep_history(beta.id, "2025.csv", b"z")
        assert store.histories(acme.id) == [newer, older]
        assert store.histories(beta.id) == [theirs]
        assert theirs.id != newer.id

    def test_delete_undo_and_a_deleted_client_hides_them(
        self, store: ScenarioStore, acme: Client
    ) -> None:
        kept = store.keep_history(acme.id, "ventas.csv", EXPORT)
        store.delete_history(kept.id)
        assert store.histories(acme.id) == []
        assert _problem(lambda: store.load_history(kept.id)) is StoreProblem.NOT_FOUND
        assert store.restore_history(kept.id) == kept
        store.delete_client(acme.id)
        assert _problem(lambda: store.load_history(kept.id)) is StoreProblem.NOT_FOUND
        assert _problem(lambda: store.histories(acme.id)) is StoreProblem.NOT_FOUND
        store.restore_client(acme.id)
        assert store.load_history(kept.id).data == EXPORT

    def test_undo_after_keeping_another_of_that_name_is_refused(
        self, store: ScenarioStore, acme: Client
    ) -> None:
        kept = store.keep_history(acme.id, "ventas.csv", EXPORT)
        store.delete_history(kept.id)
        store.keep_history(acme.id, "VENTAS.csv", b"newer")
        assert _problem(lambda: store.restore_history(kept.id)) is StoreProblem.NAME_TAKEN
        assert _problem(lambda: store.restore_history(999)) is StoreProblem.NOT_FOUND

    @pytest.mark.parametrize(
        ("column", "value"),
        [
            ("data", b"not zlib"),
            ("data", None),
            ("mapping", "{not json"),
            ("mapping", '["a list"]'),
            ("mapping", '{"a": 1}'),
            ("hours", "{x"),
            ("hours", '{"2025-01": "many"}'),
        ],
        ids=[
            "data-not-zlib",
            "data-null",
            "mapping-not-json",
            "mapping-a-list",
            "mapping-a-number",
            "hours-not-json",
            "hours-not-numbers",
        ],
    )
    @sqlite_only
    def test_a_damaged_history_is_corrupt_and_the_rest_still_loads(
        self, store: ScenarioStore, acme: Client, column: str, value: object
    ) -> None:
        damaged = store.keep_history(acme.id, "damaged.csv", EXPORT)
        fine = store.keep_history(acme.id, "fine.csv", EXPORT)
        with closing(sqlite3.connect(store.path)) as conn, conn:
            if value is None:  # NOT NULL: an empty blob instead
                value = b""
            conn.execute(f"UPDATE histories SET {column} = ? WHERE id = ?", (value, damaged.id))
        assert _problem(lambda: store.load_history(damaged.id)) is StoreProblem.CORRUPT
        assert store.load_history(fine.id).data == EXPORT
        assert len(store.histories(acme.id)) == 2

    def test_invalid_names_and_missing_clients(self, store: ScenarioStore, acme: Client) -> None:
        assert _problem(lambda: store.keep_history(acme.id, "  ", b"x")) is (
            StoreProblem.INVALID_NAME
        )
        assert _problem(lambda: store.keep_history(999, "a.csv", b"x")) is StoreProblem.NOT_FOUND

    @sqlite_only
    def test_purged_with_their_client_or_when_deleted_long_ago(
        self, store: ScenarioStore, acme: Client, clock: Clock
    ) -> None:
        beta = store.create_client("Beta")
        store.keep_history(beta.id, "theirs.csv", b"x")
        gone = store.keep_history(acme.id, "gone.csv", b"y")
        kept = store.keep_history(acme.id, "kept.csv", b"z")
        store.delete_history(gone.id)
        store.delete_client(beta.id)
        clock.advance(days=31)
        assert store.purge_deleted(timedelta(days=30)) == 1  # Beta
        assert store.histories(acme.id) == [kept]
        assert gone.id != kept.id
        with closing(sqlite3.connect(store.path)) as conn:
            assert conn.execute("SELECT name FROM histories").fetchall() == [("kept.csv",)]
