"""A figure shown in the unit of its kind: the tables of the Channels and What happened pages
mix money, percentages, ratios and counts column by column."""

from __future__ import annotations

from typing import Any

from pages._ui import fmt
from roi_model.model.vocabulary import Kind


def formatter(kind: Kind, currency: str) -> Any:
    """How a figure of this kind is shown: money, a percentage, a ratio or a number."""
    if kind is Kind.MONEY:
        return lambda v: fmt.money(v, currency)
    if kind is Kind.PERCENT:
        return fmt.percent
    if kind is Kind.RATIO:
        return fmt.ratio
    return fmt.number
