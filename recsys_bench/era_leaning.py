"""How much a hedged era weighs (``PreferenceConfig.hedged``), chosen on the user-cold validation splits.

The benchmark's profile writer gives half its cold users a hedged era sentence from the films they revealed ("I prefer
recent releases." when their mean year is after 1994, "Mostly older classics." before 1965), already after one film;
what they go on to like is from any decade. This scores recall@20 at N = 0, 1, 2 and 5 onboarding likes with the era
term of hedged windows scaled by each value (the model is trained once per seed and shared), and with the era term
off. No test user or test interaction is seen (docs/tuning.md: The hedged era).

Any other explicit strength is swept the same way: the profile writer also rules out the genres a cold user watches
least ("not a fan of horror"), so the same splits judge what a ruled-out genre costs, ``--field avoid --values 10 20
40`` (the era-off row is only for the era's own strengths).

``python -m recsys_bench.era_leaning [--seeds 0 1 2] [--data FOLDER] [--field F --values V ...]`` (about 3 minutes a
seed on the 2-core machine).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import fields, replace

from recsys import columns as C
from recsys.cache import cache_root
from recsys.data import Dataset, load_movielens_100k, load_path
from recsys.encoders import make_encoder
from recsys.preferences import PreferenceConfig
from recsys.training import TrainConfig
from recsys_bench.baselines import Context
from recsys_bench.evaluation import OursMethod, evaluate
from recsys_bench.metrics import mean_ci
from recsys_bench.splits import user_cold_requests, user_cold_split

ONBOARDING = (0, 1, 2, 5)
VALUES = (1.0, 0.5, 0.25, 0.0)


def sweep(
    seeds: list[int],
    values: tuple[float, ...] = VALUES,
    dataset: Dataset | None = None,
    config: TrainConfig = TrainConfig(),
    field: str = "hedged",
) -> dict[str, dict[int, list[float]]]:
    """Per-user recall@20 of each setting of ``field`` at each N, pooled over ``seeds`` (the same users for every
    setting); for an era field, also with the era term off."""
    dataset = dataset or load_movielens_100k()
    encoder = make_encoder(None)
    item_text = encoder.encode(dataset.items[C.TEXT].tolist())
    folder = cache_root() / "bench" / dataset.fingerprint() / "validation"
    rows: dict[str, dict[int, list[float]]] = {}
    for seed in seeds:
        split = user_cold_split(dataset, seed, True)
        split.save(folder)
        context = Context(dataset, split, encoder, item_text)
        requests = user_cold_requests(dataset, split, ONBOARDING)
        ours = OursMethod("ours", config).fit(context)
        settings = [(f"{field} {v:g}", ours, replace(PreferenceConfig(), **{field: v})) for v in values]
        if field != "avoid":  # every other strength is the era term's
            off = OursMethod("era off", reading_without=("era",), same_model_as=ours).fit(context)
            settings.append(("era term off", off, PreferenceConfig()))
        for name, method, preferences in settings:
            method.explorer.preferences = preferences
            for n in ONBOARDING:
                members = [r for r in requests if r.group == str(n)]
                rows.setdefault(name, {}).setdefault(n, []).extend(r["recall@20"] for r in evaluate(method, members, context).rows)
        ours.explorer.preferences = PreferenceConfig()
        print(f"seed {seed} done", file=sys.stderr, flush=True)
    return rows


def table(rows: dict[str, dict[int, list[float]]]) -> str:
    """Markdown: recall@20 ± its 95% half-width at each N, one row per setting."""
    out = ["| setting | " + " | ".join(f"N = {n}" for n in ONBOARDING) + " |", "|---|" + "---|" * len(ONBOARDING)]
    for name, by_n in rows.items():
        out.append(f"| {name} | " + " | ".join("{:.4f} ± {:.4f}".format(*mean_ci(by_n[n])) for n in ONBOARDING) + " |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m recsys_bench.era_leaning", description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--data", help="a catalogue folder (default: the packaged MovieLens-100k)")
    parser.add_argument("--field", default="hedged", choices=[f.name for f in fields(PreferenceConfig)], help="the strength swept")
    parser.add_argument("--values", type=float, nargs="+", help=f"its values (for hedged, default {' '.join(map(str, VALUES))})")
    args = parser.parse_args(argv)
    if args.values is None and args.field != "hedged":
        parser.error(f"--field {args.field} needs --values (the defaults are the hedged era's)")
    dataset = load_path(args.data) if args.data else None
    print(table(sweep(args.seeds, tuple(args.values or VALUES), dataset=dataset, field=args.field)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
