r"""Measuring the model: validation loss per language, and what its heads do.

* **Validation loss**: mean cross-entropy (nats per token) over every target of the held-out windows.
* **Previous-token score** of a head: its mean attention from position i to i − 1 over rows i ≥ 1 of
  held-out 128-token windows (``to_previous`` of :mod:`attention_core.heads`). A head that spreads each
  row evenly over the keys it may see scores :math:`\frac{1}{n-1}\sum_{i=1}^{n-1} \frac{1}{i+1}`
  (0.0349 for n = 128): "× uniform" is the ratio to that.
* **Induction score** (Olsson et al. 2022): on ``<s>`` + T random tokens + the same T tokens again, the
  mean attention from each token of the repeat to the token right after its first occurrence
  (:func:`attention_core.heads.induction_score`). An induction head scores near 1; a previous-token or
  uniform head near 0. We also report the loss on the repeat against the loss on the first copy: a model
  with working induction heads predicts the repeat far better.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from attention_core.attention import causal_mask
from attention_core.heads import average_metrics, head_metrics, induction_score, repeated_random_tokens
from attention_core.models.config import ModelConfig
from attention_core.models.own_lm import EMBEDDING_KEYS, Params
from attention_core.softmax import log_softmax
from attention_core.tokenizer import SentencePieceTokenizer
from attention_core.train.model import forward, loss

BOS_ID = 1
EVAL_BATCH = 16
INDUCTION_PERIOD = 63  # <s> + 63 + 63 = 127 tokens: fits a 128-token context (shorter for a smaller n_ctx)
INDUCTION_SEQUENCES = 16


def validation_loss(params: Params, config: ModelConfig, windows: np.ndarray) -> float:
    """Mean next-token cross-entropy over windows [windows, n_ctx + 1] (equal lengths: a mean of means)."""
    losses = []
    for start in range(0, len(windows), EVAL_BATCH):
        batch = windows[start : start + EVAL_BATCH]  # [batch, n_ctx + 1]
        value = loss(params, config, batch[:, :-1], batch[:, 1:])
        losses.append(value * len(batch))
    return float(sum(losses) / len(windows))


def patterns(params: Params, config: ModelConfig, ids: np.ndarray) -> np.ndarray:
    """Every head's attention pattern on ids [batch, pos]. Returns [batch, layer, head, q, k]."""
    fwd = forward(params, config, ids)
    return np.stack([block.trace.pattern for block in fwd.blocks], axis=1)  # [batch, layer, head, q, k]


@dataclass(frozen=True)
class HeadReport:
    to_previous: np.ndarray  # [layer, head]  mean attention to i - 1 on held-out windows
    uniform_to_previous: float  # the same for uniform causal attention
    to_first: np.ndarray  # [layer, head]  attention to position 0 (rows i ≥ 1)
    to_self: np.ndarray  # [layer, head]
    normalized_entropy: np.ndarray  # [layer, head]  0 = one key, 1 = uniform
    induction: np.ndarray  # [layer, head]  on repeated random tokens
    loss_first_copy: float  # mean loss on the first copy of the random block (nothing to copy yet)
    loss_repeat: float  # mean loss on the repeat (everything can be copied)

    def as_dict(self) -> dict:
        best = np.unravel_index(np.argmax(self.to_previous), self.to_previous.shape)
        return {
            "to_previous": np.round(self.to_previous, 4).tolist(),
            "uniform_to_previous": round(self.uniform_to_previous, 5),
            "best_previous_token_head": {
                "layer": int(best[0]),
                "head": int(best[1]),
                "to_previous": round(float(self.to_previous[best]), 4),
                "times_uniform": round(float(self.to_previous[best] / self.uniform_to_previous), 2),
            },
            "to_first": np.round(self.to_first, 4).tolist(),
            "to_self": np.round(self.to_self, 4).tolist(),
            "normalized_entropy": np.round(self.normalized_entropy, 4).tolist(),
            "induction": np.round(self.induction, 4).tolist(),
            "loss_first_copy": round(self.loss_first_copy, 4),
            "loss_repeat": round(self.loss_repeat, 4),
        }


def head_report(
    params: Params,
    config: ModelConfig,
    windows: np.ndarray,
    tokenizer: SentencePieceTokenizer,
    seed: int = 0,
    pool: np.ndarray | None = None,
) -> HeadReport:
    """Head metrics on held-out windows [windows, n_ctx + 1] and induction scores on random repeats."""
    ids = windows[:, : config.n_ctx]  # [windows, pos]
    mask = causal_mask(ids.shape[1])  # [q, k]
    metrics = []
    for start in range(0, len(ids), EVAL_BATCH):
        batch = ids[start : start + EVAL_BATCH]  # [batch, pos]
        for window, pattern in zip(batch, patterns(params, config, batch), strict=True):
            metrics.append(head_metrics(pattern, tokenizer.from_ids(window), mask))
    mean = average_metrics(metrics)

    induction, loss_first, loss_repeat = induction_probe(
        params, config, tokenizer, INDUCTION_SEQUENCES, seed, pool
    )
    return HeadReport(
        to_previous=mean.to_previous,
        uniform_to_previous=float(mean.baseline.to_previous[0, 0]),
        to_first=mean.to_first,
        to_self=mean.to_self,
        normalized_entropy=mean.normalized_entropy,
        induction=induction,
        loss_first_copy=loss_first,
        loss_repeat=loss_repeat,
    )


def repeat_losses(params: Params, config: ModelConfig, ids: np.ndarray, period: int) -> tuple[float, float]:
    """On sequences ids [sequences, 1 + 2 T] (``<s>``, a block of T = ``period`` pieces, the block again):
    the mean loss of predicting pieces 2..T of the first copy and of the repeat. Returns (first, repeat)."""
    fwd = forward(params, config, ids)
    logits = fwd.final[:, :-1] @ params[EMBEDDING_KEYS["W_E"]].T  # [sequences, 2T, d_vocab]  predicting 1..2T
    log_probs = log_softmax(logits)  # [sequences, 2T, d_vocab]
    targets = ids[:, 1:]  # [sequences, 2T]
    token_loss = -np.take_along_axis(log_probs, targets[..., None], axis=-1)[..., 0]  # [sequences, 2T]
    T = period
    return float(token_loss[:, 1:T].mean()), float(token_loss[:, T + 1 :].mean())


def induction_probe(
    params: Params,
    config: ModelConfig,
    tokenizer: SentencePieceTokenizer,
    sequences: int,
    seed: int = 0,
    pool: np.ndarray | None = None,
) -> tuple[np.ndarray, float, float]:
    """Induction scores [layer, head] on ``sequences`` blocks of random ordinary pieces repeated once
    (``<s>`` + T + T, T = 63 for a 128-token context), and the loss on the first copy and on the repeat.
    The pieces are drawn from ``pool`` (default: every ordinary piece). Cheap enough to run every few
    dozen training steps, which is how the phase change is found."""
    T = min(INDUCTION_PERIOD, (config.n_ctx - 1) // 2)  # the block length
    rng = np.random.default_rng([seed, 2])
    vocab = tokenizer.ordinary_ids() if pool is None else pool  # [pieces]: no control or byte pieces
    repeats = np.stack(
        [repeated_random_tokens(rng, vocab, T, bos_id=1) for _ in range(sequences)]
    )  # [sequences, 1 + 2 T]
    fwd = forward(params, config, repeats)
    induction = np.mean(
        [
            induction_score(np.stack([block.trace.pattern[s] for block in fwd.blocks]), T, offset=1)
            for s in range(len(repeats))
        ],
        axis=0,
    )  # [layer, head]
    first, repeat = repeat_losses(params, config, repeats, T)
    return induction, first, repeat


def frequent_pieces(streams: list[np.ndarray], ordinary: np.ndarray, count: int) -> np.ndarray:
    """The ``count`` ordinary pieces that occur most often in the training streams (all of them when
    ``count`` is 0), in id order: random blocks drawn from them use pieces whose embeddings the model has
    actually learned. Returns int64 [count]."""
    if count <= 0 or count >= len(ordinary):
        return np.asarray(ordinary, dtype=np.int64)
    counts = sum(
        np.bincount(s, minlength=int(ordinary.max()) + 1)[: int(ordinary.max()) + 1] for s in streams
    )
    ranked = ordinary[np.argsort(-counts[ordinary], kind="stable")]  # [ordinary]  most frequent first
    return np.sort(ranked[:count]).astype(np.int64)  # [count]


def held_out_sentences(stream: np.ndarray, count: int, min_len: int, max_len: int) -> list[np.ndarray]:
    """Up to ``count`` held-out lines of ``min_len``..``max_len`` pieces (without ``<s>``), evenly spaced
    over the stream ``<s> line <s> line …``. Returns a list of int64 [length] arrays."""
    starts = np.flatnonzero(stream == BOS_ID)  # [lines]
    ends = np.append(starts[1:], len(stream))  # [lines]
    fitting = [(s + 1, e) for s, e in zip(starts, ends, strict=True) if min_len <= e - s - 1 <= max_len]
    picked = np.unique(np.linspace(0, len(fitting) - 1, min(count, len(fitting))).round().astype(int))
    return [stream[fitting[i][0] : fitting[i][1]].astype(np.int64) for i in picked]


def sentence_repeat_losses(
    params: Params, config: ModelConfig, sentences: list[np.ndarray]
) -> tuple[float, float]:
    """Each held-out sentence written twice after ``<s>``: mean loss on its first copy and on the second
    (pieces 2..T of each, as :func:`repeat_losses`). A model that copies from context nearly halves it."""
    firsts, repeats = [], []
    for sentence in sentences:
        ids = np.concatenate([[BOS_ID], sentence, sentence])[None]  # [1, 1 + 2T]
        first, repeat = repeat_losses(params, config, ids, len(sentence))
        firsts.append(first)
        repeats.append(repeat)
    return float(np.mean(firsts)), float(np.mean(repeats))
