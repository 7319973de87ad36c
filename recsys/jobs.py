"""Training a catalogue in the background: progress anyone can read, a cancel anyone can press.

The app opens a catalogue by starting a :class:`TrainingJob` in a thread of the server
process, so the sessions exploring other catalogues keep being served, a person can leave
the page and come back to the same progress, and several people opening the same files
share one training. A job is keyed by the catalogue's content fingerprint; the model it
trains is also cached on disk under that fingerprint, so finished work is never redone.
A job that is about to train takes a turn first (``progress.wait_turn()``): one training at a time by
default, since one already takes every core of a small machine. The others wait for a free turn,
saying for which training, and can be cancelled while they wait; loading a catalogue trained
before takes no turn and never waits.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any


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


class TrainingJob:
    """One catalogue's training, run by ``work(progress)`` in a daemon thread.

    ``work`` must call ``progress(message, fraction)`` now and then; cancelling takes effect at
    the next call. Before training (not before loading what is cached) it calls
    ``progress.wait_turn()``. Read ``message``, ``fraction``, ``seconds_left`` and ``state`` from any thread.
    """

    def __init__(self, key: str, label: str, work: Callable[[Progress], Any], turn: threading.Semaphore | None = None):
        self.key, self.label = key, label
        self.message, self.fraction = "Starting", 0.0
        self.waiting_for: Callable[[], str] | None = None  # set by TrainingJobs: what a waiting job waits for
        self.result: Any = None
        self.error: str | None = None
        self.started = time.perf_counter()
        self.finished: float | None = None
        self.has_turn = False
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
        self.message, self.fraction = message, min(max(float(fraction), 0.0), 1.0)

    def _wait_for_turn(self) -> None:
        if self._turn is None or self.has_turn:
            return
        self._waiting = True
        try:
            while not self._turn.acquire(timeout=0.2):
                if self._cancel.is_set():
                    raise Cancelled
                busy = self.waiting_for() if self.waiting_for is not None else ""
                self.message = f"Waiting for {busy or 'another training'} to finish (one catalogue trains at a time)"
            self.has_turn = True
        finally:
            self._waiting = False
        self.started = time.perf_counter()  # the estimate counts from the start of the work
        self.message = "Starting"

    def _run(self) -> None:
        try:
            self.result = self._work(Progress(self))
            self.message, self.fraction = "Ready", 1.0
        except Cancelled:
            self.error = "cancelled"
        except BaseException as err:  # the page shows it; the server keeps serving
            self.error = f"{type(err).__name__}: {err}"
        finally:
            if self.has_turn:
                self._turn.release()
                self.has_turn = False
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
    def seconds(self) -> float:
        return (self.finished or time.perf_counter()) - self.started

    @property
    def seconds_left(self) -> float | None:
        """A linear estimate from the time spent and the fraction done (``None`` until 5% is done)."""
        if self.finished is not None or self.fraction < 0.05:
            return None
        return self.seconds * (1 - self.fraction) / self.fraction


class TrainingJobs:
    """The server's jobs by key: at most one per catalogue, the latest ``keep`` finished ones kept (their results are the engines).

    At most ``at_once`` of them train at the same time (those that called ``progress.wait_turn()``);
    the others wait for a free turn.
    """

    def __init__(self, keep: int = 4, at_once: int = 1):
        self.keep = keep
        self._jobs: OrderedDict[str, TrainingJob] = OrderedDict()
        self._lock = threading.Lock()
        self._turn = threading.Semaphore(at_once)

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
            job.waiting_for = lambda: ", ".join(j.label for j in self.training())
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
