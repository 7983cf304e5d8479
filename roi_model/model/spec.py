"""Frozen, validated specs of a scenario: what the consultant assumes for one month.

Every spec checks itself on construction and raises :class:`ScenarioError` naming the field, the
value and what is allowed. What-ifs are ``dataclasses.replace``; per-channel and per-goal values
(and the rows of the measurement plan) are tuples of specs, so a scenario is hashable and can key
a cache.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

from roi_model.model.errors import Rule, ScenarioError

#: The scenario file's ``schema_version`` written today: version 2 added the measurement plan,
#: version 3 the calibration (which figures came from a history of past campaigns), version 4
#: the ranges on the assumptions (``uncertainty``), version 5 the months ahead (``months``, the
#: channels' audience and carryover, the value of a follower, goals by month).
SCHEMA_VERSION = 5
#: Every ``schema_version`` a scenario file may have (older files read with the newer parts empty).
READABLE_SCHEMA_VERSIONS: tuple[int, ...] = (1, 2, 3, 4, 5)
#: The longest projection, in months (five years), and the default.
MAX_HORIZON = 60
DEFAULT_HORIZON = 12
#: What separates the items of a plan's tactics or metrics in a table cell (see ``plan.py``).
LIST_SEPARATOR = ";"


class GoalTier(StrEnum):
    """A campaign has one primary goal and any number of secondary ones."""

    PRIMARY = "primary"
    SECONDARY = "secondary"


class GoalMetric(StrEnum):
    """What a goal counts: a total of the evaluation, a return or an ROI."""

    IMPRESSIONS = "impressions"
    LIKES = "likes"
    COMMENTS = "comments"
    SHARES = "shares"
    VIDEO_VIEWS = "video_views"
    ENGAGEMENTS = "engagements"
    VISITS = "visits"
    LEADS = "leads"
    SALES = "sales"
    REVENUE = "revenue"
    SUPPORT_QUERIES = "support_queries"
    NEW_FOLLOWERS = "new_followers"
    FOLLOWERS = "followers"  # the audience at the end (of the month, or of ``by_month``)
    FINANCIAL_RETURN = "financial_return"
    FULL_RETURN = "full_return"
    FINANCIAL_ROI = "financial_roi"
    FULL_ROI = "full_roi"

    @property
    def is_ratio(self) -> bool:
        """ROI goals are fractions that may be negative; the rest are counts or money."""
        return self in (GoalMetric.FINANCIAL_ROI, GoalMetric.FULL_ROI)


class Kind(StrEnum):
    """What a figure is measured in, and so how it is shown: the unit of an input or an output.

    ``money`` is an amount in the scenario's currency (per month, per action, per hour or per
    thousand impressions); ``percent`` a fraction or share (0.02) shown as a percentage (2 %),
    ROIs included; ``ratio`` a multiple shown as 2.5× (ROAS); ``count`` a number of things (or of
    things per staff hour); ``hours`` staff time. Each numeric input declares its kind with its
    field (see :func:`_number`); :mod:`roi_model.model.vocabulary` answers for every name.
    """

    MONEY = "money"
    RATIO = "ratio"
    PERCENT = "percent"
    COUNT = "count"
    HOURS = "hours"


#: The keys of a numeric input's field metadata: its :class:`Kind` and the :class:`Rule` its
#: value is checked against.
KIND, RULE = "kind", "rule"


def _number(default: float | None, kind: Kind, rule: Rule = Rule.NOT_NEGATIVE) -> Any:
    """A numeric input field: its default, its unit and its rule, declared once, together."""
    return field(default=default, metadata={KIND: kind, RULE: rule})


def _rules(spec: type) -> dict[str, Rule]:
    """Each numeric field of a spec and its rule, in field order (how they are checked)."""
    return {f.name: f.metadata[RULE] for f in fields(spec) if RULE in f.metadata}


def _check_number(name: str, value: Any, rule: Rule) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(name, value, Rule.WRONG_TYPE, "a number")
    if not math.isfinite(value):
        raise ScenarioError(name, value, Rule.FINITE)
    if rule is Rule.NOT_NEGATIVE and value < 0:
        raise ScenarioError(name, value, rule)
    if rule is Rule.FRACTION and not 0 <= value <= 1:
        raise ScenarioError(name, value, rule)
    if rule is Rule.BELOW_ONE and not 0 <= value < 1:
        raise ScenarioError(name, value, rule)
    if rule in (Rule.POSITIVE, Rule.POSITIVE_OR_NULL) and value <= 0:
        raise ScenarioError(name, value, rule)


def _check_numbers(spec: object, rules: Mapping[str, Rule]) -> None:
    """Check each named field of a spec against its rule; ``None`` passes POSITIVE_OR_NULL."""
    for name, rule in rules.items():
        value = getattr(spec, name)
        if value is None and rule is Rule.POSITIVE_OR_NULL:
            continue
        _check_number(name, value, rule)


def _check_flags(spec: object) -> None:
    for f in fields(spec):  # type: ignore[arg-type]
        value = getattr(spec, f.name)
        if not isinstance(value, bool):
            raise ScenarioError(f.name, value, Rule.WRONG_TYPE, "true or false")


@contextmanager
def field_prefix(prefix: str) -> Iterator[None]:
    """Re-raise a nested spec's error with the path of where it sits, e.g. ``channels[2].``."""
    try:
        yield
    except ScenarioError as error:
        raise ScenarioError(prefix + error.field, error.value, error.rule, error.options) from error


@dataclass(frozen=True)
class Investment:
    """Money and time put in each month."""

    ad_budget: float = _number(0.0, Kind.MONEY)
    staff_hours: float = _number(0.0, Kind.HOURS)
    hourly_rate: float = _number(0.0, Kind.MONEY)
    fixed_costs: float = _number(0.0, Kind.MONEY)

    def __post_init__(self) -> None:
        _check_numbers(self, _INVESTMENT_RULES)

    @property
    def staff_cost(self) -> float:
        """What the staff hours cost: ``staff_hours * hourly_rate``."""
        return self.staff_hours * self.hourly_rate

    @property
    def total(self) -> float:
        """The whole month's investment: money, time and fixed costs.

        Notes
        -----
        ``total = ad_budget + staff_hours * hourly_rate + fixed_costs`` (docs/model.md, principle 1:
        time is an investment too). Channels carry the ad budget and the staff cost between
        them; the fixed costs are shared, allocated to none.

        Examples
        --------
        >>> investment = Investment(ad_budget=1000.0, staff_hours=20.0, hourly_rate=30.0,
        ...                         fixed_costs=150.0)
        >>> investment.staff_cost, investment.total  # 20 h x 30 = 600; 1000 + 600 + 150
        (600.0, 1750.0)
        """
        return self.total_at(self.ad_budget)

    def total_at(self, ad_budget: float) -> float:
        """The month's investment were the ad budget ``ad_budget``, all else as it is.

        The same sum as :attr:`total`, for a scan over budgets that would otherwise build (and
        validate) one spec per budget.

        Examples
        --------
        >>> Investment(ad_budget=1000.0, staff_hours=20.0, hourly_rate=30.0).total_at(400.0)
        1000.0
        """
        return ad_budget + self.staff_cost + self.fixed_costs


_INVESTMENT_RULES = _rules(Investment)


@dataclass(frozen=True)
class ActionValues:
    """What each action is worth to this client, in the scenario's currency."""

    like: float = _number(0.0, Kind.MONEY)
    comment: float = _number(0.0, Kind.MONEY)
    share: float = _number(0.0, Kind.MONEY)
    video_view: float = _number(0.0, Kind.MONEY)
    organic_visit: float = _number(0.0, Kind.MONEY)
    lead: float = _number(0.0, Kind.MONEY)
    order_value: float = _number(0.0, Kind.MONEY)
    gross_margin: float = _number(1.0, Kind.PERCENT, Rule.FRACTION)
    support_query: float = _number(0.0, Kind.MONEY)
    follower: float = _number(0.0, Kind.MONEY)  # a new follower, in the engagement lens

    def __post_init__(self) -> None:
        _check_numbers(self, _VALUE_RULES)


_VALUE_RULES = _rules(ActionValues)


@dataclass(frozen=True)
class Lenses:
    """Which non-cash returns count in the full-value return (sales and support always do)."""

    leads: bool = True
    engagement: bool = True
    organic_traffic: bool = True

    def __post_init__(self) -> None:
        _check_flags(self)


@dataclass(frozen=True)
class Channel:
    """One social network: its share of the money and the hours, its costs and its rates.

    Rates are fractions per impression (engagement, ``ctr``), per visit (``lead_rate``) or per
    lead (``close_rate``); ``fit`` in [0, 1] scales engagement and clicks for how well the
    channel suits the client's industry.
    """

    name: str
    # Shares are weights, normalised across the channels (so not bounded by 1).
    budget_share: float = _number(0.0, Kind.PERCENT)
    hours_share: float = _number(0.0, Kind.PERCENT)
    cpm: float = _number(10.0, Kind.MONEY)
    saturation_spend: float | None = _number(None, Kind.MONEY, Rule.POSITIVE_OR_NULL)
    organic_impressions_per_hour: float = _number(0.0, Kind.COUNT)
    like_rate: float = _number(0.0, Kind.PERCENT, Rule.FRACTION)
    comment_rate: float = _number(0.0, Kind.PERCENT, Rule.FRACTION)
    share_rate: float = _number(0.0, Kind.PERCENT, Rule.FRACTION)
    video_view_rate: float = _number(0.0, Kind.PERCENT, Rule.FRACTION)
    ctr: float = _number(0.0, Kind.PERCENT, Rule.FRACTION)
    lead_rate: float = _number(0.0, Kind.PERCENT, Rule.FRACTION)
    close_rate: float = _number(0.0, Kind.PERCENT, Rule.FRACTION)
    fit: float = _number(1.0, Kind.PERCENT, Rule.FRACTION)
    support_queries_per_hour: float = _number(0.0, Kind.COUNT)
    # The months ahead (docs/model.md): the audience at the start, new followers per
    # remembered impression, the share lost each month, the reachable audience (None: no
    # limit), and the share of last month's remembered impressions still remembered.
    followers: float = _number(0.0, Kind.COUNT)
    follow_rate: float = _number(0.0, Kind.PERCENT, Rule.FRACTION)
    follower_churn: float = _number(0.0, Kind.PERCENT, Rule.FRACTION)
    audience_ceiling: float | None = _number(None, Kind.COUNT, Rule.POSITIVE_OR_NULL)
    carryover: float = _number(0.0, Kind.PERCENT, Rule.BELOW_ONE)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise ScenarioError("name", self.name, Rule.WRONG_TYPE, "a text")
        if not self.name.strip():
            raise ScenarioError("name", self.name, Rule.NON_EMPTY)
        _check_numbers(self, _CHANNEL_RULES)
        ceiling = self.audience_ceiling
        if ceiling is not None and self.followers > ceiling:
            raise ScenarioError("followers", self.followers, Rule.ABOVE_CEILING, f"{ceiling:g}")


_CHANNEL_RULES = _rules(Channel)

#: The channel's inputs that only the months ahead read (a one-month scenario ignores them).
MONTHS_CHANNEL_FIELDS: tuple[str, ...] = (
    "followers",
    "follow_rate",
    "follower_churn",
    "audience_ceiling",
    "carryover",
)


def _check_whole_month(name: str, value: Any, first: int, last: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(name, value, Rule.WRONG_TYPE, "a number")
    if not (math.isfinite(value) and value == int(value) and first <= value <= last):
        raise ScenarioError(name, value, Rule.MONTH, f"{first} to {last}")


@dataclass(frozen=True)
class ScheduleStep:
    """From month ``from_month`` on (2 to 60), the ad budget and/or the staff hours change to
    these, until a later step sets them again; None keeps what held before."""

    from_month: int
    ad_budget: float | None = None
    staff_hours: float | None = None

    def __post_init__(self) -> None:
        _check_whole_month("from_month", self.from_month, 2, MAX_HORIZON)
        object.__setattr__(self, "from_month", int(self.from_month))
        for name in ("ad_budget", "staff_hours"):
            value = getattr(self, name)
            if value is not None:
                _check_number(name, value, Rule.NOT_NEGATIVE)


@dataclass(frozen=True)
class Months:
    """The months ahead: how far to look, what the launch costs once, how the future is
    discounted, and the customers who come back (docs/model.md, "The months ahead").

    ``retention`` is the share of customers still customers a month later; ``repeat_purchases``
    the purchases per retained customer per month; ``discount_rate`` per month.
    """

    horizon: int = _number(DEFAULT_HORIZON, Kind.COUNT, Rule.MONTH)
    launch_costs: float = _number(0.0, Kind.MONEY)
    discount_rate: float = _number(0.0, Kind.PERCENT)
    repeat_purchases: float = _number(0.0, Kind.COUNT)
    retention: float = _number(0.0, Kind.PERCENT, Rule.FRACTION)
    schedule: tuple[ScheduleStep, ...] = ()

    def __post_init__(self) -> None:
        _check_whole_month("horizon", self.horizon, 1, MAX_HORIZON)
        object.__setattr__(self, "horizon", int(self.horizon))
        _check_numbers(self, _MONTHS_RULES)
        object.__setattr__(self, "schedule", tuple(self.schedule))
        after = 1
        for index, step in enumerate(self.schedule):
            if not isinstance(step, ScheduleStep):
                raise ScenarioError(f"schedule[{index}]", step, Rule.WRONG_TYPE, "a step")
            if step.from_month <= after:
                where = f"schedule[{index}].from_month"
                raise ScenarioError(where, step.from_month, Rule.ORDER, f"month {after}")
            after = step.from_month


_MONTHS_RULES = _rules(Months)

#: Every input that is a fraction in [0, 1] (shown as a percentage by the app).
FRACTION_FIELDS: frozenset[str] = frozenset(
    name
    for rules in (_VALUE_RULES, _CHANNEL_RULES, _MONTHS_RULES)
    for name, rule in rules.items()
    if rule in (Rule.FRACTION, Rule.BELOW_ONE)
)


@dataclass(frozen=True)
class Goal:
    """A target for one metric; ROI targets are fractions (0.5 is 50 %)."""

    tier: GoalTier
    metric: GoalMetric
    target: float
    by_month: int | None = None  # judged on the months 1 to this one (None: a monthly target)

    def __post_init__(self) -> None:
        _check_member("tier", self.tier, GoalTier)
        _check_member("metric", self.metric, GoalMetric)
        rule = Rule.FINITE if GoalMetric(self.metric).is_ratio else Rule.POSITIVE
        _check_number("target", self.target, rule)
        if self.by_month is not None:
            _check_whole_month("by_month", self.by_month, 1, MAX_HORIZON)
            object.__setattr__(self, "by_month", int(self.by_month))
        object.__setattr__(self, "tier", GoalTier(self.tier))
        object.__setattr__(self, "metric", GoalMetric(self.metric))

    def is_met(self, value: float) -> bool:
        """Whether ``value`` of the goal's metric reaches its target (an undefined NaN never
        does)."""
        return bool(value >= self.target)

    def attainment(self, value: float) -> float:
        """``value`` against the target, 1.0 where it is met exactly; NaN where the target (an
        ROI's) is not above 0, which no share of can be reached, or the value is undefined."""
        return value / self.target if self.target > 0 else math.nan


def _check_member(name: str, value: Any, enum: type[StrEnum]) -> None:
    _check_member_of(name, value, [member.value for member in enum])


class Cadence(StrEnum):
    """How often a plan's metrics are reported."""

    DAILY = "daily"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


@dataclass(frozen=True)
class PlanRow:
    """One line of the measurement plan (docs/model.md, principle 7), in the user's own words.

    An objective, the KPI that tracks it on one channel, the tactics that move the KPI, the
    metrics that feed it, the tool that measures them and how often they are reported. Texts
    are stored without surrounding blanks; ``objective``, ``channel`` and ``kpi`` must not be
    empty. Whether the plan is *complete* (two tactics, a metric, a tool) is advice, not
    validity: see :func:`roi_model.model.plan.plan_problems`.
    """

    objective: str
    channel: str
    kpi: str
    tactics: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()
    tool: str = ""
    cadence: Cadence = Cadence.MONTHLY

    def __post_init__(self) -> None:
        for name in ("objective", "channel", "kpi", "tool"):
            text = _stripped_text(name, getattr(self, name))
            if not text and name != "tool":
                raise ScenarioError(name, getattr(self, name), Rule.NON_EMPTY)
            object.__setattr__(self, name, text)
        for name in ("tactics", "metrics"):
            object.__setattr__(self, name, _text_items(name, getattr(self, name)))
        _check_member("cadence", self.cadence, Cadence)
        object.__setattr__(self, "cadence", Cadence(self.cadence))


def _stripped_text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ScenarioError(name, value, Rule.WRONG_TYPE, "a text")
    return value.strip()


def _text_items(name: str, items: Any) -> tuple[str, ...]:
    """A list of non-empty texts, stripped, as a tuple; the separator would split an item."""
    if isinstance(items, str) or not isinstance(items, Sequence):
        raise ScenarioError(name, items, Rule.WRONG_TYPE, "a list of texts")
    texts = []
    for index, item in enumerate(items):
        where = f"{name}[{index}]"
        text = _stripped_text(where, item)
        if not text:
            raise ScenarioError(where, item, Rule.NON_EMPTY)
        if LIST_SEPARATOR in text:
            raise ScenarioError(where, item, Rule.WRONG_TYPE, f"a text without '{LIST_SEPARATOR}'")
        texts.append(text)
    return tuple(texts)


#: The figures a history can calibrate: channel fields, and ``order_value`` for every channel.
CALIBRATED_FIELDS: tuple[str, ...] = (
    "cpm",
    "saturation_spend",
    "ctr",
    "lead_rate",
    "close_rate",
    "like_rate",
    "comment_rate",
    "share_rate",
    "video_view_rate",
    "follow_rate",
    "follower_churn",
    "followers",
    "order_value",
)


@dataclass(frozen=True)
class Calibration:
    """One figure a history of past campaigns gave: where it went and what supports it.

    ``channel`` is the channel whose ``field`` was set (``""`` for ``order_value``, an action
    value for every channel); ``value`` is the figure as it was written into the scenario
    (``None`` for "no saturation"); ``periods`` the months behind it; ``source`` the history's
    name, usually its file name. The record is kept while the figure is edited: whether the
    scenario still holds the history's figure is seen by comparing values.
    """

    channel: str
    field: str
    value: float | None
    periods: int
    source: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "channel", _stripped_text("channel", self.channel))
        object.__setattr__(self, "source", _stripped_text("source", self.source))
        _check_member_of("field", self.field, CALIBRATED_FIELDS)
        if (self.field == "order_value") != (self.channel == ""):
            raise ScenarioError("channel", self.channel, Rule.WRONG_TYPE, _CHANNEL_OF_FIELD)
        if self.value is not None or self.field != "saturation_spend":
            rule = Rule.FRACTION if self.field in FRACTION_FIELDS else Rule.NOT_NEGATIVE
            _check_number("value", self.value, rule)
            object.__setattr__(self, "value", float(self.value))  # type: ignore[arg-type]
        _check_number("periods", self.periods, Rule.POSITIVE)
        if not float(self.periods).is_integer():
            raise ScenarioError("periods", self.periods, Rule.WRONG_TYPE, "a whole number")
        object.__setattr__(self, "periods", int(self.periods))

    @property
    def key(self) -> tuple[str, str]:
        """(channel as names compare: stripped, case-folded; field)."""
        return self.channel.casefold(), self.field


_ONE_PER_FIGURE = "one record per channel and field"
_CHANNEL_OF_FIELD = 'a channel name, or "" for order_value (which holds for every channel)'


def _check_member_of(name: str, value: Any, allowed: Sequence[str]) -> None:
    if not isinstance(value, str) or value not in allowed:
        raise ScenarioError(name, value, Rule.ONE_OF, ", ".join(allowed))


#: An input a range may be put on: a field of the investment, of the action values or of the
#: months ahead, or a channel's number, on one channel (``channels[2].ctr``) or on every one
#: (``channels[*].ctr``).
# (ASCII digits without leading zeros: one spelling per channel, so one range per input.)
_RANGE_PATH = re.compile(
    r"(investment|values|months)\.(\w+)|channels\[(\*|0|[1-9][0-9]*)\]\.(\w+)", re.ASCII
)
_RANGE_PATHS = (
    "investment.<field>, values.<field>, months.<field>, channels[N].<field> or channels[*].<field>"
)
#: The months block's inputs a range may be put on: its numbers, not the horizon (a count of
#: months, not an assumption) nor the schedule.
RANGED_MONTHS_FIELDS: tuple[str, ...] = (
    "launch_costs",
    "discount_rate",
    "repeat_purchases",
    "retention",
)


@dataclass(frozen=True)
class InputRange:
    """How sure the consultant is of one input: today's value is the most likely, and the
    input may lie anywhere from ``low`` to ``high`` (docs/model.md, "How sure are we?").

    A ``channels[*]`` range holds on every channel, each around its own value.
    """

    input: str
    low: float
    high: float

    def __post_init__(self) -> None:
        if not isinstance(self.input, str) or not _RANGE_PATH.fullmatch(self.input):
            raise ScenarioError("input", self.input, Rule.ONE_OF, _RANGE_PATHS)
        for name in ("low", "high"):
            _check_number(name, getattr(self, name), Rule.FINITE)
            object.__setattr__(self, name, float(getattr(self, name)))
        if self.low > self.high:
            raise ScenarioError("high", self.high, Rule.RANGE_ORDER, f"{self.low:g}")


@dataclass(frozen=True)
class Scenario:
    """Everything assumed for one month of a client's social media marketing."""

    name: str = "Scenario"
    currency: str = "EUR"
    investment: Investment = field(default_factory=Investment)
    values: ActionValues = field(default_factory=ActionValues)
    lenses: Lenses = field(default_factory=Lenses)
    channels: tuple[Channel, ...] = (Channel("Facebook", budget_share=1.0, hours_share=1.0),)
    goals: tuple[Goal, ...] = ()
    plan: tuple[PlanRow, ...] = ()
    calibration: tuple[Calibration, ...] = ()
    uncertainty: tuple[InputRange, ...] = ()
    months: Months = field(default_factory=Months)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise ScenarioError("name", self.name, Rule.WRONG_TYPE, "a text")
        _check_currency(self.currency)
        object.__setattr__(self, "channels", tuple(self.channels))
        object.__setattr__(self, "goals", tuple(self.goals))
        object.__setattr__(self, "plan", tuple(self.plan))
        for index, row in enumerate(self.plan):
            if not isinstance(row, PlanRow):
                raise ScenarioError(f"plan[{index}]", row, Rule.WRONG_TYPE, "a plan row")
        _check_calibration(self)
        if not self.channels:
            raise ScenarioError("channels", [], Rule.AT_LEAST_ONE)
        _check_unique_names(self.channels)
        _check_shares_cover(self)
        _check_cpm_where_spent(self)
        _check_uncertainty(self)
        _check_goal_months(self)

    @property
    def channel_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.channels)


def _check_goal_months(scenario: Scenario) -> None:
    """A goal judged by a month must fall within the horizon."""
    if not isinstance(scenario.months, Months):
        raise ScenarioError("months", scenario.months, Rule.WRONG_TYPE, "a months block")
    horizon = scenario.months.horizon
    for index, goal in enumerate(scenario.goals):
        if goal.by_month is not None and goal.by_month > horizon:
            where = f"goals[{index}].by_month"
            raise ScenarioError(where, goal.by_month, Rule.MONTH, f"1 to {horizon} (the horizon)")


def _check_uncertainty(scenario: Scenario) -> None:
    """Ranges on inputs the scenario has, one per input, each inside the input's own limits
    and holding today's value (on every channel, for ``channels[*]``)."""
    object.__setattr__(scenario, "uncertainty", tuple(scenario.uncertainty))
    seen: set[str] = set()
    for index, item in enumerate(scenario.uncertainty):
        where = f"uncertainty[{index}]"
        if not isinstance(item, InputRange):
            raise ScenarioError(where, item, Rule.WRONG_TYPE, "a range")
        if _range_overlaps(item.input, seen):
            raise ScenarioError(f"{where}.input", item.input, Rule.UNIQUE)
        seen.add(item.input)
        with field_prefix(where + "."):
            _check_range(scenario, item)
    _check_drawn_audiences(scenario)


def _check_drawn_audiences(scenario: Scenario) -> None:
    """No draw may start a channel above its ceiling: the highest audience its ranges allow
    stays at most the lowest ceiling they allow, channel by channel."""
    for index, channel in enumerate(scenario.channels):
        if channel.audience_ceiling is None:
            continue
        most = _range_end(scenario, index, "followers", "high", channel.followers)
        least = _range_end(scenario, index, "audience_ceiling", "low", channel.audience_ceiling)
        if most[1] <= least[1]:
            continue
        if most[0] is not None:  # the audience's range reaches too high
            raise ScenarioError(most[0], most[1], Rule.ABOVE_CEILING, f"{least[1]:g}")
        raise ScenarioError(str(least[0]), least[1], Rule.BELOW_AUDIENCE, f"{most[1]:g}")


def _range_end(
    scenario: Scenario, index: int, field: str, end: str, today: float
) -> tuple[str | None, float]:
    """Where a channel's figure reaches furthest (``high``: up, ``low``: down) over the ranges
    on it (``channels[*]`` or that channel's), and that end; ``(None, today)`` without one."""
    for position, item in enumerate(scenario.uncertainty):
        match = _RANGE_PATH.fullmatch(item.input)
        if match and match[4] == field and match[3] in ("*", str(index)):
            return f"uncertainty[{position}].{end}", getattr(item, end)
    return None, today


def _range_overlaps(path: str, seen: set[str]) -> bool:
    """Whether an input already has a range: the same path, or ``channels[*].ctr`` beside
    ``channels[0].ctr`` (two ranges on channel 0's CTR)."""
    if path in seen:
        return True
    match = _RANGE_PATH.fullmatch(path)
    if match is None or match[3] is None:
        return False
    field = match[4]
    on_channels = [m for m in map(_RANGE_PATH.fullmatch, seen) if m and m[3] is not None]
    return any(m[4] == field and "*" in (m[3], match[3]) for m in on_channels)


def _check_range(scenario: Scenario, item: InputRange) -> None:
    today, rule = _range_target(scenario, item.input)
    _check_range_spends(scenario, item)
    bound_rule = Rule.POSITIVE if rule is Rule.POSITIVE_OR_NULL else rule
    _check_number("low", item.low, bound_rule)
    _check_number("high", item.high, bound_rule)
    for value in today:
        if value is not None and not item.low <= value <= item.high:
            raise ScenarioError("low", item.low, Rule.RANGE_EXCLUDES_VALUE, f"{value:g}")


def _check_range_spends(scenario: Scenario, item: InputRange) -> None:
    """A draw must never spend on a channel whose CPM is 0 (infinite impressions): no budget
    share range reaching above 0 there, no CPM range reaching 0 where money is spent (today or
    in a month of the schedule), no budget range reaching above 0 where such a channel has a
    share."""
    match = _RANGE_PATH.fullmatch(item.input)
    if item.input == "investment.ad_budget" and item.high > 0:
        for channel in scenario.channels:  # a drawn budget spends on every channel's share
            if channel.budget_share > 0 and channel.cpm <= 0:
                raise ScenarioError("high", item.high, Rule.CPM_WITH_SPEND)
    if match is None or match[3] is None or max(_scheduled(scenario, "ad_budget")) <= 0:
        return
    which, name = match[3], match[4]
    chosen = scenario.channels if which == "*" else (scenario.channels[int(which)],)
    for channel in chosen:
        spent = channel.budget_share > 0 or (name == "budget_share" and item.high > 0)
        cpm = item.low if name == "cpm" else channel.cpm
        if spent and cpm <= 0:
            raise ScenarioError("low" if name == "cpm" else "high", cpm, Rule.CPM_WITH_SPEND)


def _range_target(scenario: Scenario, path: str) -> tuple[list[float | None], Rule]:
    """Today's value(s) at an input's path and the input's rule."""
    match = _RANGE_PATH.fullmatch(path)
    assert match is not None  # InputRange checked the form
    group, name, which, channel_field = match.groups()
    if group is not None:
        spec = getattr(scenario, group)
        rules = _GROUP_RULES[group]
        if name not in rules:
            raise ScenarioError("input", path, Rule.ONE_OF, ", ".join(rules))
        return [getattr(spec, name)], rules[name]
    if channel_field not in _CHANNEL_RULES:
        raise ScenarioError("input", path, Rule.ONE_OF, ", ".join(_CHANNEL_RULES))
    if which != "*" and int(which) >= len(scenario.channels):
        raise ScenarioError(
            "input", path, Rule.ONE_OF, f"channels[0] to [{len(scenario.channels) - 1}]"
        )
    chosen = scenario.channels if which == "*" else (scenario.channels[int(which)],)
    return [getattr(c, channel_field) for c in chosen], _CHANNEL_RULES[channel_field]


#: The inputs of each group a range may be put on, with their rules.
_GROUP_RULES: dict[str, dict[str, Rule]] = {
    "investment": _INVESTMENT_RULES,
    "values": _VALUE_RULES,
    "months": {name: _MONTHS_RULES[name] for name in RANGED_MONTHS_FIELDS},
}


def _check_calibration(scenario: Scenario) -> None:
    """Calibration records, at most one per figure (the newest replaces an older one)."""
    object.__setattr__(scenario, "calibration", tuple(scenario.calibration))
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(scenario.calibration):
        if not isinstance(item, Calibration):
            raise ScenarioError(f"calibration[{index}]", item, Rule.WRONG_TYPE, "a calibration")
        if item.key in seen:
            raise ScenarioError(
                f"calibration[{index}].field", item.field, Rule.WRONG_TYPE, _ONE_PER_FIGURE
            )
        seen.add(item.key)


def _check_currency(code: Any) -> None:
    if not (
        isinstance(code, str)
        and len(code) == 3
        and code.isascii()
        and code.isalpha()
        and code.isupper()
    ):
        raise ScenarioError("currency", code, Rule.CURRENCY)


def _check_unique_names(channels: tuple[Channel, ...]) -> None:
    seen: set[str] = set()
    for index, channel in enumerate(channels):
        key = channel.name.strip().casefold()
        if key in seen:
            raise ScenarioError(f"channels[{index}].name", channel.name, Rule.UNIQUE)
        seen.add(key)


def _check_shares_cover(scenario: Scenario) -> None:
    """A budget (or hours) with no channel to go to would vanish from the results, today or
    in a month of the schedule."""
    budgets, hours = _scheduled(scenario, "ad_budget"), _scheduled(scenario, "staff_hours")
    if max(budgets) > 0 and not any(c.budget_share > 0 for c in scenario.channels):
        raise ScenarioError("channels[*].budget_share", 0.0, Rule.BUDGET_WITHOUT_SHARE)
    if max(hours) > 0 and not any(c.hours_share > 0 for c in scenario.channels):
        raise ScenarioError("channels[*].hours_share", 0.0, Rule.HOURS_WITHOUT_SHARE)


def _scheduled(scenario: Scenario, name: str) -> list[float]:
    """Today's ad budget or staff hours, and each figure the schedule sets for later months."""
    steps = scenario.months.schedule if isinstance(scenario.months, Months) else ()
    later = (getattr(step, name) for step in steps)
    return [getattr(scenario.investment, name), *(value for value in later if value is not None)]


def _check_cpm_where_spent(scenario: Scenario) -> None:
    """A CPM of 0 would buy infinite impressions: allowed only where nothing is spent, today
    or in a month of the schedule."""
    if max(_scheduled(scenario, "ad_budget")) <= 0:
        return
    for index, channel in enumerate(scenario.channels):
        if channel.budget_share > 0 and channel.cpm <= 0:
            raise ScenarioError(f"channels[{index}].cpm", channel.cpm, Rule.CPM_WITH_SPEND)
