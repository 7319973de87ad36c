"""The front door (``frontdoor.py``): several Streamlit processes behind one address, each browser pinned to one.

The routing tests put the door in front of two small HTTP servers on real sockets that say
who they are; the last test starts the door with two real Streamlit processes.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from listening import LOOPBACK, listening_addresses

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import frontdoor  # noqa: E402  (a script beside app.py, not part of the installed packages)

pytestmark = pytest.mark.server


async def backend(name: str, seen: list[bytes]) -> asyncio.Server:
    """A server that answers a request with its name (and keeps a websocket-like upgrade open, echoing).

    An upgrade with ``Origin: evil`` is refused (403) on a connection it keeps open, as Streamlit does;
    ``Expect: 100-continue`` is answered with ``100 Continue`` before the reply.
    """

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        seen.append(head)
        if b"origin: evil" in head.lower():
            writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 9\r\n\r\nForbidden")
            await writer.drain()
            await reader.read()  # keeps the connection until the other side closes it
        elif b"expect: 100-continue" in head.lower():
            writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            await writer.drain()
            body = await reader.readexactly(5)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n" + name.encode() + body)
            await writer.drain()
        elif b"upgrade: websocket" in head.lower():
            writer.write(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
            while data := await reader.read(1024):
                writer.write(name.encode() + b":" + data)
                await writer.drain()
        else:
            body = name.encode()
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
            await writer.drain()
        writer.close()

    return await asyncio.start_server(answer, "127.0.0.1", 0)


async def get(port: int, cookie: str = "") -> tuple[str, list[tuple[str, str]], bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        b"GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n" + (f"Cookie: {cookie}\r\n".encode() if cookie else b"") + b"\r\n"
    )
    reply = await asyncio.wait_for(reader.read(), 10)  # the door closes the connection after one response
    writer.close()
    head, _, body = reply.partition(b"\r\n\r\n")
    status, headers = frontdoor.parse_head(head + b"\r\n\r\n")
    return status, headers, body


async def upgrade(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, list[tuple[str, str]]]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /_stcore/stream HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
    _, headers = frontdoor.parse_head(await reader.readuntil(b"\r\n\r\n"))
    return reader, writer, headers


def with_door(test, down: int | None = None):
    """Run ``test(door_port, door, seen)`` against a door in front of backends "A" and "B" (``down``: one not listening)."""

    async def main():
        seen: list[bytes] = []
        servers = [await backend(name, seen) for name in "AB"]
        ports = [s.sockets[0].getsockname()[1] for s in servers]
        if down is not None:
            servers[down].close()
            await servers[down].wait_closed()
        door = frontdoor.FrontDoor(ports)
        server = await asyncio.start_server(door.handle, "127.0.0.1", 0, limit=frontdoor.HEAD_LIMIT)
        try:
            return await test(server.sockets[0].getsockname()[1], door, seen)
        finally:
            server.close()
            for s in servers:
                s.close()

    return asyncio.run(main())


def cookie_of(headers) -> str | None:
    return next((v.split(";")[0] for n, v in headers if n == "set-cookie" and v.startswith(frontdoor.COOKIE)), None)


def test_a_new_browser_is_pinned_by_a_cookie_and_stays_with_its_process():
    async def test(port, door, seen):
        status, headers, body = await get(port)
        assert status.startswith("HTTP/1.1 200")
        pin = cookie_of(headers)
        assert pin == f"{frontdoor.COOKIE}={'AB'.index(body.decode())}"  # the cookie names the process that answered
        for _ in range(4):
            status, headers, again = await get(port, cookie=f"theme=dark; {pin}")
            assert again == body and cookie_of(headers) is None
        # Each request went on as the only one on its connection, so the door never has to parse a body.
        assert all(b"connection: close" in head.lower() and b"keep-alive" not in head.lower() for head in seen)

    with_door(test)


def test_new_clients_go_where_the_fewest_sessions_are():
    async def test(port, door, seen):
        first = await upgrade(port)
        second = await upgrade(port)
        names = []
        for reader, writer, headers in (first, second):
            assert cookie_of(headers) is not None
            writer.write(b"ping")
            names.append((await reader.readexactly(len(b"A:ping"))).decode())
        assert sorted(names) == ["A:ping", "B:ping"]  # one open session each
        assert [b.sessions for b in door.backends] == [1, 1]
        for _, writer, _ in (first, second):
            writer.close()
        await asyncio.sleep(0.2)
        assert [b.sessions for b in door.backends] == [0, 0]
        # With A busy, three new plain requests all go to B.
        busy = await upgrade(port)
        busy[1].write(b"x")
        busy_name = (await busy[0].readexactly(3)).decode()[0]
        other = "B" if busy_name == "A" else "A"
        assert [(await get(port))[2].decode() for _ in range(3)] == [other] * 3
        busy[1].close()

    with_door(test)


def test_a_refused_upgrade_is_no_session_and_100_continue_comes_before_the_reply_with_its_cookie():
    async def test(port, door, seen):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /_stcore/stream HTTP/1.1\r\nHost: x\r\nOrigin: evil\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
        reply = await asyncio.wait_for(reader.read(), 10)  # the refusal, then the door ends the connection
        assert reply.startswith(b"HTTP/1.1 403") and b"connection: close" in reply.lower()
        assert [b.sessions for b in door.backends] == [0, 0]
        writer.close()

        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"PUT /upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
        assert await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10) == b"HTTP/1.1 100 Continue\r\n\r\n"
        writer.write(b"hello")
        status, headers = frontdoor.parse_head(await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10))
        body = await reader.read()
        assert status.startswith("HTTP/1.1 200") and body[1:] == b"hello"
        assert cookie_of(headers) == f"{frontdoor.COOKIE}={'AB'.index(body[:1].decode())}"
        writer.close()

    with_door(test)


def test_each_new_browser_is_given_a_name_of_its_own_once():
    def names(headers) -> list[str]:
        return [v for n, v in headers if n == "set-cookie" and v.startswith(f"{frontdoor.BROWSER_COOKIE}=")]

    async def test(port, door, seen):
        first, second = names((await get(port))[1]), names((await get(port))[1])
        assert len(first) == len(second) == 1 and first != second
        assert first[0].endswith("; Path=/; HttpOnly; SameSite=Lax")  # no page script reads it
        cookie = first[0].split(";")[0]
        assert frontdoor.browser_name([("cookie", f"theme=dark; {cookie}")]) == cookie.split("=", 1)[1]
        assert names((await get(port, cookie=cookie))[1]) == []  # kept: not named again
        assert len(names((await get(port, cookie=f"{frontdoor.BROWSER_COOKIE}=short"))[1])) == 1  # not a name this door gives
        _, writer, headers = await upgrade(port)  # a websocket comes from a page that already has one
        assert names(headers) == []
        writer.close()

    with_door(test)


def test_a_process_that_is_down_hands_its_clients_to_another_and_re_pins_them():
    async def test(port, door, seen):
        status, headers, body = await get(port, cookie=f"{frontdoor.COOKIE}=1")  # pinned to B, which is down
        assert status.startswith("HTTP/1.1 200") and body == b"A"
        assert cookie_of(headers) == f"{frontdoor.COOKIE}=0"

    with_door(test, down=1)


def test_every_process_down_is_a_clear_502():
    async def main():
        ports = []
        for _ in range(2):
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                ports.append(s.getsockname()[1])
        door = frontdoor.FrontDoor(ports)
        server = await asyncio.start_server(door.handle, "127.0.0.1", 0)
        try:
            return await get(server.sockets[0].getsockname()[1])
        finally:
            server.close()

    status, _, body = asyncio.run(main())
    assert status.startswith("HTTP/1.1 502") and b"starting or restarting" in body


@pytest.mark.parametrize("cookie", ["coldstart_worker=", "coldstart_worker=99", "coldstart_worker=-1", "coldstart_worker=1e9",
                                    "coldstart_worker=0x1", "coldstart_worker=\u00e9", "x" * 5000])  # fmt: skip
def test_a_damaged_cookie_is_treated_as_none(cookie):
    async def test(port, door, seen):
        status, headers, body = await get(port, cookie=cookie)
        assert status.startswith("HTTP/1.1 200") and body in (b"A", b"B") and cookie_of(headers) is not None

    with_door(test)


def start_door(script: Path, port: int) -> subprocess.Popen:
    """The door with two processes of ``script``; ``door.lines`` collects what it prints, as it prints it."""
    door = subprocess.Popen([sys.executable, str(ROOT / "frontdoor.py"), str(script), "--port", str(port), "--workers", "2"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    door.lines = []
    threading.Thread(target=lambda: door.lines.extend(door.stdout), daemon=True).start()
    return door


def printed(door: subprocess.Popen, text: str, timeout: float = 60) -> bool:
    deadline = time.time() + timeout
    while not any(text in line for line in list(door.lines)):
        if time.time() > deadline:
            return False
        time.sleep(0.2)
    return True


def wait_healthy(door: subprocess.Popen, url: str) -> list[int]:
    """Until the door answers; its two Streamlit processes' ids."""
    deadline = time.time() + 90
    while not health(url):
        assert door.poll() is None and time.time() < deadline, "".join(door.lines) if door.poll() is not None else "no answer"
        time.sleep(0.3)
    workers = [
        int(pid) for pid in subprocess.run(["ps", "-o", "pid=", "--ppid", str(door.pid)], capture_output=True, text=True).stdout.split()
    ]
    assert len(workers) == 2
    return workers


def test_sigterm_closes_the_door_at_once_with_a_session_open_and_stops_its_processes(tmp_path):
    """Ctrl+C on `make run` (or SIGTERM) while a browser tab's websocket is open: the door ends within seconds."""
    from websockets.sync.client import connect

    script = tmp_path / "hello.py"
    script.write_text("import streamlit as st\nst.write('hello')\n")
    port = frontdoor.free_port()
    door = start_door(script, port)
    try:
        workers = wait_healthy(door, f"http://127.0.0.1:{port}")
        # Each process ran the first page once, on its own, before anyone came.
        assert printed(door, "worker 1 ready") and printed(door, "worker 2 ready"), "".join(door.lines)
        tab = connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], open_timeout=30)
        door.send_signal(signal.SIGTERM)
        assert door.wait(timeout=30) == 0
    finally:
        if door.poll() is None:
            door.kill()
    with pytest.raises(Exception):  # noqa: B017 (the tab's connection is gone: whichever error the library raises)
        tab.recv(timeout=10)
    assert not any(alive(pid) for pid in workers)


def test_the_load_test_warms_as_many_processes_as_make_run_starts():
    from tools import loadtest

    assert loadtest.WORKERS == frontdoor.DEFAULT_WORKERS


def alive(pid: int) -> bool:
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def port_of(pid: int) -> int:
    args = Path(f"/proc/{pid}/cmdline").read_text().split("\0")
    return int(args[args.index("--server.port") + 1])


def is_streamlit(pid: int) -> bool:
    """Whether a child of the door is a Streamlit process yet: a child just forked has not exec'd its command line."""
    try:
        return "--server.port" in Path(f"/proc/{pid}/cmdline").read_text().split("\0")
    except OSError:  # gone already
        return False


def health_pinned(url: str, index: int) -> bool:
    request = urllib.request.Request(f"{url}/_stcore/health", headers={"Cookie": f"{frontdoor.COOKIE}={index}"})
    with urllib.request.urlopen(request, timeout=5) as reply:
        pins = [c for c in reply.headers.get_all("Set-Cookie") or [] if c.startswith(frontdoor.COOKIE)]
        return reply.read() == b"ok" and not pins  # answered by the pinned process itself (not re-pinned elsewhere)


def health(url: str) -> bool:
    try:
        return urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok"
    except OSError:
        return False


def test_two_streamlit_processes_on_loopback_restarted_when_one_dies_and_gone_with_the_door(tmp_path):
    """The real thing: the door and both processes listen on 127.0.0.1 only; a killed process comes back on its port;
    killing the door (even with kill -9) takes the processes with it."""
    script = tmp_path / "hello.py"
    script.write_text("import streamlit as st\nst.write('hello')\n")
    port = frontdoor.free_port()
    url = f"http://127.0.0.1:{port}"
    door = start_door(script, port)
    try:
        workers = wait_healthy(door, url)
        assert listening_addresses(port) == {LOOPBACK}  # 127.0.0.1 only: not 0.0.0.0, not [::]
        assert all(listening_addresses(port_of(pid)) == {LOOPBACK} for pid in workers)
        assert urllib.request.urlopen(url, timeout=5).headers["Set-Cookie"].startswith(f"{frontdoor.COOKIE}=")

        assert printed(door, "worker 1 ready") and printed(door, "worker 2 ready"), "".join(door.lines)
        # "[front door] http://localhost:P → 2 Streamlit processes on 127.0.0.1:A, B": worker 1 listens on A.
        listed = next(line for line in door.lines if "Streamlit processes on" in line)
        first = next(pid for pid in workers if port_of(pid) == int(listed.split("127.0.0.1:")[1].split(",")[0]))
        os.kill(first, signal.SIGKILL)
        deadline = time.time() + 90
        while True:
            children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(door.pid)], capture_output=True, text=True).stdout.split()
            back = [int(pid) for pid in children if int(pid) not in workers and is_streamlit(int(pid))]
            started_again = sum("worker 1 ready" in line for line in list(door.lines)) == 2  # and warmed up again
            if back and health(f"http://127.0.0.1:{port_of(back[0])}") and started_again:
                break
            assert time.time() < deadline, "the killed process was not started again"
            time.sleep(0.5)
        # Both processes serve through the door: one client pinned to each.
        assert all(health_pinned(url, index) for index in range(2))
    finally:
        door.send_signal(signal.SIGKILL)
        door.wait(timeout=10)
    deadline = time.time() + 20
    while any(alive(pid) for pid in [*workers, *back]):
        assert time.time() < deadline, "a Streamlit process outlived the door"
        time.sleep(0.3)
