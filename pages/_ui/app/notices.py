"""Notices that outlive the rerun that raised them: an action posts one, the next draw shows it.

A button's action runs before ``st.rerun()``; what it has to say (saved, refused, restored)
is kept under a channel and shown, once, where that channel's page draws its notices.
"""

from __future__ import annotations

import streamlit as st

_SHOW = {"ok": st.success, "info": st.info, "error": st.error}


def post(channel: str, kind: str, text: str) -> None:
    """Keep a notice (``ok``, ``info`` or ``error``) for the next :func:`show` of ``channel``."""
    st.session_state.setdefault(channel, []).append((kind, text))


def show(channel: str) -> None:
    """Draw the channel's notices, oldest first, and forget them."""
    for kind, text in st.session_state.pop(channel, []):
        _SHOW[kind](text)
