"""Fit the float32 error function of attention_core/models/layers.py and print its coefficients.

HAND-RUN ONLY (NumPy and the standard library): the coefficients it prints are pasted into layers.py, and
tests/test_model_layers.py checks the pasted function against ``math.erf``.

    python scripts/fit_erf_float32.py

Form: erf(x) ≈ x · P(x²) / Q(x²) for |x| ≤ 4 (past 4, erf rounds to ±1 in float32), P of degree 6 and
Q of degree 4 with Q(0) = 1: an odd function, exact at 0, accurate relative to erf near 0. The fit is a
linearised minimax one: weighted least squares for P − f·Q (f = erf(x)/x) at 40 000 Chebyshev-spaced
points, the weights divided by the previous Q (Sanathanan-Koerner) and raised where the error peaks
(Lawson), keeping the best maximum absolute error seen. Result: |error| ≤ 6e-8 in exact arithmetic,
≤ 4e-7 when evaluated in float32 (a few units in the last place).
"""

from __future__ import annotations

import math

import numpy as np

DEGREE_P, DEGREE_Q = 6, 4  # in s = x²
X_MAX = 4.0
ITERATIONS = 300


def fit() -> tuple[float, np.ndarray, np.ndarray]:
    angle = np.linspace(0, np.pi, 40_001)[1:]
    x = X_MAX * (1 - np.cos(angle)) / 2  # [n]  Chebyshev spacing: dense near both ends
    erf = np.array([math.erf(v) for v in x])  # [n]
    f, s = erf / x, x * x  # [n], [n]
    q_previous, weight = np.ones_like(s), np.ones_like(s)
    best = (math.inf, np.empty(0), np.empty(0))
    for _ in range(ITERATIONS):
        scale = x * weight / q_previous  # [n]  x·(P − f·Q)/Q is the error of erf itself
        powers_p = s[:, None] ** np.arange(DEGREE_P + 1)  # [n, DEGREE_P + 1]
        powers_q = -(f * s)[:, None] * s[:, None] ** np.arange(DEGREE_Q)  # [n, DEGREE_Q]
        A = np.hstack([powers_p, powers_q]) * scale[:, None]  # [n, unknowns]
        norms = np.linalg.norm(A, axis=0)  # [unknowns]  column scaling for a well-conditioned solve
        solution = np.linalg.lstsq(A / norms, f * scale, rcond=None)[0] / norms  # [unknowns]
        p, q = solution[: DEGREE_P + 1], np.concatenate([[1.0], solution[DEGREE_P + 1 :]])
        Q = np.polynomial.polynomial.polyval(s, q)  # [n]
        error = x * np.polynomial.polynomial.polyval(s, p) / Q - erf  # [n]
        worst = float(np.abs(error).max())
        if worst < best[0]:
            best = (worst, p, q)
        q_previous = Q
        weight = weight * np.sqrt(np.abs(error) / worst) + 1e-3
        weight /= weight.mean()
    return best


def main() -> None:
    worst, p, q = fit()
    print(f"max |error| in exact arithmetic: {worst:.2e}")
    print("P, highest power first:", ", ".join(f"{c:.17g}" for c in p[::-1]))
    print("Q, highest power first:", ", ".join(f"{c:.17g}" for c in q[::-1]))


if __name__ == "__main__":
    main()
