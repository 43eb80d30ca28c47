"""The project's own bilingual language model (trained by ``attention_core.train``), through the same
Model interface as the pretrained ones: the explorer, the atlas and the CLI use it like any other.

Its folder (``assets/model/ko-en-lm/``) holds config.json, weights.npz, snapshots/ taken during training,
history.json and the card; it reads text with the bundled SentencePiece tokenizer, ``<s>`` first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from attention_core.models.base import Model, ModelError
from attention_core.models.trace import LayerTraces, ModelConfig, ModelTrace
from attention_core.tokenizer import SentencePieceTokenizer
from attention_core.tokens import Tokens
from attention_core.train import inference
from attention_core.train.model import attention_weights
from attention_core.weights import AttentionWeights


class StartWithBos:
    """The bundled tokenizer as the model was trained on it: every text starts with ``<s>``."""

    def __init__(self, tokenizer: SentencePieceTokenizer) -> None:
        self.tokenizer = tokenizer

    def encode(self, text: str, max_tokens: int | None = None) -> Tokens:
        return self.tokenizer.encode(text, max_tokens, add_bos=True)


class OwnLanguageModel(Model):
    """A decoder-only LM of ``attention_core.train`` (final weights, or a snapshot at ``step``)."""

    def __init__(self, name: str, lm: inference.BundledLM, tokenizer: SentencePieceTokenizer) -> None:
        c = lm.config
        self.config = ModelConfig(
            name=name, family="lm", d_model=c.d_model, n_heads=c.n_heads, d_k=c.d_k, d_v=c.d_v,
            n_layers=c.n_layers, n_ctx=c.n_ctx, d_vocab=c.d_vocab, causal=True, d_mlp=c.d_mlp, eps=c.ln_eps,
        )  # fmt: skip
        self.tokenizer = StartWithBos(tokenizer)
        self.lm = lm

    @property
    def step(self) -> int | None:
        """The training step of a snapshot; None for the final weights."""
        return self.lm.step

    def run(self, tokens: Tokens) -> ModelTrace:
        self.check_tokens(tokens)
        result = self.lm.run(tokens.id_array)
        inputs = [trace.x for trace in result.traces]  # [pos, d_model] per layer
        weights = [trace.weights for trace in result.traces]
        layers = LayerTraces(inputs, weights, result.traces[0].mask)
        return ModelTrace(self.name, tokens, layers, result.pattern, result.hidden, result.logits)

    def attention_weights(self, layer: int) -> AttentionWeights:
        return attention_weights(self.lm.params, layer)


def load_own_lm(folder: Path, name: str, step: int | None = None) -> OwnLanguageModel:
    """The model in ``folder``: its final weights, or its snapshot at training ``step``."""
    try:
        lm = inference.load_model(folder, step)
    except (OSError, ValueError, KeyError) as error:
        raise ModelError(f"{name}: cannot load {folder.name} ({error})") from None
    return OwnLanguageModel(name, lm, SentencePieceTokenizer())


def snapshot_steps(folder: Path) -> list[int]:
    """The training steps at which snapshots were kept, in order."""
    return inference.list_snapshots(folder)


@dataclass(frozen=True)
class TrainingRecord:
    """What happened while the model trained, read from its history.json."""

    train_steps: np.ndarray  # [step]
    train_loss: np.ndarray  # [step]  cross-entropy of each training batch, nats per token
    eval_steps: np.ndarray  # [eval]
    eval_loss: dict[str, np.ndarray]  # language → [eval]  held-out cross-entropy
    baselines: dict[str, dict[str, float]]  # "bigram" / "unigram" → language → cross-entropy
    snapshot_steps: np.ndarray  # [snapshot]
    snapshot_tokens: np.ndarray  # [snapshot]  training tokens seen at each snapshot
    snapshot_loss: dict[str, np.ndarray]  # language → [snapshot]  held-out cross-entropy at each snapshot
    head_metrics: dict[str, np.ndarray]  # "to_previous", "induction", … → [snapshot, layer, head]
    uniform_to_previous: float  # what uniform causal attention would put on i−1 (same windows)
    final: dict  # the last snapshot's losses, gaps to the baselines, training time


def training_record(folder: Path) -> TrainingRecord:
    history = json.loads((folder / "history.json").read_text())
    train = np.array(history["train"], dtype=float)  # [step, (step, loss, grad norm, lr)]
    snapshots = history["snapshots"]
    metric_names = [name for name, value in snapshots[0]["heads"].items() if isinstance(value, list)]
    return TrainingRecord(
        train_steps=train[:, 0],
        train_loss=train[:, 1],
        eval_steps=np.array([e["step"] for e in history["eval"]]),
        eval_loss={
            lang: np.array([e["val"][lang] for e in history["eval"]]) for lang in history["eval"][0]["val"]
        },
        baselines={
            "bigram": {lang: history["baselines"]["bigram"][lang] for lang in ("ko", "en")},
            "unigram": dict(history["baselines"]["unigram"]),
        },
        snapshot_steps=np.array([s["step"] for s in snapshots]),
        snapshot_tokens=np.array([s["tokens"] for s in snapshots]),
        snapshot_loss={lang: np.array([s["val"][lang] for s in snapshots]) for lang in snapshots[0]["val"]},
        head_metrics={name: np.array([s["heads"][name] for s in snapshots]) for name in metric_names},
        uniform_to_previous=float(snapshots[-1]["heads"]["uniform_to_previous"]),
        final=history["final"],
    )
