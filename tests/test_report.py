"""The evaluation as JSON-ready data: documented keys, hand-computed numbers, null if undefined."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings

from roi_model import (
    ActionValues,
    Channel,
    Goal,
    GoalMetric,
    Investment,
    Scenario,
    evaluate,
)
from roi_model.model.report import evaluation_to_dict, json_number
from tests.strategies import scenarios

GOLDEN = {"rel": 1e-9}
TOP_LEVEL = [
    "name",
    "currency",
    "investment",
    "return",
    "roi",
    "roas",
    "cost_per_lead",
    "cost_per_sale",
    "totals",
    "channels",
    "goals",
]
COUNT_AND_MONEY_METRICS = [m.value for m in GoalMetric if not m.is_ratio]


@pytest.fixture(scope="module")
def example_report(example_scenario: Scenario) -> dict[str, Any]:
    return evaluation_to_dict(evaluate(example_scenario))


@pytest.fixture(scope="module")
def clinic_report(clinic_scenario: Scenario) -> dict[str, Any]:
    return evaluation_to_dict(evaluate(clinic_scenario))


def _no_investment_scenario() -> Scenario:
    """Unpaid hours on one channel, no goals met: every ratio over the investment is undefined."""
    return Scenario(
        investment=Investment(staff_hours=10.0),
        values=ActionValues(order_value=50.0),
        channels=(Channel("A", hours_share=1.0, organic_impressions_per_hour=100.0),),
        goals=(Goal("primary", "full_roi", 0.2), Goal("secondary", "sales", 1.0)),
    )


class TestJsonNumber:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [(1, 1.0), (np.float64(2.5), 2.5), (np.int64(3), 3.0), (-0.25, -0.25)],
        ids=["int", "numpy-float", "numpy-int", "negative"],
    )
    def test_finite_numbers_become_plain_floats(self, value: Any, expected: float) -> None:
        out = json_number(value)
        assert out == expected
        assert type(out) is float

    @pytest.mark.parametrize(
        "value",
        [math.nan, math.inf, -math.inf, np.float64("nan")],
        ids=["nan", "inf", "minus-inf", "numpy-nan"],
    )
    def test_undefined_numbers_become_none(self, value: Any) -> None:
        assert json_number(value) is None


class TestEvaluationToDict:
    def test_exactly_the_documented_top_level_keys(self, example_report: dict[str, Any]) -> None:
        assert list(example_report) == TOP_LEVEL
        assert (example_report["name"], example_report["currency"]) == ("Tienda online", "EUR")

    def test_investment(self, example_report: dict[str, Any]) -> None:
        # 5000 + 80*30 + 500 = 7900
        assert example_report["investment"] == {
            "ad_spend": 5000.0,
            "staff_cost": 2400.0,
            "fixed_costs": 500.0,
            "total": 7900.0,
        }

    def test_return_by_lens(self, example_report: dict[str, Any]) -> None:
        expected = {
            "sales": 4_576 / 3,
            "support": 0.0,
            "leads": 5_720 / 3,
            "engagement": 11_440 / 9,
            "organic_traffic": 320.0,
            "financial": 4_576 / 3,
            "full": 45_208 / 9,
        }
        assert list(example_report["return"]) == list(expected)
        assert example_report["return"] == pytest.approx(expected, **GOLDEN)

    def test_headline_ratios(self, example_report: dict[str, Any]) -> None:
        # (1525.33 - 7900)/7900;  (5023.11 - 7900)/7900;  3813.33/5000;  7900/158.89;  7900/31.78
        assert example_report["roi"] == pytest.approx(
            {"financial": -4_781 / 5_925, "full": -6_473 / 17_775}, **GOLDEN
        )
        got = [example_report[k] for k in ("roas", "cost_per_lead", "cost_per_sale")]
        assert got == pytest.approx([286 / 375, 7_110 / 143, 35_550 / 143], **GOLDEN)

    def test_totals_hold_every_count_and_money_goal_metric(
        self, example_report: dict[str, Any]
    ) -> None:
        totals = example_report["totals"]
        assert set(COUNT_AND_MONEY_METRICS) <= set(totals)
        expected = {
            "impressions": 2_860_000 / 9,
            "likes": 57_200 / 9,
            "comments": 5_720 / 9,
            "shares": 2_860 / 9,
            "video_views": 143_000 / 9,
            "engagements": 65_780 / 9,
            "visits": 28_600 / 9,
            "leads": 1_430 / 9,
            "sales": 286 / 9,
            "revenue": 11_440 / 3,
            "support_queries": 0.0,
            "financial_return": 4_576 / 3,
            "full_return": 45_208 / 9,
        }
        assert {k: totals[k] for k in expected} == pytest.approx(expected, **GOLDEN)

    def test_channel_objects(self, example_report: dict[str, Any]) -> None:
        [facebook] = example_report["channels"]
        assert facebook["name"] == "Facebook"
        figures = {
            "spend": 5000.0,
            "hours": 80.0,
            "investment": 7400.0,
            "paid_impressions": 2_500_000 / 9,
            "organic_impressions": 40_000.0,
            "visits": 28_600 / 9,
            "organic_visits": 400.0,
            "leads": 1_430 / 9,
            "sales": 286 / 9,
            "revenue": 11_440 / 3,
            "financial_return": 4_576 / 3,
            "full_return": 45_208 / 9,
            # slope 1000/(8*2.25^2) = 24.691 times 0.0148 per paid impression, minus 1
            "marginal_roi": 0.0148 * 1000 / 40.5 - 1,
        }
        assert {k: facebook[k] for k in figures} == pytest.approx(figures, **GOLDEN)
        # channel ROI over the channel's 7400 (fixed costs are not allocated)
        assert facebook["roi"] == pytest.approx(
            {"financial": -2_203 / 2_775, "full": -2_674 / 8_325}, **GOLDEN
        )

    def test_goals(self, example_report: dict[str, Any]) -> None:
        first, second = example_report["goals"]
        assert set(first) == {"tier", "metric", "target", "value", "attainment", "met"}
        assert (first["met"], second["met"]) == (False, False)
        assert (first["tier"], first["metric"], first["target"]) == ("primary", "sales", 50.0)
        assert first["value"] == pytest.approx(286 / 9, **GOLDEN)
        assert first["attainment"] == pytest.approx(286 / 9 / 50, **GOLDEN)
        assert (second["tier"], second["metric"]) == ("secondary", "leads")
        assert second["attainment"] == pytest.approx(1_430 / 9 / 300, **GOLDEN)

    def test_disabled_lens_reported_but_not_in_full(self, clinic_report: dict[str, Any]) -> None:
        r = clinic_report["return"]
        assert r["engagement"] == pytest.approx(1_756_269 / 880, **GOLDEN)  # 1995.76, lens off
        assert r["full"] == pytest.approx(5_410_751 / 880, **GOLDEN)  # 6148.58
        assert r["full"] == pytest.approx(
            r["sales"] + r["support"] + r["leads"] + r["organic_traffic"], **GOLDEN
        )

    def test_undefined_channel_figures_are_null(self, clinic_report: dict[str, Any]) -> None:
        twitter = clinic_report["channels"][2]
        assert twitter["name"] == "Twitter"
        assert twitter["marginal_roi"] is None  # CPM 0, no spend
        assert twitter["roas"] is None  # no ad spend
        linkedin = clinic_report["channels"][1]
        assert linkedin["marginal_roi"] == pytest.approx(0.05, **GOLDEN)  # 0.021 * 50 - 1

    def test_roi_goal_with_negative_target_has_null_attainment(
        self, clinic_report: dict[str, Any]
    ) -> None:
        goal = clinic_report["goals"][3]
        assert (goal["metric"], goal["target"], goal["attainment"]) == ("financial_roi", -0.2, None)
        assert goal["value"] == pytest.approx(-554_289 / 836_000, **GOLDEN)

    def test_no_investment_gives_nulls_and_strict_json(self) -> None:
        report = evaluation_to_dict(evaluate(_no_investment_scenario()))
        assert report["roi"] == {"financial": None, "full": None}
        assert (report["roas"], report["cost_per_lead"], report["cost_per_sale"]) == (
            None,
            None,
            None,
        )
        assert report["channels"][0]["roi"] == {"financial": None, "full": None}
        assert report["goals"][0]["value"] is None
        json.dumps(report, allow_nan=False)  # raises ValueError on a NaN or inf

    @settings(max_examples=30)
    @given(scenario=scenarios())
    def test_any_scenario_gives_strict_json(self, scenario: Scenario) -> None:
        report = evaluation_to_dict(evaluate(scenario))
        text = json.dumps(report, allow_nan=False)
        assert json.loads(text) == report
        assert len(report["channels"]) == len(scenario.channels)
        assert len(report["goals"]) == len(scenario.goals)
