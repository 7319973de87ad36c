"""Datasets: the packaged MovieLens-100k, GroupLens folders and a generic catalogue format, checked before training.

Every loader returns a :class:`Dataset` with the same three tables, named by
:mod:`recsys.columns`, so nothing downstream knows where the data came from.
Bad files raise :class:`DataProblems` listing every :class:`Problem` at once, each naming
the file, row and column; :func:`check_path` and :func:`check_catalog` return the list instead.

- :mod:`recsys.data.dataset` — the :class:`Dataset` type, problems, the item text the language model reads;
- :mod:`recsys.data.files` — one file as published (encoding and delimiter detected, cells as text);
- :mod:`recsys.data.checks` — ids, numbers, ratings, text and cross-table checks, the k-core, the summary;
- :mod:`recsys.data.grouplens` — MovieLens, packaged and as GroupLens folders;
- :mod:`recsys.data.catalogue` — the generic format and ``catalogue.json``.
"""

from __future__ import annotations

from recsys.data.catalogue import CATALOGUE_JSON_KEYS, Meta, check_catalog, check_path, load_catalog, load_path, settings
from recsys.data.checks import LONG_TAIL, MIN_INTERACTIONS, MIN_ITEMS, MIN_USERS, RATING_RANGE, k_core, long_tail, summary
from recsys.data.dataset import CREATOR_COLUMNS, DataError, DataProblems, Dataset, Problem, is_missing, item_text, known
from recsys.data.files import MAX_ROWS_PER_PROBLEM, MAX_UPLOAD_BYTES
from recsys.data.grouplens import (
    ML1M_OCCUPATIONS,
    ML100K_GENRES,
    ML100K_OCCUPATIONS,
    MOVIELENS_CREDIT,
    load_grouplens_folder,
    load_movielens_100k,
)

__all__ = [
    "CATALOGUE_JSON_KEYS", "CREATOR_COLUMNS", "LONG_TAIL", "MAX_ROWS_PER_PROBLEM", "MAX_UPLOAD_BYTES", "MIN_INTERACTIONS",
    "MIN_ITEMS", "MIN_USERS", "ML1M_OCCUPATIONS", "ML100K_GENRES", "ML100K_OCCUPATIONS", "MOVIELENS_CREDIT", "RATING_RANGE", "DataError",
    "DataProblems", "Dataset", "Meta", "Problem", "check_catalog", "check_path", "is_missing", "item_text", "k_core", "known",
    "load_catalog", "load_grouplens_folder", "load_movielens_100k", "load_path", "long_tail", "settings", "summary",
]  # fmt: skip
