"""Tidy tables for charts: the waterfall and the funnel."""

from __future__ import annotations

from dataclasses import replace

import pytest

from roi_model import Channel, Investment, Lenses, Scenario, evaluate
from roi_model.model.spec import ActionValues
from roi_model.model.tables import FUNNEL_STAGES, funnel_table, return_waterfall


@pytest.fixture
def scenario() -> Scenario:
    # 1000 spend at CPM 10: 100,000 impressions; ctr 1 %: 1000 visits; 10 % leads: 100 leads;
    # 20 % close: 20 sales x 100 x 0.5 margin = 1000 sales return; 80 open leads x 2 = 160;
    # 2 % likes: 2000 likes x 0.1 = 200 engagement. Investment 1000 + 10 h x 20 = 1200.
    return Scenario(
        investment=Investment(ad_budget=1000.0, staff_hours=10.0, hourly_rate=20.0),
        values=ActionValues(order_value=100.0, gross_margin=0.5, lead=2.0, like=0.1),
        lenses=Lenses(leads=True, engagement=True, organic_traffic=False),
        channels=(
            Channel(
                "Ads",
                budget_share=1.0,
                hours_share=1.0,
                cpm=10.0,
                ctr=0.01,
                lead_rate=0.1,
                close_rate=0.2,
                like_rate=0.02,
            ),
        ),
    )


class TestReturnWaterfall:
    def test_steps_go_from_investment_through_enabled_lenses_to_net(
        self, scenario: Scenario
    ) -> None:
        steps = return_waterfall(evaluate(scenario))
        assert list(steps["step"]) == [
            "investment",
            "sales",
            "support",
            "leads",
            "engagement",
            "net",
        ]
        assert list(steps["amount"]) == pytest.approx([-1200, 1000, 0, 160, 200, 160])
        assert list(steps["end"]) == pytest.approx([-1200, -200, -200, -40, 160, 160])
        assert steps["start"].iloc[-1] == 0

    def test_financial_objective_keeps_only_sales_and_support(self, scenario: Scenario) -> None:
        steps = return_waterfall(evaluate(scenario), objective="financial")
        assert list(steps["step"]) == ["investment", "sales", "support", "net"]
        assert steps["end"].iloc[-1] == pytest.approx(-200)

    def test_each_bar_starts_where_the_previous_ended(self, scenario: Scenario) -> None:
        steps = return_waterfall(evaluate(scenario)).iloc[:-1]
        assert list(steps["start"].iloc[1:]) == pytest.approx(list(steps["end"].iloc[:-1]))


class TestFunnelTable:
    def test_one_row_per_channel_and_stage_in_order(self, scenario: Scenario) -> None:
        two = replace(scenario, channels=(*scenario.channels, Channel("Other", cpm=5.0)))
        table = funnel_table(evaluate(two))
        assert len(table) == 2 * len(FUNNEL_STAGES)
        ads = table[table["channel"] == "Ads"]
        assert list(ads["stage"]) == list(FUNNEL_STAGES)
        assert list(ads["value"]) == pytest.approx([100_000, 2000, 1000, 100, 20])
        assert list(ads["order"]) == list(range(len(FUNNEL_STAGES)))
