"""The server's caches (pages/ui/compute.py) are shared by every session, so each result must be keyed by
everything it depends on (issue 14): the same sentence with another model, another setting of the
teaching layer, other heads or another position is another result. Each case asks the cache for one
result, then for a neighbour that differs in one thing, and compares the neighbour with the same thing
computed directly by the core, without any cache."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from attention_core import interventions
from attention_core.config import AttentionConfig
from attention_core.teaching import run_teaching
from attention_core.tokenizer import SentencePieceTokenizer
from pages.ui import compute

SENTENCE = "The cat sat on the mat because it was tired."
BASE = AttentionConfig()
CHANGES = {
    "d_model": 8,
    "n_heads": 2,
    "d_k": 12,
    "d_v": 6,
    "seed": 7,
    "causal": True,
    "positional": False,
    "temperature": 2.5,
}


@pytest.mark.parametrize("field", CHANGES)
def test_a_teaching_trace_is_keyed_by_every_setting(field):
    other = dataclasses.replace(BASE, **{field: CHANGES[field]})
    first = compute.teaching_trace(SENTENCE, BASE).trace
    cached = compute.teaching_trace(SENTENCE, other).trace
    direct = run_teaching(SentencePieceTokenizer(), SENTENCE, other).trace
    assert not np.array_equal(first.out, cached.out) or first.out.shape != cached.out.shape
    np.testing.assert_array_equal(cached.pattern, direct.pattern)
    np.testing.assert_array_equal(cached.out, direct.out)


def test_a_teaching_trace_is_keyed_by_the_sentence_and_the_source():
    plain = compute.teaching_trace(SENTENCE, BASE).trace
    cross = compute.teaching_trace(SENTENCE, BASE, "A dog ran.").trace
    other = compute.teaching_trace("A dog ran.", BASE).trace
    assert cross.is_cross and not plain.is_cross
    direct = run_teaching(SentencePieceTokenizer(), SENTENCE, BASE, source="A dog ran.").trace
    np.testing.assert_array_equal(cross.pattern, direct.pattern)
    assert other.pattern.shape != plain.pattern.shape


def test_a_model_trace_is_keyed_by_the_model():
    lm = compute.model_trace("ko-en-lm", SENTENCE)
    encoder = compute.model_trace("all-MiniLM-L6-v2", SENTENCE)
    assert lm.pattern.shape != encoder.pattern.shape
    model = compute.model("all-MiniLM-L6-v2")  # (the loaded model is shared; its runs are not cached)
    direct = model.run(model.tokenize(SENTENCE, compute.model_token_cap("all-MiniLM-L6-v2")))
    np.testing.assert_allclose(encoder.pattern, direct.pattern, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (((0, 0),), ((1, 3),)),  # other heads
        (((0, 0),), ((0, 0), (1, 1))),  # more heads
    ],
)
@pytest.mark.parametrize("mean", [False, True])
def test_an_ablation_is_keyed_by_the_heads_and_the_kind(first, second, mean):
    name = "ko-en-lm"
    compute.ablation(name, SENTENCE, first, mean, None)
    cached = compute.ablation(name, SENTENCE, second, mean, None)
    model = compute.model(name)
    tokens = compute.model_trace(name, SENTENCE).tokens
    means = interventions.reference_means(model) if mean else None
    direct = interventions.ablate(model, tokens, second, means, None)
    np.testing.assert_allclose(cached.after.probs, direct.after.probs, rtol=1e-6, atol=1e-9)
    zero = compute.ablation(name, SENTENCE, second, not mean, None)
    assert not np.allclose(zero.after.probs, cached.after.probs)


def test_an_ablation_is_keyed_by_the_position():
    name, heads = "ko-en-lm", ((0, 1),)
    at_2 = compute.ablation(name, SENTENCE, heads, False, 2)
    at_5 = compute.ablation(name, SENTENCE, heads, False, 5)
    model, tokens = compute.model(name), compute.model_trace(name, SENTENCE).tokens
    np.testing.assert_allclose(
        at_5.after.probs,
        interventions.ablate(model, tokens, heads, None, 5).after.probs,
        rtol=1e-6,
        atol=1e-9,
    )
    assert not np.allclose(at_2.after.probs, at_5.after.probs)


@pytest.mark.parametrize(
    "change", [{"query": 4}, {"key": 1}, {"layer": None, "head": None}, {"layer": 1}, {"head": 3}]
)
def test_a_knockout_is_keyed_by_query_key_layer_and_head(change):
    name = "ko-en-lm"
    base = {"query": 5, "key": 2, "layer": 0, "head": 0, "position": None}
    other = base | change
    compute.knockout(name, SENTENCE, **base)
    cached = compute.knockout(name, SENTENCE, **other)
    model, tokens = compute.model(name), compute.model_trace(name, SENTENCE).tokens
    direct = interventions.knockout(model, tokens, *other.values())
    np.testing.assert_allclose(cached.after.probs, direct.after.probs, rtol=1e-6, atol=1e-9)


def test_the_head_ranking_is_keyed_by_the_kind_of_ablation():
    zero = compute.head_effects("ko-en-lm", SENTENCE, False, None)
    mean = compute.head_effects("ko-en-lm", SENTENCE, True, None)
    assert zero.shape == mean.shape and not np.allclose(zero, mean)


def test_rollout_and_flow_are_keyed_by_the_model():
    lm = compute.rollout_and_flow("ko-en-lm", "The cat sat.")
    encoder = compute.rollout_and_flow("all-MiniLM-L6-v2", "The cat sat.")
    assert lm[0].shape != encoder[0].shape or not np.allclose(lm[0], encoder[0])


def test_a_text_atlas_is_keyed_by_the_model_and_the_text():
    text = "The cat sat. The dog ran. A bird sang."
    lm = compute.text_metrics("ko-en-lm", text)
    encoder = compute.text_metrics("all-MiniLM-L6-v2", text)
    shorter = compute.text_metrics("ko-en-lm", "The cat sat.")
    assert lm.n_sentences == 3 and shorter.n_sentences == 1
    first = dataclasses.fields(lm.metrics)[0].name  # every metric is [layer, head]
    assert getattr(lm.metrics, first).shape == (2, 4) and getattr(encoder.metrics, first).shape == (6, 12)
