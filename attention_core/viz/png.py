"""Heatmaps of many tokens as images: a colour-mapped array encoded as a PNG data URI.

A 512×512 pattern sent cell by cell is megabytes of JSON per head; as a PNG it is a few dozen kilobytes
and the browser draws it at once. Values are mapped to one of 256 colours of the scale and written as a
palette PNG (one byte per pixel) by Pillow, which Streamlit already depends on.
"""

from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image

# Plotly's "Blues"-like sequential scale, from 0 (white) to 1 (deep blue): stops and RGB colours.
SEQUENTIAL_STOPS = np.array([0.0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1.0])
SEQUENTIAL_RGB = np.array(
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
)  # [stop, rgb]
LEVELS = 256  # colours in the palette: finer steps than the eye tells apart on this scale


def plotly_colorscale() -> list[list]:
    """The same scale in Plotly's format, so images and cell-by-cell heatmaps look alike."""
    return [
        [float(s), f"rgb({r:.0f},{g:.0f},{b:.0f})"]
        for s, (r, g, b) in zip(SEQUENTIAL_STOPS, SEQUENTIAL_RGB, strict=True)
    ]


def palette() -> np.ndarray:
    """The scale sampled at LEVELS evenly spaced values from 0 to 1. Returns uint8 [LEVELS, 3]."""
    t = np.linspace(0.0, 1.0, LEVELS)  # [level]
    channels = [np.interp(t, SEQUENTIAL_STOPS, SEQUENTIAL_RGB[:, c]) for c in range(3)]  # 3 × [level]
    return np.rint(np.stack(channels, axis=-1)).astype(np.uint8)  # [level, 3]


def levels(values: np.ndarray, vmin: float = 0.0, vmax: float = 1.0) -> np.ndarray:
    """Each value's colour index: 0 at ``vmin`` (and for NaN), LEVELS − 1 at ``vmax``. Returns uint8."""
    t = np.subtract(values, vmin, dtype=np.float32)  # [rows, cols]  then in place: one array, not three
    t *= (LEVELS - 1) / (vmax - vmin)
    np.clip(np.nan_to_num(t, copy=False), 0, LEVELS - 1, out=t)
    return np.rint(t).astype(np.uint8)  # [rows, cols]


def png_bytes(values: np.ndarray, vmin: float = 0.0, vmax: float = 1.0) -> bytes:
    """``values`` [rows, cols] as a palette PNG in the sequential scale (zlib level 1: several times
    faster than the default for a few percent more bytes)."""
    image = Image.fromarray(levels(values, vmin, vmax), mode="P")
    image.putpalette(palette().tobytes())
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def png_data_uri(values: np.ndarray, vmin: float = 0.0, vmax: float = 1.0) -> str:
    """A colour-mapped array as ``data:image/png;base64,…``, for ``go.Image(source=...)``."""
    return "data:image/png;base64," + base64.b64encode(png_bytes(values, vmin, vmax)).decode()
