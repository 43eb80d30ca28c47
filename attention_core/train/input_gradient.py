r"""Gradient × input, the fourth attribution method, through the backward passes training uses; and the
four methods together (``attention_core/attribution.py`` has the other three and the agreement).

It lives here because the core never imports training: this module imports the core, not the reverse.

For the logit y of token ``v`` after position P, with x₀ the residual stream entering the first block
(token embedding + position):

.. math::
    y = \mathrm{LN}_f(x_L)_P \cdot W_E[v], \qquad
    s_t = \sum_d \frac{\partial y}{\partial x_{0,td}}\; x_{0,td}

The backward starts from ∂y/∂LN_f(x_L) = W_E[v] in row P (0 elsewhere) and goes down the residual
stream: LN_f, then each block in reverse, ∂x += the MLP branch's part, ∂x += the attention branch's part
(``train/model.py`` does the same for the training loss, with every weight's gradient besides).
Only the pre-LN decoder with the tanh GELU has a backward (the bundled model trains through it; GPT-2
folders share it); the BERT-style encoder has none: its scores are :class:`NotAvailable`.
"""

from __future__ import annotations

import numpy as np

from attention_core.attribution import Attribution, NotAvailable, Target, attribute, choose_target
from attention_core.models.base import Model
from attention_core.models.decoder import Decoder, DecoderWeights, decoder_embed, decoder_forward
from attention_core.models.trace import ModelTrace
from attention_core.tokens import Tokens
from attention_core.train.attention_backward import multi_head_attention_backward
from attention_core.train.backward import layer_norm_backward, mlp_backward


def decoder_input_gradient(weights: DecoderWeights, ids: np.ndarray, token_id: int) -> np.ndarray:
    """∂y/∂x₀ for y = the logit of ``token_id`` after the last of ``ids`` [pos]. Returns [pos, d_model]
    in the dtype of the weights."""
    forward = decoder_forward(weights, ids, keep=True)
    grad_final = np.zeros_like(forward.final)  # [pos, d_model]
    grad_final[-1] = weights.W_E[token_id]  # ∂(final[P] · W_E[v]) / ∂final[P]
    grad_x = layer_norm_backward(grad_final, forward.ln_f)[0]  # [pos, d_model]
    for block, cache in zip(reversed(weights.blocks), reversed(forward.blocks), strict=True):
        if block.mlp is not None:  # 2) MLP branch: x += MLP(LN2 x)
            grad_m = mlp_backward(grad_x, cache.mlp, block.mlp.W_in, block.mlp.W_out)[0]  # [pos, d_model]
            grad_x = grad_x + layer_norm_backward(grad_m, cache.ln2)[0]  # [pos, d_model]
        grad_a = multi_head_attention_backward(grad_x, cache.trace).x  # 1) attention branch  [pos, d_model]
        grad_x = grad_x + layer_norm_backward(grad_a, cache.ln1)[0]  # [pos, d_model]
    return grad_x


def gradient_x_input(model: Model, clean: ModelTrace, target: Target) -> np.ndarray | NotAvailable:
    """s_t (formula above) for every token 0 … P, or NotAvailable for a family without a backward.
    Returns float64 [P + 1]."""
    if not isinstance(model, Decoder):
        return NotAvailable(f"{model.config.family}: this model family has no backward pass yet")
    if model.config.activation != "gelu_tanh":
        return NotAvailable(f"the backward pass has the tanh GELU only, not {model.config.activation}")
    ids = clean.tokens.id_array[: target.position + 1]  # [P + 1]
    x0 = decoder_embed(model.weights, ids)  # [P + 1, d_model]
    grad_x0 = decoder_input_gradient(model.weights, ids, target.token_id)  # [P + 1, d_model]
    return np.sum(grad_x0.astype(np.float64) * x0, axis=-1)  # [P + 1]


def attribute_four_ways(
    model: Model,
    tokens: Tokens,
    position: int | None = None,
    token_id: int | None = None,
    compare_to: np.ndarray | None = None,
    clean: ModelTrace | None = None,
) -> Attribution:
    """Raw attention, rollout, occlusion and gradient × input for one output, with their agreement.
    Language model: the logit of ``token_id`` (default: the most probable) after ``position`` (default:
    the last token). Encoder: the cosine of the embedding to ``compare_to`` [d_model] (default: its own)."""
    clean = clean if clean is not None else model.run(tokens)
    target = choose_target(model, clean, position, token_id, compare_to)
    return attribute(model, clean, target, gradient_x_input(model, clean, target))
