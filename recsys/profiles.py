"""Synthetic profile texts for warm users, so the model can learn text → preference.

Real users of MovieLens wrote no profiles. To learn how words map into the
collaborative space we write, for each training user, several short profiles in varied
phrasing from what the model is allowed to know: their demographics and a set of
"onboarding" items (a prefix of their history). The words used for genres come from a
small lexicon of everyday phrasings ("scary movies", "cartoons", "space adventures"), so
typed personas land near the users whose histories they describe. A catalogue without
genres has no such words to offer, so its profiles name topics instead: the words of the
liked items' text most over-represented against the whole catalogue ("books about kitchens
and gardens"), so that topic words learn to point at the items whose text carries them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from recsys import columns as C
from recsys.data.dataset import known

if TYPE_CHECKING:
    from recsys.data import Dataset

GENRE_PHRASES: dict[str, tuple[str, ...]] = {
    "Action": ("action movies", "explosive action films", "fights and car chases", "action blockbusters"),
    "Adventure": ("adventure films", "epic quests", "swashbuckling adventures", "treasure hunts and journeys"),
    "Animation": ("animated films", "cartoons", "animation", "Disney-style animated movies"),
    "Children's": ("kids' movies", "family films", "movies to watch with my children", "films for children"),
    "Comedy": ("comedies", "funny movies", "light-hearted comedy", "films that make me laugh"),
    "Crime": ("crime films", "gangster movies", "heists and detectives", "mob stories"),
    "Documentary": ("documentaries", "true stories told on film", "real-life documentaries", "non-fiction films"),
    "Drama": ("dramas", "serious character-driven films", "emotional dramas", "thoughtful drama"),
    "Fantasy": ("fantasy", "magical worlds", "fairy tales and fantasy", "sword and sorcery"),
    "Film-Noir": ("film noir", "classic noir detective stories", "dark hard-boiled crime noir", "hard-boiled noir"),
    "Horror": ("horror", "scary movies", "gory slasher films", "creepy horror films"),
    "Musical": ("musicals", "films with songs and dancing", "Broadway-style musicals", "singing and dancing"),
    "Mystery": ("mysteries", "whodunits", "puzzling mystery plots", "detective mysteries"),
    "Romance": ("romantic films", "love stories", "romcoms", "romance"),
    "Sci-Fi": ("science fiction", "sci-fi", "space operas", "aliens, robots and the future"),
    "Thriller": ("thrillers", "suspense", "edge-of-the-seat thrillers", "psychological thrillers"),
    "War": ("war films", "war movies", "World War II stories", "military dramas"),
    "Western": ("westerns", "cowboy films", "the Wild West", "classic westerns"),
}

#: Genres that say nothing about taste (MovieLens' "unknown").
_NO_GENRE = frozenset({"unknown", ""})


def phrases_of(genre: str) -> tuple[str, ...]:
    """Everyday words for a genre: hand-written ones for the film genres above, plain ones for any
    other catalogue's genres ("Cookery" → "cookery", "cookery titles", …); none for "unknown"."""
    if genre in GENRE_PHRASES:
        return GENRE_PHRASES[genre]
    if genre.strip() in _NO_GENRE:
        return ()
    word = genre.strip() if genre.strip().isupper() else genre.strip().lower()
    return (word, f"{word} titles", f"anything {word}", f"good {word}")


_OPENERS = ("I love {g}.", "I'm into {g}.", "Big fan of {g}.", "Mostly {g} for me.", "{G}, please.", "I enjoy {g}.")
_TITLES = ("Favourites: {t}.", "I liked {t}.", "Recently enjoyed {t}.", "Films like {t}.", "{T} are my kind of film.")
_NO_TASTE = ("I watch a movie now and then.", "New here, not sure what I like yet.", "Recommend me something good.", "")
_YEAR_PAREN = re.compile(r"\s*\(\d{4}\)\s*$")


def short_title(title: str) -> str:
    """``"Godfather, The (1972)"`` → ``"The Godfather"``."""
    base = _YEAR_PAREN.sub("", title).strip()
    for article in ("The", "A", "An", "Les", "La", "Il", "Le", "Die", "Das", "El"):
        suffix = f", {article}"
        if base.endswith(suffix):
            return f"{article} {base[: -len(suffix)]}"
    return base


_CREATORS = ("Anything by {c}.", "I read everything by {c}.", "Big fan of {c}.", "{C}, always.", "More like {c}, please.", "Mostly {c}.")


def favourite_creators(creators: Sequence[object]) -> list[str]:
    """The creators (authors, directors, brands) of the given items, most frequent first; missing ones left out."""
    counts = Counter(str(c).strip() for c in creators if isinstance(c, str) and c.strip())
    return [c for c, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def describe_creators(creators: Sequence[object], rng: np.random.Generator) -> str:
    """One sentence naming one or two favourite creators (``"Anything by John Grisham."``); ``""`` when there are none."""
    ranked = favourite_creators(creators)
    if not ranked:
        return ""
    names = " and ".join(ranked[: int(rng.integers(1, 3))])
    return _CREATORS[int(rng.integers(len(_CREATORS)))].format(c=names, C=names)


def describe_demographics(demographics: Mapping[str, Any], rng: np.random.Generator) -> str:
    """One sentence about the person, e.g. ``"I'm a 24-year-old man, a technician."``."""
    age = demographics.get(C.AGE)
    gender = {"M": "man", "F": "woman"}.get(str(demographics.get(C.GENDER, "")), "")
    job = str(demographics.get(C.OCCUPATION, "") or "")
    job = "" if job in {"none", "other", "nan"} else job
    if age is None and not gender and not job:
        return ""
    who = " ".join(p for p in [f"{int(age)}-year-old" if age is not None else "", gender or "person"] if p)
    article = "an" if who[0] in "aeiou8" or who.startswith("18-") or who.startswith("11-") else "a"
    styles = [f"I'm {article} {who}" + (f", working as {'an' if job[:1] in 'aeiou' else 'a'} {job}" if job else "") + "."]
    if age is not None:
        styles.append(f"{int(age)}, {gender or 'person'}" + (f", {job}" if job else "") + ".")
    if job:
        styles.append(f"{job.capitalize()} by day, movie watcher by night.")
    return styles[int(rng.integers(len(styles)))]


def distinctive_genres(genres: Sequence[Sequence[str]], base_rates: Mapping[str, float] | None = None) -> list[str]:
    """Genres of the given items, most distinctive first: share among the items over the
    (damped) share among everyone's likes, so a horror fan reads "horror", not "drama"."""
    counts = Counter(g for gs in genres for g in gs if phrases_of(g))
    total = max(1, len(genres))
    rates = base_rates or {}
    lift = {g: (c / total) / max(rates.get(g, 0.1), 1e-3) ** 0.7 for g, c in counts.items()}
    return sorted(counts, key=lambda g: (-lift[g], g))


def genre_phrase(genres: Sequence[str], rng: np.random.Generator) -> str:
    """Everyday words for a few genres: ``["Horror", "Comedy"]`` → ``"scary movies and comedies"``."""
    return join_words([phrases_of(g)[int(rng.integers(len(phrases_of(g))))] for g in genres if phrases_of(g)])


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
#: Shortest word that can name a topic ("war", "sea"); shorter ones are mostly particles.
MIN_TOPIC_LETTERS = 3
_TOPICS = (
    "{Nouns} about {t}.", "Anything on {t}.", "I like {nouns} about {t}.", "Mostly {t}.", "Looking for {t}.",
    "Into {t} lately.", "Something with {t}, please.", "I'm drawn to {t}.", "{T}.",
)  # fmt: skip


def content_words(text: str, leave_out: frozenset[str] = frozenset()) -> frozenset[str]:
    """The lower-cased words of ``text`` that can name a topic: no English stop word, no word in
    ``leave_out``, no number, nothing shorter than three letters; a possessive ``'s`` dropped.

    Example:
        >>> sorted(content_words("The Clockmaker's Daughter (1982), by Agnes Moor.", frozenset({"agnes", "moor"})))
        ['clockmaker', 'daughter']
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words = (re.sub(r"['’]s$", "", w) for w in _WORD.findall(text.lower()))
    return frozenset(w for w in words if len(w) >= MIN_TOPIC_LETTERS and w not in ENGLISH_STOP_WORDS and w not in leave_out)


@dataclass(frozen=True)
class TopicWords:
    """The content words of every item's text, and how many items carry each: what a catalogue
    without genres gives a profile to talk about.

    An item's words come from the text the model reads (title, description, …) less the names
    in its descriptive columns (creator, publisher: a profile names those separately) and the
    catalogue's nouns. A word carried by a single item names that item, not a topic, so only
    words at least two items share count.
    """

    words: tuple[frozenset[str], ...]
    item_counts: Mapping[str, int]

    @classmethod
    def of(cls, dataset: Dataset) -> TopicWords:
        nouns = frozenset({dataset.noun.lower(), dataset.nouns.lower(), "item", "items"})
        columns = list(dataset.text_columns)
        names = dataset.items[columns].to_numpy(dtype=object) if columns else np.empty((dataset.n_items, 0), dtype=object)
        column_words = content_words(" ".join(c.replace("_", " ") for c in columns))
        words = []
        for text, details in zip(dataset.items[C.TEXT], names):
            named = content_words(" ".join(v for v in details if isinstance(v, str)))
            words.append(content_words(text if isinstance(text, str) else "", nouns | column_words | named))
        counts = Counter(w for ws in words for w in ws)
        return cls(tuple(words), {w: c for w, c in counts.items() if c >= 2})

    def distinctive(self, item_rows: Sequence[int]) -> list[str]:
        r"""Topic words of the given items, most distinctive first, by tf-idf: a word's count among
        the items times :math:`\log\frac{1 + n_{items}}{1 + n_w}`, where :math:`n_w` items of the
        catalogue carry it — so a word the person's items share beats one every item has."""
        counts = Counter(w for row in item_rows for w in self.words[row] if w in self.item_counts)
        n = len(self.words)
        score = {w: c * math.log((1 + n) / (1 + self.item_counts[w])) for w, c in counts.items()}
        return sorted(score, key=lambda w: (-score[w], w))


#: The last catalogue's topic words (its item table and them): training writes thousands of
#: profiles from one catalogue, and counting its words once per profile would dominate.
_LAST_TOPICS: tuple[pd.DataFrame, TopicWords | None] | None = None


def catalogue_topics(dataset: Dataset) -> TopicWords | None:
    """The catalogue's topic words, or ``None`` when it has genres (its profiles speak of those)."""
    global _LAST_TOPICS
    last = _LAST_TOPICS
    if last is not None and last[0] is dataset.items:
        return last[1]
    has_genres = any(phrases_of(g) for g in dataset.genre_vocabulary())
    topics = None if has_genres else TopicWords.of(dataset)
    _LAST_TOPICS = (dataset.items, topics)
    return topics


def describe_topics(topics: Sequence[str], rng: np.random.Generator, nouns: str = "items", keywords_only: bool = False) -> str:
    """One sentence naming one to three of the most distinctive topic words (``"Books about spies and
    berlin."``); only the words with ``keywords_only``; ``""`` when there are none."""
    if not topics:
        return ""
    joined = join_words(list(topics[: int(rng.integers(1, 4))]))
    if keywords_only:
        return joined
    template = _TOPICS[int(rng.integers(len(_TOPICS)))]
    return template.format(t=joined, T=joined[:1].upper() + joined[1:], nouns=nouns, Nouns=nouns[:1].upper() + nouns[1:])


def join_words(words: Sequence[str]) -> str:
    """``["spies", "Berlin", "winter"]`` → ``"spies, Berlin and winter"``."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def keywords_without_genres(k: int, topics: Sequence[str], creators: Sequence[object], nouns: str, rng: np.random.Generator) -> str:
    """What the ``k``-th keyword-style profile asks for on a catalogue without genres: the first, the
    most distinctive topic words (``"books about kitchen and garden"``); the others a favourite
    creator (``"books by Ann Baker"``), as they always did — or, with no creator to name, any one
    topic of the person's, so rarer topics get their share of examples; ``""`` when there is nothing to name."""
    named = favourite_creators(creators)
    if topics and (k == 0 or not named):
        picked = topics[: int(rng.integers(1, 3))] if k == 0 else [topics[int(rng.integers(len(topics)))]]
        return join_words(picked) if rng.random() < 0.5 else f"{nouns} about {join_words(picked)}"
    return f"{nouns} by {named[int(rng.integers(len(named)))]}" if named else ""


def describe_taste(
    genres: Sequence[Sequence[str]],
    titles: Sequence[str],
    years: Sequence[float],
    rng: np.random.Generator,
    base_rates: Mapping[str, float] | None = None,
    keywords_only: bool = False,
) -> str:
    """Sentences about the distinctive genres, eras and a few titles of the given items."""
    ranked = distinctive_genres(genres, base_rates)
    if not ranked:
        return ""
    top = ranked[: int(rng.integers(1, 4))]
    joined = genre_phrase(top, rng)
    if keywords_only:
        return joined
    opener = _OPENERS[int(rng.integers(len(_OPENERS)))]
    parts = [opener.format(g=joined, G=joined[:1].upper() + joined[1:])]
    known_years = [y for y in years if y == y]
    if known_years and rng.random() < 0.5:
        mean_year = float(np.mean(known_years))
        if mean_year < 1965:
            parts.append("Mostly older classics.")
        elif mean_year > 1994:
            parts.append("I prefer recent releases.")
    if titles and rng.random() < 0.8:
        picked = list(titles[: int(rng.integers(1, 4))])
        shown = ", ".join(short_title(t) for t in picked)
        template = _TITLES[int(rng.integers(len(_TITLES)))]
        parts.append(template.format(t=shown, T=shown))
    return " ".join(parts)


def write_profile(
    rng: np.random.Generator,
    demographics: Mapping[str, Any] | None = None,
    genres: Sequence[Sequence[str]] = (),
    titles: Sequence[str] = (),
    years: Sequence[float] = (),
    base_rates: Mapping[str, float] | None = None,
    keywords_only: bool = False,
    creators: Sequence[object] = (),
    topics: Sequence[str] = (),
    nouns: str = "items",
) -> str:
    """A short first-person profile from demographics and liked items, in random phrasing.

    ``keywords_only`` gives just the genre phrases ("scary movies and cartoons"), the way
    people often type a persona. ``creators`` (the liked items' authors, directors …) add a
    sentence naming a favourite, on catalogues that have them. ``topics`` (the liked items'
    distinctive words, most distinctive first; given only on catalogues without genres) take
    the genres' place: "Books about spies and berlin." — ``nouns`` is what the items are called.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> text = write_profile(rng, {"age": 30, "gender": "F", "occupation": "writer"},
        ...                      [["Sci-Fi", "Action"]], ["Star Wars (1977)"], [1977.0])
        >>> "Star Wars" in text or "sci" in text.lower() or "space" in text.lower() or "future" in text
        True
    """
    taste = describe_taste(genres, titles, years, rng, base_rates, keywords_only)
    if topics:  # only catalogues without genres have topics: the others' profiles draw exactly as they did
        taste = describe_topics(topics, rng, nouns, keywords_only)
    if favourite_creators(creators):  # no draw at all on a catalogue without creators: its profiles stay as they were
        named = describe_creators(creators, rng)
        taste = named if not taste else f"{taste} {named}" if rng.random() < 0.7 else taste
    if keywords_only and taste:
        return taste
    who = describe_demographics(demographics or {}, rng) if demographics and (not taste or rng.random() < 0.6) else ""
    if not taste:
        filler = _NO_TASTE[int(rng.integers(len(_NO_TASTE)))]
        text = " ".join(p for p in (who, filler) if p)
        return text or "I watch a movie now and then."
    parts = [taste, who] if rng.random() < 0.5 else [who, taste]
    return " ".join(p for p in parts if p)


def user_record(users: pd.DataFrame, row: int, attributes: Sequence[str]) -> dict:
    """A user's stated attributes; an empty cell is not stated (never a NaN age in a sentence)."""
    return known({a: users.iloc[row][a] for a in attributes})


def genre_base_rates(dataset: Dataset, ratings: pd.DataFrame) -> dict[str, float]:
    """Share of all positive interactions that involve each genre (the baseline for "distinctive")."""
    pos = dataset.positives(ratings)
    genres = dataset.items[C.GENRES].to_numpy()[dataset.item_ids.indices(pos[C.ITEM])]
    counts = Counter(g for gs in genres for g in gs)
    return {g: c / max(1, len(pos)) for g, c in counts.items()}


def onboarding_profile(
    dataset: Dataset,
    user_row: int,
    item_rows: Sequence[int],
    rng: np.random.Generator,
    base_rates: dict[str, float] | None = None,
    taste_rows: Sequence[int] | None = None,
    keywords_only: bool = False,
) -> str:
    """Profile text for a user who revealed ``item_rows`` (may be empty: demographics only).

    ``taste_rows`` (default: ``item_rows``) are the items whose genres the text describes —
    or, on a catalogue without genres, whose distinctive topic words it names.
    """
    items = dataset.items.iloc[list(item_rows)]
    taste_rows = list(item_rows if taste_rows is None else taste_rows)
    taste = dataset.items.iloc[taste_rows]
    creator = dataset.creator_column
    topics = catalogue_topics(dataset)
    return write_profile(
        rng,
        user_record(dataset.users, user_row, dataset.user_attributes),
        taste[C.GENRES].tolist(),
        items[C.TITLE].tolist(),
        items[C.YEAR].tolist(),
        base_rates=base_rates,
        keywords_only=keywords_only,
        creators=taste[creator].tolist() if creator else (),
        topics=topics.distinctive(taste_rows) if topics is not None else (),
        nouns=dataset.nouns,
    )


_EXCLUSIONS = ("but no {x}", "but not {x}", "anything except {x}", "{X} bore me", "I can't stand {x}", "no {x} please", "not a fan of {x}")
_ERAS = ("mostly films from the {d}s", "{d}s movies", "I watch a lot from the {d}s", "especially the {d}s")
_NAMED = ("I loved {t}.", "My favourites are {t}.", "Films like {t}.", "{T} stayed with me.")
_SELF = ("I'm a {who} and I like {g}.", "As a {job}, I enjoy {g}.", "{Who}, into {g}.")


def disliked_genres(genres: Sequence[Sequence[str]], base_rates: Mapping[str, float]) -> list[str]:
    """Common genres the person watches least (share among their likes over the base rate), least first."""
    counts = Counter(g for gs in genres for g in gs)
    total = max(1, len(genres))
    common = [g for g, rate in base_rates.items() if rate >= 0.03 and phrases_of(g)]
    return sorted(common, key=lambda g: (counts.get(g, 0) / total / base_rates[g], g))


def describe_in_sentences(
    rng: np.random.Generator,
    demographics: Mapping[str, Any],
    genres: Sequence[Sequence[str]],
    titles: Sequence[str],
    years: Sequence[float],
    base_rates: Mapping[str, float],
    self_description: bool = False,
    creators: Sequence[object] = (),
    topics: Sequence[str] = (),
    nouns: str = "items",
) -> tuple[str, list[str]]:
    """A profile in the sentences people type — what they like, what they rule out, the era they
    watch, films they name — or a self-description; returns the text and the genres it asks for.

    The ruled-out genre is one the person likes least; the era is the decade they watch most;
    the named films come from ``titles`` (their own history). On a catalogue without genres the
    text names the person's distinctive ``topics`` (given only there) and a favourite creator.
    """
    liked = distinctive_genres(genres, base_rates)
    asked = liked[: int(rng.integers(1, 3))]
    if not asked and topics:
        return " ".join(p for p in (describe_topics(topics, rng, nouns), describe_creators(creators, rng)) if p), []
    if not asked:
        named = describe_creators(creators, rng)
        return named or "Recommend me something good.", []
    wanted = genre_phrase(asked, rng)
    if self_description:
        job = str(demographics.get(C.OCCUPATION, "") or "")
        job = "" if job in {"none", "other", "nan"} else job
        age = demographics.get(C.AGE)
        gender = {"M": "man", "F": "woman"}.get(str(demographics.get(C.GENDER, "")), "person")
        who = " ".join(p for p in (f"{int(age)}-year-old" if age is not None else "", job or gender) if p)
        template = _SELF[int(rng.integers(len(_SELF)))] if job else _SELF[0]
        text = template.format(who=who, Who=who[:1].upper() + who[1:], job=job or "movie fan", g=wanted)
        return text[:1].upper() + text[1:], asked
    sentences = [f"I love {wanted}"]
    avoid = [g for g in disliked_genres(genres, base_rates)[:3] if g not in asked]
    if avoid and rng.random() < 0.7:
        x = genre_phrase([avoid[int(rng.integers(len(avoid)))]], rng)
        clause = _EXCLUSIONS[int(rng.integers(len(_EXCLUSIONS)))].format(x=x, X=x[:1].upper() + x[1:])
        if clause.startswith("but"):
            sentences[0] += ", " + clause
        else:
            sentences.append(clause)
    decades = [int(y) // 10 * 10 for y in years if y == y]
    if decades and rng.random() < 0.5:
        sentences.append(_ERAS[int(rng.integers(len(_ERAS)))].format(d=Counter(decades).most_common(1)[0][0]))
    if titles and rng.random() < 0.5:
        shown = " and ".join(short_title(t) for t in titles[: int(rng.integers(1, 3))])
        sentences.append(_NAMED[int(rng.integers(len(_NAMED)))].format(t=shown, T=shown).rstrip("."))
    return " ".join(f"{p[:1].upper()}{p[1:]}." for p in sentences), asked


# --- Chinese profiles (for a multilingual text model) -----------------------------------
#: Chinese words for the film genres, as people write them; a Chinese profile names genres by these.
ZH_GENRE_PHRASES: dict[str, tuple[str, ...]] = {
    "Action": ("动作片", "动作电影", "打斗场面多的片子"),
    "Adventure": ("冒险片", "探险故事", "冒险电影"),
    "Animation": ("动画片", "动画电影", "卡通"),
    "Children's": ("儿童片", "适合孩子看的电影", "合家欢电影"),
    "Comedy": ("喜剧片", "搞笑的电影", "喜剧"),
    "Crime": ("犯罪片", "黑帮片", "警匪片"),
    "Documentary": ("纪录片", "纪实电影"),
    "Drama": ("剧情片", "文艺片", "催泪的剧情片"),
    "Fantasy": ("奇幻片", "魔幻电影", "奇幻故事"),
    "Film-Noir": ("黑色电影", "经典黑色电影"),
    "Horror": ("恐怖片", "鬼片", "血腥的恐怖片"),
    "Musical": ("歌舞片", "音乐剧", "载歌载舞的电影"),
    "Mystery": ("悬疑片", "推理片", "侦探片"),
    "Romance": ("爱情片", "浪漫的爱情故事", "爱情电影"),
    "Sci-Fi": ("科幻片", "科幻电影", "太空题材的电影"),
    "Thriller": ("惊悚片", "紧张刺激的惊悚片"),
    "War": ("战争片", "二战电影", "战争电影"),
    "Western": ("西部片", "牛仔电影"),
}
_ZH_WANTS = ("我喜欢{g}。", "我爱看{g}。", "最近想看{g}。", "{g}是我的最爱。", "给我推荐一些{g}吧。", "平时多看{g}。")
_ZH_EXCLUSIONS = ("但不喜欢{x}", "但是受不了{x}", "不要{x}", "{x}就算了", "讨厌{x}", "除了{x}以外都行")
_ZH_DECADES = {1920: "二十", 1930: "三十", 1940: "四十", 1950: "五十", 1960: "六十", 1970: "七十", 1980: "八十", 1990: "九十"}
_ZH_JOBS = {
    "retired": "退休人员", "student": "学生", "programmer": "程序员", "engineer": "工程师", "educator": "老师",
    "healthcare": "护士", "doctor": "医生", "lawyer": "律师", "writer": "作家", "artist": "艺术家", "librarian": "图书管理员",
    "scientist": "科学家", "technician": "技术员", "salesman": "销售", "marketing": "市场营销人员", "executive": "经理",
    "administrator": "行政人员", "homemaker": "家庭主妇", "entertainment": "演员",
}  # fmt: skip


def zh_genre_phrase(genres: Sequence[str], rng: np.random.Generator, mixed: bool = False) -> str:
    """Chinese words for a few film genres (``mixed``: the English words, as bilingual writers do); "" when none has any."""
    table = GENRE_PHRASES if mixed else ZH_GENRE_PHRASES
    words = [table[g][int(rng.integers(len(table[g])))] for g in genres if g in table]
    return ("和" if not mixed else " and ").join(words) if len(words) < 3 else "、".join(words)


def describe_in_chinese(
    rng: np.random.Generator,
    demographics: Mapping[str, Any],
    genres: Sequence[Sequence[str]],
    years: Sequence[float],
    base_rates: Mapping[str, float],
    self_description: bool = False,
) -> tuple[str, list[str]]:
    """A profile in Chinese, the way :func:`describe_in_sentences` writes English ones: what the person
    likes, one genre they rule out, the decade they watch — or a self-description; "" when the
    catalogue's genres have no Chinese words. Returns the text and the genres it asks for."""
    asked = [g for g in distinctive_genres(genres, base_rates) if g in ZH_GENRE_PHRASES][: int(rng.integers(1, 3))]
    if not asked:
        return "", []
    mixed = rng.random() < 0.25  # Chinese sentences around English genre words (我喜欢sci-fi)
    wanted = zh_genre_phrase(asked, rng, mixed)
    if self_description:
        age, job = demographics.get(C.AGE), _ZH_JOBS.get(str(demographics.get(C.OCCUPATION, "")), "")
        who = "，".join(p for p in (f"我今年{int(age)}岁" if age is not None else "", f"是{job}" if job else "") if p)
        return f"{who}，喜欢{wanted}。" if who else f"我喜欢{wanted}。", asked
    text = _ZH_WANTS[int(rng.integers(len(_ZH_WANTS)))].format(g=wanted).rstrip("。")
    avoid = [g for g in disliked_genres(genres, base_rates)[:3] if g not in asked and g in ZH_GENRE_PHRASES]
    if avoid and rng.random() < 0.7:
        x = zh_genre_phrase([avoid[int(rng.integers(len(avoid)))]], rng, mixed)
        text += "，" + _ZH_EXCLUSIONS[int(rng.integers(len(_ZH_EXCLUSIONS)))].format(x=x)
    decades = [int(y) // 10 * 10 for y in years if y == y]
    decade = Counter(decades).most_common(1)[0][0] if decades else None
    if decade in _ZH_DECADES and rng.random() < 0.5:
        text += f"，常看{_ZH_DECADES[decade]}年代的电影" if rng.random() < 0.5 else f"，尤其是{decade % 100}年代的"
    return text + "。", asked
