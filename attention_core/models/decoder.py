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
    pattern: np.ndarray | None = None  # [layer, head, query_pos, key_pos]  keep=False only
    blocks: tuple[BlockCache, ...] | None = None  # keep=True only
    ln_f: LayerNormCache | None = None  # keep=True only


def decoder_forward(weights: DecoderWeights, ids: np.ndarray, keep: bool = False) -> DecoderPass:
    """Run the decoder over token ids [..., pos] (pos ≤ n_ctx): embed, then each block
    ``x += attention(LN₁ x)`` with a causal mask and ``x += MLP(LN₂ x)``, then LN_f."""
    ids = np.asarray(ids)  # int [..., pos]
    n = ids.shape[-1]
    x = weights.W_E[ids] + weights.W_pos[:n]  # [..., pos, d_model]
    mask = causal_mask(n)  # [query_pos, key_pos]  position i sees j ≤ i
    n_heads = weights.blocks[0].attention.n_heads
    pattern = None if keep else np.empty((len(weights.blocks), n_heads, n, n), dtype=x.dtype)
    hidden, inputs, caches = [x], [], []
    for layer, block in enumerate(weights.blocks):
        # 1) attention sub-block: x = x + MHA(LN1(x))
        a, ln1 = block.ln1.forward(x, keep)  # [..., pos, d_model]
        attention: AttentionTrace = multi_head_attention(a, block.attention, mask)
        x = x + attention.out.astype(x.dtype, copy=False)  # [..., pos, d_model]
        inputs.append(a)
        if not keep:
            pattern[layer] = attention.pattern
            trace, attention = None, None  # the rest of its trace is recomputed when asked for
        else:
            trace = attention
        # 2) MLP sub-block: x = x + MLP(LN2(x))
        ln2 = mlp = None
        if block.mlp is not None:
            m, ln2 = block.ln2.forward(x, keep)  # [..., pos, d_model]
            mlp_out, mlp = block.mlp.forward(m, keep)  # [..., pos, d_model]
            x = x + mlp_out  # [..., pos, d_model]
        hidden.append(x)
        if keep:
            caches.append(BlockCache(ln1=ln1, trace=trace, ln2=ln2, mlp=mlp))
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

    def run(self, tokens: Tokens | Sequence[int]) -> ModelTrace:
        """The forward pass on one sequence (Tokens, or token ids), with the logits of the next token at
        every position. ``hidden`` follows transformers' ``hidden_states``: for a GPT-2 folder its last
        entry has LN_f applied, as there; for the bundled model it is the residual stream itself."""
        tokens = self.as_tokens(tokens)
        self.check_tokens(tokens)
        forward = decoder_forward(self.weights, tokens.id_array)
        hidden = forward.hidden
        if self.config.family == "gpt2":
            hidden = np.concatenate([hidden[:-1], forward.final[None]])  # [layer + 1, pos, d_model]
        logits = forward.final @ self.weights.W_E.T  # [pos, d_vocab]
        layers = LayerTraces(forward.attention_inputs, [b.attention for b in self.weights.blocks],
                             causal_mask(len(tokens)))  # fmt: skip
        return ModelTrace(self.name, tokens, layers, forward.pattern, hidden, logits)
