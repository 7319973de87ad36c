"""Training a catalogue in the background: progress anyone can read, a cancel anyone can press.

The app opens a catalogue by starting a :class:`TrainingJob` in a thread of the server
process, so the sessions exploring other catalogues keep being served, a person can leave
the page and come back to the same progress, and several people opening the same files
share one training. A job is keyed by the catalogue's content fingerprint; the model it
trains is also cached on disk under that fingerprint, so finished work is never redone.
A job that is about to train takes a turn first (``progress.wait_turn()``): one training at a time by
default, since one already takes every core of a small machine. The others wait for a free turn,
saying for which training, and can be cancelled while they wait; loading a catalogue trained
before takes no turn and never waits. Given a folder, the turns are file locks in it
(:class:`Turns`), so the server's several processes (``frontdoor.py``) share them, and a process
that dies mid-training, even by ``kill -9``, hands its turn on (the kernel drops its locks).

A job's work can name its steps first (``progress.plan(steps)``, each :class:`Step` with its
expected length); the time left is then estimated from measured rates (:class:`Estimate`)
instead of from the fraction done, and the job keeps what each step really took.
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import os
import re
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class Turns:
    """At most ``at_once`` trainings at a time: in this process, and in every process sharing ``folder`` (file locks).

    A turn held in a folder is a lock on one of its ``training-turn-<n>.lock`` files, which
    holds the label of what trains (so a waiting job in another process can say what it waits
    for). ``folder=None``: this process only.
    """

    def __init__(self, at_once: int = 1, folder: Path | None = None):
        self._here = threading.Semaphore(at_once)
        self._labels: dict[int, str] = {}  # this process's turns: slot → label
        self._lock = threading.Lock()
        self._tokens = itertools.count(-1, -1)  # this process only: negative tokens (a file lock's token is its descriptor)
        self.paths = [] if folder is None else [Path(folder) / f"training-turn-{n}.lock" for n in range(at_once)]
        for path in self.paths:
            path.parent.mkdir(parents=True, exist_ok=True)

    def acquire(self, label: str, timeout: float) -> int | None:
        """A turn for ``label`` (a token for :meth:`release`), or ``None`` if none came free within ``timeout`` s."""
        if not self._here.acquire(timeout=timeout):
            return None
        if not self.paths:
            with self._lock:
                token = next(self._tokens)
                self._labels[token] = label
            return token
        try:
            for path in self.paths:
                fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:  # another process trains in this slot
                    os.close(fd)
                    continue
                with contextlib.suppress(OSError):  # the label is a courtesy to those waiting (a full disk loses only it)
                    os.ftruncate(fd, 0)
                    os.pwrite(fd, label.encode(), 0)
                with self._lock:
                    self._labels[fd] = label
                return fd
        except BaseException:  # the folder cannot be used: give the slot back, never keep it
            self._here.release()
            raise
        self._here.release()
        time.sleep(timeout)
        return None

    def release(self, token: int) -> None:
        with self._lock:
            self._labels.pop(token, None)
        if token >= 0:
            with contextlib.suppress(OSError):
                os.ftruncate(token, 0)
            fcntl.flock(token, fcntl.LOCK_UN)
            os.close(token)
        self._here.release()

    def holders(self) -> list[str]:
        """The labels of what trains now, here or in another process sharing the folder."""
        with self._lock:
            here = dict(self._labels)
        if not self.paths:
            return list(here.values())
        labels = []
        for path in self.paths:
            with contextlib.suppress(OSError):
                fd = os.open(path, os.O_RDONLY)
                try:
                    fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                    fcntl.flock(fd, fcntl.LOCK_UN)  # free: nobody trains in this slot
                except BlockingIOError:
                    labels.append(os.pread(fd, 4096, 0).decode(errors="replace") or "another training")
                finally:
                    os.close(fd)
        return labels


#: A count in a progress message: "Embedding user profiles: 3,200 of 7,864".
COUNT = re.compile(r"(\d[\d,]*) of (\d[\d,]*)")
#: Expected seconds an :class:`Estimate` counts as run at the reference pace before measuring any.
PRIOR = 2.0


@dataclass(frozen=True)
class Step:
    """One step of a job's work, as its progress messages name it.

    ``says`` is a phrase every message of the step contains; ``seconds`` how long the step
    takes on the reference machine for ``units`` of work (0: not counted). When the step's
    first count says how many units there really are ("512 of 7,864"), the expected length
    scales with them. Steps of one ``kind`` (embedding texts, say) run at one pace.
    """

    name: str
    says: str
    seconds: float
    units: int = 0
    kind: str = ""


class Estimate:
    """The time left of a job that reports its planned :class:`Step` s, from measured rates.

    Each message belongs to the first step, from the running one on, whose ``says`` it
    contains (steps only move forward; a message of no step keeps the running one). A step
    whose messages count ("3,200 of 7,864") is timed by its own rate: units done per second
    since its first count (since the step began, while it has counted once). A step that has
    not counted yet, and every step after it, by its expected length times the *pace*: how much longer the finished steps of its kind took
    than expected (of any kind while none of its own has finished: a busy machine slows every
    step). The pace counts :data:`PRIOR` expected seconds as taken at the reference pace, so a
    step of a second or two (mostly start-up cost) barely moves it. A count that reaches its
    total ends its step, and the next planned step starts then, so a step that reports
    nothing itself (or only at its end) still gets its time. ``clock`` is injectable for tests.
    The job's thread reports while pages read: one lock keeps the two apart.
    """

    def __init__(self, steps: Sequence[Step], clock: Callable[[], float] = time.perf_counter):
        self.steps = list(steps)
        self._clock = clock
        self._lock = threading.RLock()
        self.started = clock()
        self.current = 0
        self._begun: list[float | None] = [self.started] + [None] * (len(self.steps) - 1)
        self._ended: list[float | None] = [None] * len(self.steps)
        self._expected = [step.seconds for step in self.steps]
        self._first: tuple[float, int] | None = None  # (time, done) of the running step's first count
        self._last: tuple[float, int, int] | None = None  # (time, done, total) of its latest count
        self._shown = 0.0

    def report(self, message: str) -> None:
        with self._lock:
            self._report(message)

    def _report(self, message: str) -> None:
        now = self._clock()
        index = next((i for i in range(self.current, len(self.steps)) if self.steps[i].says in message), None)
        if index is None:
            return
        if index != self.current:
            self._enter(index, now)
        found = COUNT.search(message)
        if found is None:
            return
        done, total = (int(group.replace(",", "")) for group in found.groups())
        step = self.steps[index]
        if self._last is None and step.units:  # the real amount of work, known now
            self._expected[index] = step.seconds * total / step.units
        if self._first is None or done < self._first[1]:
            self._first = (now, done)
        self._last = (now, done, total)
        if done >= total and index + 1 < len(self.steps):
            self._enter(index + 1, now)

    def _enter(self, index: int, now: float) -> None:
        for skipped in range(self.current, index):
            self._begun[skipped] = self._begun[skipped] if self._begun[skipped] is not None else now
            self._ended[skipped] = now
        self._begun[index], self.current = now, index
        self._first = self._last = None

    def close(self) -> None:
        """The work has ended: the running step ends now."""
        with self._lock:
            if self._ended[self.current] is None:
                self._ended[self.current] = self._clock()

    def pace(self, kind: str | None = None) -> float:
        """(Measured + :data:`PRIOR`) ÷ (expected + :data:`PRIOR`) seconds of the finished steps of ``kind`` (any kind
        when ``None`` or when none of that kind has finished); 1 while none has."""
        with self._lock:
            finished = [
                (end - begun, expected, step.kind)
                for step, begun, end, expected in zip(self.steps, self._begun, self._ended, self._expected)
                if begun is not None and end is not None and expected > 0
            ]
        if kind is not None and any(k == kind for _, _, k in finished):
            finished = [f for f in finished if f[2] == kind]
        measured, expected = sum(f[0] for f in finished), sum(f[1] for f in finished)
        return (measured + PRIOR) / (expected + PRIOR)

    def left(self) -> float:
        """Seconds left: the running step's rest (from its rate once it has counted) plus the later steps' expected lengths."""
        with self._lock:
            now, index, first, last = self._clock(), self.current, self._first, self._last
            if first is not None and last is not None and last[1] == first[1]:
                first = (self._begun[index], 0)  # one count so far: the rate since the step began
            if first is not None and last is not None and last[1] > first[1] and last[0] > first[0]:
                (t0, d0), (t1, d1, total) = first, last
                here = (total - d1) * (t1 - t0) / (d1 - d0) - (now - t1)
            else:
                here = self._expected[index] * self.pace(self.steps[index].kind) - (now - self._begun[index])
            later = sum(expected * self.pace(step.kind) for step, expected in zip(self.steps[index + 1 :], self._expected[index + 1 :]))
            return max(here, 0.0) + later

    def fraction(self) -> float:
        """Time spent ÷ (spent + left), never going back."""
        with self._lock:
            spent = self._clock() - self.started
            self._shown = max(self._shown, spent / max(spent + self.left(), 1e-9))
            return min(self._shown, 1.0)

    def label(self) -> str:
        """``"step 2 of 5"`` (the running step)."""
        return f"step {self.current + 1} of {len(self.steps)}"

    def durations(self) -> list[tuple[str, float]]:
        """What each step that ran took (the running one: so far), in plan order."""
        with self._lock:
            now = self._clock()
            return [
                (step.name, (end if end is not None else now) - begun)
                for step, begun, end in zip(self.steps, self._begun, self._ended)
                if begun is not None and (end is None or end > begun)
            ]


class Cancelled(Exception):
    """Raised inside a job's work at its next progress report once someone pressed cancel."""


class Progress:
    """What a job's work reports to: call it with ``(message, fraction)``; ``wait_turn()`` before the heavy part."""

    def __init__(self, job: TrainingJob):
        self._job = job

    def __call__(self, message: str, fraction: float) -> None:
        self._job._report(message, fraction)

    def wait_turn(self) -> None:
        """Wait (cancellably) for a free turn to train; returns at once without a limit or when this job holds one."""
        self._job._wait_for_turn()

    def plan(self, steps: Sequence[Step]) -> None:
        """The steps the work will report from now on: the time left is then estimated step by step (:class:`Estimate`)."""
        self._job.estimate = Estimate(steps)


class TrainingJob:
    """One catalogue's training, run by ``work(progress)`` in a daemon thread.

    ``work`` must call ``progress(message, fraction)`` now and then; cancelling takes effect at
    the next call. Before training (not before loading what is cached) it calls
    ``progress.wait_turn()``; it may name its steps with ``progress.plan(steps)``. Read ``message``,
    ``fraction``, ``seconds``, ``seconds_left`` and ``state`` from any thread; ``messages`` keeps
    the latest reports with their time.
    """

    def __init__(self, key: str, label: str, work: Callable[[Progress], Any], turn: Turns | None = None):
        self.key, self.label = key, label
        self.message, self._fraction = "Starting", 0.0
        self.waiting_for: Callable[[], str] | None = None  # set by TrainingJobs: what a waiting job waits for
        self.result: Any = None
        self.error: str | None = None
        self.started = time.perf_counter()
        self.finished: float | None = None
        self.waited = 0.0  # seconds spent waiting for a turn
        self.estimate: Estimate | None = None
        self.messages: deque[tuple[float, str]] = deque(maxlen=2000)  # (seconds since the start, message)
        self.has_turn = False
        self._token: int | None = None
        self._waiting = False
        self._cancel = threading.Event()
        self._work = work
        self._turn = turn
        self._thread = threading.Thread(target=self._run, name=f"train-{key}", daemon=True)

    def start(self) -> TrainingJob:
        self._thread.start()
        return self

    def _report(self, message: str, fraction: float) -> None:
        if self._cancel.is_set():
            raise Cancelled
        self.message, self._fraction = message, min(max(float(fraction), 0.0), 1.0)
        self.messages.append((time.perf_counter() - self.started, message))
        if self.estimate is not None:
            self.estimate.report(message)

    def _wait_for_turn(self) -> None:
        if self._turn is None or self.has_turn:
            return
        self._waiting = True
        began = time.perf_counter()
        try:
            while (token := self._turn.acquire(self.label, timeout=0.2)) is None:
                if self._cancel.is_set():
                    raise Cancelled
                busy = self.waiting_for() if self.waiting_for is not None else ""
                self.message = f"Waiting for {busy or 'another training'} to finish (one catalogue trains at a time)"
            self._token, self.has_turn = token, True
        finally:
            self._waiting = False
            self.waited += time.perf_counter() - began  # the estimate and `seconds` count the work only
        self.message = "Starting"

    def _run(self) -> None:
        try:
            self.result = self._work(Progress(self))
            self.message, self._fraction = "Ready", 1.0
        except Cancelled:
            self.error = "cancelled"
        except BaseException as err:  # the page shows it; the server keeps serving
            self.error = f"{type(err).__name__}: {err}"
        finally:
            if self.has_turn:
                self._turn.release(self._token)
                self._token, self.has_turn = None, False
            if self.estimate is not None:
                self.estimate.close()
            self.finished = time.perf_counter()

    def cancel(self) -> None:
        """Stop at the work's next progress report (a few seconds at most while training)."""
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job has ended (``True``) or ``timeout`` passed (``False``)."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def waiting(self) -> bool:
        """Waiting for a free turn to train (see :class:`TrainingJobs`)."""
        return self.finished is None and self._waiting

    @property
    def state(self) -> str:
        """``running``, ``cancelling``, ``ready``, ``cancelled`` or ``failed``."""
        if self.finished is None:
            return "cancelling" if self._cancel.is_set() else "running"
        if self.error is None:
            return "ready"
        return "cancelled" if self.error == "cancelled" else "failed"

    @property
    def wall_seconds(self) -> float:
        """From the start to the end (or now), waiting for a turn included: how long the person waited."""
        return (self.finished or time.perf_counter()) - self.started

    @property
    def seconds(self) -> float:
        """The time spent working (waiting for a turn left out)."""
        return self.wall_seconds - self.waited

    @property
    def fraction(self) -> float:
        """How far the job is: by time (:meth:`Estimate.fraction`) once it has a plan, else as its work reports."""
        if self.finished is None and self.estimate is not None and not self._waiting:
            return self.estimate.fraction()
        return self._fraction

    @property
    def seconds_left(self) -> float | None:
        """From the plan's measured rates (:class:`Estimate`); without a plan, a linear estimate from the time spent
        and the fraction done (``None`` until 5% is done). ``None`` once finished and while waiting for a turn."""
        if self.finished is not None or self._waiting:
            return None
        if self.estimate is not None:
            return self.estimate.left()
        if self._fraction < 0.05:
            return None
        return self.seconds * (1 - self._fraction) / self._fraction

    @property
    def step(self) -> str:
        """``"step 2 of 5"`` while a planned job runs, else ``""``."""
        return self.estimate.label() if self.estimate is not None and self.finished is None and not self._waiting else ""

    @property
    def doing(self) -> str:
        """What the job does now: its latest message, or the running step's name when that step has not reported yet
        (the previous step's last count ended it)."""
        if self.step and self.estimate.steps[self.estimate.current].says not in self.message:
            return f"{self.estimate.steps[self.estimate.current].name}…"
        return self.message

    def durations(self) -> list[tuple[str, float]]:
        """What each planned step took (empty without a plan)."""
        return self.estimate.durations() if self.estimate is not None else []


class TrainingJobs:
    """The server's jobs by key: at most one per catalogue, the latest ``keep`` finished ones kept (their results are the engines).

    At most ``at_once`` of them train at the same time (those that called ``progress.wait_turn()``);
    the others wait for a free turn. ``folder``: share the turns with the other processes that
    use the same folder (:class:`Turns`).
    """

    def __init__(self, keep: int = 4, at_once: int = 1, folder: Path | None = None):
        self.keep = keep
        self._jobs: OrderedDict[str, TrainingJob] = OrderedDict()
        self._lock = threading.Lock()
        self._turn = Turns(at_once, folder)

    def training(self) -> list[TrainingJob]:
        """The jobs training now (holding a turn)."""
        with self._lock:
            return [job for job in self._jobs.values() if job.has_turn]

    def get(self, key: str) -> TrainingJob | None:
        with self._lock:
            return self._jobs.get(key)

    def start(self, key: str, label: str, work: Callable[[Progress], Any]) -> TrainingJob:
        """The running or finished job for ``key``, or a new one; a cancelled or failed one is replaced."""
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and job.state in ("running", "cancelling", "ready"):
                self._jobs.move_to_end(key)
                return job
            job = self._jobs[key] = TrainingJob(key, label, work, self._turn)
            job.waiting_for = lambda: ", ".join(self._turn.holders())
            job.start()
            self._jobs.move_to_end(key)
            finished = [k for k, j in self._jobs.items() if j.finished is not None and k != key]
            for old in finished[: max(0, len(self._jobs) - self.keep)]:
                del self._jobs[old]
            return job

    def forget(self, key: str) -> None:
        """Drop a finished job (a cancelled or failed one, once its session has said so)."""
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and job.finished is not None:
                del self._jobs[key]
