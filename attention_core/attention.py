r"""Attention, the one implementation: every page, the CLI, the exports, the model stack and the training
code call :func:`multi_head_attention`.

.. math::
    \mathrm{Attention}(Q, K, V) = \mathrm{softmax}\!\left(\frac{QK^\top}{\sqrt{d_k}}\right) V

    \mathrm{head}_h = \mathrm{Attention}(xW^Q_h, \; x_{kv}W^K_h, \; x_{kv}W^V_h)

    \mathrm{MultiHead}(x) = \mathrm{Concat}(\mathrm{head}_0, \dots, \mathrm{head}_{H-1})\, W^O

Self-attention is the case ``x_kv = x``: a sequence attends over itself. Every array may carry leading
batch axes (``x`` [..., pos, d_model]); the shapes below name only the axes of one sequence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from attention_core.softmax import masked_softmax
from attention_core.weights import AttentionWeights


@dataclass(frozen=True)
class DotProductAttention:
    """The steps of scaled dot-product attention, in order."""

    scores: np.ndarray  # [head, query_pos, key_pos]  q @ k.T
    scaled: np.ndarray  # [head, query_pos, key_pos]  scores / (sqrt(d_k) * temperature)
    pattern: np.ndarray  # [head, query_pos, key_pos]  masked softmax over key_pos; rows sum to 1
    z: np.ndarray  # [head, query_pos, d_v]  pattern @ v


@dataclass(frozen=True)
class AttentionTrace:
    """Everything one multi-head attention layer computed, named as in DESIGN.md."""

    x: np.ndarray  # [query_pos, d_model]  input the queries come from
    x_kv: np.ndarray  # [key_pos, d_model]  input keys and values come from (x itself for self-attention)
    weights: AttentionWeights
    q: np.ndarray  # [head, query_pos, d_k]
    k: np.ndarray  # [head, key_pos, d_k]
    v: np.ndarray  # [head, key_pos, d_v]
    scores: np.ndarray  # [head, query_pos, key_pos]
    scaled: np.ndarray  # [head, query_pos, key_pos]
    mask: np.ndarray  # [query_pos, key_pos] bool, True where attending is allowed
    pattern: np.ndarray  # [head, query_pos, key_pos]
    z: np.ndarray  # [head, query_pos, d_v]
    concat: np.ndarray  # [query_pos, head * d_v]
    out: np.ndarray  # [query_pos, d_model]
    temperature: float = 1.0
    is_cross: bool = False  # True when keys and values come from another sequence than the queries


def causal_mask(n_pos: int) -> np.ndarray:
    """Lower-triangular mask: position i may attend to positions j ≤ i. Returns bool [pos, pos]."""
    return np.tril(np.ones((n_pos, n_pos), dtype=bool))  # [query_pos, key_pos]


def scaled_dot_product_attention(
    q: np.ndarray, k: np.ndarray, v: np.ndarray, mask: np.ndarray | None = None, temperature: float = 1.0
) -> DotProductAttention:
    r"""``softmax(q kᵀ / (√d_k · temperature), masked) · v`` for every head at once.

    .. math::
        \mathrm{scores}_{ij} = q_i \cdot k_j, \quad
        \mathrm{scaled}_{ij} = \frac{\mathrm{scores}_{ij}}{\sqrt{d_k}\,\tau}, \quad
        z_i = \sum_j \mathrm{pattern}_{ij}\, v_j

    q: [..., query_pos, d_k]; k: [..., key_pos, d_k]; v: [..., key_pos, d_v];
    mask: bool [query_pos, key_pos] (True = allowed; None = everything allowed).
    """
    d_k = q.shape[-1]
    k_t = np.swapaxes(k, -1, -2)  # [..., d_k, key_pos]  (a view)
    scores = q @ k_t  # [..., query_pos, key_pos]
    scaled = scores * (
        1 / (math.sqrt(d_k) * temperature)
    )  # [..., query_pos, key_pos]  (× by 1/c: 5–14% faster than ÷ c)
    if mask is None:
        mask = np.ones(scores.shape[-2:], dtype=bool)  # [query_pos, key_pos]
    pattern = masked_softmax(scaled, mask)  # [..., query_pos, key_pos]
    z = pattern @ v  # [..., query_pos, d_v]
    return DotProductAttention(scores=scores, scaled=scaled, pattern=pattern, z=z)


def project(x: np.ndarray, W: np.ndarray, b: np.ndarray | None) -> np.ndarray:
    """``x @ W[h] + b[h]`` for every head h, as one matrix product with the heads side by side.

    x: [..., pos, d_model]; W: [head, d_model, d_head]; b: [head, d_head] or None.
    Returns [..., pos, head * d_head], head 0's columns first.
    """
    n_heads, d_model, d_head = W.shape
    # A view, no copy, when W is itself a view of a [d_model, head * d_head] matrix (the model loaders
    # keep their weights that way); otherwise NumPy copies it here.
    W_side_by_side = W.transpose(1, 0, 2).reshape(d_model, n_heads * d_head)  # [d_model, head * d_head]
    projected = x @ W_side_by_side  # [..., pos, head * d_head]
    if b is not None:
        projected += b.reshape(n_heads * d_head)  # [..., pos, head * d_head]
    return projected


def split_heads(projected: np.ndarray, n_heads: int) -> np.ndarray:
    """[..., pos, head * d_head], heads side by side -> [..., head, pos, d_head] (a view, no copy)."""
    by_head = projected.reshape(*projected.shape[:-1], n_heads, -1)  # [..., pos, head, d_head]
    return np.swapaxes(by_head, -3, -2)  # [..., head, pos, d_head]


def multi_head_attention(
    x: np.ndarray,
    weights: AttentionWeights,
    mask: np.ndarray | None = None,
    x_kv: np.ndarray | None = None,
    temperature: float = 1.0,
) -> AttentionTrace:
    """Multi-head attention of ``x`` over ``x_kv`` (over itself when ``x_kv`` is None).

    1) project: q = x W_Q[h] + b_Q[h], k = x_kv W_K[h] + b_K[h], v = x_kv W_V[h] + b_V[h], per head
    2) attend:  z[h] = softmax(q kᵀ / √d_k, masked) v, per head independently
    3) concat:  the heads' z side by side, head 0 first: [query_pos, head * d_v]
    4) project: out = concat W_O + b_O: [query_pos, d_model]

    x: [..., query_pos, d_model]; x_kv: [..., key_pos, d_model]; mask: bool [query_pos, key_pos].
    """
    is_cross = x_kv is not None
    if x_kv is None:
        x_kv = x
    if x.shape[-1] != weights.d_model or x_kv.shape[-1] != weights.d_model:
        raise ValueError(f"inputs have width {x.shape[-1]}, the weights expect d_model = {weights.d_model}")
    n_q, n_k = x.shape[-2], x_kv.shape[-2]
    if mask is None:
        mask = np.ones((n_q, n_k), dtype=bool)  # [query_pos, key_pos]
    if mask.shape[-2:] != (n_q, n_k):
        raise ValueError(f"mask has shape {mask.shape}, expected ({n_q}, {n_k})")

    # 1) project, every head at once: one matmul with the heads' W_Q side by side, then split the heads
    h = weights.n_heads
    q = split_heads(project(x, weights.W_Q, weights.b_Q), h)  # [..., head, query_pos, d_k]
    k = split_heads(project(x_kv, weights.W_K, weights.b_K), h)  # [..., head, key_pos, d_k]
    v = split_heads(project(x_kv, weights.W_V, weights.b_V), h)  # [..., head, key_pos, d_v]

    # 2) attend, each head on its own
    sdpa = scaled_dot_product_attention(q, k, v, mask, temperature)

    # 3) concat: [..., head, query_pos, d_v] -> [..., query_pos, head, d_v] -> [..., query_pos, head * d_v]
    z_by_pos = np.swapaxes(sdpa.z, -3, -2)  # [..., query_pos, head, d_v]
    concat = z_by_pos.reshape(*z_by_pos.shape[:-2], -1)  # [..., query_pos, head * d_v]

    # 4) output projection
    out = concat @ weights.W_O  # [..., query_pos, d_model]
    if weights.b_O is not None:
        out += weights.b_O  # [..., query_pos, d_model]

    return AttentionTrace(
        x=x,
        x_kv=x_kv,
        weights=weights,
        q=q,
        k=k,
        v=v,
        scores=sdpa.scores,
        scaled=sdpa.scaled,
        mask=mask,
        pattern=sdpa.pattern,
        z=sdpa.z,
        concat=concat,
        out=out,
        temperature=temperature,
        is_cross=is_cross,
    )
