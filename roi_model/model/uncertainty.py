"""How sure are we? The scenario's ranges drawn many times, and what they do to the ROI.

Each :class:`~roi_model.model.spec.InputRange` of ``Scenario.uncertainty`` is a triangular
distribution: the input lies between ``low`` and ``high`` and today's value is the most likely.
:func:`simulate` draws every range many times at once (draws x channels arrays through
:func:`~roi_model.model.drawn_totals.drawn_totals`, the evaluation's equations regrouped for the
totals a draw needs; no loop over draws) and summarises the investment, the returns, the ROIs
and the goals by their 10th, 50th and 90th percentiles; :func:`sensitivity` is the tornado
(each range at its ends, all else today); and :func:`p_beats` compares two scenarios on the
same draws. The equations and the choices are in docs/model.md, "How sure are we?".
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from roi_model.model.break_even import input_paths, with_input
from roi_model.model.curves import FloatArray, safe_divide
from roi_model.model.drawn_totals import DrawnValues, drawn_totals
from roi_model.model.errors import ScenarioError
from roi_model.model.evaluate import (
    Evaluation,
    channel_arrays,
    enabled_lenses,
    evaluate,
    normalised,
)
from roi_model.model.report import json_number
from roi_model.model.spec import (
    RANGED_MONTHS_FIELDS,
    ActionValues,
    Goal,
    GoalMetric,
    InputRange,
    Investment,
    Scenario,
)
from roi_model.model.vocabulary import Lens, Objective

#: How many draws :func:`simulate` and :func:`p_beats` make unless told.
DEFAULT_DRAWS = 10_000
#: The percentiles every summary reports.
PERCENTILES: tuple[int, ...] = (10, 50, 90)
#: The figures :func:`simulate` summarises, in the order of :attr:`Simulation.summary`.
QUANTITIES: tuple[str, ...] = (
    "investment",
    "financial_return",
    "full_return",
    "financial_roi",
    "full_roi",
)
#: The quantities whose share of draws above 0 is told (the chance of a positive ROI).
_ROIS = frozenset({"financial_roi", "full_roi"})

_PATH = re.compile(r"^(investment|values|months)\.(\w+)$|^channels\[(\*|\d+)\]\.(\w+)$")
_VALUE_FIELDS = tuple(f.name for f in fields(ActionValues))
_INVESTMENT_FIELDS = tuple(f.name for f in fields(Investment))
_MONTHS_FIELDS = RANGED_MONTHS_FIELDS


@dataclass(frozen=True, eq=False)
class Simulation:
    """The scenario's ranges drawn ``draws`` times, and what came of each draw.

    Its tables are worked out when first read, each once: a slider press that redraws the
    headline's bands needs the ROIs' figures (:meth:`stats`) long before the goals' and the
    draws' tables, which come later on the page, if at all.

    Attributes
    ----------
    outcomes
        Each of :data:`QUANTITIES` per draw (an ROI is NaN where nothing is invested), and
        ``goals``: each goal's value per draw, ``(goals, draws)``.
    samples
        One row per draw, one column per :data:`QUANTITIES`.
    goal_samples
        Each goal's value per draw, shape ``(goals, draws)``.
    summary
        One row per quantity (index ``quantity``): ``p10``, ``p50``, ``p90``, ``mean`` (of the
        draws where it is defined) and ``p_positive`` (the share of those draws with a value
        above 0; NaN but for the ROIs).
    goals
        One row per goal: ``tier``, ``metric``, ``target``, ``p_met`` (the share of the draws
        where the goal is met, ``value >= target``), ``p10``, ``p50``, ``p90``, ``mean``.
    """

    scenario: Scenario
    draws: int
    seed: int
    outcomes: Mapping[str, FloatArray]
    _stats: dict[str, FloatArray] = field(default_factory=dict, init=False, repr=False)

    def stats(self, quantity: str) -> FloatArray:
        """One row of :attr:`summary` as an array (:data:`SUMMARY_COLUMNS`), summarised once."""
        if quantity not in self._stats:
            row = summary_stats([self.outcomes[quantity]])[0]
            if quantity not in _ROIS:
                row[-1] = math.nan  # the share above 0 says something of the ROIs only
            self._stats[quantity] = row
        return self._stats[quantity]

    @property
    def goal_samples(self) -> FloatArray:
        return self.outcomes["goals"]

    @functools.cached_property
    def samples(self) -> pd.DataFrame:
        return pd.DataFrame({name: self.outcomes[name] for name in QUANTITIES})

    @functools.cached_property
    def summary(self) -> pd.DataFrame:
        rows = [self.stats(name) for name in QUANTITIES]
        return pd.DataFrame(rows, index=_SUMMARY_INDEX, columns=_SUMMARY_COLUMNS)

    @functools.cached_property
    def goals(self) -> pd.DataFrame:
        stats = summary_stats(self.goal_samples)[:, :-1]
        return _goal_frame(self.scenario.goals, self.goal_samples, stats)

    @property
    def inputs(self) -> dict[str, FloatArray]:
        """:func:`draw_inputs` of these draws: each ranged input's drawn values (drawn again
        when asked, rather than kept: a ``channels[*]`` input holds draws x channels)."""
        return draw_inputs(self.scenario, self.draws, self.seed)

    def p_positive(self, objective: Objective = "financial") -> float:
        """P(ROI > 0) of the financial or the full-value ROI."""
        return float(self.stats(f"{objective}_roi")[-1])

    def to_dict(self, tornado: pd.DataFrame | None = None) -> dict[str, Any]:
        """The documented JSON of ``python -m roi_model simulate``; undefined numbers are None.

        ``tornado`` is :func:`sensitivity` of the scenario, computed when not given.
        """
        table = sensitivity(self.scenario) if tornado is None else tornado
        objectives: tuple[Objective, ...] = ("financial", "full")
        summary = self.summary.to_dict(orient="index")
        return {
            "draws": self.draws,
            "seed": self.seed,
            "roi": {
                objective: _numbers(summary[f"{objective}_roi"], SUMMARY_COLUMNS)
                for objective in objectives
            },
            "return": {
                objective: _numbers(summary[f"{objective}_return"], _STAT_KEYS)
                for objective in objectives
            },
            "goals": [
                {"tier": row["tier"], "metric": row["metric"]}
                | _numbers(row, ("target", "p_met", "p10", "p50", "p90"))
                for row in self.goals.to_dict(orient="records")
            ],
            "sensitivity": [
                {"input": row["input"]} | _numbers(row, _SENSITIVITY_COLUMNS[1:])
                for row in table.to_dict(orient="records")
            ],
        }


_STAT_KEYS = ("p10", "p50", "p90", "mean")
#: What a tornado works out at a range's ends: an evaluation, a projection.
_Figures = TypeVar("_Figures")
#: What :func:`summary_stats` gives of each row (and the JSON of each ROI).
SUMMARY_COLUMNS = (*_STAT_KEYS, "p_positive")


def _numbers(row: Mapping[Any, Any], keys: tuple[str, ...]) -> dict[str, float | None]:
    return {key: json_number(row[key]) for key in keys}


def triangular_quantile(
    u: FloatArray, low: float, mode: float | FloatArray, high: float
) -> FloatArray:
    """The triangular distribution's inverse CDF: the value below which a share ``u`` lies.

    ``u`` and ``mode`` broadcast (draws against channels: ``(1, draws)`` and ``(channels, 1)``).

    Notes
    -----
    With ``F(mode) = (mode - low) / (high - low)``: ``low + sqrt(u (high - low)(mode - low))``
    for ``u < F(mode)``, else ``high - sqrt((1 - u)(high - low)(high - mode))``; clipped to
    ``[low, high]`` against rounding. A range of no width gives ``mode`` exactly; a NaN mode
    (a channel without saturation) stays NaN.

    Examples
    --------
    >>> triangular_quantile(np.array([0.0, 0.5, 0.98]), 0.0, 1.0, 2.0).round(12).tolist()
    [0.0, 1.0, 1.8]
    >>> triangular_quantile(np.array([0.3]), 5.0, 5.0, 5.0).tolist()
    [5.0]
    """
    return triangular_at_roots(np.sqrt(u), np.sqrt(1.0 - u), low, mode, high)


def triangular_at_roots(
    root: FloatArray, root_of_rest: FloatArray, low: float, mode: float | FloatArray, high: float
) -> FloatArray:
    """:func:`triangular_quantile` at ``u`` given as ``sqrt(u)`` and ``sqrt(1 - u)`` (an
    input's :func:`uniform_roots`)."""
    return Triangle.of(low, mode, high).at(root, root_of_rest)


@dataclass(frozen=True)
class Triangle:
    """A triangular distribution's figures that do not depend on the draw, worked out once
    for every block of draws: its ends and mode, each side's width (``below = mode - low``,
    ``above = high - mode``) and the scales of the two square roots,
    ``sqrt((high - low) * below)`` and ``sqrt((high - low) * above)``."""

    low: float
    high: float
    mode: FloatArray
    below: FloatArray
    above: FloatArray
    rise_scale: FloatArray
    fall_scale: FloatArray

    @classmethod
    def of(cls, low: float, mode: float | FloatArray, high: float) -> Triangle:
        peak = np.asarray(mode, float)
        below, above = peak - low, high - peak
        with np.errstate(invalid="ignore"):  # a NaN mode stays NaN
            scales = np.sqrt((high - low) * below), np.sqrt((high - low) * above)
        return cls(low, high, peak, below, above, *scales)

    def at(self, root: FloatArray, root_of_rest: FloatArray) -> FloatArray:
        """The values at the uniforms ``u`` given as ``sqrt(u)`` and ``sqrt(1 - u)``."""
        if not self.high > self.low:
            shape = np.broadcast_shapes(root.shape, self.mode.shape)
            return np.array(np.broadcast_to(self.mode, shape))
        # Both branches everywhere, joined without a branch per number (a mask chosen at
        # random defeats the processor's branch prediction). The rise above the low end,
        # sqrt(u (high - low) below), is under ``below`` for u < F(mode) and over it after;
        # the fall from the high end, sqrt((1 - u)(high - low) above), the reverse. Each capped
        # at its side's width, low + rise - fall + above is the branch that applies.
        rise = self.rise_scale * root
        np.minimum(rise, self.below, out=rise)
        fall = self.fall_scale * root_of_rest
        np.minimum(fall, self.above, out=fall)
        rise -= fall
        rise += self.low + self.above
        return np.clip(rise, self.low, self.high, out=rise)


def range_paths(scenario: Scenario) -> tuple[str, ...]:
    """Every input a range may be put on: :func:`~roi_model.model.break_even.input_paths`,
    each channel's carryover and the months ahead's numbers (those two move only the months
    after today)."""
    channels = ("*", *(str(index) for index in range(len(scenario.channels))))
    return (
        *input_paths(scenario),
        *(f"channels[{which}].carryover" for which in channels),
        *(f"months.{name}" for name in RANGED_MONTHS_FIELDS),
    )


def uniforms(path: str, draws: int = DEFAULT_DRAWS, seed: int = 0) -> FloatArray:
    """The uniform draws of one input: from a generator seeded by ``seed`` and the path itself.

    The same seed gives the same input the same uniforms whatever the other ranges are, which
    is what lets :func:`p_beats` compare two scenarios on common random numbers (and lets a
    range be added without changing the draws of the others).
    """
    key = int.from_bytes(hashlib.blake2b(path.encode(), digest_size=8).digest(), "big")
    generator = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(key,)))
    return generator.random(draws)


@functools.lru_cache(maxsize=64)
def uniform_roots(path: str, draws: int = DEFAULT_DRAWS, seed: int = 0) -> FloatArray:
    """``sqrt(u)`` and ``sqrt(1 - u)`` of :func:`uniforms`, shape ``(2, draws)``, read-only.

    Kept for the inputs last drawn: a slider move draws the same inputs with the same seed
    again, and only the triangles' ends and modes change.
    """
    u = uniforms(path, draws, seed)
    roots = np.stack([np.sqrt(u), np.sqrt(1.0 - u)])
    roots.flags.writeable = False
    return roots


def draw_inputs(
    scenario: Scenario, draws: int = DEFAULT_DRAWS, seed: int = 0
) -> dict[str, FloatArray]:
    """Each ranged input's drawn values, by path, in the order of ``scenario.uncertainty``.

    An investment or action value, or one channel's number (``channels[2].ctr``), has shape
    ``(draws,)``; a ``channels[*]`` input has shape ``(channels, draws)``: one uniform per draw,
    through each channel's own triangular distribution (its mode that channel's value, the
    range's ends), so the channels move together (fully correlated). A channel whose value is
    None (no saturation) stays NaN, that is None.

    Examples
    --------
    >>> from roi_model.model.spec import ActionValues, InputRange
    >>> s = Scenario(values=ActionValues(order_value=100.0),
    ...              uncertainty=(InputRange("values.order_value", 80.0, 150.0),))
    >>> drawn = draw_inputs(s, draws=5, seed=1)["values.order_value"]
    >>> drawn.shape, bool(((80.0 <= drawn) & (drawn <= 150.0)).all())
    ((5,), True)
    """
    check_draws(draws, seed)
    return {
        r.item.input: r.drawn(uniform_roots(r.item.input, draws, seed)) for r in _ranged(scenario)
    }


def simulate(scenario: Scenario, draws: int = DEFAULT_DRAWS, seed: int = 0) -> Simulation:
    """The ranges of ``scenario.uncertainty`` drawn ``draws`` times, summarised.

    Notes
    -----
    Each draw evaluates the month with the drawn inputs: spend and hours split by the drawn
    shares, the returns and the goals' counts of
    :func:`~roi_model.model.drawn_totals.drawn_totals` summed over the channels;
    ``investment = ad_budget + staff_hours * hourly_rate + fixed_costs`` and
    ``ROI = (return - investment) / investment`` per draw. These equal the evaluation's figures
    up to rounding; without ranges (or with ranges of no width) the scenario is evaluated once
    and every percentile is :func:`~roi_model.model.evaluate.evaluate`'s figure to the last
    bit. A draw the scenario could not take (spend on a channel whose CPM is 0) has undefined
    figures.

    Examples
    --------
    >>> from roi_model.model.spec import Investment, InputRange
    >>> s = Scenario(investment=Investment(ad_budget=1000.0, fixed_costs=100.0),
    ...              uncertainty=(InputRange("investment.fixed_costs", 0.0, 400.0),))
    >>> sim = simulate(s, draws=2_000, seed=7)
    >>> bool(1000.0 <= sim.summary.loc["investment", "p10"] < 1100.0)
    True
    """
    check_draws(draws, seed)
    return Simulation(scenario, draws, seed, _outcomes(scenario, draws, seed))


#: The tables' labels, made once (a pandas index of text is not free to build on every rerun).
_SUMMARY_INDEX = pd.Index(QUANTITIES, name="quantity", dtype=object)
_SUMMARY_COLUMNS = pd.Index(SUMMARY_COLUMNS)


def _goal_frame(
    goals: tuple[Goal, ...], goal_samples: FloatArray, stats: FloatArray
) -> pd.DataFrame:
    """:attr:`Simulation.goals`: each goal, the share of the draws meeting it and its
    :func:`summary_stats`."""
    targets = np.array([g.target for g in goals], float)
    return pd.DataFrame(
        {
            "tier": np.array([g.tier.value for g in goals], dtype=object),
            "metric": np.array([g.metric.value for g in goals], dtype=object),
            "target": targets,
            "p_met": np.mean(goal_samples >= targets[:, np.newaxis], axis=1),
        }
        | dict(zip(_STAT_KEYS, stats.T, strict=True))
    )


def p_beats(
    scenario: Scenario, base: Scenario, draws: int = DEFAULT_DRAWS, seed: int = 0
) -> dict[Objective, float]:
    """The probability that ``scenario``'s ROI is above ``base``'s: financial and full-value.

    Both are drawn with the same seed, so an input with a range in both gets the same uniforms
    in both (common random numbers): the comparison sees the scenarios' difference, not the
    noise of two separate samples. A tie does not beat, nor does an undefined ROI.
    """
    check_draws(draws, seed)
    ours, theirs = _outcomes(scenario, draws, seed), _outcomes(base, draws, seed)
    return {
        "financial": float(np.mean(ours["financial_roi"] > theirs["financial_roi"])),
        "full": float(np.mean(ours["full_roi"] > theirs["full_roi"])),
    }


def sensitivity(scenario: Scenario) -> pd.DataFrame:
    """The tornado: each range at its low and at its high end, everything else as today
    (each range that can move the month: :func:`moves_the_month`).

    One row per range: ``input``, ``low``, ``high``, ``roi_financial_at_low``,
    ``roi_financial_at_high``, ``roi_full_at_low``, ``roi_full_at_high``, sorted by the
    full-value ROI's swing ``|at_high - at_low|``, largest first (undefined swings last). A
    ``channels[*]`` input is set on every channel (each channel that has a value: a channel
    without saturation keeps none), as the extreme draws of :func:`simulate` do; an end the
    scenario cannot take (a CPM of 0 with spend) is NaN. The goals at the same ends are
    :func:`goal_sensitivity`.
    """
    rows = [
        {
            "input": item.input,
            "low": item.low,
            "high": item.high,
            "roi_financial_at_low": _figure(at_low, lambda e: e.financial_roi),
            "roi_financial_at_high": _figure(at_high, lambda e: e.financial_roi),
            "roi_full_at_low": _figure(at_low, lambda e: e.full_roi),
            "roi_full_at_high": _figure(at_high, lambda e: e.full_roi),
        }
        for item, at_low, at_high in _ends(scenario)
    ]
    return tornado_frame(rows, _SENSITIVITY_COLUMNS[3:])


_SENSITIVITY_COLUMNS = (
    "input",
    "low",
    "high",
    "roi_financial_at_low",
    "roi_financial_at_high",
    "roi_full_at_low",
    "roi_full_at_high",
)


def goal_sensitivity(scenario: Scenario) -> pd.DataFrame:
    """Each goal's value with each range at its low and its high end, all else as today.

    One row per range and goal (tidy): ``input``, ``low``, ``high``, ``goal`` (its position in
    ``scenario.goals``), ``tier``, ``metric``, ``target``, ``value_at_low``, ``value_at_high``;
    ranges in :func:`sensitivity`'s order, goals in the scenario's.
    """
    order = {name: i for i, name in enumerate(sensitivity(scenario)["input"])}
    rows = [
        {
            "input": item.input,
            "low": item.low,
            "high": item.high,
            "goal": index,
            "tier": goal.tier.value,
            "metric": goal.metric.value,
            "target": goal.target,
            "value_at_low": _goal_value(at_low, goal.metric),
            "value_at_high": _goal_value(at_high, goal.metric),
        }
        for item, at_low, at_high in sorted(_ends(scenario), key=lambda e: order[e[0].input])
        for index, goal in enumerate(scenario.goals)
    ]
    columns = ["input", "low", "high", "goal", "tier", "metric", "target"]
    return pd.DataFrame(rows, columns=[*columns, "value_at_low", "value_at_high"]).astype(
        {"input": object, "tier": object, "metric": object, "goal": int}
    )


def with_drawn_input(scenario: Scenario, path: str, value: float) -> Scenario:
    """The scenario with a ranged input set to ``value``, as a draw at that value sets it.

    Like :func:`~roi_model.model.break_even.with_input`, except that a channel whose value is
    None (no saturation) keeps None, and the scenario's ranges are dropped (an end of one range
    may lie outside another range on the same figure).
    """
    bare = replace(scenario, uncertainty=())
    _, which, name = _parts(path)
    if which is None:
        return with_input(bare, path, value)
    channels = tuple(
        replace(channel, **{name: value})  # type: ignore[arg-type]
        if which in ("*", str(index)) and getattr(channel, name) is not None
        else channel
        for index, channel in enumerate(bare.channels)
    )
    return replace(bare, channels=channels)


def _ends(scenario: Scenario) -> list[tuple[InputRange, Evaluation | None, Evaluation | None]]:
    """Each range that can move the month, evaluated at its two ends."""
    ranges = [item for item in scenario.uncertainty if moves_the_month(item.input)]
    return at_ends(scenario, evaluate, ranges)


def moves_the_month(path: str) -> bool:
    """Whether an input can change the month's figures: not the months' numbers nor the
    carryover, which shape only the months after today (their tornado is the months')."""
    return not (path.startswith("months.") or path.endswith(".carryover"))


def at_ends(
    scenario: Scenario, compute: Callable[[Scenario], _Figures], ranges: Iterable[InputRange]
) -> list[tuple[InputRange, _Figures | None, _Figures | None]]:
    """Each range with ``compute`` of the scenario at its low and at its high end, all else
    as today (:func:`with_drawn_input`); None at an end the scenario cannot take (e.g. a CPM
    of 0 on a channel with spend)."""
    return [
        (
            item,
            _at(scenario, item.input, item.low, compute),
            _at(scenario, item.input, item.high, compute),
        )
        for item in ranges
    ]


def _at(
    scenario: Scenario, path: str, value: float, compute: Callable[[Scenario], _Figures]
) -> _Figures | None:
    try:
        return compute(with_drawn_input(scenario, path, value))
    except ScenarioError:
        return None


def tornado_frame(rows: list[dict[str, Any]], figures: Iterable[str]) -> pd.DataFrame:
    """A tornado's rows (``input``, ``low``, ``high`` and the ``figures``, numbers) as a
    table, the largest full-value ROI swing first."""
    columns = ["low", "high", *figures]
    frame = pd.DataFrame(rows, columns=["input", *columns]).astype(
        {"input": object} | dict.fromkeys(columns, float)
    )
    return frame.iloc[_tornado_order(frame)].reset_index(drop=True)


def _figure(evaluation: Evaluation | None, read: Callable[[Evaluation], float]) -> float:
    return math.nan if evaluation is None else float(read(evaluation))


def _goal_value(evaluation: Evaluation | None, metric: GoalMetric) -> float:
    return math.nan if evaluation is None else float(evaluation.metric(metric))


def _tornado_order(frame: pd.DataFrame) -> list[int]:
    """Rows by the full-value ROI's swing ``|roi_full_at_high - roi_full_at_low|``, largest
    first, undefined swings last."""
    swing = (frame["roi_full_at_high"] - frame["roi_full_at_low"]).abs().to_numpy()
    key = np.where(np.isnan(swing), -np.inf, swing)
    return list(np.argsort(-key, kind="stable"))


def check_draws(draws: int, seed: int) -> None:
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
        raise ValueError(f"draws: expected a whole number >= 1, got {draws!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed: expected a whole number >= 0, got {seed!r}")


def _parts(path: str) -> tuple[str, str | None, str]:
    """(group, which channel or None, field) of a range's path."""
    match = _PATH.match(path)
    if match is None:
        raise ValueError(f"unknown input {path!r}")
    group, name, which, channel_field = match.groups()
    if group is not None:
        return group, None, name
    return "channels", which, channel_field


@dataclass(frozen=True)
class _Ranged:
    """One range, read once for all the slices of draws: the figure it sets and today's value
    there (``(channels, 1)`` for a ``channels[*]`` range, each channel's own)."""

    item: InputRange
    group: str
    which: str | None
    name: str
    today: float | FloatArray
    triangle: Triangle

    def drawn(self, roots: FloatArray) -> FloatArray:
        """The values at the uniforms whose :func:`uniform_roots` are ``roots``: ``(draws,)``,
        or ``(channels, draws)`` for ``*``."""
        if self.which != "*":
            return self.triangle.at(*roots)
        values = self.triangle.at(roots[0][np.newaxis, :], roots[1][np.newaxis, :])
        if self.alike:  # one triangle for channels alike: its row, read-only
            return np.broadcast_to(values, (np.shape(self.today)[0], values.shape[1]))
        return values

    @property
    def alike(self) -> bool:
        """Whether this is a ``channels[*]`` range that draws one row for every channel (each
        has the same value today)."""
        return self.which == "*" and len(self.triangle.mode) < np.shape(self.today)[0]


def _ranged(scenario: Scenario, modes: dict[str, FloatArray] | None = None) -> list[_Ranged]:
    """The scenario's ranges, each with today's value (``modes``: the channels'
    :func:`~roi_model.model.evaluate.channel_arrays`, when the caller has them)."""
    modes = channel_arrays(scenario.channels) if modes is None else modes
    ranged = []
    for item in scenario.uncertainty:
        group, which, name = _parts(item.input)
        today: float | FloatArray
        if which is None:
            today = float(getattr(getattr(scenario, group), name))
        elif which == "*":
            today = modes[name][:, np.newaxis]
        else:
            today = float(modes[name][int(which)])
        ranged.append(_Ranged(item, group, which, name, today, _triangle(item, today)))
    return ranged


def _triangle(item: InputRange, today: float | FloatArray) -> Triangle:
    """The range's triangle: one per channel, or one for all where every channel has the
    same value today (a ``channels[*]`` range on it draws the same values for all)."""
    modes = np.asarray(today, float)
    if modes.ndim == 2 and np.all(modes == modes[0]):
        return Triangle.of(item.low, modes[:1], item.high)
    return Triangle.of(item.low, today, item.high)


#: The size of a block's arrays of channels x draws, in bytes: under the C library's
#: threshold (128 KiB) for memory of its own, such arrays reuse the memory freed by the last
#: ones, where larger ones are handed over by the operating system page by page on every
#: rerun (which costs more than the arithmetic; benchmarks/uncertainty_timing.py).
_BLOCK_BYTES = 100_000


def block_size(channels: int) -> int:
    """How many draws a block holds: as many as keep its arrays within :data:`_BLOCK_BYTES`
    (1,250 draws of 10 channels; fewer blocks of more draws pay numpy's cost per operation
    fewer times)."""
    return max(64, _BLOCK_BYTES // (8 * max(channels, 1)))


@dataclass(frozen=True)
class _Draws:
    """What every block of draws shares: the scenario's figures with the drawn ones in place.

    ``investment``, ``values`` and ``months`` (the months ahead's ranged numbers) hold a
    float, or an array of every draw where ranged; ``rates`` the channels' figures,
    ``(channels, 1)``; ``channel_ranges`` the ranges on every channel's figure with the
    square roots of their uniforms, drawn block by block (``(channels, draws)`` each);
    ``alike_channels`` those on a figure every channel shares today, drawn once for every draw
    (``(1, draws)``: one row for all the channels, which a block only slices), and
    ``one_channel`` those on one channel's figure, drawn for every draw (``(draws,)``).
    """

    investment: dict[str, float | FloatArray]
    values: dict[str, float | FloatArray]
    months: dict[str, float | FloatArray]
    rates: dict[str, FloatArray]
    channel_ranges: list[tuple[_Ranged, FloatArray]]
    alike_channels: list[tuple[_Ranged, FloatArray]]
    one_channel: list[tuple[_Ranged, FloatArray]]

    @property
    def channels(self) -> int:
        return len(self.rates["cpm"])


def drawn(scenario: Scenario, draws: int, seed: int) -> _Draws:
    """The scenario's figures with every ranged one drawn (the channels' left to the blocks)."""
    groups: dict[str, dict[str, float | FloatArray]] = {
        group: {name: float(getattr(getattr(scenario, group), name)) for name in names}
        for group, names in (
            ("investment", _INVESTMENT_FIELDS),
            ("values", _VALUE_FIELDS),
            ("months", _MONTHS_FIELDS),
        )
    }
    modes = channel_arrays(scenario.channels)
    rates = {name: a[:, np.newaxis] for name, a in modes.items()}
    every_channel, alike_channels, one_channel = [], [], []
    for ranged in _ranged(scenario, modes):  # the spec allows one range per figure: none set twice
        roots = uniform_roots(ranged.item.input, draws, seed)
        if ranged.alike:
            alike_channels.append((ranged, ranged.triangle.at(roots[:1], roots[1:])))
        elif ranged.which == "*":
            every_channel.append((ranged, roots))
        elif ranged.which is not None:
            one_channel.append((ranged, ranged.drawn(roots)))
        else:
            groups[ranged.group][ranged.name] = ranged.drawn(roots)
    return _Draws(
        groups["investment"],
        groups["values"],
        groups["months"],
        rates,
        every_channel,
        alike_channels,
        one_channel,
    )


def _outcomes(scenario: Scenario, draws: int, seed: int) -> dict[str, FloatArray]:
    """Every draw's investment, returns, ROIs and goal values (``goals``: goals x draws).

    The channels' figures are worked out in blocks of :func:`block_size` draws, each vectorised
    over its draws x channels, and joined: every operation is element by element or along the
    channels of one draw, so the numbers are those of one block of all the draws.
    """
    if all(item.low == item.high for item in scenario.uncertainty):
        return _evaluated_outcomes(scenario, draws)
    figures = drawn(scenario, draws, seed)
    counted = list(
        dict.fromkeys(
            ["financial_return", "full_return"]
            + [g.metric.value for g in scenario.goals if not g.metric.is_ratio]
        )
    )
    lenses = enabled_lenses(scenario.lenses)
    sums = np.concatenate(
        [
            _block_totals(figures, counted, lenses, block)
            for block in blocks(draws, figures.channels)
        ],
        axis=1,
    )
    totals = dict(zip(counted, sums, strict=True))
    invested = figures.investment
    total_investment = np.broadcast_to(
        (invested["ad_budget"] + invested["staff_hours"] * invested["hourly_rate"])
        + invested["fixed_costs"],
        (draws,),
    )
    financial, full = totals["financial_return"], totals["full_return"]
    metrics = totals | {
        GoalMetric.FINANCIAL_ROI.value: safe_divide(financial - total_investment, total_investment),
        GoalMetric.FULL_ROI.value: safe_divide(full - total_investment, total_investment),
    }
    goals = np.array([metrics[g.metric.value] for g in scenario.goals], float).reshape(-1, draws)
    return {
        "investment": np.array(total_investment, float),
        "financial_return": financial,
        "full_return": full,
        "financial_roi": metrics[GoalMetric.FINANCIAL_ROI.value],
        "full_roi": metrics[GoalMetric.FULL_ROI.value],
        "goals": goals,
    }


def _evaluated_outcomes(scenario: Scenario, draws: int) -> dict[str, FloatArray]:
    """:func:`_outcomes` of a scenario whose ranges have no width: every draw is today's."""
    evaluation = evaluate(replace(scenario, uncertainty=()))
    figures = {
        "investment": evaluation.investment.total,
        "financial_return": evaluation.returns.financial,
        "full_return": evaluation.returns.full,
        "financial_roi": evaluation.financial_roi,
        "full_roi": evaluation.full_roi,
    }
    goals = evaluation.goals["value"].to_numpy(dtype=float)[:, np.newaxis]
    return {name: np.full(draws, value, float) for name, value in figures.items()} | {
        "goals": np.repeat(goals, draws, axis=1)
    }


def blocks(draws: int, channels: int) -> list[slice]:
    """The draws in blocks of :func:`block_size` for that many channels, in order."""
    size = block_size(channels)
    return [slice(start, min(start + size, draws)) for start in range(0, draws, size)]


@dataclass(frozen=True)
class Block:
    """One block's figures: the channels' rates, ``(channels, draws in the block)`` where
    drawn (else ``(channels, 1)``), and the investment, the action values and the months
    ahead's numbers, each a float or the block's draws."""

    size: int
    rates: dict[str, FloatArray]
    investment: dict[str, float | FloatArray]
    values: DrawnValues
    months: dict[str, float | FloatArray]

    @property
    def budget_shares(self) -> FloatArray:
        """Each channel's share of the ad budget (normalised over the channels, per draw)."""
        return self.split(1.0, "budget_share")

    @property
    def hours_shares(self) -> FloatArray:
        """Each channel's share of the staff hours (normalised over the channels, per draw)."""
        return self.split(1.0, "hours_share")

    def split(self, amount: float | FloatArray, shares: str) -> FloatArray:
        """``amount`` (one figure, or one per draw) split over the channels by the normalised
        ``shares`` (``budget_share``, ``hours_share``), all zeros giving nothing: where they
        are drawn, one pass over the block rather than one to normalise and one to split."""
        weights = self.rates[shares]
        if weights.shape[1] == 1:
            return np.asarray(amount * normalised(weights[:, 0])[:, np.newaxis], float)
        total = weights.sum(axis=0)
        per_weight = np.divide(amount, total, out=np.zeros(total.shape), where=total > 0)
        return np.asarray(weights * per_weight, float)


def block_figures(figures: _Draws, block: slice) -> Block:
    """The draws of ``block``: the channels' ranges drawn for them, the rest sliced."""
    size = block.stop - block.start
    rates = dict(figures.rates)
    for ranged, roots in figures.channel_ranges:
        rates[ranged.name] = ranged.drawn(roots[:, block])
    for ranged, row in figures.alike_channels:  # read-only: no block writes a channel's rates
        rates[ranged.name] = np.broadcast_to(row[:, block], (figures.channels, size))
    for ranged, values in figures.one_channel:  # the other channels keep their figure
        column = np.array(np.broadcast_to(rates[ranged.name], (figures.channels, size)))
        column[int(ranged.which)] = values[block]  # type: ignore[arg-type]
        rates[ranged.name] = column
    return Block(
        size=size,
        rates=rates,
        investment={name: _part(value, block) for name, value in figures.investment.items()},
        values=DrawnValues(**{name: _part(v, block) for name, v in figures.values.items()}),
        months={name: _part(value, block) for name, value in figures.months.items()},
    )


def _block_totals(
    figures: _Draws, counted: list[str], lenses: tuple[Lens, ...], block: slice
) -> FloatArray:
    """The ``counted`` figures summed over the channels, for the draws of ``block``:
    ``(figures, draws in the block)``."""
    part = block_figures(figures, block)
    spend = part.split(part.investment["ad_budget"], "budget_share")
    hours = part.split(part.investment["staff_hours"], "hours_share")
    totals = drawn_totals(spend, hours, part.rates, part.values, lenses, counted[2:])
    return np.stack([np.broadcast_to(totals[name], (part.size,)) for name in counted])


def _part(value: float | FloatArray, block: slice) -> float | FloatArray:
    """A block's share of a figure drawn for every draw (a float is every draw's)."""
    return value if isinstance(value, float) else value[block]


def summary_stats(rows: Iterable[FloatArray]) -> FloatArray:
    """P10, P50, P90, mean and the share above 0 of each row's defined draws (NaN where none
    is): ``(rows, 5)``, the columns of :data:`SUMMARY_COLUMNS`.

    Each row is partitioned once at the ranks its percentiles need: numpy's own
    ``percentile`` partitions once per percentile, and a full sort costs six times a partition
    on 10,000 draws. Row by row, so that no array of all the rows' draws is asked of the
    operating system afresh on every rerun (its pages cost more than the work).
    """
    rows_stats = [_row_stats(row) for row in rows]
    return np.array(rows_stats, float).reshape(-1, len(SUMMARY_COLUMNS))


def _row_stats(row: FloatArray) -> FloatArray:
    """:func:`summary_stats` of one row. The mean is taken as ``least + mean(x - least)``, so
    that equal draws give their value exactly."""
    defined = row[~np.isnan(row)] if np.isnan(row).any() else row
    count = defined.size
    if not count:
        return np.full(len(SUMMARY_COLUMNS), np.nan)
    least = defined.min()
    mean = least + (defined - least).sum() / count
    above_zero = np.count_nonzero(defined > 0.0) / count
    return np.append(_linear_percentiles(defined), (mean, above_zero))


def _linear_percentiles(values: FloatArray) -> FloatArray:
    """:data:`PERCENTILES` of values, by linear interpolation between the two nearest ranks
    (numpy's default method): the percentile ``p`` of ``k`` values lies at rank
    ``(k - 1) p / 100``, counted from 0. Only those ranks are put in place (a partition)."""
    rank = (values.size - 1) * (np.asarray(PERCENTILES, float) / 100.0)
    below = np.floor(rank)
    lower = below.astype(np.intp)
    upper = np.minimum(lower + 1, values.size - 1)
    placed = np.partition(values, np.union1d(lower, upper))
    return placed[lower] + (placed[upper] - placed[lower]) * (rank - below)


def share_of_defined(samples: FloatArray, holds: Callable[[FloatArray], Any]) -> float:
    """The share of the defined (not NaN) draws for which ``holds`` is true; NaN if none is
    defined."""
    defined = samples[~np.isnan(samples)]
    return float(np.mean(holds(defined))) if defined.size else math.nan


def histogram(simulation: Simulation, quantity: str, bins: int = 30) -> pd.DataFrame:
    """How the draws of one quantity spread: ``start``, ``end`` and ``share`` of the draws in
    each of ``bins`` equal bins over their defined values (empty when none is defined).

    Examples
    --------
    >>> from roi_model import Scenario
    >>> frame = histogram(simulate(Scenario(), draws=100), "investment", bins=4)
    >>> float(frame["share"].sum())
    1.0
    """
    values = simulation.samples[quantity].to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    if not len(values):
        return pd.DataFrame({"start": [], "end": [], "share": []}, dtype=float)
    counts, edges = np.histogram(values, bins=bins)
    return pd.DataFrame({"start": edges[:-1], "end": edges[1:], "share": counts / len(values)})


@dataclass(frozen=True)
class Band:
    """One quantity's spread over the draws: its P10, P50, P90 and the share above 0."""

    p10: float
    p50: float
    p90: float
    p_positive: float


def band(simulation: Simulation, quantity: str) -> Band:
    """The :class:`Band` of a quantity of :data:`QUANTITIES` (NaN where undefined)."""
    p10, p50, p90, _mean, p_positive = simulation.stats(quantity).tolist()
    return Band(p10, p50, p90, p_positive)
