"""The onboarding simulation: how fast each question strategy (:mod:`recsys.onboarding`) helps a new person.

On the user-cold split (20% of users held out entirely; the model is trained on the rest), each
held-out user starts as the benchmark's N = 0 request does (demographics and the profile text
written from them) and is asked 0…``budget`` questions by each strategy. An :class:`Oracle`
answers from the user's held-out ratings — like when the rating counts as positive, dislike
otherwise, "haven't seen it" when there is none — and reveals nothing it was not asked. After
each answer the online update runs, and recall@20 / NDCG@10 are measured on the user's positives
that the strategy never asked about (the same truth at every budget of one strategy).

``python -m recsys bench --onboarding [--data FOLDER] --json bench-results/onboarding.json``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from recsys import columns as C
from recsys.data import Dataset
from recsys.encoders import make_encoder
from recsys.explorer import Explorer
from recsys.onboarding import LABELS, STRATEGIES, Asked, CatalogueStats, ask, make
from recsys.ranking import top_k
from recsys_bench.benchmark import run_record
from recsys_bench.metrics import mean_ci, ndcg_at, recall_at
from recsys_bench.splits import user_cold_requests, user_cold_split

BUDGET = 10
SEEDS = (0, 1, 2)
#: Held-out users simulated at most (a seeded sample when there are more): all of MovieLens-100k's 189.
MAX_USERS = 500
METRICS = ("recall@20", "ndcg@10")


class Oracle:
    """One held-out person: answers a question about an item from their ratings, and only when asked.

    ``liked`` are the items they rated as positive, ``disliked`` the others they gave a rating value; any
    other item (not rated, or an interaction without a rating) is "haven't seen it". ``asked`` records
    every question in order; nothing else of the ratings is readable from outside.
    """

    def __init__(self, liked: Sequence, disliked: Sequence):
        self._liked, self._disliked = frozenset(liked), frozenset(disliked)
        self.asked: list = []

    def __call__(self, item_id: Any) -> str:
        self.asked.append(item_id)
        return "like" if item_id in self._liked else "dislike" if item_id in self._disliked else "unseen"


def held_out_people(dataset: Dataset, seed: int, max_users: int) -> tuple[Any, list]:
    """The user-cold split of ``seed`` and its N = 0 requests (at most ``max_users``, a seeded sample)."""
    split = user_cold_split(dataset, seed)
    requests = user_cold_requests(dataset, split, ns=(0,))
    if len(requests) > max_users:
        keep = np.random.default_rng([seed, 17]).choice(len(requests), max_users, replace=False)
        requests = [requests[i] for i in sorted(keep)]
    return split, requests


def simulate(
    explorer: Explorer, dataset: Dataset, split: Any, requests: Sequence, strategies: Sequence[str] = STRATEGIES,
    budget: int = BUDGET, progress: Callable[[str, float], None] | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    """Every held-out person's questions, answers and metrics after 0…``budget`` questions of each strategy
    (people with nothing left to find are left out; :func:`summarise` averages them).

    Every strategy is measured on the same truth for one person: their positives that no strategy asked
    about (asking about a liked item removes an easy hit, which would favour the strategies asking least), and
    every list hides every item any strategy asked (hiding only its own answered items would free slots for the
    strategies answered most often).
    """
    stats = CatalogueStats.of(explorer, split.train)
    test = split.test.groupby(C.USER)
    chosen = [make(name) for name in strategies]
    people: list[dict[str, Any]] = []
    for u, request in enumerate(requests):
        if progress is not None:
            progress(f"person {u + 1:,} of {len(requests):,}", u / max(1, len(requests)))
        mine = test.get_group(request.user_id)
        liked = set(dataset.positives(mine)[C.ITEM])
        rated = mine[~mine[C.RATING].isin(dataset.unrated)] if dataset.unrated else mine
        start = explorer.new_user(request.profile, request.demographics)
        runs = {}
        for strategy in chosen:
            oracle = Oracle(liked, set(rated[C.ITEM]) - liked)
            states: list[tuple[np.ndarray, np.ndarray]] = []

            def keep(n: int, user: Any, asked: Asked, states: list = states) -> None:
                states.append((np.asarray(explorer.score_terms(user).score, dtype=np.float64), explorer.hidden_rows(user)))

            _, asked = ask(explorer, start, strategy, oracle, budget, stats, after=keep)
            runs[strategy.name] = (asked, states)
        # Every list hides what any strategy asked, as the truth leaves it out: a strategy whose questions were answered
        # more often must not gain free slots from hiding its own answered items.
        everything_asked = set().union(*(asked.items for asked, _ in runs.values()))
        truth = set(request.truth) - everything_asked
        if not truth:
            continue
        asked_rows = np.flatnonzero(np.isin(stats.ids, list(everything_asked)))
        runs = {name: (asked, [stats.ids[top_k(scores, 20, np.union1d(hidden, asked_rows))].tolist() for scores, hidden in states])
                for name, (asked, states) in runs.items()}  # fmt: skip
        person: dict[str, Any] = {"user": int(request.user_id), "truth": len(truth)}
        for name, (asked, lists) in runs.items():
            person[name] = {
                "asked": [plain(i) for i, _ in asked.answers], "answers": [a for _, a in asked.answers], "shown": lists,
                "recall@20": [recall_at(shown, truth, 20) for shown in lists], "ndcg@10": [ndcg_at(shown, truth, 10) for shown in lists],
            }  # fmt: skip
        people.append(person)
    return people


def summarise(people: Sequence[dict[str, Any]], strategies: Sequence[str], budget: int) -> dict[str, Any]:
    """Per strategy, the mean and 95% interval of each metric after 0…``budget`` questions, and the share of
    its questions people could answer (had seen the item)."""
    out: dict[str, Any] = {}
    for name in strategies:
        summary: dict[str, Any] = {"label": LABELS[name], "n_users": len(people)}
        for m in METRICS:
            pairs = [mean_ci([p[name][m][n] for p in people]) for n in range(budget + 1)] if people else []
            summary[m] = [p[0] for p in pairs]
            summary[f"{m}_ci95"] = [p[1] for p in pairs]
        summary["answered"] = [
            float(np.mean([p[name]["answers"][n] != "unseen" for p in people])) if people else 0.0 for n in range(budget)
        ]
        out[name] = summary
    return out


def plain(value: Any) -> Any:
    """An item id as JSON writes it."""
    return value.item() if isinstance(value, np.generic) else value


def winners(people: Sequence[dict[str, Any]], strategies: Sequence[str], budget: int, metric: str = "recall@20") -> list[dict[str, Any]]:
    """At each number of questions, the strategy with the best mean, and those not distinguishable from it: the
    95% interval of their per-person difference from it (the same people, paired) reaches 0."""
    out = []
    for n in range(budget + 1):
        means = {s: float(np.mean([p[s][metric][n] for p in people])) for s in strategies}
        best = max(strategies, key=lambda s: means[s])
        tied = []
        for other in strategies:
            if other == best:
                continue
            gap, half = mean_ci([p[best][metric][n] - p[other][metric][n] for p in people])
            if gap - half <= 0:
                tied.append(other)
        out.append({"questions": n, "best": best, "value": means[best], "tied": tied})
    return out


def run(
    dataset: Dataset, seeds: Sequence[int] = SEEDS, budget: int = BUDGET, max_users: int = MAX_USERS, encoder_name: str | None = None,
    progress: Callable[[str, float], None] | None = None, command: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The whole simulation on one catalogue: for each seed, trains (or loads) its user-cold model and
    :func:`simulate`\ s its held-out people; the people of every seed are pooled."""
    began = time.perf_counter()
    encoder = make_encoder(encoder_name)
    people: list[dict[str, Any]] = []
    for s, seed in enumerate(seeds):
        split, requests = held_out_people(dataset, seed, max_users)
        step = (lambda text, share, s=s, seed=seed: progress(f"seed {seed}: {text}", (s + share) / len(seeds))) if progress else None
        if step is not None:
            step("training (or loading) the model without the held-out users", 0.0)
        explorer = Explorer.train(dataset, encoder, ratings=split.train)
        people += [dict(person, seed=seed) for person in simulate(explorer, dataset, split, requests, budget=budget, progress=step)]
    return {
        "dataset": dataset.name, "fingerprint": dataset.fingerprint(), "seeds": list(seeds), "budget": budget, "users": len(people), "date": dt.date.today().isoformat(),
        "seconds": round(time.perf_counter() - began, 1), "run": run_record(command, encoder.device),
        "strategies": summarise(people, STRATEGIES, budget), "winners": winners(people, STRATEGIES, budget),
    }  # fmt: skip


def print_onboarding(results: dict[str, Any]) -> None:
    """The recall@20 table: one row per strategy, one column per number of questions, and the winner at each."""
    strategies = results["strategies"]
    budget = results["budget"]
    seeds = ", ".join(map(str, results["seeds"]))
    print(f"onboarding on {results['dataset']}: {results['users']} held-out users (seeds {seeds}), {results['seconds']} s")
    print("strategy".ljust(34) + "".join(f"{n:>7}" for n in range(budget + 1)) + "   seen")
    for row in strategies.values():
        print(row["label"].ljust(34) + "".join(f"{v:7.3f}" for v in row["recall@20"]) + f"{np.mean(row['answered']):7.0%}")
    print(
        "best (* = ahead of every other)".ljust(34)
        + "".join(f"{w['best'][:5] + ('*' if not w['tied'] else ' '):>7}" for w in results["winners"])
    )


def markdown_table(results: dict[str, Any], metric: str = "recall@20") -> str:
    """The README's table of one run: a row per strategy, a column per number of questions, the best in bold."""
    budget = results["budget"]
    best = {w["questions"]: w["best"] for w in results["winners"]}
    lines = ["| strategy | " + " | ".join(str(n) for n in range(budget + 1)) + " | answered |", "| --- |" + " ---: |" * (budget + 2)]
    for name, row in results["strategies"].items():
        cells = [f"**{v:.3f}**" if best.get(n) == name and n else f"{v:.3f}" for n, v in enumerate(row[metric])]
        lines.append(f"| {row['label']} | " + " | ".join(cells) + f" | {np.mean(row['answered']):.0%} |")
    return "\n".join(lines)
