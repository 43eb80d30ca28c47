"""Two browsers on one server (issue 14): two contexts (separate cookies, separate sessions) open
/interventions with other models, languages, sentences and ablations; each then types a new sentence in
turn. Neither ever shows the other's sentence, model, language or heads, in its boxes or its URL."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_app, type_sentence, wait_idle

pytestmark = pytest.mark.browser

A = {"model": "ko-en-lm", "sentence": "The cat sat on the mat.", "ablate": "0.1"}
B = {
    "model": "all-MiniLM-L6-v2",
    "lang": "ko",
    "sentence": "고양이가 창가에서 잠을 잤다.",
    "ablate": "3.5,4.0",
}


def query(page) -> dict[str, str]:
    """The page's URL parameters, with the page's default model (left out of the URL) filled in."""
    given = {key: values[-1] for key, values in parse_qs(urlparse(page.url).query).items()}
    return {"model": "ko-en-lm"} | given


def url_has_sentence(page, sentence: str) -> None:
    """Wait until the rerun that a typed sentence starts has finished and written it into the URL (the
    script can still be idle for a moment after Enter, so waiting for idle alone can come too early)."""
    page.wait_for_function(
        "s => new URLSearchParams(location.search).get('sentence') === s", arg=sentence, timeout=60_000
    )
    wait_idle(page)


def test_two_browser_sessions_never_see_each_others_state(browser, app_url):
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(2)]
    try:
        a, b = (context.new_page() for context in contexts)
        open_app(a, f"{app_url}/interventions?{urlencode(A)}")
        open_app(b, f"{app_url}/interventions?{urlencode(B)}")
        assert query(a) == A and query(b) == B

        type_sentence(b, "개가 공원에서 뛰었다.", label="문장")  # B changes its sentence …
        url_has_sentence(b, "개가 공원에서 뛰었다.")
        type_sentence(a, "A dog ran in the park.")  # … then A changes its own
        url_has_sentence(a, "A dog ran in the park.")

        assert query(a) == A | {"sentence": "A dog ran in the park."}
        assert query(b) == B | {"sentence": "개가 공원에서 뛰었다."}
        expect(a.get_by_label("Sentence", exact=True)).to_have_value("A dog ran in the park.")
        expect(b.get_by_label("문장", exact=True)).to_have_value("개가 공원에서 뛰었다.")
        expect(a.get_by_text("개가 공원에서")).to_have_count(0)
        expect(b.get_by_text("A dog ran in the park")).to_have_count(0)
    finally:
        for context in contexts:
            context.close()
