"""The server listens on this machine only unless someone decides otherwise (docs/deployment.md: Sharing it with a team)."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest
from listening import LOOPBACK, listening_addresses

ROOT = Path(__file__).resolve().parent.parent


def test_the_server_binds_to_localhost_by_default():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "127.0.0.1"


def test_make_run_serves_and_prints_a_localhost_url():
    plan = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "http://localhost:8501" in plan
    assert "--server.address" not in plan  # the address comes from the config file: one place to change it


@pytest.mark.server
def test_a_started_server_listens_on_the_loopback_address_only(tmp_path):
    """Start Streamlit from the project folder (so its config applies) and read the kernel's table of listening sockets."""
    import socket
    import sys
    import time
    import urllib.request

    script = tmp_path / "hello.py"
    script.write_text("import streamlit as st\nst.write('hello')\n")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                assert urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok"
                break
            except OSError:
                time.sleep(0.3)
        listening = listening_addresses(port)
        assert listening == {LOOPBACK}, listening  # 127.0.0.1 only: not 0.0.0.0, not [::]
    finally:
        server.terminate()
        server.wait(timeout=20)
