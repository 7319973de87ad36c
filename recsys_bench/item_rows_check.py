"""Do the lists still follow the words at each dose of the items' rows stage? ``python -m recsys_bench.item_rows_check``.

:attr:`recsys.training.TrainConfig.warm_item_steps` fits the items' collaborative rows after training, chosen on the
validation recall of docs/tuning.md. This check trains one model per dose from the same embeddings (only that field
changed) and scores, for each, the Chinese profile table of ``make bench-chinese``
(:func:`recsys_bench.chinese.understanding`: built, held-out and traditional-character cases met, and the wanted
genre's share of the top-20) and the 34 English profile cases of ``bench --profiles``. About three minutes a dose on
the two cores, with the text model's embeddings cached.
"""

from __future__ import annotations

import argparse
import statistics

from recsys.explorer import Explorer
from recsys.training import TrainConfig
from recsys_bench.chinese import understanding
from recsys_bench.profiles import profile_understanding

SPLITS = ("built", "heldout", "traditional")


def check(explorer: Explorer) -> dict:
    """The Chinese table's cases met, wanted and era shares per split, and the English cases met and mean wanted share."""
    chinese = understanding(explorer)
    english = profile_understanding(explorer)["cases"]
    wanted = [row["wanted_share_now"] for row in english if "wanted_share_now" in row]
    return {
        **{split: {k: chinese[split]["summary"][k] for k in ("cases", "met", "wanted_share", "in_window")} for split in SPLITS},
        "english": {"cases": len(english), "met": sum(bool(row.get("met")) for row in english), "wanted_share": statistics.mean(wanted)},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m recsys_bench.item_rows_check", description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, nargs="+", default=[0, 10, 30, 60], help="doses of warm_item_steps to train")
    parser.add_argument("--cold", type=float, default=1.0, help="warm_item_cold for every dose")
    args = parser.parse_args(argv)
    base = Explorer.load()
    print("| steps | " + " | ".join(f"{s} met, wanted, era" for s in SPLITS) + " | English met, wanted |")
    print("|---|" + "---|" * (len(SPLITS) + 1))
    for steps in args.steps:
        model = Explorer.train(base.dataset, base.encoder, config=TrainConfig(warm_item_steps=steps, warm_item_cold=args.cold))
        got = check(model)
        cells = [f"{got[s]['met']}/{got[s]['cases']}, {got[s]['wanted_share']:.2f}, {got[s]['in_window']:.2f}" for s in SPLITS]
        english = got["english"]
        print(f"| {steps} | " + " | ".join(cells) + f" | {english['met']}/{english['cases']}, {english['wanted_share']:.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
