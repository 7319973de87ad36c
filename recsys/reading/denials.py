"""Negations that mean something else: a second negation, a question, a boast, an event, not having seen a genre, and a
dislike the writer no longer holds.

The rules of :class:`recsys.reading.negation._Negation` ask these whether a cue they met is really a dislike: "It's not
as if I'd refuse a memoir" (two negations), "Who doesn't love a heist movie?" (a question expecting yes), "Nobody
loves a whodunnit more than me" (a boast), "I hate it when a love story gets ruined" (an event), "I've never seen a
western" (inexperience), "I hate horror but not thrillers" (a denied dislike), "I used to hate westerns but now I love
them" (a changed mind).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from recsys.reading.lexicon import (
    _BOASTS,
    _CANCELS,
    _CHANGE,
    _COMPLEMENT_OPENERS,
    _CONTRASTS,
    _DISMISSIVE,
    _DOUBLE_NEGATIONS,
    _ELIDED_DENIALS,
    _EVENT_DISLIKES,
    _EXPERIENCE,
    _FOND_OF,
    _ITEM_NOUNS,
    _LIKED_PAST,
    _LIKING,
    _MODAL_BEFORE_LIKE,
    _NEGATED_BE,
    _NOT_ELIDED,
    _NOT_EXPERIENCED,
    _OTHERS,
    _PAST,
    _PERFECT,
    _POINTERS,
    _POSSESSIVES,
    _POST_NEGATIONS,
    _PRAISE,
    _PRE_NEGATIONS,
    _QUANTITIES,
    _REFUSE_TRYING,
    _RELATIVES,
    _REQUESTS,
    _RHETORICAL_OPENERS,
    _SOFTENERS,
    _SUBJECTS,
    _TRY_WISHES,
    _UNTRIED_FILLERS,
    _UNTRIED_NEGATIONS,
)
from recsys.reading.scores import _Scores

#: Verbs after which "like" says what something resembles ("feels like homework", "sounds like a chore").
_SEEMING = frozenset({"feel", "feels", "felt", "look", "looks", "looked", "sound", "sounds", "sounded", "seem", "seems", "seemed"})


class _Denials(_Scores):
    """Mixed into :class:`recsys.reading.negation._Negation`; reads the same unit attributes."""

    fold: list[str]
    segment: list[int]
    hard_before: list[bool]
    contrast_before: list[bool]
    neutral: set[int]
    placed_by_rules: set[int]
    genre_hits: list
    title: list[int]

    _is_content: Callable[[int], bool]  # is unit u a genre, title or era word (defined by _Negation)

    def _untried(self, bounds: list[tuple[int, int]], s: int, u: int, negated: list[bool]) -> int:
        """If unit ``u`` starts a negated experience ("never seen", "haven't read much"), the unit after it, else 0.

        Not having seen a genre is not a dislike: the genres it is said of are neither wanted nor ruled out
        (``neutral``), wanted when the sentence goes on to ask for one ("so show me a good one"), and ruled out when it
        refuses to try or complains ("… and I don't plan to start now", "… because it bores me", "never seen a horror
        film I enjoyed"). "Never seen the point of" is no experience.
        """
        folds = self.fold
        a, b = bounds[s]
        if folds[u] not in _UNTRIED_NEGATIONS:
            return 0
        v = u + 1
        while v < b and folds[v] in _UNTRIED_FILLERS:
            v += 1
        length = _match_at(folds, v, b, _EXPERIENCE)
        if not length or _match_at(folds, v + length, b, _NOT_EXPERIENCED):
            return 0
        if folds[v] == "read" and not (any(folds[w] in _PERFECT for w in range(a, u + 1)) or (v + 1 < b and folds[v + 1] in _QUANTITIES)):
            return 0  # "I never read romance" is a habit, a dislike
        # What it is said of: the genres after it, and one put before it ("Westerns I've never seen"), not one the
        # writer likes first ("I love comedies and have never seen a western").
        before = range(a, u)
        fronted = not any(self._liking_at(w) or folds[w] in ("and", "or") for w in before)
        said = [h for h in self.genre_hits if (v + length <= h.first < b) or (fronted and a <= h.first < u)]
        self.placed_by_rules.update(range(a, b))
        rest = self._said_after(bounds, s, v + length)
        if any(_match_at(folds, w, len(folds), _REFUSE_TRYING) for w in rest) or self._complains(rest):
            for h in said:
                negated[h.first : h.last + 1] = [True] * (h.last + 1 - h.first)
        elif not any(_match_at(folds, w, len(folds), _TRY_WISHES) for w in (*before, *rest)):
            self.neutral.update(w for h in said for w in range(h.first, h.last + 1))
        return v + length

    def _said_after(self, bounds: list[tuple[int, int]], s: int, start: int) -> list[int]:
        """The units after ``start`` that can still be about clause ``s``'s genre: the rest of the clause and the clauses
        of the sentence after it, up to one that names a genre of its own ("…, but I'd like to try more comedies")."""
        units = list(range(start, bounds[s][1]))
        for t in range(s + 1, len(bounds)):
            ta, tb = bounds[t]
            if any(ta <= h.first < tb for h in self.genre_hits):
                break
            if self.hard_before[self.segment[ta]] and not self.contrast_before[self.segment[ta]]:
                break
            units.extend(range(ta, tb))
        return units

    def _complains(self, units: list[int]) -> bool:
        """Do ``units`` hold a complaint or a past liking ("… because it bores me", "… a horror film I enjoyed")?"""
        folds = self.fold
        return any(folds[w] in _DISMISSIVE or folds[w] in _LIKED_PAST or _match_at(folds, w, len(folds), _POST_NEGATIONS) for w in units)

    def _event_dislike(self, u: int, pre: int, b: int) -> bool:
        """Is the cue at ``u`` a dislike of an event ("I hate when …", "I can't stand it when …"), not of a genre?"""
        folds = self.fold
        if folds[u] in ("not", "no", "never") or u + pre >= b:
            return False
        return folds[u + pre] == "when" or any(_match_at(folds, v, b, _EVENT_DISLIKES) for v in (u + pre, u + pre + 1))

    def _part_end(self, u: int, b: int) -> int:
        """The end of the part of a clause that starts at ``u``: the next "and"/"or", or the clause's end."""
        return next((v for v in range(u + 1, b) if self.fold[v] in ("and", "or")), b)

    def _rhetorical(self, a: int, b: int, u: int, pre: int) -> bool:
        """Is the cue at ``u`` a negation that a question or its subject turns into a wish: "Who doesn't love …?",
        "What's not to like about …?", "No one here ever says no to a comedy", "Nobody can resist a thriller"?"""
        folds = self.fold
        first = min((v for v in range(u + pre, b) if self._is_content(v)), default=b)
        if u == a + 1 and folds[a] in _RHETORICAL_OPENERS:  # not a relative: "I'm someone who doesn't like horror"
            return any(self._liking_at(v) for v in range(u + pre, first))
        if u == a and self.hard_before[self.segment[a]]:
            # "Isn't a good thriller the best way to spend a weekend?", "Don't you love a western?"
            if folds[u] in _NEGATED_BE and any(folds[v] in _PRAISE for v in range(u + pre, b)):
                return True
            if folds[u + pre : u + pre + 1] == ["you"] and u + pre + 1 < b and self._liking_at(u + pre + 1):
                return True
        if not self._subject_negation(a, u):
            return False
        # "No one here ever says no to a comedy", "Nobody dislikes a good thriller": two negations.
        return any(
            _match_at(folds, v, first, _CANCELS)
            or _match_at(folds, v, first, _DOUBLE_NEGATIONS)
            or _match_at(folds, v, first, _PRE_NEGATIONS)
            for v in range(u + pre, first)
            if folds[v] not in ("one", "a", "of")
        )

    def _subject_negation(self, a: int, u: int) -> bool:
        """Does the cue at ``u`` open its clause as its subject ("No one here …", "Nobody I know …", "Not one of us …")?"""
        folds = self.fold
        return u == a and (folds[u : u + 2] in (["no", "one"], ["not", "one"], ["not", "a"]) or folds[u] in ("nobody", "noone", "none"))

    def _superlative(self, a: int, b: int, u: int) -> bool:
        """Does a subject negation at ``u`` only boast ("Nobody loves a whodunnit more than me", "… except me", "Nobody
        does comedy like the British")? Then the rest of the clause says how the writer feels."""
        folds = self.fold
        if not self._subject_negation(a, u):
            return False
        for v in range(u + 1, b):
            if folds[v] == "like" and folds[v - 1] not in _MODAL_BEFORE_LIKE and v + 1 < b:
                return True
            if _match_at(folds, v, b, _BOASTS):
                return True
        return False

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

    def _changed_mind(self, bounds: list[tuple[int, int]], negated: list[bool]) -> None:
        """A dislike that is not the writer's now is wanted when the writer then likes it.

        Either the writer has come round ("I used to hate westerns but now I love them") or the
        dislike was someone else's ("My wife hates horror, but I love it").
        """
        folds = self.fold
        for s, (a, b) in enumerate(bounds):
            later = range(a, b)
            # "... but now I love them": the change may sit in a short clause of its own.
            lead = a
            if s > 0 and (bounds[s - 1][1] - bounds[s - 1][0] <= 2 or folds[bounds[s - 1][1] - 1] in _CHANGE):
                lead = bounds[s - 1][0] if bounds[s - 1][1] - bounds[s - 1][0] <= 2 else bounds[s - 1][1] - 1
            if any(negated[v] or folds[v] in _DISMISSIVE or _match_at(folds, v, b, _POST_NEGATIONS) for v in later):
                continue  # "… these days I find them tiresome", "… I can't stand them these days" is no change of heart
            changed = any(folds[v] in _CHANGE for v in range(lead, b))
            mine = "i" in folds[a:b] and any(self._liking_at(v) for v in later)
            if not (changed or mine):
                continue
            # "... until I saw Scream": a film since liked points back too.
            # "I love it when ..." points forward, not back.
            # "these days" is a time, not a pointer.
            pointer = any(self._pointer_at(v) or self.title[v] >= 0 for v in later)
            # "... until recently, now I can't get enough": a change of heart that names nothing is about what came before.
            # Only right after the dislike: "documentaries are what | I want now" is about documentaries.
            pointer = pointer or (
                changed
                and not any(self._is_content(v) for v in later)
                and s > 0
                and any(negated[v] and self._is_content(v) for v in range(*bounds[s - 2 if lead < a and s > 1 else s - 1]))
                and self._positive(a, b)
            )
            labels = {label for h in self.genre_hits if a <= h.first < b for label in h.labels}
            for t in range(s - 1, max(-1, s - 4), -1):
                ta, tb = bounds[t]
                past = changed and any(folds[v] in _PAST for v in range(ta, lead))
                others = mine and (folds[ta] in _OTHERS or (folds[ta] in _POSSESSIVES and ta + 1 < tb and folds[ta + 1] in _RELATIVES))
                # "Musicals aren't cool, I know, but I adore them": the writer's own liking has the last word.
                if not (past or others or (mine and pointer)):
                    continue
                hits = [h for h in self.genre_hits if ta <= h.first < tb and negated[h.first] and (pointer or labels & set(h.labels))]
                for h in hits:
                    for v in range(h.first, h.last + 1):
                        negated[v] = False
                if hits:
                    break

    def _liking_at(self, v: int) -> bool:
        """Is unit ``v`` a liking word ("of" only as in "fan of", "fond of"; "sucker" only before "for")?"""
        fold = self.fold[v]
        if fold == "sucker":
            return self.fold[v + 1 : v + 2] == ["for"]  # "a sucker for action", not "only a sucker would …"
        if fold in ("like", "likes") and v > 0 and self.fold[v - 1] in _SEEMING and self._seeming(v - 1):
            return False  # "documentaries always feel like a lecture": a likeness, not a liking
        return fold in _LIKING and (fold != "of" or (v > 0 and self.fold[v - 1] in _FOND_OF))

    def _request_at(self, u: int, end: int) -> int:
        """Length of a request starting at unit ``u`` ("give me", "I want"; within ``end``), or 0. An imperative after
        its own subject asks for nothing: "Westerns give me a headache" says what westerns do to the writer (a genre, an
        item noun or "they" before the verb), where "give me westerns" and "so just give me westerns" ask for them."""
        length = _match_at(self.fold, u, end, _REQUESTS)
        if length and self.fold[u] in _IMPERATIVES:
            w = u - 1
            while w >= 0 and self.fold[w] in _SOFTENERS - {"so"} and self.segment[w] == self.segment[u]:
                w -= 1  # "westerns really give me …"; but "… every western so give me comedies" asks
            said_of = w >= 0 and self.segment[w] == self.segment[u] and (self._is_content(w) or self.fold[w] in _DOERS)
            return 0 if said_of else length
        return length

    def _seeming(self, v: int) -> bool:
        """Is the verb at ``v`` ("feel", "sounds") said of a thing ("documentaries always feel like a lecture"), not by the
        writer ("I feel like a western tonight", "feel like laughing"), where "like" is a wish?"""
        w = v - 1
        while w >= 0 and self.fold[w] in _SOFTENERS and self.segment[w] == self.segment[v]:
            w -= 1
        return w >= 0 and self.segment[w] == self.segment[v] and self.fold[w] not in _SUBJECTS and self.fold[w] != "really"

    def _pointer_at(self, v: int) -> bool:
        """Does unit ``v`` point back to something named before? Not "these days" (a time), not "it when" (what follows),
        and not "it's" before a genre of its own ("these days it's dramas")."""
        folds = self.fold
        if folds[v] not in _POINTERS or folds[v + 1 : v + 2] in (["when"], ["days"], ["times"]):
            return False
        return not (folds[v] in ("its", "theyre") and v + 1 < len(folds) and self._is_content(v + 1))

    def _positive(self, a: int, b: int) -> bool:
        """Does the clause ``a:b`` say something warm: a liking word, praise, or a negation cancelled ("can't get enough")?"""
        folds = self.fold
        for u in range(a, b):
            if self._liking_at(u) or folds[u] in _PRAISE:
                return True
            pre = _match_at(folds, u, b, _PRE_NEGATIONS)
            if pre and _match_at(folds, u + pre, b, _CANCELS):
                return True
        return False


#: The first words of requests that are imperatives ("give me", "show me"), not said by the writer ("I want").
_IMPERATIVES = frozenset(phrase[0] for phrase in _REQUESTS if phrase[0] not in _SUBJECTS and phrase[0] != "i")
#: What can do something to the writer before such a verb, besides a genre or title: "they give me nightmares", "books
#: about dragons give me a headache".
_DOERS = _ITEM_NOUNS | {"they", "these", "those", "theyll", "both", "all", "ones", "stuff", "things"}


def _match_at(folds: list[str], u: int, end: int, phrases: Mapping | frozenset | tuple) -> int:
    """Length of the longest phrase starting at unit ``u`` (within ``end``), or 0."""
    for length in (5, 4, 3, 2, 1):
        if u + length <= end and tuple(folds[u : u + length]) in phrases:
            return length
    return 0
