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


def precision_at(ranked: Sequence, truth: set, k: int) -> float:
    """Share of the top ``k`` slots that hold a relevant item (hits / k)."""
    if not truth:
        raise ValueError("truth is empty")
    return len(set(list(ranked)[:k]) & truth) / k


def f1_at(ranked: Sequence, truth: set, k: int) -> float:
    """Harmonic mean of precision@k and recall@k (0 when both are 0)."""
    p, r = precision_at(ranked, truth, k), recall_at(ranked, truth, k)
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def ranking_metrics(ranked: Sequence, truth: set) -> dict[str, float]:
    """Recall@20 and NDCG@20 (the cold-start convention), HR@10 and NDCG@10 (the LLM-recommender
    convention), precision@20 and F1@20 (as the pretrained-features articles report) for one user."""
    return {
        "recall@20": recall_at(ranked, truth, 20),
        "ndcg@20": ndcg_at(ranked, truth, 20),
        "hr@10": hit_at(ranked, truth, 10),
        "ndcg@10": ndcg_at(ranked, truth, 10),
        "precision@20": precision_at(ranked, truth, 20),
        "f1@20": f1_at(ranked, truth, 20),
    }


def intra_list_diversity(vectors: np.ndarray) -> float:
    """Mean pairwise cosine distance (1 − cos) between the rows of ``vectors`` (0 for fewer than two)."""
    n = len(vectors)
    if n < 2:
        return 0.0
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    cos = unit @ unit.T
    return float((1.0 - cos)[np.triu_indices(n, 1)].mean())


def genre_diversity(genres: Sequence[set]) -> float:
    """Mean pairwise Jaccard distance between the items' genre sets (0 for fewer than two)."""
    n = len(genres)
    if n < 2:
        return 0.0
    distances = [1.0 - len(a & b) / len(a | b) if a | b else 0.0 for i, a in enumerate(genres) for b in genres[i + 1 :]]
    return float(np.mean(distances))


def novelty(counts: Sequence[float], n_users: int) -> float:
    """Mean self-information −log2 p(i) of the items, p(i) = (interactions of i + 1) / (users + 1)."""
    if len(counts) == 0:
        return 0.0
    p = (np.asarray(counts, dtype=float) + 1.0) / (n_users + 1.0)
    return float(np.mean(-np.log2(np.minimum(p, 1.0))))


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
