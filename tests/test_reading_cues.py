"""Cues the rules read from how things are put: scores, praise, cancelled negations, and words that are no cue.

Each was found on sentences written by someone who had not seen the reader (``bench/reading/round3/built.jsonl``);
the attitude model is a spy here, so what is tested is which clauses the rules place and which they hand on.
"""

from __future__ import annotations

import pandas as pd
import pytest
from attitude_spy import Spy

from recsys.reading import ProfileReader

GENRES = ["Western", "Musical", "Documentary", "Horror", "Romance", "Self-help", "History", "Poetry", "Thriller", "Film-Noir"]
ITEMS = pd.DataFrame(
    {
        "item_id": list(range(1, len(GENRES) + 1)),
        "title": [f"Item number {n} ({1950 + n})" for n in range(1, len(GENRES) + 1)],
        "year": [1950.0 + n for n in range(1, len(GENRES) + 1)],
        "genres": [[g] for g in GENRES],
    }
)


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
    ("text", "share"),
    [("2/10", 0.2), ("one out of ten", 0.1), ("a five-star read", 1.0), ("minus ten out of ten", -1.0), ("3 stars", 0.6)],
)
def test_a_score_is_read_as_a_share_of_its_scale(text: str, share: float) -> None:
    from recsys.reading.clauses import _Units
    from recsys.reading.text import _Doc

    units = _Units(_Doc(text), [], ProfileReader(ITEMS)._lexicon)
    found = units.score(0, len(units.fold))
    assert found is not None and found[0] == pytest.approx(share)


@pytest.mark.parametrize("text", ["Top 10 westerns, please.", "I'm 35 and love westerns.", "Westerns from the 1950s"])
def test_numbers_that_are_no_score_are_not_read_as_one(text: str) -> None:
    assert ProfileReader(ITEMS).read(text).wants == ("Western",)


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
        ("Happy with most films unless it's horror.", (), ("Horror",)),
        ("My husband reads nothing but military history, which bores me to tears.", (), ("History",)),  # "which" points back
    ],
)
def test_cancelled_negations_conditions_and_relative_clauses(text: str, wants: tuple, rules_out: tuple) -> None:
    films, _ = reader(0.0)
    reading = films.read(text)
    assert (reading.wants, reading.rules_out) == (wants, rules_out)


def test_a_middling_score_is_left_to_the_rest_of_the_clause() -> None:
    films, spy = reader(0.9)
    films.read("Musicals are a 5/10 for me.")
    assert spy.asked == ["Musicals are a 5/10 for me."]  # neither low nor high: the attitude model reads it
    films, spy = reader(0.9)
    films.read("Musicals are a 9/10 for me.")
    assert spy.asked == []
