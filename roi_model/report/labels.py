"""Names of the comparison's rows and of the inputs that changed, in the reader's words: the
Compare page and the comparison's report name them alike."""

from __future__ import annotations

import math

from roi_model.model.compare import ADDED, REMOVED
from roi_model.model.spec import Kind, Scenario
from roi_model.model.vocabulary import kind_of
from roi_model.words import Words, key_for
from roi_model.words.numbers import UNDEFINED, signed


def metric_label(words: Words, key: str) -> str:
    """The comparison's row names: a headline figure, or a goal's attainment."""
    if key.startswith("goal:"):
        _, tier, metric = key.split(":")
        return words.t(
            "compare.goal",
            tier=words.t(key_for("tier.{}", tier)),
            metric=words.t(key_for("metric.{}", metric)),
        )
    return words.t(key_for("compare.metric.{}", key))


def payback_text(words: Words, month: int | None, horizon: int) -> str:
    """``Month 7``, or ``Not within 12 months``: a payback month, in the report and the pages."""
    if month is None:
        return words.tn("months.no_payback", "months.no_payback.plural", horizon, months=horizon)
    return words.t("months.payback_in", month=month)


def input_label(words: Words, scenario: Scenario, path: str) -> str:
    """``Lead → sale (%) · all channels`` / ``CPM · Facebook`` / ``Average order value``."""
    label = words.field_label(path)
    if not path.startswith("channels["):
        return label
    which = path[len("channels[") : path.index("]")]
    where = (
        words.t("assumptions.all_channels") if which == "*" else scenario.channels[int(which)].name
    )
    return f"{label} · {where}"


def change_label(words: Words, path: str) -> str:
    """``channels[Instagram].cpm`` → ``Instagram · CPM``; ``values.lead`` → its label."""
    if path.startswith(("channels[", "goals[")):
        inside, _, leaf = path.partition("]")
        name = inside.partition("[")[2]
        if path.startswith("goals["):
            tier, _, metric = name.partition(":")
            tier_text = words.t(key_for("tier.{}", tier))
            name = f"{tier_text} · {words.t(key_for('metric.{}', metric.partition('#')[0]))}"
        return f"{name} · {words.field_label(leaf.lstrip('.'))}" if leaf else name
    group, _, leaf = path.partition(".")
    if group == "lenses":
        return words.t(key_for("lens.{}", leaf))
    return words.field_label(path) if leaf else words.t(key_for("compare.field.{}", group))


def input_text(words: Words, value: object, path: str = "") -> str:
    """An input's value as the comparison shows it: on/off, a number (a percentage where the
    input at ``path`` is one), added/removed, a text."""
    if value is None:
        return UNDEFINED
    if isinstance(value, bool):
        return words.t("compare.on") if value else words.t("compare.off")
    if isinstance(value, (int, float)):  # a whole number typed in a file is a number too
        if _is_percent(path):
            return words.percent(float(value), decimals=2)
        return words.number(float(value), decimals=4)
    if value in (ADDED, REMOVED):
        return words.t(key_for("compare.marker.{}", value))
    return str(value)


def value_text(words: Words, kind: str, value: float, currency: str) -> str:
    """A comparison row's value: money, a ratio (ROAS), a whole number (a payback month) or a
    percentage (ROIs, attainment)."""
    if kind == Kind.MONEY:
        return words.money(value, currency)
    if kind == Kind.RATIO:
        return words.ratio(value)
    if kind == Kind.COUNT:
        return words.number(value, decimals=0)
    return words.percent(value)


def delta_text(words: Words, kind: str, diff: float, diff_pct: float, currency: str) -> str:
    """``+€1,200 (+12.0%)``; percentages differ in points: ``+5.0 pp``."""
    if not math.isfinite(diff):
        return UNDEFINED
    if kind == Kind.PERCENT:
        return words.t("compare.points", value=signed(words.number(100 * diff, decimals=1), diff))
    if kind == Kind.COUNT:  # months earlier or later: the difference alone says it
        return signed(words.number(diff, decimals=0), diff)
    amount = words.money(diff, currency) if kind == Kind.MONEY else words.ratio(diff)
    text = signed(amount, diff)
    if math.isfinite(diff_pct):
        text += f" ({signed(words.percent(diff_pct), diff_pct)})"
    return text


def _is_percent(path: str) -> bool:
    """Whether a changed field (``channels[Instagram].ctr``, ``values.gross_margin``) is a
    fraction shown as a percentage; goals' targets and unknown fields are not."""
    leaf = path.rsplit(".", 1)[-1]
    if path.startswith("goals[") or not leaf:
        return False
    try:
        return kind_of(leaf) is Kind.PERCENT
    except KeyError:
        return False
