"""The last step of multi-head attention as one picture: concat · W_O = out, with every dimension."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from attention_core.viz.matrices import WINDOW, Panel, matrix_panels
from attention_core.viz.style import LAPTOP, Style


def head_column_labels(n_heads: int, d_v: int) -> list[str]:
    """ "h0·0" … "h2·7": which head and which of its d_v columns each concat column is."""
    return [f"h{h}·{c}" for h in range(n_heads) for c in range(d_v)]


def concat_projection_figure(
    concat: np.ndarray,
    W_O: np.ndarray,
    out: np.ndarray,
    token_labels: list[str],
    n_heads: int,
    style: Style = LAPTOP,
) -> go.Figure:
    """concat [pos, head·d_v] × W_O [head·d_v, d_model] = out [pos, d_model], side by side.

    Thick lines mark where one head's columns (of concat) and rows (of W_O) end and the next head's begin.
    """
    n_pos, width = concat.shape
    d_model = W_O.shape[1]
    d_v = width // n_heads
    head_columns = head_column_labels(n_heads, d_v)
    dims = [str(i) for i in range(d_model)]
    figure = matrix_panels(
        [
            Panel(concat, list(token_labels), head_columns, f"concat  ({n_pos} × {width})"),
            Panel(W_O, head_columns, dims, f"W_O  ({width} × {d_model})"),
            Panel(out, list(token_labels), dims, f"out  ({n_pos} × {d_model})"),
        ],
        style,
        operators=("×", "="),
    )
    line = {"color": "black", "width": 2}
    shapes = []
    for h in range(1, n_heads):  # head boundaries inside the window: columns of concat, rows of W_O
        edge = h * d_v - 0.5
        if edge > WINDOW:
            break
        shapes.append({"type": "line", "xref": "x", "yref": "y domain", "x0": edge, "x1": edge, "y0": 0,
                       "y1": 1, "line": line})  # fmt: skip
        shapes.append({"type": "line", "xref": "x2 domain", "yref": "y2", "x0": 0, "x1": 1, "y0": edge,
                       "y1": edge, "line": line})  # fmt: skip
    figure.update_layout(shapes=shapes)
    return figure
