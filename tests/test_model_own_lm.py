"""The bundled bilingual model (ko-en-lm) through the Model interface, checked against an independent
forward written here from its card: loops over positions, plain floats, math.sin / math.tanh, the
attention from tests/naive.py. It reads the weight files itself and shares no code with attention_core."""

import json
import math

import numpy as np
import pytest

from attention_core.models.own_lm import FOLDER as OWN_MODEL_DIR
from attention_core.models.own_lm import NAME as OWN_MODEL
from attention_core.models.own_lm import list_snapshots as snapshot_steps
from attention_core.models.own_lm import load_own_lm
from attention_core.models.registry import load_model
from tests.naive import naive_multi_head

SENTENCES = ["나는 학교에 간다.", "The cat sat on the mat."]  # written for this test


def read_weights(path):
    """Every array of a weights file as float64; a snapshot's int8 embedding rows times their scales."""
    with np.load(path) as saved:
        weights = {name: saved[name].astype(np.float64) for name in saved.files}
    if "embed.W_E.int8" in weights:
        weights["embed.W_E"] = weights.pop("embed.W_E.int8") * weights.pop("embed.W_E.scale")[:, None]
    return weights


def layer_norm(row, w, b, eps):
    mean = sum(row) / len(row)
    var = sum((x - mean) ** 2 for x in row) / len(row)
    return [(x - mean) / math.sqrt(var + eps) * wi + bi for x, wi, bi in zip(row, w, b, strict=True)]


def gelu(x):
    return 0.5 * x * (1 + math.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))


def naive_forward(weights, config, ids):
    """Pre-LN decoder: h = W_E[id] + P; h += MHA(LN1 h); h += MLP(LN2 h); logits = LN_f(h) · W_Eᵀ."""
    d, eps = config["d_model"], config["ln_eps"]
    scale = config["position_norm"] / math.sqrt(d / 2)  # every sinusoid row then has this length
    h = []
    for t, token in enumerate(ids):
        angle = [t / 10000 ** ((c - c % 2) / d) for c in range(d)]
        position = [scale * (math.sin(a) if c % 2 == 0 else math.cos(a)) for c, a in enumerate(angle)]
        h.append([e + p for e, p in zip(weights["embed.W_E"][token], position, strict=True)])
    allowed = [[j <= i for j in range(len(ids))] for i in range(len(ids))]
    patterns = []
    for layer in range(config["n_layers"]):
        block = {name[len(f"blocks.{layer}.") :]: value.tolist() for name, value in weights.items()
                 if name.startswith(f"blocks.{layer}.")}  # fmt: skip
        p = block.__getitem__
        a = [layer_norm(row, p("ln1.w"), p("ln1.b"), eps) for row in h]
        result = naive_multi_head(a, a, p("attn.W_Q"), p("attn.W_K"), p("attn.W_V"), p("attn.W_O"), allowed)
        patterns.append(result["pattern"])
        h = [[x + y for x, y in zip(r, o, strict=True)] for r, o in zip(h, result["out"], strict=True)]
        m = [layer_norm(row, p("ln2.w"), p("ln2.b"), eps) for row in h]
        W_in, b_in, W_out, b_out = p("mlp.W_in"), p("mlp.b_in"), p("mlp.W_out"), p("mlp.b_out")
        for i, row in enumerate(m):
            inner = [gelu(sum(row[a] * W_in[a][c] for a in range(d)) + b_in[c]) for c in range(len(b_in))]
            mlp = [sum(inner[u] * W_out[u][c] for u in range(len(inner))) + b_out[c] for c in range(d)]
            h[i] = [x + y for x, y in zip(h[i], mlp, strict=True)]
    final = np.array([layer_norm(row, weights["ln_final.w"], weights["ln_final.b"], eps) for row in h])
    return np.array(patterns), final @ weights["embed.W_E"].T  # [layer, head, q, k], [pos, d_vocab]


@pytest.fixture(scope="module")
def config():
    return json.loads((OWN_MODEL_DIR / "config.json").read_text())


@pytest.mark.parametrize("sentence", SENTENCES)
def test_final_weights_match_the_independent_forward(config, sentence):
    model = load_model(OWN_MODEL)
    trace = model.run(model.tokenize(sentence))
    assert trace.tokens.ids[0] == config["bos_id"]  # the model reads <s> first, as in training
    pattern, logits = naive_forward(read_weights(OWN_MODEL_DIR / "weights.npz"), config, trace.tokens.ids)
    np.testing.assert_allclose(trace.pattern, pattern, atol=2e-5)
    np.testing.assert_allclose(trace.logits, logits, atol=2e-3)
    assert trace.logits[-1].argmax() == logits[-1].argmax()


def test_an_early_snapshot_matches_the_independent_forward(config):
    step = snapshot_steps(OWN_MODEL_DIR)[3]
    model = load_own_lm(OWN_MODEL_DIR, OWN_MODEL, step)
    trace = model.run(model.tokenize(SENTENCES[0]))
    path = OWN_MODEL_DIR / "snapshots" / f"step-{step:06d}.npz"
    pattern, logits = naive_forward(read_weights(path), config, trace.tokens.ids)
    np.testing.assert_allclose(trace.pattern, pattern, atol=2e-5)
    np.testing.assert_allclose(trace.logits, logits, atol=2e-3)
