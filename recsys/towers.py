"""The towers at inference: modality parts and fusion weights of items and users, from their inputs.

The facade (:class:`recsys.explorer.Explorer`) decides *what* an entity has — text,
demographics, onboarding likes, a collaborative row; this module turns those inputs into
per-modality parts ``h``, ``beta`` and fusion weights ``alpha`` with the trained model, the
availability masks built from the modality table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import torch

from recsys.modalities import ITEM_NAMES, availability
from recsys.model import FusionScorer, Parts
from recsys.training import TrainConfig, history_vectors


def _numpy(parts: Parts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return parts.h.numpy(), parts.beta.numpy(), parts.alpha.numpy()


class Towers:
    """The trained towers with the catalogue the user tower reads (item texts and fused item vectors)."""

    def __init__(self, model: FusionScorer, config: TrainConfig):
        self.model = model
        self.config = config
        self.catalog: tuple[torch.Tensor, torch.Tensor] | None = None
        self.item_vectors: torch.Tensor | None = None

    def read_catalogue(self, item_text: np.ndarray, item_vectors: np.ndarray, anchors: np.ndarray | None = None) -> None:
        """Convert the catalogue once: users' text attends over item texts and reads their fused vectors.

        ``anchors`` (the rows saved with the model, :func:`recsys.training.anchor_rows`) limit
        the readout to those items, as in training, so a request costs the same at any
        catalogue size; ``None`` reads every item. Onboarding likes index all items.
        """
        self.item_vectors = torch.tensor(item_vectors)
        if anchors is None:
            self.catalog = (torch.tensor(item_text), self.item_vectors)
        else:
            self.catalog = (torch.tensor(item_text[anchors]), self.item_vectors[torch.from_numpy(np.asarray(anchors))])

    def item_parts(
        self, text: np.ndarray, attr: np.ndarray, rows: np.ndarray, has_id: np.ndarray, weights: Mapping[str, float] | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(h, beta, alpha) of items; ``weights`` re-weights their modalities (the Fusion page)."""
        n = len(text)
        avail = availability("item", {"has_text": True, "has_attr": attr.shape[1] > 0, "has_id": has_id}, n)
        with torch.no_grad():
            parts = self.model.items(
                torch.tensor(text, dtype=torch.float32), torch.tensor(attr, dtype=torch.float32),
                torch.from_numpy(rows), torch.from_numpy(avail) & self.config.enabled("item"),
            )  # fmt: skip
        h, beta, alpha = _numpy(parts)
        if weights is not None:
            alpha = reweighted(alpha, ITEM_NAMES, weights)
        return h, beta, alpha

    def user_tower(
        self,
        text: torch.Tensor,
        demo: np.ndarray,
        rows: np.ndarray,
        has_id: np.ndarray,
        history: np.ndarray,
        has_text: np.ndarray | bool = True,
    ) -> Parts:
        """Run the user tower in torch (gradients flow to ``text`` when it requires them); ``history`` is (n, L) item rows, −1 padded."""
        n = len(text)
        hist_vec, has_hist = history_vectors(torch.from_numpy(history), self.item_vectors)
        flags = {"has_text": has_text, "has_demo": demo.any(axis=1), "has_history": has_hist.numpy(), "has_id": has_id}
        avail = torch.from_numpy(availability("user", flags, n)) & self.config.enabled("user")
        return self.model.users(text, torch.from_numpy(demo), torch.from_numpy(rows), avail, hist_vec, self.catalog)

    def user_parts(
        self,
        text: np.ndarray,
        demo: np.ndarray,
        rows: np.ndarray,
        has_id: np.ndarray,
        history: np.ndarray,
        has_text: np.ndarray | bool = True,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(h, beta, alpha) of users, without gradients."""
        with torch.no_grad():
            parts = self.user_tower(torch.tensor(text, dtype=torch.float32), demo, rows, has_id, history, has_text)
        return _numpy(parts)


def reweighted(alpha: np.ndarray, modalities: Sequence[str], weights: Mapping[str, float]) -> np.ndarray:
    """Multiply learned weights by user-chosen factors and renormalise over available modalities.

    When every factor of the available modalities is 0 there is nothing to renormalise;
    the learned weights are kept (callers that show factors should say so).
    """
    for name in weights:
        if name not in modalities:
            raise ValueError(f"unknown modality {name!r}; known: {', '.join(modalities)}")
    factors = np.array([max(0.0, float(weights.get(m, 1.0))) for m in modalities])
    scaled = alpha * factors[None, :]
    total = scaled.sum(axis=1, keepdims=True)
    return np.where(total > 0, scaled / np.where(total > 0, total, 1), alpha)
