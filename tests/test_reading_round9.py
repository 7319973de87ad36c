"""What the ninth round of sentences taught the reader: a reaction says what is disliked ("Horror? I fall asleep every
time"), a condition between a genre and the reaction to it says when ("Musicals: if anyone starts singing, I switch
off"), and a clause that only says how something is disliked ("I walk out") is no interest for the text model.

Found on a newcomer's walk ("if a character sings instead of talking I walk out" drove the list by "walk out") and on
the first writer's sentences of ``bench/reading/round9/built.jsonl``; the sentences here are new wordings of the same
constructions, with look-alikes that must not flip.
"""

from __future__ import annotations

import pytest
from attitude_spy import Spy, genres_read, one_item_per_genre, read_by_rules

from recsys.reading import ProfileReader

FILMS = [
    "Action",
    "Children's",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Horror",
    "Musical",
    "Romance",
    "Sci-Fi",
    "Thriller",
    "War",
    "Western",
]


def reads(text: str) -> tuple[set, set]:
    return genres_read(text, FILMS)


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        # A reaction with nothing after it answers the bare question or fragment before it.
        ("Horror? I fall asleep every time. Comedies please.", ("Comedy",), ("Horror",)),
        ("westerns... i just zone out", (), ("Western",)),
        ("War films? I'm out of the room. Give me a comedy.", ("Comedy",), ("War",)),
        # A condition between them says when, and what, when it names it.
        ("Musicals: if anyone starts singing, I switch off. I like westerns.", ("Western",), ("Musical",)),
        ("Romance, the moment the kissing starts I change the channel", (), ("Romance",)),
        ("when the aliens land I tune out, so a crime drama instead", ("Crime", "Drama"), ("Sci-Fi",)),
        # Look-alikes: a condition that names no genre is about the writer, and a reaction after a liking is no dislike.
        ("I love westerns, but if it rains I switch off", ("Western",), ()),
        ("if it's a comedy I'm happy", ("Comedy",), ()),
        ("I could watch thrillers all night and never nod off", ("Thriller",), ()),
    ],
)
def test_a_reaction_rules_out_what_it_answers(text: str, wants: tuple, rules_out: tuple) -> None:
    assert reads(text) == (set(wants), set(rules_out)), text


def test_a_reaction_that_places_nothing_is_left_to_the_attitude_model() -> None:
    """ "I nod off halfway through any western": the reaction comes before its genre, which the rules do not read; the
    clause goes to the attitude model as before, not read as a wish because it holds a cue."""
    spy = Spy(0.9)
    reading = ProfileReader(one_item_per_genre(FILMS), attitude=spy).read("I nod off halfway through any western")
    assert spy.asked == ["I nod off halfway through any western"]
    assert reading.rules_out == ("Western",)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # The walk's sentence: the reaction and its condition are how the musical is disliked, not interests.
        (
            "Anything but people bursting into song - if a character sings instead of talking I walk out. Give me clever heists.",
            "Give me clever heists.",
        ),
        ("Musicals: if anyone starts singing, I switch off. I like westerns.", "I like westerns."),
        ("Horror? I fall asleep every time. Comedies please.", "Comedies please."),
    ],
)
def test_a_clause_that_only_says_how_something_is_disliked_is_not_read_by_the_text_model(text: str, kept: str) -> None:
    assert read_by_rules(text, FILMS).kept_text == kept
