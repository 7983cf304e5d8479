"""Specs validate themselves: errors name the field, echo the value and say the rule."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import FrozenInstanceError, replace
from typing import Any

import pytest
from hypothesis import given, settings

from roi_model import (
    ActionValues,
    Channel,
    Goal,
    GoalMetric,
    GoalTier,
    Investment,
    Lenses,
    Rule,
    Scenario,
    ScenarioError,
    evaluate,
)
from roi_model.files.scenario_file import scenario_from_dict
from roi_model.model.spec import InputRange, field_prefix
from tests.strategies import scenarios

NAN = float("nan")
INF = float("inf")


def _raises(build: Callable[[], object]) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        build()
    return caught.value


def _assert_error(error: ScenarioError, field: str, value: Any, rule: Rule) -> None:
    assert error.field == field
    assert error.rule is rule
    if isinstance(value, float) and math.isnan(value):
        assert math.isnan(error.value)
    else:
        assert error.value == value
        assert type(error.value) is type(value)
    assert field in str(error)
    assert repr(value) in str(error)


def _spend_on(*channels: Channel, ad_budget: float = 1000.0) -> Scenario:
    return Scenario(investment=Investment(ad_budget=ad_budget), channels=channels)


# (build, field, value, rule): specs built directly name the bare field.
DIRECT_CASES = [
    (lambda: Investment(ad_budget=-1.0), "ad_budget", -1.0, Rule.NOT_NEGATIVE),
    (lambda: Investment(staff_hours=NAN), "staff_hours", NAN, Rule.FINITE),
    (lambda: Investment(fixed_costs=INF), "fixed_costs", INF, Rule.FINITE),
    (lambda: Investment(hourly_rate=-INF), "hourly_rate", -INF, Rule.FINITE),
    (lambda: Investment(hourly_rate=True), "hourly_rate", True, Rule.WRONG_TYPE),
    (lambda: Investment(ad_budget="5000"), "ad_budget", "5000", Rule.WRONG_TYPE),
    (lambda: Investment(ad_budget=None), "ad_budget", None, Rule.WRONG_TYPE),
    (lambda: ActionValues(gross_margin=1.5), "gross_margin", 1.5, Rule.FRACTION),
    (lambda: ActionValues(gross_margin=-0.1), "gross_margin", -0.1, Rule.FRACTION),
    (lambda: ActionValues(lead=-0.01), "lead", -0.01, Rule.NOT_NEGATIVE),
    (lambda: ActionValues(like=False), "like", False, Rule.WRONG_TYPE),
    (lambda: Lenses(leads=1), "leads", 1, Rule.WRONG_TYPE),
    (lambda: Lenses(engagement="yes"), "engagement", "yes", Rule.WRONG_TYPE),
    (lambda: Channel("X", ctr=1.2), "ctr", 1.2, Rule.FRACTION),
    (lambda: Channel("X", close_rate=1.0001), "close_rate", 1.0001, Rule.FRACTION),
    (lambda: Channel("X", fit=-0.1), "fit", -0.1, Rule.FRACTION),
    (lambda: Channel("X", cpm=-1.0), "cpm", -1.0, Rule.NOT_NEGATIVE),
    (lambda: Channel("X", cpm=NAN), "cpm", NAN, Rule.FINITE),
    (lambda: Channel("X", budget_share=-0.5), "budget_share", -0.5, Rule.NOT_NEGATIVE),
    (lambda: Channel("X", saturation_spend=0.0), "saturation_spend", 0.0, Rule.POSITIVE_OR_NULL),
    (lambda: Channel("X", saturation_spend=INF), "saturation_spend", INF, Rule.FINITE),
    (lambda: Channel("X", like_rate=True), "like_rate", True, Rule.WRONG_TYPE),
    (lambda: Channel("   "), "name", "   ", Rule.NON_EMPTY),
    (lambda: Channel(""), "name", "", Rule.NON_EMPTY),
    (lambda: Channel(7), "name", 7, Rule.WRONG_TYPE),
    (lambda: Goal("primary", "sales", 0.0), "target", 0.0, Rule.POSITIVE),
    (lambda: Goal("primary", "leads", -5.0), "target", -5.0, Rule.POSITIVE),
    (lambda: Goal("primary", "full_roi", NAN), "target", NAN, Rule.FINITE),
    (lambda: Goal("primary", "sales", True), "target", True, Rule.WRONG_TYPE),
    (lambda: Goal("tertiary", "sales", 1.0), "tier", "tertiary", Rule.ONE_OF),
    (lambda: Goal("primary", "fans", 1.0), "metric", "fans", Rule.ONE_OF),
    (lambda: Scenario(currency="eur"), "currency", "eur", Rule.CURRENCY),
    (lambda: Scenario(currency="EURO"), "currency", "EURO", Rule.CURRENCY),
    (lambda: Scenario(currency=978), "currency", 978, Rule.CURRENCY),
    (lambda: Scenario(currency="€UR"), "currency", "€UR", Rule.CURRENCY),
    (lambda: Scenario(name=5), "name", 5, Rule.WRONG_TYPE),
    (lambda: Scenario(channels=()), "channels", [], Rule.AT_LEAST_ONE),
    (
        lambda: Scenario(channels=(Channel("Facebook"), Channel(" facebook "))),
        "channels[1].name",
        " facebook ",
        Rule.UNIQUE,
    ),
    (
        lambda: _spend_on(
            Channel("A", budget_share=0.5, cpm=5.0), Channel("B", budget_share=0.5, cpm=0.0)
        ),
        "channels[1].cpm",
        0.0,
        Rule.CPM_WITH_SPEND,
    ),
    (
        lambda: _spend_on(Channel("A"), Channel("B")),
        "channels[*].budget_share",
        0.0,
        Rule.BUDGET_WITHOUT_SHARE,
    ),
    (
        lambda: Scenario(investment=Investment(staff_hours=10.0), channels=(Channel("A"),)),
        "channels[*].hours_share",
        0.0,
        Rule.HOURS_WITHOUT_SHARE,
    ),
]
DIRECT_IDS = [
    "negative-budget",
    "nan-hours",
    "inf-fixed-costs",
    "minus-inf-rate",
    "bool-rate",
    "string-budget",
    "none-budget",
    "gross-margin-1.5",
    "gross-margin-negative",
    "negative-lead-value",
    "bool-like-value",
    "lens-int",
    "lens-string",
    "ctr-above-1",
    "close-rate-above-1",
    "negative-fit",
    "negative-cpm",
    "nan-cpm",
    "negative-share",
    "saturation-0",
    "saturation-inf",
    "bool-like-rate",
    "blank-name",
    "empty-name",
    "non-text-name",
    "goal-target-0",
    "goal-target-negative",
    "roi-target-nan",
    "bool-target",
    "unknown-tier",
    "unknown-metric",
    "lowercase-currency",
    "four-letter-currency",
    "numeric-currency",
    "non-ascii-currency",
    "non-text-scenario-name",
    "no-channels",
    "duplicate-name-case-and-blanks",
    "cpm-0-with-spend",
    "budget-without-share",
    "hours-without-share",
]


class TestValidationDirect:
    @pytest.mark.parametrize(("build", "field", "value", "rule"), DIRECT_CASES, ids=DIRECT_IDS)
    def test_error_names_field_value_and_rule(
        self, build: Callable[[], object], field: str, value: Any, rule: Rule
    ) -> None:
        _assert_error(_raises(build), field, value, rule)


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


def _second_channel(**changes: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        data["channels"].append({**data["channels"][0], "name": "Instagram", **changes})

    return edit


# (edit of the example file, field, value, rule): errors carry the path inside the file.
FILE_CASES = [
    (_set(("investment", "ad_budget"), -1.0), "investment.ad_budget", -1.0, Rule.NOT_NEGATIVE),
    (_set(("values", "gross_margin"), 1.5), "values.gross_margin", 1.5, Rule.FRACTION),
    (_set(("channels", 0, "ctr"), 1.5), "channels[0].ctr", 1.5, Rule.FRACTION),
    (_set(("channels", 0, "cpm"), -8.0), "channels[0].cpm", -8.0, Rule.NOT_NEGATIVE),
    (_second_channel(cpm=0.0), "channels[1].cpm", 0.0, Rule.CPM_WITH_SPEND),
    (_second_channel(name=" FACEBOOK"), "channels[1].name", " FACEBOOK", Rule.UNIQUE),
    (_set(("channels", 0, "name"), ""), "channels[0].name", "", Rule.NON_EMPTY),
    (
        _set(("channels", 0, "budget_share"), 0.0),
        "channels[*].budget_share",
        0.0,
        Rule.BUDGET_WITHOUT_SHARE,
    ),
    (
        _set(("channels", 0, "hours_share"), 0.0),
        "channels[*].hours_share",
        0.0,
        Rule.HOURS_WITHOUT_SHARE,
    ),
    (_set(("goals", 1, "metric"), "fans"), "goals[1].metric", "fans", Rule.ONE_OF),
    (_set(("goals", 0, "tier"), "main"), "goals[0].tier", "main", Rule.ONE_OF),
    (_set(("goals", 1, "target"), 0), "goals[1].target", 0.0, Rule.POSITIVE),
    (_set(("currency",), "euros"), "currency", "euros", Rule.CURRENCY),
    (_set(("channels",), []), "channels", [], Rule.AT_LEAST_ONE),
]
FILE_IDS = [
    "negative-budget",
    "gross-margin-1.5",
    "ctr-1.5",
    "negative-cpm",
    "cpm-0-with-spend",
    "duplicate-name",
    "empty-name",
    "budget-without-share",
    "hours-without-share",
    "unknown-metric",
    "unknown-tier",
    "goal-target-0",
    "bad-currency",
    "no-channels",
]


class TestValidationInFile:
    @pytest.mark.parametrize(("edit", "field", "value", "rule"), FILE_CASES, ids=FILE_IDS)
    def test_error_names_the_path_in_the_file(
        self,
        example_dict: dict[str, Any],
        edit: Callable[[dict[str, Any]], None],
        field: str,
        value: Any,
        rule: Rule,
    ) -> None:
        edit(example_dict)
        _assert_error(_raises(lambda: scenario_from_dict(example_dict)), field, value, rule)


class TestScenarioErrorMessage:
    def test_message_says_field_value_and_what_is_allowed(self) -> None:
        error = _raises(lambda: Investment(ad_budget=-1.0))
        assert str(error) == "ad_budget = -1.0: expected a number >= 0"

    def test_one_of_lists_the_options(self) -> None:
        error = _raises(lambda: Goal("primary", "fans", 1.0))
        assert error.options.split(", ") == [m.value for m in GoalMetric]
        assert "one of: impressions, likes" in str(error)

    def test_is_a_value_error(self) -> None:
        assert isinstance(_raises(lambda: Investment(ad_budget=-1.0)), ValueError)


class TestFieldPrefix:
    def test_prefixes_the_field_and_keeps_the_rest(self) -> None:
        with pytest.raises(ScenarioError) as caught, field_prefix("channels[2]."):
            Channel("X", ctr=2.0)
        assert caught.value.field == "channels[2].ctr"
        assert (caught.value.value, caught.value.rule) == (2.0, Rule.FRACTION)
        assert isinstance(caught.value.__cause__, ScenarioError)

    def test_lets_other_errors_through(self) -> None:
        with pytest.raises(KeyError), field_prefix("x."):
            raise KeyError("y")


class TestInvestment:
    def test_defaults_to_nothing_invested(self) -> None:
        assert Investment() == Investment(0.0, 0.0, 0.0, 0.0)

    def test_integers_are_accepted(self) -> None:
        assert Investment(ad_budget=5000).ad_budget == 5000

    def test_is_frozen(self) -> None:
        with pytest.raises(FrozenInstanceError):
            Investment().ad_budget = 1.0  # type: ignore[misc]

    def test_replace_validates_again(self) -> None:
        with pytest.raises(ScenarioError, match="hourly_rate"):
            replace(Investment(), hourly_rate=-30.0)


class TestActionValues:
    @pytest.mark.parametrize("margin", [0.0, 1.0], ids=["margin-0", "margin-1"])
    def test_gross_margin_bounds_are_inclusive(self, margin: float) -> None:
        assert ActionValues(gross_margin=margin).gross_margin == margin

    def test_whole_margin_by_default(self) -> None:
        assert ActionValues().gross_margin == 1.0


class TestLenses:
    def test_every_lens_counts_by_default(self) -> None:
        assert Lenses() == Lenses(leads=True, engagement=True, organic_traffic=True)


class TestChannel:
    def test_no_saturation_is_allowed(self) -> None:
        assert Channel("X", saturation_spend=None).saturation_spend is None

    @pytest.mark.parametrize(
        "rate",
        [
            "like_rate",
            "comment_rate",
            "share_rate",
            "video_view_rate",
            "ctr",
            "lead_rate",
            "close_rate",
            "fit",
        ],
        ids=lambda rate: rate,
    )
    def test_rates_of_exactly_0_and_1_are_fractions(self, rate: str) -> None:
        assert getattr(Channel("X", **{rate: 1.0}), rate) == 1.0
        assert getattr(Channel("X", **{rate: 0.0}), rate) == 0.0

    def test_cpm_0_alone_is_valid(self) -> None:
        assert Channel("X", cpm=0.0).cpm == 0.0


class TestGoal:
    def test_text_tier_and_metric_become_enum_members(self) -> None:
        goal = Goal("secondary", "leads", 300)
        assert goal.tier is GoalTier.SECONDARY
        assert goal.metric is GoalMetric.LEADS

    @pytest.mark.parametrize(
        ("metric", "target"),
        [("full_roi", -0.5), ("financial_roi", 0.0), ("full_roi", 2.0)],
        ids=["negative-roi-target", "zero-roi-target", "positive-roi-target"],
    )
    def test_roi_targets_may_be_any_finite_fraction(self, metric: str, target: float) -> None:
        assert Goal("primary", metric, target).target == target

    @pytest.mark.parametrize(
        "tier", [["primary"], {"tier": "primary"}], ids=["list-tier", "object-tier"]
    )
    def test_unhashable_tier_is_a_scenario_error(self, tier: Any) -> None:
        # A scenario file may hold any JSON here; the model must answer with a ScenarioError
        # (today: TypeError: unhashable type, a traceback for the user).
        error = _raises(lambda: Goal(tier, "sales", 10.0))
        assert error.field == "tier"
        assert error.rule in (Rule.ONE_OF, Rule.WRONG_TYPE)

    def test_unhashable_metric_is_a_scenario_error(self) -> None:
        error = _raises(lambda: Goal("primary", ["sales"], 10.0))
        assert error.field == "metric"
        assert error.rule in (Rule.ONE_OF, Rule.WRONG_TYPE)


class TestGoalMetric:
    @pytest.mark.parametrize("metric", list(GoalMetric), ids=lambda m: m.value)
    def test_only_roi_metrics_are_ratios(self, metric: GoalMetric) -> None:
        assert metric.is_ratio == metric.value.endswith("_roi")


class TestScenario:
    def test_default_scenario_is_valid_and_evaluates(self) -> None:
        assert evaluate(Scenario()).investment.total == 0.0

    @pytest.mark.parametrize("currency", ["E1R", "U$D", "E R"], ids=["digit", "symbol", "blank"])
    def test_currency_must_be_three_letters(self, currency: str) -> None:
        # ISO 4217 codes are three letters; str.isupper() alone lets digits and symbols in.
        _assert_error(
            _raises(lambda: Scenario(currency=currency)), "currency", currency, Rule.CURRENCY
        )

    def test_cpm_0_allowed_on_a_channel_without_budget_share(self) -> None:
        scenario = _spend_on(Channel("A", budget_share=1.0), Channel("B", cpm=0.0))
        assert scenario.channels[1].cpm == 0.0

    def test_cpm_0_allowed_with_a_share_when_there_is_no_budget(self) -> None:
        scenario = _spend_on(Channel("A", budget_share=1.0, cpm=0.0), ad_budget=0.0)
        assert evaluate(scenario).totals["paid_impressions"] == 0.0

    def test_lists_become_tuples_so_the_scenario_is_hashable(self) -> None:
        scenario = Scenario(channels=[Channel("A")], goals=[Goal("primary", "sales", 1)])
        assert isinstance(scenario.channels, tuple)
        assert isinstance(scenario.goals, tuple)
        assert hash(scenario) == hash(replace(scenario))

    def test_channel_names_in_order(self, clinic_scenario: Scenario) -> None:
        assert clinic_scenario.channel_names == ("Instagram", "LinkedIn", "Twitter")

    def test_replace_with_a_bad_mix_raises(self, example_scenario: Scenario) -> None:
        facebook = replace(example_scenario.channels[0], cpm=0.0)
        with pytest.raises(ScenarioError, match=r"channels\[0\]\.cpm"):
            replace(example_scenario, channels=(facebook,))

    @settings(max_examples=40)
    @given(scenario=scenarios())
    def test_generated_scenarios_equal_their_copies(self, scenario: Scenario) -> None:
        copy = replace(scenario, channels=tuple(replace(c) for c in scenario.channels))
        assert copy == scenario
        assert hash(copy) == hash(scenario)


#: Two channels with different values of the same inputs, for ranges over ``channels[*]``.
RANGED_BASE = Scenario(
    investment=Investment(ad_budget=1000.0, staff_hours=10.0, hourly_rate=30.0),
    values=ActionValues(order_value=100.0, gross_margin=0.4),
    channels=(
        Channel("A", 0.5, 0.5, cpm=8.0, ctr=0.01, saturation_spend=None),
        Channel("B", 0.5, 0.5, cpm=12.0, ctr=0.03, saturation_spend=2000.0),
    ),
)


def _ranged(*ranges: InputRange) -> Scenario:
    return replace(RANGED_BASE, uncertainty=ranges)


class TestInputRange:
    @pytest.mark.parametrize(
        ("path", "low", "high"),
        [
            ("investment.ad_budget", 500.0, 1500.0),
            ("investment.fixed_costs", 0.0, 200.0),
            ("values.order_value", 80.0, 130.0),
            ("values.gross_margin", 0.0, 1.0),
            ("channels[0].ctr", 0.005, 0.02),
            ("channels[1].cpm", 10.0, 15.0),
            ("channels[*].ctr", 0.01, 0.03),
            ("channels[*].cpm", 5.0, 20.0),
            ("channels[*].saturation_spend", 1000.0, 3000.0),
            ("values.order_value", 100.0, 100.0),
        ],
        ids=[
            "investment",
            "investment-at-zero",
            "values",
            "fraction-whole-span",
            "one-channel",
            "other-channel",
            "every-channel",
            "every-channel-money",
            "every-channel-skips-no-saturation",
            "a-single-point",
        ],
    )
    def test_a_valid_range_is_kept(self, path: str, low: float, high: float) -> None:
        scenario = _ranged(InputRange(path, low, high))
        assert scenario.uncertainty == (InputRange(path, low, high),)

    def test_several_ranges_are_kept_in_order_and_hashable(self) -> None:
        ranges = [InputRange("values.order_value", 80, 130), InputRange("channels[*].ctr", 0, 0.1)]
        scenario = _ranged(*ranges)
        assert scenario.uncertainty == tuple(ranges)
        assert hash(scenario) == hash(replace(scenario))

    def test_integers_become_floats(self) -> None:
        item = InputRange("investment.ad_budget", 500, 1500)
        assert (item.low, item.high) == (500.0, 1500.0)
        assert (type(item.low), type(item.high)) == (float, float)
        assert item == InputRange("investment.ad_budget", 500.0, 1500.0)

    def test_low_above_high_is_refused_naming_high(self) -> None:
        error = _raises(lambda: InputRange("values.order_value", 130.0, 80.0))
        _assert_error(error, "high", 80.0, Rule.RANGE_ORDER)
        assert error.options == "130"

    def test_in_a_scenario_errors_name_the_range(self) -> None:
        error = _raises(
            lambda: Scenario(uncertainty=(InputRange("channels[*].cpm", 5, 20), "range"))
        )
        _assert_error(error, "uncertainty[1]", "range", Rule.WRONG_TYPE)

    @pytest.mark.parametrize(
        ("build", "field", "value", "rule"),
        [
            (lambda: InputRange("values.lead", "1", 2), "low", "1", Rule.WRONG_TYPE),
            (lambda: InputRange("values.lead", True, 2), "low", True, Rule.WRONG_TYPE),
            (lambda: InputRange("values.lead", 1, None), "high", None, Rule.WRONG_TYPE),
            (lambda: InputRange("values.lead", NAN, 2), "low", NAN, Rule.FINITE),
            (lambda: InputRange("values.lead", 1, INF), "high", INF, Rule.FINITE),
            (lambda: InputRange(7, 1, 2), "input", 7, Rule.ONE_OF),  # type: ignore[arg-type]
        ],
        ids=["text-low", "bool-low", "null-high", "nan-low", "infinite-high", "number-input"],
    )
    def test_bounds_must_be_finite_numbers(
        self, build: Callable[[], object], field: str, value: Any, rule: Rule
    ) -> None:
        _assert_error(_raises(build), field, value, rule)

    @pytest.mark.parametrize(
        "path",
        [
            "",
            "order_value",
            "values",
            "goals[0].target",
            "lenses.leads",
            "channels[-1].ctr",
            "channels[].ctr",
            "channels[a].ctr",
            "channels.ctr",
            "channels[0]",
            "values.order_value.x",
            " values.order_value",
            "Values.order_value",
        ],
        ids=[
            "empty",
            "bare-field",
            "group-only",
            "goal",
            "lens",
            "negative-index",
            "empty-index",
            "letter-index",
            "no-index",
            "no-field",
            "too-deep",
            "leading-space",
            "capitalised",
        ],
    )
    def test_a_path_of_another_form_is_refused(self, path: str) -> None:
        error = _raises(lambda: InputRange(path, 0.0, 1.0))
        _assert_error(error, "input", path, Rule.ONE_OF)
        assert "channels[*].<field>" in error.options

    @pytest.mark.parametrize(
        ("item", "field", "value", "rule"),
        [
            (InputRange("values.order_value", 110, 130), "low", 110.0, Rule.RANGE_EXCLUDES_VALUE),
            (InputRange("values.order_value", 50, 90), "low", 50.0, Rule.RANGE_EXCLUDES_VALUE),
            (InputRange("channels[1].ctr", 0, 0.02), "low", 0.0, Rule.RANGE_EXCLUDES_VALUE),
            (InputRange("channels[*].ctr", 0.005, 0.02), "low", 0.005, Rule.RANGE_EXCLUDES_VALUE),
            (InputRange("channels[*].ctr", 0.02, 0.05), "low", 0.02, Rule.RANGE_EXCLUDES_VALUE),
            (InputRange("channels[*].ctr", 0, 1.5), "high", 1.5, Rule.FRACTION),
            (InputRange("values.gross_margin", 0.2, 1.01), "high", 1.01, Rule.FRACTION),
            (InputRange("investment.ad_budget", -100, 1500), "low", -100.0, Rule.NOT_NEGATIVE),
            (InputRange("channels[*].saturation_spend", 0, 3000), "low", 0.0, Rule.POSITIVE),
            (InputRange("values.followers", 0, 1), "input", "values.followers", Rule.ONE_OF),
            (InputRange("investment.lead", 0, 20), "input", "investment.lead", Rule.ONE_OF),
            (InputRange("channels[0].name", 0, 1), "input", "channels[0].name", Rule.ONE_OF),
            (InputRange("channels[*].reach", 0, 1), "input", "channels[*].reach", Rule.ONE_OF),
            (InputRange("channels[2].ctr", 0, 0.1), "input", "channels[2].ctr", Rule.ONE_OF),
        ],
        ids=[
            "above-today",
            "below-today",
            "excludes-one-channel",
            "excludes-the-second-of-all",
            "excludes-the-first-of-all",
            "rate-above-1",
            "margin-above-1",
            "negative-budget",
            "zero-saturation",
            "unknown-value",
            "field-of-another-group",
            "channel-name",
            "unknown-channel-field",
            "index-out-of-range",
        ],
    )
    def test_a_range_the_scenario_cannot_hold_is_refused(
        self, item: InputRange, field: str, value: Any, rule: Rule
    ) -> None:
        error = _raises(lambda: _ranged(InputRange("investment.staff_hours", 5, 20), item))
        _assert_error(error, f"uncertainty[1].{field}", value, rule)

    def test_excluding_today_says_which_value(self) -> None:
        error = _raises(lambda: _ranged(InputRange("channels[*].cpm", 9.0, 15.0)))
        assert error.options == "8"  # channel A's CPM lies outside, channel B's inside

    def test_an_index_out_of_range_says_which_are_there(self) -> None:
        error = _raises(lambda: _ranged(InputRange("channels[2].ctr", 0.0, 0.1)))
        assert error.options == "channels[0] to [1]"

    def test_the_same_input_twice_is_refused(self) -> None:
        twice = (
            InputRange("channels[*].ctr", 0.0, 0.1),
            InputRange("values.order_value", 80, 130),
            InputRange("channels[*].ctr", 0.005, 0.05),
        )
        error = _raises(lambda: _ranged(*twice))
        _assert_error(error, "uncertainty[2].input", "channels[*].ctr", Rule.UNIQUE)

    def test_a_range_must_follow_the_scenario_it_is_on(self) -> None:
        # a what-if that drops channel B takes its range with it, or is refused
        scenario = _ranged(InputRange("channels[1].cpm", 10.0, 15.0))
        error = _raises(lambda: replace(scenario, channels=scenario.channels[:1]))
        _assert_error(error, "uncertainty[0].input", "channels[1].cpm", Rule.ONE_OF)
        assert replace(scenario, channels=scenario.channels[:1], uncertainty=()).uncertainty == ()

    def test_a_range_in_a_file_names_its_place(self, example_dict: dict[str, Any]) -> None:
        document = example_dict | {
            "schema_version": 4,
            "plan": [],
            "calibration": [],
            "uncertainty": [{"input": "values.order_value", "low": 200, "high": 100}],
        }
        error = _raises(lambda: scenario_from_dict(document))
        _assert_error(error, "uncertainty[0].high", 100.0, Rule.RANGE_ORDER)

    def test_a_path_with_a_trailing_newline_is_refused(self) -> None:
        error = _raises(lambda: InputRange("values.order_value\n", 80.0, 130.0))
        assert error.rule is Rule.ONE_OF

    @pytest.mark.parametrize("index", ["01", "\u0661"], ids=["leading-zero", "arabic-digit"])
    def test_one_channel_is_spelt_one_way(self, index: str) -> None:
        # otherwise the same input could hold two ranges, each under its own spelling
        with pytest.raises(ScenarioError):
            _ranged(
                InputRange("channels[1].ctr", 0.0, 0.1),
                InputRange(f"channels[{index}].ctr", 0.0, 0.5),
            )


def test_a_range_on_every_channel_and_one_on_a_channel_are_two_on_it() -> None:
    """channels[*].ctr beside channels[0].ctr would put two ranges on channel 0's CTR."""
    with pytest.raises(ScenarioError) as caught:
        _ranged(
            InputRange("channels[*].ctr", 0.0, 0.1),
            InputRange("channels[0].ctr", 0.0, 0.5),
        )
    assert caught.value.rule is Rule.UNIQUE
    assert caught.value.field == "uncertainty[1].input"


@pytest.mark.parametrize(
    ("ranged", "field"),
    [
        (InputRange("channels[*].cpm", 0.0, 20.0), "uncertainty[0].low"),
        (InputRange("channels[1].budget_share", 0.0, 0.5), "uncertainty[0].high"),
    ],
    ids=["cpm-down-to-zero", "share-on-a-channel-without-cpm"],
)
def test_no_draw_may_spend_where_the_cpm_is_zero(ranged: InputRange, field: str) -> None:
    """A CPM of 0 buys infinite impressions: a range may not reach one where money goes."""
    base = Scenario(
        investment=Investment(ad_budget=1000.0),
        channels=(
            Channel("Ads", budget_share=1.0, cpm=10.0),
            Channel("Organic", budget_share=0.0, cpm=0.0, hours_share=1.0),
        ),
    )
    with pytest.raises(ScenarioError) as caught:
        replace(base, uncertainty=(ranged,))
    assert (caught.value.rule, caught.value.field) == (Rule.CPM_WITH_SPEND, field)
