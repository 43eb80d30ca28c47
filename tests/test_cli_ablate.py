"""`python -m attention_core ablate` and `trace --rollout`: the keys written, their numbers against the
core (checked in tests/test_interventions.py), and bad input: exit 2, one line, no traceback."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from attention_core import cli
from attention_core.head_ranking import rank_heads
from attention_core.interventions import ablate
from attention_core.models.registry import load_model
from attention_core.rollout import attention_rollout
from attention_core.tokenizer import SentencePieceTokenizer

REPO = Path(__file__).resolve().parent.parent
SENTENCE = "The animal didn't cross the street because it was too tired."


def run(*args, cwd=REPO):
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, "-m", "attention_core", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def test_ablate_a_language_model_writes_probabilities_and_the_ablated_trace(tmp_path):
    out = tmp_path / "lm.npz"
    result = run(
        "ablate", SENTENCE, "--model", "ko-en-lm", "--heads", "1.2,0.3", "--position", "6", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "KL" in result.stdout and "heads 0.3,1.2 off" in result.stdout
    data = np.load(out)
    n = len(data["ids"])
    assert data["probs_before"].shape == data["probs_after"].shape == (SentencePieceTokenizer().vocab_size,)
    assert data["pattern"].shape == (2, 4, n, n) and data["logits"].shape == (
        n,
        SentencePieceTokenizer().vocab_size,
    )
    assert data["heads"].tolist() == [[0, 3], [1, 2]] and int(data["position"]) == 6
    assert not data["z"][1, 2].any() and not data["z"][0, 3].any()  # the trace shows the heads off
    model = load_model("ko-en-lm")
    expected = ablate(model, model.tokenize(SENTENCE), [(1, 2), (0, 3)], position=6)
    np.testing.assert_allclose(data["probs_after"], expected.after.probs, rtol=1e-6)
    np.testing.assert_allclose(data["probs_before"].sum(), 1.0)
    assert "embedding_before" not in data.files


def test_ablate_an_encoder_writes_embeddings(tmp_path):
    out = tmp_path / "minilm.npz"
    result = run(
        "ablate", SENTENCE, "--model", "all-MiniLM-L6-v2", "--heads", "5.11", "--mean", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "mean-ablation" in result.stdout
    data = np.load(out)
    assert data["embedding_before"].shape == data["embedding_after"].shape == (384,)
    np.testing.assert_allclose(np.linalg.norm(data["embedding_after"]), 1.0)
    assert "probs_before" not in data.files and "position" not in data.files
    assert data["hidden"].shape == (7, 16, 384)


def test_rank_writes_the_effect_of_every_head(tmp_path):
    out = tmp_path / "rank.npz"
    result = run("ablate", SENTENCE, "--model", "ko-en-lm", "--rank", "--out", str(out))
    assert result.returncode == 0, result.stderr
    data = np.load(out)
    model = load_model("ko-en-lm")
    np.testing.assert_allclose(data["effect"], rank_heads(model, model.tokenize(SENTENCE)))
    assert data["effect"].shape == (2, 4) and "largest" in result.stdout


def test_trace_can_add_rollout(tmp_path):
    out = tmp_path / "rollout.npz"
    result = run("trace", "The cat sat.", "--model", "all-MiniLM-L6-v2", "--rollout", "--out", str(out))
    assert result.returncode == 0, result.stderr
    data = np.load(out)
    np.testing.assert_allclose(data["rollout"], attention_rollout(data["pattern"]))
    assert data["rollout"].shape == (len(data["ids"]),) * 2


def test_bad_heads_exit_2_with_one_line_and_no_traceback(tmp_path):
    result = run(
        "ablate", SENTENCE, "--model", "ko-en-lm", "--heads", "7.0", "--out", str(tmp_path / "x.npz")
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "error: head 7.0 does not exist: this model has layers 0 .. 1 and heads 0 .. 3"
    ]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--model", "ko-en-lm", "--heads", ""], "no heads chosen"),
        (["--model", "ko-en-lm", "--heads", "1.2, ,0.1"], "'' is not a head name"),
        (["--model", "ko-en-lm", "--heads", "a.b"], "'a.b' is not a head name"),
        (["--model", "ko-en-lm", "--heads", "1.4"], "head 1.4 does not exist"),
        (["--model", "ko-en-lm", "--heads", "-1.0"], "is not a head name"),
        (["--model", "ko-en-lm", "--heads", "0.1", "--rank"], "either --heads"),
        (["--model", "ko-en-lm"], "either --heads"),
        (["--model", "ko-en-lm", "--heads", "0.1", "--position", "99"], "position 99 is not one of"),
        (
            ["--model", "all-MiniLM-L6-v2", "--heads", "0.1", "--position", "2"],
            "--position is for language models",
        ),
        (["--model", "no-such-model", "--heads", "0.1"], "unknown model"),
        (["--model", "ko-en-lm", "--heads", "0.1\n2.2"], "not a head name"),
    ],
)
def test_bad_ablate_input_exits_2_with_one_line(args, message, tmp_path, capsys):
    status = cli.main(["ablate", SENTENCE, *args, "--out", str(tmp_path / "x.npz")])
    err = capsys.readouterr().err
    assert status == 2 and len(err.strip().splitlines()) == 1 and message in err, err
    assert list(tmp_path.iterdir()) == []


def test_heads_that_are_not_utf8_exit_2(tmp_path):
    argv = [sys.executable.encode(), b"-m", b"attention_core", b"ablate", b"cat", b"--model", b"ko-en-lm"]
    argv += [b"--heads", b"0.\xff", b"--out", b"x.npz"]
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    result = subprocess.run(argv, capture_output=True, cwd=tmp_path, env=env, timeout=60)
    stderr = result.stderr.decode()
    assert result.returncode == 2 and "--heads is not valid UTF-8" in stderr and len(stderr.splitlines()) == 1


def test_rollout_needs_a_model(tmp_path, capsys):
    assert cli.main(["trace", "The cat sat.", "--rollout", "--out", str(tmp_path / "x.npz")]) == 2
    assert "--rollout is for a --model" in capsys.readouterr().err
