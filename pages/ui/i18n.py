"""The app's strings in the language chosen in the sidebar (``?lang=ko`` in the URL).

``t("key", **values)`` returns string ``key`` of the table in attention_core/i18n.py, formatted with
``values``. The strings are Markdown (Streamlit renders them so); the *values* are not: a text value (a
sentence, a token, a model's folder name, a value from the URL) is put in by :func:`plain`, as inline code,
so ``![](http://…)``, ``[link](…)``, ``$\\href{…}$`` or ``<b>`` in it are shown as those characters.
"""

from __future__ import annotations

import re

import streamlit as st

from attention_core.i18n import LANGUAGES, STRINGS

__all__ = ["LANGUAGES", "STRINGS", "Ours", "language", "plain", "t"]


def language() -> str:
    """The language chosen in the sidebar (bound to ``?lang=`` in the URL); English until then."""
    lang = st.session_state.get("lang")
    return lang if lang in LANGUAGES else "en"


class Ours(str):
    """Text of the app's own (a translated word, a Plotly placeholder) that :func:`t` puts in as it is."""


def plain(text: str) -> str:
    """``text`` as Markdown that shows exactly these characters, as inline code: inside a code span no
    link, image, emphasis, HTML, math (``$``) or Streamlit directive (``:red[…]``) can start, and no
    address becomes a link. (Backslash escapes are not enough: GitHub-flavoured Markdown turns a
    ``http://…`` in plain text into a link after the escapes are read.) Line breaks become spaces."""
    text = " ".join(text.splitlines())
    if not text:
        return ""
    fence = "`" * (1 + max((len(run) for run in re.findall("`+", text)), default=0))
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def t(key: str, **values: object) -> str:
    """The string ``key`` in the current language, formatted with ``values``: text made :func:`plain`
    (a sentence, a token, a folder name, a value from the URL), numbers and :class:`Ours` as they are."""
    text = STRINGS[key][language()]
    if not values:
        return text
    shown = {n: plain(v) if isinstance(v, str) and not isinstance(v, Ours) else v for n, v in values.items()}
    return text.format(**shown)
