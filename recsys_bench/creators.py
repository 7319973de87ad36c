"""Does a catalogue read by titles and creators give each profile its own list? Creator hits and list overlap.

``python -m recsys_bench.creators [--data PATH]`` prints, for the catalogue's most prolific
creators, how many of each one's books reach the top-10 of "novels by <creator>" (and whether
any does), and the mean pairwise Jaccard overlap of the top-20 lists of ten different
profiles — the number to hold against MovieLens-100k's (run it without ``--data``), where a
list that is the same for everyone scores 1 and ten disjoint lists score 0.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Sequence

import numpy as np

from recsys import columns as C

#: Ten profiles per kind of catalogue, in the words people use; written before any number was looked at.
PROFILES = {
    "film": (
        "gripping legal thrillers", "true crime and history, no romance", "a 70-year-old retired teacher who loves mysteries",
        "space adventures with aliens", "animated films for my kids", "classic westerns", "silly comedies that make me laugh",
        "scary horror films", "war films and military history", "romantic love stories",
    ),
    "book": (
        "gripping thrillers with a conspiracy", "true stories and history, no romance novels", "a 70-year-old retired teacher who loves mysteries",
        "space opera and starships", "picture books for my children", "epic fantasy with dragons and quests", "recipes and home cooking",
        "travel writing about faraway places", "poetry collections", "self-help books about habits and success",
    ),
}  # fmt: skip
CREATOR_TEMPLATE = "{nouns} by {creator}"


def jaccard(a: Sequence, b: Sequence) -> float:
    """|a ∩ b| / |a ∪ b| of two lists' items (1.0 for two empty lists)."""
    union = set(a) | set(b)
    return len(set(a) & set(b)) / len(union) if union else 1.0


def mean_pairwise_jaccard(lists: Sequence[Sequence]) -> float:
    """The mean Jaccard overlap over every pair of lists."""
    return float(np.mean([jaccard(a, b) for a, b in itertools.combinations(lists, 2)]))


def list_overlap(explorer, profiles: Sequence[str], k: int = 20) -> dict:
    """Top-``k`` of each profile and their mean pairwise Jaccard."""
    lists = [explorer.recommend(explorer.new_user(text), k=k)[C.ITEM].tolist() for text in profiles]
    return {"profiles": list(profiles), "k": k, "mean_pairwise_jaccard": mean_pairwise_jaccard(lists)}


def creator_hits(explorer, n_creators: int = 10, k: int = 10) -> dict:
    """For the ``n_creators`` creators with the most items: of "<nouns> by <creator>", how many of the top-``k`` are theirs."""
    dataset = explorer.dataset
    column = dataset.creator_column
    if column is None:
        return {"creator_column": None}
    counts = dataset.items[column].value_counts()
    rows = []
    for creator in counts.index[:n_creators]:
        theirs = set(dataset.items.loc[dataset.items[column] == creator, C.ITEM])
        text = CREATOR_TEMPLATE.format(nouns=dataset.nouns.capitalize(), creator=creator)
        top = explorer.recommend(explorer.new_user(text), k=k)[C.ITEM].tolist()
        rows.append({"creator": creator, "items": len(theirs), "in_top_k": sum(i in theirs for i in top)})
    return {
        "creator_column": column, "k": k, "creators": rows,
        "share_with_a_hit": float(np.mean([r["in_top_k"] > 0 for r in rows])),
        "mean_in_top_k": float(np.mean([r["in_top_k"] for r in rows])),
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m recsys_bench.creators", description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="a catalogue folder (default: the packaged MovieLens-100k)")
    parser.add_argument("--json", help="also write the numbers here")
    parser.add_argument(
        "--seeds", type=int, nargs="+", default=[0],
        help="training seeds: the overlap of each seed's model (one model each, trained once and cached), then their mean; "
        "the creator hits and the JSON's lists are of the last seed's model",
    )  # fmt: skip
    parser.add_argument(
        "--set", action="append", default=[], metavar="FIELD=VALUE",
        help="a TrainConfig field to change (repeatable), as recsys_bench.tune takes it: the check of a setting chosen elsewhere",
    )  # fmt: skip
    args = parser.parse_args(argv)
    from recsys import Explorer
    from recsys.data import load_path
    from recsys.training import TrainConfig
    from recsys_bench.tune import parse_setting

    try:
        setting = parse_setting(args.set)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if "seed" in setting:
        print("error: the seeds are --seeds, not --set seed=", file=sys.stderr)
        return 2
    dataset = load_path(args.data) if args.data else None
    by_seed: dict[int, dict] = {}
    for seed in args.seeds:
        explorer = Explorer.load(dataset=dataset, config=TrainConfig(seed=seed, **setting))
        by_seed[seed] = list_overlap(explorer, PROFILES["film" if explorer.dataset.noun == "film" else "book"])
        if len(args.seeds) > 1:
            print(
                f"{explorer.dataset.name}, seed {seed}: mean pairwise Jaccard of ten profiles' top-20: {by_seed[seed]['mean_pairwise_jaccard']:.4f}"
            )
    overlap = {
        **by_seed[args.seeds[-1]], "mean_pairwise_jaccard": float(np.mean([o["mean_pairwise_jaccard"] for o in by_seed.values()])),
        "by_seed": {seed: o["mean_pairwise_jaccard"] for seed, o in by_seed.items()},
    }  # fmt: skip
    results = {"dataset": explorer.dataset.name, "setting": setting, "overlap": overlap, "creators": creator_hits(explorer)}
    mean = "mean over seeds " + ", ".join(map(str, args.seeds)) + " of " if len(args.seeds) > 1 else ""
    print(
        f"{explorer.dataset.name}: {mean}mean pairwise Jaccard of ten profiles' top-20: {results['overlap']['mean_pairwise_jaccard']:.4f}"
    )
    hits = results["creators"]
    if hits.get("creator_column"):
        for row in hits["creators"]:
            print(
                f"  {CREATOR_TEMPLATE.format(nouns=explorer.dataset.nouns, creator=row['creator'])!r}: {row['in_top_k']} of their {row['items']} in the top-{hits['k']}"
            )
        print(f"creators with at least one of their items in the top-{hits['k']}: {hits['share_with_a_hit']:.0%}")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=2, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
