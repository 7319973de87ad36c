"""Popularity pull: how popular one person's list is, and how much of its scores is the item bias b_i.

μ and b_u are the same for every item, so a list is ordered by b_i + ⟨e_u, e_i⟩ alone. The
item bias b_i is learned from how often an item is liked, so it pulls every list towards the
most popular films whatever was typed. This module measures that pull for one list: where its
items sit in the catalogue's popularity distribution, next to the plain popularity list, and
the share of the item-dependent part of each score that b_i makes up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from recsys import columns as C
from recsys.data import Dataset
from recsys.ranking import top_k


class Catalogue(Protocol):
    """What the pull reads of the engine (:class:`recsys.explorer.Explorer` is one, and calls :func:`popularity_pull`)."""

    dataset: Dataset  # the catalogue's ids
    popularity: np.ndarray  # each item's number of training interactions

    @property
    def items(self) -> pd.DataFrame:
        """The catalogue's items, one row each (id and title)."""
        ...


@dataclass(frozen=True)
class PopularityPull:
    """One list's popularity next to the catalogue's and the plain popularity list's.

    Attributes:
        items: one row per recommended item: ``item_id, title, popularity`` (training
            ratings), ``percentile`` (share of the catalogue with fewer ratings, 0–100),
            ``b_i``, ``dot`` and ``bias_share`` = |b_i| / (|b_i| + |⟨e_u, e_i⟩|).
        popular: the same columns (without the score terms) for the plain popularity list of the same length.
        catalogue_median: the median item's number of ratings.
        list_percentile / popular_percentile: mean percentile of each list.
        bias_share: mean ``bias_share`` over the list.
    """

    items: pd.DataFrame
    popular: pd.DataFrame
    catalogue_median: float
    list_percentile: float
    popular_percentile: float
    bias_share: float


def popularity_axis(item_vectors: np.ndarray, popularity: np.ndarray, ridge: float = 1.0) -> tuple[np.ndarray, float]:
    """The direction of the item space that best predicts log popularity, and how well it does.

    A ridge regression of log(1 + interactions) on the items' fused vectors, over the items that
    have interactions; the unit vector points towards more popular items. Returns it and the
    correlation of the items' coordinate along it with their log popularity. This is where the
    pull lives that b_i × 0 leaves in place: ⟨e_u, e_i⟩ carries it along this axis.
    """
    vectors = np.asarray(item_vectors, dtype=np.float64)
    logged = np.log1p(np.asarray(popularity, dtype=np.float64))
    rows = np.flatnonzero(popularity > 0)
    if len(rows) < 3 or np.ptp(logged[rows]) == 0:
        return np.zeros(vectors.shape[1]), 0.0
    x = vectors[rows] - vectors[rows].mean(0)
    y = logged[rows] - logged[rows].mean()
    w = np.linalg.solve(x.T @ x + ridge * np.eye(x.shape[1]), x.T @ y)
    norm = np.linalg.norm(w)
    if norm == 0:
        return np.zeros(vectors.shape[1]), 0.0
    axis = w / norm
    return axis, float(np.corrcoef(vectors[rows] @ axis, logged[rows])[0, 1])


def axis_term(user_vector: np.ndarray, item_vectors: np.ndarray, axis: np.ndarray, strength: float) -> np.ndarray:
    """The popularity-axis term: −strength · ⟨e_u, a⟩ ⟨e_i, a⟩ for each item.

    ⟨e_u, e_i⟩ = ⟨e_u, e_i⟩ with the axis component removed + ⟨e_u, a⟩⟨e_i, a⟩, so strength 1
    removes the part of the dot product that runs along the popularity axis, 0 keeps the model as
    trained. Added as its own term, the terms still add up to the score exactly.

    Example:
        >>> axis_term(np.array([2.0, 1.0]), np.array([[3.0, 0.0], [0.0, 5.0]]), np.array([1.0, 0.0]), 0.5)
        array([-3., -0.])
    """
    d = len(axis)
    return (-float(strength) * float(np.asarray(user_vector)[:d] @ axis)) * (np.asarray(item_vectors)[:, :d] @ axis)


def percentiles(popularity: np.ndarray) -> np.ndarray:
    """Each item's popularity percentile: the share (0–100) of catalogue items with strictly fewer ratings."""
    ordered = np.sort(popularity)
    return 100.0 * np.searchsorted(ordered, popularity, side="left") / max(1, len(popularity))


def popularity_pull(catalogue: Catalogue, recs: pd.DataFrame) -> PopularityPull:
    """The pull of a list from :meth:`recsys.explorer.Explorer.recommend` (its ``b_i`` and ``dot`` columns)."""
    popularity = np.asarray(catalogue.popularity, dtype=np.float64)
    ranks = percentiles(popularity)
    rows = catalogue.dataset.item_ids.indices(recs[C.ITEM].tolist())
    denominator = (recs[C.B_ITEM].abs() + recs[C.DOT].abs()).replace(0.0, np.nan)
    items = pd.DataFrame(
        {
            C.ITEM: recs[C.ITEM].to_numpy(), C.TITLE: recs[C.TITLE].to_numpy(), "popularity": popularity[rows],
            "percentile": ranks[rows], C.B_ITEM: recs[C.B_ITEM].to_numpy(), C.DOT: recs[C.DOT].to_numpy(),
            "bias_share": (recs[C.B_ITEM].abs() / denominator).fillna(0.0).to_numpy(),
        }
    )  # fmt: skip
    top = top_k(popularity, len(recs))
    ids, titles = catalogue.items[C.ITEM].to_numpy(), catalogue.items[C.TITLE].to_numpy()
    popular = pd.DataFrame({C.ITEM: ids[top], C.TITLE: titles[top], "popularity": popularity[top], "percentile": ranks[top]})
    return PopularityPull(
        items=items,
        popular=popular,
        catalogue_median=float(np.median(popularity)),
        list_percentile=float(items["percentile"].mean()) if len(items) else float("nan"),
        popular_percentile=float(popular["percentile"].mean()) if len(popular) else float("nan"),
        bias_share=float(items["bias_share"].mean()) if len(items) else float("nan"),
    )
