"""The model view: every head of every layer at once, one small image each, in one figure."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from attention_core.viz.patterns import max_pool, tile
from attention_core.viz.png import png_data_uri
from attention_core.viz.style import LAPTOP, Style

MAX_CELLS_PER_BLOCK = 64  # longer sentences are max-pooled down to this many cells per head


def pooling_factor(n_tokens: int) -> int:
    """How many tokens share one cell of a head's thumbnail (1 up to MAX_CELLS_PER_BLOCK tokens)."""
    return math.ceil(n_tokens / MAX_CELLS_PER_BLOCK)


def model_view_figure(
    pattern: np.ndarray,
    selected: tuple[int, int] | None = None,
    axis_titles: tuple[str, str] = ("head", "layer"),
    hover: str = "layer %{customdata[0]}, head %{customdata[1]}",
    style: Style = LAPTOP,
) -> go.Figure:
    """pattern [layer, head, query_pos, key_pos] → a grid of thumbnails, layers top to bottom.

    The thumbnails are one PNG (fast however many heads); an invisible marker over each thumbnail makes
    it hoverable and clickable (the click's ``customdata`` is [layer, head]). ``selected`` gets a frame.
    """
    n_layers, n_heads, n_q, n_k = pattern.shape
    blocks = max_pool(pattern, pooling_factor(max(n_q, n_k)))  # [layer, head, cells_q, cells_k]
    cells_q, cells_k = blocks.shape[2:]
    gap = max(1, math.ceil(0.15 * max(cells_q, cells_k)))
    mosaic = tile(blocks, gap, gap)
    centres_x = [left + (cells_k - 1) / 2 for left in mosaic.col_starts]  # [head]
    centres_y = [top + (cells_q - 1) / 2 for top in mosaic.row_starts]  # [layer]
    image = go.Image(
        source=png_data_uri(mosaic.values, style.colours), x0=0, dx=1, y0=0, dy=1, hoverinfo="skip"
    )
    margin = {"l": style.line + 30, "r": 10, "t": style.line + 30, "b": 10}  # axis titles and head numbers
    block_px = min(
        90.0, (style.width - margin["l"] - margin["r"]) / (n_heads + (n_heads - 1) * gap / cells_k)
    )
    markers = go.Scatter(
        x=[x for _ in centres_y for x in centres_x],
        y=[y for y in centres_y for _ in centres_x],
        customdata=[[layer, head] for layer in range(n_layers) for head in range(n_heads)],
        mode="markers",
        marker={"symbol": "square", "size": block_px, "opacity": 0},
        hovertemplate=hover + "<extra></extra>",
        showlegend=False,
    )
    highlight = []  # a red frame around the selected head
    if selected is not None:
        layer, head = selected
        left, top = mosaic.col_starts[head], mosaic.row_starts[layer]
        highlight.append({
            "type": "rect", "x0": left - 0.9, "x1": left + cells_k - 0.1, "y0": top - 0.9,
            "y1": top + cells_q - 0.1, "line": {"color": style.colours.highlight, "width": 3},
        })  # fmt: skip
    layout = {  # one dict, validated once (update_xaxes & co. each cost milliseconds)
        "xaxis": {
            "tickvals": centres_x, "ticktext": [str(h) for h in range(n_heads)],
            "tickfont": {"size": style.font}, "title": {"text": axis_titles[0], "font": {"size": style.font}},
            "showgrid": False, "zeroline": False, "side": "top", "automargin": False,
            "range": [-0.5, mosaic.values.shape[1] - 0.5],
        },
        "yaxis": {
            "tickvals": centres_y, "ticktext": [str(layer) for layer in range(n_layers)],
            "tickfont": {"size": style.font}, "title": {"text": axis_titles[1], "font": {"size": style.font}},
            "showgrid": False, "zeroline": False, "automargin": False,
            "range": [mosaic.values.shape[0] - 0.5, -0.5],
        },
        "shapes": highlight,
        "width": round(margin["l"] + margin["r"] + block_px * mosaic.values.shape[1] / cells_k),
        "height": round(margin["t"] + margin["b"] + block_px * mosaic.values.shape[0] / cells_q),
        "margin": margin,
        "template": "none",
        "plot_bgcolor": "white",
        "dragmode": False,
    }  # fmt: skip
    figure = go.Figure([image, markers], layout)
    return figure
