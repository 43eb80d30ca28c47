"""How wide the page's main column is, measured in the browser, so figures can be laid out in Python.

A figure's text can only be kept from overlapping if its layout knows the pixels it has: which tick
labels fit, how many heads side by side, whether a number fits in a cell. A tiny component reports the
main column's width (pages/ui/width_probe.js); the first run of a session, before it has reported, and
AppTest use DEFAULT_WIDTH, the narrowest column the app is made for (1024 × 768 with the sidebar open).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
DEFAULT_WIDTH = 660  # px: the main column at 1024 × 768 with the sidebar open (724 px, less padding)

_PROBE = st.components.v2.component("attention_explorer_width", js=(HERE / "width_probe.js").read_text())


def measure() -> None:
    """Draw the probe (app.py, once per run; it takes no room). It is told the width this run lays
    figures out for, and asks for a rerun only when the page is wider or narrower than that."""
    _PROBE(key="page_width", data={"used": page_width()}, default={"width": None}, on_width_change=_ignore)


def _ignore() -> None:
    """The probe's change callback: the rerun it causes is all that is needed."""


def page_width() -> int:
    """The main column's width in px, as last reported (DEFAULT_WIDTH until then)."""
    state = st.session_state.get("page_width")
    width = getattr(state, "width", None) if state is not None else None
    return int(width) if isinstance(width, int | float) and width >= 320 else DEFAULT_WIDTH
