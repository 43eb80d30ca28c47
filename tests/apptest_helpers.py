"""Reading what AppTest rendered: figures back from their JSON, widgets by key."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from pages.ui import site

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = {"/" + page.url_path: page.script for page in site.PAGES}  # url -> script, as app.py has it


def open_page(path: str = "/", **query: str) -> AppTest:
    """Open the page at ``path`` with the given query parameters, as a visitor following a link would.

    (Switching before the first run opens that page directly; AppTest's switch after a run drops the
    URL-bound values for one run, which a browser does not.)
    """
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    if path != "/":
        at.switch_page(PAGES[path])
    return at.run()


def figure(at: AppTest, key: str) -> dict:
    """The Plotly figure of the chart with ``key``, as the browser receives it."""
    return json.loads(at.get_by_key(key).proto.spec)


def array(value: object) -> np.ndarray:
    """A Plotly data array: a list, or Plotly's base64 typed-array form {dtype, bdata, shape}."""
    if isinstance(value, dict) and "bdata" in value:
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = [int(s) for s in str(value.get("shape", len(flat))).split(",")]
        return flat.reshape(shape)
    return np.asarray(value, dtype=float)


def heatmaps(fig: dict) -> list[dict]:
    return [trace for trace in fig["data"] if trace["type"] == "heatmap"]


def runs(present: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each run of True values."""
    edges = np.diff(np.concatenate([[0], present.astype(int), [0]]))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True))


def head_blocks(fig: dict) -> list[np.ndarray]:
    """The heads of a pattern mosaic, row by row: the blocks of cells separated by empty (NaN) gaps."""
    z = array(heatmaps(fig)[0]["z"])
    rows, cols = runs(~np.isnan(z).all(axis=1)), runs(~np.isnan(z).all(axis=0))
    blocks = [z[r0:r1, c0:c1] for r0, r1 in rows for c0, c1 in cols]
    return [b for b in blocks if not np.isnan(b).all()]


def subplot_titles(fig: dict) -> list[str]:
    return [a["text"] for a in fig["layout"].get("annotations", [])]


def texts(at: AppTest) -> str:
    """Every markdown, caption, alert and subheader text on the page, joined, as a reader sees it: without
    the backticks of inline code (the app shows every text value it puts into a message as code)."""
    parts = [e.value for kind in ("markdown", "caption", "subheader", "title", "info", "warning", "error")
             for e in getattr(at, kind)]  # fmt: skip
    return re.sub(r"`+ ?([^`]*?) ?`+", r"\1", "\n".join(str(p) for p in parts))


def choice_box(at: AppTest, key: str):
    """The box of a choice kept in ``?key=`` (pages/ui/controls.labelled_choice keys it ``key_<crc>``):
    ``set_value`` takes the position of an option."""
    return next(box for box in at.selectbox if box.key and re.fullmatch(rf"{key}_[0-9a-f]{{8}}", box.key))
