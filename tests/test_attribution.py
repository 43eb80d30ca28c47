"""Attribution (issue 12): gradient × input against finite differences of the forward pass, occlusion
against whole runs on the shortened sentence, Spearman against hand-worked ranks, and "not available"
where a family has no backward pass."""

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from attention_core.attribution import (
    METHODS,
    NotAvailable,
    choose_target,
    occlusion_scores,
    raw_attention_scores,
    rollout_scores,
    spearman,
)
from attention_core.models.decoder import Decoder, decoder_embed
from attention_core.models.hf_folder import load_folder
from attention_core.models.registry import load_model
from attention_core.rollout import attention_rollout
from attention_core.tokens import InputError
from attention_core.train.input_gradient import attribute_four_ways, decoder_input_gradient, gradient_x_input

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SENTENCE = "The animal didn't cross the street because it was too tired."


def as_float64(value):
    """Every array inside nested weight dataclasses and tuples as float64 (for finite differences)."""
    if isinstance(value, np.ndarray):
        return value.astype(np.float64)
    if dataclasses.is_dataclass(value):
        return dataclasses.replace(
            value, **{f.name: as_float64(getattr(value, f.name)) for f in dataclasses.fields(value)}
        )
    if isinstance(value, tuple):
        return tuple(as_float64(v) for v in value)
    return value


@pytest.fixture(scope="module", params=["tiny-gpt2", "ko-en-lm"])
def decoder64(request):
    model = load_folder(FIXTURES / "tiny-gpt2") if request.param == "tiny-gpt2" else load_model("ko-en-lm")
    return Decoder(model.config, model.tokenizer, as_float64(model.weights))


@pytest.fixture(scope="module")
def minilm():
    return load_model("all-MiniLM-L6-v2")


def logit_from_x0(model, x0, token_id):
    """The forward pass from x₀ (the stream entering block 0): the logit of ``token_id`` after the last."""
    return model.unembed(model.resume(x0, 0)[-1])[token_id]


@pytest.mark.parametrize("position", [5, None])
def test_gradient_x_input_equals_finite_differences(decoder64, position):
    model = decoder64
    clean = model.run(model.tokenize(SENTENCE))
    target = choose_target(model, clean, position, token_id=37)
    scores = gradient_x_input(model, clean, target)  # [P + 1]
    x0 = decoder_embed(model.weights, clean.tokens.id_array[: target.position + 1])  # [P + 1, d_model]
    assert scores.shape == (len(x0),)
    eps = 1e-5
    for t in range(len(x0)):  # d/dα y(x₀ with row t times α) at α = 1 is Σ_d ∂y/∂x₀[t, d] · x₀[t, d]
        up, down = x0.copy(), x0.copy()
        up[t] *= 1 + eps
        down[t] *= 1 - eps
        slope = (logit_from_x0(model, up, 37) - logit_from_x0(model, down, 37)) / (2 * eps)
        assert scores[t] == pytest.approx(slope, rel=1e-6, abs=1e-8)


def test_input_gradient_in_a_random_direction(decoder64):
    """The whole gradient, not only its products with x₀: along a random direction u."""
    model = decoder64
    ids = model.tokenize(SENTENCE).id_array[:8]
    grad = decoder_input_gradient(model.weights, ids, token_id=11)  # [8, d_model]
    u = np.random.default_rng(0).normal(size=grad.shape)  # [8, d_model]
    x0, eps = decoder_embed(model.weights, ids), 1e-6
    slope = (logit_from_x0(model, x0 + eps * u, 11) - logit_from_x0(model, x0 - eps * u, 11)) / (2 * eps)
    assert float((grad * u).sum()) == pytest.approx(slope, rel=1e-6)


def test_occlusion_equals_runs_on_the_shortened_sentence():
    model = load_model("ko-en-lm")
    clean = model.run(model.tokenize(SENTENCE))
    target = choose_target(model, clean, position=7)
    scores = occlusion_scores(model, clean, target)
    ids = list(clean.tokens.ids[:8])
    y = clean.logits[7, target.token_id]
    for t in range(8):
        shorter = model.run(ids[:t] + ids[t + 1 :])  # a whole run, written here
        assert scores[t] == pytest.approx(y - shorter.logits[-1, target.token_id], abs=2e-4)


def test_occlusion_of_an_encoder_drops_each_token_from_the_embedding(minilm):
    clean = minilm.run(minilm.tokenize("The cat sat on the mat."))
    target = choose_target(minilm, clean)
    scores = occlusion_scores(minilm, clean, target)
    ids = list(clean.tokens.ids)
    for t in (0, 3, len(ids) - 1):
        h = minilm.run(ids[:t] + ids[t + 1 :]).hidden[-1].astype(np.float64).mean(axis=0)
        cos = h @ target.compare_to / np.linalg.norm(h)
        assert scores[t] == pytest.approx(1 - cos, abs=1e-5)


def test_attention_scores_are_rows_of_the_last_layer_and_of_rollout():
    model = load_model("ko-en-lm")
    clean = model.run(model.tokenize(SENTENCE))
    target = choose_target(model, clean, position=9)
    np.testing.assert_allclose(
        raw_attention_scores(model, clean, target), clean.pattern[-1, :, 9, :10].mean(0)
    )
    np.testing.assert_allclose(rollout_scores(model, clean, target), attention_rollout(clean.pattern)[9, :10])


def test_spearman_against_hand_worked_ranks():
    assert spearman([1, 2, 3, 4], [4, 8, 9, 30]) == pytest.approx(1)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1)
    # ties share their mean rank: ranks (1.5, 1.5, 3, 4) and (1, 2, 3, 4), both centred on 2.5:
    # Σ products = 1.5 + 0.5 + 0.25 + 2.25 = 4.5; Σ squares 4.5 and 5  →  ρ = 4.5 / √22.5
    assert spearman([1, 1, 2, 3], [1, 2, 3, 4]) == pytest.approx(4.5 / np.sqrt(22.5))
    assert spearman([-3, 1, 2], [3, 1, 2]) == pytest.approx(1)  # magnitudes are ranked
    assert np.isnan(spearman([1, 1, 1], [1, 2, 3]))  # no ranking at all: undefined, not 0


def test_four_ways_for_a_language_model():
    model = load_model("ko-en-lm")
    tokens = model.tokenize(SENTENCE)
    result = attribute_four_ways(model, tokens, position=6)
    assert len(result.labels) == 7 and result.target.token_id == int(np.argmax(model.run(tokens).logits[6]))
    assert all(result.scores[m].shape == (7,) for m in METHODS)
    assert len(result.agreement) == 6 and all(-1 <= v <= 1 for v in result.agreement.values())


def test_an_encoder_has_no_gradient_and_says_so(minilm):
    result = attribute_four_ways(minilm, minilm.tokenize(SENTENCE))
    assert isinstance(result.scores["gradient_x_input"], NotAvailable)
    assert "no backward pass" in result.scores["gradient_x_input"].reason
    assert set(result.agreement) == {
        ("raw_attention", "rollout"),
        ("raw_attention", "occlusion"),
        ("rollout", "occlusion"),
    }
    assert result.value == pytest.approx(1.0)  # the embedding compared with itself


def test_a_first_token_has_nothing_to_occlude():
    model = load_model("ko-en-lm")
    with pytest.raises(InputError, match="at least two tokens"):
        attribute_four_ways(model, model.tokenize(SENTENCE), position=0)


def test_occlusion_is_refused_beyond_its_ceiling(minilm):
    clean = minilm.run(minilm.tokenize("attention " * 120, max_tokens=100))  # 100 runs of 99 tokens
    with pytest.raises(InputError, match="use a shorter sentence"):
        occlusion_scores(minilm, clean, choose_target(minilm, clean))
