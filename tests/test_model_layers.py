"""LayerNorm and the GELUs of the model stack against independent scalar computations (math.erf, loops)."""

import math

import numpy as np
import pytest

from attention_core.models.layers import erf, gelu_exact, gelu_tanh, layer_norm

gelu, gelu_new = gelu_exact, gelu_tanh  # the exact GELU (BERT) and the tanh one (GPT-2)


def wide_range():
    """Every scale where erf changes: tiny, around Cody's split points, the tails, huge, both signs."""
    xs = np.concatenate(
        [
            np.linspace(-7, 7, 20001),
            np.geomspace(1e-300, 1, 500),
            [0.46875, 0.5, 4.0, 5.9, 6.0, 6.1, 26.5, 27.5, 1e10, 1e300, np.finfo(np.float64).max],
        ]
    )
    return np.concatenate([xs, -xs, [0.0]])


def test_erf_matches_math_erf_over_a_wide_range():
    xs = wide_range()
    expected = np.array([math.erf(x) for x in xs])
    assert np.abs(erf(xs) - expected).max() < 1e-12


def test_erf_keeps_relative_accuracy_near_zero():
    xs = np.geomspace(1e-300, 0.46875, 400)
    expected = np.array([math.erf(x) for x in xs])
    np.testing.assert_allclose(erf(xs), expected, rtol=1e-14)
    np.testing.assert_allclose(erf(-xs), -expected, rtol=1e-14)


def test_erf_special_values_shapes_and_dtypes():
    assert erf(np.array([np.inf, -np.inf])).tolist() == [1.0, -1.0]
    assert np.isnan(erf(np.array([np.nan]))[0])
    assert erf(np.zeros((2, 3, 4))).shape == (2, 3, 4)
    assert erf(np.float64(0.5)) == pytest.approx(math.erf(0.5), abs=1e-15)


def test_float32_erf_is_computed_in_float64():
    x32 = np.linspace(-10, 10, 20_001).astype(np.float32)
    got = erf(x32)
    assert got.dtype == np.float32 and got.shape == x32.shape
    expected = np.array([math.erf(x) for x in x32.astype(float)])
    assert np.abs(got - expected).max() <= 6e-8  # rounding to float32, nothing more


def exact_gelu(x: float) -> float:
    """x · Φ(x), with erfc for Φ so that the negative tail keeps its relative accuracy."""
    return x * 0.5 * math.erfc(-x / math.sqrt(2))


def test_gelu_is_x_times_the_normal_cdf():
    xs = np.linspace(-10, 10, 4001)
    expected = np.array([exact_gelu(x) for x in xs])
    np.testing.assert_allclose(gelu(xs), expected, rtol=1e-12, atol=1e-15)


def test_float32_gelu_is_as_accurate_as_float32_allows():
    """Every float32 from -30 to 30 in steps of 3e-5, and the tails out to ±1e30."""
    far = np.geomspace(30, 1e30, 10_000)  # H was fitted on |x| ≤ 6: it must keep Φ at 0 or 1 beyond
    x32 = np.concatenate([np.linspace(-30, 30, 2_000_001), far, -far])
    x32 = x32.astype(np.float32)
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # no warning escapes
        got = gelu(x32)
    assert got.dtype == np.float32 and got.shape == x32.shape
    expected = np.array([exact_gelu(x) for x in x32.astype(float)])
    assert np.abs(got - expected).max() < 7e-7  # PyTorch's own float32 GELU is off by up to 1.2e-6
    big = np.abs(x32) >= 100
    np.testing.assert_allclose(got[big], expected[big], rtol=1e-7, atol=1e-30)  # x, or 0 for x ≪ 0
    tiny = np.geomspace(1e-30, 0.01, 300).astype(np.float32)  # GELU(x) ≈ x/2: relative accuracy near 0
    np.testing.assert_allclose(gelu(tiny), [exact_gelu(x) for x in tiny.astype(float)], rtol=1e-6)
    np.testing.assert_allclose(gelu(-tiny), [exact_gelu(-x) for x in tiny.astype(float)], rtol=1e-6)


def test_gelu_new_is_the_tanh_approximation():
    xs = np.linspace(-10, 10, 4001)
    c = math.sqrt(2 / math.pi)
    expected = np.array([0.5 * x * (1 + math.tanh(c * (x + 0.044715 * x**3))) for x in xs])
    np.testing.assert_allclose(gelu_new(xs), expected, rtol=1e-12, atol=1e-15)
    assert np.abs(gelu_new(xs) - gelu(xs)).max() < 1e-3  # close to the exact GELU, but not equal


def test_layer_norm_matches_a_hand_loop():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 5, 8)) * 4 + 1  # [batch, pos, d_model]
    w, b, eps = rng.standard_normal(8), rng.standard_normal(8), 1e-5
    expected = np.empty_like(x)
    for i in range(3):
        for p in range(5):
            row = list(x[i, p])
            mean = sum(row) / len(row)
            variance = sum((v - mean) ** 2 for v in row) / len(row)  # biased, as PyTorch's LayerNorm
            expected[i, p] = [(v - mean) / math.sqrt(variance + eps) * w[j] + b[j] for j, v in enumerate(row)]
    np.testing.assert_allclose(layer_norm(x, w, b, eps), expected, rtol=1e-12, atol=1e-12)


def test_layer_norm_of_a_constant_vector_is_its_bias():
    x = np.full((2, 4), 3.0)
    w, b = np.ones(4), np.arange(4.0)
    np.testing.assert_allclose(layer_norm(x, w, b, 1e-12), np.broadcast_to(b, (2, 4)))


def test_float32_gelu_of_a_scalar_and_of_an_empty_array():
    assert gelu(np.float32(0.5)) == pytest.approx(exact_gelu(0.5), abs=1e-7)
    assert gelu(np.array(-1.5, dtype=np.float32)).shape == ()
    assert gelu(np.zeros((0, 3), dtype=np.float32)).shape == (0, 3)
