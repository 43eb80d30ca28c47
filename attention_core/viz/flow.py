"""The last step of multi-head attention as one picture: concat · W_O = out, with every dimension."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from attention_core.viz.matrices import WINDOW, Panel, matrix_panels


def head_column_labels(n_heads: int, d_v: int) -> list[str]:
    """ "h0·0" … "h2·7": which head and which of its d_v columns each concat column is."""
    return [f"h{h}·{c}" for h in range(n_heads) for c in range(d_v)]


def concat_projection_figure(
    concat: np.ndarray, W_O: np.ndarray, out: np.ndarray, token_labels: list[str], n_heads: int
) -> go.Figure:
    """concat [pos, head·d_v] × W_O [head·d_v, d_model] = out [pos, d_model], side by side.

    Thin lines mark where one head's columns end and the next head's begin.
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
        gap=0.08,
    )
    for h in range(1, n_heads):  # head boundaries: columns of concat, rows of W_O (inside the window)
        if h * d_v > WINDOW:
            break
        figure.add_vline(x=h * d_v - 0.5, line_width=2, line_color="black", row=1, col=1)
        figure.add_hline(y=h * d_v - 0.5, line_width=2, line_color="black", row=1, col=2)
    for left, sign in ((1, "×"), (2, "=")):  # the operators, centred in the gap between two panels
        gap_start = figure.layout[f"xaxis{left if left > 1 else ''}"].domain[1]
        gap_end = figure.layout[f"xaxis{left + 1}"].domain[0]
        figure.add_annotation(
            x=(gap_start + gap_end) / 2,
            y=0.5,
            xref="paper",
            yref="paper",
            text=f"<b>{sign}</b>",
            showarrow=False,
            font={"size": 22},
        )
    return figure
