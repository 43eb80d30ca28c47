"""Token vectors for the teaching model: a seeded random embedding (the positions it adds are
``attention_core.models.layers.sinusoidal_positions``, the one table every model uses)."""

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
