"""The novelty re-ranker: the model's order at 0, the most novel items once novelty outweighs the probability."""

from __future__ import annotations

import numpy as np

from recsys_bench.metrics import novelty
from recsys_bench.novelty_frontier import rerank, self_information


def test_self_information_is_what_the_novelty_measure_averages() -> None:
    counts = np.array([0, 3, 99])
    assert self_information(counts, 99).mean() == novelty(counts.tolist(), 99)


def test_strength_zero_keeps_the_order_and_a_strong_bonus_puts_the_rarest_first() -> None:
    p, bits = np.array([0.6, 0.3, 0.1]), np.array([1.0, 4.0, 9.0])
    assert np.argsort(-rerank(p, bits, 0.0)).tolist() == [0, 1, 2]
    assert np.argsort(-rerank(p, bits, 1.0)).tolist() == [2, 1, 0]
    # A small bonus only swaps items whose probabilities are close: 0.3 + 0.08 > 0.1 + 0.18 but < 0.6 + 0.02.
    assert np.argsort(-rerank(p, bits, 0.02)).tolist() == [0, 1, 2]
    assert np.argsort(-rerank(np.array([0.6, 0.3, 0.25]), bits, 0.02)).tolist() == [0, 2, 1]


def test_a_cap_stops_the_far_tail_from_outbidding_a_likelier_item() -> None:
    p, bits = np.array([0.30, 0.05]), np.array([2.0, 14.0])
    assert np.argsort(-rerank(p, bits, 0.03)).tolist() == [1, 0]
    assert np.argsort(-rerank(p, bits, 0.03, cap=5.0)).tolist() == [0, 1]
