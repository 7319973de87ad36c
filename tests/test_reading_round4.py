"""What the fourth round of sentences taught the rules: someone else's taste, polite and worn-out exclusions, litotes,
and everyday words for genres.

Found on the first writer's sentences of ``bench/reading/round4/built.jsonl``; the sentences here are new wordings of
the same ways of putting things. The attitude model is a spy that never rules anything out, so what is tested is the
rules alone.
"""

from __future__ import annotations

import pytest
from attitude_spy import Spy, one_item_per_genre

from recsys.reading import ProfileReader

GENRES = [
    "Western",
    "Comedy",
    "Crime",
    "Animation",
    "Horror",
    "Sci-Fi",
    "Poetry",
    "Science",
    "Business",
    "Thriller",
    "Travel",
    "Romance",
    "Cookery",
]
ITEMS = one_item_per_genre(GENRES)


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


@pytest.mark.parametrize(
    "text",
    [
        "My dad loves westerns, I'm buying him a present. I like comedy myself.",  # the writer chooses for them
        "My wife loves westerns; we watch a film every Friday. I like comedy too.",  # they watch together
        "My husband loves westerns, I'll watch whatever he picks. I like comedy.",
        "My husband loves westerns, and so do I, with a comedy now and then.",  # the writer agrees
        "My partner loves westerns, me too, and comedies.",
        "My partner and I love westerns, but I want comedy.",  # the writer is in their clause
        "Something for my dad, who loves westerns; I like comedy.",  # asked for them: "for my dad"
        "a present for my son who's into westerns, and I like comedies",
    ],
)
def test_their_genre_stays_wanted_when_the_writer_shares_it_or_chooses_for_them(text: str) -> None:
    reading = read(text)
    assert "Western" in reading.wants and "Comedy" in reading.wants and reading.rules_out == ()


@pytest.mark.parametrize(
    "text",
    [
        "My husband loves westerns, but I want comedy when he's out.",  # "he" in a clause with a genre of its own
        "My husband loves westerns, but I want comedy for both of us.",
        "My wife loves westerns, but we agreed on comedy tonight.",
        "My dad is into westerns, whereas I also enjoy a comedy.",
    ],
)
def test_a_contrast_keeps_their_genre_theirs_even_with_a_shared_word(text: str) -> None:
    reading = read(text)
    assert reading.wants == ("Comedy",) and reading.rules_out == ()


def test_their_genre_stays_wanted_when_the_writer_names_no_genre_of_their_own() -> None:
    reading = read("The kids love cartoons and I need something for the weekend.")
    assert reading.wants == ("Animation",) and reading.rules_out == ()


@pytest.mark.parametrize(
    ("text", "rules_out"),
    [
        ("My husband can't stand westerns, but I want comedy.", ("Western",)),  # their dislike: left to the negation rules
        ("My partner never watches horror, I want comedy.", ("Horror",)),
    ],
)
def test_a_dislike_in_their_clause_is_still_read_as_one(text: str, rules_out: tuple) -> None:
    reading = read(text)
    assert reading.wants == ("Comedy",) and reading.rules_out == rules_out


@pytest.mark.parametrize(
    ("text", "wants"),
    [
        ("I've hardly seen any westerns, I'd like to try some.", ("Western",)),  # "hardly" is no exclusion
        ("Thrillers that make me want to scream are the best.", ("Thriller",)),
        ("I would never decline a comedy.", ("Comedy",)),  # litotes
        ("Comedies I would never decline.", ("Comedy",)),
        ("I like romance, just not too much kissing.", ("Romance",)),  # a wish about the romance, not against it
        ("I love to cook, but I want thrillers.", ("Thriller",)),  # the everyday sense of a word is no genre
        ("I'm a lab technician who loves crime.", ("Crime",)),
        ("It's half term and the kids want cartoons.", ("Animation",)),
    ],
)
def test_ordinary_words_are_not_read_as_exclusions_or_genres(text: str, wants: tuple) -> None:
    reading = read(text)
    assert reading.wants == wants and reading.rules_out == ()


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("I refuse to sit through a western.", (), ("Western",)),
        ("She refuses romance of any kind.", (), ("Romance",)),
        ("I'd politely decline poetry, thank you.", (), ("Poetry",)),
        ("I must decline anything about business.", (), ("Business",)),
        ("I refused horror for years and still do; comedy suits me.", ("Comedy",), ("Horror",)),
        ("I'd never refuse a travel book.", ("Travel",), ()),
        ("I refuse to give up on crime novels.", ("Crime",), ()),
        ("I have never once refused a travel book.", ("Travel",), ()),
        ("It's not as if I'd refuse a good travel book.", ("Travel",), ()),
        ("Not that I would refuse a comedy.", ("Comedy",), ()),
        ("No, I refuse westerns.", (), ("Western",)),
        ("Not really, I refuse horror.", (), ("Horror",)),
        ("Never again, I refuse horror.", (), ("Horror",)),
        ("I hate horror and refuse romance.", (), ("Horror", "Romance")),
        ("I don't like westerns and refuse to watch horror.", (), ("Western", "Horror")),
    ],
)
def test_a_refusal_rules_out_what_follows_and_a_refusal_denied_or_reversed_is_a_wish(text: str, wants: tuple, rules_out: tuple) -> None:
    reading = read(text)
    assert (set(reading.wants), set(reading.rules_out)) == (set(wants), set(rules_out))


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("I decline to read poetry.", (), ("Poetry",)),
        ("She declined every western we offered.", (), ("Western",)),
        ("I turn down anything with romance in it.", (), ("Romance",)),
        ("I always turned down horror as a teenager and I still do.", (), ("Horror",)),
        ("I'd never turn down a good crime novel.", ("Crime",), ()),
        ("It's not as if I'd decline a cookery book.", ("Cookery",), ()),
        ("I hardly ever refuse a thriller.", ("Thriller",), ()),
        ("I never pass up a western.", ("Western",), ()),
        ("I hardly ever pass up a crime novel.", ("Crime",), ()),
        ("I hardly ever read business books.", (), ("Business",)),
        ("I can hardly stand westerns.", (), ("Western",)),
        ("I can hardly wait for the next sci-fi film.", ("Sci-Fi",), ()),
        ("I could hardly put down that travel book.", ("Travel",), ()),
        ("I love comedy but I decline to watch horror.", ("Comedy",), ("Horror",)),
    ],
)
def test_declining_and_turning_down_rule_out_and_hardly_is_a_negation_that_can_be_denied(text: str, wants: tuple, rules_out: tuple) -> None:
    reading = read(text)
    assert (set(reading.wants), set(reading.rules_out)) == (set(wants), set(rules_out))


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("Horror I can't stand.", (), ("Horror",)),
        ("Romance I refuse to read.", (), ("Romance",)),
        ("Westerns I just don't get.", (), ("Western",)),
        ("Poetry I will always skip.", (), ("Poetry",)),
        ("Crime I could read forever, romance I can't stand.", ("Crime",), ("Romance",)),
        ("Comedy I don't mind.", ("Comedy",), ()),
        ("Thrillers I never tire of.", ("Thriller",), ()),
        ("I think horror isn't for me.", (), ("Horror",)),
    ],
)
def test_a_genre_put_before_the_writers_own_clause_is_what_that_clause_rules_out(text: str, wants: tuple, rules_out: tuple) -> None:
    reading = read(text)
    assert (set(reading.wants), set(reading.rules_out)) == (set(wants), set(rules_out))


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("I hate horror but not thrillers.", ("Thriller",), ("Horror",)),
        ("I'd decline romance but never a good crime novel.", ("Crime",), ("Romance",)),
        ("Poetry bores me, though not travel writing.", ("Travel",), ("Poetry",)),
        ("I'm tired of westerns but not of comedy.", ("Comedy",), ("Western",)),
        ("Horror I can't stand, but not thrillers.", ("Thriller",), ("Horror",)),
        ("I love comedy. I hate westerns, but not horror.", ("Comedy", "Horror"), ("Western",)),
        ("I like comedy but never horror.", ("Comedy",), ("Horror",)),  # the clause before wants: "never" rules out
        ("No horror. Not thrillers either.", (), ("Horror", "Thriller")),  # no contrast: a second exclusion
        ("I hate horror but not as much as romance.", (), ("Horror", "Romance")),  # not verbless: a comparison
    ],
)
def test_but_not_after_an_exclusion_denies_the_dislike_not_the_genre(text: str, wants: tuple, rules_out: tuple) -> None:
    reading = read(text)
    assert (set(reading.wants), set(reading.rules_out)) == (set(wants), set(rules_out))


def test_the_text_model_reads_the_denied_genre_without_the_not_that_denied_the_dislike() -> None:
    # What the language model embeds (and the page lists as interests) must not say "not thrillers" for a wanted genre.
    assert read("I hate horror but not thrillers.").kept_text.rstrip(".") == "thrillers"
    assert read("Horror I can't stand, but not thrillers; a clever comedy please").kept_text == "thrillers; a clever comedy please"
    assert read("I love comedy but not romance.").kept_text.rstrip(".") == "I love comedy"
