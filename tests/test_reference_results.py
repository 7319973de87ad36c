"""The reference benchmark run that ships with the code: complete, and in the shape the pages read."""

from __future__ import annotations

import json

import pytest

from recsys import results
from recsys_bench.benchmark import REPORTED_PEERS


@pytest.fixture(scope="module")
def reference() -> dict:
    return json.loads(results.REFERENCE.read_text())


def test_the_reference_matches_what_the_pages_read(reference):
    assert results.schema_problems(reference) == []


def test_the_reference_is_a_full_run_with_every_peer(reference):
    assert reference["dataset"] == "ml-100k" and reference["seeds"] == [0, 1, 2] and not reference["quick"] and not reference["validation"]
    assert reference["peers_missing"] == []
    for peer in REPORTED_PEERS:
        assert peer in reference["item_cold"] and peer in reference["user_cold"]["5"]
    run = reference["run"]
    assert run["command"].startswith("python -m recsys bench") and len(run["commit"]) == 40
    assert {"cores", "device"} <= set(run["machine"])
    # The peers issue's targets are stated in the shipped run, each against the method it names.
    assert {"warm items: ours >= cornac_bpr", "item_cold recall@20 >= 0.34 (peers issue)"} <= set(reference["targets"])
    assert any(name.startswith("user_cold N=1: ours > best other") for name in reference["targets"])


def test_the_schema_check_names_what_is_missing(reference):
    broken = {k: v for k, v in reference.items() if k != "calibration"}
    broken["item_cold"] = {"ours": {k: v for k, v in reference["item_cold"]["ours"].items() if k != "novelty"}}
    problems = results.schema_problems(broken)
    assert "missing key 'calibration'" in problems and "item_cold.ours: missing 'novelty'" in problems


def test_a_local_run_replaces_the_reference(tmp_path, monkeypatch, reference):
    monkeypatch.delenv("COLDSTART_BENCH_RESULTS", raising=False)
    monkeypatch.setattr(results, "LOCAL", tmp_path / "results.json")
    found = results.latest()
    assert found.reference and found.label.startswith("reference run of ")
    (tmp_path / "results.json").write_text(json.dumps(reference | {"run": reference["run"] | {"date": "2031-01-02T00:00:00+00:00"}}))
    found = results.latest()
    assert not found.reference and found.label.startswith("local run of 2031-01-02")
    # The calibration applies only to the catalogue it was fitted on.
    assert not found.calibration("ml-100k").identity and found.calibration("books").identity


def test_runs_are_matched_to_a_catalogue_by_its_content_not_its_name(reference):
    """An upload whose catalogue.json calls it "ml-100k" is not MovieLens: the calibration and the onboarding run of
    the shipped reference apply only to the catalogue they were measured on, by fingerprint."""
    from recsys.data import load_movielens_100k

    fingerprint = load_movielens_100k().fingerprint()
    assert reference["fingerprint"] == fingerprint, "the reference run no longer names the packaged MovieLens' fingerprint"
    found = results.BenchResults(reference, results.REFERENCE, reference=True)
    assert not found.calibration("ml-100k", fingerprint).identity
    assert found.calibration("ml-100k", "0123456789abcdef").identity  # same name, other content
    assert results.onboarding("ml-100k", fingerprint) is not None and results.onboarding("ml-100k", "0123456789abcdef") is None
    # A run from before fingerprints were recorded is matched by name, as it always was.
    older = results.BenchResults({k: v for k, v in reference.items() if k != "fingerprint"}, results.REFERENCE, reference=True)
    assert not older.calibration("ml-100k", "0123456789abcdef").identity


def test_the_report_prints_the_reference_tables_and_answers_help(capsys):
    from recsys_bench import report

    assert report.main([str(results.REFERENCE)]) == 0
    printed = capsys.readouterr().out
    assert "#### Recall@20" in printed and f"commit {json.loads(results.REFERENCE.read_text())['run']['commit'][:7]}" in printed
    with pytest.raises(SystemExit) as stopped:
        report.main(["--help"])
    assert stopped.value.code == 0 and "usage: python -m recsys_bench.report" in capsys.readouterr().out


def test_the_ablation_lists_every_split_in_order_with_the_full_model_in_each(reference):
    """The Fusion page's ablation: user cold start by number of likes, then item cold start, and the full model beside
    every split (the ablation ran it only at N = 0, 5 and item cold; elsewhere it is the main results' ``ours``)."""
    tables = results.ablation_by_split(reference)
    assert list(tables) == ["user_cold_0", "user_cold_1", "user_cold_2", "user_cold_5", "user_cold_10", "user_cold_20", "item_cold"]
    full = "text+attributes+collaborative"
    assert all(full in table for table in tables.values())
    assert tables["user_cold_1"][full]["recall@20"] == reference["user_cold"]["1"]["ours"]["recall@20"]
    assert tables["user_cold_0"][full] == reference["ablation"]["user_cold_0"][full]  # run by the ablation: kept as run


def test_the_item_cold_ties_are_explained_by_name(reference):
    """Four methods show the same numbers on held-out items and every method the same novelty: the page says why."""
    notes = results.item_cold_ties(reference["item_cold"])
    tied = [n for n in notes if "tie on every measure" in n]
    assert len(tied) == 1 and all(m in tied[0] for m in ("popularity,", "popularity_demographic", "implicit_als", "cornac_bpr"))
    assert "ours" not in tied[0] and "lightfm" not in tied[0]
    assert any(n.startswith("Novelty is the same for every method") for n in notes)
    changed = {m: dict(v) for m, v in reference["item_cold"].items()}
    changed["ours"]["novelty"] += 1.0
    assert not any(n.startswith("Novelty") for n in results.item_cold_ties(changed))


def test_every_target_is_said_in_its_own_terms(reference):
    """A drop, a ratio, a difference and a margin over a CI each read as what they are, and every target has a row."""
    rows = {(r["target"], r["goal"]): r for r in results.target_rows(reference["targets"])}
    assert len(rows) == len(reference["targets"])
    for name, entry in reference["targets"].items():
        assert rows[(name.removesuffix(results.PEERS_SUFFIX), results.goal_of(name))]["met"] == ("✓" if entry["met"] else "✗")
    assert (
        rows[("item_cold recall@20 >= 0.34", "ahead of every peer")]["measured"]
        == rows[("item_cold recall@20 >= 0.36", "first benchmark")]["measured"]
    )
    assert results.target_rows({"warm: at most 3% below x": {"value": 0.05, "target": 0.03, "met": False}})[0]["measured"] == "5.0% below x"
    assert results.target_rows({"a >= 1.3 x b": {"value": 1.25, "target": 1.3, "met": False}})[0]["measured"] == "1.25× (target 1.3×)"
    assert results.target_rows({"a: ours > b": {"value": -0.0439, "target": 0.0, "met": False}})[0]["measured"] == (
        "-0.0439 recall@20 (ours minus it)"
    )
    assert results.target_rows({"recall@20 >= 0.34": {"value": 0.3433, "target": 0.34, "met": True}})[0]["measured"] == "0.343 recall@20"


def test_the_benchmark_says_what_each_targets_value_is(reference):
    """Every target the benchmark writes names its kind, which reads as the older runs' names did; the page goes by the
    kind, so a target named in other words is still said in its own terms."""
    from recsys_bench.benchmark import check_targets

    written = check_targets(reference)
    assert {entry["kind"] for entry in written.values()} <= {"recall", "ratio", "difference", "ci_margin", "drop"}
    assert all(results.target_kind(name, entry) == results.target_kind(name, {}) for name, entry in written.items())
    assert results.target_rows(written) == results.target_rows({n: {k: v for k, v in e.items() if k != "kind"} for n, e in written.items()})
    renamed = {"new users after five likes, against popularity": {"value": 1.25, "target": 1.3, "met": False, "kind": "ratio"}}
    assert results.target_rows(renamed)[0]["measured"] == "1.25× (target 1.3×)"


def test_one_value_against_two_bars_is_said_once_with_each_outcome(reference):
    """The first benchmark's item-cold bar (0.36) and the peers goal's (0.34) measure the same recall: the page says so."""
    notes = results.target_notes(reference["targets"])
    value = reference["item_cold"]["ours"]["recall@20"]
    assert notes == [
        f"item_cold recall@20 is one measured value, {value:.3f}, against two bars: 0.36 (first benchmark, "
        f"{'met' if value >= 0.36 else 'missed'}) and 0.34 (ahead of every peer, {'met' if value >= 0.34 else 'missed'})."
    ]
    assert results.target_notes({"a >= 0.3": {"value": 0.2, "target": 0.3, "met": False}}) == []


def test_the_label_says_how_far_behind_the_running_code_the_numbers_are(reference, tmp_path):
    import subprocess

    commit = reference["run"]["commit"]
    behind = int(subprocess.run(["git", "rev-list", "--count", f"{commit}..HEAD"], capture_output=True, text=True, check=True).stdout)
    label = results.BenchResults(reference, tmp_path / "results.json", reference=True).label
    assert label.endswith(f"(commit {commit[:7]}, {behind} commit{'s' if behind != 1 else ''} before the code running now)") or (
        behind == 0 and label.endswith(f"(commit {commit[:7]}, the code running now)")
    ), label
    assert results.commits_since("0" * 40) is None  # not a commit of this history: nothing said
