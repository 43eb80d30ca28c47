"""Running the bundled language model (or one of its training snapshots) on token ids, in pure NumPy.

    model = load_model()                                  # assets/model/ko-en-lm, final weights
    ids = SentencePieceTokenizer().encode(text, add_bos=True).id_array
    result = model.run(ids)   # result.traces[l].pattern [head, q, k], result.hidden, result.logits

    early = load_model(step=list_snapshots(MODEL_DIR)[1]) # the same model early in training

The forward pass is :func:`attention_core.train.model.forward`, the very code the model was trained with.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from attention_core.attention import AttentionTrace
from attention_core.train.config import ModelConfig
from attention_core.train.model import Params, forward
from attention_core.train.store import list_snapshots, load_config, load_params, snapshot_path

MODEL_NAME = "ko-en-lm"
MODEL_DIR = Path(__file__).resolve().parent.parent.parent / "assets" / "model" / MODEL_NAME


@dataclass(frozen=True)
class LMTrace:
    """One forward pass of the language model over one sequence."""

    ids: np.ndarray  # int [pos]
    traces: tuple[AttentionTrace, ...]  # one per layer, each as multi_head_attention returned it
    hidden: np.ndarray  # [layer + 1, pos, d_model]  residual stream: embeddings, then after each block
    logits: np.ndarray  # [pos, d_vocab]  next-token logits

    @property
    def pattern(self) -> np.ndarray:
        return np.stack([t.pattern for t in self.traces])  # [layer, head, q, k]


@dataclass(frozen=True)
class BundledLM:
    config: ModelConfig
    params: Params  # float32, read-only
    step: int | None  # the training step of a snapshot; None for the final weights

    def run(self, ids: np.ndarray | list[int]) -> LMTrace:
        """Forward over token ids [pos] (1 ≤ pos ≤ n_ctx; start with ``<s>``, id 1, as in training)."""
        ids = np.asarray(ids, dtype=np.int64)  # [pos]
        if ids.ndim != 1 or not (1 <= len(ids) <= self.config.n_ctx):
            raise ValueError(
                f"expected 1 to {self.config.n_ctx} token ids in one sequence, got shape {ids.shape}"
            )
        if ids.min() < 0 or ids.max() >= self.config.d_vocab:
            raise ValueError(f"token ids must be in [0, {self.config.d_vocab}), got {ids.min()}..{ids.max()}")
        fwd = forward(self.params, self.config, ids)
        logits = fwd.final @ self.params["embed.W_E"].T  # [pos, d_vocab]
        return LMTrace(ids=ids, traces=fwd.traces, hidden=fwd.hidden, logits=logits)


def load_model(directory: Path | str = MODEL_DIR, step: int | None = None) -> BundledLM:
    """The final weights of a model directory, or its snapshot at training step ``step``."""
    directory = Path(directory)
    config = load_config(directory)
    if step is None:
        params = load_params(directory / "weights.npz", config)
    elif step in list_snapshots(directory):
        params = load_params(snapshot_path(directory, step), config)
    else:
        raise ValueError(f"no snapshot at step {step}; there are {list_snapshots(directory)}")
    for array in params.values():
        array.flags.writeable = False
    return BundledLM(config=config, params=params, step=step)
