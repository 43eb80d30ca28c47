"""The view in the URL: every query parameter a link may carry is read here, checked, and corrected with
a visible notice before any widget sees it; after the run, the widgets' values are written back.

Streamlit can bind a widget to the URL itself (``bind="query-params"``), but it drops a bad value without
a word, and some values crash its number input before our code runs (``?d_k=inf``, a 5,000-digit seed:
OverflowError). So the app binds by hand, the same way for every widget:

    heads = url.bound("heads", url.Whole(1, 16, 4))  # before the widget: the checked value, in the state
    st.slider(label, 1, 16, heads, key="heads")       # the widget shows it, and has it as its default
    ...                                               # after the run, app.py calls url.write_back()

The value is also given to the widget as its default: the browser sends its own idea of a widget's value
with every rerun, and a rerun that comes before the browser has taken the session's value (the page width
probe asks for one at once) would otherwise send the widget's default, minimum or first option instead
(under load, a link's model, sentence and sizes were lost this way).

A widget's value comes from the URL the first time a session meets its key (a shared link), and from the
session after that. One exception: a browser that already shows the widget and sends its value with the
session's first run (its server replica died and it reconnected to another, or the server restarted)
keeps that value; the URL would undo the change it was sending (:func:`sent_by_browser`); it is checked
from the next run on. Otherwise it is checked against what is valid *now* (the heads of this model, the
tokens of this sentence), so nothing stale survives a change of sentence, model or language. Every
correction is listed on the page (:func:`notices`) and the URL is rewritten to what is shown.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

SHOWN_CHARS = 24  # a bad value is quoted in its notice up to this many characters
MAX_URL_TEXT = 2000  # longer texts are not put into the URL (a link that long breaks in browsers, servers)
_WHOLE = re.compile(r"[+-]?[0-9]{1,12}")  # ASCII digits only: int() would also read "²" or "١٢"
_DECIMAL = re.compile(r"[+-]?([0-9]{1,6}(\.[0-9]{0,6})?|\.[0-9]{1,6})")  # no inf, nan, 1e999


class BadValue(ValueError):
    """A URL value that cannot be used; ``used`` is what the page shows instead."""

    def __init__(self, reason: str, used: object) -> None:
        super().__init__(reason)
        self.reason, self.used = reason, used


@dataclass(frozen=True)
class Whole:
    """A whole number from ``low`` to ``high``; ``None`` allowed (an empty box) when ``optional``."""

    low: int
    high: int
    default: int | None
    optional: bool = False

    def parse(self, text: str) -> int | None:
        if text == "" and self.optional:
            return None
        if re.fullmatch(r"[0-9]{13,}", text.strip()):  # a number, just too long to be in range
            raise BadValue("out_of_range", self.high)
        if not _WHOLE.fullmatch(text.strip()):
            raise BadValue("not_number", self.default)
        return self.check(int(text))

    def check(self, value: object) -> int | None:
        if value is None and self.optional:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            raise BadValue("not_number", self.default)
        if not self.low <= value <= self.high:
            raise BadValue("out_of_range", min(max(value, self.low), self.high))
        return value

    def text(self, value: int | None) -> str:
        return "" if value is None else str(value)


@dataclass(frozen=True)
class Decimal:
    """A number from ``low`` to ``high`` in steps of ``step`` (a slider's value)."""

    low: float
    high: float
    step: float
    default: float

    def parse(self, text: str) -> float:
        if not _DECIMAL.fullmatch(text.strip()):
            raise BadValue("not_number", self.default)
        return self.check(float(text))

    def check(self, value: object) -> float:
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
            raise BadValue("not_number", self.default)
        on_grid = round(round((value - self.low) / self.step) * self.step + self.low, 6)
        if not self.low <= value <= self.high:
            raise BadValue("out_of_range", min(max(on_grid, self.low), self.high))
        if abs(on_grid - value) > 1e-9:
            raise BadValue("off_grid", on_grid)
        return float(value)

    def text(self, value: float) -> str:
        return f"{value:g}"


@dataclass(frozen=True)
class Choice:
    """One of ``options`` (strings, or whole numbers kept in the URL as digits). ``unknown`` names the
    notice for a value that is not an option (``unknown_model`` for a model name)."""

    options: tuple
    default: object
    unknown: str = "unknown_choice"

    def parse(self, text: str) -> object:
        for option in self.options:
            if str(option) == text:
                return option
        raise BadValue(self.unknown, self.default)

    def check(self, value: object) -> object:
        if value not in self.options:
            raise BadValue(self.unknown, self.default)
        return value

    def text(self, value: object) -> str:
        return str(value)


@dataclass(frozen=True)
class Flag:
    """On or off: ``true`` / ``false`` in the URL (``1`` / ``0`` with ``digits``: ``?present=1``); either
    spelling is read."""

    default: bool = False
    digits: bool = False

    def parse(self, text: str) -> bool:
        if text.lower() not in ("true", "false", "1", "0"):
            raise BadValue("not_flag", self.default)
        return text.lower() in ("true", "1")

    def check(self, value: object) -> bool:
        if not isinstance(value, bool):
            raise BadValue("not_flag", self.default)
        return value

    def text(self, value: bool) -> str:
        if self.digits:
            return "1" if value else "0"
        return "true" if value else "false"


@dataclass(frozen=True)
class Text:
    """Free text (a sentence). Kept out of the URL when longer than MAX_URL_TEXT characters."""

    default: str

    def parse(self, text: str) -> str:
        return text

    def check(self, value: object) -> str:
        if not isinstance(value, str):
            raise BadValue("not_text", self.default)
        return value

    def text(self, value: str) -> str:
        return value


Spec = Whole | Decimal | Choice | Flag | Text


@dataclass(frozen=True)
class Notice:
    """One correction, for the page to list: the parameter, what was given (shortened), what is used."""

    key: str
    reason: str  # not_number | out_of_range | off_grid | unknown_choice | unknown_model | not_flag | …
    given: str
    used: str


def _state() -> dict:
    """This run's bookkeeping, reset by :func:`begin_run`: the specs bound so far, the notices, and the
    previous run's notices and values (see :func:`notices`)."""
    return st.session_state.setdefault("_url", {"specs": {}, "notices": [], "before": [], "values": None})


def begin_run() -> None:
    """Start this run's bookkeeping (app.py calls it first thing), remembering the previous run's notices
    and the values it left in the URL. A run stopped midway (the browser's width report, or a rerun on
    its heels under load) never reached :func:`write_back`, so its notices and the ones it carried are
    all carried on: several runs in a row can be stopped before one finishes."""
    previous = st.session_state.get("_url", {})
    before = previous.get("notices", [])
    if not previous.get("finished", True):
        carried = previous.get("before", [])
        before = carried + [n for n in before if n not in carried]
    st.session_state["_url"] = {
        "specs": {}, "notices": [], "before": before, "values": previous.get("values"), "finished": False,
    }  # fmt: skip


def shorten(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def _note(key: str, reason: str, given: object, used: object, spec: Spec) -> None:
    shown_used = spec.text(used) if used is not None else ""
    _state()["notices"].append(Notice(key, reason, shorten(str(given)), shown_used))


def bound(key: str, spec: Spec) -> object:
    """Put ``key``'s value into the session state before its widget is drawn, checked against ``spec``;
    returns it. From the URL the first time (a link), from the session afterwards; corrected with a notice
    when it does not fit ``spec`` (which may change from run to run: another model, another sentence).
    """
    _state()["specs"][key] = spec
    if key not in st.session_state and sent_by_browser(key):
        return read(key, spec)  # the widget's default only: the widget takes the browser's value
    if key in st.session_state:
        value = st.session_state[key]
        try:
            spec.check(value)
        except BadValue as bad:
            _note(key, bad.reason, value, bad.used, spec)
            st.session_state[key] = bad.used
        return st.session_state[key]
    st.session_state[key] = read(key, spec)
    return st.session_state[key]


def sent_by_browser(key: str) -> bool:
    """True when this run came with a value for the widget keyed ``key`` that the session has not met
    yet: a browser that moved to this server (a replica died) or outlived a restart. Streamlit names a
    keyed widget ``$$ID-<hash>-<key>``; its values from the browser wait in the session state until the
    widget is drawn (Streamlit 1.67's SessionState; no public API tells this)."""
    from streamlit.runtime.state.session_state_proxy import get_session_state

    waiting = get_session_state()._state._new_widget_state.states  # {widget id: value from the browser}
    own = re.compile(r"\$\$ID-[0-9a-f]+-" + re.escape(key))
    return any(own.fullmatch(widget_id) for widget_id in waiting)


def read(key: str, spec: Spec) -> object:
    """``key``'s value in the URL, checked against ``spec`` (the default when absent); a repeated key
    uses its last value, as a browser form would. Every correction is noted for the page."""
    given = st.query_params.get_all(key)
    if not given:
        return spec.default
    try:
        value, bad = spec.parse(given[-1]), None
    except BadValue as error:
        value, bad = error.used, error
    if len(given) > 1:  # (noted with the value used: the text of "2" as a decimal is not "2")
        _note(key, "repeated", f"{len(given)}×", value, spec)
    if bad is not None:
        _note(key, bad.reason, given[-1], bad.used, spec)
    return value


def keep(key: str, spec: Spec, value: object) -> None:
    """Write ``value`` into the URL as ``key`` (a parameter that is not a widget, e.g. ``from_layer``)."""
    _state()["specs"][key] = spec
    _write(key, spec, value)


def _write(key: str, spec: Spec, value: object) -> None:
    shown = spec.text(value)
    too_long = isinstance(spec, Text) and len(shown) > MAX_URL_TEXT
    if value == spec.default or too_long:
        st.query_params.pop(key, None)
    elif st.query_params.get_all(key) != [shown]:
        st.query_params[key] = shown


def note(key: str, given: str, why: str) -> None:
    """A URL value a page could not use (``why``: the reason, one line); listed with the corrections."""
    _state()["notices"].append(Notice(key, "unusable", shorten(given), why))


def write_back() -> None:
    """After the run: the URL holds every bound widget's value (defaults left out), so a copied link
    reopens this view.

    A run that nobody asked for (the browser reporting the page width right after a link is opened) must
    not wipe the corrections the first run listed (nor may a first run that it stopped midway): while the
    values stay what that run left, its notices stay on the page; the first change a person makes clears
    them."""
    state = _state()
    values = {}
    for key, spec in state["specs"].items():
        if key in st.session_state:
            _write(key, spec, st.session_state[key])
            values[key] = spec.text(st.session_state[key]) if st.session_state[key] is not None else None
    # (None: no run has finished yet — the browser's width report can stop the very first run midway)
    if state["values"] is None or values == state["values"]:
        state["notices"] = state["before"] + [n for n in state["notices"] if n not in state["before"]]
    state["values"] = values
    state["finished"] = True


def too_long_for_url(key: str) -> bool:
    """True when the text bound to ``key`` is kept out of the URL (the page says so)."""
    value = st.session_state.get(key)
    return isinstance(value, str) and len(value) > MAX_URL_TEXT


def notices() -> Sequence[Notice]:
    return tuple(_state()["notices"])
