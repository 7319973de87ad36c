"""The genre lexicon of one catalogue: phrases with their plurals, misspellings, the catalogue's own genre names."""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd
from rapidfuzz.distance import OSA

from recsys import columns as C
from recsys.reading.lexicon import _CONTENT_NOUNS, _DENIED_ONLY, _ITEM_NOUNS, _LIST_FILLER, _NEUTRAL_PHRASES, _RULE_OUT_PHRASES, _SHELVED_AS
from recsys.reading.text import _english_words, _tokenize


def _plurals(word: str) -> list[str]:
    if word.endswith("s") or word.isdigit():
        return [word]
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return [word, word[:-1] + "ies"]
    if word.endswith(("x", "ch", "sh")):
        return [word, word + "es"]
    return [word, word + "s"]


def _phrase_words(phrase: str) -> tuple[str, ...]:
    return tuple(t.fold for t in _tokenize(phrase) if t.kind == "word")


@dataclass(frozen=True)
class _Lexicon:
    """Genre phrases as folded word tuples.

    Attributes:
        phrases: phrase → labels (empty for a neutral phrase like "star wars").
        rule_outs: things said about oneself that rule a genre out ("scare easily").
        denied_only: words that name genres only when ruled out ("nothing violent"): phrase → labels.
        words: every word of a phrase with labels (a quoted genre is not a title).
        longest: words in the longest phrase.
        filler: words that may sit in a list of genres, the catalogue's item nouns among them.
    """

    phrases: dict[tuple[str, ...], tuple[str, ...]]
    rule_outs: dict[tuple[str, ...], str]
    words: frozenset[str]
    longest: int
    filler: frozenset[str] = _LIST_FILLER
    denied_only: Mapping[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)

    @functools.cached_property
    def _words_in_order(self) -> tuple[str, ...]:
        """The words a misspelling is compared with, in the order a tie is settled: a word that names a genre on its own
        ("heist") before one that only does within a phrase ("heart"), then alphabetically."""
        return tuple(sorted(self.words, key=lambda w: (not self.phrases.get((w,)), w)))

    def spelt(self, word: str) -> str:
        """``word``, or the lexicon word it misspells ("horor", "westrens", "histroical").

        Only a word that is no everyday English word is corrected, to a lexicon word sharing
        its first letter within one edit (two from eight letters; a swap of neighbours is one).
        """
        english = _english_words()
        if not english or len(word) < 5 or not word.isalpha() or word in self.words or word in english:
            return word  # without the vocabulary nothing is known to be a misspelling
        if any(stem in english for stem in _stems(word)):
            return word  # "stabbings", "massacres": the plural of a word the vocabulary has is no misspelling of "sobbing"
        limit = 1 if len(word) < 8 else 2
        best, best_distance = word, limit + 1
        for known in self._words_in_order:  # in order, so a tie goes to the same word whatever the run's hash seed
            if known[0] != word[0] or abs(len(known) - len(word)) > limit or len(known) < 5:
                continue
            distance = OSA.distance(word, known, score_cutoff=limit)
            if distance < best_distance:
                best, best_distance = known, distance
        return best


def _stems(word: str) -> list[str]:
    """What ``word`` may be the plural of: "stabbings" → "stabbing", "massacres" → "massacre", "stories" → "story"."""
    if not word.endswith("s"):
        return []
    stems = [word[:-1]]
    if word.endswith("es"):
        stems.append(word[:-2])
    if word.endswith("ies"):
        stems.append(word[:-3] + "y")
    return stems


def _build_lexicon(lexicon: Mapping[str, Sequence[str]], catalogue_genres: tuple[str, ...], item_nouns: Sequence[str] = ()) -> _Lexicon:
    """Phrases with plurals for the catalogue's genres; each genre's own name always counts."""
    table: dict[tuple[str, ...], list[str]] = {}
    keep = set(catalogue_genres)

    def add(phrase: str, label: str) -> None:
        words = _phrase_words(phrase)
        if not words:
            return
        for last in _plurals(words[-1]):
            labels = table.setdefault((*words[:-1], last), [])
            if label not in labels:
                labels.append(label)

    shelved: dict[tuple[str, ...], tuple[str, ...]] = {}
    for label, phrases in lexicon.items():
        targets = _same_genres(label, phrases, catalogue_genres)
        for target in targets:
            for phrase in phrases:
                add(str(phrase), target)
        if not targets:
            # A genre the catalogue shelves elsewhere is read only where it is ruled out ("nothing gory" on a bookshop
            # rules out its thrillers; "the creepier the murder mystery the better" asks for no thriller).
            for phrase in phrases:
                words = _phrase_words(str(phrase))
                for last in _plurals(words[-1]) if words else ():
                    key = (*words[:-1], last)
                    shelved[key] = tuple(dict.fromkeys((*shelved.get(key, ()), *_shelves(label, catalogue_genres))))
    for label in catalogue_genres:
        add(label.lower(), label)
    phrases: dict[tuple[str, ...], tuple[str, ...]] = {k: tuple(v) for k, v in table.items()}
    words = frozenset(w for phrase in phrases for w in phrase)
    for phrase in _NEUTRAL_PHRASES:
        head = _phrase_words(phrase)
        for last in _plurals(head[-1]):
            phrases[(*head[:-1], last)] = ()
    rule_outs = {
        _phrase_words(p): label if label in keep else _shelves(label, catalogue_genres)[0]
        for p, label in _RULE_OUT_PHRASES.items()
        if label in keep or _shelves(label, catalogue_genres)
    }
    denied = {
        _phrase_words(p): tuple(
            dict.fromkeys(g for label in labels for g in ((label,) if label in keep else _shelves(label, catalogue_genres)))
        )
        for p, labels in _DENIED_ONLY.items()
    }
    denied = {k: v for k, v in {**{k: v for k, v in shelved.items() if k not in table}, **denied}.items() if v}
    longest = max((len(k) for k in [*phrases, *rule_outs, *denied]), default=1)
    nouns = {w for noun in item_nouns for w in _phrase_words(str(noun))}
    return _Lexicon(phrases, rule_outs, words, longest, _LIST_FILLER | _CONTENT_NOUNS | _ITEM_NOUNS | nouns, denied)


def _same_genres(label: str, phrases: Sequence[str], catalogue_genres: tuple[str, ...]) -> list[str]:
    """The catalogue's genres that a lexicon entry reads as: its own label, or one named like it.

    A catalogue calls its shelves what it likes ("Science Fiction", "sci-fi", "Horror"); a genre
    whose name, folded, is the entry's label or one of its phrases takes the entry's words. A
    catalogue without genres takes none, so it never shows a genre it does not have.
    """
    names = {_phrase_words(label), *(_phrase_words(str(p)) for p in phrases)}
    return [g for g in catalogue_genres if g == label or _phrase_words(g) in names]


def _shelves(label: str, catalogue_genres: tuple[str, ...]) -> list[str]:
    """The catalogue's genres that hold what ``label`` describes when it has no ``label`` of its own (a bookshop's
    Thriller shelf for Horror's words); empty when it has the label, or none of those genres."""
    if label in catalogue_genres:
        return []
    return [g for g in _SHELVED_AS.get(label, ()) if g in catalogue_genres]


def _catalogue_genres(items: pd.DataFrame) -> tuple[str, ...]:
    if C.GENRES not in items:
        return ()
    seen: dict[str, None] = {}
    for genres in items[C.GENRES]:
        if isinstance(genres, str):
            genres = [genres]
        if genres is None or (isinstance(genres, float) and math.isnan(genres)):
            continue
        for g in genres:
            if isinstance(g, str) and g and g != "unknown":
                seen[g] = None
    return tuple(sorted(seen))
