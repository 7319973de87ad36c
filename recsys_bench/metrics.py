"""Top-K ranking metrics over the full candidate set, with confidence intervals."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def recall_at(ranked: Sequence, truth: set, k: int) -> float:
    """Share of the relevant items found in the top ``k`` (hits / |truth|)."""
    if not truth:
        raise ValueError("truth is empty")
    return len(set(list(ranked)[:k]) & truth) / len(truth)


def ndcg_at(ranked: Sequence, truth: set, k: int) -> float:
    """Binary-relevance NDCG@k; the ideal list puts min(k, |truth|) hits first."""
    if not truth:
        raise ValueError("truth is empty")
    gains = np.array([1.0 if item in truth else 0.0 for item in list(ranked)[:k]])
    discounts = 1.0 / np.log2(np.arange(2, len(gains) + 2))
    ideal = (1.0 / np.log2(np.arange(2, min(k, len(truth)) + 2))).sum()
    return float((gains * discounts).sum() / ideal)


def hit_at(ranked: Sequence, truth: set, k: int) -> float:
    """1.0 when any relevant item is in the top ``k``."""
    return 1.0 if set(list(ranked)[:k]) & truth else 0.0


def ranking_metrics(ranked: Sequence, truth: set) -> dict[str, float]:
    """Recall@20 and NDCG@20 (the cold-start convention), HR@10 and NDCG@10 (the LLM-recommender convention) for one user."""
    return {
        "recall@20": recall_at(ranked, truth, 20),
        "ndcg@20": ndcg_at(ranked, truth, 20),
        "hr@10": hit_at(ranked, truth, 10),
        "ndcg@10": ndcg_at(ranked, truth, 10),
    }


def mean_ci(values: Sequence[float]) -> tuple[float, float]:
    """Mean and the half-width of its normal-approximation 95% confidence interval."""
    array = np.asarray(values, dtype=float)
    if len(array) == 0:
        return float("nan"), float("nan")
    half = 1.96 * array.std(ddof=1) / np.sqrt(len(array)) if len(array) > 1 else 0.0
    return float(array.mean()), float(half)


def gini(exposure: Sequence[float]) -> float:
    """Gini coefficient of how often each item was recommended (0 = equal exposure, →1 = one item)."""
    x = np.sort(np.asarray(exposure, dtype=float))
    if x.sum() == 0:
        return 0.0
    n = len(x)
    return float((2 * np.arange(1, n + 1) - n - 1) @ x / (n * x.sum()))
