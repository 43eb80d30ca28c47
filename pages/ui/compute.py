"""All caching in one place: tokenizer and models once per server, traces once per input.

Pages call these and never compute anything themselves.
"""

from __future__ import annotations

import streamlit as st

from attention_core.config import AttentionConfig
from attention_core.teaching import TeachingTrace, run_teaching
from attention_core.tokenizer import SentencePieceTokenizer


@st.cache_resource(show_spinner=False)
def tokenizer() -> SentencePieceTokenizer:
    """The bundled SentencePiece tokenizer, loaded once and shared by every session."""
    return SentencePieceTokenizer()


@st.cache_data(max_entries=256, show_spinner=False)
def teaching_trace(sentence: str, config: AttentionConfig, source: str | None = None) -> TeachingTrace:
    """The teaching layer on a sentence (cross-attention over ``source`` when given)."""
    return run_teaching(tokenizer(), sentence, config, source=source)
