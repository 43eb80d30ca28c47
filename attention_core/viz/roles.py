"""The role map: one cell per head (layers down, heads across), coloured by the head's role."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from attention_core.viz.labels import safe, text_width
from attention_core.viz.style import LAPTOP, Style

MIXED = "#e5e5e5"  # the catch-all role: light grey in both palettes


def role_map_figure(
    roles: np.ndarray,
    role_order: list[str],
    shown_names: dict[str, str],
    axis_titles: tuple[str, str],
    style: Style = LAPTOP,
) -> go.Figure:
    """roles: str [layer, head]; role_order: every role name, the last one the catch-all ("mixed");
    shown_names: role → the label to show (translated). A legend names the colours; a cell also shows its
    role's name where the name fits. Hover names layer, head and role."""
    n_layers, n_heads = roles.shape
    index = np.vectorize(role_order.index)(roles)  # [layer, head]  which role, as a number
    steps = len(role_order)
    named = style.colours.categorical
    palette = (*(named[i % len(named)] for i in range(steps - 1)), MIXED)
    colourscale = []
    for i, colour in enumerate(palette):
        colourscale += [[i / steps, colour], [(i + 1) / steps, colour]]  # one flat band per role
    names = np.vectorize(lambda r: safe(shown_names[r]))(roles).astype(object)  # [layer, head]
    left = 2 * style.line + 20
    cell_w = min(120.0, (style.width - left - 10) / n_heads)
    cell_h = max(2.2 * style.line, 28)
    fits = max(text_width(shown_names[r], style.cell_font) for r in set(roles.ravel())) + 6 <= cell_w
    present = [r for r in role_order if (roles == r).any()]
    legend = [  # one invisible point per role present, for its legend entry
        go.Scatter(x=[None], y=[None], mode="markers", name=safe(shown_names[r]),
                   marker={"symbol": "square", "size": 12, "color": palette[role_order.index(r)]})
        for r in present
    ]  # fmt: skip
    cells = go.Heatmap(
        z=index,
        zmin=-0.5,
        zmax=steps - 0.5,
        colorscale=colourscale,
        customdata=names,
        text=names if fits else None,
        texttemplate="%{text}" if fits else None,
        textfont={"size": style.cell_font},
        hovertemplate=f"{axis_titles[1]} %{{y}}, {axis_titles[0]} %{{x}}: %{{customdata}}<extra></extra>",
        showscale=False,
        xgap=2,
        ygap=2,
    )
    legend_rows = 1 + len(present) * 130 // max(style.width, 1)
    top = 2 * style.line + 16
    bottom = legend_rows * (style.line + 10) + 10
    figure = go.Figure([cells, *legend])
    figure.update_layout(
        xaxis={"tickvals": list(range(n_heads)), "title": {"text": axis_titles[0]}, "side": "top",
               "showgrid": False, "zeroline": False, "tickfont": {"size": style.font}},
        yaxis={"tickvals": list(range(n_layers)), "title": {"text": axis_titles[1]}, "autorange": "reversed",
               "showgrid": False, "zeroline": False, "tickfont": {"size": style.font}},
        legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "bottom", "font": {"size": style.font},
                "yref": "container"},
        width=round(left + 10 + n_heads * cell_w),
        height=round(top + bottom + n_layers * cell_h),
        margin={"l": left, "r": 10, "t": top, "b": bottom},
        template="none",
        font={"size": style.font},
    )  # fmt: skip
    return figure
