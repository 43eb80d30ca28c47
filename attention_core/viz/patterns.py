"""Attention patterns, one heatmap per head, all heads in one figure."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from attention_core.viz.labels import tick_labels
from attention_core.viz.matrices import cell_labels
from attention_core.viz.png import plotly_colorscale, png_data_uri

IMAGE_ABOVE_TOKENS = 64  # larger patterns are sent as PNG images, not cell by cell
MAX_TICKS = 40  # at most this many tick labels per axis; every n-th token beyond that


def thinned_ticks(labels: list[str] | tuple[str, ...]) -> tuple[list[int], list[str]]:
    """Tick positions and texts, every n-th token when there are more than MAX_TICKS."""
    step = math.ceil(len(labels) / MAX_TICKS)
    positions = list(range(0, len(labels), step))
    return positions, tick_labels([labels[i] for i in positions])


def pattern_trace(
    pattern: np.ndarray, query_labels: list[str], key_labels: list[str], name: str
) -> go.Heatmap | go.Image:
    """One head's pattern [query_pos, key_pos]: a heatmap with hover text, or an image when large."""
    n_q, n_k = pattern.shape
    if max(n_q, n_k) > IMAGE_ABOVE_TOKENS:
        return go.Image(source=png_data_uri(pattern), x0=0, dx=1, y0=0, dy=1, name=name, hoverinfo="x+y")
    return go.Heatmap(
        z=pattern.astype(np.float32),
        x=np.arange(n_k),
        y=np.arange(n_q),
        customdata=cell_labels(list(query_labels), list(key_labels)),
        hovertemplate=f"{name}<br>%{{customdata[0]}} → %{{customdata[1]}}<br>%{{z:.3f}}<extra></extra>",
        coloraxis="coloraxis",
        name=name,
    )


def pattern_grid(
    pattern: np.ndarray,
    query_labels: list[str] | tuple[str, ...],
    key_labels: list[str] | tuple[str, ...],
    titles: list[str],
    columns: int = 4,
    axis_titles: tuple[str, str] = ("key", "query"),
    colorbar_title: str = "attention",
    panel_px: int | None = None,
) -> go.Figure:
    """All heads of one layer: pattern [head, query_pos, key_pos] → a grid of heatmaps, head 0 first.

    Rows are queries (top to bottom), columns are keys (left to right); every row sums to 1. Axes are
    numeric positions with the tokens as tick text, so repeated tokens stay separate cells.
    """
    n_heads, n_q, n_k = pattern.shape
    columns = min(columns, n_heads)
    rows = math.ceil(n_heads / columns)
    figure = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=titles,
        horizontal_spacing=0.04 + 0.06 / columns,
        vertical_spacing=min(0.3 / rows, 0.12),
    )
    q_ticks, k_ticks = thinned_ticks(query_labels), thinned_ticks(key_labels)
    for head in range(n_heads):
        row, col = head // columns + 1, head % columns + 1
        figure.add_trace(
            pattern_trace(pattern[head], query_labels, key_labels, titles[head]), row=row, col=col
        )
        figure.update_xaxes(tickvals=k_ticks[0], ticktext=k_ticks[1], tickangle=-60, row=row, col=col)
        figure.update_yaxes(tickvals=q_ticks[0], ticktext=q_ticks[1], autorange="reversed", row=row, col=col)
    figure.update_xaxes(title_text=axis_titles[0], title_standoff=4, row=rows)
    figure.update_yaxes(title_text=axis_titles[1], title_standoff=4, col=1)
    size = panel_px or int(np.clip(120 + 14 * max(n_q, n_k), 220, 420))
    figure.update_layout(
        coloraxis={
            "colorscale": plotly_colorscale(),
            "cmin": 0,
            "cmax": 1,
            "colorbar": {"title": colorbar_title},
        },
        height=rows * size + 80,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        template="plotly_white",
    )
    return figure
