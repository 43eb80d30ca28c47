"""The trace export: one ``.npz`` file, arrays named exactly as in DESIGN.md (documented in the README).

Keys of a layer trace: x, W_Q, W_K, W_V, W_O, q, k, v, scores, scaled, mask, pattern, z, concat, out,
tokens (str [pos]), ids (int [pos]); b_Q, b_K, b_V, b_O only where the model has biases; for
cross-attention also x_kv, tokens_kv, ids_kv.

Keys of a model trace: the same per-layer arrays stacked on a leading layer axis (pattern
[layer, head, q, k], W_O [layer, head * d_v, d_model], mask [layer, q, k], ...), tokens, ids, hidden
[layer + 1, pos, d_model], and logits [pos, d_vocab] for a language model.
"""

from __future__ import annotations

import io

import numpy as np

from attention_core.models.config import ModelConfig
from attention_core.models.trace import ModelTrace
from attention_core.teaching import TeachingTrace

LAYER_ARRAYS = ("x", "q", "k", "v", "scores", "scaled", "mask", "pattern", "z", "concat", "out")
WEIGHT_ARRAYS = ("W_Q", "W_K", "W_V", "W_O", "b_Q", "b_K", "b_V", "b_O")


def teaching_arrays(run: TeachingTrace) -> dict[str, np.ndarray]:
    """Every array of a teaching trace under its export name; absent biases stay absent."""
    arrays = {name: getattr(run.trace, name) for name in LAYER_ARRAYS}
    for name in WEIGHT_ARRAYS:
        value = getattr(run.trace.weights, name)
        if value is not None:
            arrays[name] = value
    arrays["tokens"] = np.array(run.tokens.pieces, dtype=str)  # [pos]
    arrays["ids"] = run.tokens.id_array  # [pos]
    if run.tokens_kv is not None:
        arrays["x_kv"] = run.trace.x_kv
        arrays["tokens_kv"] = np.array(run.tokens_kv.pieces, dtype=str)  # [key_pos]
        arrays["ids_kv"] = run.tokens_kv.id_array  # [key_pos]
    return arrays


def model_arrays(trace: ModelTrace) -> dict[str, np.ndarray]:
    """Every array of a model trace under its export name, each layer's arrays stacked on a leading
    layer axis; biases only where the model has them; logits only for a language model.
    """
    arrays = {name: np.stack([getattr(layer, name) for layer in trace.layers]) for name in LAYER_ARRAYS}
    for name in WEIGHT_ARRAYS:
        per_layer = [getattr(layer.weights, name) for layer in trace.layers]
        if all(value is not None for value in per_layer):
            arrays[name] = np.stack(per_layer)  # [layer, ...]
    arrays["tokens"] = np.array(trace.tokens.pieces, dtype=str)  # [pos]
    arrays["ids"] = trace.tokens.id_array  # [pos]
    arrays["hidden"] = trace.hidden  # [layer + 1, pos, d_model]
    if trace.logits is not None:
        arrays["logits"] = trace.logits  # [pos, d_vocab]
    return arrays


def model_export_bytes(config: ModelConfig, n: int) -> int:
    """About how many bytes :func:`model_arrays` gives for ``n`` tokens of a model (float32), from its
    sizes alone: every per-layer array and weight, hidden, and logits for a language model."""
    h, d, d_k, d_v = config.n_heads, config.d_model, config.d_k, config.d_v
    per_layer = 3 * n * d + h * n * (2 * d_k + 2 * d_v) + 3 * h * n * n + n * n // 4  # x … out, mask
    weights = h * d * (2 * d_k + d_v) + h * d_v * d + h * (2 * d_k + d_v) + d  # W_Q … b_O
    numbers = config.n_layers * (per_layer + weights) + (config.n_layers + 1) * n * d
    if config.family != "bert":
        numbers += n * config.d_vocab  # logits
    return 4 * numbers


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """The arrays as the bytes of a compressed ``.npz`` file (for a download button)."""
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()
