"""The months ahead in charts: the cumulative lines with the payback month, the monthly return
by lens, the audience per channel. Templates without data, like the other builders."""

from __future__ import annotations

import altair as alt

from pages._ui.charts.charts import LEGEND, MONEY

#: Months are whole numbers on every axis.
MONTH = "d"


def _month_axis(title: str) -> alt.X:
    return alt.X("month:Q", title=title, axis=alt.Axis(format=MONTH, tickMinStep=1))


def cumulative_chart(money_title: str, month_title: str) -> alt.LayerChart | alt.FacetChart:
    """Cumulative investment and returns (``month``, ``label``, ``amount``, ``shown``), and
    each payback month as a dashed rule (rows with ``payback`` set, their ``label`` the ROI)."""
    lines = (
        alt.Chart()
        .transform_filter("!datum.payback")
        .mark_line(point=True)
        .encode(
            x=_month_axis(month_title),
            y=alt.Y("amount:Q", title=money_title, axis=alt.Axis(format=MONEY)),
            # the three long names one under another: side by side they were cut
            color=alt.Color(
                "label:N",
                sort=alt.SortField("order"),
                title=None,
                legend=alt.Legend(orient="bottom", columns=1, labelLimit=0),
            ),
            tooltip=[alt.Tooltip("month:Q", title=month_title), "label:N", "shown:N"],
        )
    )
    paybacks = (
        alt.Chart()
        .transform_filter("datum.payback")
        .mark_rule(strokeDash=[6, 4], color="#555")
        .encode(
            x=_month_axis(month_title),
            tooltip=["label:N", alt.Tooltip("month:Q", title=month_title)],
        )
    )
    return alt.layer(lines, paybacks).properties(height=320, width="container")


def lens_chart(money_title: str, month_title: str) -> alt.Chart:
    """Each month's return stacked by lens: ``month``, ``label``, ``order``, ``amount``,
    ``shown``."""
    return (
        alt.Chart()
        .mark_bar()
        .encode(
            x=alt.X("month:O", title=month_title, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("amount:Q", title=money_title, axis=alt.Axis(format=MONEY)),
            color=alt.Color("label:N", sort=alt.SortField("order"), title=None, legend=LEGEND),
            order=alt.Order("order:Q"),
            tooltip=[alt.Tooltip("month:O", title=month_title), "label:N", "shown:N"],
        )
        .properties(height=300, width="container")
    )


def audience_chart(count_title: str, month_title: str) -> alt.Chart:
    """The audience at each month's end per channel: ``month``, ``channel``, ``followers``,
    ``shown``."""
    return (
        alt.Chart()
        .mark_line(point=True)
        .encode(
            x=_month_axis(month_title),
            y=alt.Y("followers:Q", title=count_title, axis=alt.Axis(format=",.0f")),
            color=alt.Color("channel:N", title=None, legend=LEGEND),
            tooltip=[alt.Tooltip("month:Q", title=month_title), "channel:N", "shown:N"],
        )
        .properties(height=300, width="container")
    )
