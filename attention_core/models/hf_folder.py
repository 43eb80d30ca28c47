"""Load a Hugging Face-format model folder: ``config.json``, ``model.safetensors``, ``tokenizer.json``.

The config's ``model_type`` picks the family ("bert" → the encoder, "gpt2" → the pre-LN decoder).
A folder is untrusted input: its files must lie inside it (no symlink out), be of a sane size, and be
checked before anything large is allocated from them. Every problem comes back as a one-line
:class:`ModelError` that names the folder.
"""

from __future__ import annotations

import json
from pathlib import Path

from attention_core.models.base import Model, ModelError
from attention_core.models.bert import load_bert
from attention_core.models.checkpoint import Checkpoint, one_line
from attention_core.models.gpt2 import load_gpt2
from attention_core.models.hf_tokenizer import HFTokenizer

REQUIRED_FILES = ("config.json", "model.safetensors", "tokenizer.json")
FAMILIES = {"bert": load_bert, "gpt2": load_gpt2}  # config.json's model_type -> the loader of its family
MAX_FILE_BYTES = {"config.json": 1 << 20, "tokenizer.json": 64 << 20}  # model.safetensors: checkpoint.py


def looks_like_model_folder(folder: Path) -> bool:
    """True when ``folder`` holds every file a model folder needs."""
    return folder.is_dir() and all((folder / name).is_file() for name in REQUIRED_FILES)


def model_file(folder: Path, file: str, name: str) -> Path:
    """``folder/file``, refused when it is missing, leads out of the folder (a symlink to /etc/…), or is
    larger than MAX_FILE_BYTES allows."""
    path = folder / file
    if not path.is_file():
        raise ModelError(f"{name}: the model folder has no {file}")
    if not path.resolve().is_relative_to(folder.resolve()):
        raise ModelError(f"{name}: {file} is a link to a file outside the model folder")
    limit = MAX_FILE_BYTES.get(file)
    if limit is not None and path.stat().st_size > limit:
        raise ModelError(f"{name}: {file} has {path.stat().st_size:,} bytes; at most {limit:,} are read")
    return path


def read_config(folder: Path, name: str | None = None) -> dict:
    name = folder.name if name is None else name
    path = model_file(folder, "config.json", name)
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelError(f"{name}: cannot read config.json: {one_line(error)}") from None
    except RecursionError:  # JSON nested thousands deep
        raise ModelError(f"{name}: cannot read config.json: it is nested too deeply") from None
    if not isinstance(config, dict):
        raise ModelError(f"{name}: config.json is not a JSON object")
    return config


def load_folder(folder: Path | str, name: str | None = None) -> Model:
    """The model in ``folder``, called ``name`` (default: the folder's name)."""
    folder = Path(folder)
    name = folder.name if name is None else name
    missing = [file for file in REQUIRED_FILES if not (folder / file).is_file()]
    if missing:
        raise ModelError(f"{name}: the model folder has no {', '.join(missing)}")
    config = read_config(folder, name)
    model_type = config.get("model_type")
    if not isinstance(model_type, str) or model_type not in FAMILIES:
        supported = ", ".join(sorted(FAMILIES))
        raise ModelError(f"{name}: model_type {model_type!r} is not supported (supported: {supported})")
    tensors = Checkpoint(model_file(folder, "model.safetensors", name), name)  # the header only, so far
    tokenizer = HFTokenizer(model_file(folder, "tokenizer.json", name), name)
    model = FAMILIES[model_type](name, config, tensors, tokenizer)
    if tokenizer.vocab_size > model.config.d_vocab:
        raise ModelError(
            f"{name}: the tokenizer has {tokenizer.vocab_size} tokens, the model {model.config.d_vocab}"
        )
    return model
