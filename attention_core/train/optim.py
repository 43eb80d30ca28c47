r"""AdamW, the learning-rate schedule (linear warm-up, then cosine decay) and gradient clipping."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

Params = dict[str, np.ndarray]


def learning_rate(step: int, max_lr: float, warmup: int, total: int, min_ratio: float = 0.1) -> float:
    r"""Linear warm-up from 0 to ``max_lr`` over ``warmup`` steps, then a cosine down to
    ``min_ratio · max_lr`` at step ``total``:

    .. math::
        \eta_t = \eta \frac{t + 1}{W} \;(t < W), \qquad
        \eta_t = \eta \left(r + (1 - r)\,\tfrac12\big(1 + \cos(\pi\, \tfrac{t - W}{T - W})\big)\right)
        \;(t \ge W)
    """
    if step < warmup:
        return max_lr * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return max_lr * (min_ratio + (1.0 - min_ratio) * 0.5 * (1.0 + math.cos(math.pi * progress)))


def clip_by_global_norm(grads: Params, max_norm: float) -> float:
    r"""Scale all gradients down together when their joint norm exceeds ``max_norm`` (in place):
    :math:`g \leftarrow g \cdot \min(1, c / \lVert g \rVert)`, with
    :math:`\lVert g \rVert = \sqrt{\sum_{\text{all entries}} g^2}`. Returns the norm before clipping."""
    norm = math.sqrt(sum(float(np.vdot(g, g)) for g in grads.values()))
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm
    return norm


def decays(name: str) -> bool:
    """Weight decay applies to the matrices (embeddings, projections), not to LayerNorm gains or biases."""
    return name.split(".")[-1].startswith("W_")


@dataclass
class AdamW:
    r"""Adam with decoupled weight decay (Loshchilov & Hutter 2019). For each parameter θ, at step t ≥ 1:

    .. math::
        m \leftarrow \beta_1 m + (1-\beta_1) g, \quad v \leftarrow \beta_2 v + (1-\beta_2) g^2, \quad
        \hat m = \frac{m}{1-\beta_1^t}, \quad \hat v = \frac{v}{1-\beta_2^t}

        \theta \leftarrow \theta
            - \eta_t\left(\frac{\hat m}{\sqrt{\hat v} + \epsilon} + \lambda\,\theta\right)
        \quad (\lambda = 0 \text{ for LayerNorm and biases})

    ``m`` and ``v`` are kept in float32 like the parameters; ``t`` counts the updates made so far.
    ``embed_weight_decay``, when given, is the λ of the token embedding ``embed.W_E`` instead (decay pulls
    every row towards 0 at every step, and a rarely seen piece's row gets little gradient to push back).
    """

    m: Params
    v: Params
    t: int = 0
    beta1: float = 0.9
    beta2: float = 0.95
    eps: float = 1e-8
    weight_decay: float = 0.1
    embed_weight_decay: float | None = None

    @classmethod
    def zeros_like(cls, params: Params, **settings: float) -> AdamW:
        m = {name: np.zeros_like(p) for name, p in params.items()}  # same shapes as params
        v = {name: np.zeros_like(p) for name, p in params.items()}  # same shapes as params
        return cls(m=m, v=v, **settings)

    def update(self, params: Params, grads: Params, lr: float) -> None:
        """One step, in place on ``params``."""
        self.t += 1
        correction1 = 1.0 - self.beta1**self.t
        correction2 = 1.0 - self.beta2**self.t
        for name, p in params.items():
            g, m, v = grads[name], self.m[name], self.v[name]
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            v *= self.beta2
            v += (1.0 - self.beta2) * (g * g)
            step = (m / correction1) / (np.sqrt(v / correction2) + self.eps)  # same shape as p
            if decays(name):
                own = name == "embed.W_E" and self.embed_weight_decay is not None
                step += (self.embed_weight_decay if own else self.weight_decay) * p
            p -= lr * step
