"""Scenarios saved in SQLite: clients (workspaces), their scenarios, every saved version, and
the histories of past campaigns imported for each client.

One database file holds everything; its place is ``$ROI_EXPLORER_DB`` or a per-user data folder
(:func:`default_db_path`). The schema is versioned with ``PRAGMA user_version`` and migrated
when a store opens, after a backup copy of the old file is made beside it.

Notes
-----
Safety rules, each with a test:

- A file that is not a healthy database of ours, or was written by a newer app, is checked
  read-only and refused with a :class:`StoreError`; nothing is written to it or beside it.
- Two sessions saving the same scenario never overwrite each other silently: a save names the
  version it started from and is refused (:attr:`StoreProblem.CONFLICT`) when someone saved
  since. Every saved version is kept, so even a forced save loses nothing.
- Deleting is soft (undo with ``restore_*``) until :meth:`ScenarioStore.purge_deleted`.
- Imports only add scenarios: a name already in use gets a number.
- A history is kept as the file that was uploaded (compressed) with the user's corrections, so
  reading it again gives what the user saw; a stored file that no longer decompresses, or
  corrections that no longer parse, are refused as :attr:`StoreProblem.CORRUPT`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import threading
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from itertools import chain, count
from pathlib import Path
from types import TracebackType
from typing import Any

from roi_model.scenario_file import scenario_from_json, scenario_to_json
from roi_model.spec import Scenario

DB_ENV_VAR = "ROI_EXPLORER_DB"
#: The store's schema (``PRAGMA user_version``), not the scenario file's ``schema_version``.
SCHEMA_VERSION = 3
#: Longest client or scenario name, in characters, after stripping surrounding blanks.
MAX_NAME = 120

_FILE_NAME = "scenarios.sqlite3"
_SQLITE_HEADER = b"SQLite format 3\x00"
_IMPORT_FALLBACK_NAME = "Scenario"

#: Migration ``i`` takes ``user_version`` ``i`` to ``i + 1``; each runs in one transaction
#: together with the ``user_version`` bump.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE clients (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE scenarios (
        id INTEGER PRIMARY KEY,
        client_id INTEGER NOT NULL REFERENCES clients (id),
        name TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
    """
    ALTER TABLE clients ADD COLUMN deleted_at TEXT;
    ALTER TABLE scenarios ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE scenarios ADD COLUMN deleted_at TEXT;
    -- Version 1 did not enforce unique names: number the later of two differing only in case.
    UPDATE clients SET name = name || ' (' || id || ')'
    WHERE EXISTS (
        SELECT 1 FROM clients AS other
        WHERE lower(other.name) = lower(clients.name) AND other.id < clients.id
    );
    UPDATE scenarios SET name = name || ' (' || id || ')'
    WHERE EXISTS (
        SELECT 1 FROM scenarios AS other
        WHERE other.client_id = scenarios.client_id
            AND lower(other.name) = lower(scenarios.name) AND other.id < scenarios.id
    );
    CREATE UNIQUE INDEX clients_live_name ON clients (lower(name)) WHERE deleted_at IS NULL;
    CREATE UNIQUE INDEX scenarios_live_name
        ON scenarios (client_id, lower(name)) WHERE deleted_at IS NULL;
    CREATE INDEX scenarios_client ON scenarios (client_id);
    CREATE TABLE scenario_versions (
        scenario_id INTEGER NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        body TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        PRIMARY KEY (scenario_id, version)
    );
    INSERT INTO scenario_versions (scenario_id, version, body, saved_at)
        SELECT id, 1, body, updated_at FROM scenarios;
    CREATE TABLE autosaves (
        session TEXT PRIMARY KEY,
        draft TEXT NOT NULL,
        scenario_id INTEGER,
        base_version INTEGER,
        updated_at TEXT NOT NULL
    );
    """,
    """
    CREATE TABLE histories (
        id INTEGER PRIMARY KEY,
        client_id INTEGER NOT NULL REFERENCES clients (id),
        name TEXT NOT NULL,
        data BLOB NOT NULL,
        size INTEGER NOT NULL,
        channel TEXT,
        mapping TEXT NOT NULL,
        date_order TEXT,
        hours TEXT NOT NULL DEFAULT '{}',
        rows INTEGER NOT NULL,
        first_date TEXT,
        last_date TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
    );
    CREATE INDEX histories_client ON histories (client_id);
    ALTER TABLE autosaves ADD COLUMN preset TEXT NOT NULL DEFAULT '';
    """,
)


class StoreProblem(StrEnum):
    """Why the store refused: one member per kind of message the app translates."""

    CORRUPT = "corrupt"
    FUTURE_SCHEMA = "future_schema"
    UNREADABLE = "unreadable"
    BUSY = "busy"
    NAME_TAKEN = "name_taken"
    INVALID_NAME = "invalid_name"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"


@dataclass(frozen=True)
class Client:
    """A client of the consultant: a workspace of scenarios. Times are UTC."""

    id: int
    name: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ScenarioSummary:
    """A stored scenario without its body: what lists and conflict messages show."""

    id: int
    client_id: int
    client_name: str
    name: str
    version: int
    updated_at: datetime


@dataclass(frozen=True)
class ScenarioVersion:
    """One saved version of a scenario, as it was saved."""

    version: int
    saved_at: datetime
    scenario: Scenario


@dataclass(frozen=True)
class HistorySummary:
    """A kept history without its file: what a list shows. Times are UTC."""

    id: int
    client_id: int
    name: str
    size: int  # bytes of the file as uploaded
    rows: int
    first_date: date | None
    last_date: date | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class StoredHistory:
    """A kept history: the file as uploaded and the corrections the user made to its reading."""

    summary: HistorySummary
    data: bytes
    channel: str | None  # given to a file without a channel column
    mapping: dict[str, str]  # source column -> field ("" ignores the column)
    date_order: str | None = None  # "dmy" or "mdy" when the user settled ambiguous dates
    hours: dict[str, float] = field(default_factory=dict)  # "YYYY-MM" -> staff hours entered


@dataclass(frozen=True)
class Autosave:
    """A browser session's working draft: JSON text, not necessarily a valid scenario."""

    session: str
    draft: str
    scenario_id: int | None
    base_version: int | None
    updated_at: datetime
    preset: str = ""  # the preset the draft started from, for where its figures come from


class StoreError(Exception):
    """The store cannot do what was asked.

    Parameters
    ----------
    problem
        Which kind of problem, for the app's message.
    detail
        English, for logs: the path, the name or the id concerned.
    current
        For :attr:`StoreProblem.CONFLICT`: the version stored now.
    """

    def __init__(
        self, problem: StoreProblem, detail: str, current: ScenarioSummary | None = None
    ) -> None:
        super().__init__(f"{problem.value}: {detail}")
        self.problem = problem
        self.detail = detail
        self.current = current


def default_db_path(
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
    home: Path | None = None,
) -> Path:
    """Where the database lives: ``$ROI_EXPLORER_DB``, else the user's data folder.

    Examples
    --------
    >>> default_db_path({}, "linux", Path("/home/ana")).as_posix()
    '/home/ana/.local/share/roi-explorer/scenarios.sqlite3'
    """
    environ = os.environ if environ is None else environ
    override = environ.get(DB_ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    platform = sys.platform if platform is None else platform
    home = Path.home() if home is None else home
    return _data_folder(environ, platform, home) / _FILE_NAME


def _data_folder(environ: Mapping[str, str], platform: str, home: Path) -> Path:
    if platform == "win32":
        appdata = environ.get("APPDATA", "").strip()
        return (Path(appdata) if appdata else home / "AppData" / "Roaming") / "ROI Explorer"
    if platform == "darwin":
        return home / "Library" / "Application Support" / "ROI Explorer"
    xdg = environ.get("XDG_DATA_HOME", "").strip()
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".local" / "share"
    return base / "roi-explorer"


def create_schema(path: str | Path, version: int = SCHEMA_VERSION) -> None:
    """Create (or migrate) the database at ``path`` up to schema ``version`` only.

    For tests and tools that need a database as an older app left it; no backup is made.
    """
    if not 0 <= version <= SCHEMA_VERSION:
        raise ValueError(f"version must be between 0 and {SCHEMA_VERSION}, not {version}")
    with closing(sqlite3.connect(path, isolation_level=None)) as conn, _translated(Path(path)):
        _migrate(conn, version, backup_of=None)


class ScenarioStore:
    """Clients and their scenarios, with every saved version, in one SQLite file.

    Parameters
    ----------
    path
        The database file; it and its folders are created when missing.
    now
        The clock (tests pass their own); aware UTC ``datetime.now`` by default.
    busy_timeout
        Seconds to wait for another writer before giving up with :attr:`StoreProblem.BUSY`.

    Notes
    -----
    One store may be shared by threads (Streamlit's sessions): each call borrows a connection
    no other thread is using from a small pool, and every write runs in ``BEGIN IMMEDIATE`` ...
    ``COMMIT``. Several processes may open the same file: SQLite's WAL mode and locks keep it
    whole, and version numbers keep one session from overwriting another's save.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        now: Callable[[], datetime] | None = None,
        busy_timeout: float = 5.0,
    ) -> None:
        self.path = Path(path)
        self._now = now if now is not None else _utc_now
        self._busy_timeout = busy_timeout
        self._lock = threading.Lock()
        self._idle: list[sqlite3.Connection] = []
        self._closed = False
        _inspect(self.path, busy_timeout)
        _make_parent(self.path)
        try:
            with self._connection() as conn:
                _migrate(conn, SCHEMA_VERSION, backup_of=self.path)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Close every connection; a connection in use is closed when its call ends."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def __enter__(self) -> ScenarioStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- clients ------------------------------------------------------------------------------

    def create_client(self, name: str) -> Client:
        """Add a client; its name (stripped) must be unused among live clients, in any case."""
        name = _clean_name(name)
        stamp = self._stamp()
        with self._write() as conn:
            _refuse_taken(name, _client_keys(conn))
            cursor = conn.execute(
                "INSERT INTO clients (name, created_at, updated_at) VALUES (?, ?, ?)",
                (name, stamp, stamp),
            )
            return _client(conn, _new_id(cursor))

    def rename_client(self, client_id: int, name: str) -> Client:
        """Rename a live client."""
        name = _clean_name(name)
        stamp = self._stamp()
        with self._write() as conn:
            _client(conn, client_id)
            _refuse_taken(name, _client_keys(conn, except_id=client_id))
            conn.execute(
                "UPDATE clients SET name = ?, updated_at = ? WHERE id = ?",
                (name, stamp, client_id),
            )
            return _client(conn, client_id)

    def delete_client(self, client_id: int) -> None:
        """Hide a client and its scenarios until :meth:`restore_client` (or a purge)."""
        stamp = self._stamp()
        with self._write() as conn:
            _client(conn, client_id)
            conn.execute("UPDATE clients SET deleted_at = ? WHERE id = ?", (stamp, client_id))

    def restore_client(self, client_id: int) -> Client:
        """Undo :meth:`delete_client`; refused when a live client has taken the name."""
        with self._write() as conn:
            row = conn.execute(
                "SELECT name, deleted_at FROM clients WHERE id = ?", (client_id,)
            ).fetchone()
            if row is None:
                raise StoreError(StoreProblem.NOT_FOUND, f"client {client_id}")
            if row[1] is not None:
                _refuse_taken(row[0], _client_keys(conn, except_id=client_id))
                conn.execute("UPDATE clients SET deleted_at = NULL WHERE id = ?", (client_id,))
            return _client(conn, client_id)

    def clients(self) -> list[Client]:
        """Live clients, sorted by name regardless of case."""
        with self._read() as conn:
            rows = conn.execute(f"{_CLIENT} WHERE deleted_at IS NULL").fetchall()
        return sorted((_client_from(row) for row in rows), key=lambda c: (_sort_key(c.name), c.id))

    def client(self, client_id: int) -> Client:
        """One live client; :attr:`StoreProblem.NOT_FOUND` when missing or deleted."""
        with self._read() as conn:
            return _client(conn, client_id)

    # -- scenarios ----------------------------------------------------------------------------

    def save_new(
        self, client_id: int, scenario: Scenario, name: str | None = None
    ) -> ScenarioSummary:
        """Save as: a new scenario of a client, at version 1, named ``name`` or its own name."""
        name = _clean_name(scenario.name if name is None else name)
        stamp = self._stamp()
        with self._write() as conn:
            _client(conn, client_id)
            _refuse_taken(name, _scenario_keys(conn, client_id))
            return _summary(conn, _insert_scenario(conn, client_id, name, scenario, stamp))

    def save(
        self, scenario_id: int, scenario: Scenario, expected_version: int, *, force: bool = False
    ) -> ScenarioSummary:
        """Save a new version of a stored scenario, which keeps its stored name.

        Raises :attr:`StoreProblem.CONFLICT` (with ``current``) when the stored version is not
        ``expected_version``, i.e. someone saved since it was loaded, unless ``force``.
        """
        stamp = self._stamp()
        with self._write() as conn:
            current = _summary(conn, scenario_id)
            if current.version != expected_version and not force:
                detail = (
                    f"scenario {scenario_id} is at version {current.version}, "
                    f"not {expected_version}"
                )
                raise StoreError(StoreProblem.CONFLICT, detail, current=current)
            _add_version(conn, current, current.name, scenario, stamp)
            return _summary(conn, scenario_id)

    def rename_scenario(self, scenario_id: int, name: str) -> ScenarioSummary:
        """Rename a scenario, as a new version whose body carries the new name."""
        name = _clean_name(name)
        stamp = self._stamp()
        with self._write() as conn:
            current = _summary(conn, scenario_id)
            if name == current.name:
                return current
            _refuse_taken(name, _scenario_keys(conn, current.client_id, except_id=scenario_id))
            _add_version(conn, current, name, _stored_scenario(conn, scenario_id), stamp)
            return _summary(conn, scenario_id)

    def duplicate_scenario(self, scenario_id: int, name: str | None = None) -> ScenarioSummary:
        """Copy a scenario within its client: ``name``, or "X (copy)", "X (copy 2)", ..."""
        wanted = None if name is None else _clean_name(name)
        stamp = self._stamp()
        with self._write() as conn:
            source = _summary(conn, scenario_id)
            taken = _scenario_keys(conn, source.client_id)
            if wanted is None:
                wanted = _unique_name(source.name, taken, _copy_suffixes())
            _refuse_taken(wanted, taken)
            scenario = _stored_scenario(conn, scenario_id)
            return _summary(conn, _insert_scenario(conn, source.client_id, wanted, scenario, stamp))

    def delete_scenario(self, scenario_id: int) -> None:
        """Hide a scenario until :meth:`restore_scenario` (or a purge)."""
        stamp = self._stamp()
        with self._write() as conn:
            _summary(conn, scenario_id)
            conn.execute("UPDATE scenarios SET deleted_at = ? WHERE id = ?", (stamp, scenario_id))

    def restore_scenario(self, scenario_id: int) -> ScenarioSummary:
        """Undo :meth:`delete_scenario`; refused when a live scenario has taken the name."""
        with self._write() as conn:
            row = conn.execute(
                "SELECT client_id, name, deleted_at FROM scenarios WHERE id = ?", (scenario_id,)
            ).fetchone()
            if row is None:
                raise StoreError(StoreProblem.NOT_FOUND, f"scenario {scenario_id}")
            _client(conn, row[0])
            if row[2] is not None:
                _refuse_taken(row[1], _scenario_keys(conn, row[0], except_id=scenario_id))
                conn.execute("UPDATE scenarios SET deleted_at = NULL WHERE id = ?", (scenario_id,))
            return _summary(conn, scenario_id)

    def scenarios(self, client_id: int | None = None) -> list[ScenarioSummary]:
        """Live scenarios of live clients (of one client if given), by client then name."""
        with self._read() as conn:
            if client_id is None:
                rows = conn.execute(f"{_SUMMARY} WHERE {_LIVE}").fetchall()
            else:
                _client(conn, client_id)
                rows = conn.execute(
                    f"{_SUMMARY} WHERE {_LIVE} AND s.client_id = ?", (client_id,)
                ).fetchall()
        summaries = (_summary_from(row) for row in rows)
        return sorted(summaries, key=lambda s: (_sort_key(s.client_name), _sort_key(s.name), s.id))

    def summary(self, scenario_id: int) -> ScenarioSummary:
        """A live scenario's name, client and version, without reading its body."""
        with self._read() as conn:
            return _summary(conn, scenario_id)

    def load(self, scenario_id: int) -> tuple[ScenarioSummary, Scenario]:
        """The latest version; a stored body that fails validation raises its ScenarioError."""
        with self._read() as conn:
            summary = _summary(conn, scenario_id)
            scenario = _stored_scenario(conn, scenario_id)
        return summary, replace(scenario, name=summary.name)

    def history(self, scenario_id: int) -> list[ScenarioVersion]:
        """Every saved version of a live scenario, newest first."""
        with self._read() as conn:
            _summary(conn, scenario_id)
            rows = conn.execute(
                "SELECT version, saved_at, body FROM scenario_versions"
                " WHERE scenario_id = ? ORDER BY version DESC",
                (scenario_id,),
            ).fetchall()
        return [ScenarioVersion(v, _parse_stamp(at), scenario_from_json(b)) for v, at, b in rows]

    def import_scenarios(
        self, client_id: int, scenarios: Sequence[Scenario]
    ) -> list[ScenarioSummary]:
        """Add scenarios to a client in one transaction, never replacing anything.

        A name in use (or repeated in the batch) gets " (2)", " (3)", ...; a blank one becomes
        "Scenario" and a long one is shortened to :data:`MAX_NAME` characters.
        """
        stamp = self._stamp()
        with self._write() as conn:
            _client(conn, client_id)
            taken = _scenario_keys(conn, client_id)
            ids = []
            for scenario in scenarios:
                base = scenario.name.strip() or _IMPORT_FALLBACK_NAME
                name = _unique_name(base, taken, _number_suffixes())
                taken.add(_name_key(name))
                ids.append(_insert_scenario(conn, client_id, name, scenario, stamp))
            return [_summary(conn, new_id) for new_id in ids]

    def purge_deleted(self, older_than: timedelta) -> int:
        """Delete for good what was deleted longer ago; returns how many clients + scenarios.

        A deleted client goes with all its scenarios and histories; autosaved drafts stay,
        unlinked. Deleted histories go too (they are not counted).
        """
        cutoff = _stamp(self._now() - older_than)
        with self._write() as conn:
            scenarios = conn.execute(_PURGE_SCENARIOS, {"cutoff": cutoff}).rowcount
            conn.execute(
                "UPDATE autosaves SET scenario_id = NULL, base_version = NULL"
                " WHERE scenario_id NOT IN (SELECT id FROM scenarios)"
            )
            conn.execute(_PURGE_HISTORIES, {"cutoff": cutoff})
            clients = conn.execute("DELETE FROM clients WHERE deleted_at < ?", (cutoff,)).rowcount
        return scenarios + clients

    # -- histories ----------------------------------------------------------------------------

    def keep_history(
        self,
        client_id: int,
        name: str,
        data: bytes,
        *,
        channel: str | None = None,
        mapping: Mapping[str, str] | None = None,
        date_order: str | None = None,
        rows: int = 0,
        dates: tuple[date, date] | None = None,
    ) -> HistorySummary:
        """Keep a client's history: the file, the corrections and what it read as.

        A live history of the client with the same name (case aside) is replaced, so keeping
        a file again after correcting its reading updates it rather than adding a second one.
        """
        name = _clean_name(name)
        corrections = json.dumps(dict(mapping or {}), ensure_ascii=False, sort_keys=True)
        packed = zlib.compress(data, 1)  # exports shrink 4-10x; level 1 keeps a big one quick
        first, last = (
            (None, None) if dates is None else (dates[0].isoformat(), dates[1].isoformat())
        )
        values = (packed, len(data), channel, corrections, date_order, rows, first, last)
        stamp = self._stamp()
        with self._write() as conn:
            _client(conn, client_id)
            same = _history_named(conn, client_id, name)
            if same is None:
                cursor = conn.execute(_INSERT_HISTORY, (client_id, name, *values, stamp, stamp))
                same = _new_id(cursor)
            else:
                conn.execute(_UPDATE_HISTORY, (name, *values, stamp, same))
            return _history_summary(conn, same)

    def histories(self, client_id: int) -> list[HistorySummary]:
        """A live client's live histories, the most recently kept first."""
        with self._read() as conn:
            _client(conn, client_id)
            rows = conn.execute(
                f"{_HISTORY} WHERE client_id = ? AND deleted_at IS NULL"
                " ORDER BY updated_at DESC, id DESC",
                (client_id,),
            ).fetchall()
        return [_history_from(row) for row in rows]

    def load_history(self, history_id: int) -> StoredHistory:
        """A live history with its file and corrections."""
        with self._read() as conn:
            summary = _history_summary(conn, history_id)
            packed, channel, mapping, order, hours = conn.execute(
                "SELECT data, channel, mapping, date_order, hours FROM histories WHERE id = ?",
                (history_id,),
            ).fetchone()
        data = _unpacked(packed, history_id)
        return StoredHistory(summary, data, channel, _mapping(mapping), order, _hours(hours))

    def keep_history_hours(self, history_id: int, hours: Mapping[str, float]) -> None:
        """The staff hours entered per month ("YYYY-MM") for a history whose file has none."""
        text = json.dumps({str(k): float(v) for k, v in hours.items()}, sort_keys=True)
        with self._write() as conn:
            _history_summary(conn, history_id)
            conn.execute("UPDATE histories SET hours = ? WHERE id = ?", (text, history_id))

    def delete_history(self, history_id: int) -> None:
        """Hide a history until :meth:`restore_history` (or a purge)."""
        stamp = self._stamp()
        with self._write() as conn:
            _history_summary(conn, history_id)
            conn.execute("UPDATE histories SET deleted_at = ? WHERE id = ?", (stamp, history_id))

    def restore_history(self, history_id: int) -> HistorySummary:
        """Undo :meth:`delete_history`; a history kept since under its name replaces it."""
        with self._write() as conn:
            row = conn.execute(
                "SELECT client_id, name FROM histories WHERE id = ?", (history_id,)
            ).fetchone()
            if row is None:
                raise StoreError(StoreProblem.NOT_FOUND, f"history {history_id}")
            _client(conn, row[0])
            if _history_named(conn, row[0], row[1]) not in (None, history_id):
                raise StoreError(StoreProblem.NAME_TAKEN, repr(row[1]))
            conn.execute("UPDATE histories SET deleted_at = NULL WHERE id = ?", (history_id,))
            return _history_summary(conn, history_id)

    # -- autosave -----------------------------------------------------------------------------

    def autosave(
        self,
        session: str,
        draft: str,
        scenario_id: int | None,
        base_version: int | None,
        preset: str = "",
    ) -> None:
        """Keep a session's working draft (any text), replacing its previous one."""
        stamp = self._stamp()
        row = (session, draft, scenario_id, base_version, stamp, preset)
        with self._write() as conn:
            conn.execute(_UPSERT_AUTOSAVE, row)

    def autosaved(self, session: str) -> Autosave | None:
        """A session's draft, if it has one."""
        with self._read() as conn:
            row = conn.execute(f"{_AUTOSAVE} WHERE session = ?", (session,)).fetchone()
        return None if row is None else _autosave_from(row)

    def latest_autosave(self) -> Autosave | None:
        """The most recently autosaved draft of any session."""
        with self._read() as conn:
            row = conn.execute(f"{_AUTOSAVE} ORDER BY updated_at DESC LIMIT 1").fetchone()
        return None if row is None else _autosave_from(row)

    def prune_autosaves(self, older_than: timedelta) -> int:
        """Delete drafts not updated for longer than ``older_than``; returns how many."""
        cutoff = _stamp(self._now() - older_than)
        with self._write() as conn:
            return conn.execute("DELETE FROM autosaves WHERE updated_at < ?", (cutoff,)).rowcount

    # -- connections --------------------------------------------------------------------------

    def _stamp(self) -> str:
        return _stamp(self._now())

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._connection() as conn, _transaction(conn, "BEGIN IMMEDIATE"):
            yield conn

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._connection() as conn, _transaction(conn, "BEGIN"):
            yield conn

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """Borrow a connection no other thread is using; SQLite errors become StoreErrors."""
        conn = self._borrow()
        try:
            with _translated(self.path):
                yield conn
        finally:
            self._give_back(conn)

    def _borrow(self) -> sqlite3.Connection:
        with self._lock:
            if self._closed:
                raise sqlite3.ProgrammingError(f"the store of {self.path} is closed")
            if self._idle:
                return self._idle.pop()
        return self._open()

    def _give_back(self, conn: sqlite3.Connection) -> None:
        with self._lock:
            if not self._closed:
                self._idle.append(conn)
                return
        conn.close()

    def _open(self) -> sqlite3.Connection:
        with _translated(self.path):
            conn = sqlite3.connect(
                self.path,
                timeout=self._busy_timeout,
                isolation_level=None,
                check_same_thread=False,
            )
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute(f"PRAGMA busy_timeout = {round(self._busy_timeout * 1000)}")
            except BaseException:
                conn.close()
                raise
        return conn


# -- SQL ----------------------------------------------------------------------------------------

_CLIENT = "SELECT id, name, created_at, updated_at FROM clients"
_SUMMARY = (
    "SELECT s.id, s.client_id, c.name, s.name, s.version, s.updated_at"
    " FROM scenarios AS s JOIN clients AS c ON c.id = s.client_id"
)
_LIVE = "s.deleted_at IS NULL AND c.deleted_at IS NULL"
_AUTOSAVE = "SELECT session, draft, scenario_id, base_version, updated_at, preset FROM autosaves"
_UPSERT_AUTOSAVE = """
    INSERT INTO autosaves (session, draft, scenario_id, base_version, updated_at, preset)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (session) DO UPDATE SET
        draft = excluded.draft,
        scenario_id = excluded.scenario_id,
        base_version = excluded.base_version,
        updated_at = excluded.updated_at,
        preset = excluded.preset
"""
_PURGE_SCENARIOS = """
    DELETE FROM scenarios WHERE id IN (
        SELECT s.id FROM scenarios AS s JOIN clients AS c ON c.id = s.client_id
        WHERE s.deleted_at < :cutoff OR c.deleted_at < :cutoff
    )
"""

_HISTORY = (
    "SELECT id, client_id, name, size, rows, first_date, last_date, created_at, updated_at"
    " FROM histories"
)
_INSERT_HISTORY = """
    INSERT INTO histories (client_id, name, data, size, channel, mapping, date_order, rows,
                           first_date, last_date, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_UPDATE_HISTORY = """
    UPDATE histories SET name = ?, data = ?, size = ?, channel = ?, mapping = ?,
                         date_order = ?, rows = ?, first_date = ?, last_date = ?, updated_at = ?
    WHERE id = ?
"""
_PURGE_HISTORIES = """
    DELETE FROM histories WHERE id IN (
        SELECT h.id FROM histories AS h JOIN clients AS c ON c.id = h.client_id
        WHERE h.deleted_at < :cutoff OR c.deleted_at < :cutoff
    )
"""

# SQLite's primary result codes (the low byte of an extended code) and what they mean here.
_PROBLEMS = {
    sqlite3.SQLITE_BUSY: StoreProblem.BUSY,
    sqlite3.SQLITE_LOCKED: StoreProblem.BUSY,
    sqlite3.SQLITE_CORRUPT: StoreProblem.CORRUPT,
    sqlite3.SQLITE_NOTADB: StoreProblem.CORRUPT,
    sqlite3.SQLITE_PERM: StoreProblem.UNREADABLE,
    sqlite3.SQLITE_READONLY: StoreProblem.UNREADABLE,
    sqlite3.SQLITE_IOERR: StoreProblem.UNREADABLE,
    sqlite3.SQLITE_FULL: StoreProblem.UNREADABLE,
    sqlite3.SQLITE_CANTOPEN: StoreProblem.UNREADABLE,
}


@contextmanager
def _translated(path: Path) -> Iterator[None]:
    """Turn SQLite's errors about the file (locked, corrupt, I/O) into StoreErrors."""
    try:
        yield
    except sqlite3.Error as error:
        code = getattr(error, "sqlite_errorcode", None)
        if code == sqlite3.SQLITE_CONSTRAINT_UNIQUE:
            problem: StoreProblem | None = StoreProblem.NAME_TAKEN
        else:
            problem = None if code is None else _PROBLEMS.get(code & 0xFF)
        if problem is None:
            raise
        raise StoreError(problem, f"{path}: {error}") from error


@contextmanager
def _transaction(conn: sqlite3.Connection, begin: str) -> Iterator[None]:
    conn.execute(begin)
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


# -- opening and migrating ----------------------------------------------------------------------


def _inspect(path: Path, busy_timeout: float) -> None:
    """Refuse an existing file that is not a healthy database of ours, without writing."""
    try:
        if path.is_dir():
            raise StoreError(StoreProblem.UNREADABLE, f"{path} is a directory")
        if not path.exists():
            return
        with path.open("rb") as file:
            header = file.read(100)
    except OSError as error:
        raise StoreError(StoreProblem.UNREADABLE, f"{path}: {error.strerror}") from error
    if not header:
        return  # an empty file is a new database
    if not header.startswith(_SQLITE_HEADER):
        raise StoreError(StoreProblem.CORRUPT, f"{path} is not an SQLite database")
    uri = _read_only_uri(path, header)
    with _translated(path), closing(sqlite3.connect(uri, uri=True, timeout=busy_timeout)) as conn:
        _check_health(conn, path)


def _read_only_uri(path: Path, header: bytes) -> str:
    """A URI that opens the file read-only and creates nothing beside it.

    Opening a WAL database read-only creates its -wal and -shm files when they are missing,
    which means nobody has the database open: then it is read as immutable instead.
    """
    uri = path.resolve().as_uri() + "?mode=ro"
    is_wal = 2 in header[18:20]
    if is_wal and not path.with_name(path.name + "-wal").exists():
        uri += "&immutable=1"
    return uri


def _check_health(conn: sqlite3.Connection, path: Path) -> None:
    problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
    if problems != ["ok"]:
        raise StoreError(StoreProblem.CORRUPT, f"{path}: {problems[0]}")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        detail = f"{path} has schema {version}; this app knows up to {SCHEMA_VERSION}"
        raise StoreError(StoreProblem.FUTURE_SCHEMA, detail)
    tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()
    if version == 0 and tables[0]:
        raise StoreError(StoreProblem.CORRUPT, f"{path} is another application's database")


def _make_parent(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(StoreProblem.UNREADABLE, f"{path.parent}: {error.strerror}") from error


def _migrate(conn: sqlite3.Connection, target: int, backup_of: Path | None) -> None:
    """Apply the migrations up to ``target``, one transaction each.

    Each step re-reads ``user_version`` under the write lock, so two processes opening an old
    file at once migrate it once. ``backup_of`` is copied first when it holds data.
    """
    if _user_version(conn) == target:
        return
    while True:
        with _transaction(conn, "BEGIN IMMEDIATE"):
            current = _user_version(conn)
            if current > target:
                raise StoreError(StoreProblem.FUTURE_SCHEMA, f"schema {current} > {target}")
            if current == target:
                return
            if backup_of is not None and current > 0:
                _backup(backup_of, current)
            backup_of = None  # only data this call found is backed up, not its own steps
            for statement in _statements(MIGRATIONS[current]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {current + 1}")


def _user_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def _backup(path: Path, version: int) -> None:
    """Copy the database to "<file>.v<version>.bak" (numbered if taken: never overwritten).

    The copy is read by a connection of its own: SQLite cannot back up through a connection
    that holds a write transaction, and the caller holds one so that nobody writes meanwhile.
    """
    extras = chain([""], (f".{n}" for n in count(2)))
    names = (path.with_name(f"{path.name}.v{version}{extra}.bak") for extra in extras)
    target = next(name for name in names if not name.exists())
    with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)


def _statements(script: str) -> Iterator[str]:
    """The statements of an SQL script, split where SQLite says a statement is complete."""
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                yield pending.strip()
            pending = ""


# -- rows ---------------------------------------------------------------------------------------


def _client(conn: sqlite3.Connection, client_id: int) -> Client:
    row = conn.execute(f"{_CLIENT} WHERE id = ? AND deleted_at IS NULL", (client_id,)).fetchone()
    if row is None:
        raise StoreError(StoreProblem.NOT_FOUND, f"client {client_id}")
    return _client_from(row)


def _client_from(row: tuple[int, str, str, str]) -> Client:
    return Client(row[0], row[1], _parse_stamp(row[2]), _parse_stamp(row[3]))


def _summary(conn: sqlite3.Connection, scenario_id: int) -> ScenarioSummary:
    row = conn.execute(f"{_SUMMARY} WHERE s.id = ? AND {_LIVE}", (scenario_id,)).fetchone()
    if row is None:
        raise StoreError(StoreProblem.NOT_FOUND, f"scenario {scenario_id}")
    return _summary_from(row)


def _summary_from(row: tuple[int, int, str, str, int, str]) -> ScenarioSummary:
    return ScenarioSummary(row[0], row[1], row[2], row[3], row[4], _parse_stamp(row[5]))


def _autosave_from(row: tuple[str, str, int | None, int | None, str, str]) -> Autosave:
    return Autosave(row[0], row[1], row[2], row[3], _parse_stamp(row[4]), row[5])


def _stored_scenario(conn: sqlite3.Connection, scenario_id: int) -> Scenario:
    body = conn.execute("SELECT body FROM scenarios WHERE id = ?", (scenario_id,)).fetchone()
    return scenario_from_json(body[0])


def _insert_scenario(
    conn: sqlite3.Connection, client_id: int, name: str, scenario: Scenario, stamp: str
) -> int:
    body = scenario_to_json(replace(scenario, name=name))
    cursor = conn.execute(
        "INSERT INTO scenarios (client_id, name, body, version, created_at, updated_at)"
        " VALUES (?, ?, ?, 1, ?, ?)",
        (client_id, name, body, stamp, stamp),
    )
    scenario_id = _new_id(cursor)
    _keep_version(conn, scenario_id, 1, body, stamp)
    return scenario_id


def _add_version(
    conn: sqlite3.Connection, current: ScenarioSummary, name: str, scenario: Scenario, stamp: str
) -> None:
    body = scenario_to_json(replace(scenario, name=name))
    version = current.version + 1
    conn.execute(
        "UPDATE scenarios SET name = ?, body = ?, version = ?, updated_at = ? WHERE id = ?",
        (name, body, version, stamp, current.id),
    )
    _keep_version(conn, current.id, version, body, stamp)


def _keep_version(
    conn: sqlite3.Connection, scenario_id: int, version: int, body: str, stamp: str
) -> None:
    conn.execute(
        "INSERT INTO scenario_versions (scenario_id, version, body, saved_at) VALUES (?, ?, ?, ?)",
        (scenario_id, version, body, stamp),
    )


def _history_summary(conn: sqlite3.Connection, history_id: int) -> HistorySummary:
    """A live history of a live client, or NOT_FOUND."""
    row = conn.execute(
        f"{_HISTORY} WHERE id = ? AND deleted_at IS NULL"
        " AND client_id IN (SELECT id FROM clients WHERE deleted_at IS NULL)",
        (history_id,),
    ).fetchone()
    if row is None:
        raise StoreError(StoreProblem.NOT_FOUND, f"history {history_id}")
    return _history_from(row)


def _history_from(
    row: tuple[int, int, str, int, int, str | None, str | None, str, str],
) -> HistorySummary:
    first, last = (None if text is None else date.fromisoformat(text) for text in row[5:7])
    return HistorySummary(*row[:5], first, last, _parse_stamp(row[7]), _parse_stamp(row[8]))


def _history_named(conn: sqlite3.Connection, client_id: int, name: str) -> int | None:
    """The id of the client's live history of that name (case and Unicode form aside)."""
    rows = conn.execute(
        "SELECT id, name FROM histories WHERE client_id = ? AND deleted_at IS NULL", (client_id,)
    )
    return next((row[0] for row in rows if _name_key(row[1]) == _name_key(name)), None)


def _unpacked(packed: bytes, history_id: int) -> bytes:
    try:
        return zlib.decompress(packed)
    except (zlib.error, TypeError) as error:
        raise StoreError(StoreProblem.CORRUPT, f"history {history_id}: {error}") from error


def _mapping(text: str) -> dict[str, str]:
    """The user's corrections, or CORRUPT when they are not an object of texts."""
    return _json_object(text, "corrections", lambda value: isinstance(value, str))


def _hours(text: str) -> dict[str, float]:
    """The staff hours kept per month, or CORRUPT when they are not numbers by month."""
    hours = _json_object(
        text, "hours", lambda value: isinstance(value, int | float) and not isinstance(value, bool)
    )
    return {str(month): float(value) for month, value in hours.items()}


def _json_object(text: str, what: str, fits: Callable[[object], bool]) -> dict[str, Any]:
    """A kept JSON object whose every value ``fits``, or CORRUPT."""
    try:
        found = json.loads(text)
    except (ValueError, TypeError) as error:
        raise StoreError(StoreProblem.CORRUPT, f"history {what}: {error}") from error
    if not isinstance(found, dict) or not all(fits(value) for value in found.values()):
        raise StoreError(StoreProblem.CORRUPT, f"history {what}: {text[:80]!r}")
    return found


def _new_id(cursor: sqlite3.Cursor) -> int:
    if cursor.lastrowid is None:  # pragma: no cover - an INSERT always sets it
        raise RuntimeError("INSERT did not report a row id")
    return cursor.lastrowid


# -- names --------------------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    """The name stripped of surrounding blanks; INVALID_NAME when blank or too long."""
    cleaned = name.strip() if isinstance(name, str) else ""
    if not cleaned or len(cleaned) > MAX_NAME:
        detail = f"{name!r}: expected 1 to {MAX_NAME} characters, not only blanks"
        raise StoreError(StoreProblem.INVALID_NAME, detail)
    return cleaned


def _name_key(name: str) -> str:
    """What two names must share to count as the same name: case and Unicode form aside."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


def _sort_key(name: str) -> str:
    return name.casefold()


def _client_keys(conn: sqlite3.Connection, except_id: int | None = None) -> set[str]:
    rows = conn.execute(
        "SELECT name FROM clients WHERE deleted_at IS NULL AND id IS NOT ?", (except_id,)
    )
    return {_name_key(row[0]) for row in rows}


def _scenario_keys(
    conn: sqlite3.Connection, client_id: int, except_id: int | None = None
) -> set[str]:
    rows = conn.execute(
        "SELECT name FROM scenarios WHERE client_id = ? AND deleted_at IS NULL AND id IS NOT ?",
        (client_id, except_id),
    )
    return {_name_key(row[0]) for row in rows}


def _refuse_taken(name: str, taken: set[str]) -> None:
    if _name_key(name) in taken:
        raise StoreError(StoreProblem.NAME_TAKEN, repr(name))


def _unique_name(base: str, taken: set[str], suffixes: Iterable[str]) -> str:
    """The first of ``base + suffix`` not taken, shortening ``base`` to fit MAX_NAME."""
    for suffix in suffixes:
        name = base[: MAX_NAME - len(suffix)].rstrip() + suffix
        if _name_key(name) not in taken:
            return name
    raise AssertionError("the suffixes are endless")  # pragma: no cover


def _copy_suffixes() -> Iterator[str]:
    yield " (copy)"
    yield from (f" (copy {n})" for n in count(2))


def _number_suffixes() -> Iterator[str]:
    yield ""
    yield from (f" ({n})" for n in count(2))


# -- time ---------------------------------------------------------------------------------------


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    """ISO-8601 UTC text of fixed width, so that text order is time order."""
    utc = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return utc.isoformat(timespec="microseconds")


def _parse_stamp(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
