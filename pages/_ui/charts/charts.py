"""Altair charts: templates without data, filled by the tidy frames the model returns.

Building an Altair chart and validating it costs tens of milliseconds, more than the model, so
a chart is built once per set of titles and turned into a Vega-Lite spec (:func:`spec`); each
rerun only sends new data with it. The data preparation is a separate function, so both parts
are testable without a browser.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import streamlit as st

#: Axis formats: whole money in the chart's currency (see ``fmt.with_currency``), percentages.
MONEY = "$,.0f"
PERCENT = ".0%"
#: A legend under the chart, in columns, its labels whole: long lens names ("Organic traffic")
#: must not be cut in a narrow column.
LEGEND = alt.Legend(orient="bottom", columns=2, labelLimit=0, symbolLimit=0)

_KIND_COLOURS = alt.Scale(
    domain=["investment", "return", "net_positive", "net_negative"],
    range=["#d62728", "#2ca02c", "#1f77b4", "#ff7f0e"],
)


def waterfall_data(steps: pd.DataFrame) -> pd.DataFrame:
    """The waterfall's rows with a colour per bar (the net is blue, or orange when negative)
    and their order. ``steps`` needs ``label``, ``kind``, ``start``, ``end`` and ``shown``."""
    kind = steps["kind"].to_numpy(dtype=object)
    start, end = steps["start"].to_numpy(dtype=float), steps["end"].to_numpy(dtype=float)
    net_colour = np.where(end >= 0, "net_positive", "net_negative")
    # one new frame of numpy columns, not pandas' per-column methods: it runs on every press
    return pd.DataFrame(
        {
            "label": steps["label"].to_numpy(dtype=object),
            "kind": kind,
            "start": start,
            "end": end,
            "top": np.maximum(start, end),
            "shown": steps["shown"].to_numpy(dtype=object),
            "colour": np.where(kind == "net", net_colour, kind),
            "position": np.arange(len(steps)),
        }
    )


def waterfall_chart(amount_title: str) -> alt.LayerChart | alt.FacetChart:
    """Bars from the investment, down, then each lens up, to the net return."""
    base = alt.Chart().encode(
        x=alt.X(
            "label:N",
            sort=alt.SortField("position"),
            title=None,
            axis=alt.Axis(labelAngle=-30, labelLimit=140, labelOverlap=False),
        ),
    )
    bars = base.mark_bar().encode(
        y=alt.Y("start:Q", title=amount_title, axis=alt.Axis(format=MONEY)),
        y2="end:Q",
        color=alt.Color("colour:N", scale=_KIND_COLOURS, legend=None),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("shown:N", title=amount_title)],
    )
    text = base.mark_text(dy=-6).encode(y="top:Q", text="shown:N")
    zero = base.mark_rule(color="gray").encode(y=alt.datum(0))
    return alt.layer(bars, text, zero).properties(height=320)


def funnel_chart(count_title: str) -> alt.Chart:
    """Grouped bars per funnel stage, one colour per channel, on a log-like scale.

    The data needs ``channel``, ``stage_label``, ``order``, ``value`` and ``shown``.
    """
    return (
        alt.Chart()
        .mark_bar()
        .encode(
            x=alt.X(
                "stage_label:N",
                sort=alt.SortField("order"),
                title=None,
                axis=alt.Axis(labelAngle=0),
            ),
            xOffset="channel:N",
            y=alt.Y("value:Q", scale=alt.Scale(type="symlog"), title=count_title),
            color=alt.Color("channel:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=["channel:N", "stage_label:N", alt.Tooltip("shown:N", title=count_title)],
        )
        .properties(height=320)
    )


def spec(chart: alt.TopLevelMixin, number_locale: dict[str, Any] | None = None) -> dict[str, Any]:
    """The chart's Vega-Lite spec without data, for ``st.vega_lite_chart(data, spec)``.

    Layers and side-by-side panels lose their own (empty) data too, so that they inherit the
    data sent with the spec (a panel that names its own data set is drawn empty).
    ``number_locale`` (decimal and group marks) makes the axes read like the rest of the page.
    """
    if number_locale is not None:
        chart = chart.configure(locale={"number": number_locale})
    full = chart.to_dict()
    top = {k: v for k, v in full.items() if k not in ("data", "datasets")}
    for part in ("layer", "hconcat", "vconcat", "concat"):  # a panel's own data: none either
        if part in top:
            top[part] = [{k: v for k, v in each.items() if k != "data"} for each in top[part]]
    return top


# --- Comparison charts: one colour per scenario, or per item within a scenario ---------------


def headline_bars_chart(roi_title: str, roas_title: str) -> alt.HConcatChart:
    """The ROIs (financial and full-value) per scenario as percentages, beside ROAS as a
    multiple: two panels of one chart, each with its own axis and unit.

    The data needs ``scenario``, ``order``, ``metric``, ``metric_label``, ``metric_order``,
    ``value`` and ``shown``; ``metric`` ``roas`` goes to the second panel.
    """
    color = alt.Color("scenario:N", sort=alt.SortField("order"), title=None, legend=LEGEND)
    tooltip = ["scenario:N", "metric_label:N", alt.Tooltip("shown:N", title=" ")]
    rois = (
        alt.Chart()
        .transform_filter(alt.datum.metric != "roas")
        .mark_bar()
        .encode(
            x=alt.X(
                "metric_label:N",
                sort=alt.SortField("metric_order"),
                title=None,
                axis=alt.Axis(labelAngle=0, labelLimit=0),
            ),
            xOffset=alt.XOffset("scenario:N", sort=alt.SortField("order")),
            y=alt.Y("value:Q", title=roi_title, axis=alt.Axis(format=PERCENT)),
            color=color,
            tooltip=tooltip,
        )
        .properties(height=240, width=175)
    )
    roas = (
        alt.Chart()
        .transform_filter(alt.datum.metric == "roas")
        .mark_bar()
        .encode(
            x=alt.X("scenario:N", sort=alt.SortField("order"), title=None, axis=None),
            y=alt.Y(
                "value:Q",
                title=roas_title,
                axis=alt.Axis(format=".1f", labelExpr="datum.label + '×'"),
            ),
            color=color,
            tooltip=tooltip,
        )
        .properties(height=240, width=80)
    )
    return alt.hconcat(rois, roas, spacing=12)


def grouped_money_chart(amount_title: str) -> alt.Chart:
    """Investment beside the returns, per scenario: ``scenario``, ``order``, ``item``,
    ``item_order``, ``amount``, ``shown``."""
    return (
        alt.Chart()
        .mark_bar()
        .encode(
            x=alt.X(
                "scenario:N",
                sort=alt.SortField("order"),
                title=None,
                axis=alt.Axis(labelAngle=0, labelLimit=160),
            ),
            xOffset=alt.XOffset("item:N", sort=alt.SortField("item_order")),
            y=alt.Y("amount:Q", title=amount_title, axis=alt.Axis(format=MONEY)),
            color=alt.Color("item:N", sort=alt.SortField("item_order"), title=None, legend=LEGEND),
            tooltip=["scenario:N", "item:N", alt.Tooltip("shown:N", title=amount_title)],
        )
        .properties(height=300, width="container")
    )


def stacked_chart(amount_title: str, *, normalise: bool) -> alt.Chart:
    """Each scenario's bar split into items (lenses, or channels when ``normalise``):
    ``scenario``, ``order``, ``item``, ``item_order``, ``amount``, ``shown``; with ``panel``
    for one row of bars per panel (spend, hours)."""
    chart = (
        (_facet_base() if normalise else alt.Chart())
        .mark_bar()
        .encode(
            y=alt.Y(
                "scenario:N", sort=alt.SortField("order"), title=None, axis=alt.Axis(labelLimit=160)
            ),
            x=alt.X(
                "amount:Q",
                title=amount_title,
                stack="normalize" if normalise else "zero",
                axis=alt.Axis(format=PERCENT if normalise else MONEY),
            ),
            color=alt.Color(
                "item:N",
                sort=alt.SortField("item_order"),
                title=None,
                # the lenses' long names one under another: side by side they were cut
                legend=LEGEND
                if normalise
                else alt.Legend(orient="bottom", columns=1, labelLimit=0),
            ),
            order=alt.Order("item_order:Q"),
            tooltip=["scenario:N", "item:N", alt.Tooltip("shown:N", title=amount_title)],
        )
    )
    if normalise:  # spend above hours, each titled above: side by side they overflowed
        header = alt.Header(labelAngle=0, labelAlign="left", labelOrient="top", labelAnchor="start")
        return chart.properties(height=alt.Step(22), width=220).facet(
            row=alt.Row("panel:N", title=None, header=header)
        )
    return chart.properties(height=alt.Step(28), width="container")


def _facet_base() -> alt.Chart:
    """Facets need data at the top level: an empty placeholder, which :func:`spec` drops so
    that the data sent with the spec takes its place."""
    return alt.Chart(pd.DataFrame())


def draw(data: pd.DataFrame, spec: dict[str, Any], key: str) -> None:
    """``spec`` drawn with ``data`` across its column.

    The data goes to Streamlit as an Arrow table made column by column: Streamlit's own
    conversion of a pandas frame took each chart of a press about three times as long (0.65
    ms against 0.2 for a funnel of 16 rows). A frame Arrow cannot take that way (a column of
    mixed types) goes as it is.
    """
    try:
        table: pa.Table | pd.DataFrame = pa.table(
            {str(name): data[name].to_numpy() for name in data.columns}
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        table = data
    st.vega_lite_chart(table, spec, width="stretch", key=key)
