"""Shareable persona links (the saved list: test_persona_store.py)."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from recsys.personas import Persona


def test_link_round_trip():
    persona = Persona("Shared", "space operas <b>bold</b>", {"gender": "F"}, (50,), ((172, "dislike"), (98, 4), (1, "like")))
    assert Persona.from_token(persona.to_token()) == persona


def test_links_from_before_likes_and_stars_were_told_apart_still_open():
    old = Persona("Old", "westerns", {}, (), ((172, 0.0), (98, 0.75), (1, 1.0)))
    assert Persona.from_token(old.to_token()).feedback == ((172, "dislike"), (98, 4), (1, "like"))


@pytest.mark.slow
def test_a_shared_link_replays_every_signal(explorer):
    persona = Persona("Shared", "westerns", {"age": 40}, (50,), ((172, "dislike"), (98, 4), (1, "like")))
    state = Persona.from_token(persona.to_token()).user(explorer)
    direct = explorer.new_user("westerns", {"age": 40}, liked=[50])
    direct = explorer.feedback(explorer.rate(explorer.feedback(direct, 172, False), 98, 4), 1, True)
    assert [(f.item_id, f.kind, f.stars) for f in state.feedback] == [(172, "dislike", None), (98, "stars", 4), (1, "like", None)]
    assert np.allclose(state.vector, direct.vector) and state.bias == pytest.approx(direct.bias)
    assert not np.allclose(state.vector, state.prior_vector)  # the feedback moved the user


@pytest.mark.parametrize("feedback", ['[[1, "maybe"]]', "[[1, 7]]", '"like"', "[[1]]"])
def test_damaged_feedback_in_a_link_is_a_clear_error(feedback):
    token = base64.urlsafe_b64encode(f'{{"text": "x", "feedback": {feedback}}}'.encode()).decode()
    with pytest.raises(ValueError, match="feedback"):
        Persona.from_token(token)


@pytest.mark.parametrize("token", ["not-base64!!", "e30", "W10", "x" * 30_000])
def test_bad_links_are_clear_errors(token):
    with pytest.raises(ValueError):
        Persona.from_token(token)


def test_the_text_model_a_persona_was_made_with_is_recorded_and_read_back(small_explorer):
    from recsys.personas import catalogue_of, text_model_note

    here = catalogue_of(small_explorer)
    assert here["text_model"] == small_explorer.encoder.name == "minilm"
    persona = Persona("Mixed", "robots", catalogue={**here, "text_model": "multilingual"})
    assert Persona.from_token(persona.to_token()) == persona
    assert "multilingual-e5-small" in text_model_note(persona, small_explorer)
    assert text_model_note(Persona("Same", "robots", catalogue=here), small_explorer) is None
    older = Persona("Older", "robots", catalogue={"name": here["name"], "fingerprint": here["fingerprint"]})
    assert Persona.from_token(older.to_token()).catalogue == older.catalogue and text_model_note(older, small_explorer) is None
    with pytest.raises(ValueError, match="text model"):
        Persona.from_json({"text": "robots", "catalogue": {**here, "text_model": 3}})
