"""Era phrases: decades, ranges, named periods and taste words ("classic", "recent") as windows of years."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence

import pandas as pd

from recsys import columns as C
from recsys.reading.clauses import _unit_at, _unit_text, _Units
from recsys.reading.lexicon import _BORN, _CONSUMED, _DECADE_WORDS, _HEDGES, _LIVED
from recsys.reading.titles import _FIRST_FILM_YEAR, _YEAR_IN_TITLE

#: Era windows (see :meth:`ProfileReader.read`): last year of black and white, silent, "classic" films.
BLACK_AND_WHITE_END = 1960
SILENT_END = 1929
CLASSIC_END = 1969
#: "Recent" means the catalogue's last this-many years.
RECENT_YEARS = 3


def _year_range(items: pd.DataFrame, year_range: tuple[int, int] | None) -> tuple[int, int]:
    if year_range is not None:
        first, last = int(year_range[0]), int(year_range[1])
        if first > last:
            raise ValueError(f"year_range must be (first, last) with first ≤ last, got {year_range}")
        return first, last
    years = pd.to_numeric(items[C.YEAR], errors="coerce").dropna() if C.YEAR in items else pd.Series(dtype=float)
    if C.TITLE in items:
        # A year written in a title counts too, for catalogues whose year column has gaps.
        in_titles = items[C.TITLE].astype(str).str.extract(_YEAR_IN_TITLE, expand=False).dropna().astype(float)
        years = pd.concat([years, in_titles])
    if years.empty:
        # No years at all: "recent" then means the last few calendar years.
        return 1900, datetime.date.today().year
    return int(years.min()), int(years.max())


_YEAR = r"(1[89]\d\d|20\d\d)"
_DECADE = (r"(?:(early|mid|late)\s+)?(?:(?:(1[89]|20)(\d)0s)|(?:(\d)0s)|(twenties|thirties|forties|fifties|sixties|"
           r"seventies|eighties|nineties))")  # fmt: skip
_POINT = rf"(?:the\s+)?(?:{_DECADE}|{_YEAR})"
#: Named periods and their years (None: the catalogue's first or last year); read before decades and "classic".
_PERIODS: tuple[tuple[str, int | None, int | None], ...] = (
    (r"pre\s+war", None, 1939),
    (r"post\s+war", 1946, 1960),
    (r"inter\s*war(?:\s+(?:years|period|era))?", 1919, 1939),
    (r"(?:during|in)\s+(?:the\s+)?(?:world\s+war\s+(?:ii|2|two)|wwii|ww2|second\s+world\s+war)", 1939, 1945),
    (r"(?:during|in)\s+(?:the\s+)?(?:world\s+war\s+(?:i|1|one)|wwi|ww1|first\s+world\s+war|great\s+war)", 1914, 1918),
    (r"(?:the\s+)?cold\s+war(?:\s+(?:era|years|period))?", 1947, 1991),
    (r"(?:the\s+)?reagan\s+(?:years|era)", 1981, 1989),
    (r"(?:the\s+)?thatcher\s+(?:years|era)", 1979, 1990),
    (r"(?:the\s+)?turn\s+of\s+the\s+millennium", 1997, 2003),
    (r"(?:the\s+)?noughties|(?:the\s+)?two\s+thousands", 2000, 2009),
    (r"this\s+century|(?:the\s+)?(?:21st|twenty\s+first)\s+century", 2000, None),
    (r"(?:the\s+)?first\s+half\s+of\s+the\s+(?:20th|twentieth)\s+century", 1900, 1950),
    (r"(?:the\s+)?second\s+half\s+of\s+the\s+(?:20th|twentieth)\s+century", 1950, 1999),
    (r"golden\s+age(?:\s+of)?\s+hollywood|hollywood\s+golden\s+age|golden\s+age\s+hollywood", 1930, 1960),
)
_PERIOD = re.compile(
    "|".join(rf"(?P<p{n}>\b(?:{pattern})\b)" for n, (pattern, _, _) in enumerate(_PERIODS)).replace(r"\s+", r"\s+(?:-\s+)?")
)
_ERA_PATTERNS: tuple[tuple[str, re.Pattern], ...] = ((("period", _PERIOD),) + tuple(
    # A hyphen between words ("black-and-white", "pre-1960") reads as a space.
    (kind, re.compile(pattern.replace(r"\s+", r"\s+(?:-\s+)?")))
    for kind, pattern in (
        ("range", rf"\b(?:from|between)\s+{_POINT}\s+(?:to|and|until|till|through|thru|up\s+to|-)\s+{_POINT}\b"),
        ("range", rf"\b{_POINT}\s+(?:to|until|till|through|thru|-)\s+{_POINT}\b"),
        ("before", rf"\b(?:before|pre|earlier\s+than|older\s+than|prior\s+to)\s+{_POINT}\b"),
        ("until", rf"\b(?:up\s+to|until|till|through)\s+{_POINT}\b"),
        ("after", rf"\b(?:after|post|later\s+than|newer\s+than)\s+{_POINT}\b"),
        ("since", rf"\b(?:since|from)\s+{_POINT}\s+(?:on|onwards|onward|forward|and\s+later|or\s+later|and\s+after|or\s+newer)\b"),
        ("since", rf"\bsince\s+{_POINT}\b"),
        ("since", rf"\b{_POINT}\s+(?:onwards|onward|or\s+later|and\s+later|or\s+newer|and\s+newer|and\s+up)\b"),
        ("year", rf"\b(?:films?|movies?|made|released|shot|filmed|stuff|ones)\s+(?:from|in|of)\s+{_YEAR}\b"),
        ("decade", rf"\b(?:the\s+|nineteen\s+)?{_DECADE}\b"),
        ("bw", r"\b(?:black\s+and\s+white|b\s+and\s+w|monochrome)\b"),
        ("silent", r"\b(?:silent\s+(?:films?|movies?|era|pictures?|cinema|ones|classics?|comed(?:y|ies)|stuff)|silents)\b"),
        ("classic", r"\b(?:classics?(?:\s+(?:films?|movies?|ones|pictures?|cinema))?|classical\s+hollywood|old(?:er)?\s+(?:films?|movies?|ones|pictures?|stuff|classics?|hollywood|school)|oldies|golden\s+(?:age|oldies|era)|vintage|old\s+fashioned)\b"),
        ("recent", r"\b(?:(?:latest|recent|newest)(?:\s+(?:releases?|films?|movies?|ones|stuff|pictures?))?|new\s+(?:releases?|films?|movies?|ones|stuff)|brand\s+new|just\s+released|this\s+year)\b"),
    )
))  # fmt: skip


#: How a negated era inverts: "before" windows become "after" ones and vice versa; closed ones cannot.
_ERA_SHAPES = {"period": "closed", "range": "closed", "decade": "closed", "lived": "closed", "year": "closed", "since": "after", "after": "after",
               "recent": "after", "until": "before", "before": "before", "bw": "before", "silent": "before",
               "classic": "before"}  # fmt: skip
#: Windows that describe a kind of film more than a period; a precise period narrows them.
_VAGUE_ERAS = frozenset({"bw", "silent", "classic", "recent"})
#: Taste words rather than periods: a window set only by these is a leaning (``EraWindow.firm`` False).
_TASTE_ERAS = frozenset({"classic", "recent", "lived"})


def _hull(windows: Sequence[tuple[int, int, int, int]]) -> tuple[int, int]:
    return min(w[0] for w in windows), max(w[1] for w in windows)


def _decade_start(groups: Sequence[str | None], last_year: int) -> tuple[int, str | None]:
    """The first year of a decade from regex groups (modifier, century, digit, short digit, word)."""
    modifier, century, digit, short, word = groups
    if word:
        return 1900 + 10 * _DECADE_WORDS[word], modifier
    if century:
        return int(century) * 100 + 10 * int(digit), modifier
    d = int(short)
    # "the 20s": the 2020s only if the catalogue reaches them, otherwise the 1920s.
    return (2000 + 10 * d if 2000 + 10 * d <= last_year else 1900 + 10 * d), modifier


def _point(groups: Sequence[str | None], last_year: int) -> tuple[int, int]:
    """A decade or a year as (first, last) years."""
    if groups[5] is not None:
        year = int(groups[5])
        return year, year
    start, modifier = _decade_start(groups[:5], last_year)
    if modifier == "early":
        return start, start + 3
    if modifier == "mid":
        return start + 3, start + 6
    if modifier == "late":
        return start + 7, start + 9
    return start, start + 9


def _era_matches(units: _Units, first_year: int, last_year: int) -> list[tuple[int, int, int, int, str]]:
    """Era phrases as (start, end, first unit, last unit, kind); kind says how a negation inverts it."""
    text, offsets = _unit_text(units)
    out: list[tuple[int, int, int, int, str]] = []
    used = [False] * (len(text) + 1)
    for kind, pattern in _ERA_PATTERNS:
        for m in pattern.finditer(text):
            if any(used[m.start() : m.end()]):
                continue
            u_first, u_last = _unit_at(offsets, m.start()), _unit_at(offsets, m.end() - 1)
            before = text[max(0, m.start() - 12) : m.start()].split()
            if kind == "decade" and _is_age_decade(before):
                continue  # "in my thirties" is an age
            if kind == "year" and before and before[-1] == "born":
                continue
            life = _life(text[max(0, m.start() - 30) : m.start()].split()) if kind == "decade" else None
            if life == "born":
                continue  # "born in the 70s" is when, not what
            if kind == "recent" and m.group().endswith("year") and set(before[-2:]) & _CONSUMED:
                continue  # "the best thing I read this year" says when it was read, not when it came out
            window = _window(kind, m, first_year, last_year)
            if window is None:
                continue
            for c in range(m.start(), m.end()):
                used[c] = True
            out.append((window[0], window[1], u_first, u_last, "lived" if life == "lived" else kind))  # "grew up in the 60s": a leaning
    out.sort(key=lambda e: e[2])
    return out


def _hedged(units: _Units, unit: int) -> bool:
    """Whether the clause holding ``unit`` (an era phrase) hedges it: "mostly", "I prefer", "if possible" anywhere in
    it ("Comedies. Mostly from the 80s" hedges the 80s; "Mostly comedies. From the 80s" does not), or in a clause of
    the same sentence beside it that names no genre or title of its own ("Something from the 90s, if you can", "On
    the whole I watch films from the forties"; not "Films from the 80s, especially action")."""
    segment = units.segment[unit]
    if _hedge_in(units, segment):
        return True
    beside = [segment - 1] if segment > 0 and not units.hard_before[segment] else []
    if segment + 1 < len(units.hard_before) and not units.hard_before[segment + 1]:
        beside.append(segment + 1)
    return any(_hedge_in(units, other) and not _names_something(units, other) for other in beside)


def _hedge_in(units: _Units, segment: int) -> bool:
    words = [units.fold[u] for u in range(len(units.fold)) if units.segment[u] == segment]
    return any(words[k : k + len(h)] == list(h) for h in _HEDGES for k in range(len(words) - len(h) + 1))


def _names_something(units: _Units, segment: int) -> bool:
    """Whether a clause names a genre or a title: a hedge there is about that, not about a period beside it."""
    return any(units.segment[u] == segment and (u in units._genre_units or units.title[u] >= 0) for u in range(len(units.fold)))


def _life(before: list[str]) -> str | None:
    """Whether the words before a decade place the writer's own life in it: "born" ("born in"), "lived" ("grew up in the",
    "child of the") or None."""
    words = [w for w in before if w not in ("the", "early", "mid", "late")]
    for name, phrases in (("lived", _LIVED), ("born", _BORN)):
        if any(len(words) >= len(p) and tuple(words[-len(p) :]) == p for p in phrases):
            return name
    return None


def _is_age_decade(before: list[str]) -> bool:
    """Do the words before a decade make it an age ("in my thirties", "his early 80s")?"""
    words = [w for w in before if w not in ("early", "mid", "late")]
    return bool(words) and words[-1] in ("my", "his", "her", "their", "your", "our")


def _window(kind: str, m: re.Match, first_year: int, last_year: int) -> tuple[int, int] | None:
    g = m.groups()
    if kind == "range":
        a, b = _point(g[:6], last_year), _point(g[6:12], last_year)
        start, end = min(a[0], b[0]), max(a[1], b[1])
    elif kind in ("before", "until"):
        a = _point(g[:6], last_year)
        end = a[0] - 1 if kind == "before" else a[1]
        start = min(first_year, end)
    elif kind in ("after", "since"):
        a = _point(g[:6], last_year)
        start = a[1] + 1 if kind == "after" else a[0]
        end = max(last_year, start)
    elif kind == "year":
        start = end = int(g[0])
    elif kind == "period":
        _, low, high = _PERIODS[int(m.lastgroup[1:])]
        start = first_year if low is None else low
        end = last_year if high is None else high
    elif kind == "decade":
        start, end = _point((*g[:5], None), last_year)
    elif kind == "bw":
        start, end = min(first_year, BLACK_AND_WHITE_END), BLACK_AND_WHITE_END
    elif kind == "silent":
        start, end = min(first_year, SILENT_END), SILENT_END
    elif kind == "classic":
        start, end = min(first_year, CLASSIC_END), CLASSIC_END
    else:  # recent
        start, end = max(first_year, last_year - RECENT_YEARS + 1), last_year
    if start > end or start < _FIRST_FILM_YEAR - 100:
        return None
    return start, end
