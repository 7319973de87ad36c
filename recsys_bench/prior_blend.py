"""A demographic-popularity prior at the start of the warm-up curve, measured on validation before it is built.

The peers issue asks for "a learned prior that blends in demographic popularity" at N = 0–2. Before such a term goes
into the score (where it would have to be shown and add up like every other), this measures what it could gain:
the model's score plus ``w · z(log(1 + likes in the person's segment)) / (1 + N)``, ``z`` standardising over the
catalogue and ``N`` the number of onboarding likes, so the prior fades as the person tells more. Scored on the
validation splits only (:func:`recsys_bench.tune.score`), never on test.

Run: ``python -m recsys_bench.prior_blend [--weights 0.25 0.5 1 2] [--seeds 0 1 2]`` (about 25 minutes for three
seeds on two cores).
"""

from __future__ import annotations

import argparse

import numpy as np

from recsys.training import TrainConfig
from recsys_bench.baselines import DemographicPopularityMethod, Method
from recsys_bench.evaluation import OursMethod
from recsys_bench.splits import Request


class PriorBlend(Method):
    """``model``'s scores plus ``weight`` times the standardised log segment popularity, divided by 1 + N."""

    def __init__(self, model: Method, prior: Method, weight: float):
        self.model, self.prior, self.weight = model, prior, float(weight)
        self.name = f"ours + prior {weight:g}"

    def scores(self, request: Request) -> np.ndarray:
        counts = np.log1p(np.asarray(self.prior.scores(request), dtype=np.float64))
        z = (counts - counts.mean()) / (counts.std() + 1e-9)
        return np.asarray(self.model.scores(request), dtype=np.float64) + self.weight * z / (1 + len(request.onboarding))


def main(argv: list[str] | None = None) -> int:
    from recsys_bench import tune

    parser = argparse.ArgumentParser(prog="python -m recsys_bench.prior_blend", description=__doc__.splitlines()[0])
    parser.add_argument("--weights", type=float, nargs="+", default=[0.25, 0.5, 1.0, 2.0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args(argv)

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
