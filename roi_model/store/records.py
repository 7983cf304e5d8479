"""What the store hands back about clients and scenarios: small frozen records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from roi_model.model.spec import Scenario


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
    saved_by: str | None = None  # who saved the latest version (None: no one signed in)


@dataclass(frozen=True)
class ScenarioVersion:
    """One saved version of a scenario, as it was saved, and by whom (None: no sign-in)."""

    version: int
    saved_at: datetime
    scenario: Scenario
    saved_by: str | None = None


class Role(StrEnum):
    """What a user may do with a client: an owner also adds members and deletes the client."""

    OWNER = "owner"
    MEMBER = "member"


@dataclass(frozen=True)
class User:
    """A consultant of a team server, as the store knows them (never their password)."""

    id: int
    name: str
    created_at: datetime


@dataclass(frozen=True)
class Membership:
    """A user's place in a client."""

    user: str
    client_id: int
    client_name: str
    role: Role
