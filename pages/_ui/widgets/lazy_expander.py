"""An expander that draws its content only while it is open."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st


@contextmanager
def lazy_expander(label: str, key: str, icon: str, *, opened: bool = False) -> Iterator[bool]:
    """An expander whose content is drawn only while it is open, so that a closed panel
    costs nothing on the reruns a slider triggers; ``opened``: open on its first draw."""
    with st.expander(label, expanded=opened, key=key, icon=icon, on_change="rerun") as box:
        yield bool(box.open)
