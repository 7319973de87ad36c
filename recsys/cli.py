"""Command line: ``python -m recsys recommend|check|prepare|cohort`` on the same engine as the app, plus installed commands.

Other packages add subcommands through the ``recsys.commands`` entry-point group: each entry
point is a function that takes the subparsers and adds its own (the benchmark adds ``bench``
and ``speed``), so the engine never imports them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from importlib.metadata import entry_points

import pandas as pd

from recsys import columns as C
from recsys.encoder import ENCODER_ENV, ENCODER_NAMES

_last_line: list[str] = [""]
_bar: list = []


def progress(message: str, fraction: float) -> None:
    """Progress of a long step: a tqdm bar on a terminal; in a log, a line per new step (not per tick)."""
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


def load_dataset(args: argparse.Namespace):
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


def load_explorer(args: argparse.Namespace):
    """The engine for the global options (``--data``, ``--device``, ``--encoder``, ``--min-interactions``), trained or loaded."""
    from recsys.explorer import Explorer

    return Explorer.load(
        dataset=load_dataset(args),
        device=getattr(args, "device", None),
        progress=progress if not getattr(args, "quiet", False) else None,
        encoder=getattr(args, "encoder", None),
    )


def _demographics(args: argparse.Namespace, columns: list[str]) -> dict:
    """``--age``/``--gender``/``--occupation`` and every ``--user COLUMN=VALUE``, checked against the catalogue's user columns."""
    given = {k: v for k, v in {C.AGE: args.age, C.GENDER: args.gender, C.OCCUPATION: args.occupation}.items() if v is not None}
    for pair in args.user or []:
        column, equals, value = pair.partition("=")
        if not equals or not column.strip():
            raise ValueError(f"--user {pair!r}: write it as COLUMN=VALUE, e.g. --user location=spain")
        given[column.strip()] = value.strip()
    unknown = [k for k in given if k not in columns]
    if unknown:
        raise ValueError(f"this catalogue's users have no {unknown[0]!r}; their columns: {', '.join(columns) or 'none'}")
    return given


def cmd_recommend(args: argparse.Namespace) -> int:
    explorer = load_explorer(args)
    demographics = _demographics(args, explorer.user_space.columns)
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

    dataset = load_dataset(args) or load_movielens_100k()
    print(f"ok: {dataset.n_items:,} {dataset.nouns}, {dataset.n_users:,} users, {len(dataset.ratings):,} interactions")
    for line in summary(dataset):
        print(f"  {line}")
    return 0


def cmd_prepare(args: argparse.Namespace) -> int:
    """Train (or load) the model, build the map projections and fit the reader's attitude model, so the app starts fast."""
    from recsys.analysis.projection import Projector

    explorer = load_explorer(args)
    Projector.for_explorer(explorer, progress=progress)
    # The reader's attitude model: its training sentences are embedded into the cache now, not on a first profile.
    explorer.attitude(["warm-up"])
    print(json.dumps(explorer.status(), indent=2, default=str))
    return 0


def cmd_cohort(args: argparse.Namespace) -> int:
    """Everyone's top-k for a cohort file (or a sample of the catalogue's users), the cohort view and the exports."""
    import numpy as np

    from recsys import cohort

    if (args.file is None) == (args.sample is None):
        print("error: give a cohort FILE or --sample N (one of them)", file=sys.stderr)
        return 2
    explorer = load_explorer(args)
    if args.file is not None:
        people = cohort.read_cohort(args.file, explorer)
    else:
        people = cohort.sample_cohort(explorer, args.sample, np.random.default_rng(args.seed))
    run = cohort.run_cohort(explorer, people, k=args.k, progress=None if args.quiet else progress, torch_threads=args.threads)
    view = cohort.cohort_view(explorer, run)
    paths = cohort.export(run, view, args.out)
    skipped = sum(p.skipped for p in run.problems)
    print(f"{view.n_people:,} people ranked (top-{run.k}) in {run.seconds:.1f} s; {skipped:,} rows left out (see problems.csv)")
    for problem in run.problems[:10]:
        print(f"  line {problem.line}: {problem.message}")
    popularity = view.popularity
    print(
        f"coverage {view.coverage:.3f} ({view.distinct_items:,} {explorer.dataset.nouns}) · Gini {view.gini:.3f} · "
        f"popularity percentile of what is shown: median {popularity['p50']:.0f} (p10 {popularity['p10']:.0f}, p90 {popularity['p90']:.0f})"
    )
    for row in view.reach.head(5).itertuples():
        print(f"  reaches {row.share:6.1%} of people: {row.title}")
    print(f"{len(view.unread):,} people whose profile was read as nothing or with unsure titles · {len(view.clusters):,} clusters")
    print("wrote " + ", ".join(str(p) for p in paths.values()))
    return 0 if view.n_people else 2


COMMANDS = "recsys.commands"
#: Commands the benchmark package adds; named here only to say what is missing when it is not installed.
BENCHMARK_COMMANDS = ("bench", "speed")
Register = Callable[[argparse._SubParsersAction], None]


def base_parser(prog: str, description: str) -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    """A parser with the global options every command reads (``--data`` and the rest), and its empty subparsers."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
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
    add_encoder_option(parser, default=os.environ.get(ENCODER_ENV) or None)
    parser.set_defaults(prog=prog)
    return parser, parser.add_subparsers(dest="command", required=True)


def add_encoder_option(parser: argparse.ArgumentParser, default: object = None) -> None:
    """``--encoder {minilm,multilingual}``: the text model (:func:`recsys.encoders.make_encoder`)."""
    parser.add_argument(
        "--encoder",
        choices=ENCODER_NAMES,
        default=default,
        help="the text model: minilm (English) or multilingual (Chinese, English and mixed text); "
        f"default: ${ENCODER_ENV}, else minilm. Each is trained and cached apart",
    )


def installed_commands() -> dict[str, Register]:
    """The ``recsys.commands`` entry points that load, by name (one that fails to import counts as missing)."""
    found = {}
    for entry in entry_points(group=COMMANDS):
        try:
            found[entry.name] = entry.load()
        except ImportError:
            continue
    return found


def _not_installed(name: str) -> Register:
    def register(sub: argparse._SubParsersAction) -> None:
        stub = sub.add_parser(name, help="(needs the benchmark package, recsys_bench, which is not installed)", add_help=False)
        stub.set_defaults(missing=name)  # whatever follows it is left unparsed: its options are not known here

    return register


def _missing(name: str) -> int:
    print(
        f"error: `{name}` is a command of the benchmark package (recsys_bench), which is not installed here. "
        "Install the repository with `pip install -e .` (or `make setup`), then run it again.",
        file=sys.stderr,
    )
    return 2


def build_parser() -> argparse.ArgumentParser:
    """``python -m recsys``: the engine's commands and every installed one."""
    parser, sub = base_parser("python -m recsys", "Cold-start explorer engine (MovieLens data: GroupLens, University of Minnesota).")
    rec = sub.add_parser("recommend", help="top-k for a new user described in words, with every score term")
    rec.add_argument("--profile", required=True, help="free text describing the person's tastes")
    rec.add_argument("-k", type=int, default=20)
    rec.add_argument("--age", type=int)
    rec.add_argument("--gender", help="as the catalogue writes it (MovieLens: M or F)")
    rec.add_argument("--occupation")
    rec.add_argument("--user", action="append", metavar="COLUMN=VALUE",
                     help="any user column of the catalogue, e.g. --user location=spain (repeatable)")  # fmt: skip
    rec.add_argument("--liked", nargs="*", help="onboarding item ids the person likes, as the catalogue writes them")
    rec.add_argument("--json", action="store_true", help="print JSON instead of a table")
    rec.add_argument("--quiet", action="store_true", help="no progress lines")
    rec.set_defaults(func=cmd_recommend)
    check = sub.add_parser("check", help="validate the --data catalogue without training: every problem, or a summary")
    check.set_defaults(func=cmd_check)
    prep = sub.add_parser("prepare", help="train or load the model and build map projections")
    prep.set_defaults(func=cmd_prepare)
    group = sub.add_parser("cohort", help="top-k for every profile of a cohort CSV, the cohort view, CSV and Parquet exports")
    group.add_argument("file", nargs="?", help="a CSV with a text column (optional: demographic columns, liked, person)")
    group.add_argument("--out", required=True, help="folder for recommendations.csv/.parquet, summary.json, problems.csv")
    group.add_argument("-k", "--k", type=int, default=20, dest="k")
    group.add_argument("--sample", type=int, metavar="N", help="instead of a file: N of the catalogue's users, as new users")
    group.add_argument("--seed", type=int, default=0, help="the sample's seed")
    group.add_argument("--threads", type=int, default=1, help="torch threads for the run (default 1: fastest on a shared machine)")
    group.add_argument("--quiet", action="store_true", help="no progress lines")
    group.set_defaults(func=cmd_cohort)
    installed = installed_commands()
    for name in BENCHMARK_COMMANDS:
        installed.setdefault(name, _not_installed(name))
    for register in installed.values():
        register(sub)
    # Also after the command's name (``prepare --encoder multilingual``), for every command that loads a model.
    for name, command in sub.choices.items():
        if name != "check" and command.get_default("missing") is None:
            add_encoder_option(command, default=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    """``python -m recsys``; the exit status."""
    return run(build_parser(), argv)


def run(parser: argparse.ArgumentParser, argv: list[str] | None = None) -> int:
    """Parse ``argv`` with ``parser`` and run the chosen command: its exit status, 2 with one ``error:`` line per problem."""
    args, unknown = parser.parse_known_args(argv)
    if getattr(args, "missing", None):
        return _missing(args.missing)
    if unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
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
