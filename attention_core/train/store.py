"""Files: training checkpoints (exact, to resume), and the shipped assets (small, to look at).

**Checkpoint** (``checkpoints/<run>/checkpoint.npz``, git-ignored): everything a resumed run needs to
continue exactly as if it had never stopped: float32 parameters, AdamW's ``m``, ``v`` and step count, the
step reached, the run's settings and its history so far. Written to a temporary file and renamed, so an
interruption never leaves half a checkpoint.

**Shipped weights** (``assets/model/<name>/weights.npz``): one array per parameter, float16, named as in
the model's key table (see the model card); per-head attention weights in DESIGN.md's layout
(``W_Q`` [head, d_model, d_k] …), so ``AttentionWeights(W_Q=…, W_K=…, W_V=…, W_O=…)`` takes them as they are.

They are read by ``attention_core/models/own_lm.py`` (``read_params``): the app never imports training.

**Snapshots** (``assets/model/<name>/snapshots/step-NNNNNN.npz``): the parameters at a moment of
training, enough to recompute every attention pattern (and the logits) on any sentence. To fit ten of
them in the size budget, the token embedding ``embed.W_E`` (two thirds of all parameters) is stored as
int8 with one float16 scale per row (``embed.W_E.int8`` and ``embed.W_E.scale``: row ≈ int8 · scale,
error ≤ half a step, 1/254 of the row's largest entry); everything else is float16; the file is
zip-deflated (``np.savez_compressed``), which saves another 15–20%.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from attention_core.models.own_lm import Params
from attention_core.train.optim import AdamW


def _atomic_savez(path: Path, arrays: dict[str, np.ndarray], compressed: bool = False) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial.npz")
    (np.savez_compressed if compressed else np.savez)(partial, **arrays)
    os.replace(partial, path)  # the file appears whole or not at all


def save_checkpoint(path: Path, params: Params, optimizer: AdamW, step: int, state: dict) -> None:
    """Everything needed to resume at ``step`` (the number of updates already made)."""
    arrays = {f"param/{k}": v for k, v in params.items()}
    arrays |= {f"adam_m/{k}": v for k, v in optimizer.m.items()}
    arrays |= {f"adam_v/{k}": v for k, v in optimizer.v.items()}
    arrays["adam_t"] = np.array(optimizer.t)
    arrays["step"] = np.array(step)
    arrays["state_json"] = np.array(json.dumps(state))
    _atomic_savez(path, arrays)


def load_checkpoint(path: Path, optimizer_settings: dict) -> tuple[Params, AdamW, int, dict]:
    """Parameters, optimizer, step reached and saved state, as :func:`save_checkpoint` wrote them."""
    with np.load(path) as saved:
        params = {k.removeprefix("param/"): saved[k] for k in saved.files if k.startswith("param/")}
        m = {k.removeprefix("adam_m/"): saved[k] for k in saved.files if k.startswith("adam_m/")}
        v = {k.removeprefix("adam_v/"): saved[k] for k in saved.files if k.startswith("adam_v/")}
        optimizer = AdamW(m=m, v=v, t=int(saved["adam_t"]), **optimizer_settings)
        return params, optimizer, int(saved["step"]), json.loads(str(saved["state_json"]))


def save_weights(path: Path, params: Params) -> None:
    """The final weights, float16, one array per parameter."""
    _atomic_savez(path, {k: v.astype(np.float16) for k, v in params.items()})


def save_snapshot(path: Path, params: Params) -> None:
    """A training snapshot: ``embed.W_E`` as int8 rows with float16 scales, everything else float16."""
    W_E = params["embed.W_E"].astype(np.float32)  # [d_vocab, d_model]
    scale = np.abs(W_E).max(axis=1, keepdims=True) / 127.0  # [d_vocab, 1]
    scale = np.maximum(scale, np.finfo(np.float16).tiny).astype(np.float16)  # [d_vocab, 1]
    quantized = np.round(W_E / scale.astype(np.float32)).clip(-127, 127).astype(np.int8)  # [d_vocab, d_model]
    arrays = {k: v.astype(np.float16) for k, v in params.items() if k != "embed.W_E"}
    arrays |= {"embed.W_E.int8": quantized, "embed.W_E.scale": scale[:, 0]}
    _atomic_savez(path, arrays, compressed=True)  # zip-deflated: 15-20% smaller
