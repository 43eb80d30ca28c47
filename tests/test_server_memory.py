"""The server's memory under the heaviest requests (issue 16), measured on a real server in a subprocess
from /proc (its peak, VmHWM, reset before each request). A bounded version of bench/heavy_requests.py;
the time figures live there and in docs/benchmarks.md, never in a test."""

from __future__ import annotations

import asyncio
import tempfile
import urllib.request

import pytest

from bench.concurrent_sessions import free_port, stop_server, wait_healthy
from bench.heavy_requests import (
    LONG_TEXT,
    MAX_SETTINGS,
    MINILM,
    NEAR_CEILING,
    WORDS,
    memory_mb,
    peak_mb,
    reset_peak,
    start,
    visit,
)

PEAK_BUDGET_MB = 150  # DESIGN.md: the heaviest request adds at most this to the server's peak memory
KEPT_BUDGET_MB = 300  # many requests with different settings leave the server at most this above idle


@pytest.fixture(scope="module")
def server():
    port = free_port()
    with tempfile.TemporaryFile("w+") as log:
        process = start(port, log)
        try:
            wait_healthy(process, port)
            for page, query in (("", {}), ("model_explorer", {"model": MINILM}), ("model_explorer", {})):
                asyncio.run(visit(port, page, query | {"sentence": "warm up: load the models"}))
            yield port, process.pid
        finally:
            stop_server(process)


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("multi_head", {"from_model": MINILM, "from_layer": "0", "sentence": "a " + LONG_TEXT}),
        ("head_atlas", {"model": MINILM, "sentence": "b " + LONG_TEXT}),
        ("model_explorer", {"model": MINILM, "sentence": "c " + LONG_TEXT, "explorer_view": "head"}),
        ("multi_head", NEAR_CEILING | {"sentence": WORDS}),
        ("attention", NEAR_CEILING | {"sentence": WORDS, "source": WORDS}),
        ("multi_head", MAX_SETTINGS | {"sentence": WORDS}),
    ],
    ids=[
        "minilm-512-multi-head",
        "minilm-512-atlas",
        "minilm-512-head-view",
        "teaching-ceiling",
        "cross-ceiling",
        "beyond-ceiling",
    ],
)
def test_the_heaviest_requests_add_at_most_150_mb_to_the_peak(server, page, query):
    port, pid = server
    before = memory_mb(pid)
    reset_peak(pid)
    seconds, note = asyncio.run(visit(port, page, query))
    assert seconds is not None, note
    added = peak_mb(pid) - before
    assert added <= PEAK_BUDGET_MB, f"{added:.0f} MB added to the peak by /{page}"


def test_twenty_requests_with_different_settings_leave_at_most_300_mb(server):
    port, pid = server
    idle = memory_mb(pid)
    for i in range(20):
        if i % 4 == 3:
            page, query = "model_explorer", {"model": MINILM, "sentence": f"{i} {LONG_TEXT}"}
        else:
            page = ("", "self_attention", "multi_head")[i % 4]
            query = NEAR_CEILING | {"seed": str(i), "sentence": WORDS}
        seconds, note = asyncio.run(visit(port, page, query))
        assert seconds is not None, note
    kept = memory_mb(pid) - idle
    assert kept <= KEPT_BUDGET_MB, f"{kept:.0f} MB kept after 20 requests"


def test_the_server_answers_its_health_check_while_eight_heavy_sessions_run(server):
    port, _ = server

    async def crowd_and_health():
        jobs = [
            visit(port, "model_explorer", {"model": MINILM, "sentence": f"crowd {i} {LONG_TEXT}"})
            if i % 2
            else visit(port, "multi_head", NEAR_CEILING | {"seed": str(100 + i), "sentence": WORDS})
            for i in range(8)
        ]
        health = asyncio.to_thread(
            lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=30).read()
        )
        results = await asyncio.gather(*jobs, health)
        return results[:-1], results[-1]

    sessions, health = asyncio.run(crowd_and_health())
    assert health.strip() == b"ok"
    assert all(seconds is not None for seconds, _ in sessions), sessions
