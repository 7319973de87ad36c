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
