"""The chips a reading is made of (a named film, an era window) and the limits on a reading."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Characters read from a profile; the rest is ignored with a note.
MAX_CHARS = 5000
#: Liked films handed to the model; more add nothing but noise and latency.
MAX_LIKED = 20

DEMOGRAPHIC_KEYS = ("age", "gender", "occupation")
CHIP_KINDS = ("wants", "rules_out", "title", "era", "demographic")

NOTE_TRUNCATED = f"Only the first {MAX_CHARS:,} characters were read."


@dataclass(frozen=True)
class TitleMatch:
    """A film named in the profile and the catalogue item it was matched to.

    Attributes:
        query: the words of the profile that named it.
        item_id: the matched catalogue id; ``None`` when ambiguous, low-confidence or unmatched.
        title: the catalogue title of ``item_id``.
        score: the match score, 0–100 (``rapidfuzz`` ratio on folded text, less penalties).
        alternatives: other candidates ``(item_id, title, score)``, best first.
    """

    query: str
    item_id: Any | None
    title: str | None
    score: float
    alternatives: tuple[tuple[Any, str, float], ...] = ()

    @property
    def confident(self) -> bool:
        return self.item_id is not None


@dataclass(frozen=True)
class EraWindow:
    """Years a person asks for.

    Attributes:
        start: first year, inclusive.
        end: last year, inclusive.
        phrase: the words that named it ("the fifties", "black-and-white").
        firm: ``False`` when only a taste word set it ("classic", "recent releases"): a
            leaning rather than a period the person insists on.
        hedged: ``True`` when a hedge in the clause that names it softens it ("mostly 80s films",
            "I prefer recent releases", "older films if possible"): the person leans towards it.
    """

    start: int
    end: int
    phrase: str
    firm: bool = True
    hedged: bool = False

    @property
    def leaning(self) -> bool:
        """Whether the window is a leaning rather than a period insisted on: set by a taste word, or hedged."""
        return not self.firm or self.hedged
