"""The command line under hostile input (issue 14), in the process through ``cli.main(argv)``: text that
is not UTF-8, odd but valid text, every numeric flag at absurd values, unknown models and paths.

Expected of every case: exit 0 with one line on stdout and only the named file written, or exit 2 with
one clear line on stderr and nothing written; never a traceback. (tests/test_security_cli.py runs a few
of these through a real process with raw argv bytes; this file covers many cases cheaply.)
"""

from __future__ import annotations

import pytest

from attention_core import cli
from tests.hostile_cases import MARKUP, NOT_A_NUMBER, NOT_UTF8, NUMBERS, ODD_TEXT

MODEL = "ko-en-lm"  # the bundled language model: small and fast


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_clean(code: int, out: str, err: str, folder, written: str) -> None:
    """Exit 0, one line out, only ``written`` in ``folder`` — or exit 2, one line of error, nothing."""
    assert "Traceback" not in out + err
    if code == 0:
        assert err == "" and len(out.strip().splitlines()) == 1, (out, err)
        assert sorted(p.name for p in folder.iterdir()) == [written]
    else:
        assert code == 2, (code, out, err)
        assert out == "" and len(err.strip().splitlines()) == 1 and err.startswith("error: "), err
        assert list(folder.iterdir()) == []


# Where a text goes: the argv around it, and the file it writes when accepted.
PLACES = {
    "trace sentence": (lambda t: ["trace", t, "--out", "x.npz"], "x.npz"),
    "trace --source": (lambda t: ["trace", "The cat sat.", "--source", t, "--out", "x.npz"], "x.npz"),
    "model trace sentence": (lambda t: ["trace", t, "--model", MODEL, "--out", "x.npz"], "x.npz"),
    "ablate sentence": (
        lambda t: ["ablate", t, "--model", MODEL, "--heads", "0.0", "--out", "x.npz"],
        "x.npz",
    ),
    "ablate --heads": (
        lambda t: ["ablate", "The cat", "--model", MODEL, "--heads", t, "--out", "x.npz"],
        "x.npz",
    ),
    "lesson sentence": (lambda t: ["lesson", t, "--out", "x.html"], "x.html"),
    "--model": (lambda t: ["trace", "The cat", "--model", t, "--out", "x.npz"], "x.npz"),
}


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("text", NOT_UTF8.values(), ids=NOT_UTF8.keys())
def test_text_that_is_not_utf8_is_refused_in_one_line(text, place, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv, written = PLACES[place]
    code, out, err = run(argv(text), capsys)
    assert code == 2 and "not valid UTF-8" in err, err
    assert_clean(code, out, err, tmp_path, written)


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("text", ODD_TEXT.values(), ids=ODD_TEXT.keys())
def test_odd_text_is_used_or_refused_in_one_line(text, place, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv, written = PLACES[place]
    code, out, err = run(argv(text), capsys)
    assert_clean(code, out, err, tmp_path, written)


@pytest.mark.parametrize(
    "place", ["trace sentence", "model trace sentence", "ablate sentence", "lesson sentence"]
)
def test_a_megabyte_of_text_is_read_up_to_the_cap(place, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv, written = PLACES[place]
    code, out, err = run(argv("고양이 cat " * 100_000), capsys)  # 1,000,000 characters
    assert code == 0, err
    assert_clean(code, out, err, tmp_path, written)


@pytest.mark.parametrize("place", PLACES)
def test_more_than_a_megabyte_of_text_is_refused(place, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv, written = PLACES[place]
    code, out, err = run(argv("x" * 1_000_001), capsys)
    assert code == 2 and "at most 1,000,000" in err, err
    assert_clean(code, out, err, tmp_path, written)


NUMERIC_FLAGS = {
    "--d-model": ["trace", "The cat sat.", "--out", "x.npz", "--d-model"],
    "--heads": ["trace", "The cat sat.", "--out", "x.npz", "--heads"],
    "--d-k": ["trace", "The cat sat.", "--out", "x.npz", "--d-k"],
    "--d-v": ["trace", "The cat sat.", "--out", "x.npz", "--d-v"],
    "--seed": ["trace", "The cat sat.", "--out", "x.npz", "--seed"],
    "--position": [
        "ablate",
        "The cat sat.",
        "--model",
        MODEL,
        "--heads",
        "0.0",
        "--out",
        "x.npz",
        "--position",
    ],
}


@pytest.mark.parametrize("flag", NUMERIC_FLAGS)
@pytest.mark.parametrize("name", NUMBERS)
def test_every_numeric_flag_at_absurd_values(flag, name, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(NUMERIC_FLAGS[flag] + [NUMBERS[name]], capsys)
    assert_clean(code, out, err, tmp_path, "x.npz")
    if name in NOT_A_NUMBER or name in ("Arabic-Indic digit", "superscript", "underscores"):
        assert code == 2, out  # a whole number in ASCII digits, as the URL reads them, or nothing
    if name in ("negative", "very negative", "huge", "2**63", "5,000 digits") and flag != "--seed":
        assert code == 2, out


@pytest.mark.parametrize(
    "name",
    [
        "",
        ".",
        "..",
        "/",
        "../ko-en-lm",
        "/etc/passwd",
        "assets/own_lm",
        "ko-en-lm/../ko-en-lm",
        "KO-EN-LM",
        " ko-en-lm",
        "ko-en-lm\n",
        "*",
        "~root",
        "C:\\models\\x",
        "https://example.org/model",
    ],
)
@pytest.mark.parametrize("command", ["trace", "ablate", "lesson"])
def test_unknown_models_and_paths_are_refused_by_name(name, command, tmp_path, capsys, monkeypatch):
    """A model is a name from `models`, never a path the CLI would open."""
    monkeypatch.chdir(tmp_path)
    argv = {
        "trace": ["trace", "The cat", "--model", name, "--out", "x.npz"],
        "ablate": ["ablate", "The cat", "--model", name, "--heads", "0.0", "--out", "x.npz"],
        "lesson": ["lesson", "The cat", "--model", name, "--out", "x.html"],
    }[command]
    code, out, err = run(argv, capsys)
    assert code == 2 and "model" in err, err
    assert_clean(code, out, err, tmp_path, "")


@pytest.mark.parametrize("command", ["trace", "ablate", "lesson"])
@pytest.mark.parametrize(
    "value",
    [
        "nan",
        "-1",
        "0.5",
        "99.99",
        "0.0,0.0",
        "0.",
        ".0",
        "0.0,,0.1",
        "1.1.1",
        "١.٠",
        "0.0 ; rm -rf /",
        "9" * 5000,
    ],
)
def test_head_lists_and_languages_that_do_not_exist(command, value, tmp_path, capsys, monkeypatch):
    """``--heads`` of ablate and ``--lang`` of lesson: only what the model has, only en and ko."""
    monkeypatch.chdir(tmp_path)
    argv = {
        "trace": ["trace", "The cat", "--preset", value, "--out", "x.npz"],
        "ablate": ["ablate", "The cat", "--model", MODEL, "--heads", value, "--out", "x.npz"],
        "lesson": ["lesson", "The cat", "--lang", value, "--out", "x.html"],
    }[command]
    code, out, err = run(argv, capsys)
    assert_clean(code, out, err, tmp_path, "x.npz")
    if value not in ("0.0,0.0",):
        assert code == 2, out


@pytest.mark.parametrize("payload", MARKUP.values(), ids=MARKUP.keys())
def test_markup_in_the_sentence_is_escaped_in_the_lesson_file(payload, tmp_path, capsys, monkeypatch):
    """The lesson is an HTML file a teacher opens in a browser: the sentence is text in it, never markup."""
    monkeypatch.chdir(tmp_path)
    code, _, err = run(["lesson", payload, "--out", "x.html"], capsys)
    assert code == 0, err
    page = (tmp_path / "x.html").read_text()
    if "<" in payload:
        assert payload not in page  # HTML from the sentence arrives escaped (&lt;…)
    for made in ('href="javascript', 'href="http://127', 'src="http://127', "document.title='owned'"):
        assert made not in page  # no link, image or frame made from the sentence (Markdown is not read)
