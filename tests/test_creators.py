"""The list-overlap and creator-hit measure of ``python -m recsys_bench.creators`` (issue: ten profiles, ten lists)."""

import json

import pytest

from recsys_bench import creators


def test_mean_pairwise_jaccard_by_hand():
    lists = [["a", "b", "c"], ["b", "c", "d"], ["x", "y", "z"]]
    # |{b, c}| / |{a, b, c, d}| = 0.5; the third list shares nothing with either
    assert creators.mean_pairwise_jaccard(lists) == pytest.approx((0.5 + 0 + 0) / 3)
    assert creators.jaccard([], []) == 1.0 and creators.jaccard(["a"], ["a", "a"]) == 1.0


@pytest.mark.slow
def test_the_command_reports_each_seeds_model_and_their_mean(small_catalogue, tmp_path, capsys):
    from recsys import Explorer
    from recsys.data import load_path
    from recsys.training import TrainConfig

    out = tmp_path / "creators.json"
    assert creators.main(["--data", str(small_catalogue), "--seeds", "0", "1", "--json", str(out)]) == 0
    results = json.loads(out.read_text())
    by_seed = {int(seed): value for seed, value in results["overlap"]["by_seed"].items()}
    dataset = load_path(small_catalogue)
    for seed in (0, 1):  # each number is that seed's own model's
        explorer = Explorer.load(dataset=dataset, config=TrainConfig(seed=seed))
        profiles = creators.PROFILES["film" if explorer.dataset.noun == "film" else "book"]  # as the command chooses
        assert by_seed[seed] == pytest.approx(creators.list_overlap(explorer, profiles)["mean_pairwise_jaccard"])
    assert by_seed[0] != by_seed[1]  # two models, not one asked twice
    assert results["overlap"]["mean_pairwise_jaccard"] == pytest.approx((by_seed[0] + by_seed[1]) / 2)
    printed = capsys.readouterr().out
    assert "seed 0:" in printed and "seed 1:" in printed and "mean over seeds 0, 1 of" in printed


@pytest.mark.slow  # trains two models
def test_a_setting_reaches_each_seeds_model_and_the_json(small_catalogue, tmp_path, monkeypatch, capsys):
    """``--set`` is how a setting chosen on MovieLens is checked on a catalogue it was not tuned on (docs/tuning.md)."""
    from recsys import Explorer

    asked = []

    def load(dataset=None, config=None, **kw):
        asked.append(config)
        return real(dataset=dataset, config=config, **kw)

    real = Explorer.load
    monkeypatch.setattr(Explorer, "load", staticmethod(load))
    out = tmp_path / "creators.json"
    argv = ["--data", str(small_catalogue), "--seeds", "0", "1", "--set", "steps=20", "--set", "warm_item_steps=0", "--json", str(out)]
    assert creators.main(argv) == 0
    assert [(c.seed, c.steps, c.warm_item_steps) for c in asked] == [(0, 20, 0), (1, 20, 0)]
    assert json.loads(out.read_text())["setting"] == {"steps": 20, "warm_item_steps": 0}
    assert creators.main(["--data", str(small_catalogue), "--set", "seed=3"]) == 2  # the seeds are --seeds
    assert creators.main(["--data", str(small_catalogue), "--set", "stepz=3"]) == 2
    assert "stepz=3" in capsys.readouterr().err
