"""The neuron view: how one query and one key make one attention weight, number by number."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from attention_core.explain import NeuronView
from attention_core.viz.labels import numbered, tick_labels
from attention_core.viz.matrices import DIVERGING

HIGHLIGHT, PLAIN = "#d62728", "#9ecae1"


def neuron_figure(view: NeuronView, query_label: str, key_labels: list[str]) -> go.Figure:
    """Rows: q_i, k_j and q_i ⊙ k_j over the d_k dimensions (their sum is the score); then the whole
    row of query i: the scaled scores and the softmax over every key, key j in red."""
    d_k = view.q.shape[0]
    keys = numbered(key_labels)
    figure = make_subplots(
        rows=5,
        cols=1,
        row_heights=[0.12, 0.12, 0.12, 0.32, 0.32],
        vertical_spacing=0.07,
        subplot_titles=[
            f"q  (query {query_label})",
            f"k  (key {keys[view.key]})",
            f"q ⊙ k:  Σ = {view.score:.4f},  ÷ √{d_k} = {view.scaled:.4f}",
            "scaled scores of the whole row",
            f"softmax: pattern[{view.query}, {view.key}] = {view.row.pattern[view.key]:.4f}",
        ],
    )
    limit = float(max(np.abs(view.q).max(), np.abs(view.k).max(), np.abs(view.product).max())) or 1.0
    for row, vector in enumerate((view.q, view.k, view.product), start=1):
        figure.add_trace(
            go.Heatmap(
                z=vector[None, :],
                x=np.arange(d_k),
                colorscale=DIVERGING,
                zmin=-limit,
                zmax=limit,
                showscale=False,
                texttemplate="%{z:.2f}" if d_k <= 48 else None,
                textfont={"size": 9},
                hovertemplate="dimension %{x}: %{z:.4f}<extra></extra>",
            ),
            row=row,
            col=1,
        )
        figure.update_yaxes(showticklabels=False, row=row, col=1)
    colours = [HIGHLIGHT if j == view.key else PLAIN for j in range(len(keys))]
    allowed = view.row.allowed
    scaled = np.where(allowed, view.row.scaled, np.nan)  # [key_pos]  masked keys drawn as gaps
    for row, values, name in ((4, scaled, "scaled"), (5, view.row.pattern, "softmax")):
        figure.add_trace(
            go.Bar(
                x=np.arange(len(keys)),
                y=values,
                marker_color=colours,
                customdata=keys,
                hovertemplate=f"%{{customdata}}<br>{name} %{{y:.4f}}<extra></extra>",
                showlegend=False,
            ),
            row=row,
            col=1,
        )
        figure.update_xaxes(tickvals=list(range(len(keys))), ticktext=tick_labels(key_labels), row=row, col=1)
    figure.update_layout(height=720, margin={"l": 10, "r": 10, "t": 40, "b": 10}, template="plotly_white")
    return figure
