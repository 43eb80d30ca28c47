"""Attention Explorer's core: tokenizer, attention, models and exports, in NumPy + SentencePiece only.

Nothing here imports streamlit or plotly; the figures live in ``attention_core.viz`` and the pages in
``pages/``.
"""

from attention_core.attention import (
    AttentionTrace,
    DotProductAttention,
    causal_mask,
    multi_head_attention,
    scaled_dot_product_attention,
)
from attention_core.config import AttentionConfig, ConfigError
from attention_core.softmax import masked_softmax
from attention_core.tokens import InputError, Tokens
from attention_core.weights import AttentionWeights

__all__ = [
    "AttentionConfig",
    "AttentionTrace",
    "AttentionWeights",
    "ConfigError",
    "DotProductAttention",
    "InputError",
    "Tokens",
    "causal_mask",
    "masked_softmax",
    "multi_head_attention",
    "scaled_dot_product_attention",
]
