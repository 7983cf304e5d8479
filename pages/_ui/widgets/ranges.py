"""Ranges on the assumptions: a low and a high value for each input the consultant is unsure
of, edited in one table bound to the draft (today's value stays the most likely)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from pages._ui.app import state
from pages._ui.i18n import field_label, t
from roi_model import Scenario
from roi_model.model.break_even import current_input
from roi_model.model.uncertainty import range_paths
from roi_model.model.vocabulary import Kind, kind_of


def path_label(scenario: Scenario, path: str) -> str:
    """``CTR · every channel``, ``Instagram · CTR``, ``Order value``."""
    label = field_label(path)
    if path.startswith("channels[*]"):
        every = t("sure.every_channel")
        return f"{label} · {every}"
    if path.startswith("channels["):
        index = int(path[len("channels[") : path.index("]")])
        return f"{scenario.channel_names[index]} · {label}"
    return label


def ranges_editor(scenario: Scenario) -> None:
    """Each range's input, low and high; a percentage shown as one (2 for 2 %)."""
    paths = [p for p in range_paths(scenario) if not p.endswith(".name")]
    labels = {path_label(scenario, p): p for p in paths}
    names = {path: label for label, path in labels.items()}
    rows = state.draft().get("uncertainty", [])
    frame = pd.DataFrame(
        {
            "input": pd.Series([names.get(r["input"], r["input"]) for r in rows], dtype=object),
            "low": pd.Series([_shown(r["input"], r["low"]) for r in rows], dtype=float),
            "high": pd.Series([_shown(r["input"], r["high"]) for r in rows], dtype=float),
        }
    )
    key = state.editor_key("ranges_editor")
    st.data_editor(
        frame,
        key=key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "input": st.column_config.SelectboxColumn(
                t("sure.col.input"), options=list(labels), required=True
            ),
            "low": st.column_config.NumberColumn(t("sure.col.low"), required=True),
            "high": st.column_config.NumberColumn(t("sure.col.high"), required=True),
        },
        on_change=_apply_ranges,
        args=(key, frame, labels, scenario),
    )
    st.caption(t("sure.ranges_help"))


def _is_percent(path: str) -> bool:
    return kind_of(path.rsplit(".", 1)[-1]) is Kind.PERCENT


def _shown(path: str, value: float) -> float:
    return value * 100 if _is_percent(path) else value


def _stored(path: str, value: Any) -> Any:
    return value / 100 if _is_percent(path) and isinstance(value, int | float) else value


def _apply_ranges(
    key: str, frame: pd.DataFrame, labels: dict[str, str], scenario: Scenario
) -> None:
    """The edited table back into the draft. A new row with only its input starts as today's
    value at both ends, so nothing typed is lost and the user widens it from there."""
    ranges = [
        _range_entry(scenario, labels[name], row.get("low"), row.get("high"))
        for row in state.edited_rows(key, frame)
        if (name := str(row.get("input"))) in labels
    ]
    state.update_draft(lambda d: d.update(uncertainty=ranges))
    state.bump_editors()


def _range_entry(scenario: Scenario, path: str, low: Any, high: Any) -> dict[str, Any]:
    """A range as the draft keeps it, from ends as the user sees them (a percentage as one);
    an end left empty starts at today's value (the channels' lowest or highest)."""
    today_low, today_high = _today(scenario, path)
    return {
        "input": path,
        "low": today_low if _empty(low) else _stored(path, low),
        "high": today_high if _empty(high) else _stored(path, high),
    }


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))


def _today(scenario: Scenario, path: str) -> tuple[float, float]:
    """Today's value at a path (the lowest and highest of the channels', for every channel)."""
    if not path.startswith("channels[*]"):
        value = current_input(scenario, path)
        return value, value
    name = path.rsplit(".", 1)[-1]
    values = [v for c in scenario.channels if (v := getattr(c, name)) is not None] or [0.0]
    return float(min(values)), float(max(values))


def _ranges_by_path() -> dict[str, dict[str, Any]]:
    return {item["input"]: item for item in state.draft().get("uncertainty", [])}


def range_pair(scenario: Scenario, path: str) -> None:
    """A low and a high value beside an input (empty: no range); the other end of a new
    range starts at today's value, and emptying an end removes the range."""
    low_column, high_column = st.columns(2)
    with low_column:
        _end_input(scenario, path, "low", t("sure.col.low"))
    with high_column:
        _end_input(scenario, path, "high", t("sure.col.high"))


def _end_input(scenario: Scenario, path: str, end: str, label: str) -> None:
    def read() -> float | None:
        mine = _ranges_by_path().get(path)
        return None if mine is None else _shown(path, mine[end])

    def write(value: float | None) -> None:
        _set_end(scenario, path, end, value)

    st.number_input(
        label,
        value=None,
        min_value=0.0,
        format="%.2f",
        placeholder=label,
        label_visibility="collapsed",
        **state.bind(f"range_{end}_{path}", read, write),
    )


def _set_end(scenario: Scenario, path: str, end: str, value: float | None) -> None:
    def change(draft: dict[str, Any]) -> None:
        ranges = {item["input"]: item for item in draft.get("uncertainty", [])}
        if value is None:
            ranges.pop(path, None)  # an emptied end: the input is certain again
        else:  # a new range's other end starts at today's value; a kept one stays as stored
            mine = ranges.get(path) or _range_entry(scenario, path, None, None)
            ranges[path] = mine | {end: _stored(path, value)}
        draft["uncertainty"] = list(ranges.values())

    state.update_draft(change)


def channel_ranges_editor(scenario: Scenario, fields: tuple[str, ...]) -> None:
    """Beside the channel assumptions: a low and a high for each of them, on every channel at
    once (``channels[*]``; each channel drawn around its own value). Empty: certain."""
    rows = _ranges_by_path()
    paths = [f"channels[*].{name}" for name in fields]
    frame = pd.DataFrame(
        {
            "low": [_shown(p, rows[p]["low"]) if p in rows else None for p in paths],
            "high": [_shown(p, rows[p]["high"]) if p in rows else None for p in paths],
        },
        index=pd.Index([field_label(p) for p in paths], name=t("sure.col.input")),
        dtype=float,
    )
    key = state.editor_key("channel_ranges_editor")
    st.data_editor(
        frame,
        key=key,
        width="stretch",
        num_rows="fixed",
        column_config={
            "low": st.column_config.NumberColumn(t("sure.col.low")),
            "high": st.column_config.NumberColumn(t("sure.col.high")),
        },
        on_change=_apply_channel_ranges,
        args=(key, frame, paths, scenario),
    )


def _apply_channel_ranges(
    key: str, frame: pd.DataFrame, paths: list[str], scenario: Scenario
) -> None:
    """Each edited row back into the draft's ranges: a missing end starts at today's value,
    and a row emptied at both ends is certain again."""
    edits = st.session_state[key].get("edited_rows", {})

    def change(draft: dict[str, Any]) -> None:
        ranges = {item["input"]: item for item in draft.get("uncertainty", [])}
        for row, values in edits.items():
            path = paths[int(row)]
            low = values.get("low", frame.iloc[int(row)]["low"])
            high = values.get("high", frame.iloc[int(row)]["high"])
            if _empty(low) and _empty(high):
                ranges.pop(path, None)
            else:
                ranges[path] = _range_entry(scenario, path, low, high)
        draft["uncertainty"] = list(ranges.values())

    state.update_draft(change)
    state.bump_editors()
