"""Bars per token: one row of bars for each series (a log-probability, an attribution method), the tokens
along a shared axis below. Pure: arrays and labels in, a Plotly figure out."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from attention_core.viz.labels import fixed_ticks, label_margin, safe, tick_labels
from attention_core.viz.style import LAPTOP, Style, tick_step

ROW_PX = 120  # height of one row of bars


def token_bars(
    labels: list[str] | tuple[str, ...], series: dict[str, np.ndarray | None], style: Style = LAPTOP
) -> go.Figure:
    """series: title → values [token] (None: a row that says "not available" instead of bars). Bars
    above 0 in the palette's first colour, below 0 in its second, so the sign shows without the axis."""
    n, names = len(labels), list(series)
    texts = tick_labels(labels)
    figure = make_subplots(rows=len(names), cols=1, shared_xaxes=True, vertical_spacing=0.35 / len(names),
                           subplot_titles=[safe(name) for name in names])  # fmt: skip
    up, down = style.colours.categorical[:2]
    for row, name in enumerate(names, start=1):
        values = series[name]
        if values is None:
            continue
        colours = [up if v >= 0 else down for v in values]
        figure.add_trace(
            go.Bar(x=np.arange(n), y=values, marker_color=colours, customdata=list(texts), showlegend=False,
                   hovertemplate="%{customdata}: %{y:.4f}<extra></extra>"),
            row=row, col=1,
        )  # fmt: skip
    bottom = label_margin(texts, style.font) + 10  # labels written downward
    cell = (style.width - 60) / max(n, 1)
    step = tick_step(cell, style)
    figure.update_xaxes(tickvals=list(range(0, n, step)), ticktext=texts[::step], tickangle=90,
                        range=[-0.5, n - 0.5], **fixed_ticks(style.font))  # fmt: skip
    figure.update_yaxes(tickfont={"size": style.font}, zeroline=True, zerolinecolor="#888", automargin=False)
    figure.update_annotations(font={"size": style.title_font})
    figure.update_layout(
        width=style.width, height=len(names) * ROW_PX + bottom + 40, template="plotly_white",
        margin={"l": 60, "r": 10, "t": 30, "b": bottom}, font={"size": style.font},
    )  # fmt: skip
    return figure
