"""Hand what a rerun has drawn so far to the browser before computing the rest."""

from __future__ import annotations

import os
import time

#: How long the script gives way. The server's sending thread needs the interpreter lock for
#: well under a millisecond a message; a longer pause only delays the rest of the page.
PAUSE_S = 0.001
#: Set to "0" to turn the hand-over off (to measure what it brings).
ENABLED_ENV = "ROI_EXPLORER_SEND_EARLY"


def send_now() -> None:
    """Let Streamlit's server send the elements drawn so far, now.

    The script runs in one thread and the server sends its elements from another, which needs
    Python's interpreter lock to do so. While the script computes, that thread gets the lock
    only every few milliseconds, so the figures a person watches, drawn first, reached the
    browser together with the charts and tables computed after them. A pause of a millisecond
    right after those figures hands the lock over: the browser draws them while the server
    computes the rest (on the cockpit, a budget press's headline about a sixth sooner).
    """
    if os.environ.get(ENABLED_ENV, "1") != "0":
        time.sleep(PAUSE_S)
