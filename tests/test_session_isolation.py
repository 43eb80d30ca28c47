"""Two sessions on one server never see each other's state (issue 14). Two AppTest sessions in one
process share what a server shares (the model caches, pages/ui/compute.py's result caches) and nothing
else: each opens its own link (other sentence, model, language, ablation, teaching settings), then one
changes things while the other reruns; the other must show exactly what it showed before."""

from __future__ import annotations

import pytest

from tests.apptest_helpers import open_page, texts

SESSIONS = {
    "/interventions": (
        {"model": "ko-en-lm", "sentence": "The cat sat on the mat.", "ablate": "0.1", "lang": "en"},
        {"model": "all-MiniLM-L6-v2", "sentence": "고양이가 창가에서 잠을 잤다.", "ablate": "3.5,4.0",
         "ablate_mean": "true", "lang": "ko"},
    ),
    "/multi_head": (
        {"sentence": "The cat sat.", "heads": "2", "seed": "1"},
        {"sentence": "A dog ran home quickly.", "heads": "8", "causal": "true", "d_model": "32"},
    ),
    "/model_explorer": (
        {"model": "ko-en-lm", "sentence": "The cat sat.", "layer": "1", "head": "3"},
        {"model": "all-MiniLM-L6-v2", "sentence": "Dogs bark.", "layer": "5", "head": "11",
         "explorer_view": "head"},
    ),
}  # fmt: skip


def seen(at) -> tuple:
    """What a person sees and would share: the page's texts and figures, the URL, the settings."""
    figures = [chart.proto.spec for chart in at.get("plotly_chart")]  # the figures' JSON
    settings = {k: at.session_state[k] for k in ("sentence", "model", "lang", "heads", "layer", "head")
                if k in at.session_state}  # fmt: skip
    return texts(at), dict(at.query_params), settings, figures


@pytest.mark.parametrize("path", SESSIONS)
def test_two_sessions_keep_their_own_state(path):
    query_a, query_b = SESSIONS[path]
    a = open_page(path, **query_a)
    b = open_page(path, **query_b)
    assert not a.exception and not b.exception
    before_a, before_b = seen(a), seen(b)
    assert before_a[2]["sentence"] == query_a["sentence"] and before_b[2]["sentence"] == query_b["sentence"]
    assert before_a[3] and before_a[3] != before_b[3]  # figures on both, and different

    b.text_input(key="sentence").set_value("Something else entirely, typed by B.").run()  # B changes
    a.run()  # A's rerun comes after: it must not pick up B's sentence or settings
    assert not a.exception and not b.exception
    assert seen(a) == before_a
    assert b.session_state["sentence"] == "Something else entirely, typed by B."
    assert query_a["sentence"] not in texts(b)
    for key, value in query_b.items():
        if key != "sentence":
            assert b.query_params.get(key) in (value, [value]), key  # B's link still says B's settings


def test_a_third_session_opening_the_bare_page_gets_the_defaults():
    """Nothing one session chose becomes another's default."""
    open_page("/interventions", **SESSIONS["/interventions"][1])
    fresh = open_page("/interventions")
    assert not fresh.exception
    assert dict(fresh.query_params) == {}
    assert fresh.session_state["lang"] == "en" and fresh.session_state["ablate"] == ""
