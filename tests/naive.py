"""An independent, loop-by-loop multi-head attention for the tests to compare against.

Written from the formula, one number at a time, with plain Python floats and math.exp: it shares no
code with attention_core.
"""

from __future__ import annotations

import math


def matvec_rows(x, W):
    """x: list of rows [n][a]; W: [a][b] -> [n][b]."""
    return [[sum(row[a] * W[a][b] for a in range(len(W))) for b in range(len(W[0]))] for row in x]


def naive_multi_head(x, x_kv, W_Q, W_K, W_V, W_O, allowed, biases=None):
    """Returns dict with scores, pattern, z, concat, out as nested lists (head-major like DESIGN.md)."""
    biases = biases or {}
    n_heads = len(W_Q)
    scores, patterns, zs = [], [], []
    for h in range(n_heads):
        q = matvec_rows(x, W_Q[h])
        k = matvec_rows(x_kv, W_K[h])
        v = matvec_rows(x_kv, W_V[h])
        if "b_Q" in biases:
            q = [[qi + b for qi, b in zip(row, biases["b_Q"][h], strict=True)] for row in q]
            k = [[ki + b for ki, b in zip(row, biases["b_K"][h], strict=True)] for row in k]
            v = [[vi + b for vi, b in zip(row, biases["b_V"][h], strict=True)] for row in v]
        d_k = len(q[0])
        head_scores, head_pattern, head_z = [], [], []
        for i in range(len(x)):
            row = [sum(q[i][c] * k[j][c] for c in range(d_k)) for j in range(len(x_kv))]
            head_scores.append(row)
            allowed_j = [j for j in range(len(x_kv)) if allowed[i][j]]
            weights = [0.0] * len(x_kv)
            if allowed_j:
                top = max(row[j] / math.sqrt(d_k) for j in allowed_j)
                total = sum(math.exp(row[j] / math.sqrt(d_k) - top) for j in allowed_j)
                for j in allowed_j:
                    weights[j] = math.exp(row[j] / math.sqrt(d_k) - top) / total
            head_pattern.append(weights)
            head_z.append([sum(weights[j] * v[j][c] for j in range(len(x_kv))) for c in range(len(v[0]))])
        scores.append(head_scores)
        patterns.append(head_pattern)
        zs.append(head_z)
    concat = [[value for h in range(n_heads) for value in zs[h][i]] for i in range(len(x))]
    out = matvec_rows(concat, W_O)
    if "b_O" in biases:
        out = [[o + b for o, b in zip(row, biases["b_O"], strict=True)] for row in out]
    return {"scores": scores, "pattern": patterns, "z": zs, "concat": concat, "out": out}
