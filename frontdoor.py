"""The front door of a shared server: one address, several Streamlit processes behind it.

Streamlit runs every session's script in a thread of one Python process, so however many
cores the machine has, twenty analysts share one core's worth of Python (the interpreter
lock). ``make run`` therefore starts ``--workers`` Streamlit processes (default: one per core,
at most four; ~900 MB each) on private loopback ports and puts this door on the public address.

Each browser is pinned to one process by a cookie set on its first request: a session (its
personas, uploads and selections) lives in one process, and its websocket, uploads and
media must all reach that process. A client without the cookie (a fresh browser, a client
that only speaks the websocket) goes to the process with the fewest open sessions.

Every plain HTTP request is passed on with ``Connection: close``, so a connection carries
one request and its bytes are piped through unparsed after the head; a websocket is piped
both ways for as long as it lives. The processes share what is on disk (the cache, the saved
personas); each loads the engine once, right after it starts: the door runs the first page in one
session of its own (:func:`first_page`), so the first person sent there does not wait for it. A process that dies is started again (on a fresh port,
after a pause that grows while it keeps dying); its sessions are lost, their tabs reconnect as
new ones. The processes end with the door, however it ends.

Run: ``python frontdoor.py --port 8501 --workers 2 [app.py] [-- extra streamlit options]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import os
import resource
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent
COOKIE = "coldstart_worker"
HEAD_LIMIT = 64 * 1024  # the longest request or response head passed on
HEAD_TIMEOUT_S = 60  # a request head (or a process's answer to connect) slower than this ends the connection
CHUNK = 64 * 1024
#: What Streamlit prints for the port it serves on: the worker's private port, not the address people open.
#: One Streamlit process per core, at most four (each holds its own engine: ~900 MB with MovieLens-100k).
DEFAULT_WORKERS = min(4, len(os.sched_getaffinity(0)))  # the cores this process may use (a container's, not the host's)
BANNER = ("You can now view your Streamlit app", "URL: http", "Local URL:", "Network URL:", "External URL:")


@dataclass
class Backend:
    """One Streamlit process behind the door."""

    sessions: int = 0  # websockets open to it now


@dataclass
class FrontDoor:
    """Routes each connection to a backend (sticky by cookie) and pipes it through.

    ``ports`` is read at each connection, so a process started again on a new port is found there.
    """

    ports: list[int]
    backends: list[Backend] = field(init=False)
    connections: set[asyncio.Task] = field(init=False, default_factory=set)
    _turn: int = 0

    def __post_init__(self) -> None:
        self.backends = [Backend() for _ in self.ports]

    def choose(self, pinned: int | None, avoid: frozenset[int] = frozenset()) -> int:
        """The backend a connection goes to: the pinned one, else the fewest open sessions (ties in turn)."""
        if pinned is not None and 0 <= pinned < len(self.backends) and pinned not in avoid:
            return pinned
        open_ = [i for i in range(len(self.backends)) if i not in avoid]
        fewest = min(self.backends[i].sessions for i in open_)
        tied = [i for i in open_ if self.backends[i].sessions == fewest]
        self._turn += 1
        return tied[self._turn % len(tied)]

    async def handle(self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        self.connections.add(task)
        try:
            head = await asyncio.wait_for(client_in.readuntil(b"\r\n\r\n"), HEAD_TIMEOUT_S)
            await self._forward(head, client_in, client_out)
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.CancelledError, ConnectionError):
            pass  # a client that went away, sent a head too long or too slow, or the door closing: nothing to answer
        finally:
            self.connections.discard(task)
            client_out.close()

    async def close(self) -> None:
        """End every connection in flight (the door is closing)."""
        for task in list(self.connections):
            task.cancel()
        await asyncio.gather(*self.connections, return_exceptions=True)

    async def _forward(self, head: bytes, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter) -> None:
        request_line, headers = parse_head(head)
        websocket = any(name == "upgrade" and "websocket" in value.lower() for name, value in headers)
        pinned = pinned_backend(headers)
        tried: set[int] = set()
        while len(tried) < len(self.backends):
            index = self.choose(pinned, frozenset(tried))
            try:
                backend_in, backend_out = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", self.ports[index]), HEAD_TIMEOUT_S)
                break
            except (TimeoutError, OSError):  # that process is down (being restarted): try another, and pin the client to it
                tried.add(index)
        else:
            client_out.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"
                             b"Cold-start explorer is starting or restarting; try again in a few seconds.\n")  # fmt: skip
            await client_out.drain()
            return
        backend = self.backends[index]
        if not websocket:  # one request per connection: its bytes need no parsing after the head
            headers = [(n, v) for n, v in headers if n not in ("connection", "keep-alive", "proxy-connection")] + [("connection", "close")]
        backend_out.write(build_head(request_line, headers))
        upstream = asyncio.create_task(pipe(client_in, backend_out))
        try:
            while True:
                status_line, reply_headers = parse_head(await backend_in.readuntil(b"\r\n\r\n"))
                status = status_line.split(" ", 2)[1] if status_line.count(" ") >= 1 else ""
                if not (status.startswith("1") and status != "101"):
                    break
                client_out.write(build_head(status_line, reply_headers))  # 100 Continue and the like: passed on, then the reply
            upgraded = websocket and status == "101"
            if not upgraded:
                reply_headers = [(n, v) for n, v in reply_headers if n not in ("connection", "keep-alive")] + [("connection", "close")]
            if pinned != index:
                reply_headers.append(("set-cookie", f"{COOKIE}={index}; Path=/; HttpOnly; SameSite=Lax"))
            client_out.write(build_head(status_line, reply_headers))
            if upgraded:
                backend.sessions += 1
                downstream = asyncio.create_task(pipe(backend_in, client_out))
                try:
                    await asyncio.wait([upstream, downstream], return_when=asyncio.FIRST_COMPLETED)
                finally:
                    downstream.cancel()
                    backend.sessions -= 1
            else:  # the reply, then the connection ends (a refused upgrade's too, although its process may keep it open)
                length = next((v for n, v in reply_headers if n == "content-length"), "")
                bodiless = request_line.startswith("HEAD ") or status in ("204", "304")
                await pipe(backend_in, client_out, None if bodiless or not length.isdigit() else int(length))
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            upstream.cancel()
            backend_out.close()


def parse_head(head: bytes) -> tuple[str, list[tuple[str, str]]]:
    """``(first line, [(lower-case name, value)])`` of an HTTP head (latin-1, as HTTP/1.1 reads it)."""
    lines = head.decode("latin-1").split("\r\n")
    headers = []
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if colon:
            headers.append((name.strip().lower(), value.strip()))
    return lines[0], headers


def build_head(first: str, headers: list[tuple[str, str]]) -> bytes:
    return (first + "\r\n" + "".join(f"{name}: {value}\r\n" for name, value in headers) + "\r\n").encode("latin-1")


def pinned_backend(headers: list[tuple[str, str]]) -> int | None:
    """The backend index the client's cookie names, if it names one."""
    for name, value in headers:
        if name == "cookie":
            for part in value.split(";"):
                key, _, number = part.strip().partition("=")
                if key == COOKIE and number.isdigit() and len(number) < 4:
                    return int(number)
    return None


async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter, length: int | None = None) -> None:
    """Copy bytes until ``source`` ends, or ``length`` of them are copied (or either side breaks)."""
    left = length
    with contextlib.suppress(ConnectionError, OSError):
        while left is None or left > 0:
            data = await source.read(CHUNK if left is None else min(CHUNK, left))
            if not data:
                break
            sink.write(data)
            await sink.drain()
            if left is not None:
                left -= len(data)


# ------------------------------------------------------------------------------------ the processes
def first_page(port: int, timeout: float = 900) -> None:
    """Open a session on the Streamlit process at ``port`` and run the app's first page to its end, as a browser's first
    visit does (Streamlit's websocket protocol: one rerun request, then messages until the run has finished)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    deadline = time.monotonic() + timeout
    while True:  # a process just started again may not listen yet
        try:
            socket_ = connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], max_size=None, open_timeout=30)
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    with socket_:
        request = BackMsg()
        request.rerun_script.query_string = ""
        request.rerun_script.context_info.url = f"http://127.0.0.1:{port}/"
        socket_.send(request.SerializeToString())
        while True:
            message = ForwardMsg.FromString(socket_.recv(timeout=max(1.0, deadline - time.monotonic())))
            if message.WhichOneof("type") == "script_finished" and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return


def public_address() -> str:
    """Where the door listens: ``$STREAMLIT_SERVER_ADDRESS``, else ``server.address`` in ``.streamlit/config.toml``."""
    if os.environ.get("STREAMLIT_SERVER_ADDRESS"):
        return os.environ["STREAMLIT_SERVER_ADDRESS"]
    with contextlib.suppress(OSError, tomllib.TOMLDecodeError):
        return str(tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text()).get("server", {}).get("address", "127.0.0.1"))
    return "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


try:  # looked up here, not in the child: loading a library between fork and exec can deadlock
    _PRCTL = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):  # not Linux
    _PRCTL = None


def _die_with(parent: int):
    """What the child runs before exec: be killed when the door's process dies, even by kill -9 (Linux).

    SIGKILL, not SIGTERM: with the door gone, its output pipe is broken and Streamlit's own
    graceful stop took from seconds to minutes; a stop through the door (SIGTERM, Ctrl+C) still
    stops each process gracefully (:meth:`Workers.stop`).
    """

    def arrange() -> None:
        if _PRCTL is not None:
            _PRCTL(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the door died before that took effect
            os._exit(1)

    return arrange


class Workers:
    """The Streamlit processes: started on loopback ports, their output relayed, restarted when one dies."""

    def __init__(self, script: str, count: int, extra: list[str]):
        self.script, self.extra = script, extra
        self.ports = [free_port() for _ in range(count)]
        self.processes: list[subprocess.Popen | None] = [None] * count
        # One cookie secret for all: the XSRF cookie (and st.login's) that one process signs, another one accepts.
        self.env = {k: v for k, v in os.environ.items() if k != "STREAMLIT_SERVER_ADDRESS"}
        self.env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
        self.env["PYTHONUNBUFFERED"] = "1"
        self.stopping = False
        self.restarts = [0] * count  # starts in a row that died within a minute
        self.started = [0.0] * count

    def start(self, index: int) -> None:
        command = [sys.executable, "-m", "streamlit", "run", self.script, "--server.port", str(self.ports[index]),
                   "--server.address", "127.0.0.1", "--server.headless", "true", *self.extra]  # fmt: skip
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, errors="replace", preexec_fn=_die_with(os.getpid()))  # fmt: skip
        self.processes[index], self.started[index] = process, time.monotonic()
        threading.Thread(target=self._relay, args=(index, process), daemon=True).start()

    def _relay(self, index: int, process: subprocess.Popen) -> None:
        """Print a process's output with its number (never stop reading: a full pipe would freeze the process)."""
        for line in process.stdout:
            if line.strip() and not line.strip().startswith(BANNER):
                with contextlib.suppress(OSError, ValueError):
                    print(f"[worker {index + 1}] {line}", end="", flush=True)

    def warm(self, index: int) -> None:
        """In the background: one session on process ``index`` runs the first page, so that its engine is loaded
        before the first person it gets arrives (rather than while they wait)."""
        port = self.ports[index]

        def run() -> None:
            started = time.monotonic()
            try:
                first_page(port)
            except Exception as err:  # noqa: BLE001 (a failed warm-up only means the first visitor waits)
                print(f"[front door] worker {index + 1}: warming up failed ({type(err).__name__}: {err})", flush=True)
                return
            print(f"[front door] worker {index + 1} ready ({time.monotonic() - started:.0f} s to load)", flush=True)

        threading.Thread(target=run, name=f"warm-{index + 1}", daemon=True).start()

    def wait_ready(self, timeout: float) -> None:
        """Until every process answers its health check; raise if one exits or the time runs out."""
        deadline = time.time() + timeout
        for index, port in enumerate(self.ports):
            while True:
                with contextlib.suppress(OSError):
                    if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok":
                        break
                if self.processes[index].poll() is not None:
                    raise RuntimeError(f"worker {index + 1} exited with code {self.processes[index].returncode} while starting")
                if time.time() > deadline:
                    raise RuntimeError(f"worker {index + 1} did not answer within {timeout:.0f} s")
                time.sleep(0.3)

    async def watch(self) -> None:
        """Start again any process that died (a crash must not take its share of the sessions down for good).

        On a fresh port (its old one may have been taken meanwhile), and after a pause that doubles,
        up to a minute, while it keeps dying within a minute of its start.
        """
        due: dict[int, float] = {}
        while not self.stopping:
            await asyncio.sleep(0.5)
            for index, process in enumerate(self.processes):
                if process is None or process.poll() is None or self.stopping:
                    continue
                if index not in due:
                    quick = time.monotonic() - self.started[index] < 60
                    self.restarts[index] = self.restarts[index] + 1 if quick else 0
                    pause = min(60.0, 2.0 ** self.restarts[index]) if quick else 0.0
                    due[index] = time.monotonic() + pause
                    print(f"[front door] worker {index + 1} exited with code {process.returncode}; "
                          f"starting it again{f' in {pause:.0f} s' if pause else ''}", flush=True)  # fmt: skip
                if time.monotonic() >= due[index]:
                    del due[index]
                    self.ports[index] = free_port()
                    self.start(index)
                    self.warm(index)

    def stop(self) -> None:
        self.stopping = True
        for process in self.processes:
            if process is not None and process.poll() is None:
                process.terminate()
        for process in self.processes:
            if process is not None:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


async def serve(door: FrontDoor, workers: Workers, listening: socket.socket) -> None:
    """Serve until SIGTERM or SIGINT; then close the door and every connection through it at once."""
    server = await asyncio.start_server(door.handle, sock=listening, limit=HEAD_LIMIT)
    address, port = listening.getsockname()[:2]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    shown = "localhost" if address in ("127.0.0.1", "localhost") else address
    print(f"[front door] http://{shown}:{port} → {len(workers.ports)} Streamlit processes on 127.0.0.1:{', '.join(map(str, workers.ports))}",
          flush=True)  # fmt: skip
    watcher = asyncio.create_task(workers.watch())
    await stop.wait()
    workers.stopping = True
    watcher.cancel()
    server.close()  # no new connections; the open ones (a browser tab's websocket) end now, not when their tabs close
    await door.close()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = argv[argv.index("--") + 1 :] if "--" in argv else []
    argv = argv[: argv.index("--")] if "--" in argv else argv
    parser = argparse.ArgumentParser(prog="python frontdoor.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("script", nargs="?", default="app.py", help="the Streamlit script (default app.py)")
    parser.add_argument("--port", type=int, default=8501, help="the public port (default 8501)")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                        help=f"Streamlit processes (default: one per core, at most 4: {DEFAULT_WORKERS} here); 1 runs Streamlit alone on the port")  # fmt: skip
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for the processes to start (default 300)")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    taken = [option for option in extra for name in ("--server.port", "--server.address") if option.split("=")[0] == name]
    if taken and args.workers > 1:
        parser.error(f"{taken[0]} is the front door's to set (--port; the address: README, Sharing it with a team)")
    if args.workers == 1:  # nothing to balance: Streamlit itself on the public port (address from the config)
        os.execv(sys.executable, [sys.executable, "-m", "streamlit", "run", args.script, "--server.port", str(args.port), *extra])
    try:  # the public port first: a port in use fails at once, before any process starts
        listening = socket.create_server((public_address(), args.port))
    except OSError as err:
        print(
            f"[front door] cannot listen on {public_address()}:{args.port}: {str(err.strerror).split(' (while')[0]} (is the app already running?)",
            file=sys.stderr,
        )
        return 1
    with contextlib.suppress(ValueError, OSError):  # each websocket holds two descriptors: allow as many as the system lets
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    workers = Workers(args.script, args.workers, extra)
    try:
        for index in range(args.workers):
            workers.start(index)
        workers.wait_ready(args.timeout)
        for index in range(args.workers):
            workers.warm(index)
        asyncio.run(serve(FrontDoor(workers.ports), workers, listening))  # the door reads workers.ports: a restart's new port
    except RuntimeError as err:
        print(f"[front door] {err}", file=sys.stderr)
        return 1
    finally:
        workers.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
