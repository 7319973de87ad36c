"""A catalogue opened with the multilingual text model, explored with a profile typed in Chinese (AppTest)."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest
from test_app import APP, make_persona, shown

from recsys.data import load_path


@pytest.fixture
def chinese_session(small_catalogue, explorer, monkeypatch) -> AppTest:
    """A session exploring the small catalogue trained with the multilingual model (as the Catalogue page's choice does)."""
    from ui import resources, session

    monkeypatch.setitem(resources._FOR_GOOD, "engine", explorer)  # the server's engine: the test run's MiniLM model
    fingerprint = load_path(small_catalogue).fingerprint()
    job = resources.start_training(fingerprint, "Small shelf", lambda: load_path(small_catalogue), "multilingual")
    job.wait()
    assert job.state == "ready", job.error
    assert resources.training_jobs().get(fingerprint) is not job  # the same files with the server's model are another job
    at = AppTest.from_file(APP, default_timeout=240)
    at.session_state[session.CATALOGUE] = resources.Opened(str(small_catalogue), fingerprint, "Small shelf", encoder="multilingual")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.slow
def test_a_chinese_persona_shows_its_chips_and_a_list_in_the_wanted_genre(chinese_session):
    at = make_persona(chinese_session, "我喜欢科幻片，但受不了恐怖片", "科幻迷")
    assert not at.exception, [e.message for e in at.exception]
    chips = at.pills[0]
    assert set(chips.options) >= {"wants Sci-Fi", "no Horror"}
    listed = [shown(m.value) for m in at.markdown if "<small>" in m.value and re.search(r"Story \d+", shown(m.value))]
    titles = [re.search(r"\b(Sci-Fi|Comedy|Horror) Story", m).group(1) for m in listed]
    assert titles, "the list shows the catalogue's items"
    assert "Horror" not in titles
    assert titles.count("Sci-Fi") / len(titles) >= 0.8, titles
    sidebar = " ".join(m.value for m in at.sidebar.markdown) + " ".join(c.value for c in at.sidebar.caption)
    assert "multilingual" in sidebar.lower(), sidebar
