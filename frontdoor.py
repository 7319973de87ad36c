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
both ways for as long as it lives.

The door is the part that faces the network, so it reads a request head strictly
(:func:`parse_request`, RFC 9110/9112) and answers anything doubtful itself, never passing it on:
400 for a malformed head (a folded or whitespace-led line, a bare CR or LF, a line without a colon, a
header name that is not a token, a control character in a value, a request line other than
``METHOD SP target SP HTTP/1.x``, a missing or repeated Host, a repeated or non-numeric
Content-Length, Transfer-Encoding beside Content-Length or other than a single ``chunked``), 431
for a head over 64 KB or over 100 header lines, 503 with ``Retry-After`` beyond
``max_connections`` open connections, and 504 when a process has not answered after the idle
limit. After the head, a connection on which no byte moves either way for ``idle_s`` (60 s) is
closed, a websocket after ``websocket_idle_s`` (10 min): Streamlit pings every open tab every
30 s (``server.websocketPingInterval``) and the browser answers, so an open tab never falls
quiet that long. The processes are told who is asking (``X-Forwarded-For``, ``X-Forwarded-Proto``),
in place of what the client claimed unless it is a trusted proxy (:func:`forwarded`).

The processes share what is on disk (the cache, the saved personas); each loads the engine once,
right after it starts: the door runs the first page in one session of its own
(:func:`first_page`), so the first person sent there does not wait for it. A process that dies
is started again (on a fresh port, after a pause that grows while it keeps dying); its sessions
are lost, their tabs reconnect as new ones. The processes end with the door, however it ends.

Run: ``python frontdoor.py --port 8501 --workers 2 [--max-connections N] [--idle S] [--websocket-idle S]
[--trusted-proxy ADDRESS] [app.py] [-- extra streamlit options]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import ipaddress
import os
import re
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
#: A random name for each browser, set on its first request: the app keeps a browser's personas across a
#: reload under it (ui/keeping.py). HttpOnly, so no page script reads it; never shown or logged.
BROWSER_COOKIE = "coldstart_browser"
HEAD_LIMIT = 64 * 1024  # the longest request or response head passed on
HEAD_LINES = 100  # the most header lines in a request head (Apache's default; a browser sends about 20)
HEAD_TIMEOUT_S = 60  # a request head (or a process's answer to connect) slower than this ends the connection
#: After the head: how long a connection may move no byte either way. A websocket longer: Streamlit pings each open
#: tab every 30 s (server.websocketPingInterval) and the browser answers, so only a tab that is gone falls this quiet.
IDLE_S = 60.0
WEBSOCKET_IDLE_S = 600.0
MAX_CONNECTIONS = 512  # open at once (a browser tab holds one websocket and, while loading, a few requests)
RETRY_AFTER_S = 5  # what a client refused for want of room is told to wait
LINGER_S = 1.0  # after a refusal, how long the client's unread bytes are drained, so closing does not reset the answer
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
class Clock:
    """When a connection last moved a byte either way, and how long it may stay quiet."""

    limit: float
    last: float = field(default_factory=time.monotonic)
    answered: bool = False  # whether the client has had a reply head
    ended: bool = False  # whether the door itself answered and ended the request (the client's rest already read)

    def tick(self) -> None:
        self.last = time.monotonic()


@dataclass
class FrontDoor:
    """Routes each connection to a backend (sticky by cookie) and pipes it through.

    ``ports`` is read at each connection, so a process started again on a new port is found there.
    ``trusted_proxies``: the networks whose ``X-Forwarded-For`` is extended rather than replaced (:func:`forwarded`).
    """

    ports: list[int]
    max_connections: int = MAX_CONNECTIONS
    idle_s: float = IDLE_S
    websocket_idle_s: float = WEBSOCKET_IDLE_S
    head_timeout_s: float = HEAD_TIMEOUT_S
    trusted_proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    backends: list[Backend] = field(init=False)
    connections: set[asyncio.Task] = field(init=False, default_factory=set)
    refusing: int = field(init=False, default=0)  # connections being told 503
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
        if len(self.connections) >= self.max_connections:
            await self._refuse(client_in, client_out)
            return
        task = asyncio.current_task()
        self.connections.add(task)
        try:
            try:
                request = await asyncio.wait_for(read_request(client_in), self.head_timeout_s)
            except BadRequest as refusal:
                await answer(client_in, client_out, refusal.status, refusal.reason)
                return
            clock = Clock(self.idle_s)
            work = asyncio.create_task(self._forward(request, client_in, client_out, clock))
            if await self._until_quiet(work, clock):
                if request.has_body and not clock.ended:  # a process may answer before the body is all sent: let it finish
                    await linger(client_in, client_out)
                return
            if clock.answered:  # mid-reply, or a websocket gone quiet: dropped, with whatever the client left unread
                client_out.transport.abort()
            else:
                await answer(client_in, client_out, 504, "The app did not answer in time; try again.")
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.CancelledError, ConnectionError):
            pass  # a client that went away or sent its head too slowly, or the door closing: nothing to answer
        finally:
            self.connections.discard(task)
            client_out.close()

    async def _refuse(self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter) -> None:
        """Tell a client beyond ``max_connections`` to come back later (and, past twice that, just close)."""
        if self.refusing >= self.max_connections:
            client_out.transport.abort()
            return
        self.refusing += 1
        try:
            await answer(
                client_in, client_out, 503, "Too many connections; try again in a few seconds.", (("retry-after", str(RETRY_AFTER_S)),)
            )
        finally:
            self.refusing -= 1
            client_out.close()

    async def _until_quiet(self, work: asyncio.Task, clock: Clock) -> bool:
        """Wait for ``work``, but cancel it once its connection has moved no byte for ``clock.limit``; whether it finished.

        It looks again at least every ``min(idle_s, websocket_idle_s)``, so a limit that changes (an upgrade) is seen in time.
        """
        try:
            while not work.done():
                quiet = time.monotonic() - clock.last
                if quiet >= clock.limit:
                    return False
                await asyncio.wait({work}, timeout=min(clock.limit - quiet, self.idle_s, self.websocket_idle_s))
            work.result()  # its error, if it ended in one
            return True
        finally:
            work.cancel()
            await asyncio.wait({work})  # its reads of the client over before anything else reads there

    def trusts(self, address: str) -> bool:
        """Whether ``address`` (the peer's IP) is one of the trusted proxies."""
        if not self.trusted_proxies:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        ip = getattr(ip, "ipv4_mapped", None) or ip
        return any(ip in network for network in self.trusted_proxies)

    async def close(self) -> None:
        """End every connection in flight (the door is closing)."""
        for task in list(self.connections):
            task.cancel()
        await asyncio.gather(*self.connections, return_exceptions=True)

    async def _forward(self, request: Request, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter, clock: Clock) -> None:
        headers = request.headers
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
            clock.answered = clock.ended = True
            await answer(client_in, client_out, 502, "Cold-start explorer is starting or restarting; try again in a few seconds.")
            return
        backend = self.backends[index]
        peer = client_out.get_extra_info("peername")
        client = str(peer[0]) if isinstance(peer, tuple) else "unknown"
        headers = forwarded(headers, client, self.trusts(client))
        if not websocket:  # one request per connection: its bytes need no parsing after the head
            headers = [(n, v) for n, v in headers if n not in ("connection", "keep-alive", "proxy-connection")] + [("connection", "close")]
        backend_out.write(build_head(request.line, headers))
        upstream = asyncio.create_task(pipe(client_in, backend_out, clock=clock))
        try:
            while True:
                status_line, reply_headers = parse_head(await backend_in.readuntil(b"\r\n\r\n"))
                clock.tick()
                status = status_line.split(" ", 2)[1] if status_line.count(" ") >= 1 else ""
                if not (status.startswith("1") and status != "101"):
                    break
                clock.answered = True
                client_out.write(build_head(status_line, reply_headers))  # 100 Continue and the like: passed on, then the reply
            upgraded = websocket and status == "101"
            if not upgraded:
                reply_headers = [(n, v) for n, v in reply_headers if n not in ("connection", "keep-alive")] + [("connection", "close")]
            if pinned != index:
                reply_headers.append(("set-cookie", f"{COOKIE}={index}; Path=/; HttpOnly; SameSite=Lax"))
            if not websocket and browser_name(headers) is None:
                reply_headers.append(("set-cookie", f"{BROWSER_COOKIE}={secrets.token_urlsafe(18)}; Path=/; HttpOnly; SameSite=Lax"))
            clock.answered = True
            client_out.write(build_head(status_line, reply_headers))
            if upgraded:
                clock.limit = self.websocket_idle_s
                backend.sessions += 1
                downstream = asyncio.create_task(pipe(backend_in, client_out, clock=clock))
                try:
                    await asyncio.wait([upstream, downstream], return_when=asyncio.FIRST_COMPLETED)
                finally:
                    downstream.cancel()
                    backend.sessions -= 1
            else:  # the reply, then the connection ends (a refused upgrade's too, although its process may keep it open)
                length = next((v for n, v in reply_headers if n == "content-length"), "")
                bodiless = request.method == "HEAD" or status in ("204", "304")
                await pipe(backend_in, client_out, None if bodiless or not length.isdigit() else int(length), clock=clock)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            upstream.cancel()
            await asyncio.wait({upstream})
            if backend_out.transport.get_write_buffer_size():  # a process that stopped reading: do not wait on it
                backend_out.transport.abort()
            else:
                backend_out.close()


class BadRequest(Exception):
    """A request head the door will not pass on: answered with ``status`` (400 or 431) and ``reason``, then closed."""

    def __init__(self, reason: str, status: int = 400):
        super().__init__(reason)
        self.reason, self.status = reason, status


@dataclass(frozen=True)
class Request:
    """A request head that passed :func:`parse_request`: names lower-case, values without surrounding blanks."""

    method: str
    target: str
    version: str  # "HTTP/1.0", "HTTP/1.1"
    headers: list[tuple[str, str]]

    @property
    def line(self) -> str:
        return f"{self.method} {self.target} {self.version}"

    @property
    def has_body(self) -> bool:
        """Whether the client said a body follows the head (a length above zero, or a transfer coding)."""
        return any((n == "content-length" and v.strip("0") != "") or n == "transfer-encoding" for n, v in self.headers)


TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"  # RFC 9110 5.6.2: what a method or a header name is made of
REQUEST_LINE = re.compile(rf"({TOKEN}) ([\x21-\x7e]+) (HTTP/1\.[0-9])")  # the target: visible ASCII, no blanks
TARGET = re.compile(r"/|\*$|https?://", re.IGNORECASE)  # origin-form, asterisk-form, absolute-form (no CONNECT)
FIELD_NAME = re.compile(TOKEN)
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # in a field value: every control character but the tab
LENGTH = re.compile(r"[0-9]{1,18}")


async def read_request(reader: asyncio.StreamReader) -> Request:
    """Read a request head line by line and parse it; :class:`BadRequest` as soon as it cannot be one."""
    lines: list[bytes] = []
    size = 0
    while True:
        try:
            line = await reader.readuntil(b"\n")
        except asyncio.LimitOverrunError:
            raise BadRequest("The request head is too long.", 431) from None
        size += len(line)
        if size > HEAD_LIMIT or len(lines) > HEAD_LINES + 1:  # the request line, the header lines, this one
            raise BadRequest("The request head is too long (over 64 KB or 100 header lines).", 431)
        lines.append(line)
        if line == b"\r\n" or not line.endswith(b"\r\n"):  # the end of the head, or a bare LF (refused below)
            return parse_request(b"".join(lines))


def parse_request(head: bytes) -> Request:
    """The request in ``head`` (its bytes up to and with the blank line), or :class:`BadRequest` saying what is wrong.

    Strict where leniency lets two readers of one head disagree (RFC 9112 sections 2.2, 3, 5, 6):
    lines end in CRLF only; no line is folded or starts with a blank; every header line is a token
    name, a colon and a value free of control characters; an HTTP/1.1 request has one Host; the
    body's length is told once, by one Content-Length or a single ``chunked`` Transfer-Encoding.
    """
    if not head.endswith(b"\r\n\r\n") and head != b"\r\n":
        raise BadRequest("A line of the request head ends in a bare LF, not CRLF.")
    lines = head[:-4].decode("latin-1").split("\r\n")
    if any("\r" in line or "\n" in line for line in lines):
        raise BadRequest("The request head holds a bare CR or LF.")
    if len(lines) - 1 > HEAD_LINES:
        raise BadRequest("The request head is too long (over 100 header lines).", 431)
    line = REQUEST_LINE.fullmatch(lines[0])
    if not line or not TARGET.match(line[2]) or (line[2] == "*" and line[1] != "OPTIONS"):
        raise BadRequest("The request line is not METHOD SP target SP HTTP/1.x.")
    headers = []
    for text in lines[1:]:
        if text[:1] in (" ", "\t"):
            raise BadRequest("A header line starts with a blank (obsolete line folding).")
        name, colon, value = text.partition(":")
        if not colon:
            raise BadRequest("A header line has no colon.")
        if not FIELD_NAME.fullmatch(name):
            raise BadRequest("A header name is not a token (or has a blank before its colon).")
        if CONTROL.search(value):
            raise BadRequest("A header value holds a control character.")
        headers.append((name.lower(), value.strip(" \t")))
    version = line[3]
    values = {key: [v for n, v in headers if n == key] for key in ("host", "content-length", "transfer-encoding")}
    lengths, codings = values["content-length"], values["transfer-encoding"]
    if len(values["host"]) > 1 or (version != "HTTP/1.0" and not values["host"]):
        raise BadRequest("An HTTP/1.1 request has exactly one Host header.")
    if len(lengths) > 1 or len(codings) > 1:
        raise BadRequest("Content-Length or Transfer-Encoding is given more than once.")
    if lengths and codings:
        raise BadRequest("Content-Length and Transfer-Encoding together.")
    if lengths and not LENGTH.fullmatch(lengths[0]):
        raise BadRequest("Content-Length is not a number.")
    if codings and (codings[0].lower() != "chunked" or version == "HTTP/1.0"):
        raise BadRequest("The only Transfer-Encoding taken is a single chunked, in HTTP/1.1.")
    return Request(line[1], line[2], version, headers)


def forwarded(headers: list[tuple[str, str]], client: str, trusted: bool) -> list[tuple[str, str]]:
    """``headers`` with ``X-Forwarded-For`` and ``X-Forwarded-Proto`` saying who asks, and how, to the processes.

    Streamlit's server believes these headers from a loopback peer, which the door is, so a client's own
    would be believed too: anyone could claim any address, or claim HTTPS. So from a client the door replaces
    them (and drops the other headers of the kind: ``Forwarded``, ``X-Forwarded-Host``, ``-Port``,
    ``X-Real-IP``); only a trusted proxy in front of the door (``--trusted-proxy``) has its chain extended
    with its own address and its ``X-Forwarded-Proto`` kept. The door itself speaks plain HTTP.
    """
    proto = "http"
    chain: list[str] = []
    if trusted:
        chain = [v for n, v in headers if n == "x-forwarded-for" and v]
        claimed = [v.split(",")[-1].strip().lower() for n, v in headers if n == "x-forwarded-proto"]
        proto = claimed[-1] if claimed and claimed[-1] in ("http", "https") else proto
        dropped = ("x-forwarded-for", "x-forwarded-proto")
    else:
        dropped = ("x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "x-real-ip", "forwarded")
    kept = [(n, v) for n, v in headers if n not in dropped]
    return [*kept, ("x-forwarded-for", ", ".join([*chain, client])), ("x-forwarded-proto", proto)]


REASONS = {400: "Bad Request", 431: "Request Header Fields Too Large", 502: "Bad Gateway", 503: "Service Unavailable",
           504: "Gateway Timeout"}  # fmt: skip


async def answer(
    client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter, status: int, text: str, extra: tuple[tuple[str, str], ...] = ()
) -> None:
    """Answer ``status`` with ``text`` and end the request: what the client still sends is read (for at most
    :data:`LINGER_S`) and dropped first, since closing on unread bytes resets the connection, answer and all."""
    body = (text + "\n").encode()
    head = [("content-type", "text/plain; charset=utf-8"), ("content-length", str(len(body))), *extra, ("connection", "close")]
    client_out.write(build_head(f"HTTP/1.1 {status} {REASONS[status]}", head) + body)
    await linger(client_in, client_out)


async def linger(client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter) -> None:
    """End the reply written to ``client_out`` without resetting it: send it, say the door writes no more, and read
    and drop what the client still sends (for at most :data:`LINGER_S` and 1 MB) before the connection closes."""
    deadline = time.monotonic() + LINGER_S
    with contextlib.suppress(TimeoutError, ConnectionError, OSError, asyncio.IncompleteReadError):
        await asyncio.wait_for(client_out.drain(), LINGER_S)
        if client_out.can_write_eof():
            client_out.write_eof()
        for _ in range(16):  # at most 16 chunks (1 MB)
            if not await asyncio.wait_for(client_in.read(CHUNK), max(0.0, deadline - time.monotonic())):
                break
    if client_out.transport.get_write_buffer_size():  # a client that reads nothing must not keep the connection open
        client_out.transport.abort()


def parse_head(head: bytes) -> tuple[str, list[tuple[str, str]]]:
    """``(first line, [(lower-case name, value)])`` of a response head from a process (trusted: read leniently)."""
    lines = head.decode("latin-1").split("\r\n")
    headers = []
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if colon:
            headers.append((name.strip().lower(), value.strip()))
    return lines[0], headers


def build_head(first: str, headers: list[tuple[str, str]]) -> bytes:
    return (first + "\r\n" + "".join(f"{name}: {value}\r\n" for name, value in headers) + "\r\n").encode("latin-1")


def browser_name(headers: list[tuple[str, str]]) -> str | None:
    """The browser's name cookie, if it sent one of the form this door sets."""
    for name, value in headers:
        if name == "cookie":
            for part in value.split(";"):
                key, _, token = part.strip().partition("=")
                if key == BROWSER_COOKIE and 16 <= len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum():
                    return token
    return None


def pinned_backend(headers: list[tuple[str, str]]) -> int | None:
    """The backend index the client's cookie names, if it names one."""
    for name, value in headers:
        if name == "cookie":
            for part in value.split(";"):
                key, _, number = part.strip().partition("=")
                if key == COOKIE and number.isdigit() and len(number) < 4:
                    return int(number)
    return None


async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter, length: int | None = None, clock: Clock | None = None) -> None:
    """Copy bytes until ``source`` ends, or ``length`` of them are copied (or either side breaks); each read and each
    write taken up by the other side ticks ``clock``."""
    left = length
    with contextlib.suppress(ConnectionError, OSError):
        while left is None or left > 0:
            data = await source.read(CHUNK if left is None else min(CHUNK, left))
            if not data:
                break
            if clock:
                clock.tick()
            sink.write(data)
            await sink.drain()
            if clock:
                clock.tick()
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
    parser.add_argument("--max-connections", type=int, default=MAX_CONNECTIONS,
                        help=f"connections open at once; more are answered 503 (default {MAX_CONNECTIONS})")  # fmt: skip
    parser.add_argument("--idle", type=float, default=IDLE_S,
                        help=f"seconds a request may move no byte either way after its head (default {IDLE_S:.0f})")  # fmt: skip
    parser.add_argument("--websocket-idle", type=float, default=WEBSOCKET_IDLE_S,
                        help=f"the same for a websocket; keep it above Streamlit's 30 s ping (default {WEBSOCKET_IDLE_S:.0f})")  # fmt: skip
    parser.add_argument("--trusted-proxy", action="append", metavar="ADDRESS",
                        default=[a for a in os.environ.get("COLDSTART_TRUSTED_PROXIES", "").replace(",", " ").split() if a],
                        help="a proxy in front of the door (IP or network, repeatable; default $COLDSTART_TRUSTED_PROXIES, "
                             "comma-separated) whose X-Forwarded-For is extended and X-Forwarded-Proto kept")  # fmt: skip
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.max_connections < 1 or args.idle <= 0 or args.websocket_idle <= 0:
        parser.error("--max-connections, --idle and --websocket-idle must be positive")
    try:
        trusted = tuple(ipaddress.ip_network(address, strict=False) for address in args.trusted_proxy)
    except ValueError as err:
        parser.error(f"--trusted-proxy: {err}")
    taken = [option for option in extra for name in ("--server.port", "--server.address") if option.split("=")[0] == name]
    if taken and args.workers > 1:
        parser.error(f"{taken[0]} is the front door's to set (--port; the address: docs/deployment.md, Sharing it with a team)")
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
    descriptors = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if descriptors != resource.RLIM_INFINITY and 2 * args.max_connections + 64 > descriptors:
        print(f"[front door] only {descriptors} open files allowed: fewer than --max-connections {args.max_connections} needs", flush=True)
    workers = Workers(args.script, args.workers, extra)
    try:
        for index in range(args.workers):
            workers.start(index)
        workers.wait_ready(args.timeout)
        for index in range(args.workers):
            workers.warm(index)
        door = FrontDoor(workers.ports, args.max_connections, args.idle, args.websocket_idle, trusted_proxies=trusted)
        asyncio.run(serve(door, workers, listening))  # the door reads workers.ports: a restart's new port
    except RuntimeError as err:
        print(f"[front door] {err}", file=sys.stderr)
        return 1
    finally:
        workers.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
