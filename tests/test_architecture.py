"""The layering of DESIGN.md, checked: a pure core, one implementation of each layer, one model stack,
one table of pages."""

import ast
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_importing_the_core_imports_no_ui_library():
    code = (
        "import sys, pkgutil, importlib, attention_core\n"
        "for m in pkgutil.walk_packages(attention_core.__path__, 'attention_core.'):\n"
        "    if not m.name.startswith('attention_core.viz') and not m.name.endswith('__main__'):\n"
        "        importlib.import_module(m.name)\n"
        "print(sorted(k for k in sys.modules if k.split('.')[0] in ('streamlit', 'plotly')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.stdout.strip() == "[]"


def test_figures_never_import_streamlit():
    for path in (REPO / "attention_core" / "viz").glob("*.py"):
        assert not re.search(r"^\s*(import|from)\s+streamlit", path.read_text(), re.M), path


ONE_DEFINITION = {  # each function a student looks for, and the one file that defines it
    "masked_softmax": "attention_core/softmax.py",
    "log_softmax": "attention_core/softmax.py",
    "multi_head_attention": "attention_core/attention.py",
    "scaled_dot_product_attention": "attention_core/attention.py",
    "layer_norm": "attention_core/models/layers.py",
    "layer_norm_forward": "attention_core/models/layers.py",
    "gelu_exact": "attention_core/models/layers.py",
    "gelu_tanh": "attention_core/models/layers.py",
    "mlp_forward": "attention_core/models/layers.py",
    "sinusoidal_positions": "attention_core/models/layers.py",
    "decoder_forward": "attention_core/models/decoder.py",
}


def python_files():
    for path in sorted(REPO.rglob("*.py")):
        if not {".venv", "tests", "build"} & set(path.relative_to(REPO).parts):
            yield path


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


def test_each_layer_is_defined_once():
    definitions = []
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.name in ONE_DEFINITION:
                definitions.append((node.name, path.relative_to(REPO).as_posix()))
    assert sorted(definitions) == sorted(ONE_DEFINITION.items())


def test_models_never_import_training():
    """Training is built on the model stack (it runs the app's forward pass); never the other way."""
    for path in (REPO / "attention_core" / "models").glob("*.py"):
        assert not any(m.startswith("attention_core.train") for m in imported_modules(path)), path


def test_every_page_script_is_in_the_table_and_opens_the_frame():
    from pages.ui.site import PAGES

    scripts = {p.as_posix() for p in (REPO / "pages").glob("*.py")} - {
        (REPO / "pages/__init__.py").as_posix()
    }
    assert {(REPO / p.script).as_posix() for p in PAGES} == scripts
    for script in scripts:
        body = ast.parse(Path(script).read_text()).body
        calls = [
            node.value for node in body if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
        ]
        assert calls and ast.unparse(calls[0].func) == "frame.enter", f"{script}: frame.enter() first"
        assert len(body) > 10, f"{script} draws its page itself, it is no hand-over"
