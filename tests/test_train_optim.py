"""AdamW's weight decay, worked by hand: with a zero gradient Adam's step is 0 and only the decay moves a
weight, θ ← θ − η λ θ."""

import numpy as np

from attention_core.train.optim import AdamW


def params() -> dict[str, np.ndarray]:
    return {
        "embed.W_E": np.full((3, 2), 2.0, dtype=np.float32),
        "blocks.0.mlp.W_in": np.full((2, 2), 2.0, dtype=np.float32),
        "blocks.0.ln1.w": np.full(2, 2.0, dtype=np.float32),
    }


def step_with_zero_gradients(**settings: float) -> dict[str, np.ndarray]:
    p = params()
    optimizer = AdamW.zeros_like(p, **settings)
    optimizer.update(p, {name: np.zeros_like(a) for name, a in p.items()}, lr=0.5)
    return p


def test_decay_shrinks_matrices_but_not_layernorm():
    p = step_with_zero_gradients(weight_decay=0.1)
    assert np.allclose(p["embed.W_E"], 2.0 - 0.5 * 0.1 * 2.0)  # 1.9
    assert np.allclose(p["blocks.0.mlp.W_in"], 1.9)
    assert np.allclose(p["blocks.0.ln1.w"], 2.0)


def test_the_embedding_can_have_its_own_decay():
    p = step_with_zero_gradients(weight_decay=0.1, embed_weight_decay=0.0)
    assert np.allclose(p["embed.W_E"], 2.0)  # rows of pieces a batch did not contain keep their size
    assert np.allclose(p["blocks.0.mlp.W_in"], 1.9)
