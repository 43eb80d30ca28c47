"""`python -m attention_core models` and `trace --model`: real subprocesses, exit codes, the .npz written;
and the model trace export of attention_core.export.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from attention_core.export import model_arrays
from attention_core.models.hf_folder import load_folder
from attention_core.models.registry import load_model
from attention_core.tokenizer import SentencePieceTokenizer
from tests.test_model_own_lm import naive_forward, read_weights

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"


def run(*args, models_dir=None, cwd=REPO):
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    if models_dir is not None:
        env["ATTENTION_EXPLORER_MODELS"] = str(models_dir)
    return subprocess.run(
        [sys.executable, "-m", "attention_core", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def test_models_lists_one_name_per_line():
    result = run("models", models_dir=FIXTURES)
    assert result.returncode == 0, result.stderr
    names = result.stdout.splitlines()
    assert "all-MiniLM-L6-v2" in names and "tiny-gpt2" in names
    assert "reference" not in names  # a folder of the models directory that is not a model


def test_trace_with_minilm_writes_the_model_trace(tmp_path):
    out = tmp_path / "animal.npz"
    result = run(
        "trace", "The animal didn't cross the street.", "--model", "all-MiniLM-L6-v2", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    data = np.load(out)
    n = len(data["ids"])
    assert data["tokens"][0] == "[CLS]" and data["tokens"][-1] == "[SEP]"
    assert data["pattern"].shape == (6, 12, n, n)
    assert data["hidden"].shape == (7, n, 384)
    assert data["W_O"].shape == (6, 384, 384) and data["b_Q"].shape == (6, 12, 32)
    assert "logits" not in data.files
    np.testing.assert_allclose(data["pattern"].sum(-1), 1.0, atol=1e-5)


def test_trace_with_a_model_from_the_models_directory(tmp_path):
    out = tmp_path / "gpt2.npz"
    result = run("trace", "고양이가 잤다", "--model", "tiny-gpt2", "--out", str(out), models_dir=FIXTURES)
    assert result.returncode == 0, result.stderr
    data = np.load(out)
    n = len(data["ids"])
    assert data["pattern"].shape == (2, 4, n, n) and data["logits"].shape == (n, 400)


def test_trace_with_the_bundled_model_includes_its_logits(tmp_path):
    out = tmp_path / "ko.npz"
    result = run("trace", "나는 학교에 간다.", "--model", "ko-en-lm", "--out", str(out))
    assert result.returncode == 0, result.stderr
    data = np.load(out)
    n = len(data["ids"])
    assert data["tokens"][0] == "<s>" and data["logits"].shape == (n, SentencePieceTokenizer().vocab_size)
    assert data["pattern"].shape == (2, 4, n, n) and not np.triu(data["pattern"], k=1).any()  # causal
    folder = REPO / "assets" / "model" / "ko-en-lm"
    config = json.loads((folder / "config.json").read_text())
    pattern, logits = naive_forward(read_weights(folder / "weights.npz"), config, data["ids"].tolist())
    np.testing.assert_allclose(data["logits"], logits, atol=2e-3)
    np.testing.assert_allclose(data["pattern"], pattern, atol=2e-5)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["trace", "hi", "--out", "x.npz", "--model", "nope"], "unknown model 'nope'"),
        (["trace", "hi", "--out", "x.npz", "--model", "../../etc"], "unknown model '../../etc'"),
        (["trace", "hi", "--out", "x.npz", "--model", "/etc/passwd"], "unknown model"),
        (["trace", "hi", "--out", "x.npz", "--model", "all-MiniLM-L6-v2", "--heads", "2"], "--heads"),
        (["trace", "hi", "--out", "x.npz", "--model", "all-MiniLM-L6-v2", "--causal"], "--causal"),
        (["trace", "hi", "--out", "x.npz", "--model", "all-MiniLM-L6-v2", "--seed", "0"], "--seed"),
        (["trace", "hi", "--out", "x.npz", "--model", "all-MiniLM-L6-v2", "--source", "a"], "--source"),
        (
            ["trace", "hi", "--out", "x.npz", "--model", "all-MiniLM-L6-v2", "--preset", "seed-example"],
            "--preset",
        ),
        (["trace", "--out", "x.npz", "--model", "all-MiniLM-L6-v2"], "give a sentence"),
        (["trace", " ", "--out", "x.npz", "--model", "all-MiniLM-L6-v2"], "empty"),
        (["trace", "hi", "--out", "x.txt", "--model", "all-MiniLM-L6-v2"], "must end in .npz"),
    ],
)
def test_bad_model_input_exits_2_with_one_line(args, message, tmp_path):
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.npz").exists()


def test_model_arrays_stack_layers_and_keep_biases_only_where_present():
    model = load_folder(FIXTURES / "tiny-gpt2")
    trace = model.run(model.tokenize("The cat sat."))
    arrays = model_arrays(trace)
    n = len(trace.tokens)
    assert arrays["pattern"].shape == (2, 4, n, n)
    np.testing.assert_array_equal(arrays["pattern"], trace.pattern)
    assert arrays["q"].shape == (2, 4, n, 8) and arrays["mask"].shape == (2, n, n)
    assert arrays["W_Q"].shape == (2, 4, 32, 8) and arrays["W_O"].shape == (2, 32, 32)
    assert arrays["b_O"].shape == (2, 32) and arrays["hidden"].shape == (3, n, 32)
    assert arrays["logits"].shape == (n, 400)
    assert arrays["tokens"].tolist() == list(trace.tokens.pieces)
    assert "x_kv" not in arrays  # self-attention only


def test_model_arrays_round_trip_through_npz(tmp_path):
    model = load_model("all-MiniLM-L6-v2")
    arrays = model_arrays(model.run(model.tokenize("Attention is all you need.")))
    np.savez(tmp_path / "t.npz", **arrays)
    with np.load(tmp_path / "t.npz") as data:  # no allow_pickle needed
        assert sorted(data.files) == sorted(arrays)
        np.testing.assert_array_equal(data["hidden"], arrays["hidden"])
