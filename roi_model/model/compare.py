"""Compare scenarios side by side against a base: headline figures, goals, charts, inputs.

Every function takes the evaluations (or scenarios) and ``labels``: one unique text per
scenario, chosen by the caller, because scenario names may repeat. Tables are tidy (one row per
scenario × item); undefined figures are NaN.

The comparison of a figure with the base's:

- ``diff = value - base_value``;
- ``diff_pct = diff / |base_value|`` (NaN when the base is 0 or either value is NaN);
- a verdict: ``neutral`` for figures that are neither good nor bad (what is invested),
  ``undefined`` when either value is NaN, ``same`` when ``|diff| <= 1e-9 * max(1, |base|)``,
  otherwise ``better`` or ``worse`` by the metric's :class:`Direction`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, fields
from enum import IntEnum, StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from roi_model.model.curves import FloatArray, safe_divide
from roi_model.model.evaluate import Evaluation, enabled_lenses
from roi_model.model.months import Projection, project
from roi_model.model.spec import ActionValues, Channel, Goal, Investment, Lenses, Scenario
from roi_model.model.vocabulary import Kind, Lens, kind_of

#: How close to the base a figure must be to count as the same, relative to ``max(1, |base|)``.
SAME_TOLERANCE = 1e-9

#: Marker of :class:`Change` for a channel or goal that only this scenario has.
ADDED = "added"
#: Marker of :class:`Change` for a channel or goal that only the base has.
REMOVED = "removed"


class Direction(IntEnum):
    """Which way a figure improves; its sign multiplies the difference to the base."""

    LOWER_BETTER = -1
    NEUTRAL = 0
    HIGHER_BETTER = 1


class Verdict(StrEnum):
    """A scenario's figure against the base's, for the colour of its difference."""

    BETTER = "better"
    WORSE = "worse"
    SAME = "same"
    NEUTRAL = "neutral"
    UNDEFINED = "undefined"


@dataclass(frozen=True)
class Metric:
    """A compared figure: its key in the tables, its format and which way is better."""

    key: str
    kind: Kind
    direction: Direction


def _metric(key: str, direction: Direction) -> Metric:
    """A headline figure, of the kind the vocabulary gives it."""
    return Metric(key, kind_of(key), direction)


_HIGHER = Direction.HIGHER_BETTER

#: The figures compared for every scenario, in display order (goal rows follow them).
HEADLINE_METRICS: tuple[Metric, ...] = (
    *(
        _metric(key, Direction.NEUTRAL)
        for key in ("investment", "ad_spend", "staff_cost", "fixed_costs")
    ),
    *(_metric(f"return_{lens}", _HIGHER) for lens in Lens),
    *(
        _metric(key, _HIGHER)
        for key in ("financial_return", "full_return", "financial_net", "full_net")
    ),
    _metric("financial_roi", _HIGHER),
    _metric("full_roi", _HIGHER),
    _metric("roas", _HIGHER),
    _metric("cost_per_lead", Direction.LOWER_BETTER),
    _metric("cost_per_sale", Direction.LOWER_BETTER),
    # the months ahead (each scenario's own horizon): an earlier payback is better
    _metric("payback_financial_month", Direction.LOWER_BETTER),
    _metric("payback_full_month", Direction.LOWER_BETTER),
    _metric("horizon_financial_roi", _HIGHER),
    _metric("horizon_full_roi", _HIGHER),
)

#: The kind and direction of every goal row (``goal:<tier>:<metric>``): its attainment.
GOAL_KIND, GOAL_DIRECTION = kind_of("attainment"), Direction.HIGHER_BETTER

#: The ratios of :func:`headline_ratios`, in order.
HEADLINE_RATIOS: tuple[str, ...] = ("financial_roi", "full_roi", "roas")

#: The measures of :func:`channel_mix`, in order.
MIX_MEASURES: tuple[str, ...] = ("spend", "hours")


def check_labels(count: int, labels: Sequence[str], base: int = 0) -> None:
    """Raise ``ValueError`` unless there are 1+ scenarios, one unique label each, a valid base."""
    if isinstance(labels, str):
        raise ValueError(f"labels must be a sequence of texts, not the text {labels!r}")
    if count < 1:
        raise ValueError("at least one scenario is needed to compare")
    if len(labels) != count:
        raise ValueError(f"{len(labels)} labels for {count} scenarios: give one label each")
    if len(set(labels)) != len(labels):
        repeated = sorted(label for label, n in Counter(labels).items() if n > 1)
        raise ValueError(f"labels must be unique; repeated: {repeated}")
    if isinstance(base, bool) or not isinstance(base, int | np.integer) or not 0 <= base < count:
        raise ValueError(f"base must be an index in [0, {count - 1}], got {base!r}")


# ---------------------------------------------------------------------------------------------
# The comparison table


def _headline_values(evaluation: Evaluation) -> dict[str, float]:
    """The value of every :data:`HEADLINE_METRICS` key for one evaluation.

    Notes
    -----
    A lens the scenario does not count has ``return_<lens> = 0``, so the lens rows add up to
    ``full_return``; ``<kind>_net = <kind>_return - investment``. The months ahead add each
    payback month and each ROI at the horizon (:mod:`roi_model.model.months`).
    """
    return _month_values(evaluation) | _horizon_values(project(evaluation.scenario))


def _horizon_values(projection: Projection) -> dict[str, float]:
    """The months ahead's figures compared: each payback month (NaN when there is none
    within the horizon) and each ROI at the horizon."""
    paybacks = {
        f"payback_{kind}_month": math.nan if month is None else float(month)
        for kind, month in projection.payback_month.items()
    }
    rois = {f"horizon_{kind}_roi": value for kind, value in projection.roi.items()}
    return paybacks | rois


def _month_values(evaluation: Evaluation) -> dict[str, float]:
    inv, returns = evaluation.investment, evaluation.returns
    counted = enabled_lenses(evaluation.scenario.lenses)
    return {
        "investment": inv.total,
        "ad_spend": inv.ad_spend,
        "staff_cost": inv.staff_cost,
        "fixed_costs": inv.fixed_costs,
        **{
            f"return_{lens}": float(getattr(returns, lens.value)) if lens in counted else 0.0
            for lens in Lens
        },
        "financial_return": returns.financial,
        "full_return": returns.full,
        "financial_net": evaluation.financial_net,
        "full_net": evaluation.full_net,
        "financial_roi": evaluation.financial_roi,
        "full_roi": evaluation.full_roi,
        "roas": evaluation.roas,
        "cost_per_lead": evaluation.cost_per_lead,
        "cost_per_sale": evaluation.cost_per_sale,
    }


def matched_goals(evaluations: Sequence[Evaluation]) -> dict[tuple[str, str], list[int | None]]:
    """Goals matched across scenarios by ``(tier, metric)``.

    For each pair any scenario has, in order of first appearance, the index of the first such
    goal in each scenario (None where it has none): of a goal repeated in one scenario, the
    first counts.
    """
    firsts: list[dict[tuple[str, str], int]] = []
    for evaluation in evaluations:
        first: dict[tuple[str, str], int] = {}
        for index, goal in enumerate(evaluation.scenario.goals):
            first.setdefault((goal.tier.value, goal.metric.value), index)
        firsts.append(first)
    keys = dict.fromkeys(key for first in firsts for key in first)
    return {key: [first.get(key) for first in firsts] for key in keys}


def goal_key(tier: str, metric: str) -> str:
    """The ``metric`` of a goal row: ``goal:<tier>:<metric>``.

    Examples
    --------
    >>> goal_key("primary", "leads")
    'goal:primary:leads'
    """
    return f"goal:{tier}:{metric}"


def _goal_attainments(evaluations: Sequence[Evaluation]) -> dict[str, list[float]]:
    """Each goal's attainment per evaluation, goals matched by (tier, metric).

    The keys are the union of every scenario's goals in order of first appearance; a scenario
    without the goal has NaN, and of a goal repeated in one scenario the first counts (see
    :func:`matched_goals`).
    """
    return {
        goal_key(tier, metric): [
            np.nan
            if index is None
            else float(evaluation.goals["attainment"].to_numpy(float)[index])
            for evaluation, index in zip(evaluations, indexes, strict=True)
        ]
        for (tier, metric), indexes in matched_goals(evaluations).items()
    }


def verdicts(
    value: npt.ArrayLike, base_value: npt.ArrayLike, direction: npt.ArrayLike
) -> npt.NDArray[np.object_]:
    """The :class:`Verdict` (as its text) of each value against its base, element-wise.

    Examples
    --------
    >>> verdicts([3.0, 1.0, 2.0, np.nan, 5.0], [2.0, 2.0, 2.0, 2.0, 1.0], [1, 1, -1, 1, 0]).tolist()
    ['better', 'worse', 'same', 'undefined', 'neutral']
    """
    val, base, sign = np.broadcast_arrays(
        np.asarray(value, float), np.asarray(base_value, float), np.asarray(direction, float)
    )
    diff = val - base
    conditions = [
        sign == 0,
        np.isnan(val) | np.isnan(base),
        np.abs(diff) <= SAME_TOLERANCE * np.maximum(1.0, np.abs(base)),
        diff * sign > 0,
    ]
    choices = [Verdict.NEUTRAL, Verdict.UNDEFINED, Verdict.SAME, Verdict.BETTER]
    out = np.select(
        conditions,
        [np.full(val.shape, choice.value, dtype=object) for choice in choices],
        default=Verdict.WORSE.value,
    )
    return out.astype(object)


def comparison_table(
    evaluations: Sequence[Evaluation], labels: Sequence[str], base: int = 0
) -> pd.DataFrame:
    """Every headline figure and goal attainment of each scenario, against the base's.

    One row per metric × scenario: the :data:`HEADLINE_METRICS` in order, then one row
    ``goal:<tier>:<metric>`` per goal; within a metric, the scenarios in the order given.
    Columns: ``metric``, ``kind``, ``direction`` (int), ``scenario`` (label), ``is_base``,
    ``value``, ``base_value``, ``diff``, ``diff_pct`` and ``verdict`` (the text of a
    :class:`Verdict`; see the module's notes; the base's own row is ``same``, ``neutral`` or
    ``undefined``).

    Notes
    -----
    A lens the scenario does not count has ``return_<lens> = 0``, so the lens rows add up to
    ``full_return``; ``financial_net`` and ``full_net`` are the return minus the investment.
    A goal row's value is the goal's attainment (value / target, NaN where the target is not
    positive). Goals are matched across scenarios by tier and metric: the rows are the union of
    every scenario's goals in order of first appearance, a scenario without the goal has NaN,
    and of a goal repeated within one scenario the first counts.

    Raises
    ------
    ValueError
        With no evaluation, a label count that differs, repeated labels or a base out of range.
    """
    check_labels(len(evaluations), labels, base)
    headline = [_headline_values(evaluation) for evaluation in evaluations]
    goals = _goal_attainments(evaluations)
    metrics = [*HEADLINE_METRICS, *(Metric(key, GOAL_KIND, GOAL_DIRECTION) for key in goals)]
    values = np.array(
        [[figures[metric.key] for figures in headline] for metric in HEADLINE_METRICS]
        + list(goals.values()),
        dtype=float,
    ).reshape(len(metrics), len(evaluations))
    base_values = np.broadcast_to(values[:, [base]], values.shape)
    direction = np.array([int(metric.direction) for metric in metrics], dtype=np.int64)
    diff = values - base_values
    scenarios = len(evaluations)
    return pd.DataFrame(
        {
            "metric": np.repeat(np.array([m.key for m in metrics], dtype=object), scenarios),
            "kind": np.repeat(np.array([m.kind.value for m in metrics], dtype=object), scenarios),
            "direction": np.repeat(direction, scenarios),
            "scenario": np.tile(np.array(list(labels), dtype=object), len(metrics)),
            "is_base": np.tile(np.arange(scenarios) == base, len(metrics)),
            "value": values.ravel(),
            "base_value": base_values.ravel(),
            "diff": diff.ravel(),
            "diff_pct": safe_divide(diff, np.abs(base_values)).ravel(),
            "verdict": verdicts(values, base_values, direction[:, None]).ravel(),
        }
    )


# ---------------------------------------------------------------------------------------------
# What changed


@dataclass(frozen=True)
class Change:
    """One input that differs from the base: where it is, the base's value and this one's.

    ``field`` is a readable path in scenario-file order: ``currency``,
    ``investment.ad_budget``, ``values.lead``, ``lenses.engagement``,
    ``channels[Instagram].cpm``, ``goals[primary:leads].target``. Channels are matched by name
    and goals by tier and metric (a repeated goal's second occurrence is
    ``goals[primary:leads#2]``), so a change of order alone is no change.

    A channel or goal present on one side only is one change of the whole item, whose
    ``value`` tells what happened and whose ``base_value`` is None: :data:`ADDED` (only this
    scenario has it) or :data:`REMOVED` (only the base has it).
    """

    field: str
    base_value: object
    value: object


def _spec_changes(prefix: str, base: object, other: object, spec: type[Any]) -> list[Change]:
    """Changes of the fields of two specs of one type (every field but a channel's name)."""
    return [
        Change(f"{prefix}{f.name}", getattr(base, f.name), getattr(other, f.name))
        for f in fields(spec)
        if f.name != "name" and getattr(base, f.name) != getattr(other, f.name)
    ]


def _goals_by_key(goals: tuple[Goal, ...]) -> dict[str, Goal]:
    """Goals keyed ``tier:metric``; a repeated one ``tier:metric#2``, ``#3``, ..."""
    keyed: dict[str, Goal] = {}
    seen: dict[str, int] = {}
    for goal in goals:
        key = f"{goal.tier.value}:{goal.metric.value}"
        seen[key] = seen.get(key, 0) + 1
        keyed[key if seen[key] == 1 else f"{key}#{seen[key]}"] = goal
    return keyed


def _item_changes(
    kind: str, base: dict[str, Any], other: dict[str, Any], spec: type[Any]
) -> list[Change]:
    """Changes of channels or goals matched by key: base order, then the added ones."""
    changes: list[Change] = []
    for key, item in base.items():
        if key in other:
            changes += _spec_changes(f"{kind}[{key}].", item, other[key], spec)
        else:
            changes.append(Change(f"{kind}[{key}]", None, REMOVED))
    changes += [Change(f"{kind}[{key}]", None, ADDED) for key in other if key not in base]
    return changes


@dataclass(frozen=True)
class _Currency:
    """The scenario's own inputs besides its specs: only the currency (the name is not one)."""

    currency: str


def what_changed(base: Scenario, other: Scenario) -> list[Change]:
    """Every input of ``other`` that differs from ``base``, in scenario-file order.

    The scenario's name is not an input. See :class:`Change` for the paths and for channels
    and goals on one side only.

    Examples
    --------
    >>> from dataclasses import replace
    >>> base = Scenario()
    >>> what_changed(base, replace(base, name="Other", currency="USD"))
    [Change(field='currency', base_value='EUR', value='USD')]
    """
    changes = _spec_changes("", base, other, _Currency)
    for group, spec in (("investment", Investment), ("values", ActionValues), ("lenses", Lenses)):
        changes += _spec_changes(f"{group}.", getattr(base, group), getattr(other, group), spec)
    changes += _item_changes(
        "channels",
        {c.name: c for c in base.channels},
        {c.name: c for c in other.channels},
        Channel,
    )
    changes += _item_changes("goals", _goals_by_key(base.goals), _goals_by_key(other.goals), Goal)
    return changes


def changes_table(
    scenarios: Sequence[Scenario], labels: Sequence[str], base: int = 0
) -> pd.DataFrame:
    """:func:`what_changed` for every scenario but the base, as one tidy table.

    Columns ``scenario``, ``field``, ``base_value``, ``value``, all of ``object`` dtype (values
    keep their Python type: float, bool, text or None); scenarios in the order given.
    """
    check_labels(len(scenarios), labels, base)
    rows = [
        (label, change.field, change.base_value, change.value)
        for index, (label, scenario) in enumerate(zip(labels, scenarios, strict=True))
        if index != base
        for change in what_changed(scenarios[base], scenario)
    ]
    columns = ("scenario", "field", "base_value", "value")
    return pd.DataFrame(
        {name: pd.Series([row[i] for row in rows], dtype=object) for i, name in enumerate(columns)}
    )


# ---------------------------------------------------------------------------------------------
# Chart tables


def _text(items: Sequence[str], repeat: int = 1, tile: int = 1) -> npt.NDArray[np.object_]:
    """A text column: each item repeated ``repeat`` times, the whole tiled ``tile`` times."""
    return np.tile(np.repeat(np.array(list(items), dtype=object), repeat), tile)


def headline_ratios(evaluations: Sequence[Evaluation], labels: Sequence[str]) -> pd.DataFrame:
    """Financial ROI, full ROI and ROAS of each scenario: ``scenario``, ``metric``, ``value``."""
    check_labels(len(evaluations), labels)
    return pd.DataFrame(
        {
            "scenario": _text(labels, repeat=len(HEADLINE_RATIOS)),
            "metric": _text(HEADLINE_RATIOS, tile=len(evaluations)),
            "value": np.array(
                [[getattr(ev, name) for name in HEADLINE_RATIOS] for ev in evaluations], float
            ).ravel(),
        }
    )


def investment_vs_return(evaluations: Sequence[Evaluation], labels: Sequence[str]) -> pd.DataFrame:
    """One row per scenario: ``investment``, ``financial_return``, ``full_return``, ``full_net``."""
    check_labels(len(evaluations), labels)
    headline = [_headline_values(evaluation) for evaluation in evaluations]
    columns = ("investment", "financial_return", "full_return", "full_net")
    return pd.DataFrame(
        {"scenario": _text(labels)}
        | {name: np.array([figures[name] for figures in headline], float) for name in columns}
    )


def channel_mix(evaluations: Sequence[Evaluation], labels: Sequence[str]) -> pd.DataFrame:
    """Each scenario's split of spend and of hours across its channels.

    One row per scenario × measure (``spend``, ``hours``) × channel, channels in each
    scenario's order: ``share`` (each scenario and measure sums to 1, or is all 0 when nothing
    is spent) and ``amount`` (the money or the hours).
    """
    check_labels(len(evaluations), labels)
    parts: list[dict[str, npt.NDArray[Any]]] = []
    for label, evaluation in zip(labels, evaluations, strict=True):
        channels = evaluation.channels
        count = len(channels)
        names = channels.index.to_numpy(dtype=object)
        parts.append(
            {
                "scenario": _text([label], repeat=count * len(MIX_MEASURES)),
                "channel": np.tile(names, len(MIX_MEASURES)),
                "measure": _text(MIX_MEASURES, repeat=count),
                "share": channels[[f"{m}_share" for m in MIX_MEASURES]].to_numpy().T.ravel(),
                "amount": channels[list(MIX_MEASURES)].to_numpy().T.ravel(),
            }
        )
    return pd.DataFrame({name: np.concatenate([part[name] for part in parts]) for name in parts[0]})


def lens_returns(evaluations: Sequence[Evaluation], labels: Sequence[str]) -> pd.DataFrame:
    """Each scenario's return by lens, for a stacked bar: one row per scenario × lens.

    Columns ``scenario``, ``lens`` (in :class:`Lens` order), ``amount`` and ``counted``; a lens
    the scenario does not count has amount 0, so each scenario's amounts add up to its
    full-value return.
    """
    check_labels(len(evaluations), labels)
    lenses = tuple(Lens)
    counted = np.array(
        [[lens in enabled_lenses(ev.scenario.lenses) for lens in lenses] for ev in evaluations],
        dtype=bool,
    ).reshape(len(evaluations), len(lenses))
    amounts: FloatArray = np.array(
        [[float(getattr(ev.returns, lens.value)) for lens in lenses] for ev in evaluations],
        dtype=float,
    ).reshape(counted.shape)
    return pd.DataFrame(
        {
            "scenario": _text(labels, repeat=len(lenses)),
            "lens": _text([lens.value for lens in lenses], tile=len(evaluations)),
            "amount": np.where(counted, amounts, 0.0).ravel(),
            "counted": counted.ravel(),
        }
    )
