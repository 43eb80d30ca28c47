"""Markdown tables of a training run's measurements, for the model card (numbers straight from the history).

``python -m attention_core.train.report [assets/model/ko-en-lm/history.json]``: losses, heads, snapshots,
the induction phase change.

``python -m attention_core.train.report --heads [FOLDER]``: what each head of the final weights attends
to, on held-out windows (needs the corpus).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from attention_core.attention import causal_mask
from attention_core.heads import average_metrics, head_metrics, head_roles
from attention_core.models.own_lm import FOLDER, load_config, read_params
from attention_core.tokenizer import SentencePieceTokenizer
from attention_core.train.data import DEFAULT_CORPORA, load_streams, validation_windows
from attention_core.train.evaluate import EVAL_BATCH, patterns

LANGUAGE_NAMES = {"ko": "Korean", "en": "English"}


def losses_table(history: dict) -> str:
    final, base = history["final"], history["baselines"]
    best = base["bigram_best_on_valid"]
    rows = [
        "| validation cross-entropy (nats / token) | Korean | English |",
        "| --- | --- | --- |",
        "| **ko-en-lm** (this model) | **{ko:.3f}** | **{en:.3f}** |".format(**final["val"]),
        "| unigram: SentencePiece piece log-probabilities | {ko:.3f} | {en:.3f} |".format(**base["unigram"]),
        f"| add-k bigram, k = {base['bigram']['k']} (chosen on the tuning lines) "
        "| {ko:.3f} | {en:.3f} |".format(**base["bigram"]),
        f"| add-k bigram, k best on the validation text itself (k = {best['ko']['k']} / {best['en']['k']})"
        f" | {best['ko']['loss']:.3f} | {best['en']['loss']:.3f} |",
        "| model below the unigram | {ko:.1f}% | {en:.1f}% |".format(**final["percent_below_unigram"]),
        "| model below the bigram (tuned k) | **{ko:.1f}%** | **{en:.1f}%** |".format(
            **final["percent_below_bigram"]
        ),
        "| model below the bigram (best k) | {ko:.1f}% | {en:.1f}% |".format(
            **final["percent_below_best_bigram"]
        ),
    ]
    return "\n".join(rows)


def heads_table(heads: dict) -> str:
    uniform = heads["uniform_to_previous"]
    rows = [
        "| layer | head | to i−1 | × uniform | to itself | to position 0 | normalised entropy | induction |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for layer, previous in enumerate(heads["to_previous"]):
        for head, value in enumerate(previous):
            self_, first = heads["to_self"][layer][head], heads["to_first"][layer][head]
            entropy, induction = heads["normalized_entropy"][layer][head], heads["induction"][layer][head]
            rows.append(
                f"| {layer} | {head} | {value:.3f} | {value / uniform:.1f} | {self_:.3f} | {first:.3f}"
                f" | {entropy:.2f} | {induction:.3f} |"
            )
    return "\n".join(rows)


def snapshots_table(history: dict) -> str:
    rows = [
        "| step | tokens seen | val Korean | val English | best to i−1 (layer, head) | × uniform"
        " | max induction | loss on repeat / first copy |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for s in history["snapshots"]:
        best = s["heads"]["best_previous_token_head"]
        induction = max(max(row) for row in s["heads"]["induction"])
        rows.append(
            f"| {s['step']:,} | {s['tokens'] / 1e6:.2f}M | {s['val']['ko']:.3f} | {s['val']['en']:.3f}"
            f" | {best['to_previous']:.3f} ({best['layer']}, {best['head']}) | {best['times_uniform']:.1f}"
            f" | {induction:.3f} | {s['heads']['loss_repeat']:.2f} / {s['heads']['loss_first_copy']:.2f} |"
        )
    return "\n".join(rows)


def phase_table(history: dict, every: int = 250) -> str:
    """The induction probe through training (every ``every`` steps, and every probe inside the phase
    change), the phase change's steps, and the repeated held-out sentences at each snapshot."""
    phase = history.get("phase_change")
    probe = history.get("probe", [])
    lines = []
    if phase:
        lines.append(
            f"Phase change (attention_core/train/phase.py): the best induction score rose from"
            f" {phase['score_before']:.3f} to {phase['score_after']:.3f}; steepest climb at step"
            f" {phase['middle']:,}, steep (at least ¼ of that slope) from step {phase['start']:,} to"
            f" {phase['end']:,}; induction head: layer"
            f" {phase['head'][0]}, head {phase['head'][1]}; loss on the repeat / first copy after it:"
            f" {phase['loss_ratio_after']:.2f}.\n"
        )
    else:
        lines.append("No phase change: the best induction score did not rise by 0.15.\n")
    lines += [
        "| step | best induction score (layer, head) | loss, first copy | loss, repeat |",
        "| --- | --- | --- | --- |",
    ]
    inside = (phase["start"] - 100, phase["end"] + 100) if phase else (0, -1)
    for step, score, layer, head, first, repeat in probe:
        if step % every == 0 or inside[0] <= step <= inside[1] or step == probe[-1][0]:
            lines.append(
                f"| {int(step):,} | {score:.3f} ({int(layer)}, {int(head)}) | {first:.2f} | {repeat:.2f} |"
            )
    lines += [
        "",
        "| snapshot step | held-out sentence twice, Korean: first / second copy | English: first / second |",
        "| --- | --- | --- |",
    ]
    for snap in history["snapshots"]:
        pair = snap.get("sentence_repeat")
        if pair and pair["ko"] and pair["en"]:
            ko, en = pair["ko"], pair["en"]
            ko_pair, en_pair = (
                f"{ko['first']:.2f} / {ko['repeat']:.2f}",
                f"{en['first']:.2f} / {en['repeat']:.2f}",
            )
            lines.append(f"| {snap['step']:,} | {ko_pair} | {en_pair} |")
    return "\n".join(lines)


def head_analysis(
    model_dir: Path = FOLDER, corpus: Path | tuple[Path, ...] = DEFAULT_CORPORA, n_windows: int = 64
) -> str:
    """Per language, per head: the atlas's role (attention_core.heads.head_roles) and the scores behind it,
    averaged over ``n_windows`` held-out 128-token windows, with the mean attention at offsets 0, 1, 2."""
    config = load_config(model_dir)
    params = read_params(model_dir / "weights.npz", config)
    tokenizer = SentencePieceTokenizer()
    streams = load_streams(corpus)
    n = config.n_ctx
    mask = causal_mask(n)  # [q, k]
    out = []
    for lang, s in streams.items():
        windows = validation_windows(s.valid, n, n_windows)[:, :n]  # [windows, pos]
        metrics, offsets = [], []
        for start in range(0, len(windows), EVAL_BATCH):
            batch = windows[start : start + EVAL_BATCH]  # [batch, pos]
            p = patterns(params, config, batch)  # [batch, layer, head, q, k]
            for window, pattern in zip(batch, p, strict=True):
                metrics.append(head_metrics(pattern, tokenizer.from_ids(window), mask))
            diagonals = [np.diagonal(p, offset=-d, axis1=-2, axis2=-1).mean(axis=(0, -1)) for d in range(3)]
            offsets.append(np.stack(diagonals, axis=-1))  # [layer, head, 3]
        m = average_metrics(metrics)
        offset = np.mean(offsets, axis=0)  # [layer, head, 3]  attention to i, i-1, i-2
        roles = head_roles(m)  # [layer, head]
        b = m.baseline
        out.append(
            f"{LANGUAGE_NAMES[lang]}, {len(windows)} held-out windows"
            f" (uniform: to i−1 {b.to_previous[0, 0]:.3f},"
            f" to line starts {b.to_sep[0, 0]:.3f}, to punctuation {b.to_punctuation[0, 0]:.3f},"
            f" distance {b.distance[0, 0]:.1f})\n"
        )
        out.append(
            "| layer | head | atlas role | to i | to i−1 | to i−2 | mean distance | to line starts (`<s>`)"
            " | to punctuation | normalised entropy |"
        )
        out.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for layer, head in np.ndindex(roles.shape):
            i = (layer, head)
            out.append(
                f"| {layer} | {head} | {roles[i]} | {offset[i][0]:.3f} | {offset[i][1]:.3f}"
                f" | {offset[i][2]:.3f} | {m.distance[i]:.1f} | {m.to_sep[i]:.3f} | {m.to_punctuation[i]:.3f}"
                f" | {m.normalized_entropy[i]:.2f} |"
            )
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--heads"]:
        print(head_analysis(*(Path(a) for a in argv[1:2])))
        return 0
    path = Path(argv[0]) if argv else FOLDER / "history.json"
    history = json.loads(path.read_text())
    print(losses_table(history), end="\n\n")
    print(heads_table(history["final"]["heads"]), end="\n\n")
    print(snapshots_table(history), end="\n\n")
    print(phase_table(history))
    return 0


if __name__ == "__main__":
    sys.exit(main())
