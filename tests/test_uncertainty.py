"""How sure are we: triangular draws, their percentiles, the tornado and common random numbers."""

from __future__ import annotations

import json
import math
import random
import statistics
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from roi_model import ActionValues, Channel, Goal, Investment, Scenario, evaluate
from roi_model.cli import main
from roi_model.model import uncertainty
from roi_model.model.break_even import with_input
from roi_model.model.spec import InputRange
from roi_model.model.uncertainty import (
    QUANTITIES,
    draw_inputs,
    goal_sensitivity,
    p_beats,
    sensitivity,
    simulate,
    summary_stats,
    triangular_quantile,
    uniforms,
    with_drawn_input,
)
from tests.strategies import floats

GOLDEN = {"rel": 1e-9}


def _channels(count: int) -> tuple[Channel, ...]:
    """``count`` different channels; every third has no saturation."""
    return tuple(
        Channel(
            f"Channel {i}",
            budget_share=0.05 + 0.1 * (i % 4),
            hours_share=0.1 + 0.07 * (i % 3),
            cpm=6.0 + i,
            saturation_spend=None if i % 3 == 0 else 2000.0 + 500.0 * i,
            organic_impressions_per_hour=300.0 + 20.0 * i,
            like_rate=0.01 + 0.001 * i,
            comment_rate=0.002,
            share_rate=0.001,
            video_view_rate=0.04,
            ctr=0.008 + 0.001 * i,
            lead_rate=0.04 + 0.002 * i,
            close_rate=0.15 + 0.01 * i,
            fit=0.6 + 0.03 * i,
            support_queries_per_hour=0.5 * (i % 2),
        )
        for i in range(count)
    )


def _scenario(count: int = 3, ranges: tuple[InputRange, ...] = ()) -> Scenario:
    return Scenario(
        investment=Investment(
            ad_budget=6000.0, staff_hours=90.0, hourly_rate=28.0, fixed_costs=700
        ),
        values=ActionValues(
            like=0.05,
            comment=0.4,
            share=0.9,
            video_view=0.02,
            organic_visit=0.7,
            lead=12.0,
            order_value=110.0,
            gross_margin=0.45,
            support_query=5.0,
        ),
        channels=_channels(count),
        goals=(
            Goal("primary", "sales", 60.0),
            Goal("secondary", "full_roi", 0.2),
            Goal("secondary", "engagements", 1000.0),
            Goal("secondary", "financial_return", 4000.0),
        ),
        uncertainty=ranges,
    )


#: Ranges on every kind of input: investment, values, every channel's and one channel's.
MANY_RANGES = (
    InputRange("investment.ad_budget", 4000.0, 9000.0),
    InputRange("investment.staff_hours", 60.0, 120.0),
    InputRange("investment.fixed_costs", 700.0, 1500.0),
    InputRange("values.order_value", 80.0, 150.0),
    InputRange("values.gross_margin", 0.3, 0.6),
    InputRange("channels[*].ctr", 0.004, 0.03),
    InputRange("channels[*].saturation_spend", 1000.0, 6000.0),
    InputRange("channels[*].budget_share", 0.01, 0.5),
    InputRange("channels[0].hours_share", 0.05, 0.3),
    InputRange("channels[*].close_rate", 0.1, 0.3),
    InputRange("channels[1].lead_rate", 0.03, 0.1),
)


def _collapsed(scenario: Scenario) -> tuple[InputRange, ...]:
    """A range of no width on every input that can take one (the channels' values differ)."""
    inv, values = scenario.investment, scenario.values
    first = scenario.channels[0]
    return (
        InputRange("investment.ad_budget", inv.ad_budget, inv.ad_budget),
        InputRange("investment.hourly_rate", inv.hourly_rate, inv.hourly_rate),
        InputRange("values.order_value", values.order_value, values.order_value),
        InputRange("values.gross_margin", values.gross_margin, values.gross_margin),
        InputRange("channels[0].ctr", first.ctr, first.ctr),
        InputRange("channels[0].budget_share", first.budget_share, first.budget_share),
        InputRange("channels[*].comment_rate", first.comment_rate, first.comment_rate),
    )


def _evaluated_figures(scenario: Scenario) -> dict[str, float]:
    ev = evaluate(scenario)
    return {
        "investment": ev.investment.total,
        "financial_return": ev.returns.financial,
        "full_return": ev.returns.full,
        "financial_roi": ev.financial_roi,
        "full_roi": ev.full_roi,
    }


def _draw_scenario(scenario: Scenario, inputs: dict[str, np.ndarray], draw: int) -> Scenario:
    """One draw's scenario, built input by input with ``with_input``."""
    built = replace(scenario, uncertainty=())
    for path in inputs:
        drawn = inputs[path]
        if drawn.ndim == 1:
            built = with_input(built, path, float(drawn[draw]))
            continue
        name = path.rsplit(".", 1)[1]
        for index, value in enumerate(drawn[:, draw]):
            if not math.isnan(value):
                built = with_input(built, f"channels[{index}].{name}", float(value))
    return built


def assert_draws_are_evaluations(scenario: Scenario, draws: int, seed: int) -> None:
    """Every draw's figures and goal values are ``evaluate``'s of the scenario it sets."""
    sim = simulate(scenario, draws=draws, seed=seed)
    for draw in range(draws):
        built = _draw_scenario(scenario, dict(sim.inputs), draw)
        expected = _evaluated_figures(built)
        for name in QUANTITIES:
            assert sim.samples[name][draw] == pytest.approx(expected[name], rel=1e-12), name
        values = evaluate(built).goals["value"].to_numpy()
        assert sim.goal_samples[:, draw] == pytest.approx(values, rel=1e-12)


class TestTriangularQuantile:
    @pytest.mark.parametrize(
        ("u", "expected"),
        [
            (0.0, 0.0),
            (0.02, 0.2),  # sqrt(0.02 * 2 * 1)
            (0.5, 1.0),  # the mode of a symmetric triangle is its median
            (0.98, 1.8),  # 2 - sqrt(0.02 * 2 * 1)
        ],
        ids=["low-end", "rising-side", "median", "falling-side"],
    )
    def test_symmetric_triangle_by_hand(self, u: float, expected: float) -> None:
        assert triangular_quantile(np.array([u]), 0.0, 1.0, 2.0)[0] == pytest.approx(expected)

    def test_mode_at_the_low_end_uses_the_falling_side(self) -> None:
        # (0, 0, 4): F(x) = 1 - (4 - x)^2 / 16, so the median is 4 - sqrt(8)
        drawn = triangular_quantile(np.array([0.5]), 0.0, 0.0, 4.0)
        assert drawn[0] == pytest.approx(4.0 - math.sqrt(8.0))

    def test_a_range_of_no_width_gives_the_value_exactly(self) -> None:
        drawn = triangular_quantile(np.array([0.0, 0.3, 0.999]), 0.1, 0.1, 0.1)
        assert drawn.tolist() == [0.1, 0.1, 0.1]

    def test_a_nan_mode_stays_nan(self) -> None:
        assert np.isnan(triangular_quantile(np.array([0.4]), 1.0, np.nan, 2.0)).all()

    @given(st.lists(floats(0.0, 0.999999), min_size=1, max_size=20), floats(0, 1), floats(0, 1))
    def test_stays_within_the_range(self, us: list[float], a: float, b: float) -> None:
        low, high = sorted((a, b))
        drawn = triangular_quantile(np.array(us), low, (low + high) / 2, high)
        assert ((low <= drawn) & (drawn <= high)).all()


class TestUniforms:
    def test_same_seed_and_path_give_the_same_draws(self) -> None:
        assert uniforms("values.lead", 50, 3).tolist() == uniforms("values.lead", 50, 3).tolist()

    def test_paths_and_seeds_are_drawn_apart(self) -> None:
        base = uniforms("values.lead", 50, 3)
        assert base.tolist() != uniforms("values.like", 50, 3).tolist()
        assert base.tolist() != uniforms("values.lead", 50, 4).tolist()
        assert ((base >= 0.0) & (base < 1.0)).all()


class TestDrawInputs:
    def test_shapes_and_bounds(self) -> None:
        inputs = draw_inputs(_scenario(3, MANY_RANGES), draws=200, seed=1)
        assert list(inputs) == [r.input for r in MANY_RANGES]
        assert inputs["values.order_value"].shape == (200,)
        assert inputs["channels[0].hours_share"].shape == (200,)
        assert inputs["channels[*].ctr"].shape == (3, 200)
        for item in MANY_RANGES:
            drawn = inputs[item.input]
            defined = drawn[~np.isnan(drawn)]
            assert ((item.low <= defined) & (defined <= item.high)).all()

    def test_channels_move_together(self) -> None:
        # one uniform per draw through each channel's own triangle: the same ranks everywhere
        ctr = draw_inputs(_scenario(4, MANY_RANGES), draws=300, seed=2)["channels[*].ctr"]
        ranks = np.argsort(np.argsort(ctr, axis=1), axis=1)
        assert (ranks == ranks[0]).all()
        # the median draw sits at each channel's own mode (0.008 + 0.001 i)
        medians = np.median(ctr, axis=1)
        assert medians[0] < medians[1] < medians[2] < medians[3]

    def test_channels_alike_draw_what_each_would_draw_on_its_own(self) -> None:
        # every channel at a close rate of 0.2 today: one row of draws, each channel's the
        # triangle (0.1, 0.2, 0.3) at the range's uniforms, as a channel of its own draws it
        scenario = _alike_close_rates(4)
        drawn = draw_inputs(scenario, draws=500, seed=6)["channels[*].close_rate"]
        u = uniforms("channels[*].close_rate", 500, 6)
        assert drawn.shape == (4, 500)
        for row in drawn:
            assert row == pytest.approx(triangular_quantile(u, 0.1, 0.2, 0.3), rel=1e-14)

    def test_a_channel_without_saturation_keeps_none(self) -> None:
        drawn = draw_inputs(_scenario(3, MANY_RANGES), draws=20)["channels[*].saturation_spend"]
        assert np.isnan(drawn[0]).all()  # channel 0 has no saturation
        assert not np.isnan(drawn[1:]).any()

    @pytest.mark.parametrize("bad", [0, -1, 2.5, True], ids=["zero", "negative", "float", "bool"])
    def test_refuses_a_bad_number_of_draws(self, bad: Any) -> None:
        with pytest.raises(ValueError, match="draws"):
            draw_inputs(_scenario(), draws=bad)


class TestSummaryStats:
    @given(
        st.lists(
            st.one_of(floats(-1e6, 1e6), st.just(math.nan), st.just(0.0)),
            min_size=1,
            max_size=60,
        )
    )
    def test_agree_with_numpy_over_the_defined_draws(self, values: list[float]) -> None:
        row = np.array(values)
        stats = summary_stats([row])[0]
        defined = row[~np.isnan(row)]
        if not defined.size:
            assert np.isnan(stats).all()
            return
        np.testing.assert_allclose(
            stats[:3], np.percentile(defined, [10, 50, 90]), rtol=1e-12, atol=1e-9
        )
        assert stats[3] == pytest.approx(defined.mean(), rel=1e-9, abs=1e-6)
        assert stats[4] == np.mean(defined > 0)

    def test_by_hand(self) -> None:
        # 1..11: ranks 1, 5 and 9 from 0; a NaN draw is left out of every figure
        row = np.array([5, 3, math.nan, 1, 9, 7, 11, 2, 4, 6, 8, 10], float)
        p10, p50, p90, mean, above = summary_stats([row, row - 6.0])[0]
        assert (p10, p50, p90, mean, above) == (2.0, 6.0, 10.0, 6.0, 1.0)
        assert summary_stats([row - 6.0])[0][4] == 5 / 11

    def test_equal_draws_give_their_value_exactly(self) -> None:
        assert summary_stats([np.full(10_000, 0.1)])[0][:4].tolist() == [0.1] * 4


class TestSimulate:
    @pytest.mark.parametrize("count", [1, 3, 10], ids=["1-channel", "3-channels", "10-channels"])
    @pytest.mark.parametrize("collapsed", [False, True], ids=["no-ranges", "collapsed-ranges"])
    def test_reproduces_evaluate_exactly(self, count: int, collapsed: bool) -> None:
        scenario = _scenario(count)
        if collapsed:
            scenario = replace(scenario, uncertainty=_collapsed(scenario))
        sim = simulate(scenario, draws=500)
        expected = _evaluated_figures(scenario)
        for name in QUANTITIES:
            row = sim.summary.loc[name]
            assert [row["p10"], row["p50"], row["p90"], row["mean"]] == [expected[name]] * 4, name
        goals = evaluate(scenario).goals
        for column in ("p10", "p50", "p90", "mean"):
            assert sim.goals[column].tolist() == goals["value"].tolist()
        assert sim.goals["p_met"].tolist() == goals["met"].astype(float).tolist()

    def test_collapsed_shares_on_ten_channels_split_as_evaluate_does(self) -> None:
        scenario = _scenario(10)
        share = scenario.channels[4].budget_share  # channels 0, 4, 8 share this weight
        sim = simulate(
            replace(scenario, uncertainty=(InputRange("channels[4].budget_share", share, share),))
        )
        assert sim.samples["full_return"].unique().tolist() == [evaluate(scenario).returns.full]

    def test_same_seed_same_numbers_other_seed_others(self) -> None:
        scenario = _scenario(3, MANY_RANGES)
        first, again = simulate(scenario, 2000, seed=5), simulate(scenario, 2000, seed=5)
        assert first.summary.equals(again.summary) and first.goals.equals(again.goals)
        assert not first.summary.equals(simulate(scenario, 2000, seed=6).summary)

    def test_vectorised_draws_equal_a_loop_through_evaluate(self) -> None:
        assert_draws_are_evaluations(_scenario(3, MANY_RANGES), draws=6, seed=11)

    def test_a_band_read_first_equals_the_tables_read_later(self) -> None:
        # the headline reads the ROIs' bands before any table: each is summarised once, the same
        sim = simulate(_scenario(3, MANY_RANGES), draws=3_000, seed=5)
        first = uncertainty.band(sim, "full_roi")
        row = sim.summary.loc["full_roi"]
        assert first == uncertainty.Band(row["p10"], row["p50"], row["p90"], row["p_positive"])
        assert sim.p_positive("financial") == sim.summary.at["financial_roi", "p_positive"]
        assert np.isnan(sim.summary.loc["investment", "p_positive"])
        again = simulate(_scenario(3, MANY_RANGES), draws=3_000, seed=5)
        assert again.goals.equals(sim.goals) and again.samples.equals(sim.samples)

    def test_golden_investment_of_a_fixed_cost_range(self) -> None:
        # fixed costs ~ triangular(0, 100, 400) on top of 1000 of budget: F(100) = 1/4, so
        # P10 = 1000 + sqrt(0.1 * 400 * 100) = 1063.25, the median 1000 + 400 - sqrt(0.5 *
        # 400 * 300) = 1155.05, and the mean 1000 + (0 + 100 + 400) / 3 = 1166.67.
        scenario = Scenario(
            investment=Investment(ad_budget=1000.0, fixed_costs=100.0),
            channels=(Channel("Ads", budget_share=1.0, cpm=10.0),),
            uncertainty=(InputRange("investment.fixed_costs", 0.0, 400.0),),
        )
        row = simulate(scenario, draws=20_000, seed=3).summary.loc["investment"]
        assert row["p10"] == pytest.approx(1000 + math.sqrt(4000), rel=3e-3)
        assert row["p50"] == pytest.approx(1400 - math.sqrt(60_000), rel=3e-3)
        assert row["mean"] == pytest.approx(1000 + 500 / 3, rel=3e-3)
        assert row["p90"] > row["p50"] > row["p10"]

    def test_against_a_plain_python_monte_carlo(self) -> None:
        # 1000 of budget at a CPM of 10: 100,000 impressions; x ctr x 0.1 leads x 0.2 sales x
        # order value x 0.5 margin: financial return = 1000 * ctr * order_value.
        scenario = Scenario(
            investment=Investment(ad_budget=1000.0),
            values=ActionValues(order_value=100.0, gross_margin=0.5),
            channels=(
                Channel("Ads", budget_share=1.0, cpm=10.0, ctr=0.01, lead_rate=0.1, close_rate=0.2),
            ),
            uncertainty=(
                InputRange("channels[*].ctr", 0.005, 0.03),
                InputRange("values.order_value", 80.0, 150.0),
            ),
        )
        rng = random.Random(42)
        rois = [
            (1000 * rng.triangular(0.005, 0.03, 0.01) * rng.triangular(80, 150, 100) - 1000) / 1000
            for _ in range(40_000)
        ]
        sim = simulate(scenario, draws=40_000, seed=1)
        row = sim.summary.loc["financial_roi"]
        assert row["mean"] == pytest.approx(statistics.fmean(rois), abs=0.02)
        assert row["p50"] == pytest.approx(statistics.median(rois), abs=0.02)
        deciles = statistics.quantiles(rois, n=10)
        assert row["p10"] == pytest.approx(deciles[0], abs=0.02)
        assert row["p90"] == pytest.approx(deciles[-1], abs=0.03)
        p_positive = sum(r > 0 for r in rois) / len(rois)
        assert sim.p_positive("financial") == pytest.approx(p_positive, abs=0.02)

    def test_goals_met_in_a_share_of_the_draws(self) -> None:
        sim = simulate(_scenario(3, MANY_RANGES), draws=3000, seed=4)
        sales = sim.goal_samples[0]
        assert sim.goals.loc[0, "p_met"] == pytest.approx(float(np.mean(sales >= 60.0)))
        assert 0.0 < sim.goals.loc[0, "p_met"] < 1.0

    def test_roi_undefined_when_nothing_is_invested(self) -> None:
        scenario = Scenario(
            channels=(Channel("Organic", organic_impressions_per_hour=100.0),),
            uncertainty=(InputRange("values.order_value", 0.0, 10.0),),
        )
        row = simulate(scenario, draws=50).summary.loc["full_roi"]
        assert row.isna().all()

    @given(floats(0.0, 110.0), floats(110.0, 400.0), floats(0.0, 0.45), floats(0.45, 1.0))
    def test_percentiles_are_ordered(
        self, low: float, high: float, gm_low: float, gm_high: float
    ) -> None:
        ranges = (
            InputRange("values.order_value", low, high),
            InputRange("values.gross_margin", gm_low, gm_high),
        )
        sim = simulate(_scenario(2, ranges), draws=300, seed=9)
        for _, row in [*sim.summary.iterrows(), *sim.goals.iterrows()]:
            assert row["p10"] <= row["p50"] <= row["p90"]

    @given(
        floats(50.0, 110.0),
        floats(110.0, 200.0),
        floats(0.0, 50.0),
        floats(0.0, 100.0),
    )
    def test_widening_a_range_never_narrows_p10_to_p90(
        self, low: float, high: float, lower_by: float, raise_by: float
    ) -> None:
        def width(item: InputRange) -> float:
            row = simulate(_scenario(2, (item,)), draws=400, seed=2).summary.loc["full_return"]
            return float(row["p90"] - row["p10"])

        narrow = width(InputRange("values.order_value", low, high))
        wide = width(InputRange("values.order_value", low - lower_by, high + raise_by))
        assert wide >= narrow - 1e-9 * max(1.0, narrow)

    @given(floats(0.0, 120.0), floats(120.0, 2000.0))
    def test_p_roi_positive_is_0_or_1_when_no_draw_can_change_the_sign(
        self, low: float, high: float
    ) -> None:
        # the financial ROI is increasing in the order value: its ends bound every draw
        scenario = _scenario(1)
        scenario = replace(
            scenario,
            values=replace(scenario.values, order_value=120.0),
            uncertainty=(InputRange("values.order_value", low, high),),
        )
        ends = sensitivity(scenario).iloc[0]
        at_low, at_high = ends["roi_financial_at_low"], ends["roi_financial_at_high"]
        assume((at_low > 0) == (at_high > 0) and at_low != 0 and at_high != 0)
        assert simulate(scenario, draws=300).p_positive("financial") == float(at_low > 0)


def _alike_close_rates(count: int) -> Scenario:
    """``count`` channels unlike in all but their close rate (0.2 on every one), with a range
    on it and on every channel's CTR."""
    scenario = _scenario(count)
    channels = tuple(replace(c, close_rate=0.2) for c in scenario.channels)
    ranges = (
        InputRange("channels[*].close_rate", 0.1, 0.3),
        InputRange("channels[*].ctr", 0.004, 0.03),
        InputRange("values.order_value", 80.0, 150.0),
    )
    return replace(scenario, channels=channels, uncertainty=ranges)


class TestChannelsAlike:
    def test_draws_equal_a_loop_through_evaluate(self) -> None:
        assert_draws_are_evaluations(_alike_close_rates(3), draws=8, seed=12)

    def test_one_channel_apart_is_drawn_on_its_own(self) -> None:
        # a fourth channel at 0.25: the channels are no longer alike, each has its triangle
        scenario = _alike_close_rates(4)
        last = replace(scenario.channels[3], close_rate=0.25)
        scenario = replace(scenario, channels=(*scenario.channels[:3], last))
        drawn = draw_inputs(scenario, draws=400, seed=3)["channels[*].close_rate"]
        assert drawn[0].tolist() == drawn[2].tolist() != drawn[3].tolist()
        assert np.median(drawn[3]) > np.median(drawn[0])


def assert_blocks_change_nothing(
    monkeypatch: pytest.MonkeyPatch, scenario: Scenario, seed: int
) -> None:
    """2,500 draws of 4 channels: one block, against 25 blocks of 100 draws, alike."""
    whole = simulate(scenario, draws=2500, seed=seed)
    monkeypatch.setattr(uncertainty, "_BLOCK_BYTES", 4 * 8 * 100)
    blocked = simulate(scenario, draws=2500, seed=seed)
    for name in QUANTITIES:
        assert blocked.samples[name].to_numpy() == pytest.approx(
            whole.samples[name].to_numpy(), rel=1e-12
        )
    assert blocked.goal_samples == pytest.approx(whole.goal_samples, rel=1e-12)


class TestBlocks:
    def test_the_figures_do_not_depend_on_the_block_size(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        assert_blocks_change_nothing(monkeypatch, _scenario(4, MANY_RANGES), seed=3)

    def test_a_row_drawn_for_channels_alike_is_sliced_block_by_block(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # the close rates alike are drawn once for every draw: 25 blocks take it in slices
        scenario = _alike_close_rates(4)
        assert_blocks_change_nothing(monkeypatch, scenario, seed=8)
        figures = uncertainty.drawn(scenario, 2500, 8)
        assert [ranged.name for ranged, _ in figures.alike_channels] == ["close_rate"]
        assert [ranged.name for ranged, _ in figures.channel_ranges] == ["ctr"]


class TestPBeats:
    def test_a_scenario_does_not_beat_itself(self) -> None:
        scenario = _scenario(3, MANY_RANGES)
        assert p_beats(scenario, scenario, draws=2000) == {"financial": 0.0, "full": 0.0}

    def test_a_clearly_better_scenario_always_beats(self) -> None:
        scenario = _scenario(3, MANY_RANGES)
        worse = replace(scenario, values=replace(scenario.values, gross_margin=0.3))
        worse = replace(worse, uncertainty=MANY_RANGES[:4] + MANY_RANGES[5:])  # margin fixed low
        assert p_beats(scenario, worse, draws=2000) == {"financial": 1.0, "full": 1.0}
        assert p_beats(worse, scenario, draws=2000) == {"financial": 0.0, "full": 0.0}

    def test_common_random_numbers_see_a_small_difference(self) -> None:
        # 1 % more order value is better in every draw when the draws are shared
        scenario = _scenario(3, MANY_RANGES[:3] + MANY_RANGES[5:])
        better = replace(scenario, values=replace(scenario.values, order_value=111.1))
        assert p_beats(better, scenario, draws=2000) == {"financial": 1.0, "full": 1.0}


class TestSensitivity:
    def test_ends_equal_evaluate_at_low_and_high(self) -> None:
        scenario = _scenario(3, MANY_RANGES)
        table = sensitivity(scenario).set_index("input")
        assert set(table.index) == {r.input for r in MANY_RANGES}
        bare = replace(scenario, uncertainty=())
        at_low = evaluate(with_input(bare, "values.order_value", 80.0))
        at_high = evaluate(with_input(bare, "values.order_value", 150.0))
        row = table.loc["values.order_value"]
        assert row["roi_financial_at_low"] == at_low.financial_roi
        assert row["roi_full_at_low"] == at_low.full_roi
        assert row["roi_financial_at_high"] == at_high.financial_roi
        assert row["roi_full_at_high"] == at_high.full_roi

    def test_a_range_on_every_channel_sets_every_channel(self) -> None:
        scenario = _scenario(3, MANY_RANGES)
        row = sensitivity(scenario).set_index("input").loc["channels[*].ctr"]
        bare = replace(scenario, uncertainty=())
        assert (
            row["roi_full_at_high"] == evaluate(with_input(bare, "channels[*].ctr", 0.03)).full_roi
        )
        # a channel without saturation keeps none
        high = with_drawn_input(scenario, "channels[*].saturation_spend", 6000.0)
        assert [c.saturation_spend for c in high.channels] == [None, 6000.0, 6000.0]

    def test_sorted_by_the_full_roi_swing(self) -> None:
        table = sensitivity(_scenario(3, MANY_RANGES))
        swing = (table["roi_full_at_high"] - table["roi_full_at_low"]).abs()
        assert swing.tolist() == sorted(swing.tolist(), reverse=True)
        assert swing.iloc[0] > 0
        assert list(table.columns) == [
            "input",
            "low",
            "high",
            "roi_financial_at_low",
            "roi_financial_at_high",
            "roi_full_at_low",
            "roi_full_at_high",
        ]

    def test_no_ranges_no_rows(self) -> None:
        assert sensitivity(_scenario()).empty


class TestGoalSensitivity:
    def test_goal_values_at_the_ends(self) -> None:
        scenario = _scenario(3, MANY_RANGES)
        table = goal_sensitivity(scenario)
        assert len(table) == len(MANY_RANGES) * len(scenario.goals)
        order = sensitivity(scenario)["input"].tolist()
        assert list(dict.fromkeys(table["input"])) == order
        row = table[(table["input"] == "values.order_value") & (table["metric"] == "sales")].iloc[0]
        bare = replace(scenario, uncertainty=())
        # sales do not depend on the order value; the financial return grows with it
        assert row["value_at_low"] == row["value_at_high"] == evaluate(bare).totals["sales"]
        money = table[(table["input"] == "values.order_value") & (table["goal"] == 3)].iloc[0]
        at_high = evaluate(with_input(bare, "values.order_value", 150.0)).returns.financial
        assert money["value_at_high"] == at_high > money["value_at_low"]


class TestSimulateCommand:
    def _file(self, tmp_path: Path, data: dict[str, Any]) -> Path:
        path = tmp_path / "scenario.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        return path

    def test_prints_the_documented_json(
        self, capsys: pytest.CaptureFixture[str], example_dict: dict[str, Any], tmp_path: Path
    ) -> None:
        path = self._file(tmp_path, example_dict)
        code = main(
            [
                "simulate",
                str(path),
                "--draws",
                "2000",
                "--seed",
                "3",
                "--range",
                "values.order_value=90:160",
                "--range",
                "channels[*].ctr=0.005:0.03",
            ]
        )
        out, err = capsys.readouterr()
        assert (code, err) == (0, "")
        report = json.loads(out)
        assert list(report) == ["draws", "seed", "roi", "return", "goals", "sensitivity"]
        assert (report["draws"], report["seed"]) == (2000, 3)
        for objective in ("financial", "full"):
            assert set(report["roi"][objective]) == {"p10", "p50", "p90", "mean", "p_positive"}
            assert set(report["return"][objective]) == {"p10", "p50", "p90", "mean"}
            roi = report["roi"][objective]
            assert roi["p10"] < roi["p50"] < roi["p90"]
        assert [g["metric"] for g in report["goals"]] == ["sales", "leads"]
        assert set(report["goals"][0]) == {"tier", "metric", "target", "p_met", "p10", "p50", "p90"}
        assert [s["input"] for s in report["sensitivity"]] == [
            "channels[*].ctr",
            "values.order_value",
        ]

    def test_matches_simulate(
        self,
        capsys: pytest.CaptureFixture[str],
        example_dict: dict[str, Any],
        example_scenario: Scenario,
        tmp_path: Path,
    ) -> None:
        path = self._file(tmp_path, example_dict)
        assert main(["simulate", str(path), "--draws", "500", "--range", "values.lead=10:20"]) == 0
        report = json.loads(capsys.readouterr().out)
        ranged = replace(example_scenario, uncertainty=(InputRange("values.lead", 10.0, 20.0),))
        sim = simulate(ranged, draws=500, seed=0)
        assert report["roi"]["full"]["p50"] == sim.summary.loc["full_roi", "p50"]
        assert report["return"]["full"]["mean"] == sim.summary.loc["full_return", "mean"]

    def test_a_range_replaces_the_files_own(
        self, capsys: pytest.CaptureFixture[str], example_dict: dict[str, Any], tmp_path: Path
    ) -> None:
        data = example_dict | {
            "schema_version": 4,
            "plan": [],
            "calibration": [],
            "uncertainty": [{"input": "values.lead", "low": 0, "high": 100}],
        }
        path = self._file(tmp_path, data)
        code = main(["simulate", str(path), "--draws", "100", "--range", "values.lead=15:15"])
        report = json.loads(capsys.readouterr().out)
        assert code == 0
        [row] = report["sensitivity"]
        assert (row["low"], row["high"]) == (15.0, 15.0)
        assert report["return"]["full"]["p10"] == report["return"]["full"]["p90"]

    def test_undefined_numbers_are_null(
        self, capsys: pytest.CaptureFixture[str], example_dict: dict[str, Any], tmp_path: Path
    ) -> None:
        # nothing invested: every ROI is undefined
        data = example_dict | {"investment": dict.fromkeys(example_dict["investment"], 0)}
        path = self._file(tmp_path, data)
        code = main(["simulate", str(path), "--draws", "10", "--range", "values.lead=0:50"])
        out, err = capsys.readouterr()
        assert (code, err) == (0, "")
        report = json.loads(out)
        assert report["roi"]["full"] == dict.fromkeys(["p10", "p50", "p90", "mean", "p_positive"])

    @pytest.mark.parametrize(
        ("option", "message"),
        [
            (["--range", "values.order_value=200:100"], "high"),
            (["--range", "values.order_value=130:160"], "today"),
            (["--range", "values.price=1:2"], "input"),
            (["--range", "values.order_value"], "--range"),
            (["--range", "values.order_value=a:b"], "--range"),
            (["--draws", "0"], "--draws"),
            (["--seed", "-1"], "--seed"),
        ],
        ids=[
            "low-above-high",
            "excludes-today",
            "unknown-input",
            "no-ends",
            "not-numbers",
            "draws",
            "seed",
        ],
    )
    def test_bad_options_exit_2_with_one_line(
        self,
        capsys: pytest.CaptureFixture[str],
        example_dict: dict[str, Any],
        tmp_path: Path,
        option: list[str],
        message: str,
    ) -> None:
        path = self._file(tmp_path, example_dict)
        code = main(["simulate", str(path), *option])
        out, err = capsys.readouterr()
        assert (code, out) == (2, "")
        assert len(err.splitlines()) == 1
        assert err.startswith("error: --") and message in err


class TestHistogram:
    def test_shares_of_the_defined_draws_over_equal_bins(self) -> None:
        from roi_model.model.uncertainty import histogram

        base = _scenario()
        order_value = base.values.order_value
        ranged = (InputRange("values.order_value", order_value * 0.5, order_value * 2),)
        scenario = replace(base, uncertainty=ranged)
        simulation = simulate(scenario, draws=2_000, seed=1)
        frame = histogram(simulation, "full_roi", bins=20)
        rois = simulation.samples["full_roi"]
        assert len(frame) == 20 and frame["share"].sum() == pytest.approx(1.0)
        assert frame["start"].iloc[0] == pytest.approx(rois.min())
        assert frame["end"].iloc[-1] == pytest.approx(rois.max())
        assert (frame["end"] > frame["start"]).all()
