"""The head atlas on a visitor's own text: split it into sentences, compute every head's metrics on each
(``atlas.sentence_metrics``), average them (``heads.average_metrics``: each sentence weighs the same), and
write the table as CSV (``heads.metrics_table``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from attention_core.atlas import sentence_metrics
from attention_core.heads import HeadMetrics, average_metrics, metrics_table
from attention_core.limits import MAX_ATLAS_TEXT_BYTES, MAX_ATLAS_TOKENS, model_max_tokens
from attention_core.models.base import Model
from attention_core.tokens import InputError

# A sentence ends after . ! ? … (and the full-width 。！？) followed by white space, or at a line break.
SENTENCE_END = re.compile(r"(?<=[.!?…。！？])\s+|\s*\n\s*")

Progress = Callable[[int, int], None]  # (sentences done, sentences in all), called after each sentence


def read_text(data: str | bytes) -> str:
    """An uploaded or pasted text: bytes must be UTF-8; at most MAX_ATLAS_TEXT_BYTES of it. InputError
    otherwise, saying which."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InputError(
                f"the text is not UTF-8 (byte {data[error.start]:#04x} at {error.start})"
            ) from None
    try:
        size = len(data.encode("utf-8"))
    except UnicodeEncodeError as error:  # a lone surrogate: bytes that were not UTF-8, read leniently
        raise InputError(f"the text is not UTF-8 (character U+{ord(data[error.start]):04X})") from None
    if size > MAX_ATLAS_TEXT_BYTES:
        raise InputError(f"the text has {size:,} bytes; at most {MAX_ATLAS_TEXT_BYTES:,} are read")
    return data


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` (see SENTENCE_END), stripped, blank ones left out."""
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


@dataclass(frozen=True)
class TextAtlas:
    """Every head's metrics averaged over the sentences of one text."""

    metrics: HeadMetrics  # fields [layer, head]
    n_sentences: int
    n_tokens: int  # tokens read, over every sentence
    n_cut: int  # sentences longer than one model run reads (only their first tokens counted)
    n_unread: int = 0  # sentences after the first MAX_ATLAS_TOKENS tokens, not read


def text_metrics(model: Model, text: str | bytes, progress: Progress | None = None) -> TextAtlas:
    """The head atlas of ``text`` (≤ MAX_ATLAS_TEXT_BYTES, UTF-8): one model run per sentence, the
    sentences in order until MAX_ATLAS_TOKENS tokens are read (the rest are counted, not read),
    ``progress(done, total)`` after each."""
    sentences = split_sentences(read_text(text))
    if not sentences:
        raise InputError("the text has no sentences: it is empty or only spaces")
    c = model.config
    cap = model_max_tokens(c.n_layers, c.n_heads, c.n_ctx)
    per_sentence, n_tokens, n_cut = [], 0, 0
    for done, sentence in enumerate(sentences, start=1):
        tokens = model.tokenize(sentence, cap)
        if per_sentence and n_tokens + len(tokens) > MAX_ATLAS_TOKENS:
            return TextAtlas(
                average_metrics(per_sentence), done - 1, n_tokens, n_cut, len(sentences) - done + 1
            )
        trace = model.run(tokens)
        per_sentence.append(sentence_metrics(trace))
        n_tokens += len(trace.tokens)
        n_cut += trace.tokens.truncated
        if progress is not None:
            progress(done, len(sentences))
    return TextAtlas(average_metrics(per_sentence), len(sentences), n_tokens, n_cut)


def metrics_csv(metrics: HeadMetrics, digits: int = 4) -> str:
    """The table of ``heads.metrics_table`` (layer, head, role, every score) as CSV text, a row per head."""
    rows = metrics_table(metrics, digits)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
