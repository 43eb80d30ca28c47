"""The sizes and kind of a transformer, in DESIGN.md's names: one config for every model, the bundled
language model while it trains included."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from attention_core.config import head_widths

FAMILIES = ("lm", "gpt2", "bert")  # the project's own decoder, GPT-2-style folders, BERT-style encoders
POSITIONS = ("learned", "sinusoidal")
ACTIVATIONS = ("gelu_tanh", "gelu_exact")  # attention_core/models/layers.py


@dataclass(frozen=True)
class ModelConfig:
    """A transformer: token embedding (+ positions) → ``n_layers`` blocks → (final LayerNorm →) unembedding.

    The defaults are the bundled language model's (``python -m attention_core.train`` trains it):
    family ``lm``, a causal pre-LayerNorm decoder with the tanh GELU and sinusoidal positions whose every
    vector has length ``position_norm``. ``d_mlp = 0`` makes attention-only blocks. ``d_k``/``d_v`` left
    as None follow :func:`attention_core.config.head_widths`. ``ln_eps`` is every LayerNorm's epsilon.
    """

    d_vocab: int = 19357
    n_ctx: int = 128
    d_model: int = 128
    n_heads: int = 4
    d_k: int | None = None
    d_v: int | None = None
    n_layers: int = 2
    d_mlp: int = 512
    positions: str = "sinusoidal"
    position_norm: float = 1.0  # sinusoidal positions only: the length of each position vector
    ln_eps: float = 1e-5
    activation: str = "gelu_tanh"
    family: str = "lm"
    causal: bool = True
    name: str = ""

    def __post_init__(self) -> None:
        if self.d_k is None and self.d_model % self.n_heads:
            raise ValueError(f"d_model = {self.d_model} is not divisible by n_heads = {self.n_heads}")
        d_k, d_v = head_widths(self.d_model, self.n_heads, self.d_k, self.d_v)
        object.__setattr__(self, "d_k", d_k)  # a frozen dataclass fills its defaults this way
        object.__setattr__(self, "d_v", d_v)
        for name in ("d_vocab", "n_ctx", "d_model", "n_heads", "d_k", "d_v", "n_layers"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a whole number ≥ 1, not {value!r}")
        if not isinstance(self.d_mlp, int) or self.d_mlp < 0:
            raise ValueError(f"d_mlp must be a whole number ≥ 0, not {self.d_mlp!r}")
        for name, allowed in (("positions", POSITIONS), ("activation", ACTIVATIONS), ("family", FAMILIES)):
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, not {getattr(self, name)!r}")

    def to_json(self) -> str:
        """The bundled model's config.json (its name is the folder's, not stored)."""
        return json.dumps({k: v for k, v in asdict(self).items() if k != "name"}, indent=2)

    @classmethod
    def from_dict(cls, values: dict, **more: object) -> ModelConfig:
        """From a config.json written by :meth:`to_json` (unknown keys ignored), plus ``more``."""
        known = {name: values[name] for name in cls.__dataclass_fields__ if name in values}
        return cls(**(known | more))
