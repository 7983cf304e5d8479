"""The latency floor: a one-slider hello-world Streamlit app.

The benchmark compares the cockpit with this app in the same run, so that the ratio of the two
says how much our own code adds on top of Streamlit's round trip (debounce, websocket, rerun,
React render). Keys and layout mirror the cockpit's contract: a slider with a key, and a metric
in a keyed container.
"""

import streamlit as st

x = st.slider("x", min_value=0, max_value=100, value=50, step=1, key="x")
with st.container(key="out"):
    st.metric("x squared", f"{x * x:,}")
