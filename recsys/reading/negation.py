"""Negation over clause units: what each cue rules out, comparisons, and dislikes the writer has come round to."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from recsys.reading.attitude import THRESHOLD
from recsys.reading.comparisons import _Comparisons
from recsys.reading.denials import _Denials, _match_at
from recsys.reading.frames import _Frames
from recsys.reading.lexicon import (
    _ANSWER_NO,
    _ANSWER_WORDS,
    _CANCELS,
    _COMPARATIVES,
    _CONDITIONS,
    _CONTENT_NOUNS,
    _COPULAS,
    _DISMISSIVE,
    _DOUBLE_NEGATIONS,
    _ERA_WORDS,
    _EXCESS,
    _LIKING,
    _NO_LONGER,
    _NOT_EXCESS,
    _POST_NEGATIONS,
    _PRAISE,
    _PRE_NEGATIONS,
    _PREFER,
    _RATHER,
    _REACTIONS,
    _SOFTENERS,
    _SUBJECTS,
    _WHAT_IM_AFTER,
)
from recsys.reading.relations import _Relations
from recsys.reading.text import _Doc


class _Negation(_Denials, _Frames, _Comparisons, _Relations):
    """The negation rules of :class:`recsys.reading.clauses._Units`, which they are mixed into.

    They read the units' folded words (``fold``), found titles (``title``), segments
    (``segment_bounds()``) and the genre hits, and return or mark per unit whether it is
    ruled out.
    """

    doc: _Doc
    fold: list[str]
    word: list[int]
    last_word: list[int]
    title: list[int]
    segment: list[int]
    hard_before: list[bool]
    contrast_before: list[bool]
    elided: set[int]
    neutral: set[int]
    spent: set[int]
    placed_by_rules: set[int]
    filler: frozenset[str]
    genre_hits: list
    _genre_units: set[int]
    span: Callable[[int, int], str]  # the text of units a to b (clauses._Units.span)

    def negation(self, attitude: Callable[[Sequence[str]], Sequence[float]] | None = None, notes: list[str] | None = None) -> list[bool]:
        """Per unit: is it inside the scope of a negation?

        A cue rules out what it points at: a leading cue ("not", "I'm so over") the rest of its
        clause, a trailing one ("bores me", "puts me to sleep") the list just before it, a
        dismissive word ("tedious") what its clause is about. When that holds nothing to rule
        out, the clause's subject ("Horror isn't really my thing"), a pronoun's antecedent in an
        earlier clause ("... but I find them tedious") or the bare question it answers
        ("Westerns? Not for me.") is ruled out instead. A comparison rules out its loser.
        A clause with no cue at all is read by ``attitude``, when given (:meth:`_unplaced`), and
        what it rules out gets a line in ``notes``. Last, a dislike the writer has come round to
        is a wish again (:meth:`_changed_mind`).
        """
        folds = self.fold
        n = len(folds)
        negated = [False] * n
        bounds = self.segment_bounds()
        for s, (a, b) in enumerate(bounds):
            u = a
            while u < b:
                untried = self._untried(bounds, s, u, negated)
                if untried:
                    u = untried  # "I've never seen a western": not a dislike
                    continue
                if u + 1 < b and (folds[u : u + 2] in (["not", "just"], ["not", "only"], ["never", "not"])):
                    u += 2  # "not just comedies, thrillers too", "I'm never not reading a biography": no negation
                    continue
                if folds[u] == "nothing" and u > a and folds[u - 1] == "or":
                    u = b  # "sci-fi or nothing for me": that or none, a wish
                    continue
                post, post_end = _match_soft(folds, u, b, _POST_NEGATIONS)
                if post and _match_at(folds, u, b, _PRE_NEGATIONS) <= post:  # "pass on musicals" leads
                    scope = self._post_scope(a, u)
                    if any(self._is_content(v) for v in scope):
                        for v in scope:
                            negated[v] = True
                    else:
                        pointed = sum(negated)
                        self._point_back(bounds, s, u, post_end, negated, fragment=True)
                        if u == a and post_end == b and sum(negated) == pointed:
                            # "Not for me: horror or westerns": a trailing cue that is a clause of its own, with nothing
                            # before it to point back to, leads the list after it instead.
                            self._continue_list(bounds, s, True, negated)
                    u = post_end
                    continue
                pre = _match_at(folds, u, b, _PRE_NEGATIONS)
                if pre and folds[u] in ("who", "why") and u != a and folds[u - 1] not in ("and", "so"):
                    pre = 0  # a relative ("someone who wants a thriller") or a reported question, not a rhetorical one
                if pre and folds[u] == "too" and any(h.rule_out and h.first == u + 1 for h in self.genre_hits):
                    # "far too squeamish for slasher movies": more squeamish, not less, and what it is about is ruled out.
                    said = {v for h in self.genre_hits if h.rule_out for v in range(h.first, h.last + 1)}
                    for v in range(u + 1, b):
                        if self._is_content(v) and v not in said:
                            negated[v] = True
                    u += pre
                    continue
                if pre and self._event_dislike(u, pre, b):
                    # "I hate it when a love story gets ruined": the event is disliked, not the love story.
                    end = self._part_end(u, b)
                    self.placed_by_rules.update(range(a, b))
                    self.neutral.update(w for h in self.genre_hits if u < h.first < end for w in range(h.first, h.last + 1))
                    u = end
                    continue
                # "Why not?", "I never say no to ...": a cue answered or negated is no cue.
                answered = u > a and folds[u - 1] == "why"
                denied = u > a + 1 and folds[u - 1] == "say" and folds[u - 2] in ("never", "cant", "wont", "dont", "couldnt")
                if (
                    pre
                    and tuple(folds[u : u + pre]) in _DOUBLE_NEGATIONS
                    and (self._negated_here(a, u, negated) or self._dangling(bounds, s, negated))
                ):
                    # "No holiday is complete without a fantasy novel", "not as if I'd refuse a memoir": two negations make a wish.
                    for v in range(u, b):
                        negated[v] = False
                    u += pre
                    continue
                if pre == 1 and u == a and self._elided_denial(bounds, s, negated):
                    self.elided.add(u)
                    u += 1  # "I hate horror but not thrillers": not hated, so not ruled out
                    continue
                cancel = _match_at(folds, u + pre, b, _CANCELS) if pre else 0
                if pre and self._superlative(a, b, u):
                    u += pre  # "Nobody loves a cosy whodunnit more than me": the rest of the clause says how the writer feels
                    continue
                if pre and not cancel and self._rhetorical(a, b, u, pre):
                    u = self._part_end(u, b)  # "Who doesn't love a heist movie?", "No one here ever says no to a comedy": a wish
                    continue
                if cancel and not answered and not denied:
                    u += pre + cancel  # "never get tired of westerns": the cue and its cancelling words are spent
                    continue
                if pre and not cancel and not answered and not denied:
                    scope = _PRE_NEGATIONS[tuple(folds[u : u + pre])]
                    end = b if scope is None else min(b, u + pre + scope)
                    for v in range(u + pre, end):
                        negated[v] = True
                    if scope is None:
                        # Nothing after the cue to rule out ("the kids are watching, so nothing with swearing" has:
                        # content that is no genre).
                        if not any(
                            (self._is_content(v) and folds[v] not in ("the", "age")) or folds[v] in _CONTENT_NOUNS
                            for v in range(u + pre, end)
                        ):
                            # "Scary movies? Why would I pay to be terrified.": a rhetorical question answers one too.
                            fragment = self._answer(a, b, u, u + pre) or folds[u] in ("who", "why")
                            self._point_back(bounds, s, u, end, negated, fragment=fragment)
                        self._continue_list(bounds, s, u + pre == b, negated)
                    elif (
                        folds[u] in _EXCESS
                        and u + pre < b
                        and folds[u + pre] not in _NOT_EXCESS
                        and not any(self._is_content(v) for v in range(u + pre, end))
                    ):
                        # "… I find them too dry"; "Musicals, way too cheesy for me": a complaint that is its clause's
                        # whole say answers like a fragment, and with nothing before it ("Too bleak: war films") it leads
                        # what comes after.
                        if any(self._liking_at(v) for v in range(a, u)):
                            u += pre
                            continue  # "westerns, I love them way too much": too much of a liking, no complaint
                        complaint = self._complaint(a, b, u, end)
                        pointed = sum(negated)
                        self._point_back(bounds, s, u, end, negated, fragment=complaint)
                        if complaint and sum(negated) == pointed:
                            self._lead_after(bounds, s, negated)
                    u += pre
                    continue
                if folds[u] in _DISMISSIVE and not (u > a and folds[u - 1] in ("not", "never", "isnt", "arent", "rarely")):
                    self._point_back(bounds, s, u, u + 1, negated, fragment=self._answer(a, b, u, u + 1))
                u += 1
            self._rate(bounds, s, negated)
            self._compare(a, b, negated)
        self._either(bounds, negated)
        self._singled_out(bounds, negated)
        self.frames(bounds, negated)  # sarcasm, a question the writer answers, a liking in the past
        judged = self._unplaced(bounds, negated, attitude) if attitude is not None else []
        self._changed_mind(bounds, negated)
        for hits, text in judged:
            if notes is not None and negated[hits[0].first]:  # not when the writer has since come round to it
                labels = ", ".join(dict.fromkeys(label for h in hits for label in h.labels))
                notes.append(
                    f"'{text}' reads as ruling out {labels}: from how it is put, not a phrase the reader knows. "
                    "If that is wrong, flip it under Correct the reading."
                )
        return negated

    def _unplaced(
        self, bounds: list[tuple[int, int]], negated: list[bool], attitude: Callable[[Sequence[str]], Sequence[float]]
    ) -> list[tuple[list, str]]:
        """Let ``attitude`` read each clause that names a genre with no cue (:meth:`has_cue`) and rule out what it says to.

        A clause that says "too <something>" of its genre ("history books are too dry") rules it out without asking.
        A clause is read with the comma-joined clauses after it that name nothing else ("Musicals, honestly, a chore");
        a text that is all one such clause is read whole, the same text the text model embeds for the profile, so its
        vector is reused. Only the clause's genres are ruled out (a title or era beside them is left to the rules).
        Returns the (genre hits, clause text) it ruled out.
        """
        unplaced = []
        for s, (a, b) in enumerate(bounds):
            hits = [h for h in self.genre_hits if a <= h.first < b and not h.rule_out]
            if not hits or any(negated[v] for v in range(a, b) if self._is_content(v)) or self.has_cue(a, b):
                continue
            if a in self.placed_by_rules:
                continue  # "Haven't watched many documentaries yet": placed by the rules
            # "Musicals: 10/10": a score on its own after the clause says how the writer feels about it.
            if s + 1 < len(bounds) and not self.hard_before[self.segment[bounds[s + 1][0]]] and self._bare_score(*bounds[s + 1]):
                continue
            # "I don't think | I've ever disliked a cookbook": a negation in the clause before may reach into this one.
            if s > 0 and not self.hard_before[self.segment[a]] and self.has_cue(*bounds[s - 1], liking=False):
                continue
            if self._liked_after(bounds, s):
                continue
            # "Musicals, honestly, a chore": what follows after commas, naming nothing else, is said of it too.
            e = s
            while e + 1 < len(bounds) and not self.hard_before[self.segment[bounds[e + 1][0]]]:
                na, nb = bounds[e + 1]
                if any(na <= h.first < nb for h in self.genre_hits) or self.has_cue(na, nb):
                    break
                e += 1
            t = e + 1
            while t < len(bounds) and self._bare(*bounds[t]):
                t += 1  # "Gory? Bloody? Fine by me": the approval answers every bare question before it
            if t < len(bounds) and self._approves(*bounds[t]):
                continue
            whole = s == 0 and e == len(bounds) - 1
            text = self.doc.text if whole else self.span(a, bounds[e][1] - 1)
            unplaced.append((a, b, hits, text))
        if not unplaced:
            return []
        # "History books are too dry", "far too sugary for me": excess is a complaint, whatever the word.
        excess = [
            any(
                self.fold[v] in _EXCESS and v + 1 < b and not self._is_content(v + 1) and self.fold[v + 1] not in _NOT_EXCESS
                for v in range(a, b)
            )
            for a, b, _, _ in unplaced
        ]
        asked = [u[3] for u, e in zip(unplaced, excess) if not e]
        answers = iter(attitude(asked) if asked else [])
        judged = []
        for (_, _, hits, text), e in zip(unplaced, excess):
            if not e and next(answers) < THRESHOLD:
                continue
            for h in hits:
                for v in range(h.first, h.last + 1):
                    negated[v] = True
            judged.append((hits, text))
        return judged

    def _liked_after(self, bounds: list[tuple[int, int]], s: int) -> bool:
        """Is clause ``s``'s genre the object of the writer's liking clause after it ("Mysteries, on the other hand, I
        still devour", "horror I could binge all night")? Then it is a wish the rules place."""
        for e in range(s + 1, len(bounds)):
            ea, eb = bounds[e]
            if self.hard_before[self.segment[ea]] or self._names_genre(ea, eb):
                return False
            if self.fold[ea] in _SUBJECTS and any(self._liking_at(v) or self._request_at(v, eb) for v in range(ea, eb)):
                return not self.has_cue(ea, eb, liking=False)
        return False

    def has_cue(self, a: int, b: int, liking: bool = True) -> bool:
        """Does the clause ``a:b`` hold a cue the rules read — a negation (even one answered or cancelled: "don't mind"),
        a dismissive word, a comparison (a genre after "than" included), a score that says which way, a liking word ("of"
        only as in "fan of") or praise? A cancelling word alone ("help" in "self-help") is no cue, and "too" alone is
        none either: it only says "too what"."""
        folds = self.fold
        if self.scored(a, b):
            return True
        for u in range(a, b):
            fold = folds[u]
            if liking and self._liking_at(u):
                return True
            if liking and (fold in _PRAISE or self._request_at(u, b) or self._the_better(u, b)):
                return True  # praise, a request ("give me real history instead"), "the scarier the better"
            if liking and _match_at(folds, u, b, _WHAT_IM_AFTER) and not any(f in _ANSWER_NO for f in folds[a:u]):
                return True  # "creepy slow-burn dread is exactly what I'm after" (not "not really what I'm after")
            if fold in _DISMISSIVE or fold in _COMPARATIVES or fold in _RATHER or fold in _PREFER:
                return True
            if fold == "than" and any(v in self._genre_units for v in range(u + 1, b)):  # not "more than enough"
                return True
            post, after = _match_soft(folds, u, b, _POST_NEGATIONS)
            if post and tuple(f for f in folds[u:after] if f not in _SOFTENERS) not in _REACTIONS:
                return True  # a reaction that placed nothing ("I nod off halfway through any western") is left to the attitude model
            pre = _match_at(folds, u, b, _PRE_NEGATIONS)
            if pre and _PRE_NEGATIONS[tuple(folds[u : u + pre])] is None:
                return True
        return False

    def _own_wish(self, a: int, b: int) -> bool:
        """Is the clause ``a:b`` the writer asking for something in their own words: "I want …", "give me …", "… is what I
        like"? (A liking word alone is not enough: "anything with singing, like musicals"; nor one beside a negation.)"""
        folds = self.fold
        own = any(folds[v] in _SUBJECTS or folds[v] in ("me", "my") for v in range(a, b))
        wish = any(self._liking_at(u) or folds[u] in _PRAISE or self._request_at(u, b) for u in range(a, b))
        return own and wish and not self.has_cue(a, b, liking=False)

    def _point_back(self, bounds: list[tuple[int, int]], s: int, cue: int, end: int, negated: list[bool], fragment: bool) -> None:
        """Rule out what a cue with nothing after it is about: its clause's subject, a pronoun's antecedent, or the question
        it answers — or, when its clause asks what ("what bores me to tears? poetry"), the answer after it."""
        if self._names_it_after(bounds, s):
            led = sum(negated)
            self._lead_after(bounds, s, negated)
            if sum(negated) > led:
                self.spent.update(range(*bounds[s]))  # "what bores me to tears?" says how, not what: no interest
            return
        a, b = bounds[s]
        before = range(a, cue)
        if any(self._is_content(v) and self.fold[v] not in ("the", "age") for v in before):
            # "Horror isn't really my thing", "Horror I can't stand" (the object put first): what comes before the cue,
            # unless the writer likes it ("I love comedies that ...") or is its subject ("I think horror isn't ...").
            last = max(v for v in before if self._is_content(v))
            if not any(
                self.fold[v] in _LIKING or (self.fold[v] in _SUBJECTS and v < last) or self.fold[v] in ("that", "which", "who")
                for v in before
            ):
                for v in before:
                    if self._is_content(v):
                        negated[v] = True
            return
        if any(self._is_content(v) and self.fold[v] not in ("the", "age") for v in range(end, b)):
            return
        # "Animated films were my thing once, not anymore": a taste that ended points back like a pronoun.
        pointer = any(self._pointer_at(v) or _match_at(self.fold, v, b, _NO_LONGER) for v in range(a, b))
        # "... but not really what I'm after": said of what came before, like a pronoun.
        pointer = pointer or any(_match_at(self.fold, v, b, _WHAT_IM_AFTER) for v in range(cue, b))
        # "Horror I can't stand", "Romance I refuse to watch": the object put first, before the writer's own clause.
        fronted = s > 0 and self.fold[a] in _SUBJECTS and not self.hard_before[self.segment[a]]
        if not (pointer or fragment or fronted):
            return
        if fragment and self._answers_sentence(bounds, s, negated):
            return
        conditions: list[int] = []
        for t in range(s - 1, max(-1, s - 4), -1):
            ta, tb = bounds[t]
            content = [v for v in range(ta, tb) if self._is_content(v)]
            if _match_at(self.fold, ta, tb, _CONDITIONS) and not self.hard_before[self.segment[bounds[t + 1][0]]]:
                # "Musicals: if anyone starts singing, I switch off": the condition says when — and what, if it names it.
                for v in content:
                    negated[v] = True
                conditions.extend(range(ta, tb))
                continue
            if not content:
                if tb - ta <= 2:
                    continue  # "Romance? Ugh, no.": skip the interjection
                break
            if (
                not pointer
                and not self._for_others(ta, tb)
                and not all(self._is_content(v) or self.fold[v] in self.filler or self.fold[v] in _COPULAS for v in range(ta, tb))
            ):
                break  # a fragment answers a bare question ("Horror?"), not a whole clause
            for v in content:
                negated[v] = True
            # The cue's clause and the conditions it reached past said only how the genre is disliked: the text model
            # does not read them ("I walk out" is no interest).
            if not any(self._is_content(v) for v in range(a, b)):
                self.spent.update(range(a, b), conditions)
            return
        if conditions and any(negated[v] for v in conditions) and not any(self._is_content(v) for v in range(a, b)):
            self.spent.update(range(a, b), conditions)

    def _answer(self, a: int, b: int, cue: int, end: int) -> bool:
        """Is the clause ``a:b`` only its cue and words of a short answer ("Ugh, no", "Absolutely not")?"""
        return all(self.fold[v] in _ANSWER_WORDS for v in (*range(a, cue), *range(end, b)))

    def _is_content(self, u: int) -> bool:
        """Is unit ``u`` something a negation can rule out: a genre, a title or an era word?"""
        fold = self.fold[u]
        return u in self._genre_units or self.title[u] >= 0 or fold in _ERA_WORDS or fold[:1].isdigit()

    def _post_scope(self, a: int, u: int) -> range:
        """The units a trailing cue at ``u`` rules out: the list of things just before it.

        "Horror and gore bore me" rules out both; "I love comedies and horror bores me"
        only horror, because a list after a liking verb keeps all but its last item.
        """
        v = u - 1
        while v >= a and (self._is_content(v) or self.fold[v] in self.filler or self.fold[v] in _COPULAS):
            v -= 1
        start = v + 1
        if v >= a and self.fold[v] in _LIKING:
            joins = [k for k in range(start, u) if self.fold[k] in ("and", "or")]
            start = joins[-1] + 1 if joins else start
        return range(start, u)

    def _continue_list(self, bounds: list[tuple[int, int]], s: int, empty: bool, negated: list[bool]) -> None:
        """Carry a negation over commas through a genre list ending in "or"/"and" (or after "I hate:")."""
        chain: list[int] = []
        t = s + 1
        if empty and t < len(bounds) and not self.hard_before[self.segment[bounds[t][0]]] and not self._own_wish(*bounds[t]):
            # "I hate: horror, westerns" carries on; "no, I want something funny" is a wish of its own after a bare "no".
            chain.append(t)
            t += 1
        while t < len(bounds) and not self.hard_before[self.segment[bounds[t][0]]]:
            a, b = bounds[t]
            units = range(a, b)
            if not any(u in self._genre_units for u in units):
                break
            last = max(u for u in units if u in self._genre_units)
            # "nothing with horror, westerns or war in it": a list's last item may end with a word or two about it.
            if not all(u in self._genre_units or self.fold[u] in self.filler or (u > last and self.fold[u] in _LIST_TAIL) for u in units):
                break
            chain.append(t)
            t += 1
        if not chain:
            return
        last_a, last_b = bounds[chain[-1]]
        listed = any(self.fold[u] in ("or", "nor", "and") for u in range(last_a, last_b))
        if listed or empty:
            for c in chain:
                for u in range(*bounds[c]):
                    negated[u] = True


#: Words that may end the last item of a list of genres ("… or war in it, please").
_LIST_TAIL = frozenset({"in", "it", "them", "please", "pls", "thanks", "thank", "you", "either"})


def _match_soft(folds: list[str], u: int, end: int, phrases: frozenset) -> tuple[int, int]:
    """Like :func:`_match_at`, skipping adverbs inside the phrase: (phrase length, unit after it), or (0, u)."""
    if folds[u] in _SOFTENERS:
        return 0, u
    kept = [u]
    v = u + 1
    while v < end and len(kept) < 4:
        if folds[v] not in _SOFTENERS:
            kept.append(v)
        v += 1
    for length in range(len(kept), 0, -1):
        if tuple(folds[k] for k in kept[:length]) in phrases:
            return length, kept[length - 1] + 1
    return 0, u
