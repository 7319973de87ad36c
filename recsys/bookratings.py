"""An invented book-rating catalogue, written the way public book-rating datasets are published.

Three ``;``-separated, quoted, cp1252 (Windows latin-1) files with their own column names —
``Books.csv`` (ISBN, title, author, year, publisher, three image links), ``Users.csv``
(a numeric id, a free-text location, an age missing for about 40% of readers, spelled ``NULL``)
and ``Ratings.csv`` (0–10, where 0 records an interaction without a rating) — plus a
``catalogue.json`` that maps those names and says what 0 means. ISBN-10 ids carry real check
digits, so some end in ``X`` and some start with ``0``; a few years are ``0`` (unknown), a few
locations have no country. No text describes a book but its title, author and publisher:
the catalogue tests what the language model makes of titles and creators alone.

``python -m recsys.bookratings [FOLDER] [--books N] [--readers N]`` writes it
(default ``data/examples/bookratings``). Every book, author and reader is made up; the same
seed writes the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from recsys.examples import FIRST_NAMES, GENRES, NEIGHBOURS, SURNAMES, compose_book

DEFAULT_FOLDER = Path("data/examples/bookratings")
CATALOGUE = {
    "name": "Book ratings (example)",
    "noun": "book",
    "nouns": "books",
    "files": {"items": "Books.csv", "interactions": "Ratings.csv", "users": "Users.csv"},
    "columns": {
        "ISBN": "item_id", "Book-Title": "title", "Book-Author": "author", "Year-Of-Publication": "year",
        "Publisher": "publisher", "User-ID": "user_id", "Book-Rating": "rating", "Location": "location", "Age": "age",
    },
    "unrated": [0],
    "positive_from": 8,
}  # fmt: skip
#: Share of interactions recorded without a rating (the value 0), and of readers without an age.
UNRATED_SHARE = 0.55
NO_AGE_SHARE = 0.4
#: Letters beyond ASCII in some names, so the encoding matters.
ACCENTED = ("Renée", "José", "Zoë", "Søren", "Anaïs", "François", "Björn", "Ximena")
PUBLISHERS = (
    "Harbour Press", "Lantern House", "Greystone", "Quayside Books", "Marlow & Finch", "Bellweather", "Northgate",
    "Copperfield", "Tidewater", "Kestrel Editions", "Old Mill Press", "Saltmarsh", "Brightwater", "Juniper Row",
)  # fmt: skip
PLACES = (
    ("leeds", "yorkshire", "united kingdom"), ("toronto", "ontario", "canada"), ("austin", "texas", "usa"),
    ("porto", "porto", "portugal"), ("köln", "nordrhein-westfalen", "germany"), ("perth", "western australia", "australia"),
    ("madrid", "madrid", "spain"), ("boston", "massachusetts", "usa"), ("dublin", "dublin", "ireland"),
)  # fmt: skip


def isbn10(number: int) -> str:
    """The ISBN-10 of a 9-digit number: the digits, zero-padded, and the check digit (0–9 or X).

    Example:
        >>> isbn10(19515344), isbn10(51513290)
        ('0195153448', '051513290X')
    """
    digits = f"{number:09d}"
    check = (11 - sum((10 - i) * int(d) for i, d in enumerate(digits)) % 11) % 11
    return digits + ("X" if check == 10 else str(check))


def bookratings_tables(n_books: int = 3000, n_readers: int = 2000, seed: int = 0) -> dict[str, pd.DataFrame]:
    """The three tables with the published column names (see the module docstring)."""
    rng = np.random.default_rng(seed)
    genres = list(GENRES)
    firsts = (*FIRST_NAMES, *ACCENTED)
    n_authors = max(8, n_books // 6)
    authors, seen_names = [], set()
    while len(authors) < n_authors:
        name = f"{firsts[rng.integers(len(firsts))]} {SURNAMES[rng.integers(len(SURNAMES))]}"
        if name in seen_names:
            if len(seen_names) < len(firsts) * len(SURNAMES):
                continue
            name = f"{name} {len(authors)}"
        seen_names.add(name)
        main = genres[len(authors) % len(genres)]
        authors.append((name, main))
    # A few prolific authors write most books, as in any bookshop.
    output = rng.lognormal(0.0, 1.0, n_authors)
    output /= output.sum()
    numbers = rng.choice(10**9, size=n_books, replace=False)
    numbers[: max(1, n_books // 20)] %= 10**8  # some ISBNs start with a zero
    books, titles = [], set()
    for row in range(n_books):
        author, main = authors[row % n_authors] if row < n_authors else authors[rng.choice(n_authors, p=output)]
        genre = main if rng.random() < 0.85 else NEIGHBOURS[main][rng.integers(len(NEIGHBOURS[main]))]
        title, _ = compose_book(rng, genre)
        base, volume = title, 1
        while title in titles:  # a series: "Signals from Tau Ceti 2"
            volume += 1
            title = f"{base} {volume}"
        titles.add(title)
        year = 0 if rng.random() < 0.02 else int(np.clip(2004 - rng.exponential(12), 1930, 2004))
        isbn = isbn10(int(numbers[row]))
        books.append({
            "ISBN": isbn, "Book-Title": title, "Book-Author": author, "Year-Of-Publication": year,
            "Publisher": PUBLISHERS[rng.integers(len(PUBLISHERS))], "_genre": genre,
            **{f"Image-URL-{s}": f"http://images.example.com/images/P/{isbn}.01.{s}ZZZZZZZ.jpg" for s in "SML"},
        })  # fmt: skip
    items = pd.DataFrame(books)

    ages = np.clip(rng.normal(38, 14, n_readers), 12, 90).round()
    places = [PLACES[rng.integers(len(PLACES))] for _ in range(n_readers)]
    locations = [f"{c}, {r}, {k}" if rng.random() > 0.05 else f"{c}, {r}, " for c, r, k in places]
    users = pd.DataFrame({
        "User-ID": np.arange(1, n_readers + 1),
        "Location": locations,
        "Age": [("NULL" if rng.random() < NO_AGE_SHARE else str(int(a))) for a in ages],
    })  # fmt: skip

    # A reader follows a few genres and a few favourite authors; popularity tilts every choice.
    taste = rng.dirichlet(np.full(len(genres), 0.08), size=n_readers)
    genre_of = np.array([genres.index(g) for g in items["_genre"]])
    index_of = {name: i for i, (name, _) in enumerate(authors)}
    author_of = np.array([index_of[name] for name in items["Book-Author"]])
    popularity = rng.lognormal(0.0, 1.0, n_books)
    activity = rng.lognormal(0.0, 0.9, n_readers)
    counts = np.clip(np.round(activity / activity.mean() * 12), 3, 150).astype(int)
    rows = []
    author_genre = np.array([genres.index(g) for _, g in authors])
    for reader in range(n_readers):
        pull = taste[reader][author_genre] * output + 1e-9
        favourites = rng.choice(n_authors, size=min(3, n_authors), replace=False, p=pull / pull.sum())
        affinity = taste[reader][genre_of] * (1 + 6 * np.isin(author_of, favourites)) + 0.002
        weights = affinity * popularity
        chosen = rng.choice(n_books, size=min(counts[reader], n_books), replace=False, p=weights / weights.sum())
        for book in chosen:
            liked = np.log(taste[reader][genre_of[book]] * len(genres) + 1e-6) + (author_of[book] in favourites)
            stars = int(np.clip(np.round(6 + 2.5 * np.tanh(liked) + rng.normal(0, 1.2)), 1, 10))
            rows.append((reader + 1, items["ISBN"].iloc[book], 0 if rng.random() < UNRATED_SHARE else stars))
    ratings = pd.DataFrame(rows, columns=["User-ID", "ISBN", "Book-Rating"])
    return {"items": items.drop(columns=["_genre"]), "users": users, "interactions": ratings, "genres": items[["ISBN", "_genre"]]}


def write_bookratings(folder: Path | str = DEFAULT_FOLDER, n_books: int = 3000, n_readers: int = 2000, seed: int = 0) -> Path:
    """Write the catalogue as published (``;``, quoted, cp1252) with its ``catalogue.json``; return the folder.

    Example:
        >>> from recsys.data import load_path
        >>> folder = write_bookratings("/tmp/bookratings", n_books=60, n_readers=40)  # doctest: +SKIP
        >>> load_path(folder).item_ids.ids[:1]  # doctest: +SKIP
        ('0083196311',)
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables = bookratings_tables(n_books, n_readers, seed)
    for role, frame in tables.items():
        if role == "genres":
            continue
        name = CATALOGUE["files"][role]
        text = frame.to_csv(sep=";", index=False, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        (folder / name).write_bytes(text.encode("cp1252"))
    (folder / "catalogue.json").write_text(json.dumps(CATALOGUE, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m recsys.bookratings", description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(DEFAULT_FOLDER))
    parser.add_argument("--books", type=int, default=3000)
    parser.add_argument("--readers", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    folder = write_bookratings(args.folder, args.books, args.readers, args.seed)
    from recsys.data import load_path

    dataset = load_path(folder)
    print(f"wrote {folder}: {dataset.n_items:,} {dataset.nouns}, {dataset.n_users:,} readers, {len(dataset.ratings):,} interactions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
