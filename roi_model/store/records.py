"""What the store hands back about clients and scenarios: small frozen records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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


@dataclass(frozen=True)
class ScenarioVersion:
    """One saved version of a scenario, as it was saved."""

    version: int
    saved_at: datetime
    scenario: Scenario
