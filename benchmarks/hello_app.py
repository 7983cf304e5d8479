"""The latency floor: a one-slider hello-world Streamlit app.

The benchmark compares the cockpit with this app in the same run, so that the ratio of the two
says how much our own code adds on top of Streamlit's round trip (debounce, websocket, rerun,
React render). Keys and layout mirror the cockpit's contract: a slider with a key, and a metric
in a keyed container.

With ``HELLO_ELEMENTS=N`` in its environment it also draws N one-line texts that change with the
slider, before the metric: a page that does no work but redraws as many elements as the page
measured beside it (Streamlit sends, and the browser draws, each element on its own).
"""

import os

import streamlit as st

x = st.slider("x", min_value=0, max_value=100, value=50, step=1, key="x")
for line in range(int(os.environ.get("HELLO_ELEMENTS", "0"))):
    st.text(f"{line}: {x * line:,}")
with st.container(key="out"):
    st.metric("x squared", f"{x * x:,}")
