"""Immutable values the facade hands out: users, items and the anatomy of one score.

A synthetic user lives in the caller's hands (a notebook variable, one browser session's
state); every operation on it returns a new value, and the arrays are read-only, so a
cached engine can never be changed through them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from recsys.modalities import ITEM_NAMES, USER_NAMES
from recsys.online import UpdateTrace

if TYPE_CHECKING:
    from recsys.reading import Reading


def frozen(array: Any) -> np.ndarray:
    """A read-only float32 copy."""
    out = np.array(array, dtype=np.float32)
    out.setflags(write=False)
    return out


@dataclass(frozen=True)
class Feedback:
    """One signal from the user: a like / dislike, or a 1–5 star rating.

    ``target`` is what the online update fits, :math:`y \\in [0, 1]`: like 1, dislike 0,
    stars :math:`(s - 1) / 4`.
    """

    item_id: Any
    kind: str  # "like", "dislike" or "stars"
    stars: int | None = None

    @property
    def target(self) -> float:
        if self.kind == "stars":
            return (float(self.stars) - 1.0) / 4.0
        return 1.0 if self.kind == "like" else 0.0

    @property
    def label(self) -> str:
        return f"{self.stars}★" if self.kind == "stars" else ("👍 like" if self.kind == "like" else "👎 dislike")


@dataclass(frozen=True)
class UserState:
    """A user as the model sees it: per-modality parts, fusion weights and online offsets.

    ``vector`` = Σ_m alpha_m h_m + delta_e and ``bias`` = Σ_m alpha_m beta_m + delta_b.
    """

    text: str
    demographics: Mapping[str, Any]
    liked: tuple
    h: np.ndarray
    beta: np.ndarray
    alpha: np.ndarray
    text_vector: np.ndarray
    delta_e: np.ndarray
    delta_b: float = 0.0
    feedback: tuple[Feedback, ...] = ()
    warnings: tuple[str, ...] = ()
    user_id: Any = None
    last_update: UpdateTrace | None = None
    modalities: tuple[str, ...] = USER_NAMES
    explicit: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    reading: Reading | None = None

    @property
    def prior_vector(self) -> np.ndarray:
        return self.alpha @ self.h

    @property
    def prior_bias(self) -> float:
        return float(self.alpha @ self.beta)

    @property
    def vector(self) -> np.ndarray:
        return self.prior_vector + self.delta_e

    @property
    def bias(self) -> float:
        return self.prior_bias + self.delta_b

    @property
    def full_vector(self) -> np.ndarray:
        """e_u as scored: the fused vector (with feedback) followed by the explicit coordinates."""
        return np.concatenate([self.vector, self.explicit]).astype(np.float32)

    @property
    def weights(self) -> dict[str, float]:
        """Fusion weights alpha by modality name."""
        return dict(zip(self.modalities, map(float, self.alpha)))

    @property
    def seen(self) -> set:
        return set(self.liked) | {f.item_id for f in self.feedback}

    def without_feedback(self) -> UserState:
        """The same user before any like, dislike or rating: the prior the towers made."""
        return replace(self, delta_e=frozen(np.zeros_like(self.delta_e)), delta_b=0.0, feedback=(), last_update=None)


@dataclass(frozen=True)
class ItemState:
    """An item (catalogue or newly described) as per-modality parts and fusion weights."""

    text: str
    attributes: Mapping[str, Any]
    h: np.ndarray
    beta: np.ndarray
    alpha: np.ndarray
    text_vector: np.ndarray
    item_id: Any = None
    warnings: tuple[str, ...] = ()
    modalities: tuple[str, ...] = ITEM_NAMES
    explicit: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))

    @property
    def full_vector(self) -> np.ndarray:
        """e_i as scored: the fused vector followed by the explicit coordinates (genres, decade)."""
        return np.concatenate([self.vector, self.explicit]).astype(np.float32)

    @property
    def vector(self) -> np.ndarray:
        return self.alpha @ self.h

    @property
    def bias(self) -> float:
        return float(self.alpha @ self.beta)

    @property
    def weights(self) -> dict[str, float]:
        return dict(zip(self.modalities, map(float, self.alpha)))


@dataclass(frozen=True)
class Explanation:
    """The anatomy of one score r̂(u, i) = μ + b_u + b_i + ⟨e_u, e_i⟩, every part from the ranking code path.

    Attributes:
        mu, b_u, b_i, dot, score: the terms and their sum (with ``pop``, the popularity-axis term a
            ranking may add, 0 unless asked for); ``p_like``: σ(score), through the explorer's calibration when one is set.
        dot_by_user_term: ⟨e_u, e_i⟩ split by user modality (plus ``feedback``); sums to ``dot``.
        dot_by_item_modality: ⟨e_u, α_m h_m⟩ for each item modality; sums to ``dot``.
        b_u_by_term / b_i_by_modality: α_m β_m per modality (plus the feedback offset δ_b); sum to b_u / b_i.
        cross: user term × item modality matrix of α_a α_b ⟨h_a, h_b⟩; sums to ``dot``.
        per_dimension: e_u ⊙ e_i (sums to ``dot``).
    """

    mu: float
    b_u: float
    b_i: float
    dot: float
    score: float
    p_like: float
    dot_by_user_term: dict[str, float]
    dot_by_item_modality: dict[str, float]
    b_u_by_term: dict[str, float]
    b_i_by_modality: dict[str, float]
    cross: pd.DataFrame
    per_dimension: np.ndarray
    e_u: np.ndarray
    e_i: np.ndarray
    user_weights: dict[str, float]
    item_weights: dict[str, float]
    pop: float = 0.0
