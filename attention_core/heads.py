r"""Head analysis: what each attention head does, as numbers and a role name.

For one head, write ``p`` for its pattern on a sentence of ``n`` tokens (``p[i, j]`` is how much query
token ``i`` attends to key token ``j``; each row sums to 1). Every score below is a mean over query rows;
rows that are all zeros (nothing allowed to attend to) are skipped, and a mean over no rows is 0.

.. math::
    H_i = -\sum_j p_{ij} \log_2 p_{ij}   \quad\text{(entropy of row } i\text{, in bits)}

    \tilde H_i = H_i / \log_2 a_i   \quad\text{(} a_i \text{ allowed keys; rows with } a_i \ge 2)

    \mathrm{distance} = \mathrm{mean}_i \sum_j p_{ij}\,|i - j|

    \mathrm{to\_previous} = \mathrm{mean}_{i \ge 1}\, p_{i,i-1}, \quad
    \mathrm{to\_next} = \mathrm{mean}_{i \le n-2}\, p_{i,i+1}, \quad
    \mathrm{to\_self} = \mathrm{mean}_i\, p_{ii}

    \mathrm{to\_set}(S) = \mathrm{mean}_{i \notin S} \sum_{j \in S} p_{ij}
        \quad\text{for } S = \{0\} \text{ (first)}, \{[CLS]\}, \{[SEP]\}, \{\text{punctuation}\}

A token's attention to itself counts only in ``to_self``: the set scores average over the rows outside the
set, as ``to_previous`` and ``to_first`` (rows ``i ≥ 1``) do. The uniform baseline of every score is the
same score for a head that spreads each row evenly over its allowed keys: ``1/n`` for ``to_previous`` when
everything is allowed, ``mean_{i≥1} 1/(i+1)`` under a causal mask.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, fields

import numpy as np

from attention_core.tokens import Tokens

WORD_MARKERS = ("##", "▁", "Ġ")  # WordPiece continuation, SentencePiece and byte-level BPE word starts
CHUNK_NUMBERS = 1 << 20  # patterns larger than this are measured a part at a time (see head_metrics)


@dataclass(frozen=True)
class HeadMetrics:
    """One number per head for each score; every field has the leading axes of the pattern
    (``[layer, head]`` for a model pattern ``[layer, head, q, k]``, ``[head]`` for ``[head, q, k]``).

    ``baseline`` holds the same scores for a uniform head over the same allowed keys (None inside it).
    """

    entropy: np.ndarray  # [...]  bits, mean over rows of H_i
    normalized_entropy: np.ndarray  # [...]  0 = one key, 1 = uniform over the allowed keys
    distance: np.ndarray  # [...]  mean |i - j| weighted by attention, in tokens
    to_previous: np.ndarray  # [...]
    to_next: np.ndarray  # [...]
    to_self: np.ndarray  # [...]
    to_first: np.ndarray  # [...]  key position 0, whatever token it is
    to_cls: np.ndarray  # [...]  a special token at position 0 ([CLS], <s>); 0 when there is none
    to_sep: np.ndarray  # [...]  special tokens at positions > 0 ([SEP], </s>)
    to_punctuation: np.ndarray  # [...]  tokens whose label is only punctuation
    baseline: HeadMetrics | None = None


SCORE_NAMES = tuple(f.name for f in fields(HeadMetrics) if f.name != "baseline")


def is_punctuation(label: str) -> bool:
    """True when ``label``, without its word marker ("▁", "Ġ", "##"), is only Unicode punctuation (P*)."""
    for marker in WORD_MARKERS:
        label = label.removeprefix(marker)
    return label != "" and all(unicodedata.category(c).startswith("P") for c in label)


def _row_mean(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Mean of ``values`` [..., q] over the rows where ``rows`` [..., q] is True; 0 where there are none."""
    total = np.where(rows, values, 0.0).sum(axis=-1)  # [...]
    count = rows.sum(axis=-1)  # [...]
    return np.divide(total, count, out=np.zeros_like(total), where=count > 0)  # [...]


def _to_set(p: np.ndarray, in_set: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Mean over rows i outside the set of Σ_{j in set} p_ij.  p [..., q, k]; in_set bool [pos]."""
    mass = (p * in_set).sum(axis=-1)  # [..., q]
    return _row_mean(mass, rows & ~in_set)  # [...]


def _scores(p: np.ndarray, tokens: Tokens, mask: np.ndarray, baseline: HeadMetrics | None) -> HeadMetrics:
    n = p.shape[-1]
    pos = np.arange(n)  # [pos]
    rows = (p.sum(axis=-1) > 0) & mask.any(axis=-1)  # [..., q]  rows that attend to something
    n_allowed = mask.sum(axis=-1)  # [q]

    # 1) entropy, in bits, and divided by its largest possible value log2(a_i)
    p_log_p = p * np.log2(p, out=np.zeros_like(p), where=p > 0)  # [..., q, k]  0 log 0 = 0
    row_entropy = -p_log_p.sum(axis=-1)  # [..., q]
    max_entropy = np.log2(np.maximum(n_allowed, 1))  # [q]
    row_normalized = np.divide(
        row_entropy, max_entropy, out=np.zeros_like(row_entropy), where=max_entropy > 0
    )  # [..., q]

    # 2) how far each query looks, in tokens
    row_distance = (p * np.abs(pos[:, None] - pos[None, :])).sum(axis=-1)  # [..., q]

    # 3) fixed offsets: the diagonals just below, on and just above the main one
    previous = np.zeros(p.shape[:-1])  # [..., q]  row 0 has no previous token
    previous[..., 1:] = p[..., pos[1:], pos[:-1]]  # p_{i,i-1}
    following = np.zeros(p.shape[:-1])  # [..., q]  the last row has no next token
    following[..., :-1] = p[..., pos[:-1], pos[1:]]  # p_{i,i+1}

    # 4) sets of keys picked by what the token is
    special = np.asarray(tokens.special, dtype=bool)  # [pos]
    first = pos == 0  # [pos]
    punctuation = np.array([is_punctuation(s) for s in tokens.labels], dtype=bool) & ~special  # [pos]

    return HeadMetrics(
        entropy=_row_mean(row_entropy, rows),
        normalized_entropy=_row_mean(row_normalized, rows & (n_allowed >= 2)),
        distance=_row_mean(row_distance, rows),
        to_previous=_row_mean(previous, rows & (pos >= 1)),
        to_next=_row_mean(following, rows & (pos <= n - 2)),
        to_self=_row_mean(p[..., pos, pos], rows),
        to_first=_to_set(p, first, rows),
        to_cls=_to_set(p, special & first, rows),
        to_sep=_to_set(p, special & ~first, rows),
        to_punctuation=_to_set(p, punctuation, rows),
        baseline=baseline,
    )


def head_metrics(pattern: np.ndarray, tokens: Tokens, mask: np.ndarray | None = None) -> HeadMetrics:
    """The scores of every head of ``pattern`` on one sentence, with their uniform baselines.

    pattern: [..., q, k] self-attention of the sentence ``tokens`` (q = k = len(tokens));
    mask: bool [q, k], True where attending was allowed (None = everything; pass ``causal_mask(n)`` for a
    decoder so that the normalised entropy and the baselines count only the keys a row could see).
    """
    n = len(tokens)
    if np.ndim(pattern) < 2 or np.shape(pattern)[-2:] != (n, n):
        raise ValueError(
            f"pattern ends in {np.shape(pattern)[-2:]}, but {n} tokens need a ({n}, {n}) pattern"
        )
    if np.ndim(pattern) > 2 and np.size(pattern) > CHUNK_NUMBERS:
        # One layer (or head) at a time: the float64 temporaries below are each as large as the pattern
        # (all-MiniLM-L6-v2 at 512 tokens: 151 MB apiece at once, 13 MB one head at a time).
        return stack_metrics([head_metrics(part, tokens, mask) for part in pattern])
    p = np.asarray(pattern, dtype=np.float64)  # [..., q, k]
    allowed = np.ones((n, n), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)  # [q, k]
    if allowed.shape != (n, n):
        raise ValueError(f"mask has shape {allowed.shape}, but {n} tokens need ({n}, {n})")

    rows = p.sum(axis=-1, keepdims=True) > 0  # [..., q, 1]  skipped rows stay skipped in the baseline
    share = allowed / np.maximum(allowed.sum(axis=-1, keepdims=True), 1)  # [q, k]  1/a_i where allowed
    uniform = np.where(rows, share, 0.0)  # [..., q, k]
    baseline = _scores(uniform, tokens, allowed, baseline=None)
    return _scores(p, tokens, allowed, baseline=baseline)


def stack_metrics(metrics: list[HeadMetrics]) -> HeadMetrics:
    """Metrics of several parts (layers, heads) stacked on a new leading axis, baselines too."""
    stacked = {name: np.stack([getattr(m, name) for m in metrics]) for name in SCORE_NAMES}  # [part, ...]
    baselines = [m.baseline for m in metrics]
    has_baseline = all(b is not None for b in baselines)
    return HeadMetrics(**stacked, baseline=stack_metrics(baselines) if has_baseline else None)


def average_metrics(metrics: list[HeadMetrics]) -> HeadMetrics:
    """The mean of each score over sentences (each sentence weighs the same, whatever its length)."""
    if not metrics:
        raise ValueError("average_metrics needs at least one HeadMetrics")
    means = {name: np.mean([getattr(m, name) for m in metrics], axis=0) for name in SCORE_NAMES}  # [...]
    baselines = [m.baseline for m in metrics]
    has_baseline = all(b is not None for b in baselines)
    return HeadMetrics(**means, baseline=average_metrics(baselines) if has_baseline else None)


@dataclass(frozen=True)
class Role:
    """A head gets this role when ``metric ≥ threshold`` and, if ``beat_uniform``, the metric is also
    above its uniform baseline (so a short causal sentence, where even a uniform head gives half of row 1
    to the previous token, does not make every head a previous-token head)."""

    name: str
    metric: str
    threshold: float
    beat_uniform: bool = True


ROLES: tuple[Role, ...] = (
    Role("previous-token", "to_previous", 0.5),
    Role("next-token", "to_next", 0.5),
    Role("self", "to_self", 0.5),
    Role("first-token / [CLS]", "to_first", 0.5),
    Role("[SEP]", "to_sep", 0.5),
    Role("punctuation", "to_punctuation", 0.5),
    Role("broad", "normalized_entropy", 0.85, beat_uniform=False),
)
"""The role table, checked in order; the first role whose test passes names the head, else "mixed".

- 0.5 for the attention scores: the head gives at least half of each row, on average, to one place, as much
  as to all other keys together. A uniform head over n ≥ 3 keys gives one key at most 1/3.
- ``to_first`` stands for both "first token" and "[CLS]": when position 0 is [CLS] the two are equal.
- 0.85 for the normalised entropy: the rows are nearly as spread as uniform (1.0). Uniform over all but
  one key of n = 10 gives 0.95; half the mass on one key and the rest even gives about 0.8 (n = 10).
"""

MIXED = "mixed"


def head_roles(metrics: HeadMetrics) -> np.ndarray:
    """The role name of every head, from :data:`ROLES`. Returns str [...] (the leading shape of metrics)."""
    shape = np.shape(metrics.entropy)
    roles = np.full(shape, MIXED, dtype=f"<U{max(len(r.name) for r in ROLES)}")  # [...]
    unnamed = np.ones(shape, dtype=bool)  # [...]
    for role in ROLES:
        value = getattr(metrics, role.metric)  # [...]
        passes = value >= role.threshold  # [...]
        if role.beat_uniform and metrics.baseline is not None:
            passes &= value > getattr(metrics.baseline, role.metric)
        roles[unnamed & passes] = role.name
        unnamed &= ~passes
    return roles


def metrics_table(metrics: HeadMetrics, digits: int = 3) -> list[dict[str, object]]:
    """One row per head for a sortable table: ``layer`` (for [layer, head] metrics), ``head``, ``role``
    and every score rounded to ``digits``."""
    roles = head_roles(metrics)  # [layer, head] or [head]
    axis_names = {1: ("head",), 2: ("layer", "head")}.get(roles.ndim)
    if axis_names is None:
        raise ValueError(f"metrics_table needs [head] or [layer, head] metrics, got shape {roles.shape}")
    table = []
    for index in np.ndindex(roles.shape):
        row: dict[str, object] = {name: int(i) for name, i in zip(axis_names, index, strict=True)}
        row["role"] = str(roles[index])
        row |= {name: round(float(getattr(metrics, name)[index]), digits) for name in SCORE_NAMES}
        table.append(row)
    return table


def repeated_random_tokens(
    rng: np.random.Generator, vocab_ids: np.ndarray, period: int, bos_id: int | None = None
) -> np.ndarray:
    """Ids for the induction test: ``period`` distinct random ids, then the same ids again, after
    ``bos_id`` when given. Returns int64 [offset + 2 * period], offset = 1 with a BOS, else 0."""
    pool = np.unique(np.asarray(vocab_ids, dtype=np.int64))  # [vocab]
    if period < 1 or period > len(pool):
        raise ValueError(f"period must be between 1 and the {len(pool)} distinct vocab ids, got {period}")
    block = rng.choice(pool, size=period, replace=False)  # [period]
    start = np.array([] if bos_id is None else [bos_id], dtype=np.int64)  # [offset]
    return np.concatenate([start, block, block])  # [offset + 2 * period]


def induction_score(pattern: np.ndarray, period: int, offset: int = 0) -> np.ndarray:
    r"""The induction score of Olsson et al. (2022) on a block of ``period`` random tokens repeated twice,
    starting at position ``offset`` (1 after a BOS token).

    .. math::
        \mathrm{induction} = \frac{1}{T} \sum_{i = o + T}^{o + 2T - 1} p_{i,\; i - T + 1}

    with ``T = period`` and ``o = offset``: a token in the second repeat attends to the token that came
    right after its earlier occurrence (the one to copy next). 1 for a perfect induction head.

    pattern: [..., q, k] with q = k ≥ offset + 2 * period. Returns [...] (one score per head).
    """
    p = np.asarray(pattern, dtype=np.float64)  # [..., q, k]
    needed = offset + 2 * period
    if period < 1 or offset < 0 or p.shape[-1] < needed or p.shape[-2] < needed:
        raise ValueError(f"pattern ends in {p.shape[-2:]}, too small for offset {offset} + 2 × {period}")
    query = np.arange(offset + period, offset + 2 * period)  # [period]
    return p[..., query, query - period + 1].mean(axis=-1)  # [...]
