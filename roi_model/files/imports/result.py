"""What reading a file gives.

:class:`ImportResult` is what the importer returns: one row per day, ad or post with ``date``,
``channel``, ``campaign`` and every recognised measure as a float, plus the lines it skipped and
every assumption it made. :class:`Table` is what the readers (the csv module, the fast path,
xlsx) hand to the step that builds it: the file's cells after the header.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

import numpy as np
import pandas as pd

from roi_model.files.imports.headers import ImportNote
from roi_model.files.imports.problems import Skipped
from roi_model.model.history import stock_per_group
from roi_model.model.vocabulary import HISTORY_FIELDS, STOCK_FIELDS

__all__ = ["ImportResult", "RowText", "Table"]


@dataclass(frozen=True, eq=False)
class ImportResult:
    """The tidy history of one file and how it was read."""

    rows: pd.DataFrame
    skipped: tuple[Skipped, ...]
    mapping: dict[str, str]
    warnings: tuple[ImportNote, ...]
    encoding: str
    delimiter: str
    decimal: str
    date_order: str | None
    currency: str | None
    columns: tuple[str, ...] = ()  # every column of the file's header, mapped or not
    unused_numbers: tuple[str, ...] = ()  # columns of numbers that no field reads

    def fields(self) -> tuple[str, ...]:
        """The measures the file gave, in ``HISTORY_FIELDS`` order."""
        return tuple(name for name in HISTORY_FIELDS if name in self.rows.columns)

    def totals(self) -> dict[str, float]:
        """The sum of every measure over the imported rows (empty cells count as nothing); for
        a stock (the audience), its figure at the end: each channel's last date's, added over
        the channels (NaN when no row gives one)."""
        return {name: self._total(name) for name in self.fields()}

    def _total(self, name: str) -> float:
        if name not in STOCK_FIELDS:
            return float(self.rows[name].sum())
        one_group = pd.DataFrame({"all": 0}, index=self.rows.index)
        rows = self.rows
        at_end = stock_per_group(rows[name], rows["date"], rows["channel"], one_group)
        return float(at_end.iloc[0]) if len(at_end) else float("nan")

    def date_range(self) -> tuple[date, date] | None:
        """The first and last date, or None when the rows have no dates."""
        dates = self.rows["date"].dropna()
        if dates.empty:
            return None
        return dates.min().date(), dates.max().date()

    def channels(self) -> tuple[str, ...]:
        """The channels present, sorted."""
        return tuple(sorted(self.rows["channel"].unique().tolist()))  # not a million strs

    def campaigns(self) -> tuple[str, ...]:
        """The campaigns present, sorted."""
        return tuple(sorted(self.rows["campaign"].unique().tolist()))

    def to_dict(self) -> dict[str, Any]:
        """The summary the command line prints as JSON."""
        span = self.date_range()
        return {
            "rows": len(self.rows),
            "skipped": [{"line": item.line, "reason": item.reason} for item in self.skipped],
            "mapping": dict(self.mapping),
            "totals": {name: _json_float(value) for name, value in self.totals().items()},
            "date_range": None if span is None else [span[0].isoformat(), span[1].isoformat()],
            "channels": list(self.channels()),
            "warnings": [str(note) for note in self.warnings],
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "decimal": self.decimal,
            "date_order": self.date_order,
            "currency": self.currency,
            "unused_numbers": list(self.unused_numbers),
        }


def _json_float(value: float) -> float | None:
    return value if np.isfinite(value) else None


class RowText(Protocol):
    """The file's own text of the rows the fast path read as numbers, for the few rows whose
    text decides something. Described here, not imported: the fast path
    (:mod:`roi_model.files.imports.fast`) builds tables, so it imports this module."""

    first: list[list[str]]  # cells of the first rows, as the csv module read them
    fractions: frozenset[int]  # the columns pyarrow read as fractions (float)

    def rows(self, positions: np.ndarray[Any, Any]) -> list[tuple[object, ...]]:
        """The cells of those rows as the careful path holds them (None for blank)."""

    def keys(
        self, positions: np.ndarray[Any, Any], hashes: np.ndarray[Any, Any]
    ) -> np.ndarray[Any, np.dtype[np.int64]]:
        """A key per row, equal for rows the careful path holds equal, given rows with equal
        ``hashes`` (of their values)."""


@dataclass
class Table:
    """The file's cells after the header, by position, with each row's physical line."""

    header: list[str]
    cells: pd.DataFrame
    lines: np.ndarray[Any, np.dtype[np.int64]]
    encoding: str
    delimiter: str
    skipped: list[Skipped] = field(default_factory=list)
    text: RowText | None = None  # the file's text, when the cells hold pyarrow's numbers
    # The measures pyarrow read as numbers, as float arrays of their own: the tidy table
    # takes them as they are (each copy of a 100 MB file's columns costs page faults).
    numbers: dict[int, np.ndarray[Any, np.dtype[np.float64]]] = field(default_factory=dict)
