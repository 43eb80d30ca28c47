"""Predictions against transformers' own numbers in tests/fixtures/reference (made by
scripts/make_reference_fixtures.py): next-token probabilities = softmax of the stored logits, the
sentence embedding = the normalised mean of the stored last hidden states."""

from pathlib import Path

import numpy as np
import pytest

from attention_core.models.hf_folder import load_folder
from attention_core.models.registry import load_model
from attention_core.predict import (
    ModelOutput,
    check_position,
    cosine,
    effect,
    embedding_cosine,
    output_of_trace,
    sentence_log_probs,
    top_predictions,
)
from attention_core.tokens import InputError
from tests.test_model_parity import MINILM, TINY_GPT2

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def softmax(logits):
    """Written here: exp(l − max) / Σ exp(l − max), in float64."""
    shifted = np.exp(logits.astype(np.float64) - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


@pytest.fixture(scope="module")
def tiny_gpt2():
    return load_folder(FIXTURES / "tiny-gpt2")


@pytest.fixture(scope="module")
def minilm():
    return load_model("all-MiniLM-L6-v2")


@pytest.mark.parametrize("case", TINY_GPT2, ids=[str(c["sentence"])[:24] for c in TINY_GPT2])
def test_tiny_gpt2_probabilities_equal_softmax_of_transformers_logits(tiny_gpt2, case):
    trace = tiny_gpt2.run(case["ids"].tolist())
    expected = softmax(case["logits"])  # [pos, d_vocab]
    for position in range(len(case["ids"])):
        output = output_of_trace(tiny_gpt2, trace, position)
        np.testing.assert_allclose(output.probs, expected[position], atol=2e-6, rtol=2e-4)
    top = top_predictions(tiny_gpt2, output_of_trace(tiny_gpt2, trace), k=10)  # the last position
    assert [p.token_id for p in top] == np.argsort(-expected[-1], kind="stable")[:10].tolist()
    np.testing.assert_allclose([p.probability for p in top], np.sort(expected[-1])[::-1][:10], rtol=2e-4)
    assert top[0].label == tiny_gpt2.tokenizer.from_ids([top[0].token_id]).labels[0]


@pytest.mark.parametrize("case", TINY_GPT2, ids=[str(c["sentence"])[:24] for c in TINY_GPT2])
def test_tiny_gpt2_sentence_log_probs(tiny_gpt2, case):
    ids = case["ids"]
    expected = np.log(softmax(case["logits"]))[np.arange(len(ids) - 1), ids[1:]]  # [pos - 1]
    actual = sentence_log_probs(tiny_gpt2.run(ids.tolist()))
    assert actual.shape == (len(ids) - 1,)
    np.testing.assert_allclose(actual, expected, atol=2e-4)


def test_minilm_embedding_is_the_normalised_mean_of_transformers_hidden_states(minilm):
    for case in MINILM:
        mean = case["hidden"][-1].astype(np.float64).mean(axis=0)  # [d_model]
        expected = mean / np.sqrt((mean**2).sum())
        output = output_of_trace(minilm, minilm.run(case["ids"].tolist()))
        np.testing.assert_allclose(output.embedding, expected, atol=1e-5)
        assert output.log_probs is None and output.position is None


def test_minilm_cosine_of_two_sentences(minilm):
    first, second = MINILM[0], MINILM[1]
    means = [c["hidden"][-1].astype(np.float64).mean(axis=0) for c in (first, second)]
    expected = means[0] @ means[1] / (np.linalg.norm(means[0]) * np.linalg.norm(means[1]))
    actual = embedding_cosine(minilm, str(first["sentence"]), str(second["sentence"]))
    assert actual == pytest.approx(expected, abs=1e-5)
    assert embedding_cosine(minilm, "The cat sat.", "The cat sat.") == pytest.approx(1.0)


def test_effect_is_kl_for_a_language_model_and_one_minus_cosine_for_an_encoder(tiny_gpt2, minilm):
    trace = tiny_gpt2.run(TINY_GPT2[0]["ids"].tolist())
    p, q = output_of_trace(tiny_gpt2, trace, 3), output_of_trace(tiny_gpt2, trace, 4)
    expected = float(np.sum(p.probs * np.log(p.probs / q.probs)))
    assert effect(p, q) == pytest.approx(expected, rel=1e-9)
    assert effect(p, p) == 0
    a = output_of_trace(minilm, minilm.run(MINILM[0]["ids"].tolist()))
    b = output_of_trace(minilm, minilm.run(MINILM[1]["ids"].tolist()))
    assert effect(a, b) == pytest.approx(1 - float(cosine(a.embedding, b.embedding)))


def test_positions_outside_the_sentence_are_refused():
    assert check_position(None, 5) == 4 and check_position(0, 5) == 0
    for bad in (5, -1, 2.0, True, "1"):
        with pytest.raises(InputError, match="not one of the 5 tokens"):
            check_position(bad, 5)


def test_an_encoder_predicts_no_tokens(minilm):
    with pytest.raises(InputError, match="not a language model"):
        sentence_log_probs(minilm.run(minilm.tokenize("The cat sat.")))


def test_each_candidate_is_labelled_on_its_own(tiny_gpt2):
    """Byte-level pieces 169 (the byte 0xEC) and 333 (0xAA 0xA8) labelled together spell "쪨": two
    candidates of a top-k list are not one word."""
    assert tiny_gpt2.tokenizer.from_ids([169, 333]).labels == ("쪨 1/3", "쪨 2-3/3")
    log_probs = np.full(400, -50.0)
    log_probs[[169, 333]] = np.log(0.5)
    top = top_predictions(tiny_gpt2, ModelOutput(log_probs, None, 0), k=2)
    assert [p.label for p in top] == ["<0xEC>", "<0xAA>+<0xA8>"]
