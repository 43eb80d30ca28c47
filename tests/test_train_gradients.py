"""Every hand-written backward of the training code against central finite differences, in float64.

For a scalar loss L(θ) the check is, entry by entry, ∂L/∂θ ≈ (L(θ + ε) − L(θ − ε)) / 2ε with ε = 1e-6; the
error of that estimate is O(ε²), so in float64 the two agree to about 1e-8 relative. The losses are
``sum(R * output)`` with a fixed random R (its gradient with respect to the output is R), or the model's
cross-entropy.
"""

import numpy as np
import pytest

from attention_core.attention import causal_mask, multi_head_attention
from attention_core.models.config import ModelConfig
from attention_core.models.layers import gelu_tanh, layer_norm_forward, mlp_forward
from attention_core.train.attention_backward import multi_head_attention_backward
from attention_core.train.backward import (
    embedding_backward,
    layer_norm_backward,
    mlp_backward,
    unembed_cross_entropy,
)
from attention_core.train.model import init_params, loss, loss_and_grads
from attention_core.weights import AttentionWeights


def embedding_forward(W_E, ids):  # the decoder's embedding is a row lookup
    return W_E[ids]


def gelu(x):  # the tanh GELU with its derivative, as the MLP's backward uses it
    return gelu_tanh(x, slope=True)


EPS = 1e-6
TOLERANCE = 1e-6  # max |analytic - numeric| / max |numeric|
FLOOR = 1e-8  # for gradients that are exactly 0 (b_K): the numeric one is rounding noise, ~1e-16 · L / EPS


def numeric_gradient(f, array):
    """Central differences of the scalar f() with respect to every entry of ``array`` (changed in place)."""
    grad = np.zeros_like(array)
    flat, flat_grad = array.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + EPS
        plus = f()
        flat[i] = saved - EPS
        minus = f()
        flat[i] = saved
        flat_grad[i] = (plus - minus) / (2 * EPS)
    return grad


def assert_close(analytic, numeric):
    scale = max(np.abs(numeric).max(), 1e-12)
    assert analytic.shape == numeric.shape
    assert np.abs(analytic - numeric).max() < TOLERANCE * scale + FLOOR


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def test_embedding(rng):
    W_E = rng.standard_normal((11, 5))
    ids = np.array([[1, 3, 3, 0], [10, 1, 3, 7]])  # repeated ids must add up
    R = rng.standard_normal((2, 4, 5))
    numeric = numeric_gradient(lambda: float((R * embedding_forward(W_E, ids)).sum()), W_E)
    assert_close(embedding_backward(R, ids, 11), numeric)


def test_layer_norm(rng):
    x, w, b = rng.standard_normal((2, 3, 6)), rng.standard_normal(6), rng.standard_normal(6)
    R = rng.standard_normal((2, 3, 6))

    def f():
        return float((R * layer_norm_forward(x, w, b)[0]).sum())

    dx, dw, db = layer_norm_backward(R, layer_norm_forward(x, w, b)[1])
    assert_close(dx, numeric_gradient(f, x))
    assert_close(dw, numeric_gradient(f, w))
    assert_close(db, numeric_gradient(f, b))


def test_gelu_slope():
    x = np.linspace(-6, 6, 241)
    numeric = (gelu(x + EPS)[0] - gelu(x - EPS)[0]) / (2 * EPS)
    assert np.abs(gelu(x)[1] - numeric).max() < 1e-8
    assert gelu(np.array([0.0]))[0][0] == 0.0
    assert gelu(np.array([10.0]))[0][0] == pytest.approx(10.0)


def test_mlp(rng):
    x = rng.standard_normal((2, 3, 4))
    W_in, b_in = rng.standard_normal((4, 7)), rng.standard_normal(7)
    W_out, b_out = rng.standard_normal((7, 4)), rng.standard_normal(4)
    R = rng.standard_normal((2, 3, 4))

    def f():
        return float((R * mlp_forward(x, W_in, b_in, W_out, b_out)[0]).sum())

    grads = mlp_backward(R, mlp_forward(x, W_in, b_in, W_out, b_out)[1], W_in, W_out)
    for analytic, array in zip(grads, (x, W_in, b_in, W_out, b_out), strict=True):
        assert_close(analytic, numeric_gradient(f, array))


def test_unembed_cross_entropy(rng, monkeypatch):
    monkeypatch.setattr("attention_core.train.backward.CHUNK_ROWS", 4)  # several chunks: the sum over chunks
    h, W_E = rng.standard_normal((2, 5, 6)), rng.standard_normal((13, 6))
    targets = rng.integers(0, 13, (2, 5))
    value, dh, dW_E = unembed_cross_entropy(h, W_E, targets)
    logits = h @ W_E.T
    log_softmax = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    expected = -np.take_along_axis(log_softmax, targets[..., None], -1).mean()
    assert value == pytest.approx(expected, rel=1e-12)

    def f():
        return unembed_cross_entropy(h, W_E, targets, need_grad=False)[0]

    assert_close(dh, numeric_gradient(f, h))
    assert_close(dW_E, numeric_gradient(f, W_E))


def attention_weights(rng, n_heads, d_model, d_k, d_v, biases):
    def normal(*shape):
        return rng.standard_normal(shape) * 0.7

    extra = {}
    if biases:
        extra = {"b_Q": normal(n_heads, d_k), "b_K": normal(n_heads, d_k), "b_V": normal(n_heads, d_v)}
        extra["b_O"] = normal(d_model)
    return AttentionWeights(
        W_Q=normal(n_heads, d_model, d_k),
        W_K=normal(n_heads, d_model, d_k),
        W_V=normal(n_heads, d_model, d_v),
        W_O=normal(n_heads * d_v, d_model),
        **extra,
    )


@pytest.mark.parametrize(
    ("biases", "mask_kind", "temperature"),
    [(False, "causal", 1.0), (True, "causal", 1.0), (True, "ragged", 0.7), (False, None, 1.3)],
)
def test_self_attention(rng, biases, mask_kind, temperature):
    """x and every projection, with and without biases, under the causal mask, a mask with a row that may
    attend to nothing (its output must be b_O only, and gradients must stay finite), and no mask."""
    n_pos, d_model = 5, 6
    weights = attention_weights(rng, 3, d_model, 2, 4, biases)  # d_v ≠ d_k on purpose
    x = rng.standard_normal((2, n_pos, d_model))  # a batch of two sequences
    mask = None
    if mask_kind == "causal":
        mask = causal_mask(n_pos)
    elif mask_kind == "ragged":
        mask = causal_mask(n_pos) & (rng.random((n_pos, n_pos)) < 0.7)
        mask[2] = False  # a query allowed to see nothing
    R = rng.standard_normal((2, n_pos, d_model))

    def f():
        return float((R * multi_head_attention(x, weights, mask, temperature=temperature).out).sum())

    grads = multi_head_attention_backward(R, multi_head_attention(x, weights, mask, temperature=temperature))
    assert grads.x_kv is None
    assert_close(grads.x, numeric_gradient(f, x))
    for name in ("W_Q", "W_K", "W_V", "W_O", "b_Q", "b_K", "b_V", "b_O"):
        if getattr(weights, name) is None:
            assert getattr(grads, name) is None
        else:
            assert_close(getattr(grads, name), numeric_gradient(f, getattr(weights, name)))
    assert np.isfinite(grads.x).all()
    if biases:  # a key bias adds q·b_K to a whole row of scores; softmax ignores that: no gradient at all
        assert np.abs(grads.b_K).max() < 1e-12


def test_cross_attention(rng):
    """Queries from x, keys and values from x_kv: the two inputs get separate gradients."""
    weights = attention_weights(rng, 2, 4, 3, 3, biases=True)
    x, x_kv = rng.standard_normal((3, 4)), rng.standard_normal((5, 4))
    R = rng.standard_normal((3, 4))

    def f():
        return float((R * multi_head_attention(x, weights, x_kv=x_kv).out).sum())

    grads = multi_head_attention_backward(R, multi_head_attention(x, weights, x_kv=x_kv))
    assert_close(grads.x, numeric_gradient(f, x))
    assert_close(grads.x_kv, numeric_gradient(f, x_kv))
    assert_close(grads.W_K, numeric_gradient(f, weights.W_K))


@pytest.mark.parametrize(
    "config",
    [
        ModelConfig(d_vocab=17, n_ctx=6, d_model=8, n_heads=2, n_layers=2, d_mlp=12, positions="learned"),
        ModelConfig(
            d_vocab=17,
            n_ctx=6,
            d_model=6,
            n_heads=3,
            d_k=3,
            d_v=4,
            n_layers=2,
            d_mlp=0,
            positions="sinusoidal",
        ),
    ],
    ids=["learned+mlp", "sinusoidal+attention-only"],
)
def test_whole_model(rng, config):
    """End to end, every parameter: embedding (tied: input and output), positions, both blocks, final LN."""
    params = init_params(config, seed=3, dtype=np.float64)
    for p in params.values():
        p += rng.normal(0.0, 0.3, p.shape)  # away from the initialisation's symmetric point
    ids = rng.integers(0, config.d_vocab, (2, 5))  # 5 < n_ctx: positions beyond the input get no gradient
    targets = rng.integers(0, config.d_vocab, (2, 5))
    value, grads = loss_and_grads(params, config, ids, targets)
    assert value == pytest.approx(loss(params, config, ids, targets), rel=1e-12)
    assert set(grads) == set(params)
    for name, p in params.items():
        assert grads[name].dtype == np.float64
        assert_close(grads[name], numeric_gradient(lambda: loss(params, config, ids, targets), p))
