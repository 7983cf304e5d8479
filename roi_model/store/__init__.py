"""Scenarios saved in SQLite: clients (workspaces), their scenarios, every saved version, and
the histories of past campaigns imported for each client; in team mode, the users and which
clients each belongs to.

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

The package is split by job: ``schema`` (the file, its migrations and connections),
``scenarios`` (clients, scenarios, their versions and names), ``histories``, ``drafts``
(autosaves), ``users`` (team mode: users, memberships, signing in), ``records`` and
``errors``; this module puts them together as :class:`ScenarioStore`.
"""

import copy
from typing import Self

from roi_model.store.drafts import Autosave, DraftsMixin
from roi_model.store.errors import StoreError, StoreProblem
from roi_model.store.histories import HistoriesMixin, HistorySummary, StoredHistory
from roi_model.store.records import (
    Client,
    Membership,
    Role,
    ScenarioSummary,
    ScenarioVersion,
    User,
)
from roi_model.store.scenarios import MAX_NAME, ScenariosMixin
from roi_model.store.schema import (
    DB_ENV_VAR,
    MIGRATIONS,
    SCHEMA_VERSION,
    create_schema,
    default_db_path,
)
from roi_model.store.users import UsersMixin

__all__ = [
    "DB_ENV_VAR",
    "MAX_NAME",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Autosave",
    "Client",
    "HistorySummary",
    "Membership",
    "Role",
    "ScenarioStore",
    "ScenarioSummary",
    "ScenarioVersion",
    "StoreError",
    "StoreProblem",
    "StoredHistory",
    "User",
    "create_schema",
    "default_db_path",
]


class ScenarioStore(ScenariosMixin, HistoriesMixin, DraftsMixin, UsersMixin):
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

    The methods come from one mixin per job (clients and scenarios, histories, drafts, users),
    each built on :class:`~roi_model.store.schema.Database`, which opens the file and lends the
    connections.

    In team mode the app works through :meth:`as_user`: the same store, acting for one signed-in
    user, who sees and changes only the clients they belong to.
    """

    def as_user(self, user: User) -> Self:
        """This store acting for ``user``: the same file and connections, every client,
        scenario, history and draft checked against the user's memberships, and every save
        recorded under their name. Close the store itself, not its views."""
        view = copy.copy(self)
        view.user = user
        return view
