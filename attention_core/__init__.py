"""Attention Explorer's core: tokenizer, attention, models and exports, in NumPy + SentencePiece only.

The public API (README, "Use it from Python"; every name as in DESIGN.md)::

    import attention_core as ac
    t = ac.trace("The cat sat on the mat.", heads=4, d_model=16)   # the teaching layer: api.py
    m = ac.load_model("ko-en-lm"); mt = m.trace("나는 학교에 갔다.")   # a model
    ac.figures.heads(t); ac.figures.model_view(mt)                  # Plotly figures: figures.py
    ac.save(t, "cat.npz"); arrays = ac.load("cat.npz")              # the trace export
    ac.head_metrics(mt), ac.ablate(m, mt, "0.2"), ac.rank_heads(m, mt)   # api_heads.py

Importing it imports neither streamlit nor plotly (``figures`` imports Plotly when it draws); the
figure builders live in ``attention_core.viz`` and the pages in ``pages/``.
"""

from attention_core import figures
from attention_core.api import arrays, load, load_model, model_names, save, trace
from attention_core.api_heads import (
    ablate,
    atlas_metrics,
    attention_flow,
    attention_rollout,
    head_metrics,
    knockout,
    predictions,
    rank_heads,
)
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
    "ablate",
    "arrays",
    "atlas_metrics",
    "attention_flow",
    "attention_rollout",
    "causal_mask",
    "figures",
    "head_metrics",
    "knockout",
    "load",
    "load_model",
    "masked_softmax",
    "model_names",
    "multi_head_attention",
    "predictions",
    "rank_heads",
    "save",
    "scaled_dot_product_attention",
    "trace",
]
