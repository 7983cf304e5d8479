"""Benchmarks of ROI Explorer: model timing and slider-to-page latency (``python -m benchmarks``).

Every figure is reported as a ratio to a floor measured in the same run (a bare pandas call,
a hello-world Streamlit app), because absolute times on a shared machine are noise.
"""
