"""Training figures: the loss curve with a snapshot marked, and head metrics across training."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

LANGUAGE_COLOURS = {"ko": "#d62728", "en": "#1f77b4"}
HEAD_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")


def moving_average(values: np.ndarray, window: int) -> np.ndarray:
    """Mean of each run of ``window`` consecutive values (shorter at the start). Returns [len(values)]."""
    totals = np.cumsum(np.concatenate([[0.0], values]))  # [n + 1]
    starts = np.maximum(np.arange(1, len(values) + 1) - window, 0)  # [n]
    return (totals[1:] - totals[starts]) / (np.arange(1, len(values) + 1) - starts)  # [n]


def loss_figure(
    train_steps: np.ndarray,
    train_loss: np.ndarray,
    eval_steps: np.ndarray,
    eval_loss: dict[str, np.ndarray],
    baselines: dict[str, dict[str, float]],
    marked_step: int,
    names: dict[str, str],
) -> go.Figure:
    """Training loss (smoothed), validation loss per language, the baselines per language as dashed
    lines, and a vertical line at ``marked_step``. ``names`` translates the legend entries: keys "train",
    "ko", "en", and one per baseline ("bigram", "unigram")."""
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=train_steps, y=moving_average(train_loss, 50), name=names["train"], line={"color": "#999999"}
        )
    )
    for lang, losses in eval_loss.items():
        colour = LANGUAGE_COLOURS.get(lang, "#000000")
        figure.add_trace(
            go.Scatter(x=eval_steps, y=losses, name=names[lang], mode="lines+markers", line={"color": colour})
        )
        for baseline, dash in (("bigram", "dash"), ("unigram", "dot")):
            if baseline in baselines and lang in baselines[baseline]:
                figure.add_hline(
                    y=baselines[baseline][lang], line={"color": colour, "dash": dash, "width": 1},
                    annotation_text=f"{names[baseline]} ({names[lang]})", annotation_position="top right",
                    annotation_font_size=10,
                )  # fmt: skip
    figure.add_vline(x=marked_step, line={"color": "black", "width": 2})
    figure.update_xaxes(title_text=names["step"])
    figure.update_yaxes(title_text=names["loss"], range=[3.0, 8.5])
    figure.update_layout(height=380, margin={"l": 10, "r": 10, "t": 30, "b": 10}, template="plotly_white")
    return figure


def metric_figure(
    steps: np.ndarray,
    values: np.ndarray,
    marked_step: int,
    title: str,
    baseline: float | None = None,
    baseline_name: str = "",
    head_name: str = "L{layer} H{head}",
) -> go.Figure:
    """One head metric through training: values [snapshot, layer, head], one line per head, on a log-like
    step axis (snapshots are denser early). ``baseline`` (e.g. uniform attention) is a dashed line."""
    n_layers, n_heads = values.shape[1:]
    figure = go.Figure()
    x = np.maximum(steps, 1)  # step 0 drawn at 1 on the log axis
    for layer in range(n_layers):
        for head in range(n_heads):
            line = {"color": HEAD_COLOURS[head % len(HEAD_COLOURS)], "dash": ("solid", "dot")[layer % 2]}
            name = head_name.format(layer=layer, head=head)
            figure.add_trace(
                go.Scatter(x=x, y=values[:, layer, head], mode="lines+markers", name=name, line=line)
            )
    if baseline is not None:
        figure.add_hline(y=baseline, line={"color": "black", "dash": "dash", "width": 1},
                         annotation_text=baseline_name, annotation_position="top left")  # fmt: skip
    figure.add_vline(x=max(marked_step, 1), line={"color": "black", "width": 2})
    figure.update_xaxes(type="log", title_text="step")
    figure.update_layout(
        title={"text": title, "font": {"size": 14}}, height=330, margin={"l": 10, "r": 10, "t": 40, "b": 10},
        template="plotly_white",
    )  # fmt: skip
    return figure
