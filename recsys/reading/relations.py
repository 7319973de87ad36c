"""How one clause bears on another: a complaint that answers or leads, an approval that answers, "either", "especially".

The rules of :class:`recsys.reading.negation._Negation` read cues clause by clause; these read a clause through its
neighbours. "Musicals, way too cheesy for me" rules out the musicals its complaint answers, and "Way too cheesy for me:
big dance numbers" what its complaint leads; "Gory? Bloody? Fine by me" is a wish its approval answers; "No horror.
Thrillers either." and "..., especially the serial-killer ones" share the dislike before them; "Picture books are for my
nephew, not me" rules out what is meant for someone else.
"""

from __future__ import annotations

from collections.abc import Callable

from recsys.reading.denials import _match_at
from recsys.reading.lexicon import (
    _ANSWER_NO,
    _ANSWER_WORDS,
    _EXCESS,
    _NOT_EXCESS,
    _PRAISE,
    _SINGLING_OUT,
    _SOFTENERS,
    _SUBJECTS,
    _WHAT_IM_AFTER,
    _relative,
)
from recsys.reading.text import _Doc

#: Words that open a question asking what ("what bores me to tears?"), so that its answer follows it.
_WHAT = frozenset({"what", "whats"})
#: Words that may sit in a complaint of excess beside "too" and its word ("far too bleak for my taste").
_COMPLAINT_WORDS = frozenset({"and", "far", "for", "my", "our", "taste", "liking", "much", "bit", "little", "waaay", "waay", "way", "ways"})


class _Relations:
    """Mixed into :class:`recsys.reading.negation._Negation`; reads the same unit attributes and its cue tests."""

    doc: _Doc
    fold: list[str]
    word: list[int]
    last_word: list[int]
    segment: list[int]
    hard_before: list[bool]
    genre_hits: list
    placed_by_rules: set[int]
    filler: frozenset[str]
    _genre_units: set[int]
    _gap_after: Callable[[int], str]  # the text after a clause (defined by _Frames)

    def _either(self, bounds: list[tuple[int, int]], negated: list[bool]) -> None:
        """ "No horror. Thrillers either.": "either" closing a clause that names a genre, after a clause that ruled one
        out, is "not … either" without its "not"; the clause is placed, so the attitude model is not asked."""
        ruled = False
        for a, b in bounds:
            closing = ruled and self.fold[b - 1] == "either" and self._names_genre(a, b)
            if closing and not self.has_cue(a, b) and not any(negated[u] for u in range(a, b)):
                self._rule_out_clause(a, b, negated)
            ruled = ruled or any(negated[u] for u in range(a, b) if u in self._genre_units)

    def _singled_out(self, bounds: list[tuple[int, int]], negated: list[bool]) -> None:
        """ "I can't handle torture, especially the serial-killer ones": a clause opened by a word singling out part of
        what the clause before disliked (:data:`_SINGLING_OUT`), with no cue of its own, shares that dislike; the clause
        is placed, so the attitude model is not asked."""
        for s in range(1, len(bounds)):
            a, b = bounds[s]
            pa, pb = bounds[s - 1]
            if not _match_at(self.fold, a, b, _SINGLING_OUT) or self.has_cue(a, b) or not any(negated[u] for u in range(pa, pb)):
                continue
            self._rule_out_clause(a, b, negated)

    def _rule_out_clause(self, a: int, b: int, negated: list[bool]) -> None:
        """Rule out every genre the clause ``[a, b)`` names, and place it, so the attitude model is not asked."""
        for h in self.genre_hits:
            if a <= h.first < b:
                for u in range(h.first, h.last + 1):
                    negated[u] = True
        self.placed_by_rules.add(a)

    def _approves(self, a: int, b: int) -> bool:
        """Is the clause ``a:b`` an approval of what was named before it, with no negation ("fine by me", "the gorier
        the better", "exactly what I'm after")?"""
        if self.has_cue(a, b, liking=False):
            return False
        if self._names_genre(a, b):  # "… science fiction is my favourite" praises its own genre; "the gorier the better" not
            return any(self._the_better(v, b) for v in range(a, b))
        return any(self.fold[v] in _PRAISE or self._the_better(v, b) or _match_at(self.fold, v, b, _WHAT_IM_AFTER) for v in range(a, b))

    def _bare(self, a: int, b: int) -> bool:
        """Is the clause ``a:b`` a bare mention: a word or two, or only genres and list words ("Bloody?", "Westerns?")?"""
        return not self.has_cue(a, b) and (b - a <= 2 or all(self._is_content(v) or self.fold[v] in self.filler for v in range(a, b)))

    def _the_better(self, v: int, b: int) -> bool:
        """Does "the <more> the better" start at unit ``v`` ("the messier the better", "the more unsettling the better")?"""
        folds = self.fold
        return folds[v] == "the" and any(
            folds[w] == "the" and folds[w + 1 : w + 2] in (["better"], ["more"]) for w in range(v + 2, min(v + 4, b - 1))
        )

    def _complaint(self, a: int, b: int, cue: int, end: int) -> bool:
        """Is the clause ``a:b`` only complaints of excess ("way too cheesy for me", "too childish and too silly",
        "far too bleak for my taste") around the one at ``cue:end``?"""
        folds = self.fold
        for v in (*range(a, cue), *range(end + 1, b)):
            fold = folds[v]
            if fold in _ANSWER_NO:
                return False  # "something romantic but not too soppy": a wish for less of it, not a complaint
            if fold in _EXCESS or (v > a and folds[v - 1] in _EXCESS and fold not in _NOT_EXCESS):
                continue
            if fold not in _ANSWER_WORDS and fold not in _SOFTENERS and fold not in _COMPLAINT_WORDS:
                return False
        return end < b or cue + 1 < b

    def _names_it_after(self, bounds: list[tuple[int, int]], s: int) -> bool:
        """Does the clause ``s`` say how something makes the writer feel and leave what to the words after it: a
        question that asks what ("what bores me to tears? poetry, every time") or a fragment before a colon ("Makes me
        yawn: romance")? Then its cue leads what follows rather than pointing back."""
        a, b = bounds[s]
        if s + 1 >= len(bounds) or any(self._is_content(v) for v in range(a, b)):
            return False
        return self._leads(a, b) and (self.fold[a] in _WHAT or self.fold[a] not in _SUBJECTS)

    def _leads(self, a: int, b: int) -> bool:
        """Does the clause ``a:b`` hand over to what follows it: a colon after it, or a question mark after one that
        asks what?"""
        gap = self._gap_after(b)
        return ":" in gap or ("?" in gap and self.fold[a] in _WHAT)

    def _lead_after(self, bounds: list[tuple[int, int]], s: int, negated: list[bool]) -> None:
        """A complaint with nothing before it rules out what follows it: after a colon or a question asking what,
        every genre the next clauses name until one says how the writer feels ("way too cheesy for me: big dance
        numbers, people bursting into song", "what bores me to tears? poetry"); else a list of genres ("too childish
        and too silly, all that singing and dancing")."""
        a, b = bounds[s]
        if any(self._is_content(v) for v in range(a, b)) or s + 1 >= len(bounds):
            return
        if not self._leads(a, b):
            self._continue_list(bounds, s, True, negated)
            return
        for t in range(s + 1, len(bounds)):
            ta, tb = bounds[t]
            if (t > s + 1 and self.hard_before[self.segment[ta]]) or self.has_cue(ta, tb, liking=False) or self._own_wish(ta, tb):
                return
            for v in range(ta, tb):
                if v in self._genre_units:
                    negated[v] = True

    def _for_others(self, a: int, b: int) -> bool:
        """Does the clause ``a:b`` say what it names is meant for someone else ("Picture books are for my nephew", "romance
        novels are for my sister"), so that a "not me" after it rules it out?"""
        folds = self.fold
        return any(
            folds[v] in ("is", "are")
            and folds[v + 1 : v + 2] == ["for"]
            and any(_relative(folds[w], folds[w - 1]) for w in range(v + 2, min(b, v + 5)))
            for v in range(a, b - 2)
        )
