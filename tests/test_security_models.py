"""Model folders are untrusted input (issue 16): sizes are checked before anything is built from them,
the safetensors header before any tensor is read, files must stay inside the folder, and folder names
must be printable single-line names. Each refusal is one line naming the folder, with little memory used.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from attention_core.models import ModelError
from attention_core.models.hf_folder import load_folder
from attention_core.models.registry import MODELS_DIR_VARIABLE, available_models

TINY_GPT2 = Path(__file__).resolve().parent / "fixtures" / "tiny-gpt2"
REPO = Path(__file__).resolve().parent.parent


def model_copy(tmp_path: Path, name: str = "model", **config_changes) -> Path:
    folder = tmp_path / name
    shutil.copytree(TINY_GPT2, folder)
    if config_changes:
        config = json.loads((folder / "config.json").read_text()) | config_changes
        (folder / "config.json").write_text(json.dumps(config))
    return folder


def refused_cheaply(folder: Path, message: str, limit_mb: float = 20) -> None:
    """load_folder refuses with ``message`` on one line, having allocated less than ``limit_mb``."""
    tracemalloc.start()
    try:
        with pytest.raises(ModelError, match=message) as error:
            load_folder(folder)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "\n" not in str(error.value) and folder.name in str(error.value)
    assert peak < limit_mb * 1e6, f"{peak / 1e6:.0f} MB allocated before refusing"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"n_layer": 10**9}, "n_layer = 1,000,000,000; this visualizer takes at most 48"),
        ({"n_layer": 10**6}, "n_layer"),
        ({"n_embd": 10**9}, "n_embd"),
        ({"vocab_size": 10**12}, "vocab_size"),
        ({"n_positions": 10**7}, "n_positions"),
        ({"n_head": 0}, "n_head as a whole number"),
        ({"n_inner": 10**9}, "n_inner"),
        ({"n_layer": 1e300}, "n_layer as a whole number"),
        ({"layer_norm_epsilon": float("inf")}, "layer_norm_epsilon"),
    ],
)
def test_sizes_beyond_the_ceilings_are_refused_before_anything_is_built(tmp_path, changes, message):
    refused_cheaply(model_copy(tmp_path, **changes), message)


def test_a_config_nested_too_deep_or_too_large_is_refused(tmp_path):
    deep = model_copy(tmp_path, "deep")
    (deep / "config.json").write_text("[" * 100_000 + "]" * 100_000)
    refused_cheaply(deep, "nested too deeply")
    large = model_copy(tmp_path, "large")
    (large / "config.json").write_text(json.dumps({"model_type": "gpt2", "pad": "x" * 2_000_000}))
    refused_cheaply(large, "config.json has 2,000,0")


def safetensors_header(tensors: dict[str, tuple[str, list[int], int]]) -> bytes:
    """A safetensors header: name -> (dtype, shape, byte length), laid out one after another."""
    header, offset = {}, 0
    for name, (dtype, shape, length) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + length]}
        offset += length
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text


def test_a_sparse_file_claiming_a_3_gb_tensor_is_refused_without_reading_it(tmp_path):
    folder = model_copy(tmp_path)
    weights = folder / "model.safetensors"
    n = 3 * 2**30 // 4
    weights.write_bytes(safetensors_header({"wte.weight": ("F32", [n // 32, 32], 4 * n)}))
    os.truncate(weights, weights.stat().st_size + 4 * n)  # sparse: no disk used
    refused_cheaply(folder, "model.safetensors has 3,221,")


def test_a_header_that_disagrees_with_the_config_is_refused_before_any_tensor_is_read(tmp_path):
    folder = model_copy(tmp_path)
    weights = folder / "model.safetensors"
    n = 200 * 2**20 // 4  # 200 MB, under the size ceiling, shaped wrong for the config
    weights.write_bytes(safetensors_header({"wte.weight": ("F32", [n // 32, 32], 4 * n)}))
    os.truncate(weights, weights.stat().st_size + 4 * n)
    refused_cheaply(folder, "lacks|has shape")


def test_a_header_whose_offsets_run_past_the_file_is_refused(tmp_path):
    folder = model_copy(tmp_path)
    (folder / "model.safetensors").write_bytes(safetensors_header({"wte.weight": ("F32", [64, 32], 8192)}))
    refused_cheaply(folder, "cannot read model.safetensors")


def test_an_integer_tensor_where_a_weight_belongs_is_refused(tmp_path):
    from safetensors.numpy import load_file, save_file

    folder = model_copy(tmp_path)
    tensors = load_file(folder / "model.safetensors")
    tensors["transformer.wte.weight"] = tensors["transformer.wte.weight"].astype("int32")
    save_file(tensors, str(folder / "model.safetensors"))
    refused_cheaply(folder, "stored as I32")


@pytest.mark.parametrize("file", ["tokenizer.json", "config.json", "model.safetensors"])
def test_a_file_that_links_out_of_the_folder_is_refused(tmp_path, file):
    folder = model_copy(tmp_path)
    outside = tmp_path / "outside"
    shutil.copy(folder / file, outside)
    (folder / file).unlink()
    (folder / file).symlink_to(outside)
    refused_cheaply(folder, "link to a file outside the model folder")


def test_a_garbage_tokenizer_is_refused_on_one_line(tmp_path):
    folder = model_copy(tmp_path)
    (folder / "tokenizer.json").write_text(
        '{"model": {"type": "BPE", "vocab": 7}, "x": "\\n' + "y" * 5000 + '"}'
    )
    refused_cheaply(folder, "cannot read tokenizer.json")


def test_folder_names_that_are_not_one_printable_line_are_not_listed(tmp_path, monkeypatch):
    for name in ("good-model", "two\nlines", "tab\there", "bell\a", "bidi\u202eevil", "x" * 65):
        model_copy(tmp_path, name)
    monkeypatch.setenv(MODELS_DIR_VARIABLE, str(tmp_path))
    names = available_models()
    assert "good-model" in names
    assert not any(n.startswith(("two", "tab", "bell", "bidi", "xxx")) for n in names)
    env = dict(os.environ, PYTHONPATH=str(REPO), **{MODELS_DIR_VARIABLE: str(tmp_path)})
    result = subprocess.run(
        [sys.executable, "-m", "attention_core", "models"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0
    assert result.stdout.splitlines() == names


def test_a_bad_folder_does_not_keep_the_others_from_loading(tmp_path, monkeypatch):
    model_copy(tmp_path, "broken", n_layer=10**9)
    model_copy(tmp_path, "fine")
    monkeypatch.setenv(MODELS_DIR_VARIABLE, str(tmp_path))
    from attention_core.models.registry import load_model

    with pytest.raises(ModelError, match="broken"):
        load_model("broken")
    assert load_model("fine").config.n_layers == 2
