"""Team mode's users: who they are, which clients they belong to, and signing in.

Passwords are kept only as Argon2id hashes (argon2-cffi, its default parameters), and checked
by the library in constant time. A sign-in gives a random token; the store keeps only its
SHA-256, with an expiry, so a copy of the database opens no session. Failed sign-ins are
counted per user and per address over a sliding window: past the limit, the next attempt is
refused before any password is checked (:attr:`StoreProblem.RATE_LIMITED`).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from roi_model.store.errors import StoreError, StoreProblem
from roi_model.store.records import Membership, Role, User
from roi_model.store.scenarios import _clean_name, _name_key
from roi_model.store.schema import Connection, Database, _parse_stamp, _returned_id, _stamp

#: Shortest password accepted, in characters (NIST SP 800-63B's floor for a chosen password).
MIN_PASSWORD = 8
#: How long a sign-in lasts.
SESSION_LIFETIME = timedelta(hours=12)
#: Failed sign-ins allowed within :data:`FAILURE_WINDOW` per user name, and per address.
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_ADDRESS = 20
FAILURE_WINDOW = timedelta(minutes=15)

_HASHER = PasswordHasher()
#: Checked against when the name is unknown, so that a wrong name takes as long as a wrong
#: password and the timing does not tell which names exist.
_DECOY = _HASHER.hash(secrets.token_urlsafe(16))


class UsersMixin(Database):
    """The store's users, their memberships and their sign-in sessions."""

    # -- administration -----------------------------------------------------------------------

    def add_user(self, name: str, password: str) -> User:
        """A new user; the name (stripped) must be unused among live users, in any case."""
        name = _clean_name(name)
        hashed = _hash(password)
        stamp = self._stamp()
        with self._write() as conn:
            if _user_row(conn, name) is not None:
                raise StoreError(StoreProblem.NAME_TAKEN, repr(name))
            cursor = conn.execute(
                "INSERT INTO users (name, password_hash, created_at, updated_at)"
                " VALUES (?, ?, ?, ?) RETURNING id",
                (name, hashed, stamp, stamp),
            )
            return User(_returned_id(cursor), name, _parse_stamp(stamp))

    def set_password(self, name: str, password: str) -> None:
        """A new password (a lost one); every session of the user ends."""
        hashed = _hash(password)
        stamp = self._stamp()
        with self._write() as conn:
            user = _user(conn, name)
            conn.execute(
                "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?",
                (hashed, stamp, user.id),
            )
            conn.execute("DELETE FROM sign_in_sessions WHERE user_id = ?", (user.id,))

    def remove_user(self, name: str) -> None:
        """The user can no longer sign in and belongs to no client; what they saved stays,
        under their name."""
        stamp = self._stamp()
        with self._write() as conn:
            user = _user(conn, name)
            conn.execute("UPDATE users SET deleted_at = ? WHERE id = ?", (stamp, user.id))
            conn.execute("DELETE FROM memberships WHERE user_id = ?", (user.id,))
            conn.execute("DELETE FROM sign_in_sessions WHERE user_id = ?", (user.id,))

    def users(self) -> list[User]:
        """Live users, by name regardless of case."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT id, name, created_at FROM users WHERE deleted_at IS NULL"
            ).fetchall()
        users = (User(row[0], row[1], _parse_stamp(row[2])) for row in rows)
        return sorted(users, key=lambda u: (_name_key(u.name), u.id))

    def find_user(self, name: str) -> User:
        """A live user by name (case aside); :attr:`StoreProblem.NOT_FOUND` when none."""
        with self._read() as conn:
            return _user(conn, name)

    def memberships(self, name: str) -> list[Membership]:
        """The live clients a user belongs to, with their role, by client name."""
        with self._read() as conn:
            user = _user(conn, name)
            rows = conn.execute(
                "SELECT c.id, c.name, m.role FROM memberships AS m"
                " JOIN clients AS c ON c.id = m.client_id"
                " WHERE m.user_id = ? AND c.deleted_at IS NULL",
                (user.id,),
            ).fetchall()
        found = [Membership(user.name, row[0], row[1], Role(row[2])) for row in rows]
        return sorted(found, key=lambda m: (_name_key(m.client_name), m.client_id))

    def members(self, client_id: int) -> list[Membership]:
        """Who belongs to a client, owners first, then by name (a member may see this)."""
        with self._read() as conn:
            self._reach(conn, client_id)
            client_name = conn.execute(
                "SELECT name FROM clients WHERE id = ?", (client_id,)
            ).fetchone()[0]
            rows = conn.execute(
                "SELECT u.name, m.role FROM memberships AS m JOIN users AS u ON u.id = m.user_id"
                " WHERE m.client_id = ? AND u.deleted_at IS NULL",
                (client_id,),
            ).fetchall()
        found = [Membership(name, client_id, client_name, Role(role)) for name, role in rows]
        return sorted(found, key=lambda m: (m.role != Role.OWNER, _name_key(m.user)))

    def grant(self, name: str, client: str, role: Role = Role.MEMBER) -> Membership:
        """Make a user a member (or owner) of a client, named or by id; a client name not in
        use yet is created. Granting again changes the role."""
        stamp = self._stamp()
        with self._write() as conn:
            user = _user(conn, name)
            client_id, client_name = _client_named(conn, client, stamp, self._by)
            self._reach(conn, client_id, owner=True)
            if Role(role) is Role.MEMBER:  # not the demotion of the last owner
                _keep_an_owner(conn, user.id, client_id)
            conn.execute(
                "INSERT INTO memberships (user_id, client_id, role, granted_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (user_id, client_id) DO UPDATE SET role = excluded.role",
                (user.id, client_id, Role(role).value, stamp),
            )
        return Membership(user.name, client_id, client_name, Role(role))

    def revoke(self, name: str, client: str) -> None:
        """Take a user out of a client (named or by id); its last owner stays."""
        with self._write() as conn:
            user = _user(conn, name)
            client_id = _existing_client(conn, client)
            self._reach(conn, client_id, owner=True)
            _keep_an_owner(conn, user.id, client_id)
            gone = conn.execute(
                "DELETE FROM memberships WHERE user_id = ? AND client_id = ?",
                (user.id, client_id),
            ).rowcount
            if not gone:
                raise StoreError(StoreProblem.NOT_FOUND, f"{user.name} in client {client!r}")

    # -- signing in ---------------------------------------------------------------------------

    def sign_in(self, name: str, password: str, address: str) -> tuple[User, str]:
        """Check a password; on success a new session: the user and its token (keep it out of
        URLs). A wrong name and a wrong password are refused alike
        (:attr:`StoreProblem.SIGN_IN_FAILED`); too many failures are refused before checking
        (:attr:`StoreProblem.RATE_LIMITED`)."""
        key = _name_key(name.strip())
        now = self._now()
        with self._write() as conn:
            _refuse_when_limited(conn, key, address, _stamp(now - FAILURE_WINDOW))
            row = conn.execute(
                "SELECT id, name, created_at, password_hash FROM users"
                " WHERE lower(name) = ? AND deleted_at IS NULL",
                (key,),
            ).fetchone()
            succeeded = _verify(row[3] if row else _DECOY, password) and row is not None
            conn.execute(
                "INSERT INTO sign_in_attempts (user_key, address, at, succeeded)"
                " VALUES (?, ?, ?, ?)",
                (key, address, _stamp(now), int(succeeded)),
            )
            if not succeeded:
                failed = StoreError(StoreProblem.SIGN_IN_FAILED, f"{name!r} from {address}")
            else:
                token = secrets.token_urlsafe(32)
                conn.execute(
                    "INSERT INTO sign_in_sessions (token_hash, user_id, created_at, expires_at)"
                    " VALUES (?, ?, ?, ?)",
                    (_token_hash(token), row[0], _stamp(now), _stamp(now + SESSION_LIFETIME)),
                )
                return User(row[0], row[1], _parse_stamp(row[2])), token
        raise failed  # outside the transaction, so that the failed attempt stays counted

    def session_user(self, token: str) -> User | None:
        """The user of a live session token; None when unknown, expired or signed out."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT u.id, u.name, u.created_at FROM sign_in_sessions AS s"
                " JOIN users AS u ON u.id = s.user_id"
                " WHERE s.token_hash = ? AND s.expires_at > ? AND u.deleted_at IS NULL",
                (_token_hash(token), self._stamp()),
            ).fetchone()
        return None if row is None else User(row[0], row[1], _parse_stamp(row[2]))

    def sign_out(self, token: str) -> None:
        """End a session (nothing happens for an unknown token)."""
        with self._write() as conn:
            conn.execute("DELETE FROM sign_in_sessions WHERE token_hash = ?", (_token_hash(token),))

    def prune_sign_ins(self) -> int:
        """Forget expired sessions and attempts older than the window; returns how many."""
        now = self._now()
        with self._write() as conn:
            sessions = conn.execute(
                "DELETE FROM sign_in_sessions WHERE expires_at <= ?", (_stamp(now),)
            ).rowcount
            attempts = conn.execute(
                "DELETE FROM sign_in_attempts WHERE at < ?", (_stamp(now - FAILURE_WINDOW),)
            ).rowcount
        return sessions + attempts


def _keep_an_owner(conn: Connection, user_id: int, client_id: int) -> None:
    """Refuse to take away a client's last owner: no one could add members or delete it."""
    owners = [
        row[0]
        for row in conn.execute(
            "SELECT user_id FROM memberships WHERE client_id = ? AND role = 'owner'",
            (client_id,),
        )
    ]
    if owners == [user_id]:
        detail = f"user {user_id} is the last owner of client {client_id}"
        raise StoreError(StoreProblem.FORBIDDEN, detail)


def _hash(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        detail = f"a password needs at least {MIN_PASSWORD} characters"
        raise StoreError(StoreProblem.WEAK_PASSWORD, detail)
    return _HASHER.hash(password)


def _verify(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _refuse_when_limited(conn: Connection, key: str, address: str, since: str) -> None:
    for column, value, limit in (
        ("user_key", key, MAX_FAILURES_PER_USER),
        ("address", address, MAX_FAILURES_PER_ADDRESS),
    ):
        failures = conn.execute(
            f"SELECT count(*) FROM sign_in_attempts WHERE {column} = ? AND at >= ?"
            " AND succeeded = 0",
            (value, since),
        ).fetchone()[0]
        if failures >= limit:
            detail = f"{failures} failed sign-ins of {column} {value!r} within the window"
            raise StoreError(StoreProblem.RATE_LIMITED, detail)


def _user_row(conn: Connection, name: str) -> tuple[int, str, str] | None:
    row: tuple[int, str, str] | None = conn.execute(
        "SELECT id, name, created_at FROM users WHERE lower(name) = ? AND deleted_at IS NULL",
        (_name_key(name.strip()),),
    ).fetchone()
    return row


def _user(conn: Connection, name: str) -> User:
    row = _user_row(conn, name)
    if row is None:
        raise StoreError(StoreProblem.NOT_FOUND, f"user {name!r}")
    return User(row[0], row[1], _parse_stamp(row[2]))


def _existing_client(conn: Connection, client: str) -> int:
    """A live client's id, from its name (case aside) or its id written as digits."""
    found = _live_client(conn, client)
    if found is None:
        raise StoreError(StoreProblem.NOT_FOUND, f"client {client!r}")
    return found[0]


def _live_client(conn: Connection, client: str) -> tuple[int, str] | None:
    """The live client named ``client`` (case aside) or with that id: (id, name)."""
    rows = conn.execute("SELECT id, name FROM clients WHERE deleted_at IS NULL").fetchall()
    for client_id, name in rows:
        if _name_key(name) == _name_key(client.strip()) or str(client_id) == client.strip():
            return int(client_id), str(name)
    return None


def _client_named(conn: Connection, client: str, stamp: str, by: str | None) -> tuple[int, str]:
    """The live client named ``client`` (or with that id), created when there is none."""
    found = _live_client(conn, client)
    if found is not None:
        return found
    name = _clean_name(client)
    cursor = conn.execute(
        "INSERT INTO clients (name, created_at, updated_at, created_by)"
        " VALUES (?, ?, ?, ?) RETURNING id",
        (name, stamp, stamp, by),
    )
    return _returned_id(cursor), name
