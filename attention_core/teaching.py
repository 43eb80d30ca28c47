"""The teaching model: a sentence, seeded embeddings and seeded weights, one multi-head attention layer.

sentence -> Tokens -> x [pos, d_model] -> multi_head_attention -> AttentionTrace
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from attention_core.attention import AttentionTrace, causal_mask, multi_head_attention
from attention_core.config import AttentionConfig, ConfigError
from attention_core.embedding import seeded_embedding
from attention_core.limits import MAX_TEACHING_TOKENS, check_teaching_work
from attention_core.models.layers import sinusoidal_positions
from attention_core.tokenizer import SentencePieceTokenizer
from attention_core.tokens import Tokens
from attention_core.weights import seeded_weights


@dataclass(frozen=True)
class TeachingTrace:
    """A trace together with the tokens on its axes (``tokens_kv`` only for cross-attention)."""

    config: AttentionConfig
    tokens: Tokens
    trace: AttentionTrace
    tokens_kv: Tokens | None = None


def embed(tokens: Tokens, config: AttentionConfig) -> np.ndarray:
    """x = seeded token embedding (+ sinusoidal positional encoding). Returns [pos, d_model]."""
    x = seeded_embedding(tokens.id_array, config.d_model, config.seed)  # [pos, d_model]
    if config.positional:
        x = x + sinusoidal_positions(len(tokens), config.d_model)  # [pos, d_model]
    return x


def run_teaching(
    tokenizer: SentencePieceTokenizer,
    sentence: str,
    config: AttentionConfig,
    source: str | None = None,
    max_tokens: int = MAX_TEACHING_TOKENS,
) -> TeachingTrace:
    """Self-attention of ``sentence`` over itself, or, with ``source``, cross-attention: queries from
    ``sentence``, keys and values from ``source``. Settings that would compute more than
    ``limits.MAX_TRACE_NUMBERS`` numbers raise ConfigError before anything is computed.
    """
    if source is not None and config.causal:
        raise ConfigError(
            "a causal mask belongs to self-attention: a query sentence attending over another "
            "sentence has no order between the two",
            "causal_cross",
        )
    tokens = tokenizer.encode(sentence, max_tokens)
    tokens_kv = None if source is None else tokenizer.encode(source, max_tokens)
    check_teaching_work(config, len(tokens), None if tokens_kv is None else len(tokens_kv))
    x = embed(tokens, config)  # [query_pos, d_model]
    weights = seeded_weights(config)
    if tokens_kv is None:
        mask = causal_mask(len(tokens)) if config.causal else None
        trace = multi_head_attention(x, weights, mask, temperature=config.temperature)
        return TeachingTrace(config, tokens, trace)
    x_kv = embed(tokens_kv, config)  # [key_pos, d_model]
    trace = multi_head_attention(x, weights, None, x_kv, temperature=config.temperature)
    return TeachingTrace(config, tokens, trace, tokens_kv)
