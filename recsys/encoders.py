"""Choosing the text model by name: the one place that knows every encoder (:mod:`recsys.encoder`, :mod:`recsys.multilingual`)."""

from __future__ import annotations

import os
from pathlib import Path

from recsys.encoder import ENCODER_ENV, ENCODER_NAMES, CachedEncoder, TextEncoder
from recsys.multilingual import MultilingualEncoder

__all__ = ["ENCODER_ENV", "ENCODER_NAMES", "make_encoder"]


def make_encoder(name: str | None = None, device: str | None = None, cache_dir: Path | None = None) -> CachedEncoder:
    """The text encoder called ``name`` (one of :data:`ENCODER_NAMES`); ``$COLDSTART_ENCODER``, else ``minilm``, by default.

    Example:
        >>> make_encoder("minilm").multilingual
        False

    Raises:
        ValueError: an unknown name.
    """
    chosen = (name or os.environ.get(ENCODER_ENV) or ENCODER_NAMES[0]).strip().lower()
    if chosen == "minilm":
        return TextEncoder(device=device, cache_dir=cache_dir)
    if chosen == "multilingual":
        return MultilingualEncoder(device=device, cache_dir=cache_dir)
    source = "" if name else f" (from ${ENCODER_ENV})"
    raise ValueError(f"unknown text encoder {chosen!r}{source}: choose one of {', '.join(ENCODER_NAMES)}")
