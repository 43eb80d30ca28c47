r"""Rank every head by what switching it off alone does to the model's output.

.. math::
    \mathrm{effect}_{l,h} = \begin{cases}
        \mathrm{KL}\big(p(\cdot \mid t_{\le P}) \,\Vert\, p_{\setminus(l,h)}(\cdot \mid t_{\le P})\big)
            & \text{language model, next token after position } P \\
        1 - \cos(e, e_{\setminus(l,h)}) & \text{encoder, sentence embedding}
    \end{cases}

where :math:`\setminus(l,h)` is the run with head h of layer l ablated (``attention_core/interventions.py``).

Switching off a head of layer l changes nothing before layer l, so each ablation starts from the residual
stream entering layer l, cached from the clean run (``hidden[l]``), and runs only layers l … L−1. The heads
of one layer go through together, as a batch: sequence h of the batch has head h switched off. For a
language model the tokens after P are left out (a causal model's output at P never reads them).
"""

from __future__ import annotations

import numpy as np

from attention_core.models.base import Model
from attention_core.models.edit import LayerEdit
from attention_core.models.trace import ModelTrace
from attention_core.predict import effect, is_language_model, output_of_final, output_of_trace
from attention_core.tokens import Tokens


def rank_heads(
    model: Model,
    tokens: Tokens,
    means: np.ndarray | None = None,
    position: int | None = None,
    clean: ModelTrace | None = None,
) -> np.ndarray:
    """The effect of ablating each head alone (formula above): zero-ablation, or mean-ablation with
    ``means`` [layer, head, d_v] (``interventions.reference_means``). ``position``: the prediction to
    compare (language models; default the last token). Returns float64 [layer, head]."""
    c = model.config
    clean = clean if clean is not None else model.run(tokens)
    before = output_of_trace(model, clean, position)
    n_read = before.position + 1 if is_language_model(model) else len(clean.tokens)  # tokens the output reads
    one_off = np.eye(c.n_heads, dtype=bool)  # [batch, head]  sequence b has head b switched off
    effects = np.empty((c.n_layers, c.n_heads))  # [layer, head]
    for l in range(c.n_layers):
        x = clean.hidden[l, :n_read]  # [pos, d_model]  the residual stream entering layer l
        batch = np.broadcast_to(x, (c.n_heads, *x.shape))  # [batch, pos, d_model]  (a view)
        edit = LayerEdit(off=one_off, z_off=None if means is None else means[l])
        final = model.resume(batch, l, {l: edit})  # [batch, pos, d_model]
        effects[l] = effect(before, output_of_final(model, final, before.position))  # [batch]
    return effects


def ranked(effects: np.ndarray) -> list[tuple[int, int, float]]:
    """(layer, head, effect) for every head, the largest effect first (ties: lower layer, head first)."""
    order = np.argsort(-effects, axis=None, kind="stable")  # [layer * head]  flat indices
    return [(int(i // effects.shape[1]), int(i % effects.shape[1]), float(effects.flat[i])) for i in order]
