"""A writer process for the store tests: saves personas in a loop and acknowledges each one.

``python persona_writer.py URL PREFIX COUNT [TEXT_SIZE]`` saves ``PREFIX-0``, ``PREFIX-1``, …
and prints each name on its own line only after ``save`` returned (the transaction committed).
``python persona_writer.py URL PREFIX COUNT --increment`` instead adds one to a shared counter
persona ``PREFIX`` COUNT times, by compare-and-set, retrying whenever another writer got there first.
"""

from __future__ import annotations

import sys

from recsys.persona_store import PersonaChanged, PersonaExists, PersonaStore
from recsys.personas import Persona


def save_loop(store: PersonaStore, prefix: str, count: int, size: int) -> None:
    filler = ("a long profile about westerns and war films " * (size // 44 + 1))[:size]
    for n in range(count):
        name = f"{prefix}-{n}"
        store.save(Persona(name, f"{name}: {filler}", {"age": 30}, (1, 2), ((3, "like"),)))
        print(name, flush=True)


def increment(store: PersonaStore, name: str, count: int) -> None:
    for _ in range(count):
        while True:
            try:
                saved = store.entry(name)
            except KeyError:
                try:
                    store.save(Persona(name, "1"))
                    break
                except PersonaExists:
                    continue
            try:
                store.save(Persona(name, str(int(saved.persona.text) + 1)), overwrite=True, version=saved.version)
                break
            except PersonaChanged:
                continue


if __name__ == "__main__":
    url, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = PersonaStore(url)
    if sys.argv[4:] == ["--increment"]:
        increment(store, prefix, count)
    else:
        save_loop(store, prefix, count, int(sys.argv[4]) if len(sys.argv) > 4 else 200)
