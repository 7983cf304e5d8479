"""Channels on one footing: comparison, extremes, spend vs return, hours, fit, response curves."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from roi_model import (
    ActionValues,
    Channel,
    Evaluation,
    Investment,
    Lens,
    Lenses,
    Scenario,
    evaluate,
)
from roi_model.model.channels import (
    BEST,
    CHANNEL_COLUMNS,
    CHANNEL_KEYS,
    CURVE_COLUMNS,
    CURVE_FLOOR,
    HOURS_COLUMNS,
    MARKER_COLUMNS,
    POOR_FIT,
    POOR_FIT_COLUMNS,
    WORST,
    channel_comparison,
    counted_lenses,
    curve_ends,
    curve_markers,
    extremes,
    hours_view,
    poor_fit,
    response_curves,
    spend_vs_return,
)
from roi_model.model.compare import SAME_TOLERANCE, Direction
from roi_model.model.evaluate import channel_table
from roi_model.model.vocabulary import Kind
from tests.strategies import scenarios

GOLDEN = {"rel": 1e-12}

# --------------------------------------------------------------------------------------------
# A construction firm: LinkedIn fits, Facebook so-so, X (fit 0.15) hardly at all.
#   budget 3000, shares 0.5/0.25/0.25: spend 1500, 750, 750
#   hours 60, shares 0.5/0.25/0.25: hours 30, 15, 15; hourly rate 20: staff 600, 300, 300
#   values: like 0.1, comment 0.5, share 1, organic visit 0.5 (lens off), lead 30,
#           order 5000 at margin 0.2 (1000 a sale), support query 5; lenses leads, engagement
#   LinkedIn (CPM 20, saturation 1000, 200 organic/h, fit 1):
#     paid = 1000*1500/(20*(1+1500/1000)) = 1.5e6/50 = 30000;  organic = 30*200 = 6000
#     impressions 36000;  likes *0.01 = 360, comments *0.002 = 72, shares *0.001 = 36: 468
#     visits *0.01 = 360;  leads *0.05 = 18;  sales *0.1 = 1.8;  revenue 9000
#     return sales 9000*0.2 = 1800;  support 0;  leads (18-1.8)*30 = 486
#            engagement 36 + 36 + 36 = 108;  organic traffic 6000*0.01*0.5 = 30 (not counted)
#     financial 1800;  full 1800 + 486 + 108 = 2394;  investment 1500 + 600 = 2100
#     full ROI 294/2100 = 0.14;  ROAS 9000/1500 = 6;  cost per lead 2100/18 = 116.67
#     per paid impression: sales 0.01*0.05*0.1*1000 = 0.05, leads 0.01*0.05*0.9*30 = 0.0135,
#       engagement 0.01*0.1 + 0.002*0.5 + 0.001*1 = 0.003: 0.0665 full, 0.05 financial
#     slope at 1500: 1000/(20*2.5^2) = 8;  marginal ROI 0.0665*8 - 1 = -0.468
#   Facebook (CPM 10, no saturation, 400 organic/h, fit 0.8, 1 support query an hour):
#     paid = 75000;  organic = 6000;  impressions 81000;  reach *0.8 = 64800
#     likes 1296, comments 64.8, shares 64.8: 1425.6;  visits 324;  leads 6.48;  sales 0.648
#     return sales 648;  support 15*5 = 75;  leads 5.832*30 = 174.96
#            engagement 129.6 + 32.4 + 64.8 = 226.8;  financial 723;  full 1124.76
#     investment 1050;  per paid impression 0.8*(0.005*0.02*(0.1*1000 + 0.9*30) + 0.0035)
#       = 0.01296, slope 100:  marginal ROI 0.296
#   X (CPM 5, no saturation, 1000 organic/h, fit 0.15):
#     paid = 150000;  organic = 15000;  impressions 165000;  reach *0.15 = 24750
#     likes 247.5, comments 24.75, shares 12.375: 284.625;  visits 99;  leads 0.99
#     sales 0.0495;  return sales 49.5;  leads 0.9405*30 = 28.215;  engagement 49.5
#     financial 49.5;  full 127.215;  investment 1050;  net -922.785
#     at fit 1 (support 0, everything else scales with fit): 127.215/0.15 = 848.1
#     cost of fit 848.1 - 127.215 = 720.885
#   full return in all: 2394 + 1124.76 + 127.215 = 3645.975
# --------------------------------------------------------------------------------------------
BUILDER = Scenario(
    name="Construcciones",
    investment=Investment(ad_budget=3000.0, staff_hours=60.0, hourly_rate=20.0, fixed_costs=400.0),
    values=ActionValues(
        like=0.1,
        comment=0.5,
        share=1.0,
        organic_visit=0.5,
        lead=30.0,
        order_value=5000.0,
        gross_margin=0.2,
        support_query=5.0,
    ),
    lenses=Lenses(leads=True, engagement=True, organic_traffic=False),
    channels=(
        Channel(
            "LinkedIn",
            budget_share=0.5,
            hours_share=0.5,
            cpm=20.0,
            saturation_spend=1000.0,
            organic_impressions_per_hour=200.0,
            like_rate=0.01,
            comment_rate=0.002,
            share_rate=0.001,
            ctr=0.01,
            lead_rate=0.05,
            close_rate=0.1,
        ),
        Channel(
            "Facebook",
            budget_share=0.25,
            hours_share=0.25,
            cpm=10.0,
            organic_impressions_per_hour=400.0,
            like_rate=0.02,
            comment_rate=0.001,
            share_rate=0.001,
            ctr=0.005,
            lead_rate=0.02,
            close_rate=0.1,
            fit=0.8,
            support_queries_per_hour=1.0,
        ),
        Channel(
            "X",
            budget_share=0.25,
            hours_share=0.25,
            cpm=5.0,
            organic_impressions_per_hour=1000.0,
            like_rate=0.01,
            comment_rate=0.001,
            share_rate=0.0005,
            ctr=0.004,
            lead_rate=0.01,
            close_rate=0.05,
            fit=0.15,
        ),
    ),
)
NAMES = ["LinkedIn", "Facebook", "X"]
TOTAL_FULL = 3645.975

COMPARISON_GOLDEN: dict[str, dict[str, float]] = {
    "LinkedIn": {
        "spend": 1500.0,
        "hours": 30.0,
        "investment": 2100.0,
        "impressions": 36_000.0,
        "engagements": 468.0,
        "visits": 360.0,
        "leads": 18.0,
        "sales": 1.8,
        "return_sales": 1800.0,
        "return_support": 0.0,
        "return_leads": 486.0,
        "return_engagement": 108.0,
        "return_organic_traffic": 30.0,
        "financial_return": 1800.0,
        "full_return": 2394.0,
        "financial_roi": -1 / 7,
        "full_roi": 0.14,
        "roas": 6.0,
        "cost_per_lead": 2100 / 18,
        "cost_per_sale": 2100 / 1.8,
        "marginal_roi": -0.468,
        "spend_share": 0.5,
        "return_share": 2394.0 / TOTAL_FULL,
    },
    "Facebook": {
        "impressions": 81_000.0,
        "engagements": 1425.6,
        "return_support": 75.0,
        "return_leads": 174.96,
        "return_engagement": 226.8,
        "full_return": 1124.76,
        "marginal_roi": 0.296,
        "return_share": 1124.76 / TOTAL_FULL,
    },
    "X": {
        "impressions": 165_000.0,
        "engagements": 284.625,
        "leads": 0.99,
        "full_return": 127.215,
        "full_roi": (127.215 - 1050) / 1050,
        "cost_per_lead": 1050 / 0.99,
        "marginal_roi": 0.000771 * 200 - 1,
    },
}


@pytest.fixture(scope="module")
def builder_eval() -> Evaluation:
    return evaluate(BUILDER)


def _with_channel(scenario: Scenario, index: int, **changes: object) -> Scenario:
    channels = list(scenario.channels)
    channels[index] = replace(channels[index], **changes)  # type: ignore[arg-type]
    return replace(scenario, channels=tuple(channels))


def _only_spend_on(scenario: Scenario, index: int, spend: float) -> Scenario:
    """The scenario with ``spend`` on one channel and none on the others, hours unchanged."""
    channels = tuple(
        replace(channel, budget_share=1.0 if i == index else 0.0)
        for i, channel in enumerate(scenario.channels)
    )
    investment = replace(scenario.investment, ad_budget=spend)
    return replace(scenario, investment=investment, channels=channels)


def _table(**columns: list[float]) -> pd.DataFrame:
    """A comparison-shaped table: every column 0 except those given."""
    rows = len(next(iter(columns.values())))
    data = {key: columns.get(key, [0.0] * rows) for key in CHANNEL_KEYS}
    return pd.DataFrame(data, index=pd.Index([f"c{i}" for i in range(rows)], name="channel"))


def _no_inf(frame: pd.DataFrame) -> bool:
    numbers = frame.select_dtypes("number").to_numpy(float)
    return not np.isinf(numbers).any()


class TestChannelColumns:
    def test_keys_in_display_order(self) -> None:
        assert list(CHANNEL_KEYS) == [
            "spend",
            "hours",
            "investment",
            "impressions",
            "engagements",
            "visits",
            "leads",
            "sales",
            "return_sales",
            "return_support",
            "return_leads",
            "return_engagement",
            "return_organic_traffic",
            "financial_return",
            "full_return",
            "financial_roi",
            "full_roi",
            "roas",
            "cost_per_lead",
            "cost_per_sale",
            "marginal_roi",
            "spend_share",
            "return_share",
        ]

    def test_directions(self) -> None:
        better = {column.key: column.better for column in CHANNEL_COLUMNS}
        lower = {key for key, d in better.items() if d is Direction.LOWER_BETTER}
        neutral = {key for key, d in better.items() if d is Direction.NEUTRAL}
        assert lower == {"cost_per_lead", "cost_per_sale"}
        assert neutral == {"spend", "hours", "investment", "spend_share"}

    def test_kinds(self) -> None:
        kind = {column.key: column.kind for column in CHANNEL_COLUMNS}
        assert kind["hours"] is Kind.HOURS
        assert kind["leads"] is Kind.COUNT
        assert kind["roas"] is Kind.RATIO
        assert kind["full_roi"] == kind["return_share"] == Kind.PERCENT == "percent"
        assert kind["cost_per_sale"] is Kind.MONEY


class TestChannelComparison:
    @pytest.mark.parametrize(
        ("channel", "column", "expected"),
        [(n, c, v) for n, figures in COMPARISON_GOLDEN.items() for c, v in figures.items()],
        ids=[f"{n}-{c}" for n, figures in COMPARISON_GOLDEN.items() for c in figures],
    )
    def test_golden(
        self, builder_eval: Evaluation, channel: str, column: str, expected: float
    ) -> None:
        table = channel_comparison(builder_eval)
        assert table.loc[channel, column] == pytest.approx(expected, **GOLDEN)

    def test_shape_and_fit_flags(self, builder_eval: Evaluation) -> None:
        table = channel_comparison(builder_eval)
        assert list(table.columns) == [*CHANNEL_KEYS, "fit", "poor_fit"]
        assert table.index.name == "channel"
        assert list(table.index) == NAMES
        assert table["fit"].tolist() == [1.0, 0.8, 0.15]
        assert table["poor_fit"].tolist() == [False, False, True]

    def test_uncounted_lens_shown_but_not_in_full_return(self, builder_eval: Evaluation) -> None:
        # LinkedIn's organic traffic is worth 30 but the lens is off: full stays 2394.
        assert counted_lenses(builder_eval) == (
            Lens.SALES,
            Lens.SUPPORT,
            Lens.LEADS,
            Lens.ENGAGEMENT,
        )
        row = channel_comparison(builder_eval).loc["LinkedIn"]
        assert row["return_organic_traffic"] == pytest.approx(30.0, **GOLDEN)
        counted = sum(row[f"return_{lens}"] for lens in counted_lenses(builder_eval))
        assert row["full_return"] == pytest.approx(counted, **GOLDEN)


class TestExtremes:
    def test_builder_marks(self, builder_eval: Evaluation) -> None:
        marks = extremes(channel_comparison(builder_eval))
        assert list(marks.columns) == list(CHANNEL_KEYS)
        assert list(marks.index) == NAMES
        assert marks["full_return"].tolist() == [BEST, "", WORST]
        # cost per lead 116.67 / 162.04 / 1060.61: lower is better
        assert marks["cost_per_lead"].tolist() == [BEST, "", WORST]
        # marginal ROI -0.468 / 0.296 / -0.8458
        assert marks["marginal_roi"].tolist() == ["", BEST, WORST]
        # support 0 / 75 / 0: the tie at 0 is marked twice
        assert marks["return_support"].tolist() == [WORST, BEST, WORST]
        # neutral: spend 1500 / 750 / 750 is neither good nor bad
        for key in ("spend", "hours", "investment", "spend_share"):
            assert marks[key].tolist() == ["", "", ""]

    def test_ties_are_all_marked(self) -> None:
        marks = extremes(_table(full_return=[5.0, 5.0, 1.0, 1.0], cost_per_lead=[2.0, 2.0, 3, 9]))
        assert marks["full_return"].tolist() == [BEST, BEST, WORST, WORST]
        assert marks["cost_per_lead"].tolist() == [BEST, BEST, "", WORST]

    def test_ties_within_rounding(self) -> None:
        # 0.1 + 0.2 and 0.3 differ in the last bit: the same figure for a reader
        marks = extremes(_table(full_return=[0.1 + 0.2, 0.3, 0.1]))
        assert marks["full_return"].tolist() == [BEST, BEST, WORST]

    def test_nan_is_never_best_or_worst(self) -> None:
        marks = extremes(_table(roas=[np.nan, 2.0, 1.0], cost_per_sale=[np.nan, 1.0, 4.0]))
        assert marks["roas"].tolist() == ["", BEST, WORST]
        assert marks["cost_per_sale"].tolist() == ["", BEST, WORST]

    def test_single_known_value_or_all_nan_marks_nothing(self) -> None:
        marks = extremes(_table(roas=[np.nan, 2.0, np.nan], full_roi=[np.nan] * 3))
        assert marks["roas"].tolist() == ["", "", ""]
        assert marks["full_roi"].tolist() == ["", "", ""]

    def test_all_equal_marks_nothing(self) -> None:
        marks = extremes(_table(full_return=[3.0, 3.0, 3.0]))
        assert (marks == "").all().all()

    def test_one_channel_marks_nothing(self, example_scenario: Scenario) -> None:
        marks = extremes(channel_comparison(evaluate(example_scenario)))
        assert marks.shape == (1, len(CHANNEL_KEYS))
        assert (marks == "").all().all()


class TestSpendVsReturn:
    def test_golden_full(self, builder_eval: Evaluation) -> None:
        table = spend_vs_return(builder_eval)
        assert list(table.columns) == [
            "channel",
            "measure",
            "share",
            "amount",
            "return_per_spend_share",
        ]
        assert table["channel"].tolist() == NAMES * 2
        assert table["measure"].tolist() == ["spend"] * 3 + ["return"] * 3
        returns = [2394.0 / TOTAL_FULL, 1124.76 / TOTAL_FULL, 127.215 / TOTAL_FULL]
        assert table["share"].tolist() == pytest.approx([0.5, 0.25, 0.25, *returns], **GOLDEN)
        assert table["amount"].tolist() == pytest.approx(
            [1500, 750, 750, 2394, 1124.76, 127.215], **GOLDEN
        )
        # LinkedIn: 57.7 % of the return for 50 % of the spend
        ratio = [returns[0] / 0.5, returns[1] / 0.25, returns[2] / 0.25]
        assert table["return_per_spend_share"].tolist() == pytest.approx(ratio * 2, **GOLDEN)

    def test_financial(self, builder_eval: Evaluation) -> None:
        # financial 1800 / 723 / 49.5, in all 2572.5
        table = spend_vs_return(builder_eval, objective="financial")
        share = table.loc[table["measure"] == "return", "share"].tolist()
        assert share == pytest.approx([1800 / 2572.5, 723 / 2572.5, 49.5 / 2572.5], **GOLDEN)

    def test_no_spend_share_gives_nan_ratio(self, clinic_scenario: Scenario) -> None:
        table = spend_vs_return(evaluate(clinic_scenario))
        twitter = table[table["channel"] == "Twitter"]
        assert twitter["return_per_spend_share"].isna().all()
        assert twitter["share"].tolist()[1] > 0

    def test_nothing_spent_or_returned_is_all_zero(self) -> None:
        table = spend_vs_return(evaluate(Scenario(channels=(Channel("A"), Channel("B")))))
        assert table["share"].tolist() == [0.0] * 4
        assert table["return_per_spend_share"].isna().all()

    def test_unknown_objective_raises(self, builder_eval: Evaluation) -> None:
        with pytest.raises(ValueError, match="objective"):
            spend_vs_return(builder_eval, objective="gross")  # type: ignore[arg-type]


class TestHoursView:
    def test_golden_facebook(self, builder_eval: Evaluation) -> None:
        # Facebook's 15 h: staff 15*20 = 300; 6000 organic impressions, reach *0.8 = 4800
        #   visits 24, leads 0.48, sales 0.048: sales return 48;  support 15*1*5 = 75
        #   financial 48 + 75 = 123;  leads (0.48-0.048)*30 = 12.96
        #   engagement 4800*(0.02*0.1 + 0.001*0.5 + 0.001*1) = 16.8;  full 152.76
        #   ROI (123-300)/300 = -0.59;  (152.76-300)/300 = -0.4908
        row = hours_view(builder_eval).loc["Facebook"]
        expected = [15.0, 300.0, 6000.0, 123.0, 152.76, -0.59, -0.4908]
        assert row[list(HOURS_COLUMNS)].tolist() == pytest.approx(expected, **GOLDEN)

    def test_golden_linkedin(self, builder_eval: Evaluation) -> None:
        # 6000 of 36000 impressions are organic: a sixth of 2394 = 399, no support
        row = hours_view(builder_eval).loc["LinkedIn"]
        assert (row["hours_financial_return"], row["hours_full_return"]) == pytest.approx(
            (300.0, 399.0), **GOLDEN
        )

    def test_organic_share_of_the_linear_lenses_plus_support(
        self, builder_eval: Evaluation
    ) -> None:
        # With the organic-traffic lens off, the hours' part is the organic share of every
        # return but support, plus support: (full - support) * organic / impressions + support
        ch = builder_eval.channels
        share = ch["organic_impressions"] / ch["impressions"]
        expected = (ch["full_return"] - ch["return_support"]) * share + ch["return_support"]
        got = hours_view(builder_eval)["hours_full_return"]
        assert got.tolist() == pytest.approx(expected.tolist(), rel=1e-12)

    def test_organic_traffic_lens_comes_from_the_hours_alone(self) -> None:
        # Organic visits need no paid impression: with the lens on, LinkedIn's hours bring
        # 399 + the whole 30 of organic traffic, not 30 * 6000/36000 = 5.
        scenario = replace(BUILDER, lenses=Lenses())
        row = hours_view(evaluate(scenario)).loc["LinkedIn"]
        assert row["hours_full_return"] == pytest.approx(429.0, **GOLDEN)
        assert row["hours_financial_return"] == pytest.approx(300.0, **GOLDEN)

    def test_unpaid_hours_have_undefined_roi(self) -> None:
        scenario = replace(BUILDER, investment=replace(BUILDER.investment, hourly_rate=0.0))
        view = hours_view(evaluate(scenario))
        assert view["staff_cost"].tolist() == [0.0, 0.0, 0.0]
        assert view["hours_full_roi"].isna().all()
        assert view["hours_financial_roi"].isna().all()

    def test_no_hours_no_return_from_hours(self) -> None:
        scenario = replace(BUILDER, investment=replace(BUILDER.investment, staff_hours=0.0))
        view = hours_view(evaluate(scenario))
        assert view[["hours_financial_return", "hours_full_return"]].to_numpy().sum() == 0.0

    def test_equals_the_curve_at_no_spend(self, builder_eval: Evaluation) -> None:
        # With no ad spend, all a channel returns is what its hours bring.
        curves = response_curves(BUILDER)
        at_zero = curves[curves["spend"] == 0.0].set_index("channel")["full_return"]
        view = hours_view(builder_eval)["hours_full_return"]
        assert at_zero.tolist() == pytest.approx(view.tolist(), rel=1e-12)


class TestPoorFit:
    def test_construction_firm_x(self, builder_eval: Evaluation) -> None:
        table = poor_fit(builder_eval)
        assert list(table.columns) == list(POOR_FIT_COLUMNS)
        assert list(table.index) == ["X"]
        expected = [0.15, 1050.0, 127.215, -922.785, 848.1, 720.885]
        assert table.loc["X"].tolist() == pytest.approx(expected, **GOLDEN)

    def test_support_does_not_scale_with_fit(self, builder_eval: Evaluation) -> None:
        # Facebook at fit 0.4 (poor): support 75 stays; the rest 1124.76 - 75 = 1049.76 was
        # earned at fit 0.8, so at fit 1 it is 1049.76 / 0.8 = 1312.2; with support 1387.2
        scenario = _with_channel(BUILDER, 1, fit=0.4)
        row = poor_fit(evaluate(scenario)).loc["Facebook"]
        assert row["return_at_full_fit"] == pytest.approx(1387.2, **GOLDEN)

    def test_equals_evaluating_with_fit_one(self, builder_eval: Evaluation) -> None:
        table = poor_fit(builder_eval)
        fitted = evaluate(_with_channel(BUILDER, 2, fit=1.0)).channels.loc["X", "full_return"]
        assert table.loc["X", "return_at_full_fit"] == pytest.approx(fitted, rel=1e-12)

    def test_fit_at_the_threshold_is_not_poor(self) -> None:
        scenario = _with_channel(BUILDER, 2, fit=POOR_FIT)
        assert poor_fit(evaluate(scenario)).empty

    def test_none_gives_empty_frame_with_the_columns(self, example_scenario: Scenario) -> None:
        table = poor_fit(evaluate(example_scenario))
        assert table.empty
        assert list(table.columns) == list(POOR_FIT_COLUMNS)
        assert table.index.name == "channel"


class TestResponseCurves:
    def test_shape_and_ends(self) -> None:
        # ends = 3 * max(spend, saturation, 3000/3 = 1000):
        #   LinkedIn max(1500, 1000, 1000) = 1500 -> 4500;  Facebook, X max(750, -, 1000) -> 3000
        curves = response_curves(BUILDER)
        assert list(curves.columns) == list(CURVE_COLUMNS)
        assert curves["channel"].tolist() == [name for name in NAMES for _ in range(61)]
        assert curve_ends(BUILDER).tolist() == [4500.0, 3000.0, 3000.0]
        ends = curves.groupby("channel", sort=False)["spend"].agg(["min", "max"])
        assert ends["min"].tolist() == [0.0, 0.0, 0.0]
        assert ends["max"].tolist() == pytest.approx([4500.0, 3000.0, 3000.0], **GOLDEN)

    def test_zero_spend_buys_no_paid_impression(self) -> None:
        curves = response_curves(BUILDER)
        first = curves[curves["spend"] == 0.0]
        assert len(first) == 3
        assert first["paid_impressions"].tolist() == [0.0, 0.0, 0.0]
        # organic impressions stay: 6000, 6000, 15000
        assert first["impressions"].tolist() == [6000.0, 6000.0, 15000.0]

    def test_golden_points(self) -> None:
        # LinkedIn at 75 * 20 = 1500, today's spend: 36000 impressions, full return 2394;
        # effective CPM 20 * (1 + 1500/1000) = 50.  Facebook at 50 * 40 = 2000:
        # paid 200000, impressions 206000; full 0.01296*200000 + hours' 152.76 = 2744.76
        curves = response_curves(BUILDER)
        linkedin = curves.iloc[20]
        assert linkedin["spend"] == pytest.approx(1500.0, **GOLDEN)
        assert linkedin["impressions"] == pytest.approx(36_000.0, **GOLDEN)
        assert linkedin["effective_cpm"] == pytest.approx(50.0, **GOLDEN)
        assert linkedin["full_return"] == pytest.approx(2394.0, **GOLDEN)
        facebook = curves.iloc[61 + 40]
        assert facebook["spend"] == pytest.approx(2000.0, **GOLDEN)
        assert facebook["full_return"] == pytest.approx(2744.76, **GOLDEN)

    def test_monotone_concave_when_saturating_straight_otherwise(self) -> None:
        curves = response_curves(BUILDER)
        for name, saturating in zip(NAMES, [True, False, False], strict=True):
            steps = np.diff(curves.loc[curves["channel"] == name, "full_return"].to_numpy())
            assert (steps > 0).all()
            bends = np.diff(steps)
            if saturating:
                assert (bends < 0).all()
            else:
                np.testing.assert_allclose(bends, 0.0, atol=1e-9 * steps.max())

    @pytest.mark.parametrize(
        ("index", "point"),
        [(0, 0), (0, 7), (0, 60), (1, 33), (2, 59)],
        ids=["linkedin-0", "linkedin-7", "linkedin-end", "facebook-33", "x-59"],
    )
    def test_agrees_with_evaluate(self, index: int, point: int) -> None:
        row = response_curves(BUILDER).iloc[index * 61 + point]
        ev = evaluate(_only_spend_on(BUILDER, index, float(row["spend"])))
        got = ev.channels.loc[NAMES[index]]
        for column in ("paid_impressions", "impressions", "financial_return", "full_return"):
            assert row[column] == got[column], column

    def test_channel_without_cpm_has_no_curve(self, clinic_scenario: Scenario) -> None:
        curves = response_curves(clinic_scenario, points=5)
        assert curves["channel"].unique().tolist() == ["Instagram", "LinkedIn"]
        assert not curves.drop(columns="channel").isna().any().any()

    def test_floor_when_nothing_gives_a_scale(self) -> None:
        curves = response_curves(Scenario(channels=(Channel("A"),)), points=3, reach=2.0)
        assert curves["spend"].tolist() == [0.0, CURVE_FLOOR, 2 * CURVE_FLOOR]
        # CPM 10: 1000 * 200 / 10 = 20000 impressions at the end
        assert curves["paid_impressions"].tolist()[-1] == pytest.approx(20_000.0, **GOLDEN)

    @pytest.mark.parametrize(
        ("points", "reach"),
        [(1, 3.0), (0, 3.0), (61, 0.0), (61, -1.0), (61, math.inf), (61, math.nan)],
    )
    def test_bad_arguments_raise(self, points: int, reach: float) -> None:
        with pytest.raises(ValueError, match=r"points|reach"):
            response_curves(BUILDER, points=points, reach=reach)


class TestCurveMarkers:
    def test_golden(self) -> None:
        # LinkedIn doubles its CPM at 1000 (saturation): paid 1000*1000/(20*2) = 25000,
        # impressions 31000; return 0.0665 a paid or organic impression (fit 1, no support):
        # full 0.0665*31000 = 2061.5, financial 0.05*31000 = 1550
        markers = curve_markers(BUILDER)
        assert list(markers.columns) == list(MARKER_COLUMNS)
        assert list(markers.index) == NAMES
        linkedin = markers.loc["LinkedIn"]
        assert linkedin["has_curve"]
        got = linkedin[list(MARKER_COLUMNS[1:])].tolist()
        expected = [1500.0, 36_000.0, 1800.0, 2394.0, 1000.0, 31_000.0, 1550.0, 2061.5, -0.468]
        assert got == pytest.approx(expected, **GOLDEN)
        assert markers.loc[["Facebook", "X"], "doubling_spend"].isna().all()
        doubling = [name for name in MARKER_COLUMNS if name.startswith("doubling_")]
        assert markers.loc[["Facebook", "X"], doubling].isna().all().all()

    def test_today_is_the_evaluation(self, builder_eval: Evaluation) -> None:
        markers = curve_markers(BUILDER)
        ch = builder_eval.channels
        for figure in ("impressions", "financial_return", "full_return"):
            assert markers[f"today_{figure}"].tolist() == ch[figure].tolist()
        assert markers["today_marginal_roi"].tolist() == ch["marginal_roi"].tolist()

    def test_markers_lie_on_the_curve(self) -> None:
        # reach 2, 4 points: LinkedIn's curve is 0, 1000, 2000, 3000, through the doubling
        # point; 2 * 1500 / 2 = 1500 is its midpoint with 3 points
        markers = curve_markers(BUILDER).loc["LinkedIn"]
        four = response_curves(BUILDER, points=4, reach=2.0).iloc[1]
        assert four["effective_cpm"] == pytest.approx(40.0, **GOLDEN)  # twice the CPM of 20
        three = response_curves(BUILDER, points=3, reach=2.0).iloc[1]
        for figure in ("impressions", "financial_return", "full_return"):
            assert four[figure] == pytest.approx(markers[f"doubling_{figure}"], **GOLDEN)
            assert three[figure] == pytest.approx(markers[f"today_{figure}"], **GOLDEN)

    def test_doubling_equals_evaluating_at_saturation(self) -> None:
        ev = evaluate(_only_spend_on(BUILDER, 0, 1000.0))
        markers = curve_markers(BUILDER).loc["LinkedIn"]
        assert markers["doubling_full_return"] == ev.channels.loc["LinkedIn", "full_return"]

    def test_channel_without_cpm(self, clinic_scenario: Scenario) -> None:
        twitter = curve_markers(clinic_scenario).loc["Twitter"]
        assert not twitter["has_curve"]
        assert twitter["today_spend"] == 0.0
        assert twitter["today_full_return"] == pytest.approx(162.75, **GOLDEN)
        assert math.isnan(twitter["doubling_spend"])
        assert math.isnan(twitter["today_marginal_roi"])


# --------------------------------------------------------------------------------------------
# Properties over any valid scenario


class TestProperties:
    @settings(max_examples=60)
    @given(scenario=scenarios())
    def test_no_inf_anywhere(self, scenario: Scenario) -> None:
        ev = evaluate(scenario)
        frames = [
            channel_comparison(ev),
            spend_vs_return(ev),
            spend_vs_return(ev, objective="financial"),
            hours_view(ev),
            poor_fit(ev),
            response_curves(scenario, points=9),
            curve_markers(scenario),
        ]
        assert all(_no_inf(frame) for frame in frames)

    @settings(max_examples=60)
    @given(scenario=scenarios(), objective=st.sampled_from(["financial", "full"]))
    def test_shares_sum_to_one_or_are_all_zero(self, scenario: Scenario, objective: str) -> None:
        table = spend_vs_return(evaluate(scenario), objective=objective)  # type: ignore[arg-type]
        for _, share in table.groupby("measure")["share"]:
            total = share.sum()
            assert total == pytest.approx(1.0, rel=1e-9) or (share == 0.0).all()
            assert (share >= 0.0).all()

    @settings(max_examples=60)
    @given(scenario=scenarios(min_channels=2))
    def test_extremes_follow_the_direction(self, scenario: Scenario) -> None:
        table = channel_comparison(evaluate(scenario))
        marks = extremes(table)
        for column in CHANNEL_COLUMNS:
            values = table[column.key].to_numpy(float)
            mark = marks[column.key].to_numpy()
            known = ~np.isnan(values)
            assert (mark[~known] == "").all()
            if column.better is Direction.NEUTRAL or not known.any():
                assert (mark == "").all()
                continue
            high, low = values[known].max(), values[known].min()
            tolerance = SAME_TOLERANCE * max(1.0, abs(high), abs(low))
            if high - low <= 2 * tolerance:
                assert (mark == "").all()
                continue
            top, bottom = (values >= high - tolerance), (values <= low + tolerance)
            if column.better is Direction.LOWER_BETTER:
                top, bottom = bottom, top
            assert ((mark == BEST) == top).all()
            assert ((mark == WORST) == bottom).all()
            assert (mark == BEST).any() and (mark == WORST).any()

    @settings(max_examples=40)
    @given(scenario=scenarios())
    def test_hours_bring_part_of_the_return(self, scenario: Scenario) -> None:
        ev = evaluate(scenario)
        view = hours_view(ev)
        for kind in ("financial", "full"):
            part = view[f"hours_{kind}_return"].to_numpy()
            whole = ev.channels[f"{kind}_return"].to_numpy()
            assert (part >= 0).all()
            assert (part <= whole + 1e-9 * np.maximum(1.0, whole)).all()

    @settings(max_examples=40)
    @given(scenario=scenarios())
    def test_fit_never_gains_by_falling(self, scenario: Scenario) -> None:
        table = poor_fit(evaluate(scenario))
        assert (table["fit"] < POOR_FIT).all()
        assert (table["cost_of_fit"] >= -1e-9 * np.maximum(1.0, table["full_return"])).all()

    @settings(max_examples=40)
    @given(scenario=scenarios())
    def test_curves_start_at_zero_and_never_fall(self, scenario: Scenario) -> None:
        curves = response_curves(scenario, points=11)
        for _, curve in curves.groupby("channel", sort=False):
            assert curve["paid_impressions"].iloc[0] == 0.0
            for column in ("paid_impressions", "financial_return", "full_return"):
                values = curve[column].to_numpy()
                assert (np.diff(values) >= -1e-9 * np.maximum(1.0, np.abs(values[1:]))).all()

    @settings(max_examples=40)
    @given(scenario=scenarios(), data=st.data())
    def test_any_point_agrees_with_evaluate(self, scenario: Scenario, data: st.DataObject) -> None:
        table = channel_table(scenario)
        with_cpm = [i for i, channel in enumerate(scenario.channels) if channel.cpm > 0]
        assume(with_cpm)
        index = data.draw(st.sampled_from(with_cpm))
        point = data.draw(st.integers(0, 10))
        curves = response_curves(scenario, points=11)
        row = curves[curves["channel"] == table.index[index]].iloc[point]
        got = evaluate(_only_spend_on(scenario, index, float(row["spend"]))).channels.iloc[index]
        for column in ("impressions", "financial_return", "full_return"):
            assert row[column] == got[column]
