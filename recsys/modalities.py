"""The modalities: every source of evidence the model fuses, declared once, by name.

The towers, the availability masks, the ``dot_<name>`` columns of ``recommend``, the
charts' colours and labels and the benchmark's ablations all read these tables, so adding
a modality is one entry here plus the tower code that encodes it (``recsys.model``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Modality:
    """One source of evidence on one side.

    Attributes:
        name: the key used everywhere (``dot_<name>`` columns, fusion-weight dicts).
        side: ``"user"`` or ``"item"``.
        label: the words the dashboard uses for it.
        colour: its colour in every chart.
        available: which tower input says the entity has it (see :func:`availability`).
        fused: ``True`` for the modalities inside the softmax fusion; ``False`` for the
            online ``feedback`` offset, which is added to the fused vector afterwards.
    """

    name: str
    side: str
    label: str
    colour: str
    available: str
    fused: bool = True


USER_MODALITIES: tuple[Modality, ...] = (
    Modality("text", "user", "profile text", "#2563eb", "has_text"),
    Modality("demo", "user", "demographics", "#10b981", "has_demo"),
    Modality("history", "user", "onboarding likes", "#8b5cf6", "has_history"),
    Modality("id", "user", "collaborative", "#ef4444", "has_id"),
)
ITEM_MODALITIES: tuple[Modality, ...] = (
    Modality("text", "item", "item text", "#2563eb", "has_text"),
    Modality("attr", "item", "attributes", "#10b981", "has_attr"),
    Modality("id", "item", "collaborative", "#ef4444", "has_id"),
)
#: The session's online offset δ (likes, dislikes, stars): part of e_u and b_u, not of the fusion.
FEEDBACK = Modality("feedback", "user", "feedback", "#ec4899", "has_feedback", fused=False)

#: Explicit preferences read from the profile (:mod:`recsys.preferences`): coordinates appended
#: to the fused vectors, one term each in the dot product, not part of the fusion.
EXPLICIT_MODALITIES: tuple[Modality, ...] = (
    Modality("avoid", "user", "rules out", "#334155", "has_avoid", fused=False),
    Modality("era", "user", "era", "#0d9488", "has_era", fused=False),
)

USER_NAMES: tuple[str, ...] = tuple(m.name for m in USER_MODALITIES)
ITEM_NAMES: tuple[str, ...] = tuple(m.name for m in ITEM_MODALITIES)
EXPLICIT_NAMES: tuple[str, ...] = tuple(m.name for m in EXPLICIT_MODALITIES)
#: Every user-side term of the dot product, in display order: the fused modalities, feedback, the explicit terms.
USER_TERMS: tuple[str, ...] = (*USER_NAMES, FEEDBACK.name, *EXPLICIT_NAMES)


def side(name: str) -> tuple[Modality, ...]:
    """The modalities of ``"user"`` or ``"item"``."""
    if name not in ("user", "item"):
        raise ValueError(f"side must be 'user' or 'item', got {name!r}")
    return USER_MODALITIES if name == "user" else ITEM_MODALITIES


def names(side_name: str) -> tuple[str, ...]:
    return tuple(m.name for m in side(side_name))


def availability(side_name: str, flags: Mapping[str, Sequence[bool] | np.ndarray | bool], n: int) -> np.ndarray:
    """The (n, M) mask of which modalities each entity has, built from named flags.

    Args:
        side_name: ``"user"`` or ``"item"``.
        flags: ``{"has_text": ..., "has_demo": ...}``: one boolean (for all) or one per entity,
            keyed by each modality's ``available`` rule. A rule missing from ``flags`` is an error,
            so a new modality can never be silently always-on or always-off.
        n: number of entities.
    """
    columns = []
    for modality in side(side_name):
        if modality.available not in flags:
            raise KeyError(f"no availability flag {modality.available!r} for the {side_name} modality {modality.name!r}")
        columns.append(np.broadcast_to(np.asarray(flags[modality.available], dtype=bool), (n,)))
    return np.stack(columns, axis=1) if columns else np.zeros((n, 0), dtype=bool)


def enabled_mask(side_name: str, allowed: Sequence[str]) -> np.ndarray:
    """Boolean mask over a side's modalities: which of them a configuration uses (ablations)."""
    unknown = set(allowed) - set(names(side_name))
    if unknown:
        raise ValueError(f"unknown {side_name} modalities {sorted(unknown)}; known: {', '.join(names(side_name))}")
    return np.array([m.name in allowed for m in side(side_name)])


def terms(side_name: str) -> tuple[Modality, ...]:
    """Every term of a side's dot product: for users the fused modalities, feedback and the explicit terms."""
    return (*USER_MODALITIES, FEEDBACK, *EXPLICIT_MODALITIES) if side_name == "user" else side(side_name)


def labels(side_name: str) -> dict[str, str]:
    """``{name: label}`` of every term of a side."""
    return {m.name: m.label for m in terms(side_name)}


def colours(side_name: str) -> dict[str, str]:
    """``{name: colour}`` of every term of a side."""
    return {m.name: m.colour for m in terms(side_name)}
