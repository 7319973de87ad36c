"""A frozen map between external ids (as in the data files) and dense internal indices."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class IdMap:
    """Bijection between external ids and the positions ``0 … n-1`` used by the model.

    Example:
        >>> ids = IdMap.from_ids([10, 30, 20])
        >>> ids.index(30), ids.external(2), len(ids)
        (1, 20, 3)
    """

    ids: tuple
    _lookup: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_ids(cls, ids: Iterable) -> IdMap:
        ordered = tuple(ids)
        lookup = {value: pos for pos, value in enumerate(ordered)}
        if len(lookup) != len(ordered):
            raise ValueError("ids must be unique")
        return cls(ordered, lookup)

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, value: object) -> bool:
        try:
            return value in self._lookup
        except TypeError:  # an unhashable value (a list from a damaged link) is simply not an id
            return False

    def index(self, value: object) -> int:
        """Internal position of one external id; ``KeyError`` names an unknown id."""
        try:
            return self._lookup[value]
        except KeyError:
            raise KeyError(f"unknown id {value!r}") from None

    def indices(self, values: Iterable) -> np.ndarray:
        return np.fromiter((self.index(v) for v in values), dtype=np.int64)

    def external(self, position: int) -> object:
        return self.ids[position]
