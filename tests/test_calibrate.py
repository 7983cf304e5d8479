"""Calibration: the model's own output, fed back as a history, gives back the model's parameters."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from roi_model import ActionValues, Channel, Investment, Scenario
from roi_model.files.scenario_file import scenario_from_json, scenario_to_json
from roi_model.model.calibrate import (
    ALL_CHANNELS,
    FIELDS,
    NOTES,
    RATIOS,
    Estimate,
    calibrated_scenario,
    estimate_channels,
    estimates_table,
    monthly,
)
from roi_model.model.evaluate import channel_table
from roi_model.model.spec import Calibration

ORDER_VALUE = 80.0
#: The channels of the synthetic histories: two that saturate, one that does not.
TRUE_CHANNELS = (
    Channel(
        "Facebook",
        cpm=8.8,
        saturation_spend=6000.0,
        like_rate=0.0127,
        comment_rate=0.0013,
        share_rate=0.0006,
        video_view_rate=0.05,
        ctr=0.009,
        lead_rate=0.09,
        close_rate=0.3,
    ),
    Channel(
        "Instagram",
        cpm=6.35,
        saturation_spend=4000.0,
        like_rate=0.003,
        comment_rate=0.0003,
        share_rate=0.00015,
        video_view_rate=0.08,
        ctr=0.006,
        lead_rate=0.03,
        close_rate=0.25,
    ),
    Channel(
        "TikTok",
        cpm=6.84,
        saturation_spend=None,
        like_rate=0.012,
        comment_rate=0.0012,
        share_rate=0.0006,
        video_view_rate=0.25,
        ctr=0.0073,
        lead_rate=0.03,
        close_rate=0.2,
    ),
)
#: History column for each column of the model's channel table.
HISTORY_COLUMNS = {
    "spend": "spend",
    "impressions": "impressions",
    "visits": "clicks",
    "likes": "likes",
    "comments": "comments",
    "shares": "shares",
    "video_views": "video_views",
    "leads": "leads",
    "sales": "sales",
    "revenue": "revenue",
}


def month_table(channels: tuple[Channel, ...], spends: np.ndarray) -> pd.DataFrame:
    """The model's channel table for one month's spend per channel (no staff hours)."""
    shared = tuple(replace(c, budget_share=float(s)) for c, s in zip(channels, spends, strict=True))
    scenario = Scenario(
        investment=Investment(ad_budget=float(spends.sum())),
        values=ActionValues(order_value=ORDER_VALUE),
        channels=shared,
    )
    return channel_table(scenario)


def synthetic_history(
    months: int = 18,
    channels: tuple[Channel, ...] = TRUE_CHANNELS,
    noise: float = 0.0,
    seed: int = 7,
) -> pd.DataFrame:
    """Monthly figures computed by the model, each month split over two campaigns.

    ``noise`` is the standard deviation of a multiplicative log-normal factor on every count.
    """
    rng = np.random.default_rng(seed)
    spends = rng.uniform(300.0, 9000.0, size=(months, len(channels)))
    rows = []
    for m in range(months):
        table = month_table(channels, spends[m])
        for channel in channels:
            figures = table.loc[channel.name]
            for campaign, part in (("A", 0.6), ("B", 0.4)):
                row = {"date": pd.Timestamp(2024, 1, 1) + pd.DateOffset(months=m, days=3)}
                row |= {"channel": channel.name, "campaign": campaign}
                for model_column, column in HISTORY_COLUMNS.items():
                    factor = 1.0 if column == "spend" else math.exp(rng.normal(0.0, noise))
                    row[column] = float(figures[model_column]) * part * factor
                rows.append(row)
    history = pd.DataFrame(rows)
    history["date"] = pd.to_datetime(history["date"])
    return history


def by_key(estimates: tuple[Estimate, ...]) -> dict[tuple[str, str], Estimate]:
    return {(e.channel, e.field): e for e in estimates}


class TestMonthly:
    def test_sums_campaigns_per_channel_and_month(self) -> None:
        history = synthetic_history(months=3)
        months = monthly(history)
        assert len(months) == 3 * len(TRUE_CHANNELS)
        assert months["month"].dt.day.eq(1).all()
        assert months["spend"].sum() == pytest.approx(history["spend"].sum())

    def test_rows_without_a_date_are_left_out(self) -> None:
        history = synthetic_history(months=3)
        undated = history.iloc[[0]].assign(date=pd.NaT, spend=1e9)
        months = monthly(pd.concat([history, undated], ignore_index=True))
        assert months["spend"].sum() == pytest.approx(history["spend"].sum())

    def test_a_month_with_an_unknown_row_is_unknown(self) -> None:
        history = synthetic_history(months=3)
        history.loc[0, "clicks"] = np.nan
        history.loc[1, "likes"] = np.inf
        months = monthly(history)
        assert months["clicks"].isna().sum() == 1
        assert months["likes"].isna().sum() == 1
        assert months["spend"].notna().all()

    def test_only_the_columns_the_history_has(self) -> None:
        history = synthetic_history(months=2).drop(columns=["likes", "revenue"])
        assert "likes" not in monthly(history).columns


class TestRecoveryWithoutNoise:
    @pytest.fixture(scope="class")
    @classmethod
    def estimates(cls) -> dict[tuple[str, str], Estimate]:
        return by_key(estimate_channels(synthetic_history()))

    @pytest.mark.parametrize("channel", TRUE_CHANNELS, ids=lambda c: c.name)
    def test_every_rate_is_recovered_exactly(
        self, estimates: dict[tuple[str, str], Estimate], channel: Channel
    ) -> None:
        for field in ("cpm", *RATIOS):
            estimate = estimates[(channel.name, field)]
            assert estimate.value == pytest.approx(getattr(channel, field), rel=1e-9), field
            assert estimate.periods == 18

    def test_saturation_is_recovered_where_there_is_one(
        self, estimates: dict[tuple[str, str], Estimate]
    ) -> None:
        for channel in TRUE_CHANNELS[:2]:
            estimate = estimates[(channel.name, "saturation_spend")]
            assert estimate.note == "fit"
            assert estimate.value == pytest.approx(channel.saturation_spend, rel=1e-6)

    def test_no_saturation_where_there_is_none(
        self, estimates: dict[tuple[str, str], Estimate]
    ) -> None:
        saturation = estimates[("TikTok", "saturation_spend")]
        assert saturation.value is None
        assert saturation.note == "slope_not_positive"
        assert saturation.applicable
        assert estimates[("TikTok", "cpm")].note == "ratio"

    def test_order_value_is_one_figure_for_all_channels(
        self, estimates: dict[tuple[str, str], Estimate]
    ) -> None:
        order_value = estimates[(ALL_CHANNELS, "order_value")]
        assert order_value.value == pytest.approx(ORDER_VALUE)
        assert order_value.periods == 18 * len(TRUE_CHANNELS)

    def test_one_estimate_per_channel_and_field(
        self, estimates: dict[tuple[str, str], Estimate]
    ) -> None:
        assert len(estimates) == len(TRUE_CHANNELS) * (len(FIELDS) - 1) + 1
        assert {e.note for e in estimates.values()} <= set(NOTES)


class TestRecoveryWithNoise:
    @pytest.fixture(scope="class")
    @classmethod
    def estimates(cls) -> dict[tuple[str, str], Estimate]:
        return by_key(estimate_channels(synthetic_history(months=24, noise=0.03, seed=11)))

    @pytest.mark.parametrize("channel", TRUE_CHANNELS, ids=lambda c: c.name)
    def test_cpm_and_rates_within_tolerance(
        self, estimates: dict[tuple[str, str], Estimate], channel: Channel
    ) -> None:
        assert estimates[(channel.name, "cpm")].value == pytest.approx(channel.cpm, rel=0.05)
        for field in RATIOS:
            value = estimates[(channel.name, field)].value
            assert value == pytest.approx(getattr(channel, field), rel=0.08), field

    def test_saturation_within_tolerance(self, estimates: dict[tuple[str, str], Estimate]) -> None:
        for channel in TRUE_CHANNELS[:2]:
            estimate = estimates[(channel.name, "saturation_spend")]
            assert estimate.value == pytest.approx(channel.saturation_spend, rel=0.3)

    def test_ranges_hold_the_estimate(self, estimates: dict[tuple[str, str], Estimate]) -> None:
        for estimate in estimates.values():
            if estimate.value is not None and estimate.low is not None:
                assert estimate.high is not None
                assert estimate.low <= estimate.value <= estimate.high

    def test_ranges_hold_the_truth_for_cpm_and_saturation(
        self, estimates: dict[tuple[str, str], Estimate]
    ) -> None:
        for channel in TRUE_CHANNELS:
            estimate = estimates[(channel.name, "cpm")]
            assert estimate.low is not None and estimate.high is not None
            assert estimate.low <= channel.cpm <= estimate.high
        for channel in TRUE_CHANNELS[:2]:
            estimate = estimates[(channel.name, "saturation_spend")]
            assert estimate.low is not None and estimate.high is not None
            assert estimate.low <= channel.saturation_spend <= estimate.high  # type: ignore[operator]

    def test_noise_without_saturation_finds_none(
        self, estimates: dict[tuple[str, str], Estimate]
    ) -> None:
        assert estimates[("TikTok", "saturation_spend")].value is None


class TestTooLittleHistory:
    def test_too_few_months(self) -> None:
        estimates = by_key(estimate_channels(synthetic_history(months=2)))
        cpm = estimates[("Facebook", "cpm")]
        assert cpm.note == "too_few_periods" and cpm.periods == 2
        assert cpm.value is not None  # the mean CPM of the months there are
        saturation = estimates[("Facebook", "saturation_spend")]
        assert saturation.value is None and saturation.note == "too_few_periods"
        assert not saturation.applicable
        ctr = estimates[("Facebook", "ctr")]
        assert ctr.value is None and ctr.note == "too_few_periods" and ctr.periods == 2

    def test_min_periods_is_the_caller_s(self) -> None:
        estimates = by_key(estimate_channels(synthetic_history(months=2), min_periods=1))
        assert estimates[("Facebook", "ctr")].value == pytest.approx(0.009)

    def test_missing_columns(self) -> None:
        history = synthetic_history(months=4).drop(columns=["likes", "impressions"])
        estimates = by_key(estimate_channels(history))
        for field in ("like_rate", "cpm", "saturation_spend", "ctr"):
            assert estimates[("Facebook", field)].note == "no_column", field
            assert estimates[("Facebook", field)].value is None
        assert estimates[("Facebook", "lead_rate")].value == pytest.approx(0.09)

    def test_no_spend(self) -> None:
        history = synthetic_history(months=4).assign(spend=0.0)
        estimates = by_key(estimate_channels(history))
        assert estimates[("Facebook", "cpm")].note == "no_spend"
        assert estimates[("Facebook", "cpm")].value is None

    def test_constant_spend_gives_the_mean_cpm(self) -> None:
        months = 5
        spends = np.full(len(TRUE_CHANNELS), 2000.0)
        table = month_table(TRUE_CHANNELS, spends)
        history = pd.DataFrame(
            {
                "date": pd.date_range("2024-01-01", periods=months, freq="MS"),
                "channel": "Facebook",
                "campaign": "A",
                "spend": 2000.0,
                "impressions": float(table.loc["Facebook", "impressions"]),
            }
        )
        estimates = by_key(estimate_channels(history))
        assert estimates[("Facebook", "saturation_spend")].note == "spend_constant"
        # At 2000 a month the effective CPM is 8.8 * (1 + 2000 / 6000).
        assert estimates[("Facebook", "cpm")].value == pytest.approx(8.8 * 4 / 3)

    def test_unknown_clicks_leave_the_month_out_of_the_ctr(self) -> None:
        history = synthetic_history(months=4)
        history.loc[history["channel"].eq("Facebook").idxmax(), "clicks"] = np.nan
        estimates = by_key(estimate_channels(history))
        assert estimates[("Facebook", "ctr")].periods == 3
        assert estimates[("Facebook", "ctr")].value == pytest.approx(0.009)
        assert estimates[("Facebook", "lead_rate")].periods == 3

    def test_rates_above_one_are_clipped(self) -> None:
        history = synthetic_history(months=4)
        history["leads"] = history["clicks"] * 3
        estimate = by_key(estimate_channels(history))[("Facebook", "lead_rate")]
        assert estimate.value == 1.0 and estimate.note == "clipped"


@pytest.fixture(scope="module")
def preset() -> Scenario:
    """A shop scenario that lacks TikTok, has a poor fit on Instagram and its own guesses."""
    channels = (
        Channel("facebook ", budget_share=0.5, cpm=12.0, ctr=0.02, fit=1.0),
        Channel("Instagram", budget_share=0.3, cpm=5.0, saturation_spend=900.0, fit=0.5),
        Channel("Pinterest", budget_share=0.2, cpm=4.6, fit=0.0),
    )
    return Scenario(
        investment=Investment(ad_budget=5000.0),
        values=ActionValues(order_value=120.0),
        channels=channels,
    )


class TestCalibratedScenario:
    @pytest.fixture(scope="class")
    @classmethod
    def estimates(cls) -> tuple[Estimate, ...]:
        return estimate_channels(synthetic_history())

    def every_field(self, scenario: Scenario) -> list[tuple[str, str]]:
        names = [*scenario.channel_names, "TikTok"]
        return [(n, f) for n in names for f in FIELDS if f != "order_value"] + [
            (ALL_CHANNELS, "order_value")
        ]

    def test_reproduces_a_month_of_history(
        self, preset: Scenario, estimates: tuple[Estimate, ...]
    ) -> None:
        calibrated = calibrated_scenario(preset, estimates, self.every_field(preset))
        history = synthetic_history()
        first = history[history["date"] == history["date"].min()]
        truth = first.groupby("channel")[list(HISTORY_COLUMNS.values())].sum()
        spends = {"facebook ": truth.loc["Facebook", "spend"], "Instagram": 0.0}
        spends["Instagram"] = truth.loc["Instagram", "spend"]
        month = replace(
            calibrated,
            investment=Investment(ad_budget=float(sum(spends.values()))),
            channels=tuple(
                replace(c, budget_share=float(spends.get(c.name, 0.0))) for c in calibrated.channels
            ),
        )
        table = channel_table(month)
        for name, history_name in (("facebook ", "Facebook"), ("Instagram", "Instagram")):
            for model_column, column in HISTORY_COLUMNS.items():
                assert table.loc[name, model_column] == pytest.approx(
                    truth.loc[history_name, column], rel=1e-6
                ), (name, column)

    def test_rates_are_divided_by_the_fit(
        self, preset: Scenario, estimates: tuple[Estimate, ...]
    ) -> None:
        calibrated = calibrated_scenario(preset, estimates, [("Instagram", "ctr")])
        assert calibrated.channels[1].ctr == pytest.approx(0.006 / 0.5)
        assert calibrated.channels[1].fit == 0.5
        assert calibrated.channels[1].lead_rate == preset.channels[1].lead_rate

    def test_lead_and_close_rates_are_not_divided(
        self, preset: Scenario, estimates: tuple[Estimate, ...]
    ) -> None:
        calibrated = calibrated_scenario(preset, estimates, [("Instagram", "lead_rate")])
        assert calibrated.channels[1].lead_rate == pytest.approx(0.03)

    def test_only_the_chosen_fields_change(
        self, preset: Scenario, estimates: tuple[Estimate, ...]
    ) -> None:
        calibrated = calibrated_scenario(preset, estimates, [("Facebook", "cpm")])
        assert calibrated.channels[0].cpm == pytest.approx(8.8)
        assert replace(calibrated.channels[0], cpm=12.0) == preset.channels[0]
        assert calibrated.channels[1:] == preset.channels[1:]
        assert calibrated.values == preset.values

    def test_channels_not_in_the_scenario_are_not_added(
        self, preset: Scenario, estimates: tuple[Estimate, ...]
    ) -> None:
        calibrated = calibrated_scenario(preset, estimates, self.every_field(preset))
        assert calibrated.channel_names == preset.channel_names

    def test_order_value_goes_to_the_values(
        self, preset: Scenario, estimates: tuple[Estimate, ...]
    ) -> None:
        calibrated = calibrated_scenario(preset, estimates, [(ALL_CHANNELS, "order_value")])
        assert calibrated.values.order_value == pytest.approx(ORDER_VALUE)

    def test_no_saturation_found_removes_the_saturation(self, preset: Scenario) -> None:
        found = Estimate("Instagram", "saturation_spend", None, 12, "slope_not_positive")
        calibrated = calibrated_scenario(preset, [found], [("Instagram", "saturation_spend")])
        assert calibrated.channels[1].saturation_spend is None

    def test_estimates_without_a_value_change_nothing(self, preset: Scenario) -> None:
        gaps = [
            Estimate("Instagram", "saturation_spend", None, 1, "too_few_periods"),
            Estimate("Instagram", "ctr", None, 0, "no_column"),
        ]
        chosen = [("Instagram", "saturation_spend"), ("Instagram", "ctr"), ("Instagram", "cpm")]
        assert calibrated_scenario(preset, gaps, chosen) == preset

    def test_a_zero_fit_keeps_the_rate_undivided(self, preset: Scenario) -> None:
        estimate = Estimate("Pinterest", "like_rate", 0.004, 12, "ratio")
        calibrated = calibrated_scenario(preset, [estimate], [("Pinterest", "like_rate")])
        assert calibrated.channels[2].like_rate == 0.004

    def test_a_rate_beyond_the_fit_is_capped_at_one(self, preset: Scenario) -> None:
        estimate = Estimate("Instagram", "close_rate", 0.8, 12, "ratio")
        like = Estimate("Instagram", "like_rate", 0.8, 12, "ratio")
        chosen = [("Instagram", "close_rate"), ("Instagram", "like_rate")]
        calibrated = calibrated_scenario(preset, [estimate, like], chosen)
        assert calibrated.channels[1].like_rate == 1.0
        assert calibrated.channels[1].close_rate == 0.8

    def test_unknown_field(self, preset: Scenario) -> None:
        with pytest.raises(ValueError, match="budget_share"):
            calibrated_scenario(preset, [], [("Facebook", "budget_share")])

    def test_records_each_figure_written_with_its_months_and_source(
        self, preset: Scenario, estimates: tuple[Estimate, ...]
    ) -> None:
        chosen = [("INSTAGRAM", "ctr"), (ALL_CHANNELS, "order_value"), ("TikTok", "cpm")]
        calibrated = calibrated_scenario(preset, estimates, chosen, source="ventas.csv")
        ctr = calibrated.channels[1].ctr
        assert calibrated.calibration == (
            Calibration("Instagram", "ctr", ctr, 18, "ventas.csv"),  # as written: divided by fit
            # across channels: its periods are channel-months (18 months × 3 channels)
            Calibration("", "order_value", calibrated.values.order_value, 54, "ventas.csv"),
        )
        assert scenario_from_json(scenario_to_json(calibrated)) == calibrated

    def test_a_newer_calibration_of_a_figure_replaces_the_older(self, preset: Scenario) -> None:
        older = Estimate("Facebook", "cpm", 9.0, 6, "ratio")
        newer = Estimate("Facebook", "cpm", 8.0, 12, "fit")
        ctr = Estimate("Facebook", "ctr", 0.01, 6, "ratio")
        chosen = [("Facebook", "cpm"), ("Facebook", "ctr")]
        first = calibrated_scenario(preset, [older, ctr], chosen, source="2024.csv")
        second = calibrated_scenario(first, [newer], [("Facebook", "cpm")], source="2025.csv")
        records = {(c.field, c.periods, c.source) for c in second.calibration}
        assert records == {("cpm", 12, "2025.csv"), ("ctr", 6, "2024.csv")}

    def test_nothing_applied_records_nothing(self, preset: Scenario) -> None:
        gap = Estimate("Instagram", "ctr", None, 0, "no_column")
        assert calibrated_scenario(preset, [gap], [("Instagram", "ctr")]).calibration == ()


class TestEstimatesTable:
    def test_rows_and_columns(self, preset: Scenario) -> None:
        estimates = estimate_channels(synthetic_history(months=2))
        table = estimates_table(estimates, preset)
        assert len(table) == len(estimates)
        assert list(table.columns) == [
            "channel",
            "field",
            "estimate",
            "low",
            "high",
            "periods",
            "note",
            "current",
            "in_scenario",
            "fallback",
        ]
        rows = table.set_index(["channel", "field"])
        assert rows.loc[("Facebook", "cpm"), "current"] == 12.0  # matched despite case, blank
        assert math.isnan(rows.loc[("TikTok", "cpm"), "current"])
        assert not rows.loc[("TikTok", "cpm"), "in_scenario"]
        assert math.isnan(rows.loc[("Facebook", "saturation_spend"), "current"])
        assert rows.loc[("Instagram", "saturation_spend"), "current"] == 900.0
        assert rows.loc[(ALL_CHANNELS, "order_value"), "current"] == 120.0
        assert rows.loc[("Facebook", "ctr"), "fallback"]  # too few periods: keep 0.02
        assert not rows.loc[("Facebook", "cpm"), "fallback"]
        assert math.isnan(rows.loc[("Facebook", "ctr"), "estimate"])


# --- properties ------------------------------------------------------------------------------

CELLS = st.none() | st.floats(-10.0, 1e12, allow_nan=False, allow_infinity=False) | st.just(0.0)


@st.composite
def histories(draw: st.DrawFn) -> pd.DataFrame:
    """Small histories of arbitrary numbers: unknowns, zeros, a few negatives, huge values."""
    n = draw(st.integers(1, 24))
    columns = draw(st.sets(st.sampled_from(list(HISTORY_COLUMNS.values())), min_size=1))
    data: dict[str, object] = {
        "date": pd.to_datetime(
            [
                None if day is None else pd.Timestamp(2024, 1, 1) + pd.Timedelta(days=day)
                for day in draw(st.lists(st.none() | st.integers(0, 200), min_size=n, max_size=n))
            ]
        ),
        "channel": draw(st.lists(st.sampled_from(["A", "B"]), min_size=n, max_size=n)),
        "campaign": "c",
    }
    for column in sorted(columns):
        cells = draw(st.lists(CELLS, min_size=n, max_size=n))
        data[column] = np.array([np.nan if c is None else c for c in cells], float)
    return pd.DataFrame(data)


@given(histories(), st.integers(1, 4))
def test_estimates_are_finite_non_negative_and_rates_are_fractions(
    history: pd.DataFrame, min_periods: int
) -> None:
    for estimate in estimate_channels(history, min_periods=min_periods):
        assert estimate.note in NOTES
        for number in (estimate.value, estimate.low, estimate.high):
            assert number is None or (math.isfinite(number) and number >= 0), estimate
        if estimate.value is not None and estimate.field in RATIOS:
            assert 0.0 <= estimate.value <= 1.0
        if estimate.low is not None and estimate.high is not None:
            assert estimate.low <= estimate.high
        if estimate.field in ("cpm", "saturation_spend") and estimate.value is not None:
            assert estimate.value > 0


@given(histories())
def test_a_calibrated_scenario_is_always_valid(history: pd.DataFrame) -> None:
    scenario = Scenario(
        investment=Investment(ad_budget=1000.0),
        channels=(Channel("A", budget_share=1.0, fit=0.3), Channel("B", fit=0.0)),
    )
    estimates = estimate_channels(history, min_periods=1)
    chosen = [(e.channel, e.field) for e in estimates]
    calibrated = calibrated_scenario(scenario, estimates, chosen)  # validation raises if not
    assert calibrated.channel_names == ("A", "B")
    assert len(estimates_table(estimates, calibrated)) == len(estimates)


# --- the sample history ----------------------------------------------------------------------

HISTORY_FOLDER = Path(__file__).parent.parent / "sample_data" / "history"
#: The generator's true parameters (see sample_data/history/make_history.py and the README).
SAMPLE_TRUTH = {
    "Facebook": {"cpm": 8.8, "saturation_spend": 6000.0, "ctr": 0.009, "like_rate": 0.01268},
    "Instagram": {"cpm": 6.35, "saturation_spend": 6000.0, "ctr": 0.006, "like_rate": 0.0029},
    "TikTok": {"cpm": 6.84, "saturation_spend": None, "ctr": 0.0073, "like_rate": 0.01215},
    "Pinterest": {"cpm": 4.6, "saturation_spend": 3000.0, "ctr": 0.004, "like_rate": 0.005},
}


def read_english() -> pd.DataFrame:
    return pd.read_csv(HISTORY_FOLDER / "shop_history.csv", parse_dates=["date"])


def read_spanish() -> pd.DataFrame:
    """The Spanish export read by hand (the importer's own tests cover the importer)."""
    spanish = pd.read_csv(
        HISTORY_FOLDER / "shop_history_es.csv", sep=";", decimal=",", encoding="utf-8-sig"
    )
    english = dict(zip(spanish.columns, read_english().columns, strict=True))
    history = spanish.rename(columns=english)
    history["date"] = pd.to_datetime(history["date"], format="%d/%m/%Y")
    return history


class TestSampleHistory:
    def test_both_files_hold_the_same_rows(self) -> None:
        pd.testing.assert_frame_equal(read_spanish(), read_english(), check_dtype=False)

    def test_files_are_small(self) -> None:
        for name in ("shop_history.csv", "shop_history_es.csv"):
            assert (HISTORY_FOLDER / name).stat().st_size < 1_000_000

    def test_spanish_headers(self) -> None:
        first = (HISTORY_FOLDER / "shop_history_es.csv").read_bytes().splitlines()[0]
        assert first.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark
        assert first.decode("utf-8-sig").split(";")[:3] == ["fecha", "canal", "campaña"]

    @pytest.mark.parametrize("channel", SAMPLE_TRUTH)
    def test_calibration_gives_back_the_generator_s_parameters(self, channel: str) -> None:
        estimates = by_key(estimate_channels(read_english()))
        for field, truth in SAMPLE_TRUTH[channel].items():
            estimate = estimates[(channel, field)]
            if truth is None:
                assert estimate.value is None and estimate.note == "slope_not_positive"
            else:
                assert estimate.value == pytest.approx(truth, rel=0.06), field
        assert estimates[(ALL_CHANNELS, "order_value")].value == pytest.approx(120.0, rel=0.03)


def test_rows_without_a_channel_are_left_out() -> None:
    history = pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-01-03", "2024-01-04", "2024-01-05"]),
            "channel": [" A ", None, "  "],
            "campaign": "c",
            "spend": [1.0, 2.0, 3.0],
        }
    )
    months = monthly(history)
    assert months["channel"].tolist() == ["A"]
    assert months["spend"].tolist() == [1.0]


class TestCalibratedRanges:
    """ "Use these numbers" sets the history's likely range on each figure it takes."""

    @pytest.fixture(scope="class")
    @classmethod
    def noisy(cls) -> tuple[Estimate, ...]:
        return estimate_channels(synthetic_history(months=24, noise=0.05, seed=3))

    def test_each_taken_figure_gets_its_likely_range_around_the_value(
        self, preset: Scenario, noisy: tuple[Estimate, ...]
    ) -> None:
        chosen = [("facebook ", "ctr"), ("Instagram", "ctr"), (ALL_CHANNELS, "order_value")]
        calibrated = calibrated_scenario(preset, noisy, chosen)
        ranges = {item.input: item for item in calibrated.uncertainty}
        assert set(ranges) == {"channels[0].ctr", "channels[1].ctr", "values.order_value"}
        facebook = by_key(noisy)[("Facebook", "ctr")]
        assert facebook.low is not None and facebook.high is not None
        assert (ranges["channels[0].ctr"].low, ranges["channels[0].ctr"].high) == pytest.approx(
            (min(facebook.low, facebook.value or 0), max(facebook.high, facebook.value or 0))
        )
        # Instagram's fit is 0.5: its rate, and so its range, is the history's divided by it.
        instagram = by_key(noisy)[("Instagram", "ctr")]
        assert instagram.low is not None and instagram.high is not None
        assert (ranges["channels[1].ctr"].low, ranges["channels[1].ctr"].high) == pytest.approx(
            (instagram.low / 0.5, min(instagram.high / 0.5, 1.0))
        )
        assert calibrated.channels[1].ctr == pytest.approx((instagram.value or 0) / 0.5)
        for item in ranges.values():
            assert item.low <= item.high

    def test_a_range_already_there_is_replaced_and_others_kept(
        self, preset: Scenario, noisy: tuple[Estimate, ...]
    ) -> None:
        from roi_model.model.spec import InputRange

        before = replace(
            preset,
            uncertainty=(
                InputRange("values.order_value", 100.0, 130.0),
                InputRange("investment.ad_budget", 4000.0, 6000.0),
            ),
        )
        calibrated = calibrated_scenario(before, noisy, [(ALL_CHANNELS, "order_value")])
        ranges = {item.input: item for item in calibrated.uncertainty}
        assert ranges["investment.ad_budget"] == InputRange("investment.ad_budget", 4000, 6000)
        assert ranges["values.order_value"] != InputRange("values.order_value", 100.0, 130.0)
        assert ranges["values.order_value"].low <= calibrated.values.order_value
