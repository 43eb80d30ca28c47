"""The bundled SentencePiece tokenizer (trained by ``python -m attention_core.tokenizer_train``)."""

from __future__ import annotations

import string
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import sentencepiece as spm

from attention_core.limits import MAX_TEACHING_TOKENS
from attention_core.paths import ASSETS
from attention_core.tokens import InputError, Tokens, sentencepiece_labels

BUNDLED_TOKENIZER = ASSETS / "tokenizer" / "ko_en_19k.model"


class SentencePieceTokenizer:
    """Text ↔ token ids with a SentencePiece model; byte fallback means every input is representable."""

    def __init__(self, model_path: Path | str = BUNDLED_TOKENIZER) -> None:
        self.model_path = Path(model_path)
        self.processor = spm.SentencePieceProcessor(model_file=str(self.model_path))
        self.normalizer = spm.SentencePieceNormalizer(
            model_file=str(self.model_path), add_dummy_prefix=False, escape_whitespaces=False
        )

    @property
    def vocab_size(self) -> int:
        return self.processor.get_piece_size()

    @property
    def bos_id(self) -> int:
        return self.processor.bos_id()

    def normalize(self, text: str) -> str:
        """The text as the model sees it (NFKC, runs of spaces collapsed, ends trimmed): what
        ``decode(encode(text))`` gives back, for any text without a literal "▁" (the word marker itself).
        """
        return self.normalizer.normalize(text)

    def encode(
        self, text: str, max_tokens: int | None = MAX_TEACHING_TOKENS, add_bos: bool = False
    ) -> Tokens:
        """Tokenize ``text``; keep the first ``max_tokens`` (``Tokens.n_total`` tells how many there were).

        Raises InputError when the text has no tokens at all (empty, or only spaces).
        """
        if not isinstance(text, str):
            raise InputError("the text must be a string")
        ids = self.processor.encode(text)
        if not ids or not text.strip(string.whitespace):
            raise InputError("the text is empty: type a sentence")
        if add_bos:
            ids = [self.bos_id, *ids]
        return self.from_ids(ids if max_tokens is None else ids[:max_tokens], n_total=len(ids))

    def from_ids(self, ids: Sequence[int], n_total: int | None = None) -> Tokens:
        """The Tokens of these ids: pieces, readable labels, which are special (``<s>``)."""
        ids = [int(i) for i in ids]
        if not ids or min(ids) < 0 or max(ids) >= self.vocab_size:
            raise InputError(f"token ids must be 1 or more ids from 0 to {self.vocab_size - 1}")
        pieces = [self.processor.id_to_piece(i) for i in ids]
        special = [self.processor.is_control(i) for i in ids]
        labels = sentencepiece_labels(pieces)
        labels = [
            piece if is_special else label
            for piece, label, is_special in zip(pieces, labels, special, strict=True)
        ]
        n_total = len(ids) if n_total is None else n_total
        return Tokens(tuple(ids), tuple(pieces), tuple(labels), tuple(special), n_total)

    def ordinary_ids(self) -> np.ndarray:
        """The ids of ordinary pieces: not a control piece (<s> …), not <unk>, not a byte. Returns int [n]."""
        p = self.processor
        special = [p.is_control(i) or p.is_unknown(i) or p.is_byte(i) for i in range(self.vocab_size)]
        ordinary = [i for i, is_special in enumerate(special) if not is_special]
        return np.array(ordinary, dtype=np.int64)

    def decode(self, ids: list[int] | tuple[int, ...]) -> str:
        return self.processor.decode(list(ids))
