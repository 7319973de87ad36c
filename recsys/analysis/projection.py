"""The embedding map: UMAP projections of items and users, fitted once and cached on disk.

Two spaces can be mapped: ``text`` (the raw language-model embeddings of item texts and
user profiles) and ``fused`` (the model's fused vectors e_i, e_u). UMAP is fitted on the
items; users — the dataset's and a session's synthetic ones — and new items are placed
without refitting, at the similarity-weighted mean of their nearest items' coordinates:
stable (the map does not move), fast, and it reads as "this person sits among these films".

A large catalogue is fitted on a deterministic sample of :data:`MAX_FIT` items and the
rest are placed the same way (:func:`fit_layout`); a page draws at most :data:`MAX_DRAWN`
of them (:func:`drawn_rows`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from recsys.cache import atomic_save_npz, cache_root, code_fingerprint, stable_hash, turn

SPACES = ("text", "fused")
N_NEIGHBOURS = 10
#: UMAP is fitted on at most this many items; the others are placed on the fitted map.
MAX_FIT = 10_000
#: A map page draws at most this many items (a WebGL scatter stays interactive up to there).
MAX_DRAWN = 20_000
#: Similarities computed per block when placing (bounds the memory: 2**24 floats and their ranks).
PLACE_ELEMENTS = 2**24
#: Above this many reference items only the k nearest are ranked (a partition, not a full sort).
PARTITION_ABOVE = 4096


def sample_rows(n: int, limit: int, seed: int = 0) -> np.ndarray:
    """All ``n`` rows when ``n <= limit``, else a deterministic uniform sample of ``limit`` rows, in row order."""
    if n <= limit:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=limit, replace=False))


def drawn_rows(n_items: int, limit: int = MAX_DRAWN, seed: int = 0) -> np.ndarray:
    """The item rows a map page draws: all of them up to ``limit``, else the same sample on every run."""
    return sample_rows(n_items, limit, seed)


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


@dataclass(frozen=True)
class MapLayout:
    """Fitted item coordinates of one space in 2D or 3D, and the dataset users placed on them."""

    space: str
    dims: int
    items: np.ndarray  # (n_items, dims), fitted by UMAP
    reference: np.ndarray  # the items' normalised high-dimensional vectors
    users: np.ndarray  # (n_users, dims), placed

    def place(self, vectors: np.ndarray, k: int = N_NEIGHBOURS) -> np.ndarray:
        """Coordinates for new high-dimensional ``vectors`` (n, D).

        The similarity-weighted mean of the cosine-nearest items — but only of those lying
        near the single best match on the map: UMAP may split similar items into separate
        islands, and averaging across islands would drop the point into empty space.
        """
        vectors = np.atleast_2d(vectors)
        block = max(1, PLACE_ELEMENTS // max(len(self.reference), 1))
        if len(vectors) > block:
            return np.concatenate([self.place(vectors[start : start + block], k) for start in range(0, len(vectors), block)])
        query = _normalise(vectors.astype(np.float32))
        similarity = query @ self.reference.T
        if similarity.shape[1] > PARTITION_ABOVE:
            # Only the k best are needed: partition, then order those k (a full sort of every row costs seconds).
            best = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
            nearest = np.take_along_axis(best, np.argsort(-np.take_along_axis(similarity, best, axis=1), axis=1), axis=1)
        else:
            nearest = np.argsort(-similarity, axis=1)[:, :k]
        coords = self.items[nearest]  # (n, k, dims)
        radius = 0.05 * float(np.ptp(self.items, axis=0).max())
        close = np.linalg.norm(coords - coords[:, :1], axis=2) <= radius
        weights = np.maximum(np.take_along_axis(similarity, nearest, axis=1), 1e-6) * close
        weights /= weights.sum(axis=1, keepdims=True)
        return np.einsum("nk,nkd->nd", weights, coords)


def umap_layout(vectors: np.ndarray, dims: int, seed: int = 0) -> np.ndarray:
    """UMAP (cosine metric) of ``vectors`` to ``dims`` dimensions."""
    import umap

    # random_state makes the map reproducible (and UMAP single-threaded: n_jobs=1 says so).
    reducer = umap.UMAP(n_components=dims, n_neighbors=15, min_dist=0.15, metric="cosine", random_state=seed, n_jobs=1)
    return reducer.fit_transform(vectors).astype(np.float32)


def fit_layout(vectors: np.ndarray, dims: int, seed: int = 0, max_fit: int = MAX_FIT) -> np.ndarray:
    """Map coordinates of every row of ``vectors`` (normalised): UMAP of all of them up to
    ``max_fit`` rows; beyond, UMAP of a deterministic sample of ``max_fit`` rows, the others
    placed among their nearest sampled neighbours (:meth:`MapLayout.place`)."""
    rows = sample_rows(len(vectors), max_fit, seed)
    if len(rows) == len(vectors):
        return umap_layout(vectors, dims, seed)
    fitted = umap_layout(vectors[rows], dims, seed)
    coords = MapLayout("sample", dims, fitted, vectors[rows], np.zeros((0, dims), np.float32)).place(vectors)
    coords[rows] = fitted
    return coords.astype(np.float32)


class Projector:
    """All map layouts for one trained :class:`~recsys.explorer.Explorer`, cached on disk.

    The 2D layouts are fitted up front (``for_explorer``); 3D ones on first use.
    """

    def __init__(self, explorer, path: Path, saved: dict[str, np.ndarray], seconds: float = 0.0):
        self.explorer = explorer
        self.path = path
        self.saved = saved
        self.layouts: dict[tuple[str, int], MapLayout] = {}
        self.seconds = seconds
        self._lock = threading.Lock()

    def has(self, space: str, dims: int) -> bool:
        """Whether a layout is ready without fitting (the UI shows a spinner otherwise)."""
        return (space, dims) in self.layouts or f"{space}_{dims}d" in self.saved

    def layout(self, space: str, dims: int) -> MapLayout:
        if space not in SPACES or dims not in (2, 3):
            raise ValueError(f"no layout for space {space!r} in {dims}D; spaces: {', '.join(SPACES)}")
        with self._lock:
            if (space, dims) not in self.layouts:
                items, users = self.space_vectors(self.explorer, space)
                reference = _normalise(items.astype(np.float32))
                name = f"{space}_{dims}d"
                if name not in self.saved:
                    self.saved[name] = fit_layout(reference, dims)
                    atomic_save_npz(self.path, **self.saved)
                fitted = MapLayout(space, dims, self.saved[name], reference, np.zeros((0, dims), np.float32))
                layout = MapLayout(space, dims, self.saved[name], reference, fitted.place(users))
                for shared in (layout.items, layout.reference, layout.users):
                    shared.setflags(write=False)  # every session reads the same layout
                self.layouts[(space, dims)] = layout
            return self.layouts[(space, dims)]

    @staticmethod
    def space_vectors(explorer, space: str) -> tuple[np.ndarray, np.ndarray]:
        """(item vectors, user vectors) of a space, as the map sees them."""
        if space == "text":
            return np.asarray(explorer.item_text_vectors), explorer.warm_user_text_vectors()
        user_vectors, _ = explorer.warm_user_matrix()
        return np.asarray(explorer.item_vectors), np.asarray(user_vectors)

    @classmethod
    def for_explorer(cls, explorer, progress: Callable[[str, float], None] | None = None, cache_dir: Path | None = None) -> Projector:
        say = progress or (lambda message, fraction: None)
        key = stable_hash(
            "map",
            explorer.info.get("key"),
            explorer.encoder.model_id,
            code_fingerprint("recsys.analysis.projection", "recsys.towers", "recsys.explorer"),
        )
        path = (cache_dir or cache_root()) / "projections" / f"{key}.npz"
        started = time.perf_counter()

        def waiting() -> None:
            say("Waiting for another process that is fitting this same map", 0.0)

        # The server's other processes open the same catalogue at the same moment: one fits the map, the others load it.
        with turn(f"map-{key}", waiting, cache_dir):
            saved = dict(np.load(path)) if path.exists() else {}
            projector = cls(explorer, path, saved)
            for done, space in enumerate(SPACES):
                if not projector.has(space, 2):
                    say(f"Fitting the 2D UMAP map of the {space} space ({explorer.dataset.n_items:,} items)", done / len(SPACES))
                projector.layout(space, 2)
        projector.seconds = time.perf_counter() - started
        say("Map ready", 1.0)
        return projector
