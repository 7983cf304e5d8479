"""Autosaved drafts: each browser session's working draft, kept until pruned.

In team mode a draft belongs to the user who made it: it is kept under the user's id and the
session token together, so another user's session never finds it, even with the same token.
"""

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
        row = (self._key(session), draft, scenario_id, base_version, stamp, preset, self._user_id)
        with self._write() as conn:
            conn.execute(_UPSERT_AUTOSAVE, row)

    def autosaved(self, session: str) -> Autosave | None:
        """A session's draft, if it has one (and, in team mode, it is the user's)."""
        with self._read() as conn:
            row = conn.execute(
                f"{_AUTOSAVE} WHERE session = ? AND {self._owned}", (self._key(session),)
            ).fetchone()
        return None if row is None else self._autosave_from(row)

    def latest_autosave(self) -> Autosave | None:
        """The most recently autosaved draft of any session (of the user's, in team mode)."""
        with self._read() as conn:
            row = conn.execute(
                f"{_AUTOSAVE} WHERE {self._owned} ORDER BY updated_at DESC LIMIT 1"
            ).fetchone()
        return None if row is None else self._autosave_from(row)

    @property
    def _user_id(self) -> int | None:
        return None if self.user is None else self.user.id

    @property
    def _owned(self) -> str:
        """The SQL condition on a draft's owner (an integer id, so safe to write in)."""
        return "user_id IS NULL" if self.user is None else f"user_id = {int(self.user.id)}"

    def _key(self, session: str) -> str:
        """The stored key of a session's draft: the token, after the user's id in team mode."""
        return session if self.user is None else f"{self.user.id}:{session}"

    def _autosave_from(self, row: tuple[str, str, int | None, int | None, str, str]) -> Autosave:
        session = row[0] if self.user is None else row[0].partition(":")[2]
        return Autosave(session, row[1], row[2], row[3], _parse_stamp(row[4]), row[5])

    def prune_autosaves(self, older_than: timedelta) -> int:
        """Delete drafts not updated for longer than ``older_than``; returns how many."""
        cutoff = _stamp(self._now() - older_than)
        with self._write() as conn:
            return conn.execute("DELETE FROM autosaves WHERE updated_at < ?", (cutoff,)).rowcount


# -- SQL ----------------------------------------------------------------------------------------

_AUTOSAVE = "SELECT session, draft, scenario_id, base_version, updated_at, preset FROM autosaves"
_UPSERT_AUTOSAVE = """
    INSERT INTO autosaves (session, draft, scenario_id, base_version, updated_at, preset,
                           user_id)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (session) DO UPDATE SET
        draft = excluded.draft,
        scenario_id = excluded.scenario_id,
        base_version = excluded.base_version,
        updated_at = excluded.updated_at,
        preset = excluded.preset
"""
