"""The months ahead in words, where several pages say it: "Month 7", "Not within 12 months"."""

from __future__ import annotations

import streamlit as st

from pages._ui import fmt
from pages._ui.i18n import t, words
from roi_model.model.months import Projection
from roi_model.report import labels


def payback_text(month: int | None, horizon: int) -> str:
    """The payback month, or that there is none within the horizon, in the session's words."""
    return labels.payback_text(words(), month, horizon)


def months_line(projection: Projection) -> None:
    """One line: when the scenario pays back, each way, and its full-value ROI at the horizon."""
    horizon = projection.horizon
    paybacks = {
        kind: payback_text(month, horizon) for kind, month in projection.payback_month.items()
    }
    st.caption(
        t(
            "months.cockpit_line",
            months=horizon,
            financial=paybacks["financial"],
            full=paybacks["full"],
            roi=fmt.percent(projection.roi["full"]),
        ),
        help=t("months.cockpit_line_help"),
    )
