"""The anatomy of one score: every term of r̂ = μ + b_u + b_i + ⟨e_u, e_i⟩, split every way the dashboard shows."""

from __future__ import annotations

from typing import Protocol

import numpy as np
import pandas as pd

from recsys.model import score_terms
from recsys.preferences import ExplicitLayout
from recsys.states import Explanation, ItemState, UserState


class Scorer(Protocol):
    """What an explanation reads of the engine (:class:`recsys.explorer.Explorer` is one, and calls :func:`explain`)."""

    mu: float  # the global offset μ
    explicit_layout: ExplicitLayout  # where the explicit terms (avoid, era, ...) sit in the full vectors

    def p_like(self, score: np.ndarray | float) -> np.ndarray:
        """The like-probability of a score."""
        ...


def explain(scorer: Scorer, user: UserState, state: ItemState, item_bias_scale: float = 1.0, pop: float = 0.0) -> Explanation:
    """Terms, user-term × item-modality matrix and per-dimension products of one score, from :func:`recsys.model.score_terms`.

    ``item_bias_scale`` scales b_i (and each modality's share of it) as the ranking does; ``pop``
    is the popularity-axis term the ranking added (:func:`recsys.analysis.pull.axis_term`), part of the score.
    """
    e_u, e_i = user.full_vector, state.full_vector
    terms = score_terms(scorer.mu, user, e_i[None, :], np.array([state.bias * item_bias_scale]), scorer.explicit_layout.slices)
    d, width = len(user.vector), len(e_u)

    def padded(vector: np.ndarray, start: int = 0) -> np.ndarray:
        out = np.zeros(width, dtype=np.float32)
        out[start : start + len(vector)] = vector
        return out

    # Each user term's and item modality's share of the full vectors: the cross matrix sums to ⟨e_u, e_i⟩.
    user_vectors = {m: padded(user.alpha[a] * user.h[a]) for a, m in enumerate(user.modalities)} | {"feedback": padded(user.delta_e)}
    for name, coordinates in scorer.explicit_layout.slices.items():
        user_vectors[name] = padded(user.explicit[coordinates], d + coordinates.start)
    item_vectors = {m: padded(state.alpha[b] * state.h[b]) for b, m in enumerate(state.modalities)}
    item_vectors["explicit"] = padded(state.explicit, d)
    cross = pd.DataFrame(
        [[float(u @ i) for i in item_vectors.values()] for u in user_vectors.values()],
        index=list(user_vectors),
        columns=list(item_vectors),
    )
    score = float(terms.score[0]) + pop
    return Explanation(
        mu=terms.mu, b_u=terms.b_u, b_i=float(terms.b_i[0]), dot=float(terms.dot[0]), pop=pop, score=score, p_like=float(scorer.p_like(score)),
        dot_by_user_term={m: float(v[0]) for m, v in terms.dot_by_term.items()},
        dot_by_item_modality={m: float(e_u @ v) for m, v in item_vectors.items()},
        b_u_by_term={m: float(user.alpha[k] * user.beta[k]) for k, m in enumerate(user.modalities)} | {"feedback": float(user.delta_b)},
        b_i_by_modality={m: float(item_bias_scale * state.alpha[k] * state.beta[k]) for k, m in enumerate(state.modalities)},
        cross=cross, per_dimension=e_u * e_i, e_u=e_u, e_i=e_i, user_weights=user.weights, item_weights=state.weights,
    )  # fmt: skip
