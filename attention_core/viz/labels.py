"""Token labels as Plotly shows them.

Plotly reads a small HTML subset in tick labels and hover text (<b>, <br>, <a href>…). A user's token is
text, never markup, so every label is HTML-escaped here, in one place: "<img src=x>" is shown as those
characters and nothing is interpreted.
"""

from __future__ import annotations

import html

MAX_TICK_CHARS = 14


def safe(text: str) -> str:
    """User text made inert for Plotly: <, > and & become entities, which Plotly shows literally. (Quotes
    stay: they cannot start markup, and Plotly would show an escaped quote as the entity itself.)"""
    return html.escape(text, quote=False)


def tick_labels(labels: list[str] | tuple[str, ...]) -> list[str]:
    """Escaped labels, long ones shortened with "…" (the hover text keeps the whole token)."""
    return [safe(t if len(t) <= MAX_TICK_CHARS else t[: MAX_TICK_CHARS - 1] + "…") for t in labels]


def numbered(labels: list[str] | tuple[str, ...]) -> list[str]:
    """ "3 ▁cat" for hover text: the position makes repeated tokens distinguishable."""
    return [f"{i} {safe(t)}" for i, t in enumerate(labels)]
