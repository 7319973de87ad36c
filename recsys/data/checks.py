"""The checks every catalogue passes before training: ids, numbers, ratings, text, cross-table rules, the long tail.

Each check reports into a :class:`~recsys.data.files.Report` (file, row, column) and returns the
clean column; :func:`build` turns checked tables into a :class:`~recsys.data.dataset.Dataset`.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from recsys import columns as C
from recsys.data.dataset import Dataset, finish_items
from recsys.data.files import MAX_ROWS_PER_PROBLEM, NO_NUMBER, Report, Table

#: Ratings must be finite numbers in this closed range (NaN, inf, negatives and more than 10 are errors).
RATING_RANGE = (0.0, 10.0)
#: The smallest catalogue worth training on: this many interactions, by at least this many
#: distinct users, on at least this many distinct items.
MIN_INTERACTIONS = 200
MIN_USERS = 20
MIN_ITEMS = 20
#: The long-tail line of the check summary counts items and users with fewer interactions than this.
LONG_TAIL = 5
#: A whole-number id: digits only, no leading zero, at most 15 digits. Longer ones (Twitter-style 18-digit ids) stay
#: text: a browser and most JSON readers hold whole numbers exactly only below 2**53, and would round them.
CANONICAL_INTEGER = re.compile(r"(0|[1-9][0-9]{0,14})")
LONG_NUMBER = re.compile(r"[1-9][0-9]{15,}")
#: A number with a decimal comma (``3,5``); three digits after it would be a thousands separator, and are not read.
DECIMAL_COMMA = re.compile(r"-?[0-9]+,[0-9]{1,2}")
#: Two or three characters that UTF-8 text turns into when it is decoded as cp1252 or latin-1 once too often.
_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u2018-\u203a\u20ac\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc]")


def plain(value: object) -> object:
    """A numpy scalar as the Python value it holds, a whole float as an int (messages read ``77``, not ``np.float64(77.0)``)."""
    value = value.item() if hasattr(value, "item") else value
    return int(value) if isinstance(value, float) and value.is_integer() else value


def shown(value: object) -> str:
    return repr(str(value)[:40])


def blank(series: pd.Series) -> np.ndarray:
    return (series.isna() | (series.astype(str).str.strip() == "")).to_numpy()


def no_number(series: pd.Series) -> np.ndarray:
    """Cells that stand for no value where a number is expected: missing, or a ``NULL``-like word (:data:`NO_NUMBER`)."""
    return series.isna().to_numpy() | series.astype(str).str.strip().str.lower().isin(NO_NUMBER).to_numpy()


def canonical_integers(*columns: pd.Series) -> bool:
    """Whether one kind of id is numeric: every given id, in every table, is a canonical integer
    (digits only, no leading zero, no sign, at most 15 digits). One ISBN ending in X, one ``007`` or one 18-digit id
    makes them all text."""
    seen = False
    for series in columns:
        values = series[~blank(series)]
        if len(values) and not values.astype(str).str.fullmatch(CANONICAL_INTEGER).all():
            return False
        seen = seen or len(values) > 0
    return seen


def long_numbers(*columns: pd.Series) -> bool:
    """Whether some id of one kind is a whole number of 16 or more digits (kept as text: :data:`CANONICAL_INTEGER`)."""
    return any(series[~blank(series)].astype(str).str.fullmatch(LONG_NUMBER).any() for series in columns)


def ids(table: Table, column: str, numeric: bool, what: str, report: Report) -> pd.Series:
    """The id column as integers (``numeric``) or as the text written in the file; empty ids are reported."""
    raw = table.frame[column]
    empty = blank(raw)
    report.rows(table, empty, f"{what} id is empty", column)
    if not numeric:
        return raw.astype(object).where(~empty, None).map(lambda v: v if v is None else str(v))
    return pd.to_numeric(raw.where(~empty), errors="coerce")


def numbers(table: Table, column: str, report: Report, required: bool = False) -> pd.Series:
    """The column as numbers; ``NULL``-like cells are missing, other text that is not a number is
    reported, and so are missing cells when ``required``. A column whose every fraction has a decimal comma and none
    a decimal point (``3,5``: a European export) is read with it, and the table says so (:attr:`Table.read_as`)."""
    raw = table.frame[column]
    missing = no_number(raw)
    values = pd.to_numeric(raw.where(~missing), errors="coerce")
    text = raw[~missing].astype(str).str.strip()
    commas = text.str.fullmatch(DECIMAL_COMMA)
    if commas.any() and not text.str.contains(".", regex=False).any():
        example = text[commas].iloc[0]
        raw = raw.where(missing, raw.astype(str).str.strip().str.replace(",", ".", regex=False))
        values = pd.to_numeric(raw.where(~missing), errors="coerce")
        table.read_as.append(f"{table.label(column)}: decimal commas ({example} read as {example.replace(',', '.')})")
    report.rows(table, ~missing & values.isna().to_numpy(), lambda p: f"not a number: {shown(raw.iloc[p])}", column)
    if required:
        report.rows(table, missing, f"{column} is empty or NaN", column)
    return values.astype(float)


def timestamps(table: Table, report: Report) -> pd.Series:
    """The interactions' times as numbers (seconds, as MovieLens writes them). A column of dates or date-times
    (``2003-05-01``, ``2003-05-01T10:20:00Z``, ``05/01/2003``) is read as seconds since 1970, and the table says so
    with the first date and how it was read; a date that does not read is reported with its row."""
    raw = table.frame[C.TIMESTAMP]
    missing = no_number(raw)
    text = raw[~missing].astype(str).str.strip()
    if not len(text) or pd.to_numeric(text, errors="coerce").notna().mean() >= 0.5:  # numbers, maybe with a typo
        return numbers(table, C.TIMESTAMP, report, required=True)
    # 13/01/2022 can only be day first: then every slashed date is (cell by cell, 12/01 would read as December 1st).
    slashed = text.str.extract(r"^(\d{1,2})[/.](\d{1,2})[/.]\d{2,4}").dropna().astype(int)
    day_first = bool(len(slashed)) and bool((slashed[0] > 12).any())
    try:
        with warnings.catch_warnings():  # "could not infer format": the per-cell reading is the one wanted
            warnings.simplefilter("ignore", UserWarning)
            dates = pd.to_datetime(raw.where(~missing).astype(object), errors="coerce", utc=True, format="mixed", dayfirst=day_first)
    except (ValueError, OverflowError):  # a date out of pandas' range (the year 1010): not a column of dates
        return numbers(table, C.TIMESTAMP, report, required=True)
    if dates[~missing].notna().mean() < 0.5:  # not dates at all: say which cells are not numbers
        return numbers(table, C.TIMESTAMP, report, required=True)
    report.rows(table, ~missing & dates.isna().to_numpy(), lambda p: f"not a date or a number: {shown(raw.iloc[p])}", C.TIMESTAMP)
    report.rows(table, missing, f"{C.TIMESTAMP} is empty or NaN", C.TIMESTAMP)
    read = dates.notna().to_numpy()
    telling = read & (dates.dt.day > 12).to_numpy()  # a day past 12 shows which of 05/13 and 13/05 was read as the day
    first = int(np.flatnonzero(telling if telling.any() else read)[0])
    order = ", day first" if day_first else ", month first" if len(slashed) else ""
    table.read_as.append(
        f"{table.label(C.TIMESTAMP)}: dates{order} ({shown(raw.iloc[first])} read as {dates.iloc[first]:%-d %B %Y, %H:%M} UTC)"
    )
    seconds = (dates - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(seconds=1)
    return seconds.astype(float)


def ages(table: Table, report: Report) -> pd.Series:
    """The users' ages as numbers; age groups (``25-34``, ``18–24``, ``55+``, as surveys publish them) as their middle
    (``55+``: 55), and the table says so (:attr:`Table.read_as`). Anything else that is not a number is reported."""
    raw = table.frame[C.AGE]
    text = raw.astype(str).str.strip()
    groups = text.str.extract(r"^(\d{1,3})\s*(?:[-–]\s*(\d{1,3})|(\+))$")
    grouped = groups[0].notna().to_numpy() & raw.notna().to_numpy()
    if grouped.any():
        low, high = groups[0].astype(float), groups[1].astype(float)
        middle = ((low + high.fillna(low)) / 2).where(grouped)
        table.frame[C.AGE] = raw.where(~grouped, middle)
        # One example of each form the file uses ("40-49 read as 44.5, 60+ as 60").
        forms = text[grouped].groupby(groups[2][grouped].notna()).first()
        examples = ", ".join(f"{v} {'read ' if n == 0 else ''}as {middle[text == v].iloc[0]:g}" for n, v in enumerate(forms))
        table.read_as.append(f"{table.label(C.AGE)}: age groups read as their middle, a group with no end as its start ({examples})")
    return numbers(table, C.AGE, report)


def ratings_column(table: Table, report: Report, scale: tuple[float, float] | None = None) -> pd.Series:
    """Ratings: finite numbers within ``scale`` (catalogue.json's ``rating_scale``), by default :data:`RATING_RANGE`.

    A few ratings outside are typos, each reported; when many are (a tenth of them, or more than the rows listed), the
    file is on another scale, and one more problem says which range the ratings run over and how to say so.
    """
    values_series = numbers(table, C.RATING, report, required=True)
    values = values_series.to_numpy(dtype=float, na_value=np.nan)
    low, high = scale or RATING_RANGE
    outside = ~np.isnan(values) & ~(np.isfinite(values) & (values >= low) & (values <= high))
    report.rows(table, outside, lambda p: f"rating {values[p]:g} is outside {low:g}–{high:g}", C.RATING)
    finite = values[np.isfinite(values)]
    if scale is None and outside.sum() > max(MAX_ROWS_PER_PROBLEM, 0.1 * len(finite)):
        span = f"[{math.floor(finite.min()):g}, {math.ceil(finite.max()):g}]"
        report.add(
            table.path,
            f"the ratings run from {finite.min():g} to {finite.max():g}, not {low:g}–{high:g}: if that is their scale, "
            f'say so in catalogue.json ("rating_scale": {span})',
            column=table.label(C.RATING),
        )
    return values_series


def is_number_column(series: pd.Series) -> bool:
    """Every given cell of an optional column reads as a finite number (then it is bucketed, not one-hot)."""
    raw = series[~blank(series)]
    raw = raw[~no_number(raw)]
    if not len(raw):
        return False
    values = pd.to_numeric(raw, errors="coerce")
    return bool(values.notna().all() and np.isfinite(values.to_numpy(dtype=float)).all())


def repaired(value: object) -> str | None:
    """The text a mojibake cell was before its second conversion (``"CafÃ©"`` → ``"Café"``), or ``None``
    when the cell is not mojibake."""
    if not isinstance(value, str) or not _MOJIBAKE.search(value):
        return None
    for encoding in ("cp1252", "latin-1"):
        try:
            fixed = value.encode(encoding).decode("utf-8")
        except UnicodeError:
            continue
        return fixed if fixed != value else None
    return None


def mojibake(table: Table, column: str, report: Report) -> None:
    """Report text that decodes but reads as UTF-8 decoded twice ("CafÃ©" for "Café"): the file was
    converted once too often, and training on it would teach the model the garbled words."""
    values = table.frame[column]
    bad = values.map(lambda v: repaired(v) is not None).to_numpy(dtype=bool)

    def message(position: int) -> str:
        value = str(values.iloc[position])
        return f"garbled text (mojibake): {shown(value)} reads as {shown(repaired(value))} — the file was converted to UTF-8 twice; fix the export"

    report.rows(table, bad, message, column)


def duplicates(table: Table, what: str, report: Report) -> None:
    column = C.ITEM if what == "item" else C.USER
    values = table.frame[column]

    def message(position: int) -> str:
        first = int(np.flatnonzero((values == values.iloc[position]).to_numpy())[0])
        return f"duplicate {what} id {plain(values.iloc[position])!r} (first on row {table.row(first)})"

    report.rows(table, (values.duplicated() & values.notna()).to_numpy(), message, column)


def cross_check(report: Report, items: Table | None, users: Table | None, ratings: Table | None, require_trainable: bool) -> None:
    """Problems between tables and of the whole: duplicate ids, empty titles, unknown ids, too little to train on."""
    if items is not None:
        duplicates(items, "item", report)
        report.rows(items, blank(items.frame[C.TITLE]), "title is empty", C.TITLE)
    if users is not None:
        duplicates(users, "user", report)
    if ratings is None:
        return
    frame = ratings.frame
    for what, column, table in (("item", C.ITEM, items), ("user", C.USER, users)):
        if table is not None:
            unknown = (frame[column].notna() & ~frame[column].isin(table.frame[column])).to_numpy()
            report.rows(
                ratings, unknown, lambda p, c=column, w=what: f"{w} id {plain(frame[c].iloc[p])!r} is not in the {w}s table", column
            )
    if require_trainable:
        enough(report, ratings.path, frame, label=ratings.label)


def enough(report: Report, path: Path | str, frame: pd.DataFrame, after: str = "", label: Callable[[str], str | None] = str) -> None:
    """The minimum-size rule (:data:`MIN_INTERACTIONS`, :data:`MIN_USERS`, :data:`MIN_ITEMS`)."""
    n_users, n_items = frame[C.USER].nunique(), frame[C.ITEM].nunique()
    if len(frame) < MIN_INTERACTIONS:
        report.add(path, f"only {len(frame):,} interactions{after}; training needs at least {MIN_INTERACTIONS:,}")
    if n_users < MIN_USERS:
        report.add(path, f"only {n_users:,} users have an interaction{after}; training needs at least {MIN_USERS}", column=label(C.USER))
    if n_items < MIN_ITEMS:
        report.add(path, f"only {n_items:,} items have an interaction{after}; training needs at least {MIN_ITEMS}", column=label(C.ITEM))


def has_positives(dataset: Dataset, report: Report, path: Path | str) -> None:
    """Training learns from positives: a positive rule (``positive_from``, ``unrated``) that leaves none is an error."""
    if len(dataset.ratings) and dataset.positives().empty:
        report.add(
            path,
            f"no interaction is a positive under the rule {dataset.positive_rule()}; check positive_from and unrated in catalogue.json",
        )


def trim(dataset: Dataset, k: int | None, report: Report, path: Path | str, require_trainable: bool) -> Dataset | None:
    """The ``k``-core of a checked dataset (:func:`trimmed`; ``k`` of 1 or ``None`` keeps all), checked
    again for size and positives; ``None`` when that leaves too little (reported)."""
    if k and k > 1:
        dataset = trimmed(dataset, k)
        if require_trainable:
            enough(report, path, dataset.ratings, after=f" after the {k}-core trim")
    if require_trainable:
        has_positives(dataset, report, path)
    return None if report.problems else dataset


#: Said beside a missing column of the generic format.
MAP_HINT = 'catalogue.json\'s "columns" can map yours'


def require(table: Table, names: list[str], report: Report, hint: str = "") -> bool:
    """Report each required column the file lacks (named as the file names it); true when it has them all."""
    missing = [name for name in names if name not in table.frame.columns]
    found = ", ".join(map(str, table.frame.columns))
    for name in missing:
        report.add(table.path, f"missing required column (found: {found}{'; ' + hint if hint else ''})", column=table.label(name))
    return not missing


def k_core(ratings: pd.DataFrame, k: int) -> pd.DataFrame:
    """The interactions left after repeatedly dropping every user and item with fewer than ``k`` of them.

    Example:
        >>> frame = pd.DataFrame({"user_id": [1, 1, 2, 2, 3], "item_id": ["a", "b", "a", "b", "c"]})
        >>> sorted(map(tuple, k_core(frame, 2)[["user_id", "item_id"]].to_numpy()))
        [(1, 'a'), (1, 'b'), (2, 'a'), (2, 'b')]
    """
    kept = ratings
    while True:
        users = kept[C.USER].map(kept[C.USER].value_counts())
        items = kept[C.ITEM].map(kept[C.ITEM].value_counts())
        keep = (users >= k) & (items >= k)
        if keep.all():
            return kept
        kept = kept[keep.to_numpy()]


def long_tail(dataset: Dataset, below: int = LONG_TAIL) -> tuple[int, int]:
    """How many items and users have fewer than ``below`` interactions (items never interacted with count)."""
    per_item = dataset.ratings[C.ITEM].value_counts().reindex(dataset.items[C.ITEM], fill_value=0)
    per_user = dataset.ratings[C.USER].value_counts().reindex(dataset.users[C.USER], fill_value=0)
    return int((per_item < below).sum()), int((per_user < below).sum())


def summary(dataset: Dataset) -> list[str]:
    """What the check says of a catalogue that loads: how it was read, the positive rule, the long tail, one item's text."""
    lines = list(dataset.notes)
    n_positives = len(dataset.positives())
    lines.append(f"positives: {dataset.positive_rule()} — {n_positives:,} of {len(dataset.ratings):,} interactions")
    items, users = long_tail(dataset)
    lines.append(
        f"long tail: {items:,} of {dataset.n_items:,} {dataset.nouns} and {users:,} of {dataset.n_users:,} users have fewer than "
        f"{LONG_TAIL} interactions"
        + (
            ""
            if not (items or users)
            else f" (a {LONG_TAIL}-core trim drops them: --min-interactions {LONG_TAIL}, or the Catalogue page's k-core field)"
        )
    )
    if dataset.n_items:
        lines.append(f"the language model reads, e.g.: {dataset.items[C.TEXT].iloc[0][:200]!r}")
    return lines


def build(
    name: str,
    items: pd.DataFrame,
    users: pd.DataFrame | None,
    ratings: pd.DataFrame,
    *,
    numeric_ids: tuple[bool, bool] = (True, True),
    scale: tuple[float, float] = (1.0, 5.0),
    user_attributes: tuple[str, ...] = (C.AGE, C.GENDER, C.OCCUPATION),
    item_attributes: tuple[str, ...] = (C.GENRES, C.YEAR),
    text_columns: Sequence[str] = (),
    noun: str = "film",
    nouns: str = "films",
    unrated: tuple[float, ...] = (),
    positive_from: float | None = None,
    notes: Sequence[str] = (),
    credit: str = "",
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
    out = ratings[[C.USER, C.ITEM, C.RATING, C.TIMESTAMP]].copy()
    out[C.RATING] = out[C.RATING].astype(float)
    out[C.TIMESTAMP] = out[C.TIMESTAMP].astype(np.int64)
    return Dataset(
        name,
        finish_items(items, tuple(text_columns)),
        users.reset_index(drop=True),
        out.reset_index(drop=True),
        item_attributes=item_attributes,
        user_attributes=tuple(a for a in user_attributes if a in users.columns),
        rating_scale=scale,
        noun=noun,
        nouns=nouns,
        text_columns=tuple(text_columns),
        unrated=tuple(unrated),
        positive_from=positive_from,
        notes=tuple(notes),
        credit=credit,
    )


def trimmed(dataset: Dataset, k: int) -> Dataset:
    """The ``k``-core of a dataset (:func:`k_core`): the items and users kept, with a note saying what was dropped."""
    kept = k_core(dataset.ratings, k)
    items = dataset.items[dataset.items[C.ITEM].isin(kept[C.ITEM])]
    users = dataset.users[dataset.users[C.USER].isin(kept[C.USER])]
    note = (
        f"trimmed to the {k}-core (every {dataset.noun} and user with at least {k} interactions): kept {len(items):,} of "
        f"{dataset.n_items:,} {dataset.nouns}, {len(users):,} of {dataset.n_users:,} users, {len(kept):,} of {len(dataset.ratings):,} interactions"
    )
    return replace(
        dataset, items=items.reset_index(drop=True), users=users.reset_index(drop=True), ratings=kept.reset_index(drop=True),
        notes=(*dataset.notes, note),
    )  # fmt: skip
