"""A demographic-popularity prior at the start of the warm-up curve, measured on validation before it is built.

The peers issue asks for "a learned prior that blends in demographic popularity" at N = 0–2. Before such a term goes
into the score (where it would have to be shown and add up like every other), this measures what it could gain:
the model's score plus ``w · z(log(1 + likes in the person's segment)) / (1 + N)``, ``z`` standardising over the
catalogue and ``N`` the number of onboarding likes, so the prior fades as the person tells more. Scored on the
validation splits only (:func:`recsys_bench.tune.score`), never on test.

Run: ``python -m recsys_bench.prior_blend [--weights 0.25 0.5 1 2] [--seeds 0 1 2]`` (about 25 minutes for three
seeds on two cores). ``--overlap [--data FOLDER]`` instead measures what the same prior does to the creators check
(:mod:`recsys_bench.creators`): the mean pairwise Jaccard of ten different profiles' top-20 at each weight.
"""

from __future__ import annotations

import argparse

import numpy as np

from recsys.training import TrainConfig
from recsys_bench.baselines import DemographicPopularityMethod, Method
from recsys_bench.evaluation import OursMethod
from recsys_bench.splits import Request


def standardised_log(counts) -> np.ndarray:
    """``log(1 + counts)`` standardised over the catalogue: the prior's shape, whatever the catalogue's size."""
    logged = np.log1p(np.asarray(counts, dtype=np.float64))
    return (logged - logged.mean()) / (logged.std() + 1e-9)


class PriorBlend(Method):
    """``model``'s scores plus ``weight`` times the standardised log segment popularity, divided by 1 + N."""

    def __init__(self, model: Method, prior: Method, weight: float):
        self.model, self.prior, self.weight = model, prior, float(weight)
        self.name = f"ours + prior {weight:g}"

    def scores(self, request: Request) -> np.ndarray:
        z = standardised_log(self.prior.scores(request))
        return np.asarray(self.model.scores(request), dtype=np.float64) + self.weight * z / (1 + len(request.onboarding))


def overlap(explorer, profiles, weights, k: int = 20) -> dict[float, float]:
    """Mean pairwise Jaccard of ``profiles``' top-``k`` with the prior at each weight (text only: the segment is everyone)."""
    from recsys import columns as C
    from recsys_bench.creators import mean_pairwise_jaccard

    ids = explorer.dataset.items[C.ITEM].to_numpy()
    z = standardised_log(explorer.liked_popularity())
    scores = []
    for text in profiles:
        listed = explorer.recommend(explorer.new_user(text), k=len(ids)).set_index(C.ITEM)["score"]
        scores.append(listed.reindex(ids).to_numpy(dtype=np.float64))  # NaN: a second entry of a title, never listed
    out = {}
    for w in weights:
        lists = [ids[np.argsort(-np.where(np.isnan(s), -np.inf, s + w * z))[:k]].tolist() for s in scores]
        out[w] = mean_pairwise_jaccard(lists)
    return out


def main(argv: list[str] | None = None) -> int:
    from recsys_bench import tune

    parser = argparse.ArgumentParser(prog="python -m recsys_bench.prior_blend", description=__doc__.splitlines()[0])
    parser.add_argument("--weights", type=float, nargs="+", default=[0.25, 0.5, 1.0, 2.0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--overlap", action="store_true", help="the creators check's list overlap at each weight instead")
    parser.add_argument("--data", help="with --overlap: a catalogue folder (default: the packaged MovieLens-100k)")
    args = parser.parse_args(argv)
    if args.overlap:
        from recsys import Explorer
        from recsys.data import load_path
        from recsys_bench.creators import PROFILES

        dataset = load_path(args.data) if args.data else None
        weights = [0.0, *args.weights]
        by_seed = []
        for seed in args.seeds:
            explorer = Explorer.load(dataset=dataset, config=TrainConfig(seed=seed))
            by_seed.append(overlap(explorer, PROFILES["film" if explorer.dataset.noun == "film" else "book"], weights))
            print(f"seed {seed}: " + ", ".join(f"w {w:g}: {j:.4f}" for w, j in by_seed[-1].items()), flush=True)
        print("mean: " + ", ".join(f"w {w:g}: {np.mean([b[w] for b in by_seed]):.4f}" for w in weights))
        return 0

    def methods(block: str, path) -> list[Method]:
        if block != "user_cold":
            return []
        ours, prior = OursMethod("ours", TrainConfig()), DemographicPopularityMethod()
        return [ours, prior, *(PriorBlend(ours, prior, w) for w in args.weights)]  # fitted in this order: the blends reuse both

    result = tune.score(methods, args.seeds, say=lambda message: print(message, flush=True))
    for name, places in result.items():
        cells = "  ".join(f"{place.removeprefix('user_cold_')}: {v['recall@20']:.4f} ± {v['ci95']:.3f}" for place, v in places.items())
        print(f"{name:26s} {cells}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
