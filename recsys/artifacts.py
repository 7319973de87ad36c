"""Trained artifacts: train the model once, then load it from a cache whose key names everything that made it.

The key covers the data (content hash and the training split), the text model, the
hyper-parameters, the feature vocabularies, the model's architecture and a hash of the
source code that trains it (model, training, profile writing, features, modalities, data
loading). Change any of them and the next load retrains: a stale model is never served.
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch

from recsys import columns as C
from recsys.cache import atomic_write_bytes, atomic_write_json, cache_root, code_fingerprint, stable_hash, turn
from recsys.data import Dataset
from recsys.encoder import TextEncoder
from recsys.features import FeatureSpace
from recsys.item_text import ItemReading
from recsys.model import FusionScorer
from recsys.training import Profiles, TrainConfig, anchor_rows, build_training_data, fit, item_reading, write_profiles

Progress = Callable[[str, float], None]

#: The modules whose code produces a trained model; their source is part of its cache key.
TRAINING_CODE = (
    "recsys.artifacts",
    "recsys.data",
    # The text models' code: embeddings made by other code are another model's inputs.
    "recsys.encoder",
    "recsys.item_text",
    "recsys.multilingual",
    "recsys.features",
    "recsys.modalities",
    "recsys.model",
    "recsys.profiles",
    "recsys.training",
)


@dataclass(frozen=True)
class Trained:
    """What a training run leaves behind (or what the cache gives back)."""

    model: FusionScorer
    profiles: Profiles
    item_text_vectors: np.ndarray
    user_space: FeatureSpace
    item_space: FeatureSpace
    info: dict[str, Any]
    #: Item rows the users' text readout attends over; ``None``: every item (see :func:`recsys.training.anchor_rows`).
    anchors: np.ndarray | None = None
    #: What the item tower reads of each item's text (``item_text_vectors``, then the item text model's vectors) and
    #: the reading that makes it for a new item (:mod:`recsys.item_text`).
    item_tower_text: np.ndarray | None = None
    item_reading: ItemReading | None = None


def model_key(
    dataset: Dataset, encoder: TextEncoder, ratings: pd.DataFrame, items: Sequence[int], config: TrainConfig, model: FusionScorer, spaces
) -> str:
    """The cache key of a model: data, split, text model, config, vocabularies, architecture and code."""
    split = stable_hash(pd.util.hash_pandas_object(ratings, index=False).sum(), list(items))
    architecture = sorted((name, tuple(value.shape)) for name, value in model.state_dict().items())
    features = tuple(space.labels for space in spaces)
    return stable_hash(
        dataset.fingerprint(), encoder.model_id, config.to_dict(), split, features, architecture, code_fingerprint(*TRAINING_CODE)
    )


def _layout(dataset: Dataset, encoder: TextEncoder, ratings, items, config: TrainConfig, cache_dir: Path | None):
    """The feature spaces, an untrained model and the cache path of the model for these inputs (no text is embedded)."""
    user_space = FeatureSpace.fit(dataset.users, dataset.user_attributes)
    item_space = FeatureSpace.fit(dataset.items, dataset.item_attributes)
    item_dim = item_reading(dataset, encoder, config).width(encoder.dim)
    model = FusionScorer(
        encoder.dim, user_space.dim, item_space.dim, dataset.n_users, dataset.n_items,
        dim=config.dim, text_hidden=config.text_hidden, item_text_dim=item_dim,
    )  # fmt: skip
    key = model_key(dataset, encoder, ratings, items, config, model, (user_space, item_space))
    return user_space, item_space, model, key, (cache_dir or cache_root()) / "models" / key / "model.pt"


def is_trained(dataset: Dataset, encoder: TextEncoder, config: TrainConfig = TrainConfig(), cache_dir: Path | None = None) -> bool:
    """Whether :func:`train_or_load` on all of ``dataset`` would load a cached model instead of training one."""
    items = list(range(dataset.n_items))
    return _layout(dataset, encoder, dataset.ratings, items, config, cache_dir)[-1].exists()


def train_or_load(
    dataset: Dataset,
    encoder: TextEncoder,
    ratings: pd.DataFrame | None = None,
    items: Sequence[int] | None = None,
    config: TrainConfig = TrainConfig(),
    progress: Progress | None = None,
    cache_dir: Path | None = None,
) -> Trained:
    """Train on ``ratings`` (default: all) over the catalogue rows ``items`` (default: all), or load that model.

    Users without ratings and item rows outside ``items`` are cold: the model never sees
    them, which is how the benchmark's held-out splits are built.
    """
    say = progress or (lambda message, fraction: None)
    ratings = dataset.ratings if ratings is None else ratings
    items = list(range(dataset.n_items)) if items is None else sorted(int(i) for i in items)
    users = sorted(dataset.user_ids.indices(ratings[C.USER].unique()).tolist())
    say(f"Embedding {dataset.n_items:,} item texts", 0.05)
    # Reported as it goes: on a large catalogue this is the longest step, and a cancel takes effect at the next report.
    item_vectors = encoder.encode(
        dataset.items[C.TEXT].tolist(),
        progress=lambda done, total: say(f"Embedding item texts ({done:,} of {total:,} not cached)", 0.05 + 0.05 * done / total),
    )
    reading = item_reading(dataset, encoder, config)
    if reading.model:
        say(f"Reading the items with {reading.model}", 0.1)
    tower_text = reading.tower_input(
        dataset.items[C.TEXT].tolist(), item_vectors,
        progress=lambda done, total: say(f"Reading the items with {reading.model} ({done:,} of {total:,} not cached)", 0.1 + 0.05 * done / total),
    )  # fmt: skip
    user_space, item_space, model, key, path = _layout(dataset, encoder, ratings, items, config, cache_dir)

    # Another process (a server's other worker, a second test worker) may be training this very model: wait for it, then load.
    def waiting() -> None:
        say("Waiting for another process that is training this same model", 0.15)

    with contextlib.nullcontext() if path.exists() else turn(f"model-{key}", waiting, cache_dir):
        if path.exists():
            say("Loading the trained model from the cache", 0.5)
            saved = torch.load(path, weights_only=False)
            profiles = Profiles(saved["texts"], saved["history"], saved["focus"])
            model.load_state_dict(saved["state"])
            anchors = saved.get("anchors")
            info = dict(saved["info"], trained_now=False)
        else:
            started = time.perf_counter()
            chinese = getattr(encoder, "multilingual", False)
            profiles = write_profiles(dataset, ratings, users, seed=config.seed, progress=lambda m, f: say(m, 0.15), chinese=chinese)
            written, misses = time.perf_counter(), encoder.misses
            data = build_training_data(
                dataset, encoder, user_space, item_space, item_vectors,
                ratings, profiles, users, items, progress=lambda m, f: say(m, 0.15 + 0.35 * f), item_input=tower_text,
            )  # fmt: skip
            laid_out = time.perf_counter()
            anchors = anchor_rows(data.item_counts, items, config)
            model, log = fit(data, config, progress=lambda m, f: say(m, 0.5 + 0.45 * f))
            info = {"train_seconds": round(log["seconds"], 1), "final_loss": log["loss"][-1], "loss": log["loss"], "key": key}
            for stage in ("warm_id_loss", "warm_item_loss"):  # the users' and items' rows fitted after training: first and last loss
                if stage in log:
                    info[stage] = log[stage]
            # Where preparing the model went: writing profiles, embedding them (and how many were not cached), laying out tensors.
            info["prepare_seconds"] = {
                "write_profiles": round(written - started, 2),
                "profiles_and_tensors": round(laid_out - written, 2),
                "profiles_embedded": encoder.misses - misses,
                "fit": round(log["seconds"], 2),
                "item_rows": round(log.get("warm_item_seconds", 0.0), 2),  # the part of fit spent on the items' rows
            }
            state = {"state": model.state_dict(), "texts": profiles.texts, "history": profiles.history, "focus": profiles.focus}
            state.update(info=info, anchors=anchors)
            buffer = io.BytesIO()
            torch.save(state, buffer)
            atomic_write_bytes(path, buffer.getvalue())
            atomic_write_json(path.with_name("info.json"), dict(info, config=config.to_dict()))
            info = dict(info, trained_now=True)
    model.eval()
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    return Trained(model, profiles, item_vectors, user_space, item_space, info, anchors, tower_text, reading)
