"""Which models exist is decided on the server: installed packs (hash-checked) and a models directory.
A caller chooses by name and can never make the loader open a path it supplies.
"""

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file, save_file

from attention_core.models import ModelError, own_lm, registry
from attention_core.models.hf_folder import load_folder
from attention_core.models.registry import MODELS_DIR_VARIABLE, ModelPack, available_models, load_model
from attention_core.tokenizer import SentencePieceTokenizer

TINY_GPT2 = Path(__file__).resolve().parent / "fixtures" / "tiny-gpt2"


@pytest.fixture
def models_dir(tmp_path, monkeypatch):
    """A models directory with one real model folder, one incomplete folder and a stray file."""
    shutil.copytree(TINY_GPT2, tmp_path / "my-gpt2")
    (tmp_path / "half-a-model").mkdir()
    (tmp_path / "half-a-model" / "config.json").write_text("{}")
    (tmp_path / "notes.txt").write_text("not a model")
    monkeypatch.setenv(MODELS_DIR_VARIABLE, str(tmp_path))
    return tmp_path


def copy_model(tmp_path, name="model", config_changes=None, tensors=None):
    """A copy of the tiny GPT-2 folder, with config.json keys changed or model.safetensors replaced."""
    folder = tmp_path / name
    shutil.copytree(TINY_GPT2, folder)
    if config_changes is not None:
        config = json.loads((folder / "config.json").read_text()) | config_changes
        (folder / "config.json").write_text(json.dumps(config))
    if tensors is not None:
        save_file(tensors, str(folder / "model.safetensors"))
    return folder


def test_the_installed_pack_is_listed_and_loads():
    assert "all-MiniLM-L6-v2" in available_models()
    assert registry.DEFAULT_MODEL in available_models()
    model = load_model("all-MiniLM-L6-v2")
    assert model.name == "all-MiniLM-L6-v2" and model.config.family == "bert"


def test_every_model_folder_of_the_models_directory_is_listed_by_its_name(models_dir):
    names = available_models()
    assert names.index("all-MiniLM-L6-v2") < names.index("my-gpt2")  # packs before the models directory
    assert "my-gpt2" in names
    assert "half-a-model" not in names and "notes.txt" not in names
    model = load_model("my-gpt2")
    assert model.name == "my-gpt2" and model.config.family == "gpt2" and model.config.n_layers == 2


def test_without_the_variable_only_packs_are_listed(monkeypatch):
    monkeypatch.delenv(MODELS_DIR_VARIABLE, raising=False)
    assert available_models() == [*registry.BUNDLED, "all-MiniLM-L6-v2"]


@pytest.mark.parametrize(
    "name",
    ["../../etc", "/etc/passwd", "my-gpt2/../my-gpt2", "./my-gpt2", "half-a-model", "notes.txt", "", "nope"],
)
def test_a_name_that_is_not_listed_is_refused(models_dir, name):
    with pytest.raises(ModelError, match="unknown model"):
        load_model(name)


def test_a_path_to_a_real_model_folder_is_still_refused(models_dir):
    with pytest.raises(ModelError, match="unknown model"):
        load_model(str(models_dir / "my-gpt2"))


def test_a_pack_whose_weights_do_not_match_the_pinned_hash_is_refused(tmp_path, monkeypatch):
    package = tmp_path / "fake_model_pack"
    package.mkdir()
    (package / "__init__.py").write_text("raise RuntimeError('a pack is found, never imported')\n")
    shutil.copytree(TINY_GPT2, package / "model")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(registry, "PACKS", {"fake": ModelPack(package="fake_model_pack", sha256="0" * 64)})
    assert available_models() == [*registry.BUNDLED, "fake"]
    with pytest.raises(ModelError, match="sha256"):
        load_model("fake")
    # The same pack with the right hash loads.
    right = registry.file_sha256(package / "model" / "model.safetensors")
    monkeypatch.setattr(registry, "PACKS", {"fake": ModelPack(package="fake_model_pack", sha256=right)})
    assert load_model("fake").config.family == "gpt2"


def test_a_pack_that_is_not_installed_is_not_listed(monkeypatch):
    monkeypatch.setattr(
        registry, "PACKS", {"gone": ModelPack(package="no_such_package_here", sha256="0" * 64)}
    )
    monkeypatch.delenv(MODELS_DIR_VARIABLE, raising=False)
    assert available_models() == [*registry.BUNDLED]
    with pytest.raises(ModelError, match="unknown model"):
        load_model("gone")


def test_the_pinned_hash_is_the_installed_files_hash():
    pack = registry.PACKS["all-MiniLM-L6-v2"]
    assert registry.file_sha256(pack.folder() / "model.safetensors") == pack.sha256


# The folder loader's one-line errors


def test_missing_files_are_named(tmp_path):
    folder = copy_model(tmp_path)
    (folder / "tokenizer.json").unlink()
    with pytest.raises(ModelError, match=r"no tokenizer\.json"):
        load_folder(folder)


def test_an_unsupported_model_type_is_refused(tmp_path):
    with pytest.raises(ModelError, match="model_type 'llama' is not supported"):
        load_folder(copy_model(tmp_path, config_changes={"model_type": "llama"}))


def test_an_unsupported_setting_is_refused(tmp_path):
    with pytest.raises(ModelError, match="activation_function"):
        load_folder(copy_model(tmp_path, config_changes={"activation_function": "relu"}))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"n_head": "four"}, "n_head as a whole number"),
        ({"n_layer": 0}, "n_layer as a whole number"),
        ({"n_embd": 30}, "not divisible by 4 heads"),
        ({"layer_norm_epsilon": "tiny"}, "layer_norm_epsilon"),
        ({"model_type": ["gpt2"]}, "is not supported"),
    ],
)
def test_a_bad_config_value_is_refused(tmp_path, changes, message):
    with pytest.raises(ModelError, match=message):
        load_folder(copy_model(tmp_path, config_changes=changes))


def test_a_shape_that_disagrees_with_the_config_is_refused(tmp_path):
    expected = re.escape("wpe.weight has shape (64, 32), but config.json implies (32, 32)")
    with pytest.raises(ModelError, match=expected):
        load_folder(copy_model(tmp_path, config_changes={"n_positions": 32}))


def test_a_missing_weight_is_refused(tmp_path):
    tensors = load_file(TINY_GPT2 / "model.safetensors")
    del tensors["transformer.h.1.attn.c_attn.bias"]
    with pytest.raises(ModelError, match="lacks 1 weights"):
        load_folder(copy_model(tmp_path, tensors=tensors))


def test_an_unknown_weight_is_refused_and_known_non_weights_are_skipped(tmp_path):
    tensors = load_file(TINY_GPT2 / "model.safetensors")
    skipped = tensors | {"transformer.h.0.attn.bias": np.ones((1, 1, 64, 64), np.float32)}
    skipped["lm_head.weight"] = tensors["transformer.wte.weight"]
    assert load_folder(copy_model(tmp_path, "skipped", tensors=skipped)).config.n_layers == 2
    unknown = tensors | {"transformer.h.0.attn.rotary": np.ones(3, np.float32)}
    with pytest.raises(ModelError, match="does not know"):
        load_folder(copy_model(tmp_path, "unknown", tensors=unknown))


def test_a_damaged_weights_file_is_refused(tmp_path):
    folder = copy_model(tmp_path)
    (folder / "model.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(ModelError, match=r"cannot read model\.safetensors"):
        load_folder(folder)


def test_a_damaged_config_is_refused(tmp_path):
    folder = copy_model(tmp_path)
    (folder / "config.json").write_text("{not json")
    with pytest.raises(ModelError, match="cannot read"):
        load_folder(folder)


def test_the_bundled_bilingual_model_is_listed_first_and_reads_korean():
    assert available_models()[0] == own_lm.NAME == registry.DEFAULT_MODEL
    model = load_model(own_lm.NAME)
    trace = model.run(model.tokenize("고양이가 창가에서 잠을 잤다."))
    assert trace.tokens.labels[:3] == ("<s>", "▁고양이", "가")
    assert trace.pattern.shape == (
        model.config.n_layers,
        model.config.n_heads,
        len(trace.tokens),
        len(trace.tokens),
    )
    assert np.all(np.triu(trace.pattern, k=1) == 0)  # causal
    assert trace.logits.shape == (len(trace.tokens), SentencePieceTokenizer().vocab_size)
