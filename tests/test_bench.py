"""`python -m recsys bench --quick` end to end: the JSON shape outside tools rely on."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def test_quick_bench_writes_the_documented_json(explorer, tmp_path):
    path = tmp_path / "results.json"
    result = subprocess.run(
        [sys.executable, "-m", "recsys", "bench", "--quick", "--max-users", "25", "--no-peers", "--json", str(path)],
        capture_output=True, text=True, timeout=1500,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(path.read_text())
    assert data["dataset"] == "ml-100k" and data["seeds"] == [0]
    for block in (data["item_cold"], data["user_cold"]["0"], data["user_cold"]["5"]):
        for method in ("ours", "ours_no_text", "random", "popularity", "popularity_demographic", "genre", "content_knn"):
            assert set(block[method]) >= {"recall@20", "ndcg@20", "hr@10", "ndcg@10"}
            assert all(0.0 <= block[method][m] <= 1.0 for m in ("recall@20", "ndcg@20", "hr@10", "ndcg@10"))
    assert set(data["feedback_loop"]["ours"]) == {"0", "1", "3", "5", "10"}
    assert data["item_cold"]["ours"]["recall@20"] > data["item_cold"]["random"]["recall@20"]
    assert "lightfm" in data["peers_missing"]
    assert "peers not run" in result.stdout
