"""The shipped bilingual model (assets/model/ko-en-lm): it loads, matches its config and card, fits the
size budget, and its training shows in its snapshots."""

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from attention_core.models.own_lm import FOLDER as MODEL_DIR
from attention_core.models.own_lm import list_snapshots, load_config, param_shapes
from attention_core.models.own_lm import load_own_lm as load_model
from attention_core.tokenizer import SentencePieceTokenizer
from attention_core.weights import AttentionWeights

SIZE_BUDGET = 30 * 1024 * 1024  # issue 13: the tokenizer and the model together
# Written for this test (not from the training corpus): everyday sentences in both languages.
SENTENCES = [
    "오늘은 날씨가 맑아서 공원에 산책을 갔습니다.",
    "이 버튼을 누르면 문서가 저장됩니다.",
    "우리는 저녁에 친구들과 함께 밥을 먹었습니다.",
    "설정 메뉴에서 언어를 한국어로 바꿀 수 있습니다.",
    "The children walked to school in the morning.",
    "Click the button to save your document.",
    "We had dinner with our friends last night.",
    "You can change the language in the settings menu.",
]


@pytest.fixture(scope="module")
def model():
    return load_model()


@pytest.fixture(scope="module")
def history():
    return json.loads((MODEL_DIR / "history.json").read_text())


def mean_loss(model, tokenizer):
    losses = []
    for sentence in SENTENCES:
        ids = tokenizer.encode(sentence, add_bos=True).id_array
        logits = model.run(ids).logits[:-1]  # [pos - 1, d_vocab]  predicting tokens 1..
        log_probs = logits - logits.max(-1, keepdims=True)
        log_probs -= np.log(np.exp(log_probs).sum(-1, keepdims=True))
        losses.append(-log_probs[np.arange(len(ids) - 1), ids[1:]].mean())
    return float(np.mean(losses))


def test_config_uses_design_names_and_the_bundled_tokenizer(model):
    config = json.loads((MODEL_DIR / "config.json").read_text())
    for name in ("d_model", "n_heads", "d_k", "d_v", "n_layers", "n_ctx", "d_vocab", "d_mlp", "positions"):
        assert name in config
    assert config["d_vocab"] == SentencePieceTokenizer().vocab_size
    assert load_config(MODEL_DIR) == model.config


def test_weights_file_has_every_key_in_design_layout(model):
    with np.load(MODEL_DIR / "weights.npz") as saved:
        assert set(saved.files) == set(param_shapes(model.config))
        for name, shape in param_shapes(model.config).items():
            assert saved[name].shape == shape
            assert saved[name].dtype == np.float16
        for layer in range(model.config.n_layers):
            p = f"blocks.{layer}.attn."
            weights = AttentionWeights(*(saved[p + n] for n in ("W_Q", "W_K", "W_V", "W_O")))
            assert (weights.n_heads, weights.d_k, weights.d_v) == (
                model.config.n_heads,
                model.config.d_k,
                model.config.d_v,
            )


def test_assets_fit_the_size_budget():
    total = sum(p.stat().st_size for p in Path(MODEL_DIR).parent.parent.rglob("*") if p.is_file())
    assert total <= SIZE_BUDGET


def test_snapshots_span_training_and_crowd_around_the_phase_change(history):
    steps = list_snapshots(MODEL_DIR)
    assert len(steps) >= 7
    assert steps[0] == 0 and steps[-1] == history["final"]["step"]
    assert [s["step"] for s in history["snapshots"]] == steps
    phase = history["phase_change"]
    width = max(phase["end"] - phase["start"], 100)
    around = [s for s in steps if phase["start"] - width <= s <= phase["end"] + width]
    assert len(around) >= 4  # before, during and after the change
    assert any(s < phase["start"] for s in around) and any(s > phase["end"] for s in around)


def test_an_induction_head_formed_and_copies_held_out_sentences(history):
    final = history["final"]
    induction = np.array(final["heads"]["induction"])  # [layer, head]
    assert induction.max() >= 0.3
    layer, head = history["phase_change"]["head"]
    assert induction[layer, head] >= induction.max() - 0.05  # the probe's head is (one of) the strongest
    assert (induction[0] < 0.05).all()  # no head of layer 0 copies: induction needs a head before it
    card = (MODEL_DIR / "CARD.md").read_text()
    assert f"{int((induction[1] > 0.5).sum())} of the 4 heads of layer 1 end above 0.5" in card
    for lang in ("ko", "en"):
        pair = final["sentence_repeat"][lang]
        assert pair["repeat"] < 0.8 * pair["first"]  # the second copy of a held-out sentence is easier …
        ratio = pair["repeat"] / pair["first"]  # … but not half as hard (issue 13's target): the card says so
        assert ratio <= 0.5 or f"({ratio:.2f})" in card
    before = history["snapshots"][1]["heads"]  # the first snapshot after step 0, before the change
    assert max(map(max, before["induction"])) < 0.1


def test_trained_model_predicts_new_sentences_better_than_at_its_start(model):
    tokenizer = SentencePieceTokenizer()
    start = load_model(step=0)
    early = load_model(step=list_snapshots(MODEL_DIR)[2])
    final_loss = mean_loss(model, tokenizer)
    assert final_loss < mean_loss(early, tokenizer) < mean_loss(start, tokenizer)
    assert mean_loss(start, tokenizer) == pytest.approx(math.log(model.config.d_vocab), abs=0.1)  # chance
    assert final_loss < 6.0


def test_quantised_last_snapshot_gives_the_patterns_of_the_final_weights(model):
    last = load_model(step=list_snapshots(MODEL_DIR)[-1])
    ids = SentencePieceTokenizer().encode(SENTENCES[0], add_bos=True).id_array
    quantised, exact = last.run(ids).pattern, model.run(ids).pattern  # [layer, head, query, key]
    # int8 embedding rows move a logit by up to ~1/254 of its row's largest weight: a few hundredths at most
    np.testing.assert_allclose(quantised, exact, atol=0.03)
    assert np.abs(quantised - exact).mean() < 0.002


def test_card_reports_the_measured_numbers(history):
    card = (MODEL_DIR / "CARD.md").read_text()
    final, baselines = history["final"], history["baselines"]
    for lang in ("ko", "en"):
        assert f"{final['val'][lang]:.3f}" in card
        assert f"{baselines['bigram'][lang]:.3f}" in card
        assert f"{baselines['unigram'][lang]:.3f}" in card
        assert final["percent_below_bigram"][lang] > 0.0  # better than the bigram …
    below = final["percent_below_bigram"]
    if min(below.values()) < 12.0:  # … but issue 13's bar is 12%: the card must say it is missed
        missed = [lang for lang in below if below[lang] < 12.0]
        for lang in missed:
            name = {"ko": "Korean", "en": "English"}[lang]
            assert f"{name} misses it\n({below[lang]:.1f}%)" in card
    best = final["heads"]["best_previous_token_head"]
    assert best["times_uniform"] >= 3.0
    assert re.search(rf"{best['to_previous']:.3f}", card)
    assert history["command"] in card
