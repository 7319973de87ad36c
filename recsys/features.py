"""Side-information features: turns attribute columns into fixed-width indicator vectors.

Categorical and list-valued columns become one-hot / multi-hot blocks, numeric columns
become bucket indicators (age groups, decades). The vocabulary is learned once from the
catalog and frozen, so a new user's demographics or a new item's attributes map into
exactly the columns the model was trained on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from recsys import columns as C
from recsys.data.dataset import is_missing

#: Age groups of the MovieLens-1M documentation, used for every numeric ``age`` column.
AGE_EDGES = (18, 25, 35, 45, 50, 56)
YEAR_EDGES = (1940, 1950, 1960, 1970, 1980, 1990, 1993, 1995, 1996, 1997, 1998)
#: Plausible values of numeric attributes that people type; other numeric columns take any finite number.
NUMBER_RANGES = {C.AGE: (0.0, 150.0), C.YEAR: (1800.0, 2100.0)}
#: The most values one categorical column keeps as indicators (the most frequent; others are unknown).
MAX_LABELS = 256


def bucket(edges: Sequence[float], value: Any) -> int:
    """Index of the bucket of ``value`` between ``edges`` (below the first edge is bucket 0)."""
    return int(np.searchsorted(edges, float(value), side="right"))


def age_group(age: Any) -> int:
    """The age-group index of an age (the MovieLens-1M groups, :data:`AGE_EDGES`)."""
    return bucket(AGE_EDGES, age)


def demographic_bucket(demographics: Mapping[str, Any]) -> tuple:
    """(age group, gender): the segment of the demographic popularity baseline (age group -1 when unknown).

    Example:
        >>> demographic_bucket({"age": 30, "gender": "F"})
        (2, 'F')
    """
    age = demographics.get(C.AGE)
    gender = demographics.get(C.GENDER)
    return (-1 if is_missing(age) else age_group(age)), (None if is_missing(gender) else gender)


def _bucket_labels(edges: Sequence[int], unit: str) -> list[str]:
    labels = [f"{unit}<{edges[0]}"]
    labels += [f"{unit}{lo}-{hi - 1}" for lo, hi in zip(edges[:-1], edges[1:])]
    labels.append(f"{unit}{edges[-1]}+")
    return labels


@dataclass(frozen=True)
class Block:
    """One attribute column's slice of the feature vector."""

    column: str
    kind: str  # "multi" (list of labels), "one" (single label) or "bucket" (numeric)
    labels: tuple[str, ...]
    edges: tuple[float, ...] = ()

    def encode(self, value: Any) -> np.ndarray:
        out = np.zeros(len(self.labels), dtype=np.float32)
        if value is None or (np.isscalar(value) and pd.isna(value)):
            return out
        if self.kind == "bucket":
            out[self.bucket_of(value)] = 1.0
            return out
        values = value if self.kind == "multi" else [value]
        for v in values:
            if str(v) in self.labels:
                out[self.labels.index(str(v))] = 1.0
        if self.kind == "multi" and out.sum() > 0:
            out /= np.sqrt(out.sum())
        return out

    def bucket_of(self, value: Any) -> int:
        """Index of the bucket a number falls in (the one place numbers are bucketed)."""
        return bucket(self.edges, value)

    def label_of(self, value: Any) -> str:
        """The bucket label of a number, e.g. age 30 → ``"age 25-34"``."""
        return self.labels[self.bucket_of(value)]

    def validate(self, value: Any) -> None:
        """Raise ``ValueError`` with the allowed values when ``value`` is not one of them."""
        if self.kind == "bucket":
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise ValueError(f"{self.column} must be a number, got {value!r}") from None
            low, high = NUMBER_RANGES.get(self.column, (-np.inf, np.inf))
            if not np.isfinite(number) or number < low or number > high:
                shown = f"between {low:g} and {high:g}" if np.isfinite(low) else "a finite number"
                raise ValueError(f"{self.column} must be {shown}, got {value!r}")
            return
        values = value if self.kind == "multi" and isinstance(value, (list, tuple)) else [value]
        for v in values:
            if str(v) not in self.labels:
                allowed = ", ".join(self.labels[:30])
                raise ValueError(f"unknown {self.column} {v!r}; allowed: {allowed}")


@dataclass(frozen=True)
class FeatureSpace:
    """Frozen vocabulary of attribute blocks for one side (users or items)."""

    blocks: tuple[Block, ...]

    @classmethod
    def fit(cls, frame: pd.DataFrame, attributes: Sequence[str]) -> FeatureSpace:
        blocks = []
        for column in attributes:
            if column not in frame:
                continue
            series = frame[column]
            if series.map(lambda v: isinstance(v, (list, tuple, np.ndarray))).all():
                labels = sorted({str(v) for values in series for v in values})
                blocks.append(Block(column, "multi", tuple(labels)))
            elif pd.api.types.is_numeric_dtype(series) and series.isna().all() and column not in (C.AGE, C.YEAR):
                continue  # a number column with no value at all has no quantiles to bucket by
            elif pd.api.types.is_numeric_dtype(series):
                edges = (
                    AGE_EDGES
                    if column == C.AGE
                    else YEAR_EDGES
                    if column == C.YEAR
                    else tuple(np.unique(np.nanquantile(series.astype(float), [0.2, 0.4, 0.6, 0.8])))
                )
                unit = "age " if column == C.AGE else "" if column == C.YEAR else f"{column} "
                blocks.append(Block(column, "bucket", tuple(_bucket_labels(edges, unit)), tuple(edges)))
            else:
                counts = series.dropna().astype(str).value_counts()
                # A column of thousands of values (authors, towns) keeps its most frequent ones; the rest read as unknown.
                kept = counts.sort_index().sort_values(ascending=False, kind="stable").index[:MAX_LABELS]
                blocks.append(Block(column, "one", tuple(sorted(kept))))
        return cls(tuple(blocks))

    @property
    def dim(self) -> int:
        return sum(len(b.labels) for b in self.blocks)

    @property
    def labels(self) -> list[str]:
        return [f"{b.column}={label}" for b in self.blocks for label in b.labels]

    @property
    def columns(self) -> list[str]:
        return [b.column for b in self.blocks]

    def block(self, column: str) -> Block:
        for b in self.blocks:
            if b.column == column:
                return b
        raise KeyError(column)

    def encode(self, record: Mapping[str, Any]) -> np.ndarray:
        """Feature vector of one entity; missing keys give an all-zero block."""
        if self.dim == 0:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate([b.encode(record.get(b.column)) for b in self.blocks])

    def encode_frame(self, frame: pd.DataFrame) -> np.ndarray:
        records = frame[[b.column for b in self.blocks]].to_dict("records")
        return np.stack([self.encode(r) for r in records]) if records else np.zeros((0, self.dim), np.float32)

    def validate(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """Check a user-supplied record; returns it without empty values.

        Raises:
            ValueError: an unknown key or a value outside the vocabulary.
        """
        known = set(self.columns)
        clean = {}
        for key, value in record.items():
            if is_missing(value):
                continue
            if key not in known:
                raise ValueError(f"unknown attribute {key!r}; known: {', '.join(sorted(known)) or 'none'}")
            self.block(key).validate(value)
            clean[key] = value
        return clean
