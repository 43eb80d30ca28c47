"""A tokenized sentence, and the one place where tokenizer pieces are turned into readable labels."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
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


def utf8_characters(values: list[int]) -> Iterator[tuple[int, int, str | None]]:
    """Walk bytes as UTF-8: (start, width, character) for each character they spell, or
    (start, 1, None) for a byte that starts no valid character."""
    start = 0
    while start < len(values):
        for width in (1, 2, 3, 4):  # a UTF-8 character is 1 to 4 bytes long
            try:
                char = bytes(values[start : start + width]).decode("utf-8")
            except UnicodeDecodeError:
                continue
            yield start, width, char
            start += width
            break
        else:
            yield start, 1, None
            start += 1


def _byte_run_labels(values: list[int]) -> list[str]:
    labels = []
    for start, width, char in utf8_characters(values):
        if char is None:
            labels.append(f"<0x{values[start]:02X}>")
        elif width == 1:
            labels.append(readable_char(char))
        else:
            labels.extend(f"{readable_char(char)} {n}/{width}" for n in range(1, width + 1))
    return labels


WORD_MARKER = "▁"  # how a label shows a space: the leading space of a word, as SentencePiece writes it


def plain_labels(pieces: list[str]) -> list[str]:
    """Readable labels for pieces that are plain text (WordPiece: "the", "##ing" stay as they are);
    invisible characters get a visible stand-in.
    """
    return ["".join(readable_char(c) for c in piece) for piece in pieces]


def _byte_level_alphabet() -> dict[str, int]:
    """GPT-2's byte-level BPE writes each byte as one printable character: the printable Latin-1 bytes
    as themselves, the other 68 (space, control bytes, ...) as chr(256), chr(257), ... in byte order,
    so a space is "Ġ" (chr(288)) and a newline "Ċ". Returns character → byte value.
    """
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), 256)]
    alphabet = {chr(b): b for b in printable}
    others = [b for b in range(256) if b not in alphabet.values()]
    alphabet |= {chr(256 + n): b for n, b in enumerate(others)}
    return alphabet


BYTE_LEVEL_ALPHABET = _byte_level_alphabet()


def byte_level_labels(pieces: list[str]) -> list[str]:
    """Readable labels for byte-level BPE pieces (GPT-2: "Ġthe", "ì", "ĺ"): the bytes they stand for,
    decoded back to text, a space shown as "▁" ("Ġthe" → "▁the").

    A piece may hold only some bytes of a character (Korean syllables are 3 bytes in UTF-8): it shows the
    character and which of its bytes it holds, "뷁 1/3" or "뷁 2-3/3"; fragments of different
    characters are joined by "+" ("에+서 1/3": all of 에 and the first byte of 서; but "▁창 1/3").
    Bytes that spell no character show as "<0xEC>". Pieces outside the byte alphabet (added tokens)
    are shown as written.
    """
    labels: list[str] = []
    i = 0
    while i < len(pieces):
        if not _is_byte_level(pieces[i]):
            labels.extend(plain_labels([pieces[i]]))
            i += 1
            continue
        run_end = i  # a run of byte-level pieces: decode their bytes together, character by character
        while run_end < len(pieces) and _is_byte_level(pieces[run_end]):
            run_end += 1
        labels.extend(_byte_level_run_labels(pieces[i:run_end]))
        i = run_end
    return labels


def _is_byte_level(piece: str) -> bool:
    return bool(piece) and all(c in BYTE_LEVEL_ALPHABET for c in piece)


def _byte_level_run_labels(pieces: list[str]) -> list[str]:
    values = [BYTE_LEVEL_ALPHABET[c] for piece in pieces for c in piece]  # the run's bytes
    owner = [n for n, piece in enumerate(pieces) for _ in piece]  # which piece each byte came from
    fragments: list[list[tuple[str, bool]]] = [[] for _ in pieces]  # per piece: (text, is_partial)
    for start, width, char in utf8_characters(values):
        if char is None:
            fragments[owner[start]].append((f"<0x{values[start]:02X}>", True))
            continue
        shown = WORD_MARKER if char == " " else readable_char(char)
        holders = owner[start : start + width]
        for piece in sorted(set(holders)):
            held = [n + 1 for n, holder in enumerate(holders) if holder == piece]  # 1-based byte numbers
            if len(held) == width:
                fragments[piece].append((shown, False))
            else:
                numbers = f"{held[0]}" if len(held) == 1 else f"{held[0]}-{held[-1]}"
                fragments[piece].append((f"{shown} {numbers}/{width}", True))
    return [_join_fragments(parts) for parts in fragments]


def _join_fragments(parts: list[tuple[str, bool]]) -> str:
    """Whole characters run together; a partial character is set off from its neighbours by "+", except
    that a word marker stays attached to what follows ("▁창 1/3").
    """
    label = ""
    for n, (text, partial) in enumerate(parts):
        if n and (partial or parts[n - 1][1]) and parts[n - 1][0] != WORD_MARKER:
            label += "+"
        label += text
    return label
