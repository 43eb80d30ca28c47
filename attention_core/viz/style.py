"""How much room a figure has and how large its text is: every figure builder takes a Style.

A figure's text can only be kept from overlapping if the builder knows its pixels. So figures are laid out
here, in Python, for the width the page measured (pages/ui/width.py), with fixed cell sizes, fixed tick
angles and tick labels thinned to the spacing their font needs, and they are drawn at exactly that width
(never stretched by the browser). Presentation mode passes larger fonts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from attention_core.viz.colours import PALETTES, Palette


@dataclass(frozen=True)
class Style:
    """width: px the figure may take; font: tick labels and legends (px); cell_font: numbers printed in
    cells; title_font: panel and block titles; palette: standard or colour-blind-safe colours. The
    defaults are for a laptop; the page passes the measured width, presentation mode larger fonts."""

    width: int = 660
    font: int = 12
    cell_font: int = 10
    title_font: int = 14
    palette: str = "standard"  # a key of colours.PALETTES

    @property
    def colours(self) -> Palette:
        return PALETTES[self.palette]

    def narrower(self, width: float) -> Style:
        """The same style for a column of ``width`` px (e.g. one of two columns)."""
        return replace(self, width=int(width))

    @property
    def line(self) -> int:
        """The height of one line of tick text (a rendered line box is 1.33 × the font size), with a little
        air: the spacing labels need."""
        return math.ceil(self.font * 1.4)


LAPTOP = Style()  # the default of every figure builder
PRESENTATION = {"font": 16, "cell_font": 16, "title_font": 20}  # presentation mode's larger type


def tick_step(cell_px: float, style: Style) -> int:
    """Label every n-th cell so that neighbouring labels are at least one line of text apart."""
    return max(1, math.ceil(style.line / max(cell_px, 1e-9)))
