r"""Online feedback: a few regularised gradient steps on one user's vector and bias.

Given feedback :math:`(j, y_j)` with :math:`y_j \in [0, 1]` (like = 1, dislike = 0) and the
text prior :math:`(e^0, b^0)` produced by the towers, the update minimises

.. math::

    L(e, b) = \sum_j \ell\big(\sigma(\mu + b + b_j + \langle e, e_j\rangle), y_j\big)
      + \tfrac{\lambda}{2}\lVert e - e^0\rVert^2 + \tfrac{\lambda_b}{2}(b - b^0)^2

(:math:`\ell` the logistic loss) by :math:`K` steps of (with :math:`\eta` capped at :math:`1/L`, the loss's smoothness constant)

.. math::

    e \leftarrow e - \eta\Big[\sum_j (p_j - y_j)\, e_j + \lambda (e - e^0)\Big], \quad
    b \leftarrow b - \eta\Big[\sum_j (p_j - y_j) + \lambda_b (b - b^0)\Big].

Only the session's user changes; the model's weights are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from recsys.model import predict


@dataclass(frozen=True)
class OnlineConfig:
    """Step size :math:`\\eta`, pull to the prior :math:`\\lambda, \\lambda_b`, number of steps :math:`K`."""

    lr: float = 0.3
    reg: float = 1.0
    reg_bias: float = 1.0
    steps: int = 15


@dataclass(frozen=True)
class UpdateTrace:
    """What one update did, for the dashboard: losses per step and before/after values."""

    loss: tuple[float, ...]
    e_before: np.ndarray
    e_after: np.ndarray
    b_before: float
    b_after: float
    p_before: tuple[float, ...]
    p_after: tuple[float, ...]
    config: OnlineConfig


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


def objective(e, b, e0, b0, mu, items, item_bias, targets, config: OnlineConfig) -> float:
    p = sigmoid(predict(mu, b, item_bias, e, items))
    eps = 1e-9
    data = -np.sum(targets * np.log(p + eps) + (1 - targets) * np.log(1 - p + eps))
    return float(data + 0.5 * config.reg * np.sum((e - e0) ** 2) + 0.5 * config.reg_bias * (b - b0) ** 2)


def update(
    e: np.ndarray,
    b: float,
    e0: np.ndarray,
    b0: float,
    mu: float,
    items: np.ndarray,
    item_bias: np.ndarray,
    targets: np.ndarray,
    config: OnlineConfig = OnlineConfig(),
) -> UpdateTrace:
    """Run :math:`K` gradient steps from ``(e, b)`` over all feedback so far.

    Args:
        e, b: the user's current vector and bias.
        e0, b0: the prior (what the towers produce from text, demographics and history).
        mu: global offset.
        items: (n, d) fused vectors of the items with feedback; ``item_bias`` their biases.
        targets: (n,) feedback values in [0, 1].
    """
    e_new, b_new = e.astype(np.float64).copy(), float(b)
    p_before = sigmoid(predict(mu, b, item_bias, e, items))
    # The loss is L-smooth with L = λ + ‖E‖²/4 (σ' ≤ 1/4); a step above 1/L can diverge once
    # many items have feedback, so the step is capped there.
    lr_e = min(config.lr, 1.0 / (config.reg + 0.25 * (np.linalg.norm(items, 2) ** 2 if len(items) else 0.0)))
    lr_b = min(config.lr, 1.0 / (config.reg_bias + 0.25 * len(items)))
    losses = [objective(e_new, b_new, e0, b0, mu, items, item_bias, targets, config)]
    for _ in range(config.steps):
        residual = sigmoid(predict(mu, b_new, item_bias, e_new, items)) - targets
        grad_e = items.T @ residual + config.reg * (e_new - e0)
        grad_b = residual.sum() + config.reg_bias * (b_new - b0)
        e_new = e_new - lr_e * grad_e
        b_new = b_new - lr_b * grad_b
        losses.append(objective(e_new, b_new, e0, b0, mu, items, item_bias, targets, config))
    p_after = sigmoid(predict(mu, b_new, item_bias, e_new, items))
    return UpdateTrace(
        tuple(losses), e.copy(), e_new.astype(np.float32), float(b), b_new,
        tuple(map(float, p_before)), tuple(map(float, p_after)), config,
    )  # fmt: skip
