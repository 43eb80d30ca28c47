"""What every page shares, around it: the language, the sentence box, the settings, the URL's notices.

app.py draws the frame and runs the page the URL names. A page script starts with :func:`enter`:

* run by app.py (always, once the server has served its first page): nothing to do;
* run on its own: on a freshly started server, Streamlit 1.67 treats a folder named ``pages/`` beside
  app.py as an old-style multipage app until app.py has run once, so a shared link such as
  /self_attention runs pages/self_attention.py directly. Then :func:`enter` runs app.py, which draws the
  frame and, through its navigation, this very page; and stops the direct run.

So the file that app.py runs and the file a fresh server's deep link runs are the same page script.
"""

from __future__ import annotations

import contextlib
import runpy
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import streamlit as st

from attention_core.models.base import ModelError
from pages.ui import show

APP = Path(__file__).resolve().parents[2] / "app.py"
_inside = threading.local()  # each script run has its own thread
T = TypeVar("T")


@contextlib.contextmanager
def page_of_app() -> Iterator[None]:
    """app.py runs its page inside this: the page's :func:`enter` then knows the frame is drawn."""
    _inside.app = True
    try:
        yield
    finally:
        _inside.app = False


def enter() -> None:
    """Start of every page script: hand a direct run (a fresh server's deep link) to app.py."""
    if getattr(_inside, "app", False):
        return
    runpy.run_path(str(APP))
    st.stop()


def computed(compute: Callable[[], T]) -> T:
    """``compute()``, the page's numbers; for text or settings that cannot be computed, the page's message
    in the current language, and the page stops there (the frame still lists the URL's notices)."""
    try:
        return compute()
    except (ValueError, ModelError) as error:  # InputError, ConfigError, a model folder that cannot load
        show.explain_error(error)
        show.halt()
