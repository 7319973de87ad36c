"""Uploaded catalogue files: from what a browser sends (files or one .zip) to a catalogue folder on disk.

A folder is what every way in reads (:func:`recsys.data.load_path`), so an upload is
written as one: each file under the name of its role (``items.csv``, ``u.data``, …), never
under a name the uploader chose. The folder is named by a hash of the files' contents, so
uploading the same files again lands in the same folder, and the trained model cached for
that catalogue's fingerprint is found again instead of retrained.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from recsys.cache import atomic_write_bytes, cache_root
from recsys.data import MAX_UPLOAD_BYTES

#: Every file name a catalogue folder may hold: the generic format and the three GroupLens layouts.
GENERIC = ("items", "interactions", "users")
GROUPLENS = ("u.data", "u.item", "u.user", "ratings.dat", "movies.dat", "users.dat", "ratings.csv", "movies.csv")
SETTINGS = "catalogue.json"
MAX_FILES = 16


@dataclass(frozen=True)
class Collected:
    """The folder an upload was written to, and what was left out of it (one sentence per file)."""

    folder: Path | None
    skipped: tuple[str, ...]


def role_of(name: str) -> str | None:
    """The catalogue file a name stands for (``Items.CSV`` → ``items.csv``), or ``None``.

    Only the last path component counts, so ``shop/items.csv`` inside a zip is the items
    file, and ``../../etc/passwd`` is nothing at all.
    """
    base = PurePosixPath(name.replace("\\", "/")).name.lower()
    stem, _, suffix = base.rpartition(".")
    if base in GROUPLENS or base == SETTINGS:
        return base
    if stem in GENERIC and suffix in ("csv", "parquet"):
        return base
    return None


def _slot(role: str) -> str:
    """What a file is for: ``items.csv`` and ``items.parquet`` are both the items table."""
    stem = role.rpartition(".")[0]
    return stem if stem in GENERIC else role


def _unzipped(name: str, payload: bytes, budget: int) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The catalogue files inside a zip (read at most ``budget`` bytes in all), and what was skipped."""
    found, skipped = [], []
    if budget <= 0:
        return [], [f"{name}: not unpacked, the files before it already use the {MAX_UPLOAD_BYTES // 2**20} MiB allowed"]
    try:
        archive = zipfile.ZipFile(io.BytesIO(payload))
    except zipfile.BadZipFile:
        return [], [f"{name}: not a readable .zip file"]
    with archive:
        for info in archive.infolist():
            if info.is_dir() or PurePosixPath(info.filename).name.startswith(("._", ".")):
                continue  # folders, and the resource forks macOS adds (__MACOSX/._items.csv)
            if role_of(info.filename) is None:
                skipped.append(f"{info.filename[:80]} (inside {name}): not a catalogue file")
                continue
            try:
                with archive.open(info) as handle:
                    # The header's size can lie (a zip bomb): read one byte past the budget and stop there.
                    data = handle.read(budget + 1)
            except (RuntimeError, NotImplementedError, zipfile.BadZipFile, EOFError, zlib.error) as err:
                skipped.append(f"{info.filename[:80]} (inside {name}): cannot be unpacked ({str(err)[:60] or type(err).__name__})")
                continue
            if len(data) > budget:
                skipped.append(f"{info.filename[:80]} (inside {name}): larger than {MAX_UPLOAD_BYTES // 2**20} MiB unpacked")
                continue
            budget -= len(data)
            found.append((info.filename, data))
    return found, skipped


def collect(files: list[tuple[str, bytes]], root: Path | None = None) -> Collected:
    """Write uploaded ``(name, bytes)`` pairs as a catalogue folder under ``root`` (default: the cache's ``uploads``).

    A ``.zip`` is unpacked (only catalogue files, by their base name; at most 200 MiB in
    all). A file whose name is not a catalogue file is skipped and said so; when two files
    claim the same role, the first one wins. Returns ``folder=None`` when nothing usable
    was sent.
    """
    chosen: dict[str, bytes] = {}
    skipped: list[str] = []
    budget = MAX_UPLOAD_BYTES
    for name, payload in files[:MAX_FILES]:
        shown = name[:80]
        if name.lower().endswith(".zip"):
            inner, left_out = _unzipped(shown, payload, budget)
            skipped += left_out
        elif role_of(name) is None:
            skipped.append(
                f"{shown}: not a catalogue file (expected items, interactions, users as .csv or .parquet, {SETTINGS}, or GroupLens files)"
            )
            continue
        elif len(payload) > budget:
            skipped.append(f"{shown}: over the {MAX_UPLOAD_BYTES // 2**20} MiB allowed for all files together")
            continue
        else:
            inner = [(name, payload)]
        for inner_name, data in inner:
            role = role_of(inner_name)
            if _slot(role) in {_slot(r) for r in chosen}:
                skipped.append(f"{inner_name[:80]}: a second {_slot(role)} file; the first one is used")
                continue
            chosen[role] = data
            budget -= len(data)
    skipped += [f"{name[:80]}: more than {MAX_FILES} files sent; the rest were not read" for name, _ in files[MAX_FILES : MAX_FILES + 1]]
    if not chosen:
        return Collected(None, tuple(skipped))
    digest = hashlib.sha1()
    for role in sorted(chosen):
        digest.update(role.encode() + b"\0" + hashlib.sha1(chosen[role]).digest())
    folder = (root or cache_root() / "uploads") / digest.hexdigest()[:16]
    for role, data in chosen.items():
        atomic_write_bytes(folder / role, data)
    return Collected(folder, tuple(skipped))
