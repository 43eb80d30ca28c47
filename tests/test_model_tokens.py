"""A model's own tokenizer: raw pieces kept, readable labels (GPT-2 byte-level bytes decoded back to
text), special tokens marked, no padding, caps that keep [SEP].
"""

from pathlib import Path

import pytest

from attention_core.models.hf_tokenizer import HFTokenizer
from attention_core.models.registry import PACKS
from attention_core.tokens import BYTE_LEVEL_ALPHABET, InputError, byte_level_labels

TINY_GPT2 = Path(__file__).resolve().parent / "fixtures" / "tiny-gpt2"


@pytest.fixture(scope="module")
def gpt2_tokenizer():
    return HFTokenizer(TINY_GPT2 / "tokenizer.json")


@pytest.fixture(scope="module")
def minilm_tokenizer():
    return HFTokenizer(PACKS["all-MiniLM-L6-v2"].folder() / "tokenizer.json")


def test_the_byte_level_alphabet_is_gpt2s():
    assert len(BYTE_LEVEL_ALPHABET) == 256 and sorted(BYTE_LEVEL_ALPHABET.values()) == list(range(256))
    assert BYTE_LEVEL_ALPHABET["Ġ"] == 0x20 and BYTE_LEVEL_ALPHABET["Ċ"] == 0x0A
    assert BYTE_LEVEL_ALPHABET["A"] == 0x41 and BYTE_LEVEL_ALPHABET["ì"] == 0xEC


def test_korean_byte_level_pieces_become_readable():
    # The tiny GPT-2's own pieces for "고양이가 창가에서 잠을 잤다." (tests/fixtures/reference/tiny_gpt2.npz)
    pieces = [
        "ê³łìĸĳìĿ´", "ê°Ģ", "Ġì", "°", "½", "ê°Ģ", "ìĹĲì", "Ħľ", "Ġìŀ", "ł", "ìĿĦ", "Ġìŀ", "¤", "ëĭ¤", ".",
    ]  # fmt: skip
    assert byte_level_labels(pieces) == [
        "고양이", "가", "▁창 1/3", "창 2/3", "창 3/3", "가", "에+서 1/3", "서 2-3/3",
        "▁잠 1-2/3", "잠 3/3", "을", "▁잤 1-2/3", "잤 3/3", "다", ".",
    ]  # fmt: skip


def test_byte_level_words_controls_and_undecodable_bytes():
    assert byte_level_labels(["The", "Ġan", "i", "ĠĠ", "Ċ"]) == ["The", "▁an", "i", "▁▁", "␊"]
    assert byte_level_labels(["ì", "ĺ"]) == ["<0xEC>", "<0x98>"]  # two of the three bytes of a character
    assert byte_level_labels(["ðŁ", "ĺ", "Ģ"]) == ["😀 1-2/4", "😀 3/4", "😀 4/4"]
    assert byte_level_labels(["<|endoftext|>", "hi"]) == ["<|endoftext|>", "hi"]


def test_gpt2_tokens_keep_raw_pieces_and_mark_special_tokens(gpt2_tokenizer):
    tokens = gpt2_tokenizer.encode("고양이가 잤다<|endoftext|>")
    assert tokens.pieces[0] == "ê³łìĸĳìĿ´" and tokens.labels[0] == "고양이"
    assert tokens.pieces[-1] == "<|endoftext|>" and tokens.labels[-1] == "<|endoftext|>"
    assert tokens.special == (False,) * (len(tokens) - 1) + (True,)
    assert gpt2_tokenizer.decode(tokens.ids) == "고양이가 잤다<|endoftext|>"


def test_minilm_adds_cls_and_sep_never_pads_and_does_not_mark_unk(minilm_tokenizer):
    tokens = minilm_tokenizer.encode("The cat sat on 잤다.")
    assert tokens.pieces[0] == "[CLS]" and tokens.pieces[-1] == "[SEP]"
    assert len(tokens) == tokens.n_total < 128  # the shipped tokenizer.json would pad to 128
    assert "[UNK]" in tokens.pieces  # 잤 has a jamo missing from the vocabulary
    special = dict(zip(tokens.pieces, tokens.special, strict=True))
    assert special["[CLS]"] and special["[SEP]"] and not special["[UNK]"] and not special["cat"]


def test_minilm_cap_cuts_the_text_and_keeps_sep(minilm_tokenizer):
    tokens = minilm_tokenizer.encode("one two three four five six", max_tokens=5)
    assert tokens.pieces == ("[CLS]", "one", "two", "three", "[SEP]")
    assert tokens.truncated and tokens.n_total == 8


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text_is_refused(minilm_tokenizer, text):
    with pytest.raises(InputError, match="empty"):
        minilm_tokenizer.encode(text)
