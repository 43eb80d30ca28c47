"""The training data: the bilingual corpus as token streams, a balanced batch sampler, validation windows.

* **Streams.** Each language's lines, in file order, become one long stream of token ids, every line
  preceded by ``<s>`` (id 1), which so marks where a line starts: ``<s> line₁ <s> line₂ …``. File order
  is kept on purpose: neighbouring lines share a topic (a help page, a speech, a chapter), so a 128-token
  window holds related sentences, and copying from earlier in the window pays (what induction heads do).
* **Held-out lines.** Exactly the tokenizer's rule (:func:`attention_core.tokenizer_train.is_held_out`,
  ``crc32(line) % 20 == 0``, about 5% of each language): those lines form the validation stream and are
  never trained on, so neither the tokenizer nor the model has seen the validation text.
* **Tuning lines.** ``crc32(line) % 20 == 1`` marks another ~5% *of the training lines*. The model trains
  on them; only the bigram baseline sets them aside to choose its smoothing constant k.
* **Balanced batches.** Half the windows of every batch come from the Korean stream and half from the
  English one, so both languages get the same number of training tokens per step (about what the corpus
  README's "English at 1.5× the Korean characters" gives, since English needs fewer pieces per character).
  All English training lines are in the pool, not only a 1.5× sample: more variety, same balance.
* **Copying windows (the mixture).** Induction heads, which copy what followed an earlier occurrence of
  the current token, pay only where text repeats, and a 128-token window of our corpus rarely does. So a
  share of the windows is changed to repeat (:class:`Mixture`): ``random_repeat`` of them become ``<s>`` +
  a block of 8–48 random ordinary pieces repeated until the window is full (nothing to learn but copying),
  and ``text_repeat`` of them copy a span of their own text to a later place in the window (copying as it
  happens in natural text). The rest stay as they are.
* **Cache.** Tokenizing takes a while, so the streams are saved once (``checkpoints/cache/``, git-ignored:
  no text derived from the corpus is ever committed) under a name made from the corpus files' and the
  tokenizer's hashes.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sentencepiece as spm

from attention_core.tokenizer_train import (
    DEFAULT_CORPORA,
    HELD_OUT_MODULUS,
    corpus_files,
    is_held_out,
    read_language,
)

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_CACHE = REPO_ROOT / "checkpoints" / "cache"
LANGUAGES = ("ko", "en")
BOS_ID = 1  # "<s>" in the bundled tokenizer: starts every line
TUNE_REMAINDER = 1  # crc32(line) % 20 == 1: training lines the bigram baseline uses to choose k


@dataclass(frozen=True)
class LanguageStreams:
    """One language's token streams (uint16 ids; every line starts with ``<s>``)."""

    train: np.ndarray  # [train_tokens]
    valid: np.ndarray  # [valid_tokens]  the held-out lines, never trained on
    tune: np.ndarray  # bool [train_tokens]  True on the tokens of "tuning" lines (bigram k only)
    n_train_lines: int
    n_valid_lines: int


def is_tune_line(line: str) -> bool:
    """True for the ~5% of training lines the bigram baseline holds back to choose its k."""
    return zlib.crc32(line.encode("utf-8")) % HELD_OUT_MODULUS == TUNE_REMAINDER


def _stream(pieces: list[list[int]]) -> np.ndarray:
    """``<s>`` + ids for every line, joined. Returns uint16 [tokens]."""
    lengths = np.array([len(p) + 1 for p in pieces])  # [lines]
    stream = np.full(int(lengths.sum()), BOS_ID, dtype=np.uint16)  # [tokens]
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])  # [lines]
    for start, ids in zip(starts, pieces, strict=True):
        stream[start + 1 : start + 1 + len(ids)] = ids
    return stream


def tokenize_language(lines: list[str], processor: spm.SentencePieceProcessor) -> LanguageStreams:
    """Split the lines by the held-out rule and tokenize both parts into streams."""
    train_lines = [line for line in lines if not is_held_out(line)]
    valid_lines = [line for line in lines if is_held_out(line)]
    train_pieces = processor.encode(train_lines, num_threads=2)
    valid_pieces = processor.encode(valid_lines, num_threads=2)
    tune_per_line = [is_tune_line(line) for line in train_lines]
    tune = np.repeat(tune_per_line, [len(p) + 1 for p in train_pieces])  # bool [train_tokens]
    return LanguageStreams(
        train=_stream(train_pieces),
        valid=_stream(valid_pieces),
        tune=tune,
        n_train_lines=len(train_lines),
        n_valid_lines=len(valid_lines),
    )


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def load_streams(
    corpora: Path | list[Path] = DEFAULT_CORPORA,
    tokenizer: Path | None = None,
    cache_dir: Path = DEFAULT_CACHE,
) -> dict[str, LanguageStreams]:
    """Both languages' streams (the lines of every corpus folder, folder after folder), from the cache
    when the same corpus files and tokenizer made it before."""
    from attention_core.tokenizer import BUNDLED_TOKENIZER

    corpora = [corpora] if isinstance(corpora, (str, Path)) else list(corpora)
    tokenizer = Path(tokenizer or BUNDLED_TOKENIZER)
    files = [f for lang in LANGUAGES for f in corpus_files(corpora, lang)]
    key = "-".join([_file_digest(tokenizer), *(_file_digest(f) for f in files)])
    cache = Path(cache_dir) / f"streams-{key}.npz"
    if cache.exists():
        with np.load(cache) as saved:
            return {
                lang: LanguageStreams(
                    train=saved[f"{lang}.train"],
                    valid=saved[f"{lang}.valid"],
                    tune=saved[f"{lang}.tune"],
                    n_train_lines=int(saved[f"{lang}.n_train_lines"]),
                    n_valid_lines=int(saved[f"{lang}.n_valid_lines"]),
                )
                for lang in LANGUAGES
            }
    processor = spm.SentencePieceProcessor(model_file=str(tokenizer))
    streams = {lang: tokenize_language(read_language(corpora, lang), processor) for lang in LANGUAGES}
    cache.parent.mkdir(parents=True, exist_ok=True)
    arrays = {}
    for lang, s in streams.items():
        arrays |= {f"{lang}.train": s.train, f"{lang}.valid": s.valid, f"{lang}.tune": s.tune}
        arrays |= {f"{lang}.n_train_lines": s.n_train_lines, f"{lang}.n_valid_lines": s.n_valid_lines}
    partial = cache.with_suffix(".partial.npz")
    np.savez(partial, **arrays)
    partial.replace(cache)  # appears whole or not at all
    return streams


@dataclass(frozen=True)
class Mixture:
    """What share of a batch's windows are turned into copying exercises (see the module docstring)."""

    random_repeat: float = 0.0  # <s> + a block of random ordinary pieces, repeated to fill the window
    text_repeat: float = 0.0  # a span of the window's own text copied to a later place in it
    min_block: int = 8  # length of the repeated block or span, in pieces: drawn from [min, max]
    max_block: int = 48

    def __post_init__(self) -> None:
        shares = (self.random_repeat, self.text_repeat)
        if not all(0.0 <= s <= 1.0 for s in shares) or sum(shares) > 1.0:
            raise ValueError(f"the mixture's shares must lie in [0, 1] and add up to at most 1, got {shares}")
        if not 1 <= self.min_block <= self.max_block:
            raise ValueError(f"need 1 ≤ min_block ≤ max_block, got {self.min_block}, {self.max_block}")


def random_repeat(rng: np.random.Generator, ordinary: np.ndarray, length: int, block: int) -> np.ndarray:
    """``<s>`` + ``block`` random ids from ``ordinary``, repeated, cut to ``length``. Returns [length]."""
    ids = rng.choice(ordinary, size=block)  # [block]
    repeats = -(-length // block)
    return np.concatenate([[BOS_ID], np.tile(ids, repeats)])[:length]  # [length]


def text_repeat(window: np.ndarray, rng: np.random.Generator, block: int) -> np.ndarray:
    """The window with its span ``[a, a + block)`` inserted again at a later place ``b ≥ a + block``,
    cut back to its length: ``w[:b] + w[a:a+block] + w[b:]``. Returns [len(window)]."""
    n = len(window)
    block = min(block, n // 3)
    a = int(rng.integers(0, n - 2 * block))  # the span's first position
    b = int(rng.integers(a + block, n - block + 1))  # where the copy goes
    return np.concatenate([window[:b], window[a : a + block], window[b:]])[:n]  # [n]


def sample_batch(
    train: dict[str, np.ndarray],
    batch_size: int,
    n_ctx: int,
    rng: np.random.Generator,
    mixture: Mixture | None = None,
    ordinary: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``batch_size`` random windows, the first half from the first language's stream and the second half
    from the second's; with a ``mixture``, some of them turned into copying exercises (random blocks drawn
    from the ``ordinary`` ids). Returns (ids, targets), both int64 [batch, n_ctx]; targets are ids shifted
    by one."""
    per_language = batch_size // len(train)
    if per_language * len(train) != batch_size:
        raise ValueError(
            f"batch_size {batch_size} must be a multiple of {len(train)} (one share per language)"
        )
    windows = []
    for stream in train.values():
        starts = rng.integers(0, len(stream) - n_ctx - 1, size=per_language)  # [per_language]
        windows.append(stream[starts[:, None] + np.arange(n_ctx + 1)])  # [per_language, n_ctx + 1]
    both = np.concatenate(windows).astype(np.int64)  # [batch, n_ctx + 1]
    if mixture is not None:
        kinds = rng.random(batch_size)  # [batch]
        blocks = rng.integers(mixture.min_block, mixture.max_block + 1, size=batch_size)  # [batch]
        for i in range(batch_size):
            if kinds[i] < mixture.random_repeat:
                both[i] = random_repeat(rng, ordinary, n_ctx + 1, int(blocks[i]))
            elif kinds[i] < mixture.random_repeat + mixture.text_repeat:
                both[i] = text_repeat(both[i], rng, int(blocks[i]))
    return both[:, :-1], both[:, 1:]


def step_rng(seed: int, step: int) -> np.random.Generator:
    """The batch of step ``step`` depends only on (seed, step): a resumed run draws the same batches."""
    return np.random.default_rng([seed, 1, step])


def validation_windows(stream: np.ndarray, n_ctx: int, max_windows: int) -> np.ndarray:
    """Non-overlapping windows of ``n_ctx + 1`` tokens of a held-out stream (input + next-token targets),
    at most ``max_windows`` of them, evenly spaced over the stream so that every part of the corpus (every
    source, in file order) is represented. Returns int64 [windows, n_ctx + 1]."""
    n_full = (len(stream) - 1) // n_ctx
    chosen = np.unique(
        np.linspace(0, n_full - 1, min(n_full, max_windows)).round().astype(np.int64)
    )  # [windows]
    return stream[chosen[:, None] * n_ctx + np.arange(n_ctx + 1)].astype(np.int64)  # [windows, n_ctx + 1]
