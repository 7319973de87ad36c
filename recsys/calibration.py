"""Calibration of the like-probability: is σ(r̂) a probability, and the map that makes it one.

The model is trained with a per-item logistic loss, so σ(r̂) is meant to be the probability
that the person rates the item 4–5 stars. Whether it is one is measured on held-out users
(a reliability diagram and the expected calibration error, ECE). :class:`Calibration` is
Platt scaling, :math:`p = \\sigma(a\\,\\hat r + c)`: ``a`` is an inverse temperature and ``c``
a shift, fitted on a validation split by maximum likelihood. It changes the probability
shown, never the score: the ranking and the decomposition of r̂ stay exactly as they were.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from recsys.online import sigmoid


@dataclass(frozen=True)
class Calibration:
    """:math:`p = \\sigma(a\\,\\hat r + c)`; the identity (``a = 1, c = 0``) is σ(r̂) itself.

    Example:
        >>> float(Calibration().probability(np.array([0.0]))[0])
        0.5
        >>> round(float(Calibration(a=2.0, c=-1.0).probability(np.array([0.5]))[0]), 3)
        0.5
    """

    a: float = 1.0
    c: float = 0.0
    source: str = "uncalibrated: σ(r̂) as trained"

    @property
    def identity(self) -> bool:
        return self.a == 1.0 and self.c == 0.0

    def probability(self, score: np.ndarray | float) -> np.ndarray:
        return sigmoid(self.a * np.asarray(score, dtype=np.float64) + self.c)

    @classmethod
    def fit(cls, scores: np.ndarray, labels: np.ndarray, source: str = "", steps: int = 50) -> Calibration:
        """Maximum-likelihood ``a, c`` (Newton's method on the logistic log-loss; two parameters, convex).

        Raises:
            ValueError: lengths differ, or the labels are all equal (nothing to fit).
        """
        s = np.asarray(scores, dtype=np.float64)
        y = np.asarray(labels, dtype=np.float64)
        if s.shape != y.shape or s.ndim != 1:
            raise ValueError(f"scores and labels must be 1-d and of equal length, got {s.shape} and {y.shape}")
        if y.min() == y.max():
            raise ValueError("calibration needs both positive and negative labels")
        x = np.stack([s, np.ones_like(s)], axis=1)
        theta = np.array([1.0, 0.0])
        for _ in range(steps):
            p = sigmoid(x @ theta)
            gradient = x.T @ (p - y)
            hessian = (x * (p * (1 - p))[:, None]).T @ x + 1e-9 * np.eye(2)
            step = np.linalg.solve(hessian, gradient)
            theta -= step
            if np.abs(step).max() < 1e-10:
                break
        return cls(a=float(theta[0]), c=float(theta[1]), source=source)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, record: dict | None) -> Calibration:
        """From :meth:`to_dict`'s output; ``None`` or an empty record is the identity."""
        if not record:
            return cls()
        return cls(a=float(record["a"]), c=float(record["c"]), source=str(record.get("source", "")))


@dataclass
class Reliability:
    """A reliability diagram built incrementally: per probability bin, how many pairs, mean p, observed rate.

    Equal-width bins on [0, 1]. ``ece`` is :math:`\\sum_b \\frac{n_b}{N}\\,|\\bar p_b - \\bar y_b|`.

    Example:
        >>> r = Reliability(bins=2)
        >>> r.add(np.array([0.1, 0.1, 0.9, 0.9]), np.array([0, 0, 1, 0]))
        >>> round(r.ece(), 3)  # bin 1: |0.1 − 0| · 1/2; bin 2: |0.9 − 0.5| · 1/2
        0.25
    """

    bins: int = 10
    count: np.ndarray = field(default=None)
    sum_p: np.ndarray = field(default=None)
    sum_y: np.ndarray = field(default=None)

    def __post_init__(self):
        for name in ("count", "sum_p", "sum_y"):
            if getattr(self, name) is None:
                setattr(self, name, np.zeros(self.bins))

    def add(self, p: np.ndarray, y: np.ndarray) -> None:
        which = np.clip((np.asarray(p) * self.bins).astype(int), 0, self.bins - 1)
        self.count += np.bincount(which, minlength=self.bins)
        self.sum_p += np.bincount(which, weights=p, minlength=self.bins)
        self.sum_y += np.bincount(which, weights=np.asarray(y, dtype=np.float64), minlength=self.bins)

    def merged(self, other: Reliability) -> Reliability:
        return Reliability(self.bins, self.count + other.count, self.sum_p + other.sum_p, self.sum_y + other.sum_y)

    @property
    def n(self) -> int:
        return int(self.count.sum())

    def ece(self) -> float:
        used = self.count > 0
        gap = np.abs(self.sum_p[used] / self.count[used] - self.sum_y[used] / self.count[used])
        return float((self.count[used] * gap).sum() / max(1, self.n))

    def table(self) -> list[dict]:
        """One row per non-empty bin: its bounds, pair count, mean predicted p and observed rate."""
        return [
            {
                "lo": b / self.bins,
                "hi": (b + 1) / self.bins,
                "n": int(self.count[b]),
                "mean_p": float(self.sum_p[b] / self.count[b]),
                "observed": float(self.sum_y[b] / self.count[b]),
            }  # fmt: skip
            for b in range(self.bins)
            if self.count[b] > 0
        ]
