"""Scores a writer gives a genre ("Romance: 2/10", "zero stars", "one out of ten", "a five-star read").

A low score rules its genre out and a high one is a wish, whatever words are around it, so a scored
clause is placed by the rules and never handed to the attitude model. Mixed into the negation rules
(:class:`recsys.reading.negation._Negation`), which call :meth:`_Scores._rate` on every clause.
"""

from __future__ import annotations

from recsys.reading.lexicon import _SCORE_HIGH, _SCORE_LOW, _SCORE_MINUS, _SCORE_NUMBERS, _SCORE_STARS
from recsys.reading.text import _Doc


class _Scores:
    """Reading scores over clause units (``fold``, ``word``, ``last_word`` and the ``doc`` they came from)."""

    doc: _Doc
    fold: list[str]
    word: list[int]
    last_word: list[int]
    segment: list[int]
    hard_before: list[bool]

    def score(self, a: int, b: int) -> tuple[float, int, int] | None:
        """The first score the clause ``a:b`` gives, as a share of its scale, and its first and last unit.

        "2/10", "one out of ten", "minus ten out of ten" (−1.0), "zero stars" and "a five-star read" (of five).
        """
        folds = self.fold
        for u in range(a, b):
            x = _number(folds[u])
            if x is None:
                continue
            sign, first = (-1.0, u - 1) if u > a and folds[u - 1] in _SCORE_MINUS else (1.0, u)
            if u + 1 < b and self._between(u) == "/" and _number(folds[u + 1]) in (5.0, 10.0, 100.0):
                return sign * x / _number(folds[u + 1]), first, u + 1
            if u + 3 < b and folds[u + 1 : u + 3] == ["out", "of"] and _number(folds[u + 3]) in (5.0, 10.0, 100.0):
                return sign * x / _number(folds[u + 3]), first, u + 3
            if u + 1 < b and folds[u + 1] in _SCORE_STARS:
                return sign * x / 5.0, first, u + 1
        return None

    def scored(self, a: int, b: int) -> bool:
        """Does the clause ``a:b`` give a score that says which way: low enough to rule out, or high enough to want?
        ("5/10" says neither, and is left to whatever else the clause says.)"""
        score = self.score(a, b)
        return score is not None and not _SCORE_LOW < score[0] < _SCORE_HIGH

    def _between(self, u: int) -> str:
        """The characters between unit ``u`` and the next, spaces dropped ("/" in "2/10")."""
        return self.doc.text[self.doc.end[self.last_word[u]] : self.doc.start[self.word[u + 1]]].strip()

    def _bare_score(self, a: int, b: int) -> bool:
        """Is the clause ``a:b`` a score and nothing else of content ("10/10", "two stars at best")?"""
        score = self.score(a, b)
        return (
            self.scored(a, b) and score is not None and not any(self._is_content(v) and not score[1] <= v <= score[2] for v in range(a, b))
        )

    def _rate(self, bounds: list[tuple[int, int]], s: int, negated: list[bool]) -> None:
        """A low score rules out what its clause names ("I'd give self-help books zero stars"), or what the
        question before it asks about ("Thrillers? Two stars at best"). A high score needs nothing: it is a wish."""
        a, b = bounds[s]
        score = self.score(a, b)
        if score is None or score[0] > _SCORE_LOW:
            return
        _, first, last = score
        rated = [v for v in range(a, b) if self._is_content(v) and not first <= v <= last]
        if not rated and s > 0 and not self.hard_before[self.segment[a]]:
            # "Would rate every musical | I've ever sat through minus ten out of ten": the clause the score goes on.
            rated = [v for v in range(*bounds[s - 1]) if self._is_content(v)]
        for v in rated:
            negated[v] = True
        if not rated:
            self._point_back(bounds, s, first, last + 1, negated, fragment=True)


def _number(fold: str) -> float | None:
    """A number written in digits or as a word ("7", "seven"); None for any other word."""
    return float(fold) if fold.isdigit() else _SCORE_NUMBERS.get(fold)
