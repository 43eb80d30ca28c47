"""The neuron view: how one query and one key make one attention weight, number by number."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from attention_core.explain import NeuronView
from attention_core.viz.labels import numbered, safe, text_width, tick_labels
from attention_core.viz.style import LAPTOP, Style, tick_step

ENGLISH = {  # the five titles; the page passes them translated, with the same {fields}
    "q": "q  (query {query})",
    "k": "k  (key {key})",
    "product": "q ⊙ k:  Σ = {score},  ÷ √{d_k} = {scaled}",
    "scaled": "scaled scores of the whole row",
    "softmax": "softmax: pattern[{i}, {j}] = {weight}",
    "dimension": "dimension",
}


def neuron_figure(
    view: NeuronView,
    query_label: str,
    key_labels: list[str],
    words: dict[str, str] = ENGLISH,
    style: Style = LAPTOP,
) -> go.Figure:
    """Rows: q_i, k_j and q_i ⊙ k_j over the d_k dimensions (their sum is the score); then the whole
    row of query i: the scaled scores and the softmax over every key, key j in red. Numbers are printed
    in the vector cells where they fit. ``words``: the titles, as ENGLISH (tokens are escaped here)."""
    d_k, n = view.q.shape[0], len(key_labels)
    keys = numbered(key_labels)
    titles = [
        words["q"].format(query=safe(query_label)),
        words["k"].format(key=keys[view.key]),
        words["product"].format(score=f"{view.score:.4f}", d_k=d_k, scaled=f"{view.scaled:.4f}"),
        words["scaled"],
        words["softmax"].format(i=view.query, j=view.key, weight=f"{view.row.pattern[view.key]:.4f}"),
    ]
    left, right = 50, 10
    plot_w = style.width - left - right
    cell = plot_w / d_k
    numbers = cell >= text_width("-0.00", style.cell_font) + 4
    bar_labels_h = max((text_width(label, style.font) for label in tick_labels(key_labels)), default=0) + 10
    title_h = style.title_font + 14
    heights = [2 * style.line] * 3 + [160, 160]  # px of each row's plot
    below = [style.line + 6] * 3 + [bar_labels_h] * 2  # px under each row for its x labels
    total = sum(title_h + h + b for h, b in zip(heights, below, strict=True)) + 10
    limit = float(max(np.abs(view.q).max(), np.abs(view.k).max(), np.abs(view.product).max())) or 1.0
    colours = [style.colours.highlight if j == view.key else style.colours.quiet for j in range(n)]
    scaled = np.where(view.row.allowed, view.row.scaled, np.nan)  # [key_pos]  masked keys as gaps
    traces, layout, annotations, top = [], {}, [], 0.0
    dim_step = tick_step(cell, style) if cell < text_width(str(d_k), style.font) + 6 else 1
    bar_step = tick_step(plot_w / n, style)
    for row, (height, under, title) in enumerate(zip(heights, below, titles, strict=True), start=1):
        axis = "" if row == 1 else str(row)
        top += title_h
        annotations.append({"text": title, "x": 0, "y": 1 - (top - 4) / total, "xref": "paper",
                            "yref": "paper", "xanchor": "left", "yanchor": "bottom", "showarrow": False,
                            "font": {"size": style.title_font}})  # fmt: skip
        domain = [1 - (top + height) / total, 1 - top / total]
        if row <= 3:
            vector = (view.q, view.k, view.product)[row - 1]
            traces.append(go.Heatmap(
                z=vector[None, :], x=np.arange(d_k), colorscale=style.colours.diverging, zmin=-limit,
                zmax=limit, showscale=False, texttemplate="%{z:.2f}" if numbers else None,
                textfont={"size": style.cell_font}, xaxis=f"x{axis}", yaxis=f"y{axis}",
                hovertemplate=f"{words['dimension']} %{{x}}: %{{z:.4f}}<extra></extra>",
            ))  # fmt: skip
            ticks = list(range(0, d_k, dim_step))
            layout[f"xaxis{axis}"] = {"tickvals": ticks, "ticktext": [str(c) for c in ticks], "tickangle": 0}
            layout[f"yaxis{axis}"] = {"showticklabels": False}
        else:
            values = scaled if row == 4 else view.row.pattern
            traces.append(go.Bar(
                x=np.arange(n), y=values, marker_color=colours, customdata=keys, showlegend=False,
                hovertemplate="%{customdata}<br>%{y:.4f}<extra></extra>", xaxis=f"x{axis}", yaxis=f"y{axis}",
            ))  # fmt: skip
            ticks = list(range(0, n, bar_step))
            texts = tick_labels([key_labels[j] for j in ticks])
            layout[f"xaxis{axis}"] = {
                "tickvals": ticks,
                "ticktext": texts,
                "tickangle": 90,
                "range": [-0.5, n - 0.5],
            }
            layout[f"yaxis{axis}"] = {"tickfont": {"size": style.font}, "nticks": 4}
        common = {
            "domain": [0, 1],
            "anchor": f"y{axis}",
            "tickfont": {"size": style.font},
            "automargin": False,
        }
        layout[f"xaxis{axis}"] |= common
        layout[f"yaxis{axis}"] |= {"domain": domain, "anchor": f"x{axis}", "automargin": False}
        top += height + under
    layout |= {
        "annotations": annotations, "width": style.width, "height": math.ceil(total),
        "margin": {"l": left, "r": right, "t": 0, "b": 0}, "template": "plotly_white",
        "font": {"size": style.font}, "bargap": 0.15,
    }  # fmt: skip
    return go.Figure(traces, layout)
