"""Everything one forward pass of a model computed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from attention_core.attention import AttentionTrace, multi_head_attention
from attention_core.models.edit import Edits, edited_attention, edited_mask
from attention_core.tokens import Tokens
from attention_core.weights import AttentionWeights


class LayerTraces(Sequence):
    """Every layer's full attention trace (q, k, v, scores, …), recomputed when one is asked for.

    A forward pass keeps only what each layer's attention read (``inputs``) and its pattern: at 512 tokens
    all-MiniLM-L6-v2's scores, scaled scores and patterns together are 226 MB, the patterns alone 75 MB.
    ``layers[i]`` calls the same ``multi_head_attention`` on the same input and weights again, so it is
    the very trace the forward pass computed, number for number (tests/test_model_parity.py). A run
    with ``edits`` (heads switched off, attention blocked: ``models/edit.py``) gets them here too.
    """

    def __init__(
        self,
        inputs: Sequence[np.ndarray],
        weights: Sequence[AttentionWeights],
        mask: np.ndarray | None,
        edits: Edits | None = None,
    ) -> None:
        self.inputs = tuple(inputs)  # per layer: [pos, d_model], what the attention read
        self.weights = tuple(weights)  # per layer
        self.mask = mask  # [query_pos, key_pos] bool, or None: everything allowed
        self.edits = dict(edits or {})  # layer → LayerEdit

    def __len__(self) -> int:
        return len(self.inputs)

    def __getitem__(self, layer: int) -> AttentionTrace:  # type: ignore[override]
        if not isinstance(layer, int) or not -len(self) <= layer < len(self):
            raise IndexError(f"layer {layer!r} is not one of 0 .. {len(self) - 1}")
        layer %= len(self)
        edit, x = self.edits.get(layer), self.inputs[layer]
        trace = multi_head_attention(x, self.weights[layer], edited_mask(edit, self.mask, x.shape[-2]))
        return edited_attention(trace, edit)


@dataclass(frozen=True)
class ModelTrace:
    """One forward pass: the tokens, every layer's attention pattern (each layer's whole trace on
    demand), the residual stream, and the logits.

    ``hidden`` follows transformers' ``hidden_states``: ``hidden[0]`` is the embedding output (after the
    embedding LayerNorm for BERT), ``hidden[i]`` the output of block i. For GPT-2 the last entry has the
    final LayerNorm ``ln_f`` applied, so ``logits = hidden[-1] @ W_E.T``.
    """

    model_name: str
    tokens: Tokens
    layers: LayerTraces  # layers[i]: block i's AttentionTrace, recomputed; layers[i].x is its input
    pattern: np.ndarray  # [layer, head, query_pos, key_pos]  every head's attention pattern
    hidden: np.ndarray  # [layer + 1, pos, d_model]
    logits: np.ndarray | None = None  # [pos, d_vocab], language models only

    @property
    def n_layers(self) -> int:
        return len(self.layers)

    @property
    def mask(self) -> np.ndarray:
        """[query_pos, key_pos] bool, True where attending is allowed (the same in every layer)."""
        n = len(self.tokens)
        return np.ones((n, n), dtype=bool) if self.layers.mask is None else self.layers.mask
