"""The command line prints every term, and fails with one readable line on bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def run(*args: str) -> subprocess.CompletedProcess:
    """``python -m recsys ARGS`` as a person runs it: its own process, exit status, stdout and stderr."""
    return subprocess.run([sys.executable, "-m", "recsys", *args], capture_output=True, text=True, timeout=300)


def run_here(capsys, *args: str) -> subprocess.CompletedProcess:
    """The same command run by ``recsys.cli.main`` in this process (no new interpreter, model loaded once)."""
    from recsys import cli

    capsys.readouterr()
    status = cli.main(list(args))
    out = capsys.readouterr()
    return subprocess.CompletedProcess(["recsys", *args], status, out.out, out.err)


def test_recommend_json(explorer):
    result = run("recommend", "--profile", "gory slasher films", "-k", "5", "--json", "--quiet")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    recs = payload["recommendations"]
    assert len(recs) == 5
    for row in recs:
        assert row["score"] == pytest.approx(row["mu"] + row["b_u"] + row["b_i"] + row["dot"], abs=1e-4)
    assert sum("Horror" in r["genres"] for r in recs) >= 4


def test_recommend_table(explorer, capsys):
    result = run_here(capsys, "recommend", "--profile", "space operas", "-k", "3", "--quiet")
    assert result.returncode == 0
    assert "dot_text" in result.stdout and "b_u" in result.stdout


def test_bad_input_exits_non_zero_with_one_line(explorer):
    result = run("recommend", "--quiet", "--profile", "x", "--liked", "999999")
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "unknown liked item" in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("args", "message"), [(["--profile", "   "], "empty"), (["--profile", "x", "-k", "0"], "-k")])
def test_each_bad_input_is_one_error_line(explorer, capsys, args, message):
    result = run_here(capsys, "recommend", "--quiet", *args)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and message in lines[0]


def test_recommend_json_includes_the_reading(explorer, capsys):
    result = run_here(
        capsys, "recommend", "--profile", "I love comedies but I hate romance. I loved Casablanca.", "-k", "10", "--json", "--quiet"
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["reading"]["wants"] == ["Comedy"] and payload["reading"]["rules_out"] == ["Romance"]
    assert [t["title"] for t in payload["reading"]["titles"]] == ["Casablanca (1942)"]
    assert all("Romance" not in r["genres"] for r in payload["recommendations"])
    assert all(r["dot_avoid"] <= 0 for r in payload["recommendations"])
    table = run_here(capsys, "recommend", "--profile", "no horror please", "-k", "3", "--quiet")
    assert "reading: rules out Horror" in table.stdout


def test_bench_refuses_to_run_without_a_reported_peer(monkeypatch, capsys):
    from recsys import cli
    from recsys_bench import peers

    monkeypatch.setattr(peers, "available_peers", lambda: ["lightfm"])
    assert cli.main(["bench", "--quick"]) == 1
    error = capsys.readouterr().err
    assert "implicit_als, cornac_bpr" in error and "make bench-peers" in error and "--no-peers" in error


def test_any_user_column_is_a_demographic_and_an_unknown_one_is_named(explorer, capsys):
    """--gender took M or F only, and a catalogue's other user columns (a book catalogue's location) none at all."""
    result = run_here(capsys, "recommend", "--profile", "space operas", "-k", "5", "--json", "--quiet",
                      "--user", "age=30", "--user", "occupation=writer", "--gender", "F")  # fmt: skip
    assert result.returncode == 0, result.stderr
    got = [r["item_id"] for r in json.loads(result.stdout)["recommendations"]]
    expected = explorer.recommend(explorer.new_user("space operas", {"age": 30, "occupation": "writer", "gender": "F"}), k=5)
    assert got == expected.item_id.tolist()
    weights = json.loads(result.stdout)["weights"]
    assert weights["demo"] > 0  # the demographics reached the model
    unknown = run_here(capsys, "recommend", "--profile", "x", "--quiet", "--user", "location=spain")
    assert unknown.returncode == 2
    assert "error: this catalogue's users have no 'location'; their columns: age, gender, occupation" in unknown.stderr
    malformed = run_here(capsys, "recommend", "--profile", "x", "--quiet", "--user", "spain")
    assert "write it as COLUMN=VALUE" in malformed.stderr and malformed.returncode == 2
