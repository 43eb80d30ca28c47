r"""The pieces of the language model other than attention, each as a forward and its backward.

Every ``*_forward`` returns its output and a small cache; the matching ``*_backward`` takes the gradient
of the loss with respect to that output (``d_out``, same shape) and returns the gradients of the inputs
and parameters. Arrays may carry leading batch axes (``...``); shapes name the axes of one sequence.
The arithmetic follows the dtype of the inputs: float32 for training, float64 for the gradient checks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# ---------------------------------------------------------------------------------------------------------
# Token embedding (also the tied unembedding, see cross_entropy below) and positions


def embedding_forward(W_E: np.ndarray, ids: np.ndarray) -> np.ndarray:
    r"""Look up one row per token: :math:`e_t = W_E[\mathrm{id}_t]`.

    W_E: [d_vocab, d_model]; ids: int [..., pos]. Returns [..., pos, d_model].
    """
    return W_E[ids]  # [..., pos, d_model]


def embedding_backward(d_out: np.ndarray, ids: np.ndarray, d_vocab: int) -> np.ndarray:
    r"""A row of ``W_E`` gets the sum of the gradients of every position that looked it up:
    :math:`\partial L / \partial W_E[v] = \sum_{t:\,\mathrm{id}_t = v} \partial L / \partial e_t`.

    d_out: [..., pos, d_model]; ids: int [..., pos]. Returns dW_E [d_vocab, d_model].
    """
    d_model = d_out.shape[-1]
    dW_E = np.zeros((d_vocab, d_model), dtype=d_out.dtype)  # [d_vocab, d_model]
    np.add.at(dW_E, ids.reshape(-1), d_out.reshape(-1, d_model))  # repeated ids add up
    return dW_E


def sinusoidal_positions(n_ctx: int, d_model: int) -> np.ndarray:
    r"""The fixed position table of Vaswani et al. (2017), nothing to learn:

    .. math::
        P_{t, 2i} = \sin(t / 10000^{2i/d}), \qquad P_{t, 2i+1} = \cos(t / 10000^{2i/d})

    Returns float64 [n_ctx, d_model].
    """
    position = np.arange(n_ctx)[:, None]  # [n_ctx, 1]
    frequency = 10000.0 ** (-np.arange(0, d_model, 2) / d_model)  # [ceil(d_model / 2)]
    table = np.zeros((n_ctx, d_model))  # [n_ctx, d_model]
    table[:, 0::2] = np.sin(position * frequency)  # [n_ctx, ceil(d_model / 2)]
    table[:, 1::2] = np.cos(position * frequency[: d_model // 2])  # [n_ctx, d_model // 2]
    return table


# ---------------------------------------------------------------------------------------------------------
# LayerNorm


@dataclass(frozen=True)
class LayerNormCache:
    x_hat: np.ndarray  # [..., pos, d_model]  the normalised input
    inv_std: np.ndarray  # [..., pos, 1]  1 / sqrt(var + eps)
    w: np.ndarray  # [d_model]


def layer_norm_forward(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float = 1e-5
) -> tuple[np.ndarray, LayerNormCache]:
    r"""Normalise each vector to mean 0 and variance 1, then scale and shift:

    .. math::
        \mu = \tfrac1d \sum_c x_c, \quad \sigma^2 = \tfrac1d \sum_c (x_c - \mu)^2, \quad
        \hat x = \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}}, \quad y = w \odot \hat x + b

    x: [..., pos, d_model]; w, b: [d_model]. Returns y [..., pos, d_model].
    """
    mean = x.mean(axis=-1, keepdims=True)  # [..., pos, 1]
    centred = x - mean  # [..., pos, d_model]
    variance = (centred * centred).mean(axis=-1, keepdims=True)  # [..., pos, 1]
    inv_std = 1.0 / np.sqrt(variance + eps)  # [..., pos, 1]
    x_hat = centred * inv_std  # [..., pos, d_model]
    y = x_hat * w + b  # [..., pos, d_model]
    return y, LayerNormCache(x_hat=x_hat, inv_std=inv_std, w=w)


def layer_norm_backward(
    d_out: np.ndarray, cache: LayerNormCache
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Gradients of LayerNorm. With :math:`g = \partial L/\partial \hat x = w \odot \partial L/\partial y`:

    .. math::
        \frac{\partial L}{\partial x} = \frac{1}{\sqrt{\sigma^2+\epsilon}}
            \left(g - \overline{g} - \hat x \,\overline{g \odot \hat x}\right), \qquad
        \frac{\partial L}{\partial w} = \sum \frac{\partial L}{\partial y} \odot \hat x, \qquad
        \frac{\partial L}{\partial b} = \sum \frac{\partial L}{\partial y}

    (bars are means over d_model; the sums run over every position). Returns dx, dw, db.
    """
    d_model = d_out.shape[-1]
    dw = (d_out * cache.x_hat).reshape(-1, d_model).sum(axis=0)  # [d_model]
    db = d_out.reshape(-1, d_model).sum(axis=0)  # [d_model]
    g = d_out * cache.w  # [..., pos, d_model]
    g_mean = g.mean(axis=-1, keepdims=True)  # [..., pos, 1]
    g_x_hat_mean = (g * cache.x_hat).mean(axis=-1, keepdims=True)  # [..., pos, 1]
    dx = cache.inv_std * (g - g_mean - cache.x_hat * g_x_hat_mean)  # [..., pos, d_model]
    return dx, dw, db


# ---------------------------------------------------------------------------------------------------------
# GELU and the MLP

GELU_C = math.sqrt(2.0 / math.pi)


def gelu(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""GELU, tanh form (as in GPT-2), and its derivative:

    .. math::
        u = c\,(x + 0.044715\,x^3),\; c = \sqrt{2/\pi}, \qquad
        \mathrm{GELU}(x) = \tfrac12 x\,(1 + \tanh u), \qquad
        \mathrm{GELU}'(x) = \tfrac12 (1 + \tanh u)
            + \tfrac12 x\,(1 - \tanh^2 u)\, c\,(1 + 3 \cdot 0.044715\,x^2)

    Returns (GELU(x), GELU'(x)), both shaped like x.
    """
    x2 = x * x  # [...]
    u = x2 * 0.044715  # [...]  then, in place: u = c (x + 0.044715 x³)
    u += 1.0
    u *= x
    u *= GELU_C
    t = np.tanh(u, out=u)  # [...]  tanh u (reuses u's memory)
    half_one_plus_t = 0.5 * (1.0 + t)  # [...]
    value = x * half_one_plus_t  # [...]
    slope = 1.0 - t * t  # [...]  then, in place: ½ x (1 - t²) c (1 + 3·0.044715 x²) + ½ (1 + t)
    x2 *= 3 * 0.044715
    x2 += 1.0
    slope *= x2
    slope *= x
    slope *= 0.5 * GELU_C
    slope += half_one_plus_t
    return value, slope


@dataclass(frozen=True)
class MLPCache:
    x: np.ndarray  # [..., pos, d_model]
    act: np.ndarray  # [..., pos, d_mlp]  GELU(pre)
    slope: np.ndarray  # [..., pos, d_mlp]  GELU'(pre)


def mlp_forward(
    x: np.ndarray, W_in: np.ndarray, b_in: np.ndarray, W_out: np.ndarray, b_out: np.ndarray
) -> tuple[np.ndarray, MLPCache]:
    r""":math:`\mathrm{MLP}(x) = \mathrm{GELU}(x W_{in} + b_{in})\, W_{out} + b_{out}`.

    x: [..., pos, d_model]; W_in: [d_model, d_mlp]; b_in: [d_mlp]; W_out: [d_mlp, d_model]; b_out: [d_model].
    """
    pre = x @ W_in + b_in  # [..., pos, d_mlp]
    act, slope = gelu(pre)  # [..., pos, d_mlp] each
    out = act @ W_out + b_out  # [..., pos, d_model]
    return out, MLPCache(x=x, act=act, slope=slope)


def mlp_backward(d_out: np.ndarray, cache: MLPCache, W_in: np.ndarray, W_out: np.ndarray) -> tuple:
    r"""Chain rule through the two linear maps and GELU:

    .. math::
        \delta = (\partial L/\partial\,\mathrm{out})\, W_{out}^\top \odot \mathrm{GELU}'(\mathrm{pre}),\quad
        \partial L/\partial x = \delta\, W_{in}^\top,\quad
        \partial L/\partial W_{in} = x^\top \delta,\quad
        \partial L/\partial W_{out} = \mathrm{act}^\top\, \partial L/\partial\,\mathrm{out}

    Returns dx, dW_in, db_in, dW_out, db_out.
    """
    d_model, d_mlp = W_in.shape
    d_out_rows = d_out.reshape(-1, d_model)  # [rows, d_model]  rows = every (batch, pos)
    dW_out = cache.act.reshape(-1, d_mlp).T @ d_out_rows  # [d_mlp, d_model]
    db_out = d_out_rows.sum(axis=0)  # [d_model]
    d_pre = (d_out @ W_out.T) * cache.slope  # [..., pos, d_mlp]
    d_pre_rows = d_pre.reshape(-1, d_mlp)  # [rows, d_mlp]
    dW_in = cache.x.reshape(-1, d_model).T @ d_pre_rows  # [d_model, d_mlp]
    db_in = d_pre_rows.sum(axis=0)  # [d_mlp]
    dx = d_pre @ W_in.T  # [..., pos, d_model]
    return dx, dW_in, db_in, dW_out, db_out


# ---------------------------------------------------------------------------------------------------------
# Tied unembedding + softmax cross-entropy


CHUNK_ROWS = 512  # logits are made 512 rows at a time: [512, d_vocab] float32 stays in cache (16 MB)


def unembed_cross_entropy(
    h: np.ndarray, W_E: np.ndarray, targets: np.ndarray, need_grad: bool = True
) -> tuple[float, np.ndarray | None, np.ndarray | None]:
    r"""Logits through the tied unembedding, and their mean cross-entropy against the next tokens:

    .. math::
        \ell = h\, W_E^\top, \qquad
        L = -\frac1N \sum_t \log \mathrm{softmax}(\ell_t)_{y_t}
          = \frac1N \sum_t \Big(\log \sum_v e^{\ell_{tv} - m_t} - (\ell_{t y_t} - m_t)\Big), \quad
        m_t = \max_v \ell_{tv}

        \frac{\partial L}{\partial \ell_t}
            = \frac1N\left(\mathrm{softmax}(\ell_t) - \mathrm{onehot}(y_t)\right), \qquad
        \frac{\partial L}{\partial h} = \frac{\partial L}{\partial \ell} W_E, \qquad
        \frac{\partial L}{\partial W_E} = \Big(\frac{\partial L}{\partial \ell}\Big)^{\!\top} h

    h: [..., pos, d_model] (after the final LayerNorm); W_E: [d_vocab, d_model]; targets: int [..., pos].
    Returns (loss, dh [..., pos, d_model], dW_E [d_vocab, d_model]); the gradients are None when
    ``need_grad`` is False. The logits are never kept whole: the rows go through in chunks, each chunk's
    logits turned into its softmax and then its gradient in place (the same numbers, less memory traffic).
    """
    d_model = h.shape[-1]
    rows = h.reshape(-1, d_model)  # [N, d_model]  N = every (batch, pos)
    y = targets.reshape(-1)  # [N]
    n = len(y)
    total_loss = 0.0
    dh = np.empty_like(rows) if need_grad else None  # [N, d_model]
    dW_E = np.zeros_like(W_E) if need_grad else None  # [d_vocab, d_model]
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
            dh[start : start + CHUNK_ROWS] = chunk @ W_E  # [c, d_model]
            dW_E += chunk.T @ r  # [d_vocab, d_model]
    if need_grad:
        dh = dh.reshape(h.shape)  # [..., pos, d_model]
    return total_loss / n, dh, dW_E
