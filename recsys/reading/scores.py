"""Scores a writer gives a genre ("Romance: 2/10", "zero stars", "one out of ten", "a five-star read").

A low score rules out what it is given to and a high one is a wish, so a clause with a score
that says which way is placed by the rules and never handed to the attitude model. Mixed into
the negation rules (:class:`recsys.reading.negation._Negation`), which call
:meth:`_Scores._rate` on every clause.
"""

from __future__ import annotations

from collections.abc import Callable

from recsys.reading.lexicon import (
    _COMPARATIVES,
    _ITEM_NOUNS,
    _PREFER,
    _RATHER,
    _SCORE_HIGH,
    _SCORE_LOW,
    _SCORE_MINUS,
    _SCORE_NUMBERS,
    _SCORE_STARS,
)
from recsys.reading.text import _Doc

#: The scales a score is read on: "7/10", "3 out of 5", "80/100".
_SCALES = (5.0, 10.0, 100.0)
#: Score = (share of the scale, first unit, last unit).
Score = tuple[float, int, int]


class _Scores:
    """Reading scores over clause units (``fold``, ``word``, ``last_word`` and the ``doc`` they came from)."""

    doc: _Doc
    fold: list[str]
    word: list[int]
    last_word: list[int]
    segment: list[int]
    hard_before: list[bool]
    scores_of: dict[tuple[int, int], list[Score]]  # each clause's scores, read once (the rules ask several times)
    _is_content: Callable[[int], bool]  # from the negation rules
    _point_back: Callable[..., None]

    def scores(self, a: int, b: int) -> list[Score]:
        """Every score the clause ``a:b`` gives, in order, each as a share of its scale with its first and last unit.

        "2/10" is 0.2, "one out of ten" 0.1, "minus ten out of ten" −1.0; stars run from one to five, so "one star" is 0,
        "three stars" 0.5 and "a five-star read" 1.0. "1 out of 5 films" and "9/11" are no score.
        """
        if (a, b) not in self.scores_of:
            self.scores_of[a, b] = self._read_scores(a, b)
        return self.scores_of[a, b]

    def _read_scores(self, a: int, b: int) -> list[Score]:
        folds, found, u = self.fold, [], a
        while u < b:
            x = _number(folds[u])
            if x is None:
                u += 1
                continue
            sign, first = (-1.0, u - 1) if u > a and folds[u - 1] in _SCORE_MINUS else (1.0, u)
            score = None
            if u + 1 < b and self._between(u) == "/" and _number(folds[u + 1]) in _SCALES:
                score = (sign * x / _number(folds[u + 1]), first, u + 1)
            elif u + 3 < b and folds[u + 1 : u + 3] == ["out", "of"] and _number(folds[u + 3]) in _SCALES:
                after = folds[u + 4] if u + 4 < b else ""
                if after != "of" and after not in _ITEM_NOUNS and not (u + 4 < b and self._is_content(u + 4)):
                    score = (sign * x / _number(folds[u + 3]), first, u + 3)  # not "1 out of 5 films I watch"
            elif u + 1 < b and folds[u + 1] in _SCORE_STARS:
                score = (sign * (x - 1.0) / 4.0, first, u + 1)
            if score is not None:
                found.append(score)
                u = score[2]
            u += 1
        return found

    def scored(self, a: int, b: int) -> bool:
        """Does the clause ``a:b`` give a score that says which way, low enough to rule out or high enough to want?
        ("5/10" says neither, and is left to whatever else the clause says.)"""
        return any(_decisive(share) for share, _, _ in self.scores(a, b))

    def _between(self, u: int) -> str:
        """The characters between unit ``u`` and the next, spaces dropped ("/" in "2/10")."""
        return self.doc.text[self.doc.end[self.last_word[u]] : self.doc.start[self.word[u + 1]]].strip()

    def _bare_score(self, a: int, b: int) -> bool:
        """Is the clause ``a:b`` a score and nothing else of content ("10/10", "two stars at best")?"""
        scores = self.scores(a, b)
        inside = {v for _, first, last in scores for v in range(first, last + 1)}
        return any(_decisive(s) for s, _, _ in scores) and not any(self._is_content(v) for v in range(a, b) if v not in inside)

    def _rate(self, bounds: list[tuple[int, int]], s: int, negated: list[bool]) -> None:
        """Rule out what each low score is given to: the things named since the score before it ("Romance 1/10 and
        horror 10/10"), else those just after it ("a one-star western"), else the clause or question before
        ("Thrillers? Two stars at best"). A high score needs nothing: it is a wish. A clause that compares ("even a
        one-star western beats a musical", "never less than two stars") is left to the comparison rules."""
        a, b = bounds[s]
        scores = self.scores(a, b)
        if not scores or any(f in _COMPARATIVES or f in _RATHER or f in _PREFER or f == "than" for f in self.fold[a:b]):
            return
        edges = [a] + [last + 1 for _, _, last in scores]
        for n, (share, first, last) in enumerate(scores):
            if share > _SCORE_LOW:
                continue
            rated = [v for v in range(edges[n], first) if self._is_content(v)]
            if not rated:
                following = scores[n + 1][1] if n + 1 < len(scores) else b
                rated = [v for v in range(last + 1, following) if self._is_content(v)]
            if not rated and s > 0 and not self.hard_before[self.segment[a]] and len(scores) == 1:
                # "Would rate every musical | I've ever sat through minus ten out of ten": the clause the score goes on.
                rated = [v for v in range(*bounds[s - 1]) if self._is_content(v)]
            for v in rated:
                negated[v] = True
            if not rated:
                self._point_back(bounds, s, first, last + 1, negated, fragment=True)


def _decisive(share: float) -> bool:
    """Does a score of this share say which way: at most ``score_low`` or at least ``score_high``?"""
    return share <= _SCORE_LOW or share >= _SCORE_HIGH


def _number(fold: str) -> float | None:
    """A number written in digits or as a word ("7", "seven"); None for any other word."""
    return float(fold) if fold.isdigit() else _SCORE_NUMBERS.get(fold)
