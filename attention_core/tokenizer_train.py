"""Train the bundled Korean + English SentencePiece tokenizer (``assets/tokenizer/ko_en_19k.model``).

Run it from the repository root:

    python -m attention_core.tokenizer_train [--corpus DIR] [--out assets/tokenizer/ko_en_19k]
                                             [--vocab-size 16000] [--seed 0]

What it does, and why:

* **Unigram model.** SentencePiece's unigram language model starts from a large set of candidate pieces
  and prunes it down to ``vocab_size``, keeping the pieces that best explain the text. Encoding picks the
  most probable split of a sentence, so the same text always gives the same pieces.
* **Byte fallback.** A character that did not make it into the vocabulary is written as its UTF-8 bytes
  (``<0xF0>`` ...) instead of ``<unk>``. So every input can be encoded and decoded back (after the
  NFKC normalization the model applies first): emoji, rare Hangul, Arabic, anything.
* **Common Hangul syllables are always pieces.** The Korean corpus is formal help text, so everyday
  syllables such as 잤 or 샀 never occur in it and would otherwise fall back to three bytes each. We
  require the 2,350 syllables of the Korean standard character set KS X 1001 (the ones EUC-KR can
  encode, which cover nearly all modern Korean) to be single pieces. Other characters are kept when they
  are among the most frequent 99.95% (``character_coverage``).
* **Balanced sampling.** The English corpus is about twelve times larger than the Korean one. Training on
  all of it would spend most of the vocabulary on English. We take every Korean line and a seeded random
  sample of English lines with about 1.5x the Korean character count, as the corpus README suggests.
* **Held-out lines.** A line whose CRC-32 is divisible by 20 (about 5% of each language) is never used
  for training, so it can measure the tokenizer (and later the model) on unseen text. The rule depends
  only on the line itself, not on the seed or on the order of the corpus.
* **Reproducible.** The same corpus, vocabulary size and seed give a byte-identical ``.model`` file: the
  English sample is seeded, SentencePiece reads every line (no internal subsampling), and the lines go
  in and the model comes out in memory, so no temporary file path ends up inside the model.

The corpus lives beside the project (``../shared/corpus``) and is never copied into it.
Only the trained ``.model`` file is shipped; ``assets/tokenizer/CARD.md`` names the sources and licences.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import random
import time
import zlib
from pathlib import Path

import sentencepiece as spm

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"  # formal text: help pages, bills, scripture, speeches
EVERYDAY_CORPUS = REPO_ROOT.parent / "everyday"  # everyday text: scripts/everyday_corpus.sh ../everyday
DEFAULT_CORPORA = (DEFAULT_CORPUS, EVERYDAY_CORPUS)
DEFAULT_OUT = REPO_ROOT / "assets" / "tokenizer" / "ko_en_19k"

ENGLISH_TO_KOREAN_CHARS = 1.5  # English characters sampled per Korean character
HELD_OUT_MODULUS = 20  # a line is held out when crc32(line) % 20 == 0, about 5% of the lines
MAX_LINE_BYTES = 4192  # SentencePiece's default max_sentence_length: longer lines would be skipped anyway


def read_lines(path: Path) -> list[str]:
    """Return the non-empty lines of a UTF-8 text file (gzipped when its name ends in .gz), in file order."""
    opener = gzip.open if Path(path).suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip()]


def corpus_files(corpora: list[Path], lang: str) -> list[Path]:
    """Each corpus folder's file for ``lang`` (``ko.txt.gz`` or ``ko.txt``), in the order given."""
    files = []
    for folder in corpora:
        found = [Path(folder) / f"{lang}.txt{ext}" for ext in (".gz", "")]
        existing = [f for f in found if f.is_file()]
        if not existing:
            raise FileNotFoundError(f"{folder} has no {lang}.txt.gz or {lang}.txt")
        files.append(existing[0])
    return files


def read_language(corpora: list[Path], lang: str) -> list[str]:
    """All lines of ``lang`` from the corpus folders, folder after folder."""
    return [line for path in corpus_files(corpora, lang) for line in read_lines(path)]


def is_held_out(line: str) -> bool:
    """True for the ~5% of lines kept out of training (decided by the line's own CRC-32)."""
    return zlib.crc32(line.encode("utf-8")) % HELD_OUT_MODULUS == 0


# Typographic marks that everyday text uses and NFKC leaves alone; without them "—" became three bytes.
EVERYDAY_PUNCTUATION = "—–‘’“”·•°×÷→←↑↓★☆♥♡※「」『』《》〈〉€£¥©"


def common_hangul() -> str:
    """The 2,350 Hangul syllables of KS X 1001: EUC-KR codes 0xB0A1 to 0xC8FE, 25 rows of 94."""
    syllables = []
    for row in range(0xB0, 0xC9):
        for column in range(0xA1, 0xFF):
            syllables.append(bytes([row, column]).decode("euc-kr"))
    return "".join(syllables)


def usable(lines: list[str]) -> list[str]:
    """The lines that may train the tokenizer: not held out, and short enough for SentencePiece."""
    return [line for line in lines if not is_held_out(line) and len(line.encode()) <= MAX_LINE_BYTES]


def training_lines(
    korean: list[str],
    english: list[str],
    seed: int,
    everyday: tuple[list[str], list[str]] = ([], []),
    everyday_weight: tuple[int, int] = (1, 1),
    english_ratio: float = ENGLISH_TO_KOREAN_CHARS,
) -> tuple[list[str], list[str]]:
    """The Korean and English lines the tokenizer trains on. The ``everyday`` (Korean, English) lines
    come first, each written ``everyday_weight`` (Korean, English) times; then every Korean line; then
    English lines drawn at random until there are ``english_ratio`` times as many English characters as
    Korean ones."""
    korean_everyday, english_everyday = (
        usable(lines) * weight for lines, weight in zip(everyday, everyday_weight, strict=True)
    )
    korean = korean_everyday + usable(korean)
    english = usable(english)

    target_chars = english_ratio * sum(len(line) for line in korean)
    random.Random(seed).shuffle(english)
    sampled = list(english_everyday)
    sampled_chars = sum(len(line) for line in sampled)
    for line in english:
        if sampled_chars >= target_chars:
            break
        sampled.append(line)
        sampled_chars += len(line)
    return korean, sampled


def train(lines: list[str], vocab_size: int, seed: int) -> bytes:
    """Train a unigram SentencePiece model on ``lines`` and return the serialized ``.model`` file.

    The lines are passed in memory and the model comes back as bytes, so no file path (for example of a
    temporary file) is recorded inside the model: the same corpus and seed give a byte-identical file.
    """
    spm.set_random_generator_seed(seed)
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        model_type="unigram",
        vocab_size=vocab_size,
        byte_fallback=True,
        character_coverage=0.9995,
        required_chars=common_hangul() + EVERYDAY_PUNCTUATION,
        normalization_rule_name="nfkc",
        split_digits=True,
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=3,
        num_threads=2,
        input_sentence_size=0,  # use every line: no random subsampling inside SentencePiece
        shuffle_input_sentence=False,
        max_sentence_length=MAX_LINE_BYTES,
        minloglevel=1,  # warnings only
    )
    return model.getvalue()


WORD_START_BONUS = 0.5  # log-probability added to a word-start variant over "▁" + the piece


def add_word_start_pieces(model_bytes: bytes) -> tuple[bytes, int]:
    """Give every letters-only piece ``p`` a word-start twin ``▁p``, so a word never begins with a lone
    ``▁`` piece.

    The unigram model keeps ``갔다`` (it ends 들어갔다, 나갔다 …) but not ``▁갔다``, and ``mat`` (format,
    matter …) but not ``▁mat``; a word that starts with such a piece was split ``▁ 갔다``, ``▁ mat``: a
    word-start mark on its own, which is neither a word nor a morpheme. The twin gets the score
    log P(▁) + log P(p) + 0.5, so the one-piece path always beats the two-piece one, and pieces the model
    learned (``▁학교``) keep their own, higher scores. Returns the new model file and how many twins were
    added (SentencePiece's model protobuf, edited with the module the sentencepiece package ships)."""
    from sentencepiece import sentencepiece_model_pb2

    model = sentencepiece_model_pb2.ModelProto()
    model.ParseFromString(model_bytes)
    normal = sentencepiece_model_pb2.ModelProto.SentencePiece.NORMAL
    score = {piece.piece: piece.score for piece in model.pieces}
    twins = [
        p.piece for p in model.pieces if p.type == normal and p.piece.isalpha() and "▁" + p.piece not in score
    ]
    for piece in twins:
        model.pieces.add(piece="▁" + piece, score=score["▁"] + score[piece] + WORD_START_BONUS, type=normal)
    model.trainer_spec.vocab_size = len(model.pieces)
    return model.SerializeToString(), len(twins)


GLOSSARY = REPO_ROOT / "assets" / "tokenizer" / "glossary.txt"
PRINTABLE_ASCII = [chr(c) for c in range(33, 127)]  # ! … ~: every one a piece, never bytes like <0x51>


def read_glossary(path: Path = GLOSSARY) -> list[str]:
    """The glossary's words: its lines without comments and blanks."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def add_glossary_pieces(model_bytes: bytes, words: list[str]) -> tuple[bytes, int]:
    """Make every printable ASCII character and every glossary word a single piece.

    * A character the unigram model dropped (``Q`` is rare in the corpus) was written as its UTF-8 bytes:
      "Query" came out ``▁ <0x51> u ery``. It now gets a piece of its own, scored as the least likely
      ordinary piece (and a letter its word-start twin, as in :func:`add_word_start_pieces`).
    * A glossary word ``w`` gets a mid-word piece ``w``, scored 0.5 above its best split inside a word,
      and a word-start piece ``▁w``, scored 0.5 above the better of its best split and ``▁`` + ``w`` (a
      score is the log-probability of a piece; a split's score is the sum of its pieces'). A ``▁w`` the
      model already has keeps its score unless ``▁`` + ``w`` would now beat it.

    Returns the new model file and how many pieces were added."""
    from sentencepiece import sentencepiece_model_pb2

    model = sentencepiece_model_pb2.ModelProto()
    model.ParseFromString(model_bytes)
    normal = sentencepiece_model_pb2.ModelProto.SentencePiece.NORMAL
    lowest = min(piece.score for piece in model.pieces if piece.type == normal)
    known = {piece.piece for piece in model.pieces}
    added = [model.pieces.add(piece=c, score=lowest, type=normal) for c in PRINTABLE_ASCII if c not in known]
    score = {piece.piece: piece.score for piece in model.pieces}
    for letter in [c for c in PRINTABLE_ASCII if c.isalpha() and "▁" + c not in score]:  # its twin, as above
        score["▁" + letter] = score["▁"] + score[letter] + WORD_START_BONUS
        added.append(model.pieces.add(piece="▁" + letter, score=score["▁" + letter], type=normal))
    at_word_start = spm.SentencePieceProcessor(model_proto=model.SerializeToString())
    model.normalizer_spec.add_dummy_prefix = False  # a copy that splits w as it would inside a word
    inside_word = spm.SentencePieceProcessor(model_proto=model.SerializeToString())
    model.normalizer_spec.add_dummy_prefix = True

    def best_split(processor: spm.SentencePieceProcessor, word: str) -> float:
        return sum(score[piece] for piece in processor.encode(word, out_type=str))

    for word in dict.fromkeys(words):
        if word not in score:
            score[word] = best_split(inside_word, word) + WORD_START_BONUS
            added.append(model.pieces.add(piece=word, score=score[word], type=normal))
        needed = max(best_split(at_word_start, word), score["▁"] + score[word]) + WORD_START_BONUS
        start = "▁" + word
        if start not in score:
            added.append(model.pieces.add(piece=start, score=needed, type=normal))
        elif score[start] <= score["▁"] + score[word]:
            next(p for p in model.pieces if p.piece == start).score = needed
        score[start] = next(p.score for p in model.pieces if p.piece == start)
    model.trainer_spec.vocab_size = len(model.pieces)
    return model.SerializeToString(), len(added)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="has ko.txt.gz, en.txt.gz")
    parser.add_argument(
        "--everyday",
        type=Path,
        default=EVERYDAY_CORPUS,
        help="has ko.txt, en.txt (scripts/everyday_corpus.sh)",
    )
    parser.add_argument(
        "--everyday-weight", type=int, nargs=2, default=(1, 1), metavar=("KO", "EN"),
        help="times each everyday Korean / English line is counted",
    )  # fmt: skip
    parser.add_argument(
        "--english-ratio", type=float, default=ENGLISH_TO_KOREAN_CHARS, help="English / Korean characters"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output prefix; writes <out>.model")
    parser.add_argument("--vocab-size", type=int, default=16000)
    parser.add_argument("--seed", type=int, default=0, help="seed for the English sample and the trainer")
    args = parser.parse_args(argv)

    korean = read_language([args.corpus], "ko")
    english = read_language([args.corpus], "en")
    everyday = (read_language([args.everyday], "ko"), read_language([args.everyday], "en"))
    korean_train, english_train = training_lines(
        korean, english, args.seed, everyday, tuple(args.everyday_weight), args.english_ratio
    )
    print(
        f"training lines: {len(korean_train)} Korean ({sum(map(len, korean_train))} chars)"
        f" + {len(english_train)} English ({sum(map(len, english_train))} chars)"
    )

    start = time.perf_counter()
    model_bytes, twins = add_word_start_pieces(
        train(korean_train + english_train, args.vocab_size, args.seed)
    )
    model_bytes, glossary = add_glossary_pieces(model_bytes, read_glossary())
    print(
        f"added {twins} word-start twins and {glossary} glossary pieces:"
        f" {args.vocab_size + twins + glossary} pieces in all"
    )
    seconds = time.perf_counter() - start

    model_path = args.out.with_name(args.out.name + ".model")
    model_path.parent.mkdir(parents=True, exist_ok=True)
    model_path.write_bytes(model_bytes)
    print(f"wrote {model_path} ({len(model_bytes)} bytes), trained in {seconds:.1f} s")
    print(f"sha256 {hashlib.sha256(model_bytes).hexdigest()}")


if __name__ == "__main__":
    main()
