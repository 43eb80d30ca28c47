"""The public API, part 3: figures of a trace, for notebooks.

    ac.figures.heads(t)                 # one heatmap per head: a teaching trace, or layer 0 of a model
    ac.figures.heads(mt, layer=2)       # the heads of a model's layer 2
    ac.figures.model_view(mt)           # every layer × head of a model at once

Each returns a Plotly ``go.Figure``: Jupyter, JupyterLab and VS Code draw it inline, with no server (the
figure travels in the notebook as JSON, MIME type application/vnd.plotly.v1+json); ``fig.write_html``
saves it as a page. They are the app's own builders (``attention_core/viz/``), which import Plotly: they
are imported here only when a figure is made, so ``import attention_core`` stays free of Plotly.

A trace is what :func:`attention_core.trace` or ``model.trace`` returns, or a saved one
(:func:`attention_core.load`: its ``pattern`` and ``tokens``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from attention_core.models.trace import ModelTrace
from attention_core.teaching import TeachingTrace

if TYPE_CHECKING:
    from attention_core.api import Trace

Figure = object  # a plotly.graph_objects.Figure; Plotly itself is imported only inside viz/, when one is made


def _pattern(t: Trace) -> np.ndarray:
    """[head, q, k] (one layer) or [layer, head, q, k] (a model)."""
    if isinstance(t, TeachingTrace):
        return t.trace.pattern
    return t.pattern if isinstance(t, ModelTrace) else np.asarray(t["pattern"])


def _labels(t: Trace) -> tuple[list[str], list[str]]:
    """The query and key tokens: readable labels, or a saved trace's pieces as they were saved."""
    if isinstance(t, TeachingTrace):
        keys = t.tokens if t.tokens_kv is None else t.tokens_kv
        return list(t.tokens.labels), list(keys.labels)
    if isinstance(t, ModelTrace):
        return list(t.tokens.labels), list(t.tokens.labels)
    saved: Mapping[str, np.ndarray] = t
    queries = [str(s) for s in saved["tokens"]]
    return queries, [str(s) for s in saved["tokens_kv"]] if "tokens_kv" in saved else queries


def _style(width: int, palette: str):
    from attention_core.viz.style import Style

    return Style(width=width, palette=palette)


def heads(t: Trace, layer: int = 0, width: int = 660, palette: str = "standard") -> Figure:
    """Every head of one layer, one heatmap each, head 0 first: rows are queries, columns keys, each row
    sums to 1 (pattern [head, query_pos, key_pos]). ``layer``: which layer of a model trace. ``width``
    in px; ``palette``: "standard" or "colourblind"."""
    from attention_core.viz.patterns import pattern_grid

    pattern = _pattern(t)
    if pattern.ndim == 4:  # a model: [layer, head, q, k]
        if not -len(pattern) <= layer < len(pattern):
            raise ValueError(f"layer {layer} is not one of 0 .. {len(pattern) - 1}")
        layer %= len(pattern)
        pattern, titles = pattern[layer], [f"head {layer}.{h}" for h in range(pattern.shape[1])]
    else:
        titles = [f"head {h}" for h in range(pattern.shape[0])]
    queries, keys = _labels(t)
    return pattern_grid(pattern, queries, keys, titles, style=_style(width, palette))


def model_view(t: Trace, width: int = 660, palette: str = "standard") -> Figure:
    """All layers × heads of a model trace at once, a thumbnail per head (layers top to bottom, heads
    left to right; pattern [layer, head, query_pos, key_pos]); hover names layer and head."""
    from attention_core.viz.model_view import model_view_figure

    pattern = _pattern(t)
    if pattern.ndim != 4:
        raise ValueError("model_view shows a model's trace (pattern [layer, head, q, k]); use heads()")
    return model_view_figure(pattern, style=_style(width, palette))
