"""Ranking metrics: values by hand, and properties that must hold for any list."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pytest import approx

from recsys_bench.metrics import gini, hit_at, mean_ci, ndcg_at, recall_at


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
