"""How sure are we: the spread of the full-value ROI over the draws, and the tornado of the
inputs that decide it. Each builder returns a chart over one tidy frame."""

from __future__ import annotations

import altair as alt
import pandas as pd


def spread_data(bins: pd.DataFrame, marks: pd.DataFrame) -> pd.DataFrame:
    """The bins (``start``, ``end``, ``share``) and the marked percentiles (``value``,
    ``label``) as one frame, told apart by ``kind``."""
    return pd.concat(
        [bins.assign(kind="bin"), marks.assign(kind="mark")], ignore_index=True, sort=False
    )


def spread_chart(roi_title: str, share_title: str) -> alt.LayerChart | alt.FacetChart:
    """Bars of the share of draws per ROI bin, the P10, P50 and P90 marked with their label."""
    base = alt.Chart()
    bars = (
        base.transform_filter(alt.datum.kind == "bin")
        .mark_bar(color="#4c78a8", opacity=0.85)
        .encode(
            x=alt.X("start:Q", title=roi_title, axis=alt.Axis(format=".0%")),
            x2="end:Q",
            y=alt.Y("share:Q", title=share_title, axis=alt.Axis(format=".0%")),
            y2=alt.datum(0),  # each bar from 0 up: x and x2 alone would make it a band
        )
    )
    marks = base.transform_filter(alt.datum.kind == "mark").encode(x="value:Q")
    rules = marks.mark_rule(color="#d62728", strokeDash=[4, 3])
    labels = marks.mark_text(align="left", dx=3, color="#d62728").encode(
        text="label:N", y=alt.value(10)
    )
    return alt.layer(bars, rules, labels).properties(height=240)


def tornado_chart(roi_title: str) -> alt.LayerChart | alt.FacetChart:
    """One bar per input from the ROI at its low end to the ROI at its high end (``input``,
    ``at_low``, ``at_high``, ``order``, ``shown``), and today's ROI (``today``) as a rule."""
    base = alt.Chart()
    bars = base.mark_bar(color="#f58518").encode(
        y=alt.Y(
            "input:N",
            title=None,
            sort=alt.EncodingSortField("order"),
            axis=alt.Axis(labelLimit=260),  # "Instagram · Lead → sale (%)" whole
        ),
        x=alt.X("at_low:Q", title=roi_title, axis=alt.Axis(format=".0%")),
        x2="at_high:Q",
        tooltip=["input:N", alt.Tooltip("shown:N", title=roi_title)],
    )
    today = base.mark_rule(color="gray").encode(x="mean(today):Q")
    return alt.layer(bars, today).properties(height=alt.Step(26))
