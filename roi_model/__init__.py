"""ROI Explorer's pure model: scenarios in, every figure of the month out."""

from roi_model.break_even import BreakEven, break_even, input_paths, with_input
from roi_model.errors import Rule, ScenarioError
from roi_model.evaluate import Evaluation, Lens, enabled_lenses, evaluate
from roi_model.scenario_file import (
    load_scenario,
    save_scenario,
    scenario_from_dict,
    scenario_from_json,
    scenario_to_dict,
    scenario_to_json,
)
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
    "enabled_lenses",
    "evaluate",
    "input_paths",
    "load_scenario",
    "save_scenario",
    "scenario_from_dict",
    "scenario_from_json",
    "scenario_to_dict",
    "scenario_to_json",
    "with_input",
]
