"""Two replicas behind nginx, one killed (issue 14): `scripts/serve-replicas.sh 2 PORT` as `make serve`
runs it, four chromium sessions, two on each replica, on four pages with their own sentence, head, layer,
model, language, ablation. The two sessions of replica 1 first change their view in the page (a typed
sentence, a clicked head), so that what they show is in the URL only because the app wrote it there.
Then replica 1 is killed (SIGKILL) and:

* the sessions of replica 2 are untouched: their websocket never closes, and a change reruns at once,
  keeping the rest of their view;
* the sessions of replica 1 reconnect by themselves: Streamlit's client reopens the websocket (nginx
  sends it to replica 2) within about a second, keeps the page it has drawn and asks for no rerun. The
  first change each then makes is kept: replica 2's new session takes the changed value from the browser,
  not the old one from the URL (pages/ui/url.py, sent_by_browser; before that fix the page snapped back
  to its URL's view and only a second change worked);
* each is then reloaded, as a visitor does when a page seems stuck, and the page, now drawn by replica 2
  from the URL alone (a new session: no widget value, no session state), shows the same sentence, head,
  layer, model and language as before. A lost URL state fails here. A change then works there.

Which replica a session is on: nginx names it in the header X-AE-Replica (deploy/nginx.conf.in); each
browser context gets, before it opens its page, an `ae_route` cookie that nginx hashes to the replica
wanted. nginx (Debian's nginx-light, `make test` installs it) missing is a failure, not a skip.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from bench.replicas import free_block
from tests.browser.conftest import REPO, upload, wait_idle

pytestmark = pytest.mark.browser

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
STARTUP_S = 90
HEADER = "x-ae-replica"
UPLOADED = b"The cat sat on the mat. It was tired.\n"  # a teacher's text for /head_atlas: 2 sentences


@dataclass
class Replicas:
    url: str
    script: subprocess.Popen
    folder: Path  # the script's folder: nginx.conf, logs
    pids: dict[str, int] = field(default_factory=dict)  # "127.0.0.1:PORT" -> the replica's process id

    def addresses(self) -> list[str]:
        return sorted(self.pids, key=lambda address: int(address.rsplit(":", 1)[1]))


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(child) for child in task.read_text().split()]
    return found


def cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def answers(url: str) -> bool:
    try:
        return urllib.request.urlopen(url + "/_stcore/health", timeout=2).read().strip() == b"ok"
    except OSError:
        return False


@pytest.fixture
def replicas():
    assert os.access(NGINX, os.X_OK), f"{NGINX} is missing: `make test` installs Debian's nginx-light"
    port = free_block(3)
    artifacts = REPO / "artifacts" / f"replicas-{port}"  # the script's output, nginx's and the apps' logs
    artifacts.mkdir(parents=True, exist_ok=True)
    log = open(artifacts / "serve-replicas.log", "w+")  # noqa: SIM115 (closed below)
    env = {**os.environ, "PYTHON": sys.executable, "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
    env["ADDRESS"] = "127.0.0.1"  # nginx on this machine only
    script = subprocess.Popen(
        [str(REPO / "scripts" / "serve-replicas.sh"), "2", str(port)],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    started: list[int] = []
    folder = None
    try:
        deadline = time.monotonic() + STARTUP_S
        while folder is None:
            assert script.poll() is None, f"serve-replicas.sh exited; see {log.name}"
            assert time.monotonic() < deadline, f"the replicas did not start; see {log.name}"
            log.seek(0)
            found = re.search(r"logs in (\S+)\)", log.read())
            folder = Path(found[1]) if found else None
            time.sleep(0.2)
        url = f"http://127.0.0.1:{port}"
        while not answers(url):  # nginx is started last
            assert time.monotonic() < deadline, f"nginx did not answer; see {folder}/error.log"
            time.sleep(0.2)
        started = children(script.pid)
        ports = {f"--server.port={p}" for p in (port + 1, port + 2)}
        pids = {}
        for pid in started:
            words = cmdline(pid)
            for i, word in enumerate(words):  # `--server.port N` or `--server.port=N`
                given = f"{word}={words[i + 1]}" if word == "--server.port" and i + 1 < len(words) else word
                if given in ports:
                    pids[f"127.0.0.1:{given.rsplit('=', 1)[1]}"] = pid
        assert len(pids) == 2, f"replica processes not found among {started}: {[cmdline(p) for p in started]}"
        yield Replicas(url, script, folder, pids)
    finally:
        script.terminate()  # its trap stops the replicas and nginx
        with contextlib.suppress(subprocess.TimeoutExpired):
            script.wait(15)
        deadline = time.monotonic() + 15
        while any(alive(pid) for pid in started) and time.monotonic() < deadline:
            time.sleep(0.2)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(script.pid, signal.SIGKILL)  # whatever is left of the group this fixture started
        script.wait(5)
        log.close()
        if folder is not None and folder.is_dir():  # keep the logs with the other test artifacts
            temporary = shutil.ignore_patterns("body", "proxy", "fastcgi", "uwsgi", "scgi")
            shutil.copytree(folder, artifacts, dirs_exist_ok=True, ignore=temporary)
            shutil.rmtree(folder, ignore_errors=True)


# ---- the sessions ----------------------------------------------------------------------------------


@dataclass
class Session:
    name: str
    replica: str
    path: str
    query: dict[str, str]  # the view: what the URL must hold, and the page must show
    context: BrowserContext | None = None
    page: Page | None = None
    sockets: list = field(default_factory=list)  # every websocket the page opened
    closed: list = field(default_factory=list)  # and those that closed


def route_to(context: BrowserContext, url: str, replica: str) -> None:
    """Give ``context`` an ae_route cookie that nginx hashes to ``replica`` (nginx hands out a new random
    key to a request without one, and says which replica answered)."""
    for _ in range(200):
        context.clear_cookies()
        if context.request.get(url + "/_stcore/health").headers[HEADER] == replica:
            return
    raise AssertionError(f"no ae_route key led to {replica} in 200 tries")


def watch(session: Session, socket) -> None:
    session.sockets.append(socket)
    socket.on("close", lambda closed: session.closed.append(closed))


def open_session(browser, url: str, session: Session) -> None:
    session.context = browser.new_context(viewport={"width": 1400, "height": 1000})
    route_to(session.context, url, session.replica)
    page = session.page = session.context.new_page()
    page.on("websocket", lambda socket: watch(session, socket))
    response = page.goto(f"{url}{session.path}?{urlencode(session.query)}")
    assert response.headers[HEADER] == session.replica, f"{session.name} drawn by the wrong replica"


def url_holds(page: Page, key: str, value: str) -> None:
    """Wait until the rerun a change starts has finished and written ``value`` into the URL."""
    page.wait_for_function(
        "([k, v]) => new URLSearchParams(location.search).get(k) === v", arg=[key, value], timeout=60_000
    )
    wait_idle(page)


def type_into(page: Page, label: str, text: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Enter")
    url_holds(page, "sentence", text)


def pick_head(page: Page, head: int) -> None:
    page.get_by_role("radiogroup", name="Head").get_by_role("radio", name=str(head), exact=True).click()
    url_holds(page, "self_head", str(head))


def query(page: Page) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlparse(page.url).query).items()}


def shows(session: Session) -> None:
    """The page shows ``session.query``: in its URL, its boxes, its pickers and its figures' captions."""
    page, view = session.page, session.query
    assert query(page) == view, f"{session.name}: the URL holds {query(page)}, not {view}"
    sentence = "문장" if view.get("lang") == "ko" else "Sentence"
    expect(page.get_by_label(sentence, exact=True)).to_have_value(view["sentence"])
    if "self_head" in view:
        head = page.get_by_role("radiogroup", name="Head").locator('[aria-checked="true"]')
        expect(head).to_have_text(view["self_head"])
    if "layer" in view:  # the model explorer, in Korean
        expect(page.get_by_role("combobox", name="모델", exact=True)).to_have_value(view["model"])
        expect(page.get_by_role("combobox", name="층", exact=True)).to_have_value(view["layer"])
        expect(page.get_by_role("combobox", name="헤드", exact=True)).to_have_value(view["head"])
        opened = re.compile(rf"{view['layer']}\s*층,\s*{view['head']}\s*번 헤드")  # the opened head's title
        expect(page.get_by_text(opened).first).to_be_visible()
    if "heads" in view:
        expect(page.get_by_role("slider", name="Heads (n_heads)")).to_have_value(view["heads"])
    if "ablate" in view:
        picked = page.locator('[data-testid="stMultiSelect"] [data-tag]')
        expect(picked).to_have_text(view["ablate"].split(","))
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    expect(page.locator('[data-testid="stAlertContentError"]')).to_have_count(0)


def test_a_killed_replicas_sessions_come_back_from_the_url(browser, replicas):
    doomed, survivor = replicas.addresses()
    minilm = "all-MiniLM-L6-v2"
    sessions = [
        Session("self-attention", doomed, "/self_attention", {"sentence": "Alpha beta.", "self_head": "2"}),
        Session("explorer", doomed, "/model_explorer",
                {"sentence": "고양이가 잤다.", "model": minilm, "layer": "4", "head": "7", "lang": "ko"}),
        Session("overview", survivor, "/", {"sentence": "One two three four.", "heads": "2"}),
        Session("interventions", survivor, "/interventions",
                {"sentence": "The cat sat on the mat.", "model": minilm, "ablate": "3.5,4.0"}),
    ]  # fmt: skip
    self_attention, explorer, overview, interventions = sessions
    try:
        for session in sessions:  # the four load side by side
            open_session(browser, replicas.url, session)
        for session in sessions:
            wait_idle(session.page)
            shows(session)

        # Replica 1's sessions change their view in the page: from now on only the URL holds it.
        type_into(self_attention.page, "Sentence", "The river bank was quiet.")
        pick_head(self_attention.page, 3)
        self_attention.query |= {"sentence": "The river bank was quiet.", "self_head": "3"}
        type_into(explorer.page, "문장", "개가 공원에서 뛰었다.")
        explorer.query |= {"sentence": "개가 공원에서 뛰었다."}
        for session in sessions:
            shows(session)
            assert len(session.sockets) == 1 and not session.closed

        os.kill(replicas.pids[doomed], signal.SIGKILL)

        for session in (self_attention, explorer):  # the client reconnects by itself …
            page = session.page
            page.wait_for_function("() => true")  # let Playwright deliver the websocket events
            deadline = time.monotonic() + 30
            while len(session.sockets) < 2:
                assert time.monotonic() < deadline, f"{session.name}: no new websocket after the kill"
                page.wait_for_timeout(100)
            assert session.closed, f"{session.name}: its websocket to the killed replica did not close"
            shows(session)  # … and keeps the page it had drawn
        pick_head(self_attention.page, 2)  # the first change after the move is kept, not undone by the URL
        self_attention.query |= {"self_head": "2"}
        type_into(explorer.page, "문장", "고양이가 창가에서 잤다.")
        explorer.query |= {"sentence": "고양이가 창가에서 잤다."}
        for session in (self_attention, explorer):
            shows(session)

        for session in (overview, interventions):  # replica 2's sessions: nothing happened to them
            type_into(session.page, "Sentence", f"A new sentence for the {session.name}.")
            session.query |= {"sentence": f"A new sentence for the {session.name}."}
            shows(session)
            assert len(session.sockets) == 1 and not session.closed, f"{session.name} lost its websocket"

        for session in (self_attention, explorer):  # reloaded: drawn by replica 2 from the URL alone
            response = session.page.reload()
            assert response.headers[HEADER].split(", ")[-1] == survivor
            wait_idle(session.page)
            shows(session)
        pick_head(self_attention.page, 1)  # and they work there
        self_attention.query |= {"self_head": "1"}
        type_into(explorer.page, "문장", "새가 노래했다.")
        explorer.query |= {"sentence": "새가 노래했다."}
        for session in sessions:
            shows(session)
        assert not alive(replicas.pids[doomed]) and alive(replicas.pids[survivor])
    finally:
        for session in sessions:
            if session.context is not None:
                session.context.close()


def test_a_moved_visitor_can_upload_a_text(browser, replicas):
    """An upload is an HTTP PUT to /_stcore/upload_file/<session id>/…, checked against the replica's
    sessions and the XSRF cookie: after a move, the visitor's first action may be an upload to /head_atlas
    (a teacher's text for the class)."""
    doomed, survivor = replicas.addresses()
    atlas = Session("atlas", doomed, "/head_atlas", {"sentence": "Alpha beta.", "atlas_scope": "text"})
    try:
        open_session(browser, replicas.url, atlas)
        page = atlas.page
        wait_idle(page)
        expect(page.get_by_text("Paste or upload a Korean or English text")).to_be_visible()
        os.kill(replicas.pids[doomed], signal.SIGKILL)
        deadline = time.monotonic() + 30
        while len(atlas.sockets) < 2:  # the client reconnects by itself (to the survivor)
            assert time.monotonic() < deadline, "no new websocket after the kill"
            page.wait_for_timeout(100)
        upload(page, "class.txt", UPLOADED)
        expect(page.get_by_text(re.compile(r"\b2 sentences, [0-9,]+ tokens"))).to_be_visible(timeout=30_000)
        expect(page.locator('[data-testid="stAlertContentError"]')).to_have_count(0)
        assert alive(replicas.pids[survivor]) and not alive(replicas.pids[doomed])
    finally:
        if atlas.context is not None:
            atlas.context.close()
