"""The figures of each lesson step (pure: a step and words in, Plotly figures out), for the /lesson page
and for the offline lesson file alike."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from attention_core.lesson import COOL, HOT, Step
from attention_core.viz.flow import concat_projection_figure
from attention_core.viz.patterns import pattern_grid
from attention_core.viz.style import LAPTOP, Style


def step_figures(step: Step, words: dict[str, str], style: Style = LAPTOP) -> list[go.Figure]:
    """The figures that reveal ``step``'s answer. ``words`` translates "key", "query", "attention" and
    "head" (the axis titles and panel names)."""
    trace = step.traces[0]
    axes = {
        "axis_titles": (words["key"], words["query"]),
        "colorbar_title": words["attention"],
        "style": style,
    }
    head = f"{words['head']} {step.head}"
    if step.layer is not None:
        head = f"L{step.layer} · {head}"
    if step.name in ("attention", "self", "real"):
        return [pattern_grid(trace.pattern[[step.head]], step.queries, step.keys, [head], **axes)]
    if step.name == "temperature":
        hot = step.traces[1]
        both = np.stack([trace.pattern[step.head], hot.pattern[step.head]])  # [2, q, k]
        titles = [f"{head} · τ = {COOL:g}", f"{head} · τ = {HOT:g}"]
        return [pattern_grid(both, step.queries, step.keys, titles, **axes)]
    n_heads = trace.pattern.shape[0]
    flow = concat_projection_figure(
        trace.concat, trace.weights.W_O, trace.out, list(step.queries), n_heads, style
    )
    if step.name == "multi":
        titles = [f"{words['head']} {h}" for h in range(n_heads)]
        return [pattern_grid(trace.pattern, step.queries, step.keys, titles, **axes), flow]
    return [flow]  # the dimension example
