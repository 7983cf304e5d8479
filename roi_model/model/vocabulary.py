"""The model's vocabulary in one place: objectives, lenses and the kind of every named figure.

A figure's :class:`~roi_model.model.spec.Kind` says what it is measured in (money, a percentage, a
ratio, a count, hours) and so how a page shows it. The kinds of the inputs are declared where
the inputs are, with each field of :mod:`roi_model.model.spec` (its metadata), and read from there;
the kinds of the outputs (the evaluation's totals and channel columns, the headline figures,
the channel views and a history's figures) are declared here. :func:`kind_of` answers for
either, so a page formats a figure by its name and keeps no list of its own.

Names form one namespace: an input and an output of the same name (``hours_share``, ``fit``,
``cpm``) have the same kind. Table columns that are not figures (``share``, ``amount``,
``value``) are not in it: their unit is the unit of the figure they hold.

This module imports :mod:`roi_model.model.spec` only, so every other module can import it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from enum import StrEnum
from types import MappingProxyType
from typing import Literal, get_args

from roi_model.model.spec import KIND, ActionValues, Channel, Investment, Kind, Months

#: The measures a history of past campaigns can hold, in the order the app lists them (kept as
#: a short table: fmt: skip).
HISTORY_FIELDS: tuple[str, ...] = (
    "spend", "staff_hours", "impressions", "reach", "clicks", "likes", "comments", "shares",
    "saves", "video_views", "leads", "sales", "revenue", "support_queries", "new_followers",
    "followers",
)  # fmt: skip
#: The history's measures that are a level at a moment, not a flow: ``followers`` is the
#: audience at the end of the row's period. They are never summed over days or campaigns: per
#: channel a group holds the figure of its last date (see
#: :func:`roi_model.model.history.stock_per_group`).
STOCK_FIELDS: frozenset[str] = frozenset({"followers"})
#: What says which row is which in a history: when, on which channel, in which campaign.
KEY_FIELDS: tuple[str, ...] = ("date", "channel", "campaign")

__all__ = [
    "HISTORY_FIELDS",
    "INPUT_KINDS",
    "INPUT_SPECS",
    "KEY_FIELDS",
    "OBJECTIVES",
    "OUTPUT_KINDS",
    "STOCK_FIELDS",
    "Kind",
    "Lens",
    "Objective",
    "input_kinds",
    "is_money",
    "kind_of",
]

#: Which return an optimisation, a break-even or a chart aims at: the financial return (sales
#: and support) or the full-value return (every lens the scenario counts). The texts are
#: written as they are into scenario files, share links and the command line.
Objective = Literal["financial", "full"]
#: Every :data:`Objective`, in order.
OBJECTIVES: tuple[Objective, ...] = get_args(Objective)


class Lens(StrEnum):
    """A way of putting a return in money. Sales and support always count; the rest are optional."""

    SALES = "sales"
    SUPPORT = "support"
    LEADS = "leads"
    ENGAGEMENT = "engagement"
    ORGANIC_TRAFFIC = "organic_traffic"

    @property
    def is_financial(self) -> bool:
        """Whether the lens counts in the financial return (sales and support do)."""
        return self in (Lens.SALES, Lens.SUPPORT)


#: The specs whose numeric fields are the scenario's inputs (one value each, or per channel).
INPUT_SPECS: tuple[type, ...] = (Investment, ActionValues, Channel, Months)


def input_kinds(spec: type) -> dict[str, Kind]:
    """The kind of each numeric field of a spec, as declared with the field, in field order.

    Examples
    --------
    >>> input_kinds(Investment)["staff_hours"]
    <Kind.HOURS: 'hours'>
    """
    return {f.name: Kind(f.metadata[KIND]) for f in fields(spec) if KIND in f.metadata}


#: The kind of every input field, by name.
INPUT_KINDS: Mapping[str, Kind] = MappingProxyType(
    {name: kind for spec in INPUT_SPECS for name, kind in input_kinds(spec).items()}
)

_RETURNS = tuple(f"return_{lens}" for lens in Lens)

#: The outputs of each kind: totals and channel columns of :mod:`roi_model.model.evaluate`,
#: headline figures of :mod:`roi_model.model.compare`, the views of
#: :mod:`roi_model.model.channels`, the sums and figures of :mod:`roi_model.model.history` and a
#: goal's attainment.
_OUTPUTS: dict[Kind, tuple[str, ...]] = {
    Kind.MONEY: (
        "spend",
        "investment",
        "ad_spend",
        "staff_cost",
        "fixed_costs",
        "revenue",
        *_RETURNS,
        "financial_return",
        "full_return",
        "financial_net",
        "full_net",
        "net",
        "cost_per_lead",
        "cost_per_sale",
        "cpm",
        "effective_cpm",
        "hours_financial_return",
        "hours_full_return",
        "return_at_full_fit",
        "cost_of_fit",
    ),
    Kind.PERCENT: (
        "financial_roi",
        "full_roi",
        "horizon_financial_roi",
        "horizon_full_roi",
        "marginal_financial_roi",
        "marginal_roi",
        "hours_financial_roi",
        "hours_full_roi",
        "spend_share",
        "hours_share",
        "return_share",
        "fit",
        "ctr",
        "attainment",
    ),
    Kind.RATIO: ("roas", "return_per_spend_share"),
    Kind.COUNT: (
        "paid_impressions",
        "organic_impressions",
        "impressions",
        "reach",
        "likes",
        "comments",
        "shares",
        "saves",
        "video_views",
        "engagements",
        "clicks",
        "visits",
        "organic_visits",
        "leads",
        "sales",
        "support_queries",
        "new_followers",
        "payback_financial_month",
        "payback_full_month",
    ),
    Kind.HOURS: ("hours", "staff_hours"),
}

#: The kind of every output figure, by name.
OUTPUT_KINDS: Mapping[str, Kind] = MappingProxyType(
    {name: kind for kind, names in _OUTPUTS.items() for name in names}
)


def kind_of(name: str) -> Kind:
    """What the input or output figure called ``name`` is measured in.

    Parameters
    ----------
    name
        An input field (``ctr``) or an input's path (``channels[*].ctr``,
        ``investment.ad_budget``: the part after the last dot counts), or an output figure
        (``full_roi``; a :class:`~roi_model.model.spec.GoalMetric` is one).

    Raises
    ------
    KeyError
        Neither an input nor an output has that name: declare its kind with the field in
        :mod:`roi_model.model.spec`, or among the outputs here.

    Examples
    --------
    >>> kind_of("channels[*].ctr"), kind_of("investment.ad_budget"), kind_of("roas")
    (<Kind.PERCENT: 'percent'>, <Kind.MONEY: 'money'>, <Kind.RATIO: 'ratio'>)
    """
    leaf = name.rsplit(".", 1)[-1]
    kind = INPUT_KINDS.get(leaf, OUTPUT_KINDS.get(leaf))
    if kind is None:
        raise KeyError(f"{name!r}: no input or output figure of that name has a kind")
    return kind


def is_money(name: str) -> bool:
    """Whether the figure called ``name`` is an amount of money (see :func:`kind_of`).

    Examples
    --------
    >>> is_money("values.order_value"), is_money("leads")
    (True, False)
    """
    return kind_of(name) is Kind.MONEY
