"""Break-even: exact roots for linear inputs, scan and bisection elsewhere, None if unreachable."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from roi_model import Channel, Investment, Scenario, ScenarioError, evaluate
from roi_model.model.break_even import (
    BreakEven,
    break_even,
    current_input,
    input_paths,
    net_return,
    with_input,
)

LINEAR_PATHS = (
    "investment.staff_hours",
    "investment.hourly_rate",
    "investment.fixed_costs",
    "values.like",
    "values.comment",
    "values.share",
    "values.video_view",
    "values.organic_visit",
    "values.lead",
    "values.order_value",
    "values.gross_margin",
    "values.support_query",
    "channels[*].like_rate",
    "channels[*].ctr",
    "channels[*].lead_rate",
    "channels[*].close_rate",
    "channels[*].fit",
    "channels[*].organic_impressions_per_hour",
    "channels[*].support_queries_per_hour",
    "channels[1].ctr",
    "channels[2].close_rate",
)


def _roi_at(scenario: Scenario, path: str, value: float, objective: str) -> float:
    ev = evaluate(with_input(scenario, path, value))
    return ev.financial_roi if objective == "financial" else ev.full_roi


@pytest.fixture(scope="module")
def dearer_orders(example_scenario: Scenario) -> Scenario:
    """The example with an order value of 600: a positive financial return before staff."""
    return replace(example_scenario, values=replace(example_scenario.values, order_value=600.0))


class TestBreakEvenLinear:
    @pytest.mark.parametrize(
        ("path", "objective", "expected"),
        [
            # sales = 286/9 = 31.78; financial return = 31.78 * v * 0.4 = 7900
            #   v = 7900 / (31.78 * 0.4) = 7900 / 12.711 = 621.50 (= 88875/143)
            ("values.order_value", "financial", 88_875 / 143),
            # leads = 1430/9 = 158.89; full(c) = 158.89*c*120*0.4 + 158.89*(1-c)*15
            #   + engagement 1271.11 + organic 320 = 3974.44 + 5243.33 c = 7900
            #   c = 3925.56 / 5243.33 = 0.74868 (= 3533/4719)
            ("channels[*].close_rate", "full", 3_533 / 4_719),
            ("channels[0].close_rate", "full", 3_533 / 4_719),
            # open leads = 158.89 - 31.78 = 127.11; full = 5023.11 + 127.11 * (v - 15) = 7900
            #   v = 15 + 2876.89 / 127.11 = 37.633
            ("values.lead", "full", 15 + (7900 - 45_208 / 9) / (1_144 / 9)),
        ],
        ids=["order-value", "close-rate-all", "close-rate-one", "lead-value"],
    )
    def test_exact_root_by_hand(
        self, example_scenario: Scenario, path: str, objective: str, expected: float
    ) -> None:
        result = break_even(example_scenario, path, objective)  # type: ignore[arg-type]
        assert result.exact is True
        assert result.value == pytest.approx(expected, rel=1e-9)
        assert _roi_at(example_scenario, path, result.value, objective) == pytest.approx(
            0.0, abs=1e-9
        )

    def test_hourly_rate(self, dearer_orders: Scenario) -> None:
        # financial return = 31.78 * 600 * 0.4 = 7626.67; 7626.67 - (5000 + 500) = 80 r
        #   r = 2126.67 / 80 = 26.583 (= 319/12)
        result = break_even(dearer_orders, "investment.hourly_rate")
        assert (result.path, result.current, result.exact) == ("investment.hourly_rate", 30.0, True)
        assert result.value == pytest.approx(319 / 12, rel=1e-9)
        assert evaluate(
            with_input(dearer_orders, "investment.hourly_rate", result.value)
        ).financial_roi == pytest.approx(0.0, abs=1e-9)

    @pytest.mark.parametrize(
        ("path", "objective"),
        [
            # financial return = 3813.33 * m <= 3813.33 < 7900: m would need 2.07 > 1
            ("values.gross_margin", "financial"),
            # 31.78 * 120 * 0.4 * c / 0.2 = 7626.67 c = 7900: c would need 1.036 > 1
            ("channels[*].close_rate", "financial"),
            # 5023.11 - 5500 = 80 r: the rate would be negative
            ("investment.hourly_rate", "full"),
        ],
        ids=["gross-margin-above-1", "close-rate-above-1", "negative-hourly-rate"],
    )
    def test_unreachable_is_none(
        self, example_scenario: Scenario, path: str, objective: str
    ) -> None:
        result = break_even(example_scenario, path, objective)  # type: ignore[arg-type]
        assert result.value is None
        assert result.exact is True

    @pytest.mark.parametrize("objective", ["financial", "full"], ids=["financial", "full"])
    def test_every_linear_root_of_the_clinic_zeroes_the_roi(
        self, clinic_scenario: Scenario, objective: str
    ) -> None:
        found = 0
        for path in LINEAR_PATHS:
            result = break_even(clinic_scenario, path, objective)  # type: ignore[arg-type]
            assert result.exact, path
            if result.value is None:
                continue
            found += 1
            assert result.value >= 0, path
            assert _roi_at(clinic_scenario, path, result.value, objective) == pytest.approx(
                0.0, abs=1e-9
            ), path
        assert found >= 5

    def test_input_without_effect_is_none(self, example_scenario: Scenario) -> None:
        # Likes are not cash: no value of a like moves the financial ROI.
        assert break_even(example_scenario, "values.like", "financial").value is None


class TestBreakEvenScanned:
    def test_cpm_by_hand(self, example_scenario: Scenario) -> None:
        # full = 912 (organic: 40000 * 0.0148 + 320) + 0.0148 * paid = 7900
        #   paid = 6988 / 0.0148 = 472162.16 = 5e6 / (2.25 * cpm)  ->  cpm = 4.7065
        result = break_even(example_scenario, "channels[0].cpm", "full")
        assert (result.exact, result.current) == (False, 8.0)
        assert result.value == pytest.approx(74_000 / 15_723, rel=1e-9)
        assert _roi_at(example_scenario, "channels[0].cpm", result.value, "full") == (
            pytest.approx(0.0, abs=1e-9)
        )

    def test_ad_budget_first_root_by_hand(self, dearer_orders: Scenario) -> None:
        # financial = 0.024 * 1000 B / (8 (1 + B/4000)) + 960 (organic) - (2900 + B)
        #   3B / (1 + B/4000) - B = 1940  ->  B^2 - 6060 B + 7760000 = 0
        #   B = (6060 - sqrt(5683600)) / 2 = 1837.98 (the other root 4222.02 comes later)
        result = break_even(dearer_orders, "investment.ad_budget")
        assert result.exact is False
        assert result.value == pytest.approx((6060 - math.sqrt(5_683_600)) / 2, rel=1e-9)
        assert _roi_at(dearer_orders, "investment.ad_budget", result.value, "financial") == (
            pytest.approx(0.0, abs=1e-9)
        )

    def test_never_crossing_is_none(self, example_scenario: Scenario) -> None:
        # More budget never pays: the full marginal ROI is already -0.63 and organic alone
        # returns 912 against 2900 of staff and fixed costs.
        result = break_even(example_scenario, "investment.ad_budget", "full")
        assert (result.value, result.exact) == (None, False)


class TestBreakEvenPaths:
    @pytest.mark.parametrize(
        "path",
        [
            "values.colour",
            "investment.budget",
            "channels[0].name",
            "channels[*].colour",
            "budget",
            "channels[x].cpm",
            "channels.cpm",
        ],
        ids=[
            "unknown-value",
            "unknown-investment",
            "channel-name",
            "unknown-channel-field",
            "no-group",
            "bad-index",
            "no-index",
        ],
    )
    def test_unknown_path_is_a_value_error(self, example_scenario: Scenario, path: str) -> None:
        with pytest.raises(ValueError, match="unknown input"):
            break_even(example_scenario, path)

    def test_channel_index_out_of_range_is_a_value_error(self, example_scenario: Scenario) -> None:
        # "channels[3].cpm" is not in input_paths() of a one-channel scenario; today it is an
        # IndexError from current_input instead of the documented ValueError.
        assert "channels[3].cpm" not in input_paths(example_scenario)
        with pytest.raises(ValueError, match="unknown input"):
            break_even(example_scenario, "channels[3].cpm")

    def test_result_echoes_path_and_current_value(self, example_scenario: Scenario) -> None:
        result = break_even(example_scenario, "values.order_value")
        assert isinstance(result, BreakEven)
        assert (result.path, result.current) == ("values.order_value", 120.0)


class TestInputPaths:
    def test_lists_every_input_once(self, clinic_scenario: Scenario) -> None:
        paths = input_paths(clinic_scenario)
        # 4 investment + 9 values + 14 channel numbers for [*] and for each of 3 channels
        # 4 investment, 10 values, 18 channel numbers (not the carryover) on [*] and 3 channels
        assert len(paths) == len(set(paths)) == 4 + 10 + 18 * 4
        assert {
            "investment.ad_budget",
            "values.gross_margin",
            "channels[*].close_rate",
            "channels[2].saturation_spend",
        } <= set(paths)
        assert "channels[3].cpm" not in paths
        assert not any(path.endswith(".name") for path in paths)

    def test_every_listed_path_is_accepted_by_with_input(self, example_scenario: Scenario) -> None:
        # 0.5 is a valid value for every input of the example (a CPM, a share, a rate...).
        for path in input_paths(example_scenario):
            changed = with_input(example_scenario, path, 0.5)
            assert current_input(changed, path) == pytest.approx(0.5), path


class TestWithInput:
    def test_sets_one_channel_only(self, clinic_scenario: Scenario) -> None:
        changed = with_input(clinic_scenario, "channels[1].ctr", 0.5)
        assert [c.ctr for c in changed.channels] == [0.008, 0.5, 0.004]

    def test_star_sets_every_channel(self, clinic_scenario: Scenario) -> None:
        changed = with_input(clinic_scenario, "channels[*].fit", 0.7)
        assert [c.fit for c in changed.channels] == [0.7, 0.7, 0.7]

    def test_invalid_value_raises(self, clinic_scenario: Scenario) -> None:
        with pytest.raises(ScenarioError) as caught:
            with_input(clinic_scenario, "values.gross_margin", 1.5)
        assert caught.value.field == "gross_margin"


class TestCurrentInput:
    def test_star_is_the_spend_weighted_mean(self, clinic_scenario: Scenario) -> None:
        # spend shares 0.6 / 0.4 / 0: 0.6 * 0.25 + 0.4 * 0.1 + 0 * 0.5 = 0.19
        assert current_input(clinic_scenario, "channels[*].close_rate") == pytest.approx(0.19)

    def test_star_without_spend_weighs_by_hours(self) -> None:
        # hours shares 0.25 / 0.75: 0.25 * 0.2 + 0.75 * 0.6 = 0.5
        scenario = Scenario(
            investment=Investment(staff_hours=40.0),
            channels=(
                Channel("A", hours_share=1.0, ctr=0.2),
                Channel("B", hours_share=3.0, ctr=0.6),
            ),
        )
        assert current_input(scenario, "channels[*].ctr") == pytest.approx(0.5)

    def test_missing_saturation_is_nan(self, clinic_scenario: Scenario) -> None:
        assert math.isnan(current_input(clinic_scenario, "channels[1].saturation_spend"))


class TestNetReturn:
    @pytest.mark.parametrize(
        ("objective", "expected"),
        [("financial", 4_576 / 3 - 7900), ("full", 45_208 / 9 - 7900)],
        ids=["financial", "full"],
    )
    def test_return_minus_investment(
        self, example_scenario: Scenario, objective: str, expected: float
    ) -> None:
        # 1525.33 - 7900 = -6374.67;  5023.11 - 7900 = -2876.89
        assert net_return(example_scenario, objective) == pytest.approx(  # type: ignore[arg-type]
            expected, rel=1e-9
        )
