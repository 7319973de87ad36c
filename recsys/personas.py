"""Personas: what a person typed, the clean form of a persona's name, and the URL token that reproduces one.

A persona is profile text, demographics, onboarding likes and the feedback given so far.
The saved list lives in :mod:`recsys.persona_store`.
"""

from __future__ import annotations

import base64
import json
import unicodedata
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from recsys.explorer import Explorer
    from recsys.states import UserState

MAX_NAME = 80
MAX_TOKEN = 20_000
# Control, format (zero-width, bidirectional overrides), surrogate and private-use characters: they hide in a
# name, make two different names look the same, or cannot be stored as text.
_HIDDEN = {"Cc", "Cf", "Cs", "Co"}


def clean_name(name: str, *, shorten: bool = False) -> str:
    """A persona name as it is stored and shown: Unicode NFC, no hidden characters, single spaces.

    Args:
        name: what was typed or linked.
        shorten: cut a long name to ``MAX_NAME`` characters instead of refusing it.

    Raises:
        ValueError: nothing visible is left, or the name is longer than ``MAX_NAME`` characters.
    """
    if not isinstance(name, str):
        raise ValueError("a persona name must be text")
    visible = "".join(" " if ch.isspace() else ch for ch in name if ch.isspace() or unicodedata.category(ch) not in _HIDDEN)
    clean = " ".join(unicodedata.normalize("NFC", visible).split())
    if not clean:
        raise ValueError("give the persona a name")
    if len(clean) > MAX_NAME:
        if not shorten:
            raise ValueError(f"persona names are at most {MAX_NAME} characters")
        clean = clean[:MAX_NAME].rstrip()
    return clean


def _plain(value: Any) -> Any:
    """A numpy scalar (an id straight out of a recommendation frame) as the Python value it holds, so an id
    of 50 travels as 50, never as the text "50" another catalogue's lookup would miss; anything else as text."""
    return value.item() if hasattr(value, "item") and not isinstance(value, (str, bytes)) else str(value)


class OtherCatalogue(ValueError):
    """A persona made on another catalogue than the one it is opened on (its item ids mean other items there)."""

    def __init__(self, made_on: dict, opened_on: dict):
        self.made_on, self.opened_on = made_on, opened_on
        super().__init__(
            f"it was made on the catalogue “{made_on.get('name', '?')}” (content {made_on.get('fingerprint', '?')}), and this "
            f"session explores “{opened_on.get('name', '?')}” (content {opened_on.get('fingerprint', '?')}): its items would "
            "mean other items here"
        )


def catalogue_of(explorer: Explorer) -> dict[str, str]:
    """What a persona records of the catalogue it was made on: its name, content fingerprint and the text model that
    read it (``minilm`` or ``multilingual``; the same catalogue read by the other model ranks differently)."""
    return {"name": str(explorer.dataset.name), "fingerprint": str(explorer.fingerprint), "text_model": str(explorer.encoder.name)}


def _catalogue_from_json(data: Any) -> dict[str, str] | None:
    if data is None:
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in ("name", "fingerprint")):
        raise ValueError("a persona's catalogue must be a mapping with a 'name' and a 'fingerprint'")
    if not isinstance(data.get("text_model", ""), str):
        raise ValueError("a persona's text model must be a name")
    found = {"name": data["name"][:200], "fingerprint": data["fingerprint"][:64]}
    return {**found, "text_model": data["text_model"][:40]} if data.get("text_model") else found


def text_model_note(persona: Persona, explorer: Explorer) -> str | None:
    """What to say when ``persona`` was made with another text model than ``explorer`` reads with (same catalogue,
    so it opens, but its list may differ from what its maker saw); None when the same, or not recorded."""
    made_with = (persona.catalogue or {}).get("text_model")
    here = str(explorer.encoder.name)
    if not made_with or made_with == here:
        return None
    names = {"minilm": "MiniLM (English)", "multilingual": "multilingual-e5-small (Chinese, English and mixed)"}
    return (
        f"“{persona.name}” was made with the {names.get(made_with, made_with)} text model; this session reads with "
        f"{names.get(here, here)}, so its list can differ from what its maker saw. The Catalogue page opens "
        f"{explorer.dataset.name} with the other text model."
    )


def plain_id(value: Any) -> Any:
    """An item id as JSON keeps it: a numpy scalar as the Python number it holds."""
    return value.item() if hasattr(value, "item") and not isinstance(value, (str, bytes)) else value


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
    #: The catalogue the item ids belong to (:func:`catalogue_of`); ``None`` for personas saved or linked before
    #: personas recorded it.
    catalogue: dict | None = None

    def with_signal(self, item_id: Any, signal: str | int) -> Persona:
        """The same persona with one more signal (replacing an earlier one on the same item)."""
        kept = tuple((i, s) for i, s in self.feedback if i != item_id)
        return replace(self, feedback=(*kept, (item_id, signal_of(signal))))

    def user(self, explorer: Explorer) -> UserState:
        """Replay the persona through the engine.

        Raises:
            OtherCatalogue: the persona was made on another catalogue (never remapped by id).
            ValueError: bad input.
        """
        from recsys.reading import Reading

        here = catalogue_of(explorer)
        if self.catalogue is not None and self.catalogue["fingerprint"] != here["fingerprint"]:
            raise OtherCatalogue(self.catalogue, here)

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
        data["liked"], data["feedback"] = [plain_id(i) for i in self.liked], [[plain_id(i), s] for i, s in self.feedback]
        if self.catalogue is None:
            data.pop("catalogue")
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
        try:
            name = clean_name(str(data.get("name") or ""), shorten=True)
        except ValueError:
            name = "Shared persona"
        liked = data.get("liked", [])
        if not isinstance(liked, list):
            raise ValueError("persona onboarding likes must be a list of item ids")
        return cls(name, data["text"], demographics, tuple(liked), feedback, reading, _catalogue_from_json(data.get("catalogue")))

    def to_token(self) -> str:
        """A URL-safe token for ``?persona=…``."""
        raw = json.dumps(self.to_json(), separators=(",", ":"), default=_plain).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def from_token(cls, token: str) -> Persona:
        """Decode a ``?persona=`` token; raises ``ValueError`` on anything malformed."""
        if not isinstance(token, str) or len(token) > MAX_TOKEN:
            raise ValueError("the persona link is too long or not text")
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            data = json.loads(raw.decode())
        except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError; RecursionError: absurdly nested JSON
            raise ValueError("the persona link is damaged (it does not decode)") from None
        return cls.from_json(data)
