r"""Edits of a forward pass's attention, layer by layer: heads switched off, attention between two tokens
blocked. The model stack (``decoder.py``, ``bert.py``) applies them around the one
:func:`~attention_core.attention.multi_head_attention`; ``attention_core/interventions.py`` builds them.

Switching head h off (ablation) replaces its ``z`` before the heads are concatenated; ``b_O`` stays:

.. math::
    z'_h = \begin{cases} z_{\mathrm{off}, h} & \text{head } h \text{ off} \\ z_h & \text{otherwise}\end{cases}
    \qquad \mathrm{out}' = \mathrm{Concat}(z'_0, \dots, z'_{H-1})\, W_O + b_O

with :math:`z_{\mathrm{off}} = 0` (zero-ablation) or a mean of ``z`` over a reference text
(mean-ablation). Blocking query i → key j (knockout) removes (i, j) from the mask, so the softmax of row i
spreads over the other allowed keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from attention_core.attention import AttentionTrace


@dataclass(frozen=True)
class LayerEdit:
    """What to change in one layer's attention; None leaves that part as it is.

    ``off`` may carry leading batch axes: ``off[b, h]`` switches head h off in sequence b of a batch
    (how all heads of a layer are ablated one at a time in one pass).
    """

    off: np.ndarray | None = None  # bool [..., head]  True: the head's z is replaced by z_off
    z_off: np.ndarray | None = None  # [head, d_v]  what replaces z (None: zeros, zero-ablation)
    blocked: np.ndarray | None = None  # bool [query_pos, key_pos] or [head, query_pos, key_pos]


Edits = Mapping[int, LayerEdit]  # layer → its edit; layers not named run unchanged


def edited_mask(edit: LayerEdit | None, mask: np.ndarray | None, n_pos: int) -> np.ndarray | None:
    """The layer's mask with the blocked entries taken out: allowed and not blocked.

    mask: bool [query_pos, key_pos] or None (everything allowed). Returns the mask unchanged without a
    block, else bool [query_pos, key_pos] or [head, query_pos, key_pos] (the shape of ``blocked``).
    """
    if edit is None or edit.blocked is None:
        return mask
    allowed = np.ones((n_pos, n_pos), dtype=bool) if mask is None else mask  # [query_pos, key_pos]
    return allowed & ~edit.blocked  # [query_pos, key_pos] or [head, query_pos, key_pos]


def edited_attention(trace: AttentionTrace, edit: LayerEdit | None) -> AttentionTrace:
    """The trace with the switched-off heads' ``z`` replaced, and ``concat`` and ``out`` recomputed from it
    (``out = concat W_O + b_O``, as in step 4 of multi_head_attention). Unchanged without ``off``."""
    if edit is None or edit.off is None:
        return trace
    n_heads, d_v = trace.z.shape[-3], trace.z.shape[-1]
    z_off = np.zeros((n_heads, d_v)) if edit.z_off is None else edit.z_off  # [head, d_v]
    off = np.asarray(edit.off, dtype=bool)[..., None, None]  # [..., head, 1, 1]
    z = np.where(off, z_off[:, None, :].astype(trace.z.dtype), trace.z)  # [..., head, query_pos, d_v]
    z_by_pos = np.swapaxes(z, -3, -2)  # [..., query_pos, head, d_v]
    concat = z_by_pos.reshape(*z_by_pos.shape[:-2], -1)  # [..., query_pos, head * d_v]
    out = concat @ trace.weights.W_O  # [..., query_pos, d_model]
    if trace.weights.b_O is not None:
        out += trace.weights.b_O
    return replace(trace, z=z, concat=concat, out=out)
