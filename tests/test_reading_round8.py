"""What the eighth round of sentences taught the reader: complaints of excess that lead or answer a clause ("way too
cheesy for me: big dance numbers"), approvals that answer one ("Gory? Fine by me", "the scarier the better"), "X is for
my nephew, not me", "feels like a lecture", and the words of a genre a catalogue shelves elsewhere ("nothing gory" on a
bookshop with no Horror shelf).

Found on the first writer's sentences of ``bench/reading/round8/built.jsonl``; the sentences here are new wordings of
the same constructions, with look-alikes that must not flip.
"""

from __future__ import annotations

import pytest
from attitude_spy import Spy, one_item_per_genre, read_by_rules

from recsys.reading import ProfileReader

FILMS = ["Action", "Children's", "Comedy", "Crime", "Documentary", "Drama", "Horror", "Musical", "Romance", "Thriller", "War", "Western"]
BOOKS = ["Children's", "Cookery", "Fantasy", "Historical fiction", "History", "Mystery", "Romance", "Thriller", "Travel"]


def reads(text: str, genres: list[str] = FILMS) -> tuple[set, set]:
    reading = read_by_rules(text, genres)
    return set(reading.wants), set(reading.rules_out)


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        # A complaint that is its clause's whole say answers the clause before it ...
        ("musicals, way too cheesy for me", (), ("Musical",)),
        ("Westerns? Far too slow for my taste.", (), ("Western",)),
        # ... and with nothing before it, leads what follows: after a colon whatever the clauses name, else a list.
        ("Way too cheesy for me: big dance numbers, people bursting into song", (), ("Musical",)),
        ("Too grim: war films.", (), ("War",)),
        ("too sugary and too silly, all that singing and dancing", (), ("Musical",)),
        ("Too bleak for me: war films. I love a good comedy", ("Comedy",), ("War",)),
        # Look-alikes: less of it is still a wish, and "too much" of a liking is no complaint.
        ("need a film for date night, something romantic but not too cheesy", ("Romance",), ()),
        ("westerns, I love them way too much", ("Western",), ()),
        ("history books are too dry", (), ()),
    ],
)
def test_a_complaint_of_excess_answers_or_leads_a_clause(text: str, wants: tuple, rules_out: tuple) -> None:
    assert reads(text) == (set(wants), set(rules_out)), text


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("Picture books and talking animals are for my nephew, not me.", (), ("Children's",)),
        ("westerns are for my dad, not for me", (), ("Western",)),
        ("romance novels are for my sister, and for me too", ("Romance",), ()),
    ],
)
def test_what_is_meant_for_someone_else_not_me_is_ruled_out(text: str, wants: tuple, rules_out: tuple) -> None:
    assert reads(text) == (set(wants), set(rules_out)), text


def read_with(text: str, p: float, genres: list[str] = FILMS) -> tuple[tuple[set, set], list[str]]:
    """``text`` read with an attitude model that answers ``p`` to every clause, and the clauses it was asked."""
    spy = Spy(p)
    reading = ProfileReader(one_item_per_genre(genres), attitude=spy).read(text)
    return (set(reading.wants), set(reading.rules_out)), spy.asked


@pytest.mark.parametrize(
    "text",
    [
        "Gory? Bloody? Fine by me, the messier the better. Bring on the slashers",
        "creepy slow-burn dread is exactly what I'm after",
        "zombie films, the gorier the better",
        "I feel like a good western tonight",
        "feel like some horror tonight",
    ],
)
def test_an_approval_is_a_wish_the_attitude_model_is_not_asked_about(text: str) -> None:
    """An attitude model that would rule everything out is not asked: the clause is placed as a wish."""
    (wants, rules_out), asked = read_with(text, 1.0)
    assert wants and not rules_out and not asked, (text, wants, rules_out, asked)


@pytest.mark.parametrize(
    ("text", "ruled"),
    [
        ("documentaries always feel like a lecture to me", "Documentary"),
        ("musicals just sound like a chore", "Musical"),
    ],
)
def test_a_likeness_is_no_liking_and_is_left_to_the_attitude_model(text: str, ruled: str) -> None:
    (wants, rules_out), asked = read_with(text, 1.0)
    assert rules_out == {ruled} and not wants and asked, (text, wants, rules_out, asked)
    # Its answer decides: the same clause read as a wish when the model says so.
    (wants, rules_out), _ = read_with(text, 0.0)
    assert wants == {ruled} and not rules_out


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        # A bookshop has no Horror, Crime or War shelf: their words, ruled out, rule out where it keeps such stories.
        ("I read in bed, so nothing creepy or gory", (), ("Thriller",)),
        ("nothing about the trenches or soldiers please, I want a travel book", ("Travel",), ("History", "Historical fiction")),
        ("I scare easily, so cosy mysteries only", ("Mystery",), ("Thriller",)),
        # Asked for, they ask for no shelf of their own: the creepier murder mystery is a mystery.
        ("the creepier the old country-house murder mystery the better", ("Mystery",), ()),
        ("gore doesn't bother me, I tear through thrillers", ("Thriller",), ()),
    ],
)
def test_words_of_a_genre_the_catalogue_shelves_elsewhere_rule_that_shelf_out(text: str, wants: tuple, rules_out: tuple) -> None:
    assert reads(text, BOOKS) == (set(wants), set(rules_out)), text


def test_a_catalogue_with_the_genre_reads_its_words_as_that_genre() -> None:
    """MovieLens has Horror: "nothing gory" rules out Horror there, never Thriller."""
    assert reads("nothing creepy or gory") == (set(), {"Horror"})


@pytest.mark.parametrize("text", ["no stabbings please", "No massacres."])
def test_the_plural_of_an_everyday_word_is_not_corrected_to_a_genre_word(text: str) -> None:
    """ "stabbings" is two edits from "sobbing" (Drama); it is the plural of "stabbing", a word the vocabulary has."""
    _, rules_out = reads(text)
    assert "Drama" not in rules_out, rules_out
