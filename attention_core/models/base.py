"""What every pretrained model offers: its config, its own tokenizer, a forward pass, its weights."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from attention_core.models.config import ModelConfig
from attention_core.models.edit import Edits
from attention_core.models.trace import ModelTrace
from attention_core.tokens import Tokens
from attention_core.weights import AttentionWeights


class ModelError(Exception):
    """A model that cannot be found, read or run. The message says which and why, in one line."""


class TextTokenizer(Protocol):
    """A model's own tokenizer: text → Tokens, keeping at most ``max_tokens`` (None: all); and the Tokens
    of given ids."""

    def encode(self, text: str, max_tokens: int | None = None) -> Tokens: ...

    def from_ids(self, ids: Sequence[int]) -> Tokens: ...


class Model(ABC):
    """A pretrained transformer in NumPy. Loaded once and shared: its arrays are read-only."""

    config: ModelConfig
    tokenizer: TextTokenizer

    @property
    def name(self) -> str:
        return self.config.name

    def tokenize(self, text: str, max_tokens: int | None = None) -> Tokens:
        """The model's own tokens for ``text``, at most ``max_tokens`` and never more than n_ctx.

        ``Tokens.n_total`` tells how many tokens the whole text had. Raises InputError for empty text.
        """
        cap = self.config.n_ctx if max_tokens is None else min(max_tokens, self.config.n_ctx)
        return self.tokenizer.encode(text, cap)

    def as_tokens(self, tokens: Tokens | Sequence[int]) -> Tokens:
        """``tokens``, or the Tokens of a sequence of ids (``model.run([1, 300, 301])``)."""
        return tokens if isinstance(tokens, Tokens) else self.tokenizer.from_ids([int(i) for i in tokens])

    def check_tokens(self, tokens: Tokens) -> None:
        """Refuse token ids this model cannot embed (another model's tokens, or too many of them)."""
        if not 1 <= len(tokens) <= self.config.n_ctx:
            raise ModelError(f"{self.name} takes 1 to {self.config.n_ctx} tokens, not {len(tokens)}")
        if min(tokens.ids) < 0 or max(tokens.ids) >= self.config.d_vocab:
            raise ModelError(f"token ids must lie in 0 .. {self.config.d_vocab - 1} for {self.name}")

    def trace(self, text: str) -> ModelTrace:
        """The forward pass on ``text``: ``run(tokenize(text))``, at most n_ctx tokens."""
        return self.run(self.tokenize(text))

    @abstractmethod
    def run(self, tokens: Tokens | Sequence[int], edits: Edits | None = None) -> ModelTrace:
        """The forward pass on one sequence (Tokens, or token ids), every intermediate kept; ``edits``
        (layer → LayerEdit) switch heads off or block attention in those layers."""

    @abstractmethod
    def embed(self, ids: np.ndarray) -> np.ndarray:
        """The residual stream entering block 0 for token ids [..., pos]: [..., pos, d_model]."""

    @abstractmethod
    def resume(self, x: np.ndarray, start: int, edits: Edits | None = None) -> np.ndarray:
        """The blocks from ``start`` on, given the residual stream entering block ``start``
        (``trace.hidden[start]`` of a run), x [..., pos, d_model], batch axes allowed. Returns what the
        model's output reads [..., pos, d_model]: LN_f(x_L) for a decoder, x_L for an encoder."""

    @abstractmethod
    def attention_weights(self, layer: int) -> AttentionWeights:
        """Layer ``layer``'s attention weights, per head, as ``multi_head_attention`` takes them."""
