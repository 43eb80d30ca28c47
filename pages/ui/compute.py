"""All caching in one place: tokenizer and models once per server, traces once per input.

Pages call these and never compute anything themselves.
"""

from __future__ import annotations

import streamlit as st

from attention_core.config import AttentionConfig
from attention_core.models.base import Model
from attention_core.models.registry import available_models, load_model
from attention_core.models.trace import ModelTrace
from attention_core.teaching import TeachingTrace, run_teaching
from attention_core.tokenizer import SentencePieceTokenizer

MODEL_MAX_TOKENS = 512


@st.cache_resource(show_spinner=False)
def tokenizer() -> SentencePieceTokenizer:
    """The bundled SentencePiece tokenizer, loaded once and shared by every session."""
    return SentencePieceTokenizer()


@st.cache_data(max_entries=256, show_spinner=False)
def teaching_trace(sentence: str, config: AttentionConfig, source: str | None = None) -> TeachingTrace:
    """The teaching layer on a sentence (cross-attention over ``source`` when given)."""
    return run_teaching(tokenizer(), sentence, config, source=source)


@st.cache_resource(show_spinner=False)
def models() -> list[str]:
    """The model names this server offers (decided here, once; a browser can only pick among them)."""
    return available_models()


@st.cache_resource(show_spinner="Loading the model…")
def model(name: str) -> Model:
    """A pretrained model, loaded once per server and shared read-only by every session."""
    return load_model(name)


@st.cache_resource(max_entries=32, show_spinner=False)
def model_trace(name: str, sentence: str) -> ModelTrace:
    """One forward pass with every intermediate, shared (not copied) between sessions: its arrays are
    never written to. At most MODEL_MAX_TOKENS tokens."""
    loaded = model(name)
    return loaded.run(loaded.tokenize(sentence, MODEL_MAX_TOKENS))
