r"""Two baselines the model must beat, scored on exactly the model's validation targets.

**Unigram** (no context at all): the SentencePiece model's own piece log-probabilities. The ``.model``
file stores, for every ordinary piece, the log-probability the unigram tokenizer learned for it. Two kinds
of token have no usable score there, so they get their relative frequency in the (balanced) training
streams instead (counts + ½, so that a byte never seen in training is not impossible): ``<s>``, which we add
before every line (SentencePiece never scores it), and the 256 byte pieces (score 0 in the file, a
placeholder). The ordinary pieces share the remaining probability in
proportion to ``exp(score)``:

.. math::
    p(v) = f_v \;(v = \texttt{<s>} \text{ or a byte}), \qquad
    p(v) = \Big(1 - \sum_{u\ \text{special}} f_u\Big) \frac{e^{s_v}}{\sum_{u\ \text{ordinary}} e^{s_u}}

**Add-k bigram** (one token of context): counted on the training streams of both languages,

.. math::
    p(y \mid x) = \frac{c(x, y) + k}{c(x) + k\,V}

with ``k`` chosen on the "tuning" lines (5% of the training lines, counted without them while choosing),
then counted again on all training lines. The k that would be best on the validation text itself is
reported too: that is the strongest add-k bigram possible, and the model must beat it as well.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sentencepiece as spm

K_GRID = (1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0)


def unigram_log_probs(tokenizer: str, train: dict[str, np.ndarray]) -> np.ndarray:
    """log p(v) for every piece, as described in the module docstring. Returns float64 [d_vocab]."""
    processor = spm.SentencePieceProcessor(model_file=str(tokenizer))
    d_vocab = processor.get_piece_size()
    scores = np.array([processor.get_score(i) for i in range(d_vocab)])  # [d_vocab]
    is_byte = np.array([processor.is_byte(i) for i in range(d_vocab)])  # [d_vocab]
    ordinary = ~is_byte & ~np.array(
        [processor.is_control(i) or processor.is_unknown(i) for i in range(d_vocab)]
    )
    # relative frequencies (counts + 1/2) in the balanced mix: each language weighs one half
    freq = np.mean(
        [(np.bincount(s, minlength=d_vocab) + 0.5) / len(s) for s in train.values()], axis=0
    )  # [d_vocab]
    special = is_byte.copy()  # [d_vocab]  pieces priced by their frequency
    special[processor.bos_id()] = True
    prob = np.where(special, freq, 0.0)  # [d_vocab]
    ordinary_mass = np.exp(scores) * ordinary  # [d_vocab]
    prob += (1.0 - prob.sum()) * ordinary_mass / ordinary_mass.sum()  # [d_vocab]
    with np.errstate(divide="ignore"):
        return np.log(prob)  # [d_vocab]  -inf only for <unk>, </s> and <pad>, which never occur


def unigram_loss(log_probs: np.ndarray, windows: np.ndarray) -> float:
    """Mean -log p(target) over the targets of validation windows [windows, n_ctx + 1]."""
    return float(-log_probs[windows[:, 1:]].mean())


@dataclass(frozen=True)
class BigramCounts:
    """Sparse bigram counts: ``pairs`` holds x·V + y for every distinct pair, ``counts`` how often."""

    d_vocab: int
    pairs: np.ndarray  # int64 [distinct pairs], sorted
    counts: np.ndarray  # int64 [distinct pairs]
    context_totals: np.ndarray  # int64 [d_vocab]  c(x): how often x had a successor

    @classmethod
    def count(
        cls, streams: list[np.ndarray], d_vocab: int, keep: list[np.ndarray] | None = None
    ) -> BigramCounts:
        """Count (x, y) over consecutive tokens of each stream; with ``keep`` (bool per token), only the
        pairs whose second token is kept."""
        keys = []
        for i, s in enumerate(streams):
            key = s[:-1].astype(np.int64) * d_vocab + s[1:]  # [tokens - 1]
            keys.append(key if keep is None else key[keep[i][1:]])
        pairs, counts = np.unique(np.concatenate(keys), return_counts=True)  # [distinct], [distinct]
        context_totals = np.bincount(pairs // d_vocab, weights=counts, minlength=d_vocab).astype(np.int64)
        return cls(d_vocab=d_vocab, pairs=pairs, counts=counts, context_totals=context_totals)

    def log_probs(self, x: np.ndarray, y: np.ndarray, k: float) -> np.ndarray:
        """log p(y | x) with add-k smoothing, for int arrays x, y of the same shape."""
        key = x.astype(np.int64) * self.d_vocab + y  # [...]
        at = np.clip(np.searchsorted(self.pairs, key), 0, len(self.pairs) - 1)  # [...]
        c = np.where(self.pairs[at] == key, self.counts[at], 0)  # [...]  0 for pairs never seen
        return np.log((c + k) / (self.context_totals[x] + k * self.d_vocab))  # [...]

    def loss(self, windows: np.ndarray, k: float) -> float:
        """Mean -log p(target | previous token) over the targets of windows [windows, n_ctx + 1]."""
        return float(-self.log_probs(windows[:, :-1], windows[:, 1:], k).mean())


@dataclass(frozen=True)
class BigramBaseline:
    k: float  # chosen on the tuning lines
    tune_losses: dict[float, float]  # k -> mean over languages of the tuning-lines loss
    counts: BigramCounts  # on all training lines


def fit_bigram(train: dict[str, np.ndarray], tune: dict[str, np.ndarray], d_vocab: int) -> BigramBaseline:
    """Choose k on the tuning lines, then count on all training lines."""
    langs = list(train)
    without_tune = BigramCounts.count([train[l] for l in langs], d_vocab, keep=[~tune[l] for l in langs])
    tune_losses = {}
    for k in K_GRID:
        per_language = []
        for l in langs:
            s, on = train[l], tune[l][1:]  # the pairs whose second token is on a tuning line
            per_language.append(float(-without_tune.log_probs(s[:-1][on], s[1:][on], k).mean()))
        tune_losses[k] = float(np.mean(per_language))
    best = min(tune_losses, key=tune_losses.get)
    return BigramBaseline(
        k=best, tune_losses=tune_losses, counts=BigramCounts.count([train[l] for l in langs], d_vocab)
    )
