"""Grouped bars per channel (or campaign, or month), drawn from tidy rows: the bar charts that
the Channels and What happened pages share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from pages._ui import fmt
from pages._ui.charts import channel_charts, charts
from pages._ui.i18n import display_key


@st.cache_data(max_entries=8, show_spinner=False)
def _bars_spec(value_title: str, percent: bool, language: str) -> dict[str, Any]:
    chart = channel_charts.grouped_bars_chart(value_title, percent=percent)
    return charts.spec(chart, fmt.chart_number_locale())


@st.cache_data(max_entries=8, show_spinner=False)
def _panels_spec(
    panels: tuple[tuple[str, str], ...], percent: bool, language: str
) -> dict[str, Any]:
    chart = channel_charts.bar_panels_chart(panels, percent=percent)
    return charts.spec(chart, fmt.chart_number_locale())


def bars(
    rows: pd.DataFrame, value_title: str, key: str, *, percent: bool, currency: str = "EUR"
) -> None:
    """Percentages, or money in ``currency`` (as the locale writes it) on the value axis."""
    _draw(rows, _bars_spec(value_title, percent, display_key()), key, percent, currency)


def bar_panels(
    titles: Sequence[tuple[str, str]],
    rows: pd.DataFrame,
    key: str,
    *,
    percent: bool,
    currency: str = "EUR",
) -> None:
    """Related bars as titled panels of one chart (one element to redraw, not a title and a
    chart each): ``titles`` are (title, value title) pairs, ``rows`` their
    :func:`panel_rows`."""
    _draw(rows, _panels_spec(tuple(titles), percent, display_key()), key, percent, currency)


def _draw(rows: pd.DataFrame, spec: dict[str, Any], key: str, percent: bool, currency: str) -> None:
    if not percent:
        spec = fmt.with_currency(spec, currency)
    charts.draw(rows, spec, key)


def measure_rows(channels: pd.Index, measures: dict[str, Any], shown: Any) -> pd.DataFrame:
    """Tidy rows for :func:`channel_charts.grouped_bars_chart`, built in one go (a frame per
    measure and a concat cost more than the model on every slider move)."""
    return _rows(channels, list(measures.items()), shown)


def panel_rows(channels: pd.Index, panels: Sequence[dict[str, Any]], shown: Any) -> pd.DataFrame:
    """:func:`measure_rows` of several panels' measures in one frame built in one go (no
    frame per panel and concat on every slider move), ``panel`` saying each row's panel; two
    panels may name a measure alike."""
    rows = _rows(channels, [item for measures in panels for item in measures.items()], shown)
    sizes = [len(measures) * len(channels) for measures in panels]
    rows["panel"] = np.repeat(np.arange(len(panels)), sizes)
    return rows


def _rows(channels: pd.Index, measures: list[tuple[str, Any]], shown: Any) -> pd.DataFrame:
    count, names = len(channels), [name for name, _ in measures]
    values = np.concatenate([np.asarray(v, dtype=float) for _, v in measures])
    return pd.DataFrame(
        {
            "channel": np.tile(np.asarray(channels, dtype=object), len(names)),
            "order": np.tile(np.arange(count), len(names)),
            "measure": np.repeat(np.asarray(names, dtype=object), count),
            "measure_order": np.repeat(np.arange(len(names)), count),
            "value": values,
            "shown": [shown(v) for v in values],
        }
    )
