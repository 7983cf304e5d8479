"""The history file being looked at on the What happened page, and the user's corrections to
how it is read: kept in session state, so that the page and its list of kept histories open,
close and keep the same file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import streamlit as st

SOURCE = "history_source"  # (file name, bytes) of the history being looked at
_FROM_SAMPLE = "history_from_sample"  # whether the source is the sample history
CHANNEL = "history_channel"  # the channel given to a file that has none
MAPPING = "history_mapping"  # the user's corrections: source column -> field ("" ignores it)
DATE_ORDER = "history_date_order"  # "dmy" or "mdy" when the user settled ambiguous dates
VERSION = "history_source_version"  # bumped for every new file: the import's memo key
HOURS = "history_hours"  # {source version: {month: staff hours entered}}


def new_source(name: str, data: bytes, *, sample: bool = False) -> int:
    st.session_state[SOURCE] = (name, data)
    st.session_state[VERSION] = st.session_state.get(VERSION, 0) + 1
    st.session_state[MAPPING] = {}
    st.session_state[CHANNEL] = None
    st.session_state[DATE_ORDER] = None
    st.session_state[_FROM_SAMPLE] = sample
    return int(st.session_state[VERSION])


def open_source(
    name: str,
    data: bytes,
    *,
    mapping: dict[str, str],
    channel: str | None,
    date_order: str | None = None,
    hours: Mapping[str, float] | None = None,
) -> int:
    """Look at a file read before, with the corrections and staff hours entered then;
    returns its version."""
    version = new_source(name, data)
    st.session_state[MAPPING] = dict(mapping)
    st.session_state[CHANNEL] = channel
    st.session_state[DATE_ORDER] = date_order
    by_month = {pd.Timestamp(f"{month}-01"): value for month, value in (hours or {}).items()}
    st.session_state[HOURS] = {version: by_month}
    return version


def entered_hours() -> dict[str, float]:
    """The staff hours entered per month ("YYYY-MM") for the file being looked at."""
    by_month = st.session_state.get(HOURS, {}).get(source_version(), {})
    return {month.strftime("%Y-%m"): float(value) for month, value in by_month.items()}


@dataclass(frozen=True)
class Corrections:
    """What the user settled about how the file is read."""

    channel: str | None
    mapping: tuple[tuple[str, str], ...]
    date_order: str | None


def corrections() -> Corrections:
    """The user's corrections to the file being looked at."""
    return Corrections(
        st.session_state.get(CHANNEL),
        tuple(sorted(dict(st.session_state.get(MAPPING, {})).items())),
        st.session_state.get(DATE_ORDER),
    )


def close_source() -> None:
    """Look at no file."""
    st.session_state.pop(SOURCE, None)
    st.session_state[VERSION] = st.session_state.get(VERSION, 0) + 1


def source_version() -> int:
    """Bumped for every file chosen: tells one choice of a file from the next."""
    return int(st.session_state.get(VERSION, 0))


def source_is_sample() -> bool:
    return bool(st.session_state.get(_FROM_SAMPLE, False))
