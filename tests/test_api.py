"""The public API (attention_core/__init__.py): traces, saving and loading, figures, what heads do.

Numbers are checked against the loop-by-loop attention of tests/naive.py, against the export module's
own arrays, and against the core functions the wrappers stand for, called here directly.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

import attention_core as ac
from attention_core import head_ranking, interventions, rollout
from attention_core.export import model_arrays, teaching_arrays
from attention_core.heads import head_metrics
from attention_core.tokens import InputError
from tests.naive import naive_multi_head

SENTENCE = "The cat sat on the mat."
KOREAN = "나는 학교에 갔다."


@pytest.fixture(scope="module")
def model():
    return ac.load_model("ko-en-lm")


@pytest.fixture(scope="module")
def mt(model):
    return model.trace(KOREAN)


def test_no_api_function_hides_a_module_of_the_package():
    """``from attention_core import rollout`` must stay the module, whatever the API adds."""
    for name in ac.__all__:
        if name != "figures":
            assert importlib.util.find_spec(f"attention_core.{name}") is None, name


def test_trace_is_the_teaching_layer_with_the_given_sizes():
    t = ac.trace(SENTENCE, heads=2, d_model=8, d_v=3, seed=5, causal=True)
    w = t.trace.weights
    assert t.trace.pattern.shape == (2, len(t.tokens), len(t.tokens))
    assert w.W_Q.shape == (2, 8, 4) and w.W_V.shape == (2, 8, 3) and w.W_O.shape == (6, 8)
    allowed = np.tril(np.ones((len(t.tokens),) * 2, dtype=bool)).tolist()
    naive = naive_multi_head(
        t.trace.x.tolist(), t.trace.x.tolist(), w.W_Q.tolist(), w.W_K.tolist(), w.W_V.tolist(),
        w.W_O.tolist(), allowed,
    )  # fmt: skip
    np.testing.assert_allclose(t.trace.pattern, naive["pattern"], atol=1e-12)
    np.testing.assert_allclose(t.trace.out, naive["out"], atol=1e-12)


def test_trace_refuses_bad_settings_and_empty_text():
    with pytest.raises(ValueError, match="divisible"):
        ac.trace(SENTENCE, heads=3, d_model=16)
    with pytest.raises(InputError):
        ac.trace("   ")


def test_model_trace_is_the_model_run_on_its_tokens(model, mt):
    again = model.run(model.tokenize(KOREAN))
    assert mt.tokens.ids == again.tokens.ids and mt.tokens.ids[0] == model.tokenizer.tokenizer.bos_id
    np.testing.assert_array_equal(mt.pattern, again.pattern)
    assert mt.pattern.shape == (model.config.n_layers, model.config.n_heads, len(mt.tokens), len(mt.tokens))


def test_save_and_load_give_back_every_array_of_the_export(tmp_path, mt):
    t = ac.trace(SENTENCE, source="A dog ran.")
    for trace, expected in ((t, teaching_arrays(t)), (mt, model_arrays(mt))):
        path = ac.save(trace, tmp_path / "trace.npz")
        saved = ac.load(path)
        assert sorted(saved) == sorted(expected)
        for name, array in expected.items():
            np.testing.assert_array_equal(saved[name], array, err_msg=name)
        ac.save(saved, tmp_path / "again.npz")  # a loaded trace saves as it is
        assert sorted(ac.load(tmp_path / "again.npz")) == sorted(expected)
    with pytest.raises(ValueError, match=r"\.npz"):
        ac.save(t, tmp_path / "trace.json")


def heatmap_values(figure) -> np.ndarray:
    (heatmap,) = [trace for trace in figure.data if trace.type == "heatmap"]
    return np.asarray(heatmap.z, dtype=float)


def test_heads_draws_every_head_of_the_layer_asked_for(mt):
    t = ac.trace(SENTENCE, heads=4, d_model=16)
    figure = ac.figures.heads(t)
    assert [a.text for a in figure.layout.annotations] == ["head 0", "head 1", "head 2", "head 3"]
    n = len(t.tokens)
    values = heatmap_values(figure)
    shown = values[~np.isnan(values)]  # the four blocks, NaN in the gaps between them
    np.testing.assert_allclose(np.sort(shown), np.sort(t.trace.pattern.ravel()), rtol=1e-6)
    assert shown.size == 4 * n * n
    layer_1 = ac.figures.heads(mt, layer=1)
    assert layer_1.layout.annotations[0].text == "head 1.0"
    shown = heatmap_values(layer_1)
    np.testing.assert_allclose(np.sort(shown[~np.isnan(shown)]), np.sort(mt.pattern[1].ravel()), rtol=1e-6)
    with pytest.raises(ValueError, match="layer 5"):
        ac.figures.heads(mt, layer=5)


def test_figures_of_a_loaded_trace_equal_those_of_the_trace(tmp_path, mt):
    saved = ac.load(ac.save(mt, tmp_path / "mt.npz"))
    np.testing.assert_array_equal(
        heatmap_values(ac.figures.heads(saved, layer=1)), heatmap_values(ac.figures.heads(mt, layer=1))
    )
    assert ac.figures.model_view(saved).to_json() == ac.figures.model_view(mt).to_json()
    with pytest.raises(ValueError, match="model"):
        ac.figures.model_view(ac.trace(SENTENCE))


def test_model_view_has_a_thumbnail_per_head(mt):
    figure = ac.figures.model_view(mt)
    (markers,) = [trace for trace in figure.data if trace.type == "scatter"]
    layers, heads = mt.pattern.shape[:2]
    assert [tuple(c) for c in markers.customdata] == [(l, h) for l in range(layers) for h in range(heads)]


def test_head_metrics_are_the_atlas_metrics_of_the_run(model, mt):
    expected = head_metrics(mt.pattern, mt.tokens, mt.mask)
    np.testing.assert_array_equal(ac.head_metrics(mt).to_previous, expected.to_previous)
    # the previous-token score by hand: mean over rows i ≥ 1 of pattern[l, h, i, i − 1]
    n = len(mt.tokens)
    by_hand = np.mean([mt.pattern[:, :, i, i - 1] for i in range(1, n)], axis=0)
    np.testing.assert_allclose(ac.head_metrics(mt).to_previous, by_hand, rtol=1e-6)
    assert ac.atlas_metrics(model).to_previous.shape == (model.config.n_layers, model.config.n_heads)


def test_the_wrappers_give_what_the_core_gives(model, mt):
    heads = interventions.parse_heads("0.1,1.3", model.config.n_layers, model.config.n_heads)
    direct = interventions.ablate(model, mt.tokens, heads)
    assert ac.ablate(model, KOREAN, "0.1,1.3").effect == direct.effect
    assert ac.ablate(model, mt, [(1, 3), (0, 1)]).effect == direct.effect
    means = interventions.reference_means(model)
    mean_ablated = interventions.ablate(model, mt.tokens, heads, means)
    assert ac.ablate(model, mt, "0.1,1.3", mean=True).effect == mean_ablated.effect
    np.testing.assert_array_equal(ac.rank_heads(model, mt), head_ranking.rank_heads(model, mt.tokens))
    blocked = interventions.knockout(model, mt.tokens, 3, 2, layer=0, head=1)
    assert ac.knockout(model, mt, query=3, key=2, layer=0, head=1).effect == blocked.effect
    np.testing.assert_array_equal(ac.attention_rollout(mt), rollout.attention_rollout(mt.pattern))
    np.testing.assert_array_equal(ac.attention_flow(mt, rows=[2]), rollout.attention_flow(mt.pattern, [2]))
    top = ac.predictions(model, mt, k=3)
    probs = np.exp(mt.logits[-1] - mt.logits[-1].max())
    probs /= probs.sum()
    assert [p.token_id for p in top] == list(np.argsort(-probs, kind="stable")[:3])
    with pytest.raises(InputError, match=r"9\.9"):
        ac.ablate(model, mt, "9.9")
