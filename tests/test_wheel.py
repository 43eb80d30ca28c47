"""The installable package, end to end: build the wheel (sdist first, the wheel from it, as
``python -m build`` does), install it into a fresh venv outside the checkout, and from another folder use
the API, both console commands, and the app.

Nothing is downloaded: the build runs ``--no-isolation`` with the pinned setuptools of
requirements-dev.txt, and the fresh venv sees the dependencies already installed in this one through a
``.pth`` file (the wheel itself goes in with ``pip install --no-deps --no-index``).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
WHEEL_TOP = {"attention_core", "attention_explorer-0.1.0.dist-info"}


def run(command: list, cwd: Path, env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


def project_files() -> list[str]:
    """What a clone has (tracked files, and new ones not ignored yet): what the build may read."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=REPO, capture_output=True, text=True, check=True
    )
    return [name for name in listed.stdout.splitlines() if (REPO / name).is_file()]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """A wheel built from a copy of the project, installed into a fresh venv; where everything is."""
    base = tmp_path_factory.mktemp("wheel")
    source, dist, venv, elsewhere = base / "source", base / "dist", base / "venv", base / "elsewhere"
    for name in project_files():  # a copy: the build writes build/ and *.egg-info/ beside its sources
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, source / name)
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}
    started = time.monotonic()
    run([sys.executable, "-m", "build", "--no-isolation", "--outdir", dist, source], base, env, 300)
    built = time.monotonic()
    (wheel,) = dist.glob("*.whl")

    run([sys.executable, "-m", "venv", "--without-pip", venv], base, env)
    fresh_python = venv / "bin" / "python"
    site = run([fresh_python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], base, env)
    fresh_site = Path(site.stdout.strip())
    # The dependencies: this venv's site-packages, after the fresh venv's own (where the wheel goes).
    (fresh_site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    pip = [sys.executable, "-m", "pip", "--python", fresh_python, "install", "--no-deps", "--no-index"]
    run([*pip, "--disable-pip-version-check", "--quiet", wheel], base, env)
    print(
        f"\nwheel {wheel.name}: {wheel.stat().st_size / 1e6:.1f} MB, built in {built - started:.1f} s, "
        f"installed in {time.monotonic() - built:.1f} s"
    )
    elsewhere.mkdir()
    return {"wheel": wheel, "venv": venv, "site": fresh_site, "cwd": elsewhere, "env": env}


def test_the_wheel_holds_the_core_the_app_and_the_assets_and_nothing_else(installed):
    with zipfile.ZipFile(installed["wheel"]) as wheel:
        names = set(wheel.namelist())
    assert {name.split("/")[0] for name in names} == WHEEL_TOP
    bundled = "attention_core/bundled/"
    for name in [
        "app.py",
        ".streamlit/config.toml",
        "pages/overview.py",
        "pages/ui/present.css",
        "pages/ui/width_probe.js",
        "assets/tokenizer/ko_en_19k.model",
        "assets/model/ko-en-lm/weights.npz",
        "assets/model/ko-en-lm/history.json",
    ]:
        assert bundled + name in names, name
    checkout_assets = {p.relative_to(REPO).as_posix() for p in (REPO / "assets").rglob("*") if p.is_file()}
    assert {n.removeprefix(bundled) for n in names if n.startswith(bundled + "assets/")} == checkout_assets
    assert not any(part in name for name in names for part in ("tests/", "bench/", "scripts/", "docs/"))
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    with zipfile.ZipFile(installed["wheel"]) as wheel:
        scripts = wheel.read(entry_points).decode()
    assert "attention-explorer = attention_core.serve:main" in scripts
    assert "attention-core = attention_core.cli:main" in scripts


API_CALLS = """
import json, sys
import attention_core as ac
from attention_core import paths
light = sorted(k for k in sys.modules if k.split(".")[0] in ("streamlit", "plotly"))
t = ac.trace("The cat sat on the mat.", heads=4, d_model=16)
m = ac.load_model("ko-en-lm"); mt = m.trace("나는 학교에 갔다.")
heads, view = ac.figures.heads(t), ac.figures.model_view(mt)
ac.save(t, "cat.npz"); saved = ac.load("cat.npz")
print(json.dumps({
    "package": ac.__file__, "assets": str(paths.ASSETS), "app": str(paths.APP), "light": light,
    "pattern": list(t.trace.pattern.shape), "model_pattern": list(mt.pattern.shape),
    "figures": [type(heads).__module__, type(view).__module__, len(heads.layout.annotations)],
    "saved_equal": bool((saved["pattern"] == t.trace.pattern).all()), "saved_keys": sorted(saved),
    "to_previous": ac.head_metrics(mt).to_previous.tolist(), "models": ac.model_names(),
}))
"""


def test_the_api_works_from_another_folder(installed):
    python = installed["venv"] / "bin" / "python"
    result = run([python, "-c", API_CALLS], installed["cwd"], installed["env"])
    found = json.loads(result.stdout)
    site = installed["site"]
    assert Path(found["package"]) == site / "attention_core" / "__init__.py"
    assert Path(found["assets"]) == site / "attention_core" / "bundled" / "assets"
    assert Path(found["app"]) == site / "attention_core" / "bundled" / "app.py"
    assert found["light"] == []  # importing the package imports neither streamlit nor plotly
    assert found["pattern"][0] == 4 and found["model_pattern"][:2] == [2, 4]
    assert found["figures"] == ["plotly.graph_objs._figure", "plotly.graph_objs._figure", 4]
    assert found["saved_equal"] and {"pattern", "tokens", "W_O", "x"} <= set(found["saved_keys"])
    assert (installed["cwd"] / "cat.npz").is_file()
    assert found["models"][0] == "ko-en-lm"
    # the same numbers as the checkout's own package
    import attention_core as ac

    mt = ac.load_model("ko-en-lm").trace("나는 학교에 갔다.")
    assert found["to_previous"] == ac.head_metrics(mt).to_previous.tolist()


def test_the_command_line_starts_and_writes_a_trace(installed):
    command = installed["venv"] / "bin" / "attention-core"
    assert "trace" in run([command, "--help"], installed["cwd"], installed["env"]).stdout
    assert "ko-en-lm" in run([command, "models"], installed["cwd"], installed["env"]).stdout.split()
    run(
        [command, "trace", "The cat sat.", "--model", "ko-en-lm", "--out", "cat.npz"],
        installed["cwd"],
        installed["env"],
    )
    assert (installed["cwd"] / "cat.npz").stat().st_size > 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_app_command_serves_the_app(installed):
    command = installed["venv"] / "bin" / "attention-explorer"
    assert "--port" in run([command, "--help"], installed["cwd"], installed["env"]).stdout
    port = free_port()
    server = subprocess.Popen(
        [command, "--port", str(port), "--address", "127.0.0.1"],  # an address: no external IP looked up
        cwd=installed["cwd"],
        env=installed["env"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline, answer = time.monotonic() + 60, None
        while answer is None and time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as reply:
                    answer = reply.read().decode()
            except OSError:
                time.sleep(0.3)
        assert answer == "ok", f"no answer on /_stcore/health (exit {server.poll()})"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=30)[0]
    assert str(installed["site"] / "attention_core" / "bundled" / "app.py") in output


APP_RUN = r"""
import json, sys
from streamlit.testing.v1 import AppTest
from attention_core.paths import APP
at = AppTest.from_file(str(APP), default_timeout=60).run()
assert not at.exception, at.exception
at.switch_page("pages/model_explorer.py").run()
assert not at.exception, at.exception
ours = [m for m in list(sys.modules.values()) if m.__name__.split(".")[0] in ("pages", "attention_core")]
print(json.dumps({
    "files": sorted(m.__file__ for m in ours if getattr(m, "__file__", None)),
    "charts": len(at.get("plotly_chart")),
}))
"""


def test_the_installed_app_runs_its_pages_from_the_package(installed):
    python = installed["venv"] / "bin" / "python"
    found = json.loads(run([python, "-c", APP_RUN], installed["cwd"], installed["env"], 180).stdout)
    assert (
        str(installed["site"] / "attention_core" / "bundled" / "pages" / "ui" / "frame.py") in found["files"]
    )
    assert all(file.startswith(str(installed["site"])) for file in found["files"])  # none from the checkout
    assert found["charts"] >= 1  # the model explorer drew the bundled model's heads
