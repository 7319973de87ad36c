"""Command line: ``python -m recsys recommend|check|prepare|speed|bench`` on the same engine as the app."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import pandas as pd

from recsys import columns as C

_last_line: list[str] = [""]
_bar: list = []


def _progress(message: str, fraction: float) -> None:
    """A tqdm bar on a terminal; in a log, a line per new step (not per tick)."""
    if sys.stderr.isatty():
        from tqdm import tqdm

        if not _bar:
            _bar.append(tqdm(total=100, file=sys.stderr, bar_format="{l_bar}{bar}| {elapsed}<{remaining}", leave=True))
        bar = _bar[0]
        bar.set_description_str(message[:60])
        bar.update(max(0, round(100 * fraction) - bar.n))
        if fraction >= 1.0:
            bar.close()
            _bar.clear()
        return
    step = message.split("(")[0].strip()
    if step != _last_line[0]:
        _last_line[0] = step
        print(f"[{fraction:5.0%}] {message}", file=sys.stderr, flush=True)


def _dataset(args: argparse.Namespace):
    """The catalogue ``--data PATH`` names, or ``None`` for the packaged MovieLens-100k."""
    from recsys.data import load_movielens_100k, load_path
    from recsys.data.checks import trim
    from recsys.data.files import Report

    k = getattr(args, "min_interactions", None)
    if getattr(args, "data", None):
        return load_path(args.data, min_interactions=k)
    if not k or k <= 1:
        return None
    report = Report()
    dataset = trim(load_movielens_100k(), k, report, "MovieLens-100k", require_trainable=True)
    report.raise_any()
    return dataset


def _load(args: argparse.Namespace):
    from recsys.explorer import Explorer

    return Explorer.load(
        dataset=_dataset(args), device=getattr(args, "device", None), progress=_progress if not getattr(args, "quiet", False) else None
    )


def cmd_recommend(args: argparse.Namespace) -> int:
    demographics = {k: v for k, v in {C.AGE: args.age, C.GENDER: args.gender, C.OCCUPATION: args.occupation}.items() if v is not None}
    explorer = _load(args)
    user = explorer.new_user(args.profile, demographics, liked=_labels(explorer, args.liked or []))
    for warning in user.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    recs = explorer.recommend(user, k=args.k)
    if args.json:
        payload = {
            "profile": user.text,
            "reading": user.reading.to_dict() if user.reading is not None else None,
            "weights": user.weights,
            "warnings": list(user.warnings),
            "recommendations": json.loads(recs.to_json(orient="records")),
        }
        print(json.dumps(payload, indent=2))
        return 0
    dot_columns = [c for c in recs.columns if c.startswith(C.DOT_PREFIX)]
    table = recs[["rank", C.TITLE, C.SCORE, C.MU, C.B_USER, C.B_ITEM, C.DOT, *dot_columns]].copy()
    table[C.TITLE] = table[C.TITLE].str.slice(0, 40)
    weights = ", ".join(f"{m} {w:.2f}" for m, w in user.weights.items())
    print(f"profile: {user.text!r}\nreading: {describe_reading(user.reading)}\nfusion weights: {weights}")
    print("score = mu + b_u + b_i + dot; dot = sum of dot_* columns\n")
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.float_format", "{:.3f}".format):
        print(table.to_string(index=False))
    return 0


def _labels(explorer, ids: list[str]) -> list:
    """Item ids typed on the command line, as the catalogue spells them: a number only where its ids are numbers."""
    from recsys.data.checks import CANONICAL_INTEGER

    numeric = all(isinstance(i, int) for i in explorer.dataset.item_ids.ids[:1])
    return [int(i) if numeric and CANONICAL_INTEGER.fullmatch(i) else i for i in ids]


def describe_reading(reading) -> str:
    """One line: what the engine read in the profile."""
    if reading is None or reading.is_empty:
        return "nothing beyond the words themselves"
    parts = []
    if reading.wants:
        parts.append("wants " + ", ".join(reading.wants))
    if reading.rules_out:
        parts.append("rules out " + ", ".join(reading.rules_out))
    named = [t.title for t in reading.titles if t.confident]
    if named:
        parts.append("names " + "; ".join(named))
    if reading.era is not None:
        parts.append(f"era {reading.era.start}–{reading.era.end}")
    if reading.demographics:
        parts.append("says " + ", ".join(f"{k} {v}" for k, v in reading.demographics.items()))
    return " · ".join(parts) or "nothing beyond the words themselves"


def cmd_check(args: argparse.Namespace) -> int:
    """Validate the catalogue without training: every problem (exit 2, via :func:`main`) or a one-line summary."""
    from recsys.data import load_movielens_100k, summary

    dataset = _dataset(args) or load_movielens_100k()
    print(f"ok: {dataset.n_items:,} {dataset.nouns}, {dataset.n_users:,} users, {len(dataset.ratings):,} interactions")
    for line in summary(dataset):
        print(f"  {line}")
    return 0


def cmd_prepare(args: argparse.Namespace) -> int:
    """Train (or load) the model and build the map projections, so the app starts fast."""
    from recsys.analysis.projection import Projector

    explorer = _load(args)
    Projector.for_explorer(explorer, progress=_progress)
    print(json.dumps(explorer.status(), indent=2, default=str))
    return 0


def cmd_speed(args: argparse.Namespace) -> int:
    from recsys_bench.speed import measure

    explorer = _load(args)
    results = measure(explorer, repeats=args.repeats)
    for name, numbers in results.items():
        if "p50_ms" in numbers:
            print(f"{name:20s} p50 {numbers['p50_ms']:7.1f} ms   p95 {numbers['p95_ms']:7.1f} ms   (n={numbers['n']})")
    ratio = results["ratio_to_encode"]
    verdict = "within" if ratio["p50"] <= ratio["budget"] else "OVER"
    print(f"new user + top-20 / bare MiniLM encode (p50): {ratio['p50']:.2f}x  ({verdict} the {ratio['budget']}x budget)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from recsys_bench.benchmark import print_table, run_benchmark

    if args.scale:
        from recsys_bench.scale import SIZES, run_scale

        results = run_scale(
            args.sizes or SIZES,
            Path(args.json or "bench-results/scale.json"),
            render=not args.no_render,
            stand_in=args.stand_in_item_vectors,
            titles=args.titles,
            n_users=args.users,
        )
        print(f"wrote {args.json or 'bench-results/scale.json'}")
        return 1 if any("failed" in row for row in results["sizes"]) else 0
    if args.profiles:
        from recsys_bench.profiles import print_profiles, profile_understanding

        results = profile_understanding(_load(args))
        print_profiles(results)
        if args.json:
            Path(args.json).parent.mkdir(parents=True, exist_ok=True)
            Path(args.json).write_text(json.dumps(results, indent=2, default=str))
        return 0

    if not args.no_peers:
        from recsys_bench.benchmark import REPORTED_PEERS
        from recsys_bench.peers import available_peers

        missing = [name for name in REPORTED_PEERS if name not in available_peers()]
        if missing:
            print(
                f"error: peer environments missing: {', '.join(missing)}. Create them with `make bench-peers` "
                "(or pass --no-peers to run without the peers the README reports).",
                file=sys.stderr,
            )
            return 1
    results = run_benchmark(
        dataset=_dataset(args),
        quick=args.quick, speed=args.speed, seeds=args.seeds, progress=_progress, validation=args.validation,
        max_users=args.max_users, peers=[] if args.no_peers else None, command=" ".join(["python -m recsys", *sys.argv[1:]]),
    )  # fmt: skip
    print_table(results)
    if args.json:
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results, indent=2, default=float))
        print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m recsys", description="Cold-start explorer engine (MovieLens data: GroupLens, University of Minnesota)."
    )
    parser.add_argument("--device", help="cuda, mps or cpu (default: best available)")
    parser.add_argument(
        "--min-interactions",
        type=int,
        metavar="N",
        help="keep the N-core: drop, again and again, every item and user with fewer than N interactions (overrides catalogue.json)",
    )
    parser.add_argument(
        "--data",
        default=os.environ.get("COLDSTART_DATA") or None,
        help="a GroupLens folder or a generic catalogue folder (default: $COLDSTART_DATA, else the packaged MovieLens-100k)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("recommend", help="top-k for a new user described in words, with every score term")
    rec.add_argument("--profile", required=True, help="free text describing the person's tastes")
    rec.add_argument("-k", type=int, default=20)
    rec.add_argument("--age", type=int)
    rec.add_argument("--gender", choices=["M", "F"])
    rec.add_argument("--occupation")
    rec.add_argument("--liked", nargs="*", help="onboarding item ids the person likes, as the catalogue writes them")
    rec.add_argument("--json", action="store_true", help="print JSON instead of a table")
    rec.add_argument("--quiet", action="store_true", help="no progress lines")
    rec.set_defaults(func=cmd_recommend)
    check = sub.add_parser("check", help="validate the --data catalogue without training: every problem, or a summary")
    check.set_defaults(func=cmd_check)
    prep = sub.add_parser("prepare", help="train or load the model and build map projections")
    prep.set_defaults(func=cmd_prepare)
    speed = sub.add_parser("speed", help="latency of new user + top-20 and feedback + re-rank")
    speed.add_argument("--repeats", type=int, default=5)
    speed.add_argument("--json", help="also write the numbers to this file")
    speed.set_defaults(func=cmd_speed)
    bench = sub.add_parser("bench", help="the cold-start benchmark (item and user cold start, warm-up curve, feedback loop, ablations)")
    bench.add_argument("--json", help="write machine-readable results here")
    bench.add_argument("--quick", action="store_true", help="one seed, fewer onboarding sizes (smoke test)")
    bench.add_argument("--speed", action="store_true", help="also time the interactive paths and training")
    bench.add_argument("--seeds", type=int, nargs="*", help="seeds (default 0 1 2; --quick: 0)")
    bench.add_argument("--validation", action="store_true", help="evaluate on a validation split carved from training (for tuning)")
    bench.add_argument("--max-users", type=int, help="evaluate only this many users per split (smoke tests)")
    bench.add_argument("--profiles", action="store_true", help="only the profile-understanding table (exclusions, titles, eras, ...)")
    bench.add_argument("--no-peers", action="store_true", help="skip the peer libraries even when their environments exist")
    bench.add_argument("--scale", action="store_true", help="cost at catalogue scale on synthetic catalogues (recsys_bench.scale)")
    bench.add_argument("--sizes", type=int, nargs="*", help="--scale: catalogue sizes (default 1000 10000 50000 100000)")
    bench.add_argument("--no-render", action="store_true", help="--scale: skip timing the map in Chromium")
    bench.add_argument("--titles", action="store_true", help="--scale: items known by title-length texts only (no descriptions)")
    bench.add_argument("--users", type=int, help="--scale: users in the catalogue (default: one per five items, at most 5,000)")
    bench.add_argument(
        "--stand-in-item-vectors",
        action="store_true",
        help="--scale: random vectors instead of embedding item texts (measures the other stages only)",
    )
    bench.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "k", 1) is not None and getattr(args, "k", 1) < 1:
        print("error: -k must be at least 1", file=sys.stderr)
        return 2
    if args.min_interactions is not None and args.min_interactions < 1:
        print("error: --min-interactions must be at least 1", file=sys.stderr)
        return 2
    try:
        return args.func(args)
    except (ValueError, KeyError, OSError) as err:
        # A DataProblems message holds one problem per line: each gets its own "error:" line.
        message = str(err).strip("'\"") or type(err).__name__
        for line in message.splitlines():
            print(f"error: {line}", file=sys.stderr)
        return 2
