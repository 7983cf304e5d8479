"""The simulation's kernel: the month's totals regrouped by reached impression equal the
evaluation's, for any scenario, any lenses and any goal metric."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from roi_model import Channel, Scenario, evaluate
from roi_model.model.drawn_totals import channel_sum, drawn_totals, paid_impressions_drawn
from roi_model.model.evaluate import channel_arrays, enabled_lenses, normalised
from roi_model.model.spec import GoalMetric
from roi_model.model.uncertainty import triangular_quantile
from tests.strategies import scenarios

COUNTS = [m.value for m in GoalMetric if not m.is_ratio and "return" not in m.value]


def _totals(scenario: Scenario) -> dict[str, float]:
    """The kernel's totals of the scenario itself, as one draw."""
    rates = {name: a[:, np.newaxis] for name, a in channel_arrays(scenario.channels).items()}
    investment = scenario.investment
    spend = investment.ad_budget * normalised(rates["budget_share"][:, 0])[:, np.newaxis]
    hours = investment.staff_hours * normalised(rates["hours_share"][:, 0])[:, np.newaxis]
    lenses = enabled_lenses(scenario.lenses)
    totals = drawn_totals(spend, hours, rates, scenario.values, lenses, COUNTS)
    return {name: float(value[0]) for name, value in totals.items()}


@settings(max_examples=150)
@given(scenarios())
def test_equals_the_evaluations_totals(scenario: Scenario) -> None:
    expected = evaluate(scenario).totals
    for name, value in _totals(scenario).items():
        assert value == pytest.approx(expected[name], rel=1e-12, abs=1e-9), name


def test_the_sum_of_draws_goes_per_draw() -> None:
    # two draws of one channel side by side: each is its own month
    rates = {
        name: np.array([[value]])
        for name, value in {
            "cpm": 10.0,
            "saturation_spend": np.nan,
            "organic_impressions_per_hour": 100.0,
            "fit": 0.5,
            "ctr": 0.02,
            "lead_rate": 0.1,
            "close_rate": 0.5,
            "like_rate": 0.0,
            "comment_rate": 0.0,
            "share_rate": 0.0,
            "video_view_rate": 0.0,
            "support_queries_per_hour": 0.0,
            "followers": 0.0,
            "follow_rate": 0.001,
            "follower_churn": 0.0,
            "audience_ceiling": np.nan,
            "carryover": 0.0,
        }.items()
    }
    spend, hours = np.array([[1000.0, 2000.0]]), np.zeros((1, 2))
    values = evaluate(Scenario()).scenario.values
    counted = ["impressions", "sales", "new_followers"]
    totals = drawn_totals(spend, hours, rates, values, (), counted)
    # 1000 / 10 * 1000 = 100,000 impressions, reach 50,000, visits 1,000, leads 100, sales 50,
    # new followers 50,000 * 0.001 = 50
    assert totals["impressions"].tolist() == [100_000.0, 200_000.0]
    assert totals["sales"].tolist() == pytest.approx([50.0, 100.0])
    assert totals["new_followers"].tolist() == pytest.approx([50.0, 100.0])


def test_a_cpm_of_zero_buys_nothing_without_spend_and_is_undefined_with_it() -> None:
    spend = np.array([[0.0, 500.0], [100.0, 100.0]])
    cpm = np.array([[0.0], [5.0]])
    bought = paid_impressions_drawn(spend, cpm, np.array([[np.nan], [1000.0]]))
    assert bought[0, 0] == 0.0 and np.isnan(bought[0, 1])
    # 1000 * 100 / (5 * (1 + 100 / 1000))
    assert bought[1].tolist() == pytest.approx([1000 * 100 / 5.5] * 2)


def test_a_draw_with_spend_at_a_cpm_of_zero_is_undefined_in_every_figure() -> None:
    # The second channel has no rates at all, so no sum would show its NaN reach (a matrix
    # product may skip a NaN whose weight is 0): the draw that spends on it is undefined all
    # the same, as evaluate refuses such spend; the draw that does not is a month like any.
    scenario = Scenario(channels=(Channel("Ads", budget_share=1.0, cpm=10.0, ctr=0.01),))
    rates = {name: a[:, np.newaxis] for name, a in channel_arrays(scenario.channels).items()}
    free = dict.fromkeys(rates, 0.0) | {"saturation_spend": np.nan, "audience_ceiling": np.nan}
    rates = {name: np.vstack([a, [[free[name]]]]) for name, a in rates.items()}
    spend = np.array([[1000.0, 1000.0], [0.0, 50.0]])
    totals = drawn_totals(spend, np.zeros((2, 1)), rates, scenario.values, (), COUNTS)
    for name, figure in totals.items():
        assert not np.isnan(figure[0]) and np.isnan(figure[1]), name


@pytest.mark.parametrize(
    ("figures_draws", "weights_draws"), [(1, 1), (5, 1), (1, 5), (5, 5)], ids=str
)
def test_a_channel_sum_is_the_sum_of_the_products(figures_draws: int, weights_draws: int) -> None:
    # a matrix product where one side is the same for every draw, else element by element
    rng = np.random.default_rng(4)
    figures, weights = rng.random((3, figures_draws)), rng.random((3, weights_draws))
    expected = [
        sum(
            figures[c, min(d, figures_draws - 1)] * weights[c, min(d, weights_draws - 1)]
            for c in range(3)
        )
        for d in range(max(figures_draws, weights_draws))
    ]
    assert channel_sum(figures, weights).tolist() == pytest.approx(expected, rel=1e-14)
    assert channel_sum(figures).tolist() == pytest.approx(figures.sum(axis=0).tolist())


class TestTriangularWithoutBranches:
    def test_each_channel_follows_its_own_branch(self) -> None:
        # low 0, high 2; modes 0.5 (F = 1/4) and 1.5 (F = 3/4); u = 0.5 lies on the falling
        # branch of the first and the rising branch of the second
        drawn = triangular_quantile(np.array([[0.5]]), 0.0, np.array([[0.5], [1.5]]), 2.0)
        assert drawn[0, 0] == pytest.approx(2.0 - np.sqrt(0.5 * 2.0 * 1.5))
        assert drawn[1, 0] == pytest.approx(np.sqrt(0.5 * 2.0 * 1.5))

    def test_modes_at_the_ends_stay_inside(self) -> None:
        u = np.linspace(0.0, 1.0, 101)[np.newaxis, :]
        drawn = triangular_quantile(u, 1.0, np.array([[1.0], [3.0]]), 3.0)
        assert ((drawn >= 1.0) & (drawn <= 3.0)).all()
        assert np.all(np.diff(drawn, axis=1) >= 0)
