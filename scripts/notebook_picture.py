"""The README's picture of the notebook: run docs/explore.ipynb, turn it into HTML, photograph it.

    .venv/bin/python scripts/notebook_picture.py [--out docs/notebook.png]

1. nbclient runs the notebook on a kernel, with Plotly's "notebook" renderer added (PLOTLY_RENDERER), so
   each figure's output also carries HTML with plotly.js inside it, which a static page can draw;
2. nbconvert writes that notebook as one HTML page;
3. Debian's chromium (through Playwright, never `playwright install`) opens the page with every request
   to the network refused and saves a screenshot of sections 3 and 4 (the model, its previous-token head).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO / "docs" / "explore.ipynb"
CHROMIUM = "/usr/bin/chromium"
FROM_HEADING = "3. Open a model"  # the part of the page shown: from this heading …
TO_TEXT = "What does the head do for the prediction?"  # … to this paragraph


def executed_html(folder: Path) -> Path:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    os.environ["PYTHONPATH"] = str(REPO)
    os.environ["PLOTLY_RENDERER"] = "plotly_mimetype+notebook"
    NotebookClient(
        notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    html, _ = HTMLExporter(template_name="lab").from_notebook_node(notebook)
    page = folder / "explore.html"
    page.write_text(html, encoding="utf-8")
    return page


def screenshot(page: Path, out: Path, width: int = 1000) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        tab = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
        tab.route(
            "**/*",
            lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
        )
        tab.goto(page.as_uri())
        tab.wait_for_selector(".js-plotly-plot .main-svg")
        tab.wait_for_timeout(1000)  # the last figures' layout
        top = tab.get_by_role("heading", name=FROM_HEADING).bounding_box()["y"] - 10
        bottom = tab.get_by_text(TO_TEXT).bounding_box()["y"] - 10
        tab.screenshot(
            path=str(out), full_page=True, clip={"x": 0, "y": top, "width": width, "height": bottom - top}
        )
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "notebook.png")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        screenshot(executed_html(Path(folder)), args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
