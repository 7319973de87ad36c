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
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
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

    def __init__(self, key: str, label: str, work: Callable[[Progress], Any], turn: Turns | None = None):
        self.key, self.label = key, label
        self.message, self.fraction = "Starting", 0.0
        self.waiting_for: Callable[[], str] | None = None  # set by TrainingJobs: what a waiting job waits for
        self.result: Any = None
        self.error: str | None = None
        self.started = time.perf_counter()
        self.finished: float | None = None
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
        self.message, self.fraction = message, min(max(float(fraction), 0.0), 1.0)

    def _wait_for_turn(self) -> None:
        if self._turn is None or self.has_turn:
            return
        self._waiting = True
        try:
            while (token := self._turn.acquire(self.label, timeout=0.2)) is None:
                if self._cancel.is_set():
                    raise Cancelled
                busy = self.waiting_for() if self.waiting_for is not None else ""
                self.message = f"Waiting for {busy or 'another training'} to finish (one catalogue trains at a time)"
            self._token, self.has_turn = token, True
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
                self._turn.release(self._token)
                self._token, self.has_turn = None, False
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
