"""The app's shared, read-only resources: one engine and one map per process (st.cache_resource)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import streamlit as st

from recsys import Explorer
from recsys.analysis.projection import Projector
from recsys.persona_store import PersonaStore

ROOT = Path(__file__).resolve().parent.parent
BENCH_RESULTS = (ROOT / "bench-results" / "results.json",)


def _bar_progress():
    """A progress bar and the ``callback(message, fraction)`` that drives it."""
    bar = st.progress(0.0, text="Starting…")

    def progress(message: str, fraction: float) -> None:
        bar.progress(min(max(float(fraction), 0.0), 1.0), text=message)

    return bar, progress


@st.cache_resource(show_spinner=False)
def explorer() -> Explorer:
    """The engine, loaded once per process (a progress bar shows while it trains or loads)."""
    bar, progress = _bar_progress()
    engine = Explorer.load(progress=progress)
    bar.empty()
    return engine


@st.cache_resource(show_spinner=False)
def projector() -> Projector:
    """The map layouts, fitted once per process and cached on disk."""
    bar, progress = _bar_progress()
    result = Projector.for_explorer(explorer(), progress=progress)
    # Warm the placement path once so the first persona on the map is instant.
    layout = result.layout("text", 2)
    layout.place(layout.reference[:1])
    bar.empty()
    return result


@st.cache_resource(show_spinner=False)
def persona_store() -> PersonaStore:
    """The team's saved personas: ``$COLDSTART_PERSONAS_URL`` (SQLite file or PostgreSQL), else ``.cache/personas.sqlite``."""
    return PersonaStore()


@st.cache_data(show_spinner=False)
def _read_results(path: str, modified: float) -> dict | None:
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None


def bench_results() -> tuple[dict | None, str | None]:
    """The latest benchmark JSON written by ``make bench`` (or ``$COLDSTART_BENCH_RESULTS``), and where it was found.

    Cached per (path, modification time), so a new benchmark run shows up on the next rerun.
    """
    override = os.environ.get("COLDSTART_BENCH_RESULTS")
    for path in (Path(override),) if override else BENCH_RESULTS:
        if path.exists():
            results = _read_results(str(path), path.stat().st_mtime)
            if results is not None:
                shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                return results, str(shown)
    return None, None
