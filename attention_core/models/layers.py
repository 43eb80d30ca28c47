r"""The pieces of a transformer block besides attention: layer norm and the two GELUs.

Every function works elementwise over the last axis (or elementwise), on arrays of any leading shape, in
the dtype it is given (float32 for the pretrained models, like the original frameworks).
"""

from __future__ import annotations

import math
from collections.abc import Callable
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

# float32: erf(x) ≈ x · P(x²) / Q(x²) on |x| ≤ 4, fitted by scripts/fit_erf_float32.py (|error| ≤ 6e-8
# in exact arithmetic, ≤ 4e-7 evaluated in float32). Past 4, erf is ±1 in float32.
_ERF32_P = (1.9216839767765537e-08, -1.9902873359229459e-06, 0.00015553416235395892,
            0.0042929949749725442, 0.052433343631866122, 0.21394372606380754, 1.1283786773694391)  # fmt: skip
_ERF32_Q = (0.0010980194655625273, 0.01555099804157278, 0.1207992197486169, 0.52293034831043383, 1.0)
_ERF32_IS_ONE_BEYOND = 4.0


def layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    r"""Normalize each vector to mean 0 and variance 1, then scale and shift.

    .. math::
        \mathrm{LN}(x) = \frac{x - \mu}{\sqrt{\sigma^2 + \varepsilon}} \odot w + b, \qquad
        \mu = \tfrac{1}{d}\textstyle\sum_i x_i, \quad \sigma^2 = \tfrac{1}{d}\sum_i (x_i - \mu)^2

    (the biased variance, as PyTorch's ``LayerNorm``). x: [..., d_model]; w, b: [d_model].
    """
    normed = x - x.mean(axis=-1, keepdims=True)  # [..., d_model]  centred; then in place:
    normed /= np.sqrt(np.mean(np.square(normed), axis=-1, keepdims=True) + eps)  # ÷ √(σ² + ε)
    normed *= w
    normed += b
    return normed


def erf(x: np.ndarray) -> np.ndarray:
    r"""The error function, vectorised (NumPy has none), as accurate as the dtype of ``x`` allows.

    .. math::
        \mathrm{erf}(x) = \frac{2}{\sqrt{\pi}} \int_0^x e^{-t^2}\, dt

    float64 (and anything not float32): Cody's rational approximations, |error| ≈ 2e-16. Near zero
    (|x| < 0.46875), erf(x) ≈ x · P(x²)/Q(x²); elsewhere erf(x) = sign(x) · (1 − erfc(|x|)) with
    erfc(a) ≈ e^{-a²} · P(a)/Q(a). Cody fitted the second one for a ≤ 4; it stays as accurate for every
    larger a (the tests check it against ``math.erf``). It is computed for every element first, then
    the elements near zero are replaced: indexing only those is faster than evaluating both everywhere.

    float32 (the pretrained models): float32 keeps 7 digits, so one shorter formula suffices,
    erf(x) ≈ x · P(x²)/Q(x²) for |x| ≤ 4 (|error| ≤ 4e-7, like PyTorch's own float32 erf), about three
    times faster than Cody's in float32: it is most of the cost of the GELU in every layer.

    x: any shape; returns the same shape and dtype.
    """
    x = np.asarray(x)
    if x.dtype == np.float32:
        return _erf_float32(x)
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


def _erf_float32(x: np.ndarray) -> np.ndarray:
    """erf(x) ≈ x · P(x²) / Q(x²), x clipped to [-4, 4]; float32 in and out."""
    x = np.clip(x, -_ERF32_IS_ONE_BEYOND, _ERF32_IS_ONE_BEYOND)  # [...]
    x2 = x * x  # [...]
    result = _polyval(_ERF32_P, x2)  # [...]
    result *= x
    result /= _polyval(_ERF32_Q, x2)
    return result


def _polyval(coefficients: tuple[float, ...], t: np.ndarray) -> np.ndarray:
    """c₀ tⁿ + c₁ tⁿ⁻¹ + … + cₙ by Horner's rule, in the dtype of t (in place: no temporary arrays)."""
    total = coefficients[0] * t  # [...]
    total += coefficients[1]
    for c in coefficients[2:]:
        total *= t
        total += c
    return total


def gelu(x: np.ndarray) -> np.ndarray:
    r"""The exact GELU of BERT: x times the standard normal CDF of x.

    .. math::
        \mathrm{GELU}(x) = x\,\Phi(x) = \tfrac{1}{2}\, x \left(1 + \mathrm{erf}(x / \sqrt{2})\right)
    """
    result = erf(x * (1 / math.sqrt(2)))  # [...]  then in place: (1 + erf) / 2 = Φ(x), times x
    result += 1
    result *= 0.5
    result *= x
    return result


def gelu_new(x: np.ndarray) -> np.ndarray:
    r"""GPT-2's GELU, the tanh approximation (``gelu_new`` in transformers).

    .. math::
        \mathrm{GELU}_{\tanh}(x)
        = \tfrac{1}{2}\, x \left(1 + \tanh\!\left(\sqrt{2/\pi}\,(x + 0.044715\, x^3)\right)\right)
    """
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * (x * x * x))))  # [...]


@dataclass(frozen=True)
class LayerNorm:
    """A LayerNorm's gain ``w`` [d_model], bias ``b`` [d_model] and epsilon; call it on x [..., d_model]."""

    w: np.ndarray
    b: np.ndarray
    eps: float

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return layer_norm(x, self.w, self.b, self.eps)  # [..., d_model]


@dataclass(frozen=True)
class MLP:
    r"""The feed-forward half of a block, applied to each position on its own.

    .. math::
        \mathrm{MLP}(x) = \mathrm{act}(x W_{in} + b_{in})\, W_{out} + b_{out}

    W_in: [d_model, d_mlp]; b_in: [d_mlp]; W_out: [d_mlp, d_model]; b_out: [d_model].
    """

    W_in: np.ndarray
    b_in: np.ndarray
    W_out: np.ndarray
    b_out: np.ndarray
    act: Callable[[np.ndarray], np.ndarray]

    def __call__(self, x: np.ndarray) -> np.ndarray:
        pre = x @ self.W_in  # [..., d_mlp]
        pre += self.b_in
        out = self.act(pre) @ self.W_out  # [..., d_model]
        out += self.b_out
        return out
