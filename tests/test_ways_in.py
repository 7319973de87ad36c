"""Ways in: the same films through every GroupLens layout, and the made-up bookshop end to end."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from recsys import cli
from recsys import columns as C
from recsys.data import ML100K_GENRES, check_path, load_movielens_100k, load_path
from recsys.examples import CATALOGUE, GENRES, N_BOOKS, N_READERS, write_bookshop

N_SUBSET_USERS = 150


@pytest.fixture(scope="module")
def subset() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The ratings of MovieLens-100k's first 150 users, the films they rated and the users."""
    ml = load_movielens_100k()
    ratings = ml.ratings[ml.ratings[C.USER] <= N_SUBSET_USERS]
    items = ml.items[ml.items[C.ITEM].isin(ratings[C.ITEM])]
    users = ml.users[ml.users[C.USER] <= N_SUBSET_USERS]
    return items, users, ratings


def write_lines(path, lines, encoding="latin-1"):
    path.write_text("\n".join(lines) + "\n", encoding=encoding)


def as_ml100k(folder, items, users, ratings):
    folder.mkdir()
    write_lines(folder / "u.data", [f"{r.user_id}\t{r.item_id}\t{int(r.rating)}\t{r.timestamp}" for r in ratings.itertuples()])
    write_lines(
        folder / "u.item",
        [
            f"{i.item_id}|{i.title}|{'' if pd.isna(i.year) else f'01-Jan-{int(i.year)}'}||http://x|"
            + "|".join("1" if g in i.genres else "0" for g in ML100K_GENRES)
            for i in items.itertuples()
        ],
    )
    write_lines(folder / "u.user", [f"{u.user_id}|{u.age}|{u.gender}|{u.occupation}|00000" for u in users.itertuples()])


def as_ml1m(folder, items, users, ratings):
    folder.mkdir()
    write_lines(folder / "ratings.dat", [f"{r.user_id}::{r.item_id}::{int(r.rating)}::{r.timestamp}" for r in ratings.itertuples()])
    write_lines(folder / "movies.dat", [f"{i.item_id}::{i.title}::{'|'.join(i.genres)}" for i in items.itertuples()])
    write_lines(folder / "users.dat", [f"{u.user_id}::{u.gender}::{u.age}::0::00000" for u in users.itertuples()])


def as_ml_latest(folder, items, users, ratings):
    folder.mkdir()
    ratings.rename(columns={C.USER: "userId", C.ITEM: "movieId"})[["userId", "movieId", C.RATING, C.TIMESTAMP]].to_csv(
        folder / "ratings.csv", index=False
    )
    genres = ["|".join(g) or "(no genres listed)" for g in items[C.GENRES]]
    pd.DataFrame({"movieId": items[C.ITEM], "title": items[C.TITLE], "genres": genres}).to_csv(folder / "movies.csv", index=False)


@pytest.mark.parametrize("layout", [as_ml100k, as_ml1m, as_ml_latest], ids=["ml-100k", "ml-1m", "ml-latest-small"])
def test_every_grouplens_layout_loads_the_same_films(tmp_path, subset, layout):
    items, users, ratings = subset
    layout(tmp_path / "ml", items, users, ratings)
    ds = load_path(tmp_path / "ml")
    assert (ds.n_users, ds.n_items, len(ds.ratings)) == (users[C.USER].nunique(), len(items), len(ratings))
    assert (ds.noun, ds.nouns) == ("film", "films")
    assert ds.ratings[C.RATING].sum() == pytest.approx(ratings[C.RATING].sum())
    assert sorted(ds.items[C.ITEM]) == sorted(items[C.ITEM])
    toy = ds.items[ds.items[C.ITEM] == 1].iloc[0]
    assert toy[C.TITLE] == "Toy Story (1995)" and toy[C.GENRES] == ["Animation", "Children's", "Comedy"]


@pytest.fixture(scope="session")
def bookshop(tmp_path_factory):
    return write_bookshop(tmp_path_factory.mktemp("examples") / "bookshop")


def test_the_bookshop_loads_as_books_with_its_attributes(bookshop):
    assert check_path(bookshop) == []
    ds = load_path(bookshop)
    assert (ds.name, ds.noun, ds.nouns) == (CATALOGUE["name"], "book", "books")
    assert (ds.n_items, ds.n_users) == (N_BOOKS, N_READERS) and 4_500 <= len(ds.ratings) <= 5_500
    assert set(ds.item_attributes) == {C.GENRES, C.YEAR, "format", "language"}
    assert set(ds.user_attributes) == {C.AGE, "region"}
    assert set(ds.genre_vocabulary()) == set(GENRES)
    # Implicit feedback: no rating column, so every purchase is a positive.
    assert (ds.ratings[C.RATING] == 5.0).all() and len(ds.positives()) == len(ds.ratings)
    assert ds.items[C.TEXT].str.len().min() > 40 and ds.items[C.TITLE].is_unique


def test_the_bookshop_is_deterministic_and_users_are_optional(bookshop, tmp_path):
    again = write_bookshop(tmp_path / "again")
    for name in ("items.csv", "users.csv", "interactions.csv", "catalogue.json"):
        assert (again / name).read_bytes() == (bookshop / name).read_bytes()
    other = write_bookshop(tmp_path / "other", seed=1)
    assert (other / "items.csv").read_bytes() != (bookshop / "items.csv").read_bytes()
    bare = load_path(write_bookshop(tmp_path / "again", with_users=False))
    assert not (tmp_path / "again" / "users.csv").exists()
    assert bare.user_attributes == () and bare.n_users <= N_READERS


def test_bookshop_readers_mostly_buy_the_genres_they_like(bookshop):
    """The purchase history carries the taste: a reader's favourite genre covers most of their books."""
    ds = load_path(bookshop)
    main_genre = {row.item_id: row.genres[0] for row in ds.items.itertuples()}
    shares = []
    for _, bought in ds.ratings.groupby(C.USER)[C.ITEM]:
        if len(bought) >= 5:
            counts = pd.Series([main_genre[i] for i in bought]).value_counts()
            shares.append(counts.iloc[0] / len(bought))
    assert np.mean(shares) >= 0.5  # a reader with no taste would reach about 0.25 on five to ten books


@pytest.mark.slow
def test_the_cli_recommends_books_from_the_bookshop(bookshop, capsys):
    argv = ["--data", str(bookshop), "recommend", "--profile", "cosy mystery novels set in small villages", "-k", "5", "--json", "--quiet"]
    assert cli.main(argv) == 0
    recs = json.loads(capsys.readouterr().out)["recommendations"]
    assert len(recs) == 5
    for rec in recs:
        assert rec["score"] == pytest.approx(rec["mu"] + rec["b_u"] + rec["b_i"] + rec["dot"], abs=1e-4)
    assert sum("Mystery" in rec["genres"] for rec in recs) >= 3


@pytest.mark.parametrize("layout", [as_ml100k, as_ml1m, as_ml_latest], ids=["ml-100k", "ml-1m", "ml-latest-small"])
def test_every_grouplens_layout_comes_in_by_upload_and_by_the_command_line(tmp_path, subset, layout, capsys):
    """The app's upload (a .zip of the folder, as a person would send it) and `--data PATH check` read the same films."""
    import io
    import zipfile

    from recsys.uploads import collect

    items, users, ratings = subset
    layout(tmp_path / "ml", items, users, ratings)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in (tmp_path / "ml").iterdir():
            archive.write(path, f"ml/{path.name}")
    uploaded = collect([("my-movielens.zip", buffer.getvalue())], root=tmp_path / "uploads")
    assert uploaded.skipped == ()
    ds = load_path(uploaded.folder)
    assert (ds.n_users, ds.n_items, len(ds.ratings), ds.noun) == (users[C.USER].nunique(), len(items), len(ratings), "film")
    assert cli.main(["--data", str(tmp_path / "ml"), "check"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"ok: {len(items):,} films, {users[C.USER].nunique():,} users, {len(ratings):,} interactions"


@pytest.mark.slow  # trains a model: the slow tier, so `make test-fast` stays under a minute
def test_synthetic_profiles_speak_of_the_catalogues_own_genres(bookshop):
    """Training profiles of a non-film catalogue name its genres ("cookery", "travel"), not only the film genres' words."""
    from recsys.profiles import phrases_of
    from recsys.training import write_profiles

    assert phrases_of("unknown") == () and phrases_of("Horror")[0] == "horror" and "cookery" in phrases_of("Cookery")
    ds = load_path(bookshop)
    profiles = write_profiles(ds, ds.ratings, list(range(ds.n_users)), seed=0)
    texts = [t.lower() for row in profiles.texts for t in row]
    for genre in ("cookery", "travel", "poetry", "historical fiction"):
        assert any(genre in t for t in texts), genre
    assert len(set(texts)) > len(texts) // 3


def test_ready_made_personas_fit_the_catalogue(tmp_path, subset, bookshop):
    """A film folder without users gets the film personas without demographics; a catalogue without genres still gets one."""
    from types import SimpleNamespace

    from recsys.features import FeatureSpace
    from ui.session import ready_made

    def engine(ds):
        return SimpleNamespace(dataset=ds, user_space=FeatureSpace.fit(ds.users, ds.user_attributes))

    items, users, ratings = subset
    as_ml_latest(tmp_path / "ml", items, users, ratings)
    films = ready_made(engine(load_path(tmp_path / "ml")))
    assert "Parent of young kids" in films and all(demographics == {} for _, demographics in films.values())
    books = ready_made(engine(load_path(bookshop)))
    assert len(books) == 6 and all(name.endswith(" fan") and "books" in text for name, (text, _) in books.items())
    plain = tmp_path / "plain"
    plain.mkdir()
    for name in ("interactions.csv", "users.csv"):
        (plain / name).write_bytes((bookshop / name).read_bytes())
    pd.read_csv(bookshop / "items.csv").drop(columns=[C.GENRES]).to_csv(plain / "items.csv", index=False)
    assert list(ready_made(engine(load_path(plain)))) == ["Newcomer"]
