"""The head view (after BertViz): a custom component drawing lines between tokens, coloured by head.

Drawn in the browser from the numbers sent here; no library is loaded from anywhere. Interaction (hover,
click to lock, heads on and off) happens in the page and needs no rerun.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import streamlit as st

from attention_core.viz.colours import PALETTES

HERE = Path(__file__).resolve().parent
MIN_WEIGHT = 0.02  # lighter lines are invisible anyway: not sent
HEAD_COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#ad494a",
    "#637939", "#8c6d31", "#843c39", "#7b4173",
)  # fmt: skip

_HEAD_VIEW = st.components.v2.component(
    "attention_explorer_head_view",
    html='<div id="head-view"></div>',
    css=(HERE / "head_view.css").read_text(),
    js=(HERE / "head_view.js").read_text(),
)


def head_links(pattern: np.ndarray) -> list[list[int]]:
    """[head, query, key, weight × 1000] for every weight of at least MIN_WEIGHT. pattern [head, q, k]."""
    heads, queries, keys = np.nonzero(pattern >= MIN_WEIGHT)
    weights = np.rint(pattern[heads, queries, keys] * 1000).astype(int)
    return np.stack([heads, queries, keys, weights], axis=1).tolist()


def head_view(
    pattern: np.ndarray, labels: list[str], head_names: list[str], texts: dict[str, str], key: str,
    palette: str = "standard",
):  # fmt: skip
    """One layer's heads: pattern [head, query_pos, key_pos] (same tokens on both sides), one colour per
    head (Okabe–Ito's with the colour-blind-safe palette)."""
    named = HEAD_COLOURS if palette == "standard" else PALETTES[palette].categorical
    colours = [named[h % len(named)] for h in range(pattern.shape[0])]
    return _HEAD_VIEW(
        data={
            "tokens": list(labels),
            "heads": head_names,
            "colors": colours,
            "links": head_links(pattern),
            "labels": texts,
        },
        key=key,
    )
