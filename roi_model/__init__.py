"""ROI Explorer's pure model: scenarios in, every figure of the month out."""

from roi_model.errors import Rule, ScenarioError
from roi_model.evaluate import Evaluation, Lens, enabled_lenses, evaluate
from roi_model.spec import (
    SCHEMA_VERSION,
    ActionValues,
    Channel,
    Goal,
    GoalMetric,
    GoalTier,
    Investment,
    Lenses,
    Scenario,
)

__all__ = [
    "SCHEMA_VERSION",
    "ActionValues",
    "Channel",
    "Evaluation",
    "Goal",
    "GoalMetric",
    "GoalTier",
    "Investment",
    "Lens",
    "Lenses",
    "Rule",
    "Scenario",
    "ScenarioError",
    "enabled_lenses",
    "evaluate",
]
