"""The facade: one object that loads data and model, and routes warm and cold users and items.

:class:`Explorer` is the public interface. It owns nothing mutable: synthetic users and
items are immutable :class:`~recsys.states.UserState` / :class:`~recsys.states.ItemState`
values that the caller keeps, and every operation returns a new value. Every score and
every explanation comes from :func:`recsys.model.score_terms`, so what the dashboard
explains is exactly what ranks.
"""

from __future__ import annotations

import copy
import hashlib
import threading
import time
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch

from recsys import columns as C
from recsys.analysis import anatomy, attribution, pull
from recsys.analysis import audience as audience_analysis
from recsys.artifacts import Progress, Trained, train_or_load
from recsys.calibration import Calibration
from recsys.data import Dataset, known, load_movielens_100k
from recsys.encoder import CachedEncoder, TextEncoder
from recsys.encoders import make_encoder
from recsys.features import demographic_bucket
from recsys.item_text import ItemReading
from recsys.modalities import USER_NAMES, USER_TERMS
from recsys.model import Parts, predict, score_terms, scores
from recsys.online import OnlineConfig, update
from recsys.preferences import ExplicitLayout, PreferenceConfig
from recsys.ranking import top_k
from recsys.reading import NEUTRAL_TEXT, AttitudeModel, ProfileReader, Reading, reads_no_words
from recsys.states import Explanation, Feedback, ItemState, UserState, frozen
from recsys.towers import Towers, reweighted
from recsys.training import TrainConfig


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
        encoder: CachedEncoder,
        trained: Trained,
        train_ratings: pd.DataFrame | None = None,
        config: TrainConfig = TrainConfig(),
        online: OnlineConfig = OnlineConfig(),
        preferences: PreferenceConfig = PreferenceConfig(),
    ):
        self.dataset = dataset
        self.encoder = encoder
        self.config = config
        self.online = online
        self.model = trained.model
        self.profiles = trained.profiles
        self.user_space = trained.user_space
        self.item_space = trained.item_space
        self.info = dict(trained.info)
        ratings = dataset.ratings if train_ratings is None else train_ratings
        self.mu = float(self.model.mu)
        self.item_text_vectors = frozen(trained.item_text_vectors)
        # What the item tower reads: the vectors above, then the item text model's (recsys.item_text).
        self.item_tower_text = frozen(trained.item_text_vectors if trained.item_tower_text is None else trained.item_tower_text)
        self.item_reading = trained.item_reading or ItemReading("")
        self._item_attr = self.item_space.encode_frame(dataset.items)
        warm = np.zeros(dataset.n_items, dtype=bool)
        warm[dataset.item_ids.indices(ratings[C.ITEM].unique())] = True
        self.item_warm = warm
        self.towers = Towers(self.model, config)
        self.item_h, self.item_beta, self.item_alpha = self._item_parts(
            self.item_tower_text, self._item_attr, np.arange(dataset.n_items), warm
        )
        self.item_vectors = frozen(np.einsum("nm,nmd->nd", self.item_alpha, self.item_h))
        self.item_bias = frozen((self.item_alpha * self.item_beta).sum(1))
        # Explicit coordinates (genres, decade) that a profile's reading can weigh: see recsys.preferences.
        self.explicit_layout = ExplicitLayout.of(dataset.items)
        self.item_explicit = frozen(self.explicit_layout.item_coordinates(dataset.items))
        self.item_full = frozen(np.hstack([self.item_vectors, self.item_explicit]))
        self.preferences = preferences
        self._reader: ProfileReader | None = None
        self._attitude: AttitudeModel | None = None
        self._attitude_lock = threading.Lock()
        self._item_columns: dict[str, np.ndarray] = {}
        self._titles: dict[Any, str] | None = None
        # The catalogue as the user tower reads it (item texts, fused item vectors), converted once.
        self.towers.read_catalogue(self.item_text_vectors, self.item_vectors, trained.anchors)
        self.popularity = np.bincount(dataset.item_ids.indices(ratings[C.ITEM]), minlength=dataset.n_items)
        seen = ratings.groupby(C.USER)[C.ITEM].apply(list).to_dict()
        self._seen = {u: set(items) for u, items in seen.items()}
        liked = dataset.positives(ratings)  # what the benchmark's popularity baselines count
        self._liked = (liked[C.USER].to_numpy(), dataset.item_ids.indices(liked[C.ITEM]))
        self._liked_counts = frozen(np.bincount(self._liked[1], minlength=dataset.n_items).astype(np.float64))
        self._segments: dict[tuple, np.ndarray] = {}
        self.same_as = _same_as(dataset, self.popularity)
        self._fingerprint: str | None = None
        self._listed: dict[Any, str] | None = None
        self._warm_users: dict[int, UserState] = {}
        self._popularity_axis: tuple[np.ndarray, float] | None = None
        self._user_matrix: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        # How a score reads as a like-probability (recsys.calibration); the identity until one is fitted.
        self.calibration = Calibration()

    def calibrated(self, calibration: Calibration) -> Explorer:
        """The same explorer (arrays shared, nothing copied) with ``p_like`` read through ``calibration``."""
        other = copy.copy(self)
        other.calibration = calibration
        return other

    def p_like(self, score: np.ndarray | float) -> np.ndarray:
        """The like-probability of a score: σ(r̂), or its calibrated form when a calibration is set."""
        return self.calibration.probability(score)

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
        encoder: str | None = None,
    ) -> Explorer:
        """Load the default dataset and model; train once, then reuse cached artifacts.

        Each text model trains a model of its own (the artifact key names the encoder's model id),
        so switching between them never serves one's model with the other's text vectors.

        Args:
            dataset: a :class:`Dataset`; MovieLens-100k by default.
            text_model: a sentence-transformers name or folder instead of the packaged MiniLM.
            device: ``cuda``/``mps``/``cpu``; chosen automatically by default.
            config: training hyper-parameters (part of the cache key).
            progress: ``callback(message, fraction)`` for slow steps.
            encoder: the text model by name, ``minilm`` or ``multilingual`` (:func:`recsys.encoders.make_encoder`);
                ``$COLDSTART_ENCODER``, else ``minilm``, by default.

        Raises:
            ValueError: an unknown encoder name, or ``text_model`` with an encoder other than ``minilm``.
        """
        say = progress or (lambda message, fraction: None)
        started = time.perf_counter()
        say("Loading the dataset", 0.0)
        dataset = dataset or load_movielens_100k()
        say("Loading the language model", 0.05)
        if text_model is not None and encoder not in (None, "minilm"):
            raise ValueError(f"text_model {text_model!r} is a sentence-transformers model; it cannot be the {encoder} encoder")
        if text_model is not None:
            text_encoder: CachedEncoder = TextEncoder(text_model, device=device, cache_dir=cache_dir)
        else:
            text_encoder = make_encoder(encoder, device=device, cache_dir=cache_dir)
        explorer = cls.train(dataset, text_encoder, config=config, progress=progress, cache_dir=cache_dir)
        explorer.info["load_seconds"] = round(time.perf_counter() - started, 1)
        say("Ready", 1.0)
        return explorer

    @classmethod
    def train(
        cls,
        dataset: Dataset,
        encoder: CachedEncoder,
        ratings: pd.DataFrame | None = None,
        items: Sequence[int] | None = None,
        config: TrainConfig = TrainConfig(),
        progress: Progress | None = None,
        cache_dir: Path | None = None,
    ) -> Explorer:
        """An explorer over a model trained on ``ratings`` and catalogue rows ``items`` (see :func:`recsys.artifacts.train_or_load`)."""
        trained = train_or_load(dataset, encoder, ratings, items, config, progress, cache_dir)
        return cls(dataset, encoder, trained, train_ratings=ratings, config=config)

    # ------------------------------------------------------------------ towers
    def _item_parts(self, text, attr, rows, has_id, weights: Mapping[str, float] | None = None):
        return self.towers.item_parts(text, attr, rows, has_id, weights)

    def user_tower(self, text: torch.Tensor, demo, rows, has_id, history, has_text=True) -> Parts:
        """Run the user tower in torch (:meth:`recsys.towers.Towers.user_tower`; gradients flow to ``text``)."""
        return self.towers.user_tower(text, demo, rows, has_id, history, has_text)

    def _user_parts(self, text, demo, rows, has_id, history, has_text=True):
        return self.towers.user_parts(text, demo, rows, has_id, history, has_text)

    def user_inputs(self, user: UserState) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The non-text tower inputs of a user state: (demographics, id row, has id, history rows)."""
        demo = self.user_space.encode(user.demographics)[None, :].astype(np.float32)
        history = _history([self._item_rows(user.liked, "liked item")])
        warm = user.user_id is not None and user.user_id in self._seen
        row = self.dataset.user_ids.index(user.user_id) if warm else 0
        return demo, np.array([row]), np.array([warm]), history

    # ------------------------------------------------------------------ data
    @property
    def items(self) -> pd.DataFrame:
        return self.dataset.items

    @property
    def users(self) -> pd.DataFrame:
        return self.dataset.users

    @property
    def ratings(self) -> pd.DataFrame:
        return self.dataset.ratings

    def titles(self) -> dict[Any, str]:
        """Item id → title, ids as plain Python values (what widgets and persona links hold)."""
        if self._titles is None:
            ids = [i.item() if hasattr(i, "item") else i for i in self.dataset.items[C.ITEM]]
            self._titles = dict(zip(ids, self.dataset.items[C.TITLE].astype(str)))
        return self._titles

    def _item_rows(self, item_ids: Iterable, what: str = "item") -> np.ndarray:
        rows = []
        for item_id in item_ids:
            if item_id not in self.dataset.item_ids:
                raise ValueError(f"unknown {what} id {item_id!r}: it is not in the {self.dataset.name} catalogue")
            rows.append(self.dataset.item_ids.index(item_id))
        return np.array(rows, dtype=np.int64)

    def _item_column(self, name: str) -> np.ndarray:
        """A column of the items table as an array (cached: the table never changes)."""
        if name not in self._item_columns:
            self._item_columns[name] = self.dataset.items[name].to_numpy()
        return self._item_columns[name]

    @property
    def fingerprint(self) -> str:
        """The catalogue's content fingerprint (:meth:`recsys.data.Dataset.fingerprint`): what a persona is tied to."""
        if self._fingerprint is None:
            self._fingerprint = self.dataset.fingerprint()
        return self._fingerprint

    def second_entries(self) -> np.ndarray:
        """Rows of items the catalogue lists again under another id (:func:`_same_as`): never shown as items of their own."""
        return np.flatnonzero(self.same_as != np.arange(len(self.same_as)))

    def listed_titles(self) -> dict[Any, str]:
        """:meth:`titles` without second entries: what a title picker offers (one entry per item)."""
        if self._listed is None:
            second = set(self._item_column(C.ITEM)[self.second_entries()].tolist())
            self._listed = {i: t for i, t in self.titles().items() if i not in second}
        return self._listed

    def hidden_rows(self, user: UserState) -> np.ndarray:
        """Rows never recommended to ``user``: what they have seen, the candidates of a title the reading is unsure
        of, any other entry of these, and every second entry of an item the catalogue lists twice (see :func:`_same_as`)."""
        # An unsure title's candidates wait until the person says which one they meant: never recommended back meanwhile.
        unsure = {i for m in (user.reading.titles if user.reading is not None else ()) if not m.confident for i, _, _ in m.alternatives}
        seen = self._item_rows([i for i in self.seen_by(user) | unsure if i in self.dataset.item_ids])
        return np.flatnonzero((self.same_as != np.arange(len(self.same_as))) | np.isin(self.same_as, self.same_as[seen]))

    def seen_by(self, user: UserState) -> set:
        """Items the user has already given: onboarding likes, feedback, and a dataset user's history."""
        return user.seen | (self._seen.get(user.user_id, set()) if user.user_id is not None else set())

    # ------------------------------------------------------------------ users
    @property
    def reader(self) -> ProfileReader:
        """The profile reader of this catalogue (built on first use)."""
        if self._reader is None:
            occupations = self.user_space.block(C.OCCUPATION).labels if C.OCCUPATION in self.user_space.columns else ()
            # Any other one-label user column (a bookshop's region) is read where the writer places themselves.
            places = {
                block.column: block.labels
                for block in self.user_space.blocks
                if block.kind == "one" and block.column not in (C.OCCUPATION, C.GENDER, C.AGE)
            }
            nouns = (self.dataset.noun, self.dataset.nouns)  # what one item is called: "book", "books"
            self._reader = ProfileReader(
                self.items, occupations=occupations, places=places, item_nouns=nouns, attitude=lambda texts: self.attitude(texts)
            )
        return self._reader

    @property
    def attitude(self) -> AttitudeModel:
        """The reader's attitude model on this explorer's text model (fitted on first use; see :mod:`recsys.reading.attitude`)."""
        with self._attitude_lock:  # sessions share the explorer: one fit, not one per session
            if self._attitude is None:
                self._attitude = AttitudeModel.fit(self.encoder.encode)
        return self._attitude

    def read(self, text: str, judge: bool = True) -> Reading:
        """How the engine reads a profile: wants, rules out, named titles, era, stated demographics.

        ``judge=False`` reads without the attitude model (:meth:`ProfileReader.read`), for text describing an item."""
        return self.reader.read(text, judge=judge) if isinstance(text, str) and text.strip() else Reading()

    def embedded_text(self, user: UserState) -> str:
        """The text the language model embedded for ``user``: :meth:`model_input` of its profile and reading."""
        return self.model_input(user.text, user.reading)

    def model_input(self, text: str, reading: Reading | None) -> str:
        """What the language model embeds of a profile: :func:`model_text`, or, when the model cannot read the text's
        script (a Chinese profile and the English-only MiniLM), the reading's wanted genres in English ("Sci-Fi films"),
        so that what the reader understood reaches the model instead of characters it cannot read."""
        read = model_text(text, reading)
        if read == NEUTRAL_TEXT or self.encoder.reads_script(read) or reading is None or not reading.wants:
            return read
        return f"{_listed(reading.wants)} {self.dataset.nouns}"

    def new_user(
        self, text: str, demographics: Mapping[str, Any] | None = None, liked: Sequence = (), reading: Reading | None = None
    ) -> UserState:
        """A cold-start user from free profile text, optional demographics and onboarding likes.

        The text is read first (:meth:`read`; pass an edited ``reading`` to override it):
        named titles join the onboarding likes (and are never recommended back), stated
        demographics fill in what ``demographics`` leaves out (the form wins), and what the
        person rules out and the era they name become the ``avoid`` and ``era`` terms.
        Any non-empty combination of text, demographics and likes works: without text the
        user is fused from the rest (the text modality is unavailable, not a zero vector).

        Raises:
            ValueError: nothing given at all, unknown demographic values or unknown item ids in ``liked``.
        """
        has_text = isinstance(text, str) and bool(text.strip())
        prepared = self.encoder.prepare(text) if has_text else None
        # The reader reads every word (a long profile's exclusions and age come last); the model's own cut to its
        # tokens happens when the text is embedded.
        shown = prepared.whole if prepared else ""
        reading = self.read(shown) if reading is None else reading
        stated = {k: v for k, v in reading.demographics.items() if k in self.user_space.columns}
        given = {k: v for k, v in dict(demographics or {}).items() if v not in (None, "")}
        clean_demo = self.user_space.validate({**stated, **given})
        self._item_rows(liked, "liked item")  # a clear error for an unknown (or unhashable) id first
        liked = tuple(dict.fromkeys([*liked, *(i for i in reading.liked_ids if i in self.dataset.item_ids)]))
        rows = self._item_rows(liked, "liked item")
        if not has_text and not clean_demo and not liked:
            raise ValueError(f"the persona is empty: describe the person with profile text, demographics or liked {self.dataset.nouns}")
        embedded = self.model_input(shown, reading)
        text_vector = self.encoder.encode([embedded])[0]
        demo = self.user_space.encode(clean_demo)[None, :].astype(np.float32)
        h, beta, alpha = self._user_parts(
            text_vector[None, :], demo, np.zeros(1, np.int64), np.zeros(1, bool), _history([rows]), has_text=np.array([has_text])
        )
        warnings = (*(prepared.warnings if prepared else ()), *reading.notes)
        if has_text and embedded != model_text(shown, reading):
            # Said instead of "results are unreliable": the model was not given the script it cannot read.
            warnings = tuple(w for w in warnings if w != self.encoder.script_warning)
            warnings += (f"The text model reads English only, so it was given what the reader understood, in English: “{embedded}”.",)
        return UserState(
            text=shown, demographics=clean_demo, liked=liked, h=frozen(h[0]), beta=frozen(beta[0]),
            alpha=frozen(alpha[0]), text_vector=frozen(text_vector), delta_e=frozen(np.zeros(h.shape[2])),
            warnings=tuple(warnings), explicit=frozen(self.explicit_layout.user_coordinates(reading, self.preferences)),
            reading=reading,
        )  # fmt: skip

    def _canonical_inputs(self, rows: Sequence[int]) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Tower inputs of dataset users: canonical profile text, demographics, id rows, has-id, history."""
        canonical = [self.profiles.canonical(r) if self.profiles.texts[r] else (NEUTRAL_TEXT, []) for r in rows]
        texts = [text or NEUTRAL_TEXT for text, _ in canonical]
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
                text=texts[0], demographics=known({a: record[a] for a in self.dataset.user_attributes}),
                liked=tuple(self.dataset.item_ids.external(i) for i in history[0] if i >= 0),
                h=frozen(h[0]), beta=frozen(beta[0]), alpha=frozen(alpha[0]), text_vector=frozen(text_vector),
                delta_e=frozen(np.zeros(h.shape[2])), user_id=user_id, explicit=frozen(np.zeros(self.explicit_layout.size)),
            )  # fmt: skip
        return self._warm_users[row]

    def warm_user_text_vectors(self) -> np.ndarray:
        """Text embeddings of every dataset user's canonical profile, encoded as one batch (so the disk cache keeps them)."""
        texts, *_ = self._canonical_inputs(range(self.dataset.n_users))
        return self.encoder.encode(texts)

    def warm_user_matrix(self) -> tuple[np.ndarray, np.ndarray]:
        """Fused vectors and biases of every dataset user (computed once per process, in batch)."""
        if self._user_matrix is None:
            texts, demo, rows, has_id, history = self._canonical_inputs(range(self.dataset.n_users))
            h, beta, alpha = self._user_parts(self.encoder.encode(texts), demo, rows, has_id, history)
            self._user_matrix = (frozen(np.einsum("nm,nmd->nd", alpha, h)), frozen((alpha * beta).sum(1)), frozen(alpha))
        return self._user_matrix[0], self._user_matrix[1]

    def warm_user_weights(self) -> pd.DataFrame:
        """Fusion weights alpha of every dataset user (one row per user)."""
        self.warm_user_matrix()
        return pd.DataFrame(self._user_matrix[2], columns=list(USER_NAMES)).assign(**{C.USER: self.dataset.users[C.USER].values})

    def global_weights(self, side: str) -> dict[str, float]:
        """The learned global fusion weights softmax(g) of ``"user"`` or ``"item"``, every modality present."""
        tower = self.model.users if side == "user" else self.model.items
        return dict(zip(tower.modalities, torch.softmax(tower.gate_global, dim=0).tolist()))

    def reweight(self, user: UserState, weights: Mapping[str, float]) -> UserState:
        """The same user with fusion weights overridden (renormalised over available modalities)."""
        return replace(user, alpha=frozen(reweighted(user.alpha[None, :], user.modalities, weights)[0]))

    # ------------------------------------------------------------------ scoring
    def catalogue(self, item_weights: Mapping[str, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Full item vectors (fused, then explicit coordinates) and biases; ``item_weights``
        re-weights the items' modalities (the Fusion page)."""
        if item_weights is None:
            return self.item_full, self.item_bias
        h, beta, alpha = self._item_parts(
            self.item_tower_text, self._item_attr, np.arange(self.dataset.n_items), self.item_warm, item_weights
        )
        return np.hstack([np.einsum("nm,nmd->nd", alpha, h), self.item_explicit]), (alpha * beta).sum(1)

    @property
    def popularity_axis(self) -> tuple[np.ndarray, float]:
        """The item-space direction that predicts log popularity, and its correlation (:func:`recsys.analysis.pull.popularity_axis`)."""
        if self._popularity_axis is None:
            self._popularity_axis = pull.popularity_axis(self.item_vectors, self.popularity)
        return self._popularity_axis

    def _axis_term(self, user: UserState, vectors: np.ndarray, strength: float) -> np.ndarray | None:
        """The popularity-axis term for ``vectors`` (None at strength 0: the model as trained)."""
        if check_axis_strength(strength) == 0.0:
            return None
        return pull.axis_term(user.vector, vectors, self.popularity_axis[0], strength)

    def score_terms(
        self, user: UserState, item_weights: Mapping[str, float] | None = None, item_bias_scale: float = 1.0, axis_strength: float = 0.0
    ):
        """Every term of r̂ for one user against every catalogue item (:func:`recsys.model.score_terms`).

        ``item_bias_scale`` (0 … 1) multiplies the item-bias term b_i before it enters the score:
        1 is the model as trained, 0 removes the popularity pull. The scaled b_i is the term
        reported, so the terms still add up to the score exactly. ``axis_strength`` (0 … 1) adds
        the popularity-axis term ``pop`` (:func:`recsys.analysis.pull.axis_term`), which removes
        that share of the popularity carried by ⟨e_u, e_i⟩; the score includes it.
        """
        vectors, biases = self.catalogue(item_weights)
        terms = score_terms(self.mu, user, vectors, biases * check_bias_scale(item_bias_scale), self.explicit_layout.slices)
        pop = self._axis_term(user, vectors, axis_strength)
        return terms if pop is None else replace(terms, pop=pop, score=terms.score + pop)

    def recommend(
        self,
        user: UserState,
        k: int = 20,
        item_weights: Mapping[str, float] | None = None,
        exclude_seen: bool = True,
        item_bias_scale: float = 1.0,
        axis_strength: float = 0.0,
    ) -> pd.DataFrame:
        """Top-``k`` items, best first, with every score term.

        Columns: ``rank, item_id, title, genres, score, p_like, mu, b_u, b_i, dot``,
        ``dot_<term>`` for each user modality and ``feedback`` (they sum to ``dot``), and
        ``popularity``. ``item_weights`` overrides the items' fusion weights (the Fusion page);
        ``item_bias_scale`` scales b_i and ``axis_strength`` adds the popularity-axis term, column
        ``pop`` (see :meth:`score_terms`): score = mu + b_u + b_i + dot + pop.
        """
        k = _check_k(k)
        vectors, biases = self.catalogue(item_weights)
        biases = biases * check_bias_scale(item_bias_scale)
        hidden = self.hidden_rows(user) if exclude_seen else None
        # Rank on the whole score (one inner product per item), then split the score of the k rows
        # shown into its terms: the same formula, without splitting every item's score at scale.
        whole = scores(self.mu, user, vectors, biases)
        pop = self._axis_term(user, vectors, axis_strength)
        top = top_k(whole if pop is None else whole + pop, k, hidden)
        terms = score_terms(self.mu, user, vectors[top], biases[top], self.explicit_layout.slices)
        pop_top = np.zeros(len(top), dtype=np.float64) if pop is None else pop[top]
        columns = {
            "rank": np.arange(1, len(top) + 1),
            C.ITEM: self._item_column(C.ITEM)[top],
            C.TITLE: self._item_column(C.TITLE)[top],
            C.GENRES: self._item_column(C.GENRES)[top],
            C.SCORE: terms.score + pop_top,
            "p_like": self.p_like(terms.score + pop_top),
            C.MU: np.full(len(top), terms.mu),
            C.B_USER: np.full(len(top), terms.b_u),
            C.B_ITEM: terms.b_i,
            C.DOT: terms.dot,
            C.POP: pop_top,
        }
        columns |= {C.DOT_PREFIX + name: terms.dot_by_term[name] for name in USER_TERMS}
        columns["popularity"] = self.popularity[top]
        # One constructor call: building the frame column by column costs more than the scoring.
        return pd.DataFrame(columns)

    def liked_popularity(self, demographics: Mapping[str, Any] | None = None) -> np.ndarray:
        """Training likes (positives) per item, as the benchmark's ``popularity`` baseline ranks; with
        ``demographics``, those of the catalogue's users in the same (age group, gender) segment
        (:func:`recsys.features.demographic_bucket`) with overall likes breaking ties, as its
        ``popularity_demographic`` ranks; a part the person did not give matches anyone (overall likes
        when nobody shares the segment)."""
        users, rows = self._liked
        overall = self._liked_counts
        if demographics is None:
            return overall
        segment = demographic_bucket(demographics)
        if segment not in self._segments:
            frame = self.dataset.users
            age, gender = segment

            def shares(record: dict) -> bool:
                theirs = demographic_bucket(record)
                return (age == -1 or theirs[0] == age) and (gender is None or theirs[1] == gender)

            members = [u for u, record in zip(frame[C.USER], frame.to_dict("records")) if shares(record)]
            counts = np.bincount(rows[np.isin(users, members)], minlength=self.dataset.n_items).astype(np.float64)
            self._segments[segment] = counts + overall / (10 * max(overall.max(), 1.0)) if counts.any() else overall
        return self._segments[segment]

    def without_text(self, user: UserState) -> UserState | None:
        """The same person without the profile text: the demographics and onboarding likes it did not state or
        name in the text, with its feedback replayed; None when neither is left (the model would know nobody)."""
        reading = user.reading or Reading()
        named = set(reading.liked_ids)
        liked = tuple(i for i in user.liked if i not in named)
        demographics = {k: v for k, v in user.demographics.items() if reading.demographics.get(k) != v}  # stated in the text: text too
        if not demographics and not liked:
            return None
        state = self.new_user("", demographics, liked)
        for signal in user.feedback:
            state = self._learn(state, signal)
        return state

    def alternatives(
        self, user: UserState, k: int = 10, item_bias_scale: float = 1.0, axis_strength: float = 0.0,
        fusion: tuple[Mapping[str, float], Mapping[str, float]] | None = None,
    ) -> dict[str, list]:  # fmt: skip
        """What a product could show this person instead of the model's list, best first, seen items hidden.

        ``this model`` is the list at the given settings; ``most popular`` ranks by training likes
        and ``popular in segment`` by those of users of the person's age group and gender (only with
        demographics; :meth:`liked_popularity`); ``text similarity`` by the cosine of the text the model read
        with each item's text (no training; only when it reads some of the profile's words); ``model, text ignored`` is the
        same model given the person without the text (only with text and something else);
        ``model, b_i × 0`` and ``model, axis removed 0.5`` are the same model with less popularity
        (:meth:`score_terms`), and ``model, Fusion page weights`` the list with ``fusion``'s (user, item)
        factors on the fusion weights (:meth:`reweight` and ``item_weights`` of :meth:`recommend`).
        """
        k = _check_k(k)
        hidden = self.hidden_rows(user)
        ids = self._item_column(C.ITEM)

        def model(u: UserState = user, **settings) -> list:
            chosen = {"item_bias_scale": item_bias_scale, "axis_strength": axis_strength, **settings}
            return self.recommend(u, k, **chosen)[C.ITEM].tolist()

        lists = {"this model": model(), "most popular": ids[top_k(self.liked_popularity(), k, hidden)].tolist()}
        if demographic_bucket(user.demographics) != (-1, None):  # an age or a gender: a segment narrower than everyone
            lists["popular in segment"] = ids[top_k(self.liked_popularity(user.demographics), k, hidden)].tolist()
        if user.text.strip():
            if not reads_no_words(user.text, user.reading):  # never the similarity to the neutral placeholder
                cosine = _cosine(self.item_text_vectors, self.encoder.encode([self.embedded_text(user)])[0])
                lists["text similarity"] = ids[top_k(cosine, k, hidden)].tolist()
            rest = self.without_text(user)
            if rest is not None:
                lists["model, text ignored"] = model(rest)
        lists["model, b_i × 0"] = model(item_bias_scale=0.0)
        lists["model, axis removed 0.5"] = model(axis_strength=0.5)
        if fusion is not None:
            user_factors, item_factors = fusion
            lists["model, Fusion page weights"] = model(
                self.reweight(user, user_factors) if user_factors else user, item_weights=item_factors or None
            )
        return lists

    def explain(self, user: UserState, item: ItemState | Any, item_bias_scale: float = 1.0, axis_strength: float = 0.0) -> Explanation:
        """Full anatomy of one score (:func:`recsys.analysis.anatomy.explain`): terms, user×item modality matrix, per-dimension products."""
        state = item if isinstance(item, ItemState) else self.item(item)
        pop = self._axis_term(user, state.vector[None, :], axis_strength)
        return anatomy.explain(self, user, state, check_bias_scale(item_bias_scale), 0.0 if pop is None else float(pop[0]))

    def popularity_pull(self, recs: pd.DataFrame) -> pull.PopularityPull:
        """How popular a list from :meth:`recommend` is, and the share of its scores that is b_i (:func:`recsys.analysis.pull.popularity_pull`)."""
        return pull.popularity_pull(self, recs)

    def interest_keywords(self, text: str, k: int = 6, names: Sequence[str] = (), about_self: Collection[str] = ()) -> pd.DataFrame:
        """The phrases of ``text`` closest in meaning to the whole profile, none from the item ``names`` in it nor holding
        a word ``about_self`` (:func:`recsys.analysis.attribution.interest_keywords`)."""
        return attribution.interest_keywords(self, text, k, names, about_self)

    def word_influence(self, user: UserState, item_id: Any) -> pd.DataFrame:
        """Score change of ``item_id`` when each word of the profile is left out (:func:`recsys.analysis.attribution.word_influence`)."""
        return attribution.word_influence(self, user, item_id)

    def score_attribution(
        self, user: UserState, item_id: Any, item_bias_scale: float = 1.0, steps: int = attribution.IG_STEPS
    ) -> attribution.ScoreAttribution:
        """The listed score of ``item_id`` split over the words of the profile, adding up to it
        (:func:`recsys.analysis.attribution.score_attribution`)."""
        return attribution.score_attribution(self, user, item_id, check_bias_scale(item_bias_scale), steps)

    # ------------------------------------------------------------------ feedback
    def feedback(self, user: UserState, item_id: Any, liked: bool) -> UserState:
        """A new user state after a like (``True``) or a dislike (``False``).

        Runs :func:`recsys.online.update` over all feedback so far, starting from the
        current vector, regularised toward the prior. The model is not modified.

        Raises:
            ValueError: ``liked`` is not a bool (use :meth:`rate` for stars), or an unknown item.
        """
        if not isinstance(liked, (bool, np.bool_)):
            raise ValueError(
                f"feedback(user, item_id, liked) takes True (like) or False (dislike), got {liked!r}; "
                "for a 1–5 star rating call rate(user, item_id, stars)"
            )
        return self._learn(user, Feedback(item_id, "like" if liked else "dislike"))

    def rate(self, user: UserState, item_id: Any, stars: int) -> UserState:
        """A new user state after a 1–5 star rating (1★ fits y = 0, 5★ y = 1, linear between).

        Raises:
            ValueError: ``stars`` is not a whole number from 1 to 5, or an unknown item.
        """
        if isinstance(stars, (bool, np.bool_)) or not isinstance(stars, (int, np.integer)) or not 1 <= stars <= 5:
            raise ValueError(
                f"rate(user, item_id, stars) takes a whole number of stars from 1 to 5, got {stars!r}; for like/dislike call feedback(user, item_id, liked)"
            )
        return self._learn(user, Feedback(item_id, "stars", int(stars)))

    def _learn(self, user: UserState, signal: Feedback) -> UserState:
        self._item_rows([signal.item_id])  # a clear error for an unknown id, before anything else
        given = tuple(f for f in user.feedback if f.item_id != signal.item_id) + (signal,)
        rows = self._item_rows([f.item_id for f in given])
        # The explicit terms are fixed offsets during the update: feedback moves the fused vector and bias only.
        offset = self.item_explicit[rows] @ user.explicit if user.explicit.size else 0.0
        trace = update(
            user.vector, user.bias, user.prior_vector, user.prior_bias, self.mu,
            self.item_vectors[rows].astype(np.float64), (self.item_bias[rows] + offset).astype(np.float64),
            np.array([f.target for f in given]), self.online,
        )  # fmt: skip
        return replace(
            user,
            feedback=given,
            delta_e=frozen(trace.e_after - user.prior_vector),
            delta_b=float(trace.b_after - user.prior_bias),
            last_update=trace,
        )

    # ------------------------------------------------------------------ items
    def item(self, item_id: Any) -> ItemState:
        """A catalogue item's parts (collaborative part included when it has interactions)."""
        row = self._item_rows([item_id])[0]
        record = self.dataset.items.iloc[row]
        return ItemState(
            text=record[C.TEXT], attributes=known({a: record[a] for a in self.dataset.item_attributes}),
            h=frozen(self.item_h[row]), beta=frozen(self.item_beta[row]), alpha=frozen(self.item_alpha[row]),
            text_vector=self.item_text_vectors[row], item_id=item_id, explicit=self.item_explicit[row],
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
        # The item model reads the description whole, as it read the catalogue (MiniLM's input is cut to its 256 tokens).
        whole = (prepared.whole or prepared.text) + full[len(prepared.text) :]
        tower_text = self.item_reading.tower_input([whole], text_vector[None, :])
        h, beta, alpha = self._item_parts(tower_text, attr, np.zeros(1, np.int64), np.zeros(1, bool))
        record = pd.DataFrame([{C.GENRES: genres, C.YEAR: attributes.get(C.YEAR, np.nan)}])
        return ItemState(
            text=full, attributes=attributes, h=frozen(h[0]), beta=frozen(beta[0]), alpha=frozen(alpha[0]),
            text_vector=frozen(text_vector), warnings=tuple(prepared.warnings),
            explicit=frozen(self.explicit_layout.item_coordinates(record)[0]),
        )  # fmt: skip

    def nearest_items(self, item: ItemState, k: int = 10) -> pd.DataFrame:
        """The ``k`` catalogue items closest to ``item`` in the fused space (cosine), best first."""
        cosine = _cosine(self.item_vectors, item.vector)
        rows = top_k(cosine, _check_k(k), self.second_entries())
        return self.items.iloc[rows][[C.ITEM, C.TITLE, C.GENRES]].assign(cosine=cosine[rows]).reset_index(drop=True)

    def audience(self, item: ItemState, k: int = 20, list_length: int = 20, boost: float = 0.0) -> pd.DataFrame:
        """The ``k`` dataset users most likely to get ``item``, best first (:func:`recsys.analysis.audience.audience`)."""
        return audience_analysis.audience(self, item, _check_k(k), list_length, boost)

    def rank_for(self, user: UserState, item: ItemState, boost: float = 0.0) -> tuple[float, int]:
        """Where a new ``item`` would enter ``user``'s own list (a persona, not a dataset user): its score r̂ with
        ``boost`` added to b_i, and its position among the catalogue items :meth:`recommend` would rank for them."""
        score = self.explain(user, item).score + audience_analysis.check_boost(boost)
        vectors, biases = self.catalogue()
        whole = scores(self.mu, user, vectors, biases)
        whole[self.hidden_rows(user)] = -np.inf
        return float(score), int((whole > score).sum()) + 1

    def audience_segments(self, item: ItemState, column: str, list_length: int = 20, boost: float = 0.0) -> pd.DataFrame:
        """Share of each demographic segment that would get ``item`` (:func:`recsys.analysis.audience.segments`)."""
        return audience_analysis.segments(self, item, column, list_length, boost)

    def boost_reach(self, item: ItemState, list_length: int = 20, boosts: Sequence[float] = audience_analysis.BOOST_LEVELS) -> pd.DataFrame:
        """How many dataset users get ``item`` in their top ``list_length`` at each new-item boost
        (:func:`recsys.analysis.audience.reach_by_boost`): columns ``boost, users, share, median_position``."""
        return audience_analysis.reach_by_boost(self, item, list_length, boosts)

    def segment_labels(self, column: str, values: Sequence) -> list[str]:
        """Segment names of a user column: age buckets for ``age``, the values themselves otherwise
        (:func:`recsys.analysis.audience.segment_labels`)."""
        return audience_analysis.segment_labels(self, column, values)

    def warm_scores(self, item_vectors: np.ndarray, item_bias: np.ndarray) -> np.ndarray:
        """(n_users, n) scores of every dataset user for the given items."""
        vectors, biases = self.warm_user_matrix()
        return predict(self.mu, biases, item_bias, vectors, item_vectors)

    def seen_rows(self) -> dict[int, np.ndarray]:
        """Each dataset user's rated catalogue rows, by user row."""
        return {self.dataset.user_ids.index(u): self._item_rows(seen) for u, seen in self._seen.items()}

    def checksums(self) -> dict[str, str]:
        """A digest of everything sessions share: the model's and the text encoder's parameters, and the catalogue arrays.

        Sessions only read these (a session's users and items are new values it keeps); the
        digests make that checkable on a running server, where torch parameters cannot be
        made read-only the way the numpy arrays are.
        """
        shared = {
            "model": [t for _, t in sorted(self.model.state_dict().items())],
            "text encoder": self.encoder.weight_arrays(),
            "catalogue": [self.item_text_vectors, self.item_tower_text, self._item_attr, self.item_h, self.item_beta, self.item_alpha, self.item_vectors,
                          self.item_bias, self.item_explicit, self.item_full, self.item_warm, self.popularity, *self.towers.catalog],
        }  # fmt: skip
        out = {}
        for name, arrays in shared.items():
            digest = hashlib.blake2b(digest_size=8)
            for array in arrays:
                values = array.detach().cpu().numpy() if isinstance(array, torch.Tensor) else np.asarray(array)
                digest.update(str((values.dtype, values.shape)).encode())
                digest.update(np.ascontiguousarray(values).tobytes())
            out[name] = digest.hexdigest()
        return out

    def status(self) -> dict[str, Any]:
        """Dataset, model, device and cache facts for the dashboard's status panel."""
        encoder = self.encoder.status()
        encoder["text_dimension"] = encoder.pop("dimension")
        return {
            **encoder, **{k: v for k, v in self.info.items() if k not in ("config", "loss")},
            "dataset": self.dataset.name, "n_users": self.dataset.n_users, "n_items": self.dataset.n_items,
            "n_ratings": len(self.dataset.ratings), "dimension": int(self.item_vectors.shape[1]),
        }  # fmt: skip


def _cosine(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """Cosine of each row of ``matrix`` with ``vector`` (0 where either is the zero vector)."""
    norms = np.linalg.norm(matrix, axis=1) * float(np.linalg.norm(vector))
    return matrix @ vector / np.maximum(norms, 1e-9)


def _listed(words: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def model_text(text: str, reading: Reading | None) -> str:
    """What the language model embeds of a profile: sentence embeddings cannot read negation, so the text
    without the clauses that rule things out (those enter the score as the ``avoid`` term instead)."""
    if reads_no_words(text, reading):
        return NEUTRAL_TEXT
    return reading.kept_text if reading is not None and reading.kept_text else text


def _same_as(dataset: Dataset, popularity: np.ndarray) -> np.ndarray:
    """For each item row, the row that stands for it: itself, or — for an item the catalogue lists under two ids
    (MovieLens-100k has 18 films twice, book catalogues list editions) — the entry with the most interactions
    (ties: the first). Same title (case and spacing ignored) and, where the catalogue has one, same creator; an empty
    cell is the empty text (a text column keeps its missing values through ``astype(str)``)."""
    titles = dataset.items[C.TITLE].fillna("").astype(str).str.casefold().str.split().str.join(" ")
    creator = dataset.creator_column
    creators = None if creator is None else dataset.items[creator].fillna("").astype(str).str.casefold().str.strip()
    keys = titles if creators is None else titles + "\x1f" + creators
    group = pd.factorize(keys)[0]
    order = np.lexsort((np.arange(len(group)), -popularity, group))  # by group, most interactions first, then row
    first = np.empty(group.max() + 1 if len(group) else 0, dtype=np.int64)
    is_first = np.r_[True, group[order][1:] != group[order][:-1]] if len(group) else np.zeros(0, bool)
    first[group[order][is_first]] = order[is_first]
    return first[group] if len(group) else np.zeros(0, np.int64)


def _history(rows: Sequence[Sequence[int]], width: int = 1) -> np.ndarray:
    """Onboarding item rows as the towers read them: one row per user, −1 padded."""
    out = -np.ones((len(rows), max([width, *map(len, rows)])), dtype=np.int64)
    for n, chosen in enumerate(rows):
        out[n, : len(chosen)] = chosen
    return out


def check_bias_scale(scale: float) -> float:
    """The item-bias scale as a float in [0, 1].

    Raises:
        ValueError: outside [0, 1] or not a number.
    """
    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.floating)) or not 0.0 <= float(scale) <= 1.0:
        raise ValueError(f"item_bias_scale must be a number in [0, 1], got {scale!r}")
    return float(scale)


def check_axis_strength(strength: float) -> float:
    """The popularity-axis strength as a float in [0, 1].

    Raises:
        ValueError: outside [0, 1] or not a number.
    """
    if isinstance(strength, bool) or not isinstance(strength, (int, float, np.floating)) or not 0.0 <= float(strength) <= 1.0:
        raise ValueError(f"axis_strength must be a number in [0, 1], got {strength!r}")
    return float(strength)


def _check_k(k: int) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a positive whole number, got {k!r}")
    return int(k)
