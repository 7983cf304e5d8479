"""Exact repeats of earlier data rows: always reported, listed as skipped when dropped.

Row hashes find the candidates at a fraction of the cost of comparing every cell; only the rows
whose hashes are equal are compared, cell by cell, as the file wrote them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd

from roi_model.files.imports.headers import ImportNote, NoteCode
from roi_model.files.imports.problems import Skipped, SkipReason
from roi_model.files.imports.result import Table

__all__ = ["find_repeats", "repeat_notes"]


def repeat_notes(
    lines: np.ndarray[Any, Any], keep_duplicates: bool, skipped: list[Skipped]
) -> list[ImportNote]:
    """Exact repeats of an earlier data row: always reported, listed as skipped if dropped."""
    if not len(lines):
        return []
    if not keep_duplicates:
        skipped.extend(Skipped(int(line), SkipReason.DUPLICATE) for line in lines)
    shown = ", ".join(str(line) for line in lines[:10]) + (" …" if len(lines) > 10 else "")
    code = NoteCode.DUPLICATES_KEPT if keep_duplicates else NoteCode.DUPLICATES_DROPPED
    return [ImportNote.of(code, count=len(lines), lines=shown)]


def find_repeats(
    table: Table, positions: np.ndarray[Any, Any], pool: ThreadPoolExecutor
) -> Callable[[], np.ndarray[Any, Any]]:
    """Which of those rows repeat an earlier one, when asked. On the fast path the search
    starts at once beside the caller (numpy on arrays taken out here lets go of the GIL);
    the careful path's cells are pandas objects, searched in the caller's thread."""
    find = _repeat_finder(table, positions)
    return functools.cache(find) if table.text is None else pool.submit(find).result


def _repeat_finder(
    table: Table, positions: np.ndarray[Any, Any]
) -> Callable[[], np.ndarray[Any, Any]]:
    """Row hashes find the candidates at a fraction of the cost of comparing every cell:
    first of a few number columns (a repeated row repeats them too), then of every column
    for the rows still in doubt; only those are compared, cell by cell, as the file wrote
    them (pyarrow reads 1.5 and 1.50 alike)."""
    every = len(positions) == len(table.cells)
    cells = table.cells if every else table.cells.iloc[positions]
    words = [_cell_words(cells[column]) for column in cells.columns]
    telling = _telling_columns(cells)
    rounds = [telling, list(range(len(words)))] if len(telling) < len(words) else [telling]
    text = table.text

    def find() -> np.ndarray[Any, Any]:
        doubtful = np.arange(len(cells))
        for columns in rounds:  # the last round hashes every column
            subset = len(doubtful) < len(cells)
            hashes = _row_hashes([words[c][doubtful] if subset else words[c] for c in columns])
            again = _hash_repeats(hashes)
            doubtful, hashes = doubtful[again], hashes[again]
            if not len(doubtful):
                return np.zeros(len(cells), dtype=bool)
        exact = (
            cells.iloc[doubtful]
            if text is None
            else pd.Series(text.keys(positions[doubtful], hashes))
        )
        repeated = np.zeros(len(cells), dtype=bool)
        repeated[doubtful] = exact.duplicated(keep="first").to_numpy()
        return repeated

    return find


def _telling_columns(cells: pd.DataFrame) -> list[int]:
    """Positions of a few number columns: amounts like 123.45 rarely repeat by chance."""
    numbers = [i for i, c in enumerate(cells.columns) if cells[c].dtype.kind in "if"]
    return numbers[:3] if len(numbers) > 3 else list(range(len(cells.columns)))


def _hash_repeats(hashes: np.ndarray[Any, np.dtype[np.uint64]]) -> np.ndarray[Any, Any]:
    """Rows whose hash occurs more than once. A row alone in its bucket of some of the hash's
    bits cannot share its hash: counting the buckets of the low word, then of the high word
    for the rows left, leaves a few percent of the rows to sort (numpy's hash table and
    bisection of unsorted rows each took seconds for millions; sorting every row, 50 ms a
    million, twice the buckets')."""
    rows = np.flatnonzero(_shares_a_bucket(hashes, 0, 1))
    if len(rows) >= _SORT_BELOW:
        rows = rows[_shares_a_bucket(hashes[rows], 32, 3)]
    repeated = np.zeros(len(hashes), dtype=bool)
    repeated[rows[_sorted_repeats(hashes[rows])]] = True
    return repeated


_SORT_BELOW = 4096  # rows few enough to sort at once


def _shares_a_bucket(
    hashes: np.ndarray[Any, np.dtype[np.uint64]], shift: int, spare_bits: int
) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Whether each hash shares its bucket with another: buckets of the hash's bits from
    ``shift`` on, 2 ** ``spare_bits`` or so of them a hash (a table of flags, not of counts,
    so that looking each hash up stays in the processor's cache)."""
    bits = len(hashes).bit_length() + spare_bits
    buckets = ((hashes >> np.uint64(shift)) & np.uint64((1 << bits) - 1)).view(np.int64)
    shared = np.bincount(buckets, minlength=1 << bits) > 1
    return np.asarray(shared[buckets])


def _sorted_repeats(hashes: np.ndarray[Any, np.dtype[np.uint64]]) -> np.ndarray[Any, Any]:
    """Positions of the hashes that occur more than once, found by sorting them."""
    order = np.argsort(hashes)  # equal hashes side by side, each row marked in place
    equal = hashes[order[1:]] == hashes[order[:-1]]
    if not equal.any():  # a clean file: no row to find again
        return np.zeros(0, dtype=np.intp)
    marked = np.zeros(len(hashes), dtype=bool)
    marked[1:] |= equal
    marked[:-1] |= equal
    return order[marked]


_MIX = np.uint64(0x100000001B3)  # FNV's 64-bit prime: odd, so each step keeps rows apart


def _row_hashes(columns: Sequence[np.ndarray[Any, Any]]) -> np.ndarray[Any, np.dtype[np.uint64]]:
    """One word per row from its cells' words, equal for equal rows; rows differing in one
    cell always differ (each step is a bijection). The shift brings high bits down: whole
    numbers as floats differ only there."""
    hashes = np.zeros(len(columns[0]), dtype=np.uint64)
    shifted = np.empty_like(hashes)
    for words in columns:  # in place: no new 8 MB array per column
        np.bitwise_xor(hashes, words, out=hashes, dtype=np.uint64, casting="unsafe")
        np.multiply(hashes, _MIX, out=hashes)
        np.bitwise_xor(hashes, np.right_shift(hashes, 29, out=shifted), out=hashes)
    return hashes


def _cell_words(values: pd.Series) -> np.ndarray[Any, Any]:
    """Typed cells by their bits (text by its category), the rest by pandas' hash."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy()
    words: np.ndarray[Any, np.dtype[np.uint64]]
    if values.dtype.kind in "if":
        bits = np.float64 if values.dtype.kind == "f" else np.int64
        words = np.ascontiguousarray(values.to_numpy(dtype=bits)).view(np.uint64)
    else:
        words = np.asarray(pd.util.hash_pandas_object(values, index=False), dtype=np.uint64)
    return words
