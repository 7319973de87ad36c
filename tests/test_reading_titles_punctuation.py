"""Titles with a sentence break of their own: "To Wong Foo, Thanks for Everything! Julie Newmar", "Tie Me Up! Tie Me Down!".

The reader cuts text at "!" and "?" before it looks for titles, so such a title, typed exactly as the catalogue spells
it, came out as two or three unsure pieces ("To Wong Foo", "Thanks for Everything", "Julie Newmar"). Typed whole, it
is one liked film; an exclamation between ordinary words stays an exclamation.
"""

from __future__ import annotations

import pandas as pd
import pytest

from recsys.reading import ProfileReader

TITLES = (
    "To Wong Foo, Thanks for Everything! Julie Newmar (1995)", "Tie Me Up! Tie Me Down! (1990)", "Love! Valour! Compassion! (1997)",
    "Hot Shots! Part Deux (1993)", "Heat (1995)", "Mars Attacks! (1996)", "Love Jones (1997)", "Compassion (2001)",
)  # fmt: skip


@pytest.fixture(scope="module")
def films() -> ProfileReader:
    items = pd.DataFrame({
        "item_id": [f"f{n}" for n in range(len(TITLES))], "title": list(TITLES),
        "year": [float(t[-5:-1]) for t in TITLES], "genres": [["Comedy"]] * len(TITLES),
    })  # fmt: skip
    return ProfileReader(items)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (
            "I loved To Wong Foo, Thanks for Everything! Julie Newmar and Heat",
            ["To Wong Foo, Thanks for Everything! Julie Newmar (1995)", "Heat (1995)"],
        ),
        ("Tie Me Up! Tie Me Down! was great", ["Tie Me Up! Tie Me Down! (1990)"]),
        ("Love! Valour! Compassion! is a favourite of mine", ["Love! Valour! Compassion! (1997)"]),
        ("Hot Shots! Part Deux made me laugh", ["Hot Shots! Part Deux (1993)"]),
        ("Mars Attacks! and Heat", ["Mars Attacks! (1996)", "Heat (1995)"]),
    ],
)
def test_a_title_typed_whole_across_its_own_exclamation_is_one_film(films: ProfileReader, text: str, named: list[str]) -> None:
    reading = films.read(text)
    assert [t.title for t in reading.titles if t.confident] == named
    assert all(t.confident for t in reading.titles)


def test_an_exclamation_between_ordinary_words_names_no_film(films: ProfileReader) -> None:
    reading = films.read("I hate horror! Love comedies, and compassion matters to me.")
    assert not [t for t in reading.titles if t.confident]


@pytest.mark.parametrize(
    "text",
    [
        "Westerns? I like it. Like that one with the duel.",
        "Westerns? I like it! Like that one.",
        "I Like It; Like That is what my kids say",
    ],
)
def test_two_sentences_that_spell_a_title_without_its_punctuation_name_no_film(text: str) -> None:
    reader = ProfileReader(
        pd.DataFrame(
            {
                "item_id": ["a", "b"],
                "title": ["I Like It Like That (1994)", "Heat (1995)"],
                "year": [1994.0, 1995.0],
                "genres": [["Comedy"], ["Crime"]],
            }
        )
    )
    assert not [t for t in reader.read(text).titles if t.confident]
