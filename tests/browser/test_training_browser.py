"""/training in a browser: moving the snapshot slider redraws the chosen head's pattern."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from attention_core.models.own_lm import FOLDER as OWN_MODEL_DIR
from attention_core.tokenizer import SentencePieceTokenizer
from tests.browser.conftest import open_app, screenshot, wait_idle

pytestmark = pytest.mark.browser
SENTENCE = "나는 어제 학교에 갔다."
STEPS = [s["step"] for s in json.loads((OWN_MODEL_DIR / "history.json").read_text())["snapshots"]]


def test_moving_the_slider_redraws_the_pattern(page, app_url):
    open_app(page, f"{app_url}/training?layer=0&head=0&sentence={quote(SENTENCE)}")
    chart = page.locator(".st-key-training_pattern")
    labels = SentencePieceTokenizer().encode(SENTENCE, add_bos=True).labels
    expect(chart.locator(".yaxislayer-above .ytick text")).to_have_text(list(labels), timeout=30_000)
    assert labels[:4] == ("<s>", "▁나는", "▁어제", "▁학교")  # everyday Korean words, as the model reads them
    expect(chart.get_by_text(f"step {STEPS[-1]}")).to_be_visible()
    final_image = chart.locator("image").get_attribute("href")
    screenshot(page, "training")

    thumb = page.get_by_role("slider", name="Training step (snapshot)")
    thumb.focus()
    thumb.press("Home")  # the first snapshot: the untrained model
    expect(chart.get_by_text("step 0")).to_be_visible(timeout=30_000)
    wait_idle(page)
    assert "training_step=0" in page.url
    assert chart.locator("image").get_attribute("href") != final_image
