r"""The bundled decoder-only language model: parameters, forward, and backward, in NumPy.

.. math::
    h^{(0)} = W_E[\mathrm{ids}] + P, \qquad
    h' = h^{(l)} + \mathrm{MHA}(\mathrm{LN}_1(h^{(l)})), \qquad
    h^{(l+1)} = h' + \mathrm{MLP}(\mathrm{LN}_2(h'))

    \mathrm{logits} = \mathrm{LN}_f(h^{(L)})\, W_E^\top \quad \text{(tied unembedding)}

``MHA`` is :func:`attention_core.attention.multi_head_attention` with the causal mask: the same function
the pages call, so the patterns the explorer shows are the ones the model was trained through.
Its backward is :func:`attention_core.train.attention_backward.multi_head_attention_backward`.

Parameters live in one flat dict, named as in the shipped weights file (the key table is in the model
card): ``embed.W_E``, ``pos_embed.W_pos``, ``blocks.{l}.ln1.w`` … ``blocks.{l}.attn.W_Q`` …, ``ln_final.b``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from attention_core.attention import AttentionTrace, causal_mask, multi_head_attention
from attention_core.train.attention_backward import multi_head_attention_backward
from attention_core.train.config import ModelConfig
from attention_core.train.layers import (
    LayerNormCache,
    MLPCache,
    embedding_backward,
    embedding_forward,
    layer_norm_backward,
    layer_norm_forward,
    mlp_backward,
    mlp_forward,
    sinusoidal_positions,
    unembed_cross_entropy,
)
from attention_core.weights import AttentionWeights

Params = dict[str, np.ndarray]

INIT_STD = 0.02  # GPT-2's initialisation scale


def param_shapes(config: ModelConfig) -> dict[str, tuple[int, ...]]:
    """Every parameter's name and shape, in a fixed order (the order of the weights file)."""
    d, h, d_k, d_v = config.d_model, config.n_heads, config.d_k, config.d_v
    shapes: dict[str, tuple[int, ...]] = {"embed.W_E": (config.d_vocab, d)}
    if config.positions == "learned":
        shapes["pos_embed.W_pos"] = (config.n_ctx, d)
    for l in range(config.n_layers):
        shapes |= {
            f"blocks.{l}.ln1.w": (d,),
            f"blocks.{l}.ln1.b": (d,),
            f"blocks.{l}.attn.W_Q": (h, d, d_k),
            f"blocks.{l}.attn.W_K": (h, d, d_k),
            f"blocks.{l}.attn.W_V": (h, d, d_v),
            f"blocks.{l}.attn.W_O": (h * d_v, d),
        }
        if config.d_mlp:
            shapes |= {
                f"blocks.{l}.ln2.w": (d,),
                f"blocks.{l}.ln2.b": (d,),
                f"blocks.{l}.mlp.W_in": (d, config.d_mlp),
                f"blocks.{l}.mlp.b_in": (config.d_mlp,),
                f"blocks.{l}.mlp.W_out": (config.d_mlp, d),
                f"blocks.{l}.mlp.b_out": (d,),
            }
    shapes |= {"ln_final.w": (d,), "ln_final.b": (d,)}
    return shapes


def init_params(config: ModelConfig, seed: int, dtype: type = np.float32) -> Params:
    """GPT-2's initialisation: weights from N(0, 0.02²) (positions 0.01²), the two projections that write
    into the residual stream (``W_O``, ``W_out``) scaled down by √(2·n_layers), LayerNorm w = 1, biases 0.
    The same seed gives the same parameters on every machine (NumPy's PCG64 stream)."""
    rng = np.random.default_rng([seed, 0])
    residual_std = INIT_STD / math.sqrt(2 * config.n_layers)
    params: Params = {}
    for name, shape in param_shapes(config).items():
        if name.endswith((".w",)):
            value = np.ones(shape)  # [d_model]
        elif name.endswith((".b", ".b_in", ".b_out")):
            value = np.zeros(shape)  # [width]
        elif name == "pos_embed.W_pos":
            value = rng.normal(0.0, INIT_STD / 2, shape)  # [n_ctx, d_model]
        elif name.endswith((".W_O", ".W_out")):
            value = rng.normal(0.0, residual_std, shape)  # [..., d_model]
        else:
            value = rng.normal(0.0, INIT_STD, shape)  # [...]
        params[name] = value.astype(dtype)
    return params


def positions(params: Params, config: ModelConfig, n_pos: int, dtype: np.dtype) -> np.ndarray:
    """The position vectors added to the first ``n_pos`` token embeddings. Returns [pos, d_model].

    Sinusoidal positions are scaled so that every row has length ``config.position_norm`` (a raw row
    has length √(d_model / 2)). The token embeddings start at length 0.02·√d_model (0.23 for
    d_model = 128) and grow in training to about 1.5: the scale sets how loud positions are next to tokens.
    """
    if n_pos > config.n_ctx:
        raise ValueError(f"{n_pos} tokens do not fit the model's context of n_ctx = {config.n_ctx}")
    if config.positions == "learned":
        return params["pos_embed.W_pos"][:n_pos]  # [pos, d_model]
    raw_norm = math.sqrt(config.d_model / 2)  # every raw row: d/2 pairs with sin² + cos² = 1
    table = sinusoidal_positions(n_pos, config.d_model) * (config.position_norm / raw_norm)  # [pos, d_model]
    return table.astype(dtype)


def attention_weights(params: Params, layer: int) -> AttentionWeights:
    """Layer ``layer``'s attention parameters, as the AttentionWeights the core takes (no biases)."""
    p = f"blocks.{layer}.attn."
    return AttentionWeights(
        W_Q=params[p + "W_Q"], W_K=params[p + "W_K"], W_V=params[p + "W_V"], W_O=params[p + "W_O"]
    )


@dataclass(frozen=True)
class BlockCache:
    ln1: LayerNormCache
    trace: AttentionTrace
    ln2: LayerNormCache | None
    mlp: MLPCache | None


@dataclass(frozen=True)
class Forward:
    """One forward pass over ``ids`` [..., pos]: what the explorer shows, and what the backward needs."""

    ids: np.ndarray  # int [..., pos]
    traces: tuple[AttentionTrace, ...]  # one per layer; pattern [..., head, q, k]
    hidden: np.ndarray  # [layer + 1, ..., pos, d_model]  residual stream before each block and after the last
    final: np.ndarray  # [..., pos, d_model]  LN_f(h^(L)), what the unembedding reads
    blocks: tuple[BlockCache, ...]
    ln_final: LayerNormCache


def forward(params: Params, config: ModelConfig, ids: np.ndarray) -> Forward:
    """Run the model over token ids [..., pos] (pos ≤ n_ctx); logits are ``final @ W_E.T``."""
    ids = np.asarray(ids)
    W_E = params["embed.W_E"]  # [d_vocab, d_model]
    n_pos = ids.shape[-1]
    mask = causal_mask(n_pos)  # [query_pos, key_pos]  i attends to j ≤ i
    h = embedding_forward(W_E, ids) + positions(params, config, n_pos, W_E.dtype)  # [..., pos, d_model]
    hidden = [h]
    blocks = []
    for l in range(config.n_layers):
        p = f"blocks.{l}."
        # 1) attention sub-block: h = h + MHA(LN1(h))
        a, ln1 = layer_norm_forward(
            h, params[p + "ln1.w"], params[p + "ln1.b"], config.ln_eps
        )  # [..., pos, d_model]
        trace = multi_head_attention(a, attention_weights(params, l), mask)
        h = h + trace.out.astype(h.dtype, copy=False)  # [..., pos, d_model]
        # 2) MLP sub-block: h = h + MLP(LN2(h))
        ln2 = mlp = None
        if config.d_mlp:
            m, ln2 = layer_norm_forward(
                h, params[p + "ln2.w"], params[p + "ln2.b"], config.ln_eps
            )  # [..., pos, d_model]
            mlp_out, mlp = mlp_forward(
                m,
                params[p + "mlp.W_in"],
                params[p + "mlp.b_in"],
                params[p + "mlp.W_out"],
                params[p + "mlp.b_out"],
            )  # [..., pos, d_model]
            h = h + mlp_out  # [..., pos, d_model]
        hidden.append(h)
        blocks.append(BlockCache(ln1=ln1, trace=trace, ln2=ln2, mlp=mlp))
    final, ln_final = layer_norm_forward(
        h, params["ln_final.w"], params["ln_final.b"], config.ln_eps
    )  # [..., pos, d_model]
    return Forward(
        ids=ids,
        traces=tuple(b.trace for b in blocks),
        hidden=np.stack(hidden),  # [layer + 1, ..., pos, d_model]
        final=final,
        blocks=tuple(blocks),
        ln_final=ln_final,
    )


def logits(params: Params, fwd: Forward) -> np.ndarray:
    """Next-token logits through the tied unembedding. Returns [..., pos, d_vocab]."""
    return fwd.final @ params["embed.W_E"].T  # [..., pos, d_vocab]


def loss(params: Params, config: ModelConfig, ids: np.ndarray, targets: np.ndarray) -> float:
    """Mean cross-entropy (nats per token) of predicting ``targets`` [..., pos] from ``ids`` [..., pos]."""
    fwd = forward(params, config, ids)
    value, _, _ = unembed_cross_entropy(fwd.final, params["embed.W_E"], targets, need_grad=False)
    return value


def loss_and_grads(
    params: Params, config: ModelConfig, ids: np.ndarray, targets: np.ndarray
) -> tuple[float, Params]:
    """Mean cross-entropy and its gradient for every parameter (same keys, shapes and dtype as params)."""
    ids = np.asarray(ids)
    fwd = forward(params, config, ids)
    value, d_final, dW_E = unembed_cross_entropy(fwd.final, params["embed.W_E"], targets)
    grads: Params = {"embed.W_E": dW_E}

    # Backwards through the stack, last block first; dh is ∂L/∂h on the residual stream.
    dh, grads["ln_final.w"], grads["ln_final.b"] = layer_norm_backward(
        d_final, fwd.ln_final
    )  # [..., pos, d_model]
    for l in reversed(range(config.n_layers)):
        p = f"blocks.{l}."
        block = fwd.blocks[l]
        # 2) MLP sub-block: the residual passes dh straight through, the branch adds its part
        if config.d_mlp:
            dm, dW_in, db_in, dW_out, db_out = mlp_backward(
                dh, block.mlp, params[p + "mlp.W_in"], params[p + "mlp.W_out"]
            )
            dx, grads[p + "ln2.w"], grads[p + "ln2.b"] = layer_norm_backward(
                dm, block.ln2
            )  # [..., pos, d_model]
            grads |= {
                p + "mlp.W_in": dW_in,
                p + "mlp.b_in": db_in,
                p + "mlp.W_out": dW_out,
                p + "mlp.b_out": db_out,
            }
            dh = dh + dx  # [..., pos, d_model]
        # 1) attention sub-block
        g = multi_head_attention_backward(dh, block.trace)
        dx, grads[p + "ln1.w"], grads[p + "ln1.b"] = layer_norm_backward(
            g.x, block.ln1
        )  # [..., pos, d_model]
        grads |= {p + "attn.W_Q": g.W_Q, p + "attn.W_K": g.W_K, p + "attn.W_V": g.W_V, p + "attn.W_O": g.W_O}
        dh = dh + dx  # [..., pos, d_model]

    # Embedding: tokens (added to the unembedding's gradient, the matrix is shared) and positions.
    grads["embed.W_E"] = grads["embed.W_E"] + embedding_backward(
        dh, ids, config.d_vocab
    )  # [d_vocab, d_model]
    if config.positions == "learned":
        d_pos = np.zeros_like(params["pos_embed.W_pos"])  # [n_ctx, d_model]
        d_pos[: ids.shape[-1]] = dh.reshape(-1, *dh.shape[-2:]).sum(
            axis=0
        )  # [pos, d_model]  summed over batch
        grads["pos_embed.W_pos"] = d_pos
    return value, {name: grads[name] for name in params}
