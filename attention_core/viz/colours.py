"""The colours of every figure, in two palettes: ``standard`` and ``colourblind``.

The colour-blind-safe palette keeps apart what people with red–green (or blue–yellow) colour blindness
cannot: weights go from light yellow to dark blue (cividis, reversed: made to look the same with every
kind of colour vision, and as light-to-dark in grey), signed values from blue to orange through white,
and lines and roles take the Okabe–Ito colours. In both palettes darker means more, and the sign of a
value is also in the numbers table beside each matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Palette:
    stops: np.ndarray  # [stop]  where each colour of the weight scale sits, 0 to 1
    rgb: np.ndarray  # [stop, 3]  the weight scale's colours: 0 light, 1 dark
    diverging: str | list  # signed values, negative to positive through white: a Plotly colour scale
    categorical: tuple[str, ...]  # lines, heads and roles, in order
    highlight: str  # the one thing picked (a frame, a bar)
    quiet: str  # everything else next to it

    def weight_scale(self) -> list[list]:
        """The weight scale in Plotly's format."""
        pairs = zip(self.stops, self.rgb, strict=True)
        return [[float(s), f"rgb({r:.0f},{g:.0f},{b:.0f})"] for s, (r, g, b) in pairs]


STOPS = np.linspace(0.0, 1.0, 9)  # [stop]
STANDARD = Palette(
    stops=STOPS,
    rgb=np.array(
        [
            [247, 251, 255],
            [222, 235, 247],
            [198, 219, 239],
            [158, 202, 225],
            [107, 174, 214],
            [66, 146, 198],
            [33, 113, 181],
            [8, 81, 156],
            [8, 48, 107],
        ],
        dtype=float,
    ),  # [stop, 3]  ColorBrewer "Blues"
    diverging="RdBu_r",  # negative blue, zero white, positive red
    categorical=("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"),
    highlight="#d62728",
    quiet="#9ecae1",
)
COLOURBLIND = Palette(
    stops=STOPS,
    rgb=np.array(
        [
            [254, 232, 56],
            [221, 201, 87],
            [188, 173, 108],
            [155, 148, 118],
            [125, 124, 118],
            [96, 100, 111],
            [66, 78, 108],
            [23, 56, 112],
            [0, 34, 78],
        ],
        dtype=float,
    ),  # [stop, 3]  cividis, reversed
    diverging=[
        [0.0, "rgb(33,102,172)"],
        [0.25, "rgb(146,197,222)"],
        [0.5, "rgb(247,247,247)"],
        [0.75, "rgb(253,184,99)"],
        [1.0, "rgb(179,88,6)"],
    ],  # negative blue, positive orange
    categorical=("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"),
    highlight="#D55E00",
    quiet="#56B4E9",
)
PALETTES = {"standard": STANDARD, "colourblind": COLOURBLIND}
