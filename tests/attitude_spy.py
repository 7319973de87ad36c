"""A stand-in attitude model for the reader's tests: it answers one probability and remembers what it was asked."""

from __future__ import annotations


class Spy:
    """An attitude model that answers ``p`` for every clause and remembers what it was asked."""

    def __init__(self, p: float) -> None:
        self.p, self.asked = p, []

    def __call__(self, texts):
        self.asked.extend(texts)
        return [self.p] * len(texts)
