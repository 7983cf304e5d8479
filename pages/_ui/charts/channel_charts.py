"""Chart templates of the Channels page (see :mod:`pages._ui.charts.charts` for how they are used:
built once per language, sent with new data on every rerun)."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt

from pages._ui.charts.charts import LEGEND as _LEGEND
from pages._ui.charts.charts import MONEY, PERCENT


def grouped_bars_chart(value_title: str, *, percent: bool) -> alt.Chart:
    """Per channel, one bar per measure (ROI financial and full; share of spend and of
    return; staff cost and what the hours bring): ``channel``, ``order``, ``measure``,
    ``measure_order``, ``value``, ``shown``."""
    return (
        alt.Chart()
        .mark_bar()
        .encode(
            y=alt.Y("channel:N", sort=alt.SortField("order"), title=None),
            yOffset=alt.YOffset("measure:N", sort=alt.SortField("measure_order")),
            x=alt.X(
                "value:Q",
                title=value_title,
                axis=alt.Axis(format=PERCENT if percent else MONEY),
            ),
            color=alt.Color(
                "measure:N", sort=alt.SortField("measure_order"), title=None, legend=_LEGEND
            ),
            tooltip=["channel:N", "measure:N", alt.Tooltip("shown:N", title=value_title)],
        )
        .properties(height=alt.Step(14))
    )


def bar_panels_chart(panels: Sequence[tuple[str, str]], *, percent: bool) -> alt.VConcatChart:
    """:func:`grouped_bars_chart` panels one under another in one chart, each with its title,
    its value axis's title and its own legend: ``panels`` are (title, value title) pairs, and
    each row says which panel it belongs to in ``panel`` (its position)."""
    charts = [
        grouped_bars_chart(value_title, percent=percent)
        .transform_filter(alt.datum.panel == position)
        .properties(title=alt.TitleParams(title, anchor="start"))
        for position, (title, value_title) in enumerate(panels)
    ]
    return alt.vconcat(*charts, spacing=24).resolve_scale(color="independent")


def response_curves_chart(
    spend_title: str,
    value_title: str,
    marker_title: str,
    markers: tuple[str, str],
    *,
    money_values: bool = True,
) -> alt.LayerChart | alt.FacetChart:
    """Each channel's curve of ``value`` against ``spend`` with today's spend and the spend at
    which the CPM has doubled marked: rows with ``kind`` "curve", "today" or "doubling",
    ``channel``, ``spend``, ``value``, ``marker`` (translated kind), ``shown_spend``,
    ``shown``. ``markers`` are the translated "today" and "doubling": a square and a circle;
    the values are money unless ``money_values`` is False (impressions)."""
    base = alt.Chart().encode(
        x=alt.X("spend:Q", title=spend_title, axis=alt.Axis(format=MONEY)),
        y=alt.Y(
            "value:Q", title=value_title, axis=alt.Axis(format=MONEY if money_values else ",.0f")
        ),
        color=alt.Color("channel:N", title=None, legend=_LEGEND),
    )
    lines = base.transform_filter(alt.datum.kind == "curve").mark_line()
    marks = (
        base.transform_filter(alt.datum.kind != "curve")
        .mark_point(size=110, filled=True, opacity=1)
        .encode(
            shape=alt.Shape(
                "marker:N",
                scale=alt.Scale(domain=list(markers), range=["square", "circle"]),
                legend=alt.Legend(orient="bottom", title=marker_title),
            ),
            tooltip=[
                "channel:N",
                alt.Tooltip("marker:N", title=marker_title),
                alt.Tooltip("shown_spend:N", title=spend_title),
                alt.Tooltip("shown:N", title=value_title),
            ],
        )
    )
    return alt.layer(lines, marks).properties(height=360)
