"""The app's shared, read-only resources: one engine and one map per catalogue and process (st.cache_resource).

The server's default catalogue is MovieLens-100k, or the folder ``$COLDSTART_DATA`` names.
A session can open another one (the Catalogue page: an upload or the shipped example); its
engine is cached by the catalogue's content fingerprint, so every session that opens the
same files shares one engine, and the default keeps serving everyone else.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from recsys import Explorer, results
from recsys.analysis.projection import MAX_FIT, SPACES, Projector
from recsys.artifacts import is_trained
from recsys.cache import atomic_write_json, cache_root
from recsys.data import Dataset, load_path
from recsys.encoder import ENCODER_NAMES, CachedEncoder
from recsys.encoders import make_encoder
from recsys.jobs import Progress as JobProgress
from recsys.jobs import Step, TrainingJob, TrainingJobs
from recsys.persona_store import PersonaStore
from recsys.training import planned_steps
from ui import session

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


class _LazyBar:
    """A progress bar drawn on its first report (so a cache hit, which reports nothing, draws nothing)."""

    def __init__(self):
        self.bar = None

    def __call__(self, message: str, fraction: float) -> None:
        if self.bar is None:
            self.bar = st.progress(0.0)
        self.bar.progress(min(max(float(fraction), 0.0), 1.0), text=message)

    def empty(self) -> None:
        if self.bar is not None:
            self.bar.empty()


def _bar_progress():
    """A progress bar (drawn when first used) and the ``callback(message, fraction)`` that drives it."""
    bar = _LazyBar()
    return bar, bar


DATA_ENV = "COLDSTART_DATA"


@dataclass(frozen=True)
class Opened:
    """A catalogue a session opened: where its files are and the fingerprint its engine is cached by."""

    folder: str
    fingerprint: str
    label: str
    #: The k-core kept (``None``: every interaction, or what the folder's catalogue.json says).
    min_interactions: int | None = None
    #: The text model it is trained with (:data:`recsys.encoder.ENCODER_NAMES`); ``None``: the server's.
    encoder: str | None = None

    @property
    def job_key(self) -> str:
        """What its training job is known by: the content fingerprint, and the text model when it is not the server's."""
        return self.fingerprint if self.encoder is None else f"{self.fingerprint}+{self.encoder}"


def timed_progress(progress: Callable[[str, float], None]) -> Callable[[str, float], None]:
    """Wrap ``progress`` so each message after the first second also says the time spent and, once a step is under way,
    about how long is left (messages come when a step starts or ends, so a time in the first one would stand still)."""
    started = time.perf_counter()

    def report(message: str, fraction: float) -> None:
        spent = time.perf_counter() - started
        if spent < 1.0:
            # A step's first message stays up until the next one: "0 s so far" read as a counter that had stopped.
            progress(message, fraction)
            return
        left = spent * (1 - fraction) / fraction if 0.05 <= fraction < 1 else None
        progress(f"{message} — {timing(spent, left)}", fraction)

    return report


def timing(spent: float, left: float | None) -> str:
    """``"1 min 40 s so far, about 2 min 10 s left"`` (the time left rounded more coarsely the longer it is)."""
    if left is None:
        return f"{duration(spent)} so far"
    coarse = 1 if left < 20 else 5 if left < 120 else 10
    return f"{duration(spent)} so far, about {duration(coarse * round(left / coarse))} left"


def duration(seconds: float, tenths: bool = False) -> str:
    """``"8 s"``, ``"1 min 30 s"``, ``"14 min"``; ``tenths``: ``"2.4 s"`` under ten seconds."""
    if tenths and seconds < 9.95:
        return f"{seconds:.1f} s"
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 600:
        return f"{whole // 60} min" + (f" {whole % 60} s" if whole % 60 else "")
    return f"{round(seconds / 60)} min"


def _calibrated(engine: Explorer) -> Explorer:
    """Read the like-probability through the calibration of the latest benchmark run of this catalogue (if any)."""
    found = results.latest()
    return engine.calibrated(found.calibration(engine.dataset.name, engine.fingerprint)) if found else engine


def settle_long_lived() -> None:
    """Keep what lives as long as the server (the default engine, its map, the imported libraries) out of garbage collections.

    A full collection walks every tracked object: with the text model, torch and the catalogue
    loaded that is ~550,000 objects and 0.3–0.6 s of CPU. Python runs one whenever enough
    objects have piled up, and Streamlit after every script run unless ``runner.postScriptGC``
    is off (``.streamlit/config.toml`` turns it off). ``gc.freeze()`` moves the objects alive
    now into a generation collections skip, so a collection only walks what sessions create since. Called only for resources kept
    for the whole process (never for an opened catalogue, which can be evicted: a frozen
    object caught in a reference cycle would never be freed).
    """
    gc.collect()
    gc.freeze()


def default_dataset() -> Dataset | None:
    """The server's catalogue: the folder ``$COLDSTART_DATA`` names, or ``None`` for the packaged MovieLens-100k."""
    path = os.environ.get(DATA_ENV, "").strip()
    return load_path(path) if path else None


#: What lives as long as the server, once loaded: read here without going through st.cache_resource, whose every hit
#: replays the messages the loading run drew (its progress bar's updates: ~7% of a busy server's time, docs/deployment.md:
#: Many analysts on one server).
_FOR_GOOD: dict[str, Any] = {}


def default_explorer() -> Explorer:
    """The server's engine, loaded once per process (a progress bar shows while it trains or loads).

    Its like-probability is read through the calibration the latest benchmark run fitted
    (the shipped reference run until a local one exists).
    """
    if "engine" not in _FOR_GOOD:
        _FOR_GOOD["engine"] = _load_default_explorer()  # one loader at a time (the cache's lock); the others wait for it
    return _FOR_GOOD["engine"]


@st.cache_resource(show_spinner=False)
def _load_default_explorer() -> Explorer:
    bar, progress = _bar_progress()
    engine = _calibrated(Explorer.load(dataset=default_dataset(), progress=timed_progress(progress)))
    bar.empty()
    settle_long_lived()
    return engine


@st.cache_resource(show_spinner=False)
def training_jobs() -> TrainingJobs:
    """The server's catalogue trainings (each in its own thread); a finished job's result is that catalogue's engine."""
    return TrainingJobs(keep=4, folder=cache_root())  # turns shared with the server's other processes (frontdoor.py)


#: Fitting the maps on the reference machine: once (UMAP compiles itself on its first fit in a process), and per
#: item fitted and space (see recsys.training.planned_steps).
MAP_SECONDS = (8.0, 4e-3)


def text_encoder(name: str | None = None) -> CachedEncoder:
    """The text model called ``name``, loaded once per process; ``None`` (or the server's own name): the server's engine's."""
    server = default_explorer().encoder
    if name is None or name == server.name:
        return server
    key = f"encoder:{name}"
    if key not in _FOR_GOOD:
        _FOR_GOOD[key] = make_encoder(name)
    return _FOR_GOOD[key]


def start_training(fingerprint: str, label: str, load: Callable[[], Dataset], encoder_name: str | None = None) -> TrainingJob:
    """Train (or load from the disk cache) the engine of a catalogue in the background; joins a training already under way.

    The job names its steps (:func:`recsys.training.planned_steps`, then the map), so its
    time left is estimated from measured rates and it keeps what each step took. ``encoder_name``
    chooses the text model (``None``: the server's); the same files with another model are
    another job, trained and cached apart.
    """
    encoder = text_encoder(encoder_name)
    key = Opened("", fingerprint, label, encoder=encoder_name).job_key

    def work(progress: JobProgress) -> Explorer:
        progress("Reading the catalogue", 0.0)
        dataset = load()
        trained = is_trained(dataset, encoder)
        if not trained:
            progress.wait_turn()  # one catalogue trains at a time; loading one trained before never waits
        fitted = min(dataset.n_items, MAX_FIT)
        the_map = Step("Fitting the map", "UMAP map", MAP_SECONDS[0] + len(SPACES) * MAP_SECONDS[1] * fitted)
        progress.plan([*planned_steps(dataset, encoder, trained=trained), the_map])
        engine = Explorer.train(dataset, encoder, progress=lambda message, fraction: progress(message, 0.85 * fraction))
        # The map too, so the Embedding map opens at once (its layouts are cached on disk by the model).
        Projector.for_explorer(engine, progress=lambda message, fraction: progress(message, 0.85 + 0.15 * fraction))
        return _calibrated(engine)

    return training_jobs().start(key, label, work)


def opened() -> Opened | None:
    """The catalogue this session opened, or ``None`` when it explores the server's default."""
    return st.session_state.get(session.CATALOGUE)


def explorer() -> Explorer:
    """The engine of the catalogue this session explores."""
    chosen = opened()
    if chosen is None:
        return default_explorer()
    job = training_jobs().get(chosen.job_key)
    if job is None or job.state != "ready":
        # Dropped from memory since (more catalogues were opened): load it again, from the disk cache.
        job = start_training(
            chosen.fingerprint, chosen.label, lambda: load_path(chosen.folder, min_interactions=chosen.min_interactions), chosen.encoder
        )
        with st.spinner(f"Loading {chosen.label} again…"):
            job.wait()
        if job.state != "ready":
            st.error(f"{chosen.label} could not be loaded again ({job.error}); back to the server's catalogue.")
            session.set_catalogue(None)  # its personas were made on the other catalogue
            return default_explorer()
    return job.result


@dataclass(frozen=True)
class Readiness:
    """How this session's engine came to be, in wall-clock seconds (the Home page's status)."""

    trained_now: bool
    #: The training's wall time, when it was trained in this process (``None``: loaded from the cache).
    train_seconds: float | None
    #: From asking for the engine to being able to use it: the training job the person waited for (a turn to train
    #: included), or the server's start-up load.
    ready_seconds: float | None
    #: What each step of that job took, in order (empty for the server's own engine, or a job this session joined late).
    steps: tuple[tuple[str, float], ...] = ()
    #: How this session came by a job it did not wait for from the start (empty otherwise).
    note: str = ""


def ask_for(job_key: str) -> None:
    """Note when this session first asked for a catalogue's engine (training it, joining its training or opening it), so
    the times it is shown are its own wait, not another session's."""
    st.session_state.setdefault(session.CATALOGUE_ASKED, {}).setdefault(job_key, time.perf_counter())


def readiness() -> Readiness:
    """The real times behind this session's engine: the part of its training job this session waited for, or the server's load.

    A job another session started is counted from when this session asked; one that was ready before it asked took it
    no time, and its steps are not this session's to show.
    """
    engine = explorer()
    trained_now = bool(engine.info.get("trained_now"))
    chosen = opened()
    job = training_jobs().get(chosen.job_key) if chosen is not None else None
    if job is not None and job.result is engine:
        seconds, note = waited_for(job)
        return Readiness(trained_now, job.seconds if trained_now else None, seconds, () if note else tuple(job.durations()), note)
    load = engine.info.get("load_seconds")
    return Readiness(trained_now, load if trained_now else None, load)


def waited_for(job: TrainingJob) -> tuple[float, str]:
    """How long this session waited for a finished job, and how it came by it when not from the start ("" when it did).

    Counted from when it asked (:func:`ask_for`): a job ready before took it no time, one under way the rest of its run.
    """
    asked = st.session_state.get(session.CATALOGUE_ASKED, {}).get(job.key, job.started)
    finished = job.finished or time.perf_counter()
    if asked >= finished:
        return 0.0, f"ready on this server before this session asked for it ({job_summary(job)})"
    if asked > job.started + 1.0:
        return finished - asked, f"joined a job already under way ({job_summary(job)})"
    return job.wall_seconds, ""


def job_summary(job: TrainingJob) -> str:
    """What a finished job's wall time went to, in words: trained or loaded from the cache, the wait for a turn, the longest step.

    Example: ``"loaded from the cache in 1 min 32 s: 1 min 10 s waiting for another training, reading the items with
    all-mpnet-base-v2 20 s"``.
    """
    done = "trained" if job.result is not None and job.result.info.get("trained_now") else "loaded from the cache"
    parts = [f"{duration(job.waited)} waiting for another training"] if job.waited >= 0.5 else []
    steps = sorted(job.durations(), key=lambda step: -step[1])
    if steps and steps[0][1] >= 5.0 and steps[0][1] >= 0.2 * job.wall_seconds:
        parts.append(f"{steps[0][0][0].lower()}{steps[0][0][1:]} {duration(steps[0][1])}")
    return f"{done} in {duration(job.wall_seconds)}" + (": " + ", ".join(parts) if parts else "")


def engine_key(engine: Explorer) -> str:
    """What identifies an engine across sessions: its model's cache key (data fingerprint, code, config)."""
    return str(engine.info.get("key", id(engine)))


@st.cache_resource(show_spinner=False, max_entries=5)
def _projector(key: str, _engine: Explorer) -> Projector:
    bar, progress = _bar_progress()
    result = Projector.for_explorer(_engine, progress=timed_progress(progress))
    # Warm the placement path once so the first persona on the map is instant.
    layout = result.layout("text", 2)
    layout.place(layout.reference[:1])
    bar.empty()
    if key == engine_key(default_explorer()):
        settle_long_lived()
    return result


def projector() -> Projector:
    """The map layouts of this session's catalogue, fitted once per process and cached on disk."""
    engine = explorer()
    key = engine_key(engine)
    if engine is default_explorer():  # the server's map lives as long as its engine (see _FOR_GOOD)
        if "map" not in _FOR_GOOD:
            _FOR_GOOD["map"] = _projector(key, engine)
        return _FOR_GOOD["map"]
    return _projector(key, engine)


@st.cache_resource(show_spinner=False, max_entries=64)
def _derived(key: str, what: tuple, _build: Callable[[], Any]) -> Any:
    return _build()


def derived(what: tuple, build: Callable[[], T]) -> T:
    """``build()`` once per process for this session's engine: what a page makes from the engine alone.

    ``what`` names the result and every other input ``build`` reads (a page's map space,
    view, colouring…). The result is shared by every session, like the engine: never
    mutate it.
    """
    return _derived(engine_key(explorer()), what, build)


@st.cache_resource(show_spinner=False, max_entries=5)
def _checksums_at_load(key: str, _engine: Explorer) -> dict[str, str]:
    return _engine.checksums()


def checksums_at_load() -> dict[str, str]:
    """This session engine's checksums when it was first used (the Home page compares fresh ones with these)."""
    engine = explorer()
    return _checksums_at_load(engine_key(engine), engine)


@st.cache_resource(show_spinner=False)
def persona_store() -> PersonaStore:
    """The team's saved personas: ``$COLDSTART_PERSONAS_URL`` (SQLite file or PostgreSQL), else ``.cache/personas.sqlite``."""
    return PersonaStore()


@st.cache_data(show_spinner=False)
def _latest(paths_and_times: tuple) -> results.BenchResults | None:
    return results.latest()


def bench_results() -> results.BenchResults | None:
    """The latest benchmark results (:func:`recsys.results.latest`): a local run, else the shipped reference.

    Cached per modification time of the candidate files, so a new benchmark run shows up on the next rerun.
    """
    override = os.environ.get("COLDSTART_BENCH_RESULTS")
    paths = (Path(override),) if override else (results.LOCAL, results.REFERENCE)
    return _latest(tuple((str(p), p.stat().st_mtime if p.exists() else None) for p in paths))


def shown_path(path: Path) -> str:
    """A results path as the pages print it: relative to the project when inside it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


# ---------------------------------------------------------------------- catalogues a persona can name
#: Catalogues opened on this server (any process), by content fingerprint: where a link made on one can switch to.
OPENED_FILE = "opened-catalogues.json"


def _shipped(folder: str) -> bool:
    """Is ``folder`` one of the shipped examples (written by this project's own scripts), which anyone may open?"""
    path = Path(folder).resolve()
    return any(path.is_relative_to(root.resolve()) for root in (cache_root() / "examples", ROOT / "data" / "examples"))


@contextlib.contextmanager
def _opened_file():
    """The record of opened catalogues, read and rewritten under a lock (the server's processes share it)."""
    path = cache_root() / OPENED_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            known = json.loads(path.read_text()) if path.exists() else {}
        except (OSError, ValueError):
            known = {}
        yield known
        atomic_write_json(path, known)


def remember_catalogue(chosen: Opened, owner: str | None) -> None:
    """Note that ``chosen`` was opened here, so a persona made on it can offer to switch back to it.

    A shipped example is open to anyone; an upload only to the browser that opened it (``owner``, a hash of
    its cookie: :func:`ui.keeping.browser_id`) — nobody else learns where its files are.
    """
    with _opened_file() as known:
        entry = known.get(chosen.fingerprint) or {"owners": []}
        owners = set(entry.get("owners", [])) | ({owner} if owner else set())
        known[chosen.fingerprint] = {
            "folder": chosen.folder, "label": chosen.label, "min_interactions": chosen.min_interactions,
            "shared": _shipped(chosen.folder), "owners": sorted(owners), "encoder": chosen.encoder,
        }  # fmt: skip


def find_catalogue(fingerprint: str, owner: str | None) -> Opened | str | None:
    """Where a persona made on the catalogue with this content fingerprint can be opened, for this browser.

    ``"default"``: the server's own; an :class:`Opened`: a shipped example, or an upload this browser opened
    (``owner``), whose files are still there; ``"private"``: somebody else's upload (never offered); ``None``:
    not a catalogue this server has seen.
    """
    if fingerprint == default_explorer().fingerprint:
        return "default"
    path = cache_root() / OPENED_FILE
    try:
        entry = json.loads(path.read_text()).get(fingerprint) if path.exists() else None
    except (OSError, ValueError):
        entry = None
    if not isinstance(entry, dict) or not Path(str(entry.get("folder"))).is_dir():
        return None
    if not entry.get("shared") and (owner is None or owner not in entry.get("owners", [])):
        return "private"
    encoder = entry.get("encoder")
    return Opened(
        str(entry["folder"]), fingerprint, str(entry.get("label") or "catalogue"), entry.get("min_interactions"),
        encoder if encoder in ENCODER_NAMES else None,
    )  # fmt: skip
