"""Altair charts: small functions that take a tidy frame from the model and return a chart.

Labels arrive already translated (``label`` columns added by the caller's ``assign``), so these
functions can be tested without a browser or a session.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

_KIND_COLOURS = alt.Scale(
    domain=["investment", "return", "net_positive", "net_negative"],
    range=["#d62728", "#2ca02c", "#1f77b4", "#ff7f0e"],
)


def waterfall_chart(steps: pd.DataFrame, amount_title: str) -> alt.Chart:
    """Bars from the investment, down, then each lens up, to the net return.

    ``steps`` needs ``label``, ``kind``, ``start``, ``end`` and ``shown`` (formatted amount).
    """
    data = steps.assign(
        colour=steps["kind"].where(
            steps["kind"] != "net",
            steps["end"].map(lambda end: "net_positive" if end >= 0 else "net_negative"),
        ),
        position=range(len(steps)),
    )
    x = alt.X("label:N", sort=alt.SortField("position"), title=None,
              axis=alt.Axis(labelAngle=-30, labelLimit=140, labelOverlap=False))  # fmt: skip
    bars = alt.Chart(data).mark_bar().encode(
        x=x,
        y=alt.Y("start:Q", title=amount_title),
        y2="end:Q",
        color=alt.Color("colour:N", scale=_KIND_COLOURS, legend=None),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("shown:N", title=amount_title)],
    )
    text = alt.Chart(data).mark_text(dy=-6).encode(
        x=x, y=alt.Y("max_end:Q"), text="shown:N"
    ).transform_calculate(max_end="max(datum.start, datum.end)")
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="gray").encode(y="y:Q")
    return (bars + text + zero).properties(height=320)


def funnel_chart(funnel: pd.DataFrame, count_title: str) -> alt.Chart:
    """Grouped bars per funnel stage, one colour per channel, on a log-like scale.

    ``funnel`` needs ``channel``, ``stage_label``, ``order``, ``value`` and ``shown``.
    """
    return (
        alt.Chart(funnel)
        .mark_bar()
        .encode(
            x=alt.X("stage_label:N", sort=alt.SortField("order"), title=None,
                    axis=alt.Axis(labelAngle=0)),
            xOffset="channel:N",
            y=alt.Y("value:Q", scale=alt.Scale(type="symlog"), title=count_title),
            color=alt.Color("channel:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=["channel:N", "stage_label:N", alt.Tooltip("shown:N", title=count_title)],
        )  # fmt: skip
        .properties(height=320)
    )
