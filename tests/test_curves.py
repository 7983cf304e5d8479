"""Response curves: zero gives zero, outputs stay in bounds, slopes are derivatives."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_model.model.curves import (
    effective_cpm,
    paid_impressions,
    paid_impressions_slope,
    safe_divide,
)
from tests.strategies import CPMS, floats

SPENDS = floats(0.0, 1e6)
SATURATIONS = floats(100.0, 1e6)


class TestSafeDivide:
    def test_divides_element_wise(self) -> None:
        assert safe_divide([1.0, 9.0], [4.0, 3.0]).tolist() == [0.25, 3.0]

    @pytest.mark.parametrize(
        "numerator", [1.0, 0.0, -2.0], ids=["positive-over-0", "0-over-0", "negative-over-0"]
    )
    def test_zero_denominator_is_nan_without_warning(self, numerator: float) -> None:
        # filterwarnings = error: a RuntimeWarning from numpy would fail this test.
        assert math.isnan(safe_divide(numerator, 0.0).item())

    def test_broadcasts_a_scalar_against_an_array(self) -> None:
        out = safe_divide(6.0, np.array([2.0, 0.0, 3.0]))
        assert out.shape == (3,)
        np.testing.assert_array_equal(out, [3.0, np.nan, 2.0])


class TestEffectiveCpm:
    @pytest.mark.parametrize(
        ("spend", "expected"),
        [(0.0, 8.0), (2000.0, 12.0), (4000.0, 16.0), (12000.0, 32.0)],
        ids=["no-spend-base-cpm", "half-saturation", "at-saturation-doubles", "3x-saturation"],
    )
    def test_grows_linearly_with_spend(self, spend: float, expected: float) -> None:
        # 8 * (1 + s / 4000)
        assert effective_cpm(spend, 8.0, 4000.0).item() == pytest.approx(expected, rel=1e-12)

    def test_no_saturation_keeps_the_base_cpm(self) -> None:
        out = effective_cpm([0.0, 1e3, 1e6], 8.0, np.nan)
        assert out.tolist() == [8.0, 8.0, 8.0]

    def test_channels_on_the_axis_each_use_their_own_saturation(self) -> None:
        out = effective_cpm([1000.0, 1000.0], [10.0, 5.0], [1000.0, np.nan])
        assert out.tolist() == [20.0, 5.0]


class TestPaidImpressions:
    def test_example_channel_golden(self) -> None:
        # 1000 * 5000 / (8 * (1 + 5000/4000)) = 5e6 / 18 = 277777.78
        assert paid_impressions(5000.0, 8.0, 4000.0).item() == pytest.approx(5e6 / 18, rel=1e-12)

    def test_without_saturation_is_spend_over_cpm(self) -> None:
        # 1000 * 800 / 8 = 100000
        assert paid_impressions(800.0, 8.0, np.nan).item() == pytest.approx(100_000.0, rel=1e-12)

    @pytest.mark.parametrize(
        ("cpm", "saturation"),
        [(8.0, 4000.0), (8.0, np.nan), (0.0, np.nan), (0.0, 4000.0)],
        ids=["saturating", "linear", "cpm-0-linear", "cpm-0-saturating"],
    )
    def test_zero_spend_buys_nothing_whatever_the_cpm(self, cpm: float, saturation: float) -> None:
        assert paid_impressions(0.0, cpm, saturation).item() == 0.0

    def test_vectorised_equals_looped(self) -> None:
        spend = np.array([0.0, 150.0, 4000.0, 9e5])
        cpm = np.array([3.0, 8.0, 12.5, 40.0])
        saturation = np.array([np.nan, 100.0, 4000.0, np.nan])
        looped = [
            paid_impressions(s, c, k).item() for s, c, k in zip(spend, cpm, saturation, strict=True)
        ]
        np.testing.assert_allclose(paid_impressions(spend, cpm, saturation), looped, rtol=1e-15)

    @settings(max_examples=60)
    @given(spend=SPENDS, cpm=CPMS, saturation=SATURATIONS)
    def test_bounded_by_the_asymptote(self, spend: float, cpm: float, saturation: float) -> None:
        bound = 1000.0 * saturation / cpm
        assert 0.0 <= paid_impressions(spend, cpm, saturation).item() <= bound * (1 + 1e-12)

    @settings(max_examples=60)
    @given(spend=SPENDS, extra=floats(1.0, 1e6), cpm=CPMS, saturation=SATURATIONS)
    def test_more_spend_buys_more(
        self, spend: float, extra: float, cpm: float, saturation: float
    ) -> None:
        before = paid_impressions(spend, cpm, saturation).item()
        assert paid_impressions(spend + extra, cpm, saturation).item() > before

    @settings(max_examples=60)
    @given(spend=floats(0.01, 1e6), cpm=CPMS)
    def test_without_saturation_doubling_spend_doubles_impressions(
        self, spend: float, cpm: float
    ) -> None:
        once = paid_impressions(spend, cpm, np.nan).item()
        assert paid_impressions(2 * spend, cpm, np.nan).item() == pytest.approx(2 * once, rel=1e-12)

    @settings(max_examples=60)
    @given(spend=floats(1.0, 1e6), cpm=CPMS, saturation=SATURATIONS)
    def test_saturation_buys_fewer_than_the_base_cpm(
        self, spend: float, cpm: float, saturation: float
    ) -> None:
        assert paid_impressions(spend, cpm, saturation).item() < 1000.0 * spend / cpm


class TestPaidImpressionsSlope:
    @pytest.mark.parametrize(
        ("spend", "saturation", "expected"),
        [
            (0.0, 4000.0, 125.0),  # 1000 / (8 * 1^2)
            (4000.0, 4000.0, 31.25),  # 1000 / (8 * 2^2)
            (5000.0, 4000.0, 1000 / 40.5),  # 1000 / (8 * 2.25^2) = 24.691358
            (5000.0, np.nan, 125.0),  # 1000 / 8 at any spend
        ],
        ids=["first-euro", "at-saturation", "example-spend", "no-saturation"],
    )
    def test_golden(self, spend: float, saturation: float, expected: float) -> None:
        assert paid_impressions_slope(spend, 8.0, saturation).item() == pytest.approx(
            expected, rel=1e-12
        )

    def test_nan_where_the_cpm_is_zero(self) -> None:
        out = paid_impressions_slope([0.0, 0.0], [0.0, 8.0], [np.nan, np.nan])
        assert math.isnan(out[0])
        assert out[1] == 125.0

    @settings(max_examples=80)
    @given(
        spend=floats(10.0, 1e6),
        cpm=CPMS,
        saturation=st.one_of(st.just(math.nan), SATURATIONS),
    )
    def test_equals_a_central_finite_difference(
        self, spend: float, cpm: float, saturation: float
    ) -> None:
        h = 1e-4 * spend
        difference = (
            paid_impressions(spend + h, cpm, saturation).item()
            - paid_impressions(spend - h, cpm, saturation).item()
        ) / (2 * h)
        slope = paid_impressions_slope(spend, cpm, saturation).item()
        assert slope == pytest.approx(difference, rel=1e-6)

    @settings(max_examples=60)
    @given(spend=SPENDS, extra=floats(1.0, 1e6), cpm=CPMS, saturation=SATURATIONS)
    def test_diminishing_returns(
        self, spend: float, extra: float, cpm: float, saturation: float
    ) -> None:
        before = paid_impressions_slope(spend, cpm, saturation).item()
        assert paid_impressions_slope(spend + extra, cpm, saturation).item() < before
