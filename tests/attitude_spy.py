"""A stand-in attitude model for the reader's tests: it answers one probability and remembers what it was asked."""

from __future__ import annotations

import pandas as pd


class Spy:
    """An attitude model that answers ``p`` for every clause and remembers what it was asked."""

    def __init__(self, p: float) -> None:
        self.p, self.asked = p, []

    def __call__(self, texts):
        self.asked.extend(texts)
        return [self.p] * len(texts)


def one_item_per_genre(genres: list[str]) -> pd.DataFrame:
    """A catalogue of one item per genre (titles no profile names), for reading genres with no recommender."""
    n = len(genres)
    return pd.DataFrame(
        {
            "item_id": list(range(1, n + 1)),
            "title": [f"Item number {k} ({1950 + k})" for k in range(1, n + 1)],
            "year": [1950.0 + k for k in range(1, n + 1)],
            "genres": [[g] for g in genres],
        }
    )
