"""A synthetic catalogue of any size, for measuring cost only (never for quality numbers).

:func:`synthetic_catalogue` builds a :class:`recsys.data.Dataset` in the generic format
(``noun="item"``, implicit interactions rated 5.0) whose shape resembles a real one, so
that every stage of the engine does real work at the size asked for:

- items belong to one of 30 topics (a second topic for a quarter of them); their texts are
  25–40 words built from the topic's word list and general filler, so the text encoder
  reads texts of realistic length;
- users ≈ ``n_items / 5`` (at least 200, at most :data:`MAX_USERS`), each with 30–50
  interactions: 80 % from one to three favourite topics, the rest from anywhere;
- popularity is long-tailed (a Zipf-like weight by a random popularity rank), inside
  topics and overall.

The words carry no meaning beyond their topic, so recall numbers on this catalogue mean
nothing; time, memory and latency do.

Example:
    >>> data = synthetic_catalogue(1000)
    >>> data.n_items, data.n_users, data.noun
    (1000, 200, 'item')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from recsys import columns as C
from recsys.data import Dataset, item_text

MAX_USERS = 5_000
INTERACTIONS = (30, 50)
FAVOURITE_SHARE = 0.8
ZIPF_EXPONENT = 0.9

#: Topic → words its items are described with. 30 topics, 10 words each.
TOPICS: dict[str, tuple[str, ...]] = {
    "Astronomy": ("telescope", "galaxy", "comet", "nebula", "orbit", "planet", "eclipse", "observatory", "star", "meteor"),
    "Cooking": ("recipe", "kitchen", "pastry", "spice", "oven", "sauce", "chef", "bread", "flavour", "feast"),
    "Gardening": ("garden", "seedling", "compost", "orchard", "blossom", "hedge", "soil", "greenhouse", "tulip", "harvest"),
    "Sailing": ("harbour", "sail", "voyage", "tide", "mast", "anchor", "lighthouse", "schooner", "storm", "island"),
    "Mountaineering": ("summit", "glacier", "ridge", "rope", "avalanche", "base camp", "ascent", "crampon", "peak", "altitude"),
    "Jazz": ("saxophone", "trumpet", "improvisation", "club", "swing", "bassline", "bebop", "quartet", "rhythm", "melody"),
    "Chess": ("opening", "gambit", "endgame", "bishop", "rook", "tournament", "grandmaster", "checkmate", "pawn", "strategy"),
    "Robotics": ("robot", "sensor", "actuator", "circuit", "algorithm", "prototype", "servo", "automation", "machine", "lab"),
    "Medieval history": ("castle", "knight", "siege", "monastery", "crown", "feudal", "chronicle", "crusade", "manor", "banner"),
    "Ancient Egypt": ("pharaoh", "pyramid", "papyrus", "tomb", "hieroglyph", "Nile", "temple", "mummy", "dynasty", "scarab"),
    "Football": ("striker", "goal", "league", "stadium", "coach", "penalty", "derby", "midfield", "trophy", "season"),
    "Cycling": ("peloton", "climb", "sprint", "saddle", "gear", "stage", "jersey", "velodrome", "breakaway", "descent"),
    "Photography": ("lens", "aperture", "shutter", "portrait", "darkroom", "exposure", "tripod", "frame", "light", "film"),
    "Painting": ("canvas", "brush", "oil", "fresco", "palette", "easel", "gallery", "pigment", "sketch", "museum"),
    "Poetry": ("verse", "sonnet", "stanza", "rhyme", "ballad", "metaphor", "poet", "elegy", "haiku", "recital"),
    "Economics": ("market", "inflation", "trade", "budget", "bank", "interest", "currency", "recession", "growth", "tax"),
    "Medicine": ("doctor", "hospital", "surgery", "vaccine", "diagnosis", "nurse", "clinic", "patient", "cure", "ward"),
    "Wildlife": ("wolf", "savanna", "migration", "predator", "herd", "falcon", "rainforest", "elephant", "habitat", "den"),
    "Ocean life": ("reef", "whale", "coral", "dolphin", "plankton", "shark", "kelp", "abyss", "octopus", "current"),
    "Architecture": ("cathedral", "facade", "arch", "concrete", "tower", "blueprint", "column", "skyline", "dome", "bridge"),
    "Fashion": ("runway", "tailor", "fabric", "couture", "silk", "designer", "collection", "stitch", "boutique", "model"),
    "Cinema": ("director", "screenplay", "premiere", "studio", "actor", "camera", "festival", "scene", "editing", "sequel"),
    "Mythology": ("dragon", "oracle", "hero", "underworld", "titan", "prophecy", "giant", "labyrinth", "gods", "quest"),
    "Detective fiction": ("detective", "clue", "alibi", "suspect", "murder", "inspector", "witness", "motive", "case", "evidence"),
    "Space exploration": ("rocket", "astronaut", "launch", "capsule", "moon", "mission", "satellite", "station", "module", "orbiter"),
    "Railways": ("locomotive", "station", "timetable", "carriage", "steam", "platform", "signal", "junction", "track", "sleeper"),
    "Wine": ("vineyard", "grape", "cellar", "vintage", "barrel", "harvest", "tasting", "cork", "terroir", "sommelier"),
    "Philosophy": ("ethics", "logic", "reason", "virtue", "mind", "argument", "truth", "freedom", "dialogue", "doubt"),
    "Video games": ("console", "level", "player", "quest", "boss", "pixel", "arcade", "controller", "score", "multiplayer"),
    "Birdwatching": ("warbler", "binoculars", "heron", "nest", "migration", "owl", "marsh", "plumage", "songbird", "hide"),
}
ADJECTIVES = (
    "quiet", "hidden", "long", "bright", "last", "lost", "golden", "silent", "wild", "ancient", "modern", "little", "great",
    "secret", "endless", "northern", "southern", "early", "late", "distant", "strange", "gentle", "broken", "open",
)  # fmt: skip
FILLER = (
    "the", "a", "of", "and", "in", "with", "about", "through", "from", "across", "story", "guide", "collection", "account",
    "introduction", "history", "journey", "portrait", "study", "essays", "tales", "notes", "pictures", "years", "people",
    "world", "life", "new", "old", "first", "small", "large", "familiar", "unexpected", "careful", "vivid", "warm",
)  # fmt: skip
_SENTENCES = (
    "A {adj} {what} of {w1} and {w2}.",
    "It follows the {w1} from the {w2} to the {w3}, {f1} {f2} {f3}.",
    "Readers who enjoy {w1} will find {f1} {w2} {f2} here.",
    "With {adj} chapters on {w1}, {w2} and {w3}.",
    "{F1} {f2} {w1}, {f3} {w2} and the {adj} {w3}.",
)


def _words(rng: np.random.Generator, pool: tuple[str, ...], n: int) -> list[str]:
    return [pool[i] for i in rng.integers(len(pool), size=n)]


def _description(rng: np.random.Generator, topics: list[str]) -> str:
    """25–40 words (no final full stop: :func:`recsys.data.item_text` adds it): sentences from templates filled with the item's topic words and filler."""
    target = int(rng.integers(25, 41))
    vocab = tuple(w for t in topics for w in TOPICS[t])
    words: list[str] = []
    while len(words) < target:
        template = _SENTENCES[int(rng.integers(len(_SENTENCES)))]
        w = _words(rng, vocab, 3)
        f = _words(rng, FILLER, 3)
        sentence = template.format(
            adj=ADJECTIVES[int(rng.integers(len(ADJECTIVES)))], what=FILLER[int(rng.integers(10, 24))],
            w1=w[0], w2=w[1], w3=w[2], f1=f[0], f2=f[1], f3=f[2], F1=f[0].capitalize(),
        )  # fmt: skip
        words.extend(sentence.split())
    return " ".join(words[:target]).rstrip(",.")


def n_users_for(n_items: int) -> int:
    """Users that go with a catalogue of ``n_items``: one per five items, within [200, MAX_USERS]."""
    return int(min(MAX_USERS, max(200, n_items // 5)))


def synthetic_catalogue(n_items: int, seed: int = 0, short_texts: bool = False, n_users: int | None = None) -> Dataset:
    """A synthetic catalogue of ``n_items`` items with users and interactions scaled alongside.

    For measuring cost only (see the module docstring). Deterministic for a given
    ``(n_items, seed, titles, n_users)``; nothing is written to disk.

    Args:
        n_items: number of items (at least 30).
        seed: seed of the generator everything is drawn from.
        short_texts: items are known by title, year and topic only (title-length texts, as in a
            large retail or book catalogue), not by a 25–40-word description.
        n_users: users instead of :func:`n_users_for` (each with 30–50 interactions).
    """
    if n_items < len(TOPICS):
        raise ValueError(f"n_items must be at least {len(TOPICS)}, got {n_items}")
    rng = np.random.default_rng([seed, n_items])
    names = list(TOPICS)
    primary = rng.integers(len(names), size=n_items)
    second = np.where(rng.random(n_items) < 0.25, rng.integers(len(names), size=n_items), primary)
    titles, texts, genres = [], [], []
    for i in range(n_items):
        topics = list(dict.fromkeys([names[primary[i]], names[second[i]]]))
        words = _words(rng, TOPICS[topics[0]], 2)
        adjective = ADJECTIVES[int(rng.integers(len(ADJECTIVES)))]
        titles.append(f"The {adjective.capitalize()} {words[0].capitalize()} and the {words[1].capitalize()}")
        texts.append(_description(rng, topics))
        genres.append(topics)
    years = rng.integers(1950, 2025, size=n_items).astype(float)
    items = pd.DataFrame({C.ITEM: np.arange(1, n_items + 1), C.TITLE: titles, C.GENRES: genres, C.YEAR: years})
    items[C.TEXT] = [item_text(t, g, y, "" if short_texts else d) for t, g, y, d in zip(titles, genres, years, texts)]

    # Long-tailed popularity: a Zipf weight by a random rank, sampled by inverse CDF.
    weight = 1.0 / np.power(rng.permutation(n_items) + 1.0, ZIPF_EXPONENT)
    by_topic = [np.flatnonzero(primary == t) for t in range(len(names))]
    cumulative = [np.cumsum(weight[rows]) for rows in by_topic]
    overall = np.cumsum(weight)
    n_users = n_users or n_users_for(n_items)
    user_rows, item_rows = [], []
    for user in range(n_users):
        n = int(rng.integers(INTERACTIONS[0], INTERACTIONS[1] + 1))
        favourites = rng.choice(len(names), size=int(rng.integers(1, 4)), replace=False)
        from_topic = rng.random(n) < FAVOURITE_SHARE
        picks = []
        topic_of = favourites[rng.integers(len(favourites), size=n)]
        for t, fav in zip(topic_of, from_topic):
            table, rows = (cumulative[t], by_topic[t]) if fav and len(by_topic[t]) else (overall, None)
            k = int(np.searchsorted(table, rng.random() * table[-1], side="right"))
            k = min(k, len(table) - 1)
            picks.append(int(rows[k]) if rows is not None else k)
        chosen = list(dict.fromkeys(picks))
        user_rows.extend([user] * len(chosen))
        item_rows.extend(chosen)
    ratings = pd.DataFrame({
        C.USER: np.asarray(user_rows) + 1, C.ITEM: np.asarray(item_rows) + 1,
        C.RATING: 5.0, C.TIMESTAMP: np.arange(len(user_rows), dtype=np.int64),
    })  # fmt: skip
    users = pd.DataFrame({C.USER: np.arange(1, n_users + 1)})
    name = f"synthetic-{n_items}" + ("-titles" if short_texts else "") + (f"-{n_users}-users" if n_users != n_users_for(n_items) else "")
    return Dataset(
        name, items, users, ratings,
        item_attributes=(C.GENRES, C.YEAR), user_attributes=(), noun="item", nouns="items",
    )  # fmt: skip
