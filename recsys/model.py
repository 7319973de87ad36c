r"""The scoring model: biased dot product over multimodal, fused user and item vectors.

For user :math:`u` and item :math:`i`

.. math::

    \hat r(u,i) = \mu + b_u + b_i + \langle e_u, e_i \rangle ,

where each side is fused from its modalities :math:`m` (users: profile ``text``,
``demo``\ graphics, onboarding ``history``, collaborative ``id``; items: ``text``,
``attr``\ ibutes, collaborative ``id``):

.. math::

    e = \sum_m \alpha_m h_m, \qquad b = \sum_m \alpha_m \beta_m, \qquad
    \alpha = \operatorname{softmax}_{m \in \text{available}}(g + G x_\text{text}).

:math:`h_m \in \mathbb R^d` is modality *m* projected into the shared space and
:math:`\beta_m` its scalar bias head. The fusion weights :math:`\alpha` are a softmax over
the modalities the entity *has* (a global logit :math:`g_m` plus a per-entity gate read
from its text), so a cold user without an ``id`` part is a convex combination of what is
known about it — never a vector with silent zeros. Because the fusion is linear,
:math:`\langle e_u, e_i\rangle = \sum_m \alpha_m \langle h^u_m, e_i\rangle`, the
per-modality split the dashboard shows. :math:`\hat r` is a logit: :math:`\sigma(\hat r)`
is the model's probability that *u* rates *i* 4 or 5 stars.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from recsys.modalities import EXPLICIT_NAMES, FEEDBACK, ITEM_NAMES, USER_NAMES


def predict(mu: Any, b_u: Any, b_i: Any, e_u: Any, e_i: Any) -> Any:
    r"""The scoring formula, written once: :math:`\hat r(u,i) = \mu + b_u + b_i + \langle e_u, e_i\rangle`.

    Every score in the project — ranking, explanation, audience, attribution, training and
    the online update — is computed here. Works on numpy arrays and torch tensors alike.

    Args:
        mu: the global offset (scalar).
        b_u: user bias: a scalar for one user, or shape (n_u,).
        b_i: item biases, shape (n_i,).
        e_u: user vector(s): (d,) for one user, or (n_u, d).
        e_i: item vectors, (n_i, d).

    Returns:
        (n_i,) scores for one user, or (n_u, n_i) for many.

    Example:
        >>> float(predict(0.0, 0.2, np.array([0.1]), np.array([0.1, 0.2, 0.3, 0.4, 0.5]),
        ...               np.array([[0.1, 0.3, 0.5, 0.7, 0.9]]))[0])  # 0 + 0.2 + 0.1 + 0.95
        1.25
    """
    if e_u.ndim == 1:
        return mu + b_u + b_i + e_i @ e_u
    return mu + b_u[:, None] + b_i[None, :] + e_u @ e_i.T


@dataclass(frozen=True)
class ScoreTerms:
    """Every term of :func:`predict` for one user against many items, and the dot product by user term.

    ``dot_by_term[m]`` is :math:`\alpha_m \langle h_m, e_i\rangle` for each fused user modality
    and :math:`\langle \delta_e, e_i\rangle` for ``feedback``; they sum to ``dot``. ``pop`` is the
    popularity-axis term a ranking may add (:func:`recsys.analysis.pull.axis_term`; ``None`` when
    none is added); ``score`` includes it.
    """

    mu: float
    b_u: float
    b_i: np.ndarray
    dot: np.ndarray
    dot_by_term: dict[str, np.ndarray]
    score: np.ndarray
    pop: np.ndarray | None = None


def _vectors(user: Any, item_vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The user's and the items' vectors the score multiplies: with the explicit coordinates when both have them."""
    d = user.h.shape[1]
    if user.explicit.size and item_vectors.shape[1] > d:
        return user.full_vector, item_vectors
    return user.vector, item_vectors[:, :d]


def scores(mu: float, user: Any, item_vectors: np.ndarray, item_bias: np.ndarray) -> np.ndarray:
    """One user's r̂ against every given item, whole: one inner product per item over
    :math:`[e_i, x_i]` plus the biases — what ranking needs. :func:`score_terms` splits the same
    number into its terms, for the rows that are shown."""
    e_u, e_i = _vectors(user, item_vectors)
    return predict(mu, user.bias, item_bias, e_u, e_i)


def score_terms(
    mu: float, user: Any, item_vectors: np.ndarray, item_bias: np.ndarray, explicit: Mapping[str, slice] | None = None
) -> ScoreTerms:
    r"""The terms of one user's scores (a :class:`recsys.states.UserState`) against the given items.

    ``item_vectors`` are the items' full vectors: the d fused coordinates, then any explicit
    coordinates (:mod:`recsys.preferences`), whose terms ``explicit`` names by slice (counted
    after the fused part). The dot product splits exactly because the fusion is linear:
    :math:`\langle e_u, e_i\rangle = \sum_m \alpha_m \langle h_m, e_i\rangle + \langle \delta_e, e_i\rangle
    + \sum_t \langle w_t, x_{i,t}\rangle`.
    """
    d = user.h.shape[1]
    fused = item_vectors[:, :d]
    by_term = {m: user.alpha[k] * (fused @ user.h[k]) for k, m in enumerate(user.modalities)}
    by_term[FEEDBACK.name] = fused @ user.delta_e
    if user.explicit.size and item_vectors.shape[1] > d:
        for name, coordinates in (explicit or {}).items():
            by_term[name] = item_vectors[:, d:][:, coordinates] @ user.explicit[coordinates]
    e_u, e_i = _vectors(user, item_vectors)
    for name in EXPLICIT_NAMES:
        by_term.setdefault(name, np.zeros(len(item_vectors), dtype=np.float32))
    score = predict(mu, user.bias, item_bias, e_u, e_i)
    return ScoreTerms(float(mu), float(user.bias), item_bias, e_i @ e_u, by_term, score)


@dataclass
class Parts:
    """Per-modality pieces of a batch of entities: ``h`` (n, M, d), ``beta`` (n, M), ``alpha`` (n, M)."""

    h: torch.Tensor
    beta: torch.Tensor
    alpha: torch.Tensor

    @property
    def vector(self) -> torch.Tensor:
        """Fused vectors :math:`e = \\sum_m \\alpha_m h_m`, shape (n, d)."""
        return torch.einsum("nm,nmd->nd", self.alpha, self.h)

    @property
    def bias(self) -> torch.Tensor:
        """Fused biases :math:`b = \\sum_m \\alpha_m \\beta_m`, shape (n,)."""
        return (self.alpha * self.beta).sum(dim=1)


class Tower(nn.Module):
    """Projects one side's modalities into the shared d-dimensional space and fuses them.

    Args:
        modalities: modality names in a fixed order.
        text_dim: width of the language-model embedding.
        attr_dim: width of the attribute (or demographics) indicator vector.
        n_ids: number of collaborative ID rows.
        dim: the shared dimension d.
        text_hidden: hidden width of the text adapter (0 = linear).
    """

    def __init__(self, modalities: tuple[str, ...], text_dim: int, attr_dim: int, n_ids: int, dim: int, text_hidden: int):
        super().__init__()
        self.modalities = modalities
        self.dim = dim
        if text_hidden:
            self.text = nn.Sequential(nn.Linear(text_dim, text_hidden), nn.GELU(), nn.Linear(text_hidden, dim))
        else:
            self.text = nn.Linear(text_dim, dim)
        self.text_bias = nn.Linear(text_dim, 1)
        self.attr = nn.Linear(max(attr_dim, 1), dim)
        self.attr_bias = nn.Linear(max(attr_dim, 1), 1)
        self.id = nn.Embedding(max(n_ids, 1), dim)
        self.id_bias = nn.Embedding(max(n_ids, 1), 1)
        nn.init.normal_(self.id.weight, std=0.05)
        nn.init.zeros_(self.id_bias.weight)
        if "history" in modalities:
            # Users' text also reads the catalogue: attention from the profile's embedding
            # to the items' text embeddings, returning those items' fused vectors. Any
            # phrasing close to some items' descriptions lands near those items. A large
            # catalogue is read through a fixed set of anchor items (recsys.training.anchor_rows).
            self.log_tau = nn.Parameter(torch.tensor(-3.0))
            self.readout = nn.Linear(dim, dim)
            with torch.no_grad():
                self.readout.weight.copy_(torch.eye(dim))
                self.readout.bias.zero_()
            self.history = nn.Linear(dim, dim)
            self.history_bias = nn.Linear(dim, 1)
            with torch.no_grad():
                self.history.weight.copy_(torch.eye(dim))
                self.history.bias.zero_()
        self.gate_global = nn.Parameter(torch.zeros(len(modalities)))
        self.gate = nn.Linear(text_dim, len(modalities))
        nn.init.zeros_(self.gate.weight)
        nn.init.zeros_(self.gate.bias)

    def forward(
        self,
        text: torch.Tensor,
        attr: torch.Tensor,
        ids: torch.Tensor,
        available: torch.Tensor,
        history: torch.Tensor | None = None,
        catalog: tuple[torch.Tensor, torch.Tensor] | None = None,
    ) -> Parts:
        """Modality parts for a batch.

        Args:
            text: (n, text_dim) language-model embeddings.
            attr: (n, attr_dim) attribute indicators.
            ids: (n,) collaborative ID rows (ignored where ``id`` is unavailable).
            available: (n, M) boolean mask of the modalities each entity has.
            history: (n, d) mean fused vector of the onboarding items (users only).
            catalog: (item text embeddings, item fused vectors) for the users' text readout.
        """
        pieces, biases = [], []
        safe_ids = ids.clamp(min=0)
        for name in self.modalities:
            if name == "text":
                piece = self.text(text)
                if catalog is not None:
                    attention = torch.softmax(text @ catalog[0].T / self.log_tau.exp(), dim=1)
                    piece = piece + self.readout(attention @ catalog[1])
                pieces.append(piece)
                biases.append(self.text_bias(text))
            elif name in ("attr", "demo"):
                a = attr if attr.shape[1] else torch.zeros(len(text), 1)
                pieces.append(self.attr(a))
                biases.append(self.attr_bias(a))
            elif name == "id":
                pieces.append(self.id(safe_ids))
                biases.append(self.id_bias(safe_ids))
            elif name == "history":
                hist = history if history is not None else torch.zeros(len(text), self.dim)
                pieces.append(self.history(hist))
                biases.append(self.history_bias(hist))
        logits = self.gate_global + self.gate(text)
        # A finite mask value keeps rows with nothing available NaN-free: their alpha is all
        # zero (no evidence → no vector, no bias), not an arbitrary guess.
        alpha = torch.softmax(logits.masked_fill(~available, -1e9), dim=1) * available
        return Parts(torch.stack(pieces, dim=1), torch.cat(biases, dim=1), alpha)


class FusionScorer(nn.Module):
    """:math:`\\hat r(u,i) = \\mu + b_u + b_i + \\langle e_u, e_i\\rangle` with fused towers (see module docstring)."""

    def __init__(
        self,
        text_dim: int,
        user_attr_dim: int,
        item_attr_dim: int,
        n_users: int,
        n_items: int,
        dim: int = 32,
        text_hidden: int = 128,
        item_text_dim: int | None = None,
    ):
        """``item_text_dim``: the width of the item tower's text input (default ``text_dim``; wider when items are also
        read by a second text model, :mod:`recsys.item_text`)."""
        super().__init__()
        self.mu = nn.Parameter(torch.zeros(()))
        self.users = Tower(USER_NAMES, text_dim, user_attr_dim, n_users, dim, text_hidden)
        self.items = Tower(ITEM_NAMES, item_text_dim or text_dim, item_attr_dim, n_items, dim, text_hidden)

    def score(self, user: Parts, item: Parts) -> torch.Tensor:
        """All pairwise scores (n_users, n_items) of fused users and items."""
        return predict(self.mu, user.bias, item.bias, user.vector, item.vector)
