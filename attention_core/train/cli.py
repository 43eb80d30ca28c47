"""``python -m attention_core.train``: train the bundled language model, with checkpoints and snapshots.

Every hyperparameter is an argument; the defaults are the ones that made the shipped model, so running
the command with no arguments retrains it (see the model card for the time it takes). A run lives in its
own folder (``--run-dir``, under the git-ignored ``checkpoints/``): a checkpoint saved as it goes
(``--resume`` continues from it exactly), the snapshots, the history and a log. At the end the final
assets go to ``--assets`` (weights, config, snapshots, history; the card is written by hand).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
from pathlib import Path

import numpy as np

from attention_core.models import own_lm
from attention_core.models.config import POSITIONS, ModelConfig
from attention_core.tokenizer import BUNDLED_TOKENIZER, SentencePieceTokenizer
from attention_core.train.baselines import K_GRID, fit_bigram, unigram_log_probs, unigram_loss
from attention_core.train.data import (
    DEFAULT_CACHE,
    DEFAULT_CORPORA,
    REPO_ROOT,
    Mixture,
    load_streams,
    sample_batch,
    step_rng,
    validation_windows,
)
from attention_core.train.evaluate import (
    frequent_pieces,
    head_report,
    held_out_sentences,
    induction_probe,
    sentence_repeat_losses,
    validation_loss,
)
from attention_core.train.model import init_params, loss_and_grads
from attention_core.train.optim import AdamW, clip_by_global_norm, learning_rate
from attention_core.train.phase import phase_change, steps_around
from attention_core.train.progress import Progress
from attention_core.train.store import (
    load_checkpoint,
    save_checkpoint,
    save_snapshot,
    save_weights,
)

DEFAULT_RUN_DIR = REPO_ROOT / "checkpoints" / own_lm.NAME
DEFAULT_ASSETS = own_lm.FOLDER
# Arguments that change the numbers a run produces: a resumed run must use the same values.
RESULT_ARGS = [
    *("seed", "d_model", "n_heads", "d_k", "d_v", "n_layers", "n_ctx", "d_mlp", "positions", "steps"),
    "position_norm",
    *("batch_size", "lr", "min_lr_ratio", "warmup", "weight_decay", "beta1", "beta2", "clip", "snapshots"),
    *("val_windows", "head_windows", "corpus", "tokenizer"),
    *("random_repeat", "text_repeat", "min_block", "max_block", "probe_every", "candidate_every"),
    *("phase_snapshots", "random_pool", "mixture_from", "mixture_until"),
    *("late_random_repeat", "late_text_repeat", "embed_weight_decay"),
]
PROBE_SEQUENCES = 4  # random repeats in the probe run every --probe-every steps
SENTENCES = 64  # held-out sentences per language for the repeated-sentence test


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m attention_core.train", description=__doc__.splitlines()[0])
    model = p.add_argument_group("model")
    model.add_argument("--d-model", type=int, default=128)
    model.add_argument("--n-heads", type=int, default=4)
    model.add_argument(
        "--d-k", type=int, default=None, help="query/key width per head (default d_model / n_heads)"
    )
    model.add_argument("--d-v", type=int, default=None, help="value width per head (default d_k)")
    model.add_argument("--n-layers", type=int, default=2)
    model.add_argument("--n-ctx", type=int, default=128)
    model.add_argument("--d-mlp", type=int, default=512, help="MLP width; 0 = attention-only blocks")
    model.add_argument("--positions", choices=POSITIONS, default="sinusoidal")
    model.add_argument(
        "--position-norm", type=float, default=1.0, help="sinusoidal: length of a position vector"
    )
    opt = p.add_argument_group("optimisation")
    opt.add_argument("--steps", type=int, default=11600)
    opt.add_argument("--batch-size", type=int, default=16, help="windows per step, half of each language")
    opt.add_argument("--lr", type=float, default=4e-3, help="peak learning rate")
    opt.add_argument("--min-lr-ratio", type=float, default=0.1, help="final learning rate / peak")
    opt.add_argument("--warmup", type=int, default=200, help="steps of linear warm-up")
    opt.add_argument("--weight-decay", type=float, default=0.1)
    opt.add_argument(
        "--embed-weight-decay", type=float, default=None,
        help="weight decay of the token embedding (default: --weight-decay)",
    )  # fmt: skip
    opt.add_argument("--beta1", type=float, default=0.9)
    opt.add_argument("--beta2", type=float, default=0.95)
    opt.add_argument("--clip", type=float, default=1.0, help="global gradient-norm limit")
    opt.add_argument("--seed", type=int, default=0)
    mix = p.add_argument_group("data mixture (copying exercises; see attention_core/train/data.py)")
    mix.add_argument(
        "--random-repeat", type=float, default=0.25, help="share of windows: random block repeated"
    )
    mix.add_argument(
        "--text-repeat", type=float, default=0.15, help="share of windows: own span copied later"
    )
    mix.add_argument(
        "--random-pool", type=int, default=2000,
        help="random blocks (training and induction score) use the N most frequent pieces; 0 = all",
    )  # fmt: skip
    mix.add_argument(
        "--mixture-from", type=int, default=1000,
        help="natural text only before this step (the previous-token head forms first), the mixture after",
    )  # fmt: skip
    mix.add_argument(
        "--mixture-until",
        type=int,
        default=4000,
        help="after this step the shares are --late-random-repeat and --late-text-repeat",
    )
    mix.add_argument("--late-random-repeat", type=float, default=0.05, help="see --mixture-until")
    mix.add_argument("--late-text-repeat", type=float, default=0.15, help="see --mixture-until")
    mix.add_argument("--min-block", type=int, default=8, help="shortest repeated block, in pieces")
    mix.add_argument("--max-block", type=int, default=48, help="longest repeated block, in pieces")
    run = p.add_argument_group("run")
    run.add_argument(
        "--run-dir", type=Path, default=DEFAULT_RUN_DIR, help="checkpoint, snapshots, history, log"
    )
    run.add_argument("--resume", action="store_true", help="continue from the run directory's checkpoint")
    run.add_argument(
        "--reselect-phase", action="store_true",
        help="with --resume on a finished run: find the phase change again and replace the phase snapshots",
    )  # fmt: skip
    run.add_argument("--assets", type=Path, default=DEFAULT_ASSETS, help="where the final assets go")
    run.add_argument("--no-assets", action="store_true", help="do not write assets (design runs)")
    run.add_argument(
        "--snapshots", type=str, default="0,500", help="comma-separated steps (empty: 0 and 9 geometric)"
    )
    run.add_argument(
        "--phase-snapshots", type=int, default=5, help="extra snapshots around the induction phase change"
    )
    run.add_argument("--probe-every", type=int, default=25, help="induction probe every N steps")
    run.add_argument(
        "--candidate-every", type=int, default=50, help="keep parameters every N steps (phase snapshots)"
    )
    run.add_argument("--eval-every", type=int, default=1000, help="validation loss every N steps")
    run.add_argument("--checkpoint-every", type=int, default=250)
    run.add_argument("--val-windows", type=int, default=256, help="held-out 128-token windows per language")
    run.add_argument("--head-windows", type=int, default=64, help="of those, per language, for head scores")
    run.add_argument("--stop-after", type=int, default=None, help="stop (with a checkpoint) after this step")
    run.add_argument("--threads", type=int, default=2, help="BLAS threads")
    data = p.add_argument_group("data")
    data.add_argument(
        "--corpus", type=Path, nargs="+", default=list(DEFAULT_CORPORA),
        help="corpus folders with ko.txt(.gz) and en.txt(.gz): the formal corpus and the everyday one",
    )  # fmt: skip
    data.add_argument("--tokenizer", type=Path, default=BUNDLED_TOKENIZER)
    data.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    args = p.parse_args(argv)
    args.snapshots = sorted({int(s) for s in args.snapshots.split(",") if s} or default_snapshots(args.steps))
    return args


def default_snapshots(steps: int, count: int = 10, first: int = 25) -> list[int]:
    """Step 0 and ``count - 1`` steps spaced evenly on a log scale from ``first`` to the last step: early
    training, when the heads change fastest, gets most of them (for 12,000 steps: 0, 25, 54, 118, …)."""
    first = max(1, min(first, steps // 100))
    spaced = np.geomspace(first, steps, count - 1).round().astype(int)  # [count - 1]
    return sorted({0, *spaced.tolist()})


def use_threads(threads: int, argv: list[str]) -> None:
    """BLAS reads its thread count when NumPy loads, so set it and start again if it differs."""
    wanted = str(threads)
    names = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
    if all(os.environ.get(n) == wanted for n in names):
        return
    env = os.environ | dict.fromkeys(names, wanted)
    os.execve(sys.executable, [sys.executable, "-m", "attention_core.train", *argv], env)


def command_line(argv: list[str]) -> str:
    return " ".join(["python -m attention_core.train", *argv])


def percent_below(loss: float, baseline: float) -> float:
    return round(100.0 * (baseline - loss) / baseline, 2)


def entry() -> int:
    """The command line: set the BLAS thread count (restarting Python if needed), then train."""
    argv = sys.argv[1:]
    use_threads(parse_args(argv).threads, argv)
    return main(argv)


def main(argv: list[str] | None = None) -> int:
    """Train as the arguments say; returns the exit status (0 done, 2 bad arguments, 130 interrupted)."""
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    config = ModelConfig(
        d_vocab=SentencePieceTokenizer(args.tokenizer).vocab_size,
        n_ctx=args.n_ctx,
        d_model=args.d_model,
        n_heads=args.n_heads,
        d_k=args.d_k,
        d_v=args.d_v,
        n_layers=args.n_layers,
        d_mlp=args.d_mlp,
        positions=args.positions,
        position_norm=args.position_norm,
    )
    settings = {"beta1": args.beta1, "beta2": args.beta2, "weight_decay": args.weight_decay}
    settings["embed_weight_decay"] = args.embed_weight_decay
    result_args = {name: str(getattr(args, name)) for name in RESULT_ARGS}
    run_dir = args.run_dir
    checkpoint = run_dir / "checkpoint.npz"
    log = Progress(args.steps, run_dir / "log.txt")

    # 1) data: token streams (cached), validation windows, baselines
    streams = load_streams(args.corpus, args.tokenizer, args.cache_dir)
    train = {lang: s.train for lang, s in streams.items()}
    valid = {lang: validation_windows(s.valid, config.n_ctx, args.val_windows) for lang, s in streams.items()}
    head_windows = np.concatenate(
        [validation_windows(s.valid, config.n_ctx, args.head_windows) for s in streams.values()]
    )  # [windows, n_ctx + 1]
    tokenizer = SentencePieceTokenizer(args.tokenizer)
    pool = frequent_pieces(list(train.values()), tokenizer.ordinary_ids(), args.random_pool)  # [pieces]
    mixture = late = None
    if args.random_repeat or args.text_repeat:
        mixture = Mixture(args.random_repeat, args.text_repeat, args.min_block, args.max_block)
        late = Mixture(args.late_random_repeat, args.late_text_repeat, args.min_block, args.max_block)
    sentences = {
        lang: held_out_sentences(s.valid, SENTENCES, 8, (config.n_ctx - 1) // 2)
        for lang, s in streams.items()
    }

    # 2) a new run, or the one in run_dir continued
    if args.resume:
        params, optimizer, start, state = load_checkpoint(checkpoint, settings)
        # (an argument newer than the checkpoint counts as unchanged while it has its default, None)
        changed = sorted(k for k in result_args if state["result_args"].get(k, "None") != result_args[k])
        if changed:
            log.line(f"cannot resume: these arguments differ from the checkpoint's: {', '.join(changed)}")
            return 2
        history = state["history"]
        log.line(f"resuming {run_dir} at step {start}")
    else:
        if checkpoint.exists():
            log.line(f"{checkpoint} exists: pass --resume to continue it, or choose another --run-dir")
            return 2
        params = init_params(config, args.seed)
        optimizer = AdamW.zeros_like(params, **settings)
        start = 0
        history = new_history(args, argv, config, streams, train, valid, log)
    n_params = sum(p.size for p in params.values())
    log.line(
        f"{n_params:,} parameters; {args.batch_size * config.n_ctx:,} tokens per step; {args.steps:,} steps"
    )

    def evaluate(step: int) -> dict:
        val = {lang: round(validation_loss(params, config, w), 4) for lang, w in valid.items()}
        return {"step": step, "tokens": step * args.batch_size * config.n_ctx, "val": val}

    def measure(step: int, weights: dict) -> dict:
        """Validation loss, head report and repeated held-out sentences for the weights of ``step``."""
        val = {lang: round(validation_loss(weights, config, w), 4) for lang, w in valid.items()}
        entry = {"step": step, "tokens": step * args.batch_size * config.n_ctx, "val": val}
        entry["heads"] = head_report(weights, config, head_windows, tokenizer, pool=pool).as_dict()
        entry["sentence_repeat"] = {}
        for lang, lines in sentences.items():
            if not lines:  # no held-out line fits twice in the context
                entry["sentence_repeat"][lang] = None
                continue
            first, repeat = sentence_repeat_losses(weights, config, lines)
            entry["sentence_repeat"][lang] = {"first": round(first, 4), "repeat": round(repeat, 4)}
        return entry

    def take_snapshot(step: int) -> None:
        save_snapshot(own_lm.snapshot_path(run_dir, step), params)
        entry = measure(step, params)
        history["snapshots"].append(entry)
        best = entry["heads"]["best_previous_token_head"]
        log.line(f"snapshot {step}: val {entry['val']}, best previous-token head {best}")

    def probe(step: int) -> None:
        scores, first, repeat = induction_probe(params, config, tokenizer, PROBE_SEQUENCES, args.seed, pool)
        layer, head = np.unravel_index(np.argmax(scores), scores.shape)
        row = [step, round(float(scores[layer, head]), 4), int(layer), int(head), round(first, 4)]
        history.setdefault("probe", []).append([*row, round(repeat, 4)])

    # 3) the training loop; step = the number of updates made so far
    log.start(start, history["elapsed_seconds"], history.get("cpu_seconds", 0.0))
    step = start
    try:
        while step < args.steps:
            if step in args.snapshots and step not in [s["step"] for s in history["snapshots"]]:
                take_snapshot(step)
            if step % args.probe_every == 0 and step not in [r[0] for r in history.get("probe", [])[-1:]]:
                probe(step)
            if args.phase_snapshots and step % args.candidate_every == 0:
                save_snapshot(run_dir / "candidates" / f"step-{step:06d}.npz", params)
            rng = step_rng(args.seed, step)
            until = args.mixture_until if args.mixture_until is not None else args.steps
            mixed = None if step < args.mixture_from else mixture if step < until else late
            ids, targets = sample_batch(train, args.batch_size, config.n_ctx, rng, mixed, pool)
            loss, grads = loss_and_grads(params, config, ids, targets)
            if not math.isfinite(loss):
                raise FloatingPointError(f"the loss is {loss} at step {step}")
            norm = clip_by_global_norm(grads, args.clip)
            lr = learning_rate(step, args.lr, args.warmup, args.steps, args.min_lr_ratio)
            optimizer.update(params, grads, lr)
            step += 1
            history["train"].append([step, round(loss, 4), round(norm, 3), float(f"{lr:.6g}")])
            history["elapsed_seconds"] = log.elapsed()
            history["cpu_seconds"] = log.cpu()
            log.update(step, loss)
            if step % args.eval_every == 0 or step == args.steps:
                history["eval"].append(evaluate(step) | {"elapsed_seconds": round(log.elapsed(), 1)})
                log.line(f"step {step}: val {history['eval'][-1]['val']}")
            if step % args.checkpoint_every == 0 or step == args.stop_after:
                save_checkpoint(
                    checkpoint, params, optimizer, step, {"result_args": result_args, "history": history}
                )
            if step == args.stop_after:
                log.line(f"stopped after step {step} as asked; continue with --resume")
                return 0
    except KeyboardInterrupt:
        save_checkpoint(checkpoint, params, optimizer, step, {"result_args": result_args, "history": history})
        log.line(f"interrupted: checkpoint saved at step {step}; continue with --resume")
        return 130

    # 4) the end: last snapshot, the phase change and its snapshots, final measurements, assets
    if step not in [s["step"] for s in history["snapshots"]]:
        take_snapshot(step)
    final = history["snapshots"][-1]
    if history["probe"][-1][0] != step:
        probe(step)
    if args.reselect_phase:  # drop the phase snapshots chosen before; the scheduled and the last stay
        keep = {*args.snapshots, step}
        for entry in [s for s in history["snapshots"] if s["step"] not in keep]:
            own_lm.snapshot_path(run_dir, entry["step"]).unlink(missing_ok=True)
        history["snapshots"] = [s for s in history["snapshots"] if s["step"] in keep]
    history["phase_change"] = phase_change(history["probe"])
    if history["phase_change"] and args.phase_snapshots:
        add_phase_snapshots(history, run_dir, args.phase_snapshots, measure, config, log)
    bigram = history["baselines"]["bigram"]
    history["final"] = {
        "step": step,
        "val": final["val"],
        "percent_below_bigram": {lang: percent_below(final["val"][lang], bigram[lang]) for lang in valid},
        "percent_below_best_bigram": {
            lang: percent_below(
                final["val"][lang], history["baselines"]["bigram_best_on_valid"][lang]["loss"]
            )
            for lang in valid
        },
        "percent_below_unigram": {
            lang: percent_below(final["val"][lang], history["baselines"]["unigram"][lang]) for lang in valid
        },
        "heads": final["heads"],
        "sentence_repeat": final["sentence_repeat"],
        "training_minutes": round(history["elapsed_seconds"] / 60, 1),
        "cpu_minutes": round(history["cpu_seconds"] / 60, 1),
        "threads": args.threads,
    }
    save_checkpoint(checkpoint, params, optimizer, step, {"result_args": result_args, "history": history})
    (run_dir / "history.json").write_text(json.dumps(history))
    save_weights(run_dir / "weights.npz", params)
    log.line(f"done: {json.dumps(history['final'])}")
    if not args.no_assets:
        write_assets(args.assets, run_dir, config, history)
        log.line(f"assets written to {args.assets}")
    return 0


def add_phase_snapshots(history: dict, run_dir: Path, count: int, measure, config, log) -> None:
    """Snapshots at ``count`` kept parameter sets around the phase change, measured and added in order."""
    phase = history["phase_change"]
    log.line(f"induction phase change: {json.dumps(phase)}")
    kept = {int(p.stem.removeprefix("step-")): p for p in (run_dir / "candidates").glob("step-*.npz")}
    taken = {s["step"] for s in history["snapshots"]}
    for step in steps_around(phase, list(kept), count):
        if step in taken:
            continue
        shutil.copyfile(kept[step], own_lm.snapshot_path(run_dir, step))
        history["snapshots"].append(measure(step, own_lm.read_params(kept[step], config)))
        induction = max(map(max, history["snapshots"][-1]["heads"]["induction"]))
        log.line(f"phase snapshot {step}: best induction score {induction}")
    history["snapshots"].sort(key=lambda s: s["step"])


def new_history(args, argv, config, streams, train, valid, log) -> dict:
    """The run's record, started with its settings, its data sizes and the baselines."""
    log.line(
        "baselines: unigram from the tokenizer's piece scores, add-k bigram counted on the training lines"
    )
    unigram = unigram_log_probs(args.tokenizer, train)
    bigram = fit_bigram(train, {lang: s.tune for lang, s in streams.items()}, config.d_vocab)
    best_on_valid = {}
    for lang, w in valid.items():
        losses = {k: bigram.counts.loss(w, k) for k in K_GRID}
        k_best = min(losses, key=losses.get)
        best_on_valid[lang] = {"k": k_best, "loss": round(losses[k_best], 4)}
    baselines = {
        "unigram": {lang: round(unigram_loss(unigram, w), 4) for lang, w in valid.items()},
        "bigram": {
            "k": bigram.k,
            "k_tuning_losses": {str(k): round(v, 4) for k, v in bigram.tune_losses.items()},
        }
        | {lang: round(bigram.counts.loss(w, bigram.k), 4) for lang, w in valid.items()},
        "bigram_best_on_valid": best_on_valid,
    }
    log.line(f"baselines: {json.dumps(baselines)}")
    return {
        "command": command_line(argv),
        "config": json.loads(config.to_json()),
        "args": {k: str(v) for k, v in vars(args).items()},
        "tokens_per_step": args.batch_size * config.n_ctx,
        "data": {
            lang: {
                "train_lines": s.n_train_lines,
                "train_tokens": len(s.train),
                "valid_lines": s.n_valid_lines,
                "valid_tokens": len(s.valid),
                "valid_windows": len(valid[lang]),
            }
            for lang, s in streams.items()
        },
        "baselines": baselines,
        "train": [],  # [step, loss, grad norm before clipping, learning rate], one per step
        "eval": [],
        "snapshots": [],
        "elapsed_seconds": 0.0,
        "cpu_seconds": 0.0,
    }


def write_assets(assets: Path, run_dir: Path, config: ModelConfig, history: dict) -> None:
    """config.json, weights.npz, snapshots/, history.json into the assets folder (replacing old ones)."""
    assets.mkdir(parents=True, exist_ok=True)
    described = json.loads(config.to_json()) | {
        "name": "ko-en-lm",
        "tokenizer": "assets/tokenizer/ko_en_19k.model",
        "bos_id": 1,
        "architecture": "decoder-only; pre-LayerNorm blocks; GELU (tanh) MLP; tied unembedding; "
        "no attention biases",
        "weights": "weights.npz (float16); snapshots/step-NNNNNN.npz (embed.W_E int8 + per-row scale, "
        "the rest float16)",
    }
    (assets / "config.json").write_text(json.dumps(described, indent=2, ensure_ascii=False) + "\n")
    shutil.copyfile(run_dir / "weights.npz", assets / "weights.npz")
    if (assets / "snapshots").exists():
        shutil.rmtree(assets / "snapshots")
    shutil.copytree(run_dir / "snapshots", assets / "snapshots")
    (assets / "history.json").write_text(json.dumps(history, separators=(",", ":")) + "\n")
