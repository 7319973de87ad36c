"""Who would get an item: its audience among the dataset's users, by segment, and under a new-item boost.

A new item competes with every catalogue item a user has not rated yet: it reaches a
user's top-``list_length`` only when its score beats all but ``list_length − 1`` of them.
A product manager's lever is a *boost* β added to the new item's bias, shown as a term of
its own: r̂ = μ + b_u + (b_i + β) + ⟨e_u, e_i⟩.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import pandas as pd

from recsys import columns as C
from recsys.features import FeatureSpace
from recsys.states import ItemState, frozen


class Population(Protocol):
    """What an audience reads of the engine (:class:`recsys.explorer.Explorer` is one, and calls these functions)."""

    item_vectors: np.ndarray  # the catalogue's fused item vectors, one row per item
    item_bias: np.ndarray  # and their biases b_i
    user_space: FeatureSpace  # how the users' demographic columns are encoded (age buckets and their labels)

    @property
    def users(self) -> pd.DataFrame:
        """The dataset's users, one row each, with their demographics."""
        ...

    def warm_scores(self, item_vectors: np.ndarray, item_bias: np.ndarray) -> np.ndarray:
        """(n_users, n) scores of every dataset user for the given items."""
        ...

    def seen_rows(self) -> dict[int, np.ndarray]:
        """Each dataset user's rated catalogue rows, by user row."""
        ...

    def p_like(self, score: np.ndarray | float) -> np.ndarray:
        """The like-probability of a score."""
        ...


BOOST_LEVELS = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0)

# Per engine, computed once: each user's unseen catalogue scores, sorted descending (read-only).
_COMPETITION: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def unseen_scores(population: Population) -> np.ndarray:
    """Every dataset user's catalogue scores, −inf where already rated."""
    catalogue = np.array(population.warm_scores(population.item_vectors, population.item_bias))
    for row, seen in population.seen_rows().items():
        catalogue[row, seen] = -np.inf
    return catalogue


def _competition(population: Population) -> np.ndarray:
    """Each user's unseen catalogue scores, sorted descending: the bar a new item must clear at each position."""
    if population not in _COMPETITION:
        _COMPETITION[population] = frozen(-np.sort(-unseen_scores(population), axis=1))
    return _COMPETITION[population]


def check_boost(boost: float) -> float:
    """A boost must be a finite number of logits."""
    try:
        value = float(boost)
    except (TypeError, ValueError):
        raise ValueError(f"boost must be a number of logits, got {boost!r}") from None
    if not np.isfinite(value):
        raise ValueError(f"boost must be a finite number of logits, got {boost!r}")
    return value


def positions(population: Population, item: ItemState, boost: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Every dataset user's score for ``item`` (boost included) and the position it would take in their list."""
    boost = check_boost(boost)
    score = population.warm_scores(item.vector[None, :], np.array([item.bias + boost]))[:, 0]
    ranked = _competition(population)
    # Strictly greater: a catalogue item never counts itself as ranked above itself.
    above = (ranked > score[:, None]).sum(1)
    return score, above + 1


def audience_frame(population: Population, item: ItemState, list_length: int = 20, boost: float = 0.0) -> pd.DataFrame:
    """Every dataset user with score, like-probability, position and whether the item enters their top list, best first."""
    score, position = positions(population, item, boost)
    frame = population.users.copy()
    frame.insert(1, C.SCORE, score)
    frame.insert(2, "p_like", population.p_like(score))
    frame.insert(3, "boost", check_boost(boost))
    frame.insert(4, "position", position)
    frame.insert(5, "in_top", position <= list_length)
    return frame.sort_values(C.SCORE, ascending=False, kind="stable")


def audience(population: Population, item: ItemState, k: int = 20, list_length: int = 20, boost: float = 0.0) -> pd.DataFrame:
    """The ``k`` dataset users most likely to get ``item``, best first.

    Columns: ``user_id, score, p_like, boost, position`` (where the item would enter that
    user's list among their unseen catalogue items), ``in_top`` (position ≤ ``list_length``)
    and the user's demographics.
    """
    return audience_frame(population, item, list_length, boost).head(k).reset_index(drop=True)


def segment_labels(population: Population, column: str, values: Sequence) -> list[str]:
    """Segment names of a demographic column: age buckets for ``age``, the values themselves otherwise."""
    if column in population.user_space.columns and population.user_space.block(column).kind == "bucket":
        block = population.user_space.block(column)
        return [block.label_of(v) for v in values]
    return [str(v) for v in values]


def segments(population: Population, item: ItemState, column: str, list_length: int = 20, boost: float = 0.0) -> pd.DataFrame:
    """Per segment of ``column``: users, the share (mean, not sum) that gets the item, mean p(like), median position.

    Segments come in their natural order (age buckets youngest first).
    """
    frame = audience_frame(population, item, list_length, boost)
    frame["segment"] = segment_labels(population, column, frame[column])
    grouped = frame.groupby("segment", sort=False)
    out = pd.DataFrame(
        {
            "users": grouped.size(),
            "share_in_top": grouped["in_top"].mean(),
            "mean_p_like": grouped["p_like"].mean(),
            "median_position": grouped["position"].median(),
        }
    ).reset_index()
    if column in population.user_space.columns and population.user_space.block(column).kind == "bucket":
        order = {label: n for n, label in enumerate(population.user_space.block(column).labels)}
        out = out.sort_values("segment", key=lambda s: s.map(order), kind="stable")
    else:
        out = out.sort_values("segment", kind="stable")
    return out.rename(columns={"segment": column}).reset_index(drop=True)


def reach_by_boost(population: Population, item: ItemState, list_length: int = 20, levels: Sequence[float] = BOOST_LEVELS) -> pd.DataFrame:
    """How many dataset users would get ``item`` in their top-``list_length`` at each boost level."""
    rows = []
    for level in levels:
        _, position = positions(population, item, level)
        reached = int((position <= list_length).sum())
        rows.append(
            {
                "boost": float(level),
                "users": reached,
                "share": reached / max(1, len(position)),
                "median_position": float(np.median(position)),
            }
        )
    return pd.DataFrame(rows)
