"""The training command end to end on a tiny model and a tiny inline corpus (not ../shared/corpus):
the loss goes down, an interrupted run resumed gives exactly the uninterrupted result, assets load."""

import gzip
import itertools
import json

import numpy as np
import pytest

from attention_core.models.own_lm import list_snapshots
from attention_core.models.own_lm import load_own_lm as load_model
from attention_core.tokenizer import SentencePieceTokenizer
from attention_core.train.cli import main
from attention_core.train.data import load_streams
from attention_core.train.optim import learning_rate
from attention_core.train.store import load_checkpoint

KO = [
    f"{s} 어제 {o} {v}."
    for s, o, v in itertools.product(
        ["고양이가", "강아지가", "학생이", "선생님이", "아이가", "할머니가"],
        ["사과를", "책을", "물을", "편지를", "노래를"],
        ["먹었습니다", "읽었습니다", "좋아합니다", "보냈습니다"],
    )
]
EN = [
    f"{s} {v} {o} yesterday."
    for s, o, v in itertools.product(
        ["The cat", "A dog", "The student", "My teacher", "A child", "Her grandmother"],
        ["an apple", "the book", "some water", "a letter", "a song"],
        ["ate", "read", "liked", "sent"],
    )
]
TINY = [
    "--d-model",
    "16",
    "--n-heads",
    "2",
    "--n-layers",
    "2",
    "--d-mlp",
    "32",
    "--n-ctx",
    "16",
    "--batch-size",
    "4",
    "--lr",
    "1e-2",
    "--warmup",
    "2",
    "--eval-every",
    "10",
    "--checkpoint-every",
    "5",
    "--val-windows",
    "4",
    "--head-windows",
    "2",
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    for name, lines in (("ko", KO), ("en", EN)):
        with gzip.open(folder / f"{name}.txt.gz", "wt", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    return folder


def train(corpus, folder, *extra):
    common = ["--corpus", str(corpus), "--cache-dir", str(folder.parent / "cache")]
    return main([*TINY, *common, "--run-dir", str(folder), *extra])


def test_tiny_corpus_has_held_out_lines_in_both_languages(corpus, tmp_path):
    streams = load_streams(corpus, cache_dir=tmp_path)
    for s in streams.values():
        assert len(s.valid) > 17 and len(s.train) > 500
        assert s.n_valid_lines >= 4


def test_smoke_run_lowers_the_loss_and_writes_assets(corpus, tmp_path):
    assets = tmp_path / "assets"
    assert train(corpus, tmp_path / "run", "--steps", "20", "--snapshots", "", "--assets", str(assets)) == 0
    history = json.loads((assets / "history.json").read_text())
    losses = [row[1] for row in history["train"]]
    assert len(losses) == 20
    assert np.mean(losses[-5:]) < np.mean(losses[:5]) - 1.0
    first, last = history["snapshots"][0], history["snapshots"][-1]
    assert (first["step"], last["step"]) == (0, 20)
    for lang in ("ko", "en"):
        assert last["val"][lang] < first["val"][lang] - 1.0
        assert set(history["baselines"]["unigram"]) == {"ko", "en"}

    steps = list_snapshots(assets)
    assert len(steps) >= 8 and steps[0] == 0 and steps[-1] == 20
    model = load_model(assets)
    result = model.run([1, 300, 301, 302])
    assert result.logits.shape == (4, SentencePieceTokenizer().vocab_size)
    assert result.hidden.shape == (3, 4, 16)
    assert result.pattern.shape == (2, 2, 4, 4)
    np.testing.assert_allclose(result.pattern.sum(-1), 1.0, rtol=1e-5)
    assert np.triu(result.pattern[0, 0], 1).max() == 0.0  # causal: nothing from the future
    early = load_model(assets, step=steps[1])
    assert not np.allclose(early.run([1, 300, 301, 302]).pattern, result.pattern)


MIXED = ["--mixture-from", "3", "--mixture-until", "9", "--random-pool", "50", "--probe-every", "4"]


def test_resume_gives_the_uninterrupted_result(corpus, tmp_path):
    assert train(corpus, tmp_path / "straight", "--steps", "12", "--no-assets", *MIXED) == 0
    assert (
        train(corpus, tmp_path / "broken", "--steps", "12", "--no-assets", "--stop-after", "7", *MIXED) == 0
    )
    assert train(corpus, tmp_path / "broken", "--steps", "12", "--no-assets", "--resume", *MIXED) == 0
    a = load_checkpoint(tmp_path / "straight" / "checkpoint.npz", {})
    b = load_checkpoint(tmp_path / "broken" / "checkpoint.npz", {})
    assert a[2] == b[2] == 12
    for name in a[0]:
        np.testing.assert_array_equal(a[0][name], b[0][name])
        np.testing.assert_array_equal(a[1].m[name], b[1].m[name])
    assert a[3]["history"]["train"] == b[3]["history"]["train"]
    assert a[3]["history"]["snapshots"] == b[3]["history"]["snapshots"]
    assert a[3]["history"]["probe"] == b[3]["history"]["probe"]
    assert [row[0] for row in a[3]["history"]["probe"]] == [0, 4, 8, 12]


def test_mixture_run_keeps_parameters_for_the_phase_snapshots(corpus, tmp_path):
    run = tmp_path / "run"
    args = ["--steps", "10", "--n-ctx", "32", "--no-assets", "--candidate-every", "5", *MIXED]
    assert train(corpus, run, *args) == 0
    assert sorted(p.name for p in (run / "candidates").glob("*.npz")) == [
        "step-000000.npz",
        "step-000005.npz",
    ]
    history = json.loads((run / "history.json").read_text())
    assert history["phase_change"] is None  # ten steps form no induction head, and nothing pretends so
    for snapshot in history["snapshots"]:
        for lang in ("ko", "en"):
            pair = snapshot["sentence_repeat"][lang]
            assert pair["first"] > 0 and pair["repeat"] > 0


def test_refuses_to_mix_runs(corpus, tmp_path):
    assert train(corpus, tmp_path / "run", "--steps", "4", "--no-assets", "--stop-after", "2") == 0
    assert train(corpus, tmp_path / "run", "--steps", "4", "--no-assets") == 2  # exists: --resume needed
    assert train(corpus, tmp_path / "run", "--steps", "4", "--no-assets", "--resume", "--lr", "0.5") == 2


def test_learning_rate_schedule():
    assert learning_rate(0, 1.0, 10, 100) == pytest.approx(0.1)
    assert learning_rate(9, 1.0, 10, 100) == pytest.approx(1.0)
    assert learning_rate(55, 1.0, 10, 100) == pytest.approx(0.55)  # half way down the cosine: (1 + 0.1) / 2
    assert learning_rate(100, 1.0, 10, 100) == pytest.approx(0.1)
