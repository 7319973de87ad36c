"""What a slow step's progress message says about time: nothing in its first second, then time spent and time left."""

from __future__ import annotations

from ui import resources


def test_a_progress_message_says_time_only_once_some_has_passed(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(resources.time, "perf_counter", lambda: now[0])
    said = []
    report = resources.timed_progress(lambda message, fraction: said.append((message, fraction)))
    # The first message of a step stays up until the next: a "0 s so far" in it read as a counter that had stopped.
    report("Fitting the 2D UMAP map of the text space (1,682 items)", 0.0)
    now[0] += 12.0
    report("Fitting the 2D UMAP map of the fused space (1,682 items)", 0.5)
    now[0] += 12.0
    report("Map ready", 1.0)
    assert said == [
        ("Fitting the 2D UMAP map of the text space (1,682 items)", 0.0),
        ("Fitting the 2D UMAP map of the fused space (1,682 items) — 12 s so far, about 12 s left", 0.5),
        ("Map ready — 24 s so far", 1.0),
    ]
