"""A pretrained model's settings, and everything one forward pass computed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from attention_core.attention import AttentionTrace
from attention_core.tokens import Tokens


@dataclass(frozen=True)
class ModelConfig:
    """The sizes of a transformer, named as in DESIGN.md.

    family: "bert" (bidirectional encoder, post-LayerNorm), "gpt2" (causal decoder, pre-LayerNorm) or "lm"
    (the project's own decoder, trained by attention_core.train);
    d_mlp: width of the feed-forward layer; eps: the LayerNorm epsilon of the checkpoint.
    """

    name: str
    family: Literal["bert", "gpt2", "lm"]
    d_model: int
    n_heads: int
    d_k: int
    d_v: int
    n_layers: int
    n_ctx: int
    d_vocab: int
    causal: bool
    d_mlp: int
    eps: float


@dataclass(frozen=True)
class ModelTrace:
    """One forward pass: the tokens, every layer's attention, the residual stream, and the logits.

    ``hidden`` follows transformers' ``hidden_states``: ``hidden[0]`` is the embedding output (after the
    embedding LayerNorm for BERT), ``hidden[i]`` the output of block i. For GPT-2 the last entry has the
    final LayerNorm ``ln_f`` applied, so ``logits = hidden[-1] @ W_E.T``.
    """

    model_name: str
    tokens: Tokens
    layers: tuple[AttentionTrace, ...]  # one per layer; layers[i].x is block i's attention input
    hidden: np.ndarray  # [layer + 1, pos, d_model]
    logits: np.ndarray | None = None  # [pos, d_vocab], language models only

    @property
    def n_layers(self) -> int:
        return len(self.layers)

    @property
    def pattern(self) -> np.ndarray:
        """Every head's attention pattern. Returns [layer, head, query_pos, key_pos]."""
        return np.stack([layer.pattern for layer in self.layers])  # [layer, head, query_pos, key_pos]
