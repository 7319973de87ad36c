"""The dataset type every loader returns, the problems a check reports, and the item text the language model reads."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from recsys import columns as C
from recsys.identifiers import IdMap

#: Item columns that name who made an item; the text reads them as "by …" rather than "<column> …".
CREATOR_COLUMNS = ("author", "authors", "creator", "creators", "director", "directors", "artist", "artists", "brand", "writer", "writers", "composer", "maker", "manufacturer")  # fmt: skip
_YEAR_IN_TITLE = re.compile(r"\((\d{4})\)\s*$")


def is_missing(value: object) -> bool:
    """An empty optional cell: ``None``, NaN, NaT, blank text or an empty list ("unknown", never a value of its own)."""
    if value is None:
        return True
    if isinstance(value, (list, tuple)):
        return not value
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(pd.isna(value)) if np.ndim(value) == 0 else False
    except (TypeError, ValueError):
        return False


def known(record: Mapping[str, Any]) -> dict[str, Any]:
    """The entries of ``record`` whose value is given (see :func:`is_missing`)."""
    return {key: value for key, value in record.items() if not is_missing(value)}


def rating_scale(low: float, high: float, pinned: tuple[float, float] | None = None) -> tuple[float, float]:
    """The scale of ratings that run from ``low`` to ``high`` (the rated values): ``pinned`` when catalogue.json says;
    one value alone, every interaction alike; stars (a top of 4–5) are 1–5 whatever the lowest given (a small file may
    hold no 1); a top of 3 or less (0/1, 1–3) is its own range, as is one above 5 (from at most 1: 1–10, 0–100).

    Example:
        >>> rating_scale(2, 5), rating_scale(0, 1), rating_scale(1, 3), rating_scale(1, 1), rating_scale(1, 10)
        ((1.0, 5.0), (0.0, 1.0), (1.0, 3.0), (1.0, 1.0), (1.0, 10.0))
    """
    if pinned is not None:
        return float(pinned[0]), float(pinned[1])
    if low == high or high <= 3:
        return float(low), float(high)
    return min(float(low), 1.0), max(float(high), 5.0)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file, located as precisely as the check allows.

    ``row`` counts lines the way a spreadsheet or a text editor shows them: in a file with a
    header line (CSV, and parquet numbered the same way) the header is row 1 and the first
    data row is row 2; in the headerless GroupLens files (``u.data``, ``ratings.dat`` …) row 1
    is the first line. ``None`` when the problem belongs to the whole file or column.
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [f"file {Path(self.file).name}"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"


class DataError(ValueError):
    """A data file is missing, malformed or inconsistent; the message says where.

    ``problems`` lists what is wrong (one :class:`Problem` here; every one in :class:`DataProblems`).
    """

    def __init__(self, file: str | Path, message: str, row: int | None = None, column: str | None = None):
        problem = Problem(str(file), message, row, column)
        super().__init__(str(problem))
        self.file, self.row, self.column = problem.file, row, column
        self.problems = [problem]


class DataProblems(DataError):
    """Every problem found in a catalogue, one per line of the message (raised by the loaders)."""

    def __init__(self, problems: list[Problem]):
        if not problems:
            raise ValueError("DataProblems needs at least one problem")
        ValueError.__init__(self, "\n".join(map(str, problems)))
        first = problems[0]
        self.file, self.row, self.column = first.file, first.row, first.column
        self.problems = list(problems)


@dataclass(frozen=True)
class Dataset:
    """Items, users and interactions of one catalog, plus the frozen id maps.

    ``items`` has ``item_id, title, text, genres (list[str]), year`` and any extra
    attribute columns listed in ``item_attributes``; ``users`` has ``user_id`` and the
    columns in ``user_attributes``; ``ratings`` has ``user_id, item_id, rating, timestamp``.
    ``text_columns`` are the descriptive item columns (creator, publisher, …) written into
    each item's ``text``, in that order. ``unrated`` are rating values that record an
    interaction without a rating (never a positive); ``positive_from`` pins where positives
    start (default: 4 stars of 5, scaled). ``notes`` say how the files were read (encoding,
    delimiter, trims); they are not part of the content. ``credit`` names whose data it is, for
    the pages to say (MovieLens: GroupLens); empty for a catalogue that says nothing of its source.
    """

    name: str
    items: pd.DataFrame
    users: pd.DataFrame
    ratings: pd.DataFrame
    item_attributes: tuple[str, ...] = (C.GENRES, C.YEAR)
    user_attributes: tuple[str, ...] = (C.AGE, C.GENDER, C.OCCUPATION)
    rating_scale: tuple[float, float] = (1.0, 5.0)
    #: What one item is called on the pages ("film", "book", "product"), singular and plural.
    noun: str = "item"
    nouns: str = "items"
    text_columns: tuple[str, ...] = ()
    unrated: tuple[float, ...] = ()
    positive_from: float | None = None
    notes: tuple[str, ...] = field(default=(), compare=False)
    credit: str = field(default="", compare=False)
    item_ids: IdMap = field(init=False, repr=False)
    user_ids: IdMap = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "item_ids", IdMap.from_ids(self.items[C.ITEM].tolist()))
        object.__setattr__(self, "user_ids", IdMap.from_ids(self.users[C.USER].tolist()))

    @property
    def n_users(self) -> int:
        return len(self.user_ids)

    @property
    def n_items(self) -> int:
        return len(self.item_ids)

    def fingerprint(self) -> str:
        """A short hash of the content, used to key cached artifacts."""
        digest = hashlib.sha1(self.name.encode())
        for frame in (self.items.drop(columns=[C.GENRES]), self.users, self.ratings):
            digest.update(pd.util.hash_pandas_object(frame, index=False).values.tobytes())
        digest.update("|".join(",".join(g) for g in self.items[C.GENRES]).encode())
        if self.unrated or self.positive_from is not None:
            digest.update(repr((self.unrated, self.positive_from)).encode())
        rated = self.ratings[C.RATING][~self.ratings[C.RATING].isin(self.unrated)] if self.unrated else self.ratings[C.RATING]
        if len(rated) and self.rating_scale != rating_scale(rated.min(), rated.max()):  # pinned: it moves the positives
            digest.update(repr(self.rating_scale).encode())
        return digest.hexdigest()[:16]

    @property
    def positive_threshold(self) -> float:
        """The rating at and above which an interaction is an implicit positive: ``positive_from`` when
        the catalogue says, else 4 on a 1–5 scale and the same fraction of any other scale (the
        evaluation protocol's rule, defined only here)."""
        if self.positive_from is not None:
            return float(self.positive_from)
        low, high = self.rating_scale
        return low + (C.POSITIVE_STARS - 1.0) / 4.0 * (high - low)

    def positives(self, ratings: pd.DataFrame | None = None) -> pd.DataFrame:
        """The interactions of ``ratings`` (default: all of the dataset's) that count as implicit positives."""
        ratings = self.ratings if ratings is None else ratings
        positive = ratings[C.RATING] >= self.positive_threshold
        if self.unrated:
            positive &= ~ratings[C.RATING].isin(self.unrated)
        return ratings[positive]

    @property
    def implicit(self) -> bool:
        """Whether the interactions carry no rating at all (every row the same value): a like is all a person can say."""
        return not self.unrated and self.ratings[C.RATING].nunique() <= 1

    def positive_rule(self) -> str:
        """The positive rule in words, e.g. ``"rating ≥ 8 of 1–10 (0 = interacted, not rated)"``, or ``"every interaction
        (no ratings)"`` for implicit feedback (every row the same value)."""
        if self.implicit:
            return "every interaction (no ratings)"
        rule = f"rating ≥ {self.positive_threshold:g} of {self.scale_text()}"
        if self.unrated:
            rule += f" ({', '.join(f'{v:g}' for v in self.unrated)} = interacted, not rated)"
        return rule

    def scale_text(self) -> str:
        """The rating scale in words: ``"1–5"``, ``"-10 to 10"`` (a dash beside a minus sign reads as neither)."""
        low, high = self.rating_scale
        return f"{low:g} to {high:g}" if low < 0 else f"{low:g}–{high:g}"

    def liking(self) -> str:
        """What a positive is, as "the person ___" with ``{}`` for the item: ``"picks {}"`` (no ratings), ``"rates {} 4–5
        stars"`` on MovieLens' scale, ``"rates {} 8 or more (of 1–10)"`` or ``"rates {} 1 (of 0–1)"`` on any other (the
        positive rule's own numbers)."""
        if self.implicit:
            return "picks {}"
        low, high = self.rating_scale
        threshold = self.positive_threshold
        if (low, high) == (1.0, 5.0) and threshold == C.POSITIVE_STARS:
            return f"rates {{}} {C.POSITIVE_STARS:g}–5 stars"
        given = self.positives()[C.RATING].unique()
        if len(given) == 1:
            return f"rates {{}} {given[0]:g} (of {self.scale_text()})"
        return f"rates {{}} {threshold:g} or more (of {self.scale_text()})"

    def described_attributes(self) -> list[str]:
        """The item attributes at least one item has a value of (a catalogue without genres does not list "genres")."""
        return [
            a for a in self.item_attributes
            if a in self.items and self.items[a].map(lambda v: len(v) > 0 if isinstance(v, list) else not is_missing(v)).any()
        ]  # fmt: skip

    def genre_vocabulary(self) -> list[str]:
        seen = sorted({g for genres in self.items[C.GENRES] for g in genres})
        return [g for g in seen if g != "unknown"] or seen

    @property
    def creator_column(self) -> str | None:
        """The item column naming who made each item (author, director, brand …), if the catalogue has one."""
        return next((c for c in self.text_columns if c.lower() in CREATOR_COLUMNS), None)


def item_text(title: str, genres: Sequence[str], year: float | None, description: str = "", details: Sequence[tuple[str, str]] = ()) -> str:
    """The text the language model reads for an item.

    ``Title (year), by Creator; publisher X. Genres: … . description.`` — ``details`` are the
    descriptive columns as (column, value) pairs: a creator column reads "by …", any other
    "<column> <value>"; empty values are left out.

    Example:
        >>> item_text("A Painted House", [], 2001, details=[("author", "John Grisham"), ("publisher", "Doubleday")])
        'A Painted House (2001), by John Grisham; publisher Doubleday.'
    """
    parts = [title.strip()]
    if year is not None and not pd.isna(year) and not _YEAR_IN_TITLE.search(title):
        parts[0] += f" ({int(year)})"
    said = [
        f"by {value.strip()}" if column.lower() in CREATOR_COLUMNS else f"{column.replace('_', ' ')} {value.strip()}"
        for column, value in details
        if not is_missing(value)
    ]
    if said:
        parts[0] += ", " + "; ".join(said)
    shown = [g for g in genres if g != "unknown"]
    if shown:
        parts.append("Genres: " + ", ".join(shown))
    if description and description.strip():
        parts.append(description.strip())
    return ". ".join(parts) + "."


def finish_items(items: pd.DataFrame, text_columns: Sequence[str] = ()) -> pd.DataFrame:
    """Fill the derived columns every item table needs (year, text)."""
    items = items.copy()
    if C.YEAR not in items:
        items[C.YEAR] = np.nan
    from_title = items[C.TITLE].str.extract(_YEAR_IN_TITLE, expand=False).astype(float)
    items[C.YEAR] = items[C.YEAR].astype(float).fillna(from_title)
    descriptions = items[C.TEXT] if C.TEXT in items else pd.Series("", index=items.index)
    details = [[(c, v if isinstance(v, str) else "") for c, v in zip(text_columns, row)] for row in zip(*(items[c] for c in text_columns))]
    if not text_columns:
        details = [[] for _ in range(len(items))]
    items[C.TEXT] = [
        item_text(t, g, y, d if isinstance(d, str) else "", extra)
        for t, g, y, d, extra in zip(items[C.TITLE], items[C.GENRES], items[C.YEAR], descriptions, details)
    ]
    return items.reset_index(drop=True)
