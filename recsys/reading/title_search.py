"""One read's search for film titles: in quotes, after cue phrases and in capitalised runs, matched against the index."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from recsys.reading.chips import TitleMatch
from recsys.reading.lexicon import (
    _ARTICLES,
    _COMMON,
    _CONNECTORS,
    _FILM_NOUNS,
    _GENDER_WORDS,
    _ITEM_NOUNS,
    _JOB_WORDS,
    _LIST_FILLER,
    _NAME_CUES,
    _NOT_TITLES_ALONE,
    _RELATIVES,
    _SEPARATORS,
    _SUBJECTS,
    _TITLE_STOP,
)
from recsys.reading.text import _HARD, _NONE, _SOFT, _Doc, _english_words, _frequent_words
from recsys.reading.titles import _FIRST_FILM_YEAR, CONFIDENT, MAX_ALTERNATIVES, _TitleIndex, numerals

#: Pieces rejoined across "and" or a comma must match at least this well.
_MERGE_FLOOR = 95.0
#: Longer pieces are not searched for a title inside them (the search is quadratic).
_MAX_PIECE_WORDS = 14
#: Lower-case words (no capitals, no quotes) must match a title at least this well.
_LOWER_CASE_EXACT = 97.0


@dataclass
class _Found:
    """A title span in the word view and its match."""

    first: int
    last: int
    match: TitleMatch


def _spelling(text: str) -> str:
    """A title as typed, its punctuation kept: case, runs of spaces and closing punctuation aside."""
    return " ".join(text.casefold().split()).rstrip("!?.…")


class _TitleSearch:
    """One read's search for film titles: where the text names films, and which films.

    Spans come from quotes (always a title query), from the clause after a cue phrase
    and from runs of capitalised words. A region is split at commas and "and"/"or";
    neighbouring pieces are rejoined when together they match a title better than
    apart; a piece that names nothing is searched for the longest title inside it.
    """

    def __init__(self, index: _TitleIndex, doc: _Doc, genre_words: frozenset[str], last_year: int) -> None:
        self.index, self.doc, self.genre_words, self.last_year = index, doc, genre_words, last_year
        self.found: list[_Found] = []
        self.taken = [False] * len(doc.fold)
        # The same span is often ranked more than once in one read (pieces, merges, sub-spans).
        self._ranked: dict[tuple[tuple[str, ...], int | None], list[tuple[float, int]]] = {}

    def run(self) -> list[_Found]:
        """Titles in quotes, after cue phrases and in capitalised runs, in text order."""
        doc, found, taken = self.doc, self.found, self.taken
        for first, last in doc.quotes():
            words = list(range(first, last + 1))
            folds = [doc.fold[w] for w in words]
            if any(f in self.genre_words for f in folds) and all(
                f in self.genre_words or f in _TITLE_STOP or f in _LIST_FILLER for f in folds
            ):
                continue  # a quoted genre ("'horror'") is a genre, not a title
            match = self.index.judge(doc.span_text(first, last), self._interpret(words)[2])
            found.append(_Found(first, last, match))
            for w in range(first, last + 1):
                taken[w] = True
        self._across_own_punctuation()
        for first, last in doc.cue_regions(taken):
            self._region(first, last, "cue")
        for first, last in doc.capital_runs(taken):
            self._region(first, last, "caps")
        self._spelt_out()
        found.sort(key=lambda f: f.first)
        return found

    def _across_own_punctuation(self) -> None:
        """Whole titles typed as the catalogue spells them across a sentence break of their own ("To Wong Foo, Thanks for
        Everything! Julie Newmar", "Tie Me Up! Tie Me Down!"): the regions below end at a "!" or "?", which would cut
        such a title in pieces. Three words or more, the first capitalised, typed with the title's own punctuation at
        its own places; longest first."""
        doc = self.doc

        def accept(w: int, folds: tuple[str, ...]) -> TitleMatch | None:
            span = range(w, w + len(folds))
            if len(folds) < 3 or not any(doc.brk[v] == _HARD for v in span[:-1]) or not doc.span_text(w, w)[:1].isupper():
                return None
            typed = doc.span_text(w, span[-1])
            match = self.index.judge(typed, self._rank(list(folds), None))
            if not match.confident or _spelling(typed) != _spelling(re.sub(r"\s*\(\d{4}\)$", "", match.title or "")):
                return None  # "Westerns? I like it. Like that one" is two sentences, not the film "I Like It Like That"
            return match

        self._exact_titles(accept)

    def _exact_titles(self, accept: Callable[[int, tuple[str, ...]], TitleMatch | None]) -> None:
        """Runs of words that spell a whole catalogue title, longest first, left to right, on words not taken yet: each
        is a found title when ``accept(first word, the run's folded words)`` gives its match."""
        words = numerals(self.doc.fold)
        w = 0
        while w < len(words):
            step = 1
            for length in self.index.exact_lengths.get(words[w], ()):
                folds = tuple(words[w : w + length])
                if w + length > len(words) or folds not in self.index.exact or any(self.taken[v] for v in range(w, w + length)):
                    continue
                match = accept(w, folds)
                if match is None:
                    continue
                self.found.append(_Found(w, w + length - 1, match))
                for v in range(w, w + length):
                    self.taken[v] = True
                step = length
                break
            w += step

    def _spelt_out(self) -> None:
        """Lower-case words, where nothing else looked, that spell a whole catalogue title of several words.

        "I rewatch raiders of the lost ark every year" names the film: a word of it is rarer than everyday English
        (:func:`~recsys.reading.text._frequent_words`). A title of three or more everyday words is offered as unsure
        ("dead man walking"); one of fewer ("home alone", "the game") or with a genre word ("true crime") is left
        alone, as an everyday phrase more often than a film. Longest first, left to right.
        """
        doc = self.doc

        def accept(w: int, folds: tuple[str, ...]) -> TitleMatch | None:
            if any(doc.brk[v] == _HARD for v in range(w, w + len(folds) - 1)):
                return None
            content = [f for f in folds if f not in _TITLE_STOP and not f.isdigit()]
            rare = self._rare_word(range(w, w + len(folds)))
            if not rare and (len(set(content)) < 3 or any(f in self.genre_words for f in content)):
                return None
            match = self.index.judge(doc.span_text(w, w + len(folds) - 1), self._rank(list(folds), None))
            if match.score < _LOWER_CASE_EXACT:
                return None
            return _offered(match) if match.confident and not rare else match

        self._exact_titles(accept)

    def _part_of_title(self, words: list[int]) -> TitleMatch | None:
        """The film whose name holds ``words`` as a run, one of them a rare word ("Fenwick", "Shawshank", "Raiders"): the
        film when only one name holds them, offered with the others when several do; ``None`` when no name does."""
        folds = [self.doc.fold[w] for w in words]
        if not self._rare_word(words) or folds[0] in _CONNECTORS - _ARTICLES or folds[-1] in _CONNECTORS:
            return None
        if any("'" in self.doc.span_text(w, w) or "’" in self.doc.span_text(w, w) for w in words):
            return None  # "Can't", "Don't": a contraction folds to a word no vocabulary lists
        rows = self.index.holding(folds)
        if not rows or len(rows) > MAX_ALTERNATIVES + 1:
            return None
        return self.index.judge(self.doc.span_text(words[0], words[-1]), [(CONFIDENT, row) for row in rows])

    def _rare_word(self, words: Sequence[int]) -> bool:
        """Does a lower-case span hold a word rarer than everyday English, other than a genre word ("raiders", "lambs")?

        A contraction of everyday words is everyday, though it folds to a word no vocabulary lists: "she's", "don't",
        "can't" — and "dont", "cant" typed without the apostrophe — so "my wife says she's the one who picks" and "i
        can't sleep for days after" name no film by them ("schindler's list" still does)."""
        frequent = _frequent_words()
        folds = self.doc.fold
        return bool(frequent) and any(
            folds[w] not in frequent and folds[w] not in _TITLE_STOP and folds[w] not in self.genre_words
            and not folds[w].isdigit() and not _contracted(self.doc.span_text(w, w), folds[w], frequent)
            for w in words
        )  # fmt: skip

    def _rank(self, words: Sequence[str], year: int | None) -> list[tuple[float, int]]:
        key = (tuple(words), year)
        if key not in self._ranked:
            self._ranked[key] = self.index.rank(words, year)
        return self._ranked[key]

    def _interpret(self, words: list[int]) -> tuple[list[int], int | None, list[tuple[float, int]]]:
        """Rank a span, reading a trailing year ("Vertigo 1958") as a hint when that fits better.

        Returns the title words, the year hint (or None) and the ranked candidates. The
        year reading must win on score, so "Blues Brothers 2000" stays a title.
        """
        doc = self.doc
        plain = self._rank([doc.fold[w] for w in words], None)
        if len(words) > 1 and doc.fold[words[-1]].isdigit() and len(doc.fold[words[-1]]) == 4:
            year = int(doc.fold[words[-1]])
            if _FIRST_FILM_YEAR <= year <= self.last_year + 5:
                hinted = self._rank([doc.fold[w] for w in words[:-1]], year)
                if hinted and (not plain or hinted[0][0] >= plain[0][0]):
                    return words[:-1], year, hinted
        return words, None, plain

    def _region(self, first: int, last: int, mode: str) -> None:
        """Split a region at commas and "and"/"or", rejoin pieces that form one title, match each."""
        doc = self.doc
        pieces: list[list[int]] = [[]]
        joins: list[list[int]] = []
        for w in range(first, last + 1):
            if doc.fold[w] in _SEPARATORS:
                pieces.append([])
                joins.append([w])
                continue
            if w > first and doc.brk[w - 1] == _SOFT and pieces[-1]:
                pieces.append([])
                joins.append([])
            pieces[-1].append(w)
        i, found_before, opening_left = 0, len(self.found), None
        while i < len(pieces):
            done = False
            for k in range(min(i + 3, len(pieces) - 1), i, -1):
                # "Sense and Sensibility", "The Good, the Bad and the Ugly": the split was wrong.
                if not all(pieces[n] for n in range(i, k + 1)):
                    continue
                words = sorted(w for n in range(i, k + 1) for w in (pieces[n] + (joins[n] if n < k else [])))
                # Rejoining must beat both ends alone, or "The Third Man, Shine" would swallow "Shine".
                floor = max(_MERGE_FLOOR, self._best(pieces[i]), self._best(pieces[k]))
                if self._take(words, mode, floor=floor):
                    i, done = k + 1, True
                    break
            if not done:
                listed = bool(pieces[i]) and len(pieces) > 1 and (doc.brk[pieces[i][-1]] == _SOFT or (i > 0 and not joins[i - 1]))
                if pieces[i] and not self._take(pieces[i], mode, report=True, listed=listed):
                    if i == 0 and len(pieces) > 1 and len(pieces[0]) == 1 and doc.initial[pieces[0][0]]:
                        opening_left = pieces[0][0]
                    self._within(pieces[i], mode)
                i += 1
        if opening_left is not None and len(self.found) > found_before and not self.taken[opening_left]:
            self._opening_in_list(opening_left, mode)

    def _opening_in_list(self, w: int, mode: str) -> None:
        """A lone word opening a sentence before "and"/"or" and another title ("Heat and Casino, over and over") is the
        first of a list of titles: taken as one when it is a title, and offered as unsure when it is also an everyday
        word, since its capital only says the sentence starts there."""
        self._take([w], mode, listed=True, leading=True)

    def _best(self, words: list[int]) -> float:
        ranked = self._interpret(words)[2] if words else []
        return ranked[0][0] if ranked else 0.0

    def _take(
        self,
        words: list[int],
        mode: str,
        floor: float = CONFIDENT,
        report: bool = False,
        listed: bool = False,
        leading: bool = False,
    ) -> bool:
        """Match one span; record it and return True if it names a film.

        ``floor`` is the score a match needs; with ``report``, a capitalised span in a cue
        position that matches nothing is recorded too, so the person hears about it;
        ``listed`` says the span is one item of a list of titles; ``leading``, that it is the first and opens a sentence.
        """
        doc = self.doc
        if not words:
            return False
        capitalised = any(doc.cap[w] and not doc.initial[w] for w in words) or (mode == "caps")
        folds = [doc.fold[w] for w in words]
        if not capitalised and (all(f in _TITLE_STOP for f in folds) or not self._lowercase_ok(folds)):
            return False
        core, year, ranked = self._interpret(words)
        opening = mode == "caps" and len(core) == 1 and year is None and doc.initial[core[0]] and (leading or not listed)
        if opening and not leading:
            if not self._opening_ok(core[0], ranked) and not (doc.fold[core[0]] not in _english_words() and self._part_of_title(core)):
                return False  # "Shawshank is my comfort film" opens with a word of a title, and no English word
        elif mode == "caps" and len(core) == 1 and year is None and not self._single_ok(core[0], listed):
            return False
        match = self.index.judge(doc.span_text(words[0], words[-1]), ranked)
        part = match.score < max(floor, CONFIDENT) and (run := self._part_of_title(core)) is not None
        if part:
            match = run  # "Death at Fenwick", "Shawshank": the run of a longer name, by a word only it has
        english = _english_words()
        if opening and match.confident and (not english or doc.fold[core[0]] in english):
            # "Emma was charming", "Crash disturbed me": an everyday word may not mean the film; ask.
            match = _offered(match)
        elif not capitalised and match.confident and not self._rare_word(words) and len(set(folds) - _TITLE_STOP) < 2:
            match = _offered(match)  # "we watched the game last night": one everyday word may not mean the film
        decided = match.score >= max(floor, CONFIDENT)  # confident or ambiguous
        if not capitalised and match.score < _LOWER_CASE_EXACT and not part:
            decided = False  # lower-case words must match a title exactly to count
        if not decided:
            if not report or mode == "caps" or not capitalised:
                return False
            if self._sub_match_exists(core, mode):
                return False  # let the search within the piece find the title inside
        self.found.append(_Found(words[0], words[-1], match))
        for w in words:
            self.taken[w] = True
        return True

    def _single_ok(self, w: int, listed: bool = False) -> bool:
        """A lone capitalised word is a title only mid-sentence (or in a list) and not a name or a weekday."""
        doc = self.doc
        if (doc.initial[w] and not listed) or len(doc.fold[w]) < 2 or doc.fold[w] in _NOT_TITLES_ALONE:
            return False
        if w + 1 < len(doc.fold) and doc.fold[w + 1] in _FILM_NOUNS and doc.fold[w] in self.genre_words:
            return False  # "Alien movies" is a genre, "Alien" a film
        if w == 0 or doc.brk[w - 1] != _NONE:
            return True
        return not (doc.fold[w - 1] in _NAME_CUES or (doc.fold[w - 1] == "is" and w > 1 and doc.fold[w - 2] == "name"))

    def _opening_ok(self, w: int, ranked: list[tuple[float, int]]) -> bool:
        """A lone capitalised word opening a sentence ("Gattaca is wonderful") is a title when it is one, whole.

        It must be a catalogue title on its own (not a word of a longer one), followed by more of
        the sentence, and not a genre, a name cue, a weekday or a common word.
        """
        doc = self.doc
        fold = doc.fold[w]
        if len(fold) < 3 or fold in _NOT_TITLES_ALONE or fold in _COMMON or fold in self.genre_words or fold in _SUBJECTS:
            return False
        if fold in _GENDER_WORDS or fold in _RELATIVES or (fold,) in _JOB_WORDS or fold in _ITEM_NOUNS:
            return False  # "Mother of two, ...": the writer, not the film
        if w + 1 >= len(doc.fold) or doc.brk[w] != _NONE or doc.fold[w + 1] in _ITEM_NOUNS or doc.fold[w + 1] in _SEPARATORS:
            return False
        after = doc.fold[w + 1]
        if after in self.genre_words and after not in _frequent_words() and after not in _TITLE_STOP and after not in _COMMON:
            return False  # "Giant robots and space battles", "Psycho killers": it describes the genre word after it (not "made")
        return bool(ranked) and ranked[0][0] >= _LOWER_CASE_EXACT

    def _lowercase_ok(self, folds: list[str]) -> bool:
        """Lower-case words name a title only if they are not just genre and common words."""
        content = [f for f in folds if f not in _TITLE_STOP]
        if not any(f in self.genre_words for f in content):
            return True
        return len(content) >= 2 and any(f not in self.genre_words and f not in _COMMON for f in content)

    def _sub_match_exists(self, words: list[int], mode: str) -> bool:
        return any(
            (ranked := self._rank([self.doc.fold[w] for w in words[a:b]], None)) and ranked[0][0] >= CONFIDENT
            for a, b in self._inner_spans(words, mode)
        )

    def _within(self, words: list[int], mode: str) -> None:
        """Find the longest confident title inside a piece ("Yesterday Toy Story"), then search either side."""
        for a, b in self._inner_spans(words, mode):
            if self._take(words[a:b], "caps" if b - a == 1 else mode):
                self._within(words[:a], mode)
                self._within(words[b:], mode)
                return

    def _inner_spans(self, words: list[int], mode: str) -> list[tuple[int, int]]:
        """Spans strictly inside a piece that could be a title, longest first."""
        doc = self.doc
        if len(words) < 2 or len(words) > _MAX_PIECE_WORDS:
            return []
        spans = []
        for a, b in _sub_spans(len(words)):
            first, last = words[a], words[b - 1]
            if b - a == len(words) or (b < len(words) and doc.fold[words[b]].isdigit()):
                continue  # a number after the span belongs to the title ("Die Hard 2")
            if (mode == "caps" or b - a == 1) and not (doc.cap[first] or doc.fold[first].isdigit()):
                continue
            if doc.fold[first] in _CONNECTORS - _ARTICLES or doc.fold[last] in _CONNECTORS:
                continue
            if (a > 0 and doc.cap[words[a - 1]] and not doc.initial[words[a - 1]]) or (b < len(words) and doc.cap[words[b]]):
                continue  # a piece of a longer name ("War" in "World War II", "Allen" in "Woody Allen")
            spans.append((a, b))
        return spans


def _contracted(typed: str, fold: str, frequent: frozenset[str]) -> bool:
    """Is the word typed as ``typed`` (folded to ``fold``) a contraction of an everyday word: "she's", "can't", "don't"
    (the word before the apostrophe is frequent; not "schindler's"), or a negation typed without the apostrophe
    ("dont", "cant", "isnt": a frequent word and "nt" or "t")?"""
    head = re.split(r"['’]", typed, maxsplit=1)[0].casefold() if "'" in typed or "’" in typed else ""
    if head:
        return head in frequent or head.removesuffix("n") in frequent
    return fold.endswith("nt") and (fold[:-2] in frequent or fold[:-1] in frequent)


def _offered(match: TitleMatch) -> TitleMatch:
    """``match`` offered as unsure: the film it took becomes the first alternative."""
    return TitleMatch(match.query, None, None, match.score, ((match.item_id, match.title, match.score), *match.alternatives))


def _sub_spans(n: int) -> list[tuple[int, int]]:
    """Sub-spans of ``range(n)``, longest first, left to right."""
    return [(a, a + length) for length in range(n, 0, -1) for a in range(n - length + 1)]
