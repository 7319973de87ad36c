"""Everything one browser session keeps: its personas, their feedback, its new items.

All ``st.session_state`` keys are named here. Values are immutable engine states
(:class:`recsys.UserState`), so one session's changes can never reach another's.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from recsys import Explorer, ItemState, UserState
from recsys.personas import Persona

PERSONAS = "personas"  # name -> SessionPersona
ACTIVE = "active_persona"
SHOWN = "shown_persona"  # the New user page's persona selector
NEW_ITEMS = "new_items"  # list[ItemState]
LINK_LOADED = "persona_link_loaded"

READY_MADE = {
    "Space-opera fan": ("I love space operas: epic battles between the stars, alien worlds and rebels against an empire.", {}),
    "Parent of young kids": ("Cartoons and family films I can watch with my kids on a Sunday afternoon.", {"age": 38, "gender": "F"}),
    "Horror buff": (
        "Gory slasher films and creepy haunted houses, the scarier the better.",
        {"age": 19, "gender": "M", "occupation": "student"},
    ),
    "Romantic": ("Romantic comedies and love stories with a happy ending.", {"age": 27, "gender": "F"}),
    "Classic-film lover": (
        "Old black-and-white film noir, detectives and femme fatales from the 1940s.",
        {"age": 61, "occupation": "retired"},
    ),
    "War-history buff": ("War films and westerns, especially World War II stories.", {"age": 52, "gender": "M", "occupation": "engineer"}),
}


@dataclass(frozen=True)
class SessionPersona:
    """A persona's inputs and its current engine state, plus the list it saw last (for rank changes)."""

    persona: Persona
    state: UserState
    previous_ranks: tuple = ()  # (item_id, rank) of the list before the last feedback


def personas() -> dict[str, SessionPersona]:
    return st.session_state.setdefault(PERSONAS, {})


def active() -> SessionPersona | None:
    name = st.session_state.get(ACTIVE)
    return personas().get(name) if name else None


def set_active(name: str) -> None:
    st.session_state[ACTIVE] = name


def build(explorer: Explorer, persona: Persona) -> SessionPersona:
    """Replay a persona's inputs through the engine (raises ValueError on bad input)."""
    return SessionPersona(persona, persona.user(explorer))


def put(entry: SessionPersona) -> None:
    """Add or replace a persona and make it the one shown (call before the selector is drawn)."""
    personas()[entry.persona.name] = entry
    set_active(entry.persona.name)
    st.session_state[SHOWN] = entry.persona.name


def remove(name: str) -> None:
    personas().pop(name, None)
    if st.session_state.get(ACTIVE) == name:
        st.session_state[ACTIVE] = next(iter(personas()), None)


def give_feedback(explorer: Explorer, name: str, item_id, signal: str | int, current_ranks: tuple) -> SessionPersona:
    """Apply ``"like"``, ``"dislike"`` or 1–5 stars to a session persona (a button's callback)."""
    entry = personas()[name]
    if signal in ("like", "dislike"):
        state = explorer.feedback(entry.state, item_id, signal == "like")
    else:
        state = explorer.rate(entry.state, item_id, int(signal))
    updated = SessionPersona(entry.persona.with_signal(item_id, signal), state, current_ranks)
    personas()[name] = updated
    return updated


def new_items() -> list[ItemState]:
    return st.session_state.setdefault(NEW_ITEMS, [])


def unique_name(base: str) -> str:
    name, n = base, 2
    while name in personas():
        name, n = f"{base} ({n})", n + 1
    return name
