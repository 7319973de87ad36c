"""The evaluator: ranks the full candidate set for each request (no sampled negatives) and scores the lists."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from recsys import columns as C
from recsys import ranking
from recsys.explorer import Explorer
from recsys.reading import Reading
from recsys.training import TrainConfig
from recsys_bench.baselines import Context, Method
from recsys_bench.metrics import genre_diversity, gini, intra_list_diversity, mean_ci, ndcg_at, novelty, ranking_metrics
from recsys_bench.splits import Request

METRICS = ("recall@20", "ndcg@20", "hr@10", "ndcg@10", "precision@20", "f1@20")
#: Beyond-accuracy measures of each list (mean and CI over users, like the accuracy metrics).
LIST_MEASURES = ("diversity_text", "diversity_genre", "novelty")
FEEDBACK_ROUNDS = (0, 1, 3, 5, 10)


class OursMethod(Method):
    """The fusion model, trained on the split's training interactions (optionally ablated)."""

    def __init__(
        self,
        name: str = "ours",
        config: TrainConfig = TrainConfig(),
        read_profiles: bool = True,
        reading_without: tuple[str, ...] = (),
        item_bias_scale: float = 1.0,
        same_model_as: OursMethod | None = None,
        axis_strength: float = 0.0,
    ):
        self.name = name
        self.config = config
        # False: the profile text is embedded as typed, with no reading (exclusions, titles, eras).
        self.read_profiles = read_profiles
        # Chip kinds taken out of each reading ("era": the era term off), to measure what one part of the reading costs.
        self.reading_without = reading_without
        # The popularity-pull control: b_i scaled before it enters the score (Explorer.score_terms).
        self.item_bias_scale = item_bias_scale
        # The popularity-axis control: that share of ⟨e_u, e_i⟩ along the items' popularity direction removed.
        self.axis_strength = axis_strength
        # A variant that only changes how the trained model is read shares that method's model (fitted first).
        self.same_model_as = same_model_as

    def fit(self, context: Context) -> Method:
        super().fit(context)
        if self.same_model_as is not None:
            self.explorer = self.same_model_as.explorer
            return self
        dataset, split = context.dataset, context.split
        held = set(split.held_out_items)
        items = [r for r in range(dataset.n_items) if dataset.item_ids.external(r) not in held]
        self.explorer = Explorer.train(dataset, context.encoder, ratings=split.train, items=items, config=self.config)
        return self

    def start_session(self, request: Request):
        if request.warm:
            return self.explorer.user(request.user_id)
        reading = None if self.read_profiles else Reading()
        if self.read_profiles and self.reading_without:
            reading = self.explorer.read(request.profile)
            for kind in self.reading_without:
                reading = reading.without(kind)
        return self.explorer.new_user(request.profile, request.demographics, liked=request.onboarding, reading=reading)

    def session_scores(self, session) -> np.ndarray:
        return self.explorer.score_terms(session, item_bias_scale=self.item_bias_scale, axis_strength=self.axis_strength).score

    def scores(self, request: Request) -> np.ndarray:
        return self.session_scores(self.start_session(request))

    def observe(self, session, item_id: int, liked: bool):
        return self.explorer.feedback(session, item_id, liked)

    def fit_seconds(self, measured: float) -> float:
        """The recorded training time (the model may have come from the artifact cache, or be shared)."""
        return 0.0 if self.same_model_as is not None else float(self.explorer.info.get("train_seconds", measured))

    def learned_weights(self, block: str, groups: dict[str, list[Request]], split) -> dict[str, dict[str, float]]:
        """Mean fusion weights to report for a block: cold users at N = 0 and 5, or the held-out items."""
        if block == "user_cold":
            return {f"user_cold_{n}": self.mean_weights(groups[str(n)]) for n in (0, 5) if groups.get(str(n))}
        if block == "item_cold":
            cold = [self.explorer.item(i).weights for i in split.held_out_items]
            return {"item_cold (held-out items)": {m: float(np.mean([w[m] for w in cold])) for m in cold[0]}} if cold else {}
        return {}

    def mean_weights(self, requests: Sequence[Request]) -> dict[str, float]:
        """Average learned fusion weights of the users behind ``requests``."""
        weights = [self.start_session(r).weights for r in requests]
        return {m: float(np.mean([w[m] for w in weights])) for m in weights[0]} if weights else {}


def top_k(scores: np.ndarray, request: Request, context: Context, k: int = 20) -> list:
    """Best ``k`` item ids among the request's candidates, excluding what it excludes; equal scores in the split's
    random order (:attr:`Context.tie_break`)."""
    ids = context.dataset.item_ids
    masked = np.full(len(scores), -np.inf)
    if request.candidates is None:
        masked[:] = scores
    else:
        rows = ids.indices(request.candidates)
        masked[rows] = scores[rows]
    if request.exclude:
        masked[ids.indices(request.exclude)] = -np.inf
    return [ids.external(r) for r in ranking.top_k(masked, k, tie_break=context.tie_break)]


@dataclass
class Outcome:
    """Per-request metrics and the lists shown, for one method on one group of requests."""

    rows: list[dict] = field(default_factory=list)
    lists: list[list] = field(default_factory=list)

    def summary(self, popularity: dict, n_candidates: int) -> dict[str, float]:
        out: dict[str, float] = {"n_users": len(self.rows)}
        for metric in (*METRICS, *LIST_MEASURES):
            values = [r[metric] for r in self.rows if metric in r]
            if values:
                mean, half = mean_ci(values)
                out[metric], out[f"{metric}_ci95"] = mean, half
        shown = [item for lst in self.lists for item in lst]
        if shown:
            counts: dict = {}
            for item in shown:
                counts[item] = counts.get(item, 0) + 1
            out["avg_popularity"] = float(np.mean([popularity.get(i, 0) for i in shown]))
            out["coverage"] = len(counts) / max(1, n_candidates)
            out["gini"] = gini(list(counts.values()) + [0] * max(0, n_candidates - len(counts)))
        return out


def list_measures(ranked: Sequence, context: Context, counts: dict) -> dict[str, float]:
    """Intra-list diversity (text embeddings and genres) and novelty of one recommended list."""
    rows = context.dataset.item_ids.indices(list(ranked))
    genres = context.dataset.items[C.GENRES].to_numpy()
    n_users = context.split.train[C.USER].nunique()
    return {
        "diversity_text": intra_list_diversity(np.asarray(context.item_text)[rows]),
        "diversity_genre": genre_diversity([set(genres[r]) for r in rows]),
        "novelty": novelty([counts.get(i, 0) for i in ranked], n_users),
    }


def labelled_scores(scores: np.ndarray, request: Request, context: Context) -> tuple[np.ndarray, np.ndarray]:
    """The request's candidate scores (excluded items left out) and whether each is a held-out positive (1) or not (0)."""
    ids = context.dataset.item_ids
    rows = np.arange(len(scores)) if request.candidates is None else ids.indices(request.candidates)
    if request.exclude:
        rows = np.setdiff1d(rows, ids.indices(request.exclude))
    truth = np.zeros(len(scores), dtype=np.float64)
    if request.truth:
        truth[ids.indices(request.truth)] = 1.0
    return scores[rows], truth[rows]


def evaluate(
    method: Method, requests: Sequence[Request], context: Context, observe: Callable[[Request, np.ndarray], None] | None = None
) -> Outcome:
    """Rank and score every request; ``observe`` also receives each request's full score vector (calibration)."""
    outcome = Outcome()
    counts = context.split.train[C.ITEM].value_counts().to_dict()
    for request in requests:
        scores = method.scores(request)
        if observe is not None:
            observe(request, scores)
        ranked = top_k(scores, request, context)
        outcome.rows.append(ranking_metrics(ranked, set(request.truth)) | list_measures(ranked, context, counts))
        outcome.lists.append(ranked)
    return outcome


def feedback_loop(
    method: Method, requests: Sequence[Request], context: Context, rounds: Sequence[int] = FEEDBACK_ROUNDS
) -> dict[str, float]:
    """Show 10, reveal which the user liked, update, repeat (never re-showing); NDCG@10 per round.

    NDCG@10 after r rounds is measured on the next list of 10 against the positives not yet shown.
    """
    results: dict[int, list[float]] = {r: [] for r in rounds}
    for request in requests:
        truth = set(request.truth)
        session = method.start_session(request)
        shown: list = list(request.exclude)
        for round_number in range(max(rounds) + 1):
            probe = Request(**{**request.to_json(), "exclude": tuple(shown)})
            ranked = top_k(method.session_scores(session), probe, context, k=10)
            remaining = truth - set(shown)
            if round_number in results and remaining:
                results[round_number].append(ndcg_at(ranked, remaining, 10))
            for item in ranked:
                session = method.observe(session, item, item in truth)
            shown += ranked
    return {str(r): float(np.mean(v)) if v else float("nan") for r, v in results.items()}


def popularity_of(context: Context) -> dict:
    counts = context.dataset.positives(context.split.train)[C.ITEM].value_counts()
    return counts.to_dict()
