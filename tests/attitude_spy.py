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


#: The genres of the rules-only reading tests (rounds 5 and 6): both catalogues' labels those sentences use.
RULES_GENRES = ["Western", "Comedy", "Crime", "Horror", "Musical", "Documentary", "Thriller", "Romance", "Poetry", "Sci-Fi", "War"]


def read_by_rules(text: str, genres: list[str] = RULES_GENRES):
    """``text`` read by the rules alone: the attitude model is a spy that never rules anything out."""
    from recsys.reading import ProfileReader

    return ProfileReader(one_item_per_genre(genres), attitude=Spy(0.0)).read(text)


def genres_read(text: str, genres: list[str] = RULES_GENRES) -> tuple[set, set]:
    """The genres the rules read in ``text`` as wanted and as ruled out."""
    reading = read_by_rules(text, genres)
    return set(reading.wants), set(reading.rules_out)


def assert_reads(text: str, wants: tuple, rules_out: tuple) -> None:
    """The rules read exactly ``wants`` and ``rules_out`` in ``text``."""
    reading = read_by_rules(text)
    assert (set(reading.wants), set(reading.rules_out)) == (set(wants), set(rules_out)), text
