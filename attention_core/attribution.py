r"""Which input tokens does one output depend on? Four answers side by side, and how far they agree.

The output y (the *target*) is a language model's logit of one next token after position P, or an
encoder's cosine between its sentence embedding and a target embedding (by default the sentence's own,
so y = 1 and every change lowers it). Each method gives every input token t a score:

- **raw attention**: the last layer's attention, averaged over heads, from P (an encoder: averaged
  over every query position too, as its embedding averages every position);
- **rollout**: the same row of attention rollout (``attention_core/rollout.py``), through every layer;
- **occlusion**: :math:`y - y_{\setminus t}`, the drop of the output when token t is left out of the
  sentence (dropped, not masked: the sentence is one token shorter); n runs of the model, bounded by
  ``limits.MAX_OCCLUSION_WORK``;
- **gradient × input**: :math:`\sum_d \frac{\partial y}{\partial x_{0,td}}\, x_{0,td}`, x₀ the residual
  stream entering the first block, through a backward pass (``attention_core/train/input_gradient.py``;
  a family without a backward gets :class:`NotAvailable`, never a made-up number).

Agreement is Spearman's rank correlation of the scores' magnitudes |score| (a token pushing the output
down matters as much as one pushing it up):

.. math::
    \rho(a, b) = \mathrm{corr}\big(\mathrm{rank}\,|a|, \mathrm{rank}\,|b|\big)
    \quad \text{(tied values share their mean rank)}

Attention weights say where a head read from, not what the output needed (Jain & Wallace 2019;
Wiegreffe & Pinter 2019): low agreement is a finding, not a bug.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from attention_core.limits import check_occlusion_work
from attention_core.models.base import Model
from attention_core.models.trace import ModelTrace
from attention_core.predict import check_position, cosine, is_language_model, sentence_embedding
from attention_core.rollout import attention_rollout
from attention_core.tokens import InputError

METHODS = ("raw_attention", "rollout", "occlusion", "gradient_x_input")
OCCLUSION_ROWS = 4096  # token rows per batch of occluded sentences (a batch of [rows / n, n - 1] ids)


@dataclass(frozen=True)
class NotAvailable:
    """A method that cannot be computed for this model, and why (shown instead of a number)."""

    reason: str


@dataclass(frozen=True)
class Target:
    """The one output being explained. Language model: the logit of ``token_id`` after ``position``.
    Encoder: the cosine of the sentence embedding to ``compare_to`` [d_model]."""

    position: int | None = None  # language model only
    token_id: int | None = None  # language model only
    compare_to: np.ndarray | None = None  # encoder only: [d_model], unit length


def choose_target(
    model: Model,
    clean: ModelTrace,
    position: int | None = None,
    token_id: int | None = None,
    compare_to: np.ndarray | None = None,
) -> Target:
    """A full Target from a run: position defaults to the last token, the token to the most probable next
    token there; the embedding to compare to defaults to the sentence's own."""
    if not is_language_model(model):
        own = sentence_embedding(clean.hidden[-1])  # [d_model]
        return Target(compare_to=own if compare_to is None else np.asarray(compare_to, dtype=np.float64))
    position = check_position(position, len(clean.tokens))
    if token_id is None:
        token_id = int(np.argmax(clean.logits[position]))
    if not 0 <= token_id < model.config.d_vocab:
        raise InputError(f"token id {token_id} is not in the vocabulary (0 .. {model.config.d_vocab - 1})")
    return Target(position=position, token_id=int(token_id))


def target_value(model: Model, final: np.ndarray, target: Target) -> np.ndarray:
    """y from what :meth:`Model.resume` returns, final [..., pos, d_model]; a language model reads it at
    the last position of ``final``. Returns [...] float64."""
    if is_language_model(model):
        logits = model.unembed(final[..., -1, :])  # [..., d_vocab]
        return logits[..., target.token_id].astype(np.float64)  # [...]
    return cosine(sentence_embedding(final), target.compare_to)  # [...]


def scored_length(model: Model, clean: ModelTrace, target: Target) -> int:
    """How many tokens the target can depend on: 0 … P for a language model (causal), all for an encoder."""
    return target.position + 1 if is_language_model(model) else len(clean.tokens)


def raw_attention_scores(model: Model, clean: ModelTrace, target: Target) -> np.ndarray:
    """The last layer's attention averaged over heads, from the target's row(s). Returns [n_scored]."""
    n = scored_length(model, clean, target)
    last = clean.pattern[-1].astype(np.float64).mean(axis=0)  # [q, k]
    return last[n - 1, :n] if is_language_model(model) else last.mean(axis=0)  # [n_scored]


def rollout_scores(model: Model, clean: ModelTrace, target: Target) -> np.ndarray:
    """The target's row(s) of attention rollout. Returns [n_scored]."""
    n = scored_length(model, clean, target)
    rollout = attention_rollout(clean.pattern[:, :, :n, :n])  # [n, n]
    return rollout[n - 1] if is_language_model(model) else rollout.mean(axis=0)  # [n_scored]


def occlusion_scores(model: Model, clean: ModelTrace, target: Target) -> np.ndarray:
    """y − y without token t, for every token t the target can depend on. The sentences with one token
    left out all have n − 1 tokens: they run as batches. Returns [n_scored]."""
    n = scored_length(model, clean, target)
    if n < 2:
        raise InputError("occlusion needs at least two tokens before the output: choose a later position")
    check_occlusion_work(model.config.n_layers, model.config.d_model, n)
    ids = clean.tokens.id_array[:n]  # [n]
    keep = ~np.eye(n, dtype=bool)  # [n, n]  row t: every token but t
    occluded = np.broadcast_to(ids, (n, n))[keep].reshape(n, n - 1)  # [n, n - 1]
    full = target_value(model, model.resume(model.embed(ids), 0), target)  # the clean y, recomputed alike
    values = np.empty(n)  # [n]
    rows = max(1, OCCLUSION_ROWS // n)
    for start in range(0, n, rows):
        batch = occluded[start : start + rows]  # [rows, n - 1]
        values[start : start + rows] = target_value(model, model.resume(model.embed(batch), 0), target)
    return full - values  # [n]


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's ρ of |a| and |b| (formula above); NaN when either gives every token the same score."""
    ranks = [_ranks(np.abs(np.asarray(v, dtype=np.float64))) for v in (a, b)]  # 2 × [n]
    centred = [r - r.mean() for r in ranks]  # 2 × [n]
    norm = np.sqrt((centred[0] ** 2).sum() * (centred[1] ** 2).sum())
    return float((centred[0] * centred[1]).sum() / norm) if norm > 0 else float("nan")


def _ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks of values [n], ties sharing their mean rank. Returns float64 [n]."""
    order = np.argsort(values, kind="stable")  # [n]
    ranks = np.empty(len(values))  # [n]
    ranks[order] = np.arange(1, len(values) + 1)
    for value in np.unique(values):
        tied = values == value  # [n]
        ranks[tied] = ranks[tied].mean()
    return ranks


@dataclass(frozen=True)
class Attribution:
    """Every method's score per input token for one target, and their pairwise agreement."""

    labels: tuple[str, ...]  # the tokens scored: 0 … P (language model) or all (encoder)
    target: Target
    value: float  # y itself
    scores: dict[str, np.ndarray | NotAvailable]  # method (METHODS) → [n_scored], or why not
    agreement: dict[tuple[str, str], float]  # (method, method) → Spearman ρ, for available pairs


def attribute(
    model: Model, clean: ModelTrace, target: Target, gradient_x_input: np.ndarray | NotAvailable
) -> Attribution:
    """The four methods for ``target`` (from :func:`choose_target`) side by side. gradient × input comes
    from ``attention_core/train/input_gradient.py``, which calls this; the core cannot run a backward."""
    n = scored_length(model, clean, target)
    scores = {
        "raw_attention": raw_attention_scores(model, clean, target),
        "rollout": rollout_scores(model, clean, target),
        "occlusion": occlusion_scores(model, clean, target),
        "gradient_x_input": gradient_x_input,
    }
    available = [m for m in METHODS if not isinstance(scores[m], NotAvailable)]
    pairs = [(a, b) for i, a in enumerate(available) for b in available[i + 1 :]]
    agreement = {(a, b): spearman(scores[a], scores[b]) for a, b in pairs}
    if is_language_model(model):
        value = float(clean.logits[target.position, target.token_id])
    else:
        value = float(cosine(sentence_embedding(clean.hidden[-1]), target.compare_to))
    return Attribution(clean.tokens.labels[:n], target, value, scores, agreement)
