"""Reading a checkpoint's tensors by name: every expected key present, every shape as the config says,
every other key either a known non-weight or an error. Arrays come out float32 and read-only.

A model folder is untrusted input. Its sizes are checked against ceilings for a CPU visualizer before
anything is built from them, and ``model.safetensors`` is opened by its header alone: keys, dtypes and
shapes are checked against the config before a single tensor is read (:class:`Checkpoint`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np
from safetensors import safe_open

from attention_core.models.base import ModelError

# Ceilings on config.json's sizes (our names): a CPU visualizer shows models up to about GPT-2 medium.
# A size beyond one is refused before any list of weights is built from it (n_layer = 10**9 once took
# 7.6 GB before failing).
MAX_SIZES = {
    "n_layers": 48,
    "n_heads": 64,
    "d_model": 2048,
    "d_mlp": 8192,
    "d_vocab": 262_144,
    "n_ctx": 8192,
    "n_types": 16,
}
MAX_WEIGHT_BYTES = 1 << 30  # model.safetensors of at most 1 GiB (GPT-2 small: 0.55 GB, BERT base: 0.44 GB)
DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64}  # what a checkpoint may store


def config_sizes(name: str, hf_config: dict, keys: dict[str, str]) -> dict[str, int]:
    """Our size names -> whole numbers read from config.json (``keys``: ours -> theirs), each from 1 to
    its ceiling in MAX_SIZES."""
    sizes = {}
    for ours, theirs in keys.items():
        value = hf_config.get(theirs)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ModelError(f"{name}: config.json needs {theirs} as a whole number ≥ 1, not {value!r}")
        if value > MAX_SIZES[ours]:
            raise ModelError(
                f"{name}: config.json sets {theirs} = {value:,}; this visualizer takes at most "
                f"{MAX_SIZES[ours]:,}"
            )
        sizes[ours] = value
    return sizes


class Checkpoint(Mapping):
    """The tensors of a ``model.safetensors`` file by key, read only when asked for.

    Opening reads the header alone (the safetensors library checks that every tensor's bytes lie inside
    the file); ``shapes`` and ``dtypes`` come from it, so a caller can check a checkpoint before reading
    any of its data.
    """

    def __init__(self, path: Path, name: str) -> None:
        self.name = name
        size = path.stat().st_size
        if size > MAX_WEIGHT_BYTES:
            raise ModelError(
                f"{name}: model.safetensors has {size:,} bytes; this visualizer loads at most "
                f"{MAX_WEIGHT_BYTES:,}"
            )
        try:
            self._file = safe_open(str(path), framework="numpy")
            keys = list(self._file.keys())
            slices = {key: self._file.get_slice(key) for key in keys}
            self.dtypes = {key: slices[key].get_dtype() for key in keys}
            self.shapes = {key: tuple(slices[key].get_shape()) for key in keys}
        except Exception as error:  # safetensors raises its own error types for damaged files
            raise ModelError(f"{name}: cannot read model.safetensors: {one_line(error)}") from None

    def __getitem__(self, key: str) -> np.ndarray:
        if key not in self.shapes:
            raise KeyError(key)
        return self._file.get_tensor(key)

    def __contains__(self, key: object) -> bool:  # (Mapping's own would read the tensor to find out)
        return key in self.shapes

    def __iter__(self) -> Iterator[str]:
        return iter(self.shapes)

    def __len__(self) -> int:
        return len(self.shapes)


def one_line(error: object) -> str:
    """An error message on one line, at most 200 characters (library messages can quote whole files)."""
    text = " ".join(str(error).split())
    return text if len(text) <= 200 else text[:199] + "…"


def config_eps(name: str, hf_config: dict, key: str, default: float) -> float:
    """The LayerNorm epsilon of config.json (``default`` when absent)."""
    value = hf_config.get(key, default)
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 < value < 1:
        raise ModelError(f"{name}: config.json needs {key} as a small positive number, not {value!r}")
    return float(value)


def check_keys(
    checkpoint: Checkpoint, expected: dict[str, tuple[int, ...]], skipped: tuple[str, ...]
) -> None:
    """Raise ModelError unless every expected key is present with its shape and a float dtype, and every
    other key matches one of the ``skipped`` patterns (regular expressions for whole keys: buffers,
    unused heads). Only the header is looked at: nothing has been read when this passes or fails.
    """
    shapes, name = checkpoint.shapes, checkpoint.name
    missing = [key for key in expected if key not in shapes]
    if missing:
        raise ModelError(
            f"{name}: model.safetensors lacks {len(missing)} weights this model needs, e.g. {missing[0]!r}"
        )
    for key, shape in expected.items():
        if tuple(shapes[key]) != shape:
            raise ModelError(f"{name}: {key} has shape {tuple(shapes[key])}, but config.json implies {shape}")
        if checkpoint.dtypes[key] not in DTYPES:
            dtype = checkpoint.dtypes[key]
            raise ModelError(f"{name}: {key} is stored as {dtype}; supported: {', '.join(DTYPES)}")
    unknown = [
        key for key in shapes if key not in expected and not any(re.fullmatch(p, key) for p in skipped)
    ]
    if unknown:
        raise ModelError(
            f"{name}: model.safetensors has {len(unknown)} weights this loader does not know, "
            f"e.g. {unknown[0]!r}"
        )


def key_prefix(tensors: Checkpoint, probe: str, prefixes: tuple[str, ...]) -> str:
    """Which of ``prefixes`` the checkpoint puts in front of its keys ("bert.", "transformer.", ""),
    found by looking for ``probe``.
    """
    for prefix in prefixes:
        if prefix + probe in tensors:
            return prefix
    raise ModelError(
        f"{tensors.name}: model.safetensors has no {probe!r}: is this the model config.json says it is?"
    )


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
