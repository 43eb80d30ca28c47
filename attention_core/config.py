"""The settings of one attention layer, checked where they are made.

Names follow DESIGN.md: ``d_model`` (width of a token vector), ``n_heads``, ``d_k`` (query/key width per
head) and ``d_v`` (value width per head). By convention ``d_k = d_v = d_model // n_heads``, so that the
concatenated heads are exactly ``d_model`` wide; both may be set freely (the seed example needs
``d_model = 4``, ``n_heads = 3``, ``d_v = 8``).
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_D_MODEL = 1024
MAX_HEADS = 64
MAX_HEAD_WIDTH = 512
MAX_SEED = 2**32 - 1


class ConfigError(ValueError):
    """A setting that cannot describe an attention layer. The message says which and why; ``code`` and
    ``params`` let the UI say the same in another language."""

    def __init__(self, message: str, code: str = "invalid", **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class AttentionConfig:
    """One attention layer of the teaching model (seeded random weights).

    ``d_k`` / ``d_v`` left as ``None`` mean ``d_model // n_heads``; that needs ``n_heads`` to divide
    ``d_model``, otherwise set them explicitly.
    """

    d_model: int = 16
    n_heads: int = 4
    d_k: int | None = None
    d_v: int | None = None
    seed: int = 0
    causal: bool = False
    positional: bool = True
    temperature: float = 1.0

    def __post_init__(self) -> None:
        _check_range("d_model", self.d_model, 1, MAX_D_MODEL)
        _check_range("n_heads", self.n_heads, 1, MAX_HEADS)
        if (self.d_k is None or self.d_v is None) and self.d_model % self.n_heads:
            raise ConfigError(
                f"d_model = {self.d_model} is not divisible by n_heads = {self.n_heads}: "
                "choose another pair, or set d_k and d_v yourself",
                "not_divisible",
                d_model=self.d_model,
                n_heads=self.n_heads,
            )
        # A frozen dataclass fills its own defaults through object.__setattr__.
        d_k, d_v = head_widths(self.d_model, self.n_heads, self.d_k, self.d_v)
        object.__setattr__(self, "d_k", d_k)
        object.__setattr__(self, "d_v", d_v)
        _check_range("d_k", self.d_k, 1, MAX_HEAD_WIDTH)
        _check_range("d_v", self.d_v, 1, MAX_HEAD_WIDTH)
        _check_range("seed", self.seed, 0, MAX_SEED)
        if not isinstance(self.temperature, int | float) or not (0.01 <= self.temperature <= 100):
            raise ConfigError(
                f"temperature must be a number from 0.01 to 100, not {self.temperature!r}",
                "out_of_range",
                name="temperature",
                low=0.01,
                high=100,
                value=self.temperature,
            )


def head_widths(d_model: int, n_heads: int, d_k: int | None, d_v: int | None) -> tuple[int, int]:
    """d_k and d_v as given, or by the usual convention: d_k = d_model // n_heads (so that the heads side
    by side are d_model wide) and d_v = d_k. The teaching layer and every model use this one rule."""
    d_k = d_model // n_heads if d_k is None else d_k
    return d_k, d_k if d_v is None else d_v


def _check_range(name: str, value: object, low: int, high: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not (low <= value <= high):
        raise ConfigError(
            f"{name} must be a whole number from {low} to {high}, not {value!r}",
            "out_of_range",
            name=name,
            low=low,
            high=high,
            value=value,
        )
