"""Two sentences through the same model: which tokens correspond, and how attention differs where they do.

Tokens are paired where the two token sequences agree (the longest matching runs, as ``difflib`` finds
them), so "…because it was too tired" and "…because it was too wide" pair every token but the last word,
and a Korean pair differing in one particle pairs everything around it.

For one head with patterns A [q_a, k_a] and B [q_b, k_b], and the paired positions (i_a, i_b):

    Δ[r, c] = A[i_a[r], i_a[c]] − B[i_b[r], i_b[c]]        (the attention between paired tokens)

and a head's change is the mean of |Δ| over all paired cells.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import numpy as np


def paired_positions(labels_a: Sequence[str], labels_b: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The positions of the tokens the two sentences share, in order: (i_a, i_b), int [pair] each."""
    matcher = difflib.SequenceMatcher(a=list(labels_a), b=list(labels_b), autojunk=False)
    pairs = [(block.a + n, block.b + n) for block in matcher.get_matching_blocks() for n in range(block.size)]
    i_a = np.array([a for a, _ in pairs], dtype=int)  # [pair]
    i_b = np.array([b for _, b in pairs], dtype=int)  # [pair]
    return i_a, i_b


def paired_difference(a: np.ndarray, b: np.ndarray, i_a: np.ndarray, i_b: np.ndarray) -> np.ndarray:
    """Δ = A − B between paired tokens. a: [..., q_a, k_a], b: [..., q_b, k_b]. Returns [..., pair, pair]."""
    return a[..., i_a[:, None], i_a[None, :]] - b[..., i_b[:, None], i_b[None, :]]  # [..., pair, pair]


def head_change(a: np.ndarray, b: np.ndarray, i_a: np.ndarray, i_b: np.ndarray) -> np.ndarray:
    """Every head's mean |Δ| over the paired cells. a, b: [layer, head, q, k]. Returns [layer, head]."""
    if len(i_a) == 0:
        return np.zeros(a.shape[:2])  # [layer, head]  nothing paired: no comparison to make
    return np.abs(paired_difference(a, b, i_a, i_b)).mean(axis=(-2, -1))  # [layer, head]
