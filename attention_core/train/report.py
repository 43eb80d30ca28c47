"""Markdown tables of a training run's measurements, for the model card (numbers straight from the history).

python -m attention_core.train.report [assets/model/ko-en-lm/history.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from attention_core.train.inference import MODEL_DIR

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


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    path = Path(argv[0]) if argv else MODEL_DIR / "history.json"
    history = json.loads(path.read_text())
    print(losses_table(history), end="\n\n")
    print(heads_table(history["final"]["heads"]), end="\n\n")
    print(snapshots_table(history))
    return 0


if __name__ == "__main__":
    sys.exit(main())
