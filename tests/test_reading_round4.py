"""What the fourth round of sentences taught the rules: someone else's taste, polite and worn-out exclusions, litotes,
and everyday words for genres.

Found on the first writer's sentences of ``bench/reading/round4/built.jsonl``; the sentences here are new wordings of
the same ways of putting things. The attitude model is a spy that never rules anything out, so what is tested is the
rules alone.
"""

from __future__ import annotations

import pandas as pd
import pytest
from attitude_spy import Spy

from recsys.reading import ProfileReader

GENRES = ["Western", "Comedy", "Crime", "Animation", "Horror", "Sci-Fi", "Poetry", "Science", "Business", "Thriller", "Travel"]
ITEMS = pd.DataFrame(
    {
        "item_id": list(range(1, len(GENRES) + 1)),
        "title": [f"Item number {n} ({1950 + n})" for n in range(1, len(GENRES) + 1)],
        "year": [1950.0 + n for n in range(1, len(GENRES) + 1)],
        "genres": [[g] for g in GENRES],
    }
)


def read(text: str):
    return ProfileReader(ITEMS, attitude=Spy(0.0)).read(text)


@pytest.mark.parametrize(
    ("text", "wants"),
    [
        ("My husband is obsessed with westerns, but I want something funny.", ("Comedy",)),
        ("The kids are crazy about cartoons; I'm after a good crime film.", ("Crime",)),
        ("My other half devours poetry. I'd like some science books.", ("Science",)),
        ("My flatmate's sci-fi collection is huge. For me, a thriller.", ("Thriller",)),
    ],
)
def test_a_genre_someone_else_likes_is_neither_wanted_nor_ruled_out_when_the_writer_speaks_too(text: str, wants: tuple) -> None:
    reading = read(text)
    assert set(reading.wants) == set(wants) and reading.rules_out == ()


@pytest.mark.parametrize(
    ("text", "wants"),
    [
        ("My kids love cartoons.", ("Animation",)),  # a parent asking for them: no word of the writer's own
        ("My partner and I love westerns.", ("Western",)),  # the writer shares it
        ("I and my sister both love horror.", ("Horror",)),
    ],
)
def test_a_genre_stays_wanted_when_the_writer_shares_it_or_says_nothing_else(text: str, wants: tuple) -> None:
    assert set(read(text).wants) == set(wants)


@pytest.mark.parametrize(
    ("text", "rules_out"),
    [
        ("Please refrain from suggesting horror films.", ("Horror",)),
        ("Burnt out on westerns.", ("Western",)),
        ("Westerns: hard pass.", ("Western",)),
        ("I would ask that poetry be excluded.", ("Poetry",)),
        ("Kindly omit business books.", ("Business",)),
        ("I'd ask that thrillers not be included.", ("Thriller",)),
        ("Crime films? Had my fill.", ("Crime",)),
    ],
)
def test_polite_and_worn_out_exclusions_rule_their_genre_out(text: str, rules_out: tuple) -> None:
    reading = read(text)
    assert set(reading.rules_out) == set(rules_out) and reading.wants == ()


@pytest.mark.parametrize(
    ("text", "genre"),
    [
        ("I'm not averse to a good western.", "Western"),
        ("I have nothing against poetry.", "Poetry"),
        ("I'd hardly complain about more thrillers.", "Thriller"),
        ("I've never been one to turn down a comedy.", "Comedy"),
    ],
)
def test_a_negation_that_is_denied_is_no_exclusion(text: str, genre: str) -> None:
    reading = read(text)
    assert genre in reading.wants and genre not in reading.rules_out


@pytest.mark.parametrize(
    ("text", "genre"),
    [
        ("Stories on distant planets.", "Sci-Fi"),
        ("Books about black holes and evolution.", "Science"),
        ("Pacey page turners.", "Thriller"),
        ("Writing about faraway places.", "Travel"),
        ("Shoot em ups.", None),  # an Action phrase: no Action in this catalogue, so nothing is read
    ],
)
def test_everyday_words_for_genres(text: str, genre: str | None) -> None:
    reading = read(text)
    assert reading.wants == ((genre,) if genre else ()) and reading.rules_out == ()


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("My husband can't stand westerns; I love them.", ("Western",), ()),  # their dislike, the writer's wish
        ("My wife adores horror and I love it too.", ("Horror",), ()),  # the writer points back: shared
    ],
)
def test_someone_elses_dislike_or_a_shared_taste_is_left_to_the_other_rules(text: str, wants: tuple, rules_out: tuple) -> None:
    reading = read(text)
    assert set(reading.wants) == set(wants) and set(reading.rules_out) == set(rules_out)
