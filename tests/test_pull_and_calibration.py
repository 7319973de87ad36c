"""The popularity-pull control (scaled b_i), the pull of one list, and the like-probability's calibration."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from recsys import columns as C
from recsys.analysis.pull import axis_term, percentiles, popularity_axis, popularity_pull
from recsys.calibration import Calibration, Reliability
from recsys.online import sigmoid


# ---------------------------------------------------------------- the item-bias control
def test_bias_scale_one_is_the_model_and_zero_removes_b_i(small_explorer):
    user = small_explorer.new_user("I love haunted houses and zombies")
    trained = small_explorer.score_terms(user)
    full = small_explorer.score_terms(user, item_bias_scale=1.0)
    none = small_explorer.score_terms(user, item_bias_scale=0.0)
    half = small_explorer.score_terms(user, item_bias_scale=0.5)
    _, biases = small_explorer.catalogue()
    np.testing.assert_allclose(full.score, trained.score)
    # With b_i scaled to 0 the score is μ + b_u + ⟨e_u, e_i⟩, the dot product unchanged.
    np.testing.assert_allclose(none.score, small_explorer.mu + user.bias + trained.dot, rtol=0, atol=1e-5)
    np.testing.assert_allclose(none.b_i, 0.0)
    np.testing.assert_allclose(half.score, trained.score - 0.5 * biases, rtol=0, atol=1e-5)
    np.testing.assert_allclose(half.b_i, 0.5 * biases, rtol=1e-6)


def test_the_scaled_terms_shown_add_up_and_re_rank(small_explorer):
    user = small_explorer.new_user("robots and space stations")
    recs = small_explorer.recommend(user, k=10, item_bias_scale=0.25)
    np.testing.assert_allclose(recs[C.SCORE], recs[C.MU] + recs[C.B_USER] + recs[C.B_ITEM] + recs[C.DOT], atol=1e-5)
    terms = small_explorer.score_terms(user, item_bias_scale=0.25)
    rows = small_explorer.dataset.item_ids.indices(recs[C.ITEM].tolist())
    np.testing.assert_allclose(recs[C.SCORE], terms.score[rows], atol=1e-6)
    assert list(recs[C.SCORE]) == sorted(recs[C.SCORE], reverse=True)
    # The explanation of one item uses the same scaled b_i, down to each modality's share.
    item = int(recs[C.ITEM].iloc[0])
    anatomy = small_explorer.explain(user, item, item_bias_scale=0.25)
    assert anatomy.b_i == pytest.approx(float(recs[C.B_ITEM].iloc[0]), abs=1e-6)
    assert sum(anatomy.b_i_by_modality.values()) == pytest.approx(anatomy.b_i, abs=1e-6)
    assert anatomy.score == pytest.approx(float(recs[C.SCORE].iloc[0]), abs=1e-5)


@pytest.mark.parametrize("bad", [-0.1, 1.5, "half", None, True, float("nan")])
def test_the_bias_scale_is_checked(small_explorer, bad):
    user = small_explorer.new_user("comedy")
    with pytest.raises(ValueError, match="item_bias_scale"):
        small_explorer.recommend(user, item_bias_scale=bad)


# ---------------------------------------------------------------- the pull of one list
# ---------------------------------------------------------------- the popularity-axis control
def test_the_popularity_axis_is_found_where_popularity_was_put():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(300, 6))
    popularity = np.round(np.expm1(np.clip(2.0 + 1.5 * vectors[:, 2] + 0.1 * rng.normal(size=300), 0, None)))
    axis, correlation = popularity_axis(vectors, popularity)
    assert abs(np.linalg.norm(axis) - 1.0) < 1e-9
    assert axis[2] > 0.95  # the third coordinate, pointing towards more popular items
    assert correlation > 0.9
    # No interactions at all: no axis, and the term is 0 for every item.
    empty, nothing = popularity_axis(vectors, np.zeros(300))
    assert nothing == 0.0 and not empty.any()


def test_the_axis_term_by_hand():
    user = np.array([2.0, -1.0, 0.5])
    items = np.array([[1.0, 0.0, 9.0], [0.0, 3.0, 9.0], [-2.0, 1.0, 9.0]])
    axis = np.array([0.6, 0.8, 0.0])
    # ⟨e_u, a⟩ = 1.2 − 0.8 = 0.4; ⟨e_i, a⟩ = 0.6, 2.4, −0.4; strength 0.5 → −0.5 · 0.4 · ⟨e_i, a⟩.
    np.testing.assert_allclose(axis_term(user, items, axis, 0.5), [-0.12, -0.48, 0.08])
    # At strength 1 the dot product left is the one with the axis component taken out of the item.
    removed = items - np.outer(items @ axis, axis)
    np.testing.assert_allclose(items @ user + axis_term(user, items, axis, 1.0), removed @ user)


def test_the_axis_term_is_its_own_term_and_the_terms_add_up(small_explorer):
    user = small_explorer.new_user("robots and space stations")
    trained = small_explorer.recommend(user, k=10)
    assert (trained[C.POP] == 0.0).all()
    recs = small_explorer.recommend(user, k=10, item_bias_scale=0.5, axis_strength=0.8)
    np.testing.assert_allclose(recs[C.SCORE], recs[C.MU] + recs[C.B_USER] + recs[C.B_ITEM] + recs[C.DOT] + recs[C.POP], atol=1e-5)
    assert (recs[C.POP] != 0.0).any()
    terms = small_explorer.score_terms(user, item_bias_scale=0.5, axis_strength=0.8)
    rows = small_explorer.dataset.item_ids.indices(recs[C.ITEM].tolist())
    np.testing.assert_allclose(recs[C.SCORE], terms.score[rows], atol=1e-5)
    np.testing.assert_allclose(recs[C.POP], terms.pop[rows], atol=1e-6)
    assert list(recs[C.SCORE]) == sorted(recs[C.SCORE], reverse=True)
    # The recommended list is the best of the adjusted scores, and the explanation carries the same term.
    assert set(rows) == set(np.argsort(-terms.score)[:10]) - set(small_explorer.hidden_rows(user))
    item = int(recs[C.ITEM].iloc[0])
    anatomy = small_explorer.explain(user, item, item_bias_scale=0.5, axis_strength=0.8)
    assert anatomy.pop == pytest.approx(float(recs[C.POP].iloc[0]), abs=1e-5)
    assert anatomy.score == pytest.approx(float(recs[C.SCORE].iloc[0]), abs=1e-5)
    assert anatomy.score == pytest.approx(anatomy.mu + anatomy.b_u + anatomy.b_i + anatomy.dot + anatomy.pop, abs=1e-6)


@pytest.mark.parametrize("bad", [-0.1, 1.5, "1", True, float("nan")])
def test_the_axis_strength_is_checked(small_explorer, bad):
    with pytest.raises(ValueError, match="axis_strength"):
        small_explorer.recommend(small_explorer.new_user("robots"), axis_strength=bad)


def test_percentiles_by_hand():
    # Ratings 0, 5, 5, 10: fewer than 0 → 0 %, fewer than 5 → 1 of 4, fewer than 10 → 3 of 4.
    np.testing.assert_allclose(percentiles(np.array([5, 0, 10, 5])), [25.0, 0.0, 75.0, 25.0])


def test_pull_of_a_list(small_explorer):
    user = small_explorer.new_user("talking dogs and wedding mix-ups")
    recs = small_explorer.recommend(user, k=8)
    pull = popularity_pull(small_explorer, recs)
    popularity = np.asarray(small_explorer.popularity)
    assert len(pull.items) == len(pull.popular) == 8
    # The popularity list is the 8 most rated items, most rated first.
    assert list(pull.popular["popularity"]) == sorted(popularity, reverse=True)[:8]
    assert pull.popular_percentile >= pull.list_percentile - 1e-9
    share = (recs[C.B_ITEM].abs() / (recs[C.B_ITEM].abs() + recs[C.DOT].abs())).mean()
    assert pull.bias_share == pytest.approx(share)
    assert pull.catalogue_median == pytest.approx(np.median(popularity))
    # No item bias, no share of it.
    assert popularity_pull(small_explorer, small_explorer.recommend(user, k=8, item_bias_scale=0.0)).bias_share == 0.0


@pytest.mark.slow
def test_less_pull_recommends_less_popular_films(explorer):
    user = explorer.new_user("I like films")
    trained = popularity_pull(explorer, explorer.recommend(user, k=20))
    none = popularity_pull(explorer, explorer.recommend(user, k=20, item_bias_scale=0.0))
    assert none.list_percentile < trained.list_percentile


# ---------------------------------------------------------------- calibration
@pytest.mark.slow
def test_on_movielens_popularity_runs_along_one_axis_and_removing_it_moves_the_list(explorer):
    """b_i × 0 barely moves a list (popularity comes through ⟨e_u, e_i⟩); the axis control does."""
    axis, correlation = explorer.popularity_axis
    assert correlation > 0.8
    user = explorer.new_user("I love comedies but I can't stand horror films")
    trained = popularity_pull(explorer, explorer.recommend(user, k=20))
    no_bias = popularity_pull(explorer, explorer.recommend(user, k=20, item_bias_scale=0.0))
    axis_removed = popularity_pull(explorer, explorer.recommend(user, k=20, axis_strength=1.0))
    assert trained.list_percentile - axis_removed.list_percentile > 2 * max(1.0, trained.list_percentile - no_bias.list_percentile)


def test_platt_scaling_recovers_a_known_map():
    rng = np.random.default_rng(0)
    scores = rng.normal(0, 2, 200_000)
    labels = (rng.random(len(scores)) < sigmoid(0.5 * scores - 1.0)).astype(float)
    fitted = Calibration.fit(scores, labels)
    assert fitted.a == pytest.approx(0.5, abs=0.02) and fitted.c == pytest.approx(-1.0, abs=0.02)
    raw, calibrated = Reliability(), Reliability()
    raw.add(sigmoid(scores), labels)
    calibrated.add(fitted.probability(scores), labels)
    assert calibrated.ece() < 0.01 < raw.ece()


def test_calibration_needs_both_labels_and_equal_lengths():
    with pytest.raises(ValueError, match="both"):
        Calibration.fit(np.array([0.1, 0.2]), np.array([1.0, 1.0]))
    with pytest.raises(ValueError, match="equal length"):
        Calibration.fit(np.array([0.1, 0.2]), np.array([1.0]))


def test_reliability_table_by_hand():
    r = Reliability(bins=4)
    r.add(np.array([0.1, 0.2, 0.6, 0.9]), np.array([0, 1, 1, 1]))
    rows = {row["lo"]: row for row in r.table()}
    assert set(rows) == {0.0, 0.5, 0.75}  # 0.1 and 0.2 share the first bin; the second is empty
    assert rows[0.0]["n"] == 2 and rows[0.0]["mean_p"] == pytest.approx(0.15) and rows[0.0]["observed"] == 0.5
    # ECE: (2·|0.15 − 0.5| + |0.6 − 1| + |0.9 − 1|) / 4
    assert r.ece() == pytest.approx((2 * 0.35 + 0.4 + 0.1) / 4)
    assert r.merged(r).ece() == pytest.approx(r.ece())


def test_a_calibrated_explorer_changes_p_and_nothing_else(small_explorer):
    user = small_explorer.new_user("vampire towns")
    calibration = Calibration(a=0.5, c=-1.0, source="test")
    calibrated = small_explorer.calibrated(calibration)
    before, after = small_explorer.recommend(user, k=5), calibrated.recommend(user, k=5)
    pd.testing.assert_frame_equal(before.drop(columns="p_like"), after.drop(columns="p_like"))
    np.testing.assert_allclose(before["p_like"], sigmoid(before[C.SCORE]), rtol=1e-6)
    np.testing.assert_allclose(after["p_like"], sigmoid(0.5 * after[C.SCORE] - 1.0), rtol=1e-6)
    assert small_explorer.calibration.identity  # the shared engine is not changed
    item = int(before[C.ITEM].iloc[0])
    assert calibrated.explain(user, item).p_like == pytest.approx(float(after["p_like"].iloc[0]), rel=1e-6)
    assert Calibration.from_dict(calibration.to_dict()) == calibration
    assert Calibration.from_dict(None).identity
