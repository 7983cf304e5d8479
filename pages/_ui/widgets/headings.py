"""Titles and section headings, each with an anchor named after its text's key.

A heading Streamlit is given no anchor gets one made from its text in the browser, and it is
made again on every redraw of the page: each run's start and end redraws every element, so a
press on the cockpit slugified its eight headings two or three times. An anchor from the key
is made once, here, and stays the same in every language (a link to ``#cockpit-goals`` works
in Spanish and in English).
"""

from __future__ import annotations

import streamlit as st

from pages._ui.i18n import t


def anchor_of(key: str) -> str:
    """The anchor of the heading whose text is the catalog's ``key``: ``cockpit.channel_table``
    gives ``cockpit-channel-table``."""
    return key.replace(".", "-").replace("_", "-")


def section_heading(key: str) -> None:
    """A section's subheading, with a grey rule under it, as every page draws them."""
    st.subheader(t(key), divider="gray", anchor=anchor_of(key))


def page_title(key: str) -> None:
    """A page's title."""
    st.title(t(key), anchor=anchor_of(key))
