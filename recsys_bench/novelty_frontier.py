"""How much novelty a brand-new user's list can buy for how much recall: the re-ranker on calibrated probabilities.

The product manager's issue asks for a popularity control worth at least +0.3 bits of novelty for at most 0.005 of
recall@20 at N = 0. The popularity axis (``axis:`` in ``bench``) and three controls on the logit fell short. This
measures the control that trades the two *exactly*: with calibrated probabilities p_i that item i is among the
person's held-out likes (the event recall counts, fitted on validation), the top-20 of ``p_i + λ · bits_i`` is the
list of greatest expected hits for its total novelty (a Lagrangian of the knapsack "most hits for this many bits"),
``bits_i = −log2 p(i)`` being the item's self-information, as the novelty measure computes it. If that list misses
the target, a re-ranking of this model's scores is unlikely to meet it (the bound holds in expectation, as far as the
probabilities are calibrated item by item, and for the points on the frontier the λ sweep reaches). Three settings
also cap the bits (so the far tail, where p is near 0, cannot flood the list).

Run: ``python -m recsys_bench.novelty_frontier [--validation] [--seed 0]`` (about 4 minutes on two cores: the
calibration and the model are trained on the seed's validation split, the model again on its test split unless
``--validation``).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import numpy as np

from recsys import columns as C
from recsys.data import load_movielens_100k
from recsys.encoders import make_encoder
from recsys_bench.baselines import Context
from recsys_bench.benchmark import fit_calibration
from recsys_bench.evaluation import OursMethod, top_k
from recsys_bench.metrics import novelty, ranking_metrics
from recsys_bench.splits import user_cold_requests, user_cold_split

LAMBDAS = (0.005, 0.01, 0.015, 0.0165, 0.018, 0.02, 0.025)
CAPPED = ((5.0, 0.02), (5.0, 0.03), (5.0, 0.04))


def self_information(counts: np.ndarray, n_users: int) -> np.ndarray:
    """Each item's −log2 p(i), p(i) = (interactions + 1) / (users + 1): what ``metrics.novelty`` averages."""
    p = (np.asarray(counts, dtype=np.float64) + 1.0) / (n_users + 1.0)
    return -np.log2(np.minimum(p, 1.0))


def rerank(probability: np.ndarray, bits: np.ndarray, strength: float, cap: float | None = None) -> np.ndarray:
    """The re-ranking score ``p + strength · bits`` (bits capped at ``cap`` when given); 0 keeps the model's order.

    Example:
        >>> rerank(np.array([0.5, 0.4]), np.array([1.0, 9.0]), 0.02).round(2).tolist()
        [0.52, 0.58]
    """
    capped = bits if cap is None else np.minimum(bits, cap)
    return np.asarray(probability, dtype=np.float64) + float(strength) * capped


def frontier(seed: int = 0, validation: bool = False, groups: Sequence[str] = ("0", "5")) -> dict[str, dict[str, tuple[float, float]]]:
    """Mean recall@20 and novelty of each setting, per onboarding group, on one seed's user cold-start split."""
    dataset, encoder = load_movielens_100k(), make_encoder(None)
    item_text = encoder.encode(dataset.items[C.TEXT].tolist())
    calibration, _ = fit_calibration(dataset, encoder, item_text, [seed], tuple(int(g) for g in groups), None)
    split = user_cold_split(dataset, seed, validation)
    context = Context(dataset, split, encoder, item_text)
    method = OursMethod("ours").fit(context)
    counts = split.train[C.ITEM].value_counts().to_dict()
    n_users = split.train[C.USER].nunique()
    ids = dataset.item_ids
    bits = self_information(np.array([counts.get(ids.external(r), 0) for r in range(dataset.n_items)]), n_users)
    settings = {"model as trained": (0.0, None)} | {f"λ {s:g}": (s, None) for s in LAMBDAS}
    settings |= {f"λ {s:g}, bits ≤ {c:g}": (s, c) for c, s in CAPPED}
    out: dict[str, dict[str, tuple[float, float]]] = {}
    for group in groups:
        rows: dict[str, list[tuple[float, float]]] = {name: [] for name in settings}
        for request in (r for r in user_cold_requests(dataset, split, tuple(int(g) for g in groups)) if r.group == group):
            p = calibration.probability(method.scores(request))
            for name, (strength, cap) in settings.items():
                ranked = top_k(rerank(p, bits, strength, cap), request, context)
                recall = ranking_metrics(ranked, set(request.truth))["recall@20"]
                rows[name].append((recall, novelty([counts.get(i, 0) for i in ranked], n_users)))
        out[group] = {name: tuple(np.mean(values, axis=0)) for name, values in rows.items()}
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--validation", action="store_true", help="score the validation split (choose λ here)")
    args = parser.parse_args(argv)
    results = frontier(args.seed, args.validation)
    where = "validation" if args.validation else "test"
    for group, settings in results.items():
        base_recall, base_bits = settings["model as trained"]
        print(f"\nN = {group}, seed {args.seed}, {where}: setting | recall@20 (change) | novelty bits (change)")
        for name, (recall, bits) in settings.items():
            print(f"  {name:18s} {recall:.4f} ({recall - base_recall:+.4f})  {bits:.3f} ({bits - base_bits:+.3f})")


if __name__ == "__main__":
    main()
