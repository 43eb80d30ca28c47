"""Token vectors for the teaching model: a seeded random embedding plus sinusoidal positions."""

from __future__ import annotations

import numpy as np


def seeded_embedding(ids: np.ndarray, d_model: int, seed: int) -> np.ndarray:
    """One N(0, 1) vector per token id; the same id and seed give the same vector on every machine.

    Each id gets its own random stream, keyed by (seed, 0, id) through NumPy's SeedSequence, so a
    token's vector does not depend on the other tokens of the sentence, nor on the vocabulary size.

    ids: int [pos]. Returns [pos, d_model].
    """
    table = {int(i): np.random.default_rng([seed, 0, int(i)]).standard_normal(d_model) for i in set(ids)}
    return np.array([table[int(i)] for i in ids]).reshape(len(ids), d_model)  # [pos, d_model]


def sinusoidal_positions(n_pos: int, d_model: int) -> np.ndarray:
    r"""The fixed positional encoding of Vaswani et al. (2017).

    .. math::
        PE_{p, 2i} = \sin\!\left(p / 10000^{2i/d_{model}}\right), \qquad
        PE_{p, 2i+1} = \cos\!\left(p / 10000^{2i/d_{model}}\right)

    Returns [pos, d_model].
    """
    position = np.arange(n_pos)[:, None]  # [pos, 1]
    two_i = np.arange(0, d_model, 2)  # [ceil(d_model / 2)]
    angle = position / 10000 ** (two_i / d_model)  # [pos, ceil(d_model / 2)]
    pe = np.zeros((n_pos, d_model))  # [pos, d_model]
    pe[:, 0::2] = np.sin(angle)
    pe[:, 1::2] = np.cos(angle[:, : d_model // 2])
    return pe
