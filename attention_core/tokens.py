"""A tokenized sentence, and the one place where tokenizer pieces are turned into readable labels."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

BYTE_PIECE_PREFIX = "<0x"  # SentencePiece's byte-fallback pieces look like "<0xF0>"


class InputError(ValueError):
    """Text that cannot be tokenized (for example, nothing but spaces). The message says why."""


@dataclass(frozen=True)
class Tokens:
    """What the heatmap axes show. Tuples, so a Tokens can be hashed and cached.

    ids: the vocabulary ids; pieces: the tokenizer's own strings ("▁고양이", "<0xF0>", "##ing", "Ġthe");
    labels: readable, one per token (same length); special: True for [CLS], [SEP], <s> ...;
    n_total: how many tokens the whole text had before a cap kept only the first ``len(ids)``.
    """

    ids: tuple[int, ...]
    pieces: tuple[str, ...]
    labels: tuple[str, ...]
    special: tuple[bool, ...]
    n_total: int

    def __post_init__(self) -> None:
        if not (len(self.ids) == len(self.pieces) == len(self.labels) == len(self.special)):
            raise ValueError("ids, pieces, labels and special must have one entry per token")

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def truncated(self) -> bool:
        return self.n_total > len(self.ids)

    @property
    def id_array(self) -> np.ndarray:
        return np.asarray(self.ids, dtype=np.int64)  # [pos]


def readable_char(char: str) -> str:
    """Control and other invisible characters as their visible stand-in (U+0007 → ␇, U+200B → <U+200B>)."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures" block: ␀ ␁ … ␟
    if code == 0x7F:
        return "␡"
    if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cn"):
        return f"<U+{code:04X}>"
    return char


def byte_value(piece: str) -> int | None:
    """255 for "<0xFF>", None for any other piece."""
    if piece.startswith(BYTE_PIECE_PREFIX) and piece.endswith(">") and len(piece) == 6:
        return int(piece[3:5], 16)
    return None


def sentencepiece_labels(pieces: list[str]) -> list[str]:
    """Readable labels for SentencePiece pieces: the "▁" word marker stays visible; byte pieces show the
    character they spell and which of its bytes they are ("😀 1/4" … "😀 4/4"), or "<0xF0>" when the
    bytes spell no character; invisible characters get a visible stand-in.
    """
    labels = []
    i = 0
    while i < len(pieces):
        if byte_value(pieces[i]) is None:
            labels.append("".join(readable_char(c) for c in pieces[i]))
            i += 1
            continue
        run_end = i  # a run of consecutive byte pieces: decode it character by character
        while run_end < len(pieces) and byte_value(pieces[run_end]) is not None:
            run_end += 1
        labels.extend(_byte_run_labels([byte_value(p) for p in pieces[i:run_end]]))
        i = run_end
    return labels


def _byte_run_labels(values: list[int]) -> list[str]:
    labels = []
    start = 0
    while start < len(values):
        for width in (1, 2, 3, 4):  # a UTF-8 character is 1 to 4 bytes long
            try:
                char = bytes(values[start : start + width]).decode("utf-8")
            except UnicodeDecodeError:
                continue
            shown = readable_char(char)
            labels.extend([shown] if width == 1 else [f"{shown} {n}/{width}" for n in range(1, width + 1)])
            start += width
            break
        else:
            labels.append(f"<0x{values[start]:02X}>")
            start += 1
    return labels
