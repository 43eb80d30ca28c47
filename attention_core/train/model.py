r"""Training the bundled language model: its parameters, and the gradient of its loss.

The forward pass is the one the app runs: :func:`attention_core.models.decoder.decoder_forward` over the
parameters as :func:`attention_core.models.own_lm.decoder_weights` reads them, with ``keep=True`` so that
it returns what the backward needs. The backward goes through the stack in reverse:

.. math::
    x_0 = W_E[\mathrm{ids}] + W_{pos}, \qquad
    x' = x + \mathrm{MHA}(\mathrm{LN}_1(x)), \qquad
    x_{\mathrm{next}} = x' + \mathrm{MLP}(\mathrm{LN}_2(x'))

    \mathrm{logits} = \mathrm{LN}_f(x_L)\, W_E^\top \quad \text{(tied unembedding)}

The backward carries ``grad_x`` = ∂L/∂x down the residual stream; each sub-block adds its branch's part.

Parameters live in one flat dict, named as in the shipped weights file (the key table of
``attention_core/models/own_lm.py``): ``embed.W_E``, ``blocks.{l}.attn.W_Q`` …, ``ln_final.b``.
"""

from __future__ import annotations

import math

import numpy as np

from attention_core.models.config import ModelConfig
from attention_core.models.decoder import DecoderPass, decoder_forward
from attention_core.models.own_lm import BLOCK_KEYS, EMBEDDING_KEYS, Params, decoder_weights, param_shapes
from attention_core.train.attention_backward import multi_head_attention_backward
from attention_core.train.backward import (
    embedding_backward,
    layer_norm_backward,
    mlp_backward,
    unembed_cross_entropy,
)

INIT_STD = 0.02  # GPT-2's initialisation scale


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
        elif name == EMBEDDING_KEYS["W_pos"]:
            value = rng.normal(0.0, INIT_STD / 2, shape)  # [n_ctx, d_model]
        elif name.endswith((".W_O", ".W_out")):
            value = rng.normal(0.0, residual_std, shape)  # [..., d_model]
        else:
            value = rng.normal(0.0, INIT_STD, shape)  # [...]
        params[name] = value.astype(dtype)
    return params


def forward(params: Params, config: ModelConfig, ids: np.ndarray) -> DecoderPass:
    """The decoder over token ids [..., pos], everything the backward needs kept."""
    return decoder_forward(decoder_weights(params, config), ids, keep=True)


def loss(params: Params, config: ModelConfig, ids: np.ndarray, targets: np.ndarray) -> float:
    """Mean cross-entropy (nats per token) of predicting ``targets`` [..., pos] from ``ids`` [..., pos]."""
    final = forward(params, config, ids).final  # [..., pos, d_model]
    return unembed_cross_entropy(final, params[EMBEDDING_KEYS["W_E"]], targets, need_grad=False)[0]


def loss_and_grads(
    params: Params, config: ModelConfig, ids: np.ndarray, targets: np.ndarray
) -> tuple[float, Params]:
    """Mean cross-entropy and its gradient for every parameter (same keys, shapes and dtype as params)."""
    ids = np.asarray(ids)
    fwd = forward(params, config, ids)
    W_E = EMBEDDING_KEYS["W_E"]
    value, grad_final, grad_W_E = unembed_cross_entropy(fwd.final, params[W_E], targets)
    grads: Params = {W_E: grad_W_E}

    # Backwards through the stack, last block first; grad_x is ∂L/∂x on the residual stream.
    grad_x, grads[EMBEDDING_KEYS["ln_f_w"]], grads[EMBEDDING_KEYS["ln_f_b"]] = layer_norm_backward(
        grad_final, fwd.ln_f
    )  # [..., pos, d_model]
    for l in reversed(range(config.n_layers)):

        def key(name: str, l: int = l) -> str:
            return BLOCK_KEYS[name].format(l=l)

        block = fwd.blocks[l]
        # 2) MLP sub-block: the residual passes grad_x straight through, the branch adds its part
        if config.d_mlp:
            grad_m, *mlp_grads = mlp_backward(grad_x, block.mlp, params[key("W_in")], params[key("W_out")])
            grads |= dict(zip([key(n) for n in ("W_in", "b_in", "W_out", "b_out")], mlp_grads, strict=True))
            grad_branch, grads[key("ln2_w")], grads[key("ln2_b")] = layer_norm_backward(grad_m, block.ln2)
            grad_x = grad_x + grad_branch  # [..., pos, d_model]
        # 1) attention sub-block
        attention = multi_head_attention_backward(grad_x, block.trace)
        grad_branch, grads[key("ln1_w")], grads[key("ln1_b")] = layer_norm_backward(attention.x, block.ln1)
        grads |= {key(n): getattr(attention, n) for n in ("W_Q", "W_K", "W_V", "W_O")}
        grad_x = grad_x + grad_branch  # [..., pos, d_model]

    # Embedding: tokens (added to the unembedding's gradient, the matrix is shared) and positions.
    grads[W_E] = grads[W_E] + embedding_backward(grad_x, ids, config.d_vocab)  # [d_vocab, d_model]
    if config.positions == "learned":
        grad_pos = np.zeros_like(params[EMBEDDING_KEYS["W_pos"]])  # [n_ctx, d_model]
        grad_pos[: ids.shape[-1]] = grad_x.reshape(-1, *grad_x.shape[-2:]).sum(axis=0)  # summed over batch
        grads[EMBEDDING_KEYS["W_pos"]] = grad_pos
    return value, {name: grads[name] for name in params}
