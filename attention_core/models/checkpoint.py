"""Reading a checkpoint's tensors by name: every expected key present, every shape as the config says,
every other key either a known non-weight or an error. Arrays come out float32 and read-only.
"""

from __future__ import annotations

import re

import numpy as np

from attention_core.models.base import ModelError


def config_sizes(name: str, hf_config: dict, keys: dict[str, str]) -> dict[str, int]:
    """Our size names -> positive whole numbers read from config.json (``keys``: ours -> theirs)."""
    sizes = {}
    for ours, theirs in keys.items():
        value = hf_config.get(theirs)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ModelError(f"{name}: config.json needs {theirs} as a whole number ≥ 1, not {value!r}")
        sizes[ours] = value
    return sizes


def config_eps(name: str, hf_config: dict, key: str, default: float) -> float:
    """The LayerNorm epsilon of config.json (``default`` when absent)."""
    value = hf_config.get(key, default)
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 < value < 1:
        raise ModelError(f"{name}: config.json needs {key} as a small positive number, not {value!r}")
    return float(value)


def check_keys(
    tensors: dict[str, np.ndarray], expected: dict[str, tuple[int, ...]], skipped: tuple[str, ...]
) -> None:
    """Raise ModelError unless every expected key is present with its shape and every other key matches
    one of the ``skipped`` patterns (regular expressions for whole keys: buffers, unused heads).
    """
    missing = [key for key in expected if key not in tensors]
    if missing:
        raise ModelError(
            f"model.safetensors lacks {len(missing)} weights this model needs, e.g. {missing[0]!r}"
        )
    for key, shape in expected.items():
        if tensors[key].shape != shape:
            raise ModelError(f"{key} has shape {tensors[key].shape}, but config.json implies {shape}")
    unknown = [
        key for key in tensors if key not in expected and not any(re.fullmatch(p, key) for p in skipped)
    ]
    if unknown:
        raise ModelError(
            f"model.safetensors has {len(unknown)} weights this loader does not know, e.g. {unknown[0]!r}"
        )


def key_prefix(tensors: dict[str, np.ndarray], probe: str, prefixes: tuple[str, ...]) -> str:
    """Which of ``prefixes`` the checkpoint puts in front of its keys ("bert.", "transformer.", ""),
    found by looking for ``probe``.
    """
    for prefix in prefixes:
        if prefix + probe in tensors:
            return prefix
    raise ModelError(f"model.safetensors has no {probe!r}: is this the model config.json says it is?")


def frozen(array: np.ndarray) -> np.ndarray:
    """The array as float32, C-contiguous and read-only (a copy only where needed): a loaded model is
    shared by every session, and nothing may change it.
    """
    array = np.ascontiguousarray(array, dtype=np.float32)  # same shape
    array.flags.writeable = False
    return array


def per_head_weights(W: np.ndarray, n_heads: int) -> np.ndarray:
    """[d_model, head * d_head] (heads side by side, head 0 first) -> [head, d_model, d_head].

    The result is a view of one contiguous read-only copy of W, so ``multi_head_attention`` can multiply
    by all heads at once without copying the weights on every call.
    """
    W = frozen(W)  # [d_model, head * d_head]
    return W.reshape(W.shape[0], n_heads, -1).transpose(1, 0, 2)  # [head, d_model, d_head]


def per_head_biases(b: np.ndarray, n_heads: int) -> np.ndarray:
    """[head * d_head] -> [head, d_head]."""
    return frozen(b).reshape(n_heads, -1)  # [head, d_head]
