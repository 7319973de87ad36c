"""The app's shared, read-only resources: one engine and one map per process (st.cache_resource)."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from recsys import Explorer
from recsys.analysis.projection import Projector
from recsys.persona_store import PersonaStore
from recsys_bench import results

ROOT = Path(__file__).resolve().parent.parent


def _bar_progress():
    """A progress bar and the ``callback(message, fraction)`` that drives it."""
    bar = st.progress(0.0, text="Starting…")

    def progress(message: str, fraction: float) -> None:
        bar.progress(min(max(float(fraction), 0.0), 1.0), text=message)

    return bar, progress


@st.cache_resource(show_spinner=False)
def explorer() -> Explorer:
    """The engine, loaded once per process (a progress bar shows while it trains or loads).

    Its like-probability is read through the calibration the latest benchmark run fitted
    (the shipped reference run until a local one exists).
    """
    bar, progress = _bar_progress()
    engine = Explorer.load(progress=progress)
    bar.empty()
    found = results.latest()
    return engine.calibrated(found.calibration(engine.dataset.name)) if found else engine


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
def checksums_at_load() -> dict[str, str]:
    """The shared engine's checksums when it was first used (the Home page compares fresh ones with these)."""
    return explorer().checksums()


@st.cache_resource(show_spinner=False)
def persona_store() -> PersonaStore:
    """The team's saved personas: ``$COLDSTART_PERSONAS_URL`` (SQLite file or PostgreSQL), else ``.cache/personas.sqlite``."""
    return PersonaStore()


@st.cache_data(show_spinner=False)
def _latest(paths_and_times: tuple) -> results.BenchResults | None:
    return results.latest()


def bench_results() -> results.BenchResults | None:
    """The latest benchmark results (:func:`recsys_bench.results.latest`): a local run, else the shipped reference.

    Cached per modification time of the candidate files, so a new benchmark run shows up on the next rerun.
    """
    override = os.environ.get("COLDSTART_BENCH_RESULTS")
    paths = (Path(override),) if override else (results.LOCAL, results.REFERENCE)
    return _latest(tuple((str(p), p.stat().st_mtime if p.exists() else None) for p in paths))


def shown_path(path: Path) -> str:
    """A results path as the pages print it: relative to the project when inside it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
