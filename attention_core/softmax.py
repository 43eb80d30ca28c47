"""Softmax over the last axis, restricted to the allowed positions of a mask; its steps for one row, as
the self-attention page shows them; and the log-softmax the training reports use."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def masked_softmax(scaled: np.ndarray, mask: np.ndarray) -> np.ndarray:
    r"""Row-wise softmax of ``scaled`` over the positions where ``mask`` is True.

    .. math::
        \mathrm{pattern}_{ij} = \frac{\exp(s_{ij} - m_i)}{\sum_{j' \text{ allowed}} \exp(s_{ij'} - m_i)},
        \qquad m_i = \max_{j \text{ allowed}} s_{ij}

    Subtracting the row maximum ``m_i`` changes nothing mathematically and keeps ``exp`` from
    overflowing. A row where nothing is allowed comes out as zeros, never NaN.

    scaled: [..., query_pos, key_pos]; mask: bool, broadcastable to it. Returns [..., query_pos, key_pos].
    """
    masked = scaled if mask.all() else np.where(mask, scaled, -np.inf)  # [..., q, k]
    row_max = masked.max(axis=-1, keepdims=True)  # [..., q, 1]
    row_max = np.where(np.isfinite(row_max), row_max, 0.0)  # [..., q, 1]  (all-masked rows)
    weights = masked - row_max  # [..., q, k]
    np.exp(weights, out=weights)  # in place: exp(-inf) = 0 where masked
    # the row sums, as dot products with a vector of ones (np.vecdot: 1.3× faster than .sum() at 16
    # keys, 2.5× at 128; bench/small_choices.py)
    total = np.vecdot(weights, np.ones(weights.shape[-1], dtype=weights.dtype))[..., None]  # [..., q, 1]
    weights *= 1 / np.where(total > 0, total, 1.0)  # [..., q, k]  an all-masked row stays 0, not 0/0
    return weights


def log_softmax(logits: np.ndarray) -> np.ndarray:
    r"""Log of the softmax over the last axis, computed stably (no mask: every entry allowed).

    .. math::
        \log \mathrm{softmax}(\ell)_i = (\ell_i - m) - \log \textstyle\sum_j e^{\ell_j - m},
        \qquad m = \max_j \ell_j

    logits: [..., n]. Returns [..., n].
    """
    shifted = logits - logits.max(axis=-1, keepdims=True)  # [..., n]
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))  # [..., n]


@dataclass(frozen=True)
class SoftmaxSteps:
    """One row of :func:`masked_softmax`, step by step: what the self-attention page prints."""

    row_max: float  # m, the largest allowed score (0 when nothing is allowed)
    shifted_exp: np.ndarray  # [key_pos]  exp(s − m) where allowed, 0 where masked
    total: float  # Σ shifted_exp
    pattern: np.ndarray  # [key_pos]  shifted_exp / total (0 everywhere when nothing is allowed)


def softmax_steps(scaled: np.ndarray, allowed: np.ndarray) -> SoftmaxSteps:
    """The formula of :func:`masked_softmax` for one row [key_pos], keeping every intermediate."""
    row_max = float(scaled[allowed].max()) if allowed.any() else 0.0
    shifted_exp = np.where(allowed, np.exp(np.where(allowed, scaled - row_max, 0.0)), 0.0)  # [key_pos]
    total = float(shifted_exp.sum())
    return SoftmaxSteps(row_max, shifted_exp, total, shifted_exp / total if total else shifted_exp)
