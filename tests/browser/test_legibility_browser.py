"""Legibility as a projector shows it (issue 9): at 1024 × 768, 1280 × 720 and 1400 × 1000, on every page,
every step of every walkthrough and both languages, no two figure texts overlap, none is cut off, tick
labels are at least 11 px and numbers in cells at least 10 px; the Korean pages show no English left
over from the string table."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from pages.ui.i18n import STRINGS
from tests.browser.conftest import wait_idle
from tests.browser.legibility import problems

pytestmark = pytest.mark.browser

VIEWPORTS = [(1024, 768), (1280, 720), (1400, 1000)]
PAGES = ["", "lesson", "attention", "self_attention", "multi_head", "model_explorer", "interventions",
         "head_atlas", "training"]  # fmt: skip
SENTENCES = {
    "en": "The animal didn't cross the street because it was too tired.",
    "ko": "나는 어제 친구와 함께 도서관에 갔다.",
}
WALKTHROUGHS = {"lesson": 6, "attention": 4, "self_attention": 8, "multi_head": 3}
# (page, query): the cases that overlapped, plus long, many-headed and real-model ones
HARD_CASES = [
    ("multi_head", {"sentence": "I am", "d_model": "4", "heads": "3", "d_k": "8", "d_v": "8", "step": "3"}),
    ("multi_head", {"heads": "16", "d_model": "128", "step": "3"}),
    ("", {"heads": "16", "d_model": "128", "sentence": "The river bank was quiet after the storm. " * 6}),
    (
        "self_attention",
        {"sentence": "The river bank was quiet after the storm passed over the town.", "step": "3"},
    ),
    ("model_explorer", {"model": "all-MiniLM-L6-v2", "explorer_view": "neuron"}),
    ("model_explorer", {"model": "all-MiniLM-L6-v2", "sentence": "The river bank was quiet. " * 20}),
    ("multi_head", {"from_model": "all-MiniLM-L6-v2", "step": "3"}),
    ("interventions", {"model": "ko-en-lm", "ablate": "0.0,1.2", "ablate_mean": "true", "lang": "ko"}),
    ("interventions", {"model": "all-MiniLM-L6-v2", "ablate": "5.11"}),
    ("interventions", {"model": "all-MiniLM-L6-v2", "effects_view": "rank"}),
    ("interventions", {"model": "ko-en-lm", "effects_view": "rollout"}),
    ("interventions", {"model": "all-MiniLM-L6-v2", "effects_view": "attribution", "lang": "ko"}),
    ("model_explorer", {"model": "all-MiniLM-L6-v2", "explorer_view": "compare"}),
    ("self_attention", {"present": "1", "step": "6", "lang": "ko"}),
    ("", {"palette": "colourblind", "heads": "8"}),
    (
        "",
        {
            "sentence": "😀 <b>x</b> 🇰🇷 supercalifragilisticexpialidocious a\u200bb",
            "heads": "2",
            "d_model": "8",
        },
    ),
]


def open_settled(page: Page, url: str) -> None:
    page.goto(url)
    wait_idle(page)


def assert_legible(page: Page, where: str) -> None:
    found = problems(page)
    assert found == {}, f"{where}: {found}"


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_no_figure_text_overlaps_or_is_too_small_on_any_page(browser, app_url, viewport, lang):
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    try:
        for path in PAGES:
            open_settled(page, f"{app_url}/{path}?{urlencode({'lang': lang, 'sentence': SENTENCES[lang]})}")
            assert_legible(page, f"/{path}")
            for step in range(2, WALKTHROUGHS.get(path, 0) + 1):  # the other steps, tab by tab
                page.get_by_role("tab", name=re.compile(rf"^{step}\. ")).click()
                wait_idle(page)
                assert_legible(page, f"/{path} step {step}")
    finally:
        context.close()


@pytest.mark.parametrize("case", range(len(HARD_CASES)))
def test_hard_cases_are_legible_at_the_projector_size(browser, app_url, case):
    path, query = HARD_CASES[case]
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    try:
        open_settled(page, f"{app_url}/{path}?{urlencode(query)}")
        expect(page.get_by_test_id("stException")).to_have_count(0)
        assert_legible(page, f"/{path}?{urlencode(query)}")
    finally:
        context.close()


def english_only_words() -> set[str]:
    """Words of three letters or more in the English strings that no Korean string uses as well (so the
    names both languages share, "softmax", "concat", "W_O", do not count)."""

    def words(text: str) -> set[str]:
        return {w.lower() for w in re.findall(r"[A-Za-z]{3,}", re.sub(r"\{[^}]*\}", " ", text))}

    english = set().union(*(words(s["en"]) for s in STRINGS.values()))
    korean = set().union(*(words(s["ko"]) for s in STRINGS.values()))
    return english - korean - ARRAY_NAMES


# DESIGN.md's array names and the formulas' operators: the same in both languages
ARRAY_NAMES = {"scores", "scaled", "mask", "pattern", "concat", "out", "softmax", "max", "exp"}


VISIBLE_TEXT = """() => {
  // not UI text: user values and names (code), the example sentences, icon ligatures, tick labels (tokens),
  // the bilingual language switch and the skip link for keyboard users
  const skip = 'code, .st-key-examples, .st-key-lang, [data-testid="stIconMaterial"]'
    + ', [data-testid="stExpanderIcon"], a[href="#stMain"]'
    + ', .xtick, .ytick, .x2tick, .y2tick, .x3tick, .y3tick, .hoverlayer, script, style';
  const parts = [];
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) { parts.push(node.textContent); return; }
    if (node.nodeType !== Node.ELEMENT_NODE || node.matches(skip)) return;
    const style = getComputedStyle(node);
    if (style.display === 'none' || style.visibility === 'hidden') return;
    node.childNodes.forEach(walk);
  };
  walk(document.querySelector('[data-testid="stAppViewContainer"]'));
  return parts.join(' ');
}"""


@pytest.mark.parametrize("path", PAGES)
def test_the_korean_pages_leave_no_english_behind(page, app_url, path):
    leftovers = english_only_words()
    open_settled(page, f"{app_url}/{path}?{urlencode({'lang': 'ko', 'sentence': SENTENCES['ko']})}")
    steps = [None, *range(2, WALKTHROUGHS.get(path, 0) + 1)]
    for step in steps:
        if step is not None:
            page.get_by_role("tab", name=re.compile(rf"^{step}\. ")).click()
            wait_idle(page)
        shown = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", page.evaluate(VISIBLE_TEXT))}
        assert sorted(shown & leftovers) == [], f"/{path} step {step or 1}: English on the Korean page"


SETTLED_LOG = """window.settledLog = [];
document.addEventListener('DOMContentLoaded', () => new MutationObserver(
  () => window.settledLog.push(document.body.dataset.layoutSettled)
).observe(document.body, {attributes: true, attributeFilter: ['data-layout-settled']}));"""


def test_a_page_load_asks_for_the_width_once_and_a_narrower_window_once_more(page: Page, app_url: str):
    """The width probe is called again with new data each run, without cleanup; the last call's observer,
    still told the old width, used to ask for a second, needless rerun after every page load (a click made
    during it could be lost). Settled must never go back to false while the window keeps its size."""
    page.add_init_script(SETTLED_LOG)
    open_settled(page, app_url + "/interventions?model=ko-en-lm")
    page.wait_for_timeout(1000)  # the stale observer's report came 150 ms after a rerun
    log = page.evaluate("window.settledLog")
    assert log and log[-1] == "true", log
    assert "false" not in log[log.index("true") :], f"an extra width rerun after the page settled: {log}"

    page.set_viewport_size({"width": 1100, "height": 1000})  # narrower: the figures no longer fit
    page.wait_for_function(f"window.settledLog.length > {len(log)}")
    wait_idle(page)
    page.wait_for_timeout(1000)
    after = page.evaluate("window.settledLog")[len(log) :]
    assert after[0] == "false" and after[-1] == "true", after
    assert "false" not in after[after.index("true") :], f"an extra width rerun after the resize: {after}"
