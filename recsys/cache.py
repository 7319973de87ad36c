"""Where generated artifacts live, and how they are written (atomically, never half-done)."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import json
import os
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

_DEFAULT = Path(__file__).resolve().parent.parent / ".cache"


def cache_root() -> Path:
    """The git-ignored artifact folder: ``$COLDSTART_CACHE`` or ``.cache/`` beside the package."""
    root = Path(os.environ.get("COLDSTART_CACHE", _DEFAULT))
    root.mkdir(parents=True, exist_ok=True)
    return root


def stable_hash(*parts: Any) -> str:
    """A short, deterministic hash of JSON-serialisable parts (config, ids, versions)."""
    payload = json.dumps(parts, sort_keys=True, default=str).encode()
    return hashlib.sha1(payload).hexdigest()[:16]


@contextlib.contextmanager
def turn(name: str, waiting: Callable[[], None] = lambda: None, cache_dir: Path | None = None, poll_s: float = 1.0) -> Iterator[None]:
    """Hold ``name``'s turn among every process using this cache: one at a time makes an artifact, the others wait.

    ``waiting`` is called once a ``poll_s`` while another process holds the turn — a progress report, and
    where a cancel raises, so a wait can be cancelled. The turn is an OS lock: it is released if its holder dies.
    """
    folder = (cache_dir or cache_root()) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{name}.lock", "w") as lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waiting()
                time.sleep(poll_s)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_link(source: Path, path: Path, data: bytes) -> None:
    """``path`` as a hard link to ``source`` (which holds ``data``): the same bytes without a second copy on disk.
    Where the file system cannot link (another device, no hard links), ``data`` is written instead. Either way ``path``
    appears whole, by a rename; the files are never changed in place afterwards (every write here replaces), so the two
    names cannot drift apart."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex}.link"  # its own name: sessions are threads of one process
    try:
        if path.exists() and os.path.samefile(source, path):
            return  # linked already (a rename onto another name of the same file would do nothing and leave the temporary)
        os.link(source, tmp)
        os.replace(tmp, path)
    except OSError:
        atomic_write_bytes(path, data)
    finally:
        tmp.unlink(missing_ok=True)


def atomic_save_npz(path: Path, **arrays: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".npz")
    os.close(fd)
    try:
        np.savez(tmp, **arrays)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_json(path: Path, obj: Any) -> None:
    atomic_write_bytes(path, json.dumps(obj, indent=2, default=str).encode())


def code_fingerprint(*modules: str) -> str:
    """A hash of the source of the named modules (``"recsys.training"``, …).

    Part of every artifact's cache key, so an artifact made by older code is never served:
    a change to training, profile writing, features or the model retrains on the next load.
    """
    digest = hashlib.sha1()
    for name in sorted(modules):
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            raise ImportError(f"cannot fingerprint {name!r}: module not found")
        digest.update(name.encode())
        # A package is all of its modules: a change to any of them is a change to the code.
        # A package's data files (word lists) are code too.
        folder = Path(spec.origin).parent
        files = sorted([*folder.rglob("*.py"), *folder.rglob("*.toml")]) if spec.submodule_search_locations else [Path(spec.origin)]
        for path in files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
