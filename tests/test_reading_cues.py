"""Cues the rules read from how things are put: scores, praise, cancelled negations, and words that are no cue.

Each was found on sentences written by someone who had not seen the reader (``bench/reading/round3/built.jsonl``);
the attitude model is a spy here, so what is tested is which clauses the rules place and which they hand on.
"""

from __future__ import annotations

import pytest
from attitude_spy import Spy, one_item_per_genre

from recsys.reading import ProfileReader
from recsys.reading.clauses import _Units
from recsys.reading.text import _Doc

GENRES = ["Western", "Musical", "Documentary", "Horror", "Romance", "Self-help", "History", "Poetry", "Thriller", "Film-Noir"]
ITEMS = one_item_per_genre(GENRES)


def reader(p: float = 0.0) -> tuple[ProfileReader, Spy]:
    spy = Spy(p)
    return ProfileReader(ITEMS, attitude=spy), spy


# --- scores -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("Westerns get zero stars from me.", (), ("Western",)),
        ("Romance: 2/10, not for me. Musicals: 10/10.", ("Musical",), ("Romance",)),
        ("Thrillers? Two stars at best. Give me a five-star documentary.", ("Documentary",), ("Thriller",)),  # the question
        ("Would rate every musical I've ever sat through minus ten out of ten.", (), ("Musical",)),  # the clause before
        ("Poetry scores about a one out of ten with me.", (), ("Poetry",)),
        ("I'd give self-help books zero stars. Westerns are five stars every time.", ("Western",), ("Self-help",)),
    ],
)
def test_a_low_score_rules_its_genre_out_and_a_high_one_is_a_wish(text: str, wants: tuple, rules_out: tuple) -> None:
    films, spy = reader(0.99)  # the model would rule everything out: a scored clause must not reach it
    reading = films.read(text)
    assert set(reading.wants) == set(wants) and set(reading.rules_out) == set(rules_out)
    assert spy.asked == []


@pytest.mark.parametrize(
    ("text", "shares"),
    [
        ("2/10", [0.2]), ("one out of ten", [0.1]), ("a five-star read", [1.0]), ("minus ten out of ten", [-1.0]),
        ("one star", [0.0]), ("3 stars", [0.5]), ("Romance 1/10 and horror 10/10", [0.1, 1.0]),
        ("9/11", []), ("24/7", []), ("2 10", []), ("1 out of 5 films I watch", []), ("5 out of 10 of the top thrillers", []),
    ],
)  # fmt: skip
def test_a_score_is_read_as_a_share_of_its_scale_and_other_numbers_are_not(text: str, shares: list) -> None:
    units = _Units(_Doc(text), [], ProfileReader(ITEMS)._lexicon)
    assert [s for s, _, _ in units.scores(0, len(units.fold))] == pytest.approx(shares)


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("Romance 1/10 and horror 10/10.", ("Horror",), ("Romance",)),  # each score goes to what it follows
        ("A one-star western is still better than any musical.", ("Western",), ("Musical",)),  # a comparison decides
        ("Westerns: never less than 2 stars.", ("Western",), ()),
    ],
)
def test_each_score_rates_its_own_genre_and_a_comparison_is_left_to_its_rule(text: str, wants: tuple, rules_out: tuple) -> None:
    reading = reader(0.0)[0].read(text)
    assert (set(reading.wants), set(reading.rules_out)) == (set(wants), set(rules_out))


def test_a_middling_score_is_left_to_the_rest_of_the_clause_and_four_stars_of_five_is_a_wish() -> None:
    films, spy = reader(0.9)
    films.read("Musicals are a solid 3 stars for me.")
    assert spy.asked == ["Musicals are a solid 3 stars for me."]  # the middle of one to five: the attitude model reads it
    films, spy = reader(0.9)
    assert films.read("Musicals are 4 stars for me.").wants == ("Musical",) and spy.asked == []


# --- words that are no cue, and cues the rules now read -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I tried a couple of westerns last year and regretted it.",  # "of" is no liking word here
        "Read one self-help book and wanted my money back.",  # "help" cancels a negation only after one
    ],
)
def test_a_clause_with_no_real_cue_reaches_the_attitude_model(text: str) -> None:
    films, spy = reader(0.9)
    reading = films.read(text)
    assert spy.asked == [text] and reading.wants == () and len(reading.rules_out) == 1


@pytest.mark.parametrize(
    ("text", "wants"),
    [
        ("I'm a big fan of westerns.", ("Western",)),  # "fan of" is liking
        ("Yes to westerns, no to musicals.", ("Western",)),  # assent
        ("Film noir is the best thing ever made.", ("Film-Noir",)),  # praise
        ("Horror is fine as long as it's got some bite.", ("Horror",)),
    ],
)
def test_a_clause_of_liking_praise_or_assent_is_a_wish_without_asking(text: str, wants: tuple) -> None:
    films, spy = reader(0.99)
    assert films.read(text).wants == wants and spy.asked == []


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("Never get tired of old westerns.", ("Western",), ()),  # the cancelled cue is spent: "tired of" is not read again
        ("My guilty pleasure is trashy romance novels, I can't put them down.", ("Romance",), ()),
        ("I can't put up with romance.", (), ("Romance",)),
        ("Can't beat a good western.", ("Western",), ()),
        ("I love westerns, which my wife hates.", ("Western",), ()),  # someone else's dislike is not the writer's
        ("I love horror unless it's gory.", ("Horror",), ()),
    ],
)
def test_cancelled_negations_and_other_peoples_dislikes(text: str, wants: tuple, rules_out: tuple) -> None:
    films, _ = reader(0.0)
    reading = films.read(text)
    assert (reading.wants, reading.rules_out) == (wants, rules_out)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Romance, not for me. Westerns please.", "Westerns please."),  # the cue's clause goes with what it is about
        ("Romance: 2/10, not for me. Westerns please.", "Westerns please."),  # and nothing of the score stays ("/")
        ("Westerns? Not for me. Comedies please.", "Comedies please."),
        ("Horror? Hard pass, but 1950s westerns are great.", "1950s westerns are great."),
    ],
)
def test_what_the_text_model_reads_leaves_out_the_cue_with_what_it_rules_out(text: str, kept: str) -> None:
    assert ProfileReader(ITEMS).read(text).kept_text == kept


def test_a_clause_after_an_exclusion_that_is_no_cue_stays_for_the_text_model() -> None:
    assert ProfileReader(ITEMS).read("No horror. Something with heart, please.").kept_text == "Something with heart, please."
