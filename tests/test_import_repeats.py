"""Which rows' hashes repeat: the buckets that spare most rows a sort find what a count finds."""

from __future__ import annotations

from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_model.files.imports.repeats import _hash_repeats


def counted_repeats(hashes: np.ndarray) -> np.ndarray:
    """The reference: a hash repeats when it occurs more than once."""
    counts = Counter(hashes.tolist())
    return np.array([counts[value] > 1 for value in hashes.tolist()], dtype=bool)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.integers(min_value=0, max_value=20_000),
    repeated=st.integers(min_value=0, max_value=300),
    high_bits_only=st.booleans(),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_finds_exactly_the_hashes_a_count_finds(
    rows: int, repeated: int, high_bits_only: bool, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    hashes = rng.integers(0, 2**63, rows, dtype=np.int64).view(np.uint64)
    if high_bits_only:  # hashes that differ only above the buckets' bits: every row in doubt
        hashes = (hashes >> np.uint64(40)) << np.uint64(40)
    if rows and repeated:
        hashes[rng.integers(0, rows, repeated)] = hashes[rng.integers(0, rows, repeated)]
    assert np.array_equal(_hash_repeats(hashes), counted_repeats(hashes))


def test_a_row_written_five_times_is_each_time_a_repeat() -> None:
    hashes = np.repeat(np.arange(10_000, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15), 5)
    assert _hash_repeats(hashes).all()
    assert not _hash_repeats(np.unique(hashes)).any()
