"""The command line as a script would use it: real subprocesses, exit codes, the .npz it writes."""

import subprocess
import sys

import numpy as np
import pytest

REPO = __file__.rsplit("/tests/", 1)[0]


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "attention_core", *args], capture_output=True, text=True, cwd=REPO, timeout=120
    )


def test_trace_writes_every_array_of_design_md(tmp_path):
    out = tmp_path / "cat.npz"
    result = run("trace", "고양이가 창가에서 잠을 잤다", "--out", str(out), "--heads", "2", "--d-model", "8")
    assert result.returncode == 0, result.stderr
    data = np.load(out)
    n = len(data["ids"])
    expected = {
        "x": (n, 8), "W_Q": (2, 8, 4), "W_K": (2, 8, 4), "W_V": (2, 8, 4), "W_O": (8, 8),
        "q": (2, n, 4), "k": (2, n, 4), "v": (2, n, 4), "scores": (2, n, n), "scaled": (2, n, n),
        "mask": (n, n), "pattern": (2, n, n), "z": (2, n, 4), "concat": (n, 8), "out": (n, 8),
        "tokens": (n,), "ids": (n,),
    }  # fmt: skip
    assert {key: data[key].shape for key in data.files} == expected  # no bias keys: the layer has none
    assert data["tokens"][0] == "▁고양이"
    np.testing.assert_allclose(data["pattern"].sum(-1), 1.0)


def test_seed_example_preset_has_the_seed_shapes(tmp_path):
    out = tmp_path / "seed.npz"
    result = run("trace", "--preset", "seed-example", "--out", str(out))
    assert result.returncode == 0, result.stderr
    data = np.load(out)
    assert data["z"].shape == (3, 2, 8)
    assert data["concat"].shape == (2, 24)
    assert data["W_O"].shape == (24, 4)
    assert data["out"].shape == (2, 4)


def test_cross_attention_takes_keys_and_values_from_the_source(tmp_path):
    out = tmp_path / "cross.npz"
    result = run("trace", "The cat slept by the window.", "--source", "고양이가 잤다.", "--out", str(out))
    assert result.returncode == 0, result.stderr
    data = np.load(out)
    n_q, n_k = len(data["ids"]), len(data["ids_kv"])
    assert n_q != n_k
    assert data["pattern"].shape == (4, n_q, n_k)
    assert data["x_kv"].shape == (n_k, 16)
    assert data["tokens_kv"].shape == (n_k,)


def test_causal_flag_masks_the_future(tmp_path):
    out = tmp_path / "causal.npz"
    assert run("trace", "one two three four", "--causal", "--out", str(out)).returncode == 0
    pattern = np.load(out)["pattern"]
    assert np.all(np.triu(pattern[0], k=1) == 0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["trace", "", "--out", "x.npz"], "empty"),
        (["trace", "hi", "--out", "x.npz", "--heads", "3"], "not divisible"),
        (["trace", "hi", "--out", "x.npz", "--heads", "zero"], "not a whole number"),
        (["trace", "hi", "--out", "x.npz", "--d-model", "-4"], "d_model must be"),
        (["trace", "hi", "--out", "x.txt"], "must end in .npz"),
        (["trace", "hi", "--out", "/nonexistent/dir/x.npz"], "cannot write"),
        (["trace", "hi", "--out", "x.npz", "--model", "nope"], "unknown model"),
        (["trace", "hi", "--out", "x.npz", "--preset", "seed-example", "--heads", "2"], "sets the sizes"),
        (["trace", "hi", "--source", "there", "--causal", "--out", "x.npz"], "causal"),
        (["trace", "--out", "x.npz"], "give a sentence"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, message, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "attention_core", *args], capture_output=True, text=True, cwd=tmp_path,
        env={"PYTHONPATH": REPO, "PATH": "/usr/bin:/bin"}, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr
