"""The validation search: one training setting scored on the validation splits, one line in the log.

``python -m recsys_bench.tune --set steps=400 --set dim=64 --note "longer, wider"`` trains our
model with those :class:`recsys.training.TrainConfig` fields changed on the validation splits
(carved from the training part; no test user or test interaction is seen) and prints recall@20
on each place the peers issue judges — warm items, user cold start at N = 0, 1, 2 and 5
onboarding likes, item cold start — with 95% half-widths. The line goes to the log
(``bench/tuning/log.jsonl``, kept in git), so the next person sees what was tried.

``--reference`` scores the baselines and the peer libraries whose environments exist on the
same validation splits instead (the line a setting has to beat). ``--table`` prints the log as
the Markdown table of ``docs/tuning.md``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from recsys import columns as C
from recsys.cache import cache_root
from recsys.data import Dataset, load_movielens_100k
from recsys.encoders import make_encoder
from recsys.training import TrainConfig
from recsys_bench.baselines import Context, DemographicPopularityMethod, Method, PopularityMethod
from recsys_bench.evaluation import OursMethod, evaluate
from recsys_bench.metrics import mean_ci
from recsys_bench.peers import PeerMethod, available_peers
from recsys_bench.splits import item_cold_requests, item_cold_split, user_cold_requests, user_cold_split, warm_requests, warm_split

ROOT = Path(__file__).resolve().parent.parent
LOG = ROOT / "bench" / "tuning" / "log.jsonl"
#: The places a setting is judged on, in the order the table shows them.
PLACES = ("warm", "user_cold_0", "user_cold_1", "user_cold_2", "user_cold_5", "item_cold")
ONBOARDING = (0, 1, 2, 5)


def parse_setting(pairs: Sequence[str]) -> dict:
    """``["steps=400", "lr=0.005"]`` → ``{"steps": 400, "lr": 0.005}``, typed as the TrainConfig field is."""
    fields = {f.name: f for f in dataclasses.fields(TrainConfig)}
    defaults = TrainConfig()
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or key not in fields:
            raise ValueError(f"{pair!r}: expected FIELD=VALUE with FIELD one of {', '.join(sorted(fields))}")
        kind = type(getattr(defaults, key))
        if kind is bool:
            out[key] = value.lower() in ("1", "true", "yes")
        elif kind is tuple:
            out[key] = tuple(v for v in value.split(",") if v)
        else:
            out[key] = kind(value)
    return out


def _places(dataset: Dataset) -> list[tuple[str, Callable, Callable]]:
    """(block, split maker, request maker) of the three validation blocks."""
    return [
        ("warm", warm_split, lambda split: warm_requests(dataset, split)),
        ("user_cold", user_cold_split, lambda split: user_cold_requests(dataset, split, ONBOARDING)),
        ("item_cold", item_cold_split, lambda split: item_cold_requests(dataset, split)),
    ]


def score(
    methods: Callable[[str, Path], list[Method]],
    seeds: Sequence[int],
    dataset: Dataset | None = None,
    say: Callable[[str], None] = lambda message: None,
) -> dict[str, dict[str, dict[str, float]]]:
    """Recall@20 (pooled over seeds, with its 95% half-width) of each method at each place, on the validation splits.

    ``methods(block, split_path)`` gives the methods to run on a block; the result is
    ``{method: {place: {"recall@20": …, "ci95": …, "n_users": …}}}``.
    """
    dataset = dataset or load_movielens_100k()
    encoder = make_encoder(None)
    item_text = encoder.encode(dataset.items[C.TEXT].tolist())
    folder = cache_root() / "bench" / dataset.fingerprint() / "validation"
    rows: dict[tuple[str, str], list[float]] = {}
    for seed in seeds:
        for block, make_split, make_requests in _places(dataset):
            split = make_split(dataset, seed, True)
            path = split.save(folder)
            context = Context(dataset, split, encoder, item_text)
            requests = make_requests(split)
            for method in methods(block, path):
                say(f"seed {seed}: {block}: {method.name}")
                method.fit(context)
                method.prepare(requests)
                groups = (
                    {"": requests} if block != "user_cold" else {g: [r for r in requests if r.group == g] for g in map(str, ONBOARDING)}
                )
                for group, members in groups.items():
                    place = f"{block}_{group}" if group else block
                    rows.setdefault((method.name, place), []).extend(r["recall@20"] for r in evaluate(method, members, context).rows)
    out: dict[str, dict[str, dict[str, float]]] = {}
    for (name, place), values in rows.items():
        mean, half = mean_ci(values)
        out.setdefault(name, {})[place] = {"recall@20": mean, "ci95": half, "n_users": len(values)}
    return out


def _commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True).stdout
        return head + ("+" if dirty.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def table(lines: Sequence[dict]) -> str:
    """The log as Markdown: one row per method and setting, recall@20 at each place.

    Rows are comparable only on the same catalogue and seeds (the same validation users), so the best of each place
    is in bold among those rows.
    """
    rows = []
    for line in lines:
        for name, places in line["results"].items():
            if name != "ours":
                label = name
            elif line["set"]:
                label = "ours, " + ", ".join(f"{k}={v}" for k, v in line["set"].items())
            else:
                label = "ours (the defaults of its commit)"
            seeds = f"{line.get('dataset', 'ml-100k')} · " + " ".join(map(str, line["seeds"]))
            rows.append((seeds, line["commit"], label, places, line.get("note", "") if name == "ours" else ""))
    best = {
        (seeds, p): max(r[3][p]["recall@20"] for r in rows if r[0] == seeds and p in r[3])
        for seeds in {r[0] for r in rows}
        for p in PLACES
        if any(r[0] == seeds and p in r[3] for r in rows)
    }
    out = ["| catalogue · seeds | commit | method / setting | " + " | ".join(PLACES) + " | note |", "|" + "---|" * (len(PLACES) + 4)]
    for seeds, commit, label, places, note in rows:
        cells = []
        for p in PLACES:
            if p not in places:
                cells.append("–")
                continue
            value = places[p]["recall@20"]
            text = f"{value:.3f} ± {places[p]['ci95']:.3f}"
            cells.append(f"**{text}**" if abs(value - best[(seeds, p)]) < 5e-4 else text)
        out.append(f"| {seeds} | `{commit}` | {label} | " + " | ".join(cells) + f" | {note} |")
    return "\n".join(out)


def read_log(path: Path = LOG) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m recsys_bench.tune", description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE", help="a TrainConfig field to change (repeatable)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--data", help="a catalogue folder (default: the packaged MovieLens-100k)")
    parser.add_argument("--note", default="", help="what the setting tries, for the log")
    parser.add_argument("--reference", action="store_true", help="score popularity, popularity by segment and the peers instead")
    parser.add_argument("--log", type=Path, default=LOG, help="the log to append to (default: bench/tuning/log.jsonl)")
    parser.add_argument("--no-log", action="store_true", help="print only")
    parser.add_argument("--table", action="store_true", help="print the log as a Markdown table and exit")
    args = parser.parse_args(argv)
    if args.table:
        print(table(read_log(args.log)))
        return 0
    try:
        setting = parse_setting(args.set)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    config = TrainConfig(**setting)
    peers = available_peers()

    def methods(block: str, path: Path) -> list[Method]:
        if not args.reference:
            return [OursMethod("ours", config)]
        cold = [PopularityMethod(), DemographicPopularityMethod()] if block != "warm" else [PopularityMethod()]
        return [*cold, *(PeerMethod(name, path) for name in peers)]

    started = time.perf_counter()
    if args.data:
        from recsys.data import load_path

        dataset = load_path(args.data)
    else:
        dataset = load_movielens_100k()
    results = score(methods, args.seeds, dataset, say=lambda message: print(message, file=sys.stderr, flush=True))
    line = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "commit": _commit(), "seeds": list(args.seeds),
        "dataset": dataset.name, "set": setting, "config": config.to_dict(), "note": args.note, "results": results,
        "seconds": round(time.perf_counter() - started, 1),
    }  # fmt: skip
    print(table([line]))
    if not args.no_log:
        args.log.parent.mkdir(parents=True, exist_ok=True)
        with args.log.open("a") as out:
            out.write(json.dumps(line) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
