"""Kept histories of a client's past campaigns.

A history is kept as the file that was uploaded (compressed) with the user's corrections, so
reading it again gives what the user saw; a stored file that no longer decompresses, or
corrections that no longer parse, are refused as :attr:`StoreProblem.CORRUPT`.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from roi_model.store.errors import StoreError, StoreProblem
from roi_model.store.scenarios import _clean_name, _client, _name_key
from roi_model.store.schema import Connection, Database, _parse_stamp, _returned_id


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


class HistoriesMixin(Database):
    """The store's kept histories, one list per client."""

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
            self._reach(conn, client_id)
            _client(conn, client_id)
            same = _history_named(conn, client_id, name)
            if same is None:
                row = (client_id, name, *values, stamp, stamp, self._by)
                same = _returned_id(conn.execute(_INSERT_HISTORY, row))
            else:
                conn.execute(_UPDATE_HISTORY, (name, *values, stamp, self._by, same))
            return _history_summary(conn, same)

    def histories(self, client_id: int) -> list[HistorySummary]:
        """A live client's live histories, the most recently kept first."""
        with self._read() as conn:
            self._reach(conn, client_id)
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
            summary = self._reached_history(conn, history_id)
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
            self._reached_history(conn, history_id)
            conn.execute("UPDATE histories SET hours = ? WHERE id = ?", (text, history_id))

    def delete_history(self, history_id: int) -> None:
        """Hide a history until :meth:`restore_history` (or a purge)."""
        stamp = self._stamp()
        with self._write() as conn:
            self._reached_history(conn, history_id)
            conn.execute("UPDATE histories SET deleted_at = ? WHERE id = ?", (stamp, history_id))

    def restore_history(self, history_id: int) -> HistorySummary:
        """Undo :meth:`delete_history`; a history kept since under its name replaces it."""
        with self._write() as conn:
            row = conn.execute(
                "SELECT client_id, name FROM histories WHERE id = ?", (history_id,)
            ).fetchone()
            if row is None:
                raise StoreError(StoreProblem.NOT_FOUND, f"history {history_id}")
            self._reach(conn, row[0])
            _client(conn, row[0])
            if _history_named(conn, row[0], row[1]) not in (None, history_id):
                raise StoreError(StoreProblem.NAME_TAKEN, repr(row[1]))
            conn.execute("UPDATE histories SET deleted_at = NULL WHERE id = ?", (history_id,))
            return _history_summary(conn, history_id)

    def _reached_history(self, conn: Connection, history_id: int) -> HistorySummary:
        """A live history's summary, once the user is known to belong to its client."""
        summary = _history_summary(conn, history_id)
        self._reach(conn, summary.client_id)
        return summary


# -- SQL ----------------------------------------------------------------------------------------

_HISTORY = (
    "SELECT id, client_id, name, size, rows, first_date, last_date, created_at, updated_at"
    " FROM histories"
)
_INSERT_HISTORY = """
    INSERT INTO histories (client_id, name, data, size, channel, mapping, date_order, rows,
                           first_date, last_date, created_at, updated_at, saved_by)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    RETURNING id
"""
_UPDATE_HISTORY = """
    UPDATE histories SET name = ?, data = ?, size = ?, channel = ?, mapping = ?,
                         date_order = ?, rows = ?, first_date = ?, last_date = ?, updated_at = ?,
                         saved_by = ?
    WHERE id = ?
"""


# -- rows ---------------------------------------------------------------------------------------


def _history_summary(conn: Connection, history_id: int) -> HistorySummary:
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


def _history_named(conn: Connection, client_id: int, name: str) -> int | None:
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
