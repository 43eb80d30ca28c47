"""``python -m attention_core ablate``: switch heads off and save what the model outputs before and after.

    ablate "SENTENCE" --model NAME --heads L.H,L.H [--mean] [--position P] --out FILE.npz
    ablate "SENTENCE" --model NAME --rank [--mean] [--position P] --out FILE.npz

The first writes ``embedding_before``, ``embedding_after`` [d_model] (an encoder) or ``probs_before``,
``probs_after`` [d_vocab] at position P (a language model; default the last token), the heads switched off
(``heads`` int [n, 2], layer and head), and the trace of the run with them off (the keys of
``trace --model``). The second writes ``effect`` [layer, head]: each head switched off alone (KL of the
next-token distributions, or 1 − cos of the embeddings). ``--mean``: mean-ablation over
``interventions.REFERENCE_TEXT`` instead of zero-ablation.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from attention_core.cli import UsageError, whole
from attention_core.export import model_arrays
from attention_core.head_ranking import rank_heads, ranked
from attention_core.interventions import ablate, parse_heads, reference_means
from attention_core.limits import model_max_tokens
from attention_core.predict import check_position, is_language_model


def add_ablate_command(commands: argparse._SubParsersAction) -> None:
    ablate_parser = commands.add_parser("ablate", help="switch heads off; save the outputs before and after")
    ablate_parser.add_argument("sentence", help="the sentence")
    ablate_parser.add_argument("--model", required=True, help="a model from `models`")
    ablate_parser.add_argument("--heads", help="the heads to switch off, layer.head: 2.5,4.0")
    ablate_parser.add_argument(
        "--rank", action="store_true", help="switch every head off alone; save its effect"
    )
    ablate_parser.add_argument("--mean", action="store_true", help="mean-ablation (default: zero-ablation)")
    ablate_parser.add_argument(
        "--position", type=whole, help="language models: whose prediction (default last)"
    )
    ablate_parser.add_argument("--out", required=True, type=Path, help="where to write the .npz")


def run_ablate(args: argparse.Namespace) -> tuple[str, dict[str, np.ndarray]]:
    """The message to print and the arrays to write. Bad input raises UsageError, InputError or
    ModelError (each one line)."""
    if args.rank == (args.heads is not None):
        raise UsageError("give either --heads L.H,L.H (those heads together) or --rank (each head alone)")
    # Imported here: loading models needs `tokenizers` and `safetensors`, the teaching layer does not.
    from attention_core.models.registry import load_model

    model = load_model(args.model)
    c = model.config
    if args.position is not None and not is_language_model(model):
        raise UsageError(f"--position is for language models; {model.name} outputs a sentence embedding")
    heads = None if args.rank else parse_heads(args.heads, c.n_layers, c.n_heads)  # before any work
    tokens = model.tokenize(args.sentence, model_max_tokens(c.n_layers, c.n_heads, c.n_ctx))
    position = check_position(args.position, len(tokens)) if is_language_model(model) else None
    means = reference_means(model) if args.mean else None
    clean = model.run(tokens)
    arrays = {"tokens": np.array(tokens.pieces, dtype=str), "ids": tokens.id_array}  # [pos] each
    if position is not None:
        arrays["position"] = np.array(position)
    if args.rank:
        effects = rank_heads(model, tokens, means, position, clean)  # [layer, head]
        layer, head, largest = ranked(effects)[0]
        message = f"wrote {args.out}: effect {effects.shape}; largest {layer}.{head} ({largest:.4g})"
        return message, arrays | {"effect": effects}
    result = ablate(model, tokens, heads, means, position, clean)
    arrays = model_arrays(result.trace) | arrays | {"heads": np.array(heads, dtype=np.int64)}  # heads [n, 2]
    if position is not None:
        arrays |= {"probs_before": result.before.probs, "probs_after": result.after.probs}  # [d_vocab]
        change = f"KL {result.effect:.4g} nats at position {position}"
    else:
        arrays |= {"embedding_before": result.before.embedding, "embedding_after": result.after.embedding}
        change = f"1 − cos {result.effect:.4g}"
    names = ",".join(f"{l}.{h}" for l, h in heads)
    kind = "mean" if means is not None else "zero"
    return f"wrote {args.out}: {model.name}, heads {names} off ({kind}-ablation), {change}", arrays
