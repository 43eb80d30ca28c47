"""Command line: ``python -m attention_core trace "SENTENCE" --out FILE.npz`` and ``... models``.

Bad input exits with status 2 and one clear line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from attention_core.config import AttentionConfig, ConfigError
from attention_core.export import model_arrays, teaching_arrays
from attention_core.models.base import ModelError
from attention_core.presets import PRESETS
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


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="python -m attention_core", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)

    trace = commands.add_parser("trace", help="compute attention on a sentence and save the trace (.npz)")
    trace.add_argument("sentence", nargs="?", help="the sentence (queries); optional with --preset")
    trace.add_argument("--out", required=True, type=Path, help="where to write the .npz trace")
    trace.add_argument("--model", help="a model from `models`; omitted: the teaching layer")
    trace.add_argument("--d-model", type=int, help=f"default {TEACHING_DEFAULTS.d_model}")
    trace.add_argument("--heads", type=int, help=f"default {TEACHING_DEFAULTS.n_heads}")
    trace.add_argument("--d-k", type=int, help="default d_model // heads")
    trace.add_argument("--d-v", type=int, help="default d_k")
    trace.add_argument("--seed", type=int, help="default 0")
    trace.add_argument("--causal", action="store_true", help="each token attends only to itself and before")
    trace.add_argument("--no-positional", action="store_true", help="leave out the positional encoding")
    trace.add_argument("--source", help="cross-attention: keys and values come from this sentence")
    trace.add_argument("--preset", choices=sorted(PRESETS), help="a named example that sets the sizes")

    commands.add_parser("models", help="list the models that can be loaded, one name per line")
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
    sentence = args.sentence
    if sentence is None:
        if not args.preset:
            raise UsageError('give a sentence, e.g. trace "The cat sat." --out cat.npz')
        sentence = PRESETS[args.preset].sentence
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
    if args.out.suffix != ".npz":
        raise UsageError(f"--out must end in .npz, not {args.out.name!r}")
    # Imported here: loading models needs `tokenizers` and `safetensors`, the teaching layer does not.
    from attention_core.models.registry import load_model

    model = load_model(args.model)
    tokens = model.tokenize(args.sentence)
    trace = model.run(tokens)
    write_npz(args.out, model_arrays(trace))
    note = f" (first {len(tokens)} of {tokens.n_total} tokens)" if tokens.truncated else ""
    return f"wrote {args.out}: {model.name}, {len(tokens)} tokens{note}, pattern {trace.pattern.shape}"


def is_set(value: object) -> bool:
    """argparse leaves a flag that was not given None (False for a switch); `is`, as 0 == False."""
    return value is not None and value is not False


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    if path.suffix != ".npz":
        raise UsageError(f"--out must end in .npz, not {path.name!r}")
    try:
        np.savez_compressed(path, **arrays)
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None


def list_models() -> str:
    from attention_core.models.registry import available_models  # needs `tokenizers`: imported here

    return "\n".join(available_models())


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        message = run_trace(args) if args.command == "trace" else list_models()
    except (UsageError, ConfigError, InputError, ModelError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if message:
        print(message)
    return 0
