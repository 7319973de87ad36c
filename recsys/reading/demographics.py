"""What writers say about themselves: their age, and the places they put themselves in."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from recsys.reading.clauses import _unit_at, _unit_text, _Units
from recsys.reading.lexicon import _DECADE_WORDS, _GENDER_WORDS, _JOB_WORDS, _LIKED_PAST, _OFFSPRING, _PAST, _POSSESSIVES, _RELATIVES

_TEEN_AGE = 16

#: Words that say how often or how much, never what: "As a student I *mostly* watch sci-fi".
_HOW_OFTEN = frozenset({"mostly", "mainly", "usually", "generally", "normally", "often", "sometimes", "always", "typically", "largely"})
#: Words of a stated age ("a 70-year-old", "aged 45", "in my sixties").
_AGE_WORDS = frozenset({"year", "years", "yr", "yrs", "old", "yo", "aged", "age", "teen", "teenager", "twenties", "thirties",
                        "forties", "fifties", "sixties", "seventies", "eighties", "nineties"})  # fmt: skip


def self_description_words(text: str, demographics: Mapping[str, Any]) -> frozenset[str]:
    """The words of ``text`` that describe the writer rather than a taste, lower-cased: the words of the age and gender
    the reader took from it (``demographics``: :attr:`Reading.demographics`), any job noun, and words of how often.

    "A 70-year-old retired nurse who mostly watches musicals" → 70-year-old, retired, nurse, mostly: the model reads
    them (they move the profile vector), but a list of the interests the text expresses should not show them.

    An age word counts only in the phrase that states the age ("71 years old", "in my sixties"), so the "old" of "old
    musicals" and the "sixties" of "sixties musicals" stay interests. A job noun counts wherever it is, read as an
    occupation or not ("Computer programmer and dad of two" states none the reader takes), and so does a word that ends
    in one ("schoolteacher"); a plural is a subject, not the writer ("films about teachers").

    Example:
        >>> sorted(self_description_words("A 70-year-old retired nurse who mostly watches musicals", {"age": 70, "occupation": "retired"}))
        ['70', '70-year-old', 'mostly', 'nurse', 'old', 'retired', 'year']
        >>> sorted(self_description_words("Retired schoolteacher, 71, fond of old musicals", {"age": 71}))
        ['71', 'retired', 'schoolteacher']
        >>> sorted(self_description_words("Computer programmer and dad of two", {}))
        ['computer', 'programmer']
    """
    tokens = re.findall(r"[\w'-]+", text.lower())
    parts = {p for t in tokens for p in (t, *t.split("-"))}
    out = {p for p in parts if p in _HOW_OFTEN}
    if "age" in demographics:
        for i, token in enumerate(tokens):
            if any(c.isdigit() for c in token):
                out |= {token} | {p for p in token.split("-") if p.isdigit() or p in _AGE_WORDS}
                out |= set(_leading(tokens[i + 1 : i + 3], _AGE_WORDS)) | (
                    {tokens[i - 1]} if i and tokens[i - 1] in ("aged", "age") else set()
                )
            elif (token in _DECADE_WORDS and "my" in tokens[max(0, i - 2) : i]) or token in ("teen", "teenager"):
                out.add(token)
    is_job = [_job_noun(t) for t in tokens]
    out |= {p for p in parts if _job_noun(p)}
    # and the word that names the kind of job ("computer" of "computer programmer", "software" of "software engineer")
    out |= {tokens[i - 1] for i in range(1, len(tokens)) if is_job[i] and tokens[i - 1].isalpha() and tokens[i - 1] not in _NOT_A_KIND}
    if "occupation" in demographics:  # and every word of a job phrase the reader took ("stay at home mom")
        out |= {w for phrase in _JOB_WORDS for w in phrase if w in parts}
    if "gender" in demographics:
        out |= {w for w in _GENDER_WORDS if w in parts}
    return frozenset(out)


#: Words before a job noun that do not say which job ("a teacher", "my dad, a nurse"): left to the other rules.
_NOT_A_KIND = frozenset({"a", "an", "the", "as", "am", "im", "i'm", "my", "and", "or", "of", "was", "is", "be", "retired", "former", "ex"})

#: Job-list words that name an activity or a field, not the person ("a character study", "marketing"): not the writer.
_JOB_ACTIVITIES = frozenset({"study", "teach", "marketing", "admin"})


#: One-word job nouns ("programmer", "nurse"; not the "at" of "stay at home mom", nor the activities above).
_JOB_NOUNS = frozenset(phrase[0] for phrase in _JOB_WORDS if len(phrase) == 1 and phrase[0] not in _JOB_ACTIVITIES)


def _job_noun(word: str) -> bool:
    """A job noun, or a word ending in a long one ("schoolteacher", "songwriter")."""
    return word in _JOB_NOUNS or any(len(word) > len(j) + 2 and word.endswith(j) for j in _JOB_NOUNS if len(j) > 5)


def _leading(words: list[str], allowed: frozenset[str]) -> list[str]:
    """The first words of ``words`` while each is in ``allowed``."""
    out = []
    for word in words:
        if word not in allowed:
            break
        out.append(word)
    return out


_AGE_PATTERNS = (
    ("stated", re.compile(r"\b(?:im|i\s+am|iam)\s+(?:now\s+|just\s+|almost\s+|nearly\s+|turning\s+|about\s+|only\s+)?(\d{1,3})\b"
                          r"(?!\s+(?:films?|movies?|kids|children|times|minutes|hours|percent|km|miles|cm|kg|lbs?|feet|foot|ft)\b)")),
    ("aged", re.compile(r"\b(?:aged?)\s+(\d{1,3})\b")),
    ("years_old", re.compile(r"\b(\d{1,3})\s+(?:-\s+)?(?:years?|yrs?|yr)\s+(?:-\s+)?old\b|\b(\d{1,3})\s+(?:yo|y\s+(?:-\s+)?o)\b")),
    ("decade", re.compile(r"\b(?:in\s+)?(?:my)\s+(?:(early|mid|late)\s+)?(?:(twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)|([2-9])0s)\b")),
    ("teen", re.compile(r"\b(?:teenager|teen|adolescent|high\s+schooler)\b")),
)  # fmt: skip


def _stated_age(units: _Units, negated: list[bool]) -> int | None:
    """The writer's own age, if stated; ages of others ("my 8-year-old son") are skipped."""
    text, offsets = _unit_text(units)
    found: list[tuple[int, int]] = []
    for kind, pattern in _AGE_PATTERNS:
        for m in pattern.finditer(text):
            u = _unit_at(offsets, m.start())
            if negated[u] or units.title[u] >= 0:
                continue
            if kind == "stated":
                number = units.word[_unit_at(offsets, m.start(1))]
                if units.doc.text[units.doc.end[number] : units.doc.end[number] + 1] in ("%", "/"):
                    continue  # "I'm 100% sure", "I'm 9/10 happy"
                age = int(m.group(1))
            elif kind == "aged":
                if any(units.fold[v] in _RELATIVES or units.fold[v] in _POSSESSIVES - {"the"} for v in range(max(0, u - 4), u)
                       if units.same_segment(v, u)):  # fmt: skip
                    continue
                age = int(m.group(1))
            elif kind == "years_old":
                age = int(m.group(1) or m.group(2))
                last = _unit_at(offsets, m.end() - 1)
                if not units.is_self(u) or units.relative_after(last, _OFFSPRING):
                    continue
            elif kind == "decade":
                word, digit = m.group(2), m.group(3)
                decade = _DECADE_WORDS[word] if word else int(digit)
                age = 10 * decade + {"early": 2, "mid": 5, "late": 8}.get(m.group(1) or "", 5)
            else:
                if not units.is_self(u) or _looking_back(units, u):
                    continue
                age = _TEEN_AGE
            if 3 <= age <= 110:
                found.append((m.start(), age))
    found.extend(_listed_age(units, negated, offsets))
    return min(found)[1] if found else None


def _looking_back(units: _Units, u: int) -> bool:
    """Is the writer looking back at a time they were this ("as a teen I loved horror", "when I was a teenager")?"""
    folds = units.fold
    near = [v for v in range(max(0, u - 3), min(len(folds), u + 7)) if units.same_segment(v, u) or v > u]
    return any(folds[v] in ("was", "were") for v in near if v < u) or (
        folds[max(0, u - 2) : u] in (["as", "a"], ["as", "an"]) and any(folds[v] in _PAST | _LIKED_PAST for v in near if v > u)
    )


def _listed_age(units: _Units, negated: list[bool], offsets: list[int]) -> list[tuple[int, int]]:
    """A bare number set off by commas next to a self-description: "35, man, programmer"."""
    out = []
    bounds = units.segment_bounds()
    for s, (a, b) in enumerate(bounds):
        if b - a != 1 or not units.fold[a].isdigit() or negated[a] or not 10 <= int(units.fold[a]) <= 110:
            continue
        near = [t for t in (s - 1, s + 1) if 0 <= t < len(bounds) and not units.hard_before[units.segment[bounds[max(s, t)][0]]]]
        for t in near:
            lo, hi = bounds[t]
            if any(units.fold[u] in _GENDER_WORDS or (units.fold[u],) in _JOB_WORDS for u in range(lo, hi)) and hi - lo <= 3:
                out.append((offsets[a], int(units.fold[a])))
                break
    return out


def _PLACE_CUE(before: list[str]) -> bool:
    """Do the words just before a place put the writer there: "live in", "I'm from", "based in", "moved to"…"""
    last, previous = (before[-1] if before else ""), (before[-2] if len(before) > 1 else "")
    if last == "from":
        return previous in ("i'm", "im", "am", "come", "comes", "hail", "originally", "i")
    if last == "in":
        return previous in ("live", "living", "lives", "based", "i'm", "im", "am", "reside", "stay", "settled")
    return last == "to" and previous in ("moved", "relocated")
