r"""Attention rollout and attention flow (Abnar & Zuidema, "Quantifying Attention Flow in Transformers",
ACL 2020): what each output position draws on, through every layer, not only the last.

Each layer mixes tokens by its attention and also passes each token on unchanged (the residual
connection). Both methods start from that layer's attention averaged over heads, with the residual
added as attention to itself, rows renormalised:

.. math::
    \tilde A_l = \mathrm{rownorm}\!\left(\tfrac12 \bar A_l + \tfrac12 I\right), \qquad
    \bar A_l = \tfrac1H \textstyle\sum_h \mathrm{pattern}_{l,h}

**Rollout** multiplies them, last layer on the left: :math:`R = \tilde A_{L-1} \cdots \tilde A_1 \tilde A_0`,
so :math:`R_{ij}` sums, over every path from input token j up to output position i, the product of the
weights along it.

**Flow** treats the layers as a network: a node per token per layer (layer 0 the input tokens, layer L the
outputs), an edge from node i of layer l+1 down to node j of layer l with capacity
:math:`\tilde A_l[i, j]`. :math:`F_{ij}` is the maximum flow from output i to input j
(``attention_core/max_flow.py``): the most that can pass, the narrowest layer of every path counting.

Cost: rollout is L matrix products. Flow solves one max-flow problem per (output, input) pair, each on a
graph of (L+1)·n nodes and L·n² edges; the work of a request is bounded by ``limits.MAX_FLOW_WORK``.
"""

from __future__ import annotations

import numpy as np

from attention_core.limits import check_flow_work
from attention_core.max_flow import max_flow, network
from attention_core.predict import check_position


def residual_attention(pattern: np.ndarray) -> np.ndarray:
    """Ã of every layer (formula above) from pattern [layer, head, q, k]. Returns float64 [layer, q, k].

    A row the mask left empty (all zeros) becomes attention to itself alone."""
    mean = np.asarray(pattern, dtype=np.float64).mean(axis=1)  # [layer, q, k]  Ā_l
    n = mean.shape[-1]
    with_residual = 0.5 * mean + 0.5 * np.eye(n)  # [layer, q, k]
    return with_residual / with_residual.sum(axis=-1, keepdims=True)  # [layer, q, k]  rows sum to 1


def attention_rollout(pattern: np.ndarray) -> np.ndarray:
    """Rollout R = Ã_{L−1} ⋯ Ã_0 of pattern [layer, head, q, k]. Returns float64 [pos, pos]: row i is
    what output position i draws on, over the input tokens; rows sum to 1."""
    A = residual_attention(pattern)  # [layer, pos, pos]
    rollout = np.eye(A.shape[-1])  # [pos, pos]
    for layer_matrix in A:
        rollout = layer_matrix @ rollout  # [pos, pos]
    return rollout


def flow_network(pattern: np.ndarray) -> np.ndarray:
    """The capacities of the flow network: node l·n + i is token i at layer l (layer 0: the input tokens,
    layer L: the outputs); Ã_l[i, j] on the edge from node (l+1, i) to node (l, j). Returns float64
    [node, node], node = (L+1)·n."""
    A = residual_attention(pattern)  # [layer, pos, pos]
    n_layers, n = A.shape[0], A.shape[-1]
    capacity = np.zeros(((n_layers + 1) * n, (n_layers + 1) * n))  # [node, node]
    for l in range(n_layers):
        capacity[(l + 1) * n : (l + 2) * n, l * n : (l + 1) * n] = A[l]  # from layer l+1 down to layer l
    return capacity


def attention_flow(pattern: np.ndarray, rows: list[int] | None = None) -> np.ndarray:
    """Flow F[i, j] = the maximum flow from output position i to input token j (each at most 1), for
    pattern [layer, head, q, k]. ``rows``: only these output positions (the others stay 0); default all.
    Refused (InputError) beyond ``limits.MAX_FLOW_WORK``. Returns float64 [pos, pos]."""
    n_layers, n = pattern.shape[0], pattern.shape[-1]
    rows = list(range(n)) if rows is None else [check_position(i, n) for i in rows]
    check_flow_work(n_layers, n, len(rows))
    net = network(flow_network(pattern))
    flow = np.zeros((n, n))  # [pos, pos]
    for i in rows:
        for j in range(n):
            flow[i, j] = max_flow(net, source=n_layers * n + i, sink=j)
    return flow
