"""The profile reader on phrasings its word lists do not spell out: each mechanism with sentences of its own.

Every sentence here is new (none is in ``bench/reading``): a mechanism that only knew the
benchmark's sentences would miss them.
"""

from __future__ import annotations

import pandas as pd
import pytest

from recsys.reading import ProfileReader, _english_words

FILM_GENRES = ["Action", "Animation", "Comedy", "Crime", "Documentary", "Drama", "Film-Noir", "Horror", "Musical",
               "Romance", "Sci-Fi", "Thriller", "War", "Western"]  # fmt: skip
BOOK_GENRES = ["Biography", "Cookery", "Fantasy", "Science fiction", "Thriller", "Poetry", "Travel"]


def _items(genres: list[str], titles: tuple[str, ...] = ("Nothing Here (1990)",)) -> pd.DataFrame:
    """One item per title, the genres spread over them so each genre is in the catalogue."""
    rows = max(len(titles), 1)
    return pd.DataFrame({
        "item_id": list(range(1, rows + 1)),
        "title": list(titles) + [f"Filler {n} (1990)" for n in range(rows - len(titles))],
        "year": [1990.0] * rows,
        "genres": [genres if n == 0 else [] for n in range(rows)],
    })  # fmt: skip


@pytest.fixture(scope="module")
def films() -> ProfileReader:
    return ProfileReader(_items(FILM_GENRES, ("Zardoz (1974)", "Jaws (1975)", "Mother (1996)", "Casino (1995)")))


@pytest.fixture(scope="module")
def books() -> ProfileReader:
    return ProfileReader(_items(BOOK_GENRES), item_nouns=("book", "books"))


def _read(reader: ProfileReader, text: str) -> tuple[set[str], set[str]]:
    reading = reader.read(text)
    return set(reading.wants), set(reading.rules_out)


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        # A dismissive predicate after the thing, with any item noun and adverbs inside it.
        ("Gangster pictures send me to sleep.", set(), {"Crime"}),
        ("Cowboy flicks honestly do nothing for me.", set(), {"Western"}),
        ("I love a good comedy, but spy stuff just goes over my head.", {"Comedy"}, {"Thriller"}),
        ("I love comedies, and war films put me straight to sleep.", {"Comedy"}, {"War"}),
        # The subject of a negated clause.
        ("Sci-fi has never really appealed to me.", set(), {"Sci-Fi"}),
        ("Documentaries aren't really my cup of tea.", set(), {"Documentary"}),
        # A dismissive word about a pronoun: its antecedent in the clause before.
        ("My brother adores anime, though I think it's pointless.", set(), {"Animation"}),
        ("Friends swear by film noir; I just can't get into it.", set(), {"Film-Noir"}),
        # A fragment answering a bare question.
        ("Musicals? Ugh, no.", set(), {"Musical"}),
        ("Zombie films: absolutely not.", set(), {"Horror"}),
        # Idioms of having had enough.
        ("I'm so over explosions and car chases.", set(), {"Action"}),
        ("Honestly I've had my fill of cowboy films.", set(), {"Western"}),
        ("Done with weepies, for now.", set(), {"Drama"}),
        ("I'll pass on westerns.", set(), {"Western"}),
        ("Count me out of anything with vampires.", set(), {"Horror"}),
        ("Keep the explosions to a minimum.", set(), {"Action"}),
        # Comparisons: the loser is ruled out, the winner wanted.
        ("I'd choose a documentary over a war film any day.", {"Documentary"}, {"War"}),
        ("Westerns beat thrillers every time.", {"Western"}, {"Thriller"}),
        ("I prefer comedies to dramas.", {"Comedy"}, {"Drama"}),
        ("I'd sooner clean the oven than watch a horror film.", set(), {"Horror"}),
        ("Westerns appeal to me far more than musicals.", {"Western"}, {"Musical"}),
        ("I like comedies better than dramas.", {"Comedy"}, {"Drama"}),
        ("More than anything, I love westerns.", {"Western"}, set()),
        # Too much of a self-description is more of it, not less (and no contradiction: "You both asked for ...").
        ("I'm far too squeamish for slasher movies.", set(), {"Horror"}),
        ("Far too squeamish for zombie films, but I love westerns.", {"Western"}, {"Horror"}),
        # A dislike since outgrown is a wish.
        ("I used to avoid musicals, but now I adore them.", {"Musical"}, set()),
        ("Westerns aren't trendy, I know, but I adore them.", {"Western"}, set()),
        ("I can't stand romance, but I love it when a plot twists.", set(), {"Romance"}),
        ("Documentaries? Not bad at all.", {"Documentary"}, set()),
        # Two negations make a wish.
        ("No weekend is complete without a western.", {"Western"}, set()),
        ("I can't go a month without a documentary.", {"Documentary"}, set()),
        # Guards: none of these rules anything out.
        ("I love comedies that don't take themselves too seriously.", {"Comedy"}, set()),
        ("Thrillers never get old.", {"Thriller"}, set()),
        ("Horror? Why not!", {"Horror"}, set()),
        ("I like thrillers, nothing else.", {"Thriller"}, set()),
        ("I would never say no to a western.", {"Western"}, set()),
        ("Musicals? I'd say no.", set(), {"Musical"}),
        ("Comedies, but not the silly kind.", {"Comedy"}, set()),
        ("Early 80s action, nothing later.", {"Action"}, set()),
    ],
)
def test_film_phrasings(films: ProfileReader, text: str, wants: set[str], rules_out: set[str]) -> None:
    assert _read(films, text) == (wants, rules_out), text


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("Sci-fi and memoirs, mostly.", {"Science fiction", "Biography"}, set()),
        ("Cookbooks bore me rigid.", set(), {"Cookery"}),
        ("I'd pick a travelogue over a book of poems any day.", {"Travel"}, {"Poetry"}),
        ("Spy novels? Not for me.", set(), {"Thriller"}),
        ("Everyone raves about fantasy, but I find it tedious.", set(), {"Fantasy"}),
    ],
)
def test_book_phrasings(books: ProfileReader, text: str, wants: set[str], rules_out: set[str]) -> None:
    assert _read(books, text) == (wants, rules_out), text


def test_genre_named_differently_takes_the_lexicon_words() -> None:
    """A catalogue's "Science Fiction" shelf reads "space opera" like MovieLens's "Sci-Fi"."""
    reader = ProfileReader(_items(["Science Fiction", "Horror"]))
    assert reader.read("Space opera, please; no zombies.").wants == ("Science Fiction",)
    assert reader.read("Space opera, please; no zombies.").rules_out == ("Horror",)


def test_catalogue_without_genres_reads_no_genres() -> None:
    """Film words never create genres a catalogue does not have."""
    reader = ProfileReader(_items([]))
    reading = reader.read("I love thrillers and fantasy, but horror scares me.")
    assert (reading.wants, reading.rules_out) == ((), ())


def test_catalogue_item_nouns_carry_a_list() -> None:
    """The catalogue's own noun ("podcasts") sits in a ruled-out list like "films" does."""
    text = "I don't want horror, crime podcasts or westerns."
    plain = ProfileReader(_items(FILM_GENRES))
    told = ProfileReader(_items(FILM_GENRES), item_nouns=("podcast", "podcasts"))
    assert set(told.read(text).rules_out) == {"Horror", "Crime", "Western"}
    assert set(plain.read(text).rules_out) == {"Horror"}


def test_classic_on_a_book_catalogue_is_a_leaning(books: ProfileReader) -> None:
    """ "classic literature" leans older but never becomes a firm window that penalises newer books."""
    era = books.read("Classic literature, the Brontës and so on.").era
    assert era is None or not era.firm


def test_time_of_reading_is_not_an_era(books: ProfileReader) -> None:
    assert books.read("The best thing I read this year was a cookbook.").era is None


def test_title_opening_a_sentence(films: ProfileReader) -> None:
    """A distinctive title opening a sentence with no cue is found."""
    titles = films.read("Zardoz is a glorious mess.").titles
    assert [(t.item_id, t.confident) for t in titles] == [(1, True)]


@pytest.mark.skipif(not _english_words(), reason="the text model's vocabulary is not installed")
def test_everyday_word_title_opening_a_sentence_is_offered(films: ProfileReader) -> None:
    """ "Jaws" opening a sentence could be the word; the film is offered, not taken."""
    (title,) = films.read("Jaws kept me out of the sea for a year.").titles
    assert not title.confident
    assert 2 in [a[0] for a in title.alternatives]


def test_title_opening_a_list_of_titles(films: ProfileReader) -> None:
    """The first of "X and Y" opening a sentence is a title when Y is one: taken when distinctive, offered when it is
    also an everyday word (its capital only says the sentence starts there)."""
    titles = films.read("Zardoz and Casino, over and over.").titles
    assert [(t.item_id, t.confident) for t in titles] == [(1, True), (4, True)]
    if _english_words():
        first, second = films.read("Jaws and Zardoz, again and again.").titles
        assert not first.confident and first.alternatives[0][0] == 2
        note = films.read("Jaws and Zardoz, again and again.").notes[0]
        assert "may mean the film Jaws (1975) or the word" in note and "several" not in note
        assert (second.item_id, second.confident) == (1, True)
    assert films.read("Mother and I love comedies.").titles == ()  # no title after the "and": not a list of titles


def test_opening_word_about_the_writer_is_not_a_title(films: ProfileReader) -> None:
    reading = films.read("Mother of three, I like comedies.")
    assert reading.titles == ()
    assert reading.wants == ("Comedy",)


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("My husband can't stand westerns; I love them.", {"Western"}, set()),
        ("Everyone says musicals are cheesy, but I adore them.", {"Musical"}, set()),
        ("My sister hates romance and I hate it too.", set(), {"Romance"}),
    ],
)
def test_someone_elses_dislike(films: ProfileReader, text: str, wants: set[str], rules_out: set[str]) -> None:
    """A dislike reported of someone else is not the writer's when the writer then likes it."""
    assert _read(films, text) == (wants, rules_out), text


@pytest.mark.skipif(not _english_words(), reason="the text model's vocabulary is not installed")
@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        ("Anything but comdeies.", set(), {"Comedy"}),
        ("Documantaries and thirllers.", {"Documentary", "Thriller"}, set()),
        ("My son is a dancer; I like dramas.", {"Drama"}, set()),  # "dancer" is a word, not "dance" misspelt
    ],
)
def test_misspelt_genres(films: ProfileReader, text: str, wants: set[str], rules_out: set[str]) -> None:
    assert _read(films, text) == (wants, rules_out), text


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Something from the interwar period.", 1919, 1939),
        ("Films shot during the Second World War.", 1939, 1945),
        ("Anything from the noughties.", 2000, 2009),
    ],
)
def test_named_periods_are_eras_not_genres(text: str, start: int, end: int) -> None:
    reader = ProfileReader(_items(["War", "Drama"]), year_range=(1900, 2020))
    reading = reader.read(text)
    assert (reading.era.start, reading.era.end) == (start, end), text
    assert reading.wants == (), text


@pytest.mark.parametrize(
    ("text", "era"),
    [
        # The writer's own life in a decade: a leaning towards it, not a window every other film pays for.
        ("I grew up in the 1960s watching war films and westerns with my father.", (1960, 1969, False)),
        ("As a kid in the 90s I watched cartoons every morning.", (1990, 1999, False)),
        ("A child of the 80s who still loves a good action film.", (1980, 1989, False)),
        ("I came of age in the seventies; thrillers are my thing.", (1970, 1979, False)),
        # Being born in a decade says nothing of taste.
        ("I was born in the 1970s and love comedies.", None),
        # The decade as what is asked for stays firm, beside a life in it too.
        ("Films from the 1960s, please.", (1960, 1969, True)),
        ("I grew up on 80s action films.", (1980, 1989, True)),
        ("I grew up in the 60s, and I want films from the 1960s.", (1960, 1969, True)),
    ],
)
def test_a_decade_of_the_writers_life_is_a_leaning_and_a_birth_decade_no_era(text: str, era: tuple | None) -> None:
    reader = ProfileReader(_items(["War", "Drama"]), year_range=(1920, 2020))
    window = reader.read(text).era
    assert (None if window is None else (window.start, window.end, window.firm)) == era, text


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        # An emoji, a run of signs or a chat interjection ends a negation's reach like a comma.
        ("no rom-coms 😂 scifi please", {"Sci-Fi"}, {"Romance", "Comedy"}),
        (">>> NOT rom-coms <<< #scifi", {"Sci-Fi"}, {"Romance", "Comedy"}),
        ("not rom-coms lol sci-fi please", {"Sci-Fi"}, {"Romance", "Comedy"}),
        ("no horror 🙅 but comedies yes", {"Comedy"}, {"Horror"}),
        # Signs that say something stay words: a comparison, "=" as "is", a heart as a liking.
        ("comedies > dramas", {"Comedy"}, {"Drama"}),
        ("horror = instant skip for me", set(), {"Horror"}),
        ("I ❤️ westerns", {"Western"}, set()),
    ],
)
def test_emoji_signs_and_interjections_pause_like_a_comma(films: ProfileReader, text: str, wants: set, rules_out: set) -> None:
    assert _read(films, text) == (wants, rules_out)


@pytest.mark.parametrize(
    ("text", "wants", "rules_out"),
    [
        # "Either" closing a clause after an exclusion is "not … either" without its "not".
        ("No horror. Thrillers either.", set(), {"Horror", "Thriller"}),
        ("Horror bores me. Musicals either.", set(), {"Horror", "Musical"}),
        ("I hate horror. War films either, to be honest.", set(), {"Horror", "War"}),
        # Look-alikes: "either" opening a choice, "either way", nothing ruled out before, a cue of its own.
        ("Either comedy or drama is fine.", {"Comedy", "Drama"}, set()),
        ("I love comedies. Either way, westerns are fine too.", {"Comedy", "Western"}, set()),
        ("No horror, but I love thrillers and I'd watch westerns either way.", {"Thriller", "Western"}, {"Horror"}),
    ],
)
def test_either_after_an_exclusion_carries_it(films: ProfileReader, text: str, wants: set, rules_out: set) -> None:
    assert _read(films, text) == (wants, rules_out)


def test_too_squeamish_rules_out_what_it_is_about_without_a_contradiction(films: ProfileReader) -> None:
    reading = films.read("I'm far too squeamish for slasher movies.")
    assert reading.rules_out == ("Horror",) and reading.notes == () and "slasher" not in reading.kept_text
