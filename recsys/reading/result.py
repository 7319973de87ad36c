"""What a read returns: the :class:`Reading`, every part of it a chip the person can remove."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from recsys.reading.chips import CHIP_KINDS, MAX_LIKED, EraWindow, TitleMatch
from recsys.reading.serialisation import _demographics_from_dict, _era_from_dict, _list, _plain, _strings, _text, _title_from_dict


@dataclass(frozen=True)
class Reading:
    """The structured reading of a profile: every part is a chip the person can remove.

    Attributes:
        wants: catalogue genre labels asked for, in order of mention.
        rules_out: genre labels ruled out; never overlaps ``wants``.
        titles: named films, confident or not, in order of mention.
        era: the years asked for, or ``None``.
        demographics: what the person said about themselves: ``age`` (int), ``gender``
            (``"F"``/``"M"``), ``occupation`` (a label of the catalogue's vocabulary).
        notes: plain-English messages for the person (contradictions, unknown titles, ...).
        kept_text: the profile with the clauses that rule things out taken out ("I love
            comedies but I hate romance" → "I love comedies"): what a sentence embedding,
            which cannot read negation, should see. Empty when nothing was ruled out.

    Example:
        >>> r = Reading(wants=("Comedy",), rules_out=("Romance",))
        >>> r.without("rules_out", "Romance").rules_out
        ()
        >>> Reading.from_dict(r.to_dict()) == r
        True
    """

    wants: tuple[str, ...] = ()
    rules_out: tuple[str, ...] = ()
    titles: tuple[TitleMatch, ...] = ()
    era: EraWindow | None = None
    demographics: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    kept_text: str = ""

    def __hash__(self) -> int:
        # The generated hash would fail on the demographics dict.
        demographics = tuple(sorted(self.demographics.items(), key=lambda kv: str(kv[0])))
        return hash((self.wants, self.rules_out, self.titles, self.era, demographics, self.notes, self.kept_text))

    def __post_init__(self) -> None:
        # Own copies, so a caller's list or dict can never change a Reading afterwards.
        object.__setattr__(self, "wants", tuple(self.wants))
        object.__setattr__(self, "rules_out", tuple(self.rules_out))
        object.__setattr__(self, "titles", tuple(self.titles))
        object.__setattr__(self, "demographics", dict(self.demographics))
        object.__setattr__(self, "notes", tuple(self.notes))

    @property
    def liked_ids(self) -> tuple:
        """Item ids of confident title matches, in order, unique, at most :data:`MAX_LIKED`."""
        seen: dict[Any, None] = {}
        for match in self.titles:
            if match.item_id is not None and match.item_id not in seen:
                seen[match.item_id] = None
                if len(seen) == MAX_LIKED:
                    break
        return tuple(seen)

    @property
    def is_empty(self) -> bool:
        """Nothing was read (notes alone do not count)."""
        return not (self.wants or self.rules_out or self.titles or self.era or self.demographics)

    def without(self, kind: str, value: Any = None) -> Reading:
        """The same reading with one chip removed (removing an absent chip changes nothing).

        Args:
            kind: one of ``"wants"``, ``"rules_out"``, ``"title"``, ``"era"``, ``"demographic"``.
            value: the genre label; the item id (or, for a title without one, its query);
                ignored for ``"era"``; the demographic key.

        Raises:
            ValueError: an unknown kind.
        """
        if kind in ("wants", "rules_out"):
            kept = tuple(g for g in getattr(self, kind) if g != value)
            return replace(self, **{kind: kept}, notes=_drop_notes(self.notes, str(value)))
        if kind == "title":
            gone = [m for m in self.titles if _same_chip(m, value)]
            return replace(
                self,
                titles=tuple(m for m in self.titles if not _same_chip(m, value)),
                notes=_drop_notes(self.notes, *(f"'{m.query}'" for m in gone)),
            )
        if kind == "era":
            phrase = f"'{self.era.phrase}'" if self.era else None
            return replace(self, era=None, notes=_drop_notes(self.notes, phrase) if phrase else self.notes)
        if kind == "demographic":
            return replace(self, demographics={k: v for k, v in self.demographics.items() if k != value})
        raise ValueError(f"unknown chip kind {kind!r}; expected one of {', '.join(CHIP_KINDS)}")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict (for persona links and SQLite); :meth:`from_dict` reverses it."""
        return {
            "wants": list(self.wants),
            "rules_out": list(self.rules_out),
            "titles": [
                {
                    "query": m.query,
                    "item_id": _plain(m.item_id),
                    "title": m.title,
                    "score": float(m.score),
                    "alternatives": [[_plain(i), t, float(s)] for i, t, s in m.alternatives],
                }
                for m in self.titles
            ],
            "era": None
            if self.era is None
            else {
                "start": self.era.start,
                "end": self.era.end,
                "phrase": self.era.phrase,
                "firm": self.era.firm,
                "hedged": self.era.hedged,
            },
            "demographics": {k: _plain(v) for k, v in self.demographics.items()},
            "notes": list(self.notes),
            "kept_text": self.kept_text,
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> Reading:
        """Rebuild a reading saved by :meth:`to_dict`, checking every field.

        Raises:
            ValueError: damaged input; the message names the field.
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"a reading must be a mapping, got {type(data).__name__}")
        unknown = set(data) - {"wants", "rules_out", "titles", "era", "demographics", "notes", "kept_text"}
        if unknown:
            raise ValueError(f"reading has unknown fields: {', '.join(sorted(map(str, unknown)))}")
        wants = _strings(data.get("wants", ()), "wants")
        rules_out = _strings(data.get("rules_out", ()), "rules_out")
        both = set(wants) & set(rules_out)
        if both:
            raise ValueError(f"genres both wanted and ruled out: {', '.join(sorted(both))}")
        titles = _list(data.get("titles", ()), "titles")
        return cls(
            wants=wants,
            rules_out=rules_out,
            titles=tuple(_title_from_dict(t, f"titles[{n}]") for n, t in enumerate(titles)),
            era=_era_from_dict(data.get("era")),
            demographics=_demographics_from_dict(data.get("demographics", {})),
            notes=_strings(data.get("notes", ()), "notes"),
            kept_text=_text(data.get("kept_text", ""), "kept_text"),
        )


def _same_chip(match: TitleMatch, value: Any) -> bool:
    if match.item_id is not None:
        return match.item_id == value
    return match.query == value


def _drop_notes(notes: tuple[str, ...], *needles: str) -> tuple[str, ...]:
    return tuple(n for n in notes if not any(needle and needle in n for needle in needles))


#: What the language model reads for a profile none of whose words it reads (:func:`reads_no_words`).
NEUTRAL_TEXT = "I watch a movie now and then."


def reads_no_words(text: str, reading: Reading | None) -> bool:
    """Whether the language model reads none of the profile's words but a neutral placeholder: there is no text,
    all of it rules something out ("no horror, please") — the ``avoid`` term carries it instead — or the person
    dropped every clause it read (the chip of its only wish)."""
    kept = reading is not None and bool(reading.kept_text) and reading.kept_text != NEUTRAL_TEXT
    return not kept and (not text or (reading is not None and (bool(reading.rules_out) or reading.kept_text == NEUTRAL_TEXT)))
