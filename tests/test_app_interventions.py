"""AppTest of /interventions: what the page shows after switching heads off equals a model whose weights
this test changes itself (W_O's rows of the head set to zero), and the ranking, rollout and bad input
behave as a user would expect."""

import numpy as np
import pytest

from attention_core.models.registry import load_model
from tests.apptest_helpers import figure, head_blocks, open_page, texts
from tests.test_interventions import head_rows, with_attention

SENTENCE = "The animal didn't cross the street because it was too tired."


@pytest.fixture(scope="module")
def lm():
    return load_model("ko-en-lm")


def without_head(model, layer, head):
    """The model with head (layer, head)'s rows of W_O set to zero: its output no longer reaches the rest."""
    W_O = model.attention_weights(layer).W_O.copy()  # [head·d_v, d_model]
    W_O[head_rows(model, head)] = 0
    return with_attention(model, layer, W_O=W_O)


def softmax(logits):
    e = np.exp(logits - logits.max())
    return e / e.sum()


def test_switching_a_head_off_shows_the_prediction_of_the_model_without_it(lm):
    at = open_page("/interventions", model="ko-en-lm", sentence=SENTENCE, ablate="0.2", effects_position="6")
    assert not at.exception, at.exception
    tokens = lm.tokenize(SENTENCE)
    p_before = softmax(lm.run(tokens).logits[6].astype(np.float64))
    p_after = softmax(without_head(lm, 0, 2).run(tokens).logits[6].astype(np.float64))
    table = at.dataframe[0].value
    labels = [lm.tokenizer.from_ids([i]).labels[0] for i in np.argsort(-p_before)[:10]]
    assert list(table.iloc[:10, 0]) == labels
    np.testing.assert_allclose(table.iloc[:10, 1], np.sort(p_before)[::-1][:10], atol=1e-5)
    ids = np.argsort(-p_before)[:10]
    np.testing.assert_allclose(table.iloc[:10, 2], p_after[ids], atol=1e-5)
    kl = float(np.sum(p_before * (np.log(p_before) - np.log(p_after))))
    assert at.metric[0].value == f"{kl:.4f}"
    assert at.query_params["ablate"] in ("0.2", ["0.2"])


def test_switching_an_encoder_head_off_changes_its_embedding_as_the_model_without_it():
    model = load_model("all-MiniLM-L6-v2")
    at = open_page("/interventions", model="all-MiniLM-L6-v2", sentence=SENTENCE, ablate="5.11")
    assert not at.exception, at.exception
    tokens = model.tokenize(SENTENCE)

    def embedding(m):
        mean = m.run(tokens).hidden[-1].astype(np.float64).mean(axis=0)
        return mean / np.linalg.norm(mean)

    change = 1 - float(embedding(model) @ embedding(without_head(model, 5, 11)))
    assert at.metric[0].value == f"{change:.5f}"


def test_ranking_puts_first_the_head_whose_removal_changes_the_prediction_most(lm):
    at = open_page("/interventions", model="ko-en-lm", sentence=SENTENCE, effects_view="rank")
    assert not at.exception, at.exception
    tokens = lm.tokenize(SENTENCE)
    p = softmax(lm.run(tokens).logits[-1].astype(np.float64))
    kl = {}
    for layer in range(2):
        for head in range(4):
            q = softmax(without_head(lm, layer, head).run(tokens).logits[-1].astype(np.float64))
            kl[layer, head] = float(np.sum(p * (np.log(p) - np.log(q))))
    table = at.dataframe[0].value
    assert (int(table.iloc[0, 0]), int(table.iloc[0, 1])) == max(kl, key=kl.get)
    np.testing.assert_allclose(
        sorted(table.iloc[:, 2], reverse=True), sorted(kl.values(), reverse=True), atol=1e-4
    )


def test_rollout_is_the_product_of_the_layers_averaged_attention_with_the_residual(lm):
    at = open_page("/interventions", model="ko-en-lm", sentence=SENTENCE, effects_view="rollout")
    pattern = lm.run(lm.tokenize(SENTENCE)).pattern.astype(np.float64)  # [layer, head, q, k]
    n = pattern.shape[-1]
    rollout = np.eye(n)
    for layer in range(pattern.shape[0]):  # Abnar & Zuidema: ½ (mean over heads) + ½ I, rows renormalised
        a = 0.5 * pattern[layer].mean(axis=0) + 0.5 * np.eye(n)
        rollout = (a / a.sum(axis=1, keepdims=True)) @ rollout
    raw, shown_rollout, flow = head_blocks(figure(at, "effects_rollout"))
    np.testing.assert_allclose(raw, pattern[-1].mean(axis=0), atol=1e-5)
    np.testing.assert_allclose(shown_rollout, rollout, atol=1e-5)
    assert np.all(flow <= 1 + 1e-9)


@pytest.mark.parametrize("given", ["9.9", "0.x", "1.2,1.2,99", "-1.0", "0.0" * 3000])
def test_bad_heads_in_the_url_get_a_message_and_the_page_keeps_working(given):
    at = open_page("/interventions", model="ko-en-lm", ablate=given)
    assert not at.exception, at.exception
    assert at.warning, texts(at)
    assert at.text_input(key="sentence").value == SENTENCE or at.text_input(key="sentence").value


def test_attribution_shows_four_methods_and_the_caveat():
    at = open_page(
        "/interventions", model="ko-en-lm", sentence=SENTENCE, effects_view="attribution", lang="ko"
    )
    assert not at.exception, at.exception
    fig = figure(at, "effects_attribution")
    assert len([trace for trace in fig["data"] if trace["type"] == "bar"]) == 4
    assert "Jain & Wallace" in texts(at) and "어텐션 가중치" in texts(at)
    assert len(at.dataframe[0].value) == 6  # every pair of the four methods


def test_knockout_in_every_layer_renders_before_and_after():
    at = open_page("/interventions", model="ko-en-lm", sentence=SENTENCE, effects_view="knockout")
    assert not at.exception, at.exception
    assert at.metric and len(at.dataframe[0].value) >= 10
