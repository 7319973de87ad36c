"""The saved-persona list: one small interface over SQLite (the default) or PostgreSQL (a team's replicas).

A saved persona is one row ``(name, body, version, saved)``. Every write is a single
transaction, so a crash — even ``kill -9`` in the middle of a save — leaves the old row or
the new one, never half of either, and a save that returned is on disk.

The list is shared by everyone who opens the same database, so a save never silently
replaces somebody else's persona. Each row carries a version, bumped by every write:

- ``save(p)`` adds a new name and raises :class:`PersonaExists` when the name is taken;
- ``save(p, overwrite=True, version=v)`` replaces the row only while it is still at
  version ``v`` — the version the saver last saw — and raises :class:`PersonaChanged` when
  someone saved over it or deleted it since (compare-and-set);
- ``save(p, overwrite=True)`` replaces whatever is there: a deliberate write, for scripts.

Where the list lives is a URL (``$COLDSTART_PERSONAS_URL``): a file path or
``sqlite:///relative.sqlite`` / ``sqlite:////absolute.sqlite`` for SQLite, or
``postgresql://user:password@host:port/db`` for PostgreSQL (driver: ``psycopg`` 3).
Without one it is ``<cache>/personas.sqlite``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recsys.cache import cache_root
from recsys.personas import Persona, clean_name

URL_VARIABLE = "COLDSTART_PERSONAS_URL"
TABLE = "CREATE TABLE IF NOT EXISTS personas (name TEXT PRIMARY KEY, body TEXT NOT NULL, version BIGINT NOT NULL, saved DOUBLE PRECISION NOT NULL)"


class PersonaExists(ValueError):
    """Saving under a name that is already taken, without ``overwrite=True``."""

    def __init__(self, name: str, version: int):
        super().__init__(f"a persona named {name!r} is already saved; replace it deliberately, or save under another name")
        self.name, self.version = name, version


class PersonaChanged(ValueError):
    """A compare-and-set save or rename whose row was saved over or deleted since the saver saw it."""

    def __init__(self, name: str, version: int | None):
        state = "was deleted" if version is None else f"was saved again by someone else (now version {version})"
        super().__init__(f"the saved persona {name!r} {state} since you last saw it; nothing was replaced")
        self.name, self.version = name, version


class StoreUnavailable(ValueError):
    """The database cannot be reached or written (server down, wrong password, disk full, locked too long)."""


@dataclass(frozen=True)
class SavedPersona:
    """A row of the list: the persona, its version (for compare-and-set) and when it was saved (Unix time)."""

    persona: Persona
    version: int
    saved: float


class _SQLite:
    """One file; write transactions take the write lock up front (``BEGIN IMMEDIATE``), so
    concurrent writers queue on the busy timeout instead of failing on a stale snapshot."""

    placeholder = "?"
    integrity_error = sqlite3.IntegrityError

    def __init__(self, path: Path):
        self.path = path
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.where = str(path)

    @contextmanager
    def transaction(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        try:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except sqlite3.OperationalError as err:
            raise StoreUnavailable(f"the saved-persona file {self.path} cannot be opened: {err}") from err
        try:
            # WAL lets readers go on while one process writes; FULL syncs the log at every commit.
            db.execute("PRAGMA synchronous = FULL")
            db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            yield db
            db.execute("COMMIT")
        except BaseException as err:
            if db.in_transaction:
                db.execute("ROLLBACK")
            if isinstance(err, sqlite3.OperationalError):
                raise StoreUnavailable(f"the saved-persona file {self.path} cannot be used: {err}") from err
            raise
        finally:
            db.close()

    def create(self) -> None:
        try:
            with sqlite3.connect(self.path, timeout=30) as db:
                db.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as err:
            raise StoreUnavailable(f"the saved-persona file {self.path} cannot be opened: {err}") from err
        with self.transaction(write=True) as db:
            db.execute(TABLE)
            columns = {row[1] for row in db.execute("PRAGMA table_info(personas)")}
            if "version" not in columns:  # a list saved before rows had versions
                db.execute("ALTER TABLE personas ADD COLUMN version INTEGER NOT NULL DEFAULT 1")

    def problems(self) -> list[str]:
        with self.transaction() as db:
            found = [row[0] for row in db.execute("PRAGMA integrity_check")]
        return [] if found == ["ok"] else found


class _Postgres:
    """A PostgreSQL database shared by several app replicas; a connection per operation, so a
    server restart costs one failed call, never a stuck store."""

    placeholder = "%s"

    def __init__(self, url: str):
        import psycopg  # only a team deployment needs the driver

        self._psycopg = psycopg
        self.url = url
        self.integrity_error = psycopg.errors.IntegrityError
        self.where = url.split("@")[-1]  # never show the password

    @contextmanager
    def transaction(self, write: bool = False) -> Iterator[Any]:
        # The connection's context commits on success and rolls back on an exception.
        try:
            with self._psycopg.connect(self.url, connect_timeout=10) as db:
                yield db
        except self._psycopg.OperationalError as err:
            raise StoreUnavailable(f"the saved-persona database {self.where} cannot be reached: {str(err).strip()}") from err

    def create(self) -> None:
        with self.transaction(write=True) as db:
            # Concurrent CREATE TABLE IF NOT EXISTS can collide in PostgreSQL's catalogue: one at a time.
            db.execute("SELECT pg_advisory_xact_lock(7204301)")
            db.execute(TABLE)

    def problems(self) -> list[str]:
        return []


class PersonaStore:
    """The team's saved personas, by name, in SQLite or PostgreSQL (see the module's docstring).

    Args:
        location: a database URL, a SQLite file path, or ``None`` for ``$COLDSTART_PERSONAS_URL``
            or else ``<cache>/personas.sqlite``.

    Example:
        >>> store = PersonaStore(tmp_path / "personas.sqlite")  # doctest: +SKIP
        >>> store.save(Persona("Horror fan", "gory slasher films"))  # doctest: +SKIP
        1
    """

    def __init__(self, location: str | Path | None = None):
        location = location if location is not None else os.environ.get(URL_VARIABLE) or cache_root() / "personas.sqlite"
        self._db = _backend(location)
        self._db.create()

    @property
    def where(self) -> str:
        """Where the list lives (a file path or host/database; never a password)."""
        return self._db.where

    @property
    def kind(self) -> str:
        return "PostgreSQL" if isinstance(self._db, _Postgres) else "SQLite"

    def _sql(self, statement: str) -> str:
        return statement.replace("?", self._db.placeholder)

    def save(self, persona: Persona, *, overwrite: bool = False, version: int | None = None) -> int:
        """Save ``persona`` under its name and return the row's new version.

        Raises:
            ValueError: an empty or over-long name.
            PersonaExists: the name is taken and ``overwrite`` is false.
            PersonaChanged: ``overwrite`` with a ``version`` that is no longer the row's.
        """
        name = clean_name(persona.name)
        body = json.dumps({**persona.to_json(), "name": name}, default=str)
        with self._db.transaction(write=True) as db:
            if not overwrite:
                inserted = db.execute(
                    self._sql("INSERT INTO personas (name, body, version, saved) VALUES (?, ?, 1, ?) ON CONFLICT (name) DO NOTHING"),
                    (name, body, time.time()),
                ).rowcount
                if inserted != 1:
                    raise PersonaExists(name, self._version(db, name))
                return 1
            if version is None:
                row = db.execute(
                    self._sql(
                        "INSERT INTO personas (name, body, version, saved) VALUES (?, ?, 1, ?) ON CONFLICT (name) "
                        "DO UPDATE SET body = excluded.body, version = personas.version + 1, saved = excluded.saved RETURNING version"
                    ),
                    (name, body, time.time()),
                ).fetchone()
                return int(row[0])
            row = db.execute(
                self._sql(
                    "UPDATE personas SET body = ?, version = version + 1, saved = ? WHERE name = ? AND version = ? RETURNING version"
                ),
                (body, time.time(), name, int(version)),
            ).fetchone()
            if row is None:
                raise PersonaChanged(name, self._version(db, name))
            return int(row[0])

    def _version(self, db, name: str) -> int | None:
        row = db.execute(self._sql("SELECT version FROM personas WHERE name = ?"), (name,)).fetchone()
        return None if row is None else int(row[0])

    def names(self) -> list[str]:
        """Every saved name, the most recently saved first."""
        with self._db.transaction() as db:
            return [row[0] for row in db.execute("SELECT name FROM personas ORDER BY saved DESC, name")]

    def catalogues(self) -> dict[str, dict | None]:
        """Every saved name with the catalogue its persona was made on (``None``: saved before personas recorded it)."""
        with self._db.transaction() as db:
            rows = db.execute("SELECT name, body FROM personas ORDER BY saved DESC, name").fetchall()
        found = {}
        for name, body in rows:
            try:
                catalogue = json.loads(body).get("catalogue")
            except (ValueError, AttributeError):
                catalogue = None
            found[name] = catalogue if isinstance(catalogue, dict) else None
        return found

    def entry(self, name: str) -> SavedPersona:
        """The row saved under ``name``; raises ``KeyError`` when there is none."""
        with self._db.transaction() as db:
            row = db.execute(self._sql("SELECT body, version, saved FROM personas WHERE name = ?"), (name,)).fetchone()
        if row is None:
            raise KeyError(f"no saved persona named {name!r}")
        return SavedPersona(Persona.from_json(json.loads(row[0])), int(row[1]), float(row[2]))

    def get(self, name: str) -> Persona:
        """The persona saved under ``name``; raises ``KeyError`` when there is none."""
        return self.entry(name).persona

    def rename(self, old: str, new: str, *, version: int | None = None) -> int:
        """Give a saved persona a new name (``version``: only if it is still at that version).

        Raises:
            KeyError: nothing is saved under ``old``.
            PersonaExists: ``new`` is taken.
            PersonaChanged: ``version`` is no longer the row's.
        """
        new = clean_name(new)
        with self._db.transaction(write=True) as db:
            row = db.execute(self._sql("SELECT body, version FROM personas WHERE name = ?"), (old,)).fetchone()
            if row is None:
                raise KeyError(f"no saved persona named {old!r}")
            if version is not None and int(row[1]) != int(version):
                raise PersonaChanged(old, int(row[1]))
            if new == old:
                return int(row[1])
            taken = self._version(db, new)
            if taken is not None:
                raise PersonaExists(new, taken)
            body = json.dumps({**json.loads(row[0]), "name": new})
            try:
                db.execute(self._sql("UPDATE personas SET name = ?, body = ?, version = version + 1, saved = ? WHERE name = ?"),
                           (new, body, time.time(), old))  # fmt: skip
            except self._db.integrity_error:  # taken between the check and the update
                raise PersonaExists(new, 0) from None
            return int(row[1]) + 1

    def delete(self, name: str, *, version: int | None = None) -> bool:
        """Delete a saved persona (``version``: only if it is still at that version); ``False`` if none was there.

        Raises:
            PersonaChanged: ``version`` is no longer the row's.
        """
        with self._db.transaction(write=True) as db:
            if version is None:
                return db.execute(self._sql("DELETE FROM personas WHERE name = ?"), (name,)).rowcount == 1
            if db.execute(self._sql("DELETE FROM personas WHERE name = ? AND version = ?"), (name, int(version))).rowcount == 1:
                return True
            current = self._version(db, name)
            if current is None:
                return False
            raise PersonaChanged(name, current)

    def problems(self) -> list[str]:
        """What is wrong with the stored list: the database's own integrity check, then every row that does not read back."""
        found = list(self._db.problems())
        with self._db.transaction() as db:
            rows = db.execute("SELECT name, body FROM personas").fetchall()
        for name, body in rows:
            try:
                persona = Persona.from_json(json.loads(body))
            except ValueError as err:
                found.append(f"{name!r}: {err}")
                continue
            if persona.name != name:
                found.append(f"{name!r}: its body is named {persona.name!r}")
        return found


def _backend(location: str | Path) -> _SQLite | _Postgres:
    if isinstance(location, Path):
        return _SQLite(location)
    text = str(location)
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    if scheme in ("postgresql", "postgres"):
        return _Postgres(text)
    if scheme == "sqlite":
        return _SQLite(Path(text.split("://", 1)[1][1:] or "personas.sqlite"))
    if scheme:
        raise ValueError(f"unknown persona store {scheme}:// — use a file path, sqlite:///… or postgresql://…")
    return _SQLite(Path(text))
