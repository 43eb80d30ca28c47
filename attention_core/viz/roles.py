"""The role map: one cell per head (layers down, heads across), coloured by the head's role."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from attention_core.viz.labels import safe

ROLE_COLOURS = ("#d62728", "#ff7f0e", "#9467bd", "#1f77b4", "#17becf", "#2ca02c", "#bcbd22", "#e5e5e5")


def role_map_figure(
    roles: np.ndarray, role_order: list[str], shown_names: dict[str, str], axis_titles: tuple[str, str]
) -> go.Figure:
    """roles: str [layer, head]; role_order: every role name, the last one the catch-all ("mixed");
    shown_names: role → the label to show (translated). Hover names layer, head and role."""
    n_layers, n_heads = roles.shape
    index = np.vectorize(role_order.index)(roles)  # [layer, head]  which role, as a number
    steps = len(role_order)
    colourscale = []
    for i, colour in enumerate(ROLE_COLOURS[: steps - 1] + ROLE_COLOURS[-1:]):
        colourscale += [[i / steps, colour], [(i + 1) / steps, colour]]  # one flat band per role
    names = np.vectorize(lambda r: safe(shown_names[r]))(roles).astype(object)  # [layer, head]
    figure = go.Figure(
        go.Heatmap(
            z=index,
            zmin=-0.5,
            zmax=steps - 0.5,
            colorscale=colourscale,
            customdata=names,
            text=names,
            texttemplate="%{text}",
            textfont={"size": 9},
            hovertemplate=f"{axis_titles[1]} %{{y}}, {axis_titles[0]} %{{x}}: %{{customdata}}<extra></extra>",
            showscale=False,
            xgap=2,
            ygap=2,
        )
    )
    figure.update_xaxes(tickvals=list(range(n_heads)), title_text=axis_titles[0], side="top", showgrid=False)
    figure.update_yaxes(
        tickvals=list(range(n_layers)), title_text=axis_titles[1], autorange="reversed", showgrid=False
    )
    figure.update_layout(
        height=90 + 48 * n_layers, margin={"l": 10, "r": 10, "t": 10, "b": 10}, template="none"
    )
    return figure
