"""The front door's strict reading of requests and its limits, against a small stub server (no Streamlit: fast).

Each rule of ``frontdoor.parse_request`` has fixed cases answered 400 (or 431) with nothing passed on;
the idle limits, the connection cap and the forwarded headers have tests of their own; and hypothesis
throws generated heads at the door, valid and broken: it never fails, answers a well-formed status line
or closes, and the stub only ever receives heads that keep the rules, as checked by :func:`keeps_the_rules`,
a reading written here apart from the door's.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import ipaddress
import re
import shutil
import socket
import string
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import frontdoor  # noqa: E402  (a script beside app.py, not part of the installed packages)

pytestmark = pytest.mark.server

STUB_BODY = b"stub"
WEBSOCKET_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class Running:
    """A door in front of a stub server, both on an event loop in a thread of their own; tests use blocking sockets.

    The stub records each head it receives (``seen``) and the path of each connection it saw end (``ended``), and
    answers by path: ``/silent`` never answers, ``/upload`` answers once it has read its body, ``/big`` sends an
    endless body, an upgrade is accepted (101) and echoes (on ``/ticking`` it sends a byte every 0.2 s instead),
    anything else is answered 200 ``stub``. What the loop reports as unhandled is kept in ``errors``.
    """

    def __init__(self, **options):
        self.seen: list[bytes] = []
        self.ended: list[bytes] = []
        self.errors: list[dict] = []
        self.tasks: set[asyncio.Task] = set()
        self.loop = asyncio.new_event_loop()
        self.loop.set_exception_handler(lambda loop, context: self.errors.append(context))
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.port, self.door = self.call(self._start(options))

    def call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(30)

    async def _start(self, options):
        self.stub = await asyncio.start_server(self._answer, "127.0.0.1", 0, limit=1 << 20)
        door = frontdoor.FrontDoor([self.stub.sockets[0].getsockname()[1]], **options)
        self.server = await asyncio.start_server(door.handle, "127.0.0.1", 0, limit=frontdoor.HEAD_LIMIT)  # as serve() starts it
        return self.server.sockets[0].getsockname()[1], door

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.tasks.add(asyncio.current_task())
        path = b""
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            self.seen.append(head)
            path = head.split(b" ", 2)[1]
            if path == b"/silent":
                await reader.read()  # until the door ends the connection
            elif path == b"/upload":
                await reader.readexactly(int(re.search(rb"content-length: (\d+)", head).group(1)))
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nuploaded")
            elif path == b"/big":
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n")
                while True:
                    writer.write(b"x" * 65536)
                    await writer.drain()
            elif b"\r\nupgrade: websocket\r\n" in head.lower():
                key = re.search(rb"\r\nsec-websocket-key: *([^\r]+)", head, re.IGNORECASE)  # answered as RFC 6455 says, if asked
                accept = b"Sec-WebSocket-Accept: %s\r\n" % base64.b64encode(hashlib.sha1(key[1] + WEBSOCKET_GUID).digest()) if key else b""
                writer.write(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" + accept + b"\r\n")
                while path == b"/ticking":
                    writer.write(b"t")
                    await writer.drain()
                    await asyncio.sleep(0.2)
                while data := await reader.read(1024):
                    writer.write(data)
                    await writer.drain()
            else:
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(STUB_BODY), STUB_BODY))
            await writer.drain()
            writer.write_eof()
            await reader.read()  # a body it did not read, until the door closes: closing on unread bytes would reset the reply
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.CancelledError):
            pass
        finally:
            self.ended.append(path)
            writer.close()
            self.tasks.discard(asyncio.current_task())

    def close(self) -> None:
        async def stop():
            self.server.close()
            await self.door.close()
            self.stub.close()
            for task in list(self.tasks):
                task.cancel()
            await asyncio.gather(*self.tasks, return_exceptions=True)

        self.call(stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture(scope="module")
def door():
    """A door with the default limits, shared by the tests of one module; none of them may make it fail."""
    running = Running()
    yield running
    running.close()
    assert not running.errors, running.errors


@pytest.fixture
def quick():
    """A door whose idle limits are short enough to wait for: 0.5 s, and 1.5 s for a websocket."""
    running = Running(idle_s=0.5, websocket_idle_s=1.5)
    yield running
    running.close()
    assert not running.errors, running.errors


def exchange(port: int, data: bytes, half_close: bool = False, timeout: float = 10) -> bytes:
    """Send ``data`` (then end the sending side, if ``half_close``) and read until the door closes: what came back."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as client:
        client.sendall(data)
        if half_close:
            client.shutdown(socket.SHUT_WR)
        return read_to_end(client)


def read_to_end(client: socket.socket) -> bytes:
    chunks = []
    while True:
        try:
            chunk = client.recv(65536)
        except TimeoutError:
            raise AssertionError(f"the door neither answered nor closed; it sent {b''.join(chunks)[:200]!r}") from None
        except ConnectionResetError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


STATUS_LINE = re.compile(rb"HTTP/1\.1 ([1-5][0-9][0-9]) [\x20-\x7e]*\r\n")


def status_of(reply: bytes) -> int:
    match = STATUS_LINE.match(reply)
    assert match, f"not a status line: {reply[:100]!r}"
    return int(match[1])


# ------------------------------------------------------------------------ an independent reading of the rules
HEAD = re.compile(
    rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+ (?:/[\x21-\x7e]*|\*|[hH][tT][tT][pP][sS]?://[\x21-\x7e]*) HTTP/1\.[0-9]\r\n"
    rb"(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*\r\n)*\r\n"
)


def keeps_the_rules(head: bytes) -> bool:
    """Whether ``head`` is a request head the door may pass on (written apart from ``frontdoor.parse_request``).

    Within the limits plus what the door adds: X-Forwarded-For, X-Forwarded-Proto and Connection.
    """
    if not HEAD.fullmatch(head) or len(head) > frontdoor.HEAD_LIMIT + 256:
        return False
    fields = [line.split(b":", 1) for line in head.split(b"\r\n")[1:-2]]
    named = {key: [v.strip(b" \t") for n, v in fields if n.lower() == key] for key in (b"host", b"content-length", b"transfer-encoding")}
    http10 = head.split(b"\r\n", 1)[0].endswith(b"HTTP/1.0")
    lengths, codings = named[b"content-length"], named[b"transfer-encoding"]
    return (
        len(fields) <= frontdoor.HEAD_LINES + 3
        and (len(named[b"host"]) == 1 or (http10 and not named[b"host"]))
        and len(lengths) <= 1
        and all(re.fullmatch(rb"[0-9]{1,18}", v) for v in lengths)
        and len(codings) <= 1
        and not (codings and (lengths or http10 or codings[0].lower() != b"chunked"))
    )


# ------------------------------------------------------------------------ fixed cases, rule by rule
OK = b"GET / HTTP/1.1\r\nHost: x\r\n"  # a request line and Host, to which a case adds its lines
BROKEN = [  # (case, head, status, what the answer says)
    # obsolete line folding, and any header line that starts with a blank
    ("obs-fold", OK + b"X-A: a\r\n b\r\n\r\n", 400, "folding"),
    ("obs-fold-tab", OK + b"X-A: a\r\n\tb\r\n\r\n", 400, "folding"),
    ("first-line-blank", b"GET / HTTP/1.1\r\n Host: x\r\n\r\n", 400, "folding"),
    # bare LF as a line end, bare CR or LF within a line, other control characters in a value
    ("bare-lf-everywhere", b"GET / HTTP/1.1\nHost: x\n\n", 400, "bare LF"),
    ("bare-lf-request-line", b"GET / HTTP/1.1\nHost: x\r\n\r\n", 400, "bare LF"),
    ("bare-lf-one-header", OK + b"X-A: a\nX-B: b\r\n\r\n", 400, "bare LF"),
    ("bare-lf-end", OK + b"\n", 400, "bare LF"),
    ("bare-cr-value", OK + b"X-A: a\rb\r\n\r\n", 400, "bare CR"),
    ("bare-cr-end-of-line", OK + b"X-A: a\r\r\n\r\n", 400, "bare CR"),
    ("nul-in-value", OK + b"X-A: a\x00b\r\n\r\n", 400, "control character"),
    ("escape-in-value", OK + b"X-A: \x1b[31m\r\n\r\n", 400, "control character"),
    ("del-in-value", OK + b"X-A: a\x7f\r\n\r\n", 400, "control character"),
    # Content-Length once, a number
    ("content-length-twice-same", OK + b"Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400, "more than once"),
    ("content-length-conflicting", OK + b"Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400, "more than once"),
    ("content-length-list", OK + b"Content-Length: 5, 5\r\n\r\nhello", 400, "not a number"),
    ("content-length-negative", OK + b"Content-Length: -1\r\n\r\n", 400, "not a number"),
    ("content-length-plus", OK + b"Content-Length: +5\r\n\r\nhello", 400, "not a number"),
    ("content-length-hex", OK + b"Content-Length: 0x5\r\n\r\nhello", 400, "not a number"),
    ("content-length-empty", OK + b"Content-Length:\r\n\r\n", 400, "not a number"),
    # latin-1 '²', a digit to str.isdigit
    ("content-length-superscript", OK + b"Content-Length: \xb2\r\n\r\n", 400, "not a number"),
    ("content-length-huge", OK + b"Content-Length: " + b"9" * 19 + b"\r\n\r\n", 400, "not a number"),
    # Transfer-Encoding: a single chunked, without Content-Length, in HTTP/1.1
    ("te-and-cl", OK + b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "together"),
    ("cl-and-te", OK + b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", 400, "together"),
    ("te-twice", OK + b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "more than once"),
    ("te-gzip", OK + b"Transfer-Encoding: gzip\r\n\r\n", 400, "single chunked"),
    ("te-gzip-chunked", OK + b"Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 400, "single chunked"),
    ("te-chunked-chunked", OK + b"Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 400, "single chunked"),
    ("te-identity", OK + b"Transfer-Encoding: identity\r\n\r\n", 400, "single chunked"),
    ("te-in-http-1.0", b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "single chunked"),
    # every header line has a colon, and its name is a token right before it
    ("no-colon", OK + b"X-A a\r\n\r\n", 400, "no colon"),
    ("no-colon-lone-word", OK + b"hello\r\n\r\n", 400, "no colon"),
    ("name-with-space", OK + b"X A: a\r\n\r\n", 400, "not a token"),
    ("blank-before-colon", OK + b"X-A : a\r\n\r\n", 400, "not a token"),
    ("tab-before-colon", OK + b"Content-Length\t: 5\r\n\r\nhello", 400, "not a token"),
    ("empty-name", OK + b": a\r\n\r\n", 400, "not a token"),
    ("name-with-paren", OK + b"X(A): a\r\n\r\n", 400, "not a token"),
    ("name-with-slash", OK + b"X/A: a\r\n\r\n", 400, "not a token"),
    ("name-not-ascii", OK + b"X-\xe9: a\r\n\r\n", 400, "not a token"),
    # the request line: METHOD SP target SP HTTP/1.x, exactly
    ("line-two-parts", b"GET /\r\nHost: x\r\n\r\n", 400, "request line"),
    ("line-four-parts", b"GET / HTTP/1.1 x\r\nHost: x\r\n\r\n", 400, "request line"),
    ("line-double-space", b"GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400, "request line"),
    ("line-trailing-space", b"GET / HTTP/1.1 \r\nHost: x\r\n\r\n", 400, "request line"),
    ("line-tab", b"GET\t/ HTTP/1.1\r\nHost: x\r\n\r\n", 400, "request line"),
    ("line-http-2", b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 400, "request line"),
    ("line-http-0.9", b"GET /\r\n\r\n", 400, "request line"),
    ("line-lower-case-version", b"GET / http/1.1\r\nHost: x\r\n\r\n", 400, "request line"),
    ("line-method-not-token", b"G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400, "request line"),
    ("line-space-in-target", b"GET /a b HTTP/1.1\r\nHost: x\r\n\r\n", 400, "request line"),
    ("line-target-not-ascii", b"GET /\xe9 HTTP/1.1\r\nHost: x\r\n\r\n", 400, "request line"),
    ("line-target-relative", b"GET index.html HTTP/1.1\r\nHost: x\r\n\r\n", 400, "request line"),
    ("line-connect", b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 400, "request line"),
    ("line-asterisk-not-options", b"GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400, "request line"),
    ("line-empty-first", b"\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", 400, "request line"),
    ("line-garbage", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 400, "request line"),
    # one Host in HTTP/1.1, at most one in HTTP/1.0
    ("host-missing", b"GET / HTTP/1.1\r\nX-A: a\r\n\r\n", 400, "Host"),
    ("host-twice", OK + b"Host: y\r\n\r\n", 400, "Host"),
    ("host-twice-http-1.0", b"GET / HTTP/1.0\r\nHost: x\r\nHost: y\r\n\r\n", 400, "Host"),
    # no more than 64 KB, no more than 100 header lines
    ("head-over-64kb", OK + b"X-A: " + b"a" * frontdoor.HEAD_LIMIT + b"\r\n\r\n", 431, "too long"),
    ("head-over-64kb-in-short-lines", OK + (b"X-A: " + b"a" * 1000 + b"\r\n") * 70 + b"\r\n", 431, "too long"),
    ("head-101-lines", OK + b"X-A: a\r\n" * 100 + b"\r\n", 431, "too long"),
]
VALID = [
    ("plain", OK + b"\r\n"),
    ("http-1.0-without-host", b"GET / HTTP/1.0\r\n\r\n"),
    ("query-and-odd-target-characters", b"GET /a/b?c=1&d=%20e;f~g HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("absolute-form", b"GET http://x/y HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("options-asterisk", b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("tab-and-spaces-in-value", OK + b"X-A:\t a \tb\t \r\n\r\n"),
    ("empty-value", OK + b"X-A:\r\n\r\n"),
    ("obs-text-in-value", OK + b"X-A: caf\xe9\r\n\r\n"),
    ("token-punctuation-in-name", OK + b"X!#$%&'*+-.^_`|~A: a\r\n\r\n"),
    ("content-length", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"),
    ("content-length-blanks", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \t5 \r\n\r\nhello"),
    ("chunked", b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
    ("100-header-lines", OK + b"X-A: a\r\n" * 99 + b"\r\n"),
    ("just-under-64kb", OK + b"X-A: " + b"a" * (frontdoor.HEAD_LIMIT - len(OK) - 200) + b"\r\n\r\n"),
]


@pytest.mark.parametrize("head,status,reason", [pytest.param(head, status, reason, id=name) for name, head, status, reason in BROKEN])
def test_a_head_that_breaks_a_rule_is_refused_at_once_and_never_passed_on(door, head, status, reason):
    before = len(door.seen)
    started = time.monotonic()
    reply = exchange(door.port, head)  # the client keeps its side open: the door answers and closes by itself
    assert status_of(reply) == status
    assert reason.lower() in reply.partition(b"\r\n\r\n")[2].decode().lower()  # refused for this rule, not another
    assert b"\r\nconnection: close\r\n" in reply.lower()
    assert time.monotonic() - started < frontdoor.HEAD_TIMEOUT_S / 4  # answered, not left to time out
    assert len(door.seen) == before


@pytest.mark.parametrize("head", [pytest.param(head, id=name) for name, head in VALID])
def test_a_head_that_keeps_the_rules_is_passed_on(door, head):
    before = len(door.seen)
    reply = exchange(door.port, head, half_close=True)
    assert status_of(reply) == 200 and reply.endswith(STUB_BODY)
    assert len(door.seen) == before + 1 and keeps_the_rules(door.seen[-1])
    assert door.seen[-1].split(b"\r\n", 1)[0] == head.split(b"\r\n", 1)[0]  # the request line as sent


def test_the_head_passed_on_is_the_doors_own_writing_of_it(door):
    """Names lower-case, values without surrounding blanks, the client's address added, one request per connection."""
    exchange(door.port, b"GET /a?b=1 HTTP/1.1\r\nHost: x\r\nX-Tab:\t v a l\t \r\nConnection: keep-alive\r\n\r\n", half_close=True)
    assert door.seen[-1] == (
        b"GET /a?b=1 HTTP/1.1\r\nhost: x\r\nx-tab: v a l\r\nx-forwarded-for: 127.0.0.1\r\nx-forwarded-proto: http\r\n"
        b"connection: close\r\n\r\n"
    )


def test_a_head_sent_a_byte_at_a_time_is_read_whole(door):
    head = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"
    with socket.create_connection(("127.0.0.1", door.port), timeout=10) as client:
        for byte in head:
            client.sendall(bytes([byte]))
        assert status_of(read_to_end(client)) == 200
    assert door.seen[-1].startswith(b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n")


def test_a_client_still_sending_its_body_after_the_reply_is_not_reset(door):
    """A process may answer before reading the body; the door lets the client finish sending instead of resetting it."""
    with socket.create_connection(("127.0.0.1", door.port), timeout=10) as client:
        client.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n")
        reply = read_to_end(client)  # the whole reply, before any of the body was sent
        for byte in b"hi":
            time.sleep(0.2)
            client.sendall(bytes([byte]))  # a door that closed already answers the first byte with a reset: this raises
    assert status_of(reply) == 200 and reply.endswith(STUB_BODY)


# ------------------------------------------------------------------------ what the processes are told about the client
SPOOFED = b"X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\nForwarded: for=203.0.113.9\r\nX-Real-IP: 203.0.113.9\r\n"


def forwarded_headers(head: bytes) -> list[bytes]:
    return [line.lower() for line in head.split(b"\r\n") if line.lower().startswith((b"x-forwarded", b"forwarded", b"x-real-ip"))]


def test_a_client_cannot_claim_another_address_or_https(door):
    exchange(door.port, OK + SPOOFED + b"\r\n", half_close=True)
    assert forwarded_headers(door.seen[-1]) == [b"x-forwarded-for: 127.0.0.1", b"x-forwarded-proto: http"]


def test_a_websocket_is_told_the_client_address_too(door):
    with socket.create_connection(("127.0.0.1", door.port), timeout=10) as client:
        client.sendall(OK + b"Upgrade: websocket\r\nConnection: Upgrade\r\n" + SPOOFED + b"\r\n")
        assert status_of(client.recv(4096)) == 101
    assert forwarded_headers(door.seen[-1]) == [b"x-forwarded-for: 127.0.0.1", b"x-forwarded-proto: http"]
    assert b"\r\nconnection: upgrade\r\n" in door.seen[-1].lower()


def test_a_trusted_proxy_has_its_chain_extended_and_its_scheme_kept():
    running = Running(trusted_proxies=(ipaddress.ip_network("127.0.0.0/8"),))
    try:
        exchange(running.port, OK + SPOOFED + b"X-Forwarded-For: 10.0.0.2\r\n\r\n", half_close=True)
        assert forwarded_headers(running.seen[-1]) == [
            b"forwarded: for=203.0.113.9",
            b"x-real-ip: 203.0.113.9",
            b"x-forwarded-for: 203.0.113.9, 10.0.0.2, 127.0.0.1",
            b"x-forwarded-proto: https",
        ]
        exchange(running.port, OK + b"X-Forwarded-Proto: gopher\r\n\r\n", half_close=True)
        assert forwarded_headers(running.seen[-1]) == [b"x-forwarded-for: 127.0.0.1", b"x-forwarded-proto: http"]
    finally:
        running.close()
    assert running.door.trusts("::ffff:127.0.0.1") and not running.door.trusts("10.0.0.1") and not running.door.trusts("bogus")


# ------------------------------------------------------------------------ idle limits
def test_a_process_that_does_not_answer_is_a_504_after_the_idle_limit(quick):
    started = time.monotonic()
    reply = exchange(quick.port, OK.replace(b"/", b"/silent", 1) + b"\r\n")
    assert status_of(reply) == 504
    assert 0.45 <= time.monotonic() - started < 4
    deadline = time.monotonic() + 5
    while b"/silent" not in quick.ended:  # and the door let go of the process's connection
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_an_upload_that_stalls_is_cut_and_one_that_trickles_is_not(quick):
    head = b"PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n"
    with socket.create_connection(("127.0.0.1", quick.port), timeout=10) as client:
        for piece in (b"ab", b"cd", b"ef", b"gh", b"ij"):  # 1.2 s in all, never 0.5 s quiet
            client.sendall((head if piece == b"ab" else b"") + piece)
            time.sleep(0.3)
        assert read_to_end(client).endswith(b"uploaded")
    started = time.monotonic()
    reply = exchange(quick.port, head + b"abc")  # then nothing more
    assert status_of(reply) == 504 and 0.45 <= time.monotonic() - started < 4


def open_descriptors() -> int:
    return len(list(Path("/proc/self/fd").iterdir()))


def test_a_client_that_stops_reading_a_reply_is_dropped(quick):
    before = open_descriptors()
    with socket.create_connection(("127.0.0.1", quick.port), timeout=10) as client:
        client.sendall(b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n")  # and never reads
        deadline = time.monotonic() + 6
        while b"/big" not in quick.ended or quick.door.connections or open_descriptors() > before + 1:
            assert time.monotonic() < deadline, "the door kept a connection nobody reads"
            time.sleep(0.05)


def test_a_websocket_lives_while_bytes_flow_and_is_closed_once_quiet_for_its_own_limit(quick):
    with socket.create_connection(("127.0.0.1", quick.port), timeout=10) as client:
        client.sendall(b"GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
        reply = b""
        while b"\r\n\r\n" not in reply:
            reply += client.recv(4096)
        assert status_of(reply) == 101
        for _ in range(3):  # 0.8 s apart: past a plain request's limit (0.5 s), within a websocket's (1.5 s)
            time.sleep(0.8)
            client.sendall(b"x")
            assert client.recv(1) == b"x"
        assert [b.sessions for b in quick.door.backends] == [1]
        quiet_since = time.monotonic()
        assert read_to_end(client) == b""
        assert 1.4 <= time.monotonic() - quiet_since < 5
    assert [b.sessions for b in quick.door.backends] == [0]


def test_a_websocket_limit_shorter_than_a_requests_is_kept_too():
    running = Running(idle_s=30, websocket_idle_s=0.5)
    try:
        with socket.create_connection(("127.0.0.1", running.port), timeout=10) as client:
            client.sendall(b"GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
            started = time.monotonic()
            assert status_of(read_to_end(client)) == 101
            assert time.monotonic() - started < 3
    finally:
        running.close()


def test_a_websocket_with_bytes_one_way_only_is_not_idle(quick):
    """As a tab that only answers Streamlit's pings: the process speaks, the client listens."""
    with socket.create_connection(("127.0.0.1", quick.port), timeout=10) as client:
        client.sendall(b"GET /ticking HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
        received = b""
        deadline = time.monotonic() + 2.2  # well past the websocket limit
        while time.monotonic() < deadline:
            received += client.recv(4096)
        head, _, ticks = received.partition(b"\r\n\r\n")
        assert status_of(head + b"\r\n") == 101 and ticks.count(b"t") >= 6
        assert client.recv(1) == b"t"  # still open


def test_an_open_tab_is_never_quiet_for_the_websocket_limit():
    """Streamlit pings each websocket every 30 s and the browser answers: far within the door's 10 minutes."""
    from streamlit.web.server.starlette.starlette_server_config import DEFAULT_WEBSOCKET_PING_INTERVAL

    configured = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text()).get("server", {}).get("websocketPingInterval")
    assert 4 * (configured or DEFAULT_WEBSOCKET_PING_INTERVAL) <= frontdoor.WEBSOCKET_IDLE_S
    assert frontdoor.IDLE_S < frontdoor.WEBSOCKET_IDLE_S


# ------------------------------------------------------------------------ the connection cap
def test_beyond_the_connection_cap_a_client_is_told_503_and_when_to_come_back():
    running = Running(max_connections=3)
    held = [socket.create_connection(("127.0.0.1", running.port), timeout=10) for _ in range(3)]
    try:
        deadline = time.monotonic() + 5
        while len(running.door.connections) < 3:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        reply = exchange(running.port, OK + b"\r\n")
        assert status_of(reply) == 503 and b"\r\nretry-after: 5\r\n" in reply.lower() and running.seen == []
        held.pop().close()
        while len(running.door.connections) > 2:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        assert status_of(exchange(running.port, OK + b"\r\n")) == 200  # room again
    finally:
        for client in held:
            client.close()
        running.close()
    assert not running.errors


# ------------------------------------------------------------------------ generated heads
TOKEN_CHARS = "!#$%&'*+-.^_`|~" + string.digits + string.ascii_letters
VALUE_CHARS = "\t" + "".join(map(chr, range(0x20, 0x7F))) + "".join(map(chr, range(0x80, 0x100)))
FRAMING = {"host", "content-length", "transfer-encoding", "upgrade"}
DOORS = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "forwarded",
    "x-forwarded-for",
    "x-forwarded-proto",
    "x-forwarded-host",
    "x-forwarded-port",
    "x-real-ip",
}  # fmt: skip  (what the door replaces or drops)
tokens = st.text(TOKEN_CHARS, min_size=1, max_size=10)
values = st.text(VALUE_CHARS, max_size=20)


@st.composite
def requests(draw) -> tuple[str, list[tuple[str, str]], bytes]:
    """A request that keeps every rule: its request line, header lines (names as sent) and body."""
    method = draw(st.sampled_from(["GET", "POST", "PUT", "HEAD", "DELETE"]) | tokens)
    target = draw(
        st.sampled_from(["/", "/_stcore/health", "/media/a.png?x=1"])
        | st.text("".join(map(chr, range(0x21, 0x7F))), max_size=15).map("/".__add__)
    )
    version = draw(st.sampled_from(["HTTP/1.1", "HTTP/1.0"]))
    headers = [(name, draw(values)) for name in draw(st.lists(tokens.filter(lambda n: n.lower() not in FRAMING | DOORS), max_size=6))]
    if version == "HTTP/1.1" or draw(st.booleans()):
        headers.insert(draw(st.integers(0, len(headers))), (draw(st.sampled_from(["Host", "host", "HOST"])), draw(values)))
    body = b""
    framing = draw(st.sampled_from(["none", "length", "chunked"] if version == "HTTP/1.1" else ["none", "length"]))
    if framing == "length":
        body = draw(st.binary(max_size=20))
        headers.append(("Content-Length", f"{draw(st.sampled_from(['', ' ', chr(9)]))}{len(body)}"))
    elif framing == "chunked":
        body = b"3\r\nabc\r\n0\r\n\r\n"
        headers.append(("Transfer-Encoding", draw(st.sampled_from(["chunked", "Chunked", " chunked "]))))
    return f"{method} {target} {version}", headers, body


def write(line: str, headers: list[tuple[str, str]]) -> bytes:
    return (line + "\r\n" + "".join(f"{n}:{v}\r\n" for n, v in headers) + "\r\n").encode("latin-1")


RULES = ["fold", "bare-lf", "bare-cr", "control", "no-colon", "name", "lengths", "length", "length-and-coding", "coding", "host",
         "request-line", "long", "many"]  # fmt: skip


@st.composite
def broken(draw, rule: str) -> tuple[bytes, int]:
    """A request with ``rule`` broken, and the status the door must answer it with."""
    line, headers, body = draw(requests())
    at = draw(st.integers(0, len(headers)))
    value = draw(values)
    if rule == "fold":
        headers.insert(at, ("X-Folded", value + "\r\n" + draw(st.sampled_from([" ", "\t", "  "])) + draw(values)))
    elif rule == "bare-lf":
        head = write(line, headers)
        ends = [m.start() for m in re.finditer(rb"\r\n", head)]
        cut = draw(st.sampled_from(ends))
        return head[:cut] + b"\n" + head[cut + 2 :] + body, 400
    elif rule in ("bare-cr", "control"):
        bad = "\r" if rule == "bare-cr" else draw(st.sampled_from([chr(c) for c in [*range(0, 9), *range(11, 32), 127]]))
        split = draw(st.integers(0, len(value)))
        headers.insert(at, ("X-A", value[:split] + bad + value[split:]))
    elif rule == "no-colon":
        headers.insert(at, (draw(tokens), None))
    elif rule == "name":
        name = draw(tokens)
        split = draw(st.integers(0, len(name)))
        bad = draw(st.sampled_from(list(' \t"(),/;<=>?@[\\]{}') + [chr(c) for c in range(0x80, 0x100)]))
        headers.insert(at, (name[:split] + bad + name[split:] if draw(st.booleans()) else "", value))
    elif rule == "lengths":
        headers = [h for h in headers if h[0].lower() != "transfer-encoding"]
        headers.insert(at, ("Content-Length", str(draw(st.integers(0, 99)))))
        headers.insert(draw(st.integers(0, len(headers))), ("content-length", str(draw(st.integers(0, 99)))))
    elif rule == "length":
        bad = draw(
            st.sampled_from(["-1", "+1", "1,1", "1 1", "0x1", "1.0", "", "\xb2", "1" * 19])
            | values.filter(lambda v: not re.fullmatch(r"[0-9]{1,18}", v.strip(" \t")))
        )
        headers = [h for h in headers if h[0].lower() not in ("content-length", "transfer-encoding")]
        headers.insert(at, ("Content-Length", bad))
    elif rule == "length-and-coding":
        headers = [h for h in headers if h[0].lower() not in ("content-length", "transfer-encoding")]
        headers[at:at] = draw(st.permutations([("Content-Length", "3"), ("Transfer-Encoding", "chunked")]))
    elif rule == "coding":
        coding = draw(st.sampled_from(["gzip", "chunked, chunked", "gzip, chunked", "chunked;q=1", "identity", ""]))
        headers = [h for h in headers if h[0].lower() not in ("content-length", "transfer-encoding")]
        headers.insert(at, ("Transfer-Encoding", coding))
        if draw(st.booleans()):
            headers.insert(at, ("Transfer-Encoding", "chunked"))
    elif rule == "host":
        headers = [h for h in headers if h[0].lower() != "host"]
        if line.endswith("HTTP/1.0") or draw(st.booleans()):
            headers[at:at] = [("Host", "a"), ("Host", "b")]
    elif rule == "request-line":
        method, target, version = line.split(" ")
        line = draw(
            st.sampled_from(
                [
                    f"{method} {target}",
                    f"{method}  {target} {version}",
                    f"{method} {target} {version} ",
                    f" {line}",
                    f"{method} {target} HTTP/2.0",
                    f"{method} {target} http/1.1",
                    f"{method}\t{target} {version}",
                    f"{method} x{target} {version}",
                    f"{method}@ {target} {version}",
                    f"{method} {target}\xe9 {version}",
                    f"\r\n{line}",
                    "",
                ]
            )  # fmt: skip
        )
    elif rule == "long":
        headers.insert(at, ("X-Long", "a" * frontdoor.HEAD_LIMIT))
        return write(line, headers) + body, 431
    elif rule == "many":
        headers = [h for h in headers if h[0].lower() not in ("content-length", "transfer-encoding")]
        headers[at:at] = [("X-A", "a")] * (frontdoor.HEAD_LINES + 1 - len(headers))
        return write(line, headers), 431
    head = (line + "\r\n" + "".join(f"{n}\r\n" if v is None else f"{n}:{v}\r\n" for n, v in headers) + "\r\n").encode("latin-1")
    return head + body, 400


FRAGMENTS = [b"GET", b"POST", b" ", b"/", b"/x", b"HTTP/1.1", b"HTTP/1.0", b"\r\n", b"\n", b"\r", b":", b": ", b"Host", b"Content-Length",
             b"Transfer-Encoding", b"chunked", b"0", b"5", b"\t", b"\x00", b"\xff", b"\r\n\r\n", b"Host: x\r\n", b"X-A: b\r\n",
             b"Content-Length: 5\r\n", b"Transfer-Encoding: chunked\r\n", b" x\r\n", b"\r\n\r\nhello"]  # fmt: skip
STARTS = [b"", b"GET / HTTP/1.1\r\n", b"GET / HTTP/1.1\r\nHost: x\r\n", b"POST /x HTTP/1.0\r\n"]
EXAMPLES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def door_answers_well(door: Running, data: bytes) -> tuple[bytes, list[bytes]]:
    """Send ``data``; the reply (a status line or nothing) and the heads the stub received meanwhile.

    The door passes a request on only if the head the client sent keeps the rules, and only as one lawful head.
    """
    before = len(door.seen)
    reply = exchange(door.port, data, half_close=True)
    event(f"answered {status_of(reply)}" if reply else "closed without an answer")
    passed = door.seen[before:]
    assert len(passed) <= 1 and all(keeps_the_rules(head) for head in passed), passed
    if passed:
        assert keeps_the_rules(data[: data.index(b"\r\n\r\n") + 4]), data
    return reply, passed


@EXAMPLES
@given(request=requests())
def test_a_generated_lawful_request_is_passed_on_as_sent(door, request):
    line, headers, body = request
    reply, passed = door_answers_well(door, write(line, headers) + body)
    assert status_of(reply) == 200 and len(passed) == 1
    sent = [(n.lower(), v.strip(" \t")) for n, v in headers]
    got = [tuple(field.decode("latin-1").split(": ", 1)) for field in passed[0].split(b"\r\n")[1:-2]]
    assert passed[0].decode("latin-1").split("\r\n", 1)[0] == line
    assert [(n, v) for n, v in got if n not in ("x-forwarded-for", "x-forwarded-proto", "connection")] == sent


@pytest.mark.parametrize("rule", RULES)
@settings(EXAMPLES, max_examples=30)
@given(data=st.data())
def test_a_generated_request_with_a_rule_broken_is_refused(door, rule, data):
    data, status = data.draw(broken(rule))
    reply, passed = door_answers_well(door, data)
    assert status_of(reply) == status and passed == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.tuples(st.sampled_from(STARTS),
                      st.lists(st.sampled_from(FRAGMENTS) | st.binary(max_size=3), max_size=12).map(b"".join),
                      st.sampled_from([b"", b"\r\n", b"\r\n\r\n"])).map(b"".join))  # fmt: skip
def test_generated_bytes_are_answered_with_a_status_line_or_closed_and_only_lawful_heads_pass(door, data):
    reply, passed = door_answers_well(door, data)
    assert (status_of(reply) == 200) == bool(passed) if reply else not passed


def test_the_door_still_serves_after_the_generated_heads(door):
    assert status_of(exchange(door.port, OK + b"\r\n")) == 200
    assert not door.errors


# ------------------------------------------------------------------------ the balancer in front of several machines
def balancer_example() -> str:
    """The HAProxy configuration the documentation gives (a ```haproxy block starting ``# haproxy.cfg``)."""
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        if path.exists() and (match := re.search(r"```haproxy\n(# haproxy\.cfg.*?)```", path.read_text(), re.DOTALL)):
            return match[1]
    pytest.fail("no HAProxy example in README.md or docs/")


def test_the_documented_haproxy_configuration_keeps_each_browser_on_one_machine(tmp_path):
    """Two machines (each a door that trusts the balancer) behind HAProxy configured as the documentation says."""
    if shutil.which("haproxy") is None:
        pytest.fail("HAProxy is missing: `make test` installs it (apt-get install haproxy)")
    machines = [Running(trusted_proxies=(ipaddress.ip_network("127.0.0.0/8"),)) for _ in range(2)]
    port = frontdoor.free_port()
    ports = iter(machine.port for machine in machines)
    config = re.sub(r"(server \S+ )\S+:8501", lambda m: f"{m[1]}127.0.0.1:{next(ports)}", balancer_example())
    (tmp_path / "haproxy.cfg").write_text(config.replace("bind :80", f"bind 127.0.0.1:{port}"))
    proxy = subprocess.Popen(["haproxy", "-db", "-f", str(tmp_path / "haproxy.cfg")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def ask(path: str, extra: bytes = b"") -> tuple[bytes, int]:
        """A request through HAProxy; the reply and which machine's process received it."""
        reply = exchange(port, f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n".encode() + extra + b"\r\n")
        (machine,) = [i for i, m in enumerate(machines) if any(f" {path} ".encode() in head for head in m.seen)]
        return reply, machine

    try:
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            assert proxy.poll() is None and time.monotonic() < deadline, (
                proxy.stdout.read().decode() if proxy.poll() is not None else "no port"
            )
            time.sleep(0.1)
        reply, first = ask("/first", b"X-Forwarded-For: 203.0.113.9\r\n")
        assert status_of(reply) == 200
        pin = re.search(rb"\r\nset-cookie: (coldstart_machine=[^;\r]+)", reply, re.IGNORECASE)[1]
        assert all(ask(f"/again-{n}", b"Cookie: " + pin + b"\r\n")[1] == first for n in range(4))
        # The browser's address, then the balancer's; the address the browser claimed is gone.
        head = next(h for h in machines[first].seen if b" /first " in h)
        assert forwarded_headers(head) == [b"x-forwarded-for: 127.0.0.1, 127.0.0.1", b"x-forwarded-proto: http"]
        # The websocket goes to the same machine and stays open through the balancer.
        with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
            client.sendall(b"GET /stream HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nCookie: " + pin + b"\r\n"
                           b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")  # fmt: skip
            reply = b""
            while b"\r\n\r\n" not in reply:
                reply += client.recv(4096)
            assert status_of(reply) == 101
            client.sendall(b"ping")
            assert client.recv(4) == b"ping"
            assert [b.sessions for b in machines[first].door.backends] == [1]
        # Conflicting lengths are refused before any machine sees them; a folded line reaches the doors unfolded.
        smuggled = b"POST /smuggled HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\nConnection: close\r\n\r\nab"
        assert status_of(exchange(port, smuggled)) == 400
        assert not any(b" /smuggled " in head for machine in machines for head in machine.seen)
        reply, machine = ask("/folded", b"X-A: a\r\n b\r\n")
        assert status_of(reply) == 200
        assert keeps_the_rules(next(h for h in machines[machine].seen if b" /folded " in h))
    finally:
        proxy.terminate()
        proxy.wait(10)
        for machine in machines:
            machine.close()
