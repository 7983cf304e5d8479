"""Reusable Streamlit widgets and bars, shared by the views and pages. Import charts, app, fmt
and i18n; never a view."""
