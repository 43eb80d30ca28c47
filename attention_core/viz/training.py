"""Training figures: the loss curve with a snapshot marked, and head metrics across training.

Reference lines (baselines, uniform attention) are named in the legend, not written on the plot, where
their labels fell on top of each other.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from attention_core.viz.style import LAPTOP, Style

LANGUAGES = ("en", "ko")  # the validation languages, in the order of the palette's colours


def moving_average(values: np.ndarray, window: int) -> np.ndarray:
    """Mean of each run of ``window`` consecutive values (shorter at the start). Returns [len(values)]."""
    totals = np.cumsum(np.concatenate([[0.0], values]))  # [n + 1]
    starts = np.maximum(np.arange(1, len(values) + 1) - window, 0)  # [n]
    return (totals[1:] - totals[starts]) / (np.arange(1, len(values) + 1) - starts)  # [n]


def legend_below(style: Style, entries: int) -> tuple[dict, int]:
    """A horizontal legend under the plot, and the px it needs (about 150 px per entry, wrapped)."""
    rows = 1 + entries * 150 // max(style.width, 1)
    return {"orientation": "h", "x": 0, "y": 0, "yref": "container", "yanchor": "bottom",
            "font": {"size": style.font}}, rows * (style.line + 8) + 8  # fmt: skip


def loss_figure(
    train_steps: np.ndarray,
    train_loss: np.ndarray,
    eval_steps: np.ndarray,
    eval_loss: dict[str, np.ndarray],
    baselines: dict[str, dict[str, float]],
    marked_step: int,
    names: dict[str, str],
    style: Style = LAPTOP,
    phase: tuple[int, int] | None = None,
) -> go.Figure:
    """Training loss (smoothed), validation loss per language, the baselines per language as dashed
    lines, and a vertical line at ``marked_step``; ``phase`` (first step, last step) shades the induction
    phase change. ``names`` translates the legend entries: keys "train", "ko", "en", one per baseline
    ("bigram", "unigram"), "step" and "loss" (the axis titles), and "phase" when ``phase`` is given."""
    traces = [
        go.Scatter(
            x=train_steps, y=moving_average(train_loss, 50), name=names["train"], line={"color": "#999999"}
        )
    ]
    x_range = [float(np.min(train_steps)), float(np.max(train_steps))]
    for lang, losses in eval_loss.items():
        colour = style.colours.categorical[LANGUAGES.index(lang)] if lang in LANGUAGES else "#000000"
        traces.append(
            go.Scatter(x=eval_steps, y=losses, name=names[lang], mode="lines+markers", line={"color": colour})
        )
        for baseline, dash in (("bigram", "dash"), ("unigram", "dot")):
            if baseline in baselines and lang in baselines[baseline]:
                level = baselines[baseline][lang]
                traces.append(go.Scatter(
                    x=x_range, y=[level, level], mode="lines", name=f"{names[baseline]} ({names[lang]})",
                    line={"color": colour, "dash": dash, "width": 1}, hoverinfo="name+y",
                ))  # fmt: skip
    if phase is not None:
        traces.append(phase_band(phase, (3.0, 8.5), names["phase"]))
    legend, legend_px = legend_below(style, len(traces))
    figure = go.Figure(traces)
    figure.add_vline(x=marked_step, line={"color": "black", "width": 2})
    figure.update_xaxes(title_text=names["step"], tickfont={"size": style.font})
    figure.update_yaxes(title_text=names["loss"], range=[3.0, 8.5], tickfont={"size": style.font})
    figure.update_layout(
        width=style.width, height=300 + legend_px, legend=legend, template="plotly_white",
        margin={"l": 10, "r": 10, "t": 10, "b": legend_px + 10}, font={"size": style.font},
    )  # fmt: skip
    return figure


PHASE_COLOUR = "rgba(230, 159, 0, 0.25)"  # the palette's orange, see-through: the phase change's band


def phase_band(phase: tuple[int, int], y: tuple[float, float], name: str) -> go.Scatter:
    """A shaded band from step ``phase[0]`` to ``phase[1]`` over the heights ``y``, named in the legend
    (a filled trace rather than a layout shape, so it has a legend entry)."""
    (x0, x1), (y0, y1) = phase, y
    return go.Scatter(
        x=[x0, x1, x1, x0, x0], y=[y0, y0, y1, y1, y0], fill="toself", fillcolor=PHASE_COLOUR, mode="none",
        name=name, hoverinfo="name",
    )  # fmt: skip


def induction_figure(
    probe: np.ndarray,
    phase: tuple[int, int] | None,
    marked_step: int,
    names: dict[str, str],
    style: Style = LAPTOP,
) -> go.Figure:
    """The induction probe through training, from probe [probe, 6] (step, best induction score, layer,
    head, loss on the first copy, loss on the repeat): the score on the left axis, the two losses on the
    right one, the phase change shaded and ``marked_step`` as a vertical line. ``names``: "score",
    "first", "repeat", "phase", "step", "loss"."""
    steps = probe[:, 0]  # [probe]
    colours = style.colours.categorical
    traces = [
        go.Scatter(x=steps, y=probe[:, 1], name=names["score"], line={"color": colours[0], "width": 3}),
        go.Scatter(x=steps, y=probe[:, 4], name=names["first"], yaxis="y2",
                   line={"color": colours[1], "dash": "dot"}),
        go.Scatter(x=steps, y=probe[:, 5], name=names["repeat"], yaxis="y2", line={"color": colours[1]}),
    ]  # fmt: skip
    if phase is not None:
        traces.append(phase_band(phase, (0.0, 1.0), names["phase"]))
    legend, legend_px = legend_below(style, len(traces))
    figure = go.Figure(traces)
    figure.add_vline(x=marked_step, line={"color": "black", "width": 2})
    figure.update_xaxes(title_text=names["step"], tickfont={"size": style.font})
    figure.update_layout(
        yaxis={"title": {"text": names["score"]}, "range": [0, 1], "tickfont": {"size": style.font}},
        yaxis2={"title": {"text": names["loss"]}, "overlaying": "y", "side": "right", "rangemode": "tozero",
                "tickfont": {"size": style.font}, "showgrid": False},
        width=style.width, height=300 + legend_px, legend=legend, template="plotly_white",
        margin={"l": 10, "r": 10, "t": 10, "b": legend_px + 10}, font={"size": style.font},
    )  # fmt: skip
    return figure


def metric_figure(
    steps: np.ndarray,
    values: np.ndarray,
    marked_step: int,
    title: str,
    step_title: str,
    baseline: float | None = None,
    baseline_name: str = "",
    head_name: str = "L{layer} H{head}",
    style: Style = LAPTOP,
) -> go.Figure:
    """One head metric through training: values [snapshot, layer, head], one line per head. The x axis
    has one place per snapshot, labelled with its step (snapshots are denser early, and step 0 has no
    place on a log axis). ``baseline`` (e.g. uniform attention) is a dashed line."""
    n_layers, n_heads = values.shape[1:]
    x = np.arange(len(steps))  # [snapshot]
    traces = []
    for layer in range(n_layers):
        for head in range(n_heads):
            named = style.colours.categorical
            line = {"color": named[head % len(named)], "dash": ("solid", "dot")[layer % 2]}
            name = head_name.format(layer=layer, head=head)
            traces.append(
                go.Scatter(x=x, y=values[:, layer, head], mode="lines+markers", name=name, line=line)
            )
    if baseline is not None:
        traces.append(go.Scatter(x=[x[0], x[-1]], y=[baseline, baseline], mode="lines", name=baseline_name,
                                 line={"color": "black", "dash": "dash", "width": 1}))  # fmt: skip
    legend, legend_px = legend_below(style, len(traces))
    figure = go.Figure(traces)
    marked = int(np.argmin(np.abs(np.asarray(steps) - marked_step)))
    figure.add_vline(x=marked, line={"color": "black", "width": 2})
    labels = [f"{int(s):,}" for s in steps]
    every = max(1, -(-len(steps) * style.font * 3 // max(style.width - 80, 1)))  # labels ~3 em apart
    figure.update_xaxes(
        title_text=step_title, tickvals=list(x[::every]), ticktext=labels[::every], tickangle=0,
        tickfont={"size": style.font},
    )  # fmt: skip
    figure.update_yaxes(tickfont={"size": style.font})
    figure.update_layout(
        title={"text": title, "font": {"size": style.title_font}}, width=style.width, height=280 + legend_px,
        margin={"l": 10, "r": 10, "t": style.title_font + 24, "b": legend_px + 10}, legend=legend,
        template="plotly_white", font={"size": style.font},
    )  # fmt: skip
    return figure
