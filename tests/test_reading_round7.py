"""What the seventh round of sentences taught the rules: tastes said through content and mood words ("nothing
violent", "no swearing, sex or horror", "gore doesn't bother me") rather than genre names.

Found on the first writer's sentences of ``bench/reading/round7/built.jsonl``; the sentences here are new wordings of
the same constructions, with look-alikes that must not flip. The attitude model is a spy that never rules anything
out, so what is tested is the rules alone.
"""

from __future__ import annotations

import pytest
from attitude_spy import read_by_rules

FILMS = ["Action", "Children's", "Comedy", "Crime", "Drama", "Horror", "Musical", "Romance", "Thriller", "War", "Western"]
VIOLENT = ("Action", "Crime", "Thriller", "War")


def reads(text: str, genres: list[str] = FILMS) -> tuple[set, set]:
    reading = read_by_rules(text, genres)
    return set(reading.wants), set(reading.rules_out)


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        # A word that names genres only when ruled out.
        ("Nothing violent, please.", (), VIOLENT),
        ("no violence at all, we're watching with grandma", (), VIOLENT),
        ("Something gentle - nothing violent or gory.", (), (*VIOLENT, "Horror")),
        # Said approvingly, or describing a genre named beside it, it names nothing of its own.
        ("I love a violent revenge western.", ("Western",), ()),
        ("Gangster films are too violent for me.", (), ("Crime",)),
        ("no violent comedies", (), ("Comedy",)),
        ("Violence doesn't bother me at all.", (), ()),
    ],
)
def test_violence_rules_out_the_violent_genres_only_when_it_is_ruled_out(text: str, wants: tuple, rules_out: tuple) -> None:
    assert reads(text) == (set(wants), set(rules_out)), text


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        # The cue before it reaches the genre after it.
        ("No swearing, nudity or horror.", (), ("Horror",)),
        ("nothing with drugs, guns or war in it", (), ("War",)),
        # ... and a cue before it is about it, not about the genre before the cue.
        ("my kids will be on the sofa with me, so nothing with swearing", ("Children's",), ()),
        ("it's family movie night, so nothing with sex or swearing", ("Children's",), ()),
        ("a film for the kids tonight so no swearing or nudity please", ("Children's",), ()),
    ],
)
def test_content_that_is_no_genre_sits_in_a_list_of_genres(text: str, wants: tuple, rules_out: tuple) -> None:
    assert reads(text) == (set(wants), set(rules_out)), text


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("Blood and guts don't bother me one bit, bring on the horror", ("Horror",), ()),
        ("I'm not fussed about gore", ("Horror",), ()),
        ("not too fussed how violent a heist film gets", ("Crime",), ()),
        ("I can handle any amount of gore", ("Horror",), ()),
        ("the gorier the better, honestly, the happier I am", ("Horror",), ()),
        # The same words with a plain dislike keep ruling out.
        ("Gore bothers me, no horror", (), ("Horror",)),
        ("I can't handle gore", (), ("Horror",)),
        ("rarely bother with westerns", (), ("Western",)),  # "bother with" is a dislike, "bother me" is not
    ],
)
def test_a_dislike_denied_is_no_dislike(text: str, wants: tuple, rules_out: tuple) -> None:
    assert reads(text) == (set(wants), set(rules_out)), text


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("Nothing that'll have me sobbing into a tissue.", (), ("Drama",)),
        ("heartbreakers are my weakness", ("Drama",), ()),
        ("no serial killer stuff please", (), ("Thriller",)),
        ("something steamy for the beach", ("Romance",), ()),
        ("i've sat through enough cartoons for kids to last a lifetime", (), ("Children's",)),
        ("Nothing kiddy.", (), ("Children's",)),
        ("outlaws and frontier towns, yes please", ("Western",), ()),
        ("no murders or dead bodies tonight", (), ("Crime",)),
    ],
)
def test_content_and_mood_words_name_their_genres(text: str, wants: tuple, rules_out: tuple) -> None:
    assert reads(text) == (set(wants), set(rules_out)), text


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("I can't watch anything with torture in it, particularly the serial killer ones", (), ("Thriller",)),
        ("not keen on long films, especially war epics", (), ("War",)),
        ("Musicals aren't for me, above all the cowboy ones", (), ("Musical", "Western")),
        # A liking singled out stays a liking.
        ("I love war films, especially the ones about soldiers", ("War",), ()),
        ("No westerns. Comedies, especially romcoms, are my thing.", ("Comedy", "Romance"), ("Western",)),
    ],
)
def test_a_clause_singling_out_part_of_a_dislike_shares_it(text: str, wants: tuple, rules_out: tuple) -> None:
    assert reads(text) == (set(wants), set(rules_out)), text
