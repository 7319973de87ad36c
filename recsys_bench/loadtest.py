"""Load test of the served app: many concurrent browser sessions against one Streamlit server.

``python -m recsys_bench.loadtest --sessions 20 --rounds 2`` starts ``streamlit run app.py``
on 127.0.0.1 (a free port), opens one headless Chromium with one browser context per
session (each context is a separate Streamlit session, as separate people would be), and
drives every session at once through the analyst's loop, ``rounds`` times:

    New user → type a profile → Recommend → 👍 → 👎 → Embedding map → Score anatomy

Each timed step runs from the click to the moment its result is visible in the page (the
new persona's top-K list, the list re-ranked without the rated film, the persona placed on
the map, the anatomy drawn down to its worked example). A step that times out or shows an
exception or error box counts as an error. The server's resident memory (its process and
any children) is sampled after a warm-up session, during the run, and after every session
has closed and the server has let go of it. Results go to ``bench-results/loadtest.json``
and one summary line is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

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
#: A step slower than this is an error (the first map visit of a cold server may fit UMAP: the warm-up takes that).
STEP_TIMEOUT_S = 120
#: Seconds a closed session is kept for a reconnect before the server may drop it (server.disconnectedSessionTTL).
SESSION_TTL_S = 20


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

    def used(self, side: str) -> float:
        return round(sum(v - self.start.get(k, 0.0) for k, v in self.latest.items() if k[0] == side), 1)


@contextlib.contextmanager
def serve(log_path: Path, env: dict[str, str] | None = None, timeout: float = 180) -> Iterator[tuple[str, subprocess.Popen]]:
    """``streamlit run app.py`` on 127.0.0.1 and a free port: yields (base URL, process); stops it on exit."""
    port = free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.disconnectedSessionTTL", str(SESSION_TTL_S)],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"},
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
_PROBLEM = '() => document.querySelectorAll(\'[data-testid="stException"], [data-testid="stAlertContentError"]\').length'


@dataclass
class Tally:
    """Timings (ms) per step and the errors of every session."""

    timings: dict[str, list[float]] = field(default_factory=lambda: {step: [] for step in STEPS})
    errors: list[str] = field(default_factory=list)


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


async def drive(base: str, sessions: int, rounds: int, tally: Tally, sample=None) -> None:
    """All sessions at once in one Chromium; ``sample()`` is called every second while they run."""
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            work = asyncio.gather(*(run_session(browser, base, n, rounds, tally) for n in range(sessions)))
            while not work.done():
                await asyncio.wait([work], timeout=1.0)
                if sample is not None:
                    sample()
            await work
        finally:
            await browser.close()


# ---------------------------------------------------------------------- the whole test
@dataclass
class LoadResult:
    """What ``bench-results/loadtest.json`` holds."""

    sessions: int
    rounds: int
    errors: int
    p50_ms: float
    p95_ms: float
    rss_start_mb: float
    rss_peak_mb: float
    rss_end_mb: float
    seconds: float
    server_cpu_s: float
    browser_cpu_s: float
    cpus: int
    steps: dict[str, dict[str, float]]
    error_messages: list[str]
    load_average: list[float]

    def summary(self) -> str:
        return (
            f"loadtest: {self.sessions} sessions × {self.rounds} rounds, {self.errors} errors, "
            f"p50 {self.p50_ms:.0f} ms, p95 {self.p95_ms:.0f} ms, RSS {self.rss_start_mb:.0f} → {self.rss_end_mb:.0f} MB "
            f"(peak {self.rss_peak_mb:.0f}), {self.seconds:.0f} s; CPU s: server {self.server_cpu_s:.0f}, browser {self.browser_cpu_s:.0f}"
        )


def _percentiles(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {"n": 0, "p50_ms": float("nan"), "p95_ms": float("nan")}
    return {"n": len(samples), "p50_ms": round(float(np.percentile(samples, 50)), 1), "p95_ms": round(float(np.percentile(samples, 95)), 1)}


def settle(pid: int, wait_s: float) -> float:
    """RSS once the server has let go of closed sessions: after their reconnect window, the lowest reading."""
    lowest, deadline = rss_mb(pid), time.time() + wait_s
    while time.time() < deadline:
        time.sleep(1.0)
        lowest = min(lowest, rss_mb(pid))
    return lowest


def measure(base: str, pid: int, sessions: int, rounds: int, settle_s: float = SESSION_TTL_S + 5) -> LoadResult:
    """Warm a running server (``base``, process ``pid``) with one session, then drive ``sessions`` at once.

    ``settle_s``: how long to watch the memory after the warm-up and after the run, so that
    closed sessions outlive their reconnect window and the server can let go of them.
    """
    # One session first: the engine, the maps and the JIT-compiled paths load before the clock starts.
    warm = Tally()
    asyncio.run(drive(base, 1, 1, warm))
    if warm.errors:
        raise RuntimeError(f"the warm-up session failed: {warm.errors[0]}")
    rss_start = settle(pid, settle_s)
    peak = [rss_start]
    tally = Tally()
    cpu = CpuMeter(pid)

    def sample() -> None:
        peak.append(rss_mb(pid))
        cpu.sample()

    clock = time.perf_counter()
    asyncio.run(drive(base, sessions, rounds, tally, sample=sample))
    seconds = time.perf_counter() - clock
    rss_end = settle(pid, settle_s)
    overall = _percentiles([t for step in STEPS for t in tally.timings[step]])
    return LoadResult(
        sessions=sessions, rounds=rounds, errors=len(tally.errors), p50_ms=overall["p50_ms"], p95_ms=overall["p95_ms"],
        rss_start_mb=round(rss_start, 1), rss_peak_mb=round(max(peak), 1), rss_end_mb=round(rss_end, 1), seconds=round(seconds, 1),
        server_cpu_s=cpu.used("server"), browser_cpu_s=cpu.used("browser"), cpus=os.cpu_count() or 1, steps={step: _percentiles(tally.timings[step]) for step in STEPS}, error_messages=tally.errors[:20],
        load_average=[round(x, 2) for x in os.getloadavg()],
    )  # fmt: skip


def write(result: LoadResult, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(asdict(result), indent=2) + "\n")


def run(sessions: int = 20, rounds: int = 2, out: Path = ROOT / "bench-results" / "loadtest.json") -> LoadResult:
    """Start the server, measure (:func:`measure`), write ``out`` and return the figures."""
    with serve(out.parent / "loadtest-server.log") as (base, process):
        result = measure(base, process.pid, sessions, rounds)
    write(result, out)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m recsys_bench.loadtest", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent browser sessions (default 20)")
    parser.add_argument("--rounds", type=int, default=2, help="times each session goes through the loop (default 2)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results" / "loadtest.json", help="where the JSON goes")
    args = parser.parse_args(argv)
    result = run(args.sessions, args.rounds, args.out)
    print(result.summary())
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
