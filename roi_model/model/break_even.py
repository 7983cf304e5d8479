"""Break-even: the value of one input at which the ROI is exactly 0.

Inputs are named by path: ``investment.hourly_rate``, ``values.order_value``,
``channels[*].close_rate`` (every channel at once) or ``channels[2].close_rate`` (one channel).
Where the net return is linear in the input (every per-action value, every rate, the staff
inputs) it is solved exactly from two evaluations; elsewhere (budget, CPM, saturation, shares)
by a scan for a change of sign and bisection.

:func:`solve` is that machinery for any figure of the evaluation and any target; goals use it
to say what would close a gap (:mod:`roi_model.model.goals`).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace

from roi_model.model.errors import ScenarioError
from roi_model.model.evaluate import evaluate
from roi_model.model.spec import FRACTION_FIELDS, ActionValues, Channel, Investment, Scenario
from roi_model.model.vocabulary import Objective

#: A figure of a scenario that :func:`solve` drives to a target (a total, a return, a net).
Measure = Callable[[Scenario], float]
#: How :func:`solve` sets the input at a path to a value: :func:`with_input` unless told.
Apply = Callable[[Scenario, str, float], Scenario]

#: Channel inputs the net return is linear in: every rate, and the per-hour yields.
_LINEAR_CHANNEL_INPUTS = (FRACTION_FIELDS - {"gross_margin"}) | {
    "organic_impressions_per_hour",
    "support_queries_per_hour",
}
_CHANNEL_PATH = re.compile(r"^channels\[(\*|\d+)\]\.(\w+)$")
_SCAN_POINTS = 400


@dataclass(frozen=True)
class BreakEven:
    """Where the ROI crosses 0 for one input; ``value`` is None when no value in range does."""

    path: str
    current: float
    value: float | None
    exact: bool


def input_paths(scenario: Scenario) -> tuple[str, ...]:
    """Every input that :func:`break_even` and :func:`with_input` accept for a scenario.

    A channel's carryover is left out: it shapes the months ahead, never the month itself.
    """
    channel_numbers = [f.name for f in fields(Channel) if f.name not in ("name", "carryover")]
    return (
        *(f"investment.{f.name}" for f in fields(Investment)),
        *(f"values.{f.name}" for f in fields(ActionValues)),
        *(f"channels[*].{name}" for name in channel_numbers),
        *(
            f"channels[{index}].{name}"
            for index in range(len(scenario.channels))
            for name in channel_numbers
        ),
    )


def with_input(scenario: Scenario, path: str, value: float) -> Scenario:
    """The scenario with one input set; raises :class:`ScenarioError` if that is invalid.

    Besides :func:`input_paths`, a months input (``months.retention``) may be set: a range's
    end on it is a scenario of its own months ahead.
    """
    group, _, name = path.partition(".")
    if group in ("investment", "values", "months"):
        part = replace(getattr(scenario, group), **{name: value})
        return replace(scenario, **{group: part})
    which, name = _channel_path(path)
    channels = tuple(
        replace(channel, **{name: value})  # type: ignore[arg-type]
        if which in ("*", str(index))
        else channel
        for index, channel in enumerate(scenario.channels)
    )
    return replace(scenario, channels=channels)


def current_input(scenario: Scenario, path: str) -> float:
    """Today's value of an input; for ``channels[*]``, the spend-weighted mean of the channels."""
    group, _, name = path.partition(".")
    if group in ("investment", "values", "months"):
        return float(getattr(getattr(scenario, group), name))
    which, name = _channel_path(path)
    if which != "*":
        value = getattr(scenario.channels[int(which)], name)
        return math.nan if value is None else float(value)
    table = evaluate(scenario).channels
    weights = table["spend_share"] if table["spend"].sum() > 0 else table["hours_share"]
    values = [math.nan if getattr(c, name) is None else getattr(c, name) for c in scenario.channels]
    return float(sum(w * v for w, v in zip(weights, values, strict=True)))


def break_even(scenario: Scenario, path: str, objective: Objective = "financial") -> BreakEven:
    """The value of the input at ``path`` at which the chosen ROI is 0.

    Notes
    -----
    For a linear input the net return ``n(x) = return(x) - investment(x)`` is a straight line:
    ``x* = -n(0) / (n(1) - n(0))``. Otherwise the input's range is scanned for the first change
    of sign of ``n`` and bisected. Fractions are searched in [0, 1]; other inputs in
    [0, 10 x today] (at least 10 units).

    Examples
    --------
    >>> from roi_model import Investment, ActionValues, Channel
    >>> s = Scenario(investment=Investment(ad_budget=1000.0),
    ...              values=ActionValues(order_value=100.0, gross_margin=0.5),
    ...              channels=(Channel("Ads", budget_share=1.0, cpm=10.0, ctr=0.01,
    ...                                lead_rate=0.1, close_rate=0.2),))
    >>> break_even(s, "values.order_value").value  # 20 sales x 0.5 margin x v = 1000
    100.0
    """
    _check_path(path, scenario)
    current = current_input(scenario, path)
    name = path.rsplit(".", 1)[1]
    upper = 1.0 if name in FRACTION_FIELDS else max(10.0 * (current if current > 0 else 1.0), 10.0)
    value, exact = solve(scenario, path, lambda s: net_return(s, objective), 0.0, upper)
    return BreakEven(path, current, value, exact)


def solve(
    scenario: Scenario,
    path: str,
    measure: Measure,
    target: float,
    upper: float,
    nearest_to: float | None = None,
    apply: Apply = with_input,
    monotone: bool = False,
) -> tuple[float | None, bool]:
    """The value of the input at ``path`` at which ``measure(scenario with it) == target``.

    Returns the value (None when no value in range reaches the target) and whether it was
    solved exactly. ``measure`` must be affine in the scenario's counts, returns and
    investment (a total, a return, ``return - k * investment``): then it is a straight line
    in every linear input, solved from two evaluations. Other inputs are scanned on
    ``[0, upper]`` for a change of sign of ``measure - target`` and bisected: the first
    crossing, or the one nearest ``nearest_to`` when given; when the caller knows the measure
    is ``monotone`` in the input, only the ends are compared before bisecting. ``apply`` sets
    the input (it must keep the scenario linear in the value wherever :func:`with_input` does).

    Notes
    -----
    Linear: ``x* = target - m(0)`` over the slope ``(m(u) - m(0)) / u``, where ``u`` is
    ``upper`` for a fraction and 1 otherwise; kept when in [0, upper] for a fraction and when
    >= 0 otherwise. An evaluation the input makes invalid (a CPM of 0 with spend) counts as no
    value there.

    Examples
    --------
    >>> from roi_model import Investment, Channel
    >>> s = Scenario(investment=Investment(ad_budget=1000.0),
    ...              channels=(Channel("Ads", budget_share=1.0, cpm=10.0, ctr=0.01,
    ...                                lead_rate=0.1),))
    >>> solve(s, "channels[*].lead_rate", lambda s: evaluate(s).totals["leads"], 150.0, 1.0)
    (0.15, True)
    """
    _check_path(path, scenario)
    fraction = path.rsplit(".", 1)[1] in FRACTION_FIELDS
    at = _Evaluator(scenario, path, measure, apply)
    if _is_linear(path):
        return _linear_root(at, target, upper if fraction else None), True
    return _scanned_root(at, target, upper, nearest_to, 1 if monotone else _SCAN_POINTS), False


def net_return(scenario: Scenario, objective: Objective = "financial") -> float:
    """Return minus investment: the numerator of the ROI."""
    evaluation = evaluate(scenario)
    gross = evaluation.returns.financial if objective == "financial" else evaluation.returns.full
    return gross - evaluation.investment.total


def _check_path(path: str, scenario: Scenario) -> None:
    if path not in input_paths(scenario):
        raise ValueError(f"unknown input {path!r}; see input_paths() for the accepted ones")
    group, _, name = path.partition(".")
    specs = {"investment": Investment, "values": ActionValues}
    if group in specs:
        if name not in {f.name for f in fields(specs[group])}:
            raise ValueError(f"unknown input {path!r}; see input_paths() for the accepted ones")
    else:
        _channel_path(path)


def _is_linear(path: str) -> bool:
    group, _, name = path.partition(".")
    if group == "values":
        return True
    if group == "investment":
        return name != "ad_budget"
    return _channel_path(path)[1] in _LINEAR_CHANNEL_INPUTS


def _channel_path(path: str) -> tuple[str, str]:
    match = _CHANNEL_PATH.match(path)
    numbers = {f.name for f in fields(Channel)} - {"name"}
    if not match or match.group(2) not in numbers:
        raise ValueError(f"unknown input {path!r}; see input_paths() for the accepted ones")
    return match.group(1), match.group(2)


@dataclass(frozen=True)
class _Evaluator:
    """The measure of the scenario with the input at ``path`` set to a value, NaN where that
    is not a valid scenario."""

    scenario: Scenario
    path: str
    measure: Measure
    apply: Apply

    def __call__(self, x: float) -> float:
        try:
            return self.measure(self.apply(self.scenario, self.path, x))
        except ScenarioError:  # e.g. a CPM of 0 on a channel with spend: no answer there
            return math.nan


def _linear_root(at: _Evaluator, target: float, fraction_upper: float | None) -> float | None:
    """The root of a straight line; a fraction's is kept only within [0, fraction_upper]."""
    probe = 1.0 if fraction_upper is None else fraction_upper
    at_zero = at(0.0)
    slope = (at(probe) - at_zero) / probe
    if not math.isfinite(slope) or slope == 0:
        return None
    root = (target - at_zero) / slope
    within = root >= 0 if fraction_upper is None else 0 <= root <= fraction_upper
    return root if within else None


def _scanned_root(
    at: _Evaluator, target: float, upper: float, nearest_to: float | None, points: int
) -> float | None:
    grid = [upper * i / points for i in range(points + 1)]
    gaps = [at(x) - target for x in grid]
    brackets = [
        (lo, hi, g_lo)
        for (lo, g_lo), (hi, g_hi) in itertools.pairwise(zip(grid, gaps, strict=True))
        if g_lo == 0 or (math.isfinite(g_lo) and math.isfinite(g_hi) and (g_lo < 0) != (g_hi < 0))
    ]
    if not brackets:
        return None
    if nearest_to is None:
        lo, hi, g_lo = brackets[0]
    else:
        lo, hi, g_lo = min(brackets, key=lambda b: abs((b[0] + b[1]) / 2 - nearest_to))
    if g_lo == 0:
        return lo
    return _bisect(at, target, lo, hi, g_lo)


def _bisect(at: _Evaluator, target: float, lo: float, hi: float, g_lo: float) -> float:
    for _ in range(60):
        mid = (lo + hi) / 2
        g_mid = at(mid) - target
        if (g_mid < 0) == (g_lo < 0):
            lo, g_lo = mid, g_mid
        else:
            hi = mid
    return (lo + hi) / 2
