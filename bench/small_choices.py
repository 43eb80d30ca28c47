"""The small speed choices in the core, each timed against the plain way of writing it.

    PYTHONPATH=. python -m bench.small_choices [--runs 300]

Each line of the core that says "faster" is one row here: the way the core writes it, the plain way,
on the shapes all-MiniLM-L6-v2 (12 heads, d_model 384, d_mlp 1536) gives them at 16 and 128 tokens,
float32. The two are timed alternately, call by call, and the row reports the median of the per-pair
ratios (plain / ours: above 1 means ours is faster). A choice whose ratio is not above 1 is deleted.
Results: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np

from attention_core.models.layers import matmul


def paired_ratio(ours: Callable[[], object], plain: Callable[[], object], runs: int) -> float:
    """Median over runs of time(plain) / time(ours), the two called alternately."""
    for _ in range(10):
        ours(), plain()
    ratios = []
    for i in range(runs):
        pair = (ours, plain) if i % 2 == 0 else (plain, ours)
        times = {}
        for f in pair:
            start = time.perf_counter()
            f()
            times[f] = time.perf_counter() - start
        ratios.append(times[plain] / times[ours])
    return statistics.median(ratios)


def choices(n: int, rng: np.random.Generator) -> dict[str, tuple[Callable[[], object], Callable[[], object]]]:
    """name → (ours, plain) at n tokens."""
    scores = rng.normal(size=(12, n, n)).astype(np.float32)  # [head, q, k]
    rows = rng.normal(size=(n, 384)).astype(np.float32)  # [pos, d_model]
    ones_k = np.ones(n, dtype=np.float32)  # [k]
    ones_d = np.ones(384, dtype=np.float32)  # [d_model]
    W_in = rng.normal(size=(384, 1536)).astype(np.float32)  # [d_model, d_mlp]
    q = rng.normal(size=(12, n, 32)).astype(np.float32)  # [head, q, d_k]
    k = rng.normal(size=(12, n, 32)).astype(np.float32)  # [head, k, d_k]
    scale = math.sqrt(32)
    return {
        "row max: np.fmax.reduce vs .max()": (
            lambda: np.fmax.reduce(scores, axis=-1, keepdims=True),
            lambda: scores.max(axis=-1, keepdims=True),
        ),
        "softmax row sums: np.vecdot with ones vs .sum()": (
            lambda: np.vecdot(scores, ones_k),
            lambda: scores.sum(axis=-1),
        ),
        "LayerNorm mean: np.vecdot with ones vs .mean()": (
            lambda: np.vecdot(rows, ones_d) / 384,
            lambda: rows.mean(axis=-1),
        ),
        "x @ W_in written column by column (matmul) vs x @ W_in": (
            lambda: matmul(rows, W_in),
            lambda: rows @ W_in,
        ),
        "scores × (1/√d_k) vs scores ÷ √d_k": (
            lambda: scores * (1 / scale),
            lambda: scores / scale,
        ),
        "q @ contiguous kᵀ vs q @ kᵀ (a view)": (
            lambda: q @ np.ascontiguousarray(np.swapaxes(k, -1, -2)),
            lambda: q @ np.swapaxes(k, -1, -2),
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    if os.environ.get("OPENBLAS_NUM_THREADS") is None:  # the app's setting; read when NumPy loads
        os.environ["OPENBLAS_NUM_THREADS"] = "2"
        os.execv(sys.executable, [sys.executable, "-m", "bench.small_choices", *sys.argv[1:]])
    rng = np.random.default_rng(0)
    table = {n: choices(n, rng) for n in (16, 128)}
    print("| choice | plain / ours, 16 tokens | plain / ours, 128 tokens |")
    print("|---|---|---|")
    for name in table[16]:
        cells = [f"{paired_ratio(*table[n][name], args.runs):.2f}" for n in (16, 128)]
        print(f"| {name} | {cells[0]} | {cells[1]} |", flush=True)


if __name__ == "__main__":
    main()
