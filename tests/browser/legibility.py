"""Reading a page's figures as rendered: overlapping texts, texts too small, texts cut off."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

COLLECT = (Path(__file__).resolve().parent / "figure_text.js").read_text()
TOLERANCE = 1.5  # px two boxes may share (antialiasing, the line box around a glyph)
TICK_MIN, CELL_MIN = 11, 10  # DESIGN.md: tick labels ≥ 11 px, numbers in cells ≥ 10 px


def figure_texts(page: Page) -> list[dict]:
    return page.evaluate(COLLECT)


def overlaps(texts: list[dict]) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap by more than TOLERANCE in both directions."""
    found = []
    ordered = sorted(texts, key=lambda t: t["left"])
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b["left"] >= a["right"] - TOLERANCE:
                break
            dx = min(a["right"], b["right"]) - max(a["left"], b["left"])
            dy = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            if dx > TOLERANCE and dy > TOLERANCE:
                found.append((a["text"], b["text"]))
    return found


def too_small(texts: list[dict]) -> list[tuple[str, float]]:
    """Texts below the smallest size: numbers in cells (Plotly's ``heatmap-label``) 10 px, the rest 11 px."""
    return [
        (t["text"], t["size"])
        for t in texts
        if t["size"] < (CELL_MIN if "heatmap-label" in t["kind"] else TICK_MIN) - 0.01
    ]


def cut_off(texts: list[dict], frame: dict) -> list[str]:
    """Texts that stick out of their chart's frame (cut off when drawn)."""
    return [
        t["text"]
        for t in texts
        if t["left"] < frame["left"] - 1
        or t["right"] > frame["right"] + 1
        or t["top"] < frame["top"] - 1
        or t["bottom"] > frame["bottom"] + 1
    ]


def problems(page: Page) -> dict[str, dict[str, list]]:
    """chart key -> {"overlaps": …, "too small": …, "cut off": …}, only charts with a problem."""
    found = {}
    for chart in figure_texts(page):
        report = {
            "overlaps": overlaps(chart["texts"]),
            "too small": too_small(chart["texts"]),
            "cut off": cut_off(chart["texts"], chart["frame"]),
        }
        if any(report.values()):
            found[chart["key"]] = {k: v[:6] for k, v in report.items() if v}
    return found
