"""Where does the bundled model fail to copy a held-out sentence it has just read?

Each of 64 held-out lines per language (8–63 pieces, as in training's ``sentence_repeat``) is written twice
after ``<s>``; for every piece 2..T of each copy we take its loss, then average by how often the piece
occurs in the training streams and by its place in the sentence. A model that copies gets a low loss on
the second copy everywhere; one that copies only some pieces shows where it does not.

    python -m bench.sentence_copy [assets/model/ko-en-lm]

Needs the corpora (the held-out lines and the counts come from them). Numbers are token-weighted, so they
differ a little from the card's per-sentence means.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from attention_core.models.own_lm import FOLDER, load_config, read_params
from attention_core.softmax import log_softmax
from attention_core.train.data import BOS_ID, load_streams
from attention_core.train.evaluate import held_out_sentences
from attention_core.train.model import forward

FREQUENCY_BANDS = ((0, 100), (100, 1_000), (1_000, 10_000), (10_000, None))
PLACE_BANDS = ((1, 3), (3, 6), (6, 12), (12, 64))


def piece_losses(params, config, sentence: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Loss of pieces 2..T on the first and on the second copy of ``<s> s s``. Returns two [T - 1]."""
    ids = np.concatenate([[BOS_ID], sentence, sentence])[None]  # [1, 1 + 2T]
    final = forward(params, config, ids).final[:, :-1]  # [1, 2T, d_model]
    log_probs = log_softmax(final @ params["embed.W_E"].T)  # [1, 2T, d_vocab]
    loss = -np.take_along_axis(log_probs, ids[:, 1:, None], axis=-1)[0, :, 0]  # [2T]
    T = len(sentence)
    return loss[1:T], loss[T + 1 :]


def main(folder: Path = FOLDER) -> None:
    config = load_config(folder)
    params = read_params(folder / "weights.npz", config)
    streams = load_streams()
    counts = np.bincount(np.concatenate([s.train for s in streams.values()]), minlength=config.d_vocab)
    for lang, stream in streams.items():
        rows = []  # (place in the sentence, training count, loss on the first copy, loss on the second)
        for sentence in held_out_sentences(stream.valid, 64, 8, (config.n_ctx - 1) // 2):
            first, second = piece_losses(params, config, sentence)
            for place in range(1, len(sentence)):
                rows.append((place, counts[sentence[place]], first[place - 1], second[place - 1]))
        r = np.array(rows)  # [pieces, 4]
        print(f"{lang}: first copy {r[:, 2].mean():.2f}, second copy {r[:, 3].mean():.2f} nats per piece")
        for low, high in FREQUENCY_BANDS:
            band = (r[:, 1] >= low) & (r[:, 1] < (high or np.inf))
            change = f"{r[band, 2].mean():.2f} → {r[band, 3].mean():.2f}"
            print(f"  seen {low:,}–{f'{high:,}' if high else ''} times ({band.sum()} pieces): {change}")
        for low, high in PLACE_BANDS:
            band = (r[:, 0] >= low) & (r[:, 0] < high)
            change = f"{r[band, 2].mean():.2f} → {r[band, 3].mean():.2f}"
            print(f"  places {low}–{high - 1} ({band.sum()} pieces): {change}")
        quartiles = np.quantile(r[:, 3], [0.25, 0.5, 0.75, 0.9]).round(2)
        print(f"  second copy, quartiles and 90th percentile: {quartiles}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER)
