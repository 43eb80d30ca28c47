"""Matrices as heatmaps with their numbers: one figure, one panel per matrix, each with its own axes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from attention_core.viz.labels import safe, tick_labels
from attention_core.viz.png import plotly_colorscale

MAX_CELLS_WITH_NUMBERS = 600  # above this many cells the numbers are in the hover only
DIVERGING = "RdBu_r"  # negative blue, zero white, positive red


@dataclass(frozen=True)
class Panel:
    """One matrix to draw. ``hover`` is a Plotly hovertemplate; it may use %{customdata[0]} (the row
    label), %{customdata[1]} (the column label) and %{z}."""

    values: np.ndarray  # [rows, cols]
    row_labels: list[str]
    col_labels: list[str]
    title: str
    signed: bool = True  # diverging colours around 0; False: 0..1 attention colours
    hover: str = "%{customdata[0]} · %{customdata[1]}<br>%{z:.4f}<extra></extra>"
    decimals: int = 2


def cell_labels(row_labels: list[str], col_labels: list[str]) -> np.ndarray:
    """customdata for hover text: [rows, cols, 2] of (row label, column label), escaped."""
    rows = np.array([safe(r) for r in row_labels], dtype=object)[:, None]  # [rows, 1]
    cols = np.array([safe(c) for c in col_labels], dtype=object)[None, :]  # [1, cols]
    return np.stack(np.broadcast_arrays(rows, cols), axis=-1)  # [rows, cols, 2]


def panel_trace(panel: Panel, show_numbers: bool) -> go.Heatmap:
    values = np.asarray(panel.values, dtype=float)  # [rows, cols]
    if panel.signed:
        limit = float(np.max(np.abs(values))) or 1.0
        colours = {"colorscale": DIVERGING, "zmin": -limit, "zmax": limit}
    else:
        colours = {"colorscale": plotly_colorscale(), "zmin": 0.0, "zmax": 1.0}
    return go.Heatmap(
        z=values,
        x=np.arange(values.shape[1]),
        y=np.arange(values.shape[0]),
        customdata=cell_labels(panel.row_labels, panel.col_labels),
        hovertemplate=panel.hover,
        texttemplate=f"%{{z:.{panel.decimals}f}}" if show_numbers else None,
        textfont={"size": 10},
        showscale=False,
        xgap=1,
        ygap=1,
        **colours,
    )


def matrix_panels(panels: list[Panel], height: int | None = None, gap: float = 0.06) -> go.Figure:
    """Panels side by side, widths proportional to their column counts, each titled (titles escaped
    by the caller where they hold user text)."""
    widths = [max(p.values.shape[1], 2) for p in panels]
    figure = make_subplots(
        rows=1,
        cols=len(panels),
        column_widths=[w / sum(widths) for w in widths],
        subplot_titles=[p.title for p in panels],
        horizontal_spacing=gap if len(panels) > 1 else 0,
    )
    max_rows = max(p.values.shape[0] for p in panels)
    for column, panel in enumerate(panels, start=1):
        rows, cols = panel.values.shape
        show_numbers = rows * cols <= MAX_CELLS_WITH_NUMBERS and cols <= 32
        figure.add_trace(panel_trace(panel, show_numbers), row=1, col=column)
        figure.update_xaxes(
            tickvals=list(range(cols)),
            ticktext=tick_labels(panel.col_labels),
            tickangle=-45 if cols > 6 else 0,
            row=1,
            col=column,
        )
        figure.update_yaxes(
            tickvals=list(range(rows)),
            ticktext=tick_labels(panel.row_labels),
            autorange="reversed",
            row=1,
            col=column,
        )
    figure.update_layout(
        height=height or min(900, 140 + 28 * max_rows),
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        template="plotly_white",
    )
    return figure
