"""Ranking every head by its ablation effect (DESIGN.md budget: all 72 heads of all-MiniLM-L6-v2 at 16
tokens ≤ 1 s, ko-en-lm's 8 heads ≤ 300 ms), and the other analyses of issue 12 beside it.

    PYTHONPATH=. python -m bench.rank_heads [--runs 20] [--threads 1]

Each row times one call of the core as a page would make it, on the built-in example sentence (16 tokens
for MiniLM, 20 for ko-en-lm), the clean run already at hand (the pages cache it): ``rank_heads`` with
zero- and mean-ablation (the reference means computed once, outside the timing, as the pages cache them),
the same with the clean run included, one ablation, attention rollout, attention flow (every pair, and
one output position) and the four attributions; then flow and attribution (occlusion) near their
ceilings in ``limits.py``. Medians over ``--runs`` calls after a warm-up, with the 10th–90th percentile
spread (flow of every pair: a quarter of the runs).

The app runs one BLAS thread per process (the Makefile's ``BLAS_THREADS``): the default here too. NumPy
reads ``OPENBLAS_NUM_THREADS`` when it is imported and the C library ``GLIBC_TUNABLES`` when the process
starts, so the script restarts itself with both set (the Makefile's malloc setting).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np

from attention_core.atlas import BUILTIN_SENTENCES
from attention_core.head_ranking import rank_heads
from attention_core.interventions import ablate, reference_means
from attention_core.models.base import Model
from attention_core.models.registry import load_model
from attention_core.rollout import attention_flow, attention_rollout
from attention_core.train.input_gradient import attribute_four_ways

SENTENCE = BUILTIN_SENTENCES[0]  # "The animal didn't cross the street because it was too tired."
LONG = " ".join(BUILTIN_SENTENCES[:6])  # for the rows at the ceilings (22 and 48 tokens)
BUDGETS_MS = {"all-MiniLM-L6-v2": 1000, "ko-en-lm": 300}  # DESIGN.md, for rank_heads
WARMUP = 3
MALLOC = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=67108864:glibc.malloc.arena_max=2"


def times_ms(run: Callable[[], object], runs: int) -> list[float]:
    for _ in range(WARMUP):
        run()
    result = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        result.append((time.perf_counter() - start) * 1000)
    return result


def row(what: str, times: list[float], budget: float | None = None) -> str:
    low, high = np.percentile(times, [10, 90])
    verdict = "" if budget is None else ("met" if statistics.median(times) <= budget else "OVER")
    budget_text = "" if budget is None else f"{budget:.0f} ms"
    return f"| {what} | {statistics.median(times):.2f} | {low:.2f}–{high:.2f} | {budget_text} | {verdict} |"


def cases(model: Model, text: str, max_tokens: int | None = None) -> list[tuple[str, Callable[[], object]]]:
    """(what, call) for one model on ``text`` (at most ``max_tokens``), its clean run and means at hand."""
    tokens = model.tokenize(text, max_tokens)
    clean = model.run(tokens)
    means = reference_means(model)
    c, n = model.config, len(tokens)
    on = f"{model.name}, {n} tokens"
    return [
        (
            f"{on}: rank all {c.n_layers * c.n_heads} heads, zero-ablation",
            lambda: rank_heads(model, tokens, clean=clean),
        ),
        (
            f"{on}: rank all {c.n_layers * c.n_heads} heads, mean-ablation",
            lambda: rank_heads(model, tokens, means, clean=clean),
        ),
        (f"{on}: the same with the clean run (a new sentence)", lambda: rank_heads(model, tokens)),
        (f"{on}: one ablation (head 0.0), whole run", lambda: ablate(model, tokens, [(0, 0)], clean=clean)),
        (f"{on}: attention rollout", lambda: attention_rollout(clean.pattern)),
        (f"{on}: attention flow, every pair", lambda: attention_flow(clean.pattern)),
        (f"{on}: attention flow, last position", lambda: attention_flow(clean.pattern, rows=[n - 1])),
        (f"{on}: attribution, four ways", lambda: attribute_four_ways(model, tokens, clean=clean)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed calls per row (default 20)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads (default 1, as the app)")
    args = parser.parse_args()
    if os.environ.get("OPENBLAS_NUM_THREADS") != str(args.threads) or "GLIBC_TUNABLES" not in os.environ:
        os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
        os.environ.setdefault("GLIBC_TUNABLES", MALLOC)
        os.execv(sys.executable, [sys.executable, "-m", "bench.rank_heads", *sys.argv[1:]])

    print(f"{args.threads} BLAS thread(s), {args.runs} calls per row after {WARMUP} warm-up; times in ms")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; sentence: {SENTENCE!r}\n")
    print("| what | median ms | p10–p90 | budget | |")
    print("| --- | --- | --- | --- | --- |")
    for name in ("all-MiniLM-L6-v2", "ko-en-lm"):
        for what, run in cases(load_model(name), SENTENCE):
            budget = BUDGETS_MS[name] if "rank all" in what else None
            runs = max(3, args.runs // 4) if "every pair" in what else args.runs
            print(row(what, times_ms(run, runs), budget), flush=True)
    minilm = load_model("all-MiniLM-L6-v2")  # at the ceilings of limits.py
    at_ceiling = {cases(minilm, LONG, 22)[5], cases(minilm, LONG, 48)[7]}
    for what, run in sorted(at_ceiling):
        print(row(what + " (near its ceiling)", times_ms(run, 3)), flush=True)


if __name__ == "__main__":
    main()
