"""Negations that mean something else: a second negation, a question, a boast, an event, not having seen a genre.

The rules of :class:`recsys.reading.negation._Negation` ask these whether a cue they met is really a dislike: "It's not
as if I'd refuse a memoir" (two negations), "Who doesn't love a heist movie?" (a question expecting yes), "Nobody
loves a whodunnit more than me" (a boast), "I hate it when a love story gets ruined" (an event), "I've never seen a
western" (inexperience), "I hate horror but not thrillers" (a denied dislike).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from recsys.reading.lexicon import (
    _CANCELS,
    _COMPLEMENT_OPENERS,
    _CONTRASTS,
    _DOUBLE_NEGATIONS,
    _ELIDED_DENIALS,
    _EVENT_DISLIKES,
    _EXPERIENCE,
    _LIKING,
    _NOT_ELIDED,
    _PERFECT,
    _PRE_NEGATIONS,
    _QUANTITIES,
    _REFUSE_TRYING,
    _RHETORICAL_OPENERS,
    _SUBJECTS,
    _TRY_WISHES,
    _UNTRIED_FILLERS,
    _UNTRIED_NEGATIONS,
)
from recsys.reading.scores import _Scores


class _Denials(_Scores):
    """Mixed into :class:`recsys.reading.negation._Negation`; reads the same unit attributes."""

    fold: list[str]
    segment: list[int]
    hard_before: list[bool]
    contrast_before: list[bool]
    untried: set[int]
    untried_scope: set[int]
    genre_hits: list

    _is_content: Callable[[int], bool]  # is unit u a genre, title or era word (defined by _Negation)

    def _untried(self, bounds: list[tuple[int, int]], s: int, u: int) -> int:
        """If unit ``u`` starts a negated experience ("never seen", "haven't read much"), the unit after it, else 0.

        Not having seen a genre is not a dislike: the clause's genres are neither wanted nor ruled out (``untried``),
        or wanted when the sentence goes on to ask for one ("so show me a good one"). A sentence that refuses to try
        ("... and I don't plan to start now") is left to the negation rules.
        """
        folds = self.fold
        a, b = bounds[s]
        if folds[u] not in _UNTRIED_NEGATIONS:
            return 0
        v = u + 1
        while v < b and folds[v] in _UNTRIED_FILLERS:
            v += 1
        length = _match_at(folds, v, b, _EXPERIENCE)
        if not length:
            return 0
        if folds[v] == "read" and not (any(folds[w] in _PERFECT for w in range(a, u + 1)) or (v + 1 < b and folds[v + 1] in _QUANTITIES)):
            return 0  # "I never read romance" is a habit, a dislike
        end = self._sentence_end(bounds, s)
        rest = range(v + length, end)
        if any(_match_at(folds, w, end, _REFUSE_TRYING) for w in rest):
            return 0
        self.untried_scope.update(range(a, b))
        if not any(_match_at(folds, w, end, _TRY_WISHES) for w in (*range(a, u), *rest)):
            self.untried.update(w for h in self.genre_hits if a <= h.first < b for w in range(h.first, h.last + 1))
        return v + length

    def _event_dislike(self, u: int, pre: int, b: int) -> bool:
        """Is the cue at ``u`` a dislike of an event ("I hate when …", "I can't stand it when …"), not of a genre?"""
        folds = self.fold
        if folds[u] in ("not", "no", "never"):
            return False
        return folds[u + pre : u + pre + 1] == ["when"] or any(_match_at(folds, v, b, _EVENT_DISLIKES) for v in (u + pre, u + pre + 1))

    def _sentence_end(self, bounds: list[tuple[int, int]], s: int) -> int:
        """The unit after the last of clause ``s``'s sentence (up to the next hard break)."""
        t = s + 1
        while t < len(bounds) and (not self.hard_before[self.segment[bounds[t][0]]] or self.contrast_before[self.segment[bounds[t][0]]]):
            t += 1
        return bounds[t - 1][1]

    def _rhetorical(self, a: int, b: int, u: int, pre: int) -> bool:
        """Is the cue at ``u`` a negation that a question or its subject turns into a wish: "Who doesn't love …?",
        "What's not to like about …?", "No one here ever says no to a comedy", "Nobody can resist a thriller"?"""
        folds = self.fold
        first = min((v for v in range(u + pre, b) if self._is_content(v)), default=b)
        if u > a and folds[u - 1] in _RHETORICAL_OPENERS:
            return any(folds[v] in _LIKING for v in range(u + pre, first))
        if not self._subject_negation(a, u):
            return False
        return any(_match_at(folds, v, first, _CANCELS) or _match_at(folds, v, first, _DOUBLE_NEGATIONS) for v in range(u + pre + 1, first))

    def _subject_negation(self, a: int, u: int) -> bool:
        """Does the cue at ``u`` open its clause as its subject ("No one here …", "Nobody I know …", "Not one of us …")?"""
        folds = self.fold
        return u == a and (folds[u : u + 2] in (["no", "one"], ["not", "one"], ["not", "a"]) or folds[u] in ("nobody", "noone", "none"))

    def _superlative(self, a: int, b: int, u: int) -> bool:
        """Does a subject negation at ``u`` only say the writer is first ("Nobody loves a whodunnit more than me")?"""
        folds = self.fold
        return self._subject_negation(a, u) and any(
            folds[v : v + 2] == ["more", "than"] and folds[v + 2 : v + 3] in (["me"], ["i"], ["myself"]) for v in range(u, b)
        )

    def _negated_here(self, a: int, u: int, negated: list[bool]) -> bool:
        """Is unit ``u`` negated by a cue of its own clause ("I have never once refused", "No holiday is complete
        without")? A negation the clause before carries into it ("No, | I refuse westerns") stands on its own."""
        for v in range(u - 1, a - 1, -1):
            if self._is_content(v) or self.fold[v] in ("and", "or") or self.fold[v] in _CONTRASTS:
                return False  # "I hate horror and refuse romance": that negation is about horror, not the refusal
            if _match_at(self.fold, v, u, _PRE_NEGATIONS):
                return negated[u]
        return False

    def _elided_denial(self, bounds: list[tuple[int, int]], s: int, negated: list[bool]) -> bool:
        """Is clause ``s`` a verbless "but not <genre>" after a clause that ruled something out ("I hate horror but not
        thrillers", "I'd decline horror but never a thriller")? It denies the dislike, not the genre."""
        a, b = bounds[s]
        if s == 0 or self.fold[a] not in _ELIDED_DENIALS or not self.contrast_before[self.segment[a]]:
            return False
        if b - a > 6 or any(self.fold[v] in _SUBJECTS or self.fold[v] in _NOT_ELIDED for v in range(a + 1, b)):
            return False  # a clause of its own ("but never I ..."), a comparison, or "not thrillers either"
        if not any(self._is_content(v) for v in range(a + 1, b)):
            return False
        t = s - 1
        while t >= 0:  # the clauses of the sentence before it ("Horror | I can't stand, but not thrillers")
            ta, tb = bounds[t]
            if any(negated[v] and self._is_content(v) for v in range(ta, tb)):
                return True
            if self.hard_before[self.segment[ta]]:
                return False
            t -= 1
        return False

    def _dangling(self, bounds: list[tuple[int, int]], s: int, negated: list[bool]) -> bool:
        """Is clause ``s`` the complement of a negation just before it that ruled nothing out ("It's not as if | I'd ...",
        "not that | I would ...")? A negation that stands on its own ("No, | I refuse westerns") is not."""
        if s == 0 or self.hard_before[self.segment[bounds[s][0]]]:
            return False
        a, b = bounds[s - 1]
        return (
            self.fold[b - 1] in _COMPLEMENT_OPENERS and negated[b - 1] and not any(negated[v] and self._is_content(v) for v in range(a, b))
        )


def _match_at(folds: list[str], u: int, end: int, phrases: Mapping | frozenset | tuple) -> int:
    """Length of the longest phrase starting at unit ``u`` (within ``end``), or 0."""
    for length in (5, 4, 3, 2, 1):
        if u + length <= end and tuple(folds[u : u + length]) in phrases:
            return length
    return 0
