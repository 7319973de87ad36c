"""The saved-persona list, on both backends: SQLite (a file) and a real PostgreSQL server started here.

Every store test runs against each backend. The PostgreSQL server is Debian's, started by
``tests/pg_server.py`` in a temporary folder (``make postgres`` installs it); nothing is mocked.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pg_server
import psycopg
import pytest
from hostile import TEXT
from hypothesis import HealthCheck, given, settings

from recsys.persona_store import PersonaChanged, PersonaExists, PersonaStore, StoreUnavailable
from recsys.personas import MAX_NAME, Persona

WRITER = str(Path(__file__).resolve().parent / "persona_writer.py")


@pytest.fixture(scope="session")
def postgres_server():
    with pg_server.server() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.server)])
def store_url(request, tmp_path) -> str:
    """A fresh, empty database of each kind: a new SQLite file, or a new database on the test's PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "personas.sqlite")
    server = request.getfixturevalue("postgres_server")
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as db:
        db.execute(f"CREATE DATABASE {name}")
    return server.rsplit("/", 1)[0] + f"/{name}"


@pytest.mark.server
def test_the_test_server_is_a_real_postgresql(postgres_server):
    with psycopg.connect(postgres_server) as db:
        assert db.execute("SELECT version()").fetchone()[0].startswith("PostgreSQL ")
    assert PersonaStore(postgres_server).kind == "PostgreSQL"


def test_save_list_rename_delete_survive_a_restart(store_url):
    store = PersonaStore(store_url)
    assert store.save(Persona("Horror fan", "gory slasher films", {"age": 19}, (1, 2), ((3, "like"), (4, 2)))) == 1
    store.save(Persona("Kids", "cartoons with my kids"))
    reopened = PersonaStore(store_url)  # a new process would see the same
    assert set(reopened.names()) == {"Horror fan", "Kids"}
    assert reopened.get("Horror fan").feedback == ((3, "like"), (4, 2))
    assert reopened.get("Horror fan").demographics == {"age": 19}
    reopened.rename("Kids", "Family night")
    assert set(reopened.names()) == {"Horror fan", "Family night"}
    assert reopened.get("Family night").name == "Family night"
    with pytest.raises(PersonaExists):
        reopened.rename("Horror fan", "Family night")
    assert reopened.delete("Horror fan") and not reopened.delete("Horror fan")
    assert reopened.names() == ["Family night"]
    with pytest.raises(KeyError):
        reopened.get("Horror fan")
    with pytest.raises(ValueError, match="name"):
        reopened.save(Persona("   ", "x"))
    assert reopened.problems() == []


def test_saving_over_a_taken_name_asks_first(store_url):
    store = PersonaStore(store_url)
    store.save(Persona("Team pick", "film noir detectives"))
    with pytest.raises(PersonaExists, match="already saved") as taken:
        store.save(Persona("Team pick", "romantic comedies"))
    assert taken.value.version == 1
    assert store.get("Team pick").text == "film noir detectives"  # untouched
    assert store.save(Persona("Team pick", "romantic comedies"), overwrite=True, version=1) == 2
    assert store.get("Team pick").text == "romantic comedies"


def test_a_confirmed_replace_never_overwrites_a_save_it_did_not_see(store_url):
    """Two analysts see version 1; the first replaces it; the second's replace must fail, not erase the first's."""
    store = PersonaStore(store_url)
    store.save(Persona("Shared", "westerns"))
    seen_by_a = seen_by_b = store.entry("Shared").version
    store.save(Persona("Shared", "A's westerns and war films"), overwrite=True, version=seen_by_a)
    with pytest.raises(PersonaChanged, match="saved again by someone else") as changed:
        store.save(Persona("Shared", "B's space operas"), overwrite=True, version=seen_by_b)
    assert changed.value.version == 2
    assert store.get("Shared").text == "A's westerns and war films"
    with pytest.raises(PersonaChanged):
        store.delete("Shared", version=seen_by_b)
    with pytest.raises(PersonaChanged):
        store.rename("Shared", "Renamed", version=seen_by_b)
    store.delete("Shared")
    with pytest.raises(PersonaChanged, match="was deleted"):
        store.save(Persona("Shared", "B's space operas"), overwrite=True, version=2)


def _writers(url: str, jobs: list[list[str]]) -> list[subprocess.CompletedProcess]:
    env = {**os.environ, "PYTHONPATH": str(Path(WRITER).parent.parent)}
    procs = [subprocess.Popen([sys.executable, WRITER, url, *job], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for job in jobs]  # fmt: skip
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err[-2000:]
        results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return results


def test_concurrent_saves_from_many_processes_lose_nothing(store_url):
    PersonaStore(store_url)
    n_procs, per_proc = 6, 30
    results = _writers(store_url, [[f"p{k}", str(per_proc)] for k in range(n_procs)])
    acknowledged = {line for r in results for line in r.stdout.split()}
    assert len(acknowledged) == n_procs * per_proc
    store = PersonaStore(store_url)
    assert set(store.names()) == acknowledged
    assert store.problems() == []


def test_concurrent_replaces_by_compare_and_set_lose_no_update(store_url):
    """Six processes each add 1 to a shared counter persona 40 times, each time replacing only the version they read:
    every lost update would show as a total below 240."""
    PersonaStore(store_url)
    _writers(store_url, [["counter", "40", "--increment"] for _ in range(6)])
    saved = PersonaStore(store_url).entry("counter")
    assert int(saved.persona.text) == 240
    assert saved.version == 240


def test_kill_9_in_the_middle_of_saves_loses_no_acknowledged_save(store_url):
    """A writer saves 40 kB personas in a loop, printing each name once its save returned; it is killed with SIGKILL
    at a random moment, five times over. The store must open, pass its integrity check and hold every acknowledged save."""
    PersonaStore(store_url)
    acknowledged: list[str] = []
    env = {**os.environ, "PYTHONPATH": str(Path(WRITER).parent.parent)}
    for round_ in range(5):
        proc = subprocess.Popen(
            [sys.executable, WRITER, store_url, f"r{round_}", "100000", "40000"], stdout=subprocess.PIPE, text=True, env=env
        )
        for _ in range(5 + 3 * round_):
            line = proc.stdout.readline()
            assert line, "the writer died on its own"
            acknowledged.append(line.strip())
        time.sleep(0.013 * round_)  # a different moment of the save loop each round
        proc.send_signal(signal.SIGKILL)
        tail, _ = proc.communicate()
        acknowledged.extend(tail.split())  # lines it printed after the last one read, before the kill
        assert proc.returncode == -signal.SIGKILL
        store = PersonaStore(store_url)  # opens after the crash
        assert store.problems() == []
        saved = set(store.names())
        missing = [name for name in acknowledged if name not in saved]
        assert not missing, f"acknowledged but lost: {missing}"
        assert all(store.get(name).text.startswith(f"{name}: ") for name in acknowledged[-3:])
    if not store_url.startswith("postgresql"):
        with sqlite3.connect(store_url) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_sql_looking_and_hidden_character_names_are_stored_as_plain_names(store_url):
    store = PersonaStore(store_url)
    hostile = "Robert'); DROP TABLE personas;--"
    store.save(Persona(hostile, "x"))
    store.save(Persona("Al\u200bice\u202e \x00\ttwin", "y"))  # zero-width space, right-to-left override, NUL, tab
    assert set(store.names()) == {hostile, "Alice twin"}
    assert store.get(hostile).name == hostile
    with pytest.raises(PersonaExists):  # a look-alike of a saved name is that name
        store.save(Persona("Alice\u200d twin", "z"))
    with pytest.raises(ValueError, match="at most"):
        store.save(Persona("x" * (MAX_NAME + 1), "too long"))
    with pytest.raises(ValueError, match="name"):
        store.save(Persona("\u200b\u202e\x00", "nothing visible"))


def test_a_list_saved_before_versions_opens_and_keeps_its_personas(tmp_path):
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE personas (name TEXT PRIMARY KEY, body TEXT NOT NULL, saved REAL NOT NULL)")
        db.execute("""INSERT INTO personas VALUES ('Old', '{"name": "Old", "text": "westerns"}', 1.0)""")
    store = PersonaStore(path)
    assert store.entry("Old").version == 1 and store.get("Old").text == "westerns"
    store.save(Persona("Old", "war films"), overwrite=True, version=1)
    assert store.entry("Old").version == 2


def test_the_store_location_is_a_url(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert Path(PersonaStore("sqlite:///rel.sqlite").where) == Path("rel.sqlite")
    assert PersonaStore(f"sqlite:///{tmp_path}/abs.sqlite").where == f"{tmp_path}/abs.sqlite"
    monkeypatch.setenv("COLDSTART_PERSONAS_URL", str(tmp_path / "from-env.sqlite"))
    PersonaStore().save(Persona("Env", "x"))
    assert PersonaStore(tmp_path / "from-env.sqlite").names() == ["Env"]
    with pytest.raises(ValueError, match="unknown persona store"):
        PersonaStore("mysql://somewhere/db")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=TEXT, text=TEXT)
def test_any_name_and_text_round_trip_or_are_refused_clearly(store_url, name, text):
    store = PersonaStore(store_url)
    try:
        store.save(Persona(name, text), overwrite=True)
    except ValueError as err:
        assert "name" in str(err)
        return
    saved = [n for n in store.names() if store.get(n).text == text]
    assert saved, "the saved persona does not read back"
    store.delete(saved[0])


def test_an_unreachable_database_is_a_clear_error(tmp_path):
    with pytest.raises(StoreUnavailable, match="cannot be reached"):
        PersonaStore("postgresql://coldstart@127.0.0.1:1/nowhere")
    with pytest.raises(StoreUnavailable, match="cannot be opened"):
        PersonaStore(tmp_path)  # a folder, not a file
