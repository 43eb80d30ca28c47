r"""The backward passes of training, for the forward passes of ``attention_core/models``: the embedding,
LayerNorm and the MLP (``models/layers.py``), and the loss through the tied unembedding. The attention
layer's backward is in ``attention_backward.py``.

Each ``*_backward`` takes the gradient of the loss with respect to a forward's output (``gragrad_out``, same
shape) and that forward's cache, and returns the gradients of its inputs and parameters. Arrays may carry
leading batch axes (``...``); shapes name the axes of one sequence. The arithmetic follows the dtype of the
inputs: float32 for training, float64 for the gradient checks.
"""

from __future__ import annotations

import numpy as np

from attention_core.models.layers import LayerNormCache, MLPCache


def embedding_backward(grad_out: np.ndarray, ids: np.ndarray, d_vocab: int) -> np.ndarray:
    r"""A row of ``W_E`` gets the sum of the gradients of every position that looked it up:
    :math:`\partial L / \partial W_E[v] = \sum_{t:\,\mathrm{id}_t = v} \partial L / \partial e_t`.

    grad_out: [..., pos, d_model]; ids: int [..., pos]. Returns grad_W_E [d_vocab, d_model].
    """
    d_model = grad_out.shape[-1]
    grad_W_E = np.zeros((d_vocab, d_model), dtype=grad_out.dtype)  # [d_vocab, d_model]
    np.add.at(grad_W_E, ids.reshape(-1), grad_out.reshape(-1, d_model))  # repeated ids add up
    return grad_W_E


def layer_norm_backward(
    grad_out: np.ndarray, cache: LayerNormCache
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Gradients of LayerNorm. With :math:`g = \partial L/\partial \hat x = w \odot \partial L/\partial y`:

    .. math::
        \frac{\partial L}{\partial x} = \frac{1}{\sqrt{\sigma^2+\epsilon}}
            \left(g - \overline{g} - \hat x \,\overline{g \odot \hat x}\right), \qquad
        \frac{\partial L}{\partial w} = \sum \frac{\partial L}{\partial y} \odot \hat x, \qquad
        \frac{\partial L}{\partial b} = \sum \frac{\partial L}{\partial y}

    (bars are means over d_model; the sums run over every position). Returns grad_x, grad_w, grad_b.
    """
    d_model = grad_out.shape[-1]
    grad_w = (grad_out * cache.x_hat).reshape(-1, d_model).sum(axis=0)  # [d_model]
    grad_b = grad_out.reshape(-1, d_model).sum(axis=0)  # [d_model]
    g = grad_out * cache.w  # [..., pos, d_model]
    g_mean = g.mean(axis=-1, keepdims=True)  # [..., pos, 1]
    g_x_hat_mean = (g * cache.x_hat).mean(axis=-1, keepdims=True)  # [..., pos, 1]
    grad_x = cache.inv_std * (g - g_mean - cache.x_hat * g_x_hat_mean)  # [..., pos, d_model]
    return grad_x, grad_w, grad_b


def mlp_backward(grad_out: np.ndarray, cache: MLPCache, W_in: np.ndarray, W_out: np.ndarray) -> tuple:
    r"""Chain rule through the two linear maps and GELU:

    .. math::
        \delta = (\partial L/\partial\,\mathrm{out})\, W_{out}^\top \odot \mathrm{GELU}'(\mathrm{pre}),\quad
        \partial L/\partial x = \delta\, W_{in}^\top,\quad
        \partial L/\partial W_{in} = x^\top \delta,\quad
        \partial L/\partial W_{out} = \mathrm{act}^\top\, \partial L/\partial\,\mathrm{out}

    Returns grad_x, grad_W_in, grad_b_in, grad_W_out, grad_b_out.
    """
    d_model, d_mlp = W_in.shape
    gragrad_out_rows = grad_out.reshape(-1, d_model)  # [rows, d_model]  rows = every (batch, pos)
    grad_W_out = cache.act.reshape(-1, d_mlp).T @ gragrad_out_rows  # [d_mlp, d_model]
    grad_b_out = gragrad_out_rows.sum(axis=0)  # [d_model]
    grad_pre = (grad_out @ W_out.T) * cache.slope  # [..., pos, d_mlp]
    gragrad_pre_rows = grad_pre.reshape(-1, d_mlp)  # [rows, d_mlp]
    grad_W_in = cache.x.reshape(-1, d_model).T @ gragrad_pre_rows  # [d_model, d_mlp]
    grad_b_in = gragrad_pre_rows.sum(axis=0)  # [d_mlp]
    grad_x = grad_pre @ W_in.T  # [..., pos, d_model]
    return grad_x, grad_W_in, grad_b_in, grad_W_out, grad_b_out


CHUNK_ROWS = 512  # logits are made 512 rows at a time: [512, d_vocab] float32 stays in cache (16 MB)


def unembed_cross_entropy(
    final: np.ndarray, W_E: np.ndarray, targets: np.ndarray, need_grad: bool = True
) -> tuple[float, np.ndarray | None, np.ndarray | None]:
    r"""Logits through the tied unembedding, and their mean cross-entropy against the next tokens:

    .. math::
        \ell = x_f\, W_E^\top, \qquad
        L = -\frac1N \sum_t \log \mathrm{softmax}(\ell_t)_{y_t}
          = \frac1N \sum_t \Big(\log \sum_v e^{\ell_{tv} - m_t} - (\ell_{t y_t} - m_t)\Big), \quad
        m_t = \max_v \ell_{tv}

        \frac{\partial L}{\partial \ell_t}
            = \frac1N\left(\mathrm{softmax}(\ell_t) - \mathrm{onehot}(y_t)\right), \qquad
        \frac{\partial L}{\partial x_f} = \frac{\partial L}{\partial \ell} W_E, \qquad
        \frac{\partial L}{\partial W_E} = \Big(\frac{\partial L}{\partial \ell}\Big)^{\!\top} x_f

    final: [..., pos, d_model] (x_f, the residual stream after the final LayerNorm);
    W_E: [d_vocab, d_model]; targets: int [..., pos].
    Returns (loss, grad_final [..., pos, d_model], grad_W_E [d_vocab, d_model]); the gradients are None when
    ``need_grad`` is False. The logits are never kept whole: the rows go through in chunks, each chunk's
    logits turned into its softmax and then its gradient in place (the same numbers as
    ``attention_core.softmax``'s, computed where they are needed: a [512, 8000] chunk instead of the
    whole [batch · pos, 8000] logits, and no second pass for the gradient).
    """
    d_model = final.shape[-1]
    rows = final.reshape(-1, d_model)  # [N, d_model]  N = every (batch, pos)
    y = targets.reshape(-1)  # [N]
    n = len(y)
    total_loss = 0.0
    grad_final = np.empty_like(rows) if need_grad else None  # [N, d_model]
    grad_W_E = np.zeros_like(W_E) if need_grad else None  # [d_vocab, d_model]
    for start in range(0, n, CHUNK_ROWS):
        r = rows[start : start + CHUNK_ROWS]  # [c, d_model]
        y_c = y[start : start + CHUNK_ROWS]  # [c]
        picked = (np.arange(len(y_c)), y_c)
        chunk = r @ W_E.T  # [c, d_vocab]  logits
        chunk -= chunk.max(axis=-1, keepdims=True)  # [c, d_vocab]  minus the row max: exp cannot overflow
        target_logit = chunk[picked].astype(np.float64)  # [c]
        np.exp(chunk, out=chunk)  # [c, d_vocab]  unnormalised probabilities
        row_sum = chunk.sum(axis=-1, dtype=np.float64)  # [c]
        total_loss += float((np.log(row_sum) - target_logit).sum())
        if need_grad:
            chunk *= (1.0 / (row_sum * n)).astype(chunk.dtype)[:, None]  # [c, d_vocab]  softmax / N
            chunk[picked] -= 1.0 / n  # [c, d_vocab]  minus onehot / N: now ∂L/∂logits
            grad_final[start : start + CHUNK_ROWS] = chunk @ W_E  # [c, d_model]
            grad_W_E += chunk.T @ r  # [d_vocab, d_model]
    if need_grad:
        grad_final = grad_final.reshape(final.shape)  # [..., pos, d_model]
    return total_loss / n, grad_final, grad_W_E
