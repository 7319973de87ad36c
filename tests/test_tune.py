"""The validation search (``python -m recsys_bench.tune``): settings typed as TrainConfig's, the log's table, scores on validation."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from recsys.data import load_path
from recsys.training import TrainConfig
from recsys_bench import tune
from recsys_bench.baselines import PopularityMethod
from recsys_bench.evaluation import OursMethod
from recsys_bench.splits import item_cold_requests, item_cold_split


def test_a_setting_is_typed_as_the_config_field():
    setting = tune.parse_setting(["steps=400", "lr=0.005", "user_modalities=text,demo"])
    assert setting == {"steps": 400, "lr": 0.005, "user_modalities": ("text", "demo")}
    assert TrainConfig(**setting).steps == 400
    with pytest.raises(ValueError, match="stepz"):
        tune.parse_setting(["stepz=3"])
    with pytest.raises(ValueError, match="FIELD=VALUE"):
        tune.parse_setting(["steps"])


def _line(setting: dict, values: dict[str, float], note: str = "") -> dict:
    results = {"ours": {p: {"recall@20": v, "ci95": 0.01, "n_users": 10} for p, v in values.items()}}
    return {"date": "2026-12-04T20:00:00+00:00", "commit": "abc1234", "seeds": [0], "set": setting, "note": note, "results": results}


def test_the_table_names_each_setting_and_bolds_the_best_of_each_place():
    lines = [_line({}, {"warm": 0.30, "item_cold": 0.25}), _line({"steps": 400}, {"warm": 0.32, "item_cold": 0.20}, "longer")]
    text = tune.table(lines).splitlines()
    assert text[0].startswith("| catalogue · seeds | commit | method / setting | warm | user_cold_0")
    assert text[2].startswith("| ml-100k · 0 |")  # a line from before the log named its catalogue is MovieLens
    shipped, longer = text[2], text[3]
    assert "ours (the defaults of its commit)" in shipped and "ours, steps=400" in longer and "longer" in longer
    assert "**0.250 ± 0.010**" in shipped and "| 0.300 ± 0.010 |" in shipped  # item cold best here, warm not
    assert "**0.320 ± 0.010**" in longer and "| 0.200 ± 0.010 |" in longer
    assert shipped.count("–") == 4  # the places this line did not score
    other_seeds = _line({"dim": 64}, {"warm": 0.10})
    other_seeds["seeds"] = [1, 2]
    assert "**0.100 ± 0.010**" in tune.table([*lines, other_seeds])  # the best of its own seeds, not of all rows


def test_the_log_is_read_back_line_by_line(tmp_path):
    log = tmp_path / "log.jsonl"
    log.write_text(json.dumps(_line({}, {"warm": 0.3})) + "\n\n" + json.dumps(_line({"dim": 64}, {"warm": 0.31})) + "\n")
    assert [line["set"] for line in tune.read_log(log)] == [{}, {"dim": 64}]
    assert tune.read_log(tmp_path / "none.jsonl") == []


@pytest.mark.slow
def test_scores_are_the_validation_recall_of_each_place(small_catalogue):
    """A short training on the small catalogue: every place scored, on validation splits only, each mean its users' recall."""
    dataset = load_path(small_catalogue)
    seen: list[str] = []
    files = {}

    def methods(block, path):
        seen.append(block)
        files[block] = pd.read_parquet(path)
        return [OursMethod("ours", TrainConfig(steps=3)), PopularityMethod()]

    results = tune.score(methods, [0], dataset)
    assert set(results) == {"ours", "popularity"}
    assert set(results["ours"]) == set(tune.PLACES)
    for places in results.values():
        for place, row in places.items():
            assert 0.0 <= row["recall@20"] <= 1.0 and row["n_users"] > 0, place
    assert seen == ["warm", "user_cold", "item_cold"]
    # Each block ran on its validation split (carved from the training part), never on the test split.
    from recsys_bench.splits import user_cold_split

    for block, make in (("user_cold", user_cold_split), ("item_cold", item_cold_split)):
        validation, test = make(dataset, 0, True), make(dataset, 0, False)
        held_out = set(validation.held_out_users or validation.held_out_items)
        assert held_out and held_out != set(test.held_out_users or test.held_out_items)
        column = "user_id" if block == "user_cold" else "item_id"
        assert set(files[block].loc[files[block]["part"] == "test", column]) <= held_out
    # The validation user-cold split holds out users carved from the training users: N = 0 and N = 5 are the same people.
    assert results["popularity"]["user_cold_0"]["n_users"] >= results["popularity"]["user_cold_5"]["n_users"]
    # Popularity ignores onboarding text: its item cold-start score is the mean over the held-out items' users, by hand.
    from recsys.encoders import make_encoder
    from recsys_bench.baselines import Context
    from recsys_bench.evaluation import evaluate

    encoder = make_encoder(None)
    split = item_cold_split(dataset, 0, True)
    context = Context(dataset, split, encoder, encoder.encode(dataset.items["text"].tolist()))
    requests = item_cold_requests(dataset, split)
    by_hand = np.mean([row["recall@20"] for row in evaluate(PopularityMethod().fit(context), requests, context).rows])
    assert results["popularity"]["item_cold"]["recall@20"] == pytest.approx(by_hand)


def test_the_peers_targets_name_the_best_other_method_and_its_margin():
    from recsys_bench.benchmark import peer_targets

    def row(recall, ci=0.01):
        return {"recall@20": recall, "recall@20_ci95": ci}

    results = {
        "warm_items": {"ours": row(0.35), "cornac_bpr": row(0.40), "popularity": row(0.2)},
        "user_cold": {
            "0": {"ours": row(0.150), "pull:0": row(0.2), "popularity_demographic": row(0.153), "cornac_bpr": row(0.154)},
            "1": {"ours": row(0.170), "ours_no_text": row(0.3), "popularity_demographic": row(0.145, ci=0.016)},
            "2": {"ours": row(0.170), "axis:0.5": row(0.3), "lightfm": row(0.160, ci=0.02)},
        },
        "item_cold": {"ours": row(0.341)},
    }
    targets = peer_targets(results)
    assert targets["warm items: ours >= cornac_bpr"]["value"] == pytest.approx(-0.05)
    assert not targets["warm items: ours >= cornac_bpr"]["met"]
    zero = targets["user_cold N=0: ours >= best other (cornac_bpr)"]  # our own variants (pull:0) are not "other"
    assert zero["value"] == pytest.approx(-0.004) and not zero["met"]
    one = targets["user_cold N=1: ours > best other (popularity_demographic) + its CI"]
    assert one["target"] == 0.016 and one["value"] == pytest.approx(0.025) and one["met"]
    two = targets["user_cold N=2: ours > best other (lightfm) + its CI"]
    assert two["value"] == pytest.approx(0.010) and not two["met"]  # ahead, but inside lightfm's half-width
    assert targets["item_cold recall@20 >= 0.34 (peers issue)"]["met"]


@pytest.mark.slow
def test_the_hedged_era_sweep_scores_every_setting_on_the_same_validation_users(small_catalogue):
    from recsys_bench import era_leaning

    rows = era_leaning.sweep([0], values=(1.0, 0.25), dataset=load_path(small_catalogue), config=TrainConfig(steps=3))
    assert list(rows) == ["hedged 1", "hedged 0.25", "era term off"]
    sizes = {name: [len(by_n[n]) for n in era_leaning.ONBOARDING] for name, by_n in rows.items()}
    assert len({tuple(s) for s in sizes.values()}) == 1 and all(sizes["hedged 1"])
    assert all(0.0 <= r <= 1.0 for by_n in rows.values() for values in by_n.values() for r in values)
    shown = era_leaning.table({"a": {0: [0.0, 1.0], 1: [0.5, 0.5], 2: [1.0, 1.0], 5: [0.0, 0.0]}})
    assert shown.splitlines()[2].startswith("| a | 0.5000 ± ") and "| 0.5000 ± 0.0000 | 1.0000 ± 0.0000 | 0.0000 ± 0.0000 |" in shown


@pytest.mark.slow
def test_the_sweep_sets_the_field_it_is_given_and_keeps_the_era_off_row_for_era_fields(small_catalogue, monkeypatch):
    from recsys_bench import era_leaning

    seen = []
    real = era_leaning.evaluate

    def recording(method, requests, context):
        seen.append((method.explorer.preferences.avoid, method.explorer.preferences.hedged))
        return real(method, requests, context)

    monkeypatch.setattr(era_leaning, "evaluate", recording)
    rows = era_leaning.sweep([0], values=(0.0, 40.0), dataset=load_path(small_catalogue), config=TrainConfig(steps=3), field="avoid")
    assert list(rows) == ["avoid 0", "avoid 40"]  # no era-off row for a strength outside the era term
    per_setting = len(era_leaning.ONBOARDING)
    assert seen == [(0.0, 0.25)] * per_setting + [(40.0, 0.25)] * per_setting  # the field moves, the others stay default
