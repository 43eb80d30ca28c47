"""`python -m attention_core lesson`: the file it writes, and bad input (exit 2, one line)."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def lesson(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "attention_core", "lesson", *args]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)


def test_writes_one_self_contained_html_file(tmp_path):
    out = tmp_path / "lesson.html"
    result = lesson("The animal didn't cross the street because it was too tired.", "--out", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text()
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    assert html.count('class="question"') == 6
    assert "Plotly" in html and "<script src=" not in html
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["", "--out", "x.html"], "empty"),
        (["hi", "--out", "x.npz"], "must end in .html"),
        (["hi", "--out", "x.html", "--model", "nope"], "unknown model"),
        (["hi", "--out", "x.html", "--lang", "fr"], "invalid choice"),
        (["hi", "--out", "/no/such/folder/x.html"], "does not exist"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, args, message):
    result = lesson(*args)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
