"""Softmax over the last axis, restricted to the allowed positions of a mask."""

from __future__ import annotations

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
    masked = np.where(mask, scaled, -np.inf)  # [..., q, k]
    row_max = masked.max(axis=-1, keepdims=True)  # [..., q, 1]
    row_max = np.where(np.isfinite(row_max), row_max, 0.0)  # [..., q, 1]  (all-masked rows)
    weights = np.exp(masked - row_max)  # [..., q, k]  exp(-inf) = 0 where masked
    total = weights.sum(axis=-1, keepdims=True)  # [..., q, 1]
    return np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)  # [..., q, k]
