"""The model's vocabulary: every input and output figure has a kind, the investment is summed
once, and the model's modules import one way, without a cycle."""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import pytest
from hypothesis import given, settings

import roi_model
from roi_model import GoalMetric, Investment, Scenario, evaluate
from roi_model.model.break_even import input_paths
from roi_model.model.channels import CHANNEL_KEYS, CURVE_COLUMNS, HOURS_COLUMNS, POOR_FIT_COLUMNS
from roi_model.model.compare import HEADLINE_METRICS
from roi_model.model.evaluate import COUNT_COLUMNS, channel_columns
from roi_model.model.goals import GAP_CANDIDATES
from roi_model.model.history import COUNTS, FIGURES
from roi_model.model.spec import FRACTION_FIELDS, KIND, RULE
from roi_model.model.vocabulary import (
    INPUT_KINDS,
    INPUT_SPECS,
    OBJECTIVES,
    OUTPUT_KINDS,
    Kind,
    input_kinds,
    is_money,
    kind_of,
)
from tests.strategies import floats, investments

MODEL_DIR = Path(roi_model.__file__).parent  # the whole package: a cycle anywhere counts


def _spec_id(spec: type) -> str:
    return spec.__name__


# --------------------------------------------------------------------------------------------
# Inputs: declared once, with the field


class TestInputKinds:
    @pytest.mark.parametrize("spec", INPUT_SPECS, ids=_spec_id)
    def test_every_numeric_field_has_a_kind(self, spec: type) -> None:
        # a field added without a unit fails here (a channel's name is its only text, and the
        # months' schedule a list of steps)
        numeric = {f.name for f in fields(spec)} - {"name", "schedule"}
        assert set(input_kinds(spec)) == numeric

    @pytest.mark.parametrize("spec", INPUT_SPECS, ids=_spec_id)
    def test_every_numeric_field_has_a_rule(self, spec: type) -> None:
        numeric = {f.name for f in fields(spec)} - {"name", "schedule"}
        assert {f.name for f in fields(spec) if RULE in f.metadata} == numeric

    def test_a_field_without_a_declared_kind_is_missed(self) -> None:
        @dataclass(frozen=True)
        class Partly:
            declared: float = field(default=0.0, metadata={KIND: Kind.MONEY})
            forgotten: float = 0.0

        assert input_kinds(Partly) == {"declared": Kind.MONEY}

    @pytest.mark.parametrize(
        ("name", "kind"),
        [
            ("ad_budget", Kind.MONEY),
            ("staff_hours", Kind.HOURS),
            ("hourly_rate", Kind.MONEY),
            ("fixed_costs", Kind.MONEY),
            ("order_value", Kind.MONEY),
            ("gross_margin", Kind.PERCENT),
            ("support_query", Kind.MONEY),
            ("budget_share", Kind.PERCENT),
            ("cpm", Kind.MONEY),
            ("saturation_spend", Kind.MONEY),
            ("organic_impressions_per_hour", Kind.COUNT),
            ("ctr", Kind.PERCENT),
            ("close_rate", Kind.PERCENT),
            ("fit", Kind.PERCENT),
            ("support_queries_per_hour", Kind.COUNT),
        ],
        ids=lambda value: str(value),
    )
    def test_golden_kinds(self, name: str, kind: Kind) -> None:
        assert INPUT_KINDS[name] is kind

    def test_percent_inputs_are_the_fractions_and_the_shares(self) -> None:
        # what the cockpit's editors show x100: the fractions in [0, 1], the two shares and the
        # monthly discount rate (a rate that may exceed 100 %)
        percent = {name for name, kind in INPUT_KINDS.items() if kind is Kind.PERCENT}
        assert percent == FRACTION_FIELDS | {"budget_share", "hours_share", "discount_rate"}

    def test_every_input_path_has_a_kind(self) -> None:
        paths = (*input_paths(Scenario()), *GAP_CANDIDATES)
        assert {path: kind_of(path) for path in paths}  # raises KeyError on a missing one
        assert kind_of("channels[*].close_rate") is Kind.PERCENT
        assert kind_of("channels[0].cpm") is kind_of("values.order_value") is Kind.MONEY
        assert kind_of("investment.staff_hours") is Kind.HOURS


# --------------------------------------------------------------------------------------------
# Outputs: every figure a page formats


#: The model's figures that pages show, each formatted by its kind.
FIGURES_SHOWN: tuple[str, ...] = (
    *COUNT_COLUMNS,
    *channel_columns(Scenario()),
    *(metric.key for metric in HEADLINE_METRICS),
    *CHANNEL_KEYS,
    *HOURS_COLUMNS,
    *POOR_FIT_COLUMNS,
    *(name for name in CURVE_COLUMNS if name != "channel"),
    *COUNTS,
    *FIGURES,
    *(metric.value for metric in GoalMetric),
    "attainment",
)


class TestOutputKinds:
    @pytest.mark.parametrize("name", sorted(set(FIGURES_SHOWN)))
    def test_every_figure_shown_has_a_kind(self, name: str) -> None:
        assert kind_of(name) in Kind

    def test_an_input_and_a_figure_of_one_name_agree(self) -> None:
        shared = set(INPUT_KINDS) & set(OUTPUT_KINDS)
        assert shared >= {"hours_share", "fit", "cpm", "ctr"}
        assert {name for name in shared if INPUT_KINDS[name] is not OUTPUT_KINDS[name]} == set()

    @pytest.mark.parametrize("metric", list(GoalMetric), ids=str)
    def test_roi_goals_are_the_percent_goals(self, metric: GoalMetric) -> None:
        assert metric.is_ratio == (kind_of(metric) is Kind.PERCENT)

    def test_money_goals(self) -> None:
        # the cockpit's former hand-kept set of goal metrics shown as money
        money = {metric.value for metric in GoalMetric if is_money(metric)}
        assert money == {"revenue", "financial_return", "full_return"}

    def test_money_inputs(self) -> None:
        # the assumptions page's former hand-kept set of inputs shown as money
        assert {name for name in INPUT_KINDS if is_money(name)} == {
            "ad_budget",
            "hourly_rate",
            "fixed_costs",
            "like",
            "comment",
            "share",
            "video_view",
            "organic_visit",
            "lead",
            "order_value",
            "support_query",
            "follower",
            "launch_costs",
            "cpm",
            "saturation_spend",
        }

    def test_golden_output_kinds(self) -> None:
        assert kind_of("roas") is Kind.RATIO
        assert kind_of("full_roi") is kind_of("marginal_roi") is Kind.PERCENT
        assert kind_of("leads") is kind_of("clicks") is Kind.COUNT
        assert kind_of("hours") is Kind.HOURS
        assert kind_of("cost_per_sale") is kind_of("return_organic_traffic") is Kind.MONEY

    def test_an_unknown_name_is_refused_by_name(self) -> None:
        with pytest.raises(KeyError, match="no_such_figure"):
            kind_of("values.no_such_figure")


def test_the_objectives() -> None:
    # written as they are into scenario files, share links and the command line
    assert OBJECTIVES == ("financial", "full")


# --------------------------------------------------------------------------------------------
# The investment, summed once


class TestInvestmentTotal:
    @pytest.mark.parametrize(
        ("investment", "staff_cost", "total"),
        [
            # 20 h x 35 = 700; 1,000 + 700 + 400 = 2,100
            (Investment(1000.0, 20.0, 35.0, 400.0), 700.0, 2100.0),
            # time alone: 40 h x 25 = 1,000
            (Investment(staff_hours=40.0, hourly_rate=25.0), 1000.0, 1000.0),
            # hours without a rate cost nothing: 0 + 0 + 150
            (Investment(staff_hours=10.0, fixed_costs=150.0), 0.0, 150.0),
            # 12.5 h x 18 = 225; 2,500.5 + 225 + 99.5 = 2,825
            (Investment(2500.5, 12.5, 18.0, 99.5), 225.0, 2825.0),
            (Investment(), 0.0, 0.0),
        ],
        ids=["all-four", "time-alone", "no-rate", "fractions", "nothing"],
    )
    def test_by_hand(self, investment: Investment, staff_cost: float, total: float) -> None:
        assert investment.staff_cost == pytest.approx(staff_cost, rel=1e-12)
        assert investment.total == pytest.approx(total, rel=1e-12)

    def test_total_at_another_budget(self) -> None:
        # 300 + 20 h x 35 + 400 = 1,400
        assert Investment(1000.0, 20.0, 35.0, 400.0).total_at(300.0) == 1400.0

    @settings(max_examples=50)
    @given(investments(), floats(0.0, 1e6))
    def test_total_at_is_the_total_of_that_budget(
        self, investment: Investment, budget: float
    ) -> None:
        assert investment.total_at(budget) == replace(investment, ad_budget=budget).total

    @settings(max_examples=30)
    @given(investments())
    def test_evaluate_reports_it(self, investment: Investment) -> None:
        channels = (roi_model.Channel("Ads", budget_share=1.0, hours_share=1.0),)
        summary = evaluate(Scenario(investment=investment, channels=channels)).investment
        assert summary.total == investment.total  # the same sum, to the last bit
        assert summary.staff_cost == investment.staff_cost


# --------------------------------------------------------------------------------------------
# Imports run one way


def _model_module(path: Path) -> str:
    name = path.relative_to(MODEL_DIR.parent).with_suffix("").as_posix().replace("/", ".")
    return name.removesuffix(".__init__")


def _model_imports(path: Path) -> set[str]:
    """The model's modules a file imports, anywhere in it: at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found |= {name for name in names if name.split(".")[0] == "roi_model"}
    return found


def _import_graph() -> dict[str, set[str]]:
    return {_model_module(path): _model_imports(path) for path in sorted(MODEL_DIR.rglob("*.py"))}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of the graph as the modules along it (first one repeated), or []."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str]:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return []
        for imported in sorted(graph.get(module, ())):
            found = visit(imported, [*path, module])
            if found:
                return found
        done.add(module)
        return []

    for module in graph:
        found = visit(module, [])
        if found:
            return found
    return []


class TestImports:
    def test_the_graph_sees_a_deferred_import(self, tmp_path: Path) -> None:
        module = tmp_path / "deferred.py"
        module.write_text("def f():\n    from roi_model.model.compare import check_labels\n")
        assert _model_imports(module) == {"roi_model.model.compare"}
        assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]

    def test_no_cycle_among_the_models_modules(self) -> None:
        cycle = _cycle(_import_graph())
        assert cycle == [], " -> ".join(cycle)

    def test_the_vocabulary_imports_only_the_spec(self) -> None:
        graph = _import_graph()
        assert graph["roi_model.model.vocabulary"] == {"roi_model.model.spec"}
        assert graph["roi_model.model.spec"] == {"roi_model.model.errors"}

    def test_goals_import_compare_not_the_other_way(self) -> None:
        graph = _import_graph()
        assert "roi_model.model.compare" in graph["roi_model.model.goals"]
        assert "roi_model.model.goals" not in graph["roi_model.model.compare"]

    def test_each_module_imports_first_on_its_own(self) -> None:
        # The package's __init__ imports nearly everything in one order, which can hide a
        # cycle; here each module is imported first, under an empty stand-in of the package.
        # (``__main__`` runs the command line when imported: it is not a module to import)
        skipped = {"roi_model", "roi_model.__main__"}
        modules = [name for name in _import_graph() if name not in skipped]
        script = (
            "import importlib, sys, types\n"
            f"modules, where = {modules!r}, {str(MODEL_DIR)!r}\n"
            "for name in modules:\n"
            "    for loaded in [m for m in sys.modules if m.split('.')[0] == 'roi_model']:\n"
            "        del sys.modules[loaded]\n"
            "    package = types.ModuleType('roi_model')\n"
            "    package.__path__ = [where]\n"
            "    sys.modules['roi_model'] = package\n"
            "    importlib.import_module(name)\n"
        )
        run = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
        )
        assert run.returncode == 0, run.stderr
