"""Synthetic profiles on a catalogue without genres name topics; on one with genres they are exactly as before."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from recsys.data import load_path
from recsys.profiles import (
    TopicWords,
    catalogue_topics,
    content_words,
    describe_in_sentences,
    genre_base_rates,
    keywords_without_genres,
    onboarding_profile,
    user_record,
)

#: A bookshop without genres: titles, authors and publishers only. The author and publisher names
#: are also words of other titles' shape, so the test sees them left out.
BOOKS = (
    ("b1", "Kitchen Secrets", "Ann Baker", "Harbour Press"),
    ("b2", "The Slow Kitchen", "Ann Baker", "Harbour Press"),
    ("b3", "A Garden Kitchen", "Tom Reed", "Greystone"),
    ("b4", "Spies of Berlin", "Tom Reed", "Greystone"),
    ("b5", "Berlin Spies", "Ann Baker", "Harbour Press"),
    ("b6", "Winter Harbour Poems", "Lu Wen", "Greystone"),
)
#: Five films in two genres, with directors: the shape of MovieLens plus a creator column.
FILMS = (
    ("f1", "Night Terror (1980)", "Horror", "Ida Moss"),
    ("f2", "Laugh Riot (1990)", "Comedy", "Ida Moss"),
    ("f3", "The Haunting Hour (1975)", "Horror", "Rob Lane"),
    ("f4", "Funny Business (2001)", "Comedy", "Rob Lane"),
    ("f5", "Graveyard Shift (1985)", "Horror|Comedy", "Ida Moss"),
)


def write_catalogue(folder: Path, items: pd.DataFrame, noun: str) -> Path:
    """Items, four users with ages, and each user's likes (5 stars) in a fixed order."""
    folder.mkdir()
    (folder / "catalogue.json").write_text(json.dumps({"noun": noun, "nouns": f"{noun}s"}))
    items.to_csv(folder / "items.csv", index=False)
    ids = items["item_id"].tolist()
    likes = {1: ids[:3], 2: ids[3:], 3: ids[::2], 4: ids[1::2]}
    rows = [{"user_id": u, "item_id": i, "rating": 5, "timestamp": 10 * u + t} for u, liked in likes.items() for t, i in enumerate(liked)]
    pd.DataFrame(rows).to_csv(folder / "interactions.csv", index=False)
    pd.DataFrame({"user_id": [1, 2, 3, 4], "age": [25, 34, 51, 68]}).to_csv(folder / "users.csv", index=False)
    return folder


@pytest.fixture
def bookshop(tmp_path):
    items = pd.DataFrame(BOOKS, columns=["item_id", "title", "author", "publisher"])
    return load_path(write_catalogue(tmp_path / "books", items, "book"), require_trainable=False)


@pytest.fixture
def filmshop(tmp_path):
    items = pd.DataFrame(FILMS, columns=["item_id", "title", "genres", "director"])
    return load_path(write_catalogue(tmp_path / "films", items, "film"), require_trainable=False)


def genre_catalogue_profiles(dataset) -> list[str]:
    """Every user's onboarding profiles (prefixes 0, 1, 2 and a summary) and a profile in sentences,
    one generator per user, as training writes them."""
    texts = []
    rates = genre_base_rates(dataset, dataset.ratings)
    for row in range(dataset.n_users):
        rng = np.random.default_rng([0, row])
        liked = dataset.item_ids.indices(
            dataset.positives().sort_values("timestamp").query(f"user_id == {dataset.user_ids.external(row)}")["item_id"]
        ).tolist()
        texts += [onboarding_profile(dataset, row, liked[:n], rng, None) for n in (0, 1, 2)]
        texts.append(onboarding_profile(dataset, row, liked[:1], rng, None, liked))
        watched = dataset.items.iloc[liked]
        record = user_record(dataset.users, row, dataset.user_attributes)
        genres, titles, years = watched["genres"].tolist(), watched["title"].tolist(), watched["year"].tolist()
        texts.append(describe_in_sentences(rng, record, genres, titles, years, rates, False, watched["director"].tolist())[0])
    return texts


#: The profiles above as the code wrote them before catalogues without genres named topics:
#: a catalogue with genres must keep every word (and every random draw), so its model does not move.
GENRE_CATALOGUE_PROFILES = [
    "25, person. Recommend me something good.",
    "I'm into scary movies. Ida Moss, always.",
    "I'm a 25-year-old person. I'm into light-hearted comedy and creepy horror films.",
    "I love gory slasher films. Favourites: Night Terror. Anything by Ida Moss.",
    "I love scary movies and films that make me laugh.",
    "34, person.",
    "I'm into light-hearted comedy. Favourites: Funny Business. I read everything by Rob Lane.",
    "I enjoy funny movies and horror. Favourites: Funny Business. Anything by Ida Moss and Rob Lane. I'm a 34-year-old person.",
    "I'm into funny movies and gory slasher films. Favourites: Funny Business. More like Ida Moss, please. I'm a 34-year-old person.",
    "I love films that make me laugh. Anything except gory slasher films.",
    "51, person. I watch a movie now and then.",
    "I'm into scary movies. Favourites: Night Terror. Mostly Ida Moss. I'm a 51-year-old person.",
    "Big fan of scary movies. I liked Night Terror, The Haunting Hour. 51, person.",
    "I'm a 51-year-old person. Horror and light-hearted comedy, please. Favourites: Night Terror. Anything by Ida Moss.",
    "I love creepy horror films. Not a fan of films that make me laugh. I loved Night Terror and The Haunting Hour.",
    "68, person.",
    "Films that make me laugh, please. Films like Laugh Riot. I'm a 68-year-old person.",
    "I love films that make me laugh. Favourites: Laugh Riot, Funny Business. I read everything by Ida Moss and Rob Lane. I'm a 68-year-old person.",
    "I love funny movies. I liked Laugh Riot. Big fan of Ida Moss and Rob Lane. 68, person.",
    "I love funny movies. Horror bore me. Films like Laugh Riot.",
]  # fmt: skip


def test_a_catalogue_with_genres_writes_the_profiles_it_always_wrote(filmshop):
    assert genre_catalogue_profiles(filmshop) == GENRE_CATALOGUE_PROFILES
    assert catalogue_topics(filmshop) is None


def test_content_words_leave_out_stop_words_numbers_and_names():
    assert content_words(
        "The Clockmaker's Daughter 12 (1982), by Agnes Moor; publisher Old Mill.", frozenset({"agnes", "moor", "old", "mill", "publisher"})
    ) == {
        "clockmaker",
        "daughter",
    }


def test_topic_words_are_the_liked_items_most_distinctive_shared_words(bookshop):
    topics = TopicWords.of(bookshop)
    # Shared by two items or more, and never a name from the author or publisher columns (Baker,
    # Harbour, Greystone) or the catalogue's noun: "harbour" is in a title too, but only one.
    assert dict(topics.item_counts) == {"kitchen": 3, "berlin": 2, "spies": 2}
    rows = bookshop.item_ids.indices(["b1", "b2", "b4"]).tolist()
    # tf-idf by hand: kitchen 2·log(7/4) = 1.12 beats berlin and spies 1·log(7/3) = 0.85 (tied: alphabetical).
    assert 2 * math.log(7 / 4) > math.log(7 / 3)
    assert topics.distinctive(rows) == ["kitchen", "berlin", "spies"]
    assert topics.distinctive(bookshop.item_ids.indices(["b6"]).tolist()) == []


def test_profiles_on_a_catalogue_without_genres_name_the_liked_items_topics(bookshop):
    kitchen = bookshop.item_ids.indices(["b1", "b2", "b3"]).tolist()
    spies = bookshop.item_ids.indices(["b4", "b5"]).tolist()
    cooks = [onboarding_profile(bookshop, 0, kitchen, np.random.default_rng(seed)) for seed in range(20)]
    readers = [onboarding_profile(bookshop, 1, spies, np.random.default_rng(seed)) for seed in range(20)]
    assert all("kitchen" in text.lower() for text in cooks)
    assert not any("berlin" in text.lower() or "spies" in text.lower() for text in cooks)
    assert all("berlin" in text.lower() or "spies" in text.lower() for text in readers)
    assert any("Books about" in text or "books about" in text for text in cooks + readers)
    # Nothing liked, nothing to name: the profile is the person alone, as before.
    assert "kitchen" not in onboarding_profile(bookshop, 0, [], np.random.default_rng(0)).lower()


def test_keyword_profiles_without_genres_name_topics_then_a_creator():
    rng = np.random.default_rng(0)
    topics, creators = ["kitchen", "garden"], ["Ann Baker", "Ann Baker", "Tom Reed"]
    first, second, third = (keywords_without_genres(k, topics, creators, "books", rng) for k in range(3))
    assert "kitchen" in first and {second, third} <= {"books by Ann Baker", "books by Tom Reed"}
    # No creator to name: any one of the person's topics.
    assert keywords_without_genres(2, topics, [], "books", rng).split()[-1] in topics
    # No topics: a creator, drawn exactly as before topics existed (one draw), or nothing at all.
    rng, same = np.random.default_rng(3), np.random.default_rng(3)
    assert keywords_without_genres(0, [], creators, "books", rng) == f"books by {['Ann Baker', 'Tom Reed'][int(same.integers(2))]}"
    assert rng.random() == same.random()
    assert keywords_without_genres(0, [], [], "books", rng) == ""


def test_sentences_without_genres_name_topics():
    text, asked = describe_in_sentences(np.random.default_rng(0), {}, [[], []], [], [], {}, False, ["Ann Baker"], ["kitchen"], "books")
    assert "kitchen" in text.lower() and "Ann Baker" in text and asked == []
    before = describe_in_sentences(np.random.default_rng(0), {}, [[]], [], [], {}, False, ["Ann Baker"])[0]
    assert "kitchen" not in before.lower() and "Ann Baker" in before
