"""The waterfall from the investment to the net return: the cockpit's and the meeting's."""

from __future__ import annotations

from typing import Any

import streamlit as st

from pages._ui import fmt
from pages._ui.charts import charts
from pages._ui.i18n import display_key, key_for, t
from roi_model import Evaluation
from roi_model.model.tables import return_waterfall

#: Vega-Lite's own size of a title's and an axis's texts, in pixels.
_DEFAULT_FONT_SIZE = 11


@st.cache_data(max_entries=8, show_spinner=False)
def _waterfall_spec(amount_title: str, language: str) -> dict[str, Any]:
    return charts.spec(charts.waterfall_chart(amount_title), fmt.chart_number_locale())


def waterfall_chart(
    ev: Evaluation,
    key: str,
    height: int | None = None,
    font_size: int | None = None,
    title: str = "",
) -> None:
    """The chart, each bar labelled in the session's money; ``font_size`` makes its texts larger
    (the meeting mode's, read across a room). ``title`` is drawn in the chart, where a page has
    no heading of its own for it: one element fewer to redraw."""
    steps = return_waterfall(ev)
    labels = [t(key_for("lens.{}", step)) for step in steps["step"]]
    shown = [fmt.money(v, ev.scenario.currency) for v in steps["amount"]]
    data = charts.waterfall_data(steps.assign(label=labels, shown=shown))
    spec = _waterfall_spec(t("col.amount"), display_key())
    if height is not None:
        spec = spec | {"height": height}
    if font_size is not None:
        spec = spec | {"config": _larger(spec.get("config", {}), font_size)}
    if title:
        spec = spec | {"title": _title(title, font_size)}
    spec = fmt.with_currency(spec, ev.scenario.currency)
    charts.draw(data, spec, key)


def _title(text: str, font_size: int | None) -> dict[str, Any]:
    """A title at the chart's top left, in bold, a little larger than its other texts."""
    size = (font_size or _DEFAULT_FONT_SIZE) + 2
    return {"text": text, "anchor": "start", "fontSize": size, "fontWeight": "bold"}


def _larger(config: dict[str, Any], size: int) -> dict[str, Any]:
    """The chart's config with its axis and mark texts at ``size`` pixels."""
    axis = config.get("axis", {}) | {"labelFontSize": size, "titleFontSize": size}
    return config | {"axis": axis, "text": config.get("text", {}) | {"fontSize": size}}
