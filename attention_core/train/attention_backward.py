r"""The backward pass of :func:`attention_core.attention.multi_head_attention`, read off its trace.

There is one attention forward in this project; training calls it and keeps the returned
:class:`~attention_core.attention.AttentionTrace`. Everything the backward needs is in that trace
(``x``, ``q``, ``k``, ``v``, ``pattern``, ``concat``, ``mask``, the weights), so nothing is recomputed.

Going backwards through the four steps of the forward, per head ``h`` (``d`` = d_k, ``τ`` = temperature):

.. math::
    \text{4) } \; \partial W_O = \mathrm{concat}^\top \partial\mathrm{out}, \quad
        \partial\mathrm{concat} = \partial\mathrm{out}\, W_O^\top, \quad
        \partial b_O = \textstyle\sum \partial\mathrm{out}

    \text{3) } \; \partial z_h = \text{block } h \text{ of } d_v \text{ columns of } \partial\mathrm{concat}

    \text{2) } \; \partial P = \partial z\, v^\top, \quad \partial v = P^\top \partial z, \quad
        \partial S_{ij} = P_{ij}\big(\partial P_{ij} - \textstyle\sum_{j'} P_{ij'}\,\partial P_{ij'}\big),
        \quad \partial\mathrm{scores} = \partial S / (\sqrt{d}\,\tau), \quad
        \partial q = \partial\mathrm{scores}\, k, \quad \partial k = \partial\mathrm{scores}^\top q

    \text{1) } \; \partial W_Q^h = x^\top \partial q_h, \quad
        \partial x \mathrel{+}= \partial q_h\, W_Q^{h\top}
        \quad (\text{likewise } K, V \text{ from } x_{kv}), \quad \partial b_Q^h = \textstyle\sum \partial q_h

``P`` is the pattern and ``S`` the scaled scores. Masked-out entries have ``P = 0`` and so get no gradient:
the mask is respected without being looked at again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from attention_core.attention import AttentionTrace


@dataclass(frozen=True)
class AttentionGradients:
    """∂L/∂ of every input and weight of one attention layer (biases None where the layer has none)."""

    x: np.ndarray  # [..., query_pos, d_model]  (for self-attention: both paths, through q and through k, v)
    x_kv: np.ndarray | None  # [..., key_pos, d_model]  only for cross-attention
    W_Q: np.ndarray  # [head, d_model, d_k]
    W_K: np.ndarray  # [head, d_model, d_k]
    W_V: np.ndarray  # [head, d_model, d_v]
    W_O: np.ndarray  # [head * d_v, d_model]
    b_Q: np.ndarray | None = None  # [head, d_k]
    b_K: np.ndarray | None = None  # [head, d_k]
    b_V: np.ndarray | None = None  # [head, d_v]
    b_O: np.ndarray | None = None  # [d_model]


def _project_backward(inputs: np.ndarray, grad_proj: np.ndarray, W: np.ndarray) -> tuple[np.ndarray, ...]:
    """Backward of ``proj = inputs[..., None, :, :] @ W`` (every head at once).

    inputs: [..., pos, d_model]; grad_proj: [..., head, pos, width]; W: [head, d_model, width].
    Returns (grad_inputs [..., pos, d_model], grad_W [head, d_model, width], grad_bias [head, width]).
    """
    n_heads, d_model, width = W.shape
    # Lay the heads side by side so one matrix product serves all of them.
    grad_side = np.swapaxes(grad_proj, -3, -2)  # [..., pos, head, width]
    grad_side = grad_side.reshape(-1, n_heads * width)  # [rows, head * width]  rows = every (batch, pos)
    W_side = np.swapaxes(W, 0, 1).reshape(d_model, n_heads * width)  # [d_model, head * width]
    x_rows = inputs.reshape(-1, d_model)  # [rows, d_model]
    grad_W_side = x_rows.T @ grad_side  # [d_model, head * width]
    grad_W = np.swapaxes(grad_W_side.reshape(d_model, n_heads, width), 0, 1)  # [head, d_model, width]
    grad_inputs = (grad_side @ W_side.T).reshape(inputs.shape)  # [..., pos, d_model]
    grad_bias = grad_side.sum(axis=0).reshape(n_heads, width)  # [head, width]
    return grad_inputs, grad_W, grad_bias


def multi_head_attention_backward(grad_out: np.ndarray, trace: AttentionTrace) -> AttentionGradients:
    """Gradients of one :func:`multi_head_attention` call, given ``grad_out`` = ∂L/∂out [..., query_pos,
    d_model]. (Gradients are ``grad_*``: ``d_k`` and ``d_v`` are widths, as everywhere.)

    The arithmetic runs in the dtype of ``grad_out`` (float32 in training, float64 in the gradient checks).
    """
    dtype = grad_out.dtype
    weights = trace.weights
    n_heads, d_v = weights.n_heads, weights.d_v
    pattern = trace.pattern.astype(dtype, copy=False)  # [..., head, query_pos, key_pos]

    # 4) output projection: out = concat @ W_O + b_O
    d_model = grad_out.shape[-1]
    grad_out_rows = grad_out.reshape(-1, d_model)  # [rows, d_model]
    concat_rows = trace.concat.astype(dtype, copy=False).reshape(-1, n_heads * d_v)  # [rows, head * d_v]
    grad_W_O = concat_rows.T @ grad_out_rows  # [head * d_v, d_model]
    grad_b_O = grad_out_rows.sum(axis=0) if weights.b_O is not None else None  # [d_model]
    grad_concat = grad_out @ weights.W_O.T  # [..., query_pos, head * d_v]

    # 3) concat: undo "heads side by side"
    grad_z = grad_concat.reshape(*grad_concat.shape[:-1], n_heads, d_v)  # [..., query_pos, head, d_v]
    grad_z = np.swapaxes(grad_z, -3, -2)  # [..., head, query_pos, d_v]

    # 2) attend: z = pattern @ v, pattern = softmax(scaled), scaled = scores / (sqrt(d_k) * temperature)
    grad_pattern = grad_z @ np.swapaxes(trace.v, -1, -2)  # [..., head, query_pos, key_pos]
    grad_v = np.swapaxes(pattern, -1, -2) @ grad_z  # [..., head, key_pos, d_v]
    row_dot = (grad_pattern * pattern).sum(axis=-1, keepdims=True)  # [..., head, query_pos, 1]
    grad_scaled = pattern * (grad_pattern - row_dot)  # [..., head, query_pos, key_pos]  0 where masked
    grad_scores = grad_scaled / (
        math.sqrt(weights.d_k) * trace.temperature
    )  # [..., head, query_pos, key_pos]
    grad_q = grad_scores @ trace.k  # [..., head, query_pos, d_k]
    grad_k = np.swapaxes(grad_scores, -1, -2) @ trace.q  # [..., head, key_pos, d_k]

    # 1) projections: q from x, k and v from x_kv
    grad_x, grad_W_Q, grad_b_Q = _project_backward(trace.x, grad_q, weights.W_Q)
    grad_x_kv_k, grad_W_K, grad_b_K = _project_backward(trace.x_kv, grad_k, weights.W_K)
    grad_x_kv_v, grad_W_V, grad_b_V = _project_backward(trace.x_kv, grad_v, weights.W_V)
    grad_x_kv = grad_x_kv_k + grad_x_kv_v  # [..., key_pos, d_model]
    if not trace.is_cross:
        grad_x = grad_x + grad_x_kv  # [..., pos, d_model]  self-attention: x fed all three projections

    return AttentionGradients(
        x=grad_x,
        x_kv=grad_x_kv if trace.is_cross else None,
        W_Q=grad_W_Q,
        W_K=grad_W_K,
        W_V=grad_W_V,
        W_O=grad_W_O,
        b_Q=grad_b_Q if weights.b_Q is not None else None,
        b_K=grad_b_K if weights.b_K is not None else None,
        b_V=grad_b_V if weights.b_V is not None else None,
        b_O=grad_b_O,
    )
