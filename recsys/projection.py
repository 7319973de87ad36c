"""The embedding map: UMAP projections of items and users, fitted once and cached on disk.

Two spaces can be mapped: ``text`` (the raw language-model embeddings of item texts and
user profiles) and ``fused`` (the model's fused vectors e_i, e_u). UMAP is fitted on the
items; users — the dataset's and a session's synthetic ones — and new items are placed
without refitting, at the similarity-weighted mean of their nearest items' coordinates:
stable (the map does not move), fast, and it reads as "this person sits among these films".
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from recsys.cache import atomic_save_npz, cache_root, stable_hash

SPACES = ("text", "fused")
N_NEIGHBOURS = 10


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
        query = _normalise(np.atleast_2d(vectors).astype(np.float32))
        similarity = query @ self.reference.T
        nearest = np.argsort(-similarity, axis=1)[:, :k]
        coords = self.items[nearest]  # (n, k, dims)
        radius = 0.05 * float(np.ptp(self.items, axis=0).max())
        close = np.linalg.norm(coords - coords[:, :1], axis=2) <= radius
        weights = np.maximum(np.take_along_axis(similarity, nearest, axis=1), 1e-6) * close
        weights /= weights.sum(axis=1, keepdims=True)
        return np.einsum("nk,nkd->nd", weights, coords)


def fit_layout(vectors: np.ndarray, dims: int, seed: int = 0) -> np.ndarray:
    """UMAP (cosine metric) of ``vectors`` to ``dims`` dimensions."""
    import umap

    reducer = umap.UMAP(n_components=dims, n_neighbors=15, min_dist=0.15, metric="cosine", random_state=seed)
    return reducer.fit_transform(vectors).astype(np.float32)


class Projector:
    """All map layouts for one trained :class:`~recsys.explorer.Explorer`, cached on disk."""

    def __init__(self, layouts: dict[tuple[str, int], MapLayout], seconds: float = 0.0):
        self.layouts = layouts
        self.seconds = seconds

    def layout(self, space: str, dims: int) -> MapLayout:
        if (space, dims) not in self.layouts:
            raise ValueError(f"no layout for space {space!r} in {dims}D; spaces: {', '.join(SPACES)}")
        return self.layouts[(space, dims)]

    @staticmethod
    def space_vectors(explorer, space: str) -> tuple[np.ndarray, np.ndarray]:
        """(item vectors, user vectors) of a space, as the map sees them."""
        if space == "text":
            users = np.stack([explorer.user(u).text_vector for u in explorer.users["user_id"]])
            return np.asarray(explorer._item_text), users
        user_vectors, _ = explorer.warm_user_matrix()
        return np.asarray(explorer.item_vectors), np.asarray(user_vectors)

    @classmethod
    def for_explorer(cls, explorer, progress: Callable[[str, float], None] | None = None, cache_dir: Path | None = None) -> Projector:
        say = progress or (lambda message, fraction: None)
        key = stable_hash("map", 3, explorer.info.get("key"), explorer.encoder.model_id)
        path = (cache_dir or cache_root()) / "projections" / f"{key}.npz"
        layouts: dict[tuple[str, int], MapLayout] = {}
        started = time.perf_counter()
        saved = dict(np.load(path)) if path.exists() else {}
        jobs = [(space, dims) for space in SPACES for dims in (2, 3)]
        for done, (space, dims) in enumerate(jobs):
            items, users = cls.space_vectors(explorer, space)
            reference = _normalise(items.astype(np.float32))
            name = f"{space}_{dims}d"
            if name not in saved:
                say(f"Fitting the {dims}D UMAP map of the {space} space ({len(reference):,} items)", done / len(jobs))
                saved[name] = fit_layout(reference, dims)
                atomic_save_npz(path, **saved)
            layout = MapLayout(space, dims, saved[name], reference, np.zeros((0, dims), np.float32))
            layouts[(space, dims)] = MapLayout(space, dims, saved[name], reference, layout.place(users))
        say("Map ready", 1.0)
        return cls(layouts, time.perf_counter() - started)
