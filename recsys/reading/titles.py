"""The catalogue's titles, indexed once: the names each film answers to, fuzzy ranking, the verdict on a query."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd
from rapidfuzz import fuzz, process

from recsys import columns as C
from recsys.reading.chips import TitleMatch
from recsys.reading.lexicon import _ARTICLES, _NUMERALS, _TITLE_STOP
from recsys.reading.serialisation import _plain
from recsys.reading.text import _tokenize

#: A title match at or above this score (0–100) is taken as the film meant.
CONFIDENT = 88.0
#: Films scoring at least this much are listed as alternatives.
CANDIDATE = 60.0
#: Two films within this many points of each other are ambiguous.
AMBIGUOUS_MARGIN = 3.0
#: A film whose year differs from the year written next to its title loses this much.
YEAR_PENALTY = 20.0
#: A title's part before or after its colon ("Star Trek" of "Star Trek: Generations") scores this much less.
PREFIX_PENALTY = 8.0
MAX_ALTERNATIVES = 4
#: A one-word query shorter than 8 letters must match at least this well to be confident.
_SHORT_WORD_EXACT = 95.0
#: Years treated as film years when they follow a title or name an era.
_FIRST_FILM_YEAR = 1870

_TITLE_TAGS = re.compile(r"(?:\s*\((?:\d{4}|V|TV)\))+\s*$")
_PARENTHESES = re.compile(r"\s*\(([^()]*)\)")
_TRAILING_ARTICLE = re.compile(r"^(.*?),\s*(the|a|an|les|la|le|l'|il|das|der|die|el|los|las|lo|gli|une|un|det|den|het|de)$",
                               re.IGNORECASE)  # fmt: skip
_YEAR_IN_TITLE = re.compile(r"\((\d{4})\)")


class _TitleIndex:
    """The catalogue's titles folded into aliases and indexed by word; read-only once built.

    Each title answers to its main name with the article moved to the front, its
    alternate names in parentheses, its parts around a colon (with
    :data:`PREFIX_PENALTY`) and each of these without a leading article. Duplicate rows
    of one film (MovieLens lists 18 films twice) count as one film.
    """

    def __init__(self, items: pd.DataFrame) -> None:
        # A missing title (NaN under pandas' string dtype) is an empty one, never "nan".
        titles = [t if isinstance(t, str) else "" for t in items[C.TITLE].tolist()] if C.TITLE in items else []
        ids = [_plain(i) for i in items[C.ITEM].tolist()] if C.ITEM in items else list(range(len(titles)))
        years = items[C.YEAR].tolist() if C.YEAR in items else [None] * len(titles)
        self._ids, self._titles, self._years = ids, titles, []
        self._alias_text: list[str] = []
        self._alias_row: list[int] = []
        self._alias_penalty: list[float] = []
        self._row_words: list[frozenset[str]] = []
        #: The words of every whole name of two or more words (no penalty) → its row: a phrase spelt exactly so.
        self.exact: dict[tuple[str, ...], int] = {}
        self._names: list[tuple[tuple[str, ...], int]] = []  # every whole name's words and its row
        self._canonical: list[int] = []
        first_row: dict[str, int] = {}
        index: dict[str, list[int]] = {}
        for row, title in enumerate(titles):
            in_title = _YEAR_IN_TITLE.search(title)
            year = years[row]
            self._years.append(int(in_title.group(1)) if in_title else None if year is None or pd.isna(year) else int(year))
            # Duplicate rows of one film (MovieLens has 18) are one film, not an ambiguity.
            self._canonical.append(first_row.setdefault(title, row))
            row_words: set[str] = set()
            seen: set[str] = set()
            for name, penalty in _alias_names(title):
                words = numerals([t.fold for t in _tokenize(name) if t.kind == "word"])
                variants = [words]
                if len(words) > 1 and words[0] in _ARTICLES:
                    variants.append(words[1:])
                for variant in variants:
                    text = " ".join(variant)
                    if not text or text in seen:
                        continue
                    seen.add(text)
                    alias = len(self._alias_text)
                    self._alias_text.append(text)
                    self._alias_row.append(row)
                    self._alias_penalty.append(penalty)
                    row_words.update(variant)
                    if penalty == 0.0:
                        self._names.append((tuple(variant), row))
                        if len(variant) > 1:
                            self.exact.setdefault(tuple(variant), row)
                    keys = [w for w in variant if w not in _TITLE_STOP] or variant
                    for word in set(keys):
                        index.setdefault(word, []).append(alias)
            self._row_words.append(frozenset(row_words))
        self._index = index
        #: The lengths of the whole names starting with each word, longest first.
        self.exact_lengths: dict[str, tuple[int, ...]] = {}
        for key in self.exact:
            self.exact_lengths[key[0]] = tuple(sorted({*self.exact_lengths.get(key[0], ()), len(key)}, reverse=True))
        self._names_with: dict[str, list[int]] = {}  # word → the whole names holding it
        for n, (words, _) in enumerate(self._names):
            for word in set(words):
                self._names_with.setdefault(word, []).append(n)
        # Typos rarely hit the first letter, so a word is compared only with words sharing it.
        self._vocabulary: dict[str, list[str]] = {}
        for word in index:
            if len(word) >= 3 and not word.isdigit():
                self._vocabulary.setdefault(word[0], []).append(word)

    def typo_words(self, word: str) -> tuple[str, ...]:
        """Catalogue words a word not in the catalogue may be a typo of ("casablanka")."""
        if len(word) < 4 or word.isdigit():
            return ()
        hits = process.extract(word, self._vocabulary.get(word[0], ()), scorer=fuzz.ratio, score_cutoff=80, limit=3)
        return tuple(h[0] for h in hits)

    def rank(self, words: Sequence[str], year: int | None) -> list[tuple[float, int]]:
        """Catalogue rows scored against folded query words, best first, one row per film.

        Scores are ``fuzz.ratio`` against each alias, less the alias's penalty, capped
        below :data:`CONFIDENT` when the query has a number the title lacks or is one
        short word not matched near-exactly, and less :data:`YEAR_PENALTY` for films
        more than a year away from ``year``. Only films scoring :data:`CANDIDATE` or more
        are returned, as ``(score, row)``.
        """
        words = numerals(words)
        query = " ".join(words)
        aliases: set[int] = set()
        for word in {w for w in words if w not in _TITLE_STOP} or set(words):
            if word in self._index:
                aliases.update(self._index[word])
            else:
                for near in self.typo_words(word):
                    aliases.update(self._index[near])
        best: dict[int, float] = {}
        candidates = list(aliases)
        texts = [self._alias_text[a] for a in candidates]
        for _, raw, n in process.extract(query, texts, scorer=fuzz.ratio, score_cutoff=CANDIDATE, limit=None):
            alias = candidates[n]
            score = raw - self._alias_penalty[alias]
            row = self._canonical[self._alias_row[alias]]
            if score > best.get(row, -1.0):
                best[row] = score
        numbers = {w for w in words if w.isdigit()}
        short_word = len(words) == 1 and len(words[0]) < 8
        ranked = []
        for row, score in best.items():
            if numbers - self._row_words[row]:
                # A number the title lacks ("Blade Runner 2049") names another film.
                score = min(score, CONFIDENT - 1.0)
            if short_word and score < _SHORT_WORD_EXACT:
                # One short word one letter off is as likely another word ("Allen" → "Fallen").
                score = min(score, CONFIDENT - 1.0)
            if year is not None and (self._years[row] is None or abs(self._years[row] - year) > 1):
                score -= YEAR_PENALTY
            if score >= CANDIDATE:
                ranked.append((round(score, 1), row))
        ranked.sort(key=lambda sr: (-sr[0], sr[1]))
        return ranked

    def holding(self, words: Sequence[str]) -> list[int]:
        """The films (first rows) whose whole name holds ``words`` in a run ("death at fenwick" of "Death at Fenwick St
        Mary", "shawshank" of "The Shawshank Redemption"), in catalogue order."""
        words = tuple(numerals(words))
        if not words or any(w not in self._names_with for w in words):
            return []
        k = len(words)
        rows = {
            self._canonical[row]
            for n in min((self._names_with[w] for w in words), key=len)
            for name, row in [self._names[n]]
            if any(name[i : i + k] == words for i in range(len(name) - k + 1))
        }
        return sorted(rows)

    def judge(self, query: str, ranked: list[tuple[float, int]]) -> TitleMatch:
        """Turn ranked candidates into a match: confident, ambiguous, low-confidence or none."""
        if not ranked:
            return TitleMatch(query, None, None, 0.0)
        top, row = ranked[0]
        alternatives = tuple((self._ids[r], self._titles[r], s) for s, r in ranked[1 : 1 + MAX_ALTERNATIVES])
        tied = top >= CONFIDENT and len(ranked) > 1 and ranked[1][0] >= top - AMBIGUOUS_MARGIN
        if top >= CONFIDENT and not tied:
            return TitleMatch(query, self._ids[row], self._titles[row], top, alternatives)
        every = tuple((self._ids[r], self._titles[r], s) for s, r in ranked[: 1 + MAX_ALTERNATIVES])
        return TitleMatch(query, None, None, top, every)


def numerals(words: Sequence[str]) -> list[str]:
    """Folded words with the numbers written as words or Roman numerals as digits (the lexicon's ``numerals``).

    Example:
        >>> numerals(["godfather", "part", "ii"]), numerals(["twelve", "monkeys"])
        (['godfather', 'part', '2'], ['12', 'monkeys'])
    """
    return [_NUMERALS.get(w, w) for w in words]


def _alias_names(title: str) -> list[tuple[str, float]]:
    """Names a catalogue title answers to: main title, alternate titles in parentheses, head before a colon."""
    name = _TITLE_TAGS.sub("", title).strip()
    alternates = _PARENTHESES.findall(name)
    main = _PARENTHESES.sub("", name).strip()
    names: list[tuple[str, float]] = []
    both = f"{main} {' '.join(alternates)}" if alternates else ""
    for base in [main, *alternates, *([both] if both else [])]:
        base = base.strip()
        moved = _TRAILING_ARTICLE.match(base)
        if moved:
            base = f"{moved.group(2)} {moved.group(1)}"
        if not base:
            continue
        names.append((base, 0.0))
        if ":" in base:
            head, tail = base.split(":", 1)
            head = re.sub(r"\s+or$", "", head.strip(), flags=re.IGNORECASE)
            if head:
                names.append((head, PREFIX_PENALTY))
            if len(tail.split()) >= 2:  # "A Space Odyssey", "First Contact"
                names.append((tail.strip(), PREFIX_PENALTY))
    return names
