"""The guided lesson (/lesson): attention → self-attention → temperature → multi-head → the dimension
example → a trained model's heads, on the class's own sentence. Each step asks first and reveals after:
the answer and its figures appear only once the learner has picked one (attention_core/lesson.py computes
every answer from the live numbers)."""

import zlib

import streamlit as st

from attention_core.lesson import Question, Step
from attention_core.models.own_lm import NAME as BUNDLED_MODEL
from attention_core.viz.lesson import step_figures
from pages.ui import compute, controls, frame, show, walkthrough
from pages.ui.i18n import Ours, plain, t

frame.enter()

show.intro(t("lesson.intro"))
names = compute.models()
name = controls.model_picker(names, BUNDLED_MODEL)
lesson = frame.computed(lambda: compute.lesson(controls.sentence(), controls.teaching_config(), name))
WORDS = {w: t(f"word.{w}") for w in ("key", "query", "attention", "head")}


def option_label(question: Question, option: str) -> str:
    """A token as it is (inline code), a shape as written, a word in this language."""
    return t(option) if question.kind == "word" else plain(option) if question.kind == "token" else option


def ask(step: Step) -> None:
    """The step's text and question; once an answer is picked and Reveal pressed, the verdict, the answer
    computed from the trace, and the figures that show it."""
    q = step.question
    values = {**q.values, "model": lesson.model}
    # One key per question *and its numbers*: another sentence or setting is a new question.
    key = f"lesson_{step.name}_{zlib.crc32(repr((q.options, q.answer, q.values)).encode()):08x}"
    st.markdown(t(f"lesson.{step.name}.text", **values))
    st.markdown(f"#### {t(f'lesson.{step.name}.q', **values)}")
    labels = [option_label(q, o) for o in q.options]
    shown = st.session_state.get(f"{key}_shown", False)
    pick = st.pills(
        t("lesson.pick"),
        range(len(labels)),
        format_func=labels.__getitem__,
        key=f"{key}_pick",
        disabled=shown,
    )
    if not shown:
        st.button(
            t("lesson.reveal"), on_click=controls.reveal_answer, args=(key,), disabled=pick is None,
            type="primary", icon=":material/visibility:", key=f"{key}_reveal",
        )  # fmt: skip
        if pick is None:
            st.caption(t("lesson.pick_first"))
        return
    if pick == q.answer:
        st.success(t("lesson.right"), icon=":material/check_circle:")
    else:
        st.warning(t("lesson.wrong", answer=Ours(labels[q.answer])), icon=":material/lightbulb:")
    st.markdown(t(f"lesson.{step.name}.a", **values))
    for i, fig in enumerate(step_figures(step, WORDS, show.style())):
        show.figure(fig, key=f"lesson_{step.name}_figure_{i}", alt=t(f"lesson.{step.name}.title"))
    again = t("lesson.again")
    st.button(again, on_click=controls.ask_again, args=(key,), icon=":material/replay:", key=f"{key}_again")


walkthrough.walkthrough(
    "lesson",
    [(t(f"lesson.{s.name}.tab"), t(f"lesson.{s.name}.title"), lambda s=s: ask(s)) for s in lesson.steps],
)
