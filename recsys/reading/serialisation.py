"""A reading to and from plain JSON values: :meth:`Reading.to_dict` writes them, :meth:`Reading.from_dict` checks every field here."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from recsys.reading.chips import DEMOGRAPHIC_KEYS, MAX_CHARS, EraWindow, TitleMatch


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value JSON understands."""
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, (str, bytes)):
        try:
            return item()
        except (TypeError, ValueError):
            return value
    return value


def _list(value: Any, name: str) -> list:
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise ValueError(f"{name} must be a list, got {type(value).__name__}")
    return list(value)


def _strings(value: Any, name: str) -> tuple[str, ...]:
    items = _list(value, name)
    for n, item in enumerate(items):
        if not isinstance(item, str):
            raise ValueError(f"{name}[{n}] must be a string, got {type(item).__name__}")
    if name != "notes" and len(set(items)) != len(items):
        raise ValueError(f"{name} has duplicates")
    return tuple(items)


def _item_id(value: Any, name: str) -> Any:
    if value is None or (isinstance(value, (int, str)) and not isinstance(value, bool)):
        return value
    raise ValueError(f"{name} must be an int, a string or null, got {type(value).__name__}")


def _score(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or not 0 <= value <= 100:
        raise ValueError(f"{name} must be a number from 0 to 100, got {value!r}")
    return float(value)


def _title_from_dict(data: Any, name: str) -> TitleMatch:
    if not isinstance(data, Mapping):
        raise ValueError(f"{name} must be a mapping, got {type(data).__name__}")
    unknown = set(data) - {"query", "item_id", "title", "score", "alternatives"}
    if unknown:
        raise ValueError(f"{name} has unknown fields: {', '.join(sorted(map(str, unknown)))}")
    query = data.get("query")
    if not isinstance(query, str):
        raise ValueError(f"{name}.query must be a string")
    item_id = _item_id(data.get("item_id"), f"{name}.item_id")
    title = data.get("title")
    if title is not None and not isinstance(title, str):
        raise ValueError(f"{name}.title must be a string or null")
    if item_id is not None and title is None:
        raise ValueError(f"{name} has an item_id but no title")
    alternatives = []
    for n, alt in enumerate(_list(data.get("alternatives", []), f"{name}.alternatives")):
        where = f"{name}.alternatives[{n}]"
        if not isinstance(alt, (list, tuple)) or len(alt) != 3:
            raise ValueError(f"{where} must be [item_id, title, score]")
        alt_id = _item_id(alt[0], where)
        if alt_id is None or not isinstance(alt[1], str):
            raise ValueError(f"{where} must be [item_id, title, score]")
        alternatives.append((alt_id, alt[1], _score(alt[2], where)))
    return TitleMatch(query, item_id, title, _score(data.get("score", 0.0), f"{name}.score"), tuple(alternatives))


def _era_from_dict(data: Any) -> EraWindow | None:
    if data is None:
        return None
    if not isinstance(data, Mapping) or not {"start", "end", "phrase"} <= set(data) <= {"start", "end", "phrase", "firm", "hedged"}:
        raise ValueError("era must be null or a mapping with start, end, phrase and optionally firm and hedged")
    firm, hedged = data.get("firm", True), data.get("hedged", False)
    if not isinstance(firm, bool) or not isinstance(hedged, bool):
        raise ValueError("era firm and hedged must be true or false")
    start, end, phrase = data["start"], data["end"], data["phrase"]
    if any(isinstance(v, bool) or not isinstance(v, int) for v in (start, end)):
        raise ValueError("era start and end must be whole years")
    if start > end:
        raise ValueError(f"era start {start} is after its end {end}")
    if not isinstance(phrase, str):
        raise ValueError("era phrase must be a string")
    return EraWindow(start, end, phrase, firm, hedged)


def _demographics_from_dict(data: Any) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise ValueError(f"demographics must be a mapping, got {type(data).__name__}")
    unknown = set(data) - set(DEMOGRAPHIC_KEYS)
    if unknown:
        raise ValueError(f"demographics has unknown keys: {', '.join(sorted(map(str, unknown)))}")
    out: dict[str, Any] = {}
    if "age" in data:
        age = data["age"]
        if isinstance(age, bool) or not isinstance(age, int) or not 0 < age < 130:
            raise ValueError(f"demographics.age must be a whole number of years, got {age!r}")
        out["age"] = age
    if "gender" in data:
        if data["gender"] not in ("F", "M"):
            raise ValueError(f"demographics.gender must be 'F' or 'M', got {data['gender']!r}")
        out["gender"] = data["gender"]
    if "occupation" in data:
        if not isinstance(data["occupation"], str):
            raise ValueError("demographics.occupation must be a string")
        out["occupation"] = data["occupation"]
    return out


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, got {type(value).__name__}")
    return value[:MAX_CHARS]
