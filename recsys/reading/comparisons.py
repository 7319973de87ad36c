"""Comparisons between genres: the loser of "a western over a musical", "rather X than Y", "prefer X to Y", "X < Y"."""

from __future__ import annotations

from recsys.reading.lexicon import _COMPARATIVES, _DISMISSIVE, _MORE, _PREFER, _RATHER


class _Comparisons:
    """Mixed into :class:`recsys.reading.negation._Negation`; reads the same unit attributes."""

    fold: list[str]
    _genre_units: set[int]

    def _compare(self, a: int, b: int, negated: list[bool]) -> None:
        """Rule out the loser of a comparison: "a western over a musical", "rather X than Y", "prefer X to Y"."""
        folds = self.fold
        for u in range(a, b):
            fold = folds[u]
            if fold in _COMPARATIVES:
                if u > a and folds[u - 1] in ("so", "im", "all", "and", "over"):
                    continue
                winner = any(v in self._genre_units for v in range(a, u))
            elif fold == "<":
                # "westerns < war films": the genre before the sign loses (the tokenizer reads ">" as "over").
                if any(v in self._genre_units for v in range(u + 1, b)):
                    for v in range(a, u):
                        if v in self._genre_units:
                            negated[v] = True
                return
            elif fold == "than" and u > a and folds[u - 1] in _DISMISSIVE:
                # "anything more boring than a business book?": what is compared for dullness loses — the genre before
                # "than" when there is one ("westerns are more boring than musicals"), else the one after.
                before = [v for v in range(a, u) if v in self._genre_units]
                for v in before or [v for v in range(u + 1, b) if v in self._genre_units]:
                    negated[v] = True
                return
            elif fold == "than":
                # "rather X than Y"; "X appeals to me far more than Y", "I like X better than Y" (a genre before "more").
                winner = any(folds[v] in _RATHER for v in range(a, u)) or (
                    any(folds[v] in _MORE for v in range(a, u)) and any(v in self._genre_units for v in range(a, u))
                )
            elif fold == "to":
                winner = any(folds[v] in _PREFER for v in range(a, u)) and any(v in self._genre_units for v in range(a, u))
            else:
                continue
            loser = [v for v in range(u + 1, b) if v in self._genre_units]
            if winner and loser:
                for v in loser:
                    negated[v] = True
                return
