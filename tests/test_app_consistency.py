"""Nothing stale, nothing heavy (issue 9): after a change of sentence, model or language every choice
widget offers the new tokens, layers, heads and words, in the same run, and the URL says what is shown;
no page's default view sends more than 2 MB of figure data."""

from __future__ import annotations

import json

import pytest

from attention_core.tokenizer import SentencePieceTokenizer
from tests.apptest_helpers import PAGES, choice_box, open_page

MINILM = "all-MiniLM-L6-v2"
FIGURE_BUDGET = 2_000_000  # bytes of figure JSON one page's default view may send


def shown_options(widget) -> list[str]:
    """The options a choice widget offers, as the browser receives them (formatted)."""
    return list(widget.proto.options)


def test_the_query_token_follows_a_new_sentence():
    at = open_page("/self_attention", sentence="The animal didn't cross the street.", step="8")
    choice_box(at, "self_query").set_value(6).run()
    at.text_input(key="sentence").set_value("잤다.").run()
    labels = SentencePieceTokenizer().encode("잤다.").labels
    assert len(labels) <= 6
    box = choice_box(at, "self_query")
    assert shown_options(box) == [f"{i} · {label}" for i, label in enumerate(labels)]
    assert box.value < len(labels)  # position 6 does not exist any more: corrected, with a notice
    assert "`self_query` = `6`" in "\n".join(w.value for w in at.warning)


def test_layer_head_and_tokens_follow_a_change_of_model():
    at = open_page("/model_explorer", model=MINILM, layer="5", head="11", explorer_view="neuron",
                   explorer_query="6", sentence="The cat sat on the mat today.")  # fmt: skip
    at.selectbox(key="model").set_value("ko-en-lm").run()
    assert not at.exception
    assert shown_options(at.selectbox(key="layer")) == ["0", "1"]
    assert shown_options(at.selectbox(key="head")) == ["0", "1", "2", "3"]
    query = choice_box(at, "explorer_query")
    assert shown_options(query)[0] == "0 · <s>"  # ko-en-lm's tokens, not MiniLM's "[CLS]"
    url = at.query_params
    assert url.get("model") in ("ko-en-lm", ["ko-en-lm"], None)
    assert url.get("layer") in (None, "0", ["0"], "1", ["1"])  # the URL says what is shown
    assert "`layer` = `5`" in "\n".join(w.value for w in at.warning)


def test_the_role_box_follows_the_language():
    at = open_page("/head_atlas", model=MINILM, sentence="The cat sat on the mat.")
    english = shown_options(choice_box(at, "atlas_role"))
    at.segmented_control(key="lang").set_value("ko").run()
    korean = shown_options(choice_box(at, "atlas_role"))
    assert len(korean) == len(english) and not set(korean) & set(english) - {"[SEP]"}
    assert "이전 토큰" in korean


def test_the_training_step_follows_the_snapshots():
    at = open_page("/training", training_step="999999")
    assert not at.exception
    slider = at.select_slider(key="training_step")
    assert slider.value in [int(option) for option in slider.proto.options]
    assert "`training_step` = `999999`" in "\n".join(w.value for w in at.warning)


def figure_bytes(at) -> int:
    return sum(len(chart.proto.spec) for chart in at.get("plotly_chart"))


@pytest.mark.parametrize("path", list(PAGES))
def test_no_default_view_sends_more_than_2_mb_of_figures(path):
    at = open_page(path)
    assert not at.exception
    assert figure_bytes(at) <= FIGURE_BUDGET, f"{path}: {figure_bytes(at):,} bytes of figures"


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/multi_head", {"from_model": MINILM, "from_layer": "0"}),  # was 10.9 MB
        ("/multi_head", {"from_model": MINILM, "step": "2"}),
        ("/multi_head", {"from_model": MINILM, "step": "3"}),
        ("/self_attention", {"from_model": MINILM, "step": "6", "sentence": "The river bank. " * 40}),
        ("/model_explorer", {"model": MINILM, "sentence": "The river bank was quiet. " * 40}),
        ("/", {"heads": "16", "d_model": "128", "sentence": "The river bank was quiet. " * 40}),
        ("/multi_head", {"heads": "16", "d_model": "128", "d_k": "160", "d_v": "160", "step": "2"}),
    ],
)
def test_heavy_views_stay_under_2_mb_of_figures(path, query):
    at = open_page(path, **query)
    assert not at.exception
    assert figure_bytes(at) <= FIGURE_BUDGET, f"{path}: {figure_bytes(at):,} bytes of figures"
    print(json.dumps({"path": path, "bytes": figure_bytes(at)}))
