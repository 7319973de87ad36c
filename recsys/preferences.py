r"""Explicit preferences read from a profile: the ``avoid`` and ``era`` terms of the score.

Sentence embeddings ignore negation ("anything except horror" embeds next to "horror") and
know nothing of release years, so what the :mod:`recsys.reading` reader finds enters the
model as coordinates of its own rather than through the text embedding. Each item gets
fixed *explicit coordinates* from its attributes — one indicator per genre and one per
decade — and a user the matching weights:

.. math::

    w^\text{avoid}_g = -\gamma_\text{avoid} \; [g \text{ ruled out}], \qquad
    w^\text{era}_c = -\gamma_\text{era}\,\min\big(\lceil \operatorname{dist}(\text{middle of decade } c, \text{window}) / 10 \rceil, \; D\big).

They are appended to the fused vectors, :math:`e_u = [\,\textstyle\sum_m \alpha_m h_m + \delta_e;\; w\,]`
and :math:`e_i = [\,\sum_m \alpha_m h_m;\; x_i\,]`, so the score is still exactly
:math:`\mu + b_u + b_i + \langle e_u, e_i\rangle` and its dot product splits into the
named terms ``dot_avoid`` (a ruled-out genre costs :math:`\gamma_\text{avoid}` per genre the
item has) and ``dot_era`` (each decade outside the named window costs
:math:`\gamma_\text{era}`, up to :math:`D` decades). The strengths are fixed, stated
constants rather than learned weights: a person who writes "no horror" means it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from recsys import columns as C

if TYPE_CHECKING:
    from recsys.reading import Reading


@dataclass(frozen=True)
class PreferenceConfig:
    """Strengths of the explicit terms (logits): per ruled-out genre, per decade outside the era, the decade cap."""

    avoid: float = 10.0
    era: float = 5.0
    era_cap: int = 3


@dataclass(frozen=True)
class ExplicitLayout:
    """Which explicit coordinate means what: genres first (the ``avoid`` term), then decades (``era``)."""

    genres: tuple[str, ...]
    decades: tuple[int, ...]

    @property
    def size(self) -> int:
        return len(self.genres) + len(self.decades)

    @property
    def slices(self) -> dict[str, slice]:
        """The coordinates each explicit term owns."""
        n = len(self.genres)
        return {"avoid": slice(0, n), "era": slice(n, n + len(self.decades))}

    @property
    def labels(self) -> list[str]:
        return [f"genre {g}" for g in self.genres] + [f"{d}s" for d in self.decades]

    @classmethod
    def of(cls, items: pd.DataFrame) -> ExplicitLayout:
        genres = sorted({g for gs in items[C.GENRES] for g in gs if g != "unknown"})
        years = items[C.YEAR].dropna() if C.YEAR in items else pd.Series(dtype=float)
        decades = tuple(range(int(years.min()) // 10 * 10, int(years.max()) // 10 * 10 + 10, 10)) if len(years) else ()
        return cls(tuple(genres), decades)

    def item_coordinates(self, items: pd.DataFrame) -> np.ndarray:
        """(n_items, size): genre indicators and the one-hot decade of each item (zeros when unknown)."""
        out = np.zeros((len(items), self.size), dtype=np.float32)
        index = {g: k for k, g in enumerate(self.genres)}
        years = items[C.YEAR].to_numpy() if C.YEAR in items else np.full(len(items), np.nan)
        for row, (genres, year) in enumerate(zip(items[C.GENRES], years)):
            for g in genres:
                if g in index:
                    out[row, index[g]] = 1.0
            if year == year and self.decades:
                decade = int(year) // 10 * 10
                if decade in self.decades:
                    out[row, len(self.genres) + self.decades.index(decade)] = 1.0
        return out

    def user_coordinates(self, reading: Reading | None, config: PreferenceConfig = PreferenceConfig()) -> np.ndarray:
        """(size,): the user's avoid and era weights from a profile reading (zeros when it says nothing)."""
        out = np.zeros(self.size, dtype=np.float32)
        if reading is None:
            return out
        for genre in reading.rules_out:
            if genre in self.genres:
                out[self.genres.index(genre)] = -config.avoid
        if reading.era is not None:
            for k, decade in enumerate(self.decades):
                # Years from the decade's middle to the window, in whole decades: a decade that only
                # touches the window (the 1960s for "up to 1960") counts as one decade away.
                middle = decade + 5
                distance = max(0, reading.era.start - middle, middle - reading.era.end)
                out[len(self.genres) + k] = -config.era * min(int(np.ceil(distance / 10)), config.era_cap)
        return out
