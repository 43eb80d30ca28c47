"""Plotly figure builders: arrays and labels in, ``go.Figure`` out. Pure functions, no Streamlit."""
