"""Which items a sign-up screen asks a new person to rate, one question at a time.

Five strategies, each a :class:`Strategy` choosing the next question from what it knows of the
catalogue (its training ratings) and of the person so far (their current user state, and which
questions they answered or could not):

- ``popular``: the most-rated items first (everyone has seen them, but they tell little apart);
- ``entropy``: the items whose ratings are most spread out (Shannon entropy of the rating values,
  Rashid et al., 2002), which split people but are often obscure;
- ``pop_entropy``: log(ratings) × entropy, Rashid et al.'s balance of the two;
- ``coverage``: greedy farthest-point coverage of the item embedding space among the well-known
  items (cosine distance of the fused item vectors), so the questions span the catalogue;
- ``expected_change``: adaptive, the item whose answer is expected to move e_u most. One step of
  the online update moves e_u by (y − p) e_i, so the expected move of an item seen with probability
  s (its share of raters) and liked with probability p = σ(r̂) is s · 2p(1 − p) · ‖e_i‖.

An answer is ``like``, ``dislike`` or ``unseen`` (the person has not seen the item): the flow then
asks the next question without an update. :func:`ask` runs one person through a strategy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from recsys import columns as C
from recsys.online import sigmoid

#: The strategies, in the order pages and tables show them, with what each is called there.
LABELS = {
    "popular": "most popular",
    "entropy": "most polarising (entropy)",
    "pop_entropy": "log popularity × entropy",
    "coverage": "embedding coverage",
    "expected_change": "largest expected change of e_u",
}
STRATEGIES = tuple(LABELS)
#: The questions ``coverage`` and ``expected_change`` choose among: items at least this many training users rated
#: (a question almost nobody can answer is wasted), and at most this many of the most-rated ones.
MIN_RATERS = 10
POOL = 300
ANSWERS = ("like", "dislike", "unseen")


@dataclass(frozen=True)
class CatalogueStats:
    """What the strategies know of the catalogue: per item row, how many training users rated it and the
    entropy (bits) of their rating values, the number of training users, and the fused item vectors."""

    ids: np.ndarray
    raters: np.ndarray
    entropy: np.ndarray
    n_users: int
    vectors: np.ndarray

    @classmethod
    def of(cls, explorer: Any, ratings: pd.DataFrame | None = None) -> CatalogueStats:
        """From ``explorer``'s catalogue and ``ratings`` (default: the ratings it was trained on)."""
        dataset = explorer.dataset
        ratings = dataset.ratings if ratings is None else ratings
        if dataset.unrated:  # "interacted, not rated": no rating value to spread
            ratings = ratings[~ratings[C.RATING].isin(dataset.unrated)]
        rows = dataset.item_ids.indices(ratings[C.ITEM])
        raters = np.bincount(rows, minlength=dataset.n_items).astype(np.float64)
        entropy = np.zeros(dataset.n_items)
        frame = pd.DataFrame({"row": rows, "value": ratings[C.RATING].to_numpy()})
        for row, values in frame.groupby("row")["value"]:
            shares = values.value_counts(normalize=True).to_numpy()
            entropy[row] = float(-(shares * np.log2(shares)).sum())
        return cls(
            ids=np.asarray(explorer.items[C.ITEM]), raters=raters, entropy=entropy, n_users=max(1, ratings[C.USER].nunique()),
            vectors=np.asarray(explorer.item_vectors, dtype=np.float64),
        )  # fmt: skip

    def pool(self, done: set) -> np.ndarray:
        """Rows not yet asked (``done``: item ids) that coverage and expected change choose among: the
        :data:`POOL` most-rated items with at least :data:`MIN_RATERS` ratings, then, once those are all
        asked, the rest in order of ratings (a small catalogue runs out of well-known items)."""
        order = np.argsort(-self.raters, kind="stable")
        free = order[~np.isin(self.ids[order], list(done))]
        known = free[self.raters[free] >= MIN_RATERS][:POOL]
        return known if len(known) else free

    @cached_property
    def norms(self) -> np.ndarray:
        """‖e_i‖ of every item."""
        return np.linalg.norm(self.vectors, axis=1)

    @cached_property
    def unit(self) -> np.ndarray:
        """The item vectors scaled to length 1 (directions, for coverage's cosine distances)."""
        return self.vectors / np.maximum(self.norms, 1e-12)[:, None]


@dataclass
class Asked:
    """A person's onboarding so far: each question's item id and answer, in order."""

    answers: list[tuple[Any, str]] = field(default_factory=list)

    @property
    def items(self) -> set:
        return {item for item, _ in self.answers}


class Strategy:
    """Chooses the next question: ``next(stats, asked, scores)`` returns a catalogue row; ``scores()`` gives the
    person's current score of every item (called only by adaptive strategies)."""

    name = "strategy"
    #: Whether the questions depend on the person (their scores): the others ask everyone the same ones.
    reads_the_person = False

    def next(self, stats: CatalogueStats, asked: Asked, scores: Callable[[], np.ndarray]) -> int:
        raise NotImplementedError


class RankedStrategy(Strategy):
    """A fixed order of the catalogue, highest ``key`` first (ties: most rated first); asked items skipped."""

    def key(self, stats: CatalogueStats) -> np.ndarray:
        raise NotImplementedError

    def order(self, stats: CatalogueStats) -> np.ndarray:
        return np.lexsort((-stats.raters, -self.key(stats)))

    def next(self, stats: CatalogueStats, asked: Asked, scores: Callable[[], np.ndarray]) -> int:
        done = asked.items
        return int(next(r for r in self.order(stats) if stats.ids[r] not in done))


class Popular(RankedStrategy):
    name = "popular"

    def key(self, stats: CatalogueStats) -> np.ndarray:
        return stats.raters


class Entropy(RankedStrategy):
    name = "entropy"

    def key(self, stats: CatalogueStats) -> np.ndarray:
        return stats.entropy


class PopEntropy(RankedStrategy):
    name = "pop_entropy"

    def key(self, stats: CatalogueStats) -> np.ndarray:
        return np.log(stats.raters + 1.0) * stats.entropy


class Coverage(Strategy):
    """Farthest-point sampling over the pool's item vectors: first the most-rated, then each time the item farthest
    (cosine distance) from every item asked so far."""

    name = "coverage"

    def next(self, stats: CatalogueStats, asked: Asked, scores: Callable[[], np.ndarray]) -> int:
        free = stats.pool(asked.items)
        chosen = np.flatnonzero(np.isin(stats.ids, list(asked.items)))
        if not len(chosen):
            return int(free[0])
        nearest = (1.0 - stats.unit[free] @ stats.unit[chosen].T).min(axis=1)
        return int(free[int(np.argmax(nearest))])


class ExpectedChange(Strategy):
    """The pool item maximising s_i · 2 p_i (1 − p_i) · ‖e_i‖ for the person's current scores (see the module)."""

    name = "expected_change"
    reads_the_person = True

    def next(self, stats: CatalogueStats, asked: Asked, scores: Callable[[], np.ndarray]) -> int:
        free = stats.pool(asked.items)
        p = sigmoid(np.asarray(scores(), dtype=np.float64)[free])
        seen = stats.raters[free] / stats.n_users
        move = seen * 2.0 * p * (1.0 - p) * stats.norms[free]
        return int(free[int(np.argmax(move))])


def make(name: str) -> Strategy:
    """A strategy by name (one of :data:`STRATEGIES`)."""
    kinds = {s.name: s for s in (Popular, Entropy, PopEntropy, Coverage, ExpectedChange)}
    if name not in kinds:
        raise ValueError(f"unknown onboarding strategy {name!r}; known: {', '.join(STRATEGIES)}")
    return kinds[name]()


def ask(
    explorer: Any, user: Any, strategy: Strategy, answer: Callable[[Any], str], budget: int, stats: CatalogueStats,
    after: Callable[[int, Any, Asked], None] | None = None,
) -> tuple[Any, Asked]:  # fmt: skip
    """Run one person through ``budget`` questions of ``strategy``.

    ``answer(item_id)`` is the person: ``like``, ``dislike`` or ``unseen``. A like or dislike runs the online
    update (:meth:`recsys.explorer.Explorer.feedback`); ``unseen`` moves on. ``after(n, user, asked)`` is called
    before the first question (n = 0) and after each. Returns the final user state and the answers.
    """
    asked = Asked()
    if after is not None:
        after(0, user, asked)
    for n in range(1, budget + 1):
        row = strategy.next(stats, asked, lambda now=user: explorer.score_terms(now).score)
        item = stats.ids[row]
        reply = answer(item)
        if reply not in ANSWERS:
            raise ValueError(f"an onboarding answer is one of {', '.join(ANSWERS)}, got {reply!r}")
        asked.answers.append((item, reply))
        if reply != "unseen":
            user = explorer.feedback(user, item, reply == "like")
        if after is not None:
            after(n, user, asked)
    return user, asked


def questions(
    explorer: Any, user: Any, strategy: Strategy, stats: CatalogueStats, n: int, answer: Callable[[Any], str] | None = None
) -> list:
    """The first ``n`` questions ``strategy`` would ask ``user``, each answered by ``answer(item_id)`` (default:
    "haven't seen it", so an adaptive strategy shows what it asks before it learns anything)."""
    _, asked = ask(explorer, user, strategy, answer or (lambda item: "unseen"), n, stats)
    return [item for item, _ in asked.answers]
