"""The fast tier: the whole engine, CLI and benchmark on a tiny catalogue, trained in seconds.

Run alone with ``pytest -m "not slow"``. These tests train a real model from scratch (in the
test run's own cache), so they fail when training stops learning.
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from recsys import Explorer, cli
from recsys import columns as C
from recsys.analysis.audience import audience_frame, segments
from recsys.artifacts import train_or_load
from recsys.data import load_path
from recsys.training import TrainConfig


def genre_share(recs, genre: str) -> float:
    return float(np.mean([genre in g for g in recs[C.GENRES]]))


def test_training_learns_each_users_genre(small_explorer):
    ex = small_explorer
    assert ex.info["loss"][-1] < 0.8 * ex.info["loss"][0]
    shares = []
    for user_id in ex.users[C.USER]:
        loved = ["Horror", "Comedy", "Sci-Fi"][user_id % 3]
        shares.append(genre_share(ex.recommend(ex.user(user_id), k=5, exclude_seen=False), loved))
    assert np.mean(shares) >= 0.8  # an untrained model gives about 1/3


def test_a_cold_user_from_text_gets_the_genre_they_describe(small_explorer):
    recs = small_explorer.recommend(small_explorer.new_user("scary horror films with zombies and vampires"), k=5)
    assert genre_share(recs, "Horror") >= 0.6


@pytest.mark.slow  # trains a model: the slow tier, so `make test-fast` stays under a minute
def test_changed_training_code_retrains(small_catalogue, small_explorer, monkeypatch, tmp_path):
    dataset, encoder = load_path(small_catalogue), small_explorer.encoder
    first = train_or_load(dataset, encoder, cache_dir=tmp_path)
    again = train_or_load(dataset, encoder, cache_dir=tmp_path)
    assert first.info["trained_now"] and not again.info["trained_now"]
    monkeypatch.setattr("recsys.artifacts.code_fingerprint", lambda *modules: "code-after-an-upgrade")
    upgraded = train_or_load(dataset, encoder, cache_dir=tmp_path)
    assert upgraded.info["trained_now"] and upgraded.info["key"] != first.info["key"]


def test_item_fusion_weights_change_the_ranking(small_explorer):
    ex = small_explorer
    user = ex.new_user("funny comedies")
    default = ex.recommend(user, k=10)
    text_only = ex.recommend(user, k=10, item_weights={"attr": 0.0, "id": 0.0})
    vectors, biases = ex.catalogue({"attr": 0.0, "id": 0.0})
    assert not np.allclose(vectors, ex.item_full)
    rows = ex.dataset.item_ids.indices(text_only[C.ITEM])
    assert np.allclose(text_only[C.B_ITEM], biases[rows], atol=1e-6)
    assert not np.allclose(text_only[C.SCORE].to_numpy(), default[C.SCORE].to_numpy())


def test_segment_shares_are_averages_within_each_segment(small_explorer):
    ex = small_explorer
    item = ex.new_item("A zombie outbreak in a haunted house", {"genres": ["Horror"]})
    by_gender = segments(ex, item, C.GENDER, list_length=10, boost=1.0)
    frame = audience_frame(ex, item, list_length=10, boost=1.0)
    for row in by_gender.itertuples():
        members = frame[frame[C.GENDER] == getattr(row, C.GENDER)]
        assert row.users == len(members)
        assert row.share_in_top == pytest.approx(members["in_top"].mean())
    assert by_gender["share_in_top"].between(0, 1).all()


def test_the_cli_recommends_from_a_catalogue_folder(small_catalogue, capsys):
    code = cli.main(["--data", str(small_catalogue), "recommend", "--profile", "scary horror films", "-k", "5", "--json", "--quiet"])
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    recs = payload["recommendations"]
    assert len(recs) == 5
    for rec in recs:
        assert rec["score"] == pytest.approx(rec["mu"] + rec["b_u"] + rec["b_i"] + rec["dot"], abs=1e-4)
        assert rec["dot"] == pytest.approx(sum(v for k, v in rec.items() if k.startswith("dot_")), abs=1e-4)


def test_the_cli_reports_bad_input_in_one_line(small_catalogue, capsys):
    assert cli.main(["--data", str(small_catalogue / "nowhere"), "recommend", "--profile", "x"]) == 2
    assert capsys.readouterr().err.startswith("error: ")


@pytest.mark.slow  # trains a model: the slow tier, so `make test-fast` stays under a minute
def test_the_benchmark_runs_in_process_and_checks_its_targets(small_catalogue, monkeypatch):
    """Every block, method and measure of a quick run, with each model trained for 30 steps instead of 250 (the whole
    benchmark command, trained in full, is tests/test_bench.py in the eval tier)."""
    from recsys.results import schema_problems
    from recsys_bench.benchmark import check_targets, run_benchmark

    train = Explorer.train.__func__
    short = lambda cls, *args, config=TrainConfig(), **kw: train(cls, *args, config=dataclasses.replace(config, steps=30), **kw)  # noqa: E731
    monkeypatch.setattr(Explorer, "train", classmethod(short))

    results = run_benchmark(dataset=load_path(small_catalogue), quick=True, peers=[])
    assert results["dataset"] == small_catalogue.name and results["seeds"] == [0]
    for block in (results["item_cold"], results["user_cold"]["0"], results["user_cold"]["5"]):
        assert {"ours", "random", "popularity"} <= set(block)
        assert all(0.0 <= block[m]["recall@20"] <= 1.0 for m in block)
    assert results["targets"] == check_targets(results)
    for target in results["targets"].values():
        assert set(target) == {"value", "target", "met", "kind"}
        assert target["kind"] in {"recall", "ratio", "difference", "ci_margin", "drop"}
    # Everything the Evaluation and Fusion pages read is written (the shipped reference is checked the same way).
    assert schema_problems(results) == []
    assert set(results["popularity_pull"]["0"]) == {"0", "0.25", "0.5", "0.75", "1"}
    assert results["popularity_pull"]["0"]["1"] == results["user_cold"]["0"]["ours"]
    assert {"user_cold_0", "user_cold_5", "item_cold"} <= set(results["calibration"]["splits"])
    assert results["run"]["machine"]["cores"] >= 1 and results["run"]["machine"]["device"] == "cpu"


def test_the_list_is_ranked_on_the_whole_score_and_its_rows_split_into_the_same_terms(small_explorer):
    """recommend ranks on one inner product per item and splits only the k rows it shows: the same list, the same
    numbers as splitting every item's score (score_terms over the whole catalogue)."""
    from recsys.ranking import top_k

    user = small_explorer.feedback(small_explorer.new_user("haunted house horror, no comedies"), 1, True)
    recs = small_explorer.recommend(user, k=25, item_bias_scale=0.5)
    whole = small_explorer.score_terms(user, item_bias_scale=0.5)
    rows = top_k(whole.score, 25, small_explorer._item_rows(small_explorer.seen_by(user)))
    assert recs["item_id"].tolist() == small_explorer.dataset.items["item_id"].iloc[rows].tolist()
    assert np.allclose(recs["score"], whole.score[rows], atol=1e-5)
    assert np.allclose(recs["b_i"], whole.b_i[rows], atol=1e-6)
    for name, values in whole.dot_by_term.items():
        assert np.allclose(recs[f"dot_{name}"], values[rows], atol=1e-5)


@pytest.mark.slow  # trains two models
def test_fitting_the_warm_users_rows_moves_those_rows_alone_and_lowers_their_loss(small_catalogue, small_explorer, tmp_path):
    import torch

    dataset, encoder = load_path(small_catalogue), small_explorer.encoder
    config = TrainConfig(steps=30, warm_id_steps=0, warm_item_steps=0)  # the users' rows alone
    plain = Explorer.train(dataset, encoder, config=config, cache_dir=tmp_path)
    fitted = Explorer.train(dataset, encoder, config=dataclasses.replace(config, warm_id_steps=20), cache_dir=tmp_path)
    before, after = plain.model.state_dict(), fitted.model.state_dict()
    assert {name for name in before if not torch.equal(before[name], after[name])} == {"users.id.weight", "users.id_bias.weight"}
    first, last = fitted.info["warm_id_loss"]
    assert last < first and "warm_id_loss" not in plain.info
    # A new user has no id row: the same scores to the last bit. A warm user's own list moves.
    text = "scary horror films with zombies"
    assert np.array_equal(plain.recommend(plain.new_user(text), k=10)[C.SCORE], fitted.recommend(fitted.new_user(text), k=10)[C.SCORE])
    user = int(dataset.users[C.USER].iloc[0])
    assert not np.array_equal(plain.recommend(plain.user(user), k=10)[C.SCORE], fitted.recommend(fitted.user(user), k=10)[C.SCORE])


@pytest.mark.slow  # trains two models
def test_fitting_the_items_rows_moves_those_rows_alone_and_lowers_their_loss(small_catalogue, small_explorer, tmp_path):
    import torch

    dataset, encoder = load_path(small_catalogue), small_explorer.encoder
    config = TrainConfig(steps=30, warm_id_steps=5, warm_item_steps=0)
    plain = Explorer.train(dataset, encoder, config=config, cache_dir=tmp_path)
    fitted = Explorer.train(
        dataset, encoder, config=dataclasses.replace(config, warm_item_steps=20, warm_item_cold=1.0), cache_dir=tmp_path
    )
    before, after = plain.model.state_dict(), fitted.model.state_dict()
    assert {name for name in before if not torch.equal(before[name], after[name])} == {"items.id.weight", "items.id_bias.weight"}
    first, last = fitted.info["warm_item_loss"]
    assert last < first and "warm_item_loss" not in plain.info
    # Every item vector with an id moves, so a new user's list is scored against the fitted rows too, and still adds up.
    user = fitted.new_user("scary horror films with zombies")
    recs = fitted.recommend(user, k=10)
    assert np.allclose(recs["score"], recs["mu"] + recs["b_u"] + recs["b_i"] + recs["dot"], atol=1e-5)
