"""The NumPy models against transformers itself: the reference outputs in tests/fixtures/reference were
computed with PyTorch by scripts/make_reference_fixtures.py (see tests/fixtures/README.md).
"""

from pathlib import Path

import numpy as np
import pytest

from attention_core.models import bert, decoder
from attention_core.models.hf_folder import load_folder
from attention_core.models.registry import load_model

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ATTENTION_TOLERANCE = 1e-5
HIDDEN_TOLERANCE = 1e-4
LOGITS_TOLERANCE = 1e-4


def reference(name: str) -> list[dict[str, np.ndarray]]:
    """One dict per sentence: sentence, tokens, ids, attentions, hidden (and logits)."""
    with np.load(FIXTURES / "reference" / f"{name}.npz") as data:
        n = int(data["n_sentences"])
        return [
            {key[len(f"s{i}_") :]: data[key] for key in data.files if key.startswith(f"s{i}_")}
            for i in range(n)
        ]


MINILM = reference("minilm")
TINY_GPT2 = reference("tiny_gpt2")


@pytest.fixture(scope="module")
def minilm():
    return load_model("all-MiniLM-L6-v2")


@pytest.fixture(scope="module")
def tiny_gpt2():
    return load_folder(FIXTURES / "tiny-gpt2")


def assert_matches(model, case):
    tokens = model.tokenize(str(case["sentence"]))
    assert list(tokens.pieces) == case["tokens"].tolist()
    assert list(tokens.ids) == case["ids"].tolist()
    trace = model.run(tokens)
    assert trace.pattern.dtype == np.float32 and trace.hidden.dtype == np.float32
    assert trace.pattern.shape == case["attentions"].shape  # [layer, head, q, k]
    assert trace.hidden.shape == case["hidden"].shape  # [layer + 1, pos, d_model]
    assert np.abs(trace.pattern - case["attentions"]).max() <= ATTENTION_TOLERANCE
    assert np.abs(trace.hidden - case["hidden"]).max() <= HIDDEN_TOLERANCE
    return trace


@pytest.mark.parametrize("case", MINILM, ids=[str(c["sentence"])[:24] for c in MINILM])
def test_minilm_matches_transformers(minilm, case):
    trace = assert_matches(minilm, case)
    assert trace.logits is None
    for layer, attention in enumerate(trace.layers):  # post-LN: block i's attention reads hidden[i]
        np.testing.assert_array_equal(attention.x, trace.hidden[layer])


@pytest.mark.parametrize("case", TINY_GPT2, ids=[str(c["sentence"])[:24] for c in TINY_GPT2])
def test_tiny_gpt2_matches_transformers(tiny_gpt2, case):
    trace = assert_matches(tiny_gpt2, case)
    assert np.abs(trace.logits - case["logits"]).max() <= LOGITS_TOLERANCE
    assert np.all(np.triu(trace.pattern, k=1) == 0)  # causal: nothing above the diagonal


@pytest.mark.parametrize(("module", "fixture"), [(bert, "minilm"), (decoder, "tiny_gpt2")])
def test_every_layer_goes_through_the_one_attention(module, fixture, request, monkeypatch):
    model = request.getfixturevalue(fixture)
    calls = []
    original = module.multi_head_attention

    def counting(*args, **kwargs):
        calls.append(args[1])  # the weights
        return original(*args, **kwargs)

    monkeypatch.setattr(module, "multi_head_attention", counting)
    model.run(model.tokenize("The cat sat."))
    assert [id(w) for w in calls] == [id(model.attention_weights(i)) for i in range(model.config.n_layers)]


@pytest.mark.parametrize("fixture", ["minilm", "tiny_gpt2"])
def test_loaded_weights_are_read_only(fixture, request):
    model = request.getfixturevalue(fixture)
    weights = model.attention_weights(0)
    tables = getattr(model, "weights", model)  # a decoder keeps its tables together, the encoder on itself
    for array in (tables.W_E, weights.W_Q, weights.W_O, weights.b_Q, tables.blocks[0].mlp.W_in):
        assert not array.flags.writeable
        assert array.dtype == np.float32
    with pytest.raises(ValueError, match="read-only"):
        weights.W_Q[0, 0, 0] = 1.0


@pytest.mark.parametrize("fixture", ["minilm", "tiny_gpt2"])
def test_per_head_weights_are_views_of_one_side_by_side_matrix(fixture, request):
    """So multi_head_attention projects all heads with one matrix product and copies no weights."""
    weights = request.getfixturevalue(fixture).attention_weights(0)
    for W in (weights.W_Q, weights.W_K, weights.W_V):
        side_by_side = W.transpose(1, 0, 2).reshape(W.shape[1], -1)  # [d_model, head * d_head]
        assert np.shares_memory(side_by_side, W) and side_by_side.flags.c_contiguous


def test_minilm_config_and_caps(minilm):
    config = minilm.config
    assert (config.family, config.n_layers, config.n_heads) == ("bert", 6, 12)
    assert (config.d_model, config.d_k, config.d_v, config.d_mlp) == (384, 32, 32, 1536)
    assert (config.n_ctx, config.d_vocab, config.causal, config.ln_eps) == (512, 30522, False, 1e-12)
    long = minilm.tokenize("attention " * 600)  # 600 words: more than n_ctx tokens
    assert len(long) == 512 and long.truncated and long.n_total == 602
    assert long.pieces[0] == "[CLS]" and long.pieces[-1] == "[SEP]"  # the text is cut, not [SEP]
    short = minilm.tokenize("attention " * 600, max_tokens=16)
    assert len(short) == 16 and short.pieces[-1] == "[SEP]"
    assert minilm.run(short).pattern.shape == (6, 12, 16, 16)
