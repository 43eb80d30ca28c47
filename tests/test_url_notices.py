"""The corrections a link needed stay listed until the person changes something, however many of the
first runs are stopped midway (the browser's width report, reruns on each other's heels under load)."""

from types import SimpleNamespace

import pytest

from pages.ui import url

HEADS = url.Whole(1, 16, 4)


class Params(dict):
    """Just enough of ``st.query_params``: a key's values as a list, set and popped as one text."""

    def get_all(self, key):
        value = self.get(key)
        return [] if value is None else [value]


@pytest.fixture
def st(monkeypatch):
    fake = SimpleNamespace(session_state={}, query_params=Params(heads="99"))
    monkeypatch.setattr(url, "st", fake)
    return fake


def run(st, heads=None, finish=True):
    """One script run: bookkeeping, the heads value (from the link the first time), write-back."""
    url.begin_run()
    url._state()["specs"]["heads"] = HEADS
    if "heads" not in st.session_state:
        st.session_state["heads"] = url.read("heads", HEADS)
    if heads is not None:
        st.session_state["heads"] = heads  # the person moved the slider
    if finish:
        url.write_back()
    return [n.key for n in url.notices()]


def test_a_link_correction_survives_two_runs_stopped_in_a_row(st):
    run(st, finish=False)  # the link's run, stopped by the width report
    run(st, finish=False)  # the width report's run, stopped by the next rerun
    assert run(st) == ["heads"]  # the first run to finish still lists it
    assert st.query_params == {"heads": "16"}  # and the URL shows what is used
    assert run(st) == ["heads"]  # later runs with the same values keep it


def test_a_change_of_ones_own_clears_it_even_after_a_stopped_run(st):
    assert run(st) == ["heads"]
    run(st, heads=8, finish=False)  # the person's change, stopped by another rerun
    assert run(st) == []
    assert st.query_params == {"heads": "8"}
