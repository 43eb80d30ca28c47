"""Uploading a text file to /head_atlas in a real browser: the file goes through Streamlit's upload
route (an HTTP PUT with the session's id and the XSRF cookie), which AppTest never uses."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import upload, wait_idle

pytestmark = pytest.mark.browser

TEXT = "The cat sat on the mat. It was tired.\n고양이가 창가에서 잠을 잤다.\n".encode()
SUMMARY = re.compile(r"\b3 sentences, [0-9,]+ tokens")


def test_an_uploaded_text_is_measured_and_bad_bytes_are_explained(page: Page, app_url: str):
    page.goto(app_url + "/head_atlas?model=ko-en-lm&atlas_scope=text")
    wait_idle(page)
    expect(page.get_by_text("Paste or upload a Korean or English text")).to_be_visible()
    upload(page, "class.txt", TEXT)
    expect(page.get_by_text(SUMMARY)).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name="The table as CSV")).to_be_visible()

    page.locator('[data-testid="stFileChipDeleteBtn"] button').click()  # the file chip's ✕
    expect(page.get_by_text("Paste or upload a Korean or English text")).to_be_visible()
    upload(page, "latin1.txt", "café crème\n".encode("latin-1"))  # not UTF-8
    expect(page.get_by_text("the text is not UTF-8 (byte 0xe9 at 3)")).to_be_visible(timeout=30_000)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
