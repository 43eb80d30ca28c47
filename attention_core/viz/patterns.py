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


def grid_columns(n_heads: int, n_tokens: int, width_px: int = 1100) -> int:
    """How many heads side by side so each token still gets 10 to 18 px: up to 4 for short sentences,
    fewer for long ones; a count that fills the rows evenly when there is one."""
    per_token = 18 if n_tokens <= 24 else 10  # long sentences: smaller cells, tick labels thinned
    widest = max(1, min(4, n_heads, width_px // (per_token * n_tokens + 80)))
    even = [c for c in range(widest, 0, -1) if n_heads % c == 0]
    return even[0] if even[0] * 2 > widest else widest


def pattern_grid(
    pattern: np.ndarray,
    query_labels: list[str] | tuple[str, ...],
    key_labels: list[str] | tuple[str, ...],
    titles: list[str],
    columns: int | None = None,
    axis_titles: tuple[str, str] = ("key", "query"),
    colorbar_title: str = "attention",
) -> go.Figure:
    """All heads of one layer: pattern [head, query_pos, key_pos] → a grid of heatmaps, head 0 first.

    Rows are queries (top to bottom), columns are keys (left to right); every row sums to 1. Axes are
    numeric positions with the tokens as tick text, so repeated tokens stay separate cells. Query labels
    are written on the first column only and key labels on the bottom row only.
    """
    n_heads, n_q, n_k = pattern.shape
    columns = columns or grid_columns(n_heads, max(n_q, n_k))
    rows = math.ceil(n_heads / columns)
    figure = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=titles,
        shared_xaxes=True,
        shared_yaxes=True,
        horizontal_spacing=0.02,
        vertical_spacing=min(0.25 / rows, 0.06),
    )
    q_ticks, k_ticks = thinned_ticks(query_labels), thinned_ticks(key_labels)
    for head in range(n_heads):
        row, col = head // columns + 1, head % columns + 1
        figure.add_trace(
            pattern_trace(pattern[head], query_labels, key_labels, titles[head]), row=row, col=col
        )
    figure.update_xaxes(tickvals=k_ticks[0], ticktext=k_ticks[1], tickfont={"size": 11})
    figure.update_yaxes(tickvals=q_ticks[0], ticktext=q_ticks[1], autorange="reversed", tickfont={"size": 11})
    figure.update_xaxes(title_text=axis_titles[0], title_standoff=6, row=rows)
    figure.update_yaxes(title_text=axis_titles[1], title_standoff=6, col=1)
    panel_px = int(np.clip(1000 / columns, 220, 900))
    figure.update_layout(
        coloraxis={
            "colorscale": plotly_colorscale(),
            "cmin": 0,
            "cmax": 1,
            "colorbar": {"title": {"text": colorbar_title}, "thickness": 12},
        },
        height=rows * panel_px + 120,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        template="plotly_white",
    )
    return figure
