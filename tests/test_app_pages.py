"""AppTest: every page renders, and what a user does changes what they see."""

import numpy as np
import pytest

from attention_core.config import AttentionConfig
from attention_core.teaching import run_teaching
from attention_core.tokenizer import SentencePieceTokenizer
from tests.apptest_helpers import (
    PAGES,
    array,
    choice_box,
    figure,
    head_blocks,
    heatmaps,
    open_page,
    subplot_titles,
    texts,
)


@pytest.mark.parametrize("path", list(PAGES))
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_page_renders_without_exception(path, lang):
    at = open_page(path, lang=lang)
    assert not at.exception, at.exception
    # the lesson draws its figures only once a question is answered (tests/test_app_lesson.py)
    assert at.get("plotly_chart") or at.get("button_group"), "no figure drawn"
    label = at.text_input(key="sentence").label
    assert label == {"en": "Sentence", "ko": "문장"}[lang]


def test_overview_shows_tokens_ids_and_one_heatmap_per_head():
    at = open_page("/", sentence="고양이가 창가에서 잠을 잤다.", heads="2")
    table = at.dataframe[0].value
    assert list(table.iloc[:, 1])[:4] == ["▁고양이", "가", "▁창", "가"]
    assert all(isinstance(i, int | np.integer) for i in table.iloc[:, 2])
    fig = figure(at, "overview_heads")
    assert subplot_titles(fig) == ["head 0", "head 1"]
    n = len(table)
    blocks = head_blocks(fig)
    assert len(blocks) == 2
    for z in blocks:
        assert z.shape == (n, n)
        np.testing.assert_allclose(z.sum(axis=1), 1.0, atol=1e-5)
    assert fig["layout"]["yaxis"]["ticktext"][:4] == ["▁고양이", "가", "▁창", "가"]


def test_typing_a_new_sentence_updates_tokens_and_figure():
    at = open_page("/")
    at.text_input(key="sentence").set_value("The cat sat on the mat.").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert "▁sat" in list(table.iloc[:, 1])
    z = head_blocks(figure(at, "overview_heads"))[0]
    assert z.shape == (len(table), len(table))


def test_causal_mask_zeroes_the_upper_triangle_of_every_head():
    at = open_page("/", sentence="one two three four five")
    at.toggle(key="causal").set_value(True).run()
    blocks = head_blocks(figure(at, "overview_heads"))
    assert len(blocks) == 4
    for z in blocks:
        assert np.all(np.triu(z, k=1) == 0) and np.all(np.diag(z) > 0)


def test_impossible_settings_explain_themselves_and_the_page_stays_alive():
    at = open_page("/")
    at.select_slider(key="d_model").set_value(12).run()
    at.slider(key="heads").set_value(5).run()
    assert not at.exception
    assert "d_model = 12 is not divisible by n_heads = 5" in texts(at)
    at.number_input(key="d_k").set_value(4).run()
    at.number_input(key="d_v").set_value(3).run()
    assert not at.exception
    assert len(head_blocks(figure(at, "overview_heads"))) == 5
    assert "not divisible" not in texts(at)


def test_korean_interface_translates_messages():
    at = open_page("/", lang="ko", d_model="12", heads="5")
    assert "나누어떨어지지 않습니다" in texts(at)


@pytest.mark.parametrize("path", list(PAGES))
def test_empty_sentence_asks_for_one(path):
    at = open_page(path)
    at.text_input(key="sentence").set_value("   ").run()
    assert not at.exception
    assert "Type a sentence to see its attention." in texts(at)


def test_very_long_text_is_capped_and_says_so():
    at = open_page("/")
    at.text_input(key="sentence").set_value("가나다 라마 " * 20_000).run()  # 120,000 characters
    assert not at.exception
    assert "only the first 128 are shown" in texts(at)
    assert len(at.dataframe[0].value) == 128
    traces = figure(at, "overview_heads")["data"]
    assert {t["type"] for t in traces} == {"image"}, "long inputs are drawn as images"


@pytest.mark.parametrize(
    "text",
    [
        "<img src=x onerror=alert(1)>",
        "emoji 🐱👩‍👩‍👧 and 뷁",
        "bell\x07 tab\t nul\x00",
        "漢字 العربية 한국어 English",
    ],
)
def test_unusual_text_is_shown_as_text(text):
    at = open_page("/")
    at.text_input(key="sentence").set_value(text).run()
    assert not at.exception
    tokens = list(at.dataframe[0].value.iloc[:, 1])
    assert tokens
    if text.startswith("<img"):
        assert "▁<" in tokens
        ticks = figure(at, "overview_heads")["layout"]["xaxis"]["ticktext"]
        assert "▁&lt;" in ticks and not any("<" in tick for tick in ticks)


def test_attention_page_takes_keys_and_values_from_the_source():
    at = open_page("/attention", sentence="The cat slept by the window.", source="고양이가 잤다.", step="2")
    assert not at.exception
    fig = figure(at, "attention_pattern")
    z = array(heatmaps(fig)[0]["z"])
    queries = fig["layout"]["yaxis"]["ticktext"]
    keys = fig["layout"]["xaxis"]["ticktext"]
    assert z.shape == (len(queries), len(keys)) and queries[0] == "▁The" and keys[0] == "▁고양이"
    at = open_page("/attention", sentence="The cat slept by the window.", source="고양이가 잤다.", step="1")
    titles = subplot_titles(figure(at, "attention_qkv"))
    assert titles == [f"Q  [{len(queries)} × 4]", f"K  [{len(keys)} × 4]", f"V  [{len(keys)} × 4]"]


def test_attention_page_explains_the_causal_mask_and_still_shows_everything():
    at = open_page("/attention", causal="true", step="2")
    assert not at.exception
    assert "causal mask belongs to self-attention" in texts(at)
    z = array(heatmaps(figure(at, "attention_pattern"))[0]["z"])
    assert np.all(z > 0)  # nothing masked: every query sees every key of the other sentence


def test_self_attention_row_breakdown_is_the_softmax_of_its_scaled_scores():
    at = open_page("/self_attention", sentence="the cat sat on the mat", causal="true", step="8")
    choice_box(at, "self_query").set_value(3).run()
    row = at.dataframe[0].value
    allowed = np.isfinite(row["÷ √d_k"].to_numpy(dtype=float))  # a masked key's score is −∞
    assert allowed.tolist() == [True] * 4 + [False] * (len(row) - 4)
    scaled = row["÷ √d_k"].to_numpy(dtype=float)[allowed]
    np.testing.assert_allclose(scaled, row["q·k"].to_numpy(dtype=float)[allowed] / 2.0)  # d_k = 16 / 4
    expected = np.exp(scaled) / np.exp(scaled).sum()  # computed here, from the page's own numbers
    np.testing.assert_allclose(row["softmax"].to_numpy(dtype=float)[allowed], expected, rtol=1e-9)
    assert np.all(row["softmax"].to_numpy(dtype=float)[~allowed] == 0)


def test_self_attention_score_hover_names_the_dot_product():
    at = open_page("/self_attention", sentence="a b c", step="3")
    trace = heatmaps(figure(at, "self_scores"))[0]
    assert trace["hovertemplate"].startswith("q<sub>%{customdata[0]}</sub> · k<sub>%{customdata[1]}</sub>")
    assert trace["customdata"][0][1] == ["0 ▁a", "1 ▁b"]


def test_switching_head_changes_the_step_by_step_matrices():
    at = open_page("/self_attention", sentence="the cat sat on the mat", step="6")
    first = array(heatmaps(figure(at, "self_pattern"))[0]["z"])
    at.segmented_control(key="self_head").set_value(2).run()
    second = array(heatmaps(figure(at, "self_pattern"))[0]["z"])
    assert first.shape == second.shape and not np.allclose(first, second)


def test_seed_example_shows_2x24_times_24x4():
    at = open_page("/multi_head", step="3")
    at.button(key="multi_seed_example").click().run()
    assert not at.exception
    assert at.text_input(key="sentence").value == "I am"
    titles = subplot_titles(figure(at, "multi_flow"))
    assert titles[:3] == ["concat  (2 × 24)", "W_O  (24 × 4)", "out  (2 × 4)"]
    assert "3 heads × Z_h [2 × 8] → concat [2 × 24] · W_O [24 × 4] = out [2 × 4]" in texts(at)
    assert "4 is not divisible by 3" in texts(at)
    concat, w_o, out = (array(t["z"]) for t in heatmaps(figure(at, "multi_flow")))
    np.testing.assert_allclose(concat @ w_o, out, rtol=1e-6, atol=1e-9)


def test_multi_head_page_draws_every_head_and_its_qkv():
    """Up to three heads' Q, K, V at once; with more, one head at a time, picked (the page stays short)."""
    at = open_page("/multi_head", heads="3", d_model="12", step="2")
    assert len(heatmaps(figure(at, "multi_qkv"))) == 9
    at = open_page("/multi_head", heads="8", d_model="32")
    assert len(head_blocks(figure(at, "multi_patterns"))) == 8
    at = open_page("/multi_head", heads="8", d_model="32", step="2")
    assert len(heatmaps(figure(at, "multi_qkv"))) == 3
    at.segmented_control(key="multi_qkv_head").set_value(5).run()
    q = array(heatmaps(figure(at, "multi_qkv"))[0]["z"])
    run = run_teaching(SentencePieceTokenizer(), at.session_state["sentence"], AttentionConfig(32, 8))
    np.testing.assert_allclose(q, run.trace.q[5], atol=1e-9)


def test_every_page_offers_its_trace_for_download():
    for path, key in (("/", "overview_download"), ("/attention", "attention_download"),
                      ("/self_attention", "self_download"), ("/multi_head", "multi_download")):  # fmt: skip
        at = open_page(path)
        assert at.get_by_key(key).proto.label.endswith(".npz)")


def test_language_switch_translates_the_page():
    at = open_page("/")
    at.segmented_control(key="lang").set_value("ko").run()
    assert at.title[0].value == "개요"
    assert at.text_input(key="sentence").label == "문장"
    assert at.text_input(key="sentence").value.startswith("The animal")  # the sentence survives
