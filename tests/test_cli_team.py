"""The command line's team administration: users, their clients, and saving as one user.

Every refusal exits 2 with one line on stderr and leaves the database as it was.
"""

from __future__ import annotations

import io
import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from roi_model.cli import main
from roi_model.store import ScenarioStore

PRESET = Path(__file__).resolve().parents[1] / "sample_data" / "presets" / "restaurant.json"
PASSWORD = "correct horse battery"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "db.sqlite3"
    monkeypatch.setenv("ROI_EXPLORER_DB", str(path))
    return path


def _main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    code, out, err = _main(capsys, *args)
    assert (code, err) == (0, "")
    return json.loads(out)


def _refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """The one line a refused command prints on stderr (stdout stays empty)."""
    code, out, err = _main(capsys, *args)
    assert (code, out) == (2, "")
    assert err.startswith("error: ") and err.endswith("\n") and err.count("\n") == 1
    return err


def _add_user(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    password: str = PASSWORD,
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return _main(capsys, "users", "add", name, "--password-stdin")


def _rows(db: Path, table: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(f"SELECT * FROM {table}").fetchall()


def _save(
    capsys: pytest.CaptureFixture[str], user: str, client: str, *more: str
) -> tuple[int, str, str]:
    args = ("scenarios", "save", str(PRESET), "--user", user, "--client", client, *more)
    return _main(capsys, *args)


@pytest.fixture
def ana_in_acme(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> int:
    """User ana, a member of client Acme; the client's id."""
    assert _add_user(capsys, monkeypatch, "ana")[0] == 0
    granted = _json(capsys, "users", "grant", "ana", "--client", "Acme")
    assert granted["role"] == "member"
    return int(granted["client_id"])


class TestUsers:
    def test_added_user_is_listed(
        self, db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        code, out, err = _add_user(capsys, monkeypatch, "ana")
        added = json.loads(out)
        assert (code, err, added["name"]) == (0, "", "ana")
        listed = _json(capsys, "users", "list", "--json")
        assert listed == [{"name": "ana", "created_at": added["created_at"], "clients": []}]

    def test_password_is_stored_as_an_argon2id_hash(
        self, db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        _add_user(capsys, monkeypatch, "ana")
        with closing(sqlite3.connect(db)) as conn:
            (hashed,) = conn.execute("SELECT password_hash FROM users").fetchone()
        assert hashed.startswith("$argon2id$")
        assert PASSWORD not in hashed

    def test_only_the_trailing_newline_of_stdin_is_dropped(
        self, db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        _add_user(capsys, monkeypatch, "ana", " spaced out ")
        with ScenarioStore(db) as store:
            assert store.sign_in("ana", " spaced out ", "test")[0].name == "ana"

    def test_short_password_is_refused(
        self, db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO("1234567\n"))
        err = _refused(capsys, "users", "add", "ana", "--password-stdin")
        assert "weak_password" in err
        assert _json(capsys, "users", "list") == []

    def test_same_name_twice_is_refused(
        self, db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        _add_user(capsys, monkeypatch, "ana")
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        assert "name_taken" in _refused(capsys, "users", "add", "ANA", "--password-stdin")
        assert len(_rows(db, "users")) == 1

    def test_prompts_twice_and_refuses_when_they_differ(
        self, db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        answers = iter([PASSWORD, PASSWORD + "!"])
        monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
        assert "differ" in _refused(capsys, "users", "add", "ana")
        assert not db.exists()

    def test_prompted_password_when_both_agree(
        self, db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr("getpass.getpass", lambda prompt="": PASSWORD)
        assert _json(capsys, "users", "add", "ana")["name"] == "ana"

    def test_new_password_replaces_the_old(
        self, db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        _add_user(capsys, monkeypatch, "ana")
        before = _rows(db, "users")[0]
        monkeypatch.setattr("sys.stdin", io.StringIO("another password\n"))
        assert _json(capsys, "users", "password", "ana", "--password-stdin") == {"name": "ana"}
        assert _rows(db, "users")[0] != before

    def test_password_of_an_unknown_user_is_refused(
        self, db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        assert "not_found" in _refused(capsys, "users", "password", "nobody", "--password-stdin")

    def test_db_option_names_the_file(
        self,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        other = tmp_path / "other.sqlite3"
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        _json(capsys, "users", "add", "ana", "--password-stdin", "--db", str(other))
        assert [row[1] for row in _rows(other, "users")] == ["ana"]


@pytest.mark.usefixtures("ana_in_acme")
class TestMemberships:
    def test_grant_creates_the_client_and_list_shows_it(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        granted = _json(capsys, "users", "grant", "ana", "--client", "Nueva", "--role", "owner")
        assert granted == {
            "user": "ana",
            "client": "Nueva",
            "client_id": granted["client_id"],
            "role": "owner",
        }
        (ana,) = _json(capsys, "users", "list")
        assert ana["clients"] == [
            {"client": "Acme", "role": "member"},
            {"client": "Nueva", "role": "owner"},
        ]

    def test_granting_again_changes_the_role(self, capsys: pytest.CaptureFixture[str]) -> None:
        _json(capsys, "users", "grant", "ana", "--client", " acme ", "--role", "owner")
        (ana,) = _json(capsys, "users", "list")
        assert ana["clients"] == [{"client": "Acme", "role": "owner"}]

    def test_revoke_then_save_is_refused(
        self, db: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert _json(capsys, "users", "revoke", "ana", "--client", "acme") == {
            "user": "ana",
            "client": "Acme",
        }
        code, _, err = _save(capsys, "ana", "Acme")
        assert (code, err.count("\n")) == (2, 1)
        assert "forbidden" in err
        assert _rows(db, "scenarios") == []

    def test_revoke_of_an_unknown_client_is_refused(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert "not_found" in _refused(capsys, "users", "revoke", "ana", "--client", "Nadie")

    def test_remove_then_grant_is_refused(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert _json(capsys, "users", "remove", "ana") == {"removed": "ana"}
        assert _json(capsys, "users", "list") == []
        assert "not_found" in _refused(capsys, "users", "grant", "ana", "--client", "Acme")


@pytest.mark.usefixtures("ana_in_acme")
class TestScenarios:
    def test_save_prints_the_id_and_list_shows_who_saved(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, out, err = _save(capsys, "ana", "acme")
        assert (code, err) == (0, "")
        assert out.strip().isdigit() and out.endswith("\n") and out.count("\n") == 1
        (listed,) = _json(capsys, "scenarios", "list", "--user", "ana", "--json")
        assert listed["id"] == int(out)
        assert (listed["client"], listed["saved_by"]) == ("Acme", "ana")
        assert listed["name"] == json.loads(PRESET.read_text(encoding="utf-8"))["name"]
        assert listed["saved_at"].endswith("+00:00")

    def test_save_under_another_name_and_by_client_id(
        self, ana_in_acme: int, capsys: pytest.CaptureFixture[str]
    ) -> None:
        client_id = str(ana_in_acme)
        assert _save(capsys, "ana", client_id, "--name", "Plan B")[0] == 0
        listed = _json(capsys, "scenarios", "list", "--user", "ana", "--client", client_id)
        assert [item["name"] for item in listed] == ["Plan B"]

    def test_a_user_outside_the_client_stores_nothing_and_sees_nothing(
        self, db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        _save(capsys, "ana", "Acme")
        _add_user(capsys, monkeypatch, "other")
        stored = len(_rows(db, "scenarios"))
        code, out, err = _save(capsys, "other", "Acme")
        assert (code, out) == (2, "")
        assert err == "error: forbidden: other is not a member of client 'Acme'\n"
        assert len(_rows(db, "scenarios")) == stored == 1
        assert _json(capsys, "scenarios", "list", "--user", "other", "--json") == []
        listing = ("scenarios", "list", "--user", "other", "--client", "Acme")
        assert "forbidden" in _refused(capsys, *listing)

    def test_the_same_name_twice_is_refused(
        self, db: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        _save(capsys, "ana", "Acme")
        code, _, err = _save(capsys, "ana", "Acme")
        assert (code, err.count("\n")) == (2, 1)
        assert "name_taken" in err
        assert len(_rows(db, "scenarios")) == 1

    def test_unknown_user_is_refused(self, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
        code, _, err = _save(capsys, "nobody", "Acme")
        assert (code, err) == (2, "error: not_found: user 'nobody'\n")
        assert _rows(db, "scenarios") == []

    def test_bad_file_is_refused_naming_it(
        self, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        bad = tmp_path / "bad.json"
        bad.write_text("{", encoding="utf-8")
        args = ("scenarios", "save", str(bad), "--user", "ana", "--client", "Acme")
        assert _refused(capsys, *args).startswith(f"error: {bad}: ")
        assert _rows(db, "scenarios") == []
