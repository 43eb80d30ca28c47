"""AppTest: two sentences through the same head of a real model (/model_explorer, view "compare")."""

import numpy as np
import pytest

from attention_core.models.registry import load_model
from tests.apptest_helpers import array, figure, heatmaps, open_page, texts

TIRED = "The animal didn't cross the street because it was too tired."
WIDE = "The animal didn't cross the street because it was too wide."


def shown_pattern(at, key: str) -> np.ndarray:
    z = array(heatmaps(figure(at, key))[0]["z"])
    return z[~np.isnan(z).all(axis=1)][:, ~np.isnan(z).all(axis=0)]


@pytest.mark.parametrize(
    ("model", "first", "second"),
    [("ko-en-lm", TIRED, WIDE), ("ko-en-lm", "고양이가 창가에서 잠을 잤다.", "고양이는 창가에서 잠을 잤다.")],
)
def test_the_two_patterns_shown_equal_two_independent_runs(model, first, second):
    at = open_page("/model_explorer", model=model, explorer_view="compare", sentence=first, sentence2=second,
                   layer="1", head="2")  # fmt: skip
    assert not at.exception, at.exception
    runner = load_model(model)
    for key, sentence in (("compare_first", first), ("compare_second", second)):
        expected = runner.run(runner.tokenize(sentence)).pattern[1, 2]  # a run of its own, outside the app
        np.testing.assert_allclose(shown_pattern(at, key), expected, atol=1e-6)


def test_difference_is_taken_where_the_tokens_pair_up():
    at = open_page("/model_explorer", model="ko-en-lm", explorer_view="compare", sentence=TIRED,
                   sentence2=WIDE, layer="1", head="0")  # fmt: skip
    runner = load_model("ko-en-lm")
    a = runner.run(runner.tokenize(TIRED))
    b = runner.run(runner.tokenize(WIDE))
    labels_a, labels_b = list(a.tokens.labels), list(b.tokens.labels)
    # By hand: the sentences agree up to "▁too", then differ in the word, and both end in ".".
    shared = labels_a.index("▁too") + 1
    i_a = [*range(shared), len(labels_a) - 1]
    i_b = [*range(shared), len(labels_b) - 1]
    pairs = list(zip(i_a, i_b, strict=True))
    expected = np.array([[a.pattern[1, 0, r, c] - b.pattern[1, 0, s, d] for c, d in pairs] for r, s in pairs])
    np.testing.assert_allclose(array(heatmaps(figure(at, "compare_difference"))[0]["z"]), expected, atol=1e-6)
    # a causal model: nothing before the changed word can see it, so only the last row may differ
    assert np.abs(expected[:-1]).max() < 1e-6 < np.abs(expected[-1]).max()
    assert "layer 1, head" in texts(at)


def test_second_sentence_is_kept_in_the_url():
    at = open_page("/model_explorer", model="ko-en-lm", explorer_view="compare", sentence2=WIDE)
    at.text_input(key="sentence2").set_value("The cat sat.").run()
    assert at.query_params["sentence2"] in ("The cat sat.", ["The cat sat."])
