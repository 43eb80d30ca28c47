"""The project's own bilingual language model (trained by ``attention_core.train``), through the same
Model interface as the pretrained ones: the explorer, the atlas and the CLI use it like any other.

Its folder (``assets/model/ko-en-lm/``) holds config.json, weights.npz, snapshots/ taken during training,
history.json and the card; it reads text with the bundled SentencePiece tokenizer, ``<s>`` first.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from attention_core.models.base import ModelError
from attention_core.models.config import ModelConfig
from attention_core.models.decoder import Decoder, DecoderBlock, DecoderWeights
from attention_core.models.layers import MLP, LayerNorm, sinusoidal_positions
from attention_core.paths import ASSETS
from attention_core.tokenizer import SentencePieceTokenizer
from attention_core.tokens import Tokens
from attention_core.weights import AttentionWeights

NAME = "ko-en-lm"  # the bundled model's name: the registry, the training CLI and the pages use these two
FOLDER = ASSETS / "model" / NAME  # assets/ of a checkout, or of the installed package (paths.py)

# The key table: our name → the parameter's name in weights.npz (and in training), per block {l}. Per-head
# attention weights are stored in DESIGN.md's layout (W_Q [head, d_model, d_k] …); no attention biases.
EMBEDDING_KEYS = {
    "W_E": "embed.W_E",
    "W_pos": "pos_embed.W_pos",
    "ln_f_w": "ln_final.w",
    "ln_f_b": "ln_final.b",
}
BLOCK_KEYS = {
    "ln1_w": "blocks.{l}.ln1.w", "ln1_b": "blocks.{l}.ln1.b",
    "W_Q": "blocks.{l}.attn.W_Q", "W_K": "blocks.{l}.attn.W_K", "W_V": "blocks.{l}.attn.W_V",
    "W_O": "blocks.{l}.attn.W_O",
    "ln2_w": "blocks.{l}.ln2.w", "ln2_b": "blocks.{l}.ln2.b",
    "W_in": "blocks.{l}.mlp.W_in", "b_in": "blocks.{l}.mlp.b_in",
    "W_out": "blocks.{l}.mlp.W_out", "b_out": "blocks.{l}.mlp.b_out",
}  # fmt: skip
Params = dict[str, np.ndarray]


def param_shapes(config: ModelConfig) -> dict[str, tuple[int, ...]]:
    """Every parameter's name and shape, in a fixed order (the order of the weights file)."""
    d, h, d_k, d_v = config.d_model, config.n_heads, config.d_k, config.d_v
    shapes: dict[str, tuple[int, ...]] = {EMBEDDING_KEYS["W_E"]: (config.d_vocab, d)}
    if config.positions == "learned":
        shapes[EMBEDDING_KEYS["W_pos"]] = (config.n_ctx, d)
    block = {"ln1_w": (d,), "ln1_b": (d,), "W_Q": (h, d, d_k), "W_K": (h, d, d_k), "W_V": (h, d, d_v),
             "W_O": (h * d_v, d)}  # fmt: skip
    if config.d_mlp:
        block |= {"ln2_w": (d,), "ln2_b": (d,), "W_in": (d, config.d_mlp), "b_in": (config.d_mlp,),
                  "W_out": (config.d_mlp, d), "b_out": (d,)}  # fmt: skip
    for l in range(config.n_layers):
        shapes |= {BLOCK_KEYS[name].format(l=l): shape for name, shape in block.items()}
    shapes |= {EMBEDDING_KEYS["ln_f_w"]: (d,), EMBEDDING_KEYS["ln_f_b"]: (d,)}
    return shapes


def positions(params: Params, config: ModelConfig, dtype: np.dtype) -> np.ndarray:
    """The position vectors added to the token embeddings. Returns [n_ctx, d_model].

    Sinusoidal positions are scaled so that every row has length ``config.position_norm`` (a raw row has
    length √(d_model / 2)). The token embeddings start at length 0.02·√d_model (0.23 for d_model = 128)
    and grow in training to about 1.5: the scale sets how loud positions are next to tokens.
    """
    if config.positions == "learned":
        return params[EMBEDDING_KEYS["W_pos"]]  # [n_ctx, d_model]
    raw_norm = math.sqrt(config.d_model / 2)  # every raw row: d/2 pairs with sin² + cos² = 1
    table = sinusoidal_positions(config.n_ctx, config.d_model) * (config.position_norm / raw_norm)
    return table.astype(dtype)  # [n_ctx, d_model]


def decoder_weights(params: Params, config: ModelConfig) -> DecoderWeights:
    """The parameters, by their names, as the decoder takes them (views: nothing is copied)."""
    W_E = params[EMBEDDING_KEYS["W_E"]]  # [d_vocab, d_model]
    blocks = []
    for l in range(config.n_layers):

        def p(name: str, l: int = l) -> np.ndarray:
            return params[BLOCK_KEYS[name].format(l=l)]

        attention = AttentionWeights(W_Q=p("W_Q"), W_K=p("W_K"), W_V=p("W_V"), W_O=p("W_O"))
        ln1 = LayerNorm(p("ln1_w"), p("ln1_b"), config.ln_eps)
        ln2 = mlp = None
        if config.d_mlp:
            ln2 = LayerNorm(p("ln2_w"), p("ln2_b"), config.ln_eps)
            mlp = MLP(p("W_in"), p("b_in"), p("W_out"), p("b_out"), config.activation)
        blocks.append(DecoderBlock(ln1, attention, ln2, mlp))
    ln_f = LayerNorm(params[EMBEDDING_KEYS["ln_f_w"]], params[EMBEDDING_KEYS["ln_f_b"]], config.ln_eps)
    return DecoderWeights(W_E, positions(params, config, W_E.dtype), tuple(blocks), ln_f)


# ---- the model's folder: config.json, weights.npz, snapshots/step-NNNNNN.npz --------------------------


def load_config(folder: Path, name: str = NAME) -> ModelConfig:
    return ModelConfig.from_dict(json.loads((Path(folder) / "config.json").read_text()), name=name)


def snapshot_path(folder: Path, step: int) -> Path:
    return Path(folder) / "snapshots" / f"step-{step:06d}.npz"


def list_snapshots(folder: Path) -> list[int]:
    """The training steps that have a snapshot in the model's folder, in order."""
    return sorted(int(p.stem.removeprefix("step-")) for p in (Path(folder) / "snapshots").glob("step-*.npz"))


def read_params(path: Path, config: ModelConfig) -> Params:
    """Weights (float16) or a snapshot (``embed.W_E`` as int8 rows × float16 scales, see
    ``attention_core/train/store.py``), as float32, checked against the config: every key, every shape."""
    with np.load(path, allow_pickle=False) as saved:
        arrays = {k: saved[k] for k in saved.files}
    if "embed.W_E.int8" in arrays:
        scale = arrays.pop("embed.W_E.scale").astype(np.float32)  # [d_vocab]
        arrays["embed.W_E"] = arrays.pop("embed.W_E.int8").astype(np.float32) * scale[:, None]  # [d_vocab, d]
    expected = param_shapes(config)
    if set(arrays) != set(expected):
        missing, extra = sorted(set(expected) - set(arrays)), sorted(set(arrays) - set(expected))
        raise ValueError(f"{path}: keys do not match the config (missing {missing}, unexpected {extra})")
    for key, shape in expected.items():
        if arrays[key].shape != shape:
            raise ValueError(f"{path}: {key} has shape {arrays[key].shape}, the config needs {shape}")
    return {key: arrays[key].astype(np.float32) for key in expected}


class StartWithBos:
    """The bundled tokenizer as the model was trained on it: every text starts with ``<s>``."""

    def __init__(self, tokenizer: SentencePieceTokenizer) -> None:
        self.tokenizer = tokenizer

    def encode(self, text: str, max_tokens: int | None = None) -> Tokens:
        return self.tokenizer.encode(text, max_tokens, add_bos=True)

    def from_ids(self, ids: list[int]) -> Tokens:
        return self.tokenizer.from_ids(ids)


def load_own_lm(folder: Path = FOLDER, name: str = NAME, step: int | None = None) -> Decoder:
    """The model in ``folder``: its final weights, or its snapshot at training ``step``."""
    try:
        config = load_config(folder, name)
        if step is not None and step not in list_snapshots(folder):
            raise ValueError(f"no snapshot at step {step}; there are {list_snapshots(folder)}")
        params = read_params(folder / "weights.npz" if step is None else snapshot_path(folder, step), config)
    except (OSError, ValueError, KeyError) as error:
        raise ModelError(f"{name}: cannot load {Path(folder).name} ({error})") from None
    for array in params.values():
        array.flags.writeable = False  # shared by every session
    weights = decoder_weights(params, config)
    weights.W_pos.flags.writeable = False
    return Decoder(config, StartWithBos(SentencePieceTokenizer()), weights, step)


@dataclass(frozen=True)
class TrainingRecord:
    """What happened while the model trained, read from its history.json."""

    train_steps: np.ndarray  # [step]
    train_loss: np.ndarray  # [step]  cross-entropy of each training batch, nats per token
    eval_steps: np.ndarray  # [eval]
    eval_loss: dict[str, np.ndarray]  # language → [eval]  held-out cross-entropy
    baselines: dict[str, dict[str, float]]  # "bigram" / "unigram" → language → cross-entropy
    snapshot_steps: np.ndarray  # [snapshot]
    snapshot_tokens: np.ndarray  # [snapshot]  training tokens seen at each snapshot
    snapshot_loss: dict[str, np.ndarray]  # language → [snapshot]  held-out cross-entropy at each snapshot
    head_metrics: dict[str, np.ndarray]  # "to_previous", "induction", … → [snapshot, layer, head]
    uniform_to_previous: float  # what uniform causal attention would put on i−1 (same windows)
    final: dict  # the last snapshot's losses, gaps to the baselines, training time
    probe: np.ndarray  # [probe, 6]  step, best induction score, its layer, head, loss first copy, loss repeat
    phase: dict | None  # the induction phase change (attention_core/train/phase.py), None if none formed


def training_record(folder: Path) -> TrainingRecord:
    history = json.loads((folder / "history.json").read_text())
    train = np.array(history["train"], dtype=float)  # [step, (step, loss, grad norm, lr)]
    snapshots = history["snapshots"]
    metric_names = [name for name, value in snapshots[0]["heads"].items() if isinstance(value, list)]
    return TrainingRecord(
        train_steps=train[:, 0],
        train_loss=train[:, 1],
        eval_steps=np.array([e["step"] for e in history["eval"]]),
        eval_loss={
            lang: np.array([e["val"][lang] for e in history["eval"]]) for lang in history["eval"][0]["val"]
        },
        baselines={
            "bigram": {lang: history["baselines"]["bigram"][lang] for lang in ("ko", "en")},
            "unigram": dict(history["baselines"]["unigram"]),
        },
        snapshot_steps=np.array([s["step"] for s in snapshots]),
        snapshot_tokens=np.array([s["tokens"] for s in snapshots]),
        snapshot_loss={lang: np.array([s["val"][lang] for s in snapshots]) for lang in snapshots[0]["val"]},
        head_metrics={name: np.array([s["heads"][name] for s in snapshots]) for name in metric_names},
        uniform_to_previous=float(snapshots[-1]["heads"]["uniform_to_previous"]),
        final=history["final"],
        probe=np.array(history.get("probe", []), dtype=float).reshape(-1, 6),
        phase=history.get("phase_change"),
    )
