"""Validation: every problem in a catalogue at once, each naming its file, row and column.

Rows count as in a spreadsheet: in a CSV the header is row 1, so data row ``i`` (0-based) is
row ``i + 2``; in the headerless GroupLens files row 1 is the first line. No model is trained here.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from recsys import cli
from recsys import data as D
from recsys.data import DataError, DataProblems, Problem, check_catalog, check_path, files, load_catalog, load_grouplens_folder, load_path

N_ITEMS, N_USERS, PER_USER = 30, 25, 10  # 250 interactions: just above every training minimum


def frames() -> dict[str, pd.DataFrame]:
    """A small valid catalogue: 30 books, 25 readers who each read 10 of them."""
    items = pd.DataFrame(
        {
            "item_id": range(1, N_ITEMS + 1),
            "title": [f"Book {i}" for i in range(1, N_ITEMS + 1)],
            "genres": ["Mystery" if i % 2 else "Romance" for i in range(1, N_ITEMS + 1)],
            "year": [1990 + i for i in range(N_ITEMS)],
        }
    )
    users = pd.DataFrame({"user_id": range(1, N_USERS + 1), "age": [20 + u for u in range(N_USERS)]})
    rows = [(u, 1 + (u + 3 * k) % N_ITEMS, 1 + (u + k) % 5, 1000 + 10 * u + k) for u in range(1, N_USERS + 1) for k in range(PER_USER)]
    interactions = pd.DataFrame(rows, columns=["user_id", "item_id", "rating", "timestamp"])
    return {"items": items.astype(object), "users": users.astype(object), "interactions": interactions.astype(object)}


def write(folder, tables: dict[str, pd.DataFrame], meta: dict | None = None):
    folder.mkdir(exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    if meta is not None:
        (folder / "catalogue.json").write_text(json.dumps(meta))
    return folder


def broken(tmp_path, table: str, column: str, position: int, value: object):
    tables = frames()
    tables[table].loc[position, column] = value
    return write(tmp_path / "shop", tables)


def test_a_good_catalogue_has_no_problems_and_loads(tmp_path):
    folder = write(tmp_path / "shop", frames(), {"name": "Corner shop", "noun": "book", "nouns": "books"})
    assert check_path(folder) == []
    ds = load_path(folder)
    assert (ds.n_items, ds.n_users, len(ds.ratings)) == (N_ITEMS, N_USERS, N_USERS * PER_USER)
    assert (ds.name, ds.noun, ds.nouns) == ("Corner shop", "book", "books")
    assert ds.ratings["item_id"].dtype == np.int64 and ds.users["user_id"].dtype == np.int64


def test_without_catalogue_json_the_folder_names_it_and_items_are_items(tmp_path):
    ds = load_path(write(tmp_path / "corner-shop", frames()))
    assert (ds.name, ds.noun, ds.nouns) == ("corner-shop", "item", "items")


def test_problem_reads_like_the_old_single_error():
    problem = Problem("/tmp/x/items.csv", "title is empty", row=3, column="title")
    assert str(problem) == "file items.csv, row 3, column 'title': title is empty"
    assert str(problem) == str(DataError("/tmp/x/items.csv", "title is empty", row=3, column="title"))
    assert str(Problem("items.csv", "file not found")) == "file items.csv: file not found"


def test_missing_required_column(tmp_path):
    tables = frames()
    tables["items"] = tables["items"].drop(columns=["title"])
    problems = check_path(write(tmp_path / "shop", tables))
    assert [(p.file.split("/")[-1], p.row, p.column) for p in problems] == [("items.csv", None, "title")]
    assert "missing required column (found: item_id, genres, year;" in str(problems[0])


@pytest.mark.parametrize(
    ("table", "column", "value", "message"),
    [
        ("interactions", "rating", "five", "not a number: 'five'"),
        ("interactions", "timestamp", "yesterday", "not a number: 'yesterday'"),
        ("items", "year", "MCMXC", "not a number: 'MCMXC'"),
        ("users", "age", "old", "not a number: 'old'"),
    ],
)
def test_wrong_type_names_file_row_and_column(tmp_path, table, column, value, message):
    problems = check_path(broken(tmp_path, table, column, 6, value))
    assert str(problems[0]) == f"file {table}.csv, row 8, column {column!r}: {message}"
    # Renaming item 7 also leaves the interactions with item 7 pointing nowhere, which is reported too.
    assert all("item id 7 is not in the items table" in p.message for p in problems[1:])
    renamed = table == "items" and column == "item_id"
    assert len(problems) == 1 + (renamed and (frames()["interactions"]["item_id"] == 7).sum())


def test_duplicate_item_and_user_ids(tmp_path):
    tables = frames()
    tables["items"].loc[9, "item_id"] = 3  # data row 10 repeats data row 3
    tables["users"].loc[4, "user_id"] = 1
    problems = [str(p) for p in check_path(write(tmp_path / "shop", tables))]
    assert "file items.csv, row 11, column 'item_id': duplicate item id 3 (first on row 4)" in problems
    assert "file users.csv, row 6, column 'user_id': duplicate user id 1 (first on row 2)" in problems


@pytest.mark.parametrize(
    ("value", "message"),
    [(-1, "rating -1 is outside 0–10"), (11, "rating 11 is outside 0–10"), ("inf", "rating inf is outside 0–10"),
     ("NaN", "rating is empty or NaN"), ("", "rating is empty or NaN")],
)  # fmt: skip
def test_ratings_must_be_finite_numbers_from_0_to_10(tmp_path, value, message):
    problems = check_path(broken(tmp_path, "interactions", "rating", 0, value))
    assert [str(p) for p in problems] == [f"file interactions.csv, row 2, column 'rating': {message}"]


def test_ratings_at_the_edges_are_fine(tmp_path):
    tables = frames()
    tables["interactions"].loc[0, "rating"] = 0
    tables["interactions"].loc[1, "rating"] = 10
    assert check_path(write(tmp_path / "shop", tables)) == []


def test_interactions_pointing_to_unknown_items_and_users(tmp_path):
    tables = frames()
    tables["interactions"].loc[4, "item_id"] = 999
    tables["interactions"].loc[7, "user_id"] = 777
    assert [str(p) for p in check_path(write(tmp_path / "shop", tables))] == [
        "file interactions.csv, row 6, column 'item_id': item id 999 is not in the items table",
        "file interactions.csv, row 9, column 'user_id': user id 777 is not in the users table",
    ]


def test_an_empty_title(tmp_path):
    problems = check_path(broken(tmp_path, "items", "title", 2, "   "))
    assert [str(p) for p in problems] == ["file items.csv, row 4, column 'title': title is empty"]


def test_a_csv_that_is_not_utf8_is_read_in_its_detected_encoding_or_named_where_a_pinned_one_fails(tmp_path):
    folder = write(tmp_path / "shop", frames())
    lines = (folder / "items.csv").read_text().splitlines()
    lines[4] = lines[4].replace("Book 4", "Café 4")
    (folder / "items.csv").write_bytes("\n".join(lines).encode("latin-1"))
    dataset = load_path(folder)
    assert "Café 4" in dataset.items["title"].tolist()
    assert "items.csv: cp1252, comma-separated" in dataset.notes
    (folder / "catalogue.json").write_text('{"encoding": "utf-8"}')
    problems = check_path(folder)
    assert len(problems) == 1
    assert str(problems[0]).startswith("file items.csv, row 5: cannot be read as utf-8 (byte 0xe9)")


def test_grouplens_ml100k_files_stay_latin1(tmp_path):
    folder = tmp_path / "ml-100k"
    folder.mkdir()
    flags = "|".join(["0"] * 19)
    (folder / "u.item").write_bytes(f"1|Café (1995)|01-Jan-1995||http://x|{flags}\n".encode("latin-1"))
    (folder / "u.data").write_text("1\t1\t5\t881250949\n")
    (folder / "u.user").write_text("1|24|M|technician|85711\n")
    assert load_grouplens_folder(folder, require_trainable=False).items.iloc[0]["title"] == "Café (1995)"


@pytest.mark.parametrize(
    ("keep", "message"),
    [
        (
            lambda f: f.iloc[: D.MIN_INTERACTIONS - 1],
            f"only {D.MIN_INTERACTIONS - 1} interactions; training needs at least {D.MIN_INTERACTIONS}",
        ),
        (lambda f: f.assign(user_id=1 + f["user_id"] % (D.MIN_USERS - 1)), f"only {D.MIN_USERS - 1} users have an interaction"),
        (lambda f: f.assign(item_id=1 + f["item_id"] % (D.MIN_ITEMS - 1)), f"only {D.MIN_ITEMS - 1} items have an interaction"),
    ],
)
def test_too_few_interactions_to_train(tmp_path, keep, message):
    tables = frames()
    tables["interactions"] = keep(tables["interactions"])
    problems = check_path(write(tmp_path / "shop", tables))
    assert len(problems) == 1 and problems[0].file.endswith("interactions.csv") and message in problems[0].message
    assert check_path(tmp_path / "shop", require_trainable=False) == []


def test_files_over_the_size_limit_are_refused(tmp_path, monkeypatch):
    folder = write(tmp_path / "shop", frames())
    monkeypatch.setattr(files, "MAX_UPLOAD_BYTES", (folder / "users.csv").stat().st_size + 1)
    problems = [str(p) for p in check_path(folder)]
    assert "file items.csv: file is larger than 0 MiB" in problems and "file interactions.csv: file is larger than 0 MiB" in problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"name": "Shop",\n "noun": book}', "file catalogue.json, row 2: not valid JSON"),
        ('["book"]', "file catalogue.json: must be a JSON object"),
        ('{"noun": 3}', "file catalogue.json, column 'noun': must be a non-empty string, got 3"),
        ('{"noun": "bo\\u0007ok"}', "file catalogue.json, column 'noun': contains control characters"),
        (json.dumps({"name": "x" * 200}), "file catalogue.json, column 'name': longer than 80 characters"),
        ('{"nuon": "book"}', "file catalogue.json: unknown key 'nuon'"),
    ],
)
def test_a_bad_catalogue_json_is_a_problem(tmp_path, text, expected):
    folder = write(tmp_path / "shop", frames())
    (folder / "catalogue.json").write_text(text)
    problems = check_path(folder)
    assert len(problems) == 1 and str(problems[0]).startswith(expected)


def test_a_noun_alone_gets_a_plural(tmp_path):
    assert load_path(write(tmp_path / "shop", frames(), {"noun": "record"})).nouns == "records"


def test_every_problem_is_reported_at_once(tmp_path):
    tables = frames()
    tables["items"].loc[2, "title"] = ""
    tables["items"].loc[N_ITEMS] = [1, "Book 1 again", "Mystery", 2000]
    tables["interactions"].loc[0, "rating"] = 42
    tables["interactions"].loc[3, "item_id"] = 999
    tables["interactions"].loc[8, "timestamp"] = "soon"
    tables["users"] = tables["users"].drop(columns=["user_id"])
    folder = write(tmp_path / "shop", tables, {"noun": ""})
    problems = check_path(folder)
    assert sorted((p.file.split("/")[-1], p.row, p.column) for p in problems) == sorted(
        [
            ("items.csv", 4, "title"),
            ("items.csv", N_ITEMS + 2, "item_id"),
            ("interactions.csv", 2, "rating"),
            ("interactions.csv", 5, "item_id"),
            ("interactions.csv", 10, "timestamp"),
            ("users.csv", None, "user_id"),
            ("catalogue.json", None, "noun"),
        ]
    )
    with pytest.raises(DataProblems) as raised:
        load_path(folder)
    assert raised.value.problems == problems and isinstance(raised.value, DataError)
    assert str(raised.value).splitlines() == [str(p) for p in problems]


def test_many_rows_with_one_problem_are_listed_ten_times_then_counted(tmp_path):
    tables = frames()
    tables["interactions"].loc[:24, "rating"] = 12
    problems = check_path(write(tmp_path / "shop", tables))
    assert len(problems) == D.MAX_ROWS_PER_PROBLEM + 1
    assert [p.row for p in problems[:-1]] == list(range(2, 2 + D.MAX_ROWS_PER_PROBLEM))
    assert (
        str(problems[-1]) == f"file interactions.csv, column 'rating': … and {25 - D.MAX_ROWS_PER_PROBLEM} more rows with the same problem"
    )


def test_text_ids_and_implicit_interactions(tmp_path):
    tables = frames()
    tables["items"]["item_id"] = [f"isbn-{i}" for i in tables["items"]["item_id"]]
    tables["interactions"]["item_id"] = [f"isbn-{i}" for i in tables["interactions"]["item_id"]]
    tables["interactions"] = tables["interactions"].drop(columns=["rating"])
    tables["interactions"].loc[3, "item_id"] = "isbn-999"
    folder = write(tmp_path / "shop", tables)
    assert [str(p) for p in check_path(folder)] == [
        "file interactions.csv, row 5, column 'item_id': item id 'isbn-999' is not in the items table"
    ]
    tables["interactions"].loc[3, "item_id"] = "isbn-1"
    ds = load_path(write(folder, tables))
    assert (ds.ratings["rating"] == 5.0).all() and len(ds.positives()) == len(ds.ratings)


def test_check_catalog_takes_the_files_directly(tmp_path):
    folder = broken(tmp_path, "items", "title", 0, "")
    paths = (folder / "items.csv", folder / "interactions.csv", folder / "users.csv")
    assert [str(p) for p in check_catalog(*paths)] == ["file items.csv, row 2, column 'title': title is empty"]
    with pytest.raises(DataProblems, match=r"items\.csv, row 2, column 'title'"):
        load_catalog(*paths)


def test_a_bad_grouplens_file_reports_every_row(tmp_path):
    folder = tmp_path / "ml-100k"
    folder.mkdir()
    flags = "|".join(["0"] * 19)
    (folder / "u.item").write_text(f"1|A (1995)|01-Jan-1995||x|{flags}\n2||01-Jan-1995||x|{flags}\n")
    (folder / "u.data").write_text("1\t1\t5\t881250949\n1\t2\n\n2\t1\tfive\t881250951\n2\t3\t4\t881250951\n")
    (folder / "u.user").write_text("1|24|M|technician|85711\n2|53|F|other|94043\n")
    assert [str(p) for p in check_path(folder, require_trainable=False)] == [
        "file u.data, row 2: expected 4 fields separated by '\\t', found 2",
        "file u.data, row 4, column 'rating': not a number: 'five'",
        "file u.item, row 2, column 'title': title is empty",
        "file u.data, row 5, column 'item_id': item id 3 is not in the items table",
    ]


# ---------------------------------------------------------------- the command line


def test_cli_check_summarises_a_good_catalogue(tmp_path, capsys):
    folder = write(tmp_path / "shop", frames(), {"name": "Corner shop", "noun": "book", "nouns": "books"})
    assert cli.main(["--data", str(folder), "check"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"ok: {N_ITEMS} books, {N_USERS} users, {N_USERS * PER_USER} interactions"
    assert "  items.csv: UTF-8, comma-separated" in out
    assert any(line.startswith("  positives: rating ≥ ") for line in out)


def test_cli_check_says_every_interaction_is_a_positive_without_ratings(tmp_path, capsys):
    """Implicit feedback (no rating column) is not "rating ≥ 4 of 1–5": the rule says what it is."""
    tables = frames()
    tables["interactions"] = tables["interactions"].drop(columns="rating")
    folder = write(tmp_path / "shop", tables, {"name": "Corner shop", "noun": "book", "nouns": "books"})
    assert cli.main(["--data", str(folder), "check"]) == 0
    n = N_USERS * PER_USER
    assert f"  positives: every interaction (no ratings) — {n:,} of {n:,} interactions" in capsys.readouterr().out.splitlines()


@pytest.mark.parametrize("command", [["check"], ["recommend", "--profile", "cosy mysteries", "--quiet"]])
def test_cli_prints_one_error_line_per_problem_and_exits_2(tmp_path, capsys, command):
    tables = frames()
    tables["items"].loc[2, "title"] = ""
    tables["interactions"].loc[0, "rating"] = 42
    tables["interactions"].loc[3, "item_id"] = 999
    folder = write(tmp_path / "shop", tables)
    expected = [f"error: {p}" for p in check_path(folder)]
    assert len(expected) == 3
    assert cli.main(["--data", str(folder), *command]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == expected and captured.out == ""


def test_rows_count_blank_lines_and_parquet_numbers_rows_like_csv(tmp_path):
    tables = frames()
    tables["interactions"].loc[3, "rating"] = 12
    folder = write(tmp_path / "shop", tables)
    lines = (folder / "interactions.csv").read_text().splitlines()
    (folder / "interactions.csv").write_text("\n".join([*lines[:3], "", *lines[3:]]) + "\n")  # a blank line before data row 3
    assert [p.row for p in check_path(folder)] == [6]
    (folder / "interactions.csv").unlink()
    tables["interactions"].astype({"rating": float}).to_parquet(folder / "interactions.parquet")
    assert [str(p) for p in check_path(folder)] == ["file interactions.parquet, row 5, column 'rating': rating 12 is outside 0–10"]
