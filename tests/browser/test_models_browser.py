"""The real-model pages in a browser: 6 × 12 heads with the right tokens, clicking a head, the head view
responding to the mouse."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_app, screenshot, wait_idle

pytestmark = pytest.mark.browser
SENTENCE = "The+animal+didn%27t+cross+the+street+because+it+was+too+tired."
TOKENS = ["[CLS]", "the", "animal", "didn", "'", "t", "cross", "the", "street", "because", "it", "was", "too",
          "tired", ".", "[SEP]"]  # fmt: skip


def test_model_view_draws_all_72_heads_and_a_click_opens_one(page, app_url):
    open_app(page, f"{app_url}/model_explorer?model=all-MiniLM-L6-v2&sentence={SENTENCE}")
    grid = page.locator(".st-key-explorer_model_view")
    expect(grid.locator(".ytick text")).to_have_text([str(i) for i in range(6)], timeout=30_000)
    expect(grid.locator(".xtick text")).to_have_text([str(i) for i in range(12)])
    expect(grid.locator("image")).to_have_count(1)
    large = page.locator(".st-key-explorer_head")
    expect(large.locator(".yaxislayer-above .ytick text")).to_have_text(TOKENS)
    screenshot(page, "model-explorer")

    target = grid.locator(".scatterlayer .point").nth(3 * 12 + 5)  # layer 3, head 5
    target.click(force=True)
    expect(page.get_by_role("heading", name="Layer 3, head 5")).to_be_visible(timeout=30_000)
    wait_idle(page)
    assert "layer=3" in page.url and "head=5" in page.url


def test_head_view_focuses_on_hover_and_locks_on_click(page, app_url):
    open_app(page, f"{app_url}/model_explorer?model=all-MiniLM-L6-v2&explorer_view=head&sentence={SENTENCE}")
    view = page.locator(".st-key-explorer_head_view")
    expect(view.get_by_role("button", name="head 11")).to_be_visible(timeout=30_000)
    lines = view.locator("line")
    everything = lines.count()
    assert everything > 100
    animal = view.locator("text.token").nth(2)  # "animal", query side
    animal.hover()
    expect(lines).not_to_have_count(everything)
    focused = lines.count()
    assert 0 < focused < everything / 4
    animal.click()
    expect(view.get_by_text("Locked on a token")).to_be_visible()
    page.mouse.move(5, 5)  # leaving does not unlock
    expect(lines).to_have_count(focused)
    view.get_by_role("button", name="head 2").click()  # hide one head
    expect(lines).not_to_have_count(focused)
    screenshot(page, "model-explorer-head-view")


def test_head_atlas_shows_roles(page, app_url):
    open_app(page, f"{app_url}/head_atlas?model=all-MiniLM-L6-v2&sentence={SENTENCE}")
    roles = page.locator(".st-key-atlas_roles")
    expect(roles.get_by_text("previous token")).to_have_count(1, timeout=30_000)
    screenshot(page, "head-atlas")


def test_neuron_view_follows_the_chosen_tokens(page, app_url):
    open_app(
        page, f"{app_url}/model_explorer?model=all-MiniLM-L6-v2&explorer_view=neuron&sentence={SENTENCE}"
    )
    chart = page.locator(".st-key-explorer_neuron")
    expect(chart.get_by_text("k  (key 0 [CLS])")).to_be_visible(timeout=30_000)
    key_box = page.locator("[class*=st-key-explorer_key_] input")
    key_box.click()
    key_box.press_sequentially("animal")  # typed: a clicked option can be redrawn under the mouse (load)
    expect(page.get_by_role("option")).to_have_text(["2 · animal"])
    key_box.press("Enter")
    expect(chart.get_by_text("k  (key 2 animal)")).to_be_visible(timeout=30_000)
    expect(chart.locator(".annotation-text").filter(has_text="softmax: pattern[1, 2]")).to_have_count(1)
    screenshot(page, "model-explorer-neuron-view")
