"""Indicators, charts, computations, i18n and UI helpers. Only data.py and ui.py import Streamlit."""
