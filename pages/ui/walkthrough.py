"""A walkthrough: a page's steps as tabs, or, in presentation mode, one step per screen with Previous and
Next (and the arrow keys). The step is in the URL (``?step=3``, counted from 1), so a link opens at it.

Only the step on screen is drawn: its figures are all a page sends, however many steps it has.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from pages.ui import url
from pages.ui.i18n import Ours, t

Step = tuple[str, str, Callable[[], None]]  # (tab label, title, the function that draws it)


def _tab_changed(key: str, titles: list[str]) -> None:
    """A tab was picked: its number becomes the step (runs before the page reruns)."""
    st.session_state["step"] = titles.index(st.session_state[f"{key}_tabs"]) + 1


def _move(by: int, count: int) -> None:
    st.session_state["step"] = min(max(1, st.session_state.get("step", 1) + by), count)


def walkthrough(key: str, steps: list[Step]) -> int:
    """Draw ``steps`` (page ``key``'s); returns the step on screen, from 1."""
    if st.session_state.get("_walkthrough") != key:  # another page's step number means nothing here
        st.session_state.pop("step", None)
        st.session_state["_walkthrough"] = key
    count = len(steps)
    step = url.bound("step", url.Whole(1, count, 1))
    titles = [f"{i}. {label}" for i, (label, _, _) in enumerate(steps, start=1)]
    if st.session_state.get("present"):
        _, title, draw = steps[step - 1]
        st.subheader(t("steps.heading", step=step, count=count, title=Ours(title)))
        draw()
        with st.container(horizontal=True, key=f"{key}_step_buttons"):
            st.button(
                t("steps.previous"), on_click=_move, args=(-1, count), disabled=step == 1, shortcut="Left",
                icon=":material/arrow_back:", key=f"{key}_previous",
            )  # fmt: skip
            st.button(
                t("steps.next"), on_click=_move, args=(1, count), disabled=step == count, shortcut="Right",
                icon=":material/arrow_forward:", key=f"{key}_next", type="primary",
            )  # fmt: skip
        return step
    tabs = st.tabs(
        titles, default=titles[step - 1], key=f"{key}_tabs", on_change=_tab_changed, args=(key, titles)
    )
    for tab, (_, title, draw) in zip(tabs, steps, strict=True):
        if tab.open:
            with tab:
                st.subheader(title)
                draw()
    return step
