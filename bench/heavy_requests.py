"""The heaviest requests a visitor can make, and what they cost the server (DESIGN.md: ≤ 2 s and ≤ 150 MB
added to the server's peak memory each; 50 requests with different settings leave the server ≤ 300 MB
above idle; the health check answers in ≤ 1 s while 20 sessions ask for the largest settings at once).

    .venv/bin/python -m bench.heavy_requests [--only single|fifty|crowd] [--sessions 20]
    BENCH_APP_DIR=../old-checkout .venv/bin/python -m bench.heavy_requests   # the same, on other code

Run from the repository root. It starts its own server (``streamlit run app.py``, one BLAS thread and the
Makefile's malloc settings) and talks to it as bench/concurrent_sessions.py does: websocket clients of
Streamlit's protocol, no browser.

* single: each URL of HEAVY alone, one after another on one server. Before each, the kernel's record of
  the server's peak memory is reset (``echo 5 > /proc/PID/clear_refs``), so "added" is the peak during
  that request minus the memory before it. Models are loaded first (a one-time cost, reported apart).
* fifty: one visitor opens 50 URLs with different settings (seeds, sizes, texts, models); the server's
  memory after them, and after a quiet second, minus its memory before.
* crowd: ``--sessions`` sessions open the heaviest URLs at once while the health check is polled every
  200 ms; its slowest answer, the sessions' times, the server's peak and final memory.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from bench.concurrent_sessions import Session, free_port, process_tree, rss_mb, stop_server, wait_healthy

REPO = Path(__file__).resolve().parent.parent
APP_DIR = Path(os.environ.get("BENCH_APP_DIR", REPO))  # another checkout to measure (e.g. before a change)
MAKEFILE_MALLOC = (
    "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=67108864:glibc.malloc.arena_max=2"
)
WORDS = " ".join(["the cat sat on the mat and then it slept"] * 20)  # 200 words: past every token cap
MINILM = "all-MiniLM-L6-v2"
LONG_TEXT = " ".join(f"word{i} is here." for i in range(400))  # > 512 tokens with either tokenizer
# The largest teaching settings the URL can ask for, and the largest that fit limits.MAX_TRACE_NUMBERS
# at 128 tokens (16 heads, d_model 128: d_k = d_v = 160).
MAX_SETTINGS = {"d_model": "128", "heads": "16", "d_k": "512", "d_v": "512"}
NEAR_CEILING = {"d_model": "128", "heads": "16", "d_k": "160", "d_v": "160"}
HEAVY = [
    ("", MAX_SETTINGS | {"sentence": WORDS}),
    ("multi_head", MAX_SETTINGS | {"sentence": WORDS}),
    ("", NEAR_CEILING | {"sentence": WORDS}),
    ("attention", NEAR_CEILING | {"sentence": WORDS, "source": WORDS}),
    ("self_attention", NEAR_CEILING | {"sentence": WORDS}),
    ("multi_head", NEAR_CEILING | {"sentence": WORDS}),
    ("self_attention", {"sentence": "x" * 100_000}),
    ("model_explorer", {"model": MINILM, "sentence": LONG_TEXT}),
    ("model_explorer", {"model": MINILM, "sentence": LONG_TEXT, "explorer_view": "neuron"}),
    ("model_explorer", {"model": MINILM, "sentence": LONG_TEXT, "explorer_view": "head"}),
    ("head_atlas", {"model": MINILM, "sentence": LONG_TEXT}),
    ("multi_head", {"from_model": MINILM, "from_layer": "0", "sentence": LONG_TEXT}),
    ("self_attention", {"from_model": MINILM, "from_layer": "5", "sentence": LONG_TEXT}),
    ("training", {"sentence": LONG_TEXT}),
]


def start(port: int, log) -> object:
    import subprocess
    import sys

    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    env.setdefault("GLIBC_TUNABLES", MAKEFILE_MALLOC)
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1",
               "--server.fileWatcherType", "none"]  # fmt: skip
    return subprocess.Popen(command, cwd=APP_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)


def memory_mb(pid: int) -> float:
    return sum(rss_mb(p) for p in process_tree(pid))


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")


async def visit(port: int, page: str, query: dict, timeout: float = 120) -> tuple[float | None, str]:
    session = Session(port, page, query, timeout)
    try:
        outcome = await session.open()
    finally:
        await session.close()
    error = outcome.error if outcome.error not in (None, "no sentence box") else None
    return outcome.seconds, (error or "") + (f": {outcome.detail[:120]}" if outcome.detail else "")


def label(page: str, query: dict) -> str:
    shown = {k: (v if len(v) <= 12 else f"<{len(v)} chars>") for k, v in query.items()}
    return f"/{page}?" + "&".join(f"{k}={v}" for k, v in shown.items())


def single(port: int, pid: int) -> None:
    print("\n== each heavy request alone ==")
    started = time.perf_counter()
    for page in ("", "model_explorer", "training"):  # load the models: once per server
        asyncio.run(visit(port, page, {"model": MINILM, "sentence": "warm up"}))
    asyncio.run(visit(port, "model_explorer", {"sentence": "warm up"}))
    print(f"models loaded in {time.perf_counter() - started:.1f} s; server now {memory_mb(pid):.0f} MB")
    for i, (page, query) in enumerate(HEAVY):
        query = query | {"sentence": f"{i} {query['sentence']}"}  # never answered from a cache
        time.sleep(0.5)
        before = memory_mb(pid)
        reset_peak(pid)
        seconds, note = asyncio.run(visit(port, page, query))
        added = peak_mb(pid) - before
        shown = "lost" if seconds is None else f"{seconds:5.2f} s"
        print(f"{shown}  +{added:4.0f} MB peak  {label(page, query)}  {note}")


def fifty(port: int, pid: int) -> None:
    print("\n== one visitor, 50 requests with different settings ==")
    asyncio.run(visit(port, "", {"sentence": "warm up"}))
    asyncio.run(visit(port, "model_explorer", {"model": MINILM, "sentence": "warm up"}))
    time.sleep(1)
    idle = memory_mb(pid)
    urls = []
    for i in range(50):
        kind = i % 5
        if kind == 0:
            urls.append(("", NEAR_CEILING | {"seed": str(i), "sentence": WORDS}))
        elif kind == 1:
            urls.append(("multi_head", NEAR_CEILING | {"seed": str(i), "sentence": WORDS}))
        elif kind == 2:
            urls.append(("self_attention", NEAR_CEILING | {"seed": str(i), "sentence": WORDS}))
        elif kind == 3:
            urls.append(("model_explorer", {"model": MINILM, "sentence": f"{i} {LONG_TEXT}"}))
        else:
            urls.append(("attention", NEAR_CEILING | {"seed": str(i), "sentence": WORDS, "source": WORDS}))
    started = time.perf_counter()
    errors = 0
    for page, query in urls:
        seconds, note = asyncio.run(visit(port, page, query))
        errors += seconds is None or bool(note)
    after = memory_mb(pid)
    time.sleep(2)
    print(
        f"idle {idle:.0f} MB → after 50 requests {after:.0f} MB (+{after - idle:.0f}), "
        f"2 s later {memory_mb(pid):.0f} MB (+{memory_mb(pid) - idle:.0f}); "
        f"{time.perf_counter() - started:.0f} s in all, {errors} errors"
    )


def crowd(port: int, pid: int, sessions: int) -> None:
    print(f"\n== {sessions} sessions at the largest settings at once, health polled every 200 ms ==")
    asyncio.run(visit(port, "model_explorer", {"model": MINILM, "sentence": "warm up"}))
    idle = memory_mb(pid)
    heavy = [HEAVY[i] for i in (2, 4, 5, 7, 10)]  # teaching near the ceiling, MiniLM at 512 tokens
    health, stop, peak = [], threading.Event(), [idle]

    def poll() -> None:
        while not stop.is_set():
            started = time.perf_counter()
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=30).read()
            health.append(time.perf_counter() - started)
            peak[0] = max(peak[0], memory_mb(pid))
            stop.wait(0.2)

    async def everyone():
        jobs = []
        for i in range(sessions):
            page, query = heavy[i % len(heavy)]
            jobs.append(
                visit(
                    port,
                    page,
                    query | {"seed": str(i)}
                    if page != "model_explorer"
                    else query | {"sentence": f"{i} {LONG_TEXT}"},
                )
            )
        return await asyncio.gather(*jobs)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    started = time.perf_counter()
    results = asyncio.run(everyone())
    wall = time.perf_counter() - started
    stop.set()
    poller.join()
    times = sorted(s for s, _ in results if s is not None)
    errors = [note for s, note in results if s is None or note]
    time.sleep(2)
    print(
        f"all {sessions} done in {wall:.1f} s; session times {times[0]:.1f}–{times[-1]:.1f} s "
        f"(median {times[len(times) // 2]:.1f}); errors {len(errors)} {errors[:2]}"
    )
    print(
        f"health check: slowest {max(health):.2f} s of {len(health)} polls; server memory idle {idle:.0f} MB,"
        f" peak {peak[0]:.0f} MB, 2 s after {memory_mb(pid):.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", choices=("single", "fifty", "crowd"))
    parser.add_argument("--sessions", type=int, default=20)
    args = parser.parse_args()
    for part in ("single", "fifty", "crowd"):
        if args.only not in (None, part):
            continue
        port = free_port()
        with tempfile.TemporaryFile("w+") as log:
            server = start(port, log)
            try:
                wait_healthy(server, port)
                print(f"\nserver started: {memory_mb(server.pid):.0f} MB")
                if part == "single":
                    single(port, server.pid)
                elif part == "fifty":
                    fifty(port, server.pid)
                else:
                    crowd(port, server.pid, args.sessions)
            finally:
                stop_server(server)
            log.seek(0)
            problems = [line.rstrip() for line in log if "Traceback" in line or "Error" in line]
            print(f"server log: {len(problems)} errors" + "".join(f"\n  {p}" for p in problems[:5]))


if __name__ == "__main__":
    main()
