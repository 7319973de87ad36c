"""Which addresses a local port listens on, read from the kernel's socket tables (no extra tool)."""

from __future__ import annotations

from pathlib import Path

LOOPBACK = "0100007F"  # 127.0.0.1 as /proc/net/tcp writes it


def listening_addresses(port: int) -> set[str]:
    """The local addresses (hex, as /proc/net/tcp* write them) with a socket listening on ``port``."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found
