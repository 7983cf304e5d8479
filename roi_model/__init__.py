"""ROI Explorer: the pure model's public names (scenarios in, every figure of the month out).

Files are read and written by :mod:`roi_model.files`, kept by :mod:`roi_model.store`, and the
command line is :mod:`roi_model.cli`; this face re-exports the model only."""

from roi_model.model.break_even import BreakEven, break_even, input_paths, with_input
from roi_model.model.compare import changes_table, comparison_table, what_changed
from roi_model.model.errors import Rule, ScenarioError
from roi_model.model.evaluate import Evaluation, enabled_lenses, evaluate
from roi_model.model.spec import (
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
from roi_model.model.vocabulary import Lens

__all__ = [
    "SCHEMA_VERSION",
    "ActionValues",
    "BreakEven",
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
    "break_even",
    "changes_table",
    "comparison_table",
    "enabled_lenses",
    "evaluate",
    "input_paths",
    "what_changed",
    "with_input",
]
