"""The public API, part 1: traces. ``import attention_core as ac``, then

    t = ac.trace("The cat sat on the mat.", heads=4, d_model=16)   # the teaching layer
    m = ac.load_model("ko-en-lm"); mt = m.trace("나는 학교에 갔다.")   # a model
    ac.save(t, "cat.npz"); arrays = ac.load("cat.npz")              # the trace export of DESIGN.md

Every name is DESIGN.md's: ``t.trace.pattern`` [head, query_pos, key_pos], ``mt.pattern``
[layer, head, query_pos, key_pos], and the saved file's keys (``pattern``, ``q``, ``W_O``, ``tokens`` …)
are the export's (README, "The trace export").
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np

from attention_core.config import AttentionConfig
from attention_core.export import model_arrays, teaching_arrays
from attention_core.models.base import Model
from attention_core.models.trace import ModelTrace
from attention_core.teaching import TeachingTrace, run_teaching
from attention_core.tokenizer import SentencePieceTokenizer

Trace = TeachingTrace | ModelTrace | Mapping[str, np.ndarray]  # what save and the figures take
_tokenizer: SentencePieceTokenizer | None = None  # the bundled tokenizer, read once


def trace(
    sentence: str,
    heads: int = 4,
    d_model: int = 16,
    d_k: int | None = None,
    d_v: int | None = None,
    seed: int = 0,
    causal: bool = False,
    positional: bool = True,
    temperature: float = 1.0,
    source: str | None = None,
) -> TeachingTrace:
    """One multi-head attention layer with seeded weights on ``sentence`` (the app's teaching layer):

        x = embedding(tokens) (+ sinusoidal positions)          [pos, d_model]
        pattern = softmax(x W_Q · (x W_K)ᵀ / (√d_k · temperature), masked)   [head, pos, pos]
        out = concat(pattern · x W_V) · W_O                      [pos, d_model]

    ``d_k``, ``d_v``: default ``d_model // heads``. ``causal``: each token attends only to itself and
    before. ``source``: cross-attention, keys and values from that sentence. Returns a TeachingTrace:
    ``.tokens`` (``.labels``), ``.trace`` (x, q, k, v, scores, scaled, mask, pattern, z, concat, out,
    weights). Bad settings raise ConfigError, empty text InputError (both ValueErrors).
    """
    global _tokenizer
    if _tokenizer is None:
        _tokenizer = SentencePieceTokenizer()
    config = AttentionConfig(
        d_model=d_model,
        n_heads=heads,
        d_k=d_k,
        d_v=d_v,
        seed=seed,
        causal=causal,
        positional=positional,
        temperature=temperature,
    )
    return run_teaching(_tokenizer, sentence, config, source=source)


def model_names() -> list[str]:
    """The names :func:`load_model` accepts: ko-en-lm (bundled), installed packs, and the folders in
    $ATTENTION_EXPLORER_MODELS."""
    from attention_core.models.registry import available_models

    return available_models()


def load_model(name: str = "ko-en-lm") -> Model:
    """A model by name (one of :func:`model_names`), in NumPy. ``model.trace(text)`` runs it on a text and
    returns a ModelTrace (``.tokens``, ``.pattern`` [layer, head, q, k], ``.hidden``, ``.logits``,
    ``.layers[l]`` the whole trace of layer l). An unknown name raises ModelError."""
    from attention_core.models.registry import load_model as load

    return load(name)


def arrays(t: Trace) -> dict[str, np.ndarray]:
    """A trace's arrays under their export names (a mapping, e.g. from :func:`load`, as it is)."""
    if isinstance(t, TeachingTrace):
        return teaching_arrays(t)
    if isinstance(t, ModelTrace):
        return model_arrays(t)
    return {name: np.asarray(value) for name, value in t.items()}


def save(t: Trace, path: str | Path) -> Path:
    """Write the trace export (compressed ``.npz``, keys as in DESIGN.md) to ``path``; returns it."""
    path = Path(path)
    if path.suffix != ".npz":
        raise ValueError(f"a trace is saved as .npz, not {path.name!r}")
    np.savez_compressed(path, **arrays(t))
    return path


def load(path: str | Path) -> dict[str, np.ndarray]:
    """A saved trace: export name → array (``pattern``, ``tokens``, ``W_Q`` …). Nothing is unpickled."""
    with np.load(Path(path), allow_pickle=False) as saved:
        return {name: saved[name] for name in saved.files}
