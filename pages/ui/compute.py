"""All caching in one place: tokenizer and models once per server, traces once per input.

Pages call these and never compute anything themselves.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import streamlit as st

from attention_core import atlas, head_ranking, interventions, rollout, text_atlas
from attention_core.attention import AttentionTrace
from attention_core.config import AttentionConfig
from attention_core.export import model_arrays, model_export_bytes, teaching_arrays
from attention_core.heads import HeadMetrics
from attention_core.lesson import Lesson, build_lesson
from attention_core.limits import model_max_tokens
from attention_core.models import own_lm
from attention_core.models.base import Model
from attention_core.models.own_lm import TrainingRecord
from attention_core.models.registry import available_models, load_model
from attention_core.models.trace import ModelTrace
from attention_core.teaching import TeachingTrace, run_teaching
from attention_core.tokenizer import SentencePieceTokenizer
from attention_core.tokens import Tokens
from attention_core.train import input_gradient
from pages.ui import controls, url
from pages.ui.shared_cache import SharedCache, array_bytes

# Memory: what the caches below may hold in all. With the ceilings of attention_core.limits one page run
# adds at most about 150 MB (a model at 512 tokens and its figures; docs/benchmarks.md), and app.py lets
# two page runs go at once (pages.ui.shared_cache.PAGE_RUNS), so the server holds at most the loaded
# models (~220 MB) + 192 MB of cache + 2 × 150 MB. A teaching trace is cheap to compute again (0.1 s at
# the ceiling), so its cache is small.
TEACHING_CACHE_BYTES = 32 << 20
MODEL_CACHE_BYTES = 160 << 20
_teaching_traces = SharedCache(TEACHING_CACHE_BYTES)
_model_traces = SharedCache(MODEL_CACHE_BYTES)


@st.cache_resource(show_spinner=False)
def tokenizer() -> SentencePieceTokenizer:
    """The bundled SentencePiece tokenizer, loaded once and shared by every session."""
    return SentencePieceTokenizer()


def teaching_trace(sentence: str, config: AttentionConfig, source: str | None = None) -> TeachingTrace:
    """The teaching layer on a sentence (cross-attention over ``source`` when given), shared read-only
    between sessions. Raises ConfigError before any work for settings beyond limits.MAX_TRACE_NUMBERS."""
    return _teaching_traces.get(
        ("teaching", sentence, config, source),
        lambda: run_teaching(tokenizer(), sentence, config, source=source),
    )


@st.cache_resource(show_spinner=False)
def models() -> list[str]:
    """The model names this server offers (decided here, once; a browser can only pick among them)."""
    return available_models()


@st.cache_resource(max_entries=4, show_spinner="Loading the model…")
def model(name: str) -> Model:
    """A pretrained model, loaded once per server and shared read-only by every session (at most four
    kept: a models directory may offer many, each up to 1 GiB)."""
    return load_model(name)


def model_token_cap(name: str) -> int:
    """How many tokens of a text the model ``name`` reads here (limits.model_max_tokens)."""
    c = model(name).config
    return model_max_tokens(c.n_layers, c.n_heads, c.n_ctx)


def model_trace(name: str, sentence: str) -> ModelTrace:
    """One forward pass, at most :func:`model_token_cap` tokens, shared read-only between sessions.

    A trace keeps the patterns of every layer and head, so it grows with the square of its length
    (all-MiniLM-L6-v2: about 1 MB at 32 tokens, 6 MB at 128, 50 MB at its cap of 408).
    """
    tokens = model(name).tokenize(sentence, model_token_cap(name))
    return _model_traces.get(("model", name, tokens), lambda: model(name).run(tokens))


# What a download exports, as the few values that say how to compute it again: ("teaching", sentence,
# config, source) or ("model", name, sentence). A download button keeps its data function for as long
# as the session lives (and Streamlit keeps a closed tab's session two minutes for a reconnect): a
# function holding the trace itself kept 50 closed tabs' traces, 2 GB, alive.
Recipe = tuple


def trace_arrays(recipe: Recipe) -> dict[str, np.ndarray]:
    """Every array of the trace ``recipe`` describes, under its export name (from the cache, or computed
    again)."""
    kind, *args = recipe
    if kind == "teaching":
        sentence, config, source = args
        return teaching_arrays(teaching_trace(sentence, config, source))
    name, sentence = args
    return model_arrays(model_trace(name, sentence))


def export_bytes(recipe: Recipe) -> int:
    """About how many bytes the arrays of ``recipe`` are (computed from sizes, nothing is exported)."""
    kind, *args = recipe
    if kind == "teaching":
        sentence, config, source = args
        trace = teaching_trace(sentence, config, source)
        return array_bytes(trace)
    name, sentence = args
    return model_export_bytes(model(name).config, len(model_trace(name, sentence).tokens))


@dataclass(frozen=True)
class LayerInView:
    """The attention layer a step-by-step page shows: the teaching layer, or one layer of a real model
    (opened from the model explorer with ``?from_model=NAME&from_layer=L``)."""

    tokens: Tokens
    trace: AttentionTrace
    recipe: Recipe  # what the download button exports
    model: str | None = None
    layer: int | None = None


def layer_in_view(sentence: str) -> LayerInView:
    """The layer the URL asks for: a model's (``?from_model=NAME&from_layer=L``, each checked, with a
    notice when it does not exist) or the teaching layer's. Raises InputError, ConfigError or ModelError
    with a clear message."""
    known = url.Choice(tuple(models()), None, unknown="unknown_model")
    name = url.read("from_model", known)
    url.keep("from_model", known, name)
    if name is None:
        url.keep("from_layer", url.Whole(0, 0, None, optional=True), None)
        config = controls.teaching_config()
        run = teaching_trace(sentence, config)
        return LayerInView(run.tokens, run.trace, ("teaching", sentence, config, None))
    trace = model_trace(name, sentence)
    layers = url.Whole(0, trace.n_layers - 1, 0)
    layer = url.read("from_layer", layers)
    url.keep("from_layer", layers, layer)
    return LayerInView(trace.tokens, trace.layers[layer], ("model", name, sentence), name, layer)


def lesson(sentence: str, config: AttentionConfig, name: str) -> Lesson:
    """The guided lesson on a sentence (the teaching layer with ``config``, then model ``name``'s heads),
    shared between sessions like a model trace."""
    return _model_traces.get(
        ("lesson", sentence, config, name), lambda: build_lesson(tokenizer(), model(name), sentence, config)
    )


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
    found = (own_lm.FOLDER / "history.json").is_file()
    return own_lm.training_record(own_lm.FOLDER) if found else None


@st.cache_resource(max_entries=16, show_spinner="Loading the snapshot…")
def snapshot_model(step: int) -> Model:
    """The bundled model as it was at training step ``step`` (one of its snapshots)."""
    return own_lm.load_own_lm(own_lm.FOLDER, own_lm.NAME, step)


def snapshot_trace(step: int, sentence: str) -> ModelTrace:
    """The bundled model at training step ``step`` on a sentence (shared like :func:`model_trace`)."""
    snapshot = snapshot_model(step)
    c = snapshot.config
    tokens = snapshot.tokenize(sentence, model_max_tokens(c.n_layers, c.n_heads, c.n_ctx))
    return _model_traces.get(("snapshot", step, tokens), lambda: snapshot.run(tokens))


# --- what heads do: interventions on a model's run (attention_core/interventions.py and neighbours) ---


@st.cache_resource(max_entries=4, show_spinner="Averaging every head over the reference text…")
def reference_means(name: str) -> np.ndarray:
    """Every head's mean z over interventions.REFERENCE_TEXT [layer, head, d_v], once per model."""
    return interventions.reference_means(model(name))


def _clean(name: str, sentence: str) -> tuple[Model, Tokens, ModelTrace]:
    trace = model_trace(name, sentence)
    return model(name), trace.tokens, trace


def ablation(name: str, sentence: str, heads: tuple, mean: bool, position: int | None):
    """The model with ``heads`` ((layer, head), …) switched off: zeroed, or their mean over the reference
    text; before and after (shared between sessions like a trace)."""
    runner, tokens, clean = _clean(name, sentence)
    means = reference_means(name) if mean else None
    return _model_traces.get(
        ("ablate", name, tokens, heads, mean, position),
        lambda: interventions.ablate(runner, tokens, heads, means, position, clean=clean),
    )


def knockout(name: str, sentence: str, query: int, key: int, layer, head, position: int | None):
    """The model with attention from token ``query`` to token ``key`` blocked (one head, one layer, or all
    layers when ``layer`` is None)."""
    runner, tokens, clean = _clean(name, sentence)
    return _model_traces.get(
        ("knockout", name, tokens, query, key, layer, head, position),
        lambda: interventions.knockout(runner, tokens, query, key, layer, head, position, clean=clean),
    )


def head_effects(name: str, sentence: str, mean: bool, position: int | None) -> np.ndarray:
    """Every head's effect when switched off alone [layer, head] (KL in nats, or 1 − cos)."""
    runner, tokens, clean = _clean(name, sentence)
    means = reference_means(name) if mean else None
    return _model_traces.get(
        ("rank", name, tokens, mean, position),
        lambda: head_ranking.rank_heads(runner, tokens, means, position, clean=clean),
    )


def rollout_and_flow(name: str, sentence: str) -> tuple[np.ndarray, np.ndarray]:
    """Attention rollout [pos, pos] and attention flow [pos, pos] of the whole model (flow raises
    InputError beyond limits.MAX_FLOW_WORK)."""
    pattern = model_trace(name, sentence).pattern
    return _model_traces.get(
        ("rollout", name, sentence),
        lambda: (rollout.attention_rollout(pattern), rollout.attention_flow(pattern)),
    )


def attribution(name: str, sentence: str, position: int | None):
    """Four attributions of one output (attention_core/attribution.py; gradient × input through the
    training code's backward passes, where the family has them)."""
    runner, tokens, clean = _clean(name, sentence)
    return _model_traces.get(
        ("attribution", name, tokens, position),
        lambda: input_gradient.attribute_four_ways(runner, tokens, position, clean=clean),
    )


def text_metrics(name: str, text: str | bytes, progress=None) -> text_atlas.TextAtlas:
    """Every head's metrics over a visitor's text (≤ 200 KB; a model run per sentence, ``progress(done,
    total)`` after each), kept by the text's hash, so a second look costs nothing."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    key = ("text_atlas", name, hashlib.sha256(data).hexdigest())
    return _model_traces.get(key, lambda: text_atlas.text_metrics(model(name), text, progress))
