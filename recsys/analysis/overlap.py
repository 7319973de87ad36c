"""How alike two ranked lists are, and what each of several lists for one person has that the others lack.

The New user page sets the model's list beside what a product would ship otherwise (the most popular
items, plain text similarity, the model with less popularity) and reads the differences with these.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd


def jaccard(a: Sequence, b: Sequence) -> float:
    """|A ∩ B| / |A ∪ B| of the two lists' items (order ignored); 1.0 for two empty lists.

    Example:
        >>> jaccard([1, 2, 3], [3, 4])
        0.25
    """
    first, second = set(a), set(b)
    union = first | second
    return len(first & second) / len(union) if union else 1.0


def rbo(a: Sequence, b: Sequence, p: float = 0.9) -> float:
    """Rank-biased overlap (Webber, Moffat & Zobel, 2010), extrapolated to the lists' depth.

    The overlap of the two lists' first d items, X_d / d, averaged with weights that fall by ``p``
    at each depth, so agreement at the top counts most: 1 for the same list, 0 for disjoint ones.
    Lists of different lengths are compared to the shorter one's depth.

    Example:
        >>> rbo([1, 2, 3], [1, 3, 2], p=0.5)
        0.875
    """
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must be in (0, 1), got {p!r}")
    depth = min(len(a), len(b))
    if depth == 0:
        return 1.0 if len(a) == len(b) else 0.0
    seen_a: set = set()
    seen_b: set = set()
    shared = 0
    total = 0.0
    for d in range(1, depth + 1):
        x, y = a[d - 1], b[d - 1]
        if x == y:
            shared += 1
        else:
            shared += (x in seen_b) + (y in seen_a)
        seen_a.add(x)
        seen_b.add(y)
        total += (shared / d) * p**d
    return float((1.0 - p) / p * total + (shared / depth) * p**depth)


def compare_lists(
    lists: Mapping[str, Sequence], reference: str, percentile: Mapping[Any, float], genres: Mapping[Any, Sequence[str]], top_genres: int = 3
) -> pd.DataFrame:
    """One row per list: its overlap with ``reference`` (Jaccard and RBO), the items only it has among
    all the lists, its mean popularity percentile and its most frequent genres (share of its items).

    ``percentile`` and ``genres`` map each item id to its catalogue popularity percentile and genres.
    """
    rows = []
    for name, items in lists.items():
        others = set().union(*(set(v) for n, v in lists.items() if n != name)) if len(lists) > 1 else set()
        counts = pd.Series([g for item in items for g in genres.get(item, ())], dtype=object).value_counts()
        mix = ", ".join(f"{g} {n / max(1, len(items)):.0%}" for g, n in counts.head(top_genres).items())
        rows.append({
            "list": name, "jaccard": jaccard(items, lists[reference]), "rbo": rbo(list(items), list(lists[reference])),
            "only_here": [item for item in items if item not in others],
            "percentile": float(np.mean([percentile[item] for item in items])) if len(items) else float("nan"), "genres": mix,
        })  # fmt: skip
    return pd.DataFrame(rows)
