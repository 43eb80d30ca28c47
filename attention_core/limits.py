"""How much work one request may ask for: every ceiling in one place, checked before any work is done.

A visitor chooses the text and the settings, so a visitor chooses how much the server computes and keeps.
These ceilings make the heaviest request take about a second and well under 150 MB (docs/benchmarks.md)
while leaving everything a lesson needs; the pages state them where they apply, and a request beyond one
gets a message saying which ceiling and what to change, never a minute of CPU.
"""

from __future__ import annotations

import math

from attention_core.config import AttentionConfig, ConfigError
from attention_core.tokens import InputError

MAX_TEXT_CHARS = 10_000  # characters of text read from a sentence box (the pages use the first 10,000)
MAX_CLI_TEXT_CHARS = 1_000_000  # the command line refuses longer text (exit 2)
MAX_ATLAS_TEXT_BYTES = 200_000  # a text for the head atlas (attention_core/text_atlas.py), UTF-8 bytes
# … of which the atlas reads the first sentences, up to 1,800 tokens: one model run per sentence (about
# 11 ms each with MiniLM), so a 200 KB text of short sentences (7,400 of them) took 15 s; measured on the
# 2-core machine, 6,000 tokens took MiniLM 5.8 s and ko-en-lm 1.9 s, 2,000 tokens 2.04 s and 0.63 s.
MAX_ATLAS_TOKENS = 1_800
MAX_TEACHING_TOKENS = 128  # tokens of the teaching layer; the rest of a longer text is not computed
MAX_MODEL_TOKENS = 512  # tokens of a model run (never more than the model's own context, n_ctx) …
# … and never more than keeps every layer's and head's attention pattern within 12 million numbers
# (48 MB in float32): all-MiniLM-L6-v2 (6 × 12 heads) reads 408 tokens, GPT-2 small (12 × 12) 288. At 512
# tokens MiniLM's patterns alone are 75 MB, and one request added 175 MB to the server's peak.
MAX_PATTERN_NUMBERS = 12_000_000
# Numbers one teaching trace may hold (x, weights, q, k, v, scores, scaled, pattern, z, concat, out):
# 4 million float64 numbers are 32 MB. The largest settings the sliders reach (16 heads, d_model 128,
# d_k = d_v = 512) with 128 tokens would be 10.4 million (83 MB); the defaults are 45,000.
MAX_TRACE_NUMBERS = 4_000_000


def model_max_tokens(n_layers: int, n_heads: int, n_ctx: int) -> int:
    """How many tokens one run of a model with these sizes may read (MAX_MODEL_TOKENS, n_ctx and
    MAX_PATTERN_NUMBERS all respected)."""
    return min(n_ctx, MAX_MODEL_TOKENS, math.isqrt(MAX_PATTERN_NUMBERS // (n_layers * n_heads)))


def teaching_trace_numbers(config: AttentionConfig, n_q: int, n_k: int | None = None) -> int:
    """How many numbers a teaching trace of ``n_q`` queries over ``n_k`` keys (self-attention: n_q)
    holds, every array of :class:`~attention_core.attention.AttentionTrace` counted.
    """
    n_k = n_q if n_k is None else n_k
    h, d, d_k, d_v = config.n_heads, config.d_model, config.d_k, config.d_v
    inputs = (n_q + n_k) * d  # x, x_kv
    weights = h * d * (2 * d_k + d_v) + h * d_v * d  # W_Q, W_K, W_V, W_O
    projections = h * (n_q * d_k + n_k * (d_k + d_v))  # q, k, v
    attention = 3 * h * n_q * n_k  # scores, scaled, pattern
    outputs = 2 * h * n_q * d_v + n_q * d  # z, concat, out
    return inputs + weights + projections + attention + outputs


def check_teaching_work(config: AttentionConfig, n_q: int, n_k: int | None = None) -> None:
    """Raise ConfigError (code ``too_big``) when the trace would hold more than MAX_TRACE_NUMBERS."""
    numbers = teaching_trace_numbers(config, n_q, n_k)
    if numbers > MAX_TRACE_NUMBERS:
        raise ConfigError(
            f"these settings would compute {numbers:,} numbers for {n_q} tokens, more than the "
            f"{MAX_TRACE_NUMBERS:,} one request may ask for: lower d_k, d_v, the number of heads or d_model, "
            "or use a shorter sentence",
            "too_big",
            numbers=numbers,
            limit=MAX_TRACE_NUMBERS,
            n=n_q,
        )


# Attention flow (attention_core/rollout.py) solves one max-flow problem per (output, input) pair of
# tokens, each on a network of L·n² edges: the work grows as pairs × edges = L·n⁴ for a whole [pos, pos]
# table. all-MiniLM-L6-v2 (6 layers) took 0.4 s at 16 tokens and 2.1 s at 24 (2.0 million) on the 2-core
# machine (bench/rank_heads.py): 1.5 million lets it read 22 tokens, ko-en-lm (2 layers) 29, GPT-2 small
# (12 layers) 18. One output position costs n times less.
# The network has (L+1)·n nodes, at most MAX_FLOW_NODES (attention_core/max_flow.py recurses along paths).
MAX_FLOW_WORK = 1_500_000
MAX_FLOW_NODES = 800


def check_flow_work(n_layers: int, n_pos: int, n_rows: int) -> None:
    """Raise InputError when attention flow for ``n_rows`` output positions of ``n_pos`` tokens through
    ``n_layers`` layers would be more than MAX_FLOW_WORK (pairs × edges) or MAX_FLOW_NODES."""
    work = n_rows * n_pos * n_layers * n_pos * n_pos
    nodes = (n_layers + 1) * n_pos
    if work > MAX_FLOW_WORK or nodes > MAX_FLOW_NODES:
        raise InputError(
            f"attention flow for {n_rows} output position(s) of {n_pos} tokens through {n_layers} layers "
            f"is too much work for one request ({work:,} steps of at most {MAX_FLOW_WORK:,}, {nodes} "
            f"nodes of at most {MAX_FLOW_NODES}): use a shorter sentence or one output position "
            "(rollout has no such limit)"
        )


# Occlusion (attention_core/attribution.py) runs the model once per scored token on the sentence without it:
# n·(n−1) token rows through every layer, each about d_model² · 12 multiply-adds. all-MiniLM-L6-v2 at 64
# tokens (3.6·10⁹ of n·(n−1)·L·d_model²) took 1.4–3.4 s (one BLAS thread, the 2-core machine,
# bench/rank_heads.py); 2·10⁹ lets it read 48 tokens, GPT-2 small 17; ko-en-lm never reaches it (128 tokens:
# 0.5·10⁹).
MAX_OCCLUSION_WORK = 2_000_000_000


def check_occlusion_work(n_layers: int, d_model: int, n_scored: int) -> None:
    """Raise InputError when occluding each of ``n_scored`` tokens would be more than MAX_OCCLUSION_WORK."""
    work = n_scored * (n_scored - 1) * n_layers * d_model * d_model
    if work > MAX_OCCLUSION_WORK:
        raise InputError(
            f"occlusion of {n_scored} tokens runs the model {n_scored} times, too much work for one request "
            f"({work:,} of at most {MAX_OCCLUSION_WORK:,}): use a shorter sentence or an earlier position"
        )
