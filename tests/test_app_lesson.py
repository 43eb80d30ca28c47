"""AppTest of the guided lesson (/lesson): every question is answered first and revealed after, and each
revealed answer equals what this test recomputes from an independent trace."""

import re

import numpy as np
import pytest

from attention_core.config import AttentionConfig
from attention_core.lesson import SOURCE
from attention_core.models.registry import load_model
from attention_core.teaching import run_teaching
from attention_core.tokenizer import SentencePieceTokenizer
from tests.apptest_helpers import open_page, texts

SENTENCE = "The animal didn't cross the street because it was too tired."
TOKENIZER = SentencePieceTokenizer()


def question(at):
    """The step's answer choice (pills keyed lesson_<step>_<crc>_pick)."""
    return next(b for b in at.button_group if b.key and re.fullmatch(r"lesson_\w+_[0-9a-f]{8}_pick", b.key))


def answer(at, option: int):
    """Pick ``option`` and press Reveal; returns the page after."""
    question(at).set_value(option).run()
    next(b for b in at.button if b.key and b.key.endswith("_reveal")).click().run()
    assert not at.exception, at.exception
    return at


def token_option(at, position: int) -> int:
    """The option that names the token at ``position`` ("`5 · 가`")."""
    return next(i for i, o in enumerate(question(at).options) if o.strip("`").startswith(f"{position} · "))


def entropy_bits(pattern: np.ndarray) -> float:
    """Mean over the rows of one head's pattern [q, k] of −Σ p log₂ p, written as a loop."""
    rows = [-sum(p * np.log2(p) for p in row if p > 0) for row in pattern]
    return float(np.mean(rows))


def test_nothing_is_revealed_before_an_answer_is_picked():
    at = open_page("/lesson", sentence=SENTENCE)
    assert not at.exception
    assert not at.get("plotly_chart")  # the figures would give the answer away
    reveal = next(b for b in at.button if b.key and b.key.endswith("_reveal"))
    assert reveal.disabled
    assert len(question(at).options) > 1


def test_attention_step_reveals_the_argmax_of_the_query_row_over_the_other_sentence():
    run = run_teaching(TOKENIZER, SENTENCE, AttentionConfig(), SOURCE)
    it = run.tokens.labels.index("▁it")
    best = int(np.argmax(run.trace.pattern[0, it]))
    at = open_page("/lesson", sentence=SENTENCE, step="1")
    at = answer(at, token_option(at, best))
    assert at.success, texts(at)
    assert f"{best} · {run.tokens_kv.labels[best]}" in texts(at)
    assert len(at.get("plotly_chart")) == 1


def test_self_attention_step_reveals_the_argmax_and_a_wrong_guess_is_told_the_answer():
    run = run_teaching(TOKENIZER, SENTENCE, AttentionConfig())
    it = run.tokens.labels.index("▁it")
    best = int(np.argmax(run.trace.pattern[0, it]))
    wrong = 0 if best != 0 else 1
    at = open_page("/lesson", sentence=SENTENCE, step="2")
    at = answer(at, token_option(at, wrong))
    assert not at.success
    assert f"{best} · {run.tokens.labels[best]}" in at.warning[0].value


def test_temperature_step_reveals_the_entropy_change():
    cool = run_teaching(TOKENIZER, SENTENCE, AttentionConfig(temperature=1.0)).trace.pattern
    hot = run_teaching(TOKENIZER, SENTENCE, AttentionConfig(temperature=3.0)).trace.pattern
    h_cool = np.mean([entropy_bits(p) for p in cool])
    h_hot = np.mean([entropy_bits(p) for p in hot])
    assert h_hot > h_cool  # dividing the scores by 3 flattens the softmax
    at = open_page("/lesson", sentence=SENTENCE, step="3")
    flatter = next(i for i, o in enumerate(question(at).options) if o.startswith("Flatter"))
    at = answer(at, flatter)
    assert at.success
    assert f"{h_cool:.2f} bits" in texts(at) and f"{h_hot:.2f} bits" in texts(at)


@pytest.mark.parametrize("heads", ["2", "4"])
def test_multi_head_step_asks_for_the_concat_shape(heads):
    config = AttentionConfig(n_heads=int(heads))
    n = len(TOKENIZER.encode(SENTENCE))
    at = open_page("/lesson", sentence=SENTENCE, step="4", heads=heads)
    right = f"{n} × {config.n_heads * config.d_v}"
    at = answer(at, question(at).options.index(right))
    assert at.success
    assert len(at.get("plotly_chart")) == 2  # every head, then concat · W_O


def test_dimension_example_step_asks_for_the_shape_of_W_O():
    at = open_page("/lesson", sentence=SENTENCE, step="5")
    at = answer(at, question(at).options.index("24 × 4"))  # 3 heads × d_v 8 = 24 rows, d_model 4 columns
    assert at.success
    assert "2 × 4" in texts(at)


def test_real_heads_step_reveals_the_argmax_of_the_trained_head_it_names():
    at = open_page("/lesson", sentence=SENTENCE, step="6")
    asked = re.search(r"layer (\d+), head (\d+)", texts(at))
    layer, head = int(asked[1]), int(asked[2])
    trace = load_model("ko-en-lm").run(load_model("ko-en-lm").tokenize(SENTENCE))
    it = trace.tokens.labels.index("▁it")
    best = int(np.argmax(trace.pattern[layer, head, it]))
    at = answer(at, token_option(at, best))
    assert at.success
    assert f"{best} · {trace.tokens.labels[best]}" in texts(at)


def test_lesson_in_korean():
    sentence = "고양이가 창가에서 잠을 잤다."
    n, config = len(TOKENIZER.encode(sentence)), AttentionConfig()
    at = open_page("/lesson", sentence=sentence, lang="ko", step="4")
    assert "concat의 크기" in texts(at)
    at = answer(at, question(at).options.index(f"{n} × {config.n_heads * config.d_v}"))
    assert at.success[0].value == "맞았습니다!"
