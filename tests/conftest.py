"""Shared fixtures. Tests never read the user's artifact cache: the whole run uses its own.

``COLDSTART_CACHE`` is pointed at a fresh temporary folder before anything is loaded, so
the real model is trained once per test run by the code under test (a change that breaks
training cannot hide behind a model trained earlier). Set ``COLDSTART_TEST_CACHE`` to a
folder of your choice to reuse a test cache between local runs; artifact keys include a
hash of the code that made them, so a reused test cache still retrains after a change.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

if os.environ.get("PYTEST_XDIST_WORKER"):
    # Several test processes share the machine's cores (make test): one torch thread each, or their threads wait on
    # one another and a training takes many times longer. Servers the tests start inherit it.
    os.environ["OMP_NUM_THREADS"] = "1"
    import torch

    torch.set_num_threads(1)
os.environ["COLDSTART_CACHE"] = os.environ.get("COLDSTART_TEST_CACHE") or tempfile.mkdtemp(prefix="coldstart-test-cache-")
# The tests choose their catalogues themselves; a server catalogue set for `make run` must not leak into them.
os.environ.pop("COLDSTART_DATA", None)

from recsys import Explorer  # noqa: E402


@pytest.fixture(scope="session")
def explorer() -> Explorer:
    return Explorer.load()


SMALL_GENRES = {
    "Horror": ["haunted house", "zombie outbreak", "slasher in the woods", "possessed doll", "vampire town"],
    "Comedy": ["wedding mix-up", "office prank war", "road trip gone wrong", "talking dog", "family reunion farce"],
    "Sci-Fi": ["space station mutiny", "robot uprising", "alien first contact", "time-travel paradox", "colony on Mars"],
}


@pytest.fixture(scope="session")
def small_catalogue(tmp_path_factory) -> Path:
    """A tiny generic catalogue written like a user's own files: 60 films in three genres, 45 users
    who each love one genre (5 stars) and dislike another (1 star), with demographics and timestamps."""
    folder = tmp_path_factory.mktemp("small-catalogue")
    rng = np.random.default_rng(7)
    items, n = [], 0
    for genre, plots in SMALL_GENRES.items():
        for k in range(20):
            n += 1
            plot = plots[k % len(plots)]
            items.append({"item_id": n, "title": f"{genre} Story {k + 1}", "genres": genre, "year": 1960 + 2 * k,
                          "text": f"A {genre.lower()} film about a {plot}."})  # fmt: skip
    pd.DataFrame(items).to_csv(folder / "items.csv", index=False)
    by_genre = {g: [i["item_id"] for i in items if i["genres"] == g] for g in SMALL_GENRES}
    genres = list(SMALL_GENRES)
    users, rows, clock = [], [], 0
    for u in range(1, 46):
        loved, disliked = genres[u % 3], genres[(u + 1) % 3]
        users.append({"user_id": u, "age": int(18 + u % 40), "gender": "MF"[u % 2], "occupation": ["student", "engineer", "artist"][u % 3]})
        for item in rng.choice(by_genre[loved], size=10, replace=False):
            clock += 1
            rows.append({"user_id": u, "item_id": int(item), "rating": 5, "timestamp": clock})
        for item in rng.choice(by_genre[disliked], size=4, replace=False):
            clock += 1
            rows.append({"user_id": u, "item_id": int(item), "rating": 1, "timestamp": clock})
    pd.DataFrame(rows).to_csv(folder / "interactions.csv", index=False)
    pd.DataFrame(users).to_csv(folder / "users.csv", index=False)
    return folder


@pytest.fixture(scope="session")
def small_explorer(small_catalogue) -> Explorer:
    from recsys.data import load_path

    return Explorer.load(dataset=load_path(small_catalogue))


@pytest.fixture
def app(explorer):
    """The app as a fresh session sees it (AppTest), with the test run's model (``explorer`` trains it first)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=240)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    from tools.loadtest import CHROMIUM, FLAGS

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: `make test` installs it (apt-get install chromium)")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


#: Fixtures that put a test in a tier: the tier's mark must be on the test, so `-m "not …"` leaves it out for sure.
TIER_FIXTURES = {
    "slow": {"explorer", "app"},
    "browser": {"browser"},
    "server": {"server", "served", "one_server", "default_server", "bookshop_server", "app_server", "postgres_server"},
}


def tier_problems(items) -> list[str]:
    """Tests that use a tier's fixture without the tier's mark (a browser test also counts as a server test)."""
    problems = []
    for item in items:
        marks = {mark.name for mark in item.iter_markers()}
        for tier, fixtures in TIER_FIXTURES.items():
            used = fixtures & set(getattr(item, "fixturenames", ()))
            allowed = {tier} | ({"browser"} if tier == "server" else set())
            if used and not marks & allowed:
                problems.append(f"{item.nodeid} uses {', '.join(sorted(used))} but is not marked {tier}")
    return problems


def pytest_collection_modifyitems(config, items):
    problems = tier_problems(items)
    if problems:
        raise pytest.UsageError("tests outside their tier:\n" + "\n".join(problems))
