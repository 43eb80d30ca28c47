"""One query row of one head, worked through number by number, for the step-by-step page.

Everything here is read off the trace or recomputed from it with the same formula the trace used, so the
page can show "q_i · k_j = …, ÷ √d_k = …, exp(… − max) = …, ÷ Σ = …" without doing arithmetic itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from attention_core.attention import AttentionTrace
from attention_core.softmax import softmax_steps


@dataclass(frozen=True)
class RowBreakdown:
    """Query ``query`` of head ``head``: one entry per key position."""

    head: int
    query: int
    dot: np.ndarray  # [key_pos]  q_i · k_j  (= scores[head, query])
    scaled: np.ndarray  # [key_pos]  dot / (√d_k · temperature)
    allowed: np.ndarray  # [key_pos] bool, from the mask
    shifted_exp: np.ndarray  # [key_pos]  exp(scaled − max over allowed), 0 where masked
    total: float  # Σ_j shifted_exp_j
    pattern: np.ndarray  # [key_pos]  shifted_exp / total  (= pattern[head, query])
    sqrt_d_k: float


def row_breakdown(trace: AttentionTrace, head: int, query: int) -> RowBreakdown:
    """The numbers behind ``trace.pattern[head, query]``."""
    scaled = trace.scaled[head, query]  # [key_pos]
    allowed = trace.mask[query]  # [key_pos]
    steps = softmax_steps(scaled, allowed)
    return RowBreakdown(
        head=head,
        query=query,
        dot=trace.scores[head, query],
        scaled=scaled,
        allowed=allowed,
        shifted_exp=steps.shifted_exp,
        total=steps.total,
        pattern=trace.pattern[head, query],
        sqrt_d_k=float(np.sqrt(trace.q.shape[-1])),
    )


def masked_scaled(trace: AttentionTrace, head: int) -> np.ndarray:
    """The scaled scores of one head with masked cells as NaN (drawn blank: they count as −∞ in the
    softmax). Returns [query_pos, key_pos]."""
    return np.where(trace.mask, trace.scaled[head], np.nan)  # [query_pos, key_pos]


@dataclass(frozen=True)
class NeuronView:
    """How one query attends to one key in one head, product by product (BertViz's neuron view)."""

    head: int
    query: int
    key: int
    q: np.ndarray  # [d_k]  the query vector q_i
    k: np.ndarray  # [d_k]  the key vector k_j
    product: np.ndarray  # [d_k]  q_i ⊙ k_j, elementwise; its sum is the score
    score: float  # Σ_c q_ic k_jc = scores[head, i, j]
    scaled: float  # score / (√d_k · temperature)
    row: RowBreakdown  # the whole softmax row of query i


def neuron_view(trace: AttentionTrace, head: int, query: int, key: int) -> NeuronView:
    """The numbers behind ``trace.pattern[head, query, key]``."""
    q = trace.q[head, query]  # [d_k]
    k = trace.k[head, key]  # [d_k]
    return NeuronView(
        head=head,
        query=query,
        key=key,
        q=q,
        k=k,
        product=q * k,  # [d_k]
        score=float(trace.scores[head, query, key]),
        scaled=float(trace.scaled[head, query, key]),
        row=row_breakdown(trace, head, query),
    )


def without_special(pattern: np.ndarray, special: tuple[bool, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Drop the rows and columns of special tokens ([CLS], [SEP], <s>) and renormalize each row to 1.

    pattern: [..., query_pos, key_pos]. Returns (pattern without them [..., kept, kept], kept positions).
    A row whose attention all went to special tokens becomes all zeros.
    """
    kept = np.flatnonzero(~np.asarray(special, dtype=bool))  # [kept]
    part = pattern[..., kept[:, None], kept[None, :]]  # [..., kept, kept]
    total = part.sum(axis=-1, keepdims=True)  # [..., kept, 1]
    return np.divide(part, total, out=np.zeros_like(part), where=total > 0), kept
