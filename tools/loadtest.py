"""Load test of the served app: many concurrent browser sessions against one Streamlit server.

``python -m tools.loadtest --sessions 20 --rounds 2 --driver browser`` starts the
app as ``make run`` does (``frontdoor.py``: one Streamlit process per core behind one address) on
127.0.0.1 (a free port), opens one headless Chromium with one
browser context per session (each context is a separate Streamlit session, as separate
people would be), and drives every session at once through the analyst's loop, ``rounds``
times:

    New user → type a profile → Recommend → 👍 → 👎 → Embedding map → Score anatomy

Each timed step runs from the click to the moment its result is visible in the page (the
new persona's top-K list, the list re-ranked without the rated film, the persona placed on
the map, the anatomy drawn down to its worked example). A step that times out or shows an
exception or error box counts as an error. The server's resident memory (its process and
any children) is sampled after a warm-up session, during the run, and after every session
has closed, outlived its reconnect window and been dropped by the server (``settle``).
Results go to ``bench-results/loadtest.json`` and one summary line is printed.

``--driver protocol`` (the default) plays the same people without a browser: each session
speaks Streamlit's own websocket protocol (``/_stcore/stream``) as the browser's frontend does,
sending the same widget interactions (the form's text and name with the Recommend
trigger, the 👍 / 👎 triggers, page switches), and times each step from the request to the
``script_finished`` message of the run whose deltas hold the result. Headless Chromium
needs several CPU seconds per step to lay out and draw the page; on a small machine the
browsers then compete with the server they measure, and the protocol driver measures the
server alone. ``observe`` runs one session with each driver and returns what each saw
(the tests check the two agree).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PROFILES = (
    "I love space operas: epic battles between the stars and alien worlds",
    "cartoons and family films I can watch with my kids",
    "gory slasher films and creepy haunted houses",
    "romantic comedies and love stories with a happy ending",
    "old black-and-white film noir with detectives",
    "war films and westerns, especially World War II stories",
    "heist thrillers with clever twists",
    "musicals with big dance numbers",
)
STEPS = ("recommend", "like", "dislike", "map", "anatomy")
#: How the sessions are played: Streamlit's websocket protocol (the default: the server alone), or headless Chromium
#: (the whole experience, drawing included; the browsers need several times the server's CPU).
DRIVERS = ("protocol", "browser")
#: A step slower than this is an error (the first map visit of a cold server may fit UMAP: the warm-up takes that).
STEP_TIMEOUT_S = 120
#: The server's environment, as ``make run`` sets it (the caller's environment wins). glibc gives each thread
#: that allocates at once an arena of its own and keeps what they freed: each of 20 sessions runs its script in
#: its own thread, and the server's resident memory rose ~80 MB on the first burst and stayed there; with two
#: arenas it rises ~10 MB.
SERVER_ENV = {"MALLOC_ARENA_MAX": "2", "OMP_NUM_THREADS": "1"}  # as `make run` starts it
#: Seconds a closed session is kept for a reconnect before the server may drop it (server.disconnectedSessionTTL).
SESSION_TTL_S = 20
SOLO_ROUNDS = 3  # rounds of the lone session whose steps' server CPU is read (LoadResult.cpu_ms_per_step)
#: Streamlit processes behind the front door, as `make run` starts them (frontdoor.DEFAULT_WORKERS: one per core, at most 4).
WORKERS = min(4, len(os.sched_getaffinity(0)))


# ---------------------------------------------------------------------- the server
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, ()))
    return found


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    total = 0
    for member in _descendants(pid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


class CpuMeter:
    """CPU seconds used by the server's processes and by the browser's (this process's other children) since it started."""

    def __init__(self, server_pid: int):
        self.server_pid = server_pid
        self.start = self._read()
        self.latest = dict(self.start)
        self.driver_start = time.process_time()

    def driver(self) -> float:
        """CPU seconds this process (the driver: Playwright's client or the websocket sessions) used since it started."""
        return round(time.process_time() - self.driver_start, 1)

    def _read(self) -> dict[tuple[str, int], float]:
        server = set(_descendants(self.server_pid))
        out = {}
        for pid in _descendants(os.getpid())[1:] + sorted(server):
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                out[("server" if pid in server else "browser", pid)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return out

    def sample(self) -> None:
        for key, seconds in self._read().items():
            self.latest[key] = max(self.latest.get(key, 0.0), seconds)

    def server_seconds(self) -> float:
        """CPU seconds the server's processes have used so far (a fresh reading, unrounded)."""
        return sum(v for k, v in self._read().items() if k[0] == "server")

    def used(self, side: str) -> float:
        return round(sum(v - self.start.get(k, 0.0) for k, v in self.latest.items() if k[0] == side), 1)


@contextlib.contextmanager
def serve(
    log_path: Path, env: dict[str, str] | None = None, timeout: float = 180, workers: int | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """The app as ``make run`` serves it (``frontdoor.py``: ``workers`` Streamlit processes, default as there) on
    127.0.0.1 and a free port: yields (base URL, the front door's process); stops it on exit."""
    port = free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "frontdoor.py", "--port", str(port), *(["--workers", str(workers)] if workers else []),
             "--", "--server.disconnectedSessionTTL", str(SESSION_TTL_S)],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**SERVER_ENV, **os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + timeout
            while True:
                with contextlib.suppress(OSError):
                    if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                        break
                if process.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"the app did not start (see {log_path})")
                time.sleep(0.5)
            yield url, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


# ---------------------------------------------------------------------- one session
# What "visible" means for each step, as a JavaScript predicate over the page. Streamlit
# keeps the previous run's elements on screen (faded) while it reruns, so each predicate
# looks for something only the new result has.
_IDLE = "!(document.querySelector('[data-testid=\"stStatusWidget\"]')?.innerText || '').includes('Running')"
_LIST = "document.querySelectorAll('[class*=\"st-key-like-' + name + '-\"]').length"
_GONE = "!document.querySelector('.st-key-like-' + name + '-' + item)"
_CARD = "(document.querySelector('.st-key-persona_card')?.innerText || '')"
_TEXT = "(document.querySelector('[data-testid=\"stMain\"]')?.innerText || '')"
READY = {
    "form": f"() => !!document.querySelector('textarea[aria-label^=\"Profile text\"]') && {_IDLE}",
    "recommend": f"([name, item]) => {_LIST} >= 10 && {_CARD}.includes(name)",
    "like": f"([name, item]) => {_LIST} >= 10 && {_GONE} && {_CARD}.includes('👍 like')",
    "dislike": f"([name, item]) => {_LIST} >= 10 && {_GONE} && {_CARD}.includes('👎 dislike')",
    "map": f"([name, item]) => !!document.querySelector('.js-plotly-plot') && {_TEXT}.includes('Selected items:') && "
    f"({_TEXT}.split('Placed on the map')[1] || '').includes(name)",
    "anatomy": f"([name, item]) => {_TEXT}.includes('Worked example you can check by hand') && "
    "document.querySelectorAll('[data-testid=\"stMain\"] .js-plotly-plot').length >= 2",
    "idle": f"() => {_IDLE}",
}
#: What a step's result is, for comparing the two drivers: the persona's list (item ids, in rank order), the
#: personas placed on the map, the user × item the anatomy shows.
OBSERVE = {
    "list": "([name]) => [...document.querySelectorAll('[class*=\"st-key-like-' + name + '-\"]')].map(e => "
    "[...e.classList].find(c => c.startsWith('st-key-like-' + name + '-')).slice(('st-key-like-' + name + '-').length))",
    "map": f"() => {_TEXT}",
    "anatomy": '() => [...document.querySelectorAll(\'[data-testid="stMain"] [data-testid="stMarkdownContainer"]\')]'
    ".map(e => e.innerText).find(t => t.includes(' × ')) || ''",
}
_PROBLEM = '() => document.querySelectorAll(\'[data-testid="stException"], [data-testid="stAlertContentError"]\').length'


@dataclass
class Tally:
    """Timings (ms) per step and the errors of every session."""

    timings: dict[str, list[float]] = field(default_factory=lambda: {step: [] for step in STEPS})
    errors: list[str] = field(default_factory=list)
    #: ``(step, what it showed)`` of every step, when asked for (``observe``); ``None`` keeps nothing.
    seen: list[tuple[str, object]] | None = None
    #: The server's CPU ms per step, when ``meter`` is given (one session alone: every CPU second is that step's).
    meter: CpuMeter | None = None
    cpu_ms: dict[str, list[float]] = field(default_factory=lambda: {step: [] for step in STEPS})


def placed(text: str) -> tuple[str, ...]:
    """The personas the Embedding map says it placed, from its caption as read."""
    found = re.search(r"top-K\): (.*?)\. In the", text)
    return tuple(found.group(1).split(", ")) if found else ()


async def _first_item(page, name: str, button: str) -> str:
    """The item id of the first 👍 / 👎 button of ``name``'s list."""
    classes = await page.locator(f"[class*='st-key-{button}-{name}-']").first.get_attribute("class")
    key = next(c for c in classes.split() if c.startswith(f"st-key-{button}-{name}-"))
    return key.removeprefix(f"st-key-{button}-{name}-")


async def _step(page, tally: Tally, step: str, name: str, item: str, action) -> None:
    """Run ``action`` (a click), then time until the step's result is visible; raise on a problem."""
    started = time.perf_counter()
    await action()
    await page.wait_for_function(READY[step], arg=[name, item], polling=50, timeout=STEP_TIMEOUT_S * 1000)
    tally.timings[step].append((time.perf_counter() - started) * 1000)
    await page.wait_for_function(READY["idle"], polling=100, timeout=STEP_TIMEOUT_S * 1000)
    if await page.evaluate(_PROBLEM):
        shown = await page.locator("[data-testid='stException'], [data-testid='stAlertContentError']").first.inner_text()
        raise RuntimeError(f"{step}: the page shows an error: {shown[:200]}")
    if tally.seen is not None:
        if step == "map":
            tally.seen.append((step, placed(await page.evaluate(OBSERVE["map"]))))
        elif step == "anatomy":
            tally.seen.append((step, (await page.evaluate(OBSERVE["anatomy"])).strip()))
        else:
            tally.seen.append((step, tuple(await page.evaluate(OBSERVE["list"], [name]))))


async def run_session(browser, base: str, index: int, rounds: int, tally: Tally) -> None:
    """One analyst: ``rounds`` times through the loop, in one browser context (one Streamlit session)."""
    context = await browser.new_context(viewport={"width": 1400, "height": 2000})
    context.set_default_timeout(STEP_TIMEOUT_S * 1000)
    page = await context.new_page()
    try:
        for round_ in range(rounds):
            name = f"load-{index}-{round_}"
            text = f"{PROFILES[(index + round_) % len(PROFILES)]}. Film night {index * rounds + round_}."
            try:
                if round_ == 0:
                    await page.goto(f"{base}/new_user", timeout=STEP_TIMEOUT_S * 1000)
                else:
                    await page.get_by_role("link", name="New user").first.click()
                await page.wait_for_function(READY["form"], polling=100, timeout=STEP_TIMEOUT_S * 1000)
                await page.get_by_role("textbox", name="Profile text").fill(text)
                await page.get_by_role("textbox", name="Persona name").fill(name)
                await _step(page, tally, "recommend", name, "", lambda: page.get_by_role("button", name="Recommend").click())
                for step, button in (("like", "like"), ("dislike", "dislike")):
                    item = await _first_item(page, name, button)
                    target = page.locator(f".st-key-{button}-{name}-{item} button").first
                    await _step(page, tally, step, name, item, target.click)
                await _step(page, tally, "map", name, "", lambda: page.get_by_role("link", name="Embedding map").first.click())
                await _step(page, tally, "anatomy", name, "", lambda: page.get_by_role("link", name="Score anatomy").first.click())
            except Exception as err:  # a timeout or an error box: count it, and carry on with the next round
                tally.errors.append(f"session {index} round {round_}: {type(err).__name__}: {str(err).splitlines()[0][:200]}")
                with contextlib.suppress(Exception):
                    await page.goto(f"{base}/new_user", timeout=STEP_TIMEOUT_S * 1000)
    finally:
        await context.close()


# ---------------------------------------------------------------------- the protocol driver
#: ForwardMsgs a client keeps for this many script runs after last seeing them (the frontend's message cache).
CACHE_RUNS = 2


def plain(body: str) -> str:
    """Markdown as a person reads it: backslash escapes and ``**`` dropped, entities decoded (``ui.literal`` escapes typed text)."""
    return html.unescape(re.sub(r"\\(.)", r"\1", body)).replace("**", "")


def user_key(widget_id: str) -> str:
    """The key a page gave a widget, from the id Streamlit sends (``$$ID-<hash>-<key>``)."""
    return widget_id.split("-", 2)[2] if widget_id.startswith("$$ID-") else widget_id


@dataclass
class Run:
    """The elements one script run sent, by delta path (the order a page shows them in)."""

    elements: dict[tuple[int, ...], object] = field(default_factory=dict)

    def ordered(self) -> list:
        return [self.elements[path] for path in sorted(self.elements)]

    def texts(self) -> list[str]:
        """Every Markdown, heading and alert body, as read."""
        out = []
        for element in self.ordered():
            kind = element.WhichOneof("type")
            if kind in ("markdown", "heading", "alert"):
                out.append(plain(getattr(element, kind).body))
        return out

    def of(self, kind: str) -> list:
        """The elements of one kind (``"button"``, ``"text_area"``, ``"plotly_chart"``…), in page order."""
        return [getattr(e, kind) for e in self.ordered() if e.WhichOneof("type") == kind]

    def widget_id(self, kind: str, label: str) -> str:
        found = [w.id for w in self.of(kind) if w.label.startswith(label)]
        if not found:
            raise RuntimeError(f"no {kind} labelled {label!r} on the page")
        return found[0]

    def items(self, button: str, name: str) -> list[str]:
        """The item ids of ``name``'s 👍 (``button="like"``) or 👎 buttons, in rank order."""
        prefix = f"{button}-{name}-"
        return [user_key(b.id).removeprefix(prefix) for b in self.of("button") if user_key(b.id).startswith(prefix)]

    def problems(self) -> list[str]:
        """Exceptions and error boxes, as the browser driver counts them."""
        out = []
        for element in self.ordered():
            kind = element.WhichOneof("type")
            if kind == "exception":
                out.append(f"{element.exception.type}: {element.exception.message}")
            elif kind == "alert" and element.alert.format == Alert.ERROR:
                out.append(plain(element.alert.body))
        return out


def _widget(widget_id: str, *, text: str | None = None) -> WidgetState:
    state = WidgetState(id=widget_id)
    if text is None:
        state.trigger_value = True
    else:
        state.string_value = text
    return state


class ProtocolSession:
    """One Streamlit session over its websocket, spoken as the browser's frontend speaks it.

    A rerun sends ``BackMsg.rerun_script`` (the widget states that changed, the page's
    script hash, the hashes of the messages this client keeps) and reads ForwardMsgs up to
    the run's ``script_finished``. Widgets not sent keep their values on the server, as
    they would in the browser, which sends them unchanged.
    """

    def __init__(self, base: str):
        self.base = base
        self.socket = None
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.page_hash = ""
        self.url = base
        self.cache: dict[str, tuple[object, int]] = {}  # message hash -> (ForwardMsg, run it was last seen in)
        self.runs = 0

    async def open(self, path: str) -> Run:
        """Connect and run the page at ``path``, as a first visit to ``base/path`` does."""
        from websockets.asyncio.client import connect

        self.socket = await connect(
            self.base.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"], max_size=None,
            open_timeout=STEP_TIMEOUT_S, ping_interval=None,
        )  # fmt: skip
        self.url = f"{self.base}/{path}"
        return await self.rerun(page_name=path)

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()

    async def switch(self, path: str) -> Run:
        """Follow the navigation link to the page at ``path`` (the frontend sends no widget states)."""
        run = await self.rerun(page_hash=self.pages[path])
        self.url = f"{self.base}/{path}"
        return run

    async def rerun(self, widgets: list[WidgetState] = (), page_hash: str | None = None, page_name: str = "") -> Run:
        message = BackMsg()
        state = message.rerun_script
        state.query_string = ""
        state.page_name = page_name
        state.page_script_hash = self.page_hash if page_hash is None else page_hash
        state.widget_states.widgets.extend(widgets)
        state.cached_message_hashes.extend(self.cache)
        state.context_info.timezone, state.context_info.locale, state.context_info.url = "UTC", "en-US", self.url
        state.context_info.color_scheme = "light"
        await self.socket.send(message.SerializeToString())
        return await self._finished()

    async def _finished(self) -> Run:
        """Read ForwardMsgs until the requested run finishes; a run restarted by a rerun starts the page afresh."""
        run = Run()
        while True:
            message = ForwardMsg.FromString(await asyncio.wait_for(self.socket.recv(), STEP_TIMEOUT_S))
            kind = message.WhichOneof("type")
            if kind == "ref_hash":  # a message this client said it keeps: the server sent its hash only
                cached = self.cache[message.ref_hash][0]
                self.cache[message.ref_hash] = (cached, self.runs)
                run.elements[tuple(message.metadata.delta_path)] = cached.delta.new_element
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                run.elements[tuple(message.metadata.delta_path)] = message.delta.new_element
                if message.metadata.cacheable:
                    self.cache[message.hash] = (message, self.runs)
            elif kind == "new_session":
                run = Run()
                self.page_hash = message.new_session.page_script_hash
            elif kind == "navigation":
                self.pages = {page.url_pathname: page.page_script_hash for page in message.navigation.app_pages}
                self.page_hash = message.navigation.page_script_hash or self.page_hash
            elif kind == "page_not_found":
                raise RuntimeError(f"page not found: {message.page_not_found.page_name}")
            elif kind == "script_finished":
                status = message.script_finished
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise RuntimeError("the page did not compile")
                if status != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    self.runs += 1
                    self.cache = {h: (m, seen) for h, (m, seen) in self.cache.items() if self.runs - seen <= CACHE_RUNS}
                    return run


#: What each step's run must hold (the protocol driver's counterpart of READY).
def _holds(step: str, run: Run, name: str, item: str) -> bool:
    texts = run.texts()
    listed = run.items("like", name)
    card = any(t.startswith("#### ") and name in t for t in texts)
    if step == "recommend":
        return len(listed) >= 10 and card
    if step in ("like", "dislike"):
        given = next((t for t in texts if t.startswith("Feedback given:")), "")
        return len(listed) >= 10 and item not in listed and ("👍 like" if step == "like" else "👎 dislike") in given
    charts = len(run.of("plotly_chart"))
    if step == "map":
        return charts >= 1 and any("Selected items:" in t for t in texts) and name in placed(" ".join(texts))
    return any("Worked example you can check by hand" in t for t in texts) and charts >= 2


async def _protocol_step(tally: Tally, step: str, name: str, item: str, request) -> Run:
    """Await ``request`` (a rerun not yet started), timed to its ``script_finished``; raise on a problem or a missing result."""
    started = time.perf_counter()
    cpu_before = tally.meter.server_seconds() if tally.meter is not None else 0.0
    run = await request
    elapsed = (time.perf_counter() - started) * 1000
    if tally.meter is not None:
        await asyncio.sleep(0.2)  # the run's last messages leave the server after script_finished
        tally.cpu_ms[step].append((tally.meter.server_seconds() - cpu_before) * 1000)
    problems = run.problems()
    if problems:
        raise RuntimeError(f"{step}: the page shows an error: {problems[0][:200]}")
    if not _holds(step, run, name, item):
        raise RuntimeError(f"{step}: the run finished without its result")
    tally.timings[step].append(elapsed)
    if tally.seen is not None:
        if step == "map":
            tally.seen.append((step, placed(" ".join(run.texts()))))
        elif step == "anatomy":
            tally.seen.append((step, next((t for t in run.texts() if " × " in t), "").strip()))
        else:
            tally.seen.append((step, tuple(run.items("like", name))))
    return run


async def run_protocol_session(base: str, index: int, rounds: int, tally: Tally) -> None:
    """One analyst, as :func:`run_session`, over the websocket protocol (one connection, one Streamlit session)."""
    session = ProtocolSession(base)
    try:
        for round_ in range(rounds):
            name = f"load-{index}-{round_}"
            text = f"{PROFILES[(index + round_) % len(PROFILES)]}. Film night {index * rounds + round_}."
            try:
                form = await (session.open("new_user") if session.socket is None else session.switch("new_user"))
                typed = [
                    _widget(form.widget_id("text_area", "Profile text"), text=text),
                    _widget(form.widget_id("text_input", "Persona name"), text=name),
                    _widget(form.widget_id("button", "Recommend")),
                ]
                run = await _protocol_step(tally, "recommend", name, "", session.rerun(typed))
                for step in ("like", "dislike"):
                    item = run.items(step, name)[0]
                    button = next(b.id for b in run.of("button") if user_key(b.id) == f"{step}-{name}-{item}")
                    run = await _protocol_step(tally, step, name, item, session.rerun([_widget(button)]))
                await _protocol_step(tally, "map", name, "", session.switch("map"))
                await _protocol_step(tally, "anatomy", name, "", session.switch("anatomy"))
            except Exception as err:  # a timeout or an error: count it, and carry on with the next round
                tally.errors.append(f"session {index} round {round_}: {type(err).__name__}: {str(err).splitlines()[0][:200]}")
                if session.socket is None or session.socket.state.name != "OPEN":
                    await session.close()
                    session = ProtocolSession(base)
    finally:
        await session.close()


async def drive(base: str, sessions: int, rounds: int, tally: Tally, sample=None, driver: str = "protocol", first: int = 0) -> None:
    """All sessions at once (numbered from ``first``): one Chromium, or websockets (``driver="protocol"``).

    ``sample()`` is called every second while they run.
    """

    async def watch(work) -> None:
        while not work.done():
            await asyncio.wait([work], timeout=1.0)
            if sample is not None:
                sample()
        await work

    if driver == "protocol":
        await watch(asyncio.gather(*(run_protocol_session(base, n, rounds, tally) for n in range(first, first + sessions))))
        return
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            await watch(asyncio.gather(*(run_session(browser, base, n, rounds, tally) for n in range(first, first + sessions))))
        finally:
            await browser.close()


def observe(base: str, index: int = 0, rounds: int = 2) -> dict[str, list[tuple[str, object]]]:
    """One session with each driver (the same profile, name and clicks): ``{driver: [(step, what it showed), …]}``."""
    seen = {}
    for driver in DRIVERS:
        tally = Tally(seen=[])
        asyncio.run(drive(base, 1, rounds, tally, driver=driver, first=index))
        if tally.errors:
            raise RuntimeError(f"{driver}: {tally.errors[0]}")
        seen[driver] = tally.seen
    return seen


# ---------------------------------------------------------------------- the whole test
@dataclass
class LoadResult:
    """What ``bench-results/loadtest.json`` holds."""

    sessions: int
    rounds: int
    driver: str
    workers: int  # Streamlit processes behind the front door
    errors: int
    p50_ms: float
    p95_ms: float
    rss_start_mb: float
    rss_peak_mb: float
    rss_held_mb: float
    rss_end_mb: float
    seconds: float
    server_cpu_s: float
    browser_cpu_s: float
    driver_cpu_s: float
    cpus: int
    steps: dict[str, dict[str, float]]
    error_messages: list[str]
    load_average: list[float]
    #: Median server CPU ms of each step, one session alone (``SOLO_ROUNDS`` rounds after the load).
    cpu_ms_per_step: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"loadtest ({self.driver}, {self.workers} server process{'es' if self.workers > 1 else ''}): "
            f"{self.sessions} sessions × {self.rounds} rounds, {self.errors} errors, "
            f"p50 {self.p50_ms:.0f} ms, p95 {self.p95_ms:.0f} ms, RSS {self.rss_start_mb:.0f} → {self.rss_end_mb:.0f} MB "
            f"({self.rss_held_mb:.0f} while closed sessions are held) "
            f"(peak {self.rss_peak_mb:.0f}), {self.seconds:.0f} s; CPU s: server {self.server_cpu_s:.0f}, browser {self.browser_cpu_s:.0f}, "
            f"driver {self.driver_cpu_s:.0f}"
            + (
                "; server CPU ms per step, one session alone: " + ", ".join(f"{k} {v:.0f}" for k, v in self.cpu_ms_per_step.items())
                if self.cpu_ms_per_step
                else ""
            )
        )


def _percentiles(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {"n": 0, "p50_ms": float("nan"), "p95_ms": float("nan")}
    return {"n": len(samples), "p50_ms": round(float(np.percentile(samples, 50)), 1), "p95_ms": round(float(np.percentile(samples, 95)), 1)}


def settle(pid: int, wait_s: float, base: str | None = None) -> tuple[float, float]:
    """RSS once the server has let go of closed sessions: ``(held, end)``, each the lowest reading.

    ``held``: after the closed sessions' reconnect window (``wait_s``). Streamlit keeps a
    closed session in a TTL cache that drops expired entries only when it is next written,
    so they are all still there. ``end``: after two short sessions have come and gone
    (``base`` given): the first one's disconnect writes the cache and drops the expired
    sessions, the second one's run ends in the collection that frees what they held.
    """
    held, deadline = rss_mb(pid), time.time() + wait_s
    while time.time() < deadline:
        time.sleep(1.0)
        held = min(held, rss_mb(pid))
    if base is None:
        return held, held
    asyncio.run(_reap(base))
    end, deadline = rss_mb(pid), time.time() + 5
    while time.time() < deadline:
        time.sleep(1.0)
        end = min(end, rss_mb(pid))
    return held, end


async def _reap(base: str) -> None:
    for _ in range(2 * WORKERS):  # the front door sends each new session to the next process in turn
        session = ProtocolSession(base)
        try:
            await session.open("new_user")
        finally:
            await session.close()
        await asyncio.sleep(0.5)


def measure(
    base: str, pid: int, sessions: int, rounds: int, settle_s: float = SESSION_TTL_S + 5, driver: str = "protocol", workers: int = WORKERS
) -> LoadResult:
    """Warm a running server (``base``, process ``pid``) with one session per process (``workers``), then drive ``sessions`` at once.

    ``settle_s``: how long to watch the memory after the warm-up and after the run, so that
    closed sessions outlive their reconnect window and the server can let go of them.
    """
    # One session per process first: the engine, the maps and the JIT-compiled paths load before the clock starts.
    warm = Tally()
    asyncio.run(drive(base, workers, 1, warm, driver=driver))
    if warm.errors:
        raise RuntimeError(f"the warm-up session failed: {warm.errors[0]}")
    _, rss_start = settle(pid, settle_s, base)
    peak = [rss_start]
    tally = Tally()
    cpu = CpuMeter(pid)

    def sample() -> None:
        peak.append(rss_mb(pid))
        cpu.sample()

    clock = time.perf_counter()
    asyncio.run(drive(base, sessions, rounds, tally, sample=sample, driver=driver))
    seconds = time.perf_counter() - clock
    rss_held, rss_end = settle(pid, settle_s, base)
    # Then one session alone, its steps' CPU read off the server's processes (the clock's /proc resolution: 10 ms).
    solo = Tally(meter=CpuMeter(pid))
    asyncio.run(drive(base, 1, SOLO_ROUNDS, solo, driver="protocol", first=sessions))
    cpu_per_step = {step: round(float(np.median(ms)), 0) for step, ms in solo.cpu_ms.items() if ms}
    overall = _percentiles([t for step in STEPS for t in tally.timings[step]])
    return LoadResult(
        sessions=sessions, rounds=rounds, driver=driver, workers=workers, errors=len(tally.errors), p50_ms=overall["p50_ms"], p95_ms=overall["p95_ms"],
        rss_start_mb=round(rss_start, 1), rss_peak_mb=round(max(peak), 1), rss_held_mb=round(rss_held, 1), rss_end_mb=round(rss_end, 1), seconds=round(seconds, 1),
        server_cpu_s=cpu.used("server"), browser_cpu_s=cpu.used("browser"), driver_cpu_s=cpu.driver(), cpus=os.cpu_count() or 1, steps={step: _percentiles(tally.timings[step]) for step in STEPS}, error_messages=tally.errors[:20],
        load_average=[round(x, 2) for x in os.getloadavg()], cpu_ms_per_step=cpu_per_step,
    )  # fmt: skip


def write(result: LoadResult, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(asdict(result), indent=2) + "\n")


def run(
    sessions: int = 20,
    rounds: int = 2,
    out: Path = ROOT / "bench-results" / "loadtest.json",
    driver: str = "protocol",
    workers: int = WORKERS,
) -> LoadResult:
    """Start the server (``workers`` Streamlit processes), measure (:func:`measure`), write ``out`` and return the figures."""
    with serve(out.parent / "loadtest-server.log", workers=workers) as (base, process):
        result = measure(base, process.pid, sessions, rounds, driver=driver, workers=workers)
    write(result, out)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.loadtest", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent browser sessions (default 20)")
    parser.add_argument("--rounds", type=int, default=2, help="times each session goes through the loop (default 2)")
    parser.add_argument("--driver", choices=DRIVERS, default="protocol",
                        help="protocol (default): Streamlit's websocket protocol, no browser; browser: headless Chromium")  # fmt: skip
    parser.add_argument("--workers", type=int, default=WORKERS,
                        help=f"Streamlit processes behind the front door (default: as `make run`, {WORKERS} here; 1: Streamlit alone)")  # fmt: skip
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results" / "loadtest.json", help="where the JSON goes")
    args = parser.parse_args(argv)
    result = run(args.sessions, args.rounds, args.out, args.driver, args.workers)
    print(result.summary())
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
