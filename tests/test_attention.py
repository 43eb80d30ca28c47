"""The attention core against an independent loop implementation, a hand-worked case and properties."""

import math

import numpy as np
import pytest

from attention_core import (
    AttentionWeights,
    causal_mask,
    masked_softmax,
    multi_head_attention,
    scaled_dot_product_attention,
)
from tests.naive import naive_multi_head


def random_weights(rng, n_heads, d_model, d_k, d_v, biases=False):
    def normal(*shape):
        return rng.standard_normal(shape)

    return AttentionWeights(
        W_Q=normal(n_heads, d_model, d_k),
        W_K=normal(n_heads, d_model, d_k),
        W_V=normal(n_heads, d_model, d_v),
        W_O=normal(n_heads * d_v, d_model),
        **(
            {"b_Q": normal(n_heads, d_k), "b_K": normal(n_heads, d_k), "b_V": normal(n_heads, d_v)}
            | {"b_O": normal(d_model)}
            if biases
            else {}
        ),
    )


def as_naive(weights):
    biases = None
    if weights.b_Q is not None:
        biases = {name: getattr(weights, name).tolist() for name in ("b_Q", "b_K", "b_V", "b_O")}
    return {
        "W_Q": weights.W_Q.tolist(),
        "W_K": weights.W_K.tolist(),
        "W_V": weights.W_V.tolist(),
        "W_O": weights.W_O.tolist(),
        "biases": biases,
    }


@pytest.mark.parametrize(
    ("n_q", "n_k", "n_heads", "d_model", "d_k", "d_v", "causal", "biases"),
    [
        (5, 5, 2, 6, 3, 3, False, False),
        (6, 6, 3, 4, 8, 8, True, False),  # the seed example's shapes, longer
        (4, 7, 4, 8, 2, 5, False, True),  # cross-attention, d_k != d_v, with biases
        (1, 1, 1, 3, 3, 3, True, True),
    ],
)
def test_matches_naive_loops(n_q, n_k, n_heads, d_model, d_k, d_v, causal, biases):
    rng = np.random.default_rng(7)
    x = rng.standard_normal((n_q, d_model))
    x_kv = x if n_q == n_k else rng.standard_normal((n_k, d_model))
    weights = random_weights(rng, n_heads, d_model, d_k, d_v, biases)
    mask = causal_mask(n_q) if causal else None
    trace = multi_head_attention(x, weights, mask, None if x_kv is x else x_kv)

    allowed = mask.tolist() if causal else [[True] * n_k for _ in range(n_q)]
    expected = naive_multi_head(x.tolist(), x_kv.tolist(), **as_naive(weights), allowed=allowed)
    for name in ("scores", "pattern", "z", "concat", "out"):
        np.testing.assert_allclose(getattr(trace, name), np.array(expected[name]), rtol=1e-10, atol=1e-12)
    assert trace.q.shape == (n_heads, n_q, d_k)
    assert trace.v.shape == (n_heads, n_k, d_v)
    assert trace.concat.shape == (n_q, n_heads * d_v)
    assert trace.out.shape == (n_q, d_model)


def test_hand_worked_two_tokens():
    """x = I₂, one head, every weight the identity: worked out on paper.

    scores = x xᵀ = I; scaled = I/√2; row 0: softmax([1/√2, 0]) = [e^{0.7071}, 1] / (e^{0.7071} + 1)
    = [2.0281150 / 3.0281150, 1 / 3.0281150] = [0.6697615, 0.3302385]; z = pattern · v = pattern (v = I).
    """
    eye = np.eye(2)
    weights = AttentionWeights(W_Q=eye[None], W_K=eye[None], W_V=eye[None], W_O=eye)
    trace = multi_head_attention(eye, weights)
    np.testing.assert_allclose(trace.scores[0], [[1, 0], [0, 1]])
    np.testing.assert_allclose(trace.scaled[0], [[0.7071068, 0], [0, 0.7071068]], atol=1e-7)
    np.testing.assert_allclose(trace.pattern[0], [[0.6697615, 0.3302385], [0.3302385, 0.6697615]], atol=1e-7)
    np.testing.assert_allclose(trace.out, [[0.6697615, 0.3302385], [0.3302385, 0.6697615]], atol=1e-7)


def test_rows_sum_to_one_and_causal_upper_triangle_is_zero():
    rng = np.random.default_rng(0)
    weights = random_weights(rng, 4, 8, 2, 2)
    x = rng.standard_normal((9, 8))
    trace = multi_head_attention(x, weights, causal_mask(9))
    np.testing.assert_allclose(trace.pattern.sum(axis=-1), 1.0, atol=1e-12)
    upper = np.triu(np.ones((9, 9), dtype=bool), k=1)
    assert np.all(trace.pattern[:, upper] == 0.0)
    assert np.all(trace.pattern[:, ~upper] > 0.0)


def test_one_head_is_plain_scaled_dot_product_attention():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((6, 5))
    W_Q, W_K, W_V = (rng.standard_normal((5, 3)) for _ in range(3))
    weights = AttentionWeights(W_Q=W_Q[None], W_K=W_K[None], W_V=W_V[None], W_O=np.eye(3, 5))
    trace = multi_head_attention(x, weights)
    Q, K, V = x @ W_Q, x @ W_K, x @ W_V
    logits = Q @ K.T / math.sqrt(3)
    softmax = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(trace.z[0], softmax @ V, rtol=1e-12)
    np.testing.assert_allclose(trace.out, softmax @ V @ np.eye(3, 5), rtol=1e-12)


def test_permuting_tokens_permutes_outputs():
    rng = np.random.default_rng(2)
    weights = random_weights(rng, 3, 6, 2, 2, biases=True)
    x = rng.standard_normal((7, 6))
    order = rng.permutation(7)
    plain = multi_head_attention(x, weights)
    permuted = multi_head_attention(x[order], weights)
    np.testing.assert_allclose(permuted.out, plain.out[order], rtol=1e-12)
    np.testing.assert_allclose(permuted.pattern, plain.pattern[:, order][:, :, order], rtol=1e-12)


def test_softmax_is_stable_and_fully_masked_rows_are_zero():
    scaled = np.array([[1000.0, 999.0, -1000.0], [5.0, 6.0, 7.0]])  # [q, k]
    mask = np.array([[True, True, False], [False, False, False]])
    pattern = masked_softmax(scaled, mask)
    assert np.all(np.isfinite(pattern))
    e = math.exp(-1)
    np.testing.assert_allclose(pattern[0], [1 / (1 + e), e / (1 + e), 0.0])
    np.testing.assert_array_equal(pattern[1], [0.0, 0.0, 0.0])


def test_temperature_divides_the_scaled_scores():
    rng = np.random.default_rng(3)
    q, k, v = rng.standard_normal((2, 4, 3)), rng.standard_normal((2, 5, 3)), rng.standard_normal((2, 5, 2))
    hot = scaled_dot_product_attention(q, k, v, temperature=2.0)
    np.testing.assert_allclose(hot.scaled, hot.scores / (math.sqrt(3) * 2.0))


def test_leading_batch_axes_match_one_sequence_at_a_time():
    rng = np.random.default_rng(4)
    weights = random_weights(rng, 2, 4, 3, 3, biases=True)
    xs = rng.standard_normal((3, 5, 4))  # [batch, pos, d_model]
    batched = multi_head_attention(xs, weights, causal_mask(5))
    for b in range(3):
        single = multi_head_attention(xs[b], weights, causal_mask(5))
        np.testing.assert_allclose(batched.out[b], single.out, rtol=1e-12)
        np.testing.assert_allclose(batched.pattern[b], single.pattern, rtol=1e-12)


def test_bad_shapes_are_refused_clearly():
    rng = np.random.default_rng(5)
    weights = random_weights(rng, 2, 4, 2, 2)
    with pytest.raises(ValueError, match="d_model = 4"):
        multi_head_attention(np.zeros((3, 5)), weights)
    with pytest.raises(ValueError, match="mask has shape"):
        multi_head_attention(np.zeros((3, 4)), weights, causal_mask(4))
    with pytest.raises(ValueError, match="W_O has shape"):
        AttentionWeights(W_Q=weights.W_Q, W_K=weights.W_K, W_V=weights.W_V, W_O=np.zeros((3, 4)))
