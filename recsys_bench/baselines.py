"""Reference methods for the benchmark: each ranks the catalogue for a :class:`Request`.

Every method follows one small contract — ``fit(context)`` then ``scores(request)`` giving
one score per catalogue item — so the evaluator treats our model, the simple baselines
and the peer libraries alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from recsys import columns as C
from recsys.data import Dataset
from recsys.encoder import TextEncoder
from recsys.features import demographic_bucket
from recsys_bench.splits import Request, Split


@dataclass
class Context:
    """What a method may learn from: the dataset's side information and the training split."""

    dataset: Dataset
    split: Split
    encoder: TextEncoder
    item_text: np.ndarray

    def train_positives(self) -> pd.DataFrame:
        return self.dataset.positives(self.split.train)

    @cached_property
    def tie_break(self) -> np.ndarray:
        """Each catalogue row's place in a random order drawn from the split's seed: how every list of this split
        orders equal scores (see :func:`tie_order`)."""
        return tie_order(self.dataset.items[C.ITEM].tolist(), self.split.seed)


def tie_order(item_ids: list, seed: int) -> np.ndarray:
    """A random rank for each item, the same for an item whatever its row, drawn from ``seed``.

    Methods that cannot tell items apart (popularity on items nobody has seen) tie; ranked in catalogue order they
    would score what that order happens to give (on MovieLens it follows popularity), so ties take this order instead.

    Example:
        >>> tie_order([3, 1, 2], 0).tolist() == tie_order([1, 2, 3], 0)[[2, 0, 1]].tolist()
        True
    """
    labels = sorted(str(i) for i in item_ids)
    place = dict(zip(labels, np.random.default_rng([seed, 7]).permutation(len(labels)).tolist()))
    return np.array([place[str(i)] for i in item_ids], dtype=np.int64)


class Method:
    """Base class: ``name``, ``fit`` and ``scores``; ``observe`` lets a method learn from feedback."""

    name = "method"

    def fit(self, context: Context) -> Method:
        self.context = context
        return self

    def scores(self, request: Request) -> np.ndarray:
        raise NotImplementedError

    def start_session(self, request: Request):
        """State for the feedback-loop simulation (default: the request itself)."""
        return request

    def session_scores(self, session) -> np.ndarray:
        return self.scores(session)

    def observe(self, session, item_id: int, liked: bool):
        """Return the session after one like (``True``) or dislike (``False``); default: learns nothing."""
        return session

    def prepare(self, requests) -> None:
        """Called once with every request of a block before any is answered (peers answer them all at once)."""

    def fit_seconds(self, measured: float) -> float:
        """The fit time to report (default: as measured)."""
        return measured


class RandomMethod(Method):
    name = "random"

    def scores(self, request: Request) -> np.ndarray:
        rng = np.random.default_rng([self.context.split.seed, request.user_id, len(request.onboarding)])
        return rng.random(self.context.dataset.n_items)


def _popularity(context: Context, users: np.ndarray | None = None) -> np.ndarray:
    pos = context.train_positives()
    if users is not None:
        pos = pos[pos[C.USER].isin(users)]
    counts = np.bincount(context.dataset.item_ids.indices(pos[C.ITEM]), minlength=context.dataset.n_items)
    return counts.astype(float)


class PopularityMethod(Method):
    name = "popularity"

    def fit(self, context: Context) -> Method:
        super().fit(context)
        self.counts = _popularity(context)
        return self

    def scores(self, request: Request) -> np.ndarray:
        return self.counts


class DemographicPopularityMethod(Method):
    """Most liked items within the user's (age group, gender) bucket of training users."""

    name = "popularity_demographic"

    def fit(self, context: Context) -> Method:
        super().fit(context)
        users = context.dataset.users.set_index(C.USER)
        train_users = context.split.train[C.USER].unique()
        buckets: dict[tuple, list] = {}
        for user_id in train_users:
            record = users.loc[user_id].to_dict() if len(users.columns) else {}
            buckets.setdefault(demographic_bucket(record), []).append(user_id)
        overall = _popularity(context)
        self.tables = {b: _popularity(context, np.array(u)) + overall / (10 * overall.max()) for b, u in buckets.items()}
        self.overall = overall
        return self

    def scores(self, request: Request) -> np.ndarray:
        return self.tables.get(demographic_bucket(request.demographics), self.overall)


class GenreMethod(Method):
    """Genre profile of the onboarding items (or, with none, of the demographic bucket's likes)."""

    name = "genre"

    def fit(self, context: Context) -> Method:
        super().fit(context)
        vocabulary = context.dataset.genre_vocabulary()
        self.item_genres = np.array([[g in gs for g in vocabulary] for gs in context.dataset.items[C.GENRES]], float)
        self.item_genres /= np.maximum(1, self.item_genres.sum(1, keepdims=True))
        self.tiebreak = _popularity(context) * 1e-6
        self.bucket = DemographicPopularityMethod().fit(context)
        self.history = context.train_positives().groupby(C.USER)[C.ITEM].apply(list).to_dict()
        return self

    def _profile(self, liked, demographics: dict) -> np.ndarray:
        if len(liked):
            rows = self.context.dataset.item_ids.indices(liked)
            return self.item_genres[rows].mean(0)
        weights = self.bucket.scores(Request("", "", 0, (), (), (), "", demographics, False))
        return weights @ self.item_genres / max(weights.sum(), 1)

    def scores(self, request: Request) -> np.ndarray:
        liked = self.history.get(request.user_id, []) if request.warm else list(request.onboarding)
        return self.item_genres @ self._profile(liked, request.demographics) + self.tiebreak


class ContentKnnMethod(Method):
    """Cosine between the user's text and liked items' LLM embeddings and each item's embedding."""

    name = "content_knn"

    def fit(self, context: Context) -> Method:
        super().fit(context)
        self.history = context.train_positives().groupby(C.USER)[C.ITEM].apply(list).to_dict()
        return self

    def _query(self, text: str, liked) -> np.ndarray:
        parts = []
        if text:
            parts.append(self.context.encoder.encode([text])[0])
        if len(liked):
            parts.append(self.context.item_text[self.context.dataset.item_ids.indices(liked)].mean(0))
        return np.mean(parts, axis=0) if parts else np.zeros(self.context.item_text.shape[1])

    def scores(self, request: Request) -> np.ndarray:
        liked = self.history.get(request.user_id, []) if request.warm else list(request.onboarding)
        return self.context.item_text @ self._query(request.profile, liked)

    def start_session(self, request: Request):
        return {"request": request, "liked": list(request.onboarding)}

    def session_scores(self, session) -> np.ndarray:
        return self.context.item_text @ self._query(session["request"].profile, session["liked"])

    def observe(self, session, item_id: int, liked: bool):
        return {**session, "liked": session["liked"] + ([item_id] if liked else [])}
