"""Hand what a rerun has drawn so far to the browser before computing the rest."""

from __future__ import annotations

import os
import time

#: How long the script gives way: two of the server's sending cycles. Streamlit's server sends
#: what a script has drawn in cycles at least 5 ms apart, and needs the interpreter lock for
#: every message; figures drawn in mid-cycle wait for the next one. Side by side (40 presses,
#: both orders) a press's figures came 2-3 ms sooner on the meeting page and 4-8 ms sooner on
#: the cockpit with 10 ms than with 1 ms; 5 ms was between, 20 ms no better than 10.
PAUSE_S = 0.010
#: Set to "0" to turn the hand-over off (to measure what it brings).
ENABLED_ENV = "ROI_EXPLORER_SEND_EARLY"


def send_now() -> None:
    """Let Streamlit's server send the elements drawn so far, now.

    The script runs in one thread and the server sends its elements from another, which needs
    Python's interpreter lock to do so. While the script computes, that thread gets the lock
    only every few milliseconds, so the figures a person watches, drawn first, reached the
    browser together with the charts and tables computed after them. A pause right after
    those figures hands the lock over: the browser draws them while the server waits, then
    computes the rest. The rest comes that much later; the figures a person reads first come
    sooner (on the cockpit, a budget press's headline about a quarter sooner than without).
    """
    if os.environ.get(ENABLED_ENV, "1") != "0":
        time.sleep(PAUSE_S)
