"""Training the fusion model: profile corpora for warm users, cold-entity simulation, the loop.

Each step samples, for every training user, one of several synthetic profiles (written
from demographics and an onboarding prefix of the history, see :mod:`recsys.profiles`)
and drops modalities at random — the user's collaborative ``id`` half of the time, an
item's ``id`` a quarter of the time — so that text-only users and items are trained as
first-class citizens rather than as warm entities with holes. The onboarding items of the
sampled profile are excluded from the loss: the model is asked to predict what the person
likes *beyond* what they already said.

Loss: a listwise softmax cross-entropy over the full catalogue (ranking) plus a
per-item logistic loss (which makes :math:`\\sigma(\\hat r)` a like-probability and the
biases :math:`b_u, b_i` identifiable), plus L2 on the collaborative embeddings.

Large catalogues (more than ``TrainConfig.sampled_above`` items) train the same model on
a sampled candidate set per update — the batch's positives plus uniformly drawn negatives —
for a bounded number of updates, and the user tower's text readout attends over a fixed
set of anchor items (:func:`anchor_rows`) instead of the whole catalogue. Catalogues at or
below the threshold take the full path, unchanged: same random draws, same losses.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F

from recsys import columns as C
from recsys.data import Dataset
from recsys.encoder import TextEncoder
from recsys.features import FeatureSpace
from recsys.item_text import ITEM_TEXT_MODEL, ItemReading
from recsys.jobs import Step
from recsys.modalities import ITEM_NAMES, USER_NAMES, availability, enabled_mask
from recsys.model import FusionScorer, Parts
from recsys.profiles import (
    catalogue_topics,
    describe_in_chinese,
    describe_in_sentences,
    distinctive_genres,
    genre_base_rates,
    genre_phrase,
    keywords_without_genres,
    onboarding_profile,
    short_title,
    user_record,
    zh_genre_phrase,
)

#: Onboarding prefix lengths of the synthetic profiles (plus two "taste summary" profiles).
PROFILE_PREFIXES = (0, 1, 2, 5, 10, 20)
N_KEYWORD_PROFILES = 3
N_SENTENCE_PROFILES = 2
N_VARIANTS = len(PROFILE_PREFIXES) + 1 + N_KEYWORD_PROFILES + N_SENTENCE_PROFILES
KEYWORD_TEMPLATES = ("{}", "{}", "I like {}", "Looking for {}", "{} please", "Something with {}", "Into {} lately")
SUMMARY_FRACTION = 0.3
MAX_HISTORY = 20


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters; chosen on validation splits carved from the training part (docs/tuning.md)."""

    dim: int = 32
    text_hidden: int = 128
    steps: int = 250
    lr: float = 0.01
    id_l2: float = 1e-4
    #: Decoupled weight decay on every parameter (AdamW; 0 trains with plain Adam, the default). 0.4 is better on
    #: MovieLens's validation splits (item cold start +0.027) but makes the book-ratings example's ten profile lists
    #: 2.4 times as alike (docs/tuning.md), so it is not the default.
    weight_decay: float = 0.0
    user_id_keep: float = 0.5
    item_id_drop: float = 0.25
    demo_drop: float = 0.2
    bce_weight: float = 1.0
    batch_users: int = 1024
    seed: int = 0
    #: Catalogues with more items than this take the sampled path (see the module docstring).
    sampled_above: int = 4096
    #: Items the users' text readout attends over on the sampled path: the most-interacted ones.
    anchors: int = 4096
    #: Uniformly drawn negatives per update, users per update, and updates, on the sampled path.
    negatives: int = 4096
    sampled_batch_users: int = 256
    sampled_updates: int = 600
    user_modalities: tuple[str, ...] = USER_NAMES
    item_modalities: tuple[str, ...] = ITEM_NAMES
    #: The item tower reads this packaged text model's vectors beside the users' model's (recsys.item_text); ""
    #: reads the users' model only. Item cold start +0.05 on every validation split (docs/tuning.md).
    item_text_model: str = ITEM_TEXT_MODEL
    #: ... on catalogues of at most this many items: it costs about eight times MiniLM's encode (a 50,000-item
    #: catalogue would take an hour more to prepare), and its gain is measured on full-path catalogues only.
    item_text_max_items: int = 4096
    #: After training, this many full-catalogue steps fit the training users' collaborative rows alone (their id vector
    #: and bias; every other weight frozen) to each user's whole training history, scored as a warm user is: the
    #: canonical profile, demographics, its onboarding items and the id. Only warm users have these rows, so new users'
    #: scores do not move. 0: no such stage. Full path only. 10 chosen on the validation splits: warm items +0.012,
    #: item cold start −0.002 over three seeds; 35 lost item cold start 0.006 (docs/tuning.md: Fitting the warm users' rows).
    warm_id_steps: int = 10
    warm_id_lr: float = 0.01
    #: After the users' rows, this many full-catalogue steps fit the items' collaborative rows alone (id vector and bias;
    #: every other weight frozen) to the training users' whole histories scored as warm users, plus ``warm_item_cold``
    #: times the same users' loss scored as new users (a random profile variant, no id): the items' rows serve both.
    #: 0: no such stage. 60 steps with 1.0 chosen on the validation splits (docs/tuning.md: Fitting the items' rows): warm
    #: items +0.012 over three seeds and every cold place +0.001 to +0.004; on the book ratings, level within its interval.
    warm_item_steps: int = 60
    warm_item_cold: float = 1.0
    #: How many times the two stages above run in turn (the users' rows, then the items' rows): each round fits one side
    #: to where the other ended. 1: each stage once; 2 gained nothing on validation (docs/tuning.md: the two sides in turn).
    warm_rounds: int = 1

    def enabled(self, side: str) -> torch.Tensor:
        """Boolean mask over the side's modalities that this configuration uses (for ablations)."""
        return torch.from_numpy(enabled_mask(side, self.user_modalities if side == "user" else self.item_modalities))

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Profiles:
    """Synthetic profiles of users: ``texts[u][v]`` with onboarding items ``history[u][v]``.

    ``focus[u][v]`` lists the genres a keyword-style profile asks for (empty: no focus);
    its training targets are the user's likes within those genres.
    """

    texts: list[list[str]]
    history: list[list[list[int]]]
    focus: list[list[list[str]]]

    def canonical(self, user: int) -> tuple[str, list[int]]:
        """The profile that describes a warm user best: the summary of their whole taste."""
        return self.texts[user][len(PROFILE_PREFIXES)], self.history[user][len(PROFILE_PREFIXES)]


def write_profiles(
    dataset: Dataset,
    ratings: pd.DataFrame,
    users: Sequence[int],
    seed: int,
    progress: Callable[[str, float], None] | None = None,
    chinese: bool = False,
) -> Profiles:
    """Several profiles per user: onboarding prefixes (by timestamp) of their positives, and
    two summaries of their whole taste (a sentence, and keywords only) whose onboarding
    items are a random sample. ``progress(message, fraction)`` hears how many users are done.

    ``chinese`` (for a multilingual text model): the last keyword profile and, for half the
    users, the first sentence profile are written in Chinese (a quarter of them around English
    genre words) asking for the same genres, so that a Chinese profile learns to land where its
    English twin does. Without it every profile is English, draw for draw as before."""
    rates = genre_base_rates(dataset, ratings)
    pos = dataset.positives(ratings).sort_values([C.USER, C.TIMESTAMP], kind="stable")
    by_user = pos.groupby(C.USER)[C.ITEM].apply(list).to_dict()
    texts: list[list[str]] = [[] for _ in range(dataset.n_users)]
    history: list[list[list[int]]] = [[] for _ in range(dataset.n_users)]
    focus: list[list[list[str]]] = [[] for _ in range(dataset.n_users)]
    item_genres = dataset.items[C.GENRES].tolist()
    item_creators = dataset.items[dataset.creator_column].tolist() if dataset.creator_column else []
    topics = catalogue_topics(dataset)  # a catalogue without genres: its profiles name topic words instead
    for done, row in enumerate(users):
        if progress is not None and done % 500 == 0:
            progress(f"Writing user profiles: {done:,} of {len(users):,} users", done / max(len(users), 1))
        # One generator per user: a user's profiles do not depend on who else is in the split,
        # so the embedding cache is shared between the app's model and benchmark splits.
        rng = np.random.default_rng([seed, int(row)])
        items = [dataset.item_ids.index(i) for i in by_user.get(dataset.user_ids.external(row), [])]
        for n in PROFILE_PREFIXES:
            texts[row].append(onboarding_profile(dataset, row, items[:n], rng, rates))
            history[row].append(list(items[:n]))
            focus[row].append([])
        size = max(1, min(MAX_HISTORY, int(round(SUMMARY_FRACTION * len(items))))) if items else 0
        sample = sorted(rng.choice(items, size=size, replace=False).tolist()) if items else []
        texts[row].append(onboarding_profile(dataset, row, sample, rng, rates, items))
        history[row].append(sample)
        focus[row].append([])
        # The way people type a persona: a few genre words, asking for those genres. The
        # first asks for the user's most distinctive genres, the others for any genre they
        # liked, so that rare genres ("documentaries", "cartoons") get their share of examples.
        liked_genres = distinctive_genres([item_genres[i] for i in items], rates)
        watched_creators = [item_creators[i] for i in items] if item_creators else []
        liked_topics = topics.distinctive(items) if topics is not None else []
        for k in range(N_KEYWORD_PROFILES):
            if k == 0 or not liked_genres:
                asked = liked_genres[: int(rng.integers(1, 3))]
            else:
                asked = [liked_genres[int(rng.integers(len(liked_genres)))]]
            template = KEYWORD_TEMPLATES[int(rng.integers(len(KEYWORD_TEMPLATES)))]
            zh_rng = np.random.default_rng([seed, int(row), 2, k])
            zh = zh_genre_phrase(asked, zh_rng, mixed=k == 1) if chinese and (k == 2 or (k == 1 and zh_rng.random() < 0.5)) else ""
            if zh:
                texts[row].append(f"我喜欢{zh}。" if k == 2 else f"推荐点{zh}吧")
            elif asked:
                texts[row].append(template.format(genre_phrase(asked, rng)))
            else:  # a catalogue without genres: its readers name topics and a favourite creator, where it has them
                wanted = keywords_without_genres(k, liked_topics, watched_creators, dataset.nouns, rng)
                texts[row].append(template.format(wanted) if wanted else "Recommend me something good.")
            history[row].append([])
            focus[row].append(asked)
        # Sentences the way people type them: likes with an exclusion, the era they watch and
        # films they name (those become the onboarding items), and a self-description. The
        # profile reader handles these forms explicitly; training on them too lets the text
        # tower degrade gracefully where the reader misses something. A separate generator
        # keeps every profile above exactly as it was.
        sentences = np.random.default_rng([seed, int(row), 1])
        watched = dataset.items.iloc[items]
        named = sorted(sentences.choice(items, size=min(2, len(items)), replace=False).tolist()) if items else []
        record = user_record(dataset.users, row, dataset.user_attributes)
        in_chinese = chinese and np.random.default_rng([seed, int(row), 3]).random() < 0.5
        for self_description in (False, True):
            if in_chinese and not self_description:
                text, asked = describe_in_chinese(
                    np.random.default_rng([seed, int(row), 4]), record, watched[C.GENRES].tolist(), watched[C.YEAR].tolist(), rates
                )
                if text:
                    texts[row].append(text)
                    history[row].append([])
                    focus[row].append(asked)
                    continue
            text, asked = describe_in_sentences(
                sentences, record, watched[C.GENRES].tolist(), dataset.items.iloc[named][C.TITLE].tolist(),
                watched[C.YEAR].tolist(), rates, self_description, watched_creators, liked_topics, dataset.nouns,
            )  # fmt: skip
            texts[row].append(text)
            history[row].append(
                []
                if self_description
                else [i for i in named if dataset.items.iloc[i][C.TITLE] in text or short_title(dataset.items.iloc[i][C.TITLE]) in text]
            )
            focus[row].append(asked)
    if progress is not None:
        progress(f"Writing user profiles: {len(users):,} of {len(users):,} users", 1.0)
    return Profiles(texts, history, focus)


@dataclass(frozen=True)
class Positives:
    """Each user's positive item rows, compressed by row: user *u*'s are ``indices[indptr[u]:indptr[u + 1]]``.

    A dense (n_users, n_items) matrix would take gigabytes at 50,000 items; this takes one
    integer per interaction.
    """

    indptr: torch.Tensor
    indices: torch.Tensor
    n_items: int

    @classmethod
    def of(cls, users: np.ndarray, items: np.ndarray, n_users: int, n_items: int) -> Positives:
        """From (user row, item row) pairs; duplicates count once."""
        pairs = np.unique(np.stack([np.asarray(users, np.int64), np.asarray(items, np.int64)], axis=1), axis=0)
        indptr = np.zeros(n_users + 1, dtype=np.int64)
        np.cumsum(np.bincount(pairs[:, 0], minlength=n_users), out=indptr[1:])
        return cls(torch.from_numpy(indptr), torch.from_numpy(np.ascontiguousarray(pairs[:, 1])), n_items)

    def pairs(self, users: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(position in ``users``, item row) of every positive of the given users."""
        start = self.indptr[users]
        counts = self.indptr[users + 1] - start
        batch = torch.repeat_interleave(torch.arange(len(users)), counts)
        offsets = torch.arange(int(counts.sum())) - torch.repeat_interleave(torch.cumsum(counts, 0) - counts, counts)
        return batch, self.indices[start[batch] + offsets]

    def dense(self, users: torch.Tensor) -> torch.Tensor:
        """(len(users), n_items) in {0, 1}: the rows of the positives matrix."""
        out = torch.zeros(len(users), self.n_items)
        batch, items = self.pairs(users)
        out[batch, items] = 1.0
        return out


@dataclass
class TrainingData:
    """Tensors the training loop reads; rows are dataset users, columns dataset items."""

    item_text: torch.Tensor  # the users' text model's item vectors: what the users' readout attends over
    item_input: torch.Tensor  # what the item tower reads: item_text, then the item text model's vectors
    item_attr: torch.Tensor
    item_warm: torch.Tensor
    user_text: torch.Tensor  # (n_users, V, T)
    user_demo: torch.Tensor
    user_history: torch.Tensor  # (n_users, V, MAX_HISTORY), -1 padded
    positives: Positives
    focus: torch.Tensor  # (n_users, V, n_genres) genres a profile asks for
    item_genres: torch.Tensor  # (n_items, n_genres)
    train_users: torch.Tensor
    train_items: torch.Tensor
    item_counts: np.ndarray  # interactions per item in the training ratings


def anchor_rows(item_counts: np.ndarray, train_items: Sequence[int], config: TrainConfig) -> np.ndarray | None:
    """The items the users' text readout attends over: ``None`` (every item) for a catalogue of at
    most ``config.sampled_above`` items, else the ``config.anchors`` most-interacted training
    items (ties: the earlier row), in row order.

    Training and inference read the same rows (saved with the model), so a request's readout
    costs the same at any catalogue size.
    """
    if len(item_counts) <= config.sampled_above:
        return None
    eligible = np.asarray(train_items, dtype=np.int64)
    ranked = eligible[np.argsort(-np.asarray(item_counts)[eligible], kind="stable")]
    return np.sort(ranked[: config.anchors])


def build_training_data(
    dataset: Dataset,
    encoder: TextEncoder,
    user_space: FeatureSpace,
    item_space: FeatureSpace,
    item_vectors: np.ndarray,
    ratings: pd.DataFrame,
    profiles: Profiles,
    train_users: Sequence[int],
    train_items: Sequence[int],
    progress: Callable[[str, float], None] | None = None,
    item_input: np.ndarray | None = None,
) -> TrainingData:
    """Embed every profile (cached on disk) and lay out the training tensors; ``item_input`` is what the item tower
    reads (default: ``item_vectors``, the users' text model's)."""
    train_users = np.asarray(train_users)
    n_variants = N_VARIANTS
    flat = [t for row in train_users for t in profiles.texts[row]]

    def report(done: int, total: int) -> None:
        if progress is not None:
            # Several profiles per user (the 800 users of a small catalogue are thousands of profiles): said, or the
            # count reads as a count of users.
            cached = f"; {len(flat) - total:,} more were embedded before" if total < len(flat) else ""
            progress(f"Embedding user profiles: {done:,} of {total:,} ({n_variants} written per user{cached})", done / max(total, 1))

    if progress is not None:
        progress("Embedding user profiles", 0.0)  # the step starts here, before its first count
    vectors = encoder.encode(flat, progress=report)
    user_text = np.zeros((dataset.n_users, n_variants, encoder.dim), dtype=np.float32)
    user_text[train_users] = vectors.reshape(len(train_users), n_variants, encoder.dim)
    history = -np.ones((dataset.n_users, n_variants, MAX_HISTORY), dtype=np.int64)
    for row in train_users:
        for v, chosen in enumerate(profiles.history[row]):
            history[row, v, : len(chosen[:MAX_HISTORY])] = chosen[:MAX_HISTORY]
    pos = dataset.positives(ratings)
    positives = Positives.of(dataset.user_ids.indices(pos[C.USER]), dataset.item_ids.indices(pos[C.ITEM]), dataset.n_users, dataset.n_items)
    warm = np.zeros(dataset.n_items, dtype=bool)
    warm[dataset.item_ids.indices(ratings[C.ITEM].unique())] = True
    warm &= np.isin(np.arange(dataset.n_items), np.asarray(train_items))
    genres = dataset.genre_vocabulary()
    focus = np.zeros((dataset.n_users, n_variants, len(genres)), dtype=np.float32)
    for row in train_users:
        for v, asked in enumerate(profiles.focus[row]):
            focus[row, v, [genres.index(g) for g in asked if g in genres]] = 1.0
    column = {g: k for k, g in enumerate(genres)}
    item_genres = np.zeros((dataset.n_items, len(genres)), dtype=np.float32)
    for row, gs in enumerate(dataset.items[C.GENRES]):
        item_genres[row, [column[g] for g in gs if g in column]] = 1.0
    return TrainingData(
        focus=torch.from_numpy(focus),
        item_genres=torch.from_numpy(item_genres),
        item_text=torch.tensor(np.asarray(item_vectors, dtype=np.float32)),
        item_input=torch.tensor(np.asarray(item_vectors if item_input is None else item_input, dtype=np.float32)),
        item_attr=torch.from_numpy(item_space.encode_frame(dataset.items)),
        item_warm=torch.from_numpy(warm),
        user_text=torch.from_numpy(user_text),
        user_demo=torch.from_numpy(user_space.encode_frame(dataset.users)),
        user_history=torch.from_numpy(history),
        positives=positives,
        train_users=torch.from_numpy(train_users.astype(np.int64)),
        train_items=torch.from_numpy(np.asarray(train_items, dtype=np.int64)),
        item_counts=np.bincount(dataset.item_ids.indices(ratings[C.ITEM]), minlength=dataset.n_items),
    )


#: How long the training steps take on the reference machine (2 cores, one torch thread, as the app trains;
#: measured on the example bookshop and `python -m recsys bench --scale`). A running training rescales
#: them by its own pace (:class:`recsys.jobs.Estimate`), so they only need the right proportions.
TEXT_SECONDS_PER_CHAR = 4.5e-5  # the text model, per character embedded
ITEM_MODEL_COST = 8.0  # the item text model (recsys.item_text) takes about this many times as long per character
PROFILE_CHARS = 75  # a synthetic profile's typical length
WRITE_SECONDS = (1e-3, 3e-4)  # writing profiles: per user, per interaction
FIT_BATCH_SECONDS = (5e-3, 4e-5, 2e-8)  # one full-path batch: fixed, per item, per user × item
ITEM_ROWS_FACTOR = 0.6  # one step of the items' rows stage, in full-path steps (measured: 3.7 s for 60 steps on MovieLens)
SAMPLED_UPDATE_SECONDS = 0.2


def item_reading(dataset: Dataset, encoder: TextEncoder, config: TrainConfig) -> ItemReading:
    """How the item tower reads ``dataset``'s item texts (:meth:`recsys.item_text.ItemReading.of`); its vectors are cached
    beside the users' model's, wherever the model itself is kept."""
    texts = dataset.items[C.TEXT].tolist()
    return ItemReading.of(texts, config.item_text_model, config.item_text_max_items, encoder.store.path.parents[1])


def planned_steps(dataset: Dataset, encoder: TextEncoder, config: TrainConfig = TrainConfig(), trained: bool = False) -> list[Step]:
    """The steps :func:`recsys.artifacts.train_or_load` reports for ``dataset`` (all of it), as they are
    named in its progress messages, each with its expected length (see :class:`recsys.jobs.Step`).

    ``trained``: the model is in the cache, so it is loaded instead of trained.
    """
    texts = dataset.items[C.TEXT].tolist()
    _, missing = encoder.store.lookup([encoder.key(t) for t in texts])
    steps = [Step("Embedding item texts", "item texts", TEXT_SECONDS_PER_CHAR * sum(len(texts[i]) for i in missing), len(missing), "text")]
    reading = item_reading(dataset, encoder, config)
    if reading.encoder is not None:
        _, unread = reading.encoder.store.lookup([reading.encoder.key(t) for t in texts])
        seconds = ITEM_MODEL_COST * TEXT_SECONDS_PER_CHAR * sum(len(texts[i]) for i in unread)
        steps.append(Step(f"Reading the items with {reading.model}", "Reading the items with", seconds, len(unread), "item model"))
    if trained:
        return [*steps, Step("Loading the trained model", "Loading the trained model", 1.0)]
    n_users, n_items = dataset.ratings[C.USER].nunique(), dataset.n_items
    n_profiles = n_users * N_VARIANTS
    rows: list[Step] = []
    if n_items > config.sampled_above:
        fit = Step(
            "Training the model", "Training the fusion model", SAMPLED_UPDATE_SECONDS * config.sampled_updates, config.sampled_updates
        )
    else:
        batches = -(-n_users // config.batch_users)
        fixed, per_item, per_pair = FIT_BATCH_SECONDS
        per_step = batches * (fixed + per_item * n_items) + per_pair * n_users * n_items
        fit = Step("Training the model", "Training the fusion model", per_step * config.steps, config.steps)
        if config.warm_item_steps:
            seconds = ITEM_ROWS_FACTOR * (fixed + per_item * n_items + per_pair * n_users * n_items) * config.warm_item_steps
            rows = [Step("Fitting the items' own rows", ITEM_ROWS_SAYS, seconds, config.warm_item_steps)]
    return [
        *steps,
        Step(
            "Writing user profiles", "Writing user profiles", WRITE_SECONDS[0] * n_users + WRITE_SECONDS[1] * len(dataset.ratings), n_users
        ),
        Step("Embedding user profiles", "Embedding user profiles", TEXT_SECONDS_PER_CHAR * PROFILE_CHARS * n_profiles, n_profiles, "text"),
        fit,
        *rows,
    ]


def history_vectors(history: torch.Tensor, item_vectors: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean fused vector of each row's onboarding items, and whether the row has any."""
    valid = history >= 0
    gathered = item_vectors[history.clamp(min=0)] * valid[..., None]
    count = valid.sum(dim=1, keepdim=True)
    return gathered.sum(dim=1) / count.clamp(min=1), count[:, 0] > 0


def _mask(side: str, n: int, **flags) -> torch.Tensor:
    """The availability mask of a batch, from the modality table's named rules."""
    return torch.from_numpy(availability(side, {k: v.numpy() if isinstance(v, torch.Tensor) else v for k, v in flags.items()}, n))


def _user_batch(model, data, config, gen, users, variant, hist_vec, has_hist, catalogue) -> Parts:
    """A training batch through the user tower: demographics and the id dropped at random (in this order of draws)."""
    n = len(users)
    keeps_demo = (torch.rand(n, generator=gen) >= config.demo_drop) & (data.user_demo.shape[1] > 0)
    keeps_id = torch.rand(n, generator=gen) < config.user_id_keep
    user_avail = _mask("user", n, has_text=True, has_demo=keeps_demo, has_history=has_hist, has_id=keeps_id)
    return model.users(
        data.user_text[users, variant], data.user_demo[users], users, user_avail & config.enabled("user"), hist_vec, catalogue
    )


def fit(
    data: TrainingData,
    config: TrainConfig,
    progress: Callable[[str, float], None] | None = None,
) -> tuple[FusionScorer, dict]:
    """Train a :class:`FusionScorer`; returns the model (eval mode, frozen) and a training log.

    A catalogue of at most ``config.sampled_above`` items takes the full path (``config.steps``
    epochs over the training users, logits over every item); a larger one the sampled path
    (``config.sampled_updates`` updates on sampled candidates, see :func:`_fit_sampled`).
    """
    torch.manual_seed(config.seed)
    gen = torch.Generator().manual_seed(config.seed)
    n_users, n_variants, _ = data.user_text.shape
    n_items = data.item_text.shape[0]
    model = FusionScorer(
        data.item_text.shape[1], data.user_demo.shape[1], data.item_attr.shape[1],
        n_users, n_items, dim=config.dim, text_hidden=config.text_hidden, item_text_dim=data.item_input.shape[1],
    )  # fmt: skip
    if config.weight_decay:
        optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=config.lr)
    log = {"loss": [], "seconds": 0.0}
    started = time.perf_counter()
    anchors = anchor_rows(data.item_counts, data.train_items.numpy(), config)
    if anchors is None:
        # The bar's share of each stage, as planned_steps expects their lengths (the main loop's, then the items' rows).
        share = config.steps / (config.steps + ITEM_ROWS_FACTOR * config.warm_item_steps)
        main = None if progress is None else (lambda message, f: progress(message, share * f))
        rows = None if progress is None else (lambda message, f: progress(message, share + (1 - share) * f))
        _fit_full(model, optimizer, data, config, gen, log, main)
        for _ in range(max(config.warm_rounds, 1)):
            _fit_warm_ids(model, data, config, log)  # a few seconds: the last part of the training step
            _fit_warm_items(model, data, config, log, rows)  # then the items' rows (TrainConfig.warm_item_steps)
    else:
        _fit_sampled(model, optimizer, data, config, gen, torch.from_numpy(anchors), log, progress)
    log["seconds"] = time.perf_counter() - started
    model.eval()
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    return model, log


def _losses(logits: torch.Tensor, target: torch.Tensor, seen: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Listwise softmax cross-entropy per user and the mean logistic loss, over the unseen columns."""
    listwise = _listwise(logits.masked_fill(seen.bool(), -1e9), target)
    pointwise = F.binary_cross_entropy_with_logits(logits, target, weight=1 - seen, reduction="sum") / (1 - seen).sum()
    return listwise, pointwise


def _listwise(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Listwise softmax cross-entropy per user: minus the mean log-probability of the user's targets."""
    return -(target * torch.log_softmax(logits, dim=1)).sum(1) / target.sum(1).clamp(min=1)


def _seen(history: torch.Tensor, n_items: int, columns: torch.Tensor) -> torch.Tensor:
    """(users, columns) indicator of each user's onboarding items (``history``, −1 padded) among the catalogue ``columns``."""
    seen = torch.zeros(len(history), n_items)
    seen.scatter_(1, history.clamp(min=0), (history >= 0).float())
    return seen[:, columns]


def _fit_full(model, optimizer, data: TrainingData, config: TrainConfig, gen, log: dict, progress) -> None:
    """``config.steps`` epochs over the training users; every update scores the whole catalogue."""
    n_users, n_variants, _ = data.user_text.shape
    n_items = data.item_text.shape[0]
    has_attr = data.item_attr.shape[1] > 0
    item_ids = torch.arange(n_items)
    item_enabled = config.enabled("item")
    batch = min(config.batch_users, len(data.train_users))
    if progress is not None:
        progress(f"Training the fusion model: step 0 of {config.steps}", 0.0)
    for step in range(config.steps):
        order = data.train_users[torch.randperm(len(data.train_users), generator=gen)]
        for start in range(0, len(order), batch):
            users = order[start : start + batch]
            n = len(users)
            item_keeps_id = data.item_warm & (torch.rand(n_items, generator=gen) >= config.item_id_drop)
            item_avail = _mask("item", n_items, has_text=True, has_attr=has_attr, has_id=item_keeps_id)
            items = model.items(data.item_input, data.item_attr, item_ids, item_avail & item_enabled)
            item_vec = items.vector
            variant = torch.randint(n_variants, (n,), generator=gen)
            hist_idx = data.user_history[users, variant]
            hist_vec, has_hist = history_vectors(hist_idx, item_vec)
            user = _user_batch(model, data, config, gen, users, variant, hist_vec, has_hist, (data.item_text, item_vec))
            logits = model.score(user, items)[:, data.train_items]
            seen = _seen(hist_idx, n_items, data.train_items)
            asked = data.focus[users, variant]
            wanted = torch.where(asked.sum(1, keepdim=True) > 0, (asked @ data.item_genres.T > 0).float(), torch.ones(n, n_items))
            target = (data.positives.dense(users) * wanted)[:, data.train_items] * (1 - seen)
            listwise, pointwise = _losses(logits, target, seen)
            l2 = model.users.id.weight[users].pow(2).sum(1).mean() + model.items.id.weight.pow(2).sum(1).mean()
            loss = listwise.mean() + config.bce_weight * pointwise + config.id_l2 * l2
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        log["loss"].append(float(loss.detach()))
        if progress is not None and (step % 10 == 0 or step == config.steps - 1):
            progress(
                f"Training the fusion model: step {step + 1} of {config.steps} (loss {log['loss'][-1]:.3f})", (step + 1) / config.steps
            )


def _fit_warm_ids(model, data: TrainingData, config: TrainConfig, log: dict) -> None:
    """``config.warm_id_steps`` steps on the training users' id rows alone: the listwise loss of each user's whole
    training history, with the user tower run as :meth:`recsys.explorer.Explorer.user` runs it (the canonical profile,
    its onboarding items, demographics where stated, the id kept) and the items as they are scored (ids where warm)."""
    if not config.warm_id_steps or not len(data.train_users):
        return
    users = data.train_users
    n, n_items = len(users), data.item_text.shape[0]
    canonical = len(PROFILE_PREFIXES)  # the summary profile: Profiles.canonical
    own = (model.users.id.weight, model.users.id_bias.weight)
    with _only_learning(model, own):
        with torch.no_grad():
            item_avail = _mask("item", n_items, has_text=True, has_attr=data.item_attr.shape[1] > 0, has_id=data.item_warm)
            items = model.items(data.item_input, data.item_attr, torch.arange(n_items), item_avail & config.enabled("item"))
            hist_vec, has_hist = history_vectors(data.user_history[users, canonical], items.vector)
        demo = data.user_demo[users]
        avail = _mask("user", n, has_text=True, has_demo=(demo != 0).any(1), has_history=has_hist, has_id=torch.ones(n, dtype=torch.bool))
        avail = avail & config.enabled("user")
        target = data.positives.dense(users)[:, data.train_items]
        optimizer = torch.optim.Adam(own, lr=config.warm_id_lr)
        losses = []
        for _ in range(config.warm_id_steps):
            user = model.users(data.user_text[users, canonical], demo, users, avail, hist_vec, (data.item_text, items.vector))
            logits = model.score(user, items)[:, data.train_items]
            loss = _listwise(logits, target).mean() + config.id_l2 * model.users.id.weight[users].pow(2).sum(1).mean()
            losses.append(float(loss.detach()))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        log["warm_id_loss"] = [losses[0], losses[-1]]  # the stage's first and last loss


#: What the progress messages of the items' rows stage say (its planned step, :func:`planned_steps`, listens for it).
ITEM_ROWS_SAYS = "Fitting the items' own rows"


def _fit_warm_items(model, data: TrainingData, config: TrainConfig, log: dict, progress=None) -> None:
    """``config.warm_item_steps`` steps on the items' id rows and biases alone, after :func:`_fit_warm_ids`: the listwise
    loss of each training user's whole history scored as a warm user (canonical profile, onboarding items, id), plus
    ``config.warm_item_cold`` times the loss of the same users scored as new users (a random profile variant and its
    onboarding items, no id, those items masked), so the rows stay where new users' vectors find them."""
    if not config.warm_item_steps or not len(data.train_users):
        return
    users = data.train_users
    n, n_items = len(users), data.item_text.shape[0]
    canonical = len(PROFILE_PREFIXES)
    own = (model.items.id.weight, model.items.id_bias.weight)
    with _only_learning(model, own):
        demo = data.user_demo[users]
        has_demo = (demo != 0).any(1)
        item_avail = _mask("item", n_items, has_text=True, has_attr=data.item_attr.shape[1] > 0, has_id=data.item_warm)
        item_avail = item_avail & config.enabled("item")
        optimizer = torch.optim.Adam(own, lr=config.warm_id_lr)
        gen = torch.Generator().manual_seed(config.seed + 1)
        losses = []

        def users_as(rows: slice, variant: torch.Tensor, keeps_id: bool, items: Parts) -> tuple[Parts, torch.Tensor]:
            """The users of ``rows`` run through their tower (no gradient: only the items' rows learn here) and their
            onboarding items."""
            history = data.user_history[users[rows], variant]
            with torch.no_grad():
                hist_vec, has_hist = history_vectors(history, items.vector)
                m = len(history)
                avail = _mask("user", m, has_text=True, has_demo=has_demo[rows], has_history=has_hist, has_id=torch.full((m,), keeps_id))
                user = model.users(
                    data.user_text[users[rows], variant], demo[rows], users[rows], avail & config.enabled("user"), hist_vec,
                    (data.item_text, items.vector),
                )  # fmt: skip
            return user, history

        # The users in chunks of batch_users, their gradients summed before one step: the same full-batch step, without
        # a users × items matrix of every training user at once (MovieLens' 943 users are one chunk).
        chunks = [slice(a, min(a + config.batch_users, n)) for a in range(0, n, config.batch_users)]
        started = time.perf_counter()
        for step in range(config.warm_item_steps):
            if progress is not None and step % 10 == 0:
                progress(f"{ITEM_ROWS_SAYS}: step {step} of {config.warm_item_steps}", step / config.warm_item_steps)
            items = model.items(data.item_input, data.item_attr, torch.arange(n_items), item_avail)
            variants = torch.randint(data.user_text.shape[1], (n,), generator=gen) if config.warm_item_cold else None
            optimizer.zero_grad()
            total = 0.0
            for k, rows in enumerate(chunks):
                share = (rows.stop - rows.start) / n  # 1.0 for one chunk: the loss is then the plain mean, bit for bit
                target = data.positives.dense(users[rows])[:, data.train_items]
                warm, _ = users_as(rows, torch.full((rows.stop - rows.start,), canonical), True, items)
                loss = _listwise(model.score(warm, items)[:, data.train_items], target).mean() * share
                if k == len(chunks) - 1:
                    loss = loss + config.id_l2 * model.items.id.weight.pow(2).sum(1).mean()
                if variants is not None:
                    cold, history = users_as(rows, variants[rows], False, items)
                    seen = _seen(history, n_items, data.train_items)
                    cold_logits = model.score(cold, items)[:, data.train_items].masked_fill(seen.bool(), -1e9)
                    loss = loss + config.warm_item_cold * _listwise(cold_logits, target * (1 - seen)).mean() * share
                loss.backward(retain_graph=k < len(chunks) - 1)  # the item tower's graph serves every chunk
                total += float(loss.detach())
            losses.append(total)
            optimizer.step()
        if progress is not None:
            progress(f"{ITEM_ROWS_SAYS}: step {config.warm_item_steps} of {config.warm_item_steps}", 1.0)
        log["warm_item_loss"] = [losses[0], losses[-1]]  # the stage's first and last loss
        log["warm_item_seconds"] = time.perf_counter() - started


@contextmanager
def _only_learning(model, own: tuple):
    """Freeze every parameter of ``model`` but ``own`` for the block, and unfreeze them after it."""
    others = [p for p in model.parameters() if p.requires_grad and all(p is not q for q in own)]
    for parameter in others:
        parameter.requires_grad_(False)
    try:
        yield
    finally:
        for parameter in others:
            parameter.requires_grad_(True)


def _fit_sampled(model, optimizer, data: TrainingData, config: TrainConfig, gen, anchors: torch.Tensor, log: dict, progress) -> None:
    """``config.sampled_updates`` updates of ``config.sampled_batch_users`` users each, on sampled candidates.

    Each update runs the item tower only on the rows it needs — the candidates (the batch's
    training positives plus ``config.negatives`` uniformly drawn training items), the
    anchors the users' readout attends over, and the users' onboarding items — and both
    losses are taken over the candidates. The cost of an update no longer grows with the
    catalogue. (The softmax over sampled candidates is not corrected for the sampling: the
    ranking it learns is what the full-catalogue evaluation measures.)
    """
    n_users, n_variants, _ = data.user_text.shape
    n_items = data.item_text.shape[0]
    has_attr = data.item_attr.shape[1] > 0
    item_enabled = config.enabled("item")
    batch = min(config.sampled_batch_users, len(data.train_users))
    in_train = torch.zeros(n_items, dtype=torch.bool)
    in_train[data.train_items] = True
    local = torch.full((n_items,), -1, dtype=torch.int64)  # catalogue row → position among this update's rows
    order, cursor = torch.empty(0, dtype=torch.int64), 0
    if progress is not None:
        progress(f"Training the fusion model: update 0 of {config.sampled_updates} on sampled candidates", 0.0)
    for step in range(config.sampled_updates):
        if cursor + batch > len(order):
            order, cursor = data.train_users[torch.randperm(len(data.train_users), generator=gen)], 0
        users = order[cursor : cursor + batch]
        cursor += batch
        n = len(users)
        variant = torch.randint(n_variants, (n,), generator=gen)
        hist_idx = data.user_history[users, variant]
        pos_user, pos_item = data.positives.pairs(users)
        keep = in_train[pos_item]
        pos_user, pos_item = pos_user[keep], pos_item[keep]
        negatives = data.train_items[torch.randint(len(data.train_items), (config.negatives,), generator=gen)]
        candidates = torch.unique(torch.cat([pos_item, negatives]))
        rows = torch.unique(torch.cat([candidates, anchors, hist_idx[hist_idx >= 0]]))
        local[rows] = torch.arange(len(rows))
        item_keeps_id = data.item_warm[rows] & (torch.rand(len(rows), generator=gen) >= config.item_id_drop)
        item_avail = _mask("item", len(rows), has_text=True, has_attr=has_attr, has_id=item_keeps_id)
        items = model.items(data.item_input[rows], data.item_attr[rows], rows, item_avail & item_enabled)
        item_vec = items.vector
        hist_vec, has_hist = history_vectors(torch.where(hist_idx >= 0, local[hist_idx.clamp(min=0)], -1), item_vec)
        user = _user_batch(
            model, data, config, gen, users, variant, hist_vec, has_hist, (data.item_text[anchors], item_vec[local[anchors]])
        )
        at = local[candidates]
        logits = model.score(user, Parts(items.h[at], items.beta[at], items.alpha[at]))
        column = torch.full((n_items,), -1, dtype=torch.int64)
        column[candidates] = torch.arange(len(candidates))
        seen = torch.zeros(n, len(candidates))
        shown = hist_idx >= 0
        seen_user = torch.arange(n)[:, None].expand_as(hist_idx)[shown]
        seen_column = column[hist_idx[shown]]
        seen[seen_user[seen_column >= 0], seen_column[seen_column >= 0]] = 1.0
        positives = torch.zeros(n, len(candidates))
        positives[pos_user, column[pos_item]] = 1.0
        asked = data.focus[users, variant]
        genres = data.item_genres[candidates]
        wanted = torch.where(asked.sum(1, keepdim=True) > 0, (asked @ genres.T > 0).float(), torch.ones(n, len(candidates)))
        target = positives * wanted * (1 - seen)
        listwise, pointwise = _losses(logits, target, seen)
        l2 = model.users.id.weight[users].pow(2).sum(1).mean() + model.items.id.weight[rows].pow(2).sum(1).mean()
        loss = listwise.mean() + config.bce_weight * pointwise + config.id_l2 * l2
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        local[rows] = -1
        log["loss"].append(float(loss.detach()))
        if progress is not None and (step % 10 == 0 or step == config.sampled_updates - 1):
            progress(
                f"Training the fusion model: update {step + 1} of {config.sampled_updates} on sampled candidates (loss {log['loss'][-1]:.3f})",
                (step + 1) / config.sampled_updates,
            )
