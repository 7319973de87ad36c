"""Background catalogue training: progress, cancel at the next step, one job per catalogue, nothing kept when cancelled."""

from __future__ import annotations

import threading
import time

import pytest

from recsys.data import load_path
from recsys.jobs import TrainingJobs


def steps(n: int, done: list, gate: threading.Event | None = None, trains: bool = False):
    """Work of ``n`` steps that records each one; waits on ``gate`` after the first (so a test can act mid-way).

    ``trains``: it takes a turn first, as a catalogue that is not in the model cache does.
    """

    def work(progress):
        if trains:
            progress.wait_turn()
        for i in range(n):
            progress(f"step {i + 1}/{n}", i / n)
            done.append(i)
            if gate is not None and i == 0:
                gate.wait(10)
        return f"result after {n} steps"

    return work


def test_a_job_reports_progress_and_keeps_its_result():
    done: list[int] = []
    job = TrainingJobs().start("k", "Catalogue", steps(5, done))
    assert job.wait(10)
    assert (job.state, job.result, job.fraction, job.message) == ("ready", "result after 5 steps", 1.0, "Ready")
    assert done == [0, 1, 2, 3, 4] and job.seconds_left is None


def test_cancel_stops_at_the_next_step_and_keeps_nothing():
    done: list[int] = []
    gate = threading.Event()
    jobs = TrainingJobs()
    job = jobs.start("k", "Catalogue", steps(100, done, gate))
    assert job.state == "running"
    job.cancel()
    assert job.state == "cancelling"
    gate.set()
    assert job.wait(10)
    assert job.state == "cancelled" and job.result is None and done == [0]
    jobs.forget("k")
    assert jobs.get("k") is None


def test_one_job_per_catalogue_and_a_failed_one_is_replaced():
    done: list[int] = []
    gate = threading.Event()
    jobs = TrainingJobs()
    first = jobs.start("k", "Catalogue", steps(3, done, gate))
    assert jobs.start("k", "Catalogue", steps(3, done)) is first  # a second session joins the same training
    gate.set()
    first.wait(10)

    def broken(progress):
        raise ValueError("file items.csv, row 3: bad")

    failed = jobs.start("bad", "Broken", broken)
    failed.wait(10)
    assert failed.state == "failed" and "row 3" in failed.error
    again = jobs.start("bad", "Broken", steps(1, []))
    assert again is not failed and again.wait(10) and again.state == "ready"


def test_one_catalogue_trains_at_a_time_and_the_next_waits_its_turn_cancellably():
    gate = threading.Event()
    jobs = TrainingJobs()
    first_done: list[int] = []
    first = jobs.start("a", "Bookshop", steps(3, first_done, gate, trains=True))
    second_done: list[int] = []
    second = jobs.start("b", "Records", steps(2, second_done, trains=True))
    third = jobs.start("c", "Games", steps(2, [], trains=True))
    cached = jobs.start("d", "Trained before", steps(2, []))  # loads from the cache: no turn, no wait
    assert cached.wait(10) and cached.state == "ready"
    deadline = time.monotonic() + 10
    while not (second.waiting and "Bookshop" in second.message) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert second.waiting and second.message == "Waiting for Bookshop to finish (one catalogue trains at a time)"
    assert second_done == [] and second.state == "running" and [j.label for j in jobs.training()] == ["Bookshop"]
    third.cancel()  # cancelled in the queue: it never starts
    assert third.wait(10) and third.state == "cancelled"
    gate.set()
    assert first.wait(10) and second.wait(10)
    assert second.state == "ready" and second_done == [0, 1] and not second.waiting


HOLDER = """
import sys, time
from pathlib import Path
from recsys.jobs import Turns
turns = Turns(1, Path(sys.argv[1]))
assert turns.acquire("Records (in another process)", timeout=5) is not None
print("holding", flush=True)
time.sleep(120)
"""


def test_the_turn_is_shared_with_other_processes_and_freed_when_the_holder_dies(tmp_path):
    """The server's processes (frontdoor.py) share one turn through a file lock; kill -9 of the holder frees it."""
    import subprocess
    import sys

    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        jobs = TrainingJobs(folder=tmp_path)
        done: list[int] = []
        job = jobs.start("a", "Bookshop", steps(2, done, trains=True))
        deadline = time.monotonic() + 10
        while not (job.waiting and "Records" in job.message) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert job.message == "Waiting for Records (in another process) to finish (one catalogue trains at a time)"
        assert done == [] and job.state == "running"
    finally:
        holder.kill()  # SIGKILL: no clean-up runs in the holder
        holder.wait(10)
    assert job.wait(10) and job.state == "ready" and done == [0, 1]
    # Its turn is free again, and shows nobody training.
    assert TrainingJobs(folder=tmp_path)._turn.holders() == []


def test_only_the_latest_finished_jobs_are_kept():
    jobs = TrainingJobs(keep=2)
    for key in "abc":
        jobs.start(key, key, steps(1, [])).wait(10)
    jobs.start("d", "d", steps(1, [])).wait(10)
    assert [k for k in "abcd" if jobs.get(k) is not None] == ["c", "d"]


@pytest.mark.slow
def test_cancelling_a_real_training_keeps_no_model_and_the_default_engine_serves(small_catalogue, explorer, tmp_path):
    """The app's path: Explorer.train in a job; cancelled mid-way, nothing lands in the model cache, and the default engine still ranks."""
    from recsys import Explorer

    dataset = load_path(small_catalogue)
    seen: list[str] = []
    gate = threading.Event()

    def work(progress):
        def report(message, fraction):
            seen.append(message)
            progress(message, fraction)
            if message.startswith("Training"):
                gate.set()

        return Explorer.train(dataset, explorer.encoder, progress=report, cache_dir=tmp_path)

    job = TrainingJobs().start("small", "Small", work)
    assert gate.wait(300), seen
    job.cancel()
    assert job.wait(300)
    assert job.state == "cancelled", job.error
    assert not list((tmp_path / "models").glob("*/model.pt"))
    recs = explorer.recommend(explorer.new_user("space operas"), k=5)
    assert len(recs) == 5 and recs["score"].notna().all()


@pytest.mark.slow
def test_a_cancel_lands_while_the_item_texts_are_embedded(small_catalogue, explorer, tmp_path):
    """Embedding item texts reports as it goes (the longest step of a large catalogue), so a cancel does not wait for it to end."""
    import shutil
    import uuid

    import pandas as pd

    from recsys import Explorer

    folder = tmp_path / "catalogue"
    shutil.copytree(small_catalogue, folder)
    items = pd.read_csv(folder / "items.csv")
    extra = pd.DataFrame({"item_id": range(1000, 1540), "title": [f"Extra {n}" for n in range(540)], "genres": "Comedy", "year": 1990,
                          "text": [f"A comedy about a wedding mix-up, part {n}." for n in range(540)]})  # fmt: skip
    items = pd.concat([items, extra], ignore_index=True)  # 600 items: more than one chunk of the encoder (512)
    items["text"] = items["text"] + f" Edition {uuid.uuid4().hex[:8]}."  # texts new to the embedding cache
    items.to_csv(folder / "items.csv", index=False)
    seen: list[str] = []
    jobs = TrainingJobs()

    def work(progress):
        def report(message, fraction):
            seen.append(message)
            if message.startswith("Embedding item texts ("):
                jobs.get("fresh").cancel()
            progress(message, fraction)

        return Explorer.train(load_path(folder), explorer.encoder, progress=report, cache_dir=tmp_path)

    job = jobs.start("fresh", "Fresh", work)
    assert job.wait(300) and job.state == "cancelled", (job.error, seen)
    assert seen[-1] == "Embedding item texts (512 of 600 not cached)", seen  # stopped between two chunks
    assert not list((tmp_path / "models").glob("*/model.pt"))


@pytest.mark.slow  # trains a model: the slow tier, so `make test-fast` stays under a minute
def test_two_trainings_of_one_model_train_it_once(small_catalogue, small_explorer, tmp_path):
    """Two preparations of the same model at once (two server processes, two test workers): one trains, the other
    waits for it — saying so — and loads what it wrote."""
    from concurrent.futures import ThreadPoolExecutor

    from recsys.artifacts import _layout, train_or_load
    from recsys.cache import turn
    from recsys.training import TrainConfig

    dataset, encoder = load_path(small_catalogue), small_explorer.encoder
    key = _layout(dataset, encoder, dataset.ratings, range(dataset.n_items), TrainConfig(), tmp_path)[3]
    waiting = [threading.Event(), threading.Event()]

    def prepare(n: int):
        def report(message, fraction):
            if message.startswith("Waiting for another process"):
                waiting[n].set()

        return train_or_load(dataset, encoder, progress=report, cache_dir=tmp_path)

    with ThreadPoolExecutor(2) as pool:
        with turn(f"model-{key}", cache_dir=tmp_path):  # a third party holds the turn until both are waiting
            runs = [pool.submit(prepare, n) for n in range(2)]
            assert all(event.wait(60) for event in waiting)
        first, second = (run.result(timeout=300) for run in runs)
    assert sorted([first.info["trained_now"], second.info["trained_now"]]) == [False, True]
    assert first.info["key"] == second.info["key"] == key
    assert all(first.model.state_dict()[name].equal(value) for name, value in second.model.state_dict().items())


def test_a_training_waiting_for_its_turn_can_be_cancelled(small_catalogue, small_explorer, tmp_path):
    from recsys import Explorer
    from recsys.artifacts import _layout
    from recsys.cache import turn
    from recsys.training import TrainConfig

    dataset, encoder = load_path(small_catalogue), small_explorer.encoder
    key = _layout(dataset, encoder, dataset.ratings, range(dataset.n_items), TrainConfig(), tmp_path)[3]
    seen: list[str] = []
    with turn(f"model-{key}", cache_dir=tmp_path):
        job = TrainingJobs().start(
            "small",
            "Small",
            lambda progress: Explorer.train(dataset, encoder, progress=lambda m, f: (seen.append(m), progress(m, f)), cache_dir=tmp_path),
        )
        deadline = time.monotonic() + 60
        while not any(m.startswith("Waiting for another process") for m in seen) and time.monotonic() < deadline:
            time.sleep(0.1)
        job.cancel()
        assert job.wait(10) and job.state == "cancelled", (job.error, seen)
    assert not list((tmp_path / "models").glob("*/model.pt"))
