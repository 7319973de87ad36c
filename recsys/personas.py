"""Saved personas: a small SQLite store, plus the URL form that reproduces a persona.

A persona is what a person typed: profile text, demographics, onboarding likes and the
feedback given so far. Saving writes one transaction (SQLite is atomic per transaction),
so a crash never leaves a half-written persona.
"""

from __future__ import annotations

import base64
import json
import sqlite3
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recsys.cache import cache_root

if TYPE_CHECKING:
    from recsys.explorer import Explorer
    from recsys.states import UserState

MAX_NAME = 80


def signal_of(value: Any) -> str | int:
    """A stored feedback signal: ``"like"``, ``"dislike"`` or 1–5 stars.

    Links made before likes and stars were told apart stored a number in [0, 1]
    (like 1.0, dislike 0.0, stars (s − 1) / 4); they still open.

    Raises:
        ValueError: anything else.
    """
    if value in ("like", "dislike"):
        return value
    if isinstance(value, bool):
        raise ValueError(f"feedback must be 'like', 'dislike' or 1–5 stars, got {value!r}")
    if isinstance(value, int) and 1 <= value <= 5:
        return value
    if isinstance(value, float) and 0.0 <= value <= 1.0:
        return "like" if value == 1.0 else "dislike" if value == 0.0 else int(round(4 * value + 1))
    raise ValueError(f"feedback must be 'like', 'dislike' or 1–5 stars, got {value!r}")


@dataclass(frozen=True)
class Persona:
    """The inputs that rebuild a synthetic user: replaying them gives the same state.

    ``feedback`` is a tuple of ``(item_id, signal)`` with signal ``"like"``, ``"dislike"``
    or a whole number of stars.
    """

    name: str
    text: str
    demographics: dict = field(default_factory=dict)
    liked: tuple = ()
    feedback: tuple = ()
    reading: dict | None = None  # the profile's reading as the person edited it (Reading.to_dict); None: read the text

    def with_signal(self, item_id: Any, signal: str | int) -> Persona:
        """The same persona with one more signal (replacing an earlier one on the same item)."""
        kept = tuple((i, s) for i, s in self.feedback if i != item_id)
        return replace(self, feedback=(*kept, (item_id, signal_of(signal))))

    def user(self, explorer: Explorer) -> UserState:
        """Replay the persona through the engine (raises ``ValueError`` on bad input)."""
        from recsys.reading import Reading

        reading = Reading.from_dict(self.reading) if self.reading is not None else None
        state = explorer.new_user(self.text, self.demographics, liked=self.liked, reading=reading)
        for item_id, signal in self.feedback:
            state = (
                explorer.feedback(state, item_id, signal == "like")
                if signal in ("like", "dislike")
                else explorer.rate(state, item_id, signal)
            )
        return state

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["liked"], data["feedback"] = list(self.liked), [list(f) for f in self.feedback]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Persona:
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise ValueError("a persona needs at least a 'text' string")
        entries = data.get("feedback", [])
        if not isinstance(entries, list) or not all(isinstance(f, (list, tuple)) and len(f) == 2 for f in entries):
            raise ValueError("persona feedback must be a list of [item id, signal] pairs")
        feedback = tuple((f[0], signal_of(f[1])) for f in entries)
        demographics = data.get("demographics") or {}
        if not isinstance(demographics, dict):
            raise ValueError("persona demographics must be a mapping")
        reading = data.get("reading")
        if reading is not None:
            from recsys.reading import Reading

            reading = Reading.from_dict(reading).to_dict()  # validated: a damaged reading is a clear error
        name = str(data.get("name") or "Shared persona")[:MAX_NAME]
        return cls(name, data["text"], demographics, tuple(data.get("liked", [])), feedback, reading)

    def to_token(self) -> str:
        """A URL-safe token for ``?persona=…``."""
        raw = json.dumps(self.to_json(), separators=(",", ":"), default=str).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def from_token(cls, token: str) -> Persona:
        """Decode a ``?persona=`` token; raises ``ValueError`` on anything malformed."""
        if not isinstance(token, str) or len(token) > 20_000:
            raise ValueError("the persona link is too long or not text")
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            data = json.loads(raw.decode())
        except (ValueError, UnicodeDecodeError):
            raise ValueError("the persona link is damaged (it does not decode)") from None
        return cls.from_json(data)


class PersonaStore:
    """Personas saved by name in ``<cache>/personas.sqlite``."""

    def __init__(self, path: Path | None = None):
        self.path = path or cache_root() / "personas.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS personas (name TEXT PRIMARY KEY, body TEXT NOT NULL, saved REAL NOT NULL)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    @staticmethod
    def _check_name(name: str) -> str:
        clean = (name or "").strip()
        if not clean:
            raise ValueError("give the persona a name")
        if len(clean) > MAX_NAME:
            raise ValueError(f"persona names are at most {MAX_NAME} characters")
        return clean

    def save(self, persona: Persona) -> None:
        name = self._check_name(persona.name)
        body = json.dumps({**persona.to_json(), "name": name}, default=str)
        with self._connect() as db:
            db.execute("INSERT OR REPLACE INTO personas VALUES (?, ?, ?)", (name, body, time.time()))

    def names(self) -> list[str]:
        with self._connect() as db:
            return [row[0] for row in db.execute("SELECT name FROM personas ORDER BY saved DESC")]

    def get(self, name: str) -> Persona:
        with self._connect() as db:
            row = db.execute("SELECT body FROM personas WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise KeyError(f"no saved persona named {name!r}")
        return Persona.from_json(json.loads(row[0]))

    def rename(self, old: str, new: str) -> None:
        new = self._check_name(new)
        persona = self.get(old)
        with self._connect() as db:
            if new != old and db.execute("SELECT 1 FROM personas WHERE name = ?", (new,)).fetchone():
                raise ValueError(f"a persona named {new!r} already exists")
            db.execute("DELETE FROM personas WHERE name = ?", (old,))
            db.execute(
                "INSERT INTO personas VALUES (?, ?, ?)", (new, json.dumps({**persona.to_json(), "name": new}, default=str), time.time())
            )

    def delete(self, name: str) -> None:
        with self._connect() as db:
            db.execute("DELETE FROM personas WHERE name = ?", (name,))
