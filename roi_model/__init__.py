"""ROI Explorer's pure model: scenarios in, every figure of the month out."""

from roi_model.break_even import BreakEven, break_even, input_paths, with_input
from roi_model.bundle import read_scenario_files, scenarios_zip
from roi_model.compare import changes_table, comparison_table, what_changed
from roi_model.errors import Rule, ScenarioError
from roi_model.evaluate import Evaluation, enabled_lenses, evaluate
from roi_model.scenario_file import (
    load_scenario,
    save_scenario,
    scenario_from_dict,
    scenario_from_json,
    scenario_to_dict,
    scenario_to_json,
)
from roi_model.share import LinkError, decode_scenario, encode_scenario, scenario_link
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
from roi_model.store import ScenarioStore, StoreError, StoreProblem
from roi_model.vocabulary import Lens

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
    "LinkError",
    "Rule",
    "Scenario",
    "ScenarioError",
    "ScenarioStore",
    "StoreError",
    "StoreProblem",
    "break_even",
    "changes_table",
    "comparison_table",
    "decode_scenario",
    "enabled_lenses",
    "encode_scenario",
    "evaluate",
    "input_paths",
    "load_scenario",
    "read_scenario_files",
    "save_scenario",
    "scenario_from_dict",
    "scenario_from_json",
    "scenario_link",
    "scenario_to_dict",
    "scenario_to_json",
    "scenarios_zip",
    "what_changed",
    "with_input",
]
