"""What happened: an imported history summed per channel, campaign and month, and valued."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest

from roi_model.files.imports import read_history
from roi_model.model.history import (
    COUNTS,
    FIGURES,
    filtered,
    months,
    summary,
    total,
    with_staff_hours,
)
from roi_model.model.spec import ActionValues, Lenses

ROOT = Path(__file__).resolve().parents[1]
VALUES = ActionValues(
    like=0.1, comment=0.5, share=1.0, lead=20.0, order_value=100.0, gross_margin=0.4
)


def history() -> pd.DataFrame:
    """Two channels over two months; Instagram's March row has no date."""
    return pd.DataFrame(
        {
            "date": pd.to_datetime(["2025-01-05", "2025-01-20", "2025-02-03", None]),
            "channel": ["Facebook", "Facebook", "Facebook", "Instagram"],
            "campaign": ["A", "B", "A", "C"],
            "spend": [100.0, 300.0, 200.0, 50.0],
            "staff_hours": [2.0, 2.0, 4.0, np.nan],
            "impressions": [10_000.0, 30_000.0, 40_000.0, 5_000.0],
            "clicks": [100.0, 200.0, 300.0, 0.0],
            "likes": [50.0, 50.0, 100.0, 10.0],
            "leads": [10.0, 10.0, 20.0, 0.0],
            "sales": [2.0, 3.0, 5.0, 0.0],
            "revenue": [200.0, 300.0, 500.0, 0.0],
        }
    )


class TestSummary:
    def test_by_channel_golden(self) -> None:
        table = summary(history(), VALUES, Lenses(), by=("channel",), hourly_rate=25.0)
        facebook = table.set_index("channel").loc["Facebook"]
        # Sums: spend 600, hours 8, impressions 80,000, clicks 600, likes 200, leads 40,
        # sales 10, revenue 1,000.
        assert facebook["spend"] == 600.0 and facebook["staff_hours"] == 8.0
        # Staff cost 8 * 25 = 200; investment 600 + 200 = 800.
        assert facebook["staff_cost"] == 200.0 and facebook["investment"] == 800.0
        # CPM 1000 * 600 / 80,000 = 7.5; CTR 600 / 80,000 = 0.0075.
        assert facebook["cpm"] == pytest.approx(7.5)
        assert facebook["ctr"] == pytest.approx(0.0075)
        # Cost per lead 800 / 40 = 20; per sale 800 / 10 = 80; ROAS 1,000 / 600.
        assert facebook["cost_per_lead"] == pytest.approx(20.0)
        assert facebook["cost_per_sale"] == pytest.approx(80.0)
        assert facebook["roas"] == pytest.approx(1000 / 600)
        # Financial: 1,000 * 0.4 = 400. Full: + (40 - 10) * 20 = 600 + 200 likes * 0.1 = 20
        # → 1,020. ROI: (400 - 800) / 800 = -0.5; (1,020 - 800) / 800 = 0.275.
        assert facebook["financial_return"] == pytest.approx(400.0)
        assert facebook["full_return"] == pytest.approx(1020.0)
        assert facebook["financial_roi"] == pytest.approx(-0.5)
        assert facebook["full_roi"] == pytest.approx(0.275)

    def test_a_count_the_file_lacks_is_unknown_not_zero(self) -> None:
        table = summary(history(), VALUES, Lenses(), by=("channel",))
        assert table["comments"].isna().all()
        instagram = table.set_index("channel").loc["Instagram"]
        assert math.isnan(instagram["staff_hours"])  # its only row has no hours
        assert math.isnan(instagram["ctr"]) is False and instagram["ctr"] == 0.0
        assert math.isnan(instagram["cost_per_lead"])  # no leads: undefined, not inf

    def test_lenses_switched_off_leave_the_full_return_financial(self) -> None:
        off = Lenses(leads=False, engagement=False, organic_traffic=False)
        table = summary(history(), VALUES, off, by=("channel",))
        assert (table["full_return"] == table["financial_return"]).all()

    def test_by_month_leaves_undated_rows_out(self) -> None:
        table = summary(history(), VALUES, Lenses(), by=("month",))
        assert list(table["month"]) == [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-02-01")]
        assert table["spend"].sum() == 600.0  # Instagram's undated 50 is not in a month

    def test_by_channel_and_campaign(self) -> None:
        table = summary(history(), VALUES, Lenses(), by=("channel", "campaign"))
        assert list(zip(table["channel"], table["campaign"], strict=True)) == [
            ("Facebook", "A"),
            ("Facebook", "B"),
            ("Instagram", "C"),
        ]
        assert table.loc[0, "spend"] == 300.0

    def test_every_column_is_there(self) -> None:
        table = summary(history(), VALUES, Lenses(), by=("channel",))
        assert list(table.columns) == ["channel", *COUNTS, *FIGURES]

    def test_groups_add_up_to_the_total(self) -> None:
        whole = total(history(), VALUES, Lenses(), hourly_rate=25.0)
        table = summary(history(), VALUES, Lenses(), by=("channel",), hourly_rate=25.0)
        for column in ("spend", "investment", "financial_return", "full_return"):
            assert table[column].sum() == pytest.approx(whole[column])

    def test_unknown_grouping_is_refused(self) -> None:
        with pytest.raises(ValueError, match="expected some of"):
            summary(history(), VALUES, Lenses(), by=("country",))

    def test_no_inf_anywhere(self) -> None:
        zeros = history().assign(spend=0.0, impressions=0.0, leads=0.0, sales=0.0)
        table = summary(zeros, VALUES, Lenses(), by=("channel", "month"))
        numbers = table[list(FIGURES)].to_numpy(dtype=float)
        assert not np.isinf(numbers).any()


class TestFiltered:
    def test_channels_campaigns_and_dates(self) -> None:
        rows = filtered(history(), channels=["Facebook"], start=date(2025, 1, 10))
        assert list(rows["spend"]) == [300.0, 200.0]
        assert list(filtered(history(), campaigns=["C"])["channel"]) == ["Instagram"]
        assert len(filtered(history())) == 4  # no choice keeps everything


def test_the_sample_history_reads_and_sums() -> None:
    """The shipped sample, through the importer, into a year of monthly figures."""
    result = read_history((ROOT / "sample_data" / "history" / "shop_history.csv").read_bytes())
    table = summary(result.rows, VALUES, Lenses(), by=("month",))
    assert len(table) == 12
    assert table["spend"].sum() == pytest.approx(result.totals()["spend"])


class TestStaffHoursEnteredPerMonth:
    HOURS: ClassVar = {pd.Timestamp("2025-01-01"): 40.0, pd.Timestamp("2025-02-01"): 10.0}

    def without_hours(self) -> pd.DataFrame:
        return history().drop(columns="staff_hours")

    def test_the_months_of_the_dated_rows(self) -> None:
        assert months(history()) == [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-02-01")]

    def test_spread_by_spend_within_each_month(self) -> None:
        staffed = with_staff_hours(self.without_hours(), self.HOURS)
        # January: spend 100 and 300 share 40 hours; February's one row takes its 10
        assert staffed["staff_hours"].tolist()[:3] == [10.0, 30.0, 10.0]
        assert math.isnan(staffed["staff_hours"].iloc[3])  # no date: no month
        table = summary(staffed, VALUES, Lenses(), by=("month",), hourly_rate=25.0)
        assert table["staff_cost"].tolist() == [1000.0, 250.0]
        assert table["investment"].tolist() == [1400.0, 450.0]

    def test_evenly_where_a_month_has_no_spend(self) -> None:
        rows = self.without_hours().assign(spend=[0.0, np.nan, 200.0, 50.0])
        staffed = with_staff_hours(rows, self.HOURS)
        assert staffed["staff_hours"].tolist()[:3] == [20.0, 20.0, 10.0]

    def test_a_month_not_entered_gets_none(self) -> None:
        staffed = with_staff_hours(self.without_hours(), {pd.Timestamp("2025-02-01"): 8.0})
        assert staffed["staff_hours"].tolist()[:3] == [0.0, 0.0, 8.0]

    def test_the_files_own_hours_win(self) -> None:
        pd.testing.assert_frame_equal(with_staff_hours(history(), self.HOURS), history())

    def test_the_input_is_not_changed(self) -> None:
        rows = self.without_hours()
        with_staff_hours(rows, self.HOURS)
        assert "staff_hours" not in rows.columns
