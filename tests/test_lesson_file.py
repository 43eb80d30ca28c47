"""The offline lesson file: self-contained, escaped, in both languages (browser checks are in
tests/browser/test_class_browser.py)."""

import re

import pytest

from attention_core.lesson import build_lesson
from attention_core.models.registry import load_model
from attention_core.tokenizer import SentencePieceTokenizer
from attention_core.viz.lesson_html import lesson_html

HOSTILE = 'The animal <script>alert("x")</script> <img src=x onerror=alert(1)> did not cross: it was tired.'


@pytest.fixture(scope="module")
def lesson():
    return build_lesson(SentencePieceTokenizer(), load_model("ko-en-lm"), HOSTILE)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_markup_in_the_sentence_is_text_in_the_file(lesson, lang):
    html = lesson_html(lesson, lang)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html
    assert f'<html lang="{lang}">' in html


def test_the_file_loads_nothing_from_anywhere(lesson):
    html = lesson_html(lesson, "en")
    tags = re.findall(r"<(script|link|img|iframe)\b[^>]*>", html)
    assert all(tag == "script" for tag in tags)  # inline scripts only: Plotly's, the figures', the lesson's
    assert not re.search(r"<script[^>]*\bsrc=", html)
    assert not re.search(r"<link[^>]*\bhref=", html)


def test_every_step_has_its_question_and_answer(lesson):
    html = lesson_html(lesson, "ko")
    assert html.count('class="question"') == 6
    for step in lesson.steps:
        assert f'data-answer="{step.question.answer}"' in html
    assert "정답 보기" in html and "맞았습니다!" in html
