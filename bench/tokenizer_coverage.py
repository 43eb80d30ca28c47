"""How many everyday words does a tokenizer keep whole?

For each language, the first 1,000 alphabetic entries of ``wordfreq.top_n_list(lang, ...)`` (the most
frequent words of everyday text: subtitles, web, news, books) are encoded one at a time, as a word on its
own (SentencePiece adds the word-start mark ``▁``), and we count the words that come out as one piece.

    python -m bench.tokenizer_coverage [--model assets/tokenizer/ko_en_16k.model] [--examples 20]

wordfreq is a development dependency (requirements-dev.txt); its word lists are the yardstick only and
are never used to train the tokenizer.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import sentencepiece as spm

WORDS_PER_LANGUAGE = 1000


def everyday_words(lang: str, n: int = WORDS_PER_LANGUAGE) -> list[str]:
    """The ``n`` most frequent alphabetic words of ``lang`` according to wordfreq."""
    from wordfreq import top_n_list  # only this benchmark and its test need wordfreq

    words = [w for w in top_n_list(lang, 20 * n) if w.isalpha()]  # digits, punctuation, "don't" dropped
    return words[:n]


def coverage(processor: spm.SentencePieceProcessor, words: list[str]) -> tuple[float, list[list[str]]]:
    """Share of ``words`` that encode as a single piece, and the pieces of every word."""
    pieces = [processor.encode(word, out_type=str) for word in words]
    whole = sum(len(p) == 1 for p in pieces)
    return whole / len(words), pieces


def main(argv: list[str] | None = None) -> None:
    from attention_core.tokenizer import BUNDLED_TOKENIZER

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=BUNDLED_TOKENIZER)
    parser.add_argument("--examples", type=int, default=15, help="split words to print per language")
    args = parser.parse_args(argv)
    processor = spm.SentencePieceProcessor(model_file=str(args.model))
    print(f"{args.model.name}: {processor.get_piece_size()} pieces")
    for lang in ("en", "ko"):
        words = everyday_words(lang)
        share, pieces = coverage(processor, words)
        print(f"{lang}: {share:.1%} of the top {len(words)} words are one piece")
        split = [" ".join(p) for p in pieces if len(p) > 1][: args.examples]
        print("   split, most frequent first:", " | ".join(split))


if __name__ == "__main__":
    main()
