"""AppTest for the real-model pages, checked against the transformers reference (not against our code)."""

import json
from pathlib import Path

import numpy as np
import pytest

from tests.apptest_helpers import (
    array,
    choice_box,
    figure,
    head_blocks,
    heatmaps,
    open_page,
    subplot_titles,
    texts,
)

REFERENCE = np.load(Path(__file__).parent / "fixtures" / "reference" / "minilm.npz")
SENTENCE = str(REFERENCE["s0_sentence"])  # "The animal didn't cross the street because it was too tired."
TOKENS = [str(t) for t in REFERENCE["s0_tokens"]]
ATTENTIONS = REFERENCE["s0_attentions"]  # [layer, head, q, k] from transformers (eager)
MODEL = {"model": "all-MiniLM-L6-v2", "sentence": SENTENCE}


def test_model_view_shows_every_layer_and_head():
    at = open_page("/model_explorer", **MODEL)
    assert not at.exception
    grid = figure(at, "explorer_model_view")
    assert [t["type"] for t in grid["data"]] == ["image", "scatter"]
    assert grid["layout"]["yaxis"]["ticktext"] == [str(i) for i in range(6)]
    assert grid["layout"]["xaxis"]["ticktext"] == [str(i) for i in range(12)]
    clickable = grid["data"][1]["customdata"]
    assert len(clickable) == 72 and clickable[14] == [1, 2]
    assert "6 layers × 12 heads" in texts(at)


def test_the_opened_head_matches_transformers():
    at = open_page("/model_explorer", layer="0", head="2", **MODEL)
    fig = figure(at, "explorer_head")
    assert fig["layout"]["yaxis"]["ticktext"] == TOKENS
    (block,) = head_blocks(fig)
    np.testing.assert_allclose(block, ATTENTIONS[0, 2], atol=1e-5)
    assert subplot_titles(fig) == ["all-MiniLM-L6-v2 · Layer 0, head 2"]


def test_hiding_special_tokens_renormalizes_the_rows():
    at = open_page("/model_explorer", layer="3", head="1", explorer_hide_special="true", **MODEL)
    fig = figure(at, "explorer_head")
    assert fig["layout"]["yaxis"]["ticktext"] == TOKENS[1:-1]
    (block,) = head_blocks(fig)
    part = ATTENTIONS[3, 1][1:-1, 1:-1]
    np.testing.assert_allclose(block, part / part.sum(axis=1, keepdims=True), atol=1e-5)
    assert "renormalized" in texts(at)
    assert subplot_titles(fig)[0].endswith("special tokens hidden, rows renormalized")


def test_head_view_sends_one_layer_of_links():
    at = open_page("/model_explorer", explorer_view="head", layer="0", **MODEL)
    (component,) = [c for c in at.get("bidi_component") if c.proto.id.endswith("-explorer_head_view")]
    data = json.loads(component.proto.json)
    assert data["tokens"] == TOKENS and len(data["heads"]) == 12
    previous_token_links = {(i, j) for h, i, j, w in data["links"] if h == 2 and w > 900}
    assert {(i, i - 1) for i in range(1, len(TOKENS))} <= previous_token_links
    assert "click it to lock" in data["labels"]["hint"]


def test_neuron_view_numbers_match_transformers():
    at = open_page("/model_explorer", explorer_view="neuron", layer="4", head="7", **MODEL)
    choice_box(at, "explorer_query").set_value(10).run()  # "it"
    choice_box(at, "explorer_key").set_value(2).run()  # "animal"
    fig = figure(at, "explorer_neuron")
    q, k, product = (array(t["z"])[0] for t in heatmaps(fig))
    np.testing.assert_allclose(product, q * k, rtol=1e-5)
    bars = [t for t in fig["data"] if t["type"] == "bar"]
    np.testing.assert_allclose(array(bars[1]["y"]), ATTENTIONS[4, 7, 10], atol=1e-5)
    titles = subplot_titles(fig)
    assert titles[1] == "k  (key 2 animal)"
    dot = float(titles[2].split("Σ = ")[1].split(",")[0])
    assert dot == pytest.approx(float(q @ k), rel=1e-3)


def test_step_by_step_pages_open_a_real_head():
    at = open_page(
        "/self_attention", from_model="all-MiniLM-L6-v2", from_layer="0", self_head="2", step="6", **MODEL
    )
    assert not at.exception
    assert "Showing layer 0 of all-MiniLM-L6-v2" in texts(at)
    pattern = array(heatmaps(figure(at, "self_pattern"))[0]["z"])
    np.testing.assert_allclose(pattern, ATTENTIONS[0, 2], atol=1e-5)
    at.button(key="real_back").click().run()
    assert "Showing layer" not in texts(at)
    at = open_page("/multi_head", from_model="all-MiniLM-L6-v2", from_layer="5", step="3", **MODEL)
    assert "concat [16 × 384] · W_O [384 × 384] = out [16 × 384]" in texts(at)
    at = open_page("/multi_head", from_model="all-MiniLM-L6-v2", from_layer="5", **MODEL)
    assert len(head_blocks(figure(at, "multi_patterns"))) == 12


def test_unknown_model_in_a_link_is_refused_clearly():
    at = open_page("/self_attention", from_model="../../etc/passwd")
    assert not at.exception
    assert "unknown model" in texts(at)
    at = open_page("/model_explorer", model="/etc/passwd")  # not an option: the default is used
    assert not at.exception and at.selectbox(key="model").value == "ko-en-lm"


def test_head_atlas_finds_the_previous_token_head():
    at = open_page("/head_atlas", **MODEL)
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 72
    row = table[(table["layer"] == 0) & (table["head"] == 2)].iloc[0]
    assert row["role"] == "previous token" and row["→ previous"] > 0.95
    box = choice_box(at, "atlas_role")
    box.set_value(list(box.proto.options).index("previous token")).run()
    fig = figure(at, "atlas_role_heads")
    assert "Layer 0, head 2" in subplot_titles(fig)


def test_head_atlas_over_the_built_in_sentences_in_korean():
    at = open_page("/head_atlas", atlas_scope="builtin", lang="ko", **MODEL)
    assert not at.exception
    table = at.dataframe[0].value
    assert table[(table["층"] == 0) & (table["헤드"] == 2)].iloc[0]["역할"] == "이전 토큰"  # Korean headers
    assert "모든 헤드의 역할" in texts(at)


def test_a_long_text_is_capped_with_a_note_and_drawn_as_images():
    """MiniLM reads 408 tokens here: its 72 heads' patterns stay within limits.MAX_PATTERN_NUMBERS."""
    long_text = "The river bank was quiet after the storm passed over the town. " * 60  # ~800 tokens
    at = open_page("/model_explorer", model="all-MiniLM-L6-v2", sentence=long_text)
    assert not at.exception
    assert "only the first 408 are shown" in texts(at)
    assert "reads at most 408 tokens here (its context is 512)" in texts(at)
    assert "each thumbnail shows the largest weight of every 7 × 7 square" in texts(at)
    fig = figure(at, "explorer_head")
    assert [t["type"] for t in fig["data"]] == ["image"]  # not 262,144 cells of JSON
    assert len(json.dumps(fig)) < 2_000_000


def test_the_bundled_model_opens_by_default_and_says_what_it_is():
    at = open_page("/model_explorer", sentence="고양이가 창가에서 잠을 잤다")
    assert not at.exception and at.selectbox(key="model").value == "ko-en-lm"
    assert "ko-en-lm: 2 layers × 4 heads, d_model 128, d_k 32, causal language model; " in texts(at)
