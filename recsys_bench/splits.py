"""The benchmark's fixed splits and the ranking requests every method answers.

Implicit positives follow the dataset's rule (:meth:`recsys.data.Dataset.positives`: 4–5 stars).
- item cold-start: 20% of items held out entirely (no interaction in training); each user
  with positives among them ranks only the held-out items.
- user cold-start: 20% of users held out entirely; each reveals their first N positives by
  timestamp as onboarding (N = 0, 1, 2, 5, 10, 20: the warm-up curve; N = 0 uses
  demographics only, never text written from the test items) and ranks every item but
  those; the later positives are the truth.
- warm items: a random 20% of the ratings held out.

A split is written once to a parquet file; every method, including the peer libraries in
their own virtual environments, reads the same files, so all numbers are on identical data.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from recsys import columns as C
from recsys.data import Dataset
from recsys.profiles import genre_base_rates, onboarding_profile

USER_COLD_N = (0, 1, 2, 5, 10, 20)
HELD_OUT = 0.2


@dataclass(frozen=True)
class Split:
    """Training interactions plus what is held out (users or items) for one seed."""

    kind: str  # "user_cold", "item_cold" or "warm"
    seed: int
    train: pd.DataFrame
    test: pd.DataFrame
    held_out_users: tuple = ()
    held_out_items: tuple = ()

    def save(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.kind}_seed{self.seed}.parquet"
        both = pd.concat([self.train.assign(part="train"), self.test.assign(part="test")], ignore_index=True)
        both.to_parquet(path, index=False)
        return path


def _shuffled(values: np.ndarray, seed: int, salt: int) -> np.ndarray:
    return np.random.default_rng([seed, salt]).permutation(values)


def user_cold_split(dataset: Dataset, seed: int, validation: bool = False) -> Split:
    """20% of users held out entirely. ``validation`` carves the held-out users from the
    training users instead (for tuning), so the test users are never looked at."""
    users = np.array(sorted(dataset.ratings[C.USER].unique()))
    order = _shuffled(users, seed, 1)
    cut = int(round(HELD_OUT * len(users)))
    test, train = order[:cut], order[cut:]
    if validation:
        inner = _shuffled(train, seed, 2)
        cut = int(round(HELD_OUT * len(inner)))
        test, train = inner[:cut], inner[cut:]
    ratings = dataset.ratings
    return Split(
        "user_cold", seed, ratings[ratings[C.USER].isin(train)], ratings[ratings[C.USER].isin(test)],
        held_out_users=tuple(sorted(test.tolist())),
    )  # fmt: skip


def item_cold_split(dataset: Dataset, seed: int, validation: bool = False) -> Split:
    """20% of items held out entirely (no interactions in training)."""
    items = np.array(sorted(dataset.items[C.ITEM]))
    order = _shuffled(items, seed, 3)
    cut = int(round(HELD_OUT * len(items)))
    test, train = order[:cut], order[cut:]
    ratings = dataset.ratings
    if validation:
        ratings = ratings[ratings[C.ITEM].isin(train)]
        inner = _shuffled(train, seed, 4)
        cut = int(round(HELD_OUT * len(inner)))
        test, train = inner[:cut], inner[cut:]
    return Split(
        "item_cold", seed, ratings[ratings[C.ITEM].isin(train)], ratings[ratings[C.ITEM].isin(test)],
        held_out_items=tuple(sorted(test.tolist())),
    )  # fmt: skip


def warm_split(dataset: Dataset, seed: int, validation: bool = False) -> Split:
    """20% of each user's interactions held out at random; every item stays warm."""
    ratings = dataset.ratings
    rng = np.random.default_rng([seed, 5])
    test_mask = rng.random(len(ratings)) < HELD_OUT
    if validation:
        ratings = ratings[~test_mask]
        test_mask = np.random.default_rng([seed, 6]).random(len(ratings)) < HELD_OUT
    return Split("warm", seed, ratings[~test_mask], ratings[test_mask])


@dataclass(frozen=True)
class Request:
    """One ranking question: rank ``candidates`` (``None`` = whole catalogue) minus
    ``exclude`` for ``user_id``, who revealed ``onboarding``; ``truth`` are the later positives."""

    key: str
    group: str
    user_id: int
    onboarding: tuple
    exclude: tuple
    truth: tuple
    profile: str
    demographics: dict
    warm: bool
    candidates: tuple | None = None

    def to_json(self) -> dict:
        return asdict(self)


def _positives(dataset: Dataset, frame: pd.DataFrame) -> pd.DataFrame:
    return dataset.positives(frame).sort_values([C.USER, C.TIMESTAMP, C.ITEM], kind="stable")


def _demographics(dataset: Dataset, user_id: int) -> dict:
    row = dataset.users.iloc[dataset.user_ids.index(user_id)]
    return {a: (row[a].item() if hasattr(row[a], "item") else row[a]) for a in dataset.user_attributes}


def user_cold_requests(dataset: Dataset, split: Split, ns: tuple[int, ...] = USER_COLD_N) -> list[Request]:
    """Each held-out user reveals the first N positives (by timestamp); the rest is the truth.

    The profile text is written from demographics and those N items only, never from the
    test items.
    """
    rates = genre_base_rates(dataset, split.train)
    out = []
    for user_id, group in _positives(dataset, split.test).groupby(C.USER):
        items = group[C.ITEM].tolist()
        row = dataset.user_ids.index(user_id)
        for n in ns:
            if len(items) <= n:
                continue
            shown = items[:n]
            rng = np.random.default_rng([split.seed, row, n, 11])
            text = onboarding_profile(dataset, row, dataset.item_ids.indices(shown).tolist(), rng, rates)
            out.append(
                Request(
                    f"u{user_id}-n{n}",
                    str(n),
                    int(user_id),
                    tuple(shown),
                    tuple(shown),
                    tuple(items[n:]),
                    text,
                    _demographics(dataset, user_id),
                    False,
                )
            )
    return out


def item_cold_requests(dataset: Dataset, split: Split) -> list[Request]:
    """Warm users rank only the held-out items; the truth is their positives among them."""
    candidates = split.held_out_items
    out = []
    for user_id, group in _positives(dataset, split.test).groupby(C.USER):
        if user_id not in set(split.train[C.USER]):
            continue
        out.append(
            Request(
                f"u{user_id}",
                "item_cold",
                int(user_id),
                (),
                (),
                tuple(group[C.ITEM]),
                "",
                _demographics(dataset, user_id),
                True,
                candidates,
            )
        )
    return out


def warm_requests(dataset: Dataset, split: Split) -> list[Request]:
    """Warm users rank all items they have not rated in training; truth = held-out positives."""
    seen = split.train.groupby(C.USER)[C.ITEM].apply(tuple).to_dict()
    out = []
    for user_id, group in _positives(dataset, split.test).groupby(C.USER):
        if user_id not in seen:
            continue
        out.append(
            Request(f"u{user_id}", "warm", int(user_id), (), seen[user_id], tuple(group[C.ITEM]), "", _demographics(dataset, user_id), True)
        )
    return out
