"""Clients and their scenarios: saving, every saved version, importing, deleting and purging,
and the names (unique among live ones, case and Unicode form aside).

Two sessions saving the same scenario never overwrite each other silently: a save names the
version it started from and is refused (:attr:`StoreProblem.CONFLICT`) when someone saved since.
Every saved version is kept, so even a forced save loses nothing. Imports only add scenarios: a
name already in use gets a number.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import timedelta
from itertools import count

from roi_model.files.scenario_file import scenario_from_json, scenario_to_json
from roi_model.model.spec import Scenario
from roi_model.store.errors import StoreError, StoreProblem
from roi_model.store.records import Client, ScenarioSummary, ScenarioVersion
from roi_model.store.schema import Connection, Database, _parse_stamp, _returned_id, _stamp

#: Longest client or scenario name, in characters, after stripping surrounding blanks.
MAX_NAME = 120

_IMPORT_FALLBACK_NAME = "Scenario"


class ScenariosMixin(Database):
    """The store's clients and scenarios."""

    # -- clients ------------------------------------------------------------------------------

    def create_client(self, name: str) -> Client:
        """Add a client; its name (stripped) must be unused among live clients, in any case."""
        name = _clean_name(name)
        stamp = self._stamp()
        with self._write() as conn:
            _refuse_taken(name, _client_keys(conn))
            cursor = conn.execute(
                "INSERT INTO clients (name, created_at, updated_at, created_by)"
                " VALUES (?, ?, ?, ?) RETURNING id",
                (name, stamp, stamp, self._by),
            )
            client_id = _returned_id(cursor)
            if self.user is not None:  # whoever creates a client owns it
                conn.execute(
                    "INSERT INTO memberships (user_id, client_id, role, granted_at)"
                    " VALUES (?, ?, 'owner', ?)",
                    (self.user.id, client_id, stamp),
                )
            return _client(conn, client_id)

    def rename_client(self, client_id: int, name: str) -> Client:
        """Rename a live client (its owner, in team mode)."""
        name = _clean_name(name)
        stamp = self._stamp()
        with self._write() as conn:
            self._reach(conn, client_id, owner=True)
            _client(conn, client_id)
            _refuse_taken(name, _client_keys(conn, except_id=client_id))
            conn.execute(
                "UPDATE clients SET name = ?, updated_at = ? WHERE id = ?",
                (name, stamp, client_id),
            )
            return _client(conn, client_id)

    def delete_client(self, client_id: int) -> None:
        """Hide a client and its scenarios until :meth:`restore_client` (or a purge); in team
        mode only its owner may."""
        stamp = self._stamp()
        with self._write() as conn:
            self._reach(conn, client_id, owner=True)
            _client(conn, client_id)
            conn.execute("UPDATE clients SET deleted_at = ? WHERE id = ?", (stamp, client_id))

    def restore_client(self, client_id: int) -> Client:
        """Undo :meth:`delete_client`; refused when a live client has taken the name."""
        with self._write() as conn:
            self._reach(conn, client_id, owner=True)
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
        """Live clients (those the user belongs to), sorted by name regardless of case."""
        visible, parameters = self._visible("id")
        with self._read() as conn:
            rows = conn.execute(
                f"{_CLIENT} WHERE deleted_at IS NULL AND {visible}", parameters
            ).fetchall()
        return sorted((_client_from(row) for row in rows), key=lambda c: (_sort_key(c.name), c.id))

    def client(self, client_id: int) -> Client:
        """One live client; :attr:`StoreProblem.NOT_FOUND` when missing or deleted."""
        with self._read() as conn:
            self._reach(conn, client_id)
            return _client(conn, client_id)

    # -- scenarios ----------------------------------------------------------------------------

    def save_new(
        self, client_id: int, scenario: Scenario, name: str | None = None
    ) -> ScenarioSummary:
        """Save as: a new scenario of a client, at version 1, named ``name`` or its own name."""
        name = _clean_name(scenario.name if name is None else name)
        stamp = self._stamp()
        with self._write() as conn:
            self._reach(conn, client_id)
            _client(conn, client_id)
            _refuse_taken(name, _scenario_keys(conn, client_id))
            new_id = _insert_scenario(conn, client_id, name, scenario, (stamp, self._by))
            return _summary(conn, new_id)

    def save(
        self, scenario_id: int, scenario: Scenario, expected_version: int, *, force: bool = False
    ) -> ScenarioSummary:
        """Save a new version of a stored scenario, which keeps its stored name.

        Raises :attr:`StoreProblem.CONFLICT` (with ``current``) when the stored version is not
        ``expected_version``, i.e. someone saved since it was loaded, unless ``force``.
        """
        stamp = self._stamp()
        with self._write() as conn:
            current = self._reached(conn, scenario_id)
            if current.version != expected_version and not force:
                detail = (
                    f"scenario {scenario_id} is at version {current.version}, "
                    f"not {expected_version}"
                )
                raise StoreError(StoreProblem.CONFLICT, detail, current=current)
            _add_version(conn, current, current.name, scenario, (stamp, self._by))
            return _summary(conn, scenario_id)

    def rename_scenario(self, scenario_id: int, name: str) -> ScenarioSummary:
        """Rename a scenario, as a new version whose body carries the new name."""
        name = _clean_name(name)
        stamp = self._stamp()
        with self._write() as conn:
            current = self._reached(conn, scenario_id)
            if name == current.name:
                return current
            _refuse_taken(name, _scenario_keys(conn, current.client_id, except_id=scenario_id))
            stored = _stored_scenario(conn, scenario_id)
            _add_version(conn, current, name, stored, (stamp, self._by))
            return _summary(conn, scenario_id)

    def duplicate_scenario(self, scenario_id: int, name: str | None = None) -> ScenarioSummary:
        """Copy a scenario within its client: ``name``, or "X (copy)", "X (copy 2)", ..."""
        wanted = None if name is None else _clean_name(name)
        stamp = self._stamp()
        with self._write() as conn:
            source = self._reached(conn, scenario_id)
            taken = _scenario_keys(conn, source.client_id)
            if wanted is None:
                wanted = _unique_name(source.name, taken, _copy_suffixes())
            _refuse_taken(wanted, taken)
            scenario = _stored_scenario(conn, scenario_id)
            made = (stamp, self._by)
            return _summary(conn, _insert_scenario(conn, source.client_id, wanted, scenario, made))

    def delete_scenario(self, scenario_id: int) -> None:
        """Hide a scenario until :meth:`restore_scenario` (or a purge)."""
        stamp = self._stamp()
        with self._write() as conn:
            self._reached(conn, scenario_id)
            conn.execute("UPDATE scenarios SET deleted_at = ? WHERE id = ?", (stamp, scenario_id))

    def restore_scenario(self, scenario_id: int) -> ScenarioSummary:
        """Undo :meth:`delete_scenario`; refused when a live scenario has taken the name."""
        with self._write() as conn:
            row = conn.execute(
                "SELECT client_id, name, deleted_at FROM scenarios WHERE id = ?", (scenario_id,)
            ).fetchone()
            if row is None:
                raise StoreError(StoreProblem.NOT_FOUND, f"scenario {scenario_id}")
            self._reach(conn, row[0])
            _client(conn, row[0])
            if row[2] is not None:
                _refuse_taken(row[1], _scenario_keys(conn, row[0], except_id=scenario_id))
                conn.execute("UPDATE scenarios SET deleted_at = NULL WHERE id = ?", (scenario_id,))
            return _summary(conn, scenario_id)

    def scenarios(self, client_id: int | None = None) -> list[ScenarioSummary]:
        """Live scenarios of live clients (of one client if given), by client then name."""
        with self._read() as conn:
            if client_id is None:
                visible, parameters = self._visible("s.client_id")
                query = f"{_SUMMARY} WHERE {_LIVE} AND {visible}"
                rows = conn.execute(query, parameters).fetchall()
            else:
                self._reach(conn, client_id)
                _client(conn, client_id)
                rows = conn.execute(
                    f"{_SUMMARY} WHERE {_LIVE} AND s.client_id = ?", (client_id,)
                ).fetchall()
        summaries = (_summary_from(row) for row in rows)
        return sorted(summaries, key=lambda s: (_sort_key(s.client_name), _sort_key(s.name), s.id))

    def summary(self, scenario_id: int) -> ScenarioSummary:
        """A live scenario's name, client and version, without reading its body."""
        with self._read() as conn:
            return self._reached(conn, scenario_id)

    def load(self, scenario_id: int) -> tuple[ScenarioSummary, Scenario]:
        """The latest version; a stored body that fails validation raises its ScenarioError."""
        with self._read() as conn:
            summary = self._reached(conn, scenario_id)
            scenario = _stored_scenario(conn, scenario_id)
        return summary, replace(scenario, name=summary.name)

    def history(self, scenario_id: int) -> list[ScenarioVersion]:
        """Every saved version of a live scenario, newest first."""
        with self._read() as conn:
            self._reached(conn, scenario_id)
            rows = conn.execute(
                "SELECT version, saved_at, body, saved_by FROM scenario_versions"
                " WHERE scenario_id = ? ORDER BY version DESC",
                (scenario_id,),
            ).fetchall()
        return [
            ScenarioVersion(v, _parse_stamp(at), scenario_from_json(body), by)
            for v, at, body, by in rows
        ]

    def import_scenarios(
        self, client_id: int, scenarios: Sequence[Scenario]
    ) -> list[ScenarioSummary]:
        """Add scenarios to a client in one transaction, never replacing anything.

        A name in use (or repeated in the batch) gets " (2)", " (3)", ...; a blank one becomes
        "Scenario" and a long one is shortened to :data:`MAX_NAME` characters.
        """
        stamp = self._stamp()
        with self._write() as conn:
            self._reach(conn, client_id)
            _client(conn, client_id)
            taken = _scenario_keys(conn, client_id)
            ids = []
            for scenario in scenarios:
                base = scenario.name.strip() or _IMPORT_FALLBACK_NAME
                name = _unique_name(base, taken, _number_suffixes())
                taken.add(_name_key(name))
                ids.append(_insert_scenario(conn, client_id, name, scenario, (stamp, self._by)))
            return [_summary(conn, new_id) for new_id in ids]

    def _reached(self, conn: Connection, scenario_id: int) -> ScenarioSummary:
        """A live scenario's summary, once the user is known to belong to its client."""
        summary = _summary(conn, scenario_id)
        self._reach(conn, summary.client_id)
        return summary

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


# -- SQL ----------------------------------------------------------------------------------------

_CLIENT = "SELECT id, name, created_at, updated_at FROM clients"
_SUMMARY = (
    "SELECT s.id, s.client_id, c.name, s.name, s.version, s.updated_at, v.saved_by"
    " FROM scenarios AS s JOIN clients AS c ON c.id = s.client_id"
    " LEFT JOIN scenario_versions AS v ON v.scenario_id = s.id AND v.version = s.version"
)
_LIVE = "s.deleted_at IS NULL AND c.deleted_at IS NULL"
_PURGE_SCENARIOS = """
    DELETE FROM scenarios WHERE id IN (
        SELECT s.id FROM scenarios AS s JOIN clients AS c ON c.id = s.client_id
        WHERE s.deleted_at < :cutoff OR c.deleted_at < :cutoff
    )
"""
# A deleted client takes its histories with it, so the purge reaches into their table too.
_PURGE_HISTORIES = """
    DELETE FROM histories WHERE id IN (
        SELECT h.id FROM histories AS h JOIN clients AS c ON c.id = h.client_id
        WHERE h.deleted_at < :cutoff OR c.deleted_at < :cutoff
    )
"""


# -- rows ---------------------------------------------------------------------------------------


def _client(conn: Connection, client_id: int) -> Client:
    row = conn.execute(f"{_CLIENT} WHERE id = ? AND deleted_at IS NULL", (client_id,)).fetchone()
    if row is None:
        raise StoreError(StoreProblem.NOT_FOUND, f"client {client_id}")
    return _client_from(row)


def _client_from(row: tuple[int, str, str, str]) -> Client:
    return Client(row[0], row[1], _parse_stamp(row[2]), _parse_stamp(row[3]))


def _summary(conn: Connection, scenario_id: int) -> ScenarioSummary:
    row = conn.execute(f"{_SUMMARY} WHERE s.id = ? AND {_LIVE}", (scenario_id,)).fetchone()
    if row is None:
        raise StoreError(StoreProblem.NOT_FOUND, f"scenario {scenario_id}")
    return _summary_from(row)


def _summary_from(row: tuple[int, int, str, str, int, str, str | None]) -> ScenarioSummary:
    return ScenarioSummary(row[0], row[1], row[2], row[3], row[4], _parse_stamp(row[5]), row[6])


def _stored_scenario(conn: Connection, scenario_id: int) -> Scenario:
    body = conn.execute("SELECT body FROM scenarios WHERE id = ?", (scenario_id,)).fetchone()
    return scenario_from_json(body[0])


#: When and by whom a version is saved: the time stamp and the user's name (None: no sign-in).
_Saved = tuple[str, str | None]


def _insert_scenario(
    conn: Connection, client_id: int, name: str, scenario: Scenario, saved: _Saved
) -> int:
    body = scenario_to_json(replace(scenario, name=name))
    cursor = conn.execute(
        "INSERT INTO scenarios (client_id, name, body, version, created_at, updated_at)"
        " VALUES (?, ?, ?, 1, ?, ?) RETURNING id",
        (client_id, name, body, saved[0], saved[0]),
    )
    scenario_id = _returned_id(cursor)
    _keep_version(conn, scenario_id, 1, body, saved)
    return scenario_id


def _add_version(
    conn: Connection,
    current: ScenarioSummary,
    name: str,
    scenario: Scenario,
    saved: _Saved,
) -> None:
    body = scenario_to_json(replace(scenario, name=name))
    version = current.version + 1
    conn.execute(
        "UPDATE scenarios SET name = ?, body = ?, version = ?, updated_at = ? WHERE id = ?",
        (name, body, version, saved[0], current.id),
    )
    _keep_version(conn, current.id, version, body, saved)


def _keep_version(
    conn: Connection, scenario_id: int, version: int, body: str, saved: _Saved
) -> None:
    conn.execute(
        "INSERT INTO scenario_versions (scenario_id, version, body, saved_at, saved_by)"
        " VALUES (?, ?, ?, ?, ?)",
        (scenario_id, version, body, *saved),
    )


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


def _client_keys(conn: Connection, except_id: int | None = None) -> set[str]:
    rows = conn.execute(
        "SELECT name FROM clients WHERE deleted_at IS NULL AND id <> ?", (_other_than(except_id),)
    )
    return {_name_key(row[0]) for row in rows}


def _scenario_keys(conn: Connection, client_id: int, except_id: int | None = None) -> set[str]:
    rows = conn.execute(
        "SELECT name FROM scenarios WHERE client_id = ? AND deleted_at IS NULL AND id <> ?",
        (client_id, _other_than(except_id)),
    )
    return {_name_key(row[0]) for row in rows}


def _other_than(except_id: int | None) -> int:
    """The id to leave out of a query; ids start at 1, so 0 leaves out none."""
    return 0 if except_id is None else except_id


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
