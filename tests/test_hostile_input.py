"""Hostile input at every public entry point: whatever a person types, links or uploads, the library answers
with a result or a clear ``ValueError`` (``KeyError`` for an unknown saved name) — never another exception.

Property-based (hypothesis): control characters, NUL, right-to-left marks, zero-width characters, lone
surrogates, markup, SQL-looking text, arbitrary JSON in persona links and arbitrary bytes in uploads.
The engine properties run on the tiny catalogue (fast tier) and on MovieLens (slow tier).
"""

from __future__ import annotations

import base64
import contextlib
import json
import unicodedata

import numpy as np
import pytest
from hostile import IDS, JSON, PAYLOADS, TEXT
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from recsys import columns as C
from recsys.data import DataError, load_catalog
from recsys.personas import MAX_NAME, MAX_TOKEN, Persona, clean_name
from recsys.reading import Reading

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
DEMOGRAPHICS = st.dictionaries(st.sampled_from([C.AGE, C.GENDER, C.OCCUPATION]) | TEXT, IDS | JSON, max_size=3)


@pytest.fixture(params=["small", pytest.param("movielens", marks=pytest.mark.slow)])
def engine(request):
    return request.getfixturevalue("small_explorer" if request.param == "small" else "explorer")


def catalogue_id(engine, n: int):
    return engine.items[C.ITEM].iloc[n % len(engine.items)]


# ---------------------------------------------------------------- the engine
@PROPERTY
@given(text=TEXT)
def test_any_text_is_read(engine, text):
    reading = engine.read(text)
    assert isinstance(reading, Reading)
    assert Reading.from_dict(json.loads(json.dumps(reading.to_dict()))) == reading


@PROPERTY
@given(text=TEXT, demographics=DEMOGRAPHICS, liked=st.lists(IDS | st.integers(0, 10**4), max_size=3), k=IDS | st.integers(-3, 60))
def test_a_new_user_from_anything_is_a_user_or_a_clear_error(engine, text, demographics, liked, k):
    try:
        user = engine.new_user(text, demographics, liked=liked)
    except ValueError:
        return
    assert all(unicodedata.category(ch)[0] != "C" for ch in user.text if ch not in "\n\t")
    try:
        recs = engine.recommend(user, k=k)
    except ValueError:
        return
    assert 0 < len(recs) <= k and np.isfinite(recs[C.SCORE]).all()
    assert np.allclose(recs[C.SCORE], recs["mu"] + recs["b_u"] + recs["b_i"] + recs["dot"], atol=1e-4)


@PROPERTY
@given(item_id=IDS | st.integers(0, 10**4), liked=IDS, stars=IDS | st.integers(-2, 8), pick=st.integers(0, 10**4))
def test_feedback_ratings_and_lookups_on_any_id(engine, item_id, liked, stars, pick):
    user = engine.new_user("westerns and war films")
    for act in (
        lambda: engine.feedback(user, item_id, True),
        lambda: engine.feedback(user, catalogue_id(engine, pick), liked),
        lambda: engine.rate(user, item_id, 4),
        lambda: engine.rate(user, catalogue_id(engine, pick), stars),
        lambda: engine.item(item_id),
        lambda: engine.user(item_id),
        lambda: engine.explain(user, item_id),
    ):
        with contextlib.suppress(ValueError):
            act()


@PROPERTY
@given(text=TEXT, attributes=st.dictionaries(st.sampled_from([C.GENRES, C.YEAR]) | TEXT, IDS | JSON, max_size=3), k=IDS)
def test_a_new_item_from_anything_is_an_item_or_a_clear_error(engine, text, attributes, k):
    try:
        item = engine.new_item(text, attributes)
    except ValueError:
        return
    try:
        audience = engine.audience(item, k=k)
    except ValueError:
        return
    assert 0 < len(audience) <= k


@pytest.mark.parametrize("text", ["x" * 100_000, ("<b>" + "ab$c ") * 20_000, "\u200b" * 100_000, "\ud800" * 100_000])
def test_a_hundred_thousand_characters(small_explorer, text):
    small_explorer.read(text)
    try:
        user = small_explorer.new_user(text)
    except ValueError as err:
        assert "empty" in str(err)
    else:
        assert len(user.text) <= 20_000 and any("truncated" in w for w in user.warnings)
    try:
        small_explorer.new_item(text)
    except ValueError as err:
        assert "empty" in str(err)


# ---------------------------------------------------------------- persona names and links
NAMES = TEXT | st.text(min_size=MAX_NAME - 2, max_size=MAX_NAME + 5)


@settings(max_examples=300, deadline=None)
@given(name=NAMES)
@example(name="Al\u200bice\u202e")
def test_a_clean_name_has_nothing_hidden_and_is_stable(name):
    try:
        clean = clean_name(name)
    except ValueError as err:
        assert "name" in str(err)
        return
    assert 0 < len(clean) <= MAX_NAME and clean == clean.strip()
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in clean)
    assert clean_name(clean) == clean
    clean.encode("utf-8")  # storable as text anywhere


def _named(name: str) -> str:
    try:
        return clean_name(name, shorten=True)
    except ValueError:
        return "Shared persona"


PERSONAS = st.builds(
    Persona,
    name=NAMES.map(_named),
    text=TEXT,
    demographics=st.dictionaries(st.sampled_from([C.AGE, C.GENDER, C.OCCUPATION]), st.integers(1, 99) | TEXT, max_size=3),
    liked=st.lists(st.integers(1, 2000), max_size=4).map(tuple),
    feedback=st.lists(st.tuples(st.integers(1, 2000), st.sampled_from(["like", "dislike", 1, 2, 3, 4, 5])), max_size=4).map(tuple),
)


@settings(max_examples=200, deadline=None)
@given(persona=PERSONAS)
def test_a_link_round_trips_any_persona(persona):
    token = persona.to_token()
    assert token.isascii() and "=" not in token
    assert Persona.from_token(token) == persona


def _token(data) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@settings(max_examples=300, deadline=None)
@given(token=TEXT | st.text(st.sampled_from("ABCDEFabcdef0123456789-_="), max_size=400))
@example(token="x" * (MAX_TOKEN + 1))
@example(token=_token([[[[[[1]]]]]]))
@example(token=base64.urlsafe_b64encode(b"[" * 14_000 + b"]" * 14_000).decode()[:MAX_TOKEN])
def test_any_string_decodes_to_a_persona_or_a_clear_error(token):
    try:
        persona = Persona.from_token(token)
    except ValueError:
        return
    assert isinstance(persona, Persona)


@PROPERTY
@given(
    data=JSON
    | st.fixed_dictionaries(
        {"text": TEXT},
        optional={
            "name": JSON,
            "demographics": DEMOGRAPHICS | JSON,
            "liked": st.lists(IDS, max_size=3) | JSON,
            "feedback": st.lists(st.lists(IDS | st.sampled_from(["like", "dislike", 3]), max_size=3), max_size=3) | JSON,
            "reading": JSON | st.fixed_dictionaries({}, optional={"wants": JSON, "titles": JSON, "era": JSON, "demographics": JSON}),
        },
    )  # fmt: skip
)
def test_a_crafted_link_opens_a_persona_or_says_it_cannot(engine, data):
    """What the app does with ``?persona=``: decode, then replay through the engine; only ValueError may come out."""
    try:
        persona = Persona.from_token(_token(data))
        persona.user(engine)
    except ValueError:
        return
    assert clean_name(persona.name) == persona.name


# ---------------------------------------------------------------- uploaded files
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=st.binary(max_size=300) | TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")), interactions=st.binary(max_size=200),
       suffix=st.sampled_from([".csv", ".parquet"]))  # fmt: skip
def test_any_uploaded_bytes_load_or_say_what_is_wrong(tmp_path, items, interactions, suffix):
    (tmp_path / f"items{suffix}").write_bytes(items)
    (tmp_path / "interactions.csv").write_bytes(b"user_id,item_id,rating\n1,1,5\n" + interactions)
    try:
        load_catalog(tmp_path / f"items{suffix}", tmp_path / "interactions.csv")
    except DataError as err:
        assert "items" in str(err) or "interactions" in str(err)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_uploaded_tables_with_hostile_cells_load_as_plain_text(tmp_path, payload):
    cell = payload.encode("utf-8", "surrogatepass").decode("utf-8", "replace").replace("\x00", "")
    import pandas as pd

    pd.DataFrame({"item_id": [1, 2], "title": [cell or "t", "Plain"], "text": [cell, "a film"]}).to_csv(tmp_path / "items.csv", index=False)
    pd.DataFrame({"user_id": [1, 1, 2], "item_id": [1, 2, 1], "rating": [5, 3, 4]}).to_csv(tmp_path / "interactions.csv", index=False)
    try:
        dataset = load_catalog(tmp_path / "items.csv", tmp_path / "interactions.csv", require_trainable=False)
    except DataError:
        return
    assert dataset.n_items == 2
