"""The measurement plan (docs/model.md, principle 7): objective → KPI per channel → at least two
tactics per KPI → the metrics that feed each KPI → a tool and a reporting cadence.

The plan itself is free text the user writes (:class:`~roi_model.model.spec.PlanRow`, saved with the
scenario). This module checks it for gaps (advice, not errors), suggests rows for the
scenario's goals and channels, and turns it into a table and back for an editor or a CSV file.

Suggestions are made of *keys*, never prose, so the app can say them in the user's language:
:data:`KPI_KEYS`, :data:`TACTIC_KEYS`, :data:`METRIC_KEYS` and :data:`TOOL_KEYS` list every key
a suggestion may hold.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pandas as pd

from roi_model.model.errors import Rule, ScenarioError
from roi_model.model.evaluate import evaluate
from roi_model.model.spec import (
    LIST_SEPARATOR,
    Cadence,
    GoalMetric,
    PlanRow,
    Scenario,
    field_prefix,
)

#: The KPI that tracks each goal metric on one channel.
KPI_OF_METRIC: dict[GoalMetric, str] = {
    GoalMetric.IMPRESSIONS: "reach",
    GoalMetric.LIKES: "engagement_rate",
    GoalMetric.COMMENTS: "engagement_rate",
    GoalMetric.SHARES: "engagement_rate",
    GoalMetric.ENGAGEMENTS: "engagement_rate",
    GoalMetric.VIDEO_VIEWS: "view_rate",
    GoalMetric.VISITS: "click_through_rate",
    GoalMetric.LEADS: "cost_per_lead",
    GoalMetric.SALES: "cost_per_sale",
    GoalMetric.REVENUE: "roas",
    GoalMetric.SUPPORT_QUERIES: "queries_answered",
    # an audience is tracked by the people reached
    GoalMetric.NEW_FOLLOWERS: "reach",
    GoalMetric.FOLLOWERS: "reach",
    GoalMetric.FINANCIAL_RETURN: "return",
    GoalMetric.FULL_RETURN: "return",
    GoalMetric.FINANCIAL_ROI: "roi",
    GoalMetric.FULL_ROI: "roi",
}

#: Tactics that move each KPI with ad money (for channels with spend) ...
PAID_TACTICS: dict[str, tuple[str, ...]] = {
    "reach": ("boosted_posts", "audience_targeting"),
    "engagement_rate": ("engagement_ads", "contests_and_giveaways"),
    "view_rate": ("video_ads", "audience_targeting"),
    "click_through_rate": ("ad_creative_tests", "clear_call_to_action"),
    "cost_per_lead": ("lead_form_ads", "landing_page_tests"),
    "cost_per_sale": ("retargeting", "limited_offers"),
    "roas": ("retargeting", "catalog_ads"),
    "queries_answered": ("public_replies", "faq_posts"),
    "return": ("budget_to_best_channels", "retargeting"),
    "roi": ("budget_to_best_channels", "cut_low_fit_spend"),
}
#: ... and with staff time (for channels with hours); every KPI has at least two of each.
ORGANIC_TACTICS: dict[str, tuple[str, ...]] = {
    "reach": ("posting_calendar", "trending_formats"),
    "engagement_rate": ("questions_and_polls", "reply_to_comments"),
    "view_rate": ("short_video", "strong_first_seconds"),
    "click_through_rate": ("clear_call_to_action", "link_in_bio"),
    "cost_per_lead": ("gated_content", "landing_page_tests"),
    "cost_per_sale": ("lead_follow_up", "limited_offers"),
    "roas": ("shoppable_posts", "limited_offers"),
    "queries_answered": ("public_replies", "faq_posts", "response_time_target"),
    "return": ("content_reuse", "referral_incentives"),
    "roi": ("content_reuse", "batch_content_production"),
}

#: The metrics that feed each KPI.
KPI_METRICS: dict[str, tuple[str, ...]] = {
    "reach": ("impressions", "spend", "staff_hours"),
    "engagement_rate": ("likes", "comments", "shares", "impressions"),
    "view_rate": ("video_views", "impressions"),
    "click_through_rate": ("visits", "impressions"),
    "cost_per_lead": ("leads", "spend", "staff_hours"),
    "cost_per_sale": ("sales", "spend", "staff_hours"),
    "roas": ("revenue", "spend"),
    "queries_answered": ("support_queries", "staff_hours"),
    "return": ("sales", "revenue", "leads", "support_queries"),
    "roi": ("revenue", "support_queries", "spend", "staff_hours"),
}

#: How often each KPI is reported: the top of the funnel moves fast, the return slowly.
KPI_CADENCE: dict[str, Cadence] = {
    "reach": Cadence.WEEKLY,
    "engagement_rate": Cadence.WEEKLY,
    "view_rate": Cadence.WEEKLY,
    "click_through_rate": Cadence.WEEKLY,
    "cost_per_lead": Cadence.BIWEEKLY,
    "cost_per_sale": Cadence.BIWEEKLY,
    "roas": Cadence.BIWEEKLY,
    "queries_answered": Cadence.WEEKLY,
    "return": Cadence.MONTHLY,
    "roi": Cadence.MONTHLY,
}

#: The tool of each channel family: the words in a channel's name that name the family.
CHANNEL_TOOLS: tuple[tuple[str, frozenset[str]], ...] = (
    ("meta_business_suite", frozenset({"facebook", "instagram", "meta", "fb", "ig"})),
    ("linkedin_campaign_manager", frozenset({"linkedin"})),
    ("tiktok_ads_manager", frozenset({"tiktok"})),
    ("x_analytics", frozenset({"x", "twitter"})),
    ("pinterest_analytics", frozenset({"pinterest"})),
    ("youtube_studio", frozenset({"youtube"})),
)
#: The tool for any other channel (a blog, a newsletter): the website's analytics.
DEFAULT_TOOL = "ga4"

KPI_KEYS: tuple[str, ...] = tuple(dict.fromkeys(KPI_OF_METRIC.values()))
TACTIC_KEYS: tuple[str, ...] = tuple(
    dict.fromkeys(key for kpi in KPI_KEYS for key in PAID_TACTICS[kpi] + ORGANIC_TACTICS[kpi])
)
METRIC_KEYS: tuple[str, ...] = (
    "impressions",
    "likes",
    "comments",
    "shares",
    "video_views",
    "visits",
    "leads",
    "sales",
    "revenue",
    "support_queries",
    "spend",
    "staff_hours",
)
TOOL_KEYS: tuple[str, ...] = (*(tool for tool, _ in CHANNEL_TOOLS), DEFAULT_TOOL)

#: The columns of :func:`plan_table`, in order: the fields of a plan row.
PLAN_COLUMNS: tuple[str, ...] = (
    "objective",
    "channel",
    "kpi",
    "tactics",
    "metrics",
    "tool",
    "cadence",
)
#: How many tactics a KPI needs (docs/model.md, principle 7).
MIN_TACTICS = 2


class ProblemKind(StrEnum):
    """A gap in a plan row: one member per message the app translates."""

    FEW_TACTICS = "few_tactics"
    NO_METRIC = "no_metric"
    NO_TOOL = "no_tool"
    UNKNOWN_CHANNEL = "unknown_channel"


@dataclass(frozen=True)
class PlanProblem:
    """Advice on one plan row: ``row`` indexes the plan, ``field`` is e.g. ``plan[2].tactics``."""

    row: int
    kind: ProblemKind
    field: str


@dataclass(frozen=True)
class PlanSuggestion:
    """A suggested plan row for one goal on one channel, made of keys for the app to translate.

    ``objective_goal`` indexes ``scenario.goals``; ``kpi``, ``tactics``, ``metrics`` and
    ``tool`` are keys of :data:`KPI_KEYS`, :data:`TACTIC_KEYS`, :data:`METRIC_KEYS` and
    :data:`TOOL_KEYS`; ``channel`` is the channel's name.
    """

    objective_goal: int
    channel: str
    kpi: str
    tactics: tuple[str, ...]
    metrics: tuple[str, ...]
    tool: str
    cadence: Cadence


def plan_problems(
    plan: Sequence[PlanRow], channel_names: Iterable[str] | None = None
) -> tuple[PlanProblem, ...]:
    """What each plan row lacks: fewer than two tactics, no metric, no tool, or (when the
    scenario's ``channel_names`` are given) a channel the scenario does not have.

    Tactics are counted once whatever their case; channels match like channel names do (case
    and surrounding blanks aside). Rows in order, then kinds in :class:`ProblemKind` order.

    Examples
    --------
    >>> row = PlanRow("Leads", "TikTok", "cost_per_lead", tactics=("Lead ads",), tool="Ads")
    >>> [(p.field, p.kind.value) for p in plan_problems([row], ["Facebook"])]
    [('plan[0].tactics', 'few_tactics'), ('plan[0].metrics', 'no_metric'), ('plan[0].channel', 'unknown_channel')]
    """  # noqa: E501 - a doctest's output is one line
    known = None if channel_names is None else {_name_key(name) for name in channel_names}
    return tuple(
        PlanProblem(index, kind, f"plan[{index}].{name}")
        for index, row in enumerate(plan)
        for kind, name in _lacks(row, known)
    )


def _lacks(row: PlanRow, known: set[str] | None) -> list[tuple[ProblemKind, str]]:
    """The kinds of problem of one row, with the field each is about."""
    lacks = []
    if len({tactic.casefold() for tactic in row.tactics}) < MIN_TACTICS:
        lacks.append((ProblemKind.FEW_TACTICS, "tactics"))
    if not row.metrics:
        lacks.append((ProblemKind.NO_METRIC, "metrics"))
    if not row.tool:
        lacks.append((ProblemKind.NO_TOOL, "tool"))
    if known is not None and _name_key(row.channel) not in known:
        lacks.append((ProblemKind.UNKNOWN_CHANNEL, "channel"))
    return lacks


def _name_key(name: str) -> str:
    return name.strip().casefold()


def tool_for(channel: str) -> str:
    """The key of the tool that measures a channel, from the words of its name.

    Examples
    --------
    >>> tool_for("Instagram Reels"), tool_for("X (Twitter)"), tool_for("Newsletter")
    ('meta_business_suite', 'x_analytics', 'ga4')
    """
    words = set(re.findall(r"[^\W_]+", channel.casefold()))
    return next((tool for tool, names in CHANNEL_TOOLS if words & names), DEFAULT_TOOL)


def suggested_plan(scenario: Scenario) -> tuple[PlanSuggestion, ...]:
    """One suggested row per goal × channel with ad spend or staff hours, goal by goal.

    The KPI follows the goal's metric (:data:`KPI_OF_METRIC`); the tactics are the KPI's paid
    ones where the channel has spend and its organic ones where it has hours (at least two
    either way); the metrics and cadence follow the KPI, the tool the channel's name.
    """
    table = evaluate(scenario).channels
    active = [
        (str(name), spend > 0, hours > 0)
        for name, spend, hours in zip(table.index, table["spend"], table["hours"], strict=True)
        if spend > 0 or hours > 0
    ]
    return tuple(
        _suggestion(index, KPI_OF_METRIC[goal.metric], name, paid, organic)
        for index, goal in enumerate(scenario.goals)
        for name, paid, organic in active
    )


def _suggestion(goal: int, kpi: str, channel: str, paid: bool, organic: bool) -> PlanSuggestion:
    tactics = (PAID_TACTICS[kpi] if paid else ()) + (ORGANIC_TACTICS[kpi] if organic else ())
    return PlanSuggestion(
        objective_goal=goal,
        channel=channel,
        kpi=kpi,
        tactics=tuple(dict.fromkeys(tactics)),
        metrics=KPI_METRICS[kpi],
        tool=tool_for(channel),
        cadence=KPI_CADENCE[kpi],
    )


def plan_table(plan: Sequence[PlanRow]) -> pd.DataFrame:
    """The plan as a table of texts, one row per plan row, columns :data:`PLAN_COLUMNS`.

    Tactics and metrics are joined with ``"; "``; the cadence is its key (``monthly``).
    """
    rows = [
        (
            row.objective,
            row.channel,
            row.kpi,
            f"{LIST_SEPARATOR} ".join(row.tactics),
            f"{LIST_SEPARATOR} ".join(row.metrics),
            row.tool,
            row.cadence.value,
        )
        for row in plan
    ]
    return pd.DataFrame(rows, columns=list(PLAN_COLUMNS), dtype=object)


def plan_from_table(table: pd.DataFrame) -> tuple[PlanRow, ...]:
    """The plan of a table like :func:`plan_table`'s (an edited one, or a CSV read back).

    Cells are stripped; tactics and metrics are split on ``";"`` and empty items dropped; an
    empty cadence is ``monthly``. Rows whose cells are all empty (the cadence aside) are
    dropped. Read a CSV with ``dtype=str, keep_default_na=False`` so that texts stay texts.

    Raises
    ------
    ScenarioError
        A column missing or unknown (``plan[*].kpi``), or a row that is not a valid plan row,
        named by its position in the table: ``plan[3].objective``.
    """
    _check_columns(table)
    rows = []
    for position, values in enumerate(table[list(PLAN_COLUMNS)].itertuples(index=False)):
        cells = dict(zip(PLAN_COLUMNS, map(_cell, values), strict=True))
        if not any(cells[name] for name in PLAN_COLUMNS if name != "cadence"):
            continue
        with field_prefix(f"plan[{position}]."):
            rows.append(
                PlanRow(
                    objective=cells["objective"],
                    channel=cells["channel"],
                    kpi=cells["kpi"],
                    tactics=_items(cells["tactics"]),
                    metrics=_items(cells["metrics"]),
                    tool=cells["tool"],
                    cadence=_cadence(cells["cadence"]),
                )
            )
    return tuple(rows)


def _check_columns(table: pd.DataFrame) -> None:
    for column in table.columns:
        if column not in PLAN_COLUMNS:
            raise ScenarioError(
                f"plan[*].{column}", column, Rule.UNKNOWN_FIELD, ", ".join(PLAN_COLUMNS)
            )
    for column in PLAN_COLUMNS:
        if column not in table.columns:
            raise ScenarioError(f"plan[*].{column}", None, Rule.MISSING_FIELD)


def _cell(value: Any) -> str:
    """A cell as stripped text; missing (None, NaN, NA) is empty."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _cadence(cell: str) -> Cadence:
    """A cadence key in any case; empty is monthly."""
    if not cell:
        return Cadence.MONTHLY
    if cell.lower() not in {cadence.value for cadence in Cadence}:
        raise ScenarioError("cadence", cell, Rule.ONE_OF, ", ".join(Cadence))
    return Cadence(cell.lower())


def _items(cell: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in cell.split(LIST_SEPARATOR) if item.strip())
