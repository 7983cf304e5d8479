"""Altair/Vega chart builders and the chart helpers views share. Imports fmt, i18n and the
model only."""
