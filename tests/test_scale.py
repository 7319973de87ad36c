"""Scale: the synthetic catalogue, the sampled training path and anchors, top-k's tie rule, map sampling.

Fast: nothing here trains on more than a tiny catalogue. The small path's exactness is
checked against what the full-catalogue training loop gave, before the sampled path existed, on
the same data and seed (``tests/data/full_path_training.json``: its losses and a fingerprint of
every parameter).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
import torch

from recsys import columns as C
from recsys.analysis import projection
from recsys.model import FusionScorer
from recsys.ranking import top_k
from recsys.training import N_VARIANTS, Positives, TrainConfig, TrainingData, anchor_rows, fit
from recsys_bench.synthetic import TOPICS, synthetic_catalogue

# ----------------------------------------------------------------------------- synthetic catalogue


def test_the_synthetic_catalogue_has_the_shape_asked_and_repeats():
    data = synthetic_catalogue(3000, seed=3)
    again = synthetic_catalogue(3000, seed=3)
    assert data.n_items == 3000 and data.n_users == 600 and data.noun == "item"
    assert data.items.equals(again.items) and data.ratings.equals(again.ratings)
    assert not data.ratings.equals(synthetic_catalogue(3000, seed=4).ratings)
    per_user = data.ratings.groupby(C.USER).size()  # 30–50 draws, repeats of a popular item counted once
    assert 25 <= per_user.mean() <= 50 and per_user.max() <= 50
    assert (data.ratings[C.RATING] == 5.0).all() and len(data.positives()) == len(data.ratings)
    assert set(g for gs in data.items[C.GENRES] for g in gs) <= set(TOPICS)
    words = data.items[C.TEXT].str.split().str.len()
    assert words.min() >= 25 and words.max() <= 60  # title, year and topics, then a 25–40 word description
    counts = data.ratings[C.ITEM].value_counts()
    assert counts.iloc[0] >= 5 * counts.median()  # a long tail


# ----------------------------------------------------------------------------- training paths


def tiny_data(n_users: int = 40, n_items: int = 60, seed: int = 0) -> TrainingData:
    """Random training tensors of the shapes build_training_data lays out (no text model needed)."""
    rng = np.random.default_rng(seed)
    text = torch.from_numpy(rng.normal(size=(n_items, 16)).astype(np.float32))
    users = np.repeat(np.arange(n_users), 8)
    items = rng.integers(n_items, size=len(users))
    history = -np.ones((n_users, N_VARIANTS, 20), dtype=np.int64)
    history[:, 1:4, :3] = rng.integers(n_items, size=(n_users, 3, 3))
    focus = np.zeros((n_users, N_VARIANTS, 4), dtype=np.float32)
    focus[:, -3, rng.integers(4)] = 1.0
    train_items = np.arange(n_items - 5)  # five cold items
    return TrainingData(
        item_text=text, item_input=text, item_attr=torch.from_numpy((rng.random((n_items, 3)) < 0.3).astype(np.float32)),
        item_warm=torch.from_numpy(np.isin(np.arange(n_items), train_items)),
        user_text=torch.from_numpy(rng.normal(size=(n_users, N_VARIANTS, 16)).astype(np.float32)),
        user_demo=torch.from_numpy((rng.random((n_users, 2)) < 0.5).astype(np.float32)),
        user_history=torch.from_numpy(history), positives=Positives.of(users, items, n_users, n_items),
        focus=torch.from_numpy(focus), item_genres=torch.from_numpy((rng.random((n_items, 4)) < 0.4).astype(np.float32)),
        train_users=torch.arange(n_users), train_items=torch.from_numpy(train_items),
        item_counts=np.bincount(items, minlength=n_items),
    )  # fmt: skip


#: The full-catalogue training loop as it was before the sampled path existed, run once on :func:`tiny_data`.
FULL_PATH = json.loads((Path(__file__).parent / "data" / "full_path_training.json").read_text())


def test_a_catalogue_at_the_threshold_trains_exactly_as_before():
    data = tiny_data()
    # At the threshold: the full path; without weight decay (plain Adam) and without the warm users' and items' rows
    # fitted after it, as the loop was written then.
    config = TrainConfig(
        steps=6, batch_users=16, sampled_above=data.item_text.shape[0], weight_decay=0.0, warm_id_steps=0, warm_item_steps=0
    )
    model, log = fit(data, config)
    assert log["loss"] == pytest.approx(FULL_PATH["loss"], rel=1e-6, abs=1e-7)  # same draws, same arithmetic
    state = model.state_dict()
    assert list(state) == list(FULL_PATH["parameters"])
    for name, (total, size) in FULL_PATH["parameters"].items():
        value = state[name].double()
        assert float(value.sum()) == pytest.approx(total, rel=1e-5, abs=1e-6), name
        assert float(value.abs().sum()) == pytest.approx(size, rel=1e-5, abs=1e-6), name


def test_weight_decay_shrinks_the_weights_it_trains():
    data = tiny_data()
    settings = dict(steps=6, batch_users=16, sampled_above=data.item_text.shape[0])
    plain, _ = fit(data, TrainConfig(**settings, weight_decay=0.0))
    decayed, _ = fit(data, TrainConfig(**settings, weight_decay=0.5))
    size = lambda model: sum(float(p.pow(2).sum()) for p in model.parameters())  # noqa: E731
    assert size(decayed) < 0.99 * size(plain)


def test_positives_are_stored_sparse_and_read_back_dense():
    positives = Positives.of(np.array([2, 0, 2, 2]), np.array([1, 3, 1, 0]), n_users=3, n_items=4)
    assert positives.indices.tolist() == [3, 0, 1]  # one entry per distinct (user, item)
    assert positives.dense(torch.tensor([2, 1, 0])).tolist() == [[1, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 1]]


def test_anchors_are_the_most_interacted_training_items_with_ties_to_the_earlier_row():
    counts = np.array([5, 9, 5, 1, 9, 0, 7])
    config = TrainConfig(sampled_above=4, anchors=3)
    assert anchor_rows(counts, range(7), config).tolist() == [1, 4, 6]
    assert anchor_rows(counts, [0, 2, 3, 5], config).tolist() == [0, 2, 3]  # only training items; 0 and 2 tie
    assert anchor_rows(counts, range(7), dataclasses.replace(config, sampled_above=7)) is None  # small: every item


def test_the_sampled_path_trains_on_candidates_and_reads_only_anchors(monkeypatch):
    data = tiny_data()
    config = TrainConfig(sampled_above=20, anchors=12, negatives=10, sampled_batch_users=8, sampled_updates=40)
    read: list[int] = []
    forward = FusionScorer.__init__

    def spy(self, *args, **kwargs):
        forward(self, *args, **kwargs)
        original = self.users.forward

        def users(text, attr, ids, available, history=None, catalog=None):
            read.append(len(catalog[0]))
            return original(text, attr, ids, available, history, catalog)

        self.users.forward = users

    monkeypatch.setattr(FusionScorer, "__init__", spy)
    model, log = fit(data, config)
    assert len(log["loss"]) == 40 and np.isfinite(log["loss"]).all()
    assert set(read) == {12}  # every update's readout attends over the anchors only
    assert np.mean(log["loss"][-10:]) < np.mean(log["loss"][:10])


@pytest.fixture(scope="module")
def sampled_explorer(small_catalogue, small_explorer, tmp_path_factory):
    """The small catalogue trained on the large-catalogue path (threshold lowered below its 60 items)."""
    from recsys.data import load_path
    from recsys.explorer import Explorer

    config = TrainConfig(sampled_above=30, anchors=24, negatives=16, sampled_batch_users=16, sampled_updates=250)
    return Explorer.train(load_path(small_catalogue), small_explorer.encoder, config=config, cache_dir=tmp_path_factory.mktemp("sampled"))


@pytest.mark.slow  # trains a model: the slow tier, so `make test-fast` stays under a minute
def test_a_model_trained_on_the_sampled_path_recommends_what_is_described(sampled_explorer):
    ex = sampled_explorer
    assert ex.towers.catalog[0].shape[0] == 24 and ex.info["trained_now"]
    recs = ex.recommend(ex.new_user("scary horror films with zombies and vampires"), k=5)
    assert np.mean(["Horror" in g for g in recs[C.GENRES]]) >= 0.6
    assert recs[C.SCORE].to_numpy() == pytest.approx((recs[C.MU] + recs[C.B_USER] + recs[C.B_ITEM] + recs[C.DOT]).to_numpy(), abs=1e-4)


# ----------------------------------------------------------------------------- top-k


@pytest.mark.parametrize("seed", range(20))
def test_top_k_equals_a_stable_sort_of_every_row_ties_at_the_cut_off_included(seed):
    rng = np.random.default_rng(seed)
    scores = rng.integers(0, 6, size=300).astype(float)  # many ties, at every cut-off
    scores[rng.integers(300, size=5)] = np.nan
    exclude = rng.integers(300, size=20)
    masked = scores.copy()
    masked[exclude] = -np.inf
    masked[np.isnan(masked)] = -np.inf
    for k in (1, 7, 20, 100):
        expected = np.argsort(-masked, kind="stable")[:k]
        assert top_k(scores, k, exclude).tolist() == expected.tolist()


# ----------------------------------------------------------------------------- map sampling


def test_a_large_map_is_fitted_on_a_sample_and_the_rest_placed_near_their_neighbours(monkeypatch):
    rng = np.random.default_rng(0)
    vectors = projection._normalise(rng.normal(size=(300, 8)).astype(np.float32))
    fitted_sizes = []

    def fake_umap(x, dims, seed=0):  # a cheap stand-in: the first coordinates, scaled
        fitted_sizes.append(len(x))
        return (10 * x[:, :dims]).astype(np.float32)

    monkeypatch.setattr(projection, "umap_layout", fake_umap)
    coords = projection.fit_layout(vectors, 2, max_fit=100)
    assert fitted_sizes == [100] and coords.shape == (300, 2)
    sample = projection.sample_rows(300, 100)
    assert np.allclose(coords[sample], 10 * vectors[sample, :2])
    rest = np.setdiff1d(np.arange(300), sample)
    best = sample[np.argmax(vectors[rest] @ vectors[sample].T, axis=1)]
    span = np.ptp(coords[sample], axis=0).max()
    assert (np.linalg.norm(coords[rest] - coords[best], axis=1) <= 0.05 * span + 1e-5).all()
    assert projection.fit_layout(vectors[:80], 2, max_fit=100).shape == (80, 2) and fitted_sizes[-1] == 80


def test_placing_in_blocks_and_by_partition_matches_one_full_sort(monkeypatch):
    rng = np.random.default_rng(1)
    layout = projection.MapLayout("text", 2, rng.normal(size=(500, 2)).astype(np.float32),
                                  projection._normalise(rng.normal(size=(500, 16)).astype(np.float32)), np.zeros((0, 2)))  # fmt: skip
    queries = rng.normal(size=(37, 16))
    whole = layout.place(queries)
    monkeypatch.setattr(projection, "PLACE_ELEMENTS", 5 * 500)  # blocks of 5 queries
    monkeypatch.setattr(projection, "PARTITION_ABOVE", 100)  # a partition over the 500 references
    assert np.allclose(layout.place(queries), whole, atol=1e-6)


def test_the_map_draws_a_fixed_bounded_sample():
    assert projection.drawn_rows(500, limit=1000).tolist() == list(range(500))
    rows = projection.drawn_rows(50_000)
    assert len(rows) == projection.MAX_DRAWN == len(set(rows.tolist())) and (np.diff(rows) > 0).all()
    assert np.array_equal(rows, projection.drawn_rows(50_000))


def test_the_items_rows_stage_takes_the_same_step_in_chunks_of_users():
    """The stage sums the gradients of chunks of batch_users users before each step: the step of one full batch, without
    a users × items matrix of every training user at once."""
    import copy

    from recsys.training import _fit_warm_items

    data = tiny_data()
    config = TrainConfig(steps=4, batch_users=16, sampled_above=data.item_text.shape[0], warm_item_steps=0)
    trained, _ = fit(data, config)
    trained.train()
    for parameter in trained.parameters():
        parameter.requires_grad_(True)
    rows = {}
    for batch in (len(data.train_users), 7):  # one chunk; six chunks, the last of 5 users
        model, log = copy.deepcopy(trained), {}
        stage = dataclasses.replace(config, warm_item_steps=5, warm_item_cold=1.0, batch_users=batch)
        _fit_warm_items(model, data, stage, log)
        rows[batch] = (model.items.id.weight.detach().clone(), model.items.id_bias.weight.detach().clone(), log["warm_item_loss"])
    (one, one_bias, one_loss), (six, six_bias, six_loss) = rows[len(data.train_users)], rows[7]
    assert not torch.equal(one, trained.items.id.weight)  # the stage moved the rows
    assert torch.allclose(one, six, atol=1e-5) and torch.allclose(one_bias, six_bias, atol=1e-5)
    assert one_loss == pytest.approx(six_loss, rel=1e-5)
