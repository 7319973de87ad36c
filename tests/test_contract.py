"""Contract every scorer passes (ours, the baselines), and the evaluator on a small split."""

from __future__ import annotations

import numpy as np
import pytest

from recsys_bench.baselines import ContentKnnMethod, Context, DemographicPopularityMethod, GenreMethod, PopularityMethod, RandomMethod
from recsys_bench.evaluation import METRICS, OursMethod, evaluate, feedback_loop, top_k
from recsys_bench.splits import item_cold_requests, item_cold_split, user_cold_requests, user_cold_split

pytestmark = pytest.mark.slow
METHODS = [RandomMethod, PopularityMethod, DemographicPopularityMethod, GenreMethod, ContentKnnMethod, OursMethod]


@pytest.fixture(scope="module")
def user_cold(explorer):
    split = user_cold_split(explorer.dataset, seed=0)
    context = Context(explorer.dataset, split, explorer.encoder, np.asarray(explorer.item_text_vectors))
    requests = [r for r in user_cold_requests(explorer.dataset, split, ns=(0, 2)) if r.user_id in set(split.held_out_users[:12])]
    return context, requests


@pytest.fixture(scope="module")
def small_user_cold(small_explorer):
    """The contract's split: the tiny catalogue's (every method, ours included, trains in seconds on it)."""
    split = user_cold_split(small_explorer.dataset, seed=0)
    context = Context(small_explorer.dataset, split, small_explorer.encoder, np.asarray(small_explorer.item_text_vectors))
    return context, list(user_cold_requests(small_explorer.dataset, split, ns=(0, 2)))


@pytest.fixture(scope="module")
def fitted(small_user_cold):
    context, _ = small_user_cold
    return {cls.__name__: cls().fit(context) for cls in METHODS}


def test_splits_hold_out_what_they_say(explorer):
    split = user_cold_split(explorer.dataset, seed=0)
    assert not set(split.train.user_id) & set(split.held_out_users)
    assert len(split.held_out_users) == round(0.2 * explorer.dataset.n_users)
    items = item_cold_split(explorer.dataset, seed=0)
    assert not set(items.train.item_id) & set(items.held_out_items)
    assert all(set(r.truth) <= set(items.held_out_items) for r in item_cold_requests(explorer.dataset, items)[:50])


def test_onboarding_is_the_first_positives_by_time_and_the_profile_never_sees_the_truth(explorer, user_cold):
    _, requests = user_cold
    ratings = explorer.ratings
    for request in requests:
        mine = ratings[(ratings.user_id == request.user_id) & (ratings.rating >= 4)].sort_values(["timestamp", "item_id"])
        n = int(request.group)
        assert list(request.onboarding) == mine.item_id.tolist()[:n]
        assert not set(request.onboarding) & set(request.truth)
        titles = explorer.items.set_index("item_id").title
        later = {titles[i].rsplit(" (", 1)[0] for i in request.truth}
        assert not any(t in request.profile for t in later if len(t) > 6)


@pytest.mark.parametrize("name", [cls.__name__ for cls in METHODS])
def test_scores_cover_the_catalogue_and_are_deterministic(fitted, small_user_cold, name):
    context, requests = small_user_cold
    method = fitted[name]
    for request in requests[:6]:
        scores = method.scores(request)
        assert scores.shape == (context.dataset.n_items,)
        assert np.isfinite(scores).all()
        assert np.array_equal(scores, method.scores(request))
        ranked = top_k(scores, request, context)
        assert len(ranked) == 20 and not set(ranked) & set(request.exclude)


@pytest.mark.parametrize("name", [cls.__name__ for cls in METHODS])
def test_metrics_are_in_range(fitted, small_user_cold, name):
    context, requests = small_user_cold
    outcome = evaluate(fitted[name], requests, context)
    for row in outcome.rows:
        assert all(0.0 <= row[m] <= 1.0 for m in (*METRICS, "diversity_text", "diversity_genre")), row
        assert row["novelty"] >= 0.0  # self-information, in bits


def test_ours_beats_random_and_the_loop_runs(fitted, small_user_cold):
    context, requests = small_user_cold
    ours = np.mean([r["recall@20"] for r in evaluate(fitted["OursMethod"], requests, context).rows])
    rand = np.mean([r["recall@20"] for r in evaluate(fitted["RandomMethod"], requests, context).rows])
    assert ours > rand
    curve = feedback_loop(fitted["OursMethod"], [r for r in requests if r.group == "0"][:4], context, rounds=(0, 1, 2))
    assert set(curve) == {"0", "1", "2"} and all(0 <= v <= 1 for v in curve.values())


def test_a_method_that_cannot_tell_held_out_items_apart_lists_them_in_the_split_random_order(small_explorer):
    """Popularity scores every never-seen item 0: its list is the seed's random order, not the catalogue's (on
    MovieLens the catalogue runs from the most-rated films down, which gave the tied methods a head start)."""
    dataset = small_explorer.dataset
    context = Context(dataset, item_cold_split(dataset, seed=0), small_explorer.encoder, np.asarray(small_explorer.item_text_vectors))
    request = item_cold_requests(dataset, context.split)[0]
    popularity = PopularityMethod().fit(context)
    ranked = top_k(popularity.scores(request), request, context)
    rows = dataset.item_ids.indices(list(request.candidates))
    assert len(set(popularity.scores(request)[rows])) == 1  # every candidate ties
    want = [dataset.item_ids.external(r) for r in rows[np.argsort(context.tie_break[rows])]][: len(ranked)]
    assert ranked == want and ranked != sorted(ranked)
    other = Context(dataset, item_cold_split(dataset, seed=1), small_explorer.encoder, context.item_text)
    assert not np.array_equal(other.tie_break, context.tie_break)


def test_a_reading_variant_drops_only_the_chips_it_names(fitted, small_user_cold):
    """ours_no_era is ours with the era term off: same model, same reading but for the era."""
    from dataclasses import replace

    context, requests = small_user_cold
    ours = fitted["OursMethod"]
    no_era = OursMethod("ours_no_era", reading_without=("era",), same_model_as=ours).fit(context)
    request = replace(requests[0], profile="Westerns from the 1950s, no horror")
    read, without = ours.start_session(request).reading, no_era.start_session(request).reading
    assert read.era is not None and without.era is None
    assert (without.wants, without.rules_out) == (read.wants, read.rules_out) and "Horror" in read.rules_out
    assert no_era.explorer is ours.explorer
