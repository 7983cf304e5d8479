"""Hypothesis strategies for valid specs, with bounded, realistic magnitudes.

Every strategy here builds only specs that pass validation: a scenario with an ad budget has a
channel with a budget share, every channel with a budget share has a CPM > 0, and likewise
for staff hours and hours shares. Budgets stay below 1e6, rates in [0, 1], saturation spend is
None or in [100, 1e6]. Plans have up to three rows of short texts, on the scenario's channels
or others, with surrounding blanks at times (a plan row strips them). Calibrations record up
to four figures, one per channel and field.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import strategies as st

from roi_model import (
    ActionValues,
    Channel,
    Goal,
    GoalMetric,
    GoalTier,
    Investment,
    Lenses,
    Scenario,
)
from roi_model.model.spec import (
    CALIBRATED_FIELDS,
    FRACTION_FIELDS,
    LIST_SEPARATOR,
    Cadence,
    Calibration,
    PlanRow,
)


def floats(low: float, high: float) -> st.SearchStrategy[float]:
    """Finite, normal floats in [low, high]."""
    return st.floats(low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def zero_or(strategy: st.SearchStrategy[float]) -> st.SearchStrategy[float]:
    """Exactly 0 often enough for the special cases at 0 to be exercised."""
    return st.just(0.0) | strategy


def amounts(high: float) -> st.SearchStrategy[float]:
    """0, or a realistic amount up to ``high``.

    Positive amounts start at 1e-3 (rates at 1e-6): a fit or an hourly reach of 1e-308 is no
    client's, and dividing the investment by the few leads it leaves overflows to inf.
    """
    return zero_or(floats(1e-3, high))


MONEY = zero_or(floats(0.01, 1e6))
RATES = zero_or(floats(1e-6, 1.0))
SHARES = zero_or(floats(0.01, 1.0))
POSITIVE_SHARES = floats(0.01, 1.0)
CPMS = floats(0.5, 100.0)
SATURATION = st.none() | floats(100.0, 1e6)
CURRENCIES = st.sampled_from(["EUR", "USD", "GBP", "MXN", "ARS", "CLP"])
NAMES = st.text(
    st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), min_size=1, max_size=16
).filter(lambda name: bool(name.strip()))
#: Texts of a plan: like names, and items of a list never hold the separator.
PLAN_TEXTS = NAMES
PLAN_ITEMS = NAMES.filter(lambda text: LIST_SEPARATOR not in text)


def investments(
    ad_budget: st.SearchStrategy[float] = MONEY,
) -> st.SearchStrategy[Investment]:
    return st.builds(
        Investment,
        ad_budget=ad_budget,
        staff_hours=zero_or(floats(0.1, 500.0)),
        hourly_rate=zero_or(floats(1.0, 200.0)),
        fixed_costs=zero_or(floats(1.0, 1e5)),
    )


def action_values() -> st.SearchStrategy[ActionValues]:
    small = amounts(10.0)
    return st.builds(
        ActionValues,
        like=small,
        comment=small,
        share=small,
        video_view=small,
        organic_visit=small,
        lead=amounts(500.0),
        order_value=amounts(1e4),
        gross_margin=RATES,
        support_query=amounts(100.0),
    )


def lenses() -> st.SearchStrategy[Lenses]:
    return st.builds(
        Lenses, leads=st.booleans(), engagement=st.booleans(), organic_traffic=st.booleans()
    )


@st.composite
def goals(draw: st.DrawFn) -> Goal:
    """A goal; ROI targets may be negative or 0, every other target is > 0."""
    metric = draw(st.sampled_from(GoalMetric))
    target = draw(floats(-1.0, 5.0) if metric.is_ratio else floats(0.01, 1e7))
    return Goal(tier=draw(st.sampled_from(GoalTier)), metric=metric, target=target)


@st.composite
def channels(draw: st.DrawFn, name: st.SearchStrategy[str] = NAMES) -> Channel:
    """A channel; a CPM of 0 only where the channel gets no budget share."""
    budget_share = draw(SHARES)
    return Channel(
        name=draw(name),
        budget_share=budget_share,
        hours_share=draw(SHARES),
        cpm=draw(CPMS if budget_share > 0 else zero_or(CPMS)),
        saturation_spend=draw(SATURATION),
        organic_impressions_per_hour=draw(amounts(5000.0)),
        like_rate=draw(RATES),
        comment_rate=draw(RATES),
        share_rate=draw(RATES),
        video_view_rate=draw(RATES),
        ctr=draw(RATES),
        lead_rate=draw(RATES),
        close_rate=draw(RATES),
        fit=draw(RATES),
        support_queries_per_hour=draw(amounts(10.0)),
    )


@st.composite
def plan_rows(draw: st.DrawFn, channel: st.SearchStrategy[str] = NAMES) -> PlanRow:
    """A plan row; the tool may be empty, and tactics and metrics may be missing."""
    return PlanRow(
        objective=draw(PLAN_TEXTS),
        channel=draw(channel),
        kpi=draw(PLAN_TEXTS),
        tactics=tuple(draw(st.lists(PLAN_ITEMS, max_size=3))),
        metrics=tuple(draw(st.lists(PLAN_ITEMS, max_size=3))),
        tool=draw(st.just("") | PLAN_TEXTS),
        cadence=draw(st.sampled_from(Cadence)),
    )


def _calibrated_values(field: str) -> st.SearchStrategy[float | None]:
    """A figure as the scenario holds it: a fraction for a rate, else any amount."""
    if field == "saturation_spend":
        return SATURATION
    return RATES if field in FRACTION_FIELDS else RATES | MONEY


@st.composite
def calibrations(draw: st.DrawFn, names: list[str]) -> tuple[Calibration, ...]:
    """Up to four calibrated figures of the named channels (or of every channel at once)."""
    keys = st.tuples(st.sampled_from(names), st.sampled_from(CALIBRATED_FIELDS[:-1])) | st.just(
        ("", "order_value")
    )
    picked = draw(st.lists(keys, max_size=4, unique_by=lambda k: (k[0].strip().casefold(), k[1])))
    return tuple(
        Calibration(
            channel=channel,
            field=field,
            value=draw(_calibrated_values(field)),
            periods=draw(st.integers(1, 60)),
            source=draw(st.just("") | NAMES),
        )
        for channel, field in picked
    )


@st.composite
def scenarios(
    draw: st.DrawFn,
    min_channels: int = 1,
    max_channels: int = 8,
    investment: st.SearchStrategy[Investment] | None = None,
) -> Scenario:
    """A whole valid scenario with 1-8 channels of unique names."""
    inv = draw(investment if investment is not None else investments())
    names = draw(
        st.lists(
            NAMES,
            min_size=min_channels,
            max_size=max_channels,
            unique_by=lambda name: name.strip().casefold(),
        )
    )
    drawn = [draw(channels(name=st.just(name))) for name in names]
    if inv.ad_budget > 0 and not any(c.budget_share > 0 for c in drawn):
        drawn[0] = replace(drawn[0], budget_share=draw(POSITIVE_SHARES), cpm=draw(CPMS))
    if inv.staff_hours > 0 and not any(c.hours_share > 0 for c in drawn):
        drawn[0] = replace(drawn[0], hours_share=draw(POSITIVE_SHARES))
    return Scenario(
        name=draw(st.text(st.characters(codec="utf-8"), max_size=30)),
        currency=draw(CURRENCIES),
        investment=inv,
        values=draw(action_values()),
        lenses=draw(lenses()),
        channels=tuple(drawn),
        goals=tuple(draw(st.lists(goals(), max_size=4))),
        plan=tuple(draw(st.lists(plan_rows(st.sampled_from(names) | NAMES), max_size=3))),
        calibration=draw(calibrations(names)),
    )
