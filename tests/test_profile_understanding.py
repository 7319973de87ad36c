"""Profiles read the way people write them, on the real model: every case of the benchmark meets its target."""

from __future__ import annotations

import numpy as np
import pytest

from recsys import columns as C
from recsys.reading import Reading
from recsys_bench.profiles import CASES, score_case

pytestmark = [pytest.mark.slow, pytest.mark.eval]


@pytest.mark.parametrize("case", CASES, ids=[c.text[:40] for c in CASES])
def test_each_profile_gets_what_it_says(explorer, case):
    row = score_case(explorer, case)
    assert row["met"], row


def test_every_term_still_adds_up_with_a_reading(explorer):
    recs = explorer.recommend(
        explorer.new_user("Westerns from the sixties, but no war films. I loved The Good, the Bad and the Ugly."), k=20
    )
    assert np.allclose(recs["score"], recs["mu"] + recs["b_u"] + recs["b_i"] + recs["dot"], atol=1e-4)
    assert np.allclose(recs[[c for c in recs if c.startswith("dot_")]].sum(axis=1), recs["dot"], atol=1e-4)
    assert (recs["dot_avoid"] <= 0).all() and (recs["dot_era"] <= 0).all()


def test_removing_a_chip_brings_the_genre_back(explorer):
    user = explorer.new_user("Anything except horror")
    assert user.reading.rules_out == ("Horror",)
    edited = explorer.new_user("Anything except horror", reading=user.reading.without("rules_out", "Horror"))
    assert not edited.explicit.any()
    assert explorer.recommend(edited, k=20)["dot_avoid"].eq(0).all()


def test_the_form_wins_over_what_the_text_says(explorer):
    user = explorer.new_user("I am a 70-year-old retired nurse", demographics={"age": 30})
    assert user.demographics["age"] == 30 and user.demographics["occupation"] == "retired"


def test_an_empty_reading_is_the_text_alone(explorer):
    read = explorer.new_user("I love comedies but I hate romance")
    unread = explorer.new_user("I love comedies but I hate romance", reading=Reading())
    assert read.reading.rules_out and not unread.explicit.any()
    assert not np.allclose(read.text_vector, unread.text_vector)  # the model saw "I love comedies"


@pytest.mark.parametrize(
    "text",
    [
        "I love horror but hate horror",
        "no horror, no romance, no musicals",
        "I loved 'Blade Runner 2049' and Zzyzx Road",
        "Don't Be a Menace to South Central While Drinking Your Juice in the Hood and Nobody's Fool",
        "x" * 12_000,
        "",
    ],
)
def test_awkward_profiles_get_a_sensible_reading_never_a_crash(explorer, text):
    if not text:
        with pytest.raises(ValueError, match="describe the person"):
            explorer.new_user(text)
        return
    user = explorer.new_user(text)
    assert len(explorer.recommend(user, k=10)) == 10
    assert not set(user.reading.wants) & set(user.reading.rules_out)


def test_contradictions_and_unknown_titles_are_said(explorer):
    assert any("ruled out" in w for w in explorer.new_user("I love horror but hate horror").warnings)
    assert any("Blade Runner 2049" in w for w in explorer.new_user("I loved 'Blade Runner 2049'").warnings)


def test_negation_words_inside_titles_rule_nothing_out(explorer):
    user = explorer.new_user("I liked Nobody's Fool and Don't Be a Menace to South Central While Drinking Your Juice in the Hood")
    assert user.reading.rules_out == ()
    assert len(user.liked) == 2


def test_fifty_named_titles(explorer):
    titles = explorer.items[C.TITLE].head(50).str.replace(r"\s*\(\d{4}\)$", "", regex=True)
    user = explorer.new_user("I liked " + ", ".join(f"'{t}'" for t in titles))
    assert 1 <= len(user.liked) <= 20
    assert not set(user.liked) & set(explorer.recommend(user, k=20)[C.ITEM])


def test_a_chinese_profile_reaches_the_english_text_model_as_its_reading(explorer):
    """The English-only MiniLM cannot read Chinese: it is given the reading's wishes in English, so the list follows the
    chips ("wants Sci-Fi") instead of whatever the characters embed to; an English profile is embedded as before."""
    from recsys.explorer import model_text

    user = explorer.new_user("我喜欢科幻电影，不喜欢恐怖片")
    assert user.reading.wants == ("Sci-Fi",) and user.reading.rules_out == ("Horror",)
    assert explorer.embedded_text(user) == "Sci-Fi films"
    assert any("reads English only" in w and "“Sci-Fi films”" in w for w in user.warnings), user.warnings
    assert explorer.encoder.script_warning not in user.warnings  # it was not given the script: no "unreliable" beside it
    recs = explorer.recommend(user, k=20)
    genres = recs[C.GENRES].tolist()
    assert sum("Sci-Fi" in g for g in genres) >= 10, recs["title"].tolist()
    assert not any("Horror" in g for g in genres)
    english = explorer.new_user("I like sci-fi films but not horror")
    assert explorer.embedded_text(english) == model_text(english.text, english.reading)
