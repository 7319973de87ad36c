"""Shared fixtures. Tests never read the user's artifact cache: the whole run uses its own.

``COLDSTART_CACHE`` is pointed at a fresh temporary folder before anything is loaded, so
the real model is trained once per test run by the code under test (a change that breaks
training cannot hide behind a model trained earlier). The test processes of one run
(pytest-xdist workers) share that folder — a model one of them trains, the others load, and
the engine's own lock makes a second one wait rather than train it again — and it is
removed when the run ends. ``--prepare-models`` (``make test``) trains the MovieLens and
bookshop models once, on every core, before the workers start. Set
``COLDSTART_TEST_CACHE`` to a folder of your choice to reuse a test cache between local
runs; artifact keys include a hash of the code that made them, so a reused test cache
still retrains after a change.
"""

from __future__ import annotations

import os
import shutil
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
#: Set by the process that made the run's cache, for its workers (which inherit the environment) to use the same one.
RUN_CACHE = "COLDSTART_TEST_RUN_CACHE"
#: The run's cache when this process made it (and removes it at the end); None when chosen or inherited.
MADE_CACHE = None
if os.environ.get("COLDSTART_TEST_CACHE"):
    os.environ["COLDSTART_CACHE"] = os.environ["COLDSTART_TEST_CACHE"]
elif os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get(RUN_CACHE):
    os.environ["COLDSTART_CACHE"] = os.environ[RUN_CACHE]
else:
    MADE_CACHE = os.environ["COLDSTART_CACHE"] = os.environ[RUN_CACHE] = tempfile.mkdtemp(prefix="coldstart-test-cache-")
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


def pytest_addoption(parser):
    parser.addoption(
        "--prepare-models", action="store_true",
        help="train the MovieLens and bookshop models on every core before the test processes start (make test)",
    )  # fmt: skip


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    """With ``--prepare-models``, the run's two big models are trained here, before pytest-xdist starts its workers.

    Each worker would otherwise train both on its one thread while the other does the same; here each is trained
    once — MovieLens in this process and the bookshop beside it in another, one thread each (a thread per core
    gets more from the two cores than two threads on one model) — and the workers load them from the shared cache.
    """
    if not session.config.getoption("prepare_models") or os.environ.get("PYTEST_XDIST_WORKER"):
        return
    import subprocess
    import sys

    import torch

    from recsys.examples import write_bookshop

    bookshop = write_bookshop(Path(os.environ["COLDSTART_CACHE"]) / "prepared" / "bookshop")
    script = "import sys; from recsys import Explorer; from recsys.data import load_path; Explorer.load(dataset=load_path(sys.argv[1]))"
    beside = subprocess.Popen([sys.executable, "-c", script, str(bookshop)], env=dict(os.environ, OMP_NUM_THREADS="1"))
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        Explorer.load()
    finally:
        torch.set_num_threads(threads)
    # A failure here is not the tests' verdict: the tests that use the bookshop train it again and report what breaks.
    beside.wait()


def pytest_unconfigure(config):
    if MADE_CACHE and not os.environ.get("PYTEST_XDIST_WORKER"):
        shutil.rmtree(MADE_CACHE, ignore_errors=True)


#: Tiers from the costliest test files to the cheapest: the order in which ``make test`` hands out files.
COST_ORDER = ("browser", "server", "eval", "slow")


def heaviest_files_first(items) -> None:
    """Order the files by their costliest tier (browser, server, eval, slow, then fast), each file's tests in place.

    pytest-xdist hands whole files to its processes in this order (``--dist loadfile --no-loadscope-reorder``):
    the long browser files start first and the many short fast ones fill in at the end, so the two processes
    finish close together.
    """

    def cost(item) -> int:
        marks = {mark.name for mark in item.iter_markers()}
        return next((n for n, tier in enumerate(COST_ORDER) if tier in marks), len(COST_ORDER))

    by_file: dict[Path, int] = {}
    for item in items:
        by_file[item.path] = min(by_file.get(item.path, len(COST_ORDER)), cost(item))
    items.sort(key=lambda item: by_file[item.path])  # stable: a file's tests keep their order


def pytest_collection_modifyitems(config, items):
    problems = tier_problems(items)
    if problems:
        raise pytest.UsageError("tests outside their tier:\n" + "\n".join(problems))
    heaviest_files_first(items)
