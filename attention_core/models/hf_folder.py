"""Load a Hugging Face-format model folder: ``config.json``, ``model.safetensors``, ``tokenizer.json``.

The config's ``model_type`` picks the family ("bert" → :class:`BertModel`, "gpt2" → :class:`GPT2Model`).
Every problem comes back as a one-line :class:`ModelError`.
"""

from __future__ import annotations

import json
from pathlib import Path

from safetensors.numpy import load_file

from attention_core.models.base import Model, ModelError
from attention_core.models.bert import BertModel
from attention_core.models.gpt2 import GPT2Model
from attention_core.models.hf_tokenizer import HFTokenizer

REQUIRED_FILES = ("config.json", "model.safetensors", "tokenizer.json")
FAMILIES = {"bert": BertModel, "gpt2": GPT2Model}  # config.json's model_type -> the class that runs it


def looks_like_model_folder(folder: Path) -> bool:
    """True when ``folder`` holds every file a model folder needs."""
    return folder.is_dir() and all((folder / name).is_file() for name in REQUIRED_FILES)


def read_config(folder: Path) -> dict:
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelError(f"cannot read {folder.name}/config.json: {error}") from None
    if not isinstance(config, dict):
        raise ModelError(f"{folder.name}/config.json is not a JSON object")
    return config


def load_folder(folder: Path | str, name: str | None = None) -> Model:
    """The model in ``folder``, called ``name`` (default: the folder's name)."""
    folder = Path(folder)
    name = folder.name if name is None else name
    missing = [file for file in REQUIRED_FILES if not (folder / file).is_file()]
    if missing:
        raise ModelError(f"{name}: the model folder has no {', '.join(missing)}")
    config = read_config(folder)
    model_type = config.get("model_type")
    if not isinstance(model_type, str) or model_type not in FAMILIES:
        supported = ", ".join(sorted(FAMILIES))
        raise ModelError(f"{name}: model_type {model_type!r} is not supported (supported: {supported})")
    try:
        tensors = load_file(folder / "model.safetensors")  # name -> np.ndarray
    except Exception as error:  # safetensors raises its own error types for damaged files
        raise ModelError(f"{name}: cannot read model.safetensors: {error}") from None
    tokenizer = HFTokenizer(folder / "tokenizer.json")
    model = FAMILIES[model_type].from_checkpoint(name, config, tensors, tokenizer)
    if tokenizer.vocab_size > model.config.d_vocab:
        raise ModelError(
            f"{name}: the tokenizer has {tokenizer.vocab_size} tokens, the model {model.config.d_vocab}"
        )
    return model
