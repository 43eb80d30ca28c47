"""The bundled tokenizer keeps everyday words whole: wordfreq's most frequent words (a yardstick that never
trained it) and the app's classroom examples, read straight from the SentencePiece model file."""

import pytest
import sentencepiece as spm

from attention_core.tokenizer import BUNDLED_TOKENIZER
from bench.tokenizer_coverage import coverage, everyday_words
from pages.ui.controls import EXAMPLES

TARGETS = {"en": 0.92, "ko": 0.60}  # share of the top 1,000 words that must be one piece (issue 13)

# What a teacher sees for the examples row, checked by hand: whole words, or a stem and its particle or
# ending (고양이+가, 잠+을, 잤+다, 친구+와, 도서관+에), or the two parts of a compound (창+가, window+side).
EXPECTED = {
    EXAMPLES[0]: "▁The ▁animal ▁didn ' t ▁cross ▁the ▁street ▁because ▁it ▁was ▁too ▁tired .",
    EXAMPLES[1]: "▁고양이 가 ▁창 가 에서 ▁잠 을 ▁잤 다 .",
    EXAMPLES[2]: "▁The ▁cat ▁sat ▁on ▁the ▁mat , ▁and ▁then ▁it ▁slept .",
    EXAMPLES[3]: "▁나는 ▁어제 ▁친구 와 ▁함께 ▁도서관 에 ▁갔다 .",
    EXAMPLES[4]: "▁Attention ▁is ▁all ▁you ▁need ▁— ▁어텐션 이 ▁전부 다 !",
}
# The lessons' own words, as a teacher types them (the glossary, assets/tokenizer/glossary.txt).
LESSON_WORDS = {
    "Query, Key and Value": "▁Query , ▁Key ▁and ▁Value",
    "self-attention, 셀프어텐션, 멀티헤드 어텐션": "▁self - attention , ▁셀프 어텐션 , ▁멀티 헤드 ▁어텐션",
    "Transformers use softmax over logits": "▁Transformers ▁use ▁softmax ▁over ▁logits",
    "트랜스포머의 임베딩과 소프트맥스, 인덕션 헤드": "▁트랜스포머 의 ▁임베딩 과 ▁소프트맥스 , ▁인덕션 ▁헤드",
}


@pytest.fixture(scope="module")
def processor():
    return spm.SentencePieceProcessor(model_file=str(BUNDLED_TOKENIZER))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_most_frequent_everyday_words_are_one_piece(processor, lang):
    words = everyday_words(lang)
    assert len(words) == 1000 and all(w.isalpha() for w in words)
    share, _ = coverage(processor, words)
    assert share == sum(len(processor.encode(w)) == 1 for w in words) / 1000  # the benchmark counts right
    assert share >= TARGETS[lang], f"{lang}: {share:.1%} one piece"


@pytest.mark.parametrize("sentence", list(EXPECTED))
def test_classroom_examples_split_into_words_and_morphemes(processor, sentence):
    assert " ".join(processor.encode(sentence, out_type=str)) == EXPECTED[sentence]


@pytest.mark.parametrize("text", list(LESSON_WORDS))
def test_the_lessons_words_are_whole(processor, text):
    assert " ".join(processor.encode(text, out_type=str)) == LESSON_WORDS[text]


def test_every_printable_ascii_character_is_a_piece_not_bytes(processor):
    for code in range(33, 127):
        pieces = processor.encode(chr(code), out_type=str)  # "▁A", or "▁" "#" for a symbol
        assert "".join(pieces) == "▁" + chr(code) and len(pieces) <= 2, pieces


@pytest.mark.parametrize("sentence", EXAMPLES)
def test_no_example_has_byte_pieces_or_a_lone_word_start_mark(processor, sentence):
    pieces = processor.encode(sentence, out_type=str)
    assert "▁" not in pieces and not any(p.startswith("<0x") for p in pieces)


def test_every_letter_piece_has_its_word_start_twin(processor):
    pieces = {processor.id_to_piece(i) for i in range(processor.get_piece_size())}
    letters = [p for p in pieces if p.isalpha()]
    assert len(letters) > 3000
    assert all("▁" + p in pieces for p in letters)
