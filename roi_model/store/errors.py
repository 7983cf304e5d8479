"""Why the store refuses: a :class:`StoreError` naming a :class:`StoreProblem`."""

from __future__ import annotations

from enum import StrEnum

from roi_model.store.records import ScenarioSummary


class StoreProblem(StrEnum):
    """Why the store refused: one member per kind of message the app translates."""

    CORRUPT = "corrupt"
    FUTURE_SCHEMA = "future_schema"
    UNREADABLE = "unreadable"
    BUSY = "busy"
    UNAVAILABLE = "unavailable"  # the database server cannot be reached (down, restarting)
    NAME_TAKEN = "name_taken"
    INVALID_NAME = "invalid_name"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    FORBIDDEN = "forbidden"  # the signed-in user does not belong to the client
    SIGN_IN_FAILED = "sign_in_failed"  # wrong name or password, said alike for both
    RATE_LIMITED = "rate_limited"  # too many failed sign-ins of a user or from an address
    WEAK_PASSWORD = "weak_password"


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
