"""The evaluation as plain JSON-ready data, for the command line and for scripts."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from roi_model.model.evaluate import COUNT_COLUMNS, Evaluation
from roi_model.model.spec import GoalMetric

_CHANNEL_RATIOS = (
    "roas",
    "cost_per_lead",
    "cost_per_sale",
    "spend_share",
    "hours_share",
    "return_share",
    "fit",
)


def json_number(value: Any) -> float | None:
    """A float for JSON, ``None`` (``null``) where undefined."""
    number = float(value)
    return number if math.isfinite(number) else None


def evaluation_to_dict(evaluation: Evaluation) -> dict[str, Any]:
    """Every figure of the evaluation under the documented keys; undefined numbers are None."""
    scenario = evaluation.scenario
    return {
        "name": scenario.name,
        "currency": scenario.currency,
        "investment": _numbers(asdict(evaluation.investment)),
        "return": _numbers(asdict(evaluation.returns)),
        "roi": {
            "financial": json_number(evaluation.financial_roi),
            "full": json_number(evaluation.full_roi),
        },
        "roas": json_number(evaluation.roas),
        "cost_per_lead": json_number(evaluation.cost_per_lead),
        "cost_per_sale": json_number(evaluation.cost_per_sale),
        "totals": _numbers(
            {key: value for key, value in evaluation.totals.items() if _is_total(key)}
        ),
        "channels": [_channel_dict(name, row) for name, row in evaluation.channels.iterrows()],
        "goals": [_goal_dict(row) for row in evaluation.goals.to_dict("records")],
    }


def _is_total(key: str) -> bool:
    """Totals report each count or money goal metric plus the funnel's own counts."""
    return key in {m.value for m in GoalMetric} or key in {
        "spend",
        "hours",
        "paid_impressions",
        "organic_impressions",
        "organic_visits",
    }


def _numbers(values: dict[str, Any]) -> dict[str, float | None]:
    return {key: json_number(value) for key, value in values.items()}


def _channel_dict(name: Any, row: Any) -> dict[str, Any]:
    return {
        "name": str(name),
        **_numbers({column: row[column] for column in COUNT_COLUMNS}),
        "roi": {
            "financial": json_number(row["financial_roi"]),
            "full": json_number(row["full_roi"]),
        },
        "marginal_roi": json_number(row["marginal_roi"]),
        "marginal_financial_roi": json_number(row["marginal_financial_roi"]),
        **_numbers({column: row[column] for column in _CHANNEL_RATIOS}),
    }


def _goal_dict(goal: Mapping[Any, Any]) -> dict[str, Any]:
    return {
        "tier": goal["tier"],
        "metric": goal["metric"],
        "target": json_number(goal["target"]),
        "value": json_number(goal["value"]),
        "attainment": json_number(goal["attainment"]),
        "met": bool(goal["met"]),
    }
