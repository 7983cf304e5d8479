"""Where each assumption comes from: benchmark, default, preset or user."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from roi_model import Channel, Scenario
from roi_model.files.assumptions import (
    assumption_sources,
    default_channel,
    load_benchmarks,
    load_channel_defaults,
    load_presets,
    source_rows,
)
from roi_model.model.calibrate import Estimate, calibrated_scenario

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
NETWORKS = ("Facebook", "Instagram", "LinkedIn", "X", "TikTok", "YouTube", "Pinterest")


@pytest.fixture(scope="module")
def defaults() -> pd.DataFrame:
    return load_channel_defaults(SAMPLE / "channel_defaults.csv")


@pytest.fixture(scope="module")
def benchmarks() -> pd.DataFrame:
    return load_benchmarks(SAMPLE / "channel_benchmarks.csv")


class TestSampleData:
    def test_every_network_has_defaults_that_make_a_valid_channel(
        self, defaults: pd.DataFrame
    ) -> None:
        assert set(NETWORKS) <= set(defaults.index)
        for name in NETWORKS:
            assert default_channel(name, defaults).name == name

    def test_every_published_figure_has_a_source_and_a_year(self, benchmarks: pd.DataFrame) -> None:
        published = benchmarks.dropna(subset=["value"])
        assert len(published) >= 14
        assert published["source"].notna().all()
        undated = published[published["year"].isna()]
        assert undated["note"].str.contains("year not stated").all()

    def test_every_blank_figure_says_why(self, benchmarks: pd.DataFrame) -> None:
        blank = benchmarks[benchmarks["value"].isna()]
        assert blank["note"].str.contains("no published", case=False).all()

    def test_every_network_has_the_core_metrics(self, benchmarks: pd.DataFrame) -> None:
        for metric in ("cpm", "ctr", "engagement_rate", "lead_rate"):
            assert set(NETWORKS) <= set(benchmarks.loc[benchmarks["metric"] == metric, "channel"])

    def test_presets_load_and_include_the_three_businesses(self) -> None:
        presets = load_presets(SAMPLE / "presets")
        assert {"online_shop", "construction_firm", "dental_clinic"} <= set(presets)
        construction = presets["construction_firm"]
        x = next(c for c in construction.channels if c.name == "X")
        assert x.fit < 0.5  # X does little for a construction firm
        clinic = presets["dental_clinic"]
        assert any(c.support_queries_per_hour > 0 for c in clinic.channels)


class TestAssumptionSources:
    def test_the_rows_are_the_frame_s_rows(
        self, defaults: pd.DataFrame, benchmarks: pd.DataFrame
    ) -> None:
        scenario = Scenario(channels=(default_channel("Facebook", defaults),))
        frame = assumption_sources(scenario, None, defaults, benchmarks)
        rows = source_rows(scenario, None, defaults, benchmarks)
        assert frame.equals(pd.DataFrame(rows, columns=frame.columns))
        assert list(frame["path"]) == [row.path for row in rows]
        no_channels = source_rows(scenario, None, defaults, benchmarks, channels=False)
        assert not any(row.path.startswith("channels[") for row in no_channels)
        assert {row.path for row in no_channels} < {row.path for row in rows}

    def test_default_channel_figures_are_benchmarks_with_source(
        self, defaults: pd.DataFrame, benchmarks: pd.DataFrame
    ) -> None:
        scenario = Scenario(channels=(default_channel("Facebook", defaults),))
        sources = assumption_sources(scenario, None, defaults, benchmarks).set_index("path")
        cpm = sources.loc["channels[0].cpm"]
        assert cpm["origin"] == "benchmark"
        assert "20" in cpm["detail"]  # "source, year"

    def test_a_figure_without_published_source_is_a_default(
        self, defaults: pd.DataFrame, benchmarks: pd.DataFrame
    ) -> None:
        scenario = Scenario(channels=(default_channel("Facebook", defaults),))
        sources = assumption_sources(scenario, None, defaults, benchmarks).set_index("path")
        assert sources.loc["channels[0].saturation_spend", "origin"] == "default"

    def test_preset_values_and_user_changes(
        self, defaults: pd.DataFrame, benchmarks: pd.DataFrame
    ) -> None:
        preset = Scenario(name="Tienda", channels=(Channel("Mine", budget_share=1.0, cpm=7.0),))
        edited = replace(preset, channels=(replace(preset.channels[0], cpm=9.0),))
        sources = assumption_sources(edited, preset, defaults, benchmarks).set_index("path")
        assert sources.loc["channels[0].budget_share", "origin"] == "preset"
        assert sources.loc["channels[0].budget_share", "detail"] == "Tienda"
        assert sources.loc["channels[0].cpm", "origin"] == "user"

    def test_figures_from_a_history_say_so_until_edited(
        self, defaults: pd.DataFrame, benchmarks: pd.DataFrame
    ) -> None:
        preset = Scenario(name="Tienda", channels=(Channel("Mine", budget_share=1.0, cpm=7.0),))
        estimates = (
            Estimate("mine", "cpm", 7.5, 12, "ratio"),
            Estimate("mine", "saturation_spend", None, 12, "slope_not_positive"),
            Estimate("", "order_value", 80.0, 9, "ratio"),
        )
        chosen = [("mine", "cpm"), ("mine", "saturation_spend"), ("", "order_value")]
        calibrated = calibrated_scenario(preset, estimates, chosen, source="ventas.csv")
        sources = assumption_sources(calibrated, preset, defaults, benchmarks).set_index("path")
        for path, periods in (
            ("channels[0].cpm", 12),
            ("channels[0].saturation_spend", 12),
            ("values.order_value", 9),
        ):
            assert tuple(sources.loc[path, ["origin", "detail", "periods"]]) == (
                "history",
                "ventas.csv",
                periods,
            )
        assert sources.loc["channels[0].budget_share", ["origin", "periods"]].tolist() == [
            "preset",
            0,
        ]
        # edited after the calibration: the user's figure, though the record is kept
        edited = replace(calibrated, channels=(replace(calibrated.channels[0], cpm=9.0),))
        again = assumption_sources(edited, preset, defaults, benchmarks).set_index("path")
        assert again.loc["channels[0].cpm", "origin"] == "user"
        assert again.loc["values.order_value", "origin"] == "history"
        assert edited.calibration == calibrated.calibration
