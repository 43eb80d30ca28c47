"""Head metrics and roles on hand-worked patterns, the induction score, and all-MiniLM-L6-v2's real heads."""

import math
from pathlib import Path

import numpy as np
import pytest

from attention_core.attention import causal_mask
from attention_core.heads import (
    ROLES,
    average_metrics,
    head_metrics,
    head_roles,
    induction_score,
    is_punctuation,
    metrics_table,
    repeated_random_tokens,
)
from attention_core.tokens import Tokens

MINILM = Path(__file__).parent / "fixtures" / "reference" / "minilm.npz"


def make_tokens(labels, special=None):
    special = special or {"[CLS]", "[SEP]"}
    return Tokens(
        ids=tuple(range(len(labels))),
        pieces=tuple(labels),
        labels=tuple(labels),
        special=tuple(label in special for label in labels),
        n_total=len(labels),
    )


WORDS4 = make_tokens(["a", "b", "c", "d"])
BERT4 = make_tokens(["[CLS]", "cat", "sat", "[SEP]"])


def pattern_from(rows):
    """A [head=1, q, k] pattern from a list of rows."""
    return np.array([rows], dtype=float)


def previous_token_pattern(n):
    rows = [[0.0] * n for _ in range(n)]
    rows[0][0] = 1.0  # nothing before the first token: it looks at itself
    for i in range(1, n):
        rows[i][i - 1] = 1.0
    return pattern_from(rows)


def uniform_causal_pattern(n):
    return pattern_from([[1.0 / (i + 1) if j <= i else 0.0 for j in range(n)] for i in range(n)])


def test_perfect_previous_token_head():
    metrics = head_metrics(previous_token_pattern(4), WORDS4)
    assert metrics.to_previous[0] == pytest.approx(1.0)
    assert metrics.distance[0] == pytest.approx((0 + 1 + 1 + 1) / 4)  # 1 on every row but row 0
    assert metrics.entropy[0] == pytest.approx(0.0)
    assert metrics.normalized_entropy[0] == pytest.approx(0.0)
    assert metrics.to_next[0] == pytest.approx(0.0)
    assert metrics.to_self[0] == pytest.approx(1 / 4)  # only row 0 looks at itself
    assert metrics.to_first[0] == pytest.approx(1 / 3)  # of rows 1..3, only row 1 looks at position 0
    assert metrics.baseline.to_previous[0] == pytest.approx(1 / 4)  # bidirectional uniform: 1/n
    assert head_roles(metrics)[0] == "previous-token"


def test_uniform_causal_head_scores_its_own_baseline():
    metrics = head_metrics(uniform_causal_pattern(4), WORDS4, mask=causal_mask(4))
    previous = (1 / 2 + 1 / 3 + 1 / 4) / 3  # mean over i >= 1 of 1/(i+1)
    assert metrics.to_previous[0] == pytest.approx(previous)
    assert metrics.baseline.to_previous[0] == pytest.approx(previous)
    assert metrics.to_first[0] == pytest.approx(previous)
    assert metrics.to_next[0] == pytest.approx(0.0)  # the future is masked
    assert metrics.to_self[0] == pytest.approx((1 + 1 / 2 + 1 / 3 + 1 / 4) / 4)
    assert metrics.entropy[0] == pytest.approx((0 + 1 + math.log2(3) + 2) / 4)
    assert metrics.normalized_entropy[0] == pytest.approx(1.0)  # row 0 (one allowed key) is skipped
    assert metrics.distance[0] == pytest.approx((0 + 0.5 + 1 + 1.5) / 4)  # row i: i/2
    # to_self is 25/48 > 0.5, but no more than a uniform head gets, so the head is "broad", not "self"
    assert head_roles(metrics)[0] == "broad"


def test_all_to_cls_head():
    metrics = head_metrics(pattern_from([[1.0, 0, 0, 0]] * 4), BERT4)
    assert metrics.to_cls[0] == pytest.approx(1.0)
    assert metrics.to_first[0] == pytest.approx(1.0)
    assert metrics.to_sep[0] == pytest.approx(0.0)
    assert head_roles(metrics)[0] == "first-token / [CLS]"


def test_no_cls_when_position_0_is_a_word():
    metrics = head_metrics(pattern_from([[1.0, 0, 0, 0]] * 4), WORDS4)
    assert metrics.to_first[0] == pytest.approx(1.0)
    assert metrics.to_cls[0] == pytest.approx(0.0)
    assert head_roles(metrics)[0] == "first-token / [CLS]"


def test_all_to_sep_head():
    metrics = head_metrics(pattern_from([[0, 0, 0, 1.0]] * 4), BERT4)
    assert metrics.to_sep[0] == pytest.approx(1.0)  # rows 0, 1, 2; the [SEP] row itself is in to_self
    assert metrics.to_cls[0] == pytest.approx(0.0)
    assert metrics.baseline.to_sep[0] == pytest.approx(1 / 4)
    assert head_roles(metrics)[0] == "[SEP]"


def test_next_token_and_self_heads():
    following = pattern_from([[0, 1.0, 0, 0], [0, 0, 1.0, 0], [0, 0, 0, 1.0], [0, 0, 0, 1.0]])
    identity = pattern_from([[1.0 if i == j else 0.0 for j in range(4)] for i in range(4)])
    next_metrics = head_metrics(following, WORDS4)
    self_metrics = head_metrics(identity, WORDS4)
    assert next_metrics.to_next[0] == pytest.approx(1.0)
    assert next_metrics.distance[0] == pytest.approx(3 / 4)
    assert self_metrics.to_self[0] == pytest.approx(1.0)
    assert self_metrics.distance[0] == pytest.approx(0.0)
    assert head_roles(next_metrics)[0] == "next-token"
    assert head_roles(self_metrics)[0] == "self"


def test_fully_masked_row_is_skipped_without_nan():
    mask = np.array([[False, False, False], [True, True, False], [True, True, True]])
    pattern = pattern_from([[0, 0, 0], [0.5, 0.5, 0], [0.25, 0.25, 0.5]])
    metrics = head_metrics(pattern, make_tokens(["x", "y", "z"]), mask=mask)
    for name in ("entropy", "normalized_entropy", "distance", "to_previous", "to_next", "to_self"):
        assert np.isfinite(getattr(metrics, name)).all(), name
    assert metrics.entropy[0] == pytest.approx((1 + 1.5) / 2)
    assert metrics.normalized_entropy[0] == pytest.approx((1 / 1 + 1.5 / math.log2(3)) / 2)
    assert metrics.distance[0] == pytest.approx((0.5 + 0.75) / 2)
    assert metrics.to_previous[0] == pytest.approx((0.5 + 0.25) / 2)
    assert metrics.to_next[0] == pytest.approx(0.0)  # row 1 only
    assert metrics.to_self[0] == pytest.approx((0.5 + 0.5) / 2)
    assert metrics.baseline.to_previous[0] == pytest.approx((1 / 2 + 1 / 3) / 2)


def test_an_all_zero_head_gives_zeros_not_nan():
    metrics = head_metrics(np.zeros((1, 3, 3)), make_tokens(["x", "y", "z"]))
    assert metrics.entropy[0] == 0.0
    assert metrics.to_previous[0] == 0.0
    assert metrics.baseline.to_previous[0] == 0.0


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        *[(".", True), ("▁,", True), ("##!", True), ("Ġ...", True), ("—", True), ("「", True), ("'", True)],
        *[("a.", False), ("▁", False), ("", False), ("+", False), ("[SEP]", False), ("고양이", False)],
    ],
)
def test_is_punctuation(label, expected):
    assert is_punctuation(label) is expected


def test_punctuation_score():
    tokens = make_tokens(["[CLS]", "hi", "▁,", "there", "##!", "[SEP]"])
    rows = [[0, 0, 0.5, 0, 0.25, 0.25]] * 6
    metrics = head_metrics(pattern_from(rows), tokens)
    assert metrics.to_punctuation[0] == pytest.approx(0.75)  # the four rows that are not punctuation
    assert metrics.baseline.to_punctuation[0] == pytest.approx(2 / 6)


def test_leading_axes_roles_and_table():
    layer_heads = np.zeros((2, 3, 4, 4))  # [layer, head, q, k]
    layer_heads[...] = 1 / 4
    layer_heads[1, 2] = previous_token_pattern(4)[0]
    metrics = head_metrics(layer_heads, WORDS4)
    assert metrics.entropy.shape == (2, 3)
    assert metrics.baseline.entropy.shape == (2, 3)
    roles = head_roles(metrics)
    assert roles.shape == (2, 3)
    assert roles[1, 2] == "previous-token"
    assert roles[0, 0] == "broad"
    table = metrics_table(metrics)
    assert len(table) == 6
    assert table[5]["layer"] == 1 and table[5]["head"] == 2 and table[5]["role"] == "previous-token"
    assert table[5]["to_previous"] == 1.0 and table[5]["distance"] == 0.75
    assert set(metrics_table(head_metrics(layer_heads[0], WORDS4))[0]) >= {"head", "role", "entropy"}
    assert "layer" not in metrics_table(head_metrics(layer_heads[0], WORDS4))[0]


def test_mixed_when_no_role_fits():
    rows = [[0.45, 0.45, 0.05, 0.05]] * 4  # half on two keys: no single place gets half, not spread enough
    metrics = head_metrics(pattern_from(rows), WORDS4)
    row_entropy = 2 * 0.45 * math.log2(1 / 0.45) + 2 * 0.05 * math.log2(1 / 0.05)
    assert metrics.normalized_entropy[0] == pytest.approx(row_entropy / 2)  # log2(4) = 2
    assert metrics.to_previous[0] == pytest.approx((0.45 + 0.45 + 0.05) / 3)
    assert metrics.to_first[0] == pytest.approx(0.45)
    assert head_roles(metrics)[0] == "mixed"


def test_role_table():
    table = [(role.name, role.metric, role.threshold) for role in ROLES]
    assert table == [
        ("previous-token", "to_previous", 0.5),
        ("next-token", "to_next", 0.5),
        ("self", "to_self", 0.5),
        ("first-token / [CLS]", "to_first", 0.5),
        ("[SEP]", "to_sep", 0.5),
        ("punctuation", "to_punctuation", 0.5),
        ("broad", "normalized_entropy", 0.85),
    ]


def test_average_metrics():
    previous = head_metrics(previous_token_pattern(4), WORDS4)
    uniform = head_metrics(np.full((1, 4, 4), 1 / 4), WORDS4)
    mean = average_metrics([previous, uniform])
    assert mean.to_previous[0] == pytest.approx((1 + 1 / 4) / 2)
    assert mean.entropy[0] == pytest.approx((0 + 2) / 2)
    assert mean.baseline.to_previous[0] == pytest.approx(1 / 4)
    with pytest.raises(ValueError):
        average_metrics([])


def test_shape_errors_are_clear():
    with pytest.raises(ValueError, match="4 tokens"):
        head_metrics(np.full((1, 3, 3), 1 / 3), WORDS4)
    with pytest.raises(ValueError, match="mask"):
        head_metrics(np.full((1, 4, 4), 1 / 4), WORDS4, mask=np.ones((3, 3), dtype=bool))


def test_induction_score_by_hand():
    period, offset = 3, 1
    n = offset + 2 * period  # [BOS] A B C A B C
    perfect = np.zeros((1, n, n))
    for i in range(n):
        perfect[0, i, i] = 1.0
    for i in range(4, 7):  # second repeat: A(4) looks at B(2), B(5) at C(3), C(6) at A(4)
        perfect[0, i] = 0.0
        perfect[0, i, i - 2] = 1.0
    assert induction_score(perfect, period, offset)[0] == pytest.approx(1.0)
    uniform = uniform_causal_pattern(n)
    assert induction_score(uniform, period, offset)[0] == pytest.approx((1 / 5 + 1 / 6 + 1 / 7) / 3)
    previous = previous_token_pattern(n)
    assert induction_score(previous, period, offset)[0] == pytest.approx(0.0)
    with pytest.raises(ValueError):
        induction_score(perfect, period=4, offset=1)


def test_repeated_random_tokens():
    rng = np.random.default_rng(0)
    ids = repeated_random_tokens(rng, np.arange(100, 150), period=10, bos_id=7)
    assert ids.shape == (21,)
    assert ids[0] == 7
    assert list(ids[1:11]) == list(ids[11:21])
    assert len(set(ids[1:11].tolist())) == 10
    assert all(100 <= i < 150 for i in ids[1:])
    assert repeated_random_tokens(rng, np.arange(5), period=5).shape == (10,)
    with pytest.raises(ValueError):
        repeated_random_tokens(rng, np.arange(5), period=6)


def minilm_sentence(data, i):
    pieces = [str(t) for t in data[f"s{i}_tokens"]]
    tokens = make_tokens(pieces)
    return data[f"s{i}_attentions"], tokens  # float32 [layer=6, head=12, q, k]


def test_minilm_layer0_head2_is_a_previous_token_head():
    data = np.load(MINILM)
    per_sentence = [head_metrics(*minilm_sentence(data, i)) for i in range(4)]
    for metrics in per_sentence[:2]:  # the English sentences
        assert head_roles(metrics)[0, 2] == "previous-token"
    average = average_metrics(per_sentence)
    assert average.to_previous.shape == (6, 12)
    assert head_roles(average)[0, 2] == "previous-token"
    assert average.to_previous[0, 2] > 0.95
