"""Scenario files: strict reading that says where and why, and lossless round trips."""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from roi_model import SCHEMA_VERSION, Rule, Scenario, ScenarioError, evaluate
from roi_model.files.scenario_file import (
    load_scenario,
    save_scenario,
    scenario_from_dict,
    scenario_from_json,
    scenario_to_dict,
    scenario_to_json,
)
from roi_model.model.spec import Cadence, Calibration, InputRange, Months, PlanRow, ScheduleStep
from tests.strategies import scenarios

TOP_LEVEL_V1 = [
    "schema_version",
    "name",
    "currency",
    "investment",
    "values",
    "lenses",
    "channels",
    "goals",
]
TOP_LEVEL = [*TOP_LEVEL_V1, "plan", "calibration", "uncertainty", "months"]
PRESETS = sorted((Path(__file__).parent.parent / "sample_data" / "presets").glob("*.json"))

#: One plan row as a version 2 file writes it, and the spec it stands for.
PLAN_ROW_JSON: dict[str, Any] = {
    "objective": "Más ventas",
    "channel": "Facebook",
    "kpi": "Coste por lead",
    "tactics": ["Anuncios con formulario", "Contenido descargable"],
    "metrics": ["leads", "inversión"],
    "tool": "Meta Business Suite",
    "cadence": "weekly",
}
PLAN_ROW = PlanRow(
    "Más ventas",
    "Facebook",
    "Coste por lead",
    ("Anuncios con formulario", "Contenido descargable"),
    ("leads", "inversión"),
    "Meta Business Suite",
    Cadence.WEEKLY,
)


def _v2(document: dict[str, Any], plan: list[Any] | None = None) -> dict[str, Any]:
    """A version 1 document as version 2: the same, with a plan."""
    return document | {"schema_version": 2, "plan": [] if plan is None else plan}


def _v3(
    document: dict[str, Any], plan: list[Any] | None = None, calibration: list[Any] | None = None
) -> dict[str, Any]:
    """An older document as version 3: with a plan and a calibration."""
    newer = _v2(document, document.get("plan", []) if plan is None else plan)
    return newer | {"schema_version": 3, "calibration": calibration or []}


def _v4(document: dict[str, Any], uncertainty: list[Any] | None = None) -> dict[str, Any]:
    """An older document as version 4 (as files are written): with ranges on the inputs."""
    newer = _v3(document, calibration=document.get("calibration", []))
    return newer | {"schema_version": 4, "uncertainty": uncertainty or []}


#: The months block of a file that says nothing about the months ahead.
DEFAULT_MONTHS: dict[str, Any] = {
    "horizon": 12,
    "launch_costs": 0.0,
    "discount_rate": 0.0,
    "repeat_purchases": 0.0,
    "retention": 0.0,
    "schedule": [],
}
NEW_CHANNEL_FIELDS: dict[str, Any] = {
    "followers": 0.0,
    "follow_rate": 0.0,
    "follower_churn": 0.0,
    "audience_ceiling": None,
    "carryover": 0.0,
}


def _v5(document: dict[str, Any]) -> dict[str, Any]:
    """A version 4 document as version 5 (as files are written): the months ahead at their
    defaults, no follower value, no audience, no carryover, monthly goals."""
    return document | {
        "schema_version": 5,
        "values": document["values"] | {"follower": 0.0},
        "channels": [channel | NEW_CHANNEL_FIELDS for channel in document["channels"]],
        "goals": [goal | {"by_month": None} for goal in document["goals"]],
        "months": DEFAULT_MONTHS,
    }


def _error(build: Callable[[], object]) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        build()
    return caught.value


class TestScenarioFromDict:
    def test_builds_the_example(self, example_dict: dict[str, Any]) -> None:
        scenario = scenario_from_dict(example_dict)
        assert scenario.name == "Tienda online"
        assert scenario.investment.ad_budget == 5000.0
        assert scenario.channels[0].saturation_spend == 4000.0
        assert [g.target for g in scenario.goals] == [50.0, 300.0]

    def test_json_integers_become_floats(self, example_dict: dict[str, Any]) -> None:
        scenario = scenario_from_dict(example_dict)
        assert type(scenario.investment.ad_budget) is float
        assert type(scenario.goals[0].target) is float

    def test_null_saturation_spend_means_none(self, example_dict: dict[str, Any]) -> None:
        example_dict["channels"][0]["saturation_spend"] = None
        scenario = scenario_from_dict(example_dict)
        assert scenario.channels[0].saturation_spend is None
        # 1000 * 5000 / 8 = 625000 impressions, no diminishing returns
        assert evaluate(scenario).totals["paid_impressions"] == pytest.approx(625_000.0)

    @pytest.mark.parametrize(
        ("path", "field"),
        [
            ((), "colour"),
            (("investment",), "investment.budget"),
            (("channels", 0), "channels[0].cpc"),
            (("goals", 1), "goals[1].weight"),
            (("lenses",), "lenses.reputation"),
        ],
        ids=["top-level", "investment", "channel", "goal", "lenses"],
    )
    def test_unknown_field_is_refused(
        self, example_dict: dict[str, Any], path: tuple[Any, ...], field: str
    ) -> None:
        target: Any = example_dict
        for key in path:
            target = target[key]
        target[field.rsplit(".", 1)[-1]] = 1.5
        error = _error(lambda: scenario_from_dict(example_dict))
        assert (error.field, error.value, error.rule) == (field, 1.5, Rule.UNKNOWN_FIELD)
        assert field in str(error)

    def test_unknown_field_lists_the_known_ones(self, example_dict: dict[str, Any]) -> None:
        # the example is a version 1 file: its known fields are version 1's
        example_dict["colour"] = "red"
        error = _error(lambda: scenario_from_dict(example_dict))
        assert error.options.split(", ") == TOP_LEVEL_V1
        error = _error(lambda: scenario_from_dict(_v2(example_dict)))
        assert error.options.split(", ") == [*TOP_LEVEL_V1, "plan"]
        error = _error(lambda: scenario_from_dict(_v3(example_dict)))
        assert error.options.split(", ") == TOP_LEVEL[:-2]
        error = _error(lambda: scenario_from_dict(_v4(example_dict)))
        assert error.options.split(", ") == TOP_LEVEL[:-1]
        error = _error(lambda: scenario_from_dict(_v5(_v4(example_dict))))
        assert error.options.split(", ") == TOP_LEVEL

    @pytest.mark.parametrize(
        ("path", "field"),
        [
            ((), "goals"),
            ((), "schema_version"),
            (("investment",), "investment.fixed_costs"),
            (("values",), "values.gross_margin"),
            (("channels", 0), "channels[0].ctr"),
            (("channels", 0), "channels[0].saturation_spend"),
            (("goals", 0), "goals[0].target"),
        ],
        ids=[
            "goals",
            "schema-version",
            "fixed-costs",
            "gross-margin",
            "ctr",
            "saturation",
            "goal-target",
        ],
    )
    def test_missing_field_is_refused(
        self, example_dict: dict[str, Any], path: tuple[Any, ...], field: str
    ) -> None:
        target: Any = example_dict
        for key in path:
            target = target[key]
        del target[field.rsplit(".", 1)[-1]]
        error = _error(lambda: scenario_from_dict(example_dict))
        assert (error.field, error.value, error.rule) == (field, None, Rule.MISSING_FIELD)

    @pytest.mark.parametrize(
        ("edit", "field", "value"),
        [
            (lambda d: d["investment"].update(ad_budget="5000"), "investment.ad_budget", "5000"),
            (lambda d: d.update(investment=[5000, 80]), "investment", [5000, 80]),
            (lambda d: d.update(lenses=1), "lenses", 1),
            (lambda d: d["lenses"].update(leads=1), "lenses.leads", 1.0),
            (lambda d: d["lenses"].update(engagement="true"), "lenses.engagement", "true"),
            (lambda d: d.update(channels={"name": "Facebook"}), "channels", {"name": "Facebook"}),
            (lambda d: d["channels"].__setitem__(0, "Facebook"), "channels[0]", "Facebook"),
            (lambda d: d.update(goals="sales"), "goals", "sales"),
            (lambda d: d["channels"][0].update(cpm=None), "channels[0].cpm", None),
            (lambda d: d["channels"][0].update(name=7), "channels[0].name", 7.0),
            (lambda d: d["values"].update(lead=True), "values.lead", True),
            (lambda d: d.update(name=["Tienda"]), "name", ["Tienda"]),
        ],
        ids=[
            "string-budget",
            "list-for-object",
            "lenses-1",
            "lens-1",
            "lens-string",
            "object-for-list",
            "string-for-channel",
            "string-for-goals",
            "null-cpm",
            "number-name",
            "bool-value",
            "list-name",
        ],
    )
    def test_wrong_type_is_refused(
        self,
        example_dict: dict[str, Any],
        edit: Callable[[dict[str, Any]], None],
        field: str,
        value: Any,
    ) -> None:
        edit(example_dict)
        error = _error(lambda: scenario_from_dict(example_dict))
        assert (error.field, error.value, error.rule) == (field, value, Rule.WRONG_TYPE)

    @pytest.mark.parametrize(
        "document", [[], "scenario", 1, None], ids=["list", "text", "number", "null"]
    )
    def test_a_file_that_is_not_an_object_is_refused(self, document: Any) -> None:
        error = _error(lambda: scenario_from_dict(document))
        assert (error.field, error.rule) == ("", Rule.WRONG_TYPE)
        assert str(error).startswith("file = ")

    @pytest.mark.parametrize(
        "version",
        [6, 0, 1.5, "1", "2", True, None, float("nan")],
        ids=["6", "0", "1.5", "text-1", "text-2", "true", "null", "nan"],
    )
    def test_other_schema_versions_are_refused(
        self, example_dict: dict[str, Any], version: Any
    ) -> None:
        example_dict["schema_version"] = version
        error = _error(lambda: scenario_from_dict(example_dict))
        assert (error.field, error.rule) == ("schema_version", Rule.SCHEMA_VERSION)
        assert error.value is version
        assert "schema_version 1, 2, 3, 4, 5" in str(error)

    @pytest.mark.parametrize("huge", [10**400, -(10**400)], ids=["positive", "negative"])
    def test_an_integer_beyond_float_range_is_not_finite(
        self, example_dict: dict[str, Any], huge: int
    ) -> None:
        example_dict["investment"]["ad_budget"] = huge
        error = _error(lambda: scenario_from_dict(example_dict))
        assert (error.field, error.rule) == ("investment.ad_budget", Rule.FINITE)
        assert math.isinf(error.value)


class TestScenarioToDict:
    def test_round_trip_of_the_example_file(self, example_dict: dict[str, Any]) -> None:
        # read as version 1, written as version 5: the same fields, an empty plan, calibration
        # and uncertainty, and the months ahead at their defaults
        assert scenario_to_dict(scenario_from_dict(example_dict)) == _v5(_v4(example_dict))

    def test_round_trip_keeps_null_saturation(self, clinic_dict: dict[str, Any]) -> None:
        out = scenario_to_dict(scenario_from_dict(clinic_dict))
        assert out == _v5(_v4(clinic_dict))
        assert out["channels"][1]["saturation_spend"] is None

    def test_writes_the_plan_as_plain_json(self, example_scenario: Scenario) -> None:
        out = scenario_to_dict(replace(example_scenario, plan=(PLAN_ROW,)))
        assert out["plan"] == [PLAN_ROW_JSON]
        assert type(out["plan"][0]["tactics"]) is list
        assert type(out["plan"][0]["cadence"]) is str

    def test_fields_in_the_documented_order(self, example_scenario: Scenario) -> None:
        out = scenario_to_dict(example_scenario)
        assert list(out) == TOP_LEVEL
        assert list(out["investment"]) == ["ad_budget", "staff_hours", "hourly_rate", "fixed_costs"]
        assert out["schema_version"] == SCHEMA_VERSION == 5
        assert list(out["months"]) == list(DEFAULT_MONTHS)
        assert list(out["plan"]) == []
        assert out["uncertainty"] == []


class TestScenarioFromJson:
    def test_reads_the_example_text(self, example_dict: dict[str, Any]) -> None:
        text = json.dumps(example_dict, indent=1)
        assert scenario_from_json(text) == scenario_from_dict(example_dict)

    @pytest.mark.parametrize(
        ("text", "where"),
        [
            ('{"schema_version": 1,\n  "name": }', "line 2, column 11"),
            ("", "line 1, column 1"),
            ('{"schema_version": 1,}', "line 1, column 22"),
            ("{'name': 'x'}", "line 1, column 2"),
        ],
        ids=["missing-value", "empty", "trailing-comma", "single-quotes"],
    )
    def test_malformed_json_names_line_and_column(self, text: str, where: str) -> None:
        error = _error(lambda: scenario_from_json(text))
        assert (error.field, error.rule) == ("", Rule.MALFORMED_JSON)
        assert error.value.startswith(where)
        assert where in str(error)

    @pytest.mark.parametrize(
        "token",
        ["NaN", "Infinity", "-Infinity", "1e400"],
        ids=["nan", "inf", "minus-inf", "overflowing-float"],
    )
    def test_non_finite_numbers_are_refused(self, example_dict: dict[str, Any], token: str) -> None:
        text = json.dumps(example_dict).replace('"fixed_costs": 500', f'"fixed_costs": {token}')
        error = _error(lambda: scenario_from_json(text))
        assert (error.field, error.rule) == ("investment.fixed_costs", Rule.FINITE)

    def test_integer_too_long_to_parse_is_a_scenario_error(
        self, example_dict: dict[str, Any]
    ) -> None:
        # Python refuses to parse integers of more than 4300 digits with a plain ValueError;
        # the reader promises a ScenarioError for anything it cannot accept.
        digits = "9" * 5000
        text = json.dumps(example_dict).replace('"fixed_costs": 500', f'"fixed_costs": {digits}')
        error = _error(lambda: scenario_from_json(text))
        assert error.rule in (Rule.FINITE, Rule.MALFORMED_JSON)


class TestScenarioToJson:
    def test_is_indented_utf8_text_with_a_final_newline(self, clinic_scenario: Scenario) -> None:
        text = scenario_to_json(clinic_scenario)
        assert "Clínica dental" in text  # not \u00ed
        assert text.endswith("}\n")
        assert '\n  "name": "Clínica dental",' in text

    def test_round_trip_of_the_clinic(self, clinic_scenario: Scenario) -> None:
        assert scenario_from_json(scenario_to_json(clinic_scenario)) == clinic_scenario

    @settings(max_examples=40)
    @given(scenario=scenarios())
    def test_any_valid_scenario_survives_unchanged(self, scenario: Scenario) -> None:
        again = scenario_from_json(scenario_to_json(scenario))
        assert again == scenario
        assert hash(again) == hash(scenario)


class TestLoadScenario:
    def test_reads_a_file(self, example_file: Path, example_scenario: Scenario) -> None:
        assert load_scenario(example_file) == example_scenario
        assert load_scenario(str(example_file)) == example_scenario

    def test_missing_file_is_unreadable(self, tmp_path: Path) -> None:
        path = tmp_path / "nowhere.json"
        error = _error(lambda: load_scenario(path))
        assert (error.field, error.value, error.rule) == ("", str(path), Rule.UNREADABLE)
        assert str(path) in str(error)

    def test_a_folder_is_unreadable(self, tmp_path: Path) -> None:
        assert _error(lambda: load_scenario(tmp_path)).rule is Rule.UNREADABLE

    @pytest.mark.parametrize(
        "content",
        [b'{"name": "Tienda \xf1"}', "Clínica".encode("utf-16"), b"\xff\xfe\x00"],
        ids=["latin-1", "utf-16", "binary"],
    )
    def test_non_utf8_bytes_are_unreadable(
        self, write_scenario_file: Callable[[Any], Path], content: bytes
    ) -> None:
        path = write_scenario_file(content)
        error = _error(lambda: load_scenario(path))
        assert (error.value, error.rule) == (str(path), Rule.UNREADABLE)

    def test_malformed_file_names_line_and_column(
        self, write_scenario_file: Callable[[Any], Path]
    ) -> None:
        path = write_scenario_file('{\n  "schema_version": 1\n  "name": "x"\n}')
        error = _error(lambda: load_scenario(path))
        assert error.rule is Rule.MALFORMED_JSON
        assert "line 3, column 3" in str(error)


class TestSaveScenario:
    def test_save_then_load_gives_the_same_scenario(
        self, tmp_path: Path, clinic_scenario: Scenario
    ) -> None:
        path = tmp_path / "clinic.json"
        save_scenario(clinic_scenario, path)
        assert load_scenario(path) == clinic_scenario
        assert path.read_bytes().decode("utf-8") == scenario_to_json(clinic_scenario)


class TestSchemaVersions:
    """Version 2 added the plan; version 1 files keep loading, as scenarios with no plan."""

    def test_a_version_1_file_loads_with_no_plan(self, example_dict: dict[str, Any]) -> None:
        scenario = scenario_from_dict(example_dict)
        assert scenario.plan == ()
        assert scenario == scenario_from_dict(_v2(example_dict))

    def test_a_version_1_file_saved_again_is_version_5(
        self, tmp_path: Path, clinic_dict: dict[str, Any]
    ) -> None:
        path = tmp_path / "clinic.json"
        path.write_text(json.dumps(clinic_dict), encoding="utf-8")
        save_scenario(load_scenario(path), path)
        assert json.loads(path.read_text(encoding="utf-8")) == _v5(_v4(clinic_dict))

    @pytest.mark.parametrize("plan", [[], [PLAN_ROW_JSON]], ids=["empty", "one-row"])
    def test_a_plan_in_a_version_1_file_is_an_unknown_field(
        self, example_dict: dict[str, Any], plan: list[Any]
    ) -> None:
        example_dict["plan"] = plan
        error = _error(lambda: scenario_from_dict(example_dict))
        assert (error.field, error.value, error.rule) == ("plan", plan, Rule.UNKNOWN_FIELD)
        assert error.options.split(", ") == TOP_LEVEL_V1

    def test_a_version_2_file_needs_its_plan(self, example_dict: dict[str, Any]) -> None:
        example_dict["schema_version"] = 2
        error = _error(lambda: scenario_from_dict(example_dict))
        assert (error.field, error.value, error.rule) == ("plan", None, Rule.MISSING_FIELD)

    def test_reads_the_plan(self, example_dict: dict[str, Any]) -> None:
        scenario = scenario_from_dict(_v2(example_dict, [PLAN_ROW_JSON, PLAN_ROW_JSON]))
        assert scenario.plan == (PLAN_ROW, PLAN_ROW)

    def test_a_newer_file_is_refused_for_its_version_first(
        self, example_dict: dict[str, Any]
    ) -> None:
        # a version 6 file may have fields this version does not know: say it is newer
        newer = _v5(_v4(example_dict)) | {"schema_version": 6, "budget_plan": {}}
        error = _error(lambda: scenario_from_dict(newer))
        assert (error.field, error.value, error.rule) == ("schema_version", 6, Rule.SCHEMA_VERSION)

    @pytest.mark.parametrize("version", [1.0, 2.0, 3.0, 4.0], ids=["1.0", "2.0", "3.0", "4.0"])
    def test_an_integral_float_version_is_that_version(
        self, example_dict: dict[str, Any], version: float
    ) -> None:
        upgrades: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
            1: dict,
            2: _v2,
            3: _v3,
            4: _v4,
        }
        document = upgrades[int(version)](example_dict)
        document["schema_version"] = version
        assert scenario_from_dict(document) == scenario_from_dict(example_dict)

    def test_a_missing_version_is_named_first(self, example_dict: dict[str, Any]) -> None:
        del example_dict["schema_version"]
        error = _error(lambda: scenario_from_dict(example_dict))
        assert (error.field, error.rule) == ("schema_version", Rule.MISSING_FIELD)

    @pytest.mark.parametrize("preset", PRESETS, ids=lambda path: path.stem)
    def test_every_preset_loads_and_saves_as_version_5(self, preset: Path) -> None:
        document = json.loads(preset.read_text(encoding="utf-8"))
        scenario = load_scenario(preset)
        assert scenario_to_dict(scenario) == _v5(_v4(document, document.get("uncertainty")))

    def test_there_are_presets(self) -> None:
        assert len(PRESETS) == 5


class TestPlanInFiles:
    @pytest.mark.parametrize(
        ("edit", "field", "value", "rule"),
        [
            (lambda r: r.update(kpi=" "), "plan[1].kpi", " ", Rule.NON_EMPTY),
            (lambda r: r.update(objective=""), "plan[1].objective", "", Rule.NON_EMPTY),
            (lambda r: r.update(channel=7), "plan[1].channel", 7.0, Rule.WRONG_TYPE),
            (lambda r: r.update(tool=None), "plan[1].tool", None, Rule.WRONG_TYPE),
            (lambda r: r.update(tactics="a; b"), "plan[1].tactics", "a; b", Rule.WRONG_TYPE),
            (lambda r: r.update(metrics={"a": 1}), "plan[1].metrics", {"a": 1}, Rule.WRONG_TYPE),
            (lambda r: r["tactics"].append(7), "plan[1].tactics[2]", 7, Rule.WRONG_TYPE),
            (lambda r: r["metrics"].insert(0, "  "), "plan[1].metrics[0]", "  ", Rule.NON_EMPTY),
            (lambda r: r["tactics"].append("a;b"), "plan[1].tactics[2]", "a;b", Rule.WRONG_TYPE),
            (lambda r: r.update(cadence="yearly"), "plan[1].cadence", "yearly", Rule.ONE_OF),
            (lambda r: r.update(cadence="Weekly"), "plan[1].cadence", "Weekly", Rule.ONE_OF),
            (lambda r: r.update(colour="red"), "plan[1].colour", "red", Rule.UNKNOWN_FIELD),
            (lambda r: r.pop("tool"), "plan[1].tool", None, Rule.MISSING_FIELD),
        ],
        ids=[
            "blank-kpi",
            "empty-objective",
            "number-channel",
            "null-tool",
            "text-tactics",
            "object-metrics",
            "number-tactic",
            "blank-metric",
            "separator-in-tactic",
            "unknown-cadence",
            "capitalised-cadence",
            "unknown-field",
            "missing-tool",
        ],
    )
    def test_a_bad_plan_row_names_the_field(
        self,
        example_dict: dict[str, Any],
        edit: Callable[[dict[str, Any]], Any],
        field: str,
        value: Any,
        rule: Rule,
    ) -> None:
        rows = [copy.deepcopy(PLAN_ROW_JSON) for _ in range(2)]
        edit(rows[1])
        error = _error(lambda: scenario_from_dict(_v2(example_dict, rows)))
        assert (error.field, error.value, error.rule) == (field, value, rule)
        assert field in str(error)

    @pytest.mark.parametrize(
        ("plan", "field"),
        [("rows", "plan"), (["row"], "plan[0]"), ({}, "plan")],
        ids=["text", "text-row", "object"],
    )
    def test_a_plan_that_is_not_a_list_of_objects_is_refused(
        self, example_dict: dict[str, Any], plan: Any, field: str
    ) -> None:
        error = _error(lambda: scenario_from_dict(_v2(example_dict, plan)))
        assert (error.field, error.rule) == (field, Rule.WRONG_TYPE)

    def test_texts_are_stripped_on_reading(self, example_dict: dict[str, Any]) -> None:
        padded = [" Anuncios con formulario", "Contenido descargable "]
        row = PLAN_ROW_JSON | {"kpi": "  Coste por lead\n", "tactics": padded}
        assert scenario_from_dict(_v2(example_dict, [row])).plan == (PLAN_ROW,)


#: One calibrated figure as a version 3 file writes it.
CALIBRATION_JSON: dict[str, Any] = {
    "channel": "Facebook",
    "field": "cpm",
    "value": 7.25,
    "periods": 12,
    "source": "ventas_2025.csv",
}


class TestCalibrationInFiles:
    def test_reads_and_writes_the_calibration(self, example_dict: dict[str, Any]) -> None:
        saturation = CALIBRATION_JSON | {"field": "saturation_spend", "value": None}
        order = CALIBRATION_JSON | {"channel": "", "field": "order_value", "value": 80}
        document = _v3(example_dict, calibration=[CALIBRATION_JSON, saturation, order])
        scenario = scenario_from_dict(document)
        assert scenario.calibration == (
            Calibration("Facebook", "cpm", 7.25, 12, "ventas_2025.csv"),
            Calibration("Facebook", "saturation_spend", None, 12, "ventas_2025.csv"),
            Calibration("", "order_value", 80.0, 12, "ventas_2025.csv"),
        )
        assert type(scenario.calibration[0].periods) is int  # JSON 12 is read as 12.0 first
        assert scenario_to_dict(scenario)["calibration"] == [
            CALIBRATION_JSON,
            saturation,
            order | {"value": 80.0},
        ]

    def test_a_version_3_file_needs_its_calibration(self, example_dict: dict[str, Any]) -> None:
        document = _v3(example_dict)
        del document["calibration"]
        error = _error(lambda: scenario_from_dict(document))
        assert (error.field, error.rule) == ("calibration", Rule.MISSING_FIELD)

    def test_a_calibration_in_a_version_2_file_is_an_unknown_field(
        self, example_dict: dict[str, Any]
    ) -> None:
        document = _v2(example_dict) | {"calibration": []}
        error = _error(lambda: scenario_from_dict(document))
        assert (error.field, error.rule) == ("calibration", Rule.UNKNOWN_FIELD)

    @pytest.mark.parametrize(
        ("edit", "field", "rule"),
        [
            ({"field": "budget_share"}, "calibration[0].field", Rule.ONE_OF),
            ({"field": "order_value"}, "calibration[0].channel", Rule.WRONG_TYPE),
            ({"channel": ""}, "calibration[0].channel", Rule.WRONG_TYPE),
            ({"channel": 3}, "calibration[0].channel", Rule.WRONG_TYPE),
            ({"value": -1}, "calibration[0].value", Rule.NOT_NEGATIVE),
            ({"value": None}, "calibration[0].value", Rule.WRONG_TYPE),
            ({"value": "7"}, "calibration[0].value", Rule.WRONG_TYPE),
            ({"periods": 0}, "calibration[0].periods", Rule.POSITIVE),
            ({"periods": 2.5}, "calibration[0].periods", Rule.WRONG_TYPE),
            ({"source": None}, "calibration[0].source", Rule.WRONG_TYPE),
            ({"note": "x"}, "calibration[0].note", Rule.UNKNOWN_FIELD),
        ],
        ids=[
            "not-calibrated",
            "order-value-of-a-channel",
            "no-channel",
            "number-channel",
            "negative",
            "null-cpm",
            "text-value",
            "no-periods",
            "fractional-periods",
            "null-source",
            "unknown-field",
        ],
    )
    def test_a_bad_record_names_the_field(
        self, example_dict: dict[str, Any], edit: dict[str, Any], field: str, rule: Rule
    ) -> None:
        document = _v3(example_dict, calibration=[CALIBRATION_JSON | edit])
        error = _error(lambda: scenario_from_dict(document))
        assert (error.field, error.rule) == (field, rule)

    def test_one_record_per_channel_and_field(self, example_dict: dict[str, Any]) -> None:
        twice = [CALIBRATION_JSON, CALIBRATION_JSON | {"channel": " facebook "}]
        error = _error(lambda: scenario_from_dict(_v3(example_dict, calibration=twice)))
        assert (error.field, error.rule) == ("calibration[1].field", Rule.WRONG_TYPE)

    def test_a_record_of_a_channel_the_scenario_lacks_is_kept(
        self, example_dict: dict[str, Any]
    ) -> None:
        # the channel may have been removed since: the record is history, not a reference
        document = _v3(example_dict, calibration=[CALIBRATION_JSON | {"channel": "TikTok"}])
        assert scenario_from_dict(document).calibration[0].channel == "TikTok"


#: Ranges on the example's inputs as a version 4 file writes them: one of each kind of path.
RANGES_JSON: list[dict[str, Any]] = [
    {"input": "investment.ad_budget", "low": 4000.0, "high": 6000.0},
    {"input": "values.order_value", "low": 90.0, "high": 150.0},
    {"input": "channels[0].cpm", "low": 6.5, "high": 10.0},
    {"input": "channels[*].close_rate", "low": 0.0, "high": 0.5},
]
RANGES = (
    InputRange("investment.ad_budget", 4000.0, 6000.0),
    InputRange("values.order_value", 90.0, 150.0),
    InputRange("channels[0].cpm", 6.5, 10.0),
    InputRange("channels[*].close_rate", 0.0, 0.5),
)


class TestUncertaintyInFiles:
    def test_a_version_4_file_with_ranges_round_trips(self, example_dict: dict[str, Any]) -> None:
        document = _v4(example_dict, RANGES_JSON)
        scenario = scenario_from_dict(document)
        assert scenario.uncertainty == RANGES
        assert scenario_to_dict(scenario)["uncertainty"] == RANGES_JSON
        assert scenario_from_json(scenario_to_json(scenario)) == scenario

    def test_json_integers_in_a_range_become_floats(self, example_dict: dict[str, Any]) -> None:
        document = _v4(example_dict, [{"input": "values.lead", "low": 10, "high": 20}])
        [item] = scenario_from_dict(document).uncertainty
        assert (type(item.low), type(item.high)) == (float, float)

    def test_save_then_load_keeps_the_ranges(
        self, tmp_path: Path, example_scenario: Scenario
    ) -> None:
        scenario = replace(example_scenario, uncertainty=RANGES)
        path = tmp_path / "ranged.json"
        save_scenario(scenario, path)
        assert json.loads(path.read_text(encoding="utf-8"))["uncertainty"] == RANGES_JSON
        assert load_scenario(path) == scenario

    def test_a_version_3_file_opens_with_no_ranges(self, example_dict: dict[str, Any]) -> None:
        scenario = scenario_from_dict(_v3(example_dict, calibration=[CALIBRATION_JSON]))
        assert scenario.uncertainty == ()
        assert len(scenario.calibration) == 1

    @pytest.mark.parametrize("ranges", [[], RANGES_JSON], ids=["empty", "with-ranges"])
    def test_ranges_in_a_version_3_file_are_an_unknown_field(
        self, example_dict: dict[str, Any], ranges: list[Any]
    ) -> None:
        document = _v3(example_dict) | {"uncertainty": ranges}
        error = _error(lambda: scenario_from_dict(document))
        assert (error.field, error.rule) == ("uncertainty", Rule.UNKNOWN_FIELD)
        assert error.options.split(", ") == TOP_LEVEL[:-2]

    def test_a_version_4_file_needs_its_ranges(self, example_dict: dict[str, Any]) -> None:
        document = _v4(example_dict)
        del document["uncertainty"]
        error = _error(lambda: scenario_from_dict(document))
        assert (error.field, error.rule) == ("uncertainty", Rule.MISSING_FIELD)

    @pytest.mark.parametrize(
        ("edit", "field", "rule"),
        [
            ({"low": 160.0}, "uncertainty[1].high", Rule.RANGE_ORDER),
            ({"low": 130.0}, "uncertainty[1].low", Rule.RANGE_EXCLUDES_VALUE),
            ({"low": -10.0}, "uncertainty[1].low", Rule.NOT_NEGATIVE),
            ({"input": "values.followers"}, "uncertainty[1].input", Rule.ONE_OF),
            ({"input": "channels[1].cpm"}, "uncertainty[1].input", Rule.ONE_OF),
            ({"input": "goals[0].target"}, "uncertainty[1].input", Rule.ONE_OF),
            ({"input": "investment.ad_budget"}, "uncertainty[1].input", Rule.UNIQUE),
            ({"low": "90"}, "uncertainty[1].low", Rule.WRONG_TYPE),
            ({"high": None}, "uncertainty[1].high", Rule.WRONG_TYPE),
            ({"low": float("inf")}, "uncertainty[1].low", Rule.FINITE),
            ({"note": "x"}, "uncertainty[1].note", Rule.UNKNOWN_FIELD),
        ],
        ids=[
            "low-above-high",
            "excludes-today",
            "negative-money",
            "unknown-field",
            "no-such-channel",
            "not-an-input",
            "twice",
            "text-low",
            "null-high",
            "infinite-low",
            "unknown-key",
        ],
    )
    def test_a_bad_range_names_the_path(
        self, example_dict: dict[str, Any], edit: dict[str, Any], field: str, rule: Rule
    ) -> None:
        ranges = [RANGES_JSON[0], RANGES_JSON[1] | edit]
        error = _error(lambda: scenario_from_dict(_v4(example_dict, ranges)))
        assert (error.field, error.rule) == (field, rule)
        assert field in str(error)

    def test_a_missing_bound_is_named(self, example_dict: dict[str, Any]) -> None:
        ranges = [{"input": "values.order_value", "low": 90.0}]
        error = _error(lambda: scenario_from_dict(_v4(example_dict, ranges)))
        assert (error.field, error.rule) == ("uncertainty[0].high", Rule.MISSING_FIELD)

    @pytest.mark.parametrize(
        ("ranges", "field"),
        [("ranges", "uncertainty"), (["values.lead"], "uncertainty[0]"), ({}, "uncertainty")],
        ids=["text", "text-item", "object"],
    )
    def test_ranges_that_are_not_a_list_of_objects_are_refused(
        self, example_dict: dict[str, Any], ranges: Any, field: str
    ) -> None:
        error = _error(lambda: scenario_from_dict(_v4(example_dict) | {"uncertainty": ranges}))
        assert (error.field, error.rule) == (field, Rule.WRONG_TYPE)


class TestMonthsInFiles:
    def test_a_version_4_file_opens_with_the_months_ahead_at_their_defaults(
        self, example_dict: dict[str, Any]
    ) -> None:
        scenario = scenario_from_dict(_v4(example_dict))
        assert scenario.months == Months()
        assert scenario.channels[0].carryover == 0.0 and scenario.values.follower == 0.0
        assert [goal.by_month for goal in scenario.goals] == [None, None]

    @pytest.mark.parametrize(
        ("edit", "field"),
        [
            (lambda d: d.update(months=DEFAULT_MONTHS), "months"),
            (lambda d: d["values"].update(follower=1.0), "values.follower"),
            (lambda d: d["channels"][0].update(carryover=0.3), "channels[0].carryover"),
            (lambda d: d["goals"][0].update(by_month=3), "goals[0].by_month"),
        ],
        ids=["months", "follower", "carryover", "by-month"],
    )
    def test_a_field_of_version_5_in_a_version_4_file_is_unknown(
        self, example_dict: dict[str, Any], edit: Callable[[dict[str, Any]], None], field: str
    ) -> None:
        document = _v4(example_dict)
        edit(document)
        error = _error(lambda: scenario_from_dict(document))
        assert (error.field, error.rule) == (field, Rule.UNKNOWN_FIELD)

    def test_the_months_ahead_round_trip(self, example_dict: dict[str, Any]) -> None:
        document = _v5(_v4(example_dict))
        document["months"] = DEFAULT_MONTHS | {
            "horizon": 36,
            "launch_costs": 2500.0,
            "retention": 0.6,
            "schedule": [
                {"from_month": 4, "ad_budget": 3000.0},
                {"from_month": 9, "staff_hours": 20.0},
            ],
        }
        document["channels"][0] |= {"followers": 800.0, "audience_ceiling": 20_000.0}
        document["goals"][0]["by_month"] = 6
        scenario = scenario_from_dict(document)
        assert scenario.months.schedule == (
            ScheduleStep(4, ad_budget=3000.0),
            ScheduleStep(9, staff_hours=20.0),
        )
        assert scenario_to_dict(scenario) == document

    @pytest.mark.parametrize(
        ("edit", "field", "rule"),
        [
            (lambda m: m.update(horizon=0), "months.horizon", Rule.MONTH),
            (lambda m: m.update(horizon=61), "months.horizon", Rule.MONTH),
            (lambda m: m.update(horizon=2.5), "months.horizon", Rule.MONTH),
            (lambda m: m.update(retention=1.5), "months.retention", Rule.FRACTION),
            (lambda m: m.update(retention="0.5"), "months.retention", Rule.WRONG_TYPE),
            (lambda m: m.update(discount_rate=-0.1), "months.discount_rate", Rule.NOT_NEGATIVE),
            (
                lambda m: m.update(schedule=[{"from_month": 1, "ad_budget": 5.0}]),
                "months.schedule[0].from_month",
                Rule.MONTH,
            ),
            (
                lambda m: m.update(schedule=[{"from_month": 6}, {"from_month": 4}]),
                "months.schedule[1].from_month",
                Rule.ORDER,
            ),
            (
                lambda m: m.update(schedule=[{"from_month": 3, "budget": 5.0}]),
                "months.schedule[0].budget",
                Rule.UNKNOWN_FIELD,
            ),
        ],
        ids=[
            "horizon-0",
            "horizon-61",
            "horizon-fraction",
            "retention-1.5",
            "retention-text",
            "negative-discount",
            "schedule-month-1",
            "schedule-out-of-order",
            "schedule-unknown-key",
        ],
    )
    def test_a_bad_months_block_names_the_field(
        self,
        example_dict: dict[str, Any],
        edit: Callable[[dict[str, Any]], None],
        field: str,
        rule: Rule,
    ) -> None:
        document = _v5(_v4(example_dict))
        document["months"] = dict(DEFAULT_MONTHS)
        edit(document["months"])
        error = _error(lambda: scenario_from_dict(document))
        assert (error.field, error.rule) == (field, rule)

    @pytest.mark.parametrize(
        ("edit", "field", "rule"),
        [
            (
                lambda d: d["channels"][0].update(carryover=1.0),
                "channels[0].carryover",
                Rule.BELOW_ONE,
            ),
            (
                lambda d: d["channels"][0].update(followers=-5.0),
                "channels[0].followers",
                Rule.NOT_NEGATIVE,
            ),
            (
                lambda d: d["channels"][0].update(followers=900.0, audience_ceiling=500.0),
                "channels[0].followers",
                Rule.ABOVE_CEILING,
            ),
            (lambda d: d["goals"][0].update(by_month=13), "goals[0].by_month", Rule.MONTH),
            (lambda d: d["goals"][0].update(by_month=0), "goals[0].by_month", Rule.MONTH),
        ],
        ids=["carryover-1", "negative-followers", "above-ceiling", "past-horizon", "month-0"],
    )
    def test_bad_months_fields_elsewhere_name_the_field(
        self,
        example_dict: dict[str, Any],
        edit: Callable[[dict[str, Any]], None],
        field: str,
        rule: Rule,
    ) -> None:
        document = _v5(_v4(example_dict))
        edit(document)
        error = _error(lambda: scenario_from_dict(document))
        assert (error.field, error.rule) == (field, rule)


@pytest.mark.parametrize(
    ("step", "field", "rule"),
    [
        (
            {"from_month": 3, "ad_budget": 500.0},
            "channels[*].budget_share",
            Rule.BUDGET_WITHOUT_SHARE,
        ),
        (
            {"from_month": 3, "staff_hours": 10.0},
            "channels[*].hours_share",
            Rule.HOURS_WITHOUT_SHARE,
        ),
    ],
    ids=["budget-later", "hours-later"],
)
def test_a_scheduled_budget_needs_a_channel_to_go_to(
    example_dict: dict[str, Any], step: dict[str, Any], field: str, rule: Rule
) -> None:
    document = _v5(_v4(example_dict))
    document["investment"] |= {"ad_budget": 0.0, "staff_hours": 0.0}
    document["channels"][0] |= {"budget_share": 0.0, "hours_share": 0.0}
    document["months"] = DEFAULT_MONTHS | {"schedule": [step]}
    error = _error(lambda: scenario_from_dict(document))
    assert (error.field, error.rule) == (field, rule)
