"""``--out`` under hostile input (issue 14), for ``trace``, ``ablate`` and ``lesson``: directories, folders
that cannot be written (as root too: /proc and /sys refuse new files), traversal, NUL, symlinks. Either the
named file is written and nothing else is touched, or exit 2 with one line and nothing is touched."""

from __future__ import annotations

import os

import pytest

from attention_core import cli
from tests.test_hostile_cli import MODEL, run

COMMANDS = {
    "trace": (["trace", "The cat sat."], ".npz"),
    "ablate": (["ablate", "The cat sat.", "--model", MODEL, "--heads", "0.0"], ".npz"),
    "lesson": (["lesson", "The cat sat."], ".html"),
}


def snapshot(folder) -> dict[str, tuple]:
    """Every path under ``folder`` with its kind, size and modification time (symlinks not followed)."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(root, name)
            info = os.lstat(path)
            found[os.path.relpath(path, folder)] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return found


REFUSED = {  # out (with {s} for the suffix) -> words of the one line
    "a directory": ("folder{s}", "not a regular file"),
    "missing folder": ("missing/x{s}", "does not exist"),
    "a file as folder": ("file.txt/x{s}", "does not exist"),
    "/proc": ("/proc/x{s}", "cannot write"),
    "/sys": ("/sys/x{s}", "cannot write"),
    "NUL": ("a\0b{s}", "NUL"),
    "no name": ("{s}", "must end in"),
    "empty": ("", "must end in"),
    "wrong suffix": ("x{s}.txt", "must end in"),
    "upper-case suffix": ("x{s}", None),  # replaced below by the upper-case suffix
    "a FIFO": ("pipe{s}", "not a regular file"),
    "a symlink to a directory": ("link-to-folder{s}", "not a regular file"),
    "name too long": ("n" * 300 + "{s}", "cannot"),
    "not UTF-8": ("\udcff{s}", "not valid UTF-8"),
    "/dev/null": ("/dev/null", "must end in"),
}


@pytest.mark.parametrize("case", REFUSED)
@pytest.mark.parametrize("command", COMMANDS)
def test_an_out_that_cannot_be_written_is_refused_in_one_line(command, case, tmp_path, capsys, monkeypatch):
    argv, suffix = COMMANDS[command]
    out, words = REFUSED[case]
    out = out.format(s=suffix)
    if case == "upper-case suffix":
        out, words = "x" + suffix.upper(), "must end in"
    (tmp_path / ("folder" + suffix)).mkdir()
    (tmp_path / "file.txt").write_text("a file")
    os.mkfifo(tmp_path / ("pipe" + suffix))
    (tmp_path / ("link-to-folder" + suffix)).symlink_to(tmp_path / ("folder" + suffix))
    before = snapshot(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, stdout, err = run([*argv, "--out", out], capsys)
    assert code == 2 and stdout == "", (code, stdout, err)
    assert len(err.strip().splitlines()) == 1 and words in err and "Traceback" not in err, err
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", COMMANDS)
def test_traversal_writes_exactly_the_named_file(command, tmp_path, capsys, monkeypatch):
    """``../../x`` is where the user asked for it: written there, and nothing else anywhere."""
    argv, suffix = COMMANDS[command]
    (tmp_path / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a" / "b")
    code, _, err = run([*argv, "--out", f"../../x{suffix}"], capsys)
    assert code == 0 and err == "", err
    assert sorted(snapshot(tmp_path)) == ["a", "a/b", f"x{suffix}"]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_symlink_out_is_replaced_and_its_target_left_alone(command, tmp_path, capsys, monkeypatch):
    """The output is renamed over the link itself: a link planted at --out never redirects the write."""
    argv, suffix = COMMANDS[command]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere / f"precious{suffix}"
    target.write_bytes(b"keep me")
    work = tmp_path / "work"
    work.mkdir()
    (work / f"x{suffix}").symlink_to(target)
    monkeypatch.chdir(work)
    code, _, err = run([*argv, "--out", f"x{suffix}"], capsys)
    assert code == 0, err
    assert target.read_bytes() == b"keep me"
    assert not (work / f"x{suffix}").is_symlink() and (work / f"x{suffix}").stat().st_size > 1000
    assert sorted(os.listdir(work)) == [f"x{suffix}"]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    "name", ["a b.{ext}", "line\nbreak.{ext}", "-dash.{ext}", "고양이.{ext}", "\u202egpj.{ext}", "🐈‍⬛.{ext}"]
)
def test_odd_but_valid_file_names_are_written_and_printed_on_one_line(
    command, name, tmp_path, capsys, monkeypatch
):
    argv, suffix = COMMANDS[command]
    name = name.format(ext=suffix[1:])
    monkeypatch.chdir(tmp_path)
    code, stdout, err = run([*argv, f"--out={name}"], capsys)  # (`--out -dash` would read as a flag)
    assert code == 0 and err == "", err
    assert len(stdout.strip().splitlines()) == 1, stdout
    assert os.listdir(tmp_path) == [name]


def test_an_existing_file_is_replaced_whole(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.npz").write_bytes(b"old" * 100_000)
    assert cli.main(["trace", "cat", "--out", "x.npz"]) == 0
    assert (tmp_path / "x.npz").read_bytes()[:2] == b"PK" and os.listdir(tmp_path) == ["x.npz"]
