r"""The pieces of a transformer block besides attention, one module for every model (the encoder, the
decoder, and the bundled language model while it trains): LayerNorm, the two GELUs (by name), the MLP, and
sinusoidal positions.

Every function works over the last axis (or elementwise), on arrays of any leading shape (batches
included), in the dtype it is given (float32 for the models, float64 in the gradient checks). A forward
that training differentiates returns, beside its output, what its backward needs (``*Cache``; the backward
passes are in ``attention_core/train/backward.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969): the
# coefficients of his SPECFUN routine CALERF (public domain), highest power first.
# Near zero, |x| < 0.46875:  erf(x) ≈ x · P(x²) / Q(x²)
_ERF_NEAR_ZERO_P = (1.85777706184603153e-1, 3.16112374387056560e00, 1.13864154151050156e02,
                    3.77485237685302021e02, 3.20937758913846947e03)  # fmt: skip
_ERF_NEAR_ZERO_Q = (1.0, 2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
                    2.84423683343917062e03)  # fmt: skip
# Away from zero:  erfc(a) ≈ exp(-a²) · P(a) / Q(a)  (fitted on 0.46875 ≤ a ≤ 4; it stays accurate beyond)
_ERFC_P = (2.15311535474403846e-8, 5.64188496988670089e-1, 8.88314979438837594e00,
           6.61191906371416295e01, 2.98635138197400131e02, 8.81952221241769090e02,
           1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03)  # fmt: skip
_ERFC_Q = (1.0, 1.57449261107098347e01, 1.17693950891312499e02,
           5.37181101862009858e02, 1.62138957456669019e03, 3.29079923573345963e03,
           4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03)  # fmt: skip
_NEAR_ZERO = 0.46875
_ERF_IS_ONE_BEYOND = 6.0  # erfc(6) = 2e-17: past 6, erf is ±1 in float64

# float32 GELU: x · σ(x · H(x²)), H fitted by scripts/fit_gelu_float32.py to the log-odds of Φ on |x| ≤ 6
# (|error| ≤ 7e-8 in exact arithmetic, ≤ 6e-7 evaluated in float32), highest power first.
_GELU32_H = (3.627859985869573e-09, -2.6756670529798637e-07, 7.9481478025355651e-06, -0.000110546832302248,
             -6.6053141189881482e-05, 0.072668297726581774, 1.5957685371421864)  # fmt: skip
_GELU32_MINUS_H = tuple(-c for c in _GELU32_H)  # −H: the minus sign of e^{−g} folded in saves a pass
# Past |x| = 6, H only grows (neither H nor its derivative has a positive real root), so |g| stays above 24
# and Φ = σ(g) is 0 or 1 to float32's precision, as it should be: no clipping needed (the tests check up to
# |x| = 1e30).


@dataclass(frozen=True)
class LayerNormCache:
    """What the backward of a LayerNorm needs."""

    x_hat: np.ndarray  # [..., d_model]  the input normalised to mean 0, variance 1
    inv_std: np.ndarray  # [..., 1]  1 / √(σ² + ε)
    w: np.ndarray  # [d_model]


def layer_norm_forward(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float = 1e-5, keep: bool = True
) -> tuple[np.ndarray, LayerNormCache | None]:
    r"""Normalize each vector to mean 0 and variance 1, then scale and shift.

    .. math::
        \mathrm{LN}(x) = \frac{x - \mu}{\sqrt{\sigma^2 + \varepsilon}} \odot w + b, \qquad
        \mu = \tfrac{1}{d}\textstyle\sum_i x_i, \quad \sigma^2 = \tfrac{1}{d}\sum_i (x_i - \mu)^2

    (the biased variance, as PyTorch's ``LayerNorm``). x: [..., d_model]; w, b: [d_model]. Returns
    LN(x) [..., d_model] and, with ``keep``, the cache of its backward (without, the last steps reuse the
    normalised array: one array fewer). The two sums are dot products with a vector of ones and with
    itself (``np.vecdot``), 2.4–3× faster than ``.mean()`` on rows this short (bench/small_choices.py).
    """
    d = x.shape[-1]
    mean = np.vecdot(x, np.ones(d, dtype=x.dtype)) / d  # [...]
    x_hat = x - mean[..., None]  # [..., d_model]  centred; then in place: ÷ √(σ² + ε)
    variance = np.vecdot(x_hat, x_hat) / d  # [...]
    inv_std = (1 / np.sqrt(variance + eps))[..., None]  # [..., 1]
    x_hat *= inv_std
    y = x_hat * w if keep else x_hat  # [..., d_model]  (in place when the cache is not kept)
    if not keep:
        y *= w
    y += b
    return y, LayerNormCache(x_hat=x_hat, inv_std=inv_std, w=w) if keep else None


def layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    """:func:`layer_norm_forward` without its cache. Returns [..., d_model]."""
    return layer_norm_forward(x, w, b, eps, keep=False)[0]


def erf(x: np.ndarray) -> np.ndarray:
    r"""The error function, vectorised (NumPy has none), as accurate as the dtype of ``x`` allows.

    .. math::
        \mathrm{erf}(x) = \frac{2}{\sqrt{\pi}} \int_0^x e^{-t^2}\, dt

    float64 (and anything not float32): Cody's rational approximations, |error| ≈ 2e-16. Near zero
    (|x| < 0.46875), erf(x) ≈ x · P(x²)/Q(x²); elsewhere erf(x) = sign(x) · (1 − erfc(|x|)) with
    erfc(a) ≈ e^{-a²} · P(a)/Q(a). Cody fitted the second one for a ≤ 4; it stays as accurate for every
    larger a (the tests check it against ``math.erf``). It is computed for every element first, then
    the elements near zero are replaced: indexing only those is faster than evaluating both everywhere.

    x: any shape; returns the same shape. float32 input is computed in float64 and returned as float32;
    other floating dtypes are computed in their own.
    """
    x = np.asarray(x)
    if x.dtype == np.float32:
        return erf(x.astype(np.float64)).astype(np.float32)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    a = np.minimum(np.abs(x), _ERF_IS_ONE_BEYOND)  # [...]  (clipped: P and Q would overflow for huge a)
    erfc = np.exp(-(a * a))  # [...]
    erfc *= _polyval(_ERFC_P, a)
    erfc /= _polyval(_ERFC_Q, a)
    result = np.copysign(1 - erfc, x)  # [...]

    flat_x, flat_result = x.reshape(-1), result.reshape(-1)  # [n], the second a view into result
    near_zero = np.flatnonzero(np.abs(flat_x) < _NEAR_ZERO)  # [n_near]  indices
    x_near = flat_x[near_zero]  # [n_near]
    x2 = x_near * x_near  # [n_near]
    flat_result[near_zero] = x_near * _polyval(_ERF_NEAR_ZERO_P, x2) / _polyval(_ERF_NEAR_ZERO_Q, x2)
    return result


def _polyval(coefficients: tuple[float, ...], t: np.ndarray) -> np.ndarray:
    """c₀ tⁿ + c₁ tⁿ⁻¹ + … + cₙ by Horner's rule, in the dtype of t (in place: no temporary arrays)."""
    total = coefficients[0] * t  # [...]
    total += coefficients[1]
    for c in coefficients[2:]:
        total *= t
        total += c
    return total


def gelu_exact(x: np.ndarray) -> np.ndarray:
    r"""The exact GELU of BERT: x times the standard normal CDF of x.

    .. math::
        \mathrm{GELU}(x) = x\,\Phi(x) = \tfrac{1}{2}\, x \left(1 + \mathrm{erf}(x / \sqrt{2})\right)

    float64: through :func:`erf`, as the formula says.

    float32 (the pretrained models): the same function, written with the log-odds of Φ,
    g(x) = ln(Φ(x) / (1 − Φ(x))), so that Φ(x) = σ(g(x)) = 1 / (1 + e^{−g(x)}):

    .. math::
        \mathrm{GELU}(x) = \frac{x}{1 + e^{-g(x)}}, \qquad g(x) \approx x \cdot H(x^2)

    g is odd and smooth (≈ 1.596 x near 0: the well-known shortcut GELU ≈ x σ(1.702 x) is a one-term
    version of it), so H, a polynomial of degree 6, gives it to float32's precision: |error| ≤ 6e-7,
    less than PyTorch's own float32 GELU (1.2e-6). It takes a third fewer passes over the array than
    erf would, and the GELU is the largest cost of a layer after the matrix products.
    """
    x = np.asarray(x)
    if x.dtype == np.float32:
        return _gelu_float32(np.atleast_1d(x)).reshape(x.shape)  # [...]  (a 0-d x is worked on as [1])
    result = erf(x * (1 / math.sqrt(2)))  # [...]  then in place: (1 + erf) / 2 = Φ(x), times x
    result += 1
    result *= 0.5
    result *= x
    return result


def _gelu_float32(x: np.ndarray) -> np.ndarray:
    """x / (1 + exp(−x · H(x²))), float32 in and out, in place after the first array."""
    # Overflows are harmless here: x² = inf makes H = inf, and e^{−g} = inf (for x below about −7, where
    # GELU(x) < 1e-11) makes x / inf = −0.
    with np.errstate(over="ignore"):
        s = x * x  # [...]
        minus_g = _polyval(_GELU32_MINUS_H, s)  # [...]  −H(s), then in place: −g = −x · H(s)
        minus_g *= x
        np.exp(minus_g, out=minus_g)
    minus_g += 1
    return np.divide(x, minus_g, out=minus_g)  # [...]


TANH_C = math.sqrt(2 / math.pi)


def gelu_tanh(x: np.ndarray, slope: bool = False) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    r"""GPT-2's GELU, the tanh approximation (``gelu_new`` in transformers), and, with ``slope``, its
    derivative (what training's backward needs):

    .. math::
        u = c\,(x + 0.044715\,x^3),\; c = \sqrt{2/\pi}, \qquad
        \mathrm{GELU}_{\tanh}(x) = \tfrac12 x\,(1 + \tanh u), \qquad
        \mathrm{GELU}_{\tanh}'(x) = \tfrac12 (1 + \tanh u)
            + \tfrac12 x\,(1 - \tanh^2 u)\, c\,(1 + 3 \cdot 0.044715\,x^2)

    Returns GELU(x), or (GELU(x), GELU'(x)) with ``slope``; both shaped like x.
    """
    x2 = x * x  # [...]
    u = x2 * 0.044715  # [...]  then, in place: u = c (x + 0.044715 x³), then tanh u
    u += 1.0
    u *= x
    u *= TANH_C
    t = np.tanh(u, out=u)  # [...]
    half_one_plus_t = 0.5 * (1.0 + t)  # [...]
    value = x * half_one_plus_t  # [...]
    if not slope:
        return value
    derivative = 1.0 - t * t  # [...]  then, in place: ½ x (1 − t²) c (1 + 3·0.044715 x²) + ½ (1 + t)
    x2 *= 3 * 0.044715
    x2 += 1.0
    derivative *= x2
    derivative *= x
    derivative *= 0.5 * TANH_C
    derivative += half_one_plus_t
    return value, derivative


ACTIVATIONS = {"gelu_exact": gelu_exact, "gelu_tanh": gelu_tanh}  # ModelConfig.activation → function


@dataclass(frozen=True)
class LayerNorm:
    """A LayerNorm's gain ``w`` [d_model], bias ``b`` [d_model] and epsilon; call it on x [..., d_model]."""

    w: np.ndarray
    b: np.ndarray
    eps: float

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return layer_norm(x, self.w, self.b, self.eps)  # [..., d_model]

    def forward(self, x: np.ndarray, keep: bool = True) -> tuple[np.ndarray, LayerNormCache | None]:
        return layer_norm_forward(x, self.w, self.b, self.eps, keep)  # [..., d_model], its cache


@dataclass(frozen=True)
class MLPCache:
    """What the backward of an MLP needs."""

    x: np.ndarray  # [..., d_model]
    act: np.ndarray  # [..., d_mlp]  GELU(pre)
    slope: np.ndarray  # [..., d_mlp]  GELU'(pre)


@dataclass(frozen=True)
class MLP:
    r"""The feed-forward half of a block, applied to each position on its own.

    .. math::
        \mathrm{MLP}(x) = \mathrm{act}(x W_{in} + b_{in})\, W_{out} + b_{out}

    W_in: [d_model, d_mlp]; b_in: [d_mlp]; W_out: [d_mlp, d_model]; b_out: [d_model]; ``activation``: a
    name of ACTIVATIONS.
    """

    W_in: np.ndarray
    b_in: np.ndarray
    W_out: np.ndarray
    b_out: np.ndarray
    activation: str

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x, keep=False)[0]  # [..., d_model]

    def forward(self, x: np.ndarray, keep: bool = True) -> tuple[np.ndarray, MLPCache | None]:
        return mlp_forward(x, self.W_in, self.b_in, self.W_out, self.b_out, self.activation, keep)


def mlp_forward(
    x: np.ndarray,
    W_in: np.ndarray,
    b_in: np.ndarray,
    W_out: np.ndarray,
    b_out: np.ndarray,
    activation: str = "gelu_tanh",
    keep: bool = True,
) -> tuple[np.ndarray, MLPCache | None]:
    """MLP(x) [..., d_model] and, with ``keep``, the cache of its backward (the tanh GELU's only: the
    bundled model is the one model that trains)."""
    pre = x @ W_in  # [..., d_mlp]
    pre += b_in
    if keep:
        act, slope = gelu_tanh(pre, slope=True)  # [..., d_mlp] each
    else:
        act, slope = ACTIVATIONS[activation](pre), None  # [..., d_mlp]
    out = act @ W_out  # [..., d_model]
    out += b_out
    return out, MLPCache(x=x, act=act, slope=slope) if keep else None


def sinusoidal_positions(n_pos: int, d_model: int) -> np.ndarray:
    r"""The fixed positional encoding of Vaswani et al. (2017), nothing to learn.

    .. math::
        PE_{p, 2i} = \sin\!\left(p / 10000^{2i/d_{model}}\right), \qquad
        PE_{p, 2i+1} = \cos\!\left(p / 10000^{2i/d_{model}}\right)

    Returns float64 [pos, d_model].
    """
    position = np.arange(n_pos)[:, None]  # [pos, 1]
    two_i = np.arange(0, d_model, 2)  # [ceil(d_model / 2)]
    angle = position / 10000 ** (two_i / d_model)  # [pos, ceil(d_model / 2)]
    pe = np.zeros((n_pos, d_model))  # [pos, d_model]
    pe[:, 0::2] = np.sin(angle)
    pe[:, 1::2] = np.cos(angle[:, : d_model // 2])
    return pe
