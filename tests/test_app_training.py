"""AppTest for /training: the snapshot slider, the loss curve, and the chosen head's pattern at that step,
checked against the independent forward of tests/test_model_own_lm.py run on the snapshot's own file."""

import json

import numpy as np
import pytest

from attention_core.models.own_lm import FOLDER as OWN_MODEL_DIR
from attention_core.tokenizer import SentencePieceTokenizer
from tests.apptest_helpers import array, figure, head_blocks, open_page, subplot_titles, texts
from tests.test_model_own_lm import naive_forward, read_weights

HISTORY = json.loads((OWN_MODEL_DIR / "history.json").read_text())
CONFIG = json.loads((OWN_MODEL_DIR / "config.json").read_text())
STEPS = [s["step"] for s in HISTORY["snapshots"]]
PHASE = HISTORY["phase_change"]


def expected_pattern(step, ids, layer, head):
    weights = read_weights(OWN_MODEL_DIR / "snapshots" / f"step-{step:06d}.npz")
    pattern, _ = naive_forward(weights, CONFIG, ids)
    return pattern[layer, head]


@pytest.mark.parametrize("sentence", ["나는 어제 학교에 갔다.", "She opened the window."])
def test_moving_the_slider_changes_the_pattern_to_that_snapshots(sentence):
    at = open_page("/training", sentence=sentence, layer="0", head="0")
    assert not at.exception
    slider = at.select_slider(key="training_step")
    assert list(slider.options) == [str(s) for s in STEPS] and slider.value == STEPS[-1]
    fig = figure(at, "training_pattern")
    labels = fig["layout"]["yaxis"]["ticktext"]
    assert labels[0] == "&lt;s&gt;" and len(labels) > 4
    ids = SentencePieceTokenizer().encode(sentence, add_bos=True).ids
    (final,) = head_blocks(fig)
    np.testing.assert_allclose(final, expected_pattern(STEPS[-1], ids, 0, 0), atol=2e-5)

    early = STEPS[2]
    at.select_slider(key="training_step").set_value(early).run()
    assert not at.exception
    fig = figure(at, "training_pattern")
    (block,) = head_blocks(fig)
    np.testing.assert_allclose(block, expected_pattern(early, ids, 0, 0), atol=2e-5)
    assert np.abs(block - final).max() > 0.05  # the head changed while it learned
    assert subplot_titles(fig) == [f"Layer 0, head 0 · step {early}"]
    loss = figure(at, "training_loss")
    vertical = [s["x0"] for s in loss["layout"]["shapes"] if s["type"] == "line" and s["x0"] == s["x1"]]
    assert vertical == [early]  # the loss curve marks the chosen snapshot


def test_caption_and_findings_show_the_measured_numbers():
    at = open_page("/training", sentence="The cat sat on the mat.")
    first = HISTORY["snapshots"][0]
    at.select_slider(key="training_step").set_value(0).run()
    page = texts(at)
    assert f"Korean {first['val']['ko']:.3f}, English {first['val']['en']:.3f}" in page
    best = HISTORY["final"]["heads"]["best_previous_token_head"]
    assert f"Layer {best['layer']}, head {best['head']} puts {best['to_previous']:.3f}" in page
    layer, head = PHASE["head"]
    assert f"Emerged: an induction head.** Layer {layer}, head {head}".replace("**", "") in page.replace(
        "**", ""
    )
    assert f"climbs steeply until step {PHASE['end']:,} (the shaded band) and ends training at" in page
    assert f"until step {PHASE['start']:,}" in page and f"at {PHASE['score_after']:.2f};" in page


def test_phase_change_is_shaded_on_both_curves_and_the_probe_is_drawn_as_logged():
    at = open_page("/training", sentence="The cat sat on the mat.")
    assert not at.exception
    probe = np.array(HISTORY["probe"])  # [probe, 6]
    curves = figure(at, "training_phase")
    score = next(t for t in curves["data"] if t["name"] == "best induction score")
    np.testing.assert_allclose(array(score["x"]), probe[:, 0])
    np.testing.assert_allclose(array(score["y"]), probe[:, 1])
    for key in ("training_phase", "training_loss"):
        band = next(t for t in figure(at, key)["data"] if t["name"] == "phase change")
        assert min(array(band["x"])) == PHASE["start"] and max(array(band["x"])) == PHASE["end"]


def test_the_induction_head_on_the_sentence_written_twice_draws_the_stripe_after_the_change():
    sentence = "The cat sat on the mat because it was tired."
    layer, head = PHASE["head"]
    at = open_page("/training", sentence=sentence)
    ids = SentencePieceTokenizer().encode(f"{sentence} {sentence}", add_bos=True).ids
    T = (len(ids) - 1) // 2
    assert ids[1 : 1 + T] == ids[1 + T :]  # the sentence twice, piece for piece
    stripe = {}
    for step in (STEPS[0], STEPS[-1]):
        at.select_slider(key="training_step").set_value(step).run()
        assert not at.exception
        (block,) = head_blocks(figure(at, "training_copy"))
        np.testing.assert_allclose(block, expected_pattern(step, ids, layer, head), atol=2e-5)
        second = np.arange(1 + T, 1 + 2 * T)  # [T]  positions of the second copy
        stripe[step] = block[second[:-1], second[:-1] - T + 1].mean()  # attention to what came next last time
    assert stripe[STEPS[-1]] > 0.3 > stripe[STEPS[0]]


def test_training_page_in_korean_and_with_bad_input():
    at = open_page("/training", lang="ko", sentence="<script>alert(1)</script> 😀")
    assert not at.exception
    assert "학습 단계" in at.select_slider(key="training_step").label
    labels = figure(at, "training_pattern")["layout"]["yaxis"]["ticktext"]
    assert labels[0] == "&lt;s&gt;" and not any("<" in label for label in labels)  # escaped for Plotly
    at = open_page("/training", sentence="")
    assert not at.exception
