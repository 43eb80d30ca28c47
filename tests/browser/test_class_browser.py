"""In class: presentation mode on a projector-sized window, the lesson's download, and the lesson file
opened offline, with every network request blocked."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Page, TimeoutError, expect

from tests.browser.conftest import REPO, screenshot, wait_idle

PROJECTOR = {"width": 1280, "height": 720}


def step_in_url(page: Page) -> str | None:
    return parse_qs(urlparse(page.url).query).get("step", [None])[0]


def heading(page: Page):
    return page.get_by_role("heading", name=re.compile(r"^Step \d+ of \d+"))


def test_presentation_mode_hides_the_sidebar_and_shows_one_step_with_next(page, app_url):
    page.set_viewport_size(PROJECTOR)
    page.goto(app_url + "/self_attention?present=1")
    wait_idle(page)
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    expect(heading(page)).to_have_count(1)
    expect(heading(page)).to_have_text(re.compile(r"^Step 1 of 8"))
    expect(page.get_by_role("tab")).to_have_count(0)  # one step per screen, not tabs
    next_button = page.get_by_role("button", name="Next")
    expect(next_button).to_be_visible()
    screenshot(page, "present-self_attention-1280x720")

    next_button.click()
    wait_idle(page)
    expect(heading(page)).to_have_text(re.compile(r"^Step 2 of 8"))
    expect(page).to_have_url(re.compile(r"[?&]step=2(&|$)"))
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    expect(heading(page)).to_have_text(re.compile(r"^Step 3 of 8"))
    expect(page).to_have_url(re.compile(r"[?&]step=3(&|$)"))  # written back after the rerun
    page.keyboard.press("ArrowLeft")
    wait_idle(page)
    expect(heading(page)).to_have_text(re.compile(r"^Step 2 of 8"))


def test_a_link_with_a_step_opens_at_that_step(page, app_url):
    page.set_viewport_size(PROJECTOR)
    page.goto(app_url + "/multi_head?present=1&step=3")
    wait_idle(page)
    expect(heading(page)).to_have_text(re.compile(r"^Step 3 of 3"))
    expect(page.get_by_role("button", name="Next")).to_be_disabled()
    expect(page.locator(".st-key-multi_flow .main-svg").first).to_be_visible()


def test_presentation_type_is_large(page, app_url):
    """Body text ≥ 22 px and figure text ≥ 16 px at 1280 × 720."""
    page.set_viewport_size(PROJECTOR)
    page.goto(app_url + "/self_attention?present=1&step=6")
    wait_idle(page)
    body = page.locator('.stMainBlockContainer [data-testid="stMarkdownContainer"] p').first
    expect(body).to_have_css("font-size", re.compile(r"^(2[2-9]|[3-9][0-9])(\.[0-9]+)?px$"))  # CSS may lag
    assert float(body.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px")) >= 22
    expect(page.locator(".st-key-self_pattern .main-svg").first).to_be_visible()
    sizes = []
    for _ in range(20):  # Plotly may still be redrawing the figure for the measured width: ask again
        sizes = page.locator(".st-key-self_pattern .main-svg text").evaluate_all(
            "els => els.filter(e => e.isConnected && e.textContent.trim())"
            ".map(e => parseFloat(e.style.fontSize || getComputedStyle(e).fontSize))"
        )
        if sizes and not any(math.isnan(size) for size in sizes):
            break
        page.wait_for_timeout(250)
    assert sizes and min(sizes) >= 16, sizes


def test_leaving_presentation_mode_brings_the_sidebar_and_the_tabs_back(page, app_url):
    page.set_viewport_size(PROJECTOR)
    page.goto(app_url + "/self_attention?present=1&step=2")
    wait_idle(page)
    page.get_by_role("button", name="Leave presentation mode").click()
    wait_idle(page)
    expect(page.locator('[data-testid="stSidebar"]')).to_be_visible()
    expect(page.get_by_role("tab")).to_have_count(8)
    assert "present" not in parse_qs(urlparse(page.url).query)


def open_offline(page: Page, path: Path) -> list[str]:
    """Open ``path`` with every request but the file itself blocked; returns the requests attempted."""
    attempted = []
    own = path.as_uri()
    page.on("request", lambda r: attempted.append(r.url) if r.url != own else None)
    page.route("**/*", lambda route: route.continue_() if route.request.url == own else route.abort())
    page.goto(path.as_uri())
    return attempted


def reveal_every_step(page: Page) -> None:
    questions = page.locator(".question")
    for i in range(questions.count()):
        question = questions.nth(i)
        question.locator(".options button").first.click()
        question.locator("button.reveal").click()
        expect(question.locator(".verdict")).not_to_be_empty()


def check_lesson_file(page: Page, path: Path, lang: str) -> None:
    attempted = open_offline(page, path)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator(".question")).to_have_count(6)
    expect(page.locator(".answer").first).to_be_hidden()  # no answer before the question is answered…
    reveal_every_step(page)
    expect(page.locator(".answer .main-svg").first).to_be_visible()
    figures = page.locator(".answer .js-plotly-plot")
    assert figures.count() == 7  # …then every figure (multi-head has two)
    for i in range(figures.count()):
        expect(figures.nth(i).locator(".main-svg").first).to_be_visible()
    assert attempted == [], attempted


def test_lesson_file_from_the_download_button_works_offline(page, app_url, tmp_path):
    page.goto(app_url + "/lesson?lang=ko")
    wait_idle(page)
    path = tmp_path / "lesson.html"
    for attempt in range(3):  # a rerun just before the click can retire the file id the button holds
        try:
            with page.expect_download(timeout=20_000) as download:
                page.get_by_role("button", name="수업 HTML 파일").click()
            break
        except TimeoutError:
            assert attempt < 2, "the lesson file never came"
            wait_idle(page)
    download.value.save_as(path)
    text = path.read_text()
    assert "The animal didn" in text and "셀프 어텐션" in text
    offline = page.context.new_page()
    check_lesson_file(offline, path, "ko")


def test_lesson_file_from_the_command_line_works_offline_in_korean(page, tmp_path):
    path = tmp_path / "수업.html"
    sentence = "고양이가 창가에서 잠을 잤다. 그것은 피곤했다."
    command = [sys.executable, "-m", "attention_core", "lesson", sentence, "--out", str(path), "--lang", "ko"]
    subprocess.run(command, cwd=REPO, check=True, capture_output=True)
    check_lesson_file(page, path, "ko")
    expect(page.locator("h1")).to_have_text("어텐션 익스플로러 — 수업")


def test_printing_a_page_leaves_out_the_sidebar_and_the_buttons(page, app_url):
    page.goto(app_url + "/multi_head?step=3")
    wait_idle(page)
    expect(page.locator('[data-testid="stSidebar"]')).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    expect(page.locator(".stDownloadButton").first).to_be_hidden()
    expect(page.locator(".st-key-multi_flow .main-svg").first).to_be_visible()  # the page itself stays
