"""Head ablation, knockout and head ranking (issue 12), each against a computation that does not use the
intervention code: a model whose weights the test changes itself, a forward written here without a
layer's attention, softmax rows renormalised by hand."""

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from attention_core.attention import causal_mask, multi_head_attention
from attention_core.head_ranking import rank_heads, ranked
from attention_core.interventions import REFERENCE_TEXT, ablate, knockout, parse_heads, reference_means
from attention_core.models.bert import Encoder
from attention_core.models.decoder import Decoder
from attention_core.models.hf_folder import load_folder
from attention_core.models.registry import load_model
from attention_core.tokens import InputError

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SENTENCE = "The animal didn't cross the street because it was too tired."
ATOL = 2e-5  # float32 models: the same sums in another order


@pytest.fixture(scope="module")
def models():
    return {
        "ko-en-lm": load_model("ko-en-lm"),
        "tiny-gpt2": load_folder(FIXTURES / "tiny-gpt2"),
        "all-MiniLM-L6-v2": load_model("all-MiniLM-L6-v2"),
    }


def with_attention(model, layer, **changes):
    """The same model with layer ``layer``'s attention weights changed (W_O, b_O …), built here."""
    if isinstance(model, Decoder):
        blocks = list(model.weights.blocks)
        attention = dataclasses.replace(blocks[layer].attention, **changes)
        blocks[layer] = dataclasses.replace(blocks[layer], attention=attention)
        weights = dataclasses.replace(model.weights, blocks=tuple(blocks))
        return Decoder(model.config, model.tokenizer, weights)
    blocks = list(model.blocks)
    blocks[layer] = dataclasses.replace(
        blocks[layer], attention=dataclasses.replace(blocks[layer].attention, **changes)
    )
    return Encoder(
        model.config, model.tokenizer, model.W_E, model.W_pos, model.W_type0, model.ln_embed, tuple(blocks)
    )


def head_rows(model, head):
    d_v = model.config.d_v
    return slice(head * d_v, (head + 1) * d_v)  # W_O's rows that head `head`'s z multiplies


def assert_same_run(trace, expected):
    np.testing.assert_allclose(trace.hidden, expected.hidden, atol=ATOL)
    np.testing.assert_allclose(trace.pattern, expected.pattern, atol=ATOL)
    if expected.logits is not None:
        np.testing.assert_allclose(trace.logits, expected.logits, atol=ATOL * 10)


@pytest.mark.parametrize(
    ("name", "layer", "head"), [("ko-en-lm", 0, 2), ("tiny-gpt2", 0, 1), ("all-MiniLM-L6-v2", 3, 7)]
)
def test_zero_ablation_equals_zero_rows_of_W_O(models, name, layer, head):
    model = models[name]
    tokens = model.tokenize(SENTENCE)
    W_O = model.attention_weights(layer).W_O.copy()  # [head * d_v, d_model]
    W_O[head_rows(model, head)] = 0
    expected = with_attention(model, layer, W_O=W_O).run(tokens)
    result = ablate(model, tokens, [(layer, head)])
    assert_same_run(result.trace, expected)
    np.testing.assert_array_equal(result.trace.layers[layer].z[head], 0)  # the exported trace shows it
    np.testing.assert_array_equal(result.trace.pattern[layer], result.clean.pattern[layer])  # not its own
    assert not np.allclose(result.trace.pattern[layer + 1], result.clean.pattern[layer + 1])  # later ones
    assert result.effect > 0


def forward_without_attention(model, tokens, skip):
    """Written here: the model's blocks, with layer ``skip``'s attention sub-block left out (its b_O,
    the one part that does not depend on the heads, still added)."""
    ids = np.asarray(tokens.ids)
    n = len(ids)
    if isinstance(model, Decoder):
        w = model.weights
        x = w.W_E[ids] + w.W_pos[:n]
        for l, block in enumerate(w.blocks):
            if l == skip:
                x = x + (0 if block.attention.b_O is None else block.attention.b_O)
            else:
                x = x + multi_head_attention(block.ln1(x), block.attention, causal_mask(n)).out
            x = x + block.mlp(block.ln2(x))
        return w.ln_f(x) @ w.W_E.T  # [pos, d_vocab]
    x = model.ln_embed(model.W_E[ids] + model.W_pos[:n] + model.W_type0)
    for l, block in enumerate(model.blocks):
        attended = block.attention.b_O if l == skip else multi_head_attention(x, block.attention).out
        x = block.ln1(x + attended)
        x = block.ln2(x + block.mlp(x))
    return x  # [pos, d_model]


@pytest.mark.parametrize(("name", "layer"), [("ko-en-lm", 1), ("tiny-gpt2", 0), ("all-MiniLM-L6-v2", 2)])
def test_every_head_of_a_layer_off_removes_its_attention(models, name, layer):
    model = models[name]
    tokens = model.tokenize(SENTENCE)
    result = ablate(model, tokens, [(layer, h) for h in range(model.config.n_heads)])
    expected = forward_without_attention(model, tokens, layer)
    actual = result.trace.logits if isinstance(model, Decoder) else result.trace.hidden[-1]
    np.testing.assert_allclose(actual, expected, atol=ATOL * 10)


def test_ko_en_lm_has_no_b_O_so_its_layer_is_simply_skipped(models):
    assert models["ko-en-lm"].attention_weights(1).b_O is None


def test_reference_means_are_the_mean_z_over_the_reference_text(models):
    model = models["ko-en-lm"]
    c = model.config
    sums, count = np.zeros((c.n_layers, c.n_heads, c.d_v)), 0
    for line in REFERENCE_TEXT.splitlines():
        trace = model.run(model.tokenize(line))
        n = len(trace.tokens)
        for l in range(c.n_layers):
            w, x = model.attention_weights(l), trace.layers[l].x.astype(np.float64)  # x: LN1 of the stream
            for h in range(c.n_heads):
                q, k, v = x @ w.W_Q[h], x @ w.W_K[h], x @ w.W_V[h]  # [pos, d_k] ×2, [pos, d_v]
                scores = np.where(np.tri(n, dtype=bool), q @ k.T / np.sqrt(c.d_k), -np.inf)  # [q, k]
                p = np.exp(scores - scores.max(axis=1, keepdims=True))
                sums[l, h] += (p / p.sum(axis=1, keepdims=True) @ v).sum(axis=0)  # Σ over positions of z
        count += n
    np.testing.assert_allclose(reference_means(model), sums / count, atol=1e-5)


@pytest.mark.parametrize(("name", "layer", "head"), [("ko-en-lm", 0, 1), ("all-MiniLM-L6-v2", 4, 0)])
def test_mean_ablation_equals_the_head_replaced_by_a_constant(models, name, layer, head):
    """A head whose z is the constant mean adds mean @ W_O[its rows] to every position: the same as
    zero rows in W_O and that vector added to b_O."""
    model = models[name]
    tokens = model.tokenize(SENTENCE)
    means = reference_means(model)  # [layer, head, d_v]
    w = model.attention_weights(layer)
    W_O = w.W_O.copy()
    constant = means[layer, head] @ W_O[head_rows(model, head)]  # [d_model]
    W_O[head_rows(model, head)] = 0
    b_O = (0 if w.b_O is None else w.b_O) + constant.astype(np.float32)
    expected = with_attention(model, layer, W_O=W_O, b_O=b_O).run(tokens)
    result = ablate(model, tokens, [(layer, head)], means=means)
    assert_same_run(result.trace, expected)
    zero = ablate(model, tokens, [(layer, head)])
    assert result.effect != pytest.approx(zero.effect)


@pytest.mark.parametrize("name", ["ko-en-lm", "all-MiniLM-L6-v2"])
def test_knockout_of_one_head_renormalises_that_row(models, name):
    model = models[name]
    tokens = model.tokenize(SENTENCE)
    layer, head, query, key = 1, 2, 6, 3
    result = knockout(model, tokens, query, key, layer=layer, head=head)
    before, after = result.clean.pattern[layer], result.trace.pattern[layer]  # [head, q, k]
    row = before[head, query].astype(np.float64)
    expected = np.where(np.arange(len(row)) == key, 0.0, row / (1 - row[key]))  # by hand: key removed
    np.testing.assert_allclose(after[head, query], expected, atol=1e-5)
    others = np.ones(before.shape, dtype=bool)
    others[head, query] = False
    np.testing.assert_array_equal(after[others], before[others])  # the layer's input did not change
    np.testing.assert_array_equal(result.trace.pattern[:layer], result.clean.pattern[:layer])


def test_knockout_in_every_layer_blocks_every_head(models):
    model = models["ko-en-lm"]
    result = knockout(model, model.tokenize(SENTENCE), 5, 0)
    assert not result.trace.pattern[:, :, 5, 0].any()
    assert result.clean.pattern[:, :, 5, 0].all()
    np.testing.assert_allclose(result.trace.pattern.sum(-1), 1.0, atol=1e-5)
    layer_only = knockout(model, model.tokenize(SENTENCE), 5, 0, layer=1)
    assert layer_only.trace.pattern[0, :, 5, 0].all() and not layer_only.trace.pattern[1, :, 5, 0].any()


@pytest.mark.parametrize("name", ["ko-en-lm", "tiny-gpt2"])
@pytest.mark.parametrize("position", [None, 4])
def test_ranking_equals_one_full_ablation_per_head(models, name, position):
    """The ranking resumes from the cached residual stream, heads batched; each number must be what a
    whole run with that head off gives."""
    model = models[name]
    tokens = model.tokenize(SENTENCE)
    effects = rank_heads(model, tokens, position=position)
    c = model.config
    assert effects.shape == (c.n_layers, c.n_heads)
    for l in range(c.n_layers):
        for h in range(c.n_heads):
            full = ablate(model, tokens, [(l, h)], position=position).effect
            assert effects[l, h] == pytest.approx(full, rel=1e-4, abs=1e-9)
    assert ranked(effects)[0][2] == effects.max()


def test_ranking_an_encoder_with_mean_ablation(models):
    model = models["all-MiniLM-L6-v2"]
    tokens = model.tokenize(SENTENCE)
    means = reference_means(model)
    effects = rank_heads(model, tokens, means=means)
    assert effects.shape == (6, 12) and (effects >= -1e-6).all()
    for l, h in [(0, 0), (5, 11), (3, 4)]:
        full = ablate(model, tokens, [(l, h)], means=means).effect
        assert effects[l, h] == pytest.approx(full, rel=1e-3, abs=1e-7)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no heads chosen"),
        ("2.5,x", "'x' is not a head name"),
        ("2", "'2' is not a head name"),
        ("2.-1", "is not a head name"),
        ("6.0", "head 6.0 does not exist"),
        ("0.12", "head 0.12 does not exist"),
    ],
)
def test_bad_head_names_are_refused(text, message):
    with pytest.raises(InputError, match=message):
        parse_heads(text, n_layers=6, n_heads=12)


def test_head_names_are_parsed_sorted_and_once():
    assert parse_heads(" 2.5, 0.3 ,2.5", n_layers=6, n_heads=12) == ((0, 3), (2, 5))


def test_knockout_refuses_what_cannot_be_blocked(models):
    model = models["ko-en-lm"]
    tokens = model.tokenize(SENTENCE)
    with pytest.raises(InputError, match="later token"):
        knockout(model, tokens, 2, 5)
    with pytest.raises(InputError, match="give layer and head"):
        knockout(model, tokens, 5, 2, head=1)
    with pytest.raises(InputError, match="not one of the"):
        knockout(model, tokens, 99, 2)
