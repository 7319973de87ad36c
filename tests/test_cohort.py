"""Cohorts: a file with bad rows runs the rest, exported terms add up, exposure measures by hand, clusters, CLI, page.

The engine tests run on the small generic catalogue (three genres, 60 films); the page is
driven with AppTest on MovieLens (slow tier).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from recsys import cli, cohort
from recsys import columns as C

APP = str(Path(__file__).resolve().parent.parent / "app.py")

# Lines 2, 8 and 10 are good; every other data line has something wrong with it (line 6 is blank and passed over quietly).
BAD_ROWS = """text,age,gender,occupation,liked,colour
I love zombie outbreaks and haunted houses,30,F,student,1;2,red
"Robots, aliens and colonies on Mars",abc,M,engineer,,
wedding farces,25,M,artist,999,
,,,,,

talking dogs and road trips,40,X,,,
 ,31,m,Artist,41|42,
family reunion farce, office pranks,20,F,student,,
haunted houses,,,,,
"""
GOOD_LINES = {2, 8, 10}


@pytest.fixture(scope="module")
def bad_file_run(small_explorer):
    people = cohort.read_cohort(BAD_ROWS.encode(), small_explorer)
    return people, cohort.run_cohort(small_explorer, people, k=5)


def test_a_cohort_file_with_bad_rows_reports_them_and_runs_the_rest(bad_file_run):
    people, run = bad_file_run
    problems = cohort.problems_frame(run.problems)
    left_out = problems[problems["skipped"]]
    assert {p.line for p in people.people} == GOOD_LINES
    assert set(run.recommendations["line"]) == GOOD_LINES
    assert run.recommendations.groupby("line").size().to_dict() == {2: 5, 8: 5, 10: 5}
    by_line = {line: " ".join(group["message"]) for line, group in left_out.groupby("line")}
    assert set(by_line) == {3, 4, 5, 7, 9}
    assert "age must be a number" in by_line[3]
    assert "unknown item id '999'" in by_line[4]
    assert "empty row" in by_line[5]
    assert "unknown gender 'X'" in by_line[7]
    assert "quote a text that holds commas" in by_line[9]
    # The unused column is a note about the file, not a row left out; labels are matched with case ignored.
    assert problems[~problems["skipped"]]["column"].tolist() == ["colour"]
    line_8 = next(p for p in people.people if p.line == 8)
    assert line_8.demographics == {C.AGE: 31, C.GENDER: "M", C.OCCUPATION: "artist"} and line_8.liked == (41, 42)


def test_a_file_without_a_text_column_or_not_utf8_is_refused_whole(small_explorer):
    with pytest.raises(ValueError, match="no `text` column"):
        cohort.read_cohort(b"profile,age\nzombies,30\n", small_explorer)
    with pytest.raises(ValueError, match="not UTF-8"):
        cohort.read_cohort("text\nzombies café\n".encode("latin-1"), small_explorer)


def test_a_limit_runs_the_first_people_and_reports_the_rest(small_explorer):
    people = cohort.read_cohort(b"text\nzombies\nrobots\naliens\n", small_explorer, limit=2)
    assert [p.line for p in people.people] == [2, 3]
    assert [(p.line, p.skipped) for p in people.problems] == [(4, True)]


def test_exported_terms_add_up_to_the_score_and_match_the_single_person_path(small_explorer, bad_file_run):
    _, run = bad_file_run
    recs = run.recommendations
    terms = recs[list(cohort.TERM_COLUMNS)].sum(axis=1)
    assert np.allclose(terms, recs[C.SCORE], atol=1e-4)
    assert (recs[[C.DOT_PREFIX + "text", C.DOT_PREFIX + "history", C.DOT_PREFIX + "demo"]].abs().sum() > 0).all()
    # Line 2, through the one-persona path of the New user page, gets the same list with the same scores.
    user = small_explorer.new_user(
        "I love zombie outbreaks and haunted houses", {C.AGE: 30, C.GENDER: "F", C.OCCUPATION: "student"}, (1, 2)
    )
    alone = small_explorer.recommend(user, k=5)
    mine = recs[recs["line"] == 2]
    assert mine[C.ITEM].tolist() == alone[C.ITEM].tolist()
    assert np.allclose(mine[C.SCORE], alone[C.SCORE], atol=1e-6)


def test_coverage_and_gini_by_hand():
    assert cohort.coverage([3, 1, 0, 0]) == 0.5
    # Sorted 0, 0, 1, 3 (n = 4, sum 4): weights 2i − n − 1 = −3, −1, 1, 3 → (1 + 9) / (4 × 4).
    assert cohort.gini([3, 1, 0, 0]) == pytest.approx(10 / 16)
    assert cohort.gini([2, 2, 2, 2]) == 0.0
    assert cohort.gini([0, 0, 0, 4]) == pytest.approx(0.75)
    assert cohort.gini([0, 0]) == 0.0


def test_the_view_counts_exposure_over_the_whole_catalogue(small_explorer, bad_file_run):
    _, run = bad_file_run
    view = cohort.cohort_view(small_explorer, run)
    shown = run.recommendations[C.ITEM]
    counts = np.array([(shown == i).sum() for i in small_explorer.items[C.ITEM]])
    assert view.n_people == 3 and view.distinct_items == shown.nunique()
    assert view.coverage == pytest.approx(shown.nunique() / 60)
    assert view.gini == pytest.approx(cohort.gini(counts))
    # Each genre's shown share is the share of the 15 slots holding it; the catalogue is a third of each.
    genres = view.mix[view.mix["attribute"] == C.GENRES].set_index("value")
    by_hand = (run.recommendations[C.GENRES].str.split("|").explode().value_counts() / 15).reindex(genres.index, fill_value=0.0)
    assert genres["shown"].to_dict() == pytest.approx(by_hand.to_dict())
    assert genres["catalogue"].to_dict() == pytest.approx({g: 1 / 3 for g in ("Horror", "Comedy", "Sci-Fi")})
    top = view.reach.iloc[0]
    assert top["people"] == shown.value_counts().max() and top["share"] == pytest.approx(top["people"] / 3)


def test_decades_are_listed_oldest_first(small_explorer):
    """Decades are an ordered axis: the chart reads them in time order, whatever their shares (not by share)."""
    every_row = np.arange(small_explorer.dataset.n_items)
    shown = np.array([r for r in every_row if small_explorer.items[C.YEAR].iloc[r] >= 1970] * 5 + list(every_row))
    mix = cohort.attribute_mix(small_explorer, shown, every_row)
    decades = mix[mix["attribute"] == C.YEAR]["value"].tolist()
    assert len(decades) >= 2 and decades == sorted(decades, key=lambda d: int(d[:-1])), decades
    by_share = mix[mix["attribute"] == C.YEAR].sort_values("shown", ascending=False)["value"].tolist()
    assert by_share != decades  # the test is only worth something when share order and time order differ


def test_clusters_group_identical_and_near_identical_lists():
    ten = tuple(range(10))
    lists = {"a": ten, "b": ten[::-1], "c": (*ten[:9], 99), "d": tuple(range(50, 60)), "e": (*range(50, 55), *range(70, 75))}
    found = cohort.clusters(lists, threshold=0.8)  # c shares 9 of 11 items with a (0.82); e shares 5 of 15 with d
    assert found[["size", "identical", "shared_items"]].to_dict("records") == [{"size": 3, "identical": False, "shared_items": 9}]
    assert found["people"].iloc[0] == ["a", "b", "c"]
    exact = cohort.clusters(lists, threshold=1.0)
    assert exact[["size", "identical", "people"]].to_dict("records") == [{"size": 2, "identical": True, "people": ["a", "b"]}]
    assert cohort.clusters({"a": ten}).empty


def test_profiles_read_as_nothing_are_listed(small_explorer):
    people = cohort.Cohort((cohort.Person("gibberish", 2, "qwxz plorf"), cohort.Person("fan", 3, "I love horror films")))
    view = cohort.cohort_view(small_explorer, cohort.run_cohort(small_explorer, people, k=3))
    assert view.unread[["person", "reading"]].to_dict("records") == [{"person": "gibberish", "reading": "empty"}]


def test_profiles_the_text_model_was_given_otherwise_than_typed_are_listed_with_the_note(small_explorer, tmp_path):
    """A Chinese profile (the English text model was given its English reading) and one cut to the model's length were
    run with notes New user shows, and the cohort said "Every profile text was read"."""
    long = "I love horror films, the slower and darker the better. " * 40  # past the text model's 256 tokens
    people = cohort.Cohort((
        cohort.Person("zh", 2, "我喜欢科幻电影，不喜欢恐怖片"), cohort.Person("long", 3, long), cohort.Person("fan", 4, "I love horror films"),
    ))  # fmt: skip
    run = cohort.run_cohort(small_explorer, people, k=3)
    view = cohort.cohort_view(small_explorer, run)
    listed = {p["person"]: p for p in view.unread.to_dict("records")}
    assert set(listed) == {"zh", "long"}
    assert cohort.flagged(listed["long"]) == "a note on the text"  # the Chinese one may be read as nothing here too
    for name in ("zh", "long"):
        said = run.people.set_index("person").loc[name, "notes"]
        assert said and listed[name]["notes"] == said
    problems = cohort.problems_report(run, view)
    said = problems.set_index("person")["message"]
    assert all(listed[name]["notes"] in said[name] for name in ("zh", "long"))


def test_a_sample_of_users_comes_with_their_demographics_and_first_likes(small_explorer):
    first = cohort.sample_cohort(small_explorer, 5, np.random.default_rng(3))
    again = cohort.sample_cohort(small_explorer, 5, np.random.default_rng(3))
    assert first == again and len(first.people) == 5
    person = first.people[0]
    user_id = int(person.person.removeprefix("user "))
    ratings = small_explorer.ratings
    liked = ratings[(ratings[C.USER] == user_id) & (ratings[C.RATING] == 5)].sort_values(C.TIMESTAMP)[C.ITEM].head(3)
    assert person.liked == tuple(liked) and person.text
    record = small_explorer.users.set_index(C.USER).loc[user_id]
    assert person.demographics == {C.AGE: record[C.AGE], C.GENDER: record[C.GENDER], C.OCCUPATION: record[C.OCCUPATION]}
    assert len(cohort.sample_cohort(small_explorer, 1000, np.random.default_rng(0)).people) == small_explorer.dataset.n_users


def test_the_cli_writes_its_files(small_catalogue, tmp_path, capsys):
    source = tmp_path / "cohort.csv"
    source.write_text(BAD_ROWS)
    out = tmp_path / "out"
    status = cli.main(["--data", str(small_catalogue), "cohort", str(source), "--out", str(out), "-k", "4", "--quiet"])
    assert status == 0
    printed = capsys.readouterr().out
    assert "3 people ranked (top-4)" in printed and "line 4: unknown item id '999'" in printed
    written = pd.read_csv(out / "recommendations.csv")
    parquet = pd.read_parquet(out / "recommendations.parquet")
    assert len(written) == 12 and written.columns.tolist() == cohort.EXPORT_COLUMNS
    pd.testing.assert_frame_equal(written, parquet, check_dtype=False)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["people"] == 3 and summary["k"] == 4 and 0 < summary["coverage"] <= 1
    problems = pd.read_csv(out / "problems.csv")
    assert set(problems.loc[problems["skipped"], "line"]) == {3, 4, 5, 7, 9}


def test_the_cli_wants_a_file_or_a_sample(capsys):
    assert cli.main(["cohort", "--out", "somewhere"]) == 2
    assert "give a cohort FILE or --sample N" in capsys.readouterr().err


@pytest.mark.slow
def test_the_cohort_page_runs_an_upload_and_a_sample(explorer):
    from streamlit.testing.v1 import AppTest

    from ui import literal, session

    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    at.switch_page("app_pages/cohort.py")
    at.run()
    assert not at.exception, at.exception
    upload = "text,age,liked\nspace operas and robots,34,50;181\ngory slasher films,19,\nwesterns,200,\ncomedies,30,99999\n"
    at.file_uploader(key=session.COHORT_FILE).set_value(("survey.csv", upload.encode(), "text/csv"))
    at.run()
    next(b for b in at.button if b.label == "Run the cohort").click()
    at.run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["People ranked"] == "2"
    assert {"Gini of exposure", "Popularity percentile", "Near-identical groups"} <= set(metrics)
    assert float(metrics["Gini of exposure"]) > 0.9  # two lists of 20 over 1,664 films
    # The coverage's 1,664 says why it is not the catalogue's 1,682 (MovieLens lists 18 films twice), short enough for
    # its chip, and its help says how many.
    coverage = next(m for m in at.metric if m.label == "Coverage of the films").proto
    assert coverage.delta.endswith(" of 1,664 distinct") and len(coverage.delta) <= 26, coverage.delta
    assert "(1,664: the 18 second entries of a title listed twice count once)" in coverage.help
    assert any("2 rows were left out" in w.value for w in at.warning)
    left_out = at.dataframe[0].value  # the first table: the rows left out
    assert left_out["line"].tolist() == [4, 5] and "age must be between" in left_out["message"].iloc[0]
    _, _, run, _ = at.session_state[session.COHORT_RESULT]
    assert set(run.recommendations["line"]) == {2, 3}
    changed = lambda: [i.value for i in at.info if i.value.startswith("The form has changed")]  # noqa: E731
    assert changed() == []
    # The sample path: N users of the catalogue. Until it runs, the upload's results stay, and the page says what changed.
    at.radio(key=session.COHORT_SOURCE).set_value("A sample of this catalogue's users")
    at.run()
    at.number_input(key=session.COHORT_SAMPLE).set_value(30)
    at.run()
    size = len(upload.encode())
    assert changed() == [
        "The form has changed since the run below — people: a sample of 30 users with their profile text (the run shown: the "
        f"file {literal.md('survey.csv')} ({size:,} bytes)). **Run the cohort** to replace it."
    ], changed()
    next(b for b in at.button if b.label == "Run the cohort").click()
    at.run()
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric}["People ranked"] == "30"
    assert changed() == []
    at.slider(key=session.COHORT_K).set_value(30)
    at.run()
    assert changed() == [
        "The form has changed since the run below — list length: top-30 (the run shown: top-20). **Run the cohort** to replace it."
    ]


def test_two_rows_with_one_name_are_two_people(small_explorer, tmp_path):
    path = tmp_path / "same_name.csv"
    path.write_text("person,text\nAlice,horror films\nAlice,comedies please\nBob,sci-fi\n", encoding="utf-8")
    people = cohort.read_cohort(path, small_explorer)
    view = cohort.cohort_view(small_explorer, cohort.run_cohort(small_explorer, people, k=5))
    assert view.n_people == 3
    assert (view.reach["share"] <= 1.0).all()


def test_a_chart_of_fewer_values_than_the_attribute_has_says_so(small_explorer):
    """The genre chart drew the 12 largest of MovieLens' 18 genres without a word (Animation, 4.8% of what was shown,
    left out): every value fits now, and a cut chart carries how many there are."""
    every_row = np.arange(small_explorer.dataset.n_items)
    mix = cohort.attribute_mix(small_explorer, every_row, every_row)
    genres = mix[mix["attribute"] == C.GENRES]
    assert len(genres) == 3 and set(genres["values"]) == {3}
    cut = cohort.attribute_mix(small_explorer, every_row, every_row, top=2)
    assert len(cut[cut["attribute"] == C.GENRES]) == 2 and set(cut[cut["attribute"] == C.GENRES]["values"]) == {3}


def test_the_problems_download_holds_every_problem_the_page_lists(small_explorer, tmp_path):
    """Two profiles listed on screen as read as nothing downloaded as a header alone: problems.csv held the rows left
    out only. Now it holds those, then everyone the page lists as read as nothing or unsure, and the summary counts them."""
    path = tmp_path / "survey.csv"
    path.write_text("text,age\nspace operas and robots,30\nqwxz blorp vrrm,40\nwesterns,200\n", encoding="utf-8")
    run = cohort.run_cohort(small_explorer, cohort.read_cohort(path, small_explorer), k=5)
    view = cohort.cohort_view(small_explorer, run)
    assert view.unread["line"].tolist() == [3]  # on screen: the nonsense line
    written = cohort.export(run, view, tmp_path / "out")
    problems = pd.read_csv(written["problems.csv"])
    assert problems[["line", "kind"]].values.tolist() == [[4, "left out"], [3, "read as nothing"]]
    assert problems.loc[problems["kind"] == "read as nothing", "skipped"].tolist() == [False]
    summary = json.loads(written["summary.json"].read_text())
    assert summary["problems"] == 2 and summary["left_out"] == 1
