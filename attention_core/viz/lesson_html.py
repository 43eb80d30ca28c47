"""The lesson as one HTML file that works offline: Plotly's JavaScript inside the file, the figures
interactive, each question answered before its answer and figures are shown, and nothing fetched from
any network. Written by ``python -m attention_core lesson`` and by the download button of every page.

Text from the sentence (tokens, the model's name) is HTML-escaped, so markup in a sentence is shown as
characters, never run.
"""

from __future__ import annotations

import html
import re

import plotly.io as pio
from plotly.offline import get_plotlyjs

from attention_core.i18n import STRINGS
from attention_core.lesson import Lesson, Step
from attention_core.viz.lesson import step_figures
from attention_core.viz.style import Style

WIDTH = 960  # px the figures are laid out for: a laptop's browser window, or an A4 page when printed
WORDS = ("key", "query", "attention", "head")

CSS = """
body { font: 18px/1.5 system-ui, "Noto Sans CJK KR", "Noto Sans KR", sans-serif; color: #111;
       max-width: 1000px; margin: 2rem auto; padding: 0 1rem; }
code { background: #f0f0f0; padding: 0 .2em; border-radius: 3px; }
section { border-top: 2px solid #ccc; padding-top: 1rem; margin-top: 2rem; }
.options button { font: inherit; margin: .2rem; padding: .3rem .7rem; border: 2px solid #888;
                  border-radius: 1rem; background: #fff; cursor: pointer; }
.options button.picked { border-color: #1f4e9c; background: #dce8fb; }
button.reveal { font: inherit; margin-top: .6rem; padding: .4rem 1rem; background: #1f4e9c; color: #fff;
                border: 0; border-radius: .4rem; cursor: pointer; }
button.reveal:disabled { background: #999; cursor: default; }
.right { color: #0b6b2b; font-weight: bold; } .wrong { color: #9c3d00; font-weight: bold; }
@media print {
  button.reveal { display: none; }
  .answer { display: block !important; }
  section { break-inside: avoid-page; }
}
"""

# Picking an option marks it; Reveal shows whether it was right, the answer and its figures.
SCRIPT = """
document.querySelectorAll(".question").forEach(function (q) {
  var picked = null, reveal = q.querySelector("button.reveal");
  q.querySelectorAll(".options button").forEach(function (b) {
    b.addEventListener("click", function () {
      q.querySelectorAll(".options button").forEach(function (o) { o.classList.remove("picked"); });
      b.classList.add("picked"); picked = b.dataset.index; reveal.disabled = false;
    });
  });
  reveal.addEventListener("click", function () {
    var right = picked === q.dataset.answer, verdict = q.querySelector(".verdict");
    verdict.textContent = right ? q.dataset.right : q.dataset.wrong;
    verdict.className = "verdict " + (right ? "right" : "wrong");
    q.querySelector(".answer").style.display = "block";
    q.querySelectorAll(".js-plotly-plot").forEach(function (p) { Plotly.Plots.resize(p); });
  });
});
"""


def markdown_html(text: str) -> str:
    """The little Markdown the lesson's strings use (**bold**, `code`) as HTML, everything else escaped."""
    text = html.escape(text, quote=False)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", text)


def say(name: str, lang: str, /, **values: object) -> str:
    """String ``name`` in ``lang`` as HTML; text values (tokens, sentences, names) escaped, as code."""
    shown = {n: f"<code>{html.escape(v)}</code>" if isinstance(v, str) else v for n, v in values.items()}
    return markdown_html(STRINGS[name][lang]).format(**shown)


def option_text(step: Step, option: str, lang: str) -> str:
    return markdown_html(STRINGS[option][lang]) if step.question.kind == "word" else html.escape(option)


def step_html(number: int, step: Step, lesson: Lesson, lang: str) -> str:
    q, name = step.question, step.name
    values = {**q.values, "model": lesson.model}
    words = {w: STRINGS[f"word.{w}"][lang] for w in WORDS}
    figures = "".join(
        pio.to_html(fig, include_plotlyjs=False, full_html=False, config={"displaylogo": False})
        for fig in step_figures(step, words, Style(width=WIDTH))
    )
    answer = q.options[q.answer]
    answer = STRINGS[answer][lang] if q.kind == "word" else answer  # plain text: shown by textContent
    options = "".join(
        f'<button type="button" data-index="{i}">{option_text(step, o, lang)}</button>'
        for i, o in enumerate(q.options)
    )
    right = html.escape(STRINGS["lesson.right"][lang], quote=True)
    wrong = html.escape(STRINGS["lesson.wrong"][lang].format(answer=answer), quote=True)
    return (
        f'<section id="step-{number}"><h2>{number}. {say(f"lesson.{name}.title", lang)}</h2>'
        f"<p>{say(f'lesson.{name}.text', lang, **values)}</p>"
        f'<div class="question" data-answer="{q.answer}" data-right="{right}" data-wrong="{wrong}">'
        f"<p><strong>{say(f'lesson.{name}.q', lang, **values)}</strong></p>"
        f'<div class="options">{options}</div>'
        f'<button type="button" class="reveal" disabled>{say("lesson.reveal", lang)}</button>'
        f'<p class="verdict"></p>'
        f'<div class="answer" style="display:none">'
        f"<p>{say(f'lesson.{name}.a', lang, **values)}</p>{figures}</div>"
        f"</div></section>"
    )


def lesson_html(lesson: Lesson, lang: str) -> str:
    """The whole lesson in ``lang`` ("en" or "ko") as one self-contained HTML document."""
    steps = "".join(step_html(i, step, lesson, lang) for i, step in enumerate(lesson.steps, start=1))
    title = html.escape(STRINGS["lesson.file.title"][lang])
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
        f"<style>{CSS}</style><script>{get_plotlyjs()}</script></head><body>"
        f"<h1>{title}</h1>"
        f"<p>{say('lesson.file.about', lang, sentence=lesson.sentence, model=lesson.model)}</p>"
        f"<p>{say('lesson.intro', lang)}</p>"
        f"{steps}<script>{SCRIPT}</script></body></html>"
    )
