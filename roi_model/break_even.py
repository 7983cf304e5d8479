"""Break-even: the value of one input at which the ROI is exactly 0.

Inputs are named by path: ``investment.hourly_rate``, ``values.order_value``,
``channels[*].close_rate`` (every channel at once) or ``channels[2].close_rate`` (one channel).
Where the net return is linear in the input (every per-action value, every rate, the staff
inputs) it is solved exactly from two evaluations; elsewhere (budget, CPM, saturation, shares)
by a scan for a change of sign and bisection.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, fields, replace
from typing import Literal

from roi_model.errors import ScenarioError
from roi_model.evaluate import evaluate
from roi_model.spec import FRACTION_FIELDS, ActionValues, Channel, Investment, Scenario

Objective = Literal["financial", "full"]

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
    """Every input that :func:`break_even` and :func:`with_input` accept for a scenario."""
    channel_numbers = [f.name for f in fields(Channel) if f.name != "name"]
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
    """The scenario with one input set; raises :class:`ScenarioError` if that is invalid."""
    group, _, name = path.partition(".")
    if group == "investment":
        return replace(scenario, investment=replace(scenario.investment, **{name: value}))
    if group == "values":
        return replace(scenario, values=replace(scenario.values, **{name: value}))
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
    if group in ("investment", "values"):
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
    if _is_linear(path):
        return BreakEven(path, current, _linear_root(scenario, path, objective, upper), True)
    return BreakEven(path, current, _scanned_root(scenario, path, objective, upper), False)


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


def _net_at(scenario: Scenario, path: str, objective: Objective, x: float) -> float:
    try:
        return net_return(with_input(scenario, path, x), objective)
    except ScenarioError:  # e.g. a CPM of 0 on a channel with spend: no answer there
        return math.nan


def _linear_root(scenario: Scenario, path: str, objective: Objective, upper: float) -> float | None:
    at_zero = _net_at(scenario, path, objective, 0.0)
    at_one = _net_at(scenario, path, objective, 1.0)
    slope = at_one - at_zero
    if not math.isfinite(slope) or slope == 0:
        return None
    root = -at_zero / slope
    within = 0 <= root <= 1 if upper == 1.0 else root >= 0
    return root if within else None


def _scanned_root(
    scenario: Scenario, path: str, objective: Objective, upper: float
) -> float | None:
    grid = [upper * i / _SCAN_POINTS for i in range(_SCAN_POINTS + 1)]
    nets = [_net_at(scenario, path, objective, x) for x in grid]
    pairs = zip(grid, nets, strict=True)
    for (lo, n_lo), (hi, n_hi) in itertools.pairwise(pairs):
        if n_lo == 0:
            return lo
        if math.isfinite(n_lo) and math.isfinite(n_hi) and (n_lo < 0) != (n_hi < 0):
            return _bisect(scenario, path, objective, lo, hi, n_lo)
    return None


def _bisect(
    scenario: Scenario, path: str, objective: Objective, lo: float, hi: float, n_lo: float
) -> float:
    for _ in range(60):
        mid = (lo + hi) / 2
        n_mid = _net_at(scenario, path, objective, mid)
        if (n_mid < 0) == (n_lo < 0):
            lo, n_lo = mid, n_mid
        else:
            hi = mid
    return (lo + hi) / 2
