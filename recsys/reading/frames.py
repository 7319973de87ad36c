"""Sentences whose frame turns their words around: sarcasm, a question the writer answers, a liking put in the past.

The rules of :class:`recsys.reading.negation._Negation` read cues clause by clause. These read a frame around the
clauses, after those rules and before the attitude model: "Oh great, another musical" is no wish (sarcasm), "Do I like
horror? No." rules horror out and "Fantasy? Always." wants it (the answer decides), and "I went through a western phase
years ago" wants nothing now (a past liking). A clause one of them places is not given to the attitude model. A
sentence that is one cue ("Hard pass.") rules out what the sentence before it describes (asked by the negation rules).
"""

from __future__ import annotations

from recsys.reading.denials import _match_at
from recsys.reading.lexicon import (
    _ANSWER_ECHO,
    _ANSWER_NO,
    _ANSWER_UNSURE,
    _ANSWER_VOCABULARY,
    _ANSWER_YES,
    _PAST_FRAMES,
    _PAST_VERBS,
    _QUESTION_TURNED,
    _REQUESTS,
    _SARCASM,
    _SARCASM_ECHOES,
    _SARCASM_OPENERS,
    _SINCERE,
    _STILL,
    _SUBJECTS,
    _USED_TO_NOT_PAST,
)
from recsys.reading.text import _Doc

#: A question's answer is read only when it is this short ("honestly yes, all the time" is one clause of two words).
MAX_ANSWER_WORDS = 6
#: Marks a writer puts on irony: eye-rolls and an unamused face ("/s" at the end of a sentence is read too).
_IRONY_MARKS = ("🙄", "😒", "🙃", "/sarcasm")
#: Words of a question that point back to the genre of the question before ("Do I want one anyway? Yes").
_QUESTION_POINTERS = frozenset({"it", "them", "one", "ones", "some", "any", "that", "those", "these"})


class _Frames:
    """Mixed into :class:`recsys.reading.negation._Negation`; reads the same unit attributes."""

    doc: _Doc
    fold: list[str]
    segment: list[int]
    hard_before: list[bool]
    contrast_before: list[bool]
    word: list[int]
    last_word: list[int]
    genre_hits: list
    neutral: set[int]
    placed_by_rules: set[int]
    sarcastic: set[int]

    def frames(self, bounds: list[tuple[int, int]], negated: list[bool]) -> None:
        """Apply the three frames to ``negated`` (and ``neutral``), in this order: a later one wins."""
        sentences = self._sentences(bounds)  # read once: every frame works sentence by sentence
        self._past_likings(bounds, sentences, negated)
        self._sarcasm(bounds, sentences, negated)
        self._answered_questions(bounds, sentences, negated)

    # --- where clauses and sentences end -------------------------------------------------------------------------
    def _gap_after(self, b: int) -> str:
        """The text between the clause ending before unit ``b`` and the next word."""
        end = self.doc.end[self.last_word[b - 1]]
        nxt = self.word[b] if b < len(self.word) else None
        return self.doc.text[end : self.doc.start[nxt] if nxt is not None else len(self.doc.text)]

    def _asks(self, b: int) -> bool:
        return "?" in self._gap_after(b)

    def _sentences(self, bounds: list[tuple[int, int]]) -> list[list[int]]:
        """The clauses of each sentence, as the punctuation typed ends them ("?" before a lower-case word included)."""
        if not bounds:
            return []
        sentences: list[list[int]] = [[]]
        for s, (_, b) in enumerate(bounds):
            sentences[-1].append(s)
            if any(mark in self._gap_after(b) for mark in ".!?…;") and s + 1 < len(bounds):
                sentences.append([])
        return sentences

    def _genres_in(self, bounds: list[tuple[int, int]], clauses: list[int]) -> list[int]:
        return [
            v for s in clauses for h in self.genre_hits if not h.rule_out and bounds[s][0] <= h.first < bounds[s][1]
            for v in range(h.first, h.last + 1)
        ]  # fmt: skip

    def _says_any(self, bounds: list[tuple[int, int]], clauses: list[int], phrases) -> bool:
        """Does one of ``phrases`` stand anywhere in the run of ``clauses`` (across their commas)?"""
        a, b = bounds[clauses[0]][0], bounds[clauses[-1]][1]
        return any(_match_at(self.fold, u, b, phrases) for u in range(a, b))

    def _set(self, units: list[int], bounds: list[tuple[int, int]], clauses: list[int], negated: list[bool], ruled_out: bool) -> None:
        """Place ``units`` as ruled out or wanted, and their clauses as read by the rules."""
        for v in units:
            negated[v] = ruled_out
            self.neutral.discard(v)
        self.placed_by_rules.update(bounds[s][0] for s in clauses)

    # --- the three frames ----------------------------------------------------------------------------------------
    def _sarcasm(self, bounds: list[tuple[int, int]], sentences: list[list[int]], negated: list[bool]) -> None:
        """Rule out the genres of a sarcastic sentence, or of the sentence beside it when it names none."""
        opens = [self._says_any(bounds, sentence, _SARCASM_OPENERS) for sentence in sentences]
        echoes = [self._says_any(bounds, sentence, _SARCASM_ECHOES) for sentence in sentences]
        paired = [
            (opens[i] and (echoes[i] or (i + 1 < len(sentences) and echoes[i + 1]))) or (echoes[i] and i > 0 and opens[i - 1])
            for i in range(len(sentences))
        ]
        marked = [
            (self._says_any(bounds, sentence, _SARCASM) or self._marked_ironic(bounds, sentence) or paired[i])
            and not any(self._says_any(bounds, sentences[j], _SINCERE) for j in (i - 1, i, i + 1) if 0 <= j < len(sentences))
            for i, sentence in enumerate(sentences)
        ]  # fmt: skip
        self.sarcastic = {s for sentence, sarcastic in zip(sentences, marked) if sarcastic for s in sentence}
        for i in range(len(sentences)):
            if not marked[i]:
                continue
            for j in (i, i - 1, i + 1):
                if not 0 <= j < len(sentences):
                    continue
                if j != i and marked[j]:
                    break  # "Oh joy, poetry. Said no one ever.": the sentence before is sarcastic itself
                units = self._genres_in(bounds, sentences[j])
                if units and (j == i or not self._placed_as_wish(bounds, sentences[j], negated)):
                    self._set(units, bounds, sentences[j], negated, ruled_out=True)
                    break

    def _marked_ironic(self, bounds: list[tuple[int, int]], sentence: list[int]) -> bool:
        """Is the sentence marked as irony by the writer: an eye-roll, or "/s" at its end?"""
        start = self.doc.start[self.word[bounds[sentence[0]][0]]]
        b = bounds[sentence[-1]][1]
        end = self.doc.start[self.word[b]] if b < len(self.word) else len(self.doc.text)
        text = self.doc.text[start:end]
        return any(mark in text for mark in _IRONY_MARKS) or text.rstrip(" .!?").endswith("/s")

    def _placed_as_wish(self, bounds: list[tuple[int, int]], clauses: list[int], negated: list[bool]) -> bool:
        """Does a neighbouring sentence say what it wants in words of its own ("I'll take an action movie thanks")?"""
        return any(
            self._liking_at(u) or self._request_at(u, bounds[s][1]) or negated[u]
            for s in clauses for u in range(*bounds[s])
        )  # fmt: skip

    def _answered_questions(self, bounds: list[tuple[int, int]], sentences: list[list[int]], negated: list[bool]) -> None:
        """A question about a genre and the writer's own short answer: "Do I like horror? No.", "X or Y? Y".

        A question asked the other way round ("Is it wrong that I love musicals? No!", "Am I too old for cartoons?")
        is left to the other rules, and a question pointing back ("Do I want one anyway?") borrows the genre only of
        the question answered just before it."""
        asked: list[int] = []
        answered_at = -2  # the answer clause of the last question read
        for s, (a, b) in enumerate(bounds):
            if not self._asks(b) or s + 1 >= len(bounds) or s + 1 in self.sarcastic:
                continue  # "Romance novels? Oh sure, because …": no answer
            question = next(sentence for sentence in sentences if s in sentence)
            if self._says_any(bounds, question[: question.index(s) + 1], _QUESTION_TURNED):
                continue
            pointing = s == answered_at + 1 and any(self.fold[u] in _QUESTION_POINTERS for u in range(a, b))
            units = self._genres_in(bounds, [s]) or (asked if pointing else [])
            if not units:
                continue
            # "Am I a poetry person? Turns out I am": the answer runs to the end of its sentence.
            na = bounds[s + 1][0]
            nb = bounds[max(next((sentence for sentence in sentences if s + 1 in sentence), [s + 1]))][1]
            if any(na <= h.first < nb and not h.rule_out for h in self.genre_hits):
                # "Poetry vs travel writing? Poetry, easily": the genre named in the answer wins, the others lose.
                chosen = {label for h in self.genre_hits if na <= h.first < nb for label in h.labels}
                hits = [h for h in self.genre_hits if a <= h.first < b and not h.rule_out]
                if len({label for h in hits for label in h.labels}) >= 2 and nb - na <= MAX_ANSWER_WORDS and not self.has_cue(na, nb):
                    for h in hits:
                        if not chosen & set(h.labels):
                            self._set(list(range(h.first, h.last + 1)), bounds, [s], negated, ruled_out=True)
                continue
            way = self._answer_way(na, nb)
            if way is not None:
                self._set(units, bounds, [s, s + 1], negated, ruled_out=way == "no")
                asked, answered_at = units, s + 1

    def _answer_way(self, a: int, b: int) -> str | None:
        """ "no", "yes" or None: a short answer made of answer words ("Nope.", "Absolutely not", "Always", "Turns out I
        am", "love them", "I'd rather chew the pages"), not one that goes on about something ("Not too gory please")."""
        folds = self.fold[a:b]
        if len(folds) > MAX_ANSWER_WORDS or any(_match_at(self.fold, u, b, _ANSWER_UNSURE) for u in range(a, b)):
            return None
        said_no = any(f in _ANSWER_NO for f in folds)
        if folds[:2] == ["why", "not"] or any(folds[n : n + 2] == ["not", "bad"] for n in range(len(folds))):
            return "yes"  # "Why not?", "Not bad at all"
        if "rather" in folds and "than" not in folds:
            return "no"  # "Cookbooks? I'd rather chew the pages"
        if not said_no and any(self._liking_at(u) for u in range(a, b)):
            return "yes"  # "Love them"
        if not all(f in _ANSWER_VOCABULARY or f in _ANSWER_NO or f in _ANSWER_YES or f in _ANSWER_ECHO for f in folds):
            return None
        if said_no:
            return "no"
        if any(f in _ANSWER_YES for f in folds) or any(
            f in _SUBJECTS and n + 1 < len(folds) and folds[n + 1] in _ANSWER_ECHO for n, f in enumerate(folds)
        ):
            return "yes"
        return None

    def _past_likings(self, bounds: list[tuple[int, int]], sentences: list[list[int]], negated: list[bool]) -> None:
        """A genre liked in the past and nothing said of now ("I used to devour fantasy", "As a teen I loved horror",
        "I went through a western phase") is neither wanted nor ruled out.

        The frame covers the clause its phrase is in (and the next one, when that clause names no genre: "As a teen |
        I loved horror"), and only when a verb there is in the past. A liking said in the present anywhere in the
        sentence ("I love classic westerns, the ones made 50 years ago"), or words that say it lasts ("… and I still
        do", "never looked back"), or a request keep it a wish; a dislike is left to the rules."""
        folds = self.fold
        for sentence in sentences:
            for k, s in enumerate(sentence):
                framed = any(
                    _match_at(folds, u, bounds[s][1], _PAST_FRAMES) and not (folds[u] == "used" and u > 0 and folds[u - 1] in _USED_TO_NOT_PAST)
                    for u in range(*bounds[s])
                )  # fmt: skip
                if not framed:
                    continue
                scope = [s]
                if (
                    not self._genres_in(bounds, [s])
                    and k + 1 < len(sentence)
                    and not self.contrast_before[self.segment[bounds[sentence[k + 1]][0]]]
                ):
                    scope.append(sentence[k + 1])
                units = [v for v in self._genres_in(bounds, scope) if not negated[v]]
                past = any(folds[u] in _PAST_VERBS for t in scope for u in range(*bounds[t]))
                if not units or not past:
                    continue
                # What else the sentence says of it: its own clauses, and later ones naming no genre of their own that
                # do not lead into one ("… and I still do", not "but now | I watch documentaries").
                later = sentence[k + len(scope) :]
                about = scope + [
                    t for n, t in enumerate(later)
                    if not self._genres_in(bounds, [t])
                    and not (n + 1 < len(later) and bounds[t][1] - bounds[t][0] <= 2 and self._genres_in(bounds, [later[n + 1]]))
                ]  # fmt: skip
                present = any(
                    self._liking_at(u) and not (u >= 2 and folds[u - 2 : u] == ["used", "to"]) for t in about for u in range(*bounds[t])
                )
                if present or any(self._says_any(bounds, [t], _STILL) or self._says_any(bounds, [t], _REQUESTS) for t in about):
                    continue
                self.neutral.update(units)
                self.placed_by_rules.update(bounds[t][0] for t in scope)

    def _answers_sentence(self, bounds: list[tuple[int, int]], s: int, negated: list[bool]) -> bool:
        """Rule out what the sentence before a one-cue sentence describes, when it says nothing of liking ("Business
        books, the thrilling world of synergy and quarterly targets. Hard pass."). Returns whether it did."""
        a = bounds[s][0]
        if s == 0 or not self.hard_before[self.segment[a]] or self._asks(bounds[s - 1][1]):
            return False  # after a question the answer rules read it ("Any horror? Not too gory please.")
        first = s - 1
        while first > 0 and not self.hard_before[self.segment[bounds[first][0]]]:
            first -= 1
        content = [v for v in range(bounds[first][0], bounds[s - 1][1]) if self._is_content(v)]
        if not content or any(negated[v] for v in content) or any(self.has_cue(*bounds[t]) for t in range(first, s)):
            return False
        for v in content:
            negated[v] = True
        return True
