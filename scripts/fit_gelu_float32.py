"""Fit the float32 GELU of attention_core/models/layers.py and print its coefficients.

HAND-RUN ONLY (NumPy and the standard library): the coefficients it prints are pasted into layers.py, and
tests/test_model_layers.py checks the pasted function against ``math.erf``.

    python scripts/fit_gelu_float32.py

Form: GELU(x) = x · Φ(x) = x · σ(g(x)), where σ(t) = 1 / (1 + e^{-t}) and g = ln(Φ / (1 − Φ)) is the
log-odds of the normal CDF, an odd function. We fit g(x) ≈ x · H(x²), H a polynomial of degree 6 in
s = x², on 0 ≤ x ≤ 6 (past 6, Φ is 0 or 1 to float32's precision). The fit is a linearised minimax one:
weighted least squares for H at 40 000 Chebyshev-spaced points, each weighted by how much an error in H
moves GELU there (∂GELU/∂H = x² Φ (1 − Φ)), the weights raised where the error peaks (Lawson), keeping
the best maximum absolute error of GELU seen. Result: |error| ≤ 7e-8 in exact arithmetic, ≤ 6e-7 when
evaluated in float32.
"""

from __future__ import annotations

import math

import numpy as np

DEGREE = 6  # of H, in s = x²
X_MAX = 6.0
ITERATIONS = 400


def fit() -> tuple[float, np.ndarray]:
    angle = np.linspace(0, np.pi, 40_001)[1:]
    x = X_MAX * (1 - np.cos(angle)) / 2  # [n]  Chebyshev spacing: dense near both ends
    phi = np.array([0.5 * math.erfc(-v / math.sqrt(2)) for v in x])  # [n]  Φ(x)
    one_minus_phi = np.array([0.5 * math.erfc(v / math.sqrt(2)) for v in x])  # [n]  1 − Φ(x), no cancellation
    h = np.log(phi / one_minus_phi) / x  # [n]  the target: g(x) / x
    s = x * x  # [n]
    gelu = x * phi  # [n]
    powers = s[:, None] ** np.arange(DEGREE + 1)  # [n, DEGREE + 1]  lowest power first
    sensitivity = x * x * phi * one_minus_phi  # [n]  ∂GELU/∂H
    weight = np.ones_like(s)  # [n]
    best = (math.inf, np.empty(0))
    for _ in range(ITERATIONS):
        A = powers * (sensitivity * weight)[:, None]  # [n, DEGREE + 1]
        norms = np.linalg.norm(A, axis=0)  # [DEGREE + 1]  column scaling for a well-conditioned solve
        coefficients = np.linalg.lstsq(A / norms, h * sensitivity * weight, rcond=None)[0] / norms
        error = x / (1 + np.exp(-x * (powers @ coefficients))) - gelu  # [n]
        worst = float(np.abs(error).max())
        if worst < best[0]:
            best = (worst, coefficients)
        weight = weight * np.sqrt(np.abs(error) / worst) + 1e-3
        weight /= weight.mean()
    return best


def main() -> None:
    worst, coefficients = fit()
    print(f"max |GELU error| in exact arithmetic: {worst:.2e}")
    print("H, highest power first:", ", ".join(f"{c:.17g}" for c in coefficients[::-1]))


if __name__ == "__main__":
    main()
