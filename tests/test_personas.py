"""Saved personas (SQLite) and shareable persona links."""

from __future__ import annotations

import pytest

from recsys.personas import Persona, PersonaStore


def test_save_list_rename_delete_survives_reopen(tmp_path):
    path = tmp_path / "p.sqlite"
    store = PersonaStore(path)
    store.save(Persona("Horror fan", "gory slasher films", {"age": 19}, (1, 2), ((3, 1.0),)))
    store.save(Persona("Kids", "cartoons with my kids"))
    reopened = PersonaStore(path)
    assert set(reopened.names()) == {"Horror fan", "Kids"}
    assert reopened.get("Horror fan").feedback == ((3, 1.0),)
    reopened.rename("Kids", "Family night")
    assert set(reopened.names()) == {"Horror fan", "Family night"}
    with pytest.raises(ValueError, match="already exists"):
        reopened.rename("Horror fan", "Family night")
    reopened.delete("Horror fan")
    assert reopened.names() == ["Family night"]
    with pytest.raises(KeyError):
        reopened.get("Horror fan")
    with pytest.raises(ValueError, match="name"):
        reopened.save(Persona("   ", "x"))


def test_link_round_trip():
    persona = Persona("Shared", "space operas <b>bold</b>", {"gender": "F"}, (50,), ((172, 0.0),))
    assert Persona.from_token(persona.to_token()) == persona


@pytest.mark.parametrize("token", ["not-base64!!", "e30", "W10", "x" * 30_000])
def test_bad_links_are_clear_errors(token):
    with pytest.raises(ValueError):
        Persona.from_token(token)
