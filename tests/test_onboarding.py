"""The onboarding designer: each question strategy on a toy catalogue where the right question is known, the flow's
handling of "haven't seen it", and a simulation that learns nothing of a held-out person it did not ask."""

from __future__ import annotations

import numpy as np
import pytest

from recsys import columns as C
from recsys.onboarding import STRATEGIES, Asked, CatalogueStats, ask, make, questions


def toy(raters, entropy=None, vectors=None, n_users=100) -> CatalogueStats:
    n = len(raters)
    return CatalogueStats(
        ids=np.arange(101, 101 + n), raters=np.asarray(raters, float),
        entropy=np.asarray(entropy if entropy is not None else np.zeros(n), float), n_users=n_users,
        vectors=np.asarray(vectors if vectors is not None else np.eye(n, 2) + 0.1, float),
    )  # fmt: skip


def order(strategy: str, stats: CatalogueStats, n: int, scores=None) -> list:
    asked = Asked()
    for _ in range(n):
        row = make(strategy).next(stats, asked, lambda: scores)
        asked.answers.append((stats.ids[row], "unseen"))
    return [item for item, _ in asked.answers]


def test_popular_asks_the_most_rated_first():
    assert order("popular", toy([50, 90, 10, 70]), 3) == [102, 104, 101]


def test_entropy_asks_the_most_divided_and_pop_entropy_weighs_it_by_log_raters():
    stats = toy([90, 12, 40, 60], entropy=[0.2, 2.0, 1.5, 1.0])
    assert order("entropy", stats, 2) == [102, 103]
    # log(r + 1) × H: 0.90, 5.13, 5.57, 4.11 → the third, then the second.
    assert order("pop_entropy", stats, 2) == [103, 102]


def test_coverage_spreads_its_questions_over_the_embedding_space():
    # Four well-known items: two near (1, 0), one at (0, 1), one at (−1, 0). After the most rated (at (1, 0)),
    # the farthest is (−1, 0), then (0, 1); the near twin comes last.
    vectors = [[1.0, 0.0], [0.99, 0.05], [0.0, 1.0], [-1.0, 0.0]]
    stats = toy([90, 80, 30, 20], vectors=vectors)
    assert order("coverage", stats, 4) == [101, 104, 103, 102]


def test_coverage_and_expected_change_ask_only_items_enough_people_know():
    stats = toy([90, 80, 3, 20], vectors=[[1.0, 0.0], [0.99, 0.05], [-1.0, 0.0], [0.0, 1.0]])
    assert 103 not in order("coverage", stats, 3)  # 3 raters: below MIN_RATERS, never asked
    assert 103 not in order("expected_change", stats, 3, scores=np.zeros(4))


def test_expected_change_asks_where_the_answer_is_uncertain_and_likely_given():
    # Same vectors and raters; the model is sure about the first two (p ≈ 1 and ≈ 0), unsure of the third.
    stats = toy([60, 60, 15, 60], vectors=[[1, 0], [1, 0], [1, 0], [0.5, 0]])
    scores = np.array([8.0, -8.0, 0.0, 0.0])
    # Equally unsure: the item four times as many people have seen wins even with half the ‖e_i‖ (0.6 · 0.5 · 0.5
    # against 0.15 · 0.5 · 1); once asked, the other unsure one follows.
    assert order("expected_change", stats, 2, scores) == [104, 103]


def test_unknown_strategy_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown onboarding strategy"):
        make("alphabetical")


def test_the_flow_updates_on_answers_and_moves_on_when_unseen(small_explorer):
    ex = small_explorer
    stats = CatalogueStats.of(ex)
    ids = stats.ids[np.argsort(-stats.raters, kind="stable")]
    answers = {ids[0]: "like", ids[1]: "unseen", ids[2]: "dislike"}
    start = ex.new_user("robots and space stations")
    seen_at = []
    user, asked = ask(
        ex, start, make("popular"), lambda i: answers.get(i, "unseen"), 3, stats, after=lambda n, u, a: seen_at.append(len(u.feedback))
    )
    assert [i for i, _ in asked.answers] == list(ids[:3])
    assert [(f.item_id, f.kind) for f in user.feedback] == [(ids[0], "like"), (ids[2], "dislike")]
    assert seen_at == [0, 1, 1, 2]  # "haven't seen it" changed nothing
    with pytest.raises(ValueError, match="onboarding answer"):
        ask(ex, start, make("popular"), lambda i: "maybe", 1, stats)
    # The questions shown for a profile: every strategy gives as many distinct items as asked for.
    for name in STRATEGIES:
        shown = questions(ex, start, make(name), stats, 5)
        assert len(shown) == len(set(shown)) == 5


def test_only_a_strategy_said_to_read_the_person_asks_two_people_different_questions(small_explorer):
    """The page marks the strategies that ask everyone the same questions; the mark must match what they ask."""
    stats = CatalogueStats.of(small_explorer)
    people = [small_explorer.new_user(text) for text in ("robots and space stations", "gentle romances and period dramas")]
    for name in STRATEGIES:
        strategy = make(name)
        first, second = (questions(small_explorer, person, strategy, stats, 5, answer=lambda item: "like") for person in people)
        assert (first != second) == strategy.reads_the_person, name
    assert any(make(name).reads_the_person for name in STRATEGIES)


def test_the_simulation_reveals_only_what_it_asked(small_explorer, monkeypatch):
    from recsys_bench import onboarding
    from recsys_bench.onboarding import Oracle, held_out_people, simulate, summarise

    ex = small_explorer
    split, requests = held_out_people(ex.dataset, 0, 6)
    oracles: list[Oracle] = []

    class Spy(Oracle):
        def __init__(self, *args):
            super().__init__(*args)
            oracles.append(self)

    learned: list = []
    real = type(ex).feedback
    monkeypatch.setattr(onboarding, "Oracle", Spy)
    monkeypatch.setattr(
        type(ex), "feedback", lambda self, user, item, liked: learned.append((item, liked)) or real(self, user, item, liked)
    )
    starts = []
    real_new = type(ex).new_user
    monkeypatch.setattr(
        type(ex),
        "new_user",
        lambda self, text, demographics=None, liked=(), reading=None: (
            starts.append(tuple(liked)) or real_new(self, text, demographics, liked, reading)
        ),
    )
    people = simulate(ex, ex.dataset, split, requests, budget=4)
    out = {"per_user": people, "strategies": summarise(people, STRATEGIES, 4)}
    assert starts and all(s == () for s in starts)  # a held-out person starts with no likes revealed
    asked = [item for oracle in oracles for item in oracle.asked]
    assert learned and {item for item, _ in learned} <= set(asked)  # every update is an answer to a question
    # Each answer is the person's own rating of that item, read only when asked.
    test = split.test.set_index([C.USER, C.ITEM])[C.RATING]
    for person in out["per_user"]:
        for name in STRATEGIES:
            for item, answer in zip(person[name]["asked"], person[name]["answers"]):
                rating = test.get((person["user"], item))
                assert answer == ("unseen" if rating is None else "like" if rating >= ex.dataset.positive_threshold else "dislike")
    # The same truth for every strategy (nothing any of them asked): equal at 0 questions.
    at_zero = {out["strategies"][name]["recall@20"][0] for name in STRATEGIES}
    assert len(at_zero) == 1 and len(out["strategies"]["popular"]["recall@20"]) == 5


def test_the_winner_at_each_budget_and_the_ties_by_paired_difference():
    from recsys_bench.onboarding import winners

    def person(a, b, c):
        return {"a": {"recall@20": [0.1, a]}, "b": {"recall@20": [0.1, b]}, "c": {"recall@20": [0.1, c]}}

    # b is always 0.1 above c (a paired gap with no spread: distinguishable), a scatters around b.
    people = [person(0.3, 0.4, 0.3), person(0.6, 0.5, 0.4), person(0.2, 0.3, 0.2), person(0.6, 0.6, 0.5)]
    rows = winners(people, ["a", "b", "c"], 1)
    assert rows[0]["best"] == "a" and rows[0]["tied"] == ["b", "c"]  # all equal with no questions
    assert rows[1]["best"] == "b" and rows[1]["value"] == pytest.approx(0.45)
    assert rows[1]["tied"] == ["a"]


def test_a_small_catalogue_runs_out_of_well_known_items_and_keeps_asking():
    stats = toy([90, 80, 3, 2], vectors=[[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])
    for name in ("coverage", "expected_change"):
        asked = order(name, stats, 4, scores=np.zeros(4))
        assert sorted(asked) == [101, 102, 103, 104] and asked[:2] in ([101, 102], [102, 101])  # the known ones first


def test_answers_that_teach_nothing_gain_nothing(small_explorer, monkeypatch):
    """A strategy whose answers are recorded but move nothing must score the same after every question: the lists hide
    what any strategy asked from the start, so answering more often frees no slots."""
    from dataclasses import replace

    from recsys.states import Feedback
    from recsys_bench.onboarding import held_out_people, simulate

    ex = small_explorer
    split, requests = held_out_people(ex.dataset, 0, 45)
    remember = lambda self, user, item, liked: replace(user, feedback=(*user.feedback, Feedback(item, "like" if liked else "dislike")))  # noqa: E731
    monkeypatch.setattr(type(ex), "feedback", remember)
    people = simulate(ex, ex.dataset, split, requests, strategies=["popular", "entropy"], budget=10)
    assert people and any(a != "unseen" for p in people for a in p["popular"]["answers"])
    for person in people:
        for name in ("popular", "entropy"):
            assert all(shown == person[name]["shown"][0] for shown in person[name]["shown"]), (name, person[name]["answers"])
            assert len(set(person[name]["recall@20"])) == 1
