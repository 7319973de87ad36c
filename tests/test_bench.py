"""`python -m recsys bench --quick` end to end, on the tiny catalogue: the command the benchmark package adds to the
engine's command line, and the JSON shape outside tools rely on (the MovieLens run's numbers are in docs/benchmark.md)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.eval


def test_quick_bench_writes_the_documented_json(small_catalogue, tmp_path):
    path = tmp_path / "results.json"
    result = subprocess.run(
        [sys.executable, "-m", "recsys", "--data", str(small_catalogue), "bench", "--quick", "--no-peers", "--json", str(path)],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(path.read_text())
    assert data["dataset"] == small_catalogue.name and data["seeds"] == [0]
    for block in (data["item_cold"], data["user_cold"]["0"], data["user_cold"]["5"]):
        for method in ("ours", "ours_no_text", "random", "popularity", "popularity_demographic", "genre", "content_knn"):
            assert set(block[method]) >= {"recall@20", "ndcg@20", "hr@10", "ndcg@10"}
            assert all(0.0 <= block[method][m] <= 1.0 for m in ("recall@20", "ndcg@20", "hr@10", "ndcg@10"))
    assert set(data["feedback_loop"]["ours"]) == {"0", "1", "3", "5", "10"}
    assert {"ours_no_era", "ours_unread"} <= set(data["user_cold"]["5"])  # the readings of the same model, measured apart
    # Sixty items: every method's top-20 holds the few held-out ones, so the order inside the list tells them apart.
    assert data["item_cold"]["ours"]["ndcg@10"] > data["item_cold"]["random"]["ndcg@10"] + 0.2
    assert data["user_cold"]["5"]["ours"]["recall@20"] > data["user_cold"]["5"]["random"]["recall@20"]
    assert "lightfm" in data["peers_missing"]
    assert "peers not run" in result.stdout
