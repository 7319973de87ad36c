"""Ranking metrics: values by hand, and properties that must hold for any list."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pytest import approx

from recsys_bench.metrics import (
    f1_at,
    genre_diversity,
    gini,
    hit_at,
    intra_list_diversity,
    mean_ci,
    ndcg_at,
    novelty,
    precision_at,
    recall_at,
)


def test_values_by_hand():
    ranked, truth = [1, 2, 3, 4], {2, 4, 9}
    assert recall_at(ranked, truth, 2) == approx(1 / 3)
    assert recall_at(ranked, truth, 4) == approx(2 / 3)
    dcg = 1 / math.log2(3) + 1 / math.log2(5)
    idcg = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at(ranked, truth, 4) == approx(dcg / idcg)
    assert hit_at(ranked, truth, 1) == 0.0 and hit_at(ranked, truth, 2) == 1.0


def test_perfect_list_has_ndcg_one():
    assert ndcg_at([5, 6, 7], {5, 6}, 10) == approx(1.0)


def test_empty_truth_is_an_error():
    with pytest.raises(ValueError):
        recall_at([1], set(), 5)


def test_gini_extremes():
    assert gini([3, 3, 3, 3]) == approx(0.0)
    assert gini([0, 0, 0, 12]) == approx(0.75)


def test_confidence_interval():
    mean, half = mean_ci([1.0, 0.0, 1.0, 0.0])
    assert mean == approx(0.5) and half == approx(1.96 * 0.57735 / 2, rel=1e-3)


lists = st.lists(st.integers(0, 30), min_size=1, max_size=25, unique=True)
truths = st.sets(st.integers(0, 30), min_size=1, max_size=10)


@given(lists, truths, st.integers(1, 25))
def test_ndcg_is_between_zero_and_one(ranked, truth, k):
    assert 0.0 <= ndcg_at(ranked, truth, k) <= 1.0 + 1e-12


@given(lists, truths, st.integers(1, 24))
def test_recall_is_monotone_in_k(ranked, truth, k):
    assert recall_at(ranked, truth, k) <= recall_at(ranked, truth, k + 1)


@given(lists, truths, st.integers(1, 25))
def test_hit_is_one_exactly_when_recall_is_positive(ranked, truth, k):
    assert hit_at(ranked, truth, k) == (1.0 if recall_at(ranked, truth, k) > 0 else 0.0)


def test_precision_f1_diversity_and_novelty_by_hand():
    ranked, truth = ["a", "b", "c", "d"], {"b", "d", "x"}
    assert precision_at(ranked, truth, 4) == 0.5  # 2 hits in 4 slots
    assert recall_at(ranked, truth, 4) == pytest.approx(2 / 3)
    assert f1_at(ranked, truth, 4) == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert f1_at(["a"], {"b"}, 1) == 0.0
    # Two orthogonal unit vectors and one equal to the first: distances 1, 0, 1 → mean 2/3.
    assert intra_list_diversity(np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])) == pytest.approx(2 / 3)
    # Jaccard distances: {A}-{A,B} 0.5, {A}-{C} 1, {A,B}-{C} 1 → mean 5/6.
    assert genre_diversity([{"A"}, {"A", "B"}, {"C"}]) == pytest.approx(5 / 6)
    # p = (3 + 1) / (7 + 1) = 0.5 → 1 bit; p = (1 + 1) / 8 = 0.25 → 2 bits.
    assert novelty([3, 1], 7) == pytest.approx(1.5)
