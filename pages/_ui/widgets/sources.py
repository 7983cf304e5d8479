"""Where each assumption comes from, in words: the "Comes from: …" line under an input, and
the table of every assumption with its origin."""

from __future__ import annotations

import pandas as pd

from pages._ui import fmt
from pages._ui.app import state
from pages._ui.i18n import key_for, t, tn
from roi_model import Channel, Scenario
from roi_model.files.assumptions import AssumptionSource, Origin, source_rows
from roi_model.model.vocabulary import input_kinds

#: The inputs by name, in the order the cockpit shows them; the sources table labels them alike.
INVESTMENT_INPUTS = ("ad_budget", "staff_hours", "hourly_rate", "fixed_costs")
VALUE_INPUTS = (
    "order_value",
    "gross_margin",
    "lead",
    "support_query",
    "organic_visit",
    "like",
    "comment",
    "share",
    "video_view",
)
MIX_COLUMNS = ("budget_share", "hours_share", "fit")
# Every other number of a channel, in the spec's order: a new field shows up by itself.
ASSUMPTION_COLUMNS = tuple(name for name in input_kinds(Channel) if name not in MIX_COLUMNS)


def origin_texts(scenario: Scenario) -> dict[str, str]:
    """For each investment and value input, a translated "Comes from: …" line."""
    sources = source_rows(
        scenario,
        state.preset_scenario(),
        state.channel_defaults(),
        state.benchmarks(),
        channels=False,  # the sliders' help needs no channel figures
    )
    return {row.path: _origin_text(row) for row in sources}


def _origin_text(source: AssumptionSource) -> str:
    """The "Comes from: …" line of one assumption."""
    if source.origin == Origin.HISTORY:
        detail = source.detail or fmt.UNDEFINED
        return t("origin.history_help", months=_months(source), source=detail)
    label = t(key_for("origin.{}", source.origin))
    origin = t("col.origin")
    return f"{origin}: {label}" + (f" ({source.detail})" if source.detail else "")


def _months(source: AssumptionSource) -> str:
    """How many months of history back a figure (channel-months for one across channels)."""
    months, shown = int(source.periods), fmt.number(source.periods)
    if source.channel:
        return tn("origin.history_months", "origin.history_months.plural", months, months=shown)
    return tn(
        "origin.history_channel_months",
        "origin.history_channel_months.plural",
        months,
        months=shown,
    )


def _detail(source: AssumptionSource) -> str:
    """The source's detail; for a history, its months and its name."""
    if source.origin != Origin.HISTORY:
        return str(source.detail)
    return " · ".join(part for part in (_months(source), source.detail) if part)


def sources_table(scenario: Scenario) -> pd.DataFrame:
    """Every assumption with its translated origin, for display."""
    sources = source_rows(
        scenario, state.preset_scenario(), state.channel_defaults(), state.benchmarks()
    )
    labels = {
        **{n: t(key_for("input.{}", n)) for n in INVESTMENT_INPUTS},
        **{n: t(key_for("value.{}", n)) for n in VALUE_INPUTS},
        **{n: t(key_for("col.{}", n)) for n in (*MIX_COLUMNS, *ASSUMPTION_COLUMNS)},
    }
    return pd.DataFrame(
        {
            t("col.channel"): [row.channel for row in sources],
            t("col.field"): [labels.get(row.field, row.field) for row in sources],
            t("col.value"): [
                fmt.number(row.value, decimals=4) if row.value is not None else fmt.UNDEFINED
                for row in sources
            ],
            t("col.origin"): [t(key_for("origin.{}", row.origin)) for row in sources],
            t("col.detail"): [_detail(row) for row in sources],
        }
    )
    labels = {
        **{n: t(key_for("input.{}", n)) for n in INVESTMENT_INPUTS},
        **{n: t(key_for("value.{}", n)) for n in VALUE_INPUTS},
        **{n: t(key_for("col.{}", n)) for n in (*MIX_COLUMNS, *ASSUMPTION_COLUMNS)},
    }
    return pd.DataFrame(
        {
            t("col.channel"): sources["channel"],
            t("col.field"): [labels.get(f, f) for f in sources["field"]],
            t("col.value"): [
                fmt.number(v, decimals=4) if v is not None else fmt.UNDEFINED
                for v in sources["value"]
            ],
            t("col.origin"): [t(key_for("origin.{}", o)) for o in sources["origin"]],
            t("col.detail"): [_detail(row) for row in sources.itertuples()],
        }
    )
