"""Scores checked against values computed by hand on tiny examples."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from pytest import approx

from recsys.model import FusionScorer, Parts, Tower, predict, score_terms
from recsys.online import OnlineConfig, update
from recsys.states import Feedback, UserState


def one_modality_user(e_u, b_u) -> UserState:
    e_u = np.asarray(e_u, dtype=np.float32)
    return UserState(
        text="t", demographics={}, liked=(), h=np.array([e_u, np.zeros_like(e_u)]), beta=np.array([b_u, 0.0]),
        alpha=np.array([1.0, 0.0]), text_vector=np.zeros(3), delta_e=np.zeros_like(e_u), modalities=("text", "demo"),
    )  # fmt: skip


def test_seed_example_by_hand():
    # <e_u, e_i> = 0.01 + 0.06 + 0.15 + 0.28 + 0.45 = 0.95, so r = 0 + 0.2 + 0.1 + 0.95 = 1.25.
    # (A worked example in circulation prints 1.45 for this sum; that adds 0.2 twice.)
    user = one_modality_user([0.1, 0.2, 0.3, 0.4, 0.5], 0.2)
    e_i = np.array([[0.1, 0.3, 0.5, 0.7, 0.9]], dtype=np.float32)
    terms = score_terms(0.0, user, e_i, np.array([0.1]))
    assert terms.dot[0] == approx(0.95)
    assert terms.score[0] == approx(1.25)
    assert terms.dot_by_term["text"][0] == approx(0.95)
    assert terms.dot_by_term["demo"][0] == approx(0.0)
    assert terms.dot_by_term["feedback"][0] == approx(0.0)
    assert float(predict(0.0, 0.2, np.array([0.1]), user.vector, e_i)[0]) == approx(1.25)


def test_predict_is_the_same_formula_for_one_user_and_many():
    e_u = np.array([[1.0, 2.0], [0.0, -1.0]])
    e_i = np.array([[3.0, 0.0], [1.0, 1.0], [0.0, 2.0]])
    b_u, b_i = np.array([0.5, -0.5]), np.array([0.1, 0.2, 0.3])
    many = predict(1.0, b_u, b_i, e_u, e_i)
    assert many[0].tolist() == approx([1 + 0.5 + 0.1 + 3, 1 + 0.5 + 0.2 + 3, 1 + 0.5 + 0.3 + 4])
    for u in range(2):
        assert predict(1.0, b_u[u], b_i, e_u[u], e_i) == approx(many[u])
    torch_many = predict(torch.tensor(1.0), torch.tensor(b_u), torch.tensor(b_i), torch.tensor(e_u), torch.tensor(e_i))
    assert torch_many.numpy() == approx(many)


def test_three_users_four_items_by_hand():
    model = FusionScorer(text_dim=2, user_attr_dim=1, item_attr_dim=1, n_users=3, n_items=4, dim=2, text_hidden=0)
    with torch.no_grad():
        model.mu.fill_(3.0)
    users = Parts(torch.tensor([[[1.0, 0.0]], [[0.0, 2.0]], [[1.0, 1.0]]]), torch.tensor([[0.5], [-0.5], [0.0]]), torch.ones(3, 1))
    items = Parts(
        torch.tensor([[[1.0, 0.0]], [[0.0, 1.0]], [[2.0, 2.0]], [[-1.0, 0.0]]]),
        torch.tensor([[0.1], [0.2], [0.0], [-0.1]]),
        torch.ones(4, 1),
    )
    expected = np.array(
        [
            [3 + 0.5 + 0.1 + 1, 3 + 0.5 + 0.2 + 0, 3 + 0.5 + 0 + 2, 3 + 0.5 - 0.1 - 1],
            [3 - 0.5 + 0.1 + 0, 3 - 0.5 + 0.2 + 2, 3 - 0.5 + 0 + 4, 3 - 0.5 - 0.1 + 0],
            [3 + 0 + 0.1 + 1, 3 + 0 + 0.2 + 1, 3 + 0 + 0 + 4, 3 + 0 - 0.1 - 1],
        ]
    )
    assert model.score(users, items).detach().numpy() == approx(expected)


def test_fusion_weights_cover_only_available_modalities():
    tower = Tower(("text", "demo", "history", "id"), text_dim=4, attr_dim=2, n_ids=3, dim=2, text_hidden=0)
    available = torch.tensor([[True, True, False, False], [True, False, False, True], [False, False, False, False]])
    parts = tower(torch.randn(3, 4), torch.randn(3, 2), torch.tensor([0, 1, 2]), available, torch.zeros(3, 2))
    alpha = parts.alpha.detach().numpy()
    assert alpha[0] == approx([0.5, 0.5, 0, 0])  # equal logits at initialisation
    assert alpha[1, [1, 2]] == approx([0, 0])
    assert alpha[1].sum() == approx(1.0)
    assert alpha[2] == approx([0, 0, 0, 0])  # nothing known: no vector, no bias, no NaN
    assert torch.isfinite(parts.vector).all()


def test_one_online_step_matches_the_formula():
    e, e0 = np.array([0.5, -0.5]), np.array([0.0, 0.0])
    items, item_bias, targets = np.array([[1.0, 0.0]]), np.array([0.0]), np.array([1.0])
    config = OnlineConfig(lr=0.1, reg=2.0, reg_bias=1.0, steps=1)  # 0.1 < 1/L = 1/(2 + 1/4): no cap
    trace = update(e, 0.0, e0, 0.0, 0.0, items, item_bias, targets, config)
    p = 1 / (1 + np.exp(-0.5))  # sigmoid(0 + 0 + 0 + <e, e_j>) with <e, e_j> = 0.5
    expected_e = e - 0.1 * ((p - 1.0) * items[0] + 2.0 * (e - e0))
    expected_b = 0.0 - 0.1 * ((p - 1.0) + 1.0 * 0.0)
    assert trace.e_after == approx(expected_e, abs=1e-6)
    assert trace.b_after == approx(expected_b)
    assert trace.loss[1] < trace.loss[0]


def test_regularisation_keeps_the_vector_near_its_prior():
    items, targets = np.array([[1.0, 0.0]]), np.array([1.0])
    loose = update(np.zeros(2), 0.0, np.zeros(2), 0.0, 0.0, items, np.zeros(1), targets, OnlineConfig(reg=0.01, steps=50))
    tight = update(np.zeros(2), 0.0, np.zeros(2), 0.0, 0.0, items, np.zeros(1), targets, OnlineConfig(reg=10.0, steps=50))
    assert np.linalg.norm(tight.e_after) < np.linalg.norm(loose.e_after)
    assert tight.p_after[0] > tight.p_before[0]


def test_update_stays_stable_with_a_lot_of_feedback():
    rng = np.random.default_rng(0)
    items = rng.normal(size=(200, 8)) + 1.0  # strongly correlated items: a large ‖E‖
    targets = (rng.random(200) < 0.5).astype(float)
    trace = update(np.zeros(8), 0.0, np.zeros(8), 0.0, 0.0, items, np.zeros(200), targets, OnlineConfig(lr=0.3, steps=30))
    assert np.isfinite(trace.e_after).all()
    assert all(b <= a + 1e-9 for a, b in zip(trace.loss, trace.loss[1:]))  # monotone descent


@pytest.mark.parametrize(
    ("signal", "target"),
    [(Feedback(1, "like"), 1.0), (Feedback(1, "dislike"), 0.0), (Feedback(1, "stars", 5), 1.0), (Feedback(1, "stars", 3), 0.5),
     (Feedback(1, "stars", 2), 0.25), (Feedback(1, "stars", 1), 0.0)],
)  # fmt: skip
def test_feedback_maps_to_like_probabilities(signal, target):
    assert signal.target == approx(target)


def test_top_k_breaks_ties_by_row_without_keys_and_never_returns_excluded_or_nan_rows():
    from recsys.ranking import top_k

    scores = np.zeros(50)
    assert top_k(scores, 5).tolist() == [0, 1, 2, 3, 4]  # all tied: the first rows, in order
    scores[[7, 3]] = [2.0, 1.0]
    scores[9] = np.nan
    assert top_k(scores, 4, exclude=np.array([0])).tolist() == [7, 3, 1, 2]
    assert 9 not in top_k(scores, 50).tolist() and len(top_k(scores, 50)) == 49


def test_top_k_orders_ties_by_the_given_keys_and_agrees_with_a_full_sort():
    from recsys.ranking import top_k

    rng = np.random.default_rng(3)
    scores = rng.integers(0, 4, 300).astype(float)  # four values: every cut-off falls inside a block of ties
    keys = rng.permutation(300)
    exclude = np.array([5, 6, 7])
    for k in (1, 20, 150, 300):
        got = top_k(scores, k, exclude=exclude, tie_break=keys)
        eligible = np.setdiff1d(np.arange(300), exclude)
        want = eligible[np.lexsort((keys[eligible], -scores[eligible]))][:k]
        assert got.tolist() == want.tolist()
    assert top_k(np.zeros(5), 3, tie_break=np.array([4, 3, 2, 1, 0])).tolist() == [4, 3, 2]


def test_the_benchmark_tie_order_belongs_to_the_item_and_the_seed_not_the_row():
    from recsys_bench.baselines import tie_order

    ids = [f"0{n:09d}" for n in range(200)] + ["051513290X"]
    order = tie_order(ids, 0)
    assert sorted(order.tolist()) == list(range(201))  # a permutation
    shuffled = np.random.default_rng(1).permutation(201)
    assert tie_order([ids[r] for r in shuffled], 0).tolist() == order[shuffled].tolist()
    assert tie_order(ids, 1).tolist() != order.tolist()
    # Not the catalogue's order, nor its reverse: the first twenty rows spread over the whole order.
    assert abs(np.corrcoef(np.arange(201), order)[0, 1]) < 0.3


def test_the_peer_runner_breaks_ties_with_the_keys_it_is_given():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("peer_runner", Path(__file__).resolve().parent.parent / "bench" / "peer_runner.py")
    runner = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(runner)
    items = np.array([10, 11, 12, 13, 14])
    request = {"candidates": [11, 12, 13, 14], "exclude": [14]}
    ranked = runner.rank(np.array([0.0, 0.0, 0.0, 0.0, 0.0]), items, request, 3, ties=np.array([0, 3, 1, 2, 4]))
    assert ranked == [12, 13, 11]
