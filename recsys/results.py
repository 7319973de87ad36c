"""Benchmark results on disk as the app reads them: the local run ``make bench`` writes, else the shipped reference run.

The reference (``bench/reference/results.json``) is a copy of the latest full run, committed
so that the Evaluation and Fusion pages and the calibrated like-probability work from a fresh
clone. A local run (``bench-results/results.json``) replaces it as soon as it exists. The benchmark
(``recsys_bench``) writes these files; the shape the pages read is declared here, on the engine side,
so that the app never imports the benchmark.
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from recsys.calibration import Calibration

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / "bench-results" / "results.json"
REFERENCE = ROOT / "bench" / "reference" / "results.json"

#: What the pages read from a full run: top-level keys, and the keys of one method's summary.
TOP_LEVEL = (
    "dataset", "seeds", "date", "machine", "run", "targets", "user_cold", "item_cold", "warm_items",
    "feedback_loop", "ablation", "fusion_weights", "popularity_pull", "calibration", "peers_missing",
)  # fmt: skip
SUMMARY = (
    "recall@20", "recall@20_ci95", "ndcg@20", "hr@10", "ndcg@10", "precision@20", "f1@20",
    "diversity_text", "diversity_genre", "novelty", "avg_popularity", "coverage", "gini", "n_users",
)  # fmt: skip
RUN = ("commit", "date", "machine", "command")
RELIABILITY_ROW = ("lo", "hi", "n", "mean_p", "observed")


def schema_problems(data: dict) -> list[str]:
    """Everything a full run's JSON lacks that the pages read; empty when it matches."""
    problems = [f"missing key {key!r}" for key in TOP_LEVEL if key not in data]
    for block in ("item_cold", "warm_items"):
        for method, summary in data.get(block, {}).items():
            problems += [f"{block}.{method}: missing {m!r}" for m in SUMMARY if m not in summary]
    for n, block in data.get("user_cold", {}).items():
        for method, summary in block.items():
            problems += [f"user_cold.{n}.{method}: missing {m!r}" for m in SUMMARY if m not in summary]
    problems += [f"run: missing {key!r}" for key in RUN if key not in data.get("run", {})]
    if "run" in data and not {"cores", "device"} <= set(data["run"].get("machine", {})):
        problems.append("run.machine: needs 'cores' and 'device'")
    calibration = data.get("calibration", {})
    if calibration:
        problems += [f"calibration.fit: missing {k!r}" for k in ("a", "c", "source") if k not in calibration.get("fit", {})]
        for split, record in calibration.get("splits", {}).items():
            problems += [
                f"calibration.{split}: missing {k!r}" for k in ("ece_raw", "ece_calibrated", "raw", "calibrated") if k not in record
            ]
            for row in record.get("raw", []) + record.get("calibrated", []):
                problems += [f"calibration.{split}: bin lacks {k!r}" for k in RELIABILITY_ROW if k not in row]
    for n, settings in data.get("popularity_pull", {}).items():
        for scale, summary in settings.items():
            problems += [
                f"popularity_pull.{n}.{scale}: missing {m!r}" for m in ("recall@20", "novelty", "avg_popularity") if m not in summary
            ]
    return problems


@dataclass(frozen=True)
class BenchResults:
    """One benchmark JSON and where it came from."""

    data: dict
    path: Path
    reference: bool

    @property
    def label(self) -> str:
        """How the pages introduce these numbers: a shipped reference run, or this machine's own."""
        run = self.data.get("run", {})
        machine = run.get("machine", {})
        where = f"{machine.get('cores', '?')} cores, {machine.get('device', '?')}" if machine else self.data.get("machine", "?")
        date = str(run.get("date", self.data.get("date", "?")))[:10]
        commit = str(run.get("commit", ""))[:7]
        kind = "reference run" if self.reference else "local run"
        if not commit:
            return f"{kind} of {date} on {where}"
        since = commits_since(commit)
        if since is None:
            return f"{kind} of {date} on {where} (commit {commit})"
        later = "the code running now" if since == 0 else f"{since} commit{'s' if since != 1 else ''} before the code running now"
        return f"{kind} of {date} on {where} (commit {commit}, {later})"

    def ran_on(self, dataset: str, fingerprint: str | None = None) -> bool:
        """Was this run made on this catalogue? By its content ``fingerprint`` when the run recorded one (two
        uploads may share a name: "ml-100k" in a catalogue.json is not MovieLens); by name for runs that predate it."""
        recorded = self.data.get("fingerprint")
        if recorded is not None and fingerprint is not None:
            return recorded == fingerprint
        return self.data.get("dataset") == dataset

    def calibration(self, dataset: str, fingerprint: str | None = None) -> Calibration:
        """The like-probability calibration this run fitted, when it was run on this catalogue (:meth:`ran_on`); else the identity."""
        if not self.ran_on(dataset, fingerprint):
            return Calibration()
        return Calibration.from_dict(self.data.get("calibration", {}).get("fit"))

    def reliability_bin(self, split: str, p: float, dataset: str, fingerprint: str | None = None) -> dict | None:
        """How the calibrated like-probability held on ``split``'s held-out ratings near ``p``: the run's reliability
        bin holding ``p`` (``lo, hi, n, mean_p, observed``), when the run was made on this catalogue; else ``None``."""
        if not self.ran_on(dataset, fingerprint):
            return None
        return bin_of(self.data.get("calibration", {}).get("splits", {}).get(split, {}).get("calibrated", []), p)


#: A reliability bin with fewer pairs than this says little about how its p held.
SUPPORTED_PAIRS = 30


def held_on_new_users(bins: list[dict], p: float, likes: str) -> str:
    """How a calibrated p near ``p`` held on the benchmark's held-out new users who gave ``likes`` onboarding likes
    (``bins``: that split's calibrated reliability bins): "" when no bin has support; the bin's observed rate where it
    has; where ``p`` is above every supported bin, that no such score was seen and how the highest ones held.

    Example:
        >>> bins = [{"lo": 0.1, "hi": 0.2, "n": 900, "mean_p": 0.14, "observed": 0.15},
        ...         {"lo": 0.5, "hi": 0.6, "n": 58, "mean_p": 0.53, "observed": 0.36}, {"lo": 0.7, "hi": 0.8, "n": 1, "mean_p": 0.72, "observed": 0.0}]
        >>> held_on_new_users(bins, 0.15, "0")
        "On the benchmark's held-out new users (0 likes), the pairs given p between 0.1 and 0.2 were liked 15% of the time (900 pairs)."
        >>> print(held_on_new_users(bins, 0.98, "0"))
        Among the benchmark's held-out new users (0 likes), fewer than 30 pairs were given a p this high; the highest bin measured on more, p between 0.5 and 0.6, was liked 36% of the time (58 pairs). This p is beyond what the calibration saw: read it as an order, not as a chance.
    """
    supported = [b for b in bins if b["n"] >= SUPPORTED_PAIRS]
    if not supported:
        return ""
    held = bin_of(supported, p)
    group = f"{likes} like" + ("" if likes == "1" else "s")
    if held is not None:
        return (f"On the benchmark's held-out new users ({group}), the pairs given p between {held['lo']:.1f} and {held['hi']:.1f} "
                f"were liked {held['observed']:.0%} of the time ({held['n']:,} pairs).")  # fmt: skip
    top = supported[-1]
    if p < top["hi"]:
        return ""  # between supported bins (an empty one): nothing to say of it
    return (
        f"Among the benchmark's held-out new users ({group}), fewer than {SUPPORTED_PAIRS} pairs were given a p this high; the "
        f"highest bin measured on more, p between {top['lo']:.1f} and {top['hi']:.1f}, was liked {top['observed']:.0%} of the time "
        f"({top['n']:,} pairs). This p is beyond what the calibration saw: read it as an order, not as a chance."
    )


def held_on_warm(held: dict) -> str:
    """How a reliability bin held, as the pages say it of the catalogue's own users (New film, Score anatomy).

    Example:
        >>> held_on_warm({"lo": 0.8, "hi": 0.9, "observed": 0.2, "n": 51})
        "On their held-out ratings (the benchmark's warm split), the pairs given p between 0.8 and 0.9 were liked 20% of the time (51 pairs)"
    """
    return (
        f"On their held-out ratings (the benchmark's warm split), the pairs given p between {held['lo']:.1f} and {held['hi']:.1f} "
        f"were liked {held['observed']:.0%} of the time ({held['n']:,} pairs)"
    )


def bin_of(bins: list[dict], p: float) -> dict | None:
    """The reliability bin holding probability ``p`` (the last bin holds its upper edge); ``None`` if none does.

    Example:
        >>> bin_of([{"lo": 0.0, "hi": 0.5, "n": 9}, {"lo": 0.5, "hi": 1.0, "n": 1}], 1.0)["n"]
        1
    """
    for i, b in enumerate(bins):
        if b["lo"] <= p < b["hi"] or (i == len(bins) - 1 and b["lo"] <= p <= b["hi"]):
            return b
    return None


@functools.lru_cache(maxsize=8)
def commits_since(commit: str) -> int | None:
    """How many commits the running code is past ``commit`` (``None`` without git, or when it is not an ancestor):
    the pages say how far behind the numbers they show are."""
    root = Path(__file__).resolve().parent.parent
    try:
        done = subprocess.run(["git", "rev-list", "--count", f"{commit}..HEAD"], cwd=root, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return int(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip().isdigit() else None


def read(path: Path, reference: bool) -> BenchResults | None:
    try:
        return BenchResults(json.loads(path.read_text()), path, reference)
    except (OSError, ValueError):
        return None


def latest() -> BenchResults | None:
    """``$COLDSTART_BENCH_RESULTS`` when set; else the local run; else the shipped reference."""
    override = os.environ.get("COLDSTART_BENCH_RESULTS")
    if override:
        path = Path(override)
        return read(path, reference=path.resolve() == REFERENCE.resolve()) if path.exists() else None
    for path, reference in ((LOCAL, False), (REFERENCE, True)):
        if path.exists():
            found = read(path, reference)
            if found is not None:
                return found
    return None


#: The onboarding simulation's runs (``bench --onboarding``): one file per catalogue, local runs before the shipped ones.
ONBOARDING_GLOB = "onboarding*.json"
ONBOARDING_KEYS = ("dataset", "seeds", "budget", "users", "run", "strategies", "winners")


def onboarding(dataset: str, fingerprint: str | None = None) -> BenchResults | None:
    """The onboarding simulation run on catalogue ``dataset`` (its ``name`` and content ``fingerprint``, as
    :meth:`BenchResults.ran_on` compares them): the newest local one
    (``bench-results/onboarding*.json``), else the shipped reference (``bench/reference``); None without one.
    With ``$COLDSTART_BENCH_RESULTS`` set, only the folder of that file is read."""
    override = os.environ.get("COLDSTART_BENCH_RESULTS")
    folders = ((Path(override).parent, Path(override).parent.resolve() == REFERENCE.parent.resolve()),) if override else None
    for folder, reference in folders or ((LOCAL.parent, False), (REFERENCE.parent, True)):
        found = [read(path, reference) for path in sorted(folder.glob(ONBOARDING_GLOB), key=lambda p: -p.stat().st_mtime)]
        for run in found:
            if run is not None and run.ran_on(dataset, fingerprint) and all(k in run.data for k in ONBOARDING_KEYS):
                return run
    return None


def ablation_by_split(results: dict) -> dict[str, dict]:
    """The ablation per split in the benchmark's order (user cold start by number of likes, then item cold start), the full
    model filled in from the main results where the ablation did not repeat it (it is the same run: ``ours``).

    Example:
        >>> runs = {"ablation": {"user_cold_5": {"text_only": {}}, "item_cold": {}, "user_cold_1": {"text_only": {}}},
        ...         "user_cold": {"1": {"ours": {"recall@20": 0.2}}}}
        >>> {split: list(table) for split, table in ablation_by_split(runs).items()}
        {'user_cold_1': ['text+attributes+collaborative', 'text_only'], 'user_cold_5': ['text_only'], 'item_cold': []}
    """
    full = "text+attributes+collaborative"

    def order(split: str) -> tuple[int, int]:
        head, _, n = split.rpartition("_")
        return (0, int(n)) if head == "user_cold" and n.isdigit() else (1, 0)

    tables = {}
    for split in sorted(results["ablation"], key=order):
        table = dict(results["ablation"][split])
        head, _, n = split.rpartition("_")
        ours = results.get("user_cold", {}).get(n, {}).get("ours") if head == "user_cold" else results.get("item_cold", {}).get("ours")
        if full not in table and ours:
            table = {full: ours, **table}
        tables[split] = table
    return tables


def split_label(split: str, nouns: str = "items") -> str:
    """A benchmark split's key as a page says it: "user_cold_5" → "new users, 5 likes given".

    Example:
        >>> [split_label(s, "films") for s in ("user_cold_0", "user_cold_1", "user_cold_20", "item_cold", "item_cold (held-out items)", "warm")]
        ['new users, no likes yet', 'new users, 1 like given', 'new users, 20 likes given', 'held-out films', 'held-out films', 'warm']
    """
    head, _, n = split.partition(" ")[0].rpartition("_")
    if head == "user_cold" and n.isdigit():
        return "new users, no likes yet" if n == "0" else f"new users, {n} like{'s' if n != '1' else ''} given"
    if split.startswith("item_cold"):
        return f"held-out {nouns}"
    return split


def item_cold_ties(block: dict[str, dict]) -> list[str]:
    """Why methods tie on held-out items, in words: those with the same recall@20 and NDCG@20 cannot tell one unseen item
    from another, and a novelty the same for every method measures training counts that are zero for every such item.

    Example:
        >>> item_cold_ties({"ours": {"recall@20": 0.3, "ndcg@20": 0.2, "novelty": 9.9},
        ...                 "popularity": {"recall@20": 0.1, "ndcg@20": 0.1, "novelty": 9.9},
        ...                 "implicit_als": {"recall@20": 0.1, "ndcg@20": 0.1, "novelty": 9.9}})[0][:40]
        'popularity and implicit_als tie on every'
    """
    groups: dict[tuple, list[str]] = {}
    for method, summary in block.items():
        key = (round(float(summary.get("recall@20", float("nan"))), 6), round(float(summary.get("ndcg@20", float("nan"))), 6))
        groups.setdefault(key, []).append(method)
    notes = [
        f"{', '.join(tied[:-1])} and {tied[-1]} tie on every measure: none of them can score an item it never saw in "
        "training, so each ranks the held-out items the same way."
        for tied in groups.values()
        if len(tied) > 1
    ]
    novelty = {round(float(s["novelty"]), 6) for s in block.values() if "novelty" in s}
    if len(novelty) == 1 and len(block) > 1:
        notes.append(
            "Novelty is the same for every method here: it counts how rarely an item was interacted with in training, "
            "and none of the held-out items was."
        )
    return notes


def target_kind(name: str, entry: dict) -> str:
    """What a target's ``value`` is: ``recall`` (a recall@20 against a threshold), ``ratio`` (ours over another),
    ``difference`` (ours minus another), ``ci_margin`` (the same, against the other's 95% half-width) or ``drop``
    (ours below another, relative). The benchmark writes it (``kind``); a run saved before it did is read from the
    target's name.

    Example:
        >>> target_kind("user_cold N=5 recall@20 >= 1.3 x popularity", {}), target_kind("any", {"kind": "drop"})
        ('ratio', 'drop')
    """
    if "kind" in entry:
        return str(entry["kind"])
    if "% below" in name:
        return "drop"
    if " x " in name:
        return "ratio"
    if "+ its CI" in name:
        return "ci_margin"
    if " >= " in name and name.rsplit(" >= ", 1)[-1].replace(".", "", 1).split(" ")[0].isdigit():
        return "recall"
    return "difference"


def target_rows(targets: dict[str, dict]) -> list[dict[str, str]]:
    """Each benchmark target as the page shows it: the target, the measured value in the target's own terms, met.

    The JSON's ``value`` means different things by target (:func:`target_kind`) — a recall, a ratio, a difference, a
    relative drop — and printed bare it misleads ("at most 3% below" beside −0.0307 reads as a miss; it is 3.1% *above*).

    Example:
        >>> target_rows({"warm items: at most 3% below ours_no_content": {"value": -0.0307, "target": 0.03, "met": True}})
        [{'target': 'warm items: at most 3% below ours_no_content', 'goal': 'first benchmark', 'measured': '3.1% above ours_no_content', 'met': '✓'}]
    """
    rows = []
    for name, entry in targets.items():
        value, goal = float(entry["value"]), float(entry["target"])
        kind = target_kind(name, entry)
        if kind == "drop":
            other = name.rsplit(" below ", 1)[-1]
            measured = f"{abs(value):.1%} {'below' if value > 0 else 'above'} {other}"
        elif kind == "ratio":
            measured = f"{value:.2f}× (target {goal:g}×)"
        elif kind == "ci_margin":
            measured = f"{value:+.4f} over it (its 95% half-width {goal:.4f})"
        elif kind == "recall":
            measured = f"{value:.3f} recall@20"
        else:
            measured = f"{value:+.4f} recall@20 (ours minus it)"
        rows.append(
            {"target": name.removesuffix(PEERS_SUFFIX), "goal": goal_of(name), "measured": measured, "met": "✓" if entry["met"] else "✗"}
        )
    return rows


PEERS_SUFFIX = " (peers issue)"  # how the benchmark tells the peers goal's item-cold threshold from the first one


def goal_of(target: str) -> str:
    """Which of the benchmark's two goals a target belongs to: the first benchmark's, or leading every other method.

    Example:
        >>> goal_of("item_cold recall@20 >= 0.34 (peers issue)"), goal_of("item_cold recall@20 >= 0.36")
        ('ahead of every peer', 'first benchmark')
    """
    peers = target.endswith(PEERS_SUFFIX) or "best other" in target or target.startswith("warm items: ours >= ")
    return "ahead of every peer" if peers else "first benchmark"


_COUNTS = {2: "two", 3: "three", 4: "four"}


def target_notes(targets: dict[str, dict]) -> list[str]:
    """A sentence for each measure that two goals set a different bar for, so one value both met and missed reads as such.

    Example:
        >>> target_notes({"item_cold recall@20 >= 0.36": {"value": 0.343, "target": 0.36, "met": False},
        ...               "item_cold recall@20 >= 0.34 (peers issue)": {"value": 0.343, "target": 0.34, "met": True}})
        ['item_cold recall@20 is one measured value, 0.343, against two bars: 0.36 (first benchmark, missed) and 0.34 (ahead of every peer, met).']
    """
    bars: dict[str, list[tuple[str, dict]]] = {}
    for name, entry in targets.items():
        match = re.fullmatch(r"(.+) >= [0-9.]+", name.removesuffix(PEERS_SUFFIX))
        if match:
            bars.setdefault(match.group(1), []).append((name, entry))
    return [
        f"{measure} is one measured value, {float(entries[0][1]['value']):.3f}, against {_COUNTS.get(len(entries), len(entries))} bars: "
        + " and ".join(f"{float(e['target']):g} ({goal_of(n)}, {'met' if e['met'] else 'missed'})" for n, e in entries)
        + "."
        for measure, entries in bars.items()
        if len(entries) > 1
    ]


def feedback_loop_note(loop: dict[str, dict[str, float]]) -> str | None:
    """What the feedback loop's curves say: when popularity's falls though it learns nothing, why; and what to read
    instead, our model's gap over popularity at each round.

    Each round takes the shown items out of the pool, and with them the positives easiest to find, so the next list is
    judged against fewer, harder ones: a curve can fall while the feedback helps. None when the run has no popularity
    or no model curve to compare.

    Example:
        >>> feedback_loop_note({"ours": {"0": 0.36, "1": 0.37, "10": 0.20}, "popularity": {"0": 0.39, "1": 0.28, "10": 0.15}}).split(" — ")[1]
        'ours minus popularity: −0.030 before any feedback, +0.090 after 1 round, +0.050 after 10 rounds.'
    """
    ours, popular = loop.get("ours"), loop.get("popularity")
    if not ours or not popular:
        return None
    rounds = [r for r in sorted((r for r in ours if r in popular), key=int) if ours[r] == ours[r] and popular[r] == popular[r]]
    if not rounds:  # no round any user reached (NaN everywhere): nothing measured
        return None
    gaps = [
        f"{ours[r] - popular[r]:+.3f}".replace("-", "−")
        + (" before any feedback" if r == "0" else f" after {r} round{'' if r == '1' else 's'}")
        for r in rounds
    ]
    first, last = rounds[0], rounds[-1]
    why = ""
    if popular[last] < popular[first]:
        why = (
            f"Popularity learns nothing from the likes, yet its NDCG@10 falls from {popular[first]:.3f} to {popular[last]:.3f}: "
            "each round takes the shown items out of the pool, and with them the positives easiest to find, so the next "
            "list is judged against fewer and harder ones. "
        )
    return why + "What the feedback buys is the gap over popularity at each round — ours minus popularity: " + ", ".join(gaps) + "."


def warmup_note(user_cold: dict[str, dict[str, dict]], measure: str = "recall@20") -> str | None:
    """Why the warm-up curve can fall after a few likes, from the numbers: popularity, which learns nothing from them,
    falls too when it does; and what to read instead, our model's gap over popularity at each N. None when popularity
    does not fall from the first N to the last (nothing to explain) or a curve is missing.

    Example:
        >>> block = {"0": {"ours": {"recall@20": 0.156}, "popularity": {"recall@20": 0.141}},
        ...          "5": {"ours": {"recall@20": 0.174}, "popularity": {"recall@20": 0.120}},
        ...          "20": {"ours": {"recall@20": 0.148}, "popularity": {"recall@20": 0.101}}}
        >>> print(warmup_note(block))
        Why a curve can fall after a few likes: popularity learns nothing from them, yet its recall@20 falls from 0.141 at N = 0 to 0.101 at N = 20: each held-out person's first N likes (in the order they gave them) are taken out of what is left to find, and what is left is fewer and, as popularity's own fall shows, harder to find. What the likes buy is the gap over popularity — ours minus popularity: +0.015 at N = 0, +0.054 at N = 5, +0.047 at N = 20.
    """
    ns = sorted((n for n in user_cold if str(n).isdigit()), key=int)
    rows = [(n, user_cold[n].get("ours", {}).get(measure), user_cold[n].get("popularity", {}).get(measure)) for n in ns]
    rows = [(n, ours, popular) for n, ours, popular in rows if ours is not None and popular is not None]
    if len(rows) < 2 or rows[-1][2] >= rows[0][2]:
        return None
    (first, _, start), (last, _, end) = rows[0], rows[-1]
    gaps = ", ".join(f"{ours - popular:+.3f} at N = {n}".replace("-", "−") for n, ours, popular in rows)
    return (
        f"Why a curve can fall after a few likes: popularity learns nothing from them, yet its {measure} falls from {start:.3f} at "
        f"N = {first} to {end:.3f} at N = {last}: "
        "each held-out person's first N likes (in the order they gave them) are taken out of what is left to find, and what "
        "is left is fewer and, as popularity's own fall shows, harder to find. What the likes buy is the gap over popularity — "
        f"ours minus popularity: {gaps}."
    )


#: What each benchmark method is, in words, for the pages' legends (docs/benchmark.md has the protocol).
METHOD_MEANINGS = {
    "ours": "the model, reading each profile (what it rules out, named titles, era, stated demographics)",
    "ours_unread": "the same trained model with the profile text embedded as typed, nothing read out of it",
    "ours_no_era": "the same trained model and reading, with the era term off (a stated era no longer holds the list to its window)",
    "ours_no_text": "the model trained without the text on either side",
    "ours_no_content": "the model with only collaborative parts (no text, attributes or demographics)",
    "popularity": "the most-liked items in training",
    "popularity_demographic": "the most-liked items among people of the same age group and gender",
    "content_knn": "items whose text is nearest the profile's and the liked items'",
    "lightfm": "LightFM with item and user features",
    "implicit_als": "implicit's alternating least squares",
    "cornac_bpr": "Cornac's Bayesian personalised ranking",
    "genre": "items of the genres of the liked items (with none, of what people of the same age group and gender like)",
    "random": "items drawn at random",
}


def unread_note(user_cold: dict[str, dict[str, dict]]) -> str:
    """Why ``ours_unread`` is above ``ours`` where it is, from the numbers: the era term, when turning it off
    (``ours_no_era``) closes the gap; "" where it is nowhere above.

    The benchmark's profiles are written from the first N items alone, and half of them say how old those N films are
    ("I prefer recent releases." when they average after 1994, already after one film): ours leans the list towards that
    window, while the truth is the rest of the person's history.

    Example:
        >>> unread_note({"0": {"ours": {"recall@20": 0.156}, "ours_unread": {"recall@20": 0.156}},
        ...              "5": {"ours": {"recall@20": 0.172}, "ours_unread": {"recall@20": 0.176}, "ours_no_era": {"recall@20": 0.177}}})[:60]
        'ours_unread is above ours at N = 5 (0.176 against 0.172). Wi'
    """
    recall = {n: {m: float(s["recall@20"]) for m, s in block.items()} for n, block in user_cold.items()}
    above = sorted(int(n) for n, r in recall.items() if "ours" in r and r.get("ours_unread", 0.0) > r["ours"] + 5e-4)
    if not above:
        return ""
    at = ", ".join(str(n) for n in above)
    pairs = ", ".join(f"{recall[str(n)]['ours_unread']:.3f} against {recall[str(n)]['ours']:.3f}" for n in above)
    note = f"ours_unread is above ours at N = {at} ({pairs})."
    if not all("ours_no_era" in recall[str(n)] for n in above):
        return note
    no_era = ", ".join(f"{recall[str(n)]['ours_no_era']:.3f}" for n in above)
    closed = [n for n in above if recall[str(n)]["ours_no_era"] >= recall[str(n)]["ours_unread"] - 0.002]
    if len(closed) < len(above):
        return note + f" With its era term off, ours scores {no_era}: the era is not the whole of the gap."
    return note + (
        f" With its era term off, ours scores {no_era}: the gap is the era. The benchmark writes each profile from the first "
        'N items alone, and half of them say how old those N films are ("I prefer recent releases." when they average after '
        "1994, already after one film). ours leans the list towards that window (read as hedged, with a quarter of the era "
        "term), while what the person goes on to like is from any decade; ours_unread does not read the era at all. A person "
        "who names a period means it, which the profile cases measure."
    )


def method_legend(methods) -> str:
    """One line naming what each of ``methods`` is, in the order given; a name with no meaning here is left out.

    Example:
        >>> method_legend(["ours_unread", "nobody"])
        '**ours_unread**: the same trained model with the profile text embedded as typed, nothing read out of it.'
    """
    return "; ".join(f"**{m}**: {METHOD_MEANINGS[m]}" for m in dict.fromkeys(methods) if m in METHOD_MEANINGS) + "."
