"""How sure are we of the months ahead: ranges drawn over the horizon (simulate_months), ranges
on the months' inputs, and the command line's months figures."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roi_model import ActionValues, Channel, Investment, Scenario
from roi_model.cli import main
from roi_model.files.scenario_file import scenario_from_json, scenario_to_json
from roi_model.files.share import decode_scenario, scenario_link
from roi_model.model.break_even import current_input
from roi_model.model.errors import Rule, ScenarioError
from roi_model.model.months import project
from roi_model.model.months_uncertainty import months_sensitivity, simulate_months
from roi_model.model.spec import InputRange, Months, ScheduleStep
from roi_model.model.uncertainty import (
    draw_inputs,
    range_paths,
    sensitivity,
    simulate,
    with_drawn_input,
)
from tests.test_months import months_scenarios

OBJECTIVES = ("financial", "full")


def grown() -> Scenario:
    """Two channels with every part of the months ahead in use, and ranges on 8 inputs."""
    channels = (
        Channel(
            "Instagram",
            cpm=8.0,
            ctr=0.01,
            lead_rate=0.05,
            close_rate=0.2,
            like_rate=0.02,
            budget_share=0.6,
            hours_share=0.5,
            organic_impressions_per_hour=500.0,
            followers=2000.0,
            follow_rate=0.001,
            follower_churn=0.02,
            audience_ceiling=10_000.0,
            carryover=0.4,
            saturation_spend=3000.0,
        ),
        Channel(
            "LinkedIn",
            cpm=20.0,
            ctr=0.008,
            lead_rate=0.1,
            close_rate=0.15,
            budget_share=0.4,
            hours_share=0.5,
            organic_impressions_per_hour=200.0,
            followers=500.0,
            follow_rate=0.002,
            follower_churn=0.01,
            carryover=0.2,
        ),
    )
    return Scenario(
        investment=Investment(
            ad_budget=2000.0, staff_hours=40.0, hourly_rate=30.0, fixed_costs=300.0
        ),
        values=ActionValues(
            order_value=120.0, gross_margin=0.4, lead=10.0, like=0.05, follower=1.0
        ),
        channels=channels,
        months=Months(
            horizon=18,
            launch_costs=5000.0,
            repeat_purchases=0.5,
            retention=0.7,
            schedule=(ScheduleStep(4, ad_budget=1000.0), ScheduleStep(9, staff_hours=20.0)),
        ),
        uncertainty=(
            InputRange("months.retention", 0.4, 0.9),
            InputRange("months.launch_costs", 2000.0, 9000.0),
            InputRange("channels[*].carryover", 0.1, 0.6),
            InputRange("investment.ad_budget", 1000.0, 3000.0),
            InputRange("channels[0].follow_rate", 0.0, 0.003),
            InputRange("values.order_value", 80.0, 200.0),
            InputRange("channels[*].ctr", 0.005, 0.02),
            InputRange("months.repeat_purchases", 0.0, 1.0),
        ),
    )


def drawn_scenario(scenario: Scenario, inputs: dict[str, Any], draw: int) -> Scenario:
    """The scenario as draw ``draw`` sets it: each ranged input at its drawn value (a
    ``channels[*]`` input at each channel's own)."""
    bare = replace(scenario, uncertainty=())
    for path, values in inputs.items():
        if path.startswith("channels[*]"):
            name = path.rsplit(".", 1)[1]
            channels = tuple(
                channel
                if getattr(channel, name) is None
                else replace(channel, **{name: float(values[index, draw])})
                for index, channel in enumerate(bare.channels)
            )
            bare = replace(bare, channels=channels)
        else:
            bare = with_drawn_input(bare, path, float(values[draw]))
    return bare


def assert_draws_are_projections(scenario: Scenario, draws: int, seed: int) -> None:
    """Every draw's ROI at the horizon and payback month are the projection's of the
    scenario that draw sets, month by month through the one-month model."""
    simulation = simulate_months(scenario, draws, seed)
    inputs = draw_inputs(scenario, draws, seed)
    for draw in range(draws):
        projection = project(drawn_scenario(scenario, inputs, draw))
        for kind in OBJECTIVES:
            assert simulation.samples[f"roi_{kind}"][draw] == pytest.approx(
                projection.roi[kind], rel=1e-9, abs=1e-12, nan_ok=True
            )
            month = projection.payback_month[kind]
            drawn_month = simulation.samples[f"payback_{kind}"][draw]
            assert drawn_month == (math.inf if month is None else month)
            assert simulation.samples[f"npv_{kind}"][draw] == pytest.approx(
                projection.npv[kind], rel=1e-9, abs=1e-6, nan_ok=True
            )


class TestEveryDrawIsAProjection:
    def test_the_grown_scenario(self) -> None:
        assert_draws_are_projections(grown(), draws=40, seed=5)

    def test_channels_alike_in_their_ranged_figures(self) -> None:
        # both channels at one close rate, hours share and carryover: each range drawn once
        # and given to both, every draw still the projection of the scenario it sets
        scenario = grown()
        alike = tuple(
            replace(c, close_rate=0.2, hours_share=0.5, carryover=0.3) for c in scenario.channels
        )
        ranges = (
            InputRange("channels[*].close_rate", 0.1, 0.3),
            InputRange("channels[*].hours_share", 0.2, 0.8),
            InputRange("channels[*].carryover", 0.0, 0.6),
            InputRange("months.retention", 0.5, 0.95),
        )
        assert_draws_are_projections(
            replace(scenario, channels=alike, uncertainty=ranges), draws=20, seed=9
        )

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(scenario=months_scenarios(), seed=st.integers(0, 1000), data=st.data())
    def test_any_scenario_with_ranges_on_its_months(
        self, scenario: Scenario, seed: int, data: st.DataObject
    ) -> None:
        ranges = data.draw(ranges_around(scenario))
        assert_draws_are_projections(replace(scenario, uncertainty=ranges), draws=6, seed=seed)


@st.composite
def ranges_around(draw: st.DrawFn, scenario: Scenario) -> tuple[InputRange, ...]:
    """Ranges on the months' numbers and the channels' carryover, each holding today's value."""
    months = scenario.months
    widen = st.floats(0.0, 1.0)
    chosen = [
        InputRange(
            "months.retention",
            months.retention * draw(widen),
            months.retention + (1 - months.retention) * draw(widen),
        ),
        InputRange(
            "months.repeat_purchases",
            months.repeat_purchases * draw(widen),
            months.repeat_purchases * (1 + draw(widen)),
        ),
        InputRange(
            "months.launch_costs", months.launch_costs * draw(widen), months.launch_costs * 2
        ),
        InputRange(
            "months.discount_rate", months.discount_rate * draw(widen), months.discount_rate + 0.05
        ),
    ]
    carryovers = [c.carryover for c in scenario.channels]
    chosen.append(InputRange("channels[*].carryover", min(carryovers) * draw(widen), 0.95))
    return tuple(draw(st.lists(st.sampled_from(chosen), unique_by=lambda r: r.input)))


class TestGolden:
    """One net of +1,000 a month, and launch costs of 0 to 6,000 most likely 2,500.

    Investment 1,000 a month (fixed costs), return 2,000 (10 h x 20 support queries x 20, no
    hourly cost): month t's cumulative net is 1,000 t - L, so the payback month is
    ceil(L / 1,000) (at least 1). For the triangular L on [0, 6,000] with mode 2,500:
    F(x) = x^2 / (6,000 x 2,500) below the mode, 1 - (6,000 - x)^2 / (6,000 x 3,500) above.
    P10: x^2 = 1.5e6, x = 1,224.7 -> month 2; P50: (6,000 - x)^2 = 10.5e6, x = 2,759.6 ->
    month 3; P90: (6,000 - x)^2 = 2.1e6, x = 4,550.9 -> month 5. Within 4 months:
    P(L <= 4,000) = 1 - 2,000^2 / 21e6 = 0.80952. The ROI at month 4 is (4,000 - L) /
    (4,000 + L), falling in L: its median (4,000 - 2,759.6) / 6,759.6 = 0.18350.
    """

    @pytest.fixture
    def scenario(self) -> Scenario:
        return Scenario(
            investment=Investment(staff_hours=10.0, hourly_rate=0.0, fixed_costs=1000.0),
            values=ActionValues(support_query=20.0),
            channels=(Channel("Facebook", hours_share=1.0, support_queries_per_hour=10.0),),
            months=Months(horizon=4, launch_costs=2500.0),
            uncertainty=(InputRange("months.launch_costs", 0.0, 6000.0),),
        )

    def test_payback_months(self, scenario: Scenario) -> None:
        simulation = simulate_months(scenario, draws=20_000, seed=1)
        for kind in OBJECTIVES:
            row = simulation.payback.loc[kind]
            assert (row["p10"], row["p50"], row["p90"]) == (2.0, 3.0, math.inf)
            assert simulation.p_pays_back(kind) == pytest.approx(0.80952, abs=0.01)

    def test_payback_beyond_the_horizon(self, scenario: Scenario) -> None:
        longer = replace(scenario, months=replace(scenario.months, horizon=12))
        simulation = simulate_months(longer, draws=20_000, seed=1)
        row = simulation.payback.loc["financial"]
        assert (row["p10"], row["p50"], row["p90"]) == (2.0, 3.0, 5.0)
        assert simulation.p_pays_back() == 1.0
        figures = simulation.to_dict()
        assert figures["payback_month"]["financial"] == {"p10": 2, "p50": 3, "p90": 5}

    def test_roi_at_the_horizon(self, scenario: Scenario) -> None:
        simulation = simulate_months(scenario, draws=20_000, seed=1)
        assert simulation.roi.loc["financial", "p50"] == pytest.approx(0.18350, abs=0.01)
        assert simulation.roi.loc["financial", "p_positive"] == pytest.approx(0.80952, abs=0.01)

    def test_the_months_tornado(self, scenario: Scenario) -> None:
        """No launch costs: paid back in month 1, ROI 4,000 / 4,000 = 100 %; 6,000 of them:
        not within 4 months, ROI (4,000 - 6,000) / 10,000 = -20 %. The month's tornado leaves
        the range out: the launch costs do not move the month."""
        [row] = months_sensitivity(scenario).to_dict(orient="records")
        assert row["input"] == "months.launch_costs"
        assert (row["payback_full_at_low"], row["payback_full_at_high"]) == (1.0, math.inf)
        assert row["roi_financial_at_low"] == pytest.approx(1.0)
        assert row["roi_financial_at_high"] == pytest.approx(-0.2)
        assert sensitivity(scenario).empty
        [shown] = simulate_months(scenario, draws=10).to_dict()["sensitivity"]
        assert (shown["payback_financial_at_low"], shown["payback_financial_at_high"]) == (1, None)

    def test_no_range_is_the_projection(self, scenario: Scenario) -> None:
        certain = replace(scenario, uncertainty=())
        simulation = simulate_months(certain, draws=100)
        projection = project(certain)
        assert simulation.roi.loc["full", "p10"] == projection.roi["full"]
        assert simulation.payback.loc["full", "p90"] == projection.payback_month["full"] == 3
        assert simulation.p_pays_back("full") == 1.0


class TestRangesOnTheMonths:
    def test_a_months_range_checks_its_ends(self) -> None:
        base = grown()
        with pytest.raises(ScenarioError) as error:
            replace(base, uncertainty=(InputRange("months.retention", 0.5, 1.5),))
        assert (error.value.field, error.value.rule) == ("uncertainty[0].high", Rule.FRACTION)
        with pytest.raises(ScenarioError) as error:
            replace(base, uncertainty=(InputRange("months.retention", 0.8, 0.9),))
        assert error.value.rule is Rule.RANGE_EXCLUDES_VALUE

    @pytest.mark.parametrize("path", ["months.horizon", "months.schedule", "months.anything"])
    def test_only_the_months_numbers_take_a_range(self, path: str) -> None:
        with pytest.raises(ScenarioError) as error:
            replace(grown(), uncertainty=(InputRange(path, 1.0, 2.0),))
        assert error.value.rule is Rule.ONE_OF
        assert "retention" in str(error.value)

    def test_the_month_itself_does_not_move(self) -> None:
        """Retention, repeat purchases and launch costs shape only the months after today:
        the month's simulation draws them and its figures do not change."""
        scenario = replace(
            grown(),
            uncertainty=(
                InputRange("months.retention", 0.4, 0.9),
                InputRange("months.launch_costs", 2000.0, 9000.0),
            ),
        )
        simulation = simulate(scenario, draws=500)
        assert simulation.samples["full_roi"].nunique() == 1

    def test_a_discount_rate_range_spreads_the_npv_alone(self) -> None:
        """A net of +1,000 a month for 3 months and no launch costs: NPV = 1,000 (1 + 1/(1+d)
        + 1/(1+d)^2); at d = 0 it is 3,000, at d = 10 % 2,735.54. ROIs and payback do not move."""
        scenario = Scenario(
            investment=Investment(staff_hours=10.0, hourly_rate=0.0, fixed_costs=1000.0),
            values=ActionValues(support_query=20.0),
            channels=(Channel("Facebook", hours_share=1.0, support_queries_per_hour=10.0),),
            months=Months(horizon=3, discount_rate=0.05),
            uncertainty=(InputRange("months.discount_rate", 0.0, 0.1),),
        )
        simulation = simulate_months(scenario, draws=5000)
        low, high = simulation.npv.loc["full", "p10"], simulation.npv.loc["full", "p90"]
        assert 2735.54 < low < high < 3000.0
        assert simulation.roi.loc["full", "p10"] == simulation.roi.loc["full", "p90"]
        [row] = months_sensitivity(scenario).to_dict(orient="records")
        assert row["npv_full_at_low"] == pytest.approx(3000.0)
        assert row["npv_full_at_high"] == pytest.approx(1000 * (1 + 1 / 1.1 + 1 / 1.1**2))
        assert simulation.to_dict()["npv"]["full"]["p50"] == pytest.approx(
            simulation.npv.loc["full", "p50"]
        )

    def test_no_draw_starts_above_the_ceiling(self) -> None:
        """A range on the audience may not reach above the ceiling (nor one on the ceiling
        below the audience): such a draw is a channel the scenario refuses."""
        base = grown()  # Instagram: 2,000 followers, a ceiling of 10,000
        with pytest.raises(ScenarioError) as error:
            replace(base, uncertainty=(InputRange("channels[0].followers", 1000.0, 12_000.0),))
        assert (error.value.field, error.value.rule) == ("uncertainty[0].high", Rule.ABOVE_CEILING)
        with pytest.raises(ScenarioError) as error:
            replace(base, uncertainty=(InputRange("channels[*].audience_ceiling", 1500, 20_000),))
        assert (error.value.field, error.value.rule) == ("uncertainty[0].low", Rule.BELOW_AUDIENCE)
        both = (
            InputRange("channels[0].followers", 1000.0, 8000.0),
            InputRange("channels[0].audience_ceiling", 7000.0, 20_000.0),
        )
        with pytest.raises(ScenarioError) as error:
            replace(base, uncertainty=both)
        assert error.value.field == "uncertainty[0].high"
        fits = (both[0], InputRange("channels[0].audience_ceiling", 9000.0, 20_000.0))
        assert replace(base, uncertainty=fits).uncertainty == fits

    def test_no_draw_spends_where_the_cpm_is_0(self) -> None:
        """Neither a budget range reaching above 0 while a channel with a share has a CPM of
        0, nor a share range there when only the schedule spends."""
        free = Channel("Free", cpm=0.0, budget_share=1.0, hours_share=1.0)
        idle = Scenario(channels=(free,), investment=Investment(ad_budget=0.0))
        with pytest.raises(ScenarioError) as error:
            replace(idle, uncertainty=(InputRange("investment.ad_budget", 0.0, 500.0),))
        assert error.value.rule is Rule.CPM_WITH_SPEND
        paid = Channel("Paid", cpm=8.0, budget_share=1.0, hours_share=1.0)
        unshared = replace(free, budget_share=0.0)
        later = Scenario(
            channels=(paid, unshared),
            investment=Investment(ad_budget=0.0),
            months=Months(schedule=(ScheduleStep(3, ad_budget=1000.0),)),
        )
        with pytest.raises(ScenarioError) as error:
            replace(later, uncertainty=(InputRange("channels[1].budget_share", 0.0, 0.5),))
        assert error.value.rule is Rule.CPM_WITH_SPEND

    def test_every_range_path_takes_a_range_at_todays_value(self) -> None:
        """What the ranges table offers: break-even's inputs, the carryover and the months'
        numbers, each accepted by the scenario."""
        scenario = replace(grown(), uncertainty=())
        paths = range_paths(scenario)
        assert {"months.retention", "channels[*].carryover", "channels[1].carryover"} <= set(paths)
        assert "months.horizon" not in paths
        for path in paths:
            if path.startswith("channels[*]") or path.endswith(".name"):
                continue
            today = current_input(scenario, path)
            if not math.isnan(today):
                replace(scenario, uncertainty=(InputRange(path, today, today),))

    def test_files_and_links_carry_them(self) -> None:
        scenario = grown()
        assert scenario_from_json(scenario_to_json(scenario)) == scenario
        link = scenario_link(scenario, "https://roi.example.com/")
        assert decode_scenario(link.split("s=", 1)[1]).uncertainty == scenario.uncertainty


class TestCommandLine:
    def test_simulate_adds_the_months_for_a_file_with_a_horizon(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = tmp_path / "grown.json"
        path.write_text(scenario_to_json(grown()), encoding="utf-8")
        assert main(["simulate", str(path), "--draws", "2000", "--seed", "3"]) == 0
        figures = json.loads(capsys.readouterr().out)["months"]
        expected = simulate_months(grown(), 2000, 3).to_dict()
        assert figures == expected
        assert figures["horizon"] == 18
        assert set(figures["payback_month"]["full"]) == {"p10", "p50", "p90"}
        assert 0.0 <= figures["p_pays_back"]["financial"] <= 1.0

    def test_no_months_for_a_file_of_one_month(
        self, example_file: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A file before version 5 has no horizon: the month's figures only."""
        args = ["simulate", str(example_file), "--draws", "50"]
        assert main([*args, "--range", "values.order_value=50:300"]) == 0
        assert "months" not in json.loads(capsys.readouterr().out)

    def test_a_months_range_on_the_command_line(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = tmp_path / "grown.json"
        path.write_text(scenario_to_json(replace(grown(), uncertainty=())), encoding="utf-8")
        args = ["simulate", str(path), "--draws", "500", "--range", "months.retention=0.5:0.8"]
        assert main(args) == 0
        roi = json.loads(capsys.readouterr().out)["months"]["roi"]["financial"]
        assert roi["p10"] < roi["p90"]
        assert main([*args[:-1], "months.horizon=6:12"]) == 2
        assert "--range" in capsys.readouterr().err


def test_the_drawn_months_keep_every_draws_shape() -> None:
    """Blocks of draws join in order: the same draws in one block or in several."""
    scenario = grown()
    many = simulate_months(scenario, draws=9000, seed=2)
    assert len(many.samples) == 9000
    assert np.isfinite(many.samples["roi_full"]).all()
