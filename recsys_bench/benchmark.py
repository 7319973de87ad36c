"""The cold-start benchmark runner: every method on the same splits, one JSON out.

``python -m recsys bench --json PATH`` runs item cold-start, user cold-start with the
warm-up curve, the feedback-loop simulation, the fusion ablation and the warm-item check,
for our model, the simple baselines and the peer libraries whose environments
``make bench-peers`` created (see :mod:`recsys_bench.peers`).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from recsys import columns as C
from recsys.cache import cache_root
from recsys.calibration import Calibration, Reliability
from recsys.data import Dataset, load_movielens_100k
from recsys.encoder import TextEncoder
from recsys.encoders import make_encoder
from recsys.training import TrainConfig
from recsys_bench.baselines import (
    ContentKnnMethod,
    Context,
    DemographicPopularityMethod,
    GenreMethod,
    Method,
    PopularityMethod,
    RandomMethod,
)
from recsys_bench.evaluation import METRICS, OursMethod, Outcome, evaluate, feedback_loop, labelled_scores, popularity_of
from recsys_bench.peers import ROOT, PeerMethod, available_peers
from recsys_bench.splits import (
    USER_COLD_N,
    Request,
    Split,
    item_cold_requests,
    item_cold_split,
    user_cold_requests,
    user_cold_split,
    warm_requests,
    warm_split,
)

ABLATIONS = {
    "text_only": TrainConfig(user_modalities=("text", "history"), item_modalities=("text",)),
    "text+attributes": TrainConfig(user_modalities=("text", "demo", "history"), item_modalities=("text", "attr")),
    "text+attributes+collaborative": TrainConfig(),
}
NO_TEXT = TrainConfig(user_modalities=("demo", "history", "id"), item_modalities=("attr", "id"))
NO_CONTENT = TrainConfig(user_modalities=("history", "id"), item_modalities=("id",))
#: Settings of the popularity-pull control (the scale on b_i) measured besides the trained 1.0.
PULL_SETTINGS = (0.0, 0.25, 0.5, 0.75)
#: Settings of the popularity-axis control (share of ⟨e_u, e_i⟩ along the popularity axis removed) besides the trained 0.
AXIS_SETTINGS = (0.1, 0.2, 0.3, 0.5, 1.0)
#: The peers docs/benchmark.md reports: ``make bench`` refuses to run without them unless ``--no-peers``.
REPORTED_PEERS = ("lightfm", "implicit_als", "cornac_bpr")
#: How every list of a run orders equal scores (results' ``ties``); runs without the key kept catalogue order.
TIES = "random order per seed"
Progress = Callable[[str, float], None]


def baselines() -> list[Method]:
    return [RandomMethod(), PopularityMethod(), DemographicPopularityMethod(), GenreMethod(), ContentKnnMethod()]


def _ours_and_pull(quick: bool) -> list[Method]:
    """Our model, the same model with its reading's era term off (what a stated era costs or buys), then the same model
    at each popularity-pull and popularity-axis setting (no retraining)."""
    ours = OursMethod("ours")
    return [ours, OursMethod("ours_no_era", reading_without=("era",), same_model_as=ours),
            *(OursMethod(f"pull:{s:g}", item_bias_scale=s, same_model_as=ours) for s in PULL_SETTINGS),
            *(OursMethod(f"axis:{s:g}", axis_strength=s, same_model_as=ours) for s in AXIS_SETTINGS)]  # fmt: skip


def _ablations(quick: bool) -> list[Method]:
    return [] if quick else [OursMethod(f"ablation:{k}", cfg) for k, cfg in ABLATIONS.items() if k != "text+attributes+collaborative"]


@dataclass(frozen=True)
class Block:
    """One evaluation block: how its split and requests are made, which methods run, how requests are grouped.

    Attributes:
        name: the key in the results (``user_cold``, ``item_cold``, ``warm``).
        split / requests: the split maker and the requests of a split.
        methods: the methods to run, given ``quick``.
        candidates: the number of candidate items (for coverage and exposure).
        full_only: skipped by ``--quick``.
        loop_methods: methods also run through the feedback-loop simulation (on the N = 0 requests).
    """

    name: str
    split: Callable[[Dataset, int, bool], Split]
    requests: Callable[[Dataset, Split, tuple[int, ...]], list[Request]]
    methods: Callable[[bool], list[Method]]
    candidates: Callable[[Dataset, Split], int]
    full_only: bool = False
    loop_methods: tuple[str, ...] = ()

    def groups(self, requests: list[Request]) -> dict[str, list[Request]]:
        """Requests by group: one group per onboarding size for user cold-start, a single group otherwise."""
        if self.name != "user_cold":
            return {"": requests}
        return {g: [r for r in requests if r.group == g] for g in dict.fromkeys(r.group for r in requests)}


BLOCKS: tuple[Block, ...] = (
    Block(
        "user_cold", user_cold_split, user_cold_requests,
        lambda quick: [*_ours_and_pull(quick), OursMethod("ours_unread", read_profiles=False), OursMethod("ours_no_text", NO_TEXT),
                       *baselines(), *_ablations(quick)],
        lambda dataset, split: dataset.n_items, loop_methods=("ours", "popularity", "content_knn"),
    ),
    Block(
        "item_cold", item_cold_split, lambda dataset, split, ns: item_cold_requests(dataset, split),
        lambda quick: [OursMethod("ours"), OursMethod("ours_no_text", NO_TEXT), *baselines(), *_ablations(quick)],
        lambda dataset, split: len(split.held_out_items),
    ),
    Block(
        "warm", warm_split, lambda dataset, split, ns: warm_requests(dataset, split),
        lambda quick: [OursMethod("ours"), OursMethod("ours_no_content", NO_CONTENT), PopularityMethod()],
        lambda dataset, split: dataset.n_items, full_only=True,
    ),
)  # fmt: skip


class Collector:
    """Per-user rows of every (block, method), per seed.

    Accuracy metrics pool the users of all seeds (mean and 95% CI); exposure statistics
    (average popularity, coverage, Gini) are computed per seed — each seed has its own
    candidate set and training popularity — and then averaged.
    """

    def __init__(self):
        self.runs: dict[tuple, list[tuple[Outcome, int, dict]]] = {}

    def add(self, key: tuple, outcome: Outcome, n_candidates: int, popularity: dict) -> None:
        self.runs.setdefault(key, []).append((outcome, n_candidates, popularity))

    def summary(self, key: tuple) -> dict:
        runs = self.runs[key]
        pooled = Outcome([row for outcome, _, _ in runs for row in outcome.rows], [])
        out = pooled.summary({}, 1)
        per_seed = [outcome.summary(popularity, n) for outcome, n, popularity in runs]
        for name in ("avg_popularity", "coverage", "gini"):
            values = [s[name] for s in per_seed if name in s]
            if values:
                out[name] = float(np.mean(values))
        return out


def _limit(requests: list, max_users: int | None) -> list:
    if not max_users:
        return requests
    users = sorted({r.user_id for r in requests})[:max_users]
    return [r for r in requests if r.user_id in set(users)]


def run_benchmark(
    dataset: Dataset | None = None,
    quick: bool = False,
    speed: bool = False,
    seeds: Sequence[int] | None = None,
    progress: Progress | None = None,
    validation: bool = False,
    max_users: int | None = None,
    peers: Sequence[str] | None = None,
    command: str | None = None,
    encoder_name: str | None = None,
) -> dict:
    """Run every method on every split; returns the JSON-ready results.

    ``quick``: one seed, N ∈ {0, 5}, no ablations, 60-user feedback loop (a smoke test).
    ``validation``: evaluate on a split carved from the training part (for tuning).
    ``command``: the command line recorded with the results (see :func:`run_record`).
    ``encoder_name``: the text model (:func:`recsys.encoders.make_encoder`; ``$COLDSTART_ENCODER``, else MiniLM).
    """
    say = progress or (lambda message, fraction: None)
    seeds = list(seeds or ([0] if quick else [0, 1, 2]))
    ns = (0, 5) if quick else USER_COLD_N
    loop_users = 60 if quick else None
    dataset = dataset or load_movielens_100k()
    encoder = make_encoder(encoder_name)
    item_text = encoder.encode(dataset.items[C.TEXT].tolist())
    peer_names = list(available_peers() if peers is None else peers)
    folder = cache_root() / "bench" / dataset.fingerprint() / ("validation" if validation else "test")
    collector = Collector()
    loops: dict[str, list[dict]] = {}
    weights: dict[str, list[dict]] = {}
    timings: dict[str, list[float]] = {}
    started = time.perf_counter()
    say("calibration: fitting on the validation splits", 0.0)
    calibration, fitted_pairs = fit_calibration(dataset, encoder, item_text, seeds, ns, max_users)
    reliability: dict[tuple[str, str], tuple[Reliability, Reliability]] = {}
    blocks = [b for b in BLOCKS if not (quick and b.full_only)]
    for s, seed in enumerate(seeds):
        for b, block in enumerate(blocks):
            say(f"seed {seed}: {block.name}", (s * len(blocks) + b) / (len(seeds) * len(blocks)))
            split = block.split(dataset, seed, validation)
            split_path = split.save(folder)
            context = Context(dataset, split, encoder, item_text)
            requests = _limit(block.requests(dataset, split, ns), max_users)
            popularity = popularity_of(context)
            for method in [*block.methods(quick), *(PeerMethod(name, split_path) for name in peer_names)]:
                t0 = time.perf_counter()
                method.fit(context)
                method.prepare(requests)  # a peer fits and answers every request in its own process
                t1 = time.perf_counter()
                for group, members in block.groups(requests).items():
                    observe = None
                    if method.name == "ours":
                        bins = reliability.setdefault((block.name, group), (Reliability(), Reliability()))
                        observe = calibration_observer(bins, calibration, context)
                    outcome = evaluate(method, members, context, observe)
                    collector.add((block.name, group, method.name), outcome, block.candidates(dataset, split), popularity)
                # Our models may come from the artifact cache; their fit time is the recorded training time.
                timings.setdefault(f"fit:{method.name}", []).append(method.fit_seconds(t1 - t0))
                timings.setdefault(f"answer_ms:{method.name}", []).append(1000 * (time.perf_counter() - t1) / max(1, len(requests)))
                if method.name in block.loop_methods:
                    zero = block.groups(requests).get("0", [])[:loop_users]
                    loops.setdefault(method.name, []).append(feedback_loop(method, zero, context))
                if method.name == "ours":
                    for name, mean in method.learned_weights(block.name, block.groups(requests), split).items():
                        weights.setdefault(name, []).append(mean)
    say("summarising", 0.99)
    results = _assemble(
        collector, loops, weights, seeds, quick, validation, peer_names, time.perf_counter() - started, dataset.name, dataset.fingerprint()
    )
    results["run"] = run_record(command, encoder.device)
    results["encoder"] = {"name": encoder.name, "model": encoder.model_id}
    results["calibration"] = calibration_summary(calibration, fitted_pairs, reliability)
    if speed:
        results["speed_ms"] = measure_speed(timings, encoder.name)
    say("done", 1.0)
    return results


def run_record(command: str | None, device: str) -> dict:
    """Where and how a run was made: commit (and whether the tree had changes), time, machine, command."""

    def git(*args: str) -> str:
        try:
            done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return ""
        return done.stdout.strip() if done.returncode == 0 else ""

    return {
        "commit": git("rev-parse", "HEAD") or "unknown",
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "device": device,
            "platform": platform.platform(terse=True),
            "python": platform.python_version(),
        },
        "command": command or "python -m recsys bench",
    }


def fit_calibration(dataset: Dataset, encoder: TextEncoder, item_text: np.ndarray, seeds, ns, max_users) -> tuple[Calibration, int]:
    """Platt scaling fitted on the cold users of each seed's validation split (carved from training; no test user is seen)."""
    scores, labels = [], []
    for seed in seeds:
        split = user_cold_split(dataset, seed, True)
        context = Context(dataset, split, encoder, item_text)
        method = OursMethod("calibration").fit(context)
        for request in _limit(user_cold_requests(dataset, split, ns), max_users):
            s, y = labelled_scores(method.scores(request), request, context)
            scores.append(s)
            labels.append(y)
    s, y = np.concatenate(scores), np.concatenate(labels)
    source = f"Platt scaling fitted on the validation splits' cold users (seeds {list(seeds)}, {len(s):,} user-item pairs)"
    return Calibration.fit(s, y, source=source), len(s)


def calibration_observer(bins: tuple[Reliability, Reliability], calibration: Calibration, context: Context):
    """An ``evaluate`` hook that adds each request's (p, y) pairs to the raw and calibrated reliability diagrams."""
    raw, calibrated = bins

    def observe(request: Request, scores: np.ndarray) -> None:
        s, y = labelled_scores(scores, request, context)
        raw.add(Calibration().probability(s), y)
        calibrated.add(calibration.probability(s), y)

    return observe


def calibration_summary(calibration: Calibration, fitted_pairs: int, reliability: dict) -> dict:
    """The fitted map and, per test split, ECE and the reliability diagram before and after it."""
    splits = {}
    for (block, group), (raw, calibrated) in reliability.items():
        splits[f"{block}_{group}" if group else block] = {
            "n_pairs": raw.n, "ece_raw": raw.ece(), "ece_calibrated": calibrated.ece(),
            "raw": raw.table(), "calibrated": calibrated.table(),
        }  # fmt: skip
    return {"fit": calibration.to_dict() | {"n_pairs": fitted_pairs}, "splits": splits}


def _assemble(
    collector: Collector,
    loops,
    weights,
    seeds,
    quick,
    validation,
    peers,
    seconds,
    dataset_name: str = "ml-100k",
    fingerprint: str | None = None,
) -> dict:
    results: dict = {
        "dataset": dataset_name, "fingerprint": fingerprint, "seeds": seeds, "quick": quick, "validation": validation,
        "date": dt.date.today().isoformat(), "seconds": round(seconds, 1), "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "item_cold": {}, "user_cold": {}, "feedback_loop": {}, "warm_items": {}, "ablation": {}, "fusion_weights": {}, "popularity_pull": {},
        "popularity_axis": {},
        "peers_missing": [p for p in REPORTED_PEERS if p not in peers], "ties": TIES,
    }  # fmt: skip
    for key in collector.runs:
        block, group, method = key
        summary = collector.summary(key)
        if method.startswith("pull:"):
            results["popularity_pull"].setdefault(group, {})[method.removeprefix("pull:")] = summary
            continue
        if method.startswith("axis:"):
            results["popularity_axis"].setdefault(group, {})[method.removeprefix("axis:")] = summary
            continue
        if method.startswith("ablation:"):
            target = results["ablation"].setdefault(f"{block}_{group}" if group else block, {})
            target[method.removeprefix("ablation:")] = summary
            continue
        if block == "user_cold":
            results["user_cold"].setdefault(group, {})[method] = summary
        elif block == "item_cold":
            results["item_cold"][method] = summary
        else:
            results["warm_items"][method] = summary
        if method == "ours" and (block != "user_cold" or group in ("0", "5")) and block != "warm":
            name = f"{block}_{group}" if group else block
            results["ablation"].setdefault(name, {})["text+attributes+collaborative"] = summary
    for group, settings in results["popularity_pull"].items():
        if "ours" in results["user_cold"].get(group, {}):
            settings["1"] = results["user_cold"][group]["ours"]  # the model as trained
    for group, settings in results["popularity_axis"].items():
        if "ours" in results["user_cold"].get(group, {}):
            settings["0"] = results["user_cold"][group]["ours"]
    for method, runs in loops.items():
        # A round no user reached (a tiny catalogue runs out of held-out likes) stays NaN: not measured, not 0.
        results["feedback_loop"][method] = {r: _mean_measured([run[r] for run in runs]) for r in runs[0]}
    for split, runs in weights.items():
        results["fusion_weights"][split] = {m: float(np.mean([run[m] for run in runs])) for m in runs[0]}
    results["targets"] = check_targets(results)
    return results


def _mean_measured(values: list[float]) -> float:
    """The mean of the values that are not NaN; NaN when none is."""
    measured = [v for v in values if not np.isnan(v)]
    return float(np.mean(measured)) if measured else float("nan")


def check_targets(results: dict) -> dict:
    """The issue's quality targets, each with its measured value and whether it is met."""
    out = {}

    def metric(block: dict, method: str) -> float | None:
        return block.get(method, {}).get("recall@20")

    item = results["item_cold"]
    peers = [m for m in item if m in ("lightfm", "implicit_als") or m.startswith("cornac")]
    ours_item = metric(item, "ours")
    if ours_item is not None:
        out["item_cold recall@20 >= 0.36"] = {"value": ours_item, "target": 0.36, "met": ours_item >= 0.36, "kind": "recall"}
        if peers:
            best = max(metric(item, p) for p in peers)
            out["item_cold recall@20 >= 1.2 x best peer"] = {
                "value": ours_item / max(best, 1e-9),
                "target": 1.2,
                "met": ours_item >= 1.2 * best,
                "kind": "ratio",
            }
        knn = metric(item, "content_knn")
        out["item_cold: ours > content_knn"] = {"value": ours_item - knn, "target": 0.0, "met": ours_item > knn, "kind": "difference"}
    five, zero = results["user_cold"].get("5", {}), results["user_cold"].get("0", {})
    if "ours" in five:
        ratio = metric(five, "ours") / max(metric(five, "popularity"), 1e-9)
        out["user_cold N=5 recall@20 >= 1.3 x popularity"] = {"value": ratio, "target": 1.3, "met": ratio >= 1.3, "kind": "ratio"}
        for peer in ("implicit_als", "lightfm"):
            if peer in five:
                out[f"user_cold N=5: ours > {peer}"] = {
                    "value": metric(five, "ours") - metric(five, peer),
                    "target": 0.0,
                    "met": metric(five, "ours") > metric(five, peer),
                    "kind": "difference",
                }
        out["user_cold N=5: ours > content_knn"] = {
            "value": metric(five, "ours") - metric(five, "content_knn"),
            "target": 0.0,
            "met": metric(five, "ours") > metric(five, "content_knn"),
            "kind": "difference",
        }
    if "ours" in zero:
        gap = metric(zero, "ours") - metric(zero, "popularity_demographic")
        out["user_cold N=0: ours >= popularity_demographic"] = {"value": gap, "target": 0.0, "met": gap >= 0, "kind": "difference"}
    warm = results["warm_items"]
    if "ours" in warm and "ours_no_content" in warm:
        drop = 1 - metric(warm, "ours") / max(metric(warm, "ours_no_content"), 1e-9)
        out["warm items: at most 3% below ours_no_content"] = {"value": drop, "target": 0.03, "met": drop <= 0.03, "kind": "drop"}
    out.update(peer_targets(results))
    return out


def _other(method: str) -> bool:
    """A method that is not our model or a reading of it (pull, axis, ablation, unread, no text)."""
    return not method.startswith(("ours", "pull:", "axis:", "ablation:"))


def peer_targets(results: dict) -> dict:
    """The peers issue's targets: ahead of every other method at each point of the warm-up curve and on warm items.

    "Best other" is the best of the baselines and peer libraries at that place; N = 1 and 2 must be above it by
    more than its own 95% half-width.
    """
    out = {}
    warm = results.get("warm_items", {})
    if "ours" in warm and "cornac_bpr" in warm:
        gap = warm["ours"]["recall@20"] - warm["cornac_bpr"]["recall@20"]
        out["warm items: ours >= cornac_bpr"] = {"value": gap, "target": 0.0, "met": gap >= 0, "kind": "difference"}
    for n in ("0", "1", "2"):
        block = results.get("user_cold", {}).get(n, {})
        others = {m: row for m, row in block.items() if _other(m) and "recall@20" in row}
        if "ours" not in block or not others:
            continue
        best = max(others, key=lambda m: others[m]["recall@20"])
        margin = 0.0 if n == "0" else others[best].get("recall@20_ci95", 0.0)
        gap = block["ours"]["recall@20"] - others[best]["recall@20"]
        name = f"user_cold N={n}: ours >= best other ({best})" if n == "0" else f"user_cold N={n}: ours > best other ({best}) + its CI"
        out[name] = {
            "value": gap,
            "target": margin,
            "met": gap >= margin if n == "0" else gap > margin,
            "kind": "difference" if n == "0" else "ci_margin",
        }
    ours_item = results.get("item_cold", {}).get("ours", {}).get("recall@20")
    if ours_item is not None:
        out["item_cold recall@20 >= 0.34 (peers issue)"] = {"value": ours_item, "target": 0.34, "met": ours_item >= 0.34, "kind": "recall"}
    return out


def measure_speed(timings: dict, encoder_name: str | None = None) -> dict:
    """Interactive latencies (app model, with the text model ``encoder_name``), catalogue embedding, training from scratch, and fit times."""
    from recsys.analysis.projection import Projector
    from recsys.explorer import Explorer
    from recsys_bench.speed import measure, summarize

    explorer = Explorer.load(encoder=encoder_name)
    out = {name: numbers for name, numbers in measure(explorer).items()}
    projector = Projector.for_explorer(explorer)
    layout = projector.layout("text", 2)
    users = [explorer.new_user(f"persona number {i} who likes films") for i in range(20)]
    samples = []
    for user in users:
        t0 = time.perf_counter()
        layout.place(user.text_vector[None, :])
        samples.append((time.perf_counter() - t0) * 1000)
    out["place_on_map"] = summarize(samples)
    encoder = explorer.encoder
    texts = [f"{t} [timing run {time.time()}]" for t in explorer.items[C.TEXT]]
    t0 = time.perf_counter()
    encoder.bare_encode(texts)
    out["embed_catalogue_s"] = time.perf_counter() - t0
    from recsys.features import FeatureSpace
    from recsys.training import build_training_data, fit, write_profiles

    dataset = explorer.dataset
    rows = list(range(dataset.n_users))
    profiles = write_profiles(dataset, dataset.ratings, rows, seed=0)
    data = build_training_data(
        dataset, encoder, FeatureSpace.fit(dataset.users, dataset.user_attributes), FeatureSpace.fit(dataset.items, dataset.item_attributes),
        np.asarray(explorer.item_text_vectors), dataset.ratings, profiles, rows, range(dataset.n_items),
        item_input=np.asarray(explorer.item_tower_text),
    )  # fmt: skip
    t0 = time.perf_counter()
    fit(data, TrainConfig())
    out["train_from_scratch_s"] = time.perf_counter() - t0  # the training loop; profile embeddings come from the cache
    # Fit times are cold-cache runs only when the model cache is empty; peers' "fit" includes
    # answering every request in their own process (their per-request time is not separable).
    out["fit_seconds"] = {name.removeprefix("fit:"): float(np.median(v)) for name, v in timings.items() if name.startswith("fit:")}
    out["answer_ms_per_request"] = {
        name.removeprefix("answer_ms:"): float(np.median(v)) for name, v in timings.items() if name.startswith("answer_ms:")
    }
    return out


def print_table(results: dict) -> None:
    """The results as plain-text tables (what docs/benchmark.md quotes)."""

    def block_table(title: str, block: dict) -> None:
        if not block:
            return
        frame = pd.DataFrame(block).T
        cols = [c for c in (*METRICS, "avg_popularity", "coverage", "gini", "n_users") if c in frame]
        print(f"\n{title}")
        print(frame[cols].sort_values("recall@20", ascending=False).to_string(float_format=lambda v: f"{v:.3f}"))

    print(f"\nseeds {results['seeds']} · {results['date']} · {results['seconds']:.0f} s")
    block_table("item cold-start (rank the held-out 20% of items)", results["item_cold"])
    for n, block in sorted(results["user_cold"].items(), key=lambda kv: int(kv[0])):
        block_table(f"user cold-start, N = {n} onboarding positives", block)
    block_table("warm items (random 20% of each user's ratings)", results["warm_items"])
    if results["feedback_loop"]:
        print("\nfeedback loop: NDCG@10 after r rounds")
        print(pd.DataFrame(results["feedback_loop"]).T.to_string(float_format=lambda v: f"{v:.3f}"))
    for split, block in results["ablation"].items():
        block_table(f"fusion ablation, {split}", block)
    if results["fusion_weights"]:
        print("\nlearned fusion weights (mean)")
        print(pd.DataFrame(results["fusion_weights"]).T.to_string(float_format=lambda v: f"{v:.2f}"))
    if results.get("targets"):
        print("\ntargets")
        for name, t in results["targets"].items():
            print(f"  [{'met' if t['met'] else 'MISSED'}] {name}: {t['value']:.3f} (target {t['target']:.3g})")
    if results["peers_missing"]:
        print(f"\npeers not run (create their environments with `make bench-peers`): {', '.join(results['peers_missing'])}")
    if results.get("speed_ms"):
        print("\nspeed")
        for name, value in results["speed_ms"].items():
            print(f"  {name}: {value}")


def results_path() -> Path:
    return Path("bench-results/results.json")
