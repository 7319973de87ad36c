"""The text as clause units: words and found titles split into segments, genre hits, and the text kept after negation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from recsys.reading.genres import _Lexicon
from recsys.reading.lexicon import (
    _CONTRASTS,
    _GENDER_WORDS,
    _JOB_WORDS,
    _NOUN_PHRASE,
    _POINTERS,
    _POSSESSIVES,
    _QUESTION_VERBS,
    _RELATIVES,
    _SELF_ADVERBS,
    _SELF_VERBS,
    _SHARED,
    _SHARED_PHRASES,
    _SUBJECTS,
    _relative,
)
from recsys.reading.negation import _Negation
from recsys.reading.text import _HARD, _NONE, _Doc
from recsys.reading.title_search import _Found

#: Words that stand for a genre named before ("not the violent *ones*").
_ONES = frozenset({"one", "ones", "kind", "kinds", "sort", "sorts", "type", "types", "bits"})


@dataclass
class _GenreHit:
    first: int  # unit index
    last: int
    labels: tuple[str, ...]
    rule_out: bool = False
    denied_only: bool = False  # names its genres only when ruled out ("nothing violent")


class _Units(_Negation):
    """The text as clause units: unmasked words plus one unit per found title, split into segments.

    What negation rules out (:meth:`negation`) is worked out by the rules of
    :class:`~recsys.reading.negation._Negation`.
    """

    def __init__(self, doc: _Doc, found: list[_Found], lexicon: _Lexicon) -> None:
        self.doc = doc
        title_of = [-1] * len(doc.fold)
        for n, f in enumerate(found):
            for w in range(f.first, f.last + 1):
                title_of[w] = n
        self.fold: list[str] = []
        self.word: list[int] = []  # the first word of each unit
        self.last_word: list[int] = []  # its last word (a title's last)
        self.title: list[int] = []  # index into found, or -1
        self.segment: list[int] = []
        self.hard_before: list[bool] = []  # per segment: did a hard break start it
        self.contrast_before: list[bool] = []  # per segment: did a contrast word ("but", "though") start it
        self.elided: set[int] = set()  # the "not" of each "but not <genre>" that denies a dislike (negation.py)
        self.neutral: set[int] = set()  # genres neither wanted nor ruled out: not seen, or in a disliked event (denials.py)
        self.spent: set[int] = set()  # clauses that only said how a genre before them is disliked: not for the text model
        self.placed_by_rules: set[int] = set()  # clauses saying so (or naming an event): the attitude model is not asked
        self.sarcastic: set[int] = set()  # the clauses of sarcastic sentences, by position (frames.py)
        self.title_unit = [0] * len(found)
        self.scores_of: dict[tuple[int, int], list] = {}  # the scores of each clause read so far (scores.py)
        segment = -1
        pending = _HARD
        contrasted = False
        w = 0
        n_words = len(doc.fold)
        while w < n_words:
            fold = doc.fold[w]
            contrast = (
                fold in _CONTRASTS
                and title_of[w] < 0
                and not (self.fold and self.fold[-1] in ("anything", "everything", "all", "nothing"))
                and not (fold == "yet" and doc.fold[w + 1 : w + 2] in (["another"], ["more"], ["again"]))  # "yet another"
            )
            # A new subject starts a new clause: "I don't like horror and I love comedy"; not after the verb of a
            # question ("Why would I buy a cookbook?").
            subject = (
                fold in _SUBJECTS
                and title_of[w] < 0
                and segment >= 0
                and self.segment
                and self.segment[-1] == segment
                and self.fold[-1] not in _QUESTION_VERBS
                and self.fold[-1] != "what"  # "not what I'm after", "what I love is horror": one clause
                and not (fold == "were" and self.fold[-1].endswith("s"))  # "Animated films were my thing": a verb, not "we're"
            )
            if contrast:
                pending = _HARD
                contrasted = True
                w += 1
                continue
            if pending or segment < 0 or subject:
                segment += 1
                self.hard_before.append(pending == _HARD or segment == 0)
                self.contrast_before.append(contrasted)
                pending = _NONE
            contrasted = False
            if title_of[w] >= 0:
                n = title_of[w]
                self.title_unit[n] = len(self.fold)
                self._add("\x00", w, n, segment, found[n].last)
                last = found[n].last
                pending = doc.brk[last]
                w = last + 1
                continue
            self._add(fold, w, -1, segment, w)
            pending = doc.brk[w]
            w += 1
        self.filler = lexicon.filler
        self.genre_hits = self._genre_hits(lexicon)
        self._genre_units = {u for h in self.genre_hits for u in range(h.first, h.last + 1)}

    def _add(self, fold: str, word: int, title: int, segment: int, last_word: int) -> None:
        self.fold.append(fold)
        self.word.append(word)
        self.last_word.append(last_word)
        self.title.append(title)
        self.segment.append(segment)

    def span(self, u_first: int, u_last: int) -> str:
        """The text from unit ``u_first`` to unit ``u_last``, as typed (a title unit to its last word)."""
        return self.doc.text[self.doc.start[self.word[u_first]] : self.doc.end[self.last_word[u_last]]]

    def same_segment(self, a: int, b: int) -> bool:
        return b < len(self.segment) and self.segment[a] == self.segment[b]

    def _genre_hits(self, lexicon: _Lexicon) -> list[_GenreHit]:
        """Lexicon phrases in the text, longest first, never across a clause break."""
        hits: list[_GenreHit] = []
        folds = [lexicon.spelt(f) for f in self.fold]
        n = len(folds)
        u = 0
        while u < n:
            step = 1
            for length in range(min(lexicon.longest, n - u), 0, -1):
                if not self.same_segment(u, u + length - 1):
                    continue
                key = tuple(folds[u : u + length])
                if key in lexicon.rule_outs:
                    hits.append(_GenreHit(u, u + length - 1, (lexicon.rule_outs[key],), rule_out=True))
                elif key in lexicon.denied_only:
                    hits.append(_GenreHit(u, u + length - 1, lexicon.denied_only[key], denied_only=True))
                elif key in lexicon.phrases:
                    if lexicon.phrases[key]:  # a neutral phrase ("star wars") only uses up its words
                        hits.append(_GenreHit(u, u + length - 1, lexicon.phrases[key]))
                else:
                    continue
                step = length
                break
            u += step
        # A word that names genres only when ruled out says nothing of its own when it describes a genre: one named
        # before it in its clause ("Crime dramas are too violent"), right after it ("no violent action films") or
        # earlier, pointed back to ("Any thrillers? Not the really violent ones."). Listed beside one, it names its own
        # ("nothing violent or scary").
        named = [h for h in hits if not h.denied_only]

        def describes(d: _GenreHit) -> bool:
            after = d.last + 1
            if after < n and self.same_segment(d.last, after) and folds[after] in _ONES:
                return True
            return any(self.same_segment(h.first, d.first) and (h.first < d.first or h.first == after) for h in named)

        return [h for h in hits if not (h.denied_only and describes(h))]

    def segment_bounds(self) -> list[tuple[int, int]]:
        bounds = []
        start = 0
        for u in range(1, len(self.segment) + 1):
            if u == len(self.segment) or self.segment[u] != self.segment[u - 1]:
                bounds.append((start, u))
                start = u
        return bounds

    def is_self(self, u: int) -> bool:
        """Does the noun phrase at unit ``u`` describe the writer ("I'm a retired nurse")?"""
        folds = self.fold
        v = u - 1
        steps = 0
        while v >= 0 and self.segment[v] == self.segment[u] and steps < 7:
            fold = folds[v]
            if fold in _POSSESSIVES:
                return False
            if fold in ("a", "an"):
                k = v - 1
                while k >= 0 and self.segment[k] == self.segment[u] and folds[k] in _SELF_ADVERBS:
                    k -= 1
                if k > 0 and folds[k] == "and" and self.segment[k] == self.segment[u]:
                    v, steps = k - 1, steps + 1  # "a nurse and a mother": the first noun phrase decides
                    continue
                return (
                    k < 0
                    or self.segment[k] != self.segment[u]
                    or folds[k] in _SELF_VERBS
                    or (folds[k] in ("in", "as") and k > 0 and folds[k - 1] in ("work", "works", "working"))
                )
            if fold in _SELF_VERBS:
                return True
            if fold in ("in", "as") and v > 0 and folds[v - 1] in ("work", "works", "working"):
                return True
            if fold == "i" and steps == 0:
                return folds[u] in ("retired", "teach", "study")  # "I retired", "I teach"
            if not (fold in _NOUN_PHRASE or fold.isdigit() or fold in _GENDER_WORDS or (fold,) in _JOB_WORDS):
                return False
            v -= 1
            steps += 1
        return v < 0 or self.segment[v] != self.segment[u]

    def theirs(self) -> set[int]:
        """Units of genres someone else likes, when the writer says what they want elsewhere ("My partner's obsessed with
        horror, but I want something funny"): such a genre is neither asked for nor ruled out.

        A clause is someone else's when a possessive and a relative ("my partner", "the kids", "my sister's") open it
        before any genre and before the writer appears in it; the writer must speak in another clause ("I", "for me"),
        a genre must be named outside theirs, and the writer's clauses must not bring the other person's taste in
        ("we", "for him", "so do I", "them").
        """
        folds = self.fold
        bounds = self.segment_bounds()
        writer = [any(folds[v] in _SUBJECTS or folds[v] in ("me", "myself") for v in range(a, b)) for a, b in bounds]
        out: set[int] = set()
        for s, (a, b) in enumerate(bounds):
            first_genre = min((h.first for h in self.genre_hits if a <= h.first < b), default=b)
            lead = range(a, min(first_genre, a + 5))
            owner = next(
                (
                    v
                    for v in lead
                    if folds[v] in _POSSESSIVES and any(_relative(folds[w], folds[w - 1]) for w in range(v + 1, min(b, v + 3)))
                ),
                None,
            )  # "my partner", "my other half", "my little sister's"
            if owner is None or any(folds[v] in _SUBJECTS or folds[v] == "me" for v in range(a, first_genre)):
                continue
            if owner > a and folds[owner - 1] == "for":
                continue  # "something for my kids, I love cosy mysteries": the writer asks for it, for them
            if self.has_cue(a, b, liking=False):
                continue  # "My husband can't stand westerns": a dislike of theirs, read by the negation rules
            others = [t for t in range(len(bounds)) if t != s and writer[t]]
            if not others or not any(self._names_genre(*bounds[t]) for t in range(len(bounds)) if t != s):
                continue  # the writer names no genre of their own ("The kids love cartoons and I need something for Sunday")
            if any(self._shares(*bounds[t]) for t in others):
                continue  # the writer shares it ("... and I love them too", "we watch …", "I'm buying him a present")
            out |= {v for h in self.genre_hits if a <= h.first < b for v in range(h.first, h.last + 1)}
        return out

    def _names_genre(self, a: int, b: int) -> bool:
        return any(a <= h.first < b for h in self.genre_hits)

    def _shares(self, a: int, b: int) -> bool:
        """Does the clause ``[a, b)`` point back to another clause or bring the other person in ("them", "so do I", and
        "for him", "we watch …" when the clause names no genre of its own)?"""
        if any(f in _POINTERS for f in self.fold[a:b]):
            return True
        if not self._names_genre(a, b) and any(f in _SHARED for f in self.fold[a:b]):  # "but I want comedy when he's out"
            return True
        near = self.fold[max(0, a - 2) : b + 2]  # a phrase may straddle the break ("and so do | I")
        return any(tuple(near[v : v + len(p)]) == p for p in _SHARED_PHRASES for v in range(len(near)))

    def relative_after(self, u: int, relatives: frozenset[str] = _RELATIVES) -> bool:
        """Is the word followed by a relative ("a 70-year-old woman's son")?"""
        return u + 1 < len(self.fold) and self.same_segment(u, u + 1) and self.fold[u + 1] in relatives


def _unit_text(units: _Units) -> tuple[str, list[int]]:
    """Units joined by spaces (a hyphen kept where it joined words), segments fenced by '|'."""
    parts: list[str] = []
    offsets: list[int] = []
    length = 0
    for u, fold in enumerate(units.fold):
        if u > 0:
            sep = " | " if units.segment[u] != units.segment[u - 1] else (" - " if units.doc.glued_after[units.word[u - 1]] else " ")
            parts.append(sep)
            length += len(sep)
        offsets.append(length)
        parts.append(fold)
        length += len(fold)
    return "".join(parts), offsets


def _unit_at(offsets: list[int], char: int) -> int:
    lo, hi = 0, len(offsets) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if offsets[mid] <= char:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _kept_text(doc: _Doc, units: _Units, negated: list[bool], found: list) -> str:
    """The text without what it rules out.

    A clause whose only genres are ruled out goes whole ("I hate romance"); in a clause that
    also asks for something ("Comedies without any romance") only the ruled-out words and the
    cue just before them go. A contrast word left hanging ("but") goes with its clause.
    """
    drop = [False] * len(doc.fold)

    def span(u: int) -> range:
        first = units.word[u]
        return range(first, (found[units.title[u]].last if units.title[u] >= 0 else first) + 1)

    asked = {u for h in units.genre_hits for u in range(h.first, h.last + 1) if not negated[h.first]}
    asked |= {u for u in range(len(units.fold)) if units.title[u] >= 0 and not negated[u]}
    segments = units.segment_bounds()
    whole: set[int] = set()  # the segments dropped whole, by position
    for n, (a, b) in enumerate(segments):
        if not any(negated[a:b]):
            continue
        members = list(range(a, b))
        if not asked & set(members):
            chosen = members
            whole.add(n)
        else:
            chosen = []
            for u in members:
                if negated[u]:
                    chosen.append(u)
                    back = u - 1
                    while back in members and not negated[back] and back not in asked and u - back <= 4:
                        chosen.append(back)
                        back -= 1
        for u in chosen:
            for w in span(u):
                drop[w] = True
    # "Romance, | not for me.": a cue after a dropped clause, with nothing of its own, is about it and goes too
    # ("No horror. | Something with heart, please." keeps its second clause: no cue).
    for n, (a, b) in enumerate(segments):
        if n - 1 in whole and n not in whole and not any(units._is_content(u) for u in range(a, b)) and units.has_cue(a, b, liking=False):
            whole.add(n)
            for u in range(a, b):
                for w in span(u):
                    drop[w] = True
    for n in units.sarcastic:  # "Oh great, another musical. Just what I needed.": no word of it means what it says
        for u in range(*segments[n]):
            for w in span(u):
                drop[w] = True
    for u in units.elided:  # "I hate horror but not thrillers" keeps "thrillers", which it wants, not "not thrillers"
        for w in span(u):
            drop[w] = True
    for w, fold in enumerate(doc.fold):
        if fold in _CONTRASTS and ((w + 1 < len(drop) and drop[w + 1]) or (w > 0 and drop[w - 1])):
            drop[w] = True
    pieces, position = [], 0
    for w, gone in enumerate(drop):
        if gone:
            if not (w > 0 and drop[w - 1]):  # between two dropped words ("2/10") nothing is kept
                pieces.append(doc.text[position : doc.start[w]])
            position = doc.end[w]
    pieces.append(doc.text[position:])
    kept = re.sub(r"\s+", " ", "".join(pieces))
    kept = re.sub(r"\s+([,.;:!?])", r"\1", kept)
    kept = re.sub(r"([,;:])(\s*[,.;:!?])+", r"\2", kept)
    kept = re.sub(r"([.!?])(\s*\.)+", r"\1", kept)  # "Always. [dropped sentence]." leaves one stop, not two
    kept = re.sub(r"^[\s,.;:!?]+", "", kept).strip()
    kept = kept.rstrip(",;:").strip()
    return kept if any(c.isalpha() for c in kept) else ""
