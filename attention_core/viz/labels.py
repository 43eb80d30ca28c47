"""Token labels as Plotly shows them.

Plotly reads a small HTML subset in tick labels and hover text (<b>, <br>, <a href>…). A user's token is
text, never markup, so every label is HTML-escaped here, in one place: "<img src=x>" is shown as those
characters and nothing is interpreted.
"""

from __future__ import annotations

import html
import math
import unicodedata

MAX_TICK_CHARS = 14


def safe(text: str) -> str:
    """User text made inert for Plotly: <, > and & become entities, which Plotly shows literally. (Quotes
    stay: they cannot start markup, and Plotly would show an escaped quote as the entity itself.)"""
    return html.escape(text, quote=False)


def shorten(label: str) -> str:
    """A token as a tick label shows it: at most MAX_TICK_CHARS characters, "…" where it was cut."""
    return label if len(label) <= MAX_TICK_CHARS else label[: MAX_TICK_CHARS - 1] + "…"


def tick_labels(labels: list[str] | tuple[str, ...]) -> list[str]:
    """Escaped labels, long ones shortened with "…" (the hover text keeps the whole token)."""
    return [safe(shorten(t)) for t in labels]


def char_width(c: str) -> float:
    """One character's width in ems, erring on the wide side (a margin too wide costs a little space, one
    too narrow cuts labels off): emoji 1.3; other wide characters (Hangul, CJK) and anything outside ASCII
    1; capitals and m, w, @, % 0.9; the rest of ASCII 0.6."""
    if unicodedata.east_asian_width(c) in "WF":
        return 1.3 if unicodedata.category(c) == "So" else 1.0
    if not c.isascii():
        return 1.0
    return 0.9 if c.isupper() or c in "mw@%" else 0.6


def text_width(text: str, font_size: float) -> float:
    """About how many pixels ``text`` needs, at most a little more than it does.

    An estimate on purpose. Plotly can measure tick labels itself (an axis's ``automargin``), but it does
    so in the browser on every redraw, label by label: with ~100 token labels that is most of the time a
    new sentence takes to appear (docs/benchmarks.md).
    """
    return font_size * sum(char_width(c) for c in text)


def label_margin(labels: list[str] | tuple[str, ...], font_size: float, slant: float = 0) -> int:
    """Pixels beside an axis for its longest tick label (as shortened), the tick and the axis title.

    ``slant``: degrees between the labels and the axis's outward direction: 0 when they point straight away
    from it (y labels written across, x labels written downward), 45 for x labels at -45°, 90 for x labels
    written along the axis (then only the line height counts).
    """
    widest = max((text_width(shorten(label), font_size) for label in labels), default=0.0)
    angle = math.radians(slant)
    extent = widest * math.cos(angle) + 1.2 * font_size * math.sin(angle)
    return round(extent) + 36  # + tick and gap (~10 px) + axis title (~26 px)


def fixed_ticks(font_size: float) -> dict:
    """Axis settings for tick labels whose room ``label_margin`` has set: no measuring in the browser
    (``automargin``, overflow checks). Give the axis a fixed ``tickangle`` too, or Plotly measures every
    label to choose one."""
    return {"tickfont": {"size": font_size}, "automargin": False, "ticklabeloverflow": "allow"}


def numbered(labels: list[str] | tuple[str, ...]) -> list[str]:
    """ "3 ▁cat" for hover text: the position makes repeated tokens distinguishable."""
    return [f"{i} {safe(t)}" for i, t in enumerate(labels)]
