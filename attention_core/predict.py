r"""What a model outputs, the thing it exists for: a language model's next-token probabilities, an
encoder's sentence embedding; and how far two such outputs lie apart.

.. math::
    p(\cdot \mid t_{\le P}) = \mathrm{softmax}(\mathrm{logits}_P), \qquad
    \log p(t_{i+1} \mid t_{\le i}) = \log\mathrm{softmax}(\mathrm{logits}_i)_{t_{i+1}}

    e = \frac{\bar h}{\lVert \bar h \rVert}, \quad \bar h = \frac1n \sum_i h^{(L)}_i
    \qquad \text{(sentence-transformers: mean pooling, then normalise)}

    \mathrm{KL}(p \,\Vert\, q) = \sum_v p_v (\log p_v - \log q_v), \qquad
    \cos(a, b) = \frac{a \cdot b}{\lVert a \rVert \lVert b \rVert}
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from attention_core.limits import model_max_tokens
from attention_core.models.base import Model
from attention_core.models.trace import ModelTrace
from attention_core.softmax import log_softmax
from attention_core.tokens import InputError

TOP_K = 10  # how many next tokens a prediction lists


def is_language_model(model: Model) -> bool:
    """True for a decoder with logits (ko-en-lm, GPT-2 folders), False for an encoder (BERT, MiniLM)."""
    return model.config.family != "bert"


def check_position(position: int | None, n_pos: int) -> int:
    """``position`` as a valid index of a sentence of ``n_pos`` tokens; None means the last one.
    Raises InputError for anything else."""
    if position is None:
        return n_pos - 1
    if isinstance(position, bool) or not isinstance(position, int | np.integer) or not 0 <= position < n_pos:
        raise InputError(f"position {position!r} is not one of the {n_pos} tokens (0 .. {n_pos - 1})")
    return int(position)


@dataclass(frozen=True)
class ModelOutput:
    """One model output: the next-token distribution at ``position`` (a language model) or the sentence
    embedding (an encoder); the other field is None."""

    log_probs: np.ndarray | None  # [d_vocab]  float64, log p(next token) at `position`
    embedding: np.ndarray | None  # [d_model]  float64, unit length
    position: int | None  # which token's prediction (language models); None for an encoder

    @property
    def probs(self) -> np.ndarray:
        return np.exp(self.log_probs)  # [d_vocab]


def next_token_log_probs(logits: np.ndarray) -> np.ndarray:
    """log softmax of logits [..., d_vocab], in float64. Returns [..., d_vocab]."""
    return log_softmax(np.asarray(logits, dtype=np.float64))  # [..., d_vocab]


def sentence_embedding(last_hidden: np.ndarray) -> np.ndarray:
    """sentence-transformers' embedding: the mean over tokens of the last hidden states, L2-normalised.
    last_hidden: [..., pos, d_model]; returns float64 [..., d_model]."""
    mean = np.asarray(last_hidden, dtype=np.float64).mean(axis=-2)  # [..., d_model]
    return mean / np.linalg.norm(mean, axis=-1, keepdims=True)  # [..., d_model]


def output_of_trace(model: Model, trace: ModelTrace, position: int | None = None) -> ModelOutput:
    """The output of one run: next-token log-probabilities at ``position`` (default: the last token) for
    a language model, the sentence embedding for an encoder."""
    if not is_language_model(model):
        return ModelOutput(None, sentence_embedding(trace.hidden[-1]), None)
    p = check_position(position, len(trace.tokens))
    return ModelOutput(next_token_log_probs(trace.logits[p]), None, p)


def output_of_final(model: Model, final: np.ndarray, position: int | None) -> np.ndarray:
    """The output from what :meth:`Model.resume` returns, final [..., pos, d_model]: log-probabilities
    [..., d_vocab] at ``position`` for a language model, the embedding [..., d_model] for an encoder."""
    if not is_language_model(model):
        return sentence_embedding(final)  # [..., d_model]
    return next_token_log_probs(model.unembed(final[..., position, :]))  # [..., d_vocab]


def kl_divergence(log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
    """KL(p ‖ q) in nats over the last axis, from log-probabilities [..., n]. Returns [...]."""
    return np.sum(np.exp(log_p) * (log_p - log_q), axis=-1)  # [...]


def cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarity over the last axis of a, b [..., d]. Returns [...]."""
    dot = np.sum(a * b, axis=-1)  # [...]
    return dot / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))  # [...]


def effect(before: ModelOutput, after: np.ndarray | ModelOutput) -> np.ndarray | float:
    """How much an intervention changed the output: KL(before ‖ after) of the next-token distributions
    (language model), 1 − cos(before, after) of the embeddings (encoder). ``after`` may be a ModelOutput
    or the raw array(s) of :func:`output_of_final`, batch axes allowed. Returns a float, or [...]."""
    if isinstance(after, ModelOutput):
        after = after.log_probs if before.log_probs is not None else after.embedding
    if before.log_probs is not None:
        value = kl_divergence(before.log_probs, after)  # [...]
    else:
        value = 1.0 - cosine(before.embedding, after)  # [...]
    return float(value) if np.ndim(value) == 0 else value


@dataclass(frozen=True)
class Prediction:
    """One candidate next token."""

    token_id: int
    label: str  # readable (tokens.labels)
    probability: float


def top_predictions(model: Model, output: ModelOutput, k: int = TOP_K) -> list[Prediction]:
    """The ``k`` most probable next tokens of a language model's output, most probable first."""
    probs = output.probs  # [d_vocab]
    best = np.argsort(-probs, kind="stable")[:k]  # [k]  ids, most probable first
    # Each candidate labelled on its own: labelled together, the bytes of unrelated byte-level candidates
    # would be decoded as one run ("이 1/3" from one candidate's byte and the next one's).
    labels = [model.tokenizer.from_ids([int(i)]).labels[0] for i in best]
    return [Prediction(int(i), label, float(probs[i])) for i, label in zip(best, labels, strict=True)]


def sentence_log_probs(trace: ModelTrace) -> np.ndarray:
    """How surprised a language model was by each token of its own sentence: log p(token i+1 | tokens
    ≤ i) for i = 0 … n−2 (the first token has no prediction). Returns float64 [pos − 1], nats."""
    if trace.logits is None:
        raise InputError(f"{trace.model_name} is not a language model: it predicts no tokens")
    log_probs = next_token_log_probs(trace.logits[:-1])  # [pos - 1, d_vocab]
    following = trace.tokens.id_array[1:]  # [pos - 1]
    return log_probs[np.arange(len(following)), following]  # [pos - 1]


def embedding_cosine(model: Model, text: str, other: str) -> float:
    """Cosine similarity of the sentence embeddings of two texts (an encoder), as sentence-transformers
    compares sentences."""
    if is_language_model(model):
        raise InputError(f"{model.name} is a language model: it has no sentence embedding")
    c = model.config
    cap = model_max_tokens(c.n_layers, c.n_heads, c.n_ctx)
    first, second = (
        output_of_trace(model, model.run(model.tokenize(t, cap))).embedding for t in (text, other)
    )
    return float(cosine(first, second))
