"""Cohorts: many people at once — read their profiles, rank everyone, and describe what the cohort is shown.

A cohort is a list of :class:`Person` (free text, demographics, liked items), read from a CSV
(:func:`read_cohort`) or drawn from the catalogue's own users (:func:`sample_cohort`). Each
person goes through the same public path as one persona on the New user page,
:meth:`Explorer.new_user` then :meth:`Explorer.recommend`, so every exported score splits
into the terms that rank it: ``score = mu + b_u + b_i + Σ dot_<term>``. :func:`cohort_view`
then describes the cohort's lists as plain data: the genre and attribute mix shown against the
catalogue's, popularity percentiles, coverage and Gini of exposure, the items that reach the
most people, people whose profile was not read, and clusters of people with near-identical lists.

The CSV has a ``text`` column; optional columns are the catalogue's user attributes (MovieLens:
``age``, ``gender``, ``occupation``), ``liked`` (item ids separated by ``;`` or ``|``) and
``person`` (a label). A row that cannot be run is reported with its line number and left
out; the others run.

Example:
    >>> cohort = read_cohort(b"text,age,liked\\nspace operas,34,50;181\\n", explorer)  # doctest: +SKIP
    >>> run = run_cohort(explorer, cohort, k=10)  # doctest: +SKIP
    >>> view = cohort_view(explorer, run)  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from recsys import columns as C
from recsys.analysis.pull import percentiles
from recsys.data import known
from recsys.data.checks import CANONICAL_INTEGER
from recsys.explorer import Explorer
from recsys.modalities import USER_TERMS

#: Column names of a cohort file (matched with case and surrounding spaces ignored).
TEXT, LIKED, PERSON = C.TEXT, "liked", "person"
#: What separates liked item ids in one cell.
LIKED_SEPARATORS = re.compile(r"[;|]")
#: The score's terms in the export, in order: they add up to ``score``.
TERM_COLUMNS = (C.MU, C.B_USER, C.B_ITEM, *(C.DOT_PREFIX + name for name in USER_TERMS))
#: Two lists this alike (Jaccard of their item sets) or more are near-identical: their people share a cluster.
NEAR_IDENTICAL = 0.8
Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class Person:
    """One member of a cohort, as :meth:`Explorer.new_user` takes them.

    Attributes:
        person: the label shown for them (the ``person`` column, else ``line N``, else ``user <id>``).
        line: their line in the file (the header is line 1); 0 for people drawn from the catalogue.
        text: free profile text (may be empty).
        demographics: the catalogue's user attributes, checked against its vocabulary.
        liked: catalogue item ids the person likes.
    """

    person: str
    line: int
    text: str = ""
    demographics: Mapping[str, Any] = field(default_factory=dict)
    liked: tuple = ()


@dataclass(frozen=True)
class Problem:
    """Something wrong in a cohort file: a row left out (``skipped``), or a note about the whole file (line 1)."""

    line: int
    person: str
    column: str
    message: str
    skipped: bool = True


@dataclass(frozen=True)
class Cohort:
    """The people to run and the problems found reading them."""

    people: tuple[Person, ...]
    problems: tuple[Problem, ...] = ()
    source: str = ""

    def problems_frame(self) -> pd.DataFrame:
        return problems_frame(self.problems)


@dataclass(frozen=True)
class CohortRun:
    """Everyone's top-``k``.

    Attributes:
        recommendations: one row per (person, rank): ``person, line, rank, item_id, title, genres``,
            ``score``, its terms :data:`TERM_COLUMNS` (they add up to it), ``p_like``, ``popularity``
            and ``popularity_percentile``.
        people: one row per person who ran: ``person, line, text, demographics, liked, reading``
            (``read``, ``empty`` or ``no text``), ``unsure`` (titles the reading was unsure of), ``notes``.
        problems: the cohort's problems and the rows :meth:`Explorer.new_user` refused.
        k: the list length asked for.
        seconds: wall time of the run (reading, embedding, ranking).
    """

    recommendations: pd.DataFrame
    people: pd.DataFrame
    problems: tuple[Problem, ...]
    k: int
    seconds: float


@dataclass(frozen=True)
class CohortView:
    """What a cohort is shown, as plain data.

    Attributes:
        n_people / k: people ranked, list length.
        mix: ``attribute, value, shown, catalogue``: the share of shown slots whose item has the value, and the
            share of catalogue items that have it (genres can add up to more than 1: an item has several).
        popularity: quantiles (10, 25, 50, 75, 90) of the shown slots' popularity percentile (the catalogue's
            median item is at 50), and ``mean``.
        list_popularity: each person's mean popularity percentile (``person, percentile``).
        coverage: share of the catalogue's items shown to anyone.
        gini: Gini coefficient of exposure over every catalogue item (0: all shown equally, → 1: one item).
        distinct_items: items shown to anyone.
        reach: the items shown to most people: ``item_id, title, people, share, mean_rank, popularity_percentile``.
        unread: people whose profile text was read as nothing, named titles it was unsure of, or came with a note (the
            notes New user shows: a text cut to the model's length, a script it does not read, a title said negatively …).
        clusters: groups of people whose lists are near-identical: ``cluster, size, identical, shared_items,
            items, people``.
    """

    n_people: int
    k: int
    mix: pd.DataFrame
    popularity: dict[str, float]
    list_popularity: pd.DataFrame
    coverage: float
    gini: float
    distinct_items: int
    reach: pd.DataFrame
    unread: pd.DataFrame
    clusters: pd.DataFrame

    def summary(self) -> dict[str, Any]:
        """The view as JSON-ready values (what ``summary.json`` holds)."""
        return {
            "people": self.n_people, "k": self.k, "coverage": self.coverage, "gini": self.gini,
            "distinct_items": self.distinct_items, "popularity_percentile": self.popularity,
            "mix": _records(self.mix), "reach": _records(self.reach), "unread": _records(self.unread),
            "clusters": _records(self.clusters),
        }  # fmt: skip


# ---------------------------------------------------------------------- reading a cohort
def read_cohort(source: str | Path | bytes | io.IOBase, explorer: Explorer, limit: int | None = None) -> Cohort:
    """The people of a cohort CSV, and a :class:`Problem` for each row that cannot run (the rest still run).

    Args:
        source: a path, the file's bytes, or an open file (text or binary).
        explorer: the engine whose catalogue the ids and demographics must belong to.
        limit: run at most this many people; the rows after it are reported, not read.

    Raises:
        ValueError: the file is not UTF-8 CSV text or has no ``text`` column: nothing in it can run.
    """
    raw = Path(source).read_bytes() if isinstance(source, (str, Path)) else source if isinstance(source, bytes) else source.read()
    try:
        content = raw.decode("utf-8-sig") if isinstance(raw, bytes) else str(raw)
    except UnicodeDecodeError as err:
        raise ValueError(f"the cohort file is not UTF-8 text (byte {err.start}); save it as CSV UTF-8") from None
    rows = csv.reader(io.StringIO(content, newline=""))
    try:
        header = next(rows, None)
    except csv.Error as err:
        raise ValueError(f"the cohort file is not CSV: {err}") from None
    if not header:
        raise ValueError("the cohort file is empty: it needs a header line with a `text` column")
    names = [h.strip().casefold() for h in header]
    if TEXT not in names:
        raise ValueError(f"the cohort file has no `{TEXT}` column (its columns: {', '.join(h.strip() for h in header) or 'none'})")
    demographic = {c.casefold(): c for c in explorer.user_space.columns}
    used = {TEXT, LIKED, PERSON, *demographic}
    problems = [
        Problem(1, "", header[n].strip(), f"column {header[n].strip()!r} is not used (known: {', '.join(sorted(used))})", skipped=False)
        for n, name in enumerate(names)
        if name not in used
    ]
    people: list[Person] = []
    line = 1
    while True:
        try:
            values = next(rows)
        except StopIteration:
            break
        except csv.Error as err:
            problems.append(Problem(rows.line_num, "", "", f"not readable as CSV: {err}"))
            break
        start, line = line + 1, rows.line_num
        if not values:  # a blank line
            continue
        record = {name: value.strip() for name, value in zip(names, values) if name in used}
        label = record.get(PERSON) or f"line {start}"
        if any(p.person == label for p in people):  # two rows with one name are two people: each counts once
            label = f"{label} (line {start})"
        if limit is not None and len(people) >= limit:
            problems.append(Problem(start, label, "", f"beyond the first {limit:,} people: this row and those after it were not read"))
            break
        if len(values) > len(names):
            problems.append(Problem(start, label, "", f"{len(values)} fields for {len(names)} columns: quote a text that holds commas"))
            continue
        found = _person(record, label, start, explorer, demographic)
        if isinstance(found, Person):
            people.append(found)
        else:
            problems.extend(found)
    name = str(source) if isinstance(source, (str, Path)) else getattr(source, "name", "")
    return Cohort(tuple(people), tuple(problems), source=name)


def _person(record: dict[str, str], label: str, line: int, explorer: Explorer, demographic: dict[str, str]) -> Person | list[Problem]:
    """One row as a person, or the problems that keep it out."""
    problems = []
    if not any(record.values()):
        return [Problem(line, label, "", "empty row")]
    demographics = {}
    for name, column in demographic.items():
        value = record.get(name, "")
        if not value:
            continue
        try:
            demographics[column] = _demographic(explorer, column, value)
        except ValueError as err:
            problems.append(Problem(line, label, column, str(err)))
    liked = []
    for given in filter(None, (part.strip() for part in LIKED_SEPARATORS.split(record.get(LIKED, "")))):
        item = _item_id(explorer, given)
        if item is None:
            problems.append(Problem(line, label, LIKED, f"unknown item id {given!r}: it is not in the {explorer.dataset.name} catalogue"))
        else:
            liked.append(item)
    text = record.get(TEXT, "")
    if not problems and not (text or demographics or liked):
        problems.append(Problem(line, label, "", "nothing to go on: no text, demographics or liked items"))
    if problems:
        return problems
    return Person(label, line, text, demographics, tuple(dict.fromkeys(liked)))


def _demographic(explorer: Explorer, column: str, value: str) -> Any:
    """A demographic cell as the catalogue's vocabulary spells it (labels matched with case ignored)."""
    block = explorer.user_space.block(column)
    if block.kind == "bucket":
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"{column} must be a number, got {value!r}") from None
        chosen: Any = int(number) if number.is_integer() else number
    elif block.kind == "multi":
        chosen = [_label(block.labels, part.strip()) for part in LIKED_SEPARATORS.split(value) if part.strip()]
    else:
        chosen = _label(block.labels, value)
    block.validate(chosen)
    return chosen


def _label(labels: Sequence[str], value: str) -> str:
    matches = [label for label in labels if label.casefold() == value.casefold()]
    return matches[0] if len(matches) == 1 else value


def _item_id(explorer: Explorer, text: str) -> Any | None:
    """A typed item id as the catalogue spells it (a number where its ids are numbers), or ``None`` if unknown."""
    ids = explorer.dataset.item_ids
    candidates = [text]
    if CANONICAL_INTEGER.fullmatch(text):
        candidates.insert(0, int(text))
    return next((c for c in candidates if c in ids), None)


def sample_cohort(explorer: Explorer, n: int, rng: np.random.Generator, n_liked: int = 3, with_text: bool = True) -> Cohort:
    """``n`` of the catalogue's own users, each entered as a new user would be.

    Each person brings the user's demographics, the first ``n_liked`` items they liked (by
    time), and — with ``with_text`` — the profile text that summarises their taste (written
    from their ratings when the model was trained). They are ranked as cold-start users: the
    model's own vector for them is not used.

    Raises:
        ValueError: ``n`` below 1 (more than the catalogue's users gives every user once).
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"the sample size must be a positive whole number, got {n!r}")
    rows = np.sort(rng.choice(explorer.dataset.n_users, size=min(int(n), explorer.dataset.n_users), replace=False))
    positives = explorer.dataset.positives().sort_values([C.USER, C.TIMESTAMP], kind="stable")
    firsts = positives.groupby(C.USER)[C.ITEM].apply(lambda items: tuple(items.head(n_liked))).to_dict()
    users = explorer.dataset.users
    people = []
    for row in rows:
        user_id = explorer.dataset.user_ids.external(int(row))
        record = users.iloc[int(row)]
        demographics = known({a: record[a] for a in explorer.dataset.user_attributes if a in explorer.user_space.columns})
        text = explorer.profiles.canonical(int(row))[0] if with_text and explorer.profiles.texts[int(row)] else ""
        people.append(Person(f"user {user_id}", 0, text, demographics, tuple(firsts.get(user_id, ()))))
    return Cohort(tuple(people), source=f"{len(people)} users of {explorer.dataset.name}")


# ---------------------------------------------------------------------- running it
def run_cohort(
    explorer: Explorer, cohort: Cohort, k: int = 20, progress: Progress | None = None, torch_threads: int | None = None
) -> CohortRun:
    """Everyone's top-``k`` through :meth:`Explorer.new_user` and :meth:`Explorer.recommend`.

    All profile texts are read first and embedded in one batch (so each person's own call
    finds their embedding in the encoder's cache). A person the engine refuses is added to
    the problems and left out. ``progress(message, fraction)`` hears how far it is.

    ``torch_threads`` runs it on that many torch threads (the setting is restored after). A
    cohort is thousands of small forward passes; on a machine whose few cores other work
    shares, two threads waiting on each other were 4–5 times slower than one (docs/cohort.md).
    """
    previous = torch.get_num_threads()
    if torch_threads is not None:
        torch.set_num_threads(torch_threads)
    try:
        return _run(explorer, cohort, k, progress)
    finally:
        torch.set_num_threads(previous)


def _run(explorer: Explorer, cohort: Cohort, k: int, progress: Progress | None) -> CohortRun:
    say = progress or (lambda message, fraction: None)
    started = time.perf_counter()
    people = cohort.people
    problems = list(cohort.problems)
    readings: list = []
    texts: list[str] = []
    for n, person in enumerate(people):
        if n % 50 == 0:
            say(f"Reading profiles ({n:,} of {len(people):,})", 0.1 * n / max(1, len(people)))
        try:
            shown = explorer.encoder.prepare(person.text).whole if person.text.strip() else ""
        except ValueError:
            shown = ""
        reading = explorer.read(shown)
        readings.append(reading)
        if shown:
            texts.append(explorer.model_input(shown, reading))
    say(f"Embedding {len(texts):,} profile texts", 0.1)
    explorer.encoder.encode(texts)
    say("Ranking", 0.2)
    frames, rows = [], []
    ranks = percentiles(np.asarray(explorer.popularity, dtype=np.float64))
    step = max(1, len(people) // 100)
    for n, (person, reading) in enumerate(zip(people, readings)):
        if n % step == 0:
            say(f"Ranking ({n:,} of {len(people):,} people)", 0.2 + 0.8 * n / max(1, len(people)))
        try:
            user = explorer.new_user(person.text, person.demographics, person.liked, reading=reading)
            recs = explorer.recommend(user, k=k)
        except ValueError as err:
            problems.append(Problem(person.line, person.person, "", str(err)))
            continue
        frames.append(_export_rows(explorer, person, recs, ranks))
        rows.append(_person_row(person, user))
    say("Ranked everyone", 1.0)
    recommendations = pd.concat(frames, ignore_index=True) if frames else _export_rows(explorer, Person("", 0), None, ranks)
    return CohortRun(recommendations, pd.DataFrame(rows, columns=PEOPLE_COLUMNS), tuple(problems), int(k), time.perf_counter() - started)


PEOPLE_COLUMNS = [PERSON, "line", TEXT, "demographics", LIKED, "reading", "unsure", "notes"]
EXPORT_COLUMNS = [
    PERSON,
    "line",
    "rank",
    C.ITEM,
    C.TITLE,
    C.GENRES,
    C.SCORE,
    *TERM_COLUMNS,
    "p_like",
    "popularity",
    "popularity_percentile",
]


def _export_rows(explorer: Explorer, person: Person, recs: pd.DataFrame | None, ranks: np.ndarray) -> pd.DataFrame:
    """One person's list as export rows (an empty frame with the export's columns for ``recs=None``)."""
    if recs is None:
        return pd.DataFrame({c: pd.Series(dtype=float if c in TERM_COLUMNS or c == C.SCORE else object) for c in EXPORT_COLUMNS})
    rows = explorer.dataset.item_ids.indices(recs[C.ITEM].tolist())
    columns = {PERSON: [person.person] * len(recs), "line": np.full(len(recs), person.line), "rank": recs["rank"].to_numpy(),
               C.ITEM: recs[C.ITEM].to_numpy(), C.TITLE: recs[C.TITLE].to_numpy(),
               C.GENRES: ["|".join(map(str, g)) for g in recs[C.GENRES]], C.SCORE: recs[C.SCORE].to_numpy()}  # fmt: skip
    columns |= {term: recs[term].to_numpy() for term in TERM_COLUMNS}
    columns |= {"p_like": recs["p_like"].to_numpy(), "popularity": recs["popularity"].to_numpy(), "popularity_percentile": ranks[rows]}
    return pd.DataFrame(columns)


def _person_row(person: Person, user) -> dict[str, Any]:
    reading = user.reading
    unsure = [m.query for m in (reading.titles if reading is not None else ()) if not m.confident]
    state = "no text" if not user.text else "empty" if reading is None or reading.is_empty else "read"
    return {
        PERSON: person.person, "line": person.line, TEXT: user.text,
        "demographics": ", ".join(f"{k} {v}" for k, v in user.demographics.items()),
        LIKED: ";".join(map(str, user.liked)), "reading": state, "unsure": "; ".join(unsure), "notes": " ".join(user.warnings),
    }  # fmt: skip


# ---------------------------------------------------------------------- the cohort view
def cohort_view(explorer: Explorer, run: CohortRun, near_identical: float = NEAR_IDENTICAL, top: int = 20) -> CohortView:
    """What the cohort is shown, against the catalogue (see :class:`CohortView`)."""
    recs = run.recommendations
    candidates = np.setdiff1d(np.arange(explorer.dataset.n_items), explorer.second_entries())
    rows = explorer.dataset.item_ids.indices(recs[C.ITEM].tolist())
    exposure = np.bincount(rows, minlength=explorer.dataset.n_items)[candidates]
    n_people = int(recs[PERSON].nunique()) if len(recs) else 0
    percentile = recs["popularity_percentile"].to_numpy(dtype=float)
    quantiles = {f"p{q}": float(np.percentile(percentile, q)) if len(percentile) else float("nan") for q in (10, 25, 50, 75, 90)}
    by_person = recs.groupby([PERSON, "line"], sort=False)["popularity_percentile"].mean().rename("percentile").reset_index()
    return CohortView(
        n_people=n_people,
        k=run.k,
        mix=attribute_mix(explorer, rows, candidates),
        popularity=quantiles | {"mean": float(percentile.mean()) if len(percentile) else float("nan")},
        list_popularity=by_person,
        coverage=coverage(exposure),
        gini=gini(exposure),
        distinct_items=int((exposure > 0).sum()),
        reach=_reach(recs, n_people, top),
        unread=run.people[(run.people["reading"] == "empty") | (run.people["unsure"] != "") | (run.people["notes"] != "")][
            [PERSON, "line", TEXT, "reading", "unsure", "notes"]
        ].reset_index(drop=True),
        clusters=clusters(_lists(recs), near_identical, explorer.titles()),
    )


def coverage(exposure: Sequence[float]) -> float:
    """Share of items shown at least once; ``exposure`` counts each catalogue item's showings, zeros included.

    Example:
        >>> coverage([3, 0, 1, 0])
        0.5
    """
    counts = np.asarray(exposure)
    return float((counts > 0).sum() / len(counts)) if len(counts) else 0.0


def gini(exposure: Sequence[float]) -> float:
    r"""Gini coefficient of exposure over every catalogue item, zeros included.

    With the counts sorted ascending, :math:`G = \frac{\sum_i (2i - n - 1)\, x_i}{n \sum_i x_i}` (:math:`i = 1 … n`):
    0 when every item is shown equally often, :math:`(n-1)/n` when one item takes every showing.

    Example:
        >>> gini([0, 0, 0, 4])
        0.75
    """
    x = np.sort(np.asarray(exposure, dtype=float))
    if x.sum() == 0:
        return 0.0
    n = len(x)
    return float((2 * np.arange(1, n + 1) - n - 1) @ x / (n * x.sum()))


def attribute_mix(explorer: Explorer, shown_rows: np.ndarray, candidates: np.ndarray, top: int = 20) -> pd.DataFrame:
    """For each item attribute (genres; year as decades; any other label column but the creator), the share of
    shown slots with each value next to the share of catalogue items with it: the ``top`` values by either share, and
    in ``values`` how many the attribute has (a chart of fewer says so)."""
    items = explorer.items
    parts = []
    for column in explorer.dataset.item_attributes:
        if column not in items or column == explorer.dataset.creator_column:
            continue
        values = items[column]
        if values.map(lambda v: isinstance(v, (list, tuple, np.ndarray))).all():
            labels = values.map(lambda v: [str(x) for x in v if str(x) != "unknown"])
        elif column == C.YEAR or pd.api.types.is_numeric_dtype(values):
            if column != C.YEAR:
                continue  # a number without a natural grouping
            labels = values.map(lambda y: [f"{int(y) // 10 * 10}s"] if pd.notna(y) else [])
        else:
            labels = values.map(lambda v: [str(v)] if pd.notna(v) and str(v) else [])
        catalogue = _shares(labels.iloc[candidates])
        shown = _shares(labels.iloc[shown_rows]) if len(shown_rows) else pd.Series(dtype=float)
        frame = pd.DataFrame({"shown": shown, "catalogue": catalogue}).fillna(0.0)
        n_values = len(frame)
        frame = frame.loc[frame.max(axis=1).sort_values(ascending=False).index[:top]]
        if column == C.YEAR:  # decades are an ordered axis: oldest first, the same order in every run
            frame = frame.loc[sorted(frame.index, key=lambda decade: int(decade[:-1]))]
        parts.append(frame.rename_axis("value").reset_index().assign(attribute=column, values=n_values))
    if not parts:
        return pd.DataFrame(columns=["attribute", "value", "shown", "catalogue", "values"])
    return pd.concat(parts, ignore_index=True)[["attribute", "value", "shown", "catalogue", "values"]]


def _shares(labels: pd.Series) -> pd.Series:
    """Share of the rows carrying each label (a row may carry several)."""
    counts = labels.explode().dropna().value_counts()
    return counts / max(1, len(labels))


def _reach(recs: pd.DataFrame, n_people: int, top: int) -> pd.DataFrame:
    if not len(recs):
        return pd.DataFrame(columns=[C.ITEM, C.TITLE, "people", "share", "mean_rank", "popularity_percentile"])
    grouped = recs.groupby(C.ITEM, sort=False).agg(
        title=(C.TITLE, "first"),
        people=(PERSON, "size"),
        mean_rank=("rank", "mean"),
        popularity_percentile=("popularity_percentile", "first"),
    )
    grouped["share"] = grouped["people"] / max(1, n_people)
    grouped = grouped.sort_values(["people", "mean_rank"], ascending=[False, True]).head(top).reset_index()
    return grouped[[C.ITEM, C.TITLE, "people", "share", "mean_rank", "popularity_percentile"]]


def _lists(recs: pd.DataFrame) -> dict[str, tuple]:
    """Each person's list (their label → item ids in rank order), people in the order they ran; a label a file
    gives twice is told apart by its line."""
    out: dict[tuple, list] = {}
    for person, line, item in zip(recs[PERSON], recs["line"], recs[C.ITEM]):  # rows are in rank order already
        out.setdefault((person, line), []).append(item)
    repeated = pd.Series([person for person, _ in out]).duplicated(keep=False).to_numpy()
    return {f"{person} (line {line})" if twice else person: tuple(items) for ((person, line), items), twice in zip(out.items(), repeated)}


def clusters(lists: Mapping[str, Sequence], threshold: float = NEAR_IDENTICAL, titles: Mapping | None = None) -> pd.DataFrame:
    """People whose lists are near-identical, grouped: two people are joined when the Jaccard index of their
    lists' item sets is at least ``threshold``, and a cluster is everyone joined through such links.

    Returns one row per cluster of two or more people, largest first: ``cluster`` (1, 2, …), ``size``,
    ``identical`` (every list holds the same items), ``shared_items`` (items in every list), ``items`` (the
    items most of them get, as titles where ``titles`` names them) and ``people`` (their labels).

    Example:
        >>> clusters({"a": (1, 2, 3), "b": (3, 2, 1), "c": (7, 8, 9)})[["size", "identical", "people"]].to_dict("records")
        [{'size': 2, 'identical': True, 'people': ['a', 'b']}]
    """
    names = list(lists)
    empty = pd.DataFrame(columns=["cluster", "size", "identical", "shared_items", "items", "people"])
    if len(names) < 2:
        return empty
    codes, uniques = pd.factorize(pd.Series([item for name in names for item in lists[name]], dtype=object))
    sizes = np.array([len(lists[name]) for name in names])
    owners = np.repeat(np.arange(len(names)), sizes)
    incidence = sparse.csr_matrix((np.ones(len(codes), np.float32), (owners, codes)), shape=(len(names), len(uniques)))
    incidence.data[:] = 1.0  # an item listed twice by one person counts once
    counts = np.asarray(incidence.sum(axis=1)).ravel()
    links_i, links_j = [], []
    for start in range(0, len(names), 1024):  # blocks of rows: never an n × n matrix in memory at once
        inter = (incidence[start : start + 1024] @ incidence.T).toarray()
        union = counts[start : start + 1024, None] + counts[None, :] - inter
        jaccard = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
        i, j = np.nonzero(jaccard >= threshold)
        keep = i + start < j
        links_i.append(i[keep] + start)
        links_j.append(j[keep])
    i, j = np.concatenate(links_i), np.concatenate(links_j)
    graph = sparse.coo_matrix((np.ones(len(i)), (i, j)), shape=(len(names), len(names)))
    _, label = connected_components(graph, directed=False)
    groups = [np.flatnonzero(label == c) for c in np.unique(label)]
    groups = sorted((g for g in groups if len(g) > 1), key=lambda g: (-len(g), g[0]))
    rows = []
    for n, members in enumerate(groups, start=1):
        sub = incidence[members]
        held = np.asarray(sub.sum(axis=0)).ravel()
        order = np.argsort(-held, kind="stable")
        common = [uniques[c] for c in order if held[c] * 2 > len(members)][:10]
        sets = {frozenset(lists[names[m]]) for m in members}
        rows.append({
            "cluster": n, "size": len(members), "identical": len(sets) == 1, "shared_items": int((held == len(members)).sum()),
            "items": [str((titles or {}).get(_plain(i), i)) for i in common], "people": [names[m] for m in members],
        })  # fmt: skip
    return pd.DataFrame(rows, columns=empty.columns) if rows else empty


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


# ---------------------------------------------------------------------- files
def problems_frame(problems: Sequence[Problem]) -> pd.DataFrame:
    """Problems as a table: ``line, person, column, message, skipped``, in file order."""
    frame = pd.DataFrame([vars(p) for p in problems], columns=["line", "person", "column", "message", "skipped"])
    frame = frame.astype({"line": int, "skipped": bool})  # typed when empty too, so a mask on ``skipped`` selects rows
    return frame.sort_values("line", kind="stable").reset_index(drop=True)


def flagged(person: Mapping[str, Any]) -> str:
    """Why a person of :attr:`CohortView.unread` is listed: ``read as nothing``, ``unsure titles`` or ``a note on the text``
    (any note New user would show)."""
    if person["reading"] == "empty":
        return "read as nothing"
    return "unsure titles" if person["unsure"] else "a note on the text"


def _said_of(person: Mapping[str, Any]) -> str:
    """The problems.csv message of a listed person: why they are listed (:func:`flagged`), then their notes."""
    why = {
        "read as nothing": "read as nothing: no genre, title, era or self-description found; its list rests on the raw text embedding.",
        "unsure titles": f"titles the reading was unsure of: {person['unsure']}.",
    }.get(flagged(person), "")
    return " ".join(part for part in (why, person["notes"]) if part)


def problems_report(run: CohortRun, view: CohortView) -> pd.DataFrame:
    """Every problem the page lists, as ``problems.csv`` holds it: ``line, person, column, message, skipped, kind``.

    ``kind`` is ``left out`` (a row that did not run), ``note`` (about the whole file), then, for people who ran,
    ``read as nothing``, ``unsure titles`` or ``a note on the text`` (:func:`flagged`) — the page's table of them.
    (The download held the first two only, so a file of eight profiles with two read as nothing downloaded empty.)
    """
    rows = problems_frame(run.problems)
    rows["kind"] = np.where(rows["skipped"], "left out", "note")
    unread = [
        {"line": int(p["line"]), "person": p[PERSON], "column": TEXT, "skipped": False, "kind": flagged(p), "message": _said_of(p)}
        for p in view.unread.to_dict("records")
    ]  # fmt: skip
    columns = [*rows.columns]
    return pd.concat([rows, pd.DataFrame(unread, columns=columns)], ignore_index=True).astype({"line": int, "skipped": bool})


def export(run: CohortRun, view: CohortView, folder: str | Path) -> dict[str, Path]:
    """Write ``recommendations.csv``, ``recommendations.parquet``, ``summary.json`` and ``problems.csv`` into ``folder``."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / name for name in ("recommendations.csv", "recommendations.parquet", "summary.json", "problems.csv")}
    paths["recommendations.csv"].write_bytes(csv_bytes(run.recommendations))
    paths["recommendations.parquet"].write_bytes(parquet_bytes(run.recommendations))
    paths["problems.csv"].write_bytes(csv_bytes(problems_report(run, view)))
    paths["summary.json"].write_text(summary_json(run, view))
    return paths


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A table as UTF-8 CSV, without the index."""
    return frame.to_csv(index=False).encode("utf-8")


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    """A table as Parquet (pyarrow), without the index."""
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def summary_json(run: CohortRun, view: CohortView) -> str:
    """The run's time, its problem count (the rows of :func:`problems_report`) and the rows left out, with
    :meth:`CohortView.summary`, as indented JSON."""
    left_out = len({p.line for p in run.problems if p.skipped})
    summary = {"seconds": round(run.seconds, 2), "problems": len(problems_report(run, view)), "left_out": left_out, **view.summary()}
    return json.dumps(summary, indent=2, default=_json_value) + "\n"


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return json.loads(frame.to_json(orient="records", default_handler=str))


def _json_value(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else str(value)
