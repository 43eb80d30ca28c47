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


def _project_backward(inputs: np.ndarray, d_proj: np.ndarray, W: np.ndarray) -> tuple[np.ndarray, ...]:
    """Backward of ``proj = inputs[..., None, :, :] @ W`` (every head at once).

    inputs: [..., pos, d_model]; d_proj: [..., head, pos, width]; W: [head, d_model, width].
    Returns (d_inputs [..., pos, d_model], dW [head, d_model, width], d_bias [head, width]).
    """
    n_heads, d_model, width = W.shape
    # Lay the heads side by side so one matrix product serves all of them.
    d_side = np.swapaxes(d_proj, -3, -2)  # [..., pos, head, width]
    d_side = d_side.reshape(-1, n_heads * width)  # [rows, head * width]  rows = every (batch, pos)
    W_side = np.swapaxes(W, 0, 1).reshape(d_model, n_heads * width)  # [d_model, head * width]
    x_rows = inputs.reshape(-1, d_model)  # [rows, d_model]
    dW_side = x_rows.T @ d_side  # [d_model, head * width]
    dW = np.swapaxes(dW_side.reshape(d_model, n_heads, width), 0, 1)  # [head, d_model, width]
    d_inputs = (d_side @ W_side.T).reshape(inputs.shape)  # [..., pos, d_model]
    d_bias = d_side.sum(axis=0).reshape(n_heads, width)  # [head, width]
    return d_inputs, dW, d_bias


def multi_head_attention_backward(d_out: np.ndarray, trace: AttentionTrace) -> AttentionGradients:
    """Gradients of one :func:`multi_head_attention` call, given ∂L/∂out [..., query_pos, d_model].

    The arithmetic runs in the dtype of ``d_out`` (float32 in training, float64 in the gradient checks).
    """
    dtype = d_out.dtype
    weights = trace.weights
    n_heads, d_v = weights.n_heads, weights.d_v
    pattern = trace.pattern.astype(dtype, copy=False)  # [..., head, query_pos, key_pos]

    # 4) output projection: out = concat @ W_O + b_O
    d_model = d_out.shape[-1]
    d_out_rows = d_out.reshape(-1, d_model)  # [rows, d_model]
    concat_rows = trace.concat.astype(dtype, copy=False).reshape(-1, n_heads * d_v)  # [rows, head * d_v]
    dW_O = concat_rows.T @ d_out_rows  # [head * d_v, d_model]
    db_O = d_out_rows.sum(axis=0) if weights.b_O is not None else None  # [d_model]
    d_concat = d_out @ weights.W_O.T  # [..., query_pos, head * d_v]

    # 3) concat: undo "heads side by side"
    d_z = d_concat.reshape(*d_concat.shape[:-1], n_heads, d_v)  # [..., query_pos, head, d_v]
    d_z = np.swapaxes(d_z, -3, -2)  # [..., head, query_pos, d_v]

    # 2) attend: z = pattern @ v, pattern = softmax(scaled), scaled = scores / (sqrt(d_k) * temperature)
    d_pattern = d_z @ np.swapaxes(trace.v, -1, -2)  # [..., head, query_pos, key_pos]
    d_v_proj = np.swapaxes(pattern, -1, -2) @ d_z  # [..., head, key_pos, d_v]
    row_dot = (d_pattern * pattern).sum(axis=-1, keepdims=True)  # [..., head, query_pos, 1]
    d_scaled = pattern * (d_pattern - row_dot)  # [..., head, query_pos, key_pos]  0 where masked
    d_scores = d_scaled / (math.sqrt(weights.d_k) * trace.temperature)  # [..., head, query_pos, key_pos]
    d_q = d_scores @ trace.k  # [..., head, query_pos, d_k]
    d_k = np.swapaxes(d_scores, -1, -2) @ trace.q  # [..., head, key_pos, d_k]

    # 1) projections: q from x, k and v from x_kv
    dx, dW_Q, db_Q = _project_backward(trace.x, d_q, weights.W_Q)
    dx_kv_k, dW_K, db_K = _project_backward(trace.x_kv, d_k, weights.W_K)
    dx_kv_v, dW_V, db_V = _project_backward(trace.x_kv, d_v_proj, weights.W_V)
    dx_kv = dx_kv_k + dx_kv_v  # [..., key_pos, d_model]
    if not trace.is_cross:
        dx = dx + dx_kv  # [..., pos, d_model]  self-attention: x fed all three projections

    return AttentionGradients(
        x=dx,
        x_kv=dx_kv if trace.is_cross else None,
        W_Q=dW_Q,
        W_K=dW_K,
        W_V=dW_V,
        W_O=dW_O,
        b_Q=db_Q if weights.b_Q is not None else None,
        b_K=db_K if weights.b_K is not None else None,
        b_V=db_V if weights.b_V is not None else None,
        b_O=db_O,
    )
