"""A model's own tokenizer, from its ``tokenizer.json``, through the ``tokenizers`` library."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from tokenizers import Tokenizer

from attention_core.models.base import ModelError
from attention_core.models.checkpoint import one_line
from attention_core.tokens import InputError, Tokens, byte_level_labels, plain_labels, sentencepiece_labels


class HFTokenizer:
    """Text → Tokens with a Hugging Face ``tokenizer.json``: special tokens added ([CLS] … [SEP]), no
    padding and no truncation (some files pad every input to a fixed 128), readable labels.
    """

    def __init__(self, path: Path | str, name: str = "") -> None:
        try:
            self.tokenizer = Tokenizer.from_file(str(path))
        except Exception as error:  # the library raises plain Exceptions for unreadable files
            where = f"{name}: " if name else ""
            raise ModelError(f"{where}cannot read {Path(path).name}: {one_line(error)}") from None
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.n_special = self.tokenizer.num_special_tokens_to_add(is_pair=False)  # [CLS] + [SEP]: 2
        unk = getattr(self.tokenizer.model, "unk_token", None)
        added = self.tokenizer.get_added_tokens_decoder()  # id -> AddedToken
        # [UNK] is "special" to the library but stands for a real word of the text: not marked.
        self.special_ids = {i for i, token in added.items() if token.special and token.content != unk}
        self.labeler = _labeler(json.loads(self.tokenizer.to_str()))

    @property
    def vocab_size(self) -> int:
        return self.tokenizer.get_vocab_size(with_added_tokens=True)

    def encode(self, text: str, max_tokens: int | None = None) -> Tokens:
        """Tokenize ``text`` with its special tokens; keep at most ``max_tokens``, cutting the text and
        not the special tokens (``[CLS] first words [SEP]``), as transformers truncates.
        ``Tokens.n_total`` tells how many tokens the whole text had. Raises InputError for empty text.
        """
        if not isinstance(text, str):
            raise InputError("the text must be a string")
        if not text.strip():
            raise InputError("the text is empty: type a sentence")
        encoding = self.tokenizer.encode(text, add_special_tokens=False)
        n_total = len(encoding.ids) + self.n_special
        if max_tokens is not None and n_total > max_tokens:
            encoding.truncate(max(max_tokens - self.n_special, 0))
        encoding = self.tokenizer.post_process(encoding, add_special_tokens=True)
        if max_tokens is not None and len(encoding.ids) > max_tokens:  # a cap smaller than the specials
            encoding.truncate(max_tokens)
        ids, pieces = list(encoding.ids), list(encoding.tokens)
        special = [
            bool(m) or i in self.special_ids for i, m in zip(ids, encoding.special_tokens_mask, strict=True)
        ]
        labels = [
            piece if is_special else label
            for piece, label, is_special in zip(pieces, self.labeler(pieces), special, strict=True)
        ]
        return Tokens(tuple(ids), tuple(pieces), tuple(labels), tuple(special), n_total)

    def from_ids(self, ids: Sequence[int]) -> Tokens:
        """The Tokens of these ids (the special ones, [CLS] and the like, marked)."""
        ids = [int(i) for i in ids]
        if not ids or min(ids) < 0 or max(ids) >= self.vocab_size:
            raise InputError(f"token ids must be 1 or more ids from 0 to {self.vocab_size - 1}")
        pieces = [self.tokenizer.id_to_token(i) for i in ids]
        special = [i in self.special_ids for i in ids]
        labels = [
            piece if is_special else label
            for piece, label, is_special in zip(pieces, self.labeler(pieces), special, strict=True)
        ]
        return Tokens(tuple(ids), tuple(pieces), tuple(labels), tuple(special), len(ids))

    def decode(self, ids: list[int] | tuple[int, ...]) -> str:
        return self.tokenizer.decode(list(ids), skip_special_tokens=False)


def _labeler(spec: dict):
    """The label clean-up that fits the tokenizer: byte-level BPE (GPT-2), SentencePiece-style "▁"
    pieces with byte fallback, or plain pieces (WordPiece's "##ing" stays as it is).
    """
    parts = json.dumps([spec.get("pre_tokenizer"), spec.get("decoder")])
    if '"ByteLevel"' in parts:
        return byte_level_labels
    if '"Metaspace"' in parts:
        return sentencepiece_labels
    return plain_labels
