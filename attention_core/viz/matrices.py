"""Matrices as heatmaps with their numbers: one figure, panels in rows, each panel with its own axes.

Laid out in pixels for a Style: every cell as wide as its number needs when the row of panels fits the
width that way (otherwise colour only, the numbers on hover and in a table the page shows beside), every
row label on its own line, column labels across when they fit and written downwards, thinned, when not.
Panels larger than WINDOW rows or columns show their first WINDOW of each, then "⋮" and "⋯".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import plotly.graph_objects as go

from attention_core.viz.labels import MAX_TICK_CHARS, numbered, safe, text_width, tick_labels
from attention_core.viz.style import LAPTOP, Style, tick_step

WINDOW = 32  # a panel shows at most this many rows and columns: the first ones, then "⋮" and "⋯"
PANEL_GAP = 16  # px between panels that share their row labels
MIN_CELL = 5  # px: a row of panels that would need narrower cells is split, one panel per row
OPERATOR_GAP = 44  # px between panels joined by an operator ("×", "=")


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
    return Panel(
        values,
        list(panel.row_labels[:rows]) + ["⋮"] * more_rows,
        list(panel.col_labels[:cols]) + ["⋯"] * more_cols,
        f"{panel.title}<br>{rows} × {cols} of {n_rows} × {n_cols}",
        panel.signed,
        panel.hover,
        panel.decimals,
    )


def cell_labels(row_labels: list[str], col_labels: list[str]) -> np.ndarray:
    """customdata for hover text: [rows, cols, 2] of ("3 ▁cat", "5 ▁mat"): position and label, escaped."""
    rows = np.array(numbered(row_labels), dtype=object)[:, None]  # [rows, 1]
    cols = np.array(numbered(col_labels), dtype=object)[None, :]  # [1, cols]
    return np.stack(np.broadcast_arrays(rows, cols), axis=-1)  # [rows, cols, 2]


def number_width(panel: Panel, style: Style) -> float:
    """px a cell needs to show this panel's numbers ("-0.12" at the cell font), with a little air."""
    finite = np.abs(panel.values[np.isfinite(panel.values)])
    digits = len(f"{float(finite.max()) if finite.size else 0:.{panel.decimals}f}")
    return text_width("-" + "0" * digits, style.cell_font) + 6


def colours(panel: Panel, style: Style) -> dict:
    values = panel.values[np.isfinite(panel.values)]
    if not panel.signed:
        return {"colorscale": style.colours.weight_scale(), "zmin": 0.0, "zmax": 1.0}
    limit = float(np.max(np.abs(values))) if values.size else 1.0
    return {"colorscale": style.colours.diverging, "zmin": -(limit or 1.0), "zmax": limit or 1.0}


def widest(labels: list[str], style: Style) -> float:
    return max((text_width(label[:MAX_TICK_CHARS], style.font) for label in labels), default=0.0)


def title_size(title: str, style: Style) -> tuple[float, float]:
    """Width and height in px of a panel title (its lines are separated by "<br>")."""
    lines = title.split("<br>")
    return max(text_width(line, style.title_font) for line in lines), len(lines) * style.title_font * 1.4


@dataclass(frozen=True)
class PanelBox:
    """Where one panel goes, in px from the figure's top-left corner."""

    left: float
    top: float
    cell_w: float
    cell_h: float
    numbers: bool
    x_across: bool  # column labels written across (else downwards, thinned)
    y_labels: bool  # this panel shows its row labels (the first of panels that share them shows them)


def fit_cells(cols: list[int], title_room: list[float], available: float) -> float:
    """The widest cell that fits ``available`` px when each panel takes the larger of its columns and
    its title (``title_room``), the titles' room not shrinking with the cells."""
    cell = available / sum(cols)
    for _ in range(len(cols)):
        bound = [room > n * cell for n, room in zip(cols, title_room, strict=True)]
        free = sum(n for n, b in zip(cols, bound, strict=True) if not b)
        if not free:
            break
        cell = (available - sum(r for r, b in zip(title_room, bound, strict=True) if b)) / free
    return cell


def fits(row: list[Panel], style: Style) -> bool:
    """Whether the panels fit side by side with cells of at least MIN_CELL px."""
    shared = [i > 0 and row[i].row_labels == row[i - 1].row_labels for i in range(len(row))]
    labels = sum(0.0 if s else widest(p.row_labels, style) + 10 for s, p in zip(shared, row, strict=True))
    return (
        labels + OPERATOR_GAP * (len(row) - 1) + MIN_CELL * sum(p.values.shape[1] for p in row) <= style.width
    )


def layout_row(row: list[Panel], style: Style, top: float, operators: bool) -> tuple[list[PanelBox], float]:
    """Place one row of panels from ``top``; returns their boxes and the row's height in px."""
    gaps = [0.0] + [OPERATOR_GAP if operators else PANEL_GAP] * (len(row) - 1)
    shared = [i > 0 and row[i].row_labels == row[i - 1].row_labels for i in range(len(row))]
    label_w = [0.0 if shared[i] else widest(p.row_labels, style) + 10 for i, p in enumerate(row)]
    cols = [p.values.shape[1] for p in row]
    title_room = [title_size(p.title, style)[0] - lw for p, lw in zip(row, label_w, strict=True)]
    title_h = max(title_size(p.title, style)[1] for p in row) + 8
    available = style.width - sum(gaps) - sum(label_w) - 8
    with_numbers = max(number_width(p, style) for p in row)
    numbers = fit_cells(cols, title_room, available) >= with_numbers
    cell_w = with_numbers if numbers else max(3.0, fit_cells(cols, title_room, available))
    cell_h = max(style.line, style.cell_font + 8) if numbers else style.line
    boxes, x = [], 0.0
    x_label_h = 0.0
    for panel, gap, lw, room in zip(row, gaps, label_w, title_room, strict=True):
        x += gap + lw
        across = widest(panel.col_labels, style) + 4 <= cell_w
        x_label_h = max(x_label_h, style.line if across else widest(panel.col_labels, style) + 6)
        boxes.append(PanelBox(x, top + title_h, cell_w, cell_h, numbers, across, lw > 0))
        x += max(panel.values.shape[1] * cell_w, room)  # a long title takes room rather than overlap
    body = max(p.values.shape[0] for p in row) * cell_h
    return boxes, title_h + body + x_label_h + 14


def panel_traces(panel: Panel, box: PanelBox, index: int, style: Style) -> tuple[go.Heatmap, dict, dict]:
    """The heatmap of one panel on its own axes (x{index}, y{index}) and those axes' settings."""
    n_rows, n_cols = panel.values.shape
    axis = "" if index == 1 else str(index)
    trace = go.Heatmap(
        z=np.asarray(panel.values, dtype=float),
        x=np.arange(n_cols),
        y=np.arange(n_rows),
        customdata=cell_labels(panel.row_labels, panel.col_labels),
        hovertemplate=panel.hover,
        texttemplate=f"%{{z:.{panel.decimals}f}}" if box.numbers else None,
        textfont={"size": style.cell_font},
        showscale=False,
        xgap=1,
        ygap=1,
        xaxis=f"x{axis}",
        yaxis=f"y{axis}",
        **colours(panel, style),
    )
    step = 1 if box.x_across else tick_step(box.cell_w, style)
    shown = list(range(0, n_cols, step))
    common = {"tickfont": {"size": style.font}, "automargin": False, "showgrid": False, "zeroline": False}
    x_axis = {
        "tickvals": shown, "ticktext": tick_labels([panel.col_labels[i] for i in shown]),
        "tickangle": 0 if box.x_across else 90, "range": [-0.5, n_cols - 0.5], "anchor": f"y{axis}", **common,
    }  # fmt: skip
    y_axis = {
        "tickvals": list(range(n_rows)), "ticktext": tick_labels(panel.row_labels),
        "showticklabels": box.y_labels, "tickangle": 0, "range": [n_rows - 0.5, -0.5],
        "anchor": f"x{axis}", **common,
    }  # fmt: skip
    return trace, x_axis, y_axis


def matrix_grid(
    rows_of_panels: list[list[Panel]], style: Style = LAPTOP, operators: tuple[str, ...] = ()
) -> go.Figure:
    """Rows of panels, laid out for ``style``; ``operators`` ("×", "=") are written between the panels of
    a one-row figure. Titles are escaped by the caller where they hold user text. The figure's ``meta``
    says whether the numbers are printed in the cells (``{"numbers": True}``)."""
    rows_of_panels = [[windowed(p) for p in row] for row in rows_of_panels]
    if len(rows_of_panels) == 1 and len(rows_of_panels[0]) > 1 and not fits(rows_of_panels[0], style):
        first, *rest = rows_of_panels[0]  # too wide side by side: one under the other, operators in titles
        signs = list(operators) + [""] * len(rest)
        rest = [replace(p, title=f"{sign} {p.title}".strip()) for p, sign in zip(rest, signs, strict=False)]
        rows_of_panels, operators = [[first], *([p] for p in rest)], ()
    boxes, top = [], 0.0
    for row in rows_of_panels:
        row_boxes, height = layout_row(row, style, top, bool(operators))
        boxes.append(row_boxes)
        top += height
    ends = [
        b.left + max(p.values.shape[1] * b.cell_w, title_size(p.title, style)[0])
        for row, bs in zip(rows_of_panels, boxes, strict=True)
        for p, b in zip(row, bs, strict=True)
    ]
    width = max(200, math.ceil(max(ends) + 8))
    height = math.ceil(top)
    traces, layout, annotations = [], {}, []
    index = 0
    for row, row_boxes in zip(rows_of_panels, boxes, strict=True):
        for panel, box in zip(row, row_boxes, strict=True):
            index += 1
            trace, x_axis, y_axis = panel_traces(panel, box, index, style)
            n_rows, n_cols = panel.values.shape
            x_axis["domain"] = [box.left / width, min(1.0, (box.left + n_cols * box.cell_w) / width)]
            y_axis["domain"] = [1 - (box.top + n_rows * box.cell_h) / height, 1 - box.top / height]
            suffix = "" if index == 1 else str(index)
            layout[f"xaxis{suffix}"], layout[f"yaxis{suffix}"] = x_axis, y_axis
            traces.append(trace)
            annotations.append({
                "text": panel.title, "x": box.left / width, "y": 1 - (box.top - 6) / height, "xref": "paper",
                "yref": "paper", "xanchor": "left", "yanchor": "bottom", "showarrow": False,
                "font": {"size": style.title_font},
            })  # fmt: skip
    if operators and rows_of_panels:
        row, row_boxes = rows_of_panels[0], boxes[0]
        for i, sign in enumerate(operators[: len(row) - 1]):
            right_edge = row_boxes[i].left + row[i].values.shape[1] * row_boxes[i].cell_w
            centre_y = (
                row_boxes[i].top
                + min(row[i].values.shape[0], row[i + 1].values.shape[0]) * row_boxes[i].cell_h / 2
            )
            annotations.append({
                "text": f"<b>{safe(sign)}</b>", "x": (right_edge + OPERATOR_GAP / 2) / width,
                "y": 1 - centre_y / height, "xref": "paper", "yref": "paper", "showarrow": False,
                "font": {"size": style.title_font + 6},
            })  # fmt: skip
    layout |= {
        "annotations": annotations, "width": width, "height": height,
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0}, "template": "plotly_white",
        "meta": {"numbers": all(b.numbers for bs in boxes for b in bs)},
    }  # fmt: skip
    return go.Figure(traces, layout)


def matrix_panels(panels: list[Panel], style: Style = LAPTOP, operators: tuple[str, ...] = ()) -> go.Figure:
    """One row of panels side by side."""
    return matrix_grid([panels], style, operators)
