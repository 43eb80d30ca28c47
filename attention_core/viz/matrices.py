"""Matrices as heatmaps with their numbers: one figure, one panel per matrix, each with its own axes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from attention_core.viz.labels import fixed_ticks, label_margin, numbered, tick_labels
from attention_core.viz.png import plotly_colorscale

MAX_CELLS_WITH_NUMBERS = 600  # above this many cells the numbers are in the hover only
WINDOW = 32  # a panel shows at most this many rows and columns: the first ones, then "⋮" and "⋯"
DIVERGING = "RdBu_r"  # negative blue, zero white, positive red
TICK_FONT = 12  # px, Plotly's default


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


def windowed(panel: Panel, size: int = WINDOW) -> Panel:
    """The panel's first ``size`` rows and columns, with one more row and column of blank cells labelled
    "⋮" and "⋯" where the matrix goes on; its title says which part is shown. Small panels stay whole.

    A real model's matrices have hundreds of columns (MiniLM's X is [n × 384]): drawn whole they were
    megabytes of figure data and unreadable. The window keeps the page light and the numbers legible."""
    n_rows, n_cols = panel.values.shape
    if n_rows <= size and n_cols <= size:
        return panel
    rows, cols = min(n_rows, size), min(n_cols, size)
    more_rows, more_cols = rows < n_rows, cols < n_cols
    values = np.full((rows + more_rows, cols + more_cols), np.nan)  # [rows (+1), cols (+1)]
    values[:rows, :cols] = panel.values[:rows, :cols]
    shown = f"{rows} × {cols} of {n_rows} × {n_cols}"
    return Panel(
        values,
        list(panel.row_labels[:rows]) + ["⋮"] * more_rows,
        list(panel.col_labels[:cols]) + ["⋯"] * more_cols,
        f"{panel.title}  ·  {shown}",
        panel.signed,
        panel.hover,
        panel.decimals,
    )


def cell_labels(row_labels: list[str], col_labels: list[str]) -> np.ndarray:
    """customdata for hover text: [rows, cols, 2] of ("3 ▁cat", "5 ▁mat"): position and label, escaped."""
    rows = np.array(numbered(row_labels), dtype=object)[:, None]  # [rows, 1]
    cols = np.array(numbered(col_labels), dtype=object)[None, :]  # [1, cols]
    return np.stack(np.broadcast_arrays(rows, cols), axis=-1)  # [rows, cols, 2]


def panel_trace(panel: Panel, show_numbers: bool) -> go.Heatmap:
    values = np.asarray(panel.values, dtype=float)  # [rows, cols]
    if panel.signed:
        limit = float(np.nanmax(np.abs(values))) if np.isfinite(values).any() else 1.0
        limit = limit or 1.0
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


def x_tick_angle(n_cols: int) -> int:
    """Column labels written along the axis when few, at -45° when many."""
    return -45 if n_cols > 6 else 0


def matrix_grid(rows_of_panels: list[list[Panel]], gap: float = 0.06) -> go.Figure:
    """Rows of panels; within a row, panel widths follow their column counts. Panels larger than WINDOW
    rows or columns show a window of it (:func:`windowed`). Titles are escaped by the caller where they
    hold user text."""
    rows_of_panels = [[windowed(p) for p in row] for row in rows_of_panels]
    first_row = rows_of_panels[0]
    widths = [max(p.values.shape[1], 2) for p in first_row]
    row_px = [min(600, 40 + 24 * max(p.values.shape[0] for p in row)) for row in rows_of_panels]
    between_px = 80  # room for a row's tick labels and the next row's titles
    height = sum(row_px) + between_px * (len(rows_of_panels) - 1) + 70
    figure = make_subplots(
        rows=len(rows_of_panels),
        cols=len(first_row),
        column_widths=[w / sum(widths) for w in widths],
        row_heights=row_px,
        subplot_titles=[p.title for row in rows_of_panels for p in row],
        horizontal_spacing=gap if len(first_row) > 1 else 0,
        vertical_spacing=between_px / height,
    )
    fixed = fixed_ticks(TICK_FONT)  # labels at fixed angles in margins sized here (see viz/labels.py)
    for r, row in enumerate(rows_of_panels, start=1):
        for c, panel in enumerate(row, start=1):
            n_rows, n_cols = panel.values.shape
            show_numbers = n_rows * n_cols <= MAX_CELLS_WITH_NUMBERS and n_cols <= 32
            figure.add_trace(panel_trace(panel, show_numbers), row=r, col=c)
            figure.update_xaxes(
                tickvals=list(range(n_cols)),
                ticktext=tick_labels(panel.col_labels),
                tickangle=x_tick_angle(n_cols),
                **fixed,
                row=r,
                col=c,
            )
            figure.update_yaxes(
                tickvals=list(range(n_rows)),
                ticktext=tick_labels(panel.row_labels),
                tickangle=0,
                autorange="reversed",
                **fixed,
                row=r,
                col=c,
            )
    first_column = [row[0] for row in rows_of_panels]
    slanted = [p for p in first_column if x_tick_angle(p.values.shape[1])]  # x labels at -45° reach left, too
    left = max([
        label_margin([label for p in first_column for label in p.row_labels], TICK_FONT),
        *(label_margin(p.col_labels, TICK_FONT, slant=45) for p in slanted),
    ])  # fmt: skip
    last = rows_of_panels[-1]
    bottom = max(
        label_margin(p.col_labels, TICK_FONT, slant=90 + x_tick_angle(p.values.shape[1])) for p in last
    )
    figure.update_layout(
        height=height + bottom, margin={"l": left, "r": 10, "t": 50, "b": bottom}, template="plotly_white"
    )
    return figure


def matrix_panels(panels: list[Panel], gap: float = 0.06) -> go.Figure:
    """One row of panels side by side."""
    return matrix_grid([panels], gap)
