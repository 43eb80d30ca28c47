"""The layering of DESIGN.md, checked: a pure core, one attention implementation."""

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


def test_there_is_one_attention_implementation():
    definitions = []
    for path in REPO.rglob("*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        for name in ("multi_head_attention", "scaled_dot_product_attention", "masked_softmax"):
            if re.search(rf"^def {name}\(", path.read_text(), re.M):
                definitions.append((name, path.relative_to(REPO).as_posix()))
    assert sorted(definitions) == [
        ("masked_softmax", "attention_core/softmax.py"),
        ("multi_head_attention", "attention_core/attention.py"),
        ("scaled_dot_product_attention", "attention_core/attention.py"),
    ]
