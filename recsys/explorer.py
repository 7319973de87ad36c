"""The facade: one object that loads data and model, and routes warm and cold users and items.

:class:`Explorer` is the public interface of SPEC §8. It owns nothing mutable: synthetic
users and items are immutable :class:`UserState` / :class:`ItemState` values that the
caller keeps (in a notebook variable, or in one browser session's state), and every
operation returns a new value. Scores and their explanations come from one function,
:meth:`Explorer.score_terms`, so what the dashboard explains is exactly what ranks.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch

from recsys import columns as C
from recsys.cache import atomic_write_bytes, atomic_write_json, cache_root, stable_hash
from recsys.data import Dataset, load_movielens_100k
from recsys.encoder import TextEncoder, clean_text
from recsys.features import FeatureSpace
from recsys.model import ITEM_MODALITIES, USER_MODALITIES, FusionScorer, Parts
from recsys.online import OnlineConfig, UpdateTrace, feedback_target, sigmoid, update
from recsys.training import Profiles, TrainConfig, build_training_data, fit, history_vectors, write_profiles

ARTIFACT_VERSION = 6
#: New-item boost levels (logits added to b_i) for which :meth:`Explorer.boost_reach` counts the audience.
BOOST_LEVELS = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0)
Progress = Callable[[str, float], None]


def _frozen(array: np.ndarray) -> np.ndarray:
    out = np.array(array, dtype=np.float32)
    out.setflags(write=False)
    return out


@dataclass(frozen=True)
class UserState:
    """A user as the model sees it: per-modality parts, fusion weights and online offsets.

    ``vector`` = Σ_m alpha_m h_m + delta_e and ``bias`` = Σ_m alpha_m beta_m + delta_b.
    """

    text: str
    demographics: Mapping[str, Any]
    liked: tuple
    h: np.ndarray
    beta: np.ndarray
    alpha: np.ndarray
    text_vector: np.ndarray
    delta_e: np.ndarray
    delta_b: float = 0.0
    feedback: tuple[tuple[Any, float], ...] = ()
    warnings: tuple[str, ...] = ()
    user_id: Any = None
    last_update: UpdateTrace | None = None
    modalities: tuple[str, ...] = USER_MODALITIES

    @property
    def prior_vector(self) -> np.ndarray:
        return self.alpha @ self.h

    @property
    def prior_bias(self) -> float:
        return float(self.alpha @ self.beta)

    @property
    def vector(self) -> np.ndarray:
        return self.prior_vector + self.delta_e

    @property
    def bias(self) -> float:
        return self.prior_bias + self.delta_b

    @property
    def weights(self) -> dict[str, float]:
        """Fusion weights alpha by modality name."""
        return dict(zip(self.modalities, map(float, self.alpha)))

    @property
    def seen(self) -> set:
        return set(self.liked) | {item for item, _ in self.feedback}


@dataclass(frozen=True)
class ItemState:
    """An item (catalogue or newly described) as per-modality parts and fusion weights."""

    text: str
    attributes: Mapping[str, Any]
    h: np.ndarray
    beta: np.ndarray
    alpha: np.ndarray
    text_vector: np.ndarray
    item_id: Any = None
    warnings: tuple[str, ...] = ()
    modalities: tuple[str, ...] = ITEM_MODALITIES

    @property
    def vector(self) -> np.ndarray:
        return self.alpha @ self.h

    @property
    def bias(self) -> float:
        return float(self.alpha @ self.beta)

    @property
    def weights(self) -> dict[str, float]:
        return dict(zip(self.modalities, map(float, self.alpha)))


@dataclass(frozen=True)
class ScoreTerms:
    """Every term of r̂ = μ + b_u + b_i + ⟨e_u, e_i⟩ for one user against many items."""

    mu: float
    b_u: float
    b_i: np.ndarray
    dot: np.ndarray
    dot_by_modality: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def score(self) -> np.ndarray:
        return self.mu + self.b_u + self.b_i + self.dot


def _parts_to_numpy(parts: Parts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return parts.h.numpy(), parts.beta.numpy(), parts.alpha.numpy()


class Explorer:
    """Cold-start recommendations with every score term explained.

    Example:
        >>> ex = Explorer.load()
        >>> user = ex.new_user("I love space operas")
        >>> recs = ex.recommend(user, k=5)
        >>> bool(np.allclose(recs["score"], recs["mu"] + recs["b_u"] + recs["b_i"] + recs["dot"], atol=1e-4))
        True
    """

    def __init__(
        self,
        dataset: Dataset,
        encoder: TextEncoder,
        model: FusionScorer,
        profiles: Profiles,
        item_text_vectors: np.ndarray,
        info: Mapping[str, Any] | None = None,
        online: OnlineConfig = OnlineConfig(),
        train_ratings: pd.DataFrame | None = None,
        config: TrainConfig = TrainConfig(),
    ):
        self.dataset = dataset
        self.config = config
        self.encoder = encoder
        self.model = model
        self.profiles = profiles
        self.online = online
        self.info = dict(info or {})
        self.user_space = FeatureSpace.fit(dataset.users, dataset.user_attributes)
        self.item_space = FeatureSpace.fit(dataset.items, dataset.item_attributes)
        ratings = dataset.ratings if train_ratings is None else train_ratings
        self.mu = float(model.mu)
        self._item_text = _frozen(item_text_vectors)
        self._item_attr = self.item_space.encode_frame(dataset.items)
        warm = np.zeros(dataset.n_items, dtype=bool)
        warm[dataset.item_ids.indices(ratings[C.ITEM].unique())] = True
        self.item_warm = warm
        self.item_h, self.item_beta, self.item_alpha = self._item_parts(self._item_text, self._item_attr, np.arange(dataset.n_items), warm)
        self.item_vectors = _frozen(np.einsum("nm,nmd->nd", self.item_alpha, self.item_h))
        self.item_bias = _frozen((self.item_alpha * self.item_beta).sum(1))
        # The catalogue as the user tower reads it (item texts, fused item vectors), converted once.
        self._catalog = (torch.tensor(self._item_text), torch.tensor(self.item_vectors))
        self.popularity = np.bincount(dataset.item_ids.indices(ratings[C.ITEM]), minlength=dataset.n_items)
        seen = ratings.groupby(C.USER)[C.ITEM].apply(list).to_dict()
        self._seen = {u: set(items) for u, items in seen.items()}
        self._warm_users: dict[int, UserState] = {}
        self.warm_user_rows = np.array(sorted(dataset.user_ids.index(u) for u in seen if u in dataset.user_ids))
        self._user_matrix: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._catalogue: np.ndarray | None = None

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(
        cls,
        dataset: Dataset | None = None,
        text_model: str | None = None,
        device: str | None = None,
        config: TrainConfig = TrainConfig(),
        progress: Progress | None = None,
        cache_dir: Path | None = None,
    ) -> Explorer:
        """Load the default dataset and model; train once, then reuse cached artifacts.

        Args:
            dataset: a :class:`Dataset`; MovieLens-100k by default.
            text_model: sentence-transformers name or folder; the packaged MiniLM by default.
            device: ``cuda``/``mps``/``cpu``; chosen automatically by default.
            config: training hyper-parameters (part of the cache key).
            progress: ``callback(message, fraction)`` for slow steps.
        """
        say = progress or (lambda message, fraction: None)
        started = time.perf_counter()
        say("Loading the dataset", 0.0)
        dataset = dataset or load_movielens_100k()
        say("Loading the language model", 0.05)
        encoder = TextEncoder(text_model, device=device, cache_dir=cache_dir)
        explorer = cls.train(dataset, encoder, config=config, progress=progress, cache_dir=cache_dir)
        explorer.info["load_seconds"] = round(time.perf_counter() - started, 1)
        return explorer

    @classmethod
    def train(
        cls,
        dataset: Dataset,
        encoder: TextEncoder,
        ratings: pd.DataFrame | None = None,
        items: Sequence[int] | None = None,
        config: TrainConfig = TrainConfig(),
        progress: Progress | None = None,
        cache_dir: Path | None = None,
    ) -> Explorer:
        """Train on ``ratings`` (default: all) or reload the cached model trained on them.

        Users without ratings and item rows outside ``items`` (default: all) are cold: the
        model never sees them, which is how the benchmark's held-out splits are built.
        """
        say = progress or (lambda message, fraction: None)
        ratings = dataset.ratings if ratings is None else ratings
        items = list(range(dataset.n_items)) if items is None else sorted(int(i) for i in items)
        users = sorted(dataset.user_ids.indices(ratings[C.USER].unique()).tolist())
        say(f"Embedding {dataset.n_items:,} item texts", 0.1)
        item_vectors = encoder.encode(dataset.items[C.TEXT].tolist())
        user_space = FeatureSpace.fit(dataset.users, dataset.user_attributes)
        item_space = FeatureSpace.fit(dataset.items, dataset.item_attributes)
        split = stable_hash(pd.util.hash_pandas_object(ratings, index=False).sum(), items)
        features = (user_space.labels, item_space.labels)
        model = FusionScorer(
            encoder.dim, user_space.dim, item_space.dim, dataset.n_users, dataset.n_items, dim=config.dim, text_hidden=config.text_hidden
        )
        # The architecture (parameter names and shapes) is part of the key: a changed model never loads stale weights.
        architecture = sorted((name, tuple(value.shape)) for name, value in model.state_dict().items())
        key = stable_hash(ARTIFACT_VERSION, dataset.fingerprint(), encoder.model_id, config.to_dict(), split, features, architecture)
        path = (cache_dir or cache_root()) / "models" / key / "model.pt"
        if path.exists():
            say("Loading the trained model from the cache", 0.5)
            saved = torch.load(path, weights_only=False)
            profiles = Profiles(saved["texts"], saved["history"], saved["focus"])
            model.load_state_dict(saved["state"])
            info = dict(saved["info"], trained_now=False)
        else:
            profiles = write_profiles(dataset, ratings, users, seed=config.seed)
            data = build_training_data(
                dataset, encoder, user_space, item_space, item_vectors,
                ratings, profiles, users, items, progress=lambda m, f: say(m, 0.15 + 0.35 * f),
            )  # fmt: skip
            model, log = fit(data, config, progress=lambda m, f: say(m, 0.5 + 0.45 * f))
            info = {"train_seconds": round(log["seconds"], 1), "final_loss": log["loss"][-1], "key": key}
            state = {
                "state": model.state_dict(),
                "texts": profiles.texts,
                "history": profiles.history,
                "focus": profiles.focus,
                "info": info,
            }
            atomic_write_bytes(path, _torch_bytes(state))
            atomic_write_json(path.with_name("info.json"), dict(info, config=config.to_dict()))
            info = dict(info, trained_now=True)
        model.eval()
        for parameter in model.parameters():
            parameter.requires_grad_(False)
        say("Ready", 1.0)
        return cls(dataset, encoder, model, profiles, item_vectors, info, train_ratings=ratings, config=config)

    # ------------------------------------------------------------------ towers
    def _item_parts(
        self, text: np.ndarray, attr: np.ndarray, rows: np.ndarray, has_id: np.ndarray, weights: Mapping[str, float] | None = None
    ):
        n = len(text)
        avail = torch.from_numpy(np.stack([np.ones(n, bool), np.full(n, attr.shape[1] > 0), has_id], axis=1))
        with torch.no_grad():
            parts = self.model.items(
                torch.tensor(text, dtype=torch.float32), torch.tensor(attr, dtype=torch.float32),
                torch.from_numpy(rows), avail & self.config.enabled("item"),
            )  # fmt: skip
        h, beta, alpha = _parts_to_numpy(parts)
        if weights is not None:
            alpha = _reweighted(alpha, ITEM_MODALITIES, weights)
        return h, beta, alpha

    def user_tower(
        self,
        text: torch.Tensor,
        demo: np.ndarray,
        rows: np.ndarray,
        has_id: np.ndarray,
        history: np.ndarray,
        has_text: np.ndarray | None = None,
    ) -> Parts:
        """Run the user tower in torch (gradients flow to ``text`` when it requires them).

        ``history`` is (n, L) item rows, −1 padded; ``has_text`` (default: all) marks the
        users with profile text — without it the text modality is masked out of the fusion.
        """
        n = len(text)
        hist_vec, has_hist = history_vectors(torch.from_numpy(history), self._catalog[1])
        texts = torch.ones(n, dtype=torch.bool) if has_text is None else torch.from_numpy(np.asarray(has_text, dtype=bool))
        avail = torch.stack([texts, torch.from_numpy(demo.any(axis=1)), has_hist, torch.from_numpy(has_id)], dim=1)
        avail &= self.config.enabled("user")
        return self.model.users(text, torch.from_numpy(demo), torch.from_numpy(rows), avail, hist_vec, self._catalog)

    def _user_parts(
        self, text: np.ndarray, demo: np.ndarray, rows: np.ndarray, has_id: np.ndarray, history: np.ndarray, has_text=None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        with torch.no_grad():
            parts = self.user_tower(torch.tensor(text, dtype=torch.float32), demo, rows, has_id, history, has_text)
        return _parts_to_numpy(parts)

    def user_inputs(self, user: UserState) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The non-text tower inputs of a user state: (demographics, id row, has id, history rows)."""
        demo = self.user_space.encode(user.demographics)[None, :].astype(np.float32)
        history = _history([self._item_rows(user.liked, "liked item")])
        warm = user.user_id is not None and user.user_id in self._seen
        row = self.dataset.user_ids.index(user.user_id) if warm else 0
        return demo, np.array([row]), np.array([warm]), history

    # ------------------------------------------------------------------ users
    @property
    def items(self) -> pd.DataFrame:
        return self.dataset.items

    @property
    def users(self) -> pd.DataFrame:
        return self.dataset.users

    @property
    def ratings(self) -> pd.DataFrame:
        return self.dataset.ratings

    def _item_rows(self, item_ids: Iterable, what: str = "item") -> np.ndarray:
        rows = []
        for item_id in item_ids:
            if item_id not in self.dataset.item_ids:
                raise ValueError(f"unknown {what} id {item_id!r}: it is not in the {self.dataset.name} catalogue")
            rows.append(self.dataset.item_ids.index(item_id))
        return np.array(rows, dtype=np.int64)

    def new_user(self, text: str, demographics: Mapping[str, Any] | None = None, liked: Sequence = ()) -> UserState:
        """A cold-start user from free profile text, optional demographics and onboarding likes.

        Any non-empty combination works: without text (``""``) the text modality is left out
        of the fusion (its weight is 0), as for a user who has not written anything.

        Raises:
            ValueError: nothing given at all, unknown demographic values or unknown item ids in ``liked``.
        """
        clean_demo = self.user_space.validate(dict(demographics or {}))
        liked = tuple(dict.fromkeys(liked))
        rows = self._item_rows(liked, "liked item")
        if isinstance(text, str) and not clean_text(text):
            if not clean_demo and not liked:
                raise ValueError("the persona is empty: describe the person with text, demographics or liked items")
            text, warnings, has_text = "", (), False
            text_vector = np.zeros(self.encoder.dim, dtype=np.float32)
        else:
            prepared = self.encoder.prepare(text)
            text, warnings, has_text = prepared.text, tuple(prepared.warnings), True
            text_vector = self.encoder.encode([text])[0]
        demo = self.user_space.encode(clean_demo)[None, :].astype(np.float32)
        h, beta, alpha = self._user_parts(
            text_vector[None, :], demo, np.zeros(1, np.int64), np.zeros(1, bool), _history([rows]), np.array([has_text])
        )
        return UserState(
            text=text, demographics=clean_demo, liked=liked, h=_frozen(h[0]), beta=_frozen(beta[0]),
            alpha=_frozen(alpha[0]), text_vector=_frozen(text_vector), delta_e=_frozen(np.zeros(h.shape[2])),
            warnings=warnings,
        )  # fmt: skip

    def _canonical_inputs(self, rows: Sequence[int]) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Tower inputs of dataset users: canonical profile text, demographics, id rows, has-id, history."""
        fallback = ("I watch a movie now and then.", [])
        canonical = [self.profiles.canonical(r) if self.profiles.texts[r] else fallback for r in rows]
        texts = [text or fallback[0] for text, _ in canonical]
        demo = self.user_space.encode_frame(self.dataset.users.iloc[list(rows)]).astype(np.float32)
        has_id = np.array([self.dataset.user_ids.external(r) in self._seen for r in rows])
        return texts, demo, np.asarray(rows, dtype=np.int64), has_id, _history([chosen for _, chosen in canonical])

    def user(self, user_id: Any) -> UserState:
        """A warm user of the dataset (collaborative part included), with its canonical profile text."""
        if user_id not in self.dataset.user_ids:
            raise ValueError(f"unknown user id {user_id!r}")
        row = self.dataset.user_ids.index(user_id)
        if row not in self._warm_users:
            texts, demo, rows, has_id, history = self._canonical_inputs([row])
            text_vector = self.encoder.encode(texts)[0]
            h, beta, alpha = self._user_parts(text_vector[None, :], demo, rows, has_id, history)
            record = self.dataset.users.iloc[row]
            self._warm_users[row] = UserState(
                text=texts[0], demographics={a: record[a] for a in self.dataset.user_attributes},
                liked=tuple(self.dataset.item_ids.external(i) for i in history[0] if i >= 0),
                h=_frozen(h[0]), beta=_frozen(beta[0]), alpha=_frozen(alpha[0]), text_vector=_frozen(text_vector),
                delta_e=_frozen(np.zeros(h.shape[2])), user_id=user_id,
            )  # fmt: skip
        return self._warm_users[row]

    def warm_user_matrix(self) -> tuple[np.ndarray, np.ndarray]:
        """Fused vectors and biases of every dataset user (computed once per process, in batch)."""
        if self._user_matrix is None:
            texts, demo, rows, has_id, history = self._canonical_inputs(range(self.dataset.n_users))
            h, beta, alpha = self._user_parts(self.encoder.encode(texts), demo, rows, has_id, history)
            self._user_matrix = (_frozen(np.einsum("nm,nmd->nd", alpha, h)), _frozen((alpha * beta).sum(1)), _frozen(alpha))
        return self._user_matrix[0], self._user_matrix[1]

    def warm_user_weights(self) -> pd.DataFrame:
        """Fusion weights alpha of every dataset user (one row per user)."""
        self.warm_user_matrix()
        return pd.DataFrame(self._user_matrix[2], columns=list(USER_MODALITIES)).assign(**{C.USER: self.dataset.users[C.USER].values})

    def reweight(self, user: UserState, weights: Mapping[str, float]) -> UserState:
        """The same user with fusion weights overridden (renormalised over available modalities)."""
        return replace(user, alpha=_frozen(_reweighted(user.alpha[None, :], user.modalities, weights)[0]))

    # ------------------------------------------------------------------ scoring
    def score_terms(self, user: UserState, item_vectors: np.ndarray | None = None, item_bias: np.ndarray | None = None) -> ScoreTerms:
        """Every term of r̂ for one user against all catalogue items (or the given items).

        ``dot_by_modality[m] = alpha_m <h_m, e_i>`` for each user modality, plus
        ``feedback = <delta_e, e_i>``; together they sum to ``dot``.
        """
        vectors = self.item_vectors if item_vectors is None else item_vectors
        biases = self.item_bias if item_bias is None else item_bias
        by_modality = {m: user.alpha[k] * (vectors @ user.h[k]) for k, m in enumerate(user.modalities)}
        by_modality["feedback"] = vectors @ user.delta_e
        dot = vectors @ user.vector
        return ScoreTerms(self.mu, user.bias, biases, dot, by_modality)

    def recommend(
        self, user: UserState, k: int = 20, item_weights: Mapping[str, float] | None = None, exclude_seen: bool = True
    ) -> pd.DataFrame:
        """Top-``k`` items, best first, with every score term.

        Columns: ``rank, item_id, title, genres, score, p_like, mu, b_u, b_i, dot`` and
        ``dot_<modality>`` (text, demo, history, id, feedback) that sum to ``dot``.
        ``item_weights`` overrides the items' fusion weights (the Fusion page's sliders).
        """
        k = _check_k(k)
        if item_weights is None:
            vectors, biases = self.item_vectors, self.item_bias
        else:
            h, beta, alpha = self._item_parts(
                self._item_text, self._item_attr, np.arange(self.dataset.n_items), self.item_warm, item_weights
            )
            vectors, biases = np.einsum("nm,nmd->nd", alpha, h), (alpha * beta).sum(1)
        terms = self.score_terms(user, vectors, biases)
        score = terms.score.copy()
        if exclude_seen:
            hidden = user.seen | (self._seen.get(user.user_id, set()) if user.user_id is not None else set())
            if hidden:
                score[self._item_rows(hidden)] = -np.inf
        k = min(k, int(np.isfinite(score).sum()))
        top = np.argpartition(-score, k - 1)[:k] if k else np.array([], dtype=np.int64)
        top = top[np.argsort(-score[top], kind="stable")]
        items = self.dataset.items.iloc[top]
        frame = pd.DataFrame(
            {
                "rank": np.arange(1, len(top) + 1),
                C.ITEM: items[C.ITEM].to_numpy(),
                C.TITLE: items[C.TITLE].to_numpy(),
                C.GENRES: items[C.GENRES].to_numpy(),
                C.SCORE: score[top],
                "p_like": sigmoid(score[top]),
                C.MU: terms.mu,
                C.B_USER: terms.b_u,
                C.B_ITEM: terms.b_i[top],
                C.DOT: terms.dot[top],
            }
        )
        for name, values in terms.dot_by_modality.items():
            frame[C.DOT_PREFIX + name] = values[top]
        frame["popularity"] = self.popularity[top]
        return frame.reset_index(drop=True)

    def explain(self, user: UserState, item: ItemState | Any) -> dict[str, Any]:
        """Full anatomy of one score: terms, user×item modality matrix, per-dimension products."""
        state = item if isinstance(item, ItemState) else self.item(item)
        e_u, e_i = user.vector, state.vector
        terms = self.score_terms(user, e_i[None, :], np.array([state.bias]))
        cross = pd.DataFrame(
            [[user.alpha[a] * state.alpha[b] * float(user.h[a] @ state.h[b]) for b in range(len(state.modalities))] for a in range(len(user.modalities))],
            index=list(user.modalities), columns=list(state.modalities),
        )  # fmt: skip
        cross.loc["feedback"] = [state.alpha[b] * float(user.delta_e @ state.h[b]) for b in range(len(state.modalities))]
        return {
            "mu": terms.mu, "b_u": terms.b_u, "b_i": float(terms.b_i[0]), "dot": float(terms.dot[0]),
            "score": float(terms.score[0]), "p_like": float(sigmoid(terms.score[0])),
            "dot_by_user_modality": {m: float(v[0]) for m, v in terms.dot_by_modality.items()},
            "dot_by_item_modality": {m: float(state.alpha[b] * (e_u @ state.h[b])) for b, m in enumerate(state.modalities)},
            "b_u_by_modality": {m: float(user.alpha[k] * user.beta[k]) for k, m in enumerate(user.modalities)} | {"feedback": float(user.delta_b)},
            "b_i_by_modality": {m: float(state.alpha[k] * state.beta[k]) for k, m in enumerate(state.modalities)},
            "cross": cross, "per_dimension": e_u * e_i, "e_u": e_u, "e_i": e_i,
            "user_weights": user.weights, "item_weights": state.weights,
        }  # fmt: skip

    # ------------------------------------------------------------------ feedback
    def feedback(self, user: UserState, item_id: Any, value: float) -> UserState:
        """A new user state after one like (1.0), dislike (0.0) or 1–5 star rating.

        Runs :func:`recsys.online.update` over all feedback so far, starting from the
        current vector, regularised toward the text prior. The model is not modified.
        """
        target = feedback_target(value)
        self._item_rows([item_id])  # a clear error for an unknown id, before anything else
        given = tuple((i, v) for i, v in user.feedback if i != item_id) + ((item_id, target),)
        rows = self._item_rows([i for i, _ in given])
        trace = update(
            user.vector, user.bias, user.prior_vector, user.prior_bias, self.mu,
            self.item_vectors[rows].astype(np.float64), self.item_bias[rows].astype(np.float64),
            np.array([v for _, v in given]), self.online,
        )  # fmt: skip
        return replace(
            user,
            feedback=given,
            delta_e=_frozen(trace.e_after - user.prior_vector),
            delta_b=float(trace.b_after - user.prior_bias),
            last_update=trace,
        )

    # ------------------------------------------------------------------ items
    def item(self, item_id: Any) -> ItemState:
        """A catalogue item's parts (collaborative part included when it has interactions)."""
        row = self._item_rows([item_id])[0]
        record = self.dataset.items.iloc[row]
        return ItemState(
            text=record[C.TEXT], attributes={a: record[a] for a in self.dataset.item_attributes},
            h=_frozen(self.item_h[row]), beta=_frozen(self.item_beta[row]), alpha=_frozen(self.item_alpha[row]),
            text_vector=self._item_text[row], item_id=item_id,
        )  # fmt: skip

    def new_item(self, text: str, attributes: Mapping[str, Any] | None = None) -> ItemState:
        """A cold-start item from its description and optional attributes (e.g. genres, year).

        Raises:
            ValueError: empty text or attribute values outside the catalogue's vocabulary.
        """
        prepared = self.encoder.prepare(text, what="item description")
        attributes = self.item_space.validate(dict(attributes or {}))
        genres = [g for g in attributes.get(C.GENRES, []) if g != "unknown"]
        full = prepared.text + (f" Genres: {', '.join(genres)}." if genres else "")
        text_vector = self.encoder.encode([full])[0]
        attr = self.item_space.encode(attributes)[None, :]
        h, beta, alpha = self._item_parts(text_vector[None, :], attr, np.zeros(1, np.int64), np.zeros(1, bool))
        return ItemState(
            text=full, attributes=attributes, h=_frozen(h[0]), beta=_frozen(beta[0]), alpha=_frozen(alpha[0]),
            text_vector=_frozen(text_vector), warnings=tuple(prepared.warnings),
        )  # fmt: skip

    def audience(self, item: ItemState, k: int = 20, list_length: int = 20, boost: float = 0.0) -> pd.DataFrame:
        """The ``k`` dataset users most likely to get ``item``, best first.

        Columns: ``user_id, score, p_like, position`` (where the item would enter that
        user's list among unseen catalogue items), ``in_top`` (position ≤ ``list_length``),
        ``boost`` and the user's demographics. ``boost`` is a new-item boost added to b_i as
        its own term: r̂ = μ + b_u + (b_i + boost) + ⟨e_u, e_i⟩.
        """
        k = _check_k(k)
        frame = self._audience_all(item, list_length, boost)
        return frame.head(k).reset_index(drop=True)

    def _unseen_scores(self) -> np.ndarray:
        """Every dataset user's scores for the catalogue, −inf where already rated (once per process)."""
        if self._catalogue is None:
            vectors, biases = self.warm_user_matrix()
            catalogue = self.mu + biases[:, None] + self.item_bias[None, :] + vectors @ self.item_vectors.T
            for user_id, seen in self._seen.items():
                catalogue[self.dataset.user_ids.index(user_id), self._item_rows(seen)] = -np.inf
            self._catalogue = _frozen(catalogue)
        return self._catalogue

    def _audience_all(self, item: ItemState, list_length: int, boost: float = 0.0) -> pd.DataFrame:
        boost = _check_boost(boost)
        vectors, biases = self.warm_user_matrix()
        score = self.mu + biases + item.bias + boost + vectors @ item.vector
        # Strictly greater: a catalogue item never counts itself as ranked above itself.
        position = (self._unseen_scores() > score[:, None]).sum(1) + 1
        frame = self.dataset.users.copy()
        frame.insert(1, C.SCORE, score)
        frame.insert(2, "p_like", sigmoid(score))
        frame.insert(3, "position", position)
        frame.insert(4, "in_top", position <= list_length)
        frame.insert(5, "boost", boost)
        return frame.sort_values(C.SCORE, ascending=False, kind="stable")

    def audience_segments(self, item: ItemState, column: str, list_length: int = 20, boost: float = 0.0) -> pd.DataFrame:
        """Share of each demographic segment that would get ``item`` in its top ``list_length``."""
        frame = self._audience_all(item, list_length, boost)
        if column == C.AGE:
            block = self.user_space.block(C.AGE)
            frame[column] = [block.labels[int(np.searchsorted(block.edges, a, side="right"))] for a in frame[C.AGE]]
        grouped = frame.groupby(column)
        return pd.DataFrame(
            {
                "users": grouped.size(),
                "share_in_top": grouped["in_top"].mean(),
                "mean_p_like": grouped["p_like"].mean(),
                "median_position": grouped["position"].median(),
            }
        ).reset_index()

    def boost_reach(self, item: ItemState, list_length: int = 20, boosts: Sequence[float] = BOOST_LEVELS) -> pd.DataFrame:
        """How many dataset users would get ``item`` in their top ``list_length`` at each new-item boost.

        Columns: ``boost, users`` (count with the item in their top list), ``share`` (of all
        users) and ``median_position``.
        """
        rows = []
        for boost in boosts:
            frame = self._audience_all(item, list_length, boost)
            rows.append({"boost": float(boost), "users": int(frame["in_top"].sum()), "share": float(frame["in_top"].mean()),
                         "median_position": float(frame["position"].median())})  # fmt: skip
        return pd.DataFrame(rows)

    def status(self) -> dict[str, Any]:
        """Dataset, model, device and cache facts for the dashboard's status panel."""
        encoder = self.encoder.status()
        encoder["text_dimension"] = encoder.pop("dimension")
        return {
            **encoder, **{k: v for k, v in self.info.items() if k != "config"},
            "dataset": self.dataset.name, "n_users": self.dataset.n_users, "n_items": self.dataset.n_items,
            "n_ratings": len(self.dataset.ratings), "dimension": int(self.item_vectors.shape[1]),
        }  # fmt: skip


def _reweighted(alpha: np.ndarray, modalities: Sequence[str], weights: Mapping[str, float]) -> np.ndarray:
    """Multiply learned weights by user-chosen factors and renormalise over available modalities."""
    for name in weights:
        if name not in modalities:
            raise ValueError(f"unknown modality {name!r}; known: {', '.join(modalities)}")
    factors = np.array([max(0.0, float(weights.get(m, 1.0))) for m in modalities])
    scaled = alpha * factors[None, :]
    total = scaled.sum(axis=1, keepdims=True)
    return np.where(total > 0, scaled / np.where(total > 0, total, 1), alpha)


def _history(rows: Sequence[Sequence[int]], width: int = 1) -> np.ndarray:
    """Onboarding item rows as the towers read them: one row per user, −1 padded."""
    out = -np.ones((len(rows), max([width, *map(len, rows)])), dtype=np.int64)
    for n, chosen in enumerate(rows):
        out[n, : len(chosen)] = chosen
    return out


def _check_boost(boost: float) -> float:
    try:
        value = float(boost)
    except (TypeError, ValueError):
        raise ValueError(f"boost must be a number (a logit added to b_i), got {boost!r}") from None
    if not np.isfinite(value):
        raise ValueError(f"boost must be finite, got {boost!r}")
    return value


def _check_k(k: int) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a positive whole number, got {k!r}")
    return int(k)


def _torch_bytes(obj: Any) -> bytes:
    import io

    buffer = io.BytesIO()
    torch.save(obj, buffer)
    return buffer.getvalue()
