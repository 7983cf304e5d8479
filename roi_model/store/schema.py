"""The database file: where it lives, opening it, checking it, migrating it, and the
connections the store borrows.

The schema is versioned with ``PRAGMA user_version`` and migrated when a store opens, after a
backup copy of the old file is made beside it. A file that is not a healthy database of ours, or
was written by a newer app, is checked read-only and refused; nothing is written to it or
beside it.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from itertools import chain, count
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Self

from roi_model.store.errors import StoreError, StoreProblem
from roi_model.store.postgres import PostgresServer, is_server_url
from roi_model.store.records import Role, User

DB_ENV_VAR = "ROI_EXPLORER_DB"


class Cursor(Protocol):
    """What the store reads of a query's result, from SQLite or PostgreSQL alike."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """A connection the store's SQL (SQLite's spelling: ``?`` and ``:name``) runs on."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Cursor: ...

    @property
    def in_transaction(self) -> bool: ...


#: The store's schema (``PRAGMA user_version``), not the scenario file's ``schema_version``.
SCHEMA_VERSION = 4

_FILE_NAME = "scenarios.sqlite3"
_SQLITE_HEADER = b"SQLite format 3\x00"

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
    # Team mode: users, their clients, sign-in sessions and attempts; who saved what. A row
    # saved without sign-in (the embedded default) has no user: NULL.
    """
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
    );
    CREATE UNIQUE INDEX users_live_name ON users (lower(name)) WHERE deleted_at IS NULL;
    CREATE TABLE memberships (
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('owner', 'member')),
        granted_at TEXT NOT NULL,
        PRIMARY KEY (user_id, client_id)
    );
    CREATE INDEX memberships_client ON memberships (client_id);
    CREATE TABLE sign_in_sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE TABLE sign_in_attempts (
        id INTEGER PRIMARY KEY,
        user_key TEXT NOT NULL,
        address TEXT NOT NULL,
        at TEXT NOT NULL,
        succeeded INTEGER NOT NULL
    );
    CREATE INDEX sign_in_attempts_user ON sign_in_attempts (user_key, at);
    CREATE INDEX sign_in_attempts_address ON sign_in_attempts (address, at);
    ALTER TABLE clients ADD COLUMN created_by TEXT;
    ALTER TABLE scenario_versions ADD COLUMN saved_by TEXT;
    ALTER TABLE histories ADD COLUMN saved_by TEXT;
    ALTER TABLE autosaves ADD COLUMN user_id INTEGER;
    """,
)


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


class Database:
    """An open database file: the clock, and a pool of connections for threads to borrow.

    The store's job mixins build on it; :class:`roi_model.store.ScenarioStore` documents the
    parameters and why the pool exists. ``user`` is whom the store acts for in team mode
    (:meth:`roi_model.store.ScenarioStore.as_user`): then every client, scenario, history and
    draft is checked against that user's memberships. None (the embedded default) reaches all.
    """

    user: User | None = None

    def __init__(
        self,
        path: str | Path,
        *,
        now: Callable[[], datetime] | None = None,
        busy_timeout: float = 5.0,
    ) -> None:
        self._now = now if now is not None else _utc_now
        self._busy_timeout = busy_timeout
        self._lock = threading.Lock()
        self._idle: list[sqlite3.Connection] = []
        self._closed = False
        self._server: PostgresServer | None = None
        if is_server_url(path):
            self._server = PostgresServer(str(path), busy_timeout, SCHEMA_VERSION)
            self.path = Path()  # no file: see ``location``
            self.location = self._server.location
            return
        self.path = Path(path)
        self.location = str(self.path)
        _inspect(self.path, busy_timeout)
        _make_parent(self.path)
        try:
            with self._connection() as conn:
                _migrate(conn, SCHEMA_VERSION, backup_of=self.path)
        except BaseException:
            self.close()
            raise

    @property
    def on_server(self) -> bool:
        """Whether the store is a PostgreSQL database rather than an SQLite file."""
        return self._server is not None

    def close(self) -> None:
        """Close every connection; a connection in use is closed when its call ends."""
        if self._server is not None:
            self._server.close()
            return
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- connections --------------------------------------------------------------------------

    def _stamp(self) -> str:
        return _stamp(self._now())

    @property
    def _by(self) -> str | None:
        """Who is saving: the user's name, or None without sign-in."""
        return None if self.user is None else self.user.name

    def _reach(self, conn: Connection, client_id: int, *, owner: bool = False) -> None:
        """Refuse (:attr:`StoreProblem.FORBIDDEN`) a client the user does not belong to, or
        does not own when ``owner``; without a user every client is reachable."""
        if self.user is None:
            return
        row = conn.execute(
            "SELECT role FROM memberships WHERE user_id = ? AND client_id = ?",
            (self.user.id, client_id),
        ).fetchone()
        if row is None or (owner and row[0] != Role.OWNER):
            need = "an owner of" if owner else "a member of"
            detail = f"{self.user.name} is not {need} client {client_id}"
            raise StoreError(StoreProblem.FORBIDDEN, detail)

    def _visible(self, column: str) -> tuple[str, tuple[int, ...]]:
        """An SQL condition keeping the rows whose ``column`` (a client id) the user reaches,
        and its parameters; always true without a user."""
        if self.user is None:
            return "1 = 1", ()
        return (
            f"{column} IN (SELECT client_id FROM memberships WHERE user_id = ?)",
            (self.user.id,),
        )

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        if self._server is not None:
            with self._server.connection() as pg, _transaction(pg, self._server.begin_write):
                yield pg
            return
        with self._connection() as conn, _transaction(conn, _begin("BEGIN IMMEDIATE")):
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        if self._server is not None:
            with self._server.connection() as pg, _transaction(pg, self._server.begin_read):
                yield pg
            return
        with self._connection() as conn, _transaction(conn, _begin("BEGIN")):
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


# -- SQLite's errors ----------------------------------------------------------------------------

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


def _begin(statement: str) -> Callable[[Connection], None]:
    def begin(conn: Connection) -> None:
        conn.execute(statement)

    return begin


@contextmanager
def _transaction(conn: Connection, begin: Callable[[Any], None]) -> Iterator[None]:
    begin(conn)
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
        with _transaction(conn, _begin("BEGIN IMMEDIATE")):
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


def _returned_id(cursor: Cursor) -> int:
    """The id of the row an ``INSERT ... RETURNING id`` made (SQLite and PostgreSQL alike)."""
    return int(cursor.fetchone()[0])


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
