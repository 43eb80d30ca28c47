"""Real-browser fixtures: a Streamlit server on a free localhost port and Debian's chromium via Playwright.

Chromium must be installed (`make test` installs it): a missing browser is a failure, never a skip.
Screenshots go to artifacts/screenshots/ (git-ignored).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = REPO / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` on a free port (``env``: more environment variables); returns once
    /_stcore/health answers."""
    port = free_port()
    log = open(REPO / "artifacts" / f"streamlit-{port}.log", "w")  # noqa: SIM115 (closed with the server)
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read().strip() == b"ok":
                return server, url
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError(f"streamlit did not start; see {log.name}")


@pytest.fixture(scope="session")
def app_url():
    (REPO / "artifacts").mkdir(exist_ok=True)
    server, url = start_server()
    yield url
    server.terminate()
    server.wait(10)


@pytest.fixture(scope="session")
def browser():
    assert os.access(CHROMIUM, os.X_OK), f"{CHROMIUM} is missing: `make test` installs Debian's chromium"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.dialogs = []  # every alert()/confirm() the page tries to open
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def wait_idle(page: Page) -> None:
    """Wait until the app has connected, its figures are laid out for the width the page measured
    (pages/ui/width_probe.js) and its script is not running."""
    idle = page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')
    expect(idle).to_be_visible(timeout=60_000)
    expect(page.locator('body[data-layout-settled="true"]')).to_be_attached(timeout=60_000)
    expect(idle).to_be_visible(timeout=60_000)


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    wait_idle(page)


def type_sentence(page: Page, sentence: str, label: str = "Sentence") -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(sentence)
    box.press("Enter")


def upload(page: Page, name: str, data: bytes) -> None:
    """Put a file into the page's one file uploader, as a person choosing it in the file dialog."""
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": name, "mimeType": "text/plain", "buffer": data}]
    )


def screenshot(page: Page, name: str) -> None:
    """The whole page: Streamlit scrolls inside its main area, so grow the window to fit it first."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight || 0")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height), 8000))})
    page.wait_for_timeout(300)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    page.set_viewport_size(size)
