"""Loaders: the packaged MovieLens-100k, GroupLens folders, the generic catalog, and bad files."""

from __future__ import annotations

import pandas as pd
import pytest

from recsys import columns as C
from recsys.data import MOVIELENS_CREDIT, DataError, load_catalog, load_grouplens_folder, load_movielens_100k, load_path
from recsys.identifiers import IdMap


def test_packaged_movielens_100k():
    ds = load_movielens_100k()
    assert (ds.n_users, ds.n_items, len(ds.ratings)) == (943, 1682, 100_000)
    toy = ds.items[ds.items[C.ITEM] == 1].iloc[0]
    assert toy[C.TITLE] == "Toy Story (1995)"
    assert toy[C.GENRES] == ["Animation", "Children's", "Comedy"]
    assert toy[C.TEXT] == "Toy Story (1995). Genres: Animation, Children's, Comedy."
    assert set(ds.users.columns) >= {C.USER, C.AGE, C.GENDER, C.OCCUPATION}
    assert ds.ratings[C.RATING].between(1, 5).all()


def test_id_map_round_trip_and_unknown_ids():
    ids = IdMap.from_ids([10, 30, 20])
    assert [ids.index(v) for v in (10, 30, 20)] == [0, 1, 2]
    assert ids.external(1) == 30 and 20 in ids and 99 not in ids
    with pytest.raises(KeyError, match="99"):
        ids.index(99)
    with pytest.raises(ValueError):
        IdMap.from_ids([1, 1])


def write_ml100k(folder, data_rows=None):
    folder.mkdir()
    (folder / "u.data").write_text(data_rows or "1\t1\t5\t881250949\n1\t2\t3\t881250950\n2\t1\t4\t881250951\n")
    flags = "|".join(["0"] * 19)
    anim = "|".join(["0", "0", "0", "1"] + ["0"] * 15)
    (folder / "u.item").write_text(
        f"1|Toy Story (1995)|01-Jan-1995||http://x|{anim}\n2|GoldenEye (1995)|01-Jan-1995||http://y|{flags}\n", encoding="latin-1"
    )
    (folder / "u.user").write_text("1|24|M|technician|85711\n2|53|F|other|94043\n")
    return folder


def test_grouplens_ml100k_folder(tmp_path):
    ds = load_grouplens_folder(write_ml100k(tmp_path / "ml-100k"), require_trainable=False)
    assert (ds.n_users, ds.n_items, len(ds.ratings)) == (2, 2, 3)
    assert ds.items.iloc[0][C.GENRES] == ["Animation"]
    assert ds.items.iloc[0][C.YEAR] == 1995


def test_movielens_is_credited_to_grouplens_and_a_catalogue_by_its_own_words(tmp_path):
    """The sidebar says whose data is open: GroupLens for MovieLens however it came in, else what catalogue.json says."""
    assert load_movielens_100k().credit == MOVIELENS_CREDIT == "MovieLens © GroupLens Research, University of Minnesota"
    assert load_grouplens_folder(write_ml100k(tmp_path / "ml-100k"), require_trainable=False).credit == MOVIELENS_CREDIT
    shop = tmp_path / "films"
    shop.mkdir()
    pd.DataFrame({"item_id": [1, 2], "title": ["Red", "Blue"]}).to_csv(shop / "items.csv", index=False)
    pd.DataFrame({"user_id": [1, 2], "item_id": [1, 2]}).to_csv(shop / "interactions.csv", index=False)
    (shop / "catalogue.json").write_text('{"noun": "film"}')
    assert load_path(shop, require_trainable=False).credit == ""  # films, but not MovieLens: no GroupLens credit
    (shop / "catalogue.json").write_text('{"noun": "film", "credit": "Data © Harbour Cinema Club"}')
    assert load_path(shop, require_trainable=False).credit == "Data © Harbour Cinema Club"
    (shop / "catalogue.json").write_text('{"credit": "' + "x" * 201 + '"}')
    with pytest.raises(DataError, match=r"column 'credit': longer than 200 characters"):
        load_path(shop, require_trainable=False)


def test_bad_row_is_named(tmp_path):
    folder = write_ml100k(tmp_path / "ml-100k", "1\t1\t5\t881250949\n1\t2\n")
    with pytest.raises(DataError, match=r"u\.data, row 2"):
        load_grouplens_folder(folder)


def test_non_numeric_rating_names_row_and_column(tmp_path):
    folder = write_ml100k(tmp_path / "ml-100k", "1\t1\t5\t881250949\n1\t2\tfive\t881250950\n")
    with pytest.raises(DataError, match=r"u\.data, row 2, column 'rating'"):
        load_grouplens_folder(folder)


def test_unknown_item_in_ratings(tmp_path):
    folder = write_ml100k(tmp_path / "ml-100k", "1\t77\t5\t881250949\n")
    with pytest.raises(DataError, match="item id 77 is not in the items table"):
        load_grouplens_folder(folder)


def test_not_a_movielens_folder(tmp_path):
    with pytest.raises(DataError, match="not a GroupLens MovieLens folder"):
        load_grouplens_folder(tmp_path)


def test_generic_catalog(tmp_path):
    items = tmp_path / "items.csv"
    pd.DataFrame(
        {"item_id": ["a", "b", "c"], "title": ["Red shoes", "Blue hat", "Green scarf"], "text": ["leather", "wool", "silk"],
         "genres": ["shoes|red", "hats", "scarves"], "brand": ["X", "Y", "X"]}
    ).to_csv(items, index=False)  # fmt: skip
    interactions = tmp_path / "interactions.csv"
    pd.DataFrame({"user_id": [1, 1, 2], "item_id": ["a", "b", "c"], "timestamp": [1, 2, 3]}).to_csv(interactions, index=False)
    ds = load_catalog(items, interactions, require_trainable=False)
    assert ds.n_items == 3 and ds.n_users == 2
    assert ds.items.iloc[0][C.GENRES] == ["shoes", "red"]
    assert "brand" in ds.item_attributes
    assert (ds.ratings[C.RATING] == 5.0).all()
    assert ds.items.iloc[0][C.TEXT] == "Red shoes, by X. Genres: shoes, red. leather."


def test_generic_catalog_missing_column(tmp_path):
    items = tmp_path / "items.csv"
    pd.DataFrame({"item_id": [1], "heading": ["x"]}).to_csv(items, index=False)
    interactions = tmp_path / "i.csv"
    pd.DataFrame({"user_id": [1], "item_id": [1]}).to_csv(interactions, index=False)
    with pytest.raises(DataError, match=r"items\.csv, column 'title': missing required column"):
        load_catalog(items, interactions)


def test_garbage_file_is_a_clear_error(tmp_path):
    items = tmp_path / "items.parquet"
    items.write_bytes(b"\x00\x01 not parquet")
    with pytest.raises(DataError, match=r"items\.parquet: cannot be parsed"):
        load_catalog(items, items)
