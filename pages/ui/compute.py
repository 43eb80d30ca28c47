"""All caching in one place: tokenizer and models once per server, traces once per input.

Pages call these and never compute anything themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from attention_core import atlas
from attention_core.attention import AttentionTrace
from attention_core.config import AttentionConfig
from attention_core.export import model_arrays, teaching_arrays
from attention_core.heads import HeadMetrics
from attention_core.models import own_lm
from attention_core.models.base import Model
from attention_core.models.own_lm import TrainingRecord
from attention_core.models.registry import OWN_MODEL, OWN_MODEL_DIR, available_models, load_model
from attention_core.models.trace import ModelTrace
from attention_core.teaching import TeachingTrace, run_teaching
from attention_core.tokenizer import SentencePieceTokenizer
from attention_core.tokens import Tokens
from pages.ui import controls, url

MODEL_MAX_TOKENS = 512


@st.cache_resource(show_spinner=False)
def tokenizer() -> SentencePieceTokenizer:
    """The bundled SentencePiece tokenizer, loaded once and shared by every session."""
    return SentencePieceTokenizer()


@st.cache_data(max_entries=128, show_spinner=False)
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


def model_trace(name: str, sentence: str) -> ModelTrace:
    """One forward pass with every intermediate, at most MODEL_MAX_TOKENS tokens, shared (not copied)
    between sessions: its arrays are never written to.

    A trace grows with the square of its length (all-MiniLM-L6-v2: ~3 MB at 32 tokens, ~19 MB at 128,
    ~240 MB at 512), so each size class has a cache of its own: many short sentences, few long texts.
    """
    tokens = model(name).tokenize(sentence, MODEL_MAX_TOKENS)
    if len(tokens) <= 32:
        return _short_trace(name, tokens)
    return _medium_trace(name, tokens) if len(tokens) <= 128 else _long_trace(name, tokens)


@st.cache_resource(max_entries=48, show_spinner=False)
def _short_trace(name: str, tokens: Tokens) -> ModelTrace:
    return model(name).run(tokens)


@st.cache_resource(max_entries=6, show_spinner=False)
def _medium_trace(name: str, tokens: Tokens) -> ModelTrace:
    return model(name).run(tokens)


@st.cache_resource(max_entries=1, show_spinner="Running the model on a long text…")
def _long_trace(name: str, tokens: Tokens) -> ModelTrace:
    return model(name).run(tokens)


@dataclass(frozen=True)
class LayerInView:
    """The attention layer a step-by-step page shows: the teaching layer, or one layer of a real model
    (opened from the model explorer with ``?from_model=NAME&from_layer=L``)."""

    tokens: Tokens
    trace: AttentionTrace
    source: TeachingTrace | ModelTrace  # what the download button exports
    model: str | None = None
    layer: int | None = None

    def arrays(self) -> dict[str, np.ndarray]:
        if isinstance(self.source, ModelTrace):
            return model_arrays(self.source)
        return teaching_arrays(self.source)


def layer_in_view(sentence: str) -> LayerInView:
    """The layer the URL asks for: a model's (``?from_model=NAME&from_layer=L``, each checked, with a
    notice when it does not exist) or the teaching layer's. Raises InputError, ConfigError or ModelError
    with a clear message."""
    known = url.Choice(tuple(models()), None, unknown="unknown_model")
    name = url.read("from_model", known)
    url.keep("from_model", known, name)
    if name is None:
        url.keep("from_layer", url.Whole(0, 0, None, optional=True), None)
        run = teaching_trace(sentence, controls.teaching_config())
        return LayerInView(run.tokens, run.trace, run)
    trace = model_trace(name, sentence)
    layers = url.Whole(0, trace.n_layers - 1, 0)
    layer = url.read("from_layer", layers)
    url.keep("from_layer", layers, layer)
    return LayerInView(trace.tokens, trace.layers[layer], trace, name, layer)


@st.cache_resource(show_spinner="Measuring every head on the built-in sentences…")
def builtin_metrics(name: str) -> HeadMetrics:
    """A model's head metrics averaged over the built-in sentences, once per server."""
    return atlas.builtin_metrics(model(name))


@st.cache_resource(max_entries=32, show_spinner=False)
def sentence_metrics(name: str, sentence: str) -> HeadMetrics:
    return atlas.sentence_metrics(model_trace(name, sentence))


@st.cache_resource(show_spinner=False)
def training_record() -> TrainingRecord | None:
    """The bundled model's training history, or None when its assets are not installed."""
    found = (OWN_MODEL_DIR / "history.json").is_file()
    return own_lm.training_record(OWN_MODEL_DIR) if found else None


@st.cache_resource(max_entries=16, show_spinner="Loading the snapshot…")
def snapshot_model(step: int) -> Model:
    """The bundled model as it was at training step ``step`` (one of its snapshots)."""
    return own_lm.load_own_lm(OWN_MODEL_DIR, OWN_MODEL, step)


@st.cache_resource(max_entries=64, show_spinner=False)
def snapshot_trace(step: int, sentence: str) -> ModelTrace:
    snapshot = snapshot_model(step)
    return snapshot.run(snapshot.tokenize(sentence))
