"""Property tests of the core (issue 14): for random shapes, magnitudes and masks, the softmax and
multi-head attention give finite numbers, rows that sum to 1, and exactly 0 where a mask forbids.

Hypothesis draws the cases; derandomize=True makes every run (and CI) draw the same ones, and
max_examples keeps the file to a few seconds (no example database: database=None).
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from attention_core.attention import causal_mask, multi_head_attention
from attention_core.softmax import masked_softmax, softmax_steps
from attention_core.weights import AttentionWeights

BOUNDED = settings(max_examples=200, deadline=None, derandomize=True, database=None)

shapes = hnp.array_shapes(min_dims=2, max_dims=4, min_side=1, max_side=7)  # [..., query_pos, key_pos]
floats64 = st.floats(allow_nan=False, allow_infinity=False, width=64)  # any finite value, ±1.8e308
floats32 = st.floats(allow_nan=False, allow_infinity=False, width=32)


def check_pattern(pattern: np.ndarray, mask: np.ndarray) -> None:
    """Finite, in [0, 1], exactly 0 where masked, rows summing to 1 (0 where nothing is allowed)."""
    mask = np.broadcast_to(mask, pattern.shape)
    assert np.isfinite(pattern).all()
    assert (pattern >= 0).all() and (pattern <= 1).all()
    assert (pattern[~mask] == 0).all()
    sums = pattern.sum(axis=-1)
    allowed = mask.any(axis=-1)
    np.testing.assert_allclose(sums[allowed], 1.0, rtol=1e-5 if pattern.dtype == np.float32 else 1e-12)
    assert (sums[~allowed] == 0).all()


@BOUNDED
@given(st.data())
def test_softmax_of_any_finite_scores(data):
    dtype, elements = data.draw(st.sampled_from([(np.float64, floats64), (np.float32, floats32)]))
    shape = data.draw(shapes)
    scaled = data.draw(hnp.arrays(dtype, shape, elements=elements))
    mask = data.draw(hnp.arrays(bool, shape[-2:]))  # [query_pos, key_pos], broadcast over the rest
    with np.errstate(over="ignore"):  # s − max may overflow to −inf for scores 1e308 apart: exp gives 0
        pattern = masked_softmax(scaled.copy(), mask)
    assert pattern.shape == shape and pattern.dtype == dtype
    check_pattern(pattern, mask)


@BOUNDED
@given(
    hnp.arrays(np.float64, st.integers(1, 12), elements=st.floats(-1e6, 1e6)),
    st.data(),
)
def test_softmax_steps_agree_with_the_softmax(row, data):
    allowed = data.draw(hnp.arrays(bool, row.shape))
    steps = softmax_steps(row, allowed)
    np.testing.assert_allclose(steps.pattern, masked_softmax(row[None], allowed[None])[0], atol=1e-12)
    check_pattern(steps.pattern[None], allowed[None])


@st.composite
def attention_inputs(draw, masked_cross: bool = False):
    """Sizes, weights and inputs at a random magnitude (10^-6 .. 10^6), and a mask (``masked_cross``:
    always cross-attention with a random mask)."""
    n_heads, d_model, d_k, d_v = (draw(st.integers(1, 5)) for _ in range(4))
    n_q, n_k = draw(st.integers(1, 8)), draw(st.integers(1, 8))
    cross = masked_cross or draw(st.booleans())
    if not cross:
        n_k = n_q
    scale_x, scale_w = (10.0 ** draw(st.integers(-6, 6)) for _ in range(2))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    weights = AttentionWeights(
        W_Q=rng.normal(0, scale_w, (n_heads, d_model, d_k)),
        W_K=rng.normal(0, scale_w, (n_heads, d_model, d_k)),
        W_V=rng.normal(0, scale_w, (n_heads, d_model, d_v)),
        W_O=rng.normal(0, scale_w, (n_heads * d_v, d_model)),
        b_O=rng.normal(0, scale_w, d_model) if draw(st.booleans()) else None,
    )
    x = rng.normal(0, scale_x, (n_q, d_model))
    x_kv = rng.normal(0, scale_x, (n_k, d_model)) if cross else None
    kind = "random" if masked_cross else draw(st.sampled_from(["none", "causal", "random"]))
    mask = {
        "none": None,
        "causal": causal_mask(n_q) if not cross else None,
        "random": rng.random((n_q, n_k)) < 0.6,
    }[kind]
    temperature = draw(st.floats(0.1, 5.0))
    return weights, x, x_kv, mask, temperature


@BOUNDED
@given(attention_inputs())
def test_multi_head_attention_of_random_sizes_and_magnitudes(inputs):
    weights, x, x_kv, mask, temperature = inputs
    trace = multi_head_attention(x, weights, mask, x_kv, temperature)
    n_q, n_k = x.shape[0], (x if x_kv is None else x_kv).shape[0]
    h, d_v = weights.n_heads, weights.W_V.shape[2]
    assert trace.pattern.shape == (h, n_q, n_k)
    assert trace.out.shape == (n_q, weights.d_model) and trace.concat.shape == (n_q, h * d_v)
    allowed = np.ones((n_q, n_k), dtype=bool) if mask is None else mask
    check_pattern(trace.pattern, allowed)
    for name in ("q", "k", "v", "scores", "scaled", "z", "concat", "out"):
        assert np.isfinite(getattr(trace, name)).all(), name
    np.testing.assert_allclose(trace.z, trace.pattern @ trace.v, rtol=1e-9, atol=1e-300)


@BOUNDED
@given(attention_inputs(masked_cross=True))
def test_a_masked_key_changes_nothing_for_that_query(inputs):
    """Cross-attention: moving a key/value input that query i may not see leaves row i of the pattern
    and of z as they were (the masked key gets exactly 0)."""
    weights, x, x_kv, mask, temperature = inputs
    assume(not mask.all())  # some key is masked
    query, key = np.argwhere(~mask)[0]
    trace = multi_head_attention(x, weights, mask, x_kv, temperature)
    moved = x_kv.copy()
    moved[key] += 10.0 * (np.abs(x_kv).max() + 1)
    again = multi_head_attention(x, weights, mask, moved, temperature)
    assert (again.pattern[:, query, key] == 0).all()
    np.testing.assert_array_equal(again.pattern[:, query], trace.pattern[:, query])
    np.testing.assert_allclose(again.z[:, query], trace.z[:, query], rtol=1e-12, atol=0)
