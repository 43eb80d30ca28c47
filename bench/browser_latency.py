"""New sentence → updated page, as a user sees it in a real browser; and server start → first chart.

    .venv/bin/python -m bench.browser_latency [--runs 10] [--heads 8]          # overview, teaching layer
    .venv/bin/python -m bench.browser_latency --explorer [--runs 10]           # all 72 heads of MiniLM
    .venv/bin/python -m bench.browser_latency --page self_attention            # one page (see PAGES)
    .venv/bin/python -m bench.browser_latency --all [--runs 10]                # every page, one table

Timing happens inside the page: a keydown listener stamps the Enter key, a MutationObserver stamps the
moment the heatmaps show the new sentence's tokens on their axes with all heads drawn. Needs Debian's
chromium (make test installs it). Prints medians; copy them into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import urllib.request

from playwright.sync_api import sync_playwright

from attention_core.tokenizer import SentencePieceTokenizer
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, REPO, free_port, wait_idle

# Sentences of about 20 tokens each, Korean and English alternating.
SENTENCES = [
    "The animal didn't cross the street because it was too tired to walk.",
    "고양이가 창가에서 따뜻한 햇볕을 받으며 오후 내내 잠을 잤다.",
    "She opened the window, and the cold morning air filled the small room.",
    "나는 어제 친구와 함께 도서관에 가서 오래된 책을 읽었다.",
    "A teacher explains attention to students with a sentence they typed.",
    "이 문서는 설정을 바꾸는 방법과 파일을 저장하는 방법을 설명합니다.",
    "The river bank was quiet after the storm passed over the town.",
    "학생들은 각 헤드가 서로 다른 단어에 주의를 기울이는 것을 보았다.",
    "Every head projects the same tokens with its own learned weights.",
    "오늘 아침에 비가 와서 우리는 집에서 영화를 보기로 했다.",
]

OBSERVE = r"""([key, expected, heads, imageKey]) => {
  window.__done = null;
  const imageOf = () => document.querySelector(`.st-key-${imageKey} image`)?.getAttribute('href') ??
    document.querySelector(`.st-key-${imageKey} image`)?.getAttribute('xlink:href');
  const oldImage = imageKey ? imageOf() : null;
  const box = document.querySelector('[data-testid="stTextInput"] input');
  window.__t0 = null;
  box.addEventListener('keydown', e => { if (e.key === 'Enter') window.__t0 = performance.now(); },
                       {once: true, capture: true});
  const ready = () => {
    const chart = document.querySelector(`.st-key-${key}`);
    if (!chart) return false;
    const axis = chart.querySelector('.yaxislayer-above');
    const ticks = axis ? [...axis.querySelectorAll('.ytick text')].map(t => t.textContent) : [];
    const titles = [...chart.querySelectorAll('.annotation-text')].map(a => a.textContent);
    const drawn = heads ? titles.filter(t => /head \d+$/.test(t)).length : 0;
    const imageChanged = !imageKey || (imageOf() && imageOf() !== oldImage);
    // the first labels of the y axis: the queries (tokens), every one or every n-th when cells are small
    const first = expected.findIndex((t) => t === ticks[0]);
    const step = ticks.length > 1 ? expected.indexOf(ticks[1], first + 1) - first : 1;
    const shown = expected.filter((_, i) => i % Math.max(step, 1) === 0);
    return first === 0 && drawn === heads && imageChanged && shown.every((t, i) => ticks[i] === t);
  };
  window.__states = [];
  const app = document.querySelector('[data-testid="stApp"]');
  const stamp = () => window.__states.push([app.getAttribute('data-test-script-state'), performance.now()]);
  new MutationObserver(stamp).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  new MutationObserver((_, observer) => {
    if (window.__t0 !== null && ready()) { window.__done = performance.now(); observer.disconnect(); }
  }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
}"""


def start_server(port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port",
         str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip


# page -> (url, the chart that shows the new tokens on its y axis, head titles it draws, an image that
# must change too, which tokenizer: "teaching" or a model name)
PAGES = {
    "overview": ("/?heads=8&d_model=64", "overview_heads", 8, None, "teaching"),
    "attention": ("/attention", "attention_qkv", 0, None, "teaching"),
    "self_attention": ("/self_attention", "self_x", 0, None, "teaching"),
    "multi_head": ("/multi_head", "multi_patterns", 4, None, "teaching"),
    "model_explorer": ("/model_explorer?model=all-MiniLM-L6-v2", "explorer_head", 0, "explorer_model_view",
                       "all-MiniLM-L6-v2"),
    "model_explorer_ko_en_lm": ("/model_explorer", "explorer_head", 0, "explorer_model_view", "ko-en-lm"),
    "head_atlas": ("/head_atlas?model=all-MiniLM-L6-v2", "atlas_role_heads", 0, None, "all-MiniLM-L6-v2"),
    "training": ("/training", "training_pattern", 0, "training_heads", "ko-en-lm"),
}  # fmt: skip


def tokenizer_of(name: str):
    if name == "teaching":
        return SentencePieceTokenizer().encode
    from attention_core.models.registry import load_model

    model = load_model(name)
    return lambda text: model.tokenize(text)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--heads", type=int, default=8)
    parser.add_argument("--explorer", action="store_true", help="the model explorer's 6 × 12 model view")
    parser.add_argument("--states", action="store_true", help="print when the script started and ended")
    parser.add_argument("--page", choices=sorted(PAGES), help="one page of PAGES")
    parser.add_argument("--all", action="store_true", help="every page of PAGES, one after another")
    args = parser.parse_args()
    if args.all or args.page:
        rows = [measure_page(name, args.runs) for name in (sorted(PAGES) if args.all else [args.page])]
        print("| page | new sentence → updated (median) | min–max | tokens |")
        print("| --- | --- | --- | --- |")
        for name, timings, sizes in rows:
            span = f"{min(timings):.0f}–{max(timings):.0f} ms"
            print(f"| {name} | {statistics.median(timings):.0f} ms | {span} | {min(sizes)}–{max(sizes)} |")
        return
    if args.explorer:
        from attention_core.models.registry import load_model

        tokenize = load_model("all-MiniLM-L6-v2").tokenize
        path, chart, heads, image = (
            "/model_explorer?model=all-MiniLM-L6-v2",
            "explorer_head",
            1,
            "explorer_model_view",
        )
        what = "all 72 heads of all-MiniLM-L6-v2 (model view) and the opened head"
    else:
        tokenize = SentencePieceTokenizer().encode
        path, chart, heads, image = f"/?heads={args.heads}&d_model=64", "overview_heads", args.heads, None
        what = f"{args.heads} heatmaps of the teaching layer"
    cold_start, timings, sizes = measure(path, chart, heads, image, tokenize, args.runs, args.states)
    print(f"server start → first chart: {cold_start:.2f} s")
    print(f"new sentence → {what} updated, {args.runs} runs, {min(sizes)}–{max(sizes)} tokens:")
    print(f"  median {statistics.median(timings):.0f} ms, min {min(timings):.0f}, max {max(timings):.0f}")
    print("  all runs (ms): " + ", ".join(f"{t:.0f}" for t in timings))


def measure(
    path: str, chart: str, heads: int, image: str | None, tokenize, runs: int, states: bool = False
) -> tuple[float, list[float], list[int]]:
    """A fresh server, then ``runs`` new sentences typed on ``path``: the seconds from starting the server
    to the first chart, the ms from Enter to the updated figures for each sentence, and its token counts."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    spawned = time.perf_counter()
    server = start_server(port)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            while True:
                try:
                    urllib.request.urlopen(url + "/_stcore/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.05)
            page.goto(url + path)
            page.locator(f".st-key-{chart} .heatmaplayer").first.wait_for(timeout=60_000)
            cold_start = time.perf_counter() - spawned
            wait_idle(page)
            idle = page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')
            timings, sizes = [], []
            for i in range(runs):
                sentence = SENTENCES[i % len(SENTENCES)] + ("" if i < len(SENTENCES) else f" {i}")
                labels = list(tokenize(sentence).labels)
                sizes.append(len(labels))
                page.evaluate(OBSERVE, [chart, labels, heads, image])
                box = page.get_by_label("Sentence", exact=True)
                box.fill(sentence)
                box.press("Enter")
                page.wait_for_function("window.__done !== null", timeout=60_000)
                timings.append(page.evaluate("window.__done - window.__t0"))
                if states:
                    print(page.evaluate("[window.__t0, window.__done, window.__states]"))
                idle.wait_for()
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    return cold_start, timings, sizes


def measure_page(name: str, runs: int) -> tuple[str, list[float], list[int]]:
    """``runs`` new sentences on page ``name`` of PAGES; returns the ms of each and the token counts."""
    path, chart, heads, image, tokens_of = PAGES[name]
    _, timings, sizes = measure(path, chart, heads, image, tokenizer_of(tokens_of), runs)
    print(f"{name}: median {statistics.median(timings):.0f} ms ({', '.join(f'{t:.0f}' for t in timings)})")
    return name, timings, sizes


if __name__ == "__main__":
    main()
