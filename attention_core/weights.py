"""The parameters of one multi-head attention layer, and seeded random ones for the teaching model."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from attention_core.config import AttentionConfig


@dataclass(frozen=True)
class AttentionWeights:
    """Per-head projections, multiplied on the right (``x @ W_Q[h]``), as in DESIGN.md.

    W_Q, W_K: [head, d_model, d_k]   W_V: [head, d_model, d_v]   W_O: [head * d_v, d_model]
    b_Q, b_K: [head, d_k]   b_V: [head, d_v]   b_O: [d_model]   (biases only where a model has them)
    """

    W_Q: np.ndarray
    W_K: np.ndarray
    W_V: np.ndarray
    W_O: np.ndarray
    b_Q: np.ndarray | None = None
    b_K: np.ndarray | None = None
    b_V: np.ndarray | None = None
    b_O: np.ndarray | None = None

    def __post_init__(self) -> None:
        n_heads, d_model, d_k = self.W_Q.shape
        d_v = self.W_V.shape[2]
        expected = {
            "W_Q": (n_heads, d_model, d_k),
            "W_K": (n_heads, d_model, d_k),
            "W_V": (n_heads, d_model, d_v),
            "W_O": (n_heads * d_v, d_model),
            "b_Q": (n_heads, d_k),
            "b_K": (n_heads, d_k),
            "b_V": (n_heads, d_v),
            "b_O": (d_model,),
        }
        for name, shape in expected.items():
            array = getattr(self, name)
            if array is not None and array.shape != shape:
                raise ValueError(f"{name} has shape {array.shape}, expected {shape}")

    @property
    def n_heads(self) -> int:
        return self.W_Q.shape[0]

    @property
    def d_model(self) -> int:
        return self.W_Q.shape[1]

    @property
    def d_k(self) -> int:
        return self.W_Q.shape[2]

    @property
    def d_v(self) -> int:
        return self.W_V.shape[2]


def seeded_weights(config: AttentionConfig) -> AttentionWeights:
    """Random projections, the same for the same config on every machine (NumPy's PCG64 stream).

    Entries are drawn from N(0, 1/d_model) for W_Q, W_K, W_V and N(0, 1/(n_heads·d_v)) for W_O, so a
    projected vector keeps about the size of its input (Glorot-style scaling): the heatmaps then show
    neither all-uniform nor all-one-hot patterns.
    """
    rng = np.random.default_rng([config.seed, 1])  # stream 1: weights (stream 0 is embeddings)
    h, d, d_k, d_v = config.n_heads, config.d_model, config.d_k, config.d_v
    W_Q = rng.standard_normal((h, d, d_k)) / np.sqrt(d)  # [head, d_model, d_k]
    W_K = rng.standard_normal((h, d, d_k)) / np.sqrt(d)  # [head, d_model, d_k]
    W_V = rng.standard_normal((h, d, d_v)) / np.sqrt(d)  # [head, d_model, d_v]
    W_O = rng.standard_normal((h * d_v, d)) / np.sqrt(h * d_v)  # [head * d_v, d_model]
    return AttentionWeights(W_Q=W_Q, W_K=W_K, W_V=W_V, W_O=W_O)
