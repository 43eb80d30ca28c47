"""The sizes of the bundled language model, in DESIGN.md's names, checked where they are made."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

POSITION_KINDS = ("learned", "sinusoidal")


@dataclass(frozen=True)
class ModelConfig:
    """A decoder-only transformer: token embedding (+ positions) → ``n_layers`` blocks → LayerNorm →
    tied unembedding.

    Each block is pre-LayerNorm: ``h = h + attention(LN1(h))``, then ``h = h + MLP(LN2(h))``.
    ``d_mlp = 0`` makes an attention-only block (no MLP, no LN2).
    ``positions``: ``"learned"`` (a trained [n_ctx, d_model] table added to the token embedding, as in
    GPT-2) or ``"sinusoidal"`` (the fixed sine/cosine table of Vaswani et al. 2017, nothing to learn),
    scaled so that every position vector has length ``position_norm``.
    """

    d_vocab: int = 8000
    n_ctx: int = 128
    d_model: int = 128
    n_heads: int = 4
    d_k: int | None = None  # None: d_model // n_heads
    d_v: int | None = None  # None: d_k
    n_layers: int = 2
    d_mlp: int = 512  # 0: attention-only blocks
    positions: str = "sinusoidal"
    position_norm: float = 1.0  # sinusoidal only: the length of each position vector
    ln_eps: float = 1e-5

    def __post_init__(self) -> None:
        if self.d_k is None and self.d_model % self.n_heads:
            raise ValueError(f"d_model = {self.d_model} is not divisible by n_heads = {self.n_heads}")
        # A frozen dataclass fills its own defaults through object.__setattr__.
        object.__setattr__(self, "d_k", self.d_model // self.n_heads if self.d_k is None else self.d_k)
        object.__setattr__(self, "d_v", self.d_k if self.d_v is None else self.d_v)
        for name in ("d_vocab", "n_ctx", "d_model", "n_heads", "d_k", "d_v", "n_layers"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a whole number ≥ 1, not {value!r}")
        if not isinstance(self.d_mlp, int) or self.d_mlp < 0:
            raise ValueError(f"d_mlp must be a whole number ≥ 0, not {self.d_mlp!r}")
        if self.positions not in POSITION_KINDS:
            raise ValueError(f"positions must be one of {POSITION_KINDS}, not {self.positions!r}")

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)

    @classmethod
    def from_dict(cls, values: dict) -> ModelConfig:
        known = {name: values[name] for name in cls.__dataclass_fields__ if name in values}
        return cls(**known)
