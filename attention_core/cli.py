"""Command line: ``python -m attention_core trace "SENTENCE" --out FILE.npz``, ``... models``,
``... ablate "SENTENCE" --model NAME --heads L.H,L.H --out FILE.npz`` (in ``cli_ablate.py``) and
``... lesson "SENTENCE" --out lesson.html [--lang ko] [--model NAME]`` (the guided lesson, offline).

Bad input exits with status 2 and one clear line on stderr, never a traceback: arguments that are not
UTF-8 text, an ``--out`` that is not a path to a regular ``.npz`` (``.html``) file, settings beyond
the ceilings of ``attention_core.limits``. The output is written to a temporary file beside ``--out``
and renamed when complete, so an interrupted run leaves no half-written file.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import numpy as np

from attention_core.config import AttentionConfig, ConfigError
from attention_core.export import model_arrays, teaching_arrays
from attention_core.limits import MAX_CLI_TEXT_CHARS, model_max_tokens
from attention_core.models.base import ModelError
from attention_core.models.own_lm import NAME as BUNDLED_MODEL
from attention_core.presets import PRESETS
from attention_core.rollout import attention_rollout
from attention_core.teaching import run_teaching
from attention_core.tokenizer import SentencePieceTokenizer
from attention_core.tokens import InputError

TEACHING_DEFAULTS = AttentionConfig()
# Flags that shape the teaching layer; a pretrained model (--model) has its own sizes and weights.
TEACHING_ONLY_FLAGS = {
    "d_model": "--d-model",
    "heads": "--heads",
    "d_k": "--d-k",
    "d_v": "--d-v",
    "seed": "--seed",
    "causal": "--causal",
    "no_positional": "--no-positional",
    "source": "--source",
    "preset": "--preset",
}


class UsageError(Exception):
    """Bad command-line input: reported as one line, exit status 2."""


class OneLineParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would print the whole usage block
        raise UsageError(message)


def one_line(text: str) -> str:
    """``text`` safe to print as one line: control characters (newlines included) and the stand-ins of
    bytes that are not UTF-8 written as escapes, as Python writes them in a string literal."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


def check_text(flag: str, text: str | None) -> None:
    """Refuse text that is not valid UTF-8 (Python reads such argv bytes as lone surrogates) or too long."""
    if text is None:
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        code = ord(text[error.start])  # a byte b that is not UTF-8 arrives as the surrogate U+DC00 + b
        what = f"byte {code - 0xDC00:#04x}" if 0xDC80 <= code <= 0xDCFF else f"character U+{code:04X}"
        raise UsageError(
            f"{flag} is not valid UTF-8 text ({what} at character {error.start}); give the text in UTF-8"
        ) from None
    if len(text) > MAX_CLI_TEXT_CHARS:
        raise UsageError(f"{flag} has {len(text):,} characters; at most {MAX_CLI_TEXT_CHARS:,} are read")


def check_out(path: Path, suffix: str = ".npz") -> None:
    """``--out`` must name a ``suffix`` file in an existing folder, a regular file if it already exists."""
    text = str(path)
    check_text("--out", text)
    if "\0" in text:
        raise UsageError("--out contains a NUL character")
    if path.suffix != suffix:
        raise UsageError(f"--out must end in {suffix}, not {path.name!r}")
    try:
        mode = path.stat().st_mode if path.exists() else None
    except OSError as error:
        raise UsageError(f"cannot use --out {text!r}: {error.strerror}") from None
    if mode is not None and not stat.S_ISREG(mode):
        raise UsageError(f"--out {text!r} exists and is not a regular file")
    if not path.parent.is_dir():
        raise UsageError(f"cannot write --out {text!r}: the folder {str(path.parent)!r} does not exist")


def whole(text: str) -> int:
    """A whole number written in ASCII digits, as the URL reads them (``int`` would also take "٣" or
    "1_000")."""
    if re.fullmatch(r"[+-]?[0-9]{19,}", text.strip()):
        raise argparse.ArgumentTypeError(
            f"{one_line(text[:24])!r}… has {len(text.strip())} digits, far too many"
        )
    if not re.fullmatch(r"[+-]?[0-9]{1,18}", text.strip()):
        raise argparse.ArgumentTypeError(f"{one_line(text[:24])!r} is not a whole number in digits 0-9")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    installed = Path(sys.argv[0]).name == "attention-core"  # the package's console command
    prog = "attention-core" if installed else "python -m attention_core"
    parser = OneLineParser(prog=prog, description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)

    trace = commands.add_parser("trace", help="compute attention on a sentence and save the trace (.npz)")
    trace.add_argument("sentence", nargs="?", help="the sentence (queries); optional with --preset")
    trace.add_argument("--out", required=True, type=Path, help="where to write the .npz trace")
    trace.add_argument("--model", help="a model from `models`; omitted: the teaching layer")
    trace.add_argument("--d-model", type=whole, help=f"default {TEACHING_DEFAULTS.d_model}")
    trace.add_argument("--heads", type=whole, help=f"default {TEACHING_DEFAULTS.n_heads}")
    trace.add_argument("--d-k", type=whole, help="default d_model // heads")
    trace.add_argument("--d-v", type=whole, help="default d_k")
    trace.add_argument("--seed", type=whole, help="default 0")
    trace.add_argument("--causal", action="store_true", help="each token attends only to itself and before")
    trace.add_argument("--no-positional", action="store_true", help="leave out the positional encoding")
    trace.add_argument("--source", help="cross-attention: keys and values come from this sentence")
    trace.add_argument("--preset", choices=sorted(PRESETS), help="a named example that sets the sizes")
    trace.add_argument(
        "--rollout", action="store_true", help="with --model: add attention rollout [pos, pos]"
    )

    commands.add_parser("models", help="list the models that can be loaded, one name per line")
    lesson = commands.add_parser("lesson", help="the guided lesson as one HTML file that works offline")
    lesson.add_argument("sentence", help="the sentence every step of the lesson runs on")
    lesson.add_argument("--out", required=True, type=Path, help="where to write the .html file")
    lesson.add_argument("--lang", choices=["en", "ko"], default="en", help="the lesson's language")
    lesson.add_argument("--model", default=BUNDLED_MODEL, help="the trained model of the last step")
    from attention_core.cli_ablate import add_ablate_command  # (it imports UsageError from here)

    add_ablate_command(commands)
    return parser


def teaching_config(args: argparse.Namespace) -> AttentionConfig:
    sizes = {"d_model": args.d_model, "n_heads": args.heads, "d_k": args.d_k, "d_v": args.d_v}
    if args.preset:
        given = [name for name, value in sizes.items() if value is not None]
        if given:
            raise UsageError(f"--preset {args.preset} sets the sizes itself; leave out {', '.join(given)}")
        base = PRESETS[args.preset].config
        sizes = {"d_model": base.d_model, "n_heads": base.n_heads, "d_k": base.d_k, "d_v": base.d_v}
    sizes = {name: value for name, value in sizes.items() if value is not None}
    return AttentionConfig(
        **sizes,
        seed=0 if args.seed is None else args.seed,
        causal=args.causal,
        positional=not args.no_positional,
    )


def run_trace(args: argparse.Namespace) -> str:
    if args.model is not None:
        return run_model_trace(args)
    if args.rollout:
        raise UsageError(
            "--rollout is for a --model: the teaching layer is one layer, there is nothing to roll out"
        )
    sentence = args.sentence
    if sentence is None:
        if not args.preset:
            raise UsageError('give a sentence, e.g. trace "The cat sat." --out cat.npz')
        sentence = PRESETS[args.preset].sentence
    check_text("--source", args.source)
    run = run_teaching(SentencePieceTokenizer(), sentence, teaching_config(args), source=args.source)
    write_npz(args.out, teaching_arrays(run))
    note = f" (first {len(run.tokens)} of {run.tokens.n_total} tokens)" if run.tokens.truncated else ""
    return f"wrote {args.out}: {len(run.tokens)} tokens{note}, out {run.trace.out.shape}"


def run_model_trace(args: argparse.Namespace) -> str:
    given = [flag for name, flag in TEACHING_ONLY_FLAGS.items() if is_set(getattr(args, name))]
    if given:
        raise UsageError(f"{given[0]} is for the teaching layer; a --model has its own sizes and weights")
    if args.sentence is None:
        raise UsageError(f'give a sentence, e.g. trace "The cat sat." --model {args.model} --out cat.npz')
    # Imported here: loading models needs `tokenizers` and `safetensors`, the teaching layer does not.
    from attention_core.models.registry import load_model

    model = load_model(args.model)
    c = model.config
    tokens = model.tokenize(args.sentence, model_max_tokens(c.n_layers, c.n_heads, c.n_ctx))
    trace = model.run(tokens)
    arrays = model_arrays(trace)
    if args.rollout:
        arrays["rollout"] = attention_rollout(trace.pattern)  # [pos, pos]
    write_npz(args.out, arrays)
    note = f" (first {len(tokens)} of {tokens.n_total} tokens)" if tokens.truncated else ""
    return f"wrote {args.out}: {model.name}, {len(tokens)} tokens{note}, pattern {trace.pattern.shape}"


def is_set(value: object) -> bool:
    """argparse leaves a flag that was not given None (False for a switch); `is`, as 0 == False."""
    return value is not None and value is not False


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    write_atomically(path, lambda file: np.savez_compressed(file, **arrays))


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """``write`` into a temporary file in the same folder, then rename it: readers never see half a
    file, and an interrupted run leaves ``path`` as it was."""
    try:
        handle, temporary = tempfile.mkstemp(suffix=path.suffix + ".part", dir=path.parent)
    except OSError as error:
        raise UsageError(f"cannot write in {str(path.parent)!r}: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as file:
            write(file)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as error:
        raise UsageError(f"cannot write {str(path)!r}: {error.strerror or error}") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def run_ablate_and_write(args: argparse.Namespace) -> str:
    from attention_core.cli_ablate import run_ablate

    message, arrays = run_ablate(args)
    write_npz(args.out, arrays)
    return message


def run_lesson(args: argparse.Namespace) -> str:
    """The guided lesson on the sentence, in ``--lang``, with ``--model``'s heads in its last step."""
    from attention_core.lesson import build_lesson
    from attention_core.models.registry import load_model
    from attention_core.viz.lesson_html import lesson_html  # Plotly: only this command needs it

    lesson = build_lesson(SentencePieceTokenizer(), load_model(args.model), args.sentence)
    html = lesson_html(lesson, args.lang).encode()
    write_atomically(args.out, lambda file: file.write(html))
    return f"wrote {args.out}: the lesson in {args.lang}, {len(lesson.steps)} steps, {len(html) / 1e6:.1f} MB"


def list_models() -> str:
    from attention_core.models.registry import available_models  # needs `tokenizers`: imported here

    return "\n".join(available_models())


def main(argv: list[str] | None = None) -> int:
    if threading.current_thread() is threading.main_thread():  # (signal handlers can only be set there)
        # `kill` (SIGTERM) unwinds like Ctrl-C, so the temporary output file is removed on the way out.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        args = build_parser().parse_args(argv)
        if args.command in ("trace", "ablate"):
            check_text("the sentence", args.sentence)
            check_text("--model", args.model)
            check_out(args.out)
        if args.command == "ablate":
            check_text("--heads", args.heads)
        if args.command == "lesson":
            check_text("the sentence", args.sentence)
            check_text("--model", args.model)
            check_out(args.out, ".html")
        if args.command == "trace":
            message = run_trace(args)
        elif args.command == "ablate":
            message = run_ablate_and_write(args)
        elif args.command == "lesson":
            message = run_lesson(args)
        else:
            message = list_models()
    except (UsageError, ConfigError, InputError, ModelError) as error:
        print(f"error: {one_line(str(error))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted; nothing was written", file=sys.stderr)
        return 130
    lines = message.split("\n") if args.command == "models" else [message]  # `models`: a name a line
    for line in filter(None, lines):
        print(one_line(line))
    return 0
