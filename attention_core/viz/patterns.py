"""Attention patterns of many heads as one picture: the heads' heatmaps tiled into a single mosaic.

One trace and one pair of axes, however many heads: the browser lays out one plot instead of one per
head, which keeps a new sentence fast to draw (and a 6 × 12 model view possible at all).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from attention_core.viz.labels import fixed_ticks, label_margin, numbered, safe, text_width, tick_labels
from attention_core.viz.png import png_data_uri
from attention_core.viz.style import LAPTOP, Style, tick_step

IMAGE_ABOVE_TOKENS = 64  # larger patterns are sent as one PNG image, not cell by cell
MAX_CELL_PX = 40  # a 2-token pattern is two 40-px cells, not a strip
MAX_COLUMNS = 4  # heads side by side at most
TALL_PX = 1200  # a grid taller than this gets more heads per row, even with thinner labels


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


@dataclass(frozen=True)
class GridLayout:
    """Where a grid of heads goes, in pixels: ``columns`` heads per row, cells ``cell_w`` × ``cell_h``
    px, gaps between blocks in whole cells, and the margins for tick labels and the colour bar."""

    columns: int
    rows: int
    cell_w: float
    cell_h: float
    gap_x: int  # cells
    gap_y: int  # cells (room for the block titles)
    left: int
    bottom: int
    right: int
    top: int

    def size(self, n_q: int, n_k: int) -> tuple[int, int]:
        """The figure's width and height in px."""
        cols = self.columns * n_k + (self.columns - 1) * self.gap_x
        rows = self.rows * n_q + self.rows * self.gap_y  # a title gap above every block row
        return (
            math.ceil(self.left + cols * self.cell_w + self.right),
            math.ceil(self.top + rows * self.cell_h + self.bottom),
        )


def grid_layout(
    n_heads: int,
    n_q: int,
    n_k: int,
    query_labels: list[str] | tuple[str, ...],
    key_labels: list[str] | tuple[str, ...],
    titles: list[str],
    style: Style,
    columns: int | None = None,
) -> GridLayout:
    """Lay the heads out for ``style.width``: the most heads per row that leave every token a labelled
    column and keep the grid under TALL_PX; failing that, the fewest per row that keep it under TALL_PX
    (labels thinned, every token still on hover). Cells are at most twice as tall as wide, and tall
    enough for a line of text where that allows: every query labelled up to IMAGE_ABOVE_TOKENS tokens."""
    left = label_margin(query_labels, style.font)
    bottom = label_margin(key_labels, style.font, slant=0)  # x labels are written downwards
    right = 30 + math.ceil(text_width("0.8", style.font)) + style.line + 8  # colour bar, ticks, title
    title_w = max((text_width(t, style.title_font) for t in titles), default=0) + style.title_font
    room = max(60.0, style.width - left - right)
    gap_px = max(style.font, 12)

    def cell_w(c: int) -> float:
        return min(MAX_CELL_PX, (room - (c - 1) * gap_px) / c / n_k)

    def cell_h(c: int) -> float:
        w = cell_w(c)
        return min(max(w, style.line), 2 * w) if n_q <= IMAGE_ABOVE_TOKENS else w

    def height(c: int) -> float:
        gap_cells = math.ceil((style.title_font + 10) / cell_h(c))
        return math.ceil(n_heads / c) * (n_q + gap_cells) * cell_h(c)

    options = range(1, min(MAX_COLUMNS, n_heads) + 1) if columns is None else range(columns, columns + 1)
    options = [c for c in options if cell_w(c) * n_k >= 0.6 * title_w] or [min(options)]
    labelled = [c for c in options if cell_w(c) >= style.line and height(c) <= TALL_PX]
    short = [c for c in options if height(c) <= TALL_PX]
    chosen = max(labelled) if labelled else (min(short) if short else max(options))
    gap_x = max(1, math.ceil(gap_px / cell_w(chosen)))  # whole cells, then the cells fitted exactly
    cell = min(MAX_CELL_PX, room / (chosen * n_k + (chosen - 1) * gap_x))
    cell_height = min(max(cell, style.line), 2 * cell) if n_q <= IMAGE_ABOVE_TOKENS else cell
    gap_y = max(1, math.ceil((style.title_font + 10) / cell_height))
    return GridLayout(
        columns=chosen,
        rows=math.ceil(n_heads / chosen),
        cell_w=cell,
        cell_h=cell_height,
        gap_x=gap_x,
        gap_y=gap_y,
        left=left,
        bottom=bottom,
        right=right,
        top=4,
    )


def block_ticks(
    starts: list[int], labels: list[str] | tuple[str, ...], step: int
) -> tuple[list[int], list[str]]:
    """Tick positions and texts along an axis: every ``step``-th token of every block."""
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


def colorbar(length_px: float, title: str, style: Style) -> dict:
    """A vertical colour bar whose tick labels are at least a line apart however short it is."""
    ticks = [0, 0.5, 1] if length_px < 6 * style.line else [0, 0.2, 0.4, 0.6, 0.8, 1]
    if length_px < 3 * style.line:
        ticks = [0, 1]
    return {
        "title": {"text": safe(title), "side": "right", "font": {"size": style.font}},
        "thickness": 12,
        "tickvals": ticks,
        "tickfont": {"size": style.font},
        "len": 1,
        "lenmode": "fraction",
        "outlinewidth": 0,
    }


def mosaic_figure(
    blocks: np.ndarray,
    names: np.ndarray,
    query_labels: list[str] | tuple[str, ...],
    key_labels: list[str] | tuple[str, ...],
    axis_titles: tuple[str, str],
    colorbar_title: str,
    layout: GridLayout,
    style: Style,
    force_image: bool = False,
) -> go.Figure:
    """blocks [grid_rows, grid_cols, n_q, n_k] of attention (0..1) with a name above each block, drawn
    in ``layout``'s pixels.

    Up to IMAGE_ABOVE_TOKENS tokens: a heatmap with hover text (block, query → key, value). Beyond, or
    with ``force_image``: one PNG image, hover giving only mosaic positions.
    """
    n_q, n_k = blocks.shape[2:]
    mosaic = tile(blocks, layout.gap_y, layout.gap_x)
    height_cells, width_cells = mosaic.values.shape
    if force_image or max(n_q, n_k) > IMAGE_ABOVE_TOKENS:
        trace = go.Image(
            source=png_data_uri(mosaic.values, style.colours), x0=0, dx=1, y0=0, dy=1, hoverinfo="skip"
        )
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
    x_ticks = block_ticks(mosaic.col_starts, key_labels, tick_step(layout.cell_w, style))
    y_ticks = block_ticks(mosaic.row_starts, query_labels, tick_step(layout.cell_h, style))
    titles = [  # block names, centred in the gap above each block
        {"x": left + (n_k - 1) / 2, "y": top - 0.5 - layout.gap_y / 2, "text": safe(str(names[r, c])),
         "showarrow": False, "font": {"size": style.title_font}, "yanchor": "middle"}
        for r, top in enumerate(mosaic.row_starts)
        for c, left in enumerate(mosaic.col_starts)
        if names[r, c]
    ]  # fmt: skip
    width, height = layout.size(n_q, n_k)
    fixed = fixed_ticks(style.font)  # labels at fixed angles in margins sized here (see viz/labels.py)
    figure_layout = {  # one dict, validated once (adding the pieces one by one costs several times more)
        "xaxis": {
            "tickvals": x_ticks[0], "ticktext": x_ticks[1], "tickangle": 90, **fixed, "showgrid": False,
            "zeroline": False, "range": [-0.5, width_cells - 0.5],
            "title": {"text": safe(axis_titles[0]), "font": {"size": style.font}},
        },
        "yaxis": {
            "tickvals": y_ticks[0], "ticktext": y_ticks[1], "tickangle": 0, **fixed, "showgrid": False,
            "zeroline": False, "range": [height_cells - 0.5, -layout.gap_y - 0.5],
            "title": {"text": safe(axis_titles[1]), "font": {"size": style.font}},
        },
        "annotations": titles,
        "coloraxis": {
            "colorscale": style.colours.weight_scale(), "cmin": 0, "cmax": 1,
            "colorbar": colorbar(height - layout.top - layout.bottom, colorbar_title, style),
        },
        "width": width,
        "height": height,
        "margin": {"l": layout.left, "r": layout.right, "t": layout.top, "b": layout.bottom},
        "template": "none",
        "plot_bgcolor": "white",
        "font": {"size": style.font},
    }  # fmt: skip
    return go.Figure(trace, figure_layout)


def pattern_grid(
    pattern: np.ndarray,
    query_labels: list[str] | tuple[str, ...],
    key_labels: list[str] | tuple[str, ...],
    titles: list[str],
    columns: int | None = None,
    axis_titles: tuple[str, str] = ("key", "query"),
    colorbar_title: str = "attention",
    style: Style = LAPTOP,
) -> go.Figure:
    """All heads of one layer: pattern [head, query_pos, key_pos] → one figure, one heatmap per head,
    head 0 first, left to right then top to bottom.

    Rows are queries (top to bottom), columns are keys (left to right); every row sums to 1. Query labels
    are written on the left, key labels below; repeated tokens stay separate cells.
    """
    n_heads, n_q, n_k = pattern.shape
    layout = grid_layout(n_heads, n_q, n_k, query_labels, key_labels, titles, style, columns)
    columns, rows = layout.columns, layout.rows
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
        layout,
        style,
    )
