"""What only a browser shows: heatmaps drawn with the tokens on their axes, the language switch, the seed
example's shapes, shared links, and user text that stays text."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from attention_core.tokenizer import SentencePieceTokenizer
from pages.ui import site
from pages.ui.i18n import STRINGS
from tests.browser.conftest import open_app, screenshot, start_server, type_sentence, wait_idle

pytestmark = pytest.mark.browser


def wait_until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.mark.parametrize(
    ("sentence", "first_tokens"),
    [
        ("고양이가 창가에서 잠을 잤다.", ["▁고양이", "가", "▁창", "가"]),
        ("The cat sat on the mat.", ["▁The", "▁cat", "▁sat", "▁on"]),
    ],
)
def test_typed_sentence_draws_one_heatmap_per_head_with_its_tokens(page, app_url, sentence, first_tokens):
    open_app(page, app_url + "/?heads=4")
    type_sentence(page, sentence)
    labels = list(SentencePieceTokenizer().encode(sentence).labels)
    assert labels[: len(first_tokens)] == first_tokens
    chart = page.locator(".st-key-overview_heads")
    ticks = chart.locator(".yaxislayer-above .ytick text")  # the query labels, once per row of heads
    expect(ticks.first).to_have_text(labels[0], timeout=30_000)
    wait_until(lambda: ticks.all_text_contents()[: len(labels)] == labels)
    wait_idle(page)
    expect(chart.locator(".heatmaplayer .hm")).to_have_count(1)  # one mosaic of all heads
    expect(
        chart.locator(".gtitle, .annotation-text").filter(has_text=re.compile(r"^head \d$"))
    ).to_have_count(4)
    assert "sentence=" in page.url  # the view is in the link
    screenshot(page, "overview-" + ("ko" if "고" in sentence else "en"))


def test_language_switch_translates_labels_and_menu(page, app_url):
    open_app(page, app_url)
    page.locator(".st-key-lang").get_by_role("radio", name="한국어", exact=True).click()
    expect(page.get_by_label("문장", exact=True)).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stTopNav").get_by_role("link", name="멀티헤드 어텐션")).to_be_visible()
    expect(page.locator("h1")).to_have_text("개요")
    assert "lang=ko" in page.url
    screenshot(page, "overview-korean-ui")


def test_seed_example_shows_2x24_and_24x4(page, app_url):
    open_app(page, app_url + "/multi_head")
    page.get_by_role("button", name="Load the seed example").click()
    flow = page.locator(".st-key-multi_flow")
    expect(flow.get_by_text(re.compile(r"concat\s+\(2 × 24\)"))).to_be_visible(timeout=30_000)
    expect(flow.get_by_text(re.compile(r"W_O\s+\(24 × 4\)"))).to_be_visible()
    expect(flow.get_by_text(re.compile(r"out\s+\(2 × 4\)"))).to_be_visible()
    expect(page.get_by_text("concat [2 × 24] · W_O [24 × 4] = out [2 × 4]")).to_be_visible()
    screenshot(page, "multi-head-seed-example")


def test_html_in_a_sentence_is_shown_as_text_and_runs_nothing(page, app_url):
    open_app(page, app_url)
    type_sentence(page, "<img src=x onerror=alert(1)> <script>alert(2)</script> <b>bold</b>")
    expect(page.locator(".st-key-overview_heads .ytick text").filter(has_text="▁<")).not_to_have_count(0)
    wait_idle(page)
    page.wait_for_timeout(1000)
    assert page.dialogs == []
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator("b", has_text="bold").count() == 0
    expect(page.locator("code", has_text="▁<").first).to_be_visible()  # the token strip shows it as text
    page.get_by_text("Position, token and id of all").click()
    expect(page.locator('[data-testid="stDataFrame"]')).to_be_visible()
    screenshot(page, "overview-html-input")


def test_hovering_a_score_cell_shows_its_dot_product(page, app_url):
    open_app(page, app_url + "/self_attention?sentence=one+two+three&step=3")
    chart = page.locator(".st-key-self_scores .nsewdrag").first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    hover = page.locator(".st-key-self_scores .hoverlayer .hovertext")
    expect(hover).to_contain_text("·", timeout=10_000)
    expect(hover).to_contain_text("k")


@pytest.mark.parametrize("path", ["/", "/attention", "/self_attention", "/multi_head"])
def test_each_page_renders_in_the_browser(page, app_url, path):
    open_app(page, app_url + path)
    expect(page.locator('[data-testid="stPlotlyChart"]').first).to_be_visible(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "page-" + (path.strip("/") or "overview"))


@pytest.mark.parametrize("page_row", site.PAGES, ids=[p.url_path or "overview" for p in site.PAGES])
def test_every_page_opens_by_deep_link_on_a_fresh_server(page, page_row):
    """The first visit to a new server is a deep link (as when a class opens a shared link)."""
    server, url = start_server()
    try:
        page.goto(f"{url}/{page_row.url_path}?sentence=hello+world&heads=2&lang=ko")
        wait_idle(page)
        expect(page.locator("h1")).to_have_text(STRINGS[f"nav.{page_row.name}"]["ko"])
        expect(page.get_by_label("문장", exact=True)).to_have_value("hello world")
        expect(page.get_by_text("Page not found")).to_have_count(0)
        expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("헤드 수")
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        server.terminate()
        server.wait(10)


@pytest.mark.parametrize(
    ("path", "chart_key", "axis_titles"),
    [("/?heads=4", "overview_heads", 2), ("/self_attention?step=3", "self_scores", 0)],
)
def test_tick_labels_fit_inside_the_chart(page, app_url, path, chart_key, axis_titles):
    """Margins are sized in Python, not measured by Plotly: every label must still be wholly visible."""
    open_app(page, app_url + path)
    type_sentence(page, "고양이가 창가에서 잠을 잤다 😀 <b>supercalifragilisticexpialidocious</b>")
    chart = page.locator(f".st-key-{chart_key}")
    expect(chart.locator(".ytick text").first).to_have_text("▁고양이", timeout=30_000)
    wait_idle(page)
    svg = chart.locator(".main-svg").first.bounding_box()
    labels = chart.locator(".xtick text, .ytick text").all()
    assert len(labels) > 20  # every row, and the columns thinned to the spacing their font needs
    titles = chart.locator(".g-xtitle text, .g-ytitle text").all()  # the axis titles, beyond the labels
    assert len(titles) == axis_titles
    for box in [t.bounding_box() for t in labels + titles]:
        assert box["x"] >= svg["x"] - 0.5 and box["y"] + box["height"] <= svg["y"] + svg["height"] + 0.5
