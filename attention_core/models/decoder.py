r"""The pre-LayerNorm decoder: GPT-2-style folders and the project's own language model run through it,
and the bundled model trains through it.

.. math::
    x_0 = W_E[\mathrm{ids}] + W_{pos}[0..n-1]

    x' = x + \mathrm{MultiHead}_{\mathrm{causal}}(\mathrm{LN}_1(x)), \qquad
    x_{\mathrm{next}} = x' + \mathrm{MLP}(\mathrm{LN}_2(x'))

    \mathrm{logits} = \mathrm{LN}_f(x_L)\, W_E^\top \quad \text{(the unembedding is the embedding, tied)}

``MultiHead`` is :func:`attention_core.attention.multi_head_attention`, the one implementation. A family
of decoders differs only in how its checkpoint names the weights (a key table, in ``gpt2.py`` and
``own_lm.py``), its activation and its positions (learned, or a fixed table).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from attention_core.attention import AttentionTrace, causal_mask, multi_head_attention
from attention_core.models.base import Model, TextTokenizer
from attention_core.models.config import ModelConfig
from attention_core.models.edit import Edits, LayerEdit, edited_attention, edited_mask
from attention_core.models.layers import MLP, LayerNorm, LayerNormCache, MLPCache
from attention_core.models.trace import LayerTraces, ModelTrace
from attention_core.tokens import Tokens
from attention_core.weights import AttentionWeights


@dataclass(frozen=True)
class DecoderBlock:
    ln1: LayerNorm  # before attention
    attention: AttentionWeights
    ln2: LayerNorm | None  # before the MLP; None in an attention-only block
    mlp: MLP | None


@dataclass(frozen=True)
class DecoderWeights:
    W_E: np.ndarray  # [d_vocab, d_model]  the token embedding, and the unembedding (tied)
    W_pos: np.ndarray  # [n_ctx, d_model]  positions: learned, or a fixed table
    blocks: tuple[DecoderBlock, ...]
    ln_f: LayerNorm  # the final LayerNorm


@dataclass(frozen=True)
class BlockCache:
    """What one block's backward needs (``keep=True``)."""

    ln1: LayerNormCache
    trace: AttentionTrace
    ln2: LayerNormCache | None
    mlp: MLPCache | None


@dataclass(frozen=True)
class DecoderPass:
    """One forward pass over ``ids`` [..., pos].

    Always: the residual stream and the final LayerNorm's output. For the explorer (one sequence,
    ``keep=False``): every layer's pattern, stacked, and what each layer's attention read (its full trace
    is recomputed on demand, see :class:`~attention_core.models.trace.LayerTraces`). For training
    (``keep=True``): each block's cache, the attention traces included, for the backward.
    """

    ids: np.ndarray  # int [..., pos]
    hidden: np.ndarray  # [layer + 1, ..., pos, d_model]  before each block and after the last
    final: np.ndarray  # [..., pos, d_model]  LN_f(x_L): what the unembedding reads
    attention_inputs: tuple[np.ndarray, ...]  # per layer: LN_1(x) [..., pos, d_model]
    pattern: np.ndarray | None = None  # [layer, ..., head, query_pos, key_pos]  keep=False only
    blocks: tuple[BlockCache, ...] | None = None  # keep=True only
    ln_f: LayerNormCache | None = None  # keep=True only


def decoder_block(
    block: DecoderBlock, x: np.ndarray, mask: np.ndarray, keep: bool = False, edit: LayerEdit | None = None
) -> tuple[np.ndarray, np.ndarray, AttentionTrace, BlockCache | None]:
    """One block on the residual stream x [..., pos, d_model]: ``x += attention(LN₁ x)``, then
    ``x += MLP(LN₂ x)``; ``edit`` (heads switched off, attention blocked) applied to its attention.
    Returns the new x, what the attention read (LN₁ x), the attention trace, and (``keep``) the cache."""
    # 1) attention sub-block: x = x + MHA(LN1(x))
    a, ln1 = block.ln1.forward(x, keep)  # [..., pos, d_model]
    attention = multi_head_attention(a, block.attention, edited_mask(edit, mask, x.shape[-2]))
    attention = edited_attention(attention, edit)
    x = x + attention.out.astype(x.dtype, copy=False)  # [..., pos, d_model]
    # 2) MLP sub-block: x = x + MLP(LN2(x))
    ln2 = mlp = None
    if block.mlp is not None:
        m, ln2 = block.ln2.forward(x, keep)  # [..., pos, d_model]
        mlp_out, mlp = block.mlp.forward(m, keep)  # [..., pos, d_model]
        x = x + mlp_out  # [..., pos, d_model]
    cache = BlockCache(ln1=ln1, trace=attention, ln2=ln2, mlp=mlp) if keep else None
    return x, a, attention, cache


def decoder_embed(weights: DecoderWeights, ids: np.ndarray) -> np.ndarray:
    """x₀ = W_E[ids] + W_pos[0 … n−1], the residual stream entering block 0. ids: int [..., pos];
    returns [..., pos, d_model]."""
    return weights.W_E[ids] + weights.W_pos[: ids.shape[-1]]  # [..., pos, d_model]


def decoder_forward(
    weights: DecoderWeights, ids: np.ndarray, keep: bool = False, edits: Edits | None = None
) -> DecoderPass:
    """Run the decoder over token ids [..., pos] (pos ≤ n_ctx): embed, then each block
    ``x += attention(LN₁ x)`` with a causal mask and ``x += MLP(LN₂ x)``, then LN_f. ``edits``: layer →
    what to change in its attention (``attention_core/models/edit.py``)."""
    ids = np.asarray(ids)  # int [..., pos]
    n = ids.shape[-1]
    x = decoder_embed(weights, ids)  # [..., pos, d_model]
    mask = causal_mask(n)  # [query_pos, key_pos]  position i sees j ≤ i
    n_heads = weights.blocks[0].attention.n_heads
    pattern_shape = (len(weights.blocks), *ids.shape[:-1], n_heads, n, n)  # [layer, ..., head, q, k]
    pattern = None if keep else np.empty(pattern_shape, dtype=x.dtype)
    hidden, inputs, caches = [x], [], []
    edits = edits or {}
    for layer, block in enumerate(weights.blocks):
        x, a, attention, cache = decoder_block(block, x, mask, keep, edits.get(layer))
        inputs.append(a)
        if not keep:
            pattern[layer] = attention.pattern
        del attention  # the rest of its trace is recomputed when asked for (kept in the cache for training)
        hidden.append(x)
        if keep:
            caches.append(cache)
    final, ln_f = weights.ln_f.forward(x, keep)  # [..., pos, d_model]
    return DecoderPass(
        ids=ids,
        hidden=np.stack(hidden),  # [layer + 1, ..., pos, d_model]
        final=final,
        attention_inputs=tuple(inputs),
        pattern=pattern,
        blocks=tuple(caches) if keep else None,
        ln_f=ln_f if keep else None,
    )


def decoder_resume(
    weights: DecoderWeights, x: np.ndarray, start: int, edits: Edits | None = None
) -> np.ndarray:
    """The decoder from block ``start`` on, given the residual stream entering it, x [..., pos, d_model]
    (a clean run's ``hidden[start]``; batch axes allowed): blocks ``start`` … last, then LN_f. What an
    edit of layer ``start`` changes starts there, so the blocks before need not run again.
    Returns LN_f(x_L) [..., pos, d_model], what the unembedding reads."""
    mask = causal_mask(x.shape[-2])  # [query_pos, key_pos]
    edits = edits or {}
    for layer in range(start, len(weights.blocks)):
        x = decoder_block(weights.blocks[layer], x, mask, edit=edits.get(layer))[0]  # [..., pos, d_model]
    return weights.ln_f(x)  # [..., pos, d_model]


class Decoder(Model):
    """A pre-LN decoder with the Model interface: the explorer, the atlas and the CLI use it like any model.

    ``step``: the training step of a snapshot of the bundled model (None otherwise).
    """

    def __init__(
        self, config: ModelConfig, tokenizer: TextTokenizer, weights: DecoderWeights, step: int | None = None
    ) -> None:
        self.config, self.tokenizer, self.weights, self.step = config, tokenizer, weights, step

    def attention_weights(self, layer: int) -> AttentionWeights:
        return self.weights.blocks[layer].attention

    def run(self, tokens: Tokens | Sequence[int], edits: Edits | None = None) -> ModelTrace:
        """The forward pass on one sequence (Tokens, or token ids), with the logits of the next token at
        every position; ``edits`` change some layers' attention (``models/edit.py``). ``hidden`` follows
        transformers' ``hidden_states``: for a GPT-2 folder its last entry has LN_f applied, as there;
        for the bundled model it is the residual stream itself."""
        tokens = self.as_tokens(tokens)
        self.check_tokens(tokens)
        forward = decoder_forward(self.weights, tokens.id_array, edits=edits)
        hidden = forward.hidden
        if self.config.family == "gpt2":
            hidden = np.concatenate([hidden[:-1], forward.final[None]])  # [layer + 1, pos, d_model]
        logits = self.unembed(forward.final)  # [pos, d_vocab]
        layers = LayerTraces(forward.attention_inputs, [b.attention for b in self.weights.blocks],
                             causal_mask(len(tokens)), edits)  # fmt: skip
        return ModelTrace(self.name, tokens, layers, forward.pattern, hidden, logits)

    def embed(self, ids: np.ndarray) -> np.ndarray:
        """x₀ = W_E[ids] + W_pos[0 … n−1] for ids [..., pos]. Returns [..., pos, d_model]."""
        return decoder_embed(self.weights, np.asarray(ids))  # [..., pos, d_model]

    def resume(self, x: np.ndarray, start: int, edits: Edits | None = None) -> np.ndarray:
        """Blocks ``start`` … last from the residual stream entering block ``start``, x [..., pos, d_model].
        Returns LN_f(x_L) [..., pos, d_model] (:meth:`unembed` turns it into logits)."""
        return decoder_resume(self.weights, x, start, edits)  # [..., pos, d_model]

    def unembed(self, final: np.ndarray) -> np.ndarray:
        """Logits of the next token, ``final @ W_Eᵀ`` (the unembedding is tied to the embedding).
        final: [..., d_model]; returns [..., d_vocab]."""
        return final @ self.weights.W_E.T  # [..., d_vocab]
