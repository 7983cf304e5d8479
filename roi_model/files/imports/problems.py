"""What a refusal is, and what a skipped line is.

A file the importer cannot use raises :class:`ImportRefused`: an :class:`ImportProblem` the app
translates and one English sentence; it never gives a silent zero. A line of a file that is not
a data row is a :class:`Skipped`, with its :class:`SkipReason`. The bounds of
:mod:`roi_model.files.imports.limits` are refusals too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["ImportProblem", "ImportRefused", "SkipReason", "Skipped"]


class ImportProblem(StrEnum):
    """Why a file was refused: one member per message the app translates."""

    EMPTY = "empty"
    UNREADABLE = "unreadable"
    NO_HEADER = "no_header"
    NOTHING_USABLE = "nothing_usable"
    TOO_LARGE = "too_large"
    BAD_MAPPING = "bad_mapping"
    # The bounds of roi_model.files.imports.limits:
    TOO_WIDE = "too_wide"
    LINE_TOO_LONG = "line_too_long"
    CELL_TOO_LONG = "cell_too_long"
    TOO_MANY_ROWS = "too_many_rows"
    TOO_MANY_CELLS = "too_many_cells"
    UNPACKS_TOO_LARGE = "unpacks_too_large"


class ImportRefused(Exception):
    """A file that cannot give any history; ``reason`` is one English sentence."""

    def __init__(
        self, problem: ImportProblem, reason: str, found_columns: Sequence[str] = ()
    ) -> None:
        super().__init__(reason)
        self.problem = problem
        self.reason = reason
        self.found_columns = tuple(str(column) for column in found_columns)


class SkipReason(StrEnum):
    """Why a line is not data (the values are what the command line prints)."""

    BEFORE_HEADER = "before the header"
    EMPTY = "empty line"
    TOTAL = "total row"
    STRAY = "not a data row (a single value outside the table)"
    NO_NUMBERS = "no numbers in the measure columns"
    DUPLICATE = "duplicate row"


@dataclass(frozen=True)
class Skipped:
    """A line of the file that is not a data row: 1-based physical line and why."""

    line: int
    reason: str
