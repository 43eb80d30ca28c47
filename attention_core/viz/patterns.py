"""Attention patterns of many heads as one picture: the heads' heatmaps tiled into a single mosaic.

One trace and one pair of axes, however many heads: the browser lays out one plot instead of one per
head, which keeps a new sentence fast to draw (and a 6 × 12 model view possible at all).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from attention_core.viz.labels import fixed_ticks, label_margin, numbered, safe, tick_labels
from attention_core.viz.png import plotly_colorscale, png_data_uri

IMAGE_ABOVE_TOKENS = 64  # larger patterns are sent as one PNG image, not cell by cell
MAX_TICKS = 40  # at most this many tick labels per block; every n-th token beyond that
TICK_FONT = 10  # px


@dataclass(frozen=True)
class Mosaic:
    """Blocks laid out on a grid with empty (NaN) gaps between them."""

    values: np.ndarray  # [grid_rows · (n_q + gap_y) − gap_y, grid_cols · (n_k + gap_x) − gap_x]
    row_starts: list[int]  # first mosaic row of each block row
    col_starts: list[int]  # first mosaic column of each block column


def tile(blocks: np.ndarray, gap_y: int, gap_x: int) -> Mosaic:
    """blocks [grid_rows, grid_cols, n_q, n_k] → one array, NaN between blocks (and for missing ones)."""
    grid_rows, grid_cols, n_q, n_k = blocks.shape
    row_starts = [r * (n_q + gap_y) for r in range(grid_rows)]
    col_starts = [c * (n_k + gap_x) for c in range(grid_cols)]
    values = np.full((row_starts[-1] + n_q, col_starts[-1] + n_k), np.nan, dtype=np.float32)  # [R, C]
    for r, top in enumerate(row_starts):
        for c, left in enumerate(col_starts):
            values[top : top + n_q, left : left + n_k] = blocks[r, c]
    return Mosaic(values, row_starts, col_starts)


def max_pool(blocks: np.ndarray, factor: int) -> np.ndarray:
    """Shrink the last two axes by ``factor``, keeping each factor × factor square's largest value (so a
    sharp one-cell pattern stays visible). blocks [..., n_q, n_k] → [..., ceil(n_q/f), ceil(n_k/f)]."""
    if factor <= 1:
        return blocks
    if blocks.ndim > 3:  # one leading index at a time: the padded copy below is as large as its input
        return np.stack([max_pool(part, factor) for part in blocks])  # [..., rows, cols]
    *lead, n_q, n_k = blocks.shape
    rows, cols = math.ceil(n_q / factor), math.ceil(n_k / factor)
    padded = np.zeros((*lead, rows * factor, cols * factor), dtype=blocks.dtype)  # [..., rows·f, cols·f]
    padded[..., :n_q, :n_k] = np.nan_to_num(blocks)
    squares = padded.reshape(*lead, rows, factor, cols, factor)  # [..., rows, f, cols, f]
    return squares.max(axis=(-3, -1))  # [..., rows, cols]


def grid_columns(n_heads: int, n_tokens: int, width_px: int = 1100) -> int:
    """How many heads side by side so each token still gets 10 to 18 px: up to 4 for short sentences,
    fewer for long ones; a count that fills the rows evenly when there is one."""
    per_token = 18 if n_tokens <= 24 else 10  # long sentences: smaller cells, tick labels thinned
    widest = max(1, min(4, n_heads, width_px // (per_token * n_tokens + 80)))
    even = [c for c in range(widest, 0, -1) if n_heads % c == 0]
    return even[0] if even[0] * 2 > widest else widest


def block_ticks(starts: list[int], labels: list[str] | tuple[str, ...]) -> tuple[list[int], list[str]]:
    """Tick positions and texts for every block along an axis (every n-th token beyond MAX_TICKS)."""
    step = math.ceil(len(labels) / MAX_TICKS)
    shown = list(range(0, len(labels), step))
    texts = tick_labels([labels[i] for i in shown])
    return [s + i for s in starts for i in shown], texts * len(starts)


def hover_cells(mosaic: Mosaic, n_q: int, n_k: int, names: np.ndarray, q_labels, k_labels) -> np.ndarray:
    """customdata [R, C, 3] = (block name, query label, key label) for hover text; empty in the gaps."""
    cells = np.full((*mosaic.values.shape, 3), "", dtype=object)  # [R, C, 3]
    q_names, k_names = numbered(q_labels), numbered(k_labels)
    for r, top in enumerate(mosaic.row_starts):
        for c, left in enumerate(mosaic.col_starts):
            if names[r, c]:
                cells[top : top + n_q, left : left + n_k, 0] = names[r, c]
                cells[top : top + n_q, left : left + n_k, 1] = np.array(q_names, dtype=object)[:, None]
                cells[top : top + n_q, left : left + n_k, 2] = np.array(k_names, dtype=object)[None, :]
    return cells


def mosaic_figure(
    blocks: np.ndarray,
    names: np.ndarray,
    query_labels: list[str] | tuple[str, ...],
    key_labels: list[str] | tuple[str, ...],
    axis_titles: tuple[str, str],
    colorbar_title: str,
    force_image: bool = False,
) -> go.Figure:
    """blocks [grid_rows, grid_cols, n_q, n_k] of attention (0..1) with a name above each block.

    Up to IMAGE_ABOVE_TOKENS tokens: a heatmap with hover text (block, query → key, value). Beyond, or
    with ``force_image``: one PNG image, hover giving only mosaic positions.
    """
    n_q, n_k = blocks.shape[2:]
    gap_y, gap_x = max(2, math.ceil(0.15 * n_q)), max(1, math.ceil(0.06 * n_k))
    mosaic = tile(blocks, gap_y, gap_x)
    height_cells, width_cells = mosaic.values.shape
    if force_image or max(n_q, n_k) > IMAGE_ABOVE_TOKENS:
        trace = go.Image(source=png_data_uri(mosaic.values), x0=0, dx=1, y0=0, dy=1, hoverinfo="skip")
    else:
        trace = go.Heatmap(
            z=mosaic.values,
            customdata=hover_cells(mosaic, n_q, n_k, names, query_labels, key_labels),
            hovertemplate="%{customdata[0]}<br>%{customdata[1]} → %{customdata[2]}<br>%{z:.3f}"
            "<extra></extra>",
            hoverongaps=False,
            coloraxis="coloraxis",
            xgap=0,
            ygap=0,
        )
    x_ticks = block_ticks(mosaic.col_starts, key_labels)
    y_ticks = block_ticks(mosaic.row_starts, query_labels)
    titles = [  # block names, centred in the gap above each block
        {"x": left + (n_k - 1) / 2, "y": top - 0.5 - gap_y / 2, "text": safe(str(names[r, c])),
         "showarrow": False, "font": {"size": 13}, "yanchor": "middle"}
        for r, top in enumerate(mosaic.row_starts)
        for c, left in enumerate(mosaic.col_starts)
        if names[r, c]
    ]  # fmt: skip
    row_px = float(np.clip(400 / n_q, 3, 20))  # one block about 400 px tall, cells 3 to 20 px
    fixed = fixed_ticks(TICK_FONT)  # labels at fixed angles in margins sized here (see viz/labels.py)
    left, bottom = label_margin(query_labels, TICK_FONT), label_margin(key_labels, TICK_FONT)
    layout = {  # one dict, validated once (adding the pieces one by one costs several times more)
        "xaxis": {
            "tickvals": x_ticks[0], "ticktext": x_ticks[1], "tickangle": 90, **fixed, "showgrid": False,
            "zeroline": False, "range": [-0.5, width_cells - 0.5], "title": {"text": axis_titles[0]},
        },
        "yaxis": {
            "tickvals": y_ticks[0], "ticktext": y_ticks[1], "tickangle": 0, **fixed, "showgrid": False,
            "zeroline": False, "range": [height_cells - 0.5, -gap_y + 0.5], "title": {"text": axis_titles[1]},
        },
        "annotations": titles,
        "coloraxis": {
            "colorscale": plotly_colorscale(), "cmin": 0, "cmax": 1,
            "colorbar": {"title": {"text": colorbar_title}, "thickness": 12},
        },
        "height": int((height_cells + gap_y) * row_px) + 10 + bottom,
        "margin": {"l": left, "r": 10, "t": 10, "b": bottom},
        "template": "none",
        "plot_bgcolor": "white",
    }  # fmt: skip
    figure = go.Figure(trace, layout)
    return figure


def pattern_grid(
    pattern: np.ndarray,
    query_labels: list[str] | tuple[str, ...],
    key_labels: list[str] | tuple[str, ...],
    titles: list[str],
    columns: int | None = None,
    axis_titles: tuple[str, str] = ("key", "query"),
    colorbar_title: str = "attention",
) -> go.Figure:
    """All heads of one layer: pattern [head, query_pos, key_pos] → one figure, one heatmap per head,
    head 0 first, left to right then top to bottom.

    Rows are queries (top to bottom), columns are keys (left to right); every row sums to 1. Query labels
    are written on the left, key labels below; repeated tokens stay separate cells.
    """
    n_heads, n_q, n_k = pattern.shape
    columns = columns or grid_columns(n_heads, max(n_q, n_k))
    rows = math.ceil(n_heads / columns)
    if rows * columns == n_heads:  # a full grid: a view of the pattern, no copy (512 tokens: 13 MB saved)
        blocks = np.asarray(pattern, dtype=np.float32)  # [slot, q, k]
    else:
        blocks = np.full((rows * columns, n_q, n_k), np.nan, dtype=np.float32)  # [slot, q, k]
        blocks[:n_heads] = pattern
    names = np.array(list(titles) + [""] * (rows * columns - n_heads), dtype=object)
    return mosaic_figure(
        blocks.reshape(rows, columns, n_q, n_k),  # [grid_row, grid_col, q, k]
        names.reshape(rows, columns),
        query_labels,
        key_labels,
        axis_titles,
        colorbar_title,
    )
