"""The audience from a history: the follow rate, the churn and the audience to start from, the
audience read as a level (never summed), and what "Use these numbers" does with them."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_model import Channel, Scenario
from roi_model.files.imports.result import ImportResult
from roi_model.files.scenario_file import scenario_from_json, scenario_to_json
from roi_model.files.share import decode_scenario, encode_scenario
from roi_model.model.calibrate import (
    FIELDS,
    NOTES,
    Estimate,
    calibrated_scenario,
    estimate_channels,
    estimates_table,
    monthly,
)
from roi_model.model.curves import audience_growth
from roi_model.model.errors import Rule, ScenarioError
from roi_model.model.history import stock_per_group, summary, total
from roi_model.model.spec import ActionValues, Calibration, InputRange, Lenses

AUDIENCE = ("follow_rate", "follower_churn", "followers")


def history() -> pd.DataFrame:
    """Facebook over four months, two campaigns a date, each row carrying the page's audience
    (one of them blank); Instagram over three months, one row a month."""
    rows = [
        # date, channel, campaign, impressions, new followers, followers (the page's)
        ("2025-01-10", "Facebook", "A", 4_000, 20, 5_000),
        ("2025-01-10", "Facebook", "B", 6_000, 30, 5_000),
        ("2025-01-25", "Facebook", "A", 5_000, 25, 5_040),
        ("2025-01-25", "Facebook", "B", 5_000, 25, 5_040),
        ("2025-02-10", "Facebook", "A", 5_000, 20, 5_060),
        ("2025-02-10", "Facebook", "B", 5_000, 20, 5_060),
        ("2025-02-25", "Facebook", "A", 5_000, 20, 5_100),
        ("2025-02-25", "Facebook", "B", 5_000, 20, np.nan),
        ("2025-03-10", "Facebook", "A", 10_000, 60, 5_150),
        ("2025-03-10", "Facebook", "B", 10_000, 60, 5_150),
        ("2025-03-25", "Facebook", "A", 10_000, 60, 5_200),
        ("2025-03-25", "Facebook", "B", 10_000, 60, 5_200),
        ("2025-04-10", "Facebook", "A", 7_500, 45, 5_220),
        ("2025-04-10", "Facebook", "B", 7_500, 45, 5_220),
        ("2025-04-25", "Facebook", "A", 7_500, 45, 5_250),
        ("2025-04-25", "Facebook", "B", 7_500, 45, 5_250),
        ("2025-01-31", "Instagram", "C", 50_000, 400, 8_000),
        ("2025-02-28", "Instagram", "C", 40_000, 300, 8_100),
        ("2025-03-31", "Instagram", "C", 60_000, 500, 8_400),
    ]
    frame = pd.DataFrame(
        rows,
        columns=["date", "channel", "campaign", "impressions", "new_followers", "followers"],
    )
    return frame.assign(date=pd.to_datetime(frame["date"])).astype(
        {"impressions": float, "new_followers": float, "followers": float}
    )


def by_key(estimates: tuple[Estimate, ...]) -> dict[tuple[str, str], Estimate]:
    return {(e.channel, e.field): e for e in estimates}


# --- The audience is a level ---------------------------------------------------------------


class TestTheAudienceIsNotSummed:
    def test_monthly_takes_each_months_last_date_once(self) -> None:
        months = monthly(history()).set_index(["channel", "month"])
        facebook = months.loc["Facebook"]
        # Impressions and new followers are summed: January 4,000 + 6,000 + 5,000 + 5,000.
        assert facebook["impressions"].tolist() == [20_000, 20_000, 40_000, 30_000]
        assert facebook["new_followers"].tolist() == [100, 80, 240, 180]
        # The audience is the last date's (the 25th), once: not 5,040 + 5,040. February's
        # blank row on the 25th does not pull it down.
        assert facebook["followers"].tolist() == [5_040, 5_100, 5_200, 5_250]
        assert months.loc["Instagram", "followers"].tolist() == [8_000, 8_100, 8_400]

    def test_a_month_without_a_figure_is_unknown_and_one_blank_day_is_skipped(self) -> None:
        data = history()
        data.loc[data["date"] == "2025-04-25", "followers"] = np.nan  # the last day blank
        data.loc[data["date"] == "2025-03-10", "followers"] = np.nan
        data.loc[data["date"] == "2025-03-25", "followers"] = np.nan
        facebook = monthly(data).set_index(["channel", "month"]).loc["Facebook"]
        # April: the 10th is the last date with a figure; March has none.
        assert facebook["followers"].tolist()[2:] == [pytest.approx(np.nan, nan_ok=True), 5_220]
        assert math.isnan(facebook["followers"].iloc[2])

    def test_summary_per_channel_campaign_month_and_total(self) -> None:
        data = history()
        values, lenses = ActionValues(), Lenses()
        by_channel = summary(data, values, lenses, by=("channel",)).set_index("channel")
        # The audience at the end of the history per channel; new followers summed.
        assert by_channel["followers"].tolist() == [5_250, 8_400]
        assert by_channel["new_followers"].tolist() == [600, 1_200]
        by_month = summary(data, values, lenses, by=("month",))
        # January: Facebook 5,040 + Instagram 8,000; April: Facebook alone.
        assert by_month["followers"].tolist() == [13_040, 13_200, 13_600, 5_250]
        by_campaign = summary(data, values, lenses, by=("campaign",)).set_index("campaign")
        # B's last row with a figure is on 25 April (5,250); C is Instagram's 8,400.
        assert by_campaign["followers"].tolist() == [5_250, 5_250, 8_400]
        # Both channels' latest audiences, added: 5,250 + 8,400.
        assert total(data, values, lenses)["followers"] == 13_650

    def test_rows_without_a_date_count_before_any_dated_one(self) -> None:
        keys = pd.DataFrame({"all": [0, 0, 0]})
        dates = pd.Series(pd.to_datetime([None, "2025-01-02", "2025-01-01"]))
        channels = pd.Series(["X", "X", "X"])
        at_end = stock_per_group(pd.Series([900.0, 100.0, 50.0]), dates, channels, keys)
        assert at_end.tolist() == [100.0]
        undated = stock_per_group(
            pd.Series([900.0, 700.0]), pd.Series([pd.NaT] * 2), channels[:2], keys[:2]
        )
        assert undated.tolist() == [900.0]  # no date to tell them apart: the largest

    def test_the_imports_totals_give_the_audience_at_the_end(self) -> None:
        rows = history()
        result = ImportResult(rows, (), {}, (), "utf-8", ",", ".", None, None)
        totals = result.totals()
        assert totals["followers"] == 13_650 and totals["new_followers"] == 1_800
        assert result.to_dict()["totals"]["followers"] == 13_650


# --- The estimates -------------------------------------------------------------------------


class TestGolden:
    @pytest.fixture(scope="class")
    @classmethod
    def estimates(cls) -> dict[tuple[str, str], Estimate]:
        return by_key(estimate_channels(history()))

    def test_follow_rate_is_new_followers_per_impression(
        self, estimates: dict[tuple[str, str], Estimate]
    ) -> None:
        # Facebook: (100 + 80 + 240 + 180) / (20,000 + 20,000 + 40,000 + 30,000) = 600 / 110,000.
        facebook = estimates[("Facebook", "follow_rate")]
        assert facebook.value == pytest.approx(600 / 110_000)
        assert (facebook.periods, facebook.note) == (4, "ratio")
        assert facebook.low is not None and facebook.high is not None
        assert 0 <= facebook.low < facebook.value < facebook.high <= 1
        # Instagram: 1,200 / 150,000 = 0.008.
        assert estimates[("Instagram", "follow_rate")].value == pytest.approx(0.008)

    def test_churn_from_months_in_a_row(self, estimates: dict[tuple[str, str], Estimate]) -> None:
        # lost = F(m-1) + N(m) - F(m): February 5,040 + 80 - 5,100 = 20; March 5,100 + 240 -
        # 5,200 = 140; April 5,200 + 180 - 5,250 = 130. Churn = 290 / (5,040 + 5,100 + 5,200).
        churn = estimates[("Facebook", "follower_churn")]
        assert churn.value == pytest.approx(290 / 15_340)
        assert (churn.periods, churn.note) == (3, "ratio")
        assert churn.low is not None and churn.high is not None
        assert 0 <= churn.low <= churn.value <= churn.high <= 1

    def test_instagrams_two_pairs_are_too_few_unless_asked_for(
        self, estimates: dict[tuple[str, str], Estimate]
    ) -> None:
        churn = estimates[("Instagram", "follower_churn")]
        assert (churn.value, churn.periods, churn.note) == (None, 2, "too_few_periods")
        # With two pairs allowed: (8,000 + 300 - 8,100) + (8,100 + 500 - 8,400) = 400, over
        # 8,000 + 8,100.
        allowed = by_key(estimate_channels(history(), min_periods=2))
        assert allowed[("Instagram", "follower_churn")].value == pytest.approx(400 / 16_100)

    def test_the_audience_to_start_from_is_the_latest(
        self, estimates: dict[tuple[str, str], Estimate]
    ) -> None:
        for channel, audience in (("Facebook", 5_250), ("Instagram", 8_400)):
            estimate = estimates[(channel, "followers")]
            assert (estimate.value, estimate.periods, estimate.note) == (audience, 1, "latest")
            assert estimate.low is None and estimate.high is None

    def test_every_channel_has_every_field_in_order(
        self, estimates: dict[tuple[str, str], Estimate]
    ) -> None:
        fields = [f for (channel, f) in estimates if channel == "Facebook"]
        assert fields == list(FIELDS[:-1])
        assert fields[-3:] == list(AUDIENCE)
        assert {e.note for e in estimates.values()} <= set(NOTES)


class TestWhatTheHistoryCannotTell:
    def test_without_new_followers_the_churn_is_not_told_from_growth(self) -> None:
        estimates = by_key(estimate_channels(history().drop(columns="new_followers")))
        assert estimates[("Facebook", "follower_churn")].note == "no_column"
        assert estimates[("Facebook", "follow_rate")].note == "no_column"
        assert estimates[("Facebook", "followers")].value == 5_250

    def test_without_the_audience_only_the_follow_rate(self) -> None:
        estimates = by_key(estimate_channels(history().drop(columns="followers")))
        assert estimates[("Facebook", "follow_rate")].value == pytest.approx(600 / 110_000)
        for field in ("follower_churn", "followers"):
            assert estimates[("Facebook", field)].note == "no_column"

    def test_months_apart_make_no_pair(self) -> None:
        data = history()
        data = data[data["date"].dt.month.isin([1, 3])]  # January and March: not in a row
        churn = by_key(estimate_channels(data, min_periods=1))[("Facebook", "follower_churn")]
        assert (churn.value, churn.periods, churn.note) == (None, 0, "no_pairs")

    def test_more_growth_than_the_new_followers_explain_is_no_churn(self) -> None:
        data = history()
        data.loc[data["channel"] == "Facebook", "new_followers"] /= 10  # paid ones left out
        churn = by_key(estimate_channels(data))[("Facebook", "follower_churn")]
        assert (churn.value, churn.note) == (0.0, "clipped_at_zero")


# --- A history made by the model's own equation --------------------------------------------


@st.composite
def audiences(draw: st.DrawFn) -> tuple[float, float, float, list[float]]:
    start = draw(st.floats(100, 1e6))
    churn = draw(st.floats(0.0, 0.5))
    rate = draw(st.floats(1e-5, 0.05))
    impressions = draw(st.lists(st.floats(1e3, 1e7), min_size=4, max_size=12))
    return start, churn, rate, impressions


def model_history(
    start: float, churn: float, rate: float, impressions: list[float]
) -> pd.DataFrame:
    """Month by month, the model's audience (no ceiling, fit 1, no carryover), two campaigns a
    month-end each carrying the page's audience and half the impressions and new followers."""
    rows, audience = [], start
    for month, shown in enumerate(impressions):
        new, after = audience_growth(shown * rate, audience, churn, np.nan)
        audience = float(after)
        day = pd.Timestamp(2024, 1, 1) + pd.DateOffset(months=month) + pd.offsets.MonthEnd(0)
        for campaign in ("A", "B"):
            rows.append((day, "Facebook", campaign, shown / 2, float(new) / 2, audience))
    columns = ["date", "channel", "campaign", "impressions", "new_followers", "followers"]
    return pd.DataFrame(rows, columns=columns)


@settings(max_examples=60, deadline=None)
@given(audiences())
def test_a_history_made_by_the_model_gives_back_its_rate_and_churn(
    drawn: tuple[float, float, float, list[float]],
) -> None:
    start, churn, rate, impressions = drawn
    estimates = by_key(estimate_channels(model_history(start, churn, rate, impressions)))
    assert estimates[("Facebook", "follow_rate")].value == pytest.approx(rate, rel=1e-9)
    found = estimates[("Facebook", "follower_churn")]
    assert found.value == pytest.approx(churn, rel=1e-9, abs=1e-12)
    assert found.periods == len(impressions) - 1
    # Fed back with a fit, the scenario's rate times the fit gives the history's rate again.
    scenario = Scenario(channels=(Channel("Facebook", budget_share=1.0, fit=0.5),))
    chosen = [("Facebook", field) for field in AUDIENCE]
    channel = calibrated_scenario(scenario, estimates.values(), chosen).channels[0]
    assert channel.follow_rate * channel.fit == pytest.approx(rate, rel=1e-9)
    assert channel.follower_churn == pytest.approx(churn, rel=1e-9, abs=1e-12)
    assert channel.followers == pytest.approx(
        model_history(start, churn, rate, impressions)["followers"].iloc[-1]
    )


# --- "Use these numbers" -------------------------------------------------------------------


def scenario() -> Scenario:
    return Scenario(
        channels=(
            Channel("Facebook", budget_share=1.0, fit=0.5, followers=100.0),
            Channel("Instagram", budget_share=1.0, followers=10.0, audience_ceiling=8_000.0),
        )
    )


class TestUseTheseNumbers:
    @pytest.fixture(scope="class")
    @classmethod
    def calibrated(cls) -> Scenario:
        estimates = estimate_channels(history())
        chosen = [(c, f) for c in ("Facebook", "Instagram") for f in AUDIENCE]
        return calibrated_scenario(scenario(), estimates, chosen, source="page.csv")

    def test_the_rate_is_divided_by_the_fit_and_the_rest_taken_as_is(
        self, calibrated: Scenario
    ) -> None:
        facebook = calibrated.channels[0]
        assert facebook.follow_rate == pytest.approx(600 / 110_000 / 0.5)
        assert facebook.follower_churn == pytest.approx(290 / 15_340)
        assert facebook.followers == 5_250

    def test_each_figure_records_where_it_came_from(self, calibrated: Scenario) -> None:
        records = {(c.channel, c.field): c for c in calibrated.calibration}
        assert records[("Facebook", "follow_rate")].value == pytest.approx(600 / 110_000 / 0.5)
        assert records[("Facebook", "follower_churn")].periods == 3
        assert records[("Facebook", "followers")] == Calibration(
            "Facebook", "followers", 5_250.0, 1, "page.csv"
        )

    def test_the_likely_ranges_go_on_the_rates_on_the_scenarios_scale(
        self, calibrated: Scenario
    ) -> None:
        estimates = by_key(estimate_channels(history()))
        ranges = {r.input: r for r in calibrated.uncertainty}
        rate = estimates[("Facebook", "follow_rate")]
        assert rate.low is not None and rate.high is not None
        assert ranges["channels[0].follow_rate"] == InputRange(
            "channels[0].follow_rate", rate.low / 0.5, rate.high / 0.5
        )
        churn = ranges["channels[0].follower_churn"]
        assert 0 <= churn.low <= calibrated.channels[0].follower_churn <= churn.high <= 1
        assert "channels[0].followers" not in ranges  # a figure read: no range

    def test_an_audience_above_the_ceiling_is_not_taken_and_said(
        self, calibrated: Scenario
    ) -> None:
        instagram = calibrated.channels[1]
        assert (instagram.followers, instagram.audience_ceiling) == (10.0, 8_000.0)
        assert ("instagram", "followers") not in {c.key for c in calibrated.calibration}
        assert instagram.follow_rate == pytest.approx(0.008)  # the rest is taken
        table = estimates_table(estimate_channels(history()), scenario()).set_index(
            ["channel", "field"]
        )
        refused = table.loc[("Instagram", "followers")]
        assert (refused["note"], bool(refused["fallback"])) == ("above_ceiling", True)
        assert refused["current"] == 10.0
        taken = table.loc[("Facebook", "followers")]
        assert (taken["estimate"], bool(taken["fallback"])) == (5_250.0, False)

    def test_an_audience_up_to_the_ceiling_is_taken(self) -> None:
        roomy = Scenario(
            channels=(Channel("Instagram", budget_share=1.0, audience_ceiling=8_400.0),)
        )
        calibrated = calibrated_scenario(
            roomy, estimate_channels(history()), [("Instagram", "followers")]
        )
        assert calibrated.channels[0].followers == 8_400

    def test_the_records_survive_a_file_and_a_link(self, calibrated: Scenario) -> None:
        assert scenario_from_json(scenario_to_json(calibrated)) == calibrated
        assert decode_scenario(encode_scenario(calibrated)) == calibrated
        fields = {c.field for c in calibrated.calibration}
        assert set(AUDIENCE) <= fields


class TestRangesAlreadyThere:
    """Use these numbers keeps the consultant's ranges, and the scenario valid."""

    def test_a_range_that_no_longer_holds_the_audience_is_widened_to_it(self) -> None:
        scenario = Scenario(
            channels=(Channel("Facebook", followers=1000.0),),
            uncertainty=(InputRange("channels[0].followers", 500.0, 1500.0),),
        )
        latest = Estimate("Facebook", "followers", 5000.0, 1, "latest")
        taken = calibrated_scenario(scenario, [latest], [("Facebook", "followers")])
        assert taken.channels[0].followers == 5000.0
        assert taken.uncertainty == (InputRange("channels[0].followers", 500.0, 5000.0),)

    def test_a_range_on_every_channel_stands_for_one_channels_estimate(self) -> None:
        """One range per figure: the history's range on Facebook alone would overlap the
        range on every channel's; that one stays, widened where the estimate lies outside."""
        channels = (Channel("Facebook", follow_rate=0.001), Channel("Instagram", follow_rate=0.001))
        every = InputRange("channels[*].follow_rate", 0.0005, 0.002)
        scenario = Scenario(channels=channels, uncertainty=(every,))
        inside = Estimate("Facebook", "follow_rate", 0.0008, 4, "ratio", 0.0006, 0.001)
        taken = calibrated_scenario(scenario, [inside], [("Facebook", "follow_rate")])
        assert (taken.channels[0].follow_rate, taken.uncertainty) == (0.0008, (every,))
        outside = Estimate("Facebook", "follow_rate", 0.004, 4, "ratio", 0.003, 0.005)
        taken = calibrated_scenario(scenario, [outside], [("Facebook", "follow_rate")])
        assert taken.uncertainty == (InputRange("channels[*].follow_rate", 0.0005, 0.004),)


@pytest.mark.parametrize("field", ["follow_rate", "follower_churn", "ctr"])
def test_a_record_of_a_rate_is_a_fraction(field: str) -> None:
    """A saved file whose record says a rate of 150 % is refused, naming the value."""
    assert Calibration("Facebook", field, 1.0, 3).value == 1.0
    with pytest.raises(ScenarioError) as error:
        Calibration("Facebook", field, 1.5, 3)
    assert (error.value.field, error.value.rule) == ("value", Rule.FRACTION)
