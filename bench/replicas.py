"""A class through nginx (issue 14): N sessions against `make serve`'s replicas, each changing its view
every few seconds; optionally one replica killed in the middle.

    .venv/bin/python -m bench.replicas                                   # 100 sessions, 2 replicas, 120 s
    .venv/bin/python -m bench.replicas --kill-after 60                   # replica 1 killed (SIGKILL) at 60 s
        [--replicas 2] [--sessions 100] [--duration 120] [--think 3] [--ramp 20] [--timeout 30] [--seed 0]

Run from the repository root. It starts `scripts/serve-replicas.sh N PORT` as `make serve` does (the
Makefile's one BLAS thread and malloc settings), with nginx on 127.0.0.1 only (ADDRESS=127.0.0.1), and
stops it at the end. Every session goes through nginx's port.

The sessions are not browsers: 100 chromium pages on the 2 cores that also run the replicas would measure
chromium (tests/browser/test_replicas_browser.py drives real ones). Each is a websocket client of
Streamlit's protocol, as bench/concurrent_sessions.py's (whose pieces it reuses), speaking it as the browser
does where it matters here:

* a session has its own random `ae_route` cookie (as nginx would hand out), sent with every request, so
  nginx keeps it on one replica (which: the X-AE-Replica header of a request with that cookie);
* a change sends ``rerun_script`` with the URL's query string as the page last wrote it (the server's
  ``page_info_changed``), the page's script hash, and the values of the widgets the session has set (the
  browser sends all of them; the server keeps the others); large elements are cached by hash and
  ``ref_hash`` resolved, as the browser does;
* when its websocket closes, it reconnects as Streamlit's client does: after 250–500 ms (then backing off
  to at most 4 s) it asks /_stcore/health, then opens a new websocket with the same cookie. Like the
  client, it then asks for no run; its next change is sent with the URL and the widget values it has.

The sessions open their pages spread over ``--ramp`` seconds, a third each on `/` (the sentence, the heads
slider), `/self_attention` (the sentence, the head picker) and `/model_explorer` with all-MiniLM-L6-v2
(the sentence, the layer and head selects), then change one thing at a time after a pause drawn uniformly
from 0.5–1.5 × ``--think`` seconds, for ``--duration`` seconds. Sentences are all distinct (no cache hits).

A change is timed from sending the rerun to ``script_finished`` (the server has computed and sent
everything; bench/browser_latency.py measures the drawing). It is an error when the run shows an exception
or an error message, when the connection drops or the run takes longer than ``--timeout``, when the URL the
page writes afterwards does not hold the new value, or (a sentence) when no heatmap shows its tokens.

``--kill-after S``: S seconds into the changes, replica 1 gets SIGKILL. For its sessions the report gives
the change in flight that was lost, the time from the kill until the websocket was open again (and on
which replica), whether the first change after that was applied or dropped, whether the page then showed
the view it had before the kill (the URL the server wrote, with the change applied or not), and the time
until a change was applied again. For the other replicas' sessions: errors, latencies before and after
the kill, and whether any of their websockets closed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import unicodedata
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import numpy as np
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from bench.concurrent_sessions import (
    BUDGET_P95_S,
    Run,
    Sampler,
    read_messages,
    run_error,
    sentence,
)

REPO = Path(__file__).resolve().parent.parent
MAKEFILE_MALLOC = (
    "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=67108864:glibc.malloc.arena_max=2"
)
MINILM = "all-MiniLM-L6-v2"
FIRST_COUNTER = 7000  # as bench/concurrent_sessions.py: 4 digits, never a layer or head number
# page -> the URL it opens with, and the changes a visitor makes there besides the sentence: the widget
# key (= URL parameter), the kind of value the browser sends for it, and the values to pick from (never
# the default, which the URL leaves out)
PAGES = {
    "": ({}, {"heads": ("double_array_value", ["2", "8"])}),  # heads must divide d_model = 16
    "self_attention": ({}, {"self_head": ("string_array_value", ["1", "2", "3"])}),
    "model_explorer": (
        {"model": MINILM},
        {
            "layer": ("string_value", [str(i) for i in range(1, 6)]),
            "head": ("string_value", [str(i) for i in range(1, 12)]),
        },
    ),
}


# ---- the replicas ------------------------------------------------------------------------------------


def free_block(size: int) -> int:
    """A port P with P … P+size-1 all free on 127.0.0.1 (the script puts nginx on P, replicas after it)."""
    import socket

    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + size > 65535:
            continue
        try:
            for port in range(base, base + size):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError("no block of free ports")


def replica_pids(script_pid: int, ports: list[int]) -> dict[int, int]:
    """port -> process id of the replica the script started on it."""
    found = {}
    for task in Path(f"/proc/{script_pid}/task").glob("*/children"):
        for child in task.read_text().split():
            with contextlib.suppress(OSError):
                words = Path(f"/proc/{child}/cmdline").read_bytes().decode().split("\0")
                for i, word in enumerate(words[:-1]):
                    if word == "--server.port" and int(words[i + 1]) in ports:
                        found[int(words[i + 1])] = int(child)
    return found


class Replicas:
    """`scripts/serve-replicas.sh N PORT` in its own process group, nginx on 127.0.0.1:PORT."""

    def __init__(self, count: int) -> None:
        self.count, self.port = count, free_block(count + 1)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile("w+", prefix="bench-replicas-", suffix=".log", delete=False)  # noqa: SIM115
        env = dict(os.environ, ADDRESS="127.0.0.1", STREAMLIT_SERVER_FILE_WATCHER_TYPE="none")
        env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")  # as the Makefile
        env.setdefault("GLIBC_TUNABLES", MAKEFILE_MALLOC)
        env["PYTHON"] = str(REPO / ".venv" / "bin" / "python")
        self.script = subprocess.Popen(
            [str(REPO / "scripts" / "serve-replicas.sh"), str(count), str(self.port)],
            cwd=REPO, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.pids: dict[str, int] = {}
        self.folder: Path | None = None

    def wait_ready(self, timeout: float = 120) -> float:
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            if self.script.poll() is not None:
                raise RuntimeError(f"serve-replicas.sh exited; see {self.log.name}")
            self.log.seek(0)
            found = re.search(r"logs in (\S+)\)", self.log.read())
            if found:
                self.folder = Path(found[1])
                with contextlib.suppress(OSError):
                    urllib.request.urlopen(self.url + "/_stcore/health", timeout=2)
                    ports = [self.port + i for i in range(1, self.count + 1)]
                    self.pids = {
                        f"127.0.0.1:{p}": pid for p, pid in replica_pids(self.script.pid, ports).items()
                    }
                    if len(self.pids) == self.count:
                        return time.perf_counter() - started
            time.sleep(0.2)
        raise RuntimeError(f"the replicas did not start within {timeout:.0f} s; see {self.log.name}")

    def addresses(self) -> list[str]:
        return sorted(self.pids, key=lambda address: int(address.rsplit(":", 1)[1]))

    def stop(self) -> list[str]:
        """Stops everything; returns the error lines of the replicas' logs."""
        self.script.terminate()  # its trap stops the replicas and nginx
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.script.wait(15)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(
            Path(f"/proc/{pid}").exists() for pid in self.pids.values()
        ):
            time.sleep(0.2)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.script.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.script.wait(5)
        problems = []
        if self.folder is not None:
            for log in sorted(self.folder.glob("app-*.log")):
                lines = log.read_text(errors="replace").splitlines()
                problems += [
                    f"{log.name}: {line}" for line in lines if "Traceback" in line or "ERROR" in line
                ]
            shutil.rmtree(self.folder, ignore_errors=True)
        self.log.close()
        os.unlink(self.log.name)
        return problems


# ---- one visitor ---------------------------------------------------------------------------------------


@dataclass
class Change:
    at: float  # time.perf_counter() when it was sent
    seconds: float | None
    kind: str  # "text", "slider", "select"
    replica: str
    error: str | None = None
    detail: str = ""
    after_move: bool = False  # the first change after this session's websocket moved to another replica
    applied: bool = True


@dataclass
class Move:
    """What a session of the killed replica went through."""

    closed_at: float | None = None
    reconnected_at: float | None = None
    replica: str = ""  # where it landed
    attempts: int = 0
    lost_in_flight: bool = False
    view_before: dict[str, str] = field(default_factory=dict)
    first_change_applied: bool | None = None
    view_kept: bool | None = None  # the URL after the first rerun there == the view before (+ the change)
    applied_again_at: float | None = None


class Visitor:
    def __init__(self, index: int, url: str, page: str, timeout: float, rng: random.Random) -> None:
        self.index, self.url, self.page, self.timeout, self.rng = index, url, page, timeout, rng
        self.host = url.split("//", 1)[1]
        self.cookie = f"ae_route={secrets.token_hex(16)}"  # a key like nginx's $request_id
        opening, self.choices = PAGES[page]
        self.query: dict[str, str] = dict(opening)
        self.values: dict[str, tuple[str, str]] = {}  # widget key -> (value kind, value) the browser holds
        self.widget_ids: dict[str, str] = {}
        self.cache: dict[str, ForwardMsg] = {}
        self.page_hash = ""
        self.ws: ClientConnection | None = None
        self.replica = ""
        self.changes: list[Change] = []
        self.load: Change | None = None
        self.move: Move | None = None
        self.counter = FIRST_COUNTER + 1000 * index

    # -- the connection

    def ask_replica(self) -> str:
        """GET /_stcore/health with this session's cookie: the replica nginx sends it to."""
        request = urllib.request.Request(self.url + "/_stcore/health", headers={"Cookie": self.cookie})
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.headers.get("X-AE-Replica", "").split(", ")[-1]

    async def connect(self) -> None:
        self.replica = await asyncio.to_thread(self.ask_replica)
        self.ws = await connect(
            f"ws://{self.host}/_stcore/stream",
            subprotocols=["streamlit"],
            origin=self.url,
            additional_headers={"Cookie": self.cookie},
            max_size=None,
            proxy=None,
            ping_interval=None,  # the browser does not ping either
        )

    async def reconnect(self) -> None:
        """As Streamlit's client: wait 250–500 ms (then longer, at most 4 s), ask /_stcore/health, then
        open the websocket again (the same cookie: nginx picks a replica that answers)."""
        move = self.move
        for attempt in range(1, 100):
            move.attempts = attempt
            top = min(4000, 500 * 2 ** (attempt - 1))
            await asyncio.sleep(self.rng.uniform(250 if attempt == 1 else top / 2, top) / 1000)
            try:
                await self.connect()
            except (OSError, InvalidHandshake, InvalidStatus, TimeoutError):
                continue
            move.reconnected_at, move.replica = time.perf_counter(), self.replica
            return
        raise RuntimeError("could not reconnect")

    # -- runs

    async def run(self, state: ClientState) -> tuple[Change, Run, dict[str, str]]:
        """Send a rerun; read until its script_finished. Returns the outcome, the run, and the URL the
        page wrote (its query parameters)."""
        state.cached_message_hashes.extend(self.cache)
        message = BackMsg()
        message.rerun_script.CopyFrom(state)
        run, written = Run(), None
        started = time.perf_counter()
        change = Change(started, None, "", self.replica)
        try:
            async with asyncio.timeout(self.timeout):
                await self.ws.send(message.SerializeToString())
                written = await self.read_run(run)
        except TimeoutError:
            change.error = "timeout"
            await self.ws.close()  # its later numbers would be wrong: start again on a new connection
            return change, run, self.query
        except ConnectionClosed:
            change.error = "disconnect"
            return change, run, self.query
        except KeyError:
            change.error = "unknown ref_hash"
            return change, run, self.query
        change.seconds = time.perf_counter() - started
        change.error = run_error(run)
        change.detail = (run.exceptions + run.error_messages + [""])[0]
        for key, widget_id in run.widget_ids.items():
            self.widget_ids[key] = widget_id
        self.page_hash = run.page_hash or self.page_hash
        if written is not None:
            self.query = written
        return change, run, self.query

    async def read_run(self, run: Run) -> dict[str, str] | None:
        """Read this run's messages; returns the query string it wrote back to the URL (None if none)."""
        self.cache.update(await read_messages(self.ws, self.cache, run))
        return run.query

    def state(self) -> ClientState:
        state = ClientState(query_string=urlencode(self.query), page_script_hash=self.page_hash)
        state.context_info.url = f"{self.url}/{self.page}?{state.query_string}"
        state.context_info.locale, state.context_info.timezone = "en-US", "UTC"
        for key, (kind, value) in self.values.items():
            if key not in self.widget_ids:
                continue
            widget = state.widget_states.widgets.add()
            widget.id = self.widget_ids[key]
            if kind == "string_value":
                widget.string_value = value
            elif kind == "double_array_value":
                widget.double_array_value.data.append(float(value))
            elif kind == "string_array_value":
                widget.string_array_value.data.append(value)
        return state

    async def open(self) -> None:
        """Load the page, as a browser opening its link."""
        await self.connect()
        state = ClientState(page_name=self.page, query_string=urlencode(self.query))
        state.context_info.url = f"{self.url}/{self.page}?{state.query_string}"
        state.context_info.locale, state.context_info.timezone = "en-US", "UTC"
        self.load, _, _ = await self.run(state)
        self.load.kind = "load"
        if self.load.error is None and "sentence" not in self.widget_ids:
            self.load.error = "no sentence box"

    async def change(self) -> Change:
        """One change: a new sentence, or another value of one of the page's pickers."""
        key = self.rng.choice(["sentence", *self.choices])
        if key == "sentence":
            self.counter += 1
            kind, value, label = "string_value", sentence(self.counter), "text"
        else:
            kind, values = self.choices[key]
            value = self.rng.choice([v for v in values if v != self.query.get(key)])
            label = "slider" if kind == "double_array_value" else "select"
        before = dict(self.query)
        self.values[key] = (kind, value)
        change, run, written = await self.run(self.state())
        change.kind = label
        if change.error is None:
            if written.get(key) != value:  # the page shows the URL's value: so does the browser's widget
                change.applied = False
                change.error = "not in the URL"
                change.detail = f"{key}={written.get(key)!r}, not {value!r}"
                if key in written:
                    self.values[key] = (kind, written[key])
                else:
                    del self.values[key]
            elif key == "sentence" and not shows_sentence(run, value, before.get("sentence")):
                change.error = "stale tokens"
                change.detail = (
                    f"/{self.page}: {value!r}; heatmap labels {[h[:12] for h in run.heatmaps][:3]}"
                )
        move = self.move
        if move is not None and move.reconnected_at is not None:
            if move.first_change_applied is None:
                change.after_move = True
                move.first_change_applied = change.error is None
                move.view_kept = written == move.view_before | ({key: value} if change.error is None else {})
            if change.error is None and move.applied_again_at is None:
                move.applied_again_at = time.perf_counter()
        self.changes.append(change)
        return change


def in_order(labels: list[str], text: str) -> bool:
    """Whether the token labels occur in ``text`` one after another (a figure may label every n-th token
    only, so the labels need not be all of them)."""
    position = 0
    for label in labels:
        piece = unicodedata.normalize("NFD", label.replace("▁", "").replace("##", "").strip().lower())
        if piece and not (piece.startswith("[") and piece.endswith("]")):  # [CLS], [SEP], [UNK]
            found = text.find(piece, position)
            if found < 0:
                return False
            position = found + len(piece)
    return True


def shows_sentence(run: Run, new: str, old: str | None) -> bool:
    """Whether a heatmap of the run is labelled with tokens of the new sentence and not of the old one."""
    new, old = (unicodedata.normalize("NFD", text.lower().replace(" ", "")) for text in (new, old or ""))
    return any(
        len(labels) >= 3
        and not all(label.isdigit() for label in labels)  # layer or head numbers
        and in_order(labels, new)
        and not (old and in_order(labels, old))
        for labels in run.heatmaps
    )


# ---- the class -----------------------------------------------------------------------------------------


@dataclass
class Timeline:
    start: float = 0.0  # the first page load
    changes_from: float = 0.0  # after the ramp
    until: float = 0.0
    killed_at: float | None = None
    killed: str = ""


async def think(visitor: Visitor, seconds: float) -> None:
    """Pause ``seconds``; if the websocket closes meanwhile, reconnect at once, as the browser does."""
    end = time.perf_counter() + seconds
    while (left := end - time.perf_counter()) > 0:
        closed = asyncio.ensure_future(visitor.ws.wait_closed())
        done, _ = await asyncio.wait({closed}, timeout=left)
        if not done:
            closed.cancel()
            return
        await moved(visitor)


async def moved(visitor: Visitor) -> None:
    if visitor.move is None or visitor.move.reconnected_at is not None:
        visitor.move = Move(view_before=dict(visitor.query))
    visitor.move.closed_at = time.perf_counter()
    await visitor.reconnect()


async def live(visitor: Visitor, timeline: Timeline, think_s: float, ramp_s: float) -> None:
    await asyncio.sleep(visitor.rng.uniform(0, ramp_s))
    try:
        await visitor.open()
    except (OSError, InvalidHandshake, TimeoutError) as error:
        visitor.load = Change(time.perf_counter(), None, "load", visitor.replica, f"connect failed: {error}")
        return
    if visitor.load.error:
        return
    await asyncio.sleep(max(0.0, timeline.changes_from - time.perf_counter()))
    while time.perf_counter() < timeline.until:
        await think(visitor, visitor.rng.uniform(0.5 * think_s, 1.5 * think_s))
        if time.perf_counter() >= timeline.until:
            break
        change = await visitor.change()
        if change.error in ("disconnect", "timeout"):  # the browser reconnects at once
            await moved(visitor)
            visitor.move.lost_in_flight = change.error == "disconnect"


async def killer(replicas: Replicas, timeline: Timeline, after: float) -> None:
    await asyncio.sleep(max(0.0, timeline.changes_from + after - time.perf_counter()))
    timeline.killed = replicas.addresses()[0]
    os.kill(replicas.pids[timeline.killed], signal.SIGKILL)
    timeline.killed_at = time.perf_counter()


async def drive(replicas: Replicas, args) -> tuple[list[Visitor], Timeline]:
    rng = random.Random(args.seed)
    pages = list(PAGES)
    visitors = [
        Visitor(i, replicas.url, pages[i % len(pages)], args.timeout, random.Random(rng.random()))
        for i in range(args.sessions)
    ]
    now = time.perf_counter()
    timeline = Timeline(now, now + args.ramp, now + args.ramp + args.duration)
    jobs = [live(v, timeline, args.think, args.ramp) for v in visitors]
    if args.kill_after is not None:
        jobs.append(killer(replicas, timeline, args.kill_after))
    async with asyncio.timeout(
        args.ramp + args.duration + 3 * args.timeout + 60
    ):  # bounded, whatever happens
        await asyncio.gather(*jobs)
    await asyncio.gather(*(v.ws.close() for v in visitors if v.ws is not None), return_exceptions=True)
    return visitors, timeline


# ---- the report ----------------------------------------------------------------------------------------


def summary(values: list[float]) -> str:
    if not values:
        return "none"
    p50, p95 = np.percentile(values, [50, 95])
    return f"p50 {p50:.2f} s, p95 {p95:.2f} s, max {max(values):.2f} s (n={len(values)})"


def p95(values: list[float]) -> float:
    return float(np.percentile(values, 95)) if values else float("inf")


def kinds(changes: list[Change]) -> str:
    counted = Counter(c.error for c in changes if c.error)
    return ", ".join(f"{kind} {n}" for kind, n in sorted(counted.items())) or "-"


def errors_of(changes: list[Change]) -> str:
    return f"errors {sum(1 for c in changes if c.error)} of {len(changes)} ({kinds(changes)})"


def timed(changes: list[Change]) -> str:
    """Latencies of the changes without errors, and the errors."""
    return f"{summary([c.seconds for c in changes if c.error is None])}; {errors_of(changes)}"


def report(visitors: list[Visitor], timeline: Timeline, replicas: Replicas, samples: dict[str, list],
           args, extra) -> None:  # fmt: skip
    load_start, startup, client_cpu, log_errors = extra
    during = [s.load_1min for taken in samples.values() for s in taken
              if timeline.changes_from <= s.at <= timeline.until]  # fmt: skip
    loads = [v.load for v in visitors if v.load is not None]
    changes = [c for v in visitors for c in v.changes]
    on = Counter(v.load.replica if v.load else "?" for v in visitors)
    kill = f", replica 1 killed {args.kill_after:g} s into them" if args.kill_after is not None else ""
    lines = [
        f"== {args.sessions} sessions through nginx → {args.replicas} replicas; think "
        f"{0.5 * args.think:g}–{1.5 * args.think:g} s; {args.duration:g} s of changes after a "
        f"{args.ramp:g} s ramp{kill} ==",
        f"machine: {os.cpu_count()} cores; load average at start "
        f"{' '.join(f'{x:.2f}' for x in load_start)}; during the changes (1 min) "
        f"{min(during, default=0):.2f}–{max(during, default=0):.2f}",
        f"replicas + nginx up in {startup:.1f} s; sessions per replica: "
        + ", ".join(f"{address} {on[address]}" for address in replicas.addresses()),
        f"page loads: {timed(loads)}; never loaded: {args.sessions - len(loads)}",
    ]
    killed_at = timeline.killed_at
    if killed_at is None:
        lines.append(f"change → script_finished: {timed(changes)}")
        for kind in ("text", "slider", "select"):
            lines.append(f"  {kind}: {timed([c for c in changes if c.kind == kind])}")
        good = [c.seconds for c in changes if c.error is None]
        met = p95(good) <= BUDGET_P95_S and not any(c.error for c in changes + loads) and not log_errors
        verdict = f"budget (p95 ≤ {BUDGET_P95_S:g} s, no errors): {'met' if met else 'NOT met'}"
    else:
        moved = [v for v in visitors if v.load and v.load.replica == timeline.killed]
        stayed = [v for v in visitors if v.load and v.load.replica != timeline.killed]
        moves = [v.move for v in moved if v.move is not None]
        since = lambda m, at: [getattr(x, at) - killed_at for x in m if getattr(x, at)]  # noqa: E731
        firsts = [m.first_change_applied for m in moves if m.first_change_applied is not None]
        kept = [m.view_kept for m in moves if m.view_kept is not None]
        landed = dict(Counter(m.replica for m in moves if m.reconnected_at))
        before = [c for c in changes if c.at < killed_at]
        lines += [
            f"before the kill, all sessions: change → script_finished {timed(before)}",
            f"after the kill, the {len(stayed)} sessions of the other replica(s): change → script_finished "
            f"{timed([c for v in stayed for c in v.changes if c.at >= killed_at])}; their websockets closed: "
            f"{sum(1 for v in stayed if v.move is not None)}",
            f"the {len(moved)} sessions of the killed replica ({timeline.killed}):",
            f"  websocket closed {len(moves)}, reconnected {len(since(moves, 'reconnected_at'))} "
            f"(to {landed}); a change in flight lost: {sum(m.lost_in_flight for m in moves)}",
            f"  kill → websocket seen closed: {summary(since(moves, 'closed_at'))}",
            f"  kill → websocket open again: {summary(since(moves, 'reconnected_at'))}",
            f"  first change after the move: applied {sum(firsts)}, dropped {len(firsts) - sum(firsts)} "
            "(dropped: the page showed its URL's view again, not the change)",
            f"  the view after that first rerun (the URL the server wrote) = the view before the kill, plus "
            f"the change if applied: {sum(kept)} of {len(kept)}",
            f"  kill → a change applied again: {summary(since(moves, 'applied_again_at'))}",
            f"  their later changes: change → script_finished "
            f"{timed([c for v in moved for c in v.changes if c.at >= killed_at and not c.after_move])}",
        ]  # fmt: skip
        unmoved = [c for v in stayed for c in v.changes]
        met = p95([c.seconds for c in unmoved if c.error is None]) <= BUDGET_P95_S
        met = met and not any(c.error for c in unmoved)
        verdict = (
            f"budget for the other replica's sessions, the whole run (p95 ≤ {BUDGET_P95_S:g} s, no errors): "
            + ("met" if met else "NOT met")
        )
    per_replica = {address: (max(s.cpu_s for s in taken), max(s.rss_mb for s in taken))
                   for address, taken in samples.items()}  # fmt: skip
    lines.append(
        "CPU and peak RSS: "
        + "; ".join(f"{address} {cpu:.0f} s, {rss:.0f} MB" for address, (cpu, rss) in per_replica.items())
        + f"; the bench's own CPU {client_cpu:.0f} s; server log errors: {len(log_errors)}"
    )
    unexpected = [c for c in changes + loads if c.error and not c.after_move]
    lines += [f"  e.g. {c.error}: {c.detail[:160]}" for c in unexpected if c.detail][:4]
    lines += [f"  server log: {line[:200]}" for line in log_errors[:4]]
    lines += [verdict] if verdict else []
    print("\n" + "\n".join(lines), flush=True)


class Samplers:
    """One bench.concurrent_sessions.Sampler per replica (its process's RSS and CPU, the load average)."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.samplers = {address: Sampler(pid) for address, pid in pids.items()}
        for sampler in self.samplers.values():
            sampler.start()

    def stop(self) -> dict[str, list]:
        return {address: sampler.stop() for address, sampler in self.samplers.items()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--duration", type=float, default=120, help="seconds of changes after the ramp")
    parser.add_argument("--think", type=float, default=3.0, help="mean pause before a change (0.5–1.5 ×)")
    parser.add_argument("--ramp", type=float, default=20, help="the sessions open their pages over this")
    parser.add_argument("--timeout", type=float, default=30, help="seconds before a run counts as lost")
    parser.add_argument(
        "--kill-after", type=float, help="SIGKILL replica 1 this many seconds into the changes"
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    load_start = os.getloadavg()
    replicas = Replicas(args.replicas)
    log_errors: list[str] = []
    try:
        startup = replicas.wait_ready()
        samplers = Samplers(replicas.pids)
        cpu = time.process_time()
        visitors, timeline = asyncio.run(drive(replicas, args))
        client_cpu = time.process_time() - cpu
        samples = samplers.stop()
    finally:
        log_errors = replicas.stop()
    report(visitors, timeline, replicas, samples, args, (load_start, startup, client_cpu, log_errors))


if __name__ == "__main__":
    main()
