"""The bundled SentencePiece tokenizer: round trips, readable labels, caps and errors."""

import pytest

from attention_core.tokenizer import SentencePieceTokenizer
from attention_core.tokens import InputError, sentencepiece_labels


@pytest.fixture(scope="module")
def tokenizer():
    return SentencePieceTokenizer()


@pytest.mark.parametrize(
    "text",
    [
        "고양이가 창가에서 잠을 잤다.",
        "The animal didn't cross the street because it was too tired.",
        "I love 🐱 and 뷁!",
        "Attention is all you need — 어텐션이 전부다! 2026년 11월",
        "漢字 العربية ελληνικά",
        "tab\there, bell\x07, zero-width\u200bspace",
        "<img src=x onerror=alert(1)>",
        "👩‍👩‍👧 family, 🇰🇷 flag",
    ],
)
def test_round_trip_of_normalized_text(tokenizer, text):
    tokens = tokenizer.encode(text, max_tokens=None)
    assert tokenizer.decode(tokens.ids) == tokenizer.normalize(text)
    assert len(tokens.labels) == len(tokens.ids) == tokens.n_total


def test_vocabulary_and_special_ids(tokenizer):
    assert tokenizer.vocab_size == 19_357  # 16,000 unigram + 3,287 word-start twins + 70 glossary (its card)
    assert tokenizer.processor.unk_id() == 0 and tokenizer.bos_id == 1


def test_word_marker_is_visible_and_bytes_are_readable():
    pieces = ["▁I", "▁", "<0xF0>", "<0x9F>", "<0x90>", "<0xB1>", "<0x07>", "<0xFF>"]
    assert sentencepiece_labels(pieces) == ["▁I", "▁", "🐱 1/4", "🐱 2/4", "🐱 3/4", "🐱 4/4", "␇", "<0xFF>"]


def test_cap_keeps_the_first_tokens_and_says_how_many_there_were(tokenizer):
    text = "고양이가 창가에서 잠을 잤다. " * 2000  # tens of thousands of tokens
    tokens = tokenizer.encode(text, max_tokens=128)
    assert len(tokens) == 128
    assert tokens.truncated and tokens.n_total > 10_000


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_empty_text_is_refused(tokenizer, text):
    with pytest.raises(InputError, match="empty"):
        tokenizer.encode(text)


def test_bos_is_marked_special(tokenizer):
    tokens = tokenizer.encode("hello", add_bos=True)
    assert tokens.ids[0] == tokenizer.bos_id
    assert tokens.special[0] and not any(tokens.special[1:])
    assert tokens.labels[0] == "<s>"
