"""Autosaved drafts: each browser session's working draft, kept until pruned."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from roi_model.store.schema import Database, _parse_stamp, _stamp


@dataclass(frozen=True)
class Autosave:
    """A browser session's working draft: JSON text, not necessarily a valid scenario."""

    session: str
    draft: str
    scenario_id: int | None
    base_version: int | None
    updated_at: datetime
    preset: str = ""  # the preset the draft started from, for where its figures come from


class DraftsMixin(Database):
    """The store's autosaved drafts, one per browser session."""

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


# -- SQL ----------------------------------------------------------------------------------------

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


def _autosave_from(row: tuple[str, str, int | None, int | None, str, str]) -> Autosave:
    return Autosave(row[0], row[1], row[2], row[3], _parse_stamp(row[4]), row[5])
