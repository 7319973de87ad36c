r"""Explicit preferences read from a profile: the ``avoid`` and ``era`` terms of the score.

Sentence embeddings ignore negation ("anything except horror" embeds next to "horror") and
know nothing of release years, so what the :mod:`recsys.reading` reader finds enters the
model as coordinates of its own rather than through the text embedding. Each item gets
fixed *explicit coordinates* from its attributes — one indicator per genre and one per
release year — and a user the matching weights:

.. math::

    w^\text{avoid}_g = -\gamma_\text{avoid} \; [g \text{ ruled out}], \qquad
    w^\text{era}_y = -\big[\gamma_\text{edge}\,[\,y \notin \text{window}\,] + \gamma_\text{era}\,\min\big(\operatorname{dist}(y, \text{window}) / 10, \; D\big)\big].

They are appended to the fused vectors, :math:`e_u = [\,\textstyle\sum_m \alpha_m h_m + \delta_e;\; w\,]`
and :math:`e_i = [\,\sum_m \alpha_m h_m;\; x_i\,]`, so the score is still exactly
:math:`\mu + b_u + b_i + \langle e_u, e_i\rangle` and its dot product splits into the
named terms ``dot_avoid`` (a ruled-out genre costs :math:`\gamma_\text{avoid}` per genre the
item has) and ``dot_era`` (leaving the named window costs :math:`\gamma_\text{edge}`, and
each year further out a tenth of :math:`\gamma_\text{era}`, up to :math:`D` decades' worth). The strengths are fixed, stated
constants rather than learned weights: a person who writes "no horror" means it. A window set
only by a taste word ("recent releases", "classics") is a leaning, not a period the person
insists on: its era term is scaled down (``leaning``); a hedge in its clause ("mostly", "I prefer",
"if possible") scales it down again (``hedged``).
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
    """Strengths of the explicit terms (logits): per ruled-out genre; for leaving the era at all, per decade
    outside it, and the cap in decades."""

    avoid: float = 10.0
    #: 3.0 and 0.2 since the items are also read by a second text model (2026-12-06), whose sharper text term kept
    #: 1950s westerns above the 1960s films a "westerns from the sixties" profile asks for (docs/benchmark.md).
    era_edge: float = 3.0
    era: float = 5.0
    era_cap: int = 3
    leaning: float = 0.2  # scales the era term when only a taste word set it ("recent releases", "classics")
    #: scales it again when a hedge softens the window ("mostly 80s films", "I prefer recent releases"); 0.25 chosen on
    #: the validation splits (docs/tuning.md: a taste word with a hedge weighs 0.05, which lifted N = 1–5 there).
    hedged: float = 0.25


@dataclass(frozen=True)
class ExplicitLayout:
    """Which explicit coordinate means what: genres first (the ``avoid`` term), then release years (``era``)."""

    genres: tuple[str, ...]
    years: tuple[int, ...]

    @property
    def size(self) -> int:
        return len(self.genres) + len(self.years)

    @property
    def slices(self) -> dict[str, slice]:
        """The coordinates each explicit term owns."""
        n = len(self.genres)
        return {"avoid": slice(0, n), "era": slice(n, n + len(self.years))}

    @property
    def labels(self) -> list[str]:
        return [f"genre {g}" for g in self.genres] + [f"year {y}" for y in self.years]

    @classmethod
    def of(cls, items: pd.DataFrame) -> ExplicitLayout:
        genres = sorted({g for gs in items[C.GENRES] for g in gs if g != "unknown"})
        known = items[C.YEAR].dropna() if C.YEAR in items else pd.Series(dtype=float)
        years = tuple(range(int(known.min()), int(known.max()) + 1)) if len(known) else ()
        return cls(tuple(genres), years)

    def item_coordinates(self, items: pd.DataFrame) -> np.ndarray:
        """(n_items, size): genre indicators and the one-hot release year of each item (zeros when unknown)."""
        out = np.zeros((len(items), self.size), dtype=np.float32)
        index = {g: k for k, g in enumerate(self.genres)}
        years = items[C.YEAR].to_numpy() if C.YEAR in items else np.full(len(items), np.nan)
        for row, (genres, year) in enumerate(zip(items[C.GENRES], years)):
            for g in genres:
                if g in index:
                    out[row, index[g]] = 1.0
            if year == year and self.years and self.years[0] <= int(year) <= self.years[-1]:
                out[row, len(self.genres) + int(year) - self.years[0]] = 1.0
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
            years = np.array(self.years, dtype=float)
            distance = np.maximum(0.0, np.maximum(reading.era.start - years, years - reading.era.end))
            outside = (distance > 0) * config.era_edge + config.era * np.minimum(distance / 10.0, config.era_cap)
            strength = (1.0 if reading.era.firm else config.leaning) * (config.hedged if reading.era.hedged else 1.0)
            out[len(self.genres) :] = -outside * strength
        return out
