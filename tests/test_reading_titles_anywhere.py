"""Titles named without a cue or a capital, and titles named by part of their name.

A person types "i rewatch raiders of the lost ark every year" or "Shawshank is my comfort film": the first spells a
whole title in lower case where no cue phrase ("like", "loved") points at it, the second names a film by the one word
only its title has. Both are found; a title made of everyday words ("dead man walking", "home alone") is offered as
unsure or left alone, so an ordinary phrase never becomes a liked film. The sentences are new wordings, written for
these tests; the catalogue is invented around real title shapes.
"""

from __future__ import annotations

import pandas as pd
import pytest

from recsys.reading import ProfileReader, _english_words

pytestmark = pytest.mark.skipif(not _english_words(), reason="the text model's vocabulary is not installed")

TITLES = (
    "Raiders of the Lost Ark (1981)", "Dead Man Walking (1995)", "Shawshank Redemption, The (1994)", "Silence of the Lambs, The (1991)",
    "Nothing to Lose (1994)", "Game, The (1997)", "Home Alone (1990)", "I Can't Sleep (1994)",
    "Pump Up the Volume (1990)", "True Crime (1995)", "Death at Fenwick St Mary (2019)", "Pulp Fiction (1994)",
    "Usual Suspects, The (1995)", "Return to Fenwick (2021)", "Twelve Monkeys (1995)", "Godfather, The (1972)",
    "Godfather: Part II, The (1974)", "She's the One (1996)", "Nobody's Fool (1994)", "Schindler's List (1993)",
    "I Don't Want to Talk About It (1993)", "Giant (1956)", "Psycho (1960)", "Gattaca (1997)",
)  # fmt: skip
GENRES = ["Action", "Comedy", "Crime", "Drama", "Horror", "Sci-Fi", "Thriller", "War"]


@pytest.fixture(scope="module")
def films() -> ProfileReader:
    items = pd.DataFrame({
        "item_id": [f"f{n}" for n in range(len(TITLES))],
        "title": list(TITLES),
        "year": [float(t[-5:-1]) for t in TITLES],
        "genres": [GENRES if n == 0 else [] for n in range(len(TITLES))],
    })  # fmt: skip
    return ProfileReader(items)


def _id(title: str) -> str:
    return f"f{TITLES.index(title)}"


def _titles(reader: ProfileReader, text: str) -> list[tuple[str | None, tuple[str, ...]]]:
    """(the film taken, or None when offered) and the films offered, per title the text names."""
    return [(t.item_id, tuple(a[0] for a in t.alternatives)) for t in reader.read(text).titles]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("i rewatch raiders of the lost ark every year", "Raiders of the Lost Ark (1981)"),
        ("my dad still talks about the silence of the lambs", "Silence of the Lambs, The (1991)"),
        ("me and my brother quote pulp fiction constantly", "Pulp Fiction (1994)"),
        ("the usual suspects twist still gets me", "Usual Suspects, The (1995)"),
    ],
)
def test_a_whole_title_in_lower_case_without_a_cue_is_found(films: ProfileReader, text: str, title: str) -> None:
    assert _titles(films, text) == [(_id(title), ())]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("we saw dead man walking at the festival", "Dead Man Walking (1995)"),
        ("we watched the game last night", "Game, The (1997)"),  # after a cue too: "watched" may not mean the film
    ],
)
def test_a_lower_case_title_of_everyday_words_is_offered_not_taken(films: ProfileReader, text: str, title: str) -> None:
    ((taken, offered),) = _titles(films, text)
    assert taken is None
    assert _id(title) in offered


@pytest.mark.parametrize(
    "text",
    [
        "we stayed up for the game last night",  # one word beside the stop words
        "i'm home alone with the kids tonight",  # two everyday words: a phrase more often than a film
        "nothing to lose by trying a western, i suppose",
        "true crime podcasts are my thing",  # a genre word and an everyday one
        "Can't abide horror of any kind.",  # a contraction opening the sentence, not "I Can't Sleep"
        "Pump me full of action films.",  # an everyday word opening the sentence, not "Pump Up the Volume"
        # A contraction of everyday words is as everyday as they are, with or without its apostrophe.
        "horror movies make me physically sick, i can't sleep for days after",
        "i cant sleep after a horror film",
        "my wife says she's the one who picks the films",
        "nobody's fool would sit through a musical",
    ],
)
def test_an_everyday_phrase_is_no_title(films: ProfileReader, text: str) -> None:
    assert _titles(films, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Giant robots and space battles, please.",  # a newcomer's walk: an unsure "Giant?" chip
        "Giant monsters stomping on cities.",
        "Psycho killers and slashers.",
    ],
)
def test_a_word_opening_a_sentence_before_a_genre_word_describes_it_and_names_no_film(films: ProfileReader, text: str) -> None:
    assert _titles(films, text) == []


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Gattaca is wonderful.", "Gattaca (1997)"),
        ("Psycho still gives me chills.", "Psycho (1960)"),
        ("Psycho made me scream.", "Psycho (1960)"),  # everyday words belong to genre phrases too ("made for kids")
        ("Psycho of course is the classic.", "Psycho (1960)"),
    ],
)
def test_a_word_opening_a_sentence_before_a_verb_still_names_its_film(films: ProfileReader, text: str, title: str) -> None:
    ((taken, offered),) = _titles(films, text)
    assert _id(title) in (taken, *offered)


def test_a_long_everyday_phrase_with_a_contraction_is_offered_and_a_rare_possessive_still_names_its_film(films: ProfileReader) -> None:
    """ "i don't want to talk about it" spells a title in everyday words: offered, never a liked film; "schindler's" is
    no everyday word, so "i loved schindler's list" names the film."""
    ((taken, offered),) = _titles(films, "honestly i don't want to talk about it, just give me westerns")
    assert taken is None and _id("I Don't Want to Talk About It (1993)") in offered
    assert _titles(films, "i loved schindler's list") == [(_id("Schindler's List (1993)"), ())]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Shawshank is my comfort film.", "Shawshank Redemption, The (1994)"),
        ("Death at Fenwick kept me up all night.", "Death at Fenwick St Mary (2019)"),
        ("I loved Death at Fenwick.", "Death at Fenwick St Mary (2019)"),
        ("something like Raiders, please", "Raiders of the Lost Ark (1981)"),
        ("loved the shawshank one", "Shawshank Redemption, The (1994)"),
    ],
)
def test_a_title_named_by_a_word_only_it_has_is_found(films: ProfileReader, text: str, title: str) -> None:
    assert _titles(films, text) == [(_id(title), ())]


def test_a_part_several_titles_share_offers_them_all(films: ProfileReader) -> None:
    ((taken, offered),) = _titles(films, "anything set in Fenwick, please")
    assert taken is None
    assert set(offered) == {_id("Death at Fenwick St Mary (2019)"), _id("Return to Fenwick (2021)")}


def test_a_title_found_by_part_is_never_recommended_back(films: ProfileReader) -> None:
    """What the page holds back is the reading's titles: the film named by part is among them, sure."""
    reading = films.read("Shawshank is my comfort film, more like it please")
    assert [t.item_id for t in reading.titles if t.confident] == [_id("Shawshank Redemption, The (1994)")]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("12 monkeys messed with my head", "Twelve Monkeys (1995)"),
        ("I loved 12 Monkeys.", "Twelve Monkeys (1995)"),
        ("the godfather part 2 is even better than the first", "Godfather: Part II, The (1974)"),
        ("Something like Godfather Part Two, please.", "Godfather: Part II, The (1974)"),
    ],
)
def test_a_number_is_the_same_in_digits_words_or_roman_numerals(films: ProfileReader, text: str, title: str) -> None:
    taken = [t.item_id for t in films.read(text).titles if t.confident]
    assert taken == [_id(title)]
