"""The copying exercises of the training mixture, the repeated-sentence measurement and the phase-change
finder, each checked against what it must produce by construction or against a plain loop."""

import numpy as np
import pytest

from attention_core.models.config import ModelConfig
from attention_core.train.data import BOS_ID, Mixture, random_repeat, sample_batch, text_repeat
from attention_core.train.evaluate import held_out_sentences, repeat_losses
from attention_core.train.model import init_params
from attention_core.train.phase import phase_change, steps_around
from tests.test_model_own_lm import naive_forward

ORDINARY = np.arange(500, 600)  # [100]


def test_random_repeat_is_bos_and_a_block_that_repeats_with_its_period():
    rng = np.random.default_rng(0)
    for block in (1, 7, 48):
        window = random_repeat(rng, ORDINARY, 129, block)
        assert window.shape == (129,) and window[0] == BOS_ID
        assert set(window[1:]) <= set(ORDINARY)
        for i in range(1, 129 - block):
            assert window[i] == window[i + block]


def test_text_repeat_inserts_an_earlier_span_later_and_keeps_the_length():
    window = np.arange(1000, 1129)  # [129]  all different, so the copy can be found
    for seed in range(20):
        out = text_repeat(window, np.random.default_rng(seed), 16)
        assert out.shape == window.shape
        values, counts = np.unique(out, return_counts=True)
        twice = values[counts == 2]
        assert len(twice) == 16 and np.all(np.diff(twice) == 1)  # one span of 16 consecutive pieces
        first = int(np.flatnonzero(out == twice[0])[0])
        second = int(np.flatnonzero(out == twice[0])[1])
        assert second >= first + 16  # the copy comes after the span, not inside it
        assert list(out[:second]) == list(window[:second])  # everything before the copy is untouched


def test_sample_batch_applies_the_shares_and_stays_deterministic():
    streams = {"ko": np.arange(10, 5010) % 300 + 2000, "en": np.arange(10, 5010) % 280 + 3000}
    plain = sample_batch(streams, 8, 32, np.random.default_rng([0, 1, 5]))
    again = sample_batch(streams, 8, 32, np.random.default_rng([0, 1, 5]))
    np.testing.assert_array_equal(plain[0], again[0])
    ids, targets = sample_batch(streams, 8, 32, np.random.default_rng(1), Mixture(1.0, 0.0, 4, 4), ORDINARY)
    assert np.all(ids[:, 0] == BOS_ID) and np.all(ids[:, 1:28] == ids[:, 5:32])
    np.testing.assert_array_equal(ids[:, 1:], targets[:, :-1])  # targets are still the next pieces
    ids, _ = sample_batch(streams, 8, 32, np.random.default_rng(1), Mixture(0.0, 0.0), ORDINARY)
    assert np.all(ids[:4] >= 2000) and np.all(ids[:4] < 2300)  # no share: the Korean windows as they were


@pytest.mark.parametrize("shares", [(-0.1, 0.0), (0.6, 0.5), (1.5, 0.0)])
def test_mixture_refuses_impossible_shares(shares):
    with pytest.raises(ValueError, match="shares"):
        Mixture(*shares)


def test_held_out_sentences_are_whole_lines_of_the_asked_lengths():
    lines = [list(range(100, 100 + n)) for n in (3, 10, 20, 5, 12, 40)]
    stream = np.concatenate([[BOS_ID, *line] for line in lines])  # [tokens]
    got = held_out_sentences(stream, 10, 8, 25)
    assert [list(s) for s in got] == [lines[1], lines[2], lines[4]]


def test_repeat_losses_match_a_plain_forward_and_log_softmax():
    config = ModelConfig(n_ctx=16, d_model=8, n_heads=2, n_layers=2, d_mlp=16, d_vocab=40)
    params = init_params(config, seed=3)
    block = np.array([7, 12, 30, 5, 9])
    ids = np.concatenate([[BOS_ID], block, block])[None]  # [1, 11]
    first, repeat = repeat_losses(params, config, ids, len(block))

    weights = {name: value.astype(np.float64) for name, value in params.items()}
    described = {"d_model": 8, "ln_eps": config.ln_eps, "position_norm": config.position_norm,
                 "n_layers": 2, "n_heads": 2, "d_k": 4, "d_v": 4, "d_mlp": 16}  # fmt: skip
    _, logits = naive_forward(weights, described, list(ids[0]))
    logits = np.asarray(logits)  # [11, 40]
    log_probs = logits - np.log(np.exp(logits).sum(-1, keepdims=True))  # [11, 40]
    token_loss = [-log_probs[i, ids[0, i + 1]] for i in range(10)]  # predicting pieces 1..10
    assert first == pytest.approx(np.mean(token_loss[1:5]), abs=1e-4)  # pieces 2..5 of the first copy
    assert repeat == pytest.approx(np.mean(token_loss[6:10]), abs=1e-4)  # pieces 2..5 of the repeat


def probe_rows(scores):
    return [[25 * i, s, 1, 2, 9.0, 9.0 - 8 * s] for i, s in enumerate(scores)]


def test_phase_change_is_found_where_the_score_climbs():
    steps = 25 * np.arange(200)  # [200]
    scores = 0.02 + 0.6 / (1 + np.exp(-(steps - 2000) / 100))  # a sigmoid centred on step 2000
    phase = phase_change(probe_rows(scores))
    assert phase is not None and phase["head"] == [1, 2]
    assert abs(phase["middle"] - 2000) <= 25
    assert phase["start"] < phase["middle"] < phase["end"]
    assert abs(phase["end"] - phase["start"] - 2 * 100 * np.log(9)) <= 75  # 10% → 90% of a logistic
    chosen = steps_around(phase, list(range(0, 5000, 50)), 6)
    assert len(chosen) == 6 and chosen[0] < phase["start"] and chosen[-1] > phase["end"]


def test_no_phase_change_without_a_rise():
    assert phase_change(probe_rows([0.02] * 100)) is None
    assert phase_change(probe_rows([0.02, 0.03])) is None
