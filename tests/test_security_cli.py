"""The command line under hostile input (issue 16): bytes that are not UTF-8, NUL and newlines, output
paths that are not regular files, work beyond the ceilings. Every case: exit 2, one line on stderr, no
traceback, and nothing written but the file named."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import numpy as np
import pytest

from attention_core import cli

REPO = __file__.rsplit("/tests/", 1)[0]


def run_bytes(*args: bytes | str, cwd, timeout: float = 60) -> subprocess.CompletedProcess:
    """The CLI with raw argv bytes, as a shell passes them (Python reads non-UTF-8 bytes as surrogates)."""
    argv = [sys.executable.encode(), b"-m", b"attention_core"]
    argv += [a.encode() if isinstance(a, str) else a for a in args]
    env = {"PYTHONPATH": REPO, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    return subprocess.run(argv, capture_output=True, cwd=cwd, env=env, timeout=timeout)


def one_clear_line(result: subprocess.CompletedProcess, message: str) -> None:
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2, stderr
    assert len(stderr.strip().splitlines()) == 1 and message in stderr, stderr
    assert "Traceback" not in stderr


NOT_UTF8 = {
    "0xFF": b"cat \xff dog",
    "overlong": b"cat \xc0\xaf dog",
    "truncated": b"cat \xe2\x82",
    "lone surrogate": b"cat \xed\xa0\x80 dog",
}


@pytest.mark.parametrize("text", NOT_UTF8.values(), ids=NOT_UTF8.keys())
@pytest.mark.parametrize(
    "where",
    ["sentence", "--source", "--model ko-en-lm", "--model all-MiniLM-L6-v2", "--model name", "--out"],
)
def test_arguments_that_are_not_utf8_exit_2_with_one_line(text, where, tmp_path):
    if where == "sentence":
        args = ["trace", text, "--out", "x.npz"]
    elif where == "--source":
        args = ["trace", "hello", "--source", text, "--out", "x.npz"]
    elif where == "--model name":
        args = ["trace", "hello", "--model", text, "--out", "x.npz"]
    elif where == "--out":
        args = ["trace", "hello", "--out", text + b".npz"]
    else:
        args = ["trace", text, "--model", where.split()[1], "--out", "x.npz"]
    one_clear_line(run_bytes(*args, cwd=tmp_path), "not valid UTF-8")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["trace", "cat", "--out", "a\0b.npz"], "NUL"),
        (["trace", "line one\nline two", "--heads", "3", "--out", "x.npz"], "not divisible"),
        (["trace", "cat", "--model", "bad\nname", "--out", "x.npz"], "unknown model"),
        (["trace", "x" * 1_000_001, "--out", "x.npz"], "at most 1,000,000"),
    ],
    ids=["NUL in --out", "newline in the sentence", "newline in --model", "over 1 MB of text"],
)
def test_nul_newlines_and_huge_text_give_one_line(args, message, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # argv cannot carry a NUL: this one goes through main() in the process
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and message in err, err
    assert list(tmp_path.iterdir()) == []


def test_a_megabyte_of_text_is_read_and_capped(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # Linux argv takes at most 128 KB per argument: through main() instead
    assert cli.main(["trace", "word " * 200_000, "--out", "big.npz"]) == 0
    assert "first 128 of 200000 tokens" in capsys.readouterr().out
    assert np.load(tmp_path / "big.npz")["pattern"].shape == (4, 128, 128)


def test_an_out_that_is_a_fifo_a_directory_or_in_no_folder_is_refused_at_once(tmp_path):
    os.mkfifo(tmp_path / "pipe.npz")
    (tmp_path / "folder.npz").mkdir()
    for out, message in (
        ("pipe.npz", "not a regular file"),  # opening a FIFO for writing would block forever
        ("folder.npz", "not a regular file"),
        ("missing/x.npz", "does not exist"),
        ("x.npy", "must end in .npz"),
    ):
        one_clear_line(run_bytes("trace", "cat", "--out", out, cwd=tmp_path, timeout=30), message)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.npz", "pipe.npz"]


def test_work_beyond_the_ceiling_is_refused_before_any_is_done(tmp_path):
    result = run_bytes(
        "trace", "The cat sat.", "--d-model", "1024", "--heads", "64", "--d-k", "512", "--d-v", "512",
        "--out", "big.npz", cwd=tmp_path,
    )  # fmt: skip
    one_clear_line(result, "more than the 4,000,000 one request may ask for")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_the_old_file_and_no_partial_one(tmp_path, monkeypatch):
    out = tmp_path / "trace.npz"
    out.write_bytes(b"the previous trace")

    def fail_halfway(file, **arrays):
        file.write(b"PK half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "savez_compressed", fail_halfway)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["trace", "cat", "--out", str(out)]) == 2
    assert out.read_bytes() == b"the previous trace"
    assert [p.name for p in tmp_path.iterdir()] == ["trace.npz"]


def test_an_interrupted_run_leaves_nothing_behind(tmp_path, monkeypatch):
    """SIGTERM (``kill``) while the file is written: the temporary file goes, ``--out`` never appears."""
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signal handlers need the main thread")

    def killed_halfway(file, **arrays):
        file.write(b"PK half a zip")
        os.kill(os.getpid(), 15)  # delivered now: the handler raises SystemExit

    monkeypatch.setattr(np, "savez_compressed", killed_halfway)
    monkeypatch.chdir(tmp_path)
    previous = __import__("signal").getsignal(15)
    try:
        with pytest.raises(SystemExit):
            cli.main(["trace", "cat", "--out", "x.npz"])
    finally:
        __import__("signal").signal(15, previous)
    assert list(tmp_path.iterdir()) == []
