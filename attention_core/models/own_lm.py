"""The project's own bilingual language model (trained by ``attention_core.train``), through the same
Model interface as the pretrained ones: the explorer, the atlas and the CLI use it like any other.

Its folder (``assets/model/ko-en-lm/``) holds config.json, weights.npz, snapshots/ taken during training,
history.json and the card; it reads text with the bundled SentencePiece tokenizer, ``<s>`` first.
"""

from __future__ import annotations

from pathlib import Path

from attention_core.models.base import Model, ModelError
from attention_core.models.trace import ModelConfig, ModelTrace
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
        return ModelTrace(self.name, tokens, result.traces, result.hidden, result.logits)

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
