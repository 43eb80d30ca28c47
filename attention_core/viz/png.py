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

from attention_core.viz.colours import STANDARD, Palette

LEVELS = 256  # colours in the palette: finer steps than the eye tells apart on this scale


def palette(colours: Palette) -> np.ndarray:
    """The weight scale of ``colours`` sampled at LEVELS evenly spaced values from 0 to 1 (the same
    colours as the cell-by-cell heatmaps). Returns uint8 [LEVELS, 3]."""
    t = np.linspace(0.0, 1.0, LEVELS)  # [level]
    channels = [np.interp(t, colours.stops, colours.rgb[:, c]) for c in range(3)]  # 3 × [level]
    return np.rint(np.stack(channels, axis=-1)).astype(np.uint8)  # [level, 3]


def levels(values: np.ndarray, vmin: float = 0.0, vmax: float = 1.0) -> np.ndarray:
    """Each value's colour index: 0 at ``vmin`` (and for NaN), LEVELS − 1 at ``vmax``. Returns uint8."""
    t = np.subtract(values, vmin, dtype=np.float32)  # [rows, cols]  then in place: one array, not three
    t *= (LEVELS - 1) / (vmax - vmin)
    np.clip(np.nan_to_num(t, copy=False), 0, LEVELS - 1, out=t)
    return np.rint(t).astype(np.uint8)  # [rows, cols]


def png_bytes(values: np.ndarray, colours: Palette = STANDARD, vmin: float = 0.0, vmax: float = 1.0) -> bytes:
    """``values`` [rows, cols] as a palette PNG in the weight scale of ``colours`` (zlib level 1: several
    times faster than the default for a few percent more bytes)."""
    image = Image.fromarray(levels(values, vmin, vmax), mode="P")
    image.putpalette(palette(colours).tobytes())
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def png_data_uri(
    values: np.ndarray, colours: Palette = STANDARD, vmin: float = 0.0, vmax: float = 1.0
) -> str:
    """A colour-mapped array as ``data:image/png;base64,…``, for ``go.Image(source=...)``."""
    return "data:image/png;base64," + base64.b64encode(png_bytes(values, colours, vmin, vmax)).decode()
