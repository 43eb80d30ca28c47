"""The head atlas on a visitor's text: sentences, the average over them, progress, CSV, bad input."""

import csv
import io

import numpy as np
import pytest

from attention_core.heads import SCORE_NAMES, head_metrics
from attention_core.limits import MAX_ATLAS_TEXT_BYTES, MAX_ATLAS_TOKENS
from attention_core.models.registry import load_model
from attention_core.text_atlas import metrics_csv, read_text, split_sentences, text_metrics
from attention_core.tokens import InputError

TEXT = """The cat sat on the mat. It was warm!   Was it tired?
고양이가 창가에서 잠을 잤다. 비가 와서 우리는 집에 있었다.

A line without an end"""
SENTENCES = [
    "The cat sat on the mat.",
    "It was warm!",
    "Was it tired?",
    "고양이가 창가에서 잠을 잤다.",
    "비가 와서 우리는 집에 있었다.",
    "A line without an end",
]


@pytest.fixture(scope="module")
def model():
    return load_model("ko-en-lm")


def test_sentences_end_at_punctuation_and_line_breaks():
    assert split_sentences(TEXT) == SENTENCES
    assert split_sentences("  \n\n ") == []
    assert split_sentences("3.14 is pi. Yes.") == ["3.14 is pi.", "Yes."]  # no space after the dot: no end


def test_text_metrics_average_every_sentence_equally(model):
    calls = []
    atlas = text_metrics(model, TEXT, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(i, 6) for i in range(1, 7)]
    runs = [model.run(model.tokenize(s)) for s in SENTENCES]
    per_sentence = [head_metrics(r.pattern, r.tokens, r.mask) for r in runs]
    for name in SCORE_NAMES:
        expected = np.mean([getattr(m, name) for m in per_sentence], axis=0)  # [layer, head]
        np.testing.assert_allclose(getattr(atlas.metrics, name), expected)
    assert atlas.n_sentences == 6 and atlas.n_tokens == sum(len(r.tokens) for r in runs) and atlas.n_cut == 0


def test_csv_has_a_row_per_head(model):
    atlas = text_metrics(model, TEXT.encode("utf-8"))
    rows = list(csv.DictReader(io.StringIO(metrics_csv(atlas.metrics))))
    assert len(rows) == 2 * 4 and list(rows[0])[:3] == ["layer", "head", "role"]
    assert set(SCORE_NAMES) <= set(rows[0])
    assert float(rows[5]["to_previous"]) == pytest.approx(atlas.metrics.to_previous[1, 1], abs=1e-4)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"caf\xe9 au lait", "not UTF-8"),
        ("a" * (MAX_ATLAS_TEXT_BYTES + 1), "at most 200,000"),
        ("가" * (MAX_ATLAS_TEXT_BYTES // 3 + 1), "at most 200,000"),  # 3 bytes each in UTF-8
        (" \n ", "no sentences"),
    ],
)
def test_bad_text_is_refused_with_a_message(model, data, message):
    with pytest.raises(InputError, match=message):
        text_metrics(model, data)


def test_the_largest_text_is_read():
    assert len(read_text("a" * MAX_ATLAS_TEXT_BYTES)) == MAX_ATLAS_TEXT_BYTES


def test_a_text_with_lone_surrogates_is_not_utf8():
    with pytest.raises(InputError, match="not UTF-8"):
        read_text("caf\udce9 au lait")  # how Python reads the byte 0xE9 that is not UTF-8 (surrogateescape)


def test_a_long_text_is_read_up_to_the_token_ceiling_and_the_rest_counted(model):
    sentence = "The cat sat on the mat."
    per_sentence = len(model.tokenize(sentence))
    n = MAX_ATLAS_TOKENS // per_sentence + 50  # 50 sentences past the ceiling
    atlas = text_metrics(model, " ".join([sentence] * n))
    assert atlas.n_sentences == MAX_ATLAS_TOKENS // per_sentence
    assert atlas.n_tokens == atlas.n_sentences * per_sentence <= MAX_ATLAS_TOKENS
    assert atlas.n_unread == n - atlas.n_sentences >= 50
    short = text_metrics(model, sentence)
    np.testing.assert_allclose(
        atlas.metrics.to_previous, short.metrics.to_previous, atol=1e-6
    )  # same sentence
