"""The benchmark's commands, ``bench`` and ``speed``, added to ``python -m recsys`` and ``python -m recsys_bench``.

Each is registered in the ``recsys.commands`` entry-point group (``pyproject.toml``): a function
that takes the subparsers, adds its own parser and sets its handler. The engine's command line
finds them there, so the engine never imports the benchmark.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from recsys.cli import load_dataset, load_explorer, progress


def cmd_speed(args: argparse.Namespace) -> int:
    from recsys_bench.speed import measure

    explorer = load_explorer(args)
    results = measure(explorer, repeats=args.repeats)
    for name, numbers in results.items():
        if "p50_ms" in numbers:
            print(f"{name:20s} p50 {numbers['p50_ms']:7.1f} ms   p95 {numbers['p95_ms']:7.1f} ms   (n={numbers['n']})")
    ratio = results["ratio_to_encode"]
    verdict = "within" if ratio["p50"] <= ratio["budget"] else "OVER"
    print(f"new user + top-20 / bare {explorer.encoder.name} encode (p50): {ratio['p50']:.2f}x  ({verdict} the {ratio['budget']}x budget)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


def _movielens():
    from recsys.data import load_movielens_100k

    return load_movielens_100k()


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
            encoder_name=getattr(args, "encoder", None),
        )
        print(f"wrote {args.json or 'bench-results/scale.json'}")
        return 1 if any("failed" in row for row in results["sizes"]) else 0
    if args.chinese:
        from recsys_bench.chinese import print_chinese, run

        results = run(load_explorer(args))
        print_chinese(results)
        if args.json:
            Path(args.json).parent.mkdir(parents=True, exist_ok=True)
            Path(args.json).write_text(json.dumps(results, indent=2, default=str, ensure_ascii=False))
        return 0
    if args.onboarding:
        from recsys_bench.onboarding import MAX_USERS, SEEDS, print_onboarding, run

        results = run(
            load_dataset(args) or _movielens(), seeds=args.seeds or SEEDS, max_users=args.max_users or MAX_USERS,
            encoder_name=getattr(args, "encoder", None), progress=progress, command=" ".join([args.prog, *sys.argv[1:]]),
        )  # fmt: skip
        print_onboarding(results)
        path = Path(args.json or "bench-results/onboarding.json")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results, indent=2, default=float))
        print(f"wrote {path}")
        return 0
    if args.profiles:
        from recsys_bench.profiles import print_profiles, profile_understanding

        results = profile_understanding(load_explorer(args))
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
                "(or pass --no-peers to run without the peers docs/benchmark.md reports).",
                file=sys.stderr,
            )
            return 1
    results = run_benchmark(
        dataset=load_dataset(args),
        quick=args.quick, speed=args.speed, seeds=args.seeds, progress=progress, validation=args.validation,
        max_users=args.max_users, peers=[] if args.no_peers else None, command=" ".join([args.prog, *sys.argv[1:]]),
        encoder_name=getattr(args, "encoder", None),
    )  # fmt: skip
    print_table(results)
    if args.json:
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results, indent=2, default=float))
        print(f"wrote {path}")
    return 0


def speed(sub: argparse._SubParsersAction) -> None:
    """Add ``speed``: latency of the interactive paths."""
    parser = sub.add_parser("speed", help="latency of new user + top-20 and feedback + re-rank")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", help="also write the numbers to this file")
    parser.set_defaults(func=cmd_speed)


def bench(sub: argparse._SubParsersAction) -> None:
    """Add ``bench``: the cold-start benchmark and its variants (``--profiles``, ``--scale``)."""
    bench = sub.add_parser("bench", help="the cold-start benchmark (item and user cold start, warm-up curve, feedback loop, ablations)")
    bench.add_argument("--json", help="write machine-readable results here")
    bench.add_argument("--quick", action="store_true", help="one seed, fewer onboarding sizes (smoke test)")
    bench.add_argument("--speed", action="store_true", help="also time the interactive paths and training")
    bench.add_argument("--seeds", type=int, nargs="*", help="seeds (default 0 1 2; --quick: 0)")
    bench.add_argument("--validation", action="store_true", help="evaluate on a validation split carved from training (for tuning)")
    bench.add_argument("--max-users", type=int, help="evaluate only this many users per split (smoke tests)")
    bench.add_argument("--profiles", action="store_true", help="only the profile-understanding table (exclusions, titles, eras, ...)")
    bench.add_argument(
        "--chinese", action="store_true", help="only the Chinese profile table (bench/reading_zh) and the cross-lingual agreement"
    )
    bench.add_argument(
        "--onboarding", action="store_true",
        help="only the onboarding simulation: each question strategy on held-out users, 0-10 questions (recsys_bench.onboarding)",
    )  # fmt: skip
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


#: What ``python -m recsys_bench`` offers, in the order its help lists them.
COMMANDS = (bench, speed)
