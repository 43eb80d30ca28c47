"""What only a browser shows (issue 16): Markdown, HTML and LaTeX payloads in every URL parameter and in
model folder names create no image, link or formula, and the page makes no request anywhere but to the
app itself."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import start_server, wait_idle

pytestmark = pytest.mark.browser

TINY_GPT2 = Path(__file__).resolve().parents[1] / "fixtures" / "tiny-gpt2"
BAIT = "127.0.0.1:9"  # nothing listens there: a request to it is the payload at work
PAYLOADS = [
    f"![](http://{BAIT}/pixel.png)",
    f"[Click here to sign in again](http://{BAIT}/login)",
    f"$\\href{{http://{BAIT}/x}}{{click}}$",
    f'<img src="http://{BAIT}/i.png"><script>alert(1)</script>',
    f"<a href='http://{BAIT}/a'>a</a> :red[x]",
]
PARAMETERS = {  # page -> the parameters a visitor can put text into there
    "": ["heads", "lang", "img", "seed"],
    "attention": ["source", "attention_head", "temperature"],
    "self_attention": ["from_model", "self_query", "self_head", "from_layer"],
    "multi_head": ["from_model", "d_k", "causal"],
    "model_explorer": ["model", "layer", "explorer_view", "explorer_query"],
    "head_atlas": ["atlas_scope", "model"],
    "training": ["training_step", "layer"],
}
FOLDER_NAMES = ["![pixel](pixel.png)", "[sign in](javascript:alert(1))", "$\\href{x}{y}$"]


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    """A server whose models directory holds folders named like payloads."""
    models = tmp_path_factory.mktemp("models")
    for name in FOLDER_NAMES:
        shutil.copytree(TINY_GPT2, models / name)
    server, url = start_server({"ATTENTION_EXPLORER_MODELS": str(models)})
    yield url
    server.terminate()
    server.wait(10)


def watch_requests(page: Page, app_url: str) -> list[str]:
    """Every request the page makes that is not to the app's own origin (recorded, then aborted)."""
    origin = urlparse(app_url).netloc
    elsewhere: list[str] = []

    def route(r):
        if urlparse(r.request.url).netloc == origin or r.request.url.startswith("data:"):
            r.continue_()
        else:
            elsewhere.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return elsewhere


def made_from_payload(page: Page) -> list[str]:
    """Images, links and formulas in the page that a payload could have made."""
    return page.evaluate(
        """() => [
            ...[...document.querySelectorAll('img')].map(e => e.src)
                .filter(s => s.includes('pixel') || s.includes('127.0.0.1:9') || s.includes('i.png')),
            ...[...document.querySelectorAll('a')].map(e => e.href)
                .filter(h => h.includes('127.0.0.1:9') || h.startsWith('javascript')),
            ...[...document.querySelectorAll('.katex')].map(e => e.textContent)
                .filter(t => t.includes('click') || t.includes('href')),
        ]"""
    )


@pytest.mark.parametrize("path", list(PARAMETERS))
def test_payloads_in_url_parameters_make_no_element_and_no_request(page, app_url, path):
    elsewhere = watch_requests(page, app_url)
    keys = PARAMETERS[path]
    for shift in range(0, len(PAYLOADS), 2):  # every parameter meets several payloads, in 3 page loads
        query = {key: PAYLOADS[(i + shift) % len(PAYLOADS)] for i, key in enumerate(keys)}
        query["sentence"] = PAYLOADS[shift] + " " + PAYLOADS[(shift + 1) % len(PAYLOADS)]
        page.goto(f"{app_url}/{path}?{urlencode(query)}")
        wait_idle(page)
        page.wait_for_timeout(300)
        assert made_from_payload(page) == [], query
        assert page.dialogs == [], query
        assert not page.get_by_test_id("stException").count(), query
    assert elsewhere == []


@pytest.mark.parametrize("path", ["model_explorer", "head_atlas", "self_attention", "multi_head"])
def test_model_folder_names_make_no_element_and_no_request(page, hostile_server, path):
    elsewhere = watch_requests(page, hostile_server)
    for name in FOLDER_NAMES:
        key = "model" if path in ("model_explorer", "head_atlas") else "from_model"
        page.goto(f"{hostile_server}/{path}?{urlencode({key: name, 'sentence': 'The cat sat.'})}")
        wait_idle(page)
        page.wait_for_timeout(300)
        assert made_from_payload(page) == [], name
        assert not page.get_by_test_id("stException").count(), name
        page.wait_for_function(  # as text, or as the value shown in the model box
            "name => (document.body.innerText + [...document.querySelectorAll('input')].map(i => i.value)"
            ".join(' ')).includes(name)",
            arg=name,
            timeout=30_000,
        )
    assert elsewhere == []
