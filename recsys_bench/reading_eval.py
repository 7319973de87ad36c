"""Profile reading measured on hand-labelled sentences: ``python -m recsys_bench.reading_eval``.

The sentences live in ``bench/reading/`` as JSON Lines, one sentence a line, each with the
reading a careful person would give it: genres wanted and ruled out, the catalogue titles
it names (or the candidates of a short, common-word title that should be offered as
unsure), the years it asks for, and what the writer says about themselves. They are
grouped in phrasing *families* ("exclusion by idiom", "title opening the sentence", ...);
a third of the families, drawn once at random (:func:`heldout_families`), is kept in
``heldout.jsonl`` and only ever reported, never read while the reader changes.

Each catalogue's reader is built the way the app builds it (``Explorer.reader``), from the
dataset and the text model's attitude model (:mod:`recsys.reading.attitude`), so no
recommender is trained; ``--rules-only`` reads without the attitude model, as the reader did
before it.

Per split and catalogue, the scores are shares of sentences:

- ruled out: sentences that rule a genre out whose ruled-out genres are exactly the labelled
  ones (a genre marked optional may be read or not);
- wanted: the same for wanted genres;
- ruled out read as wanted: sentences where a labelled ruled-out genre is read as *wanted*,
  the harmful error (lower is better);
- titles found or offered: every named title is matched to one of its ids, or offered as
  an unsure chip with one of them among the alternatives;
- titles as labelled: distinctive titles matched with confidence, short common-word ones
  offered as unsure;
- era: both ends within the labelled tolerance (an open end: at or beyond the catalogue's
  first or last year, give or take the tolerance);
- demographics: the stated age, gender, occupation and region, no more and no less, among
  the user columns the catalogue has (the app drops the others);
- reads something not said: a genre, confident title, era or self-description that the
  labels do not have (lower is better);
- read entirely as labelled.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from recsys import columns as C
from recsys.data import Dataset, load_movielens_100k, load_path
from recsys.examples import write_bookshop
from recsys.features import FeatureSpace
from recsys.reading import AttitudeModel, ProfileReader, Reading

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "bench" / "reading"
SPLITS = ("built", "heldout")
CATALOGUES = ("movielens", "bookshop")
#: The seed that drew the held-out families, once; see :func:`heldout_families`.
HELDOUT_SEED = 20
#: What a family is about; the held-out third is drawn within each kind so every kind is in it.
KINDS = ("wants", "exclusions", "comparisons", "titles", "eras", "self", "mixed")
FIELDS = ("id", "family", "kind", "catalogue", "text", "wants", "rules_out", "titles", "era", "demographics")
OPTIONAL_FIELDS = ("wants_optional", "rules_out_optional")
#: Scores in table order: key, label, whether a higher share is better.
METRICS = (
    ("rules_out", "ruled-out genre read correctly", True),
    ("wants", "wanted genre read correctly", True),
    ("rules_out_as_wanted", "ruled-out genre read as wanted", False),
    ("titles_found", "titles found or offered unsure", True),
    ("titles_exact", "titles as labelled (sure/unsure)", True),
    ("era", "era within tolerance", True),
    ("demographics", "demographics correct", True),
    ("extra", "reads something not said", False),
    ("all", "read entirely as labelled", True),
)


class Reader(Protocol):
    def read(self, text: str) -> Reading: ...


# ======================================================================================
# Labels
# ======================================================================================


@dataclass(frozen=True)
class TitleLabel:
    """A title the sentence names: ``ids`` that count as it; ``unsure`` when it should be offered, not taken."""

    name: str
    ids: tuple[str, ...]
    unsure: bool = False


@dataclass(frozen=True)
class EraLabel:
    """The years asked for; ``None`` is an open end (the catalogue's first or last year)."""

    start: int | None
    end: int | None
    tolerance: int = 1


@dataclass(frozen=True)
class Sentence:
    """One labelled sentence (a line of a split file)."""

    id: str
    family: str
    kind: str
    catalogue: str
    text: str
    wants: frozenset[str] = frozenset()
    rules_out: frozenset[str] = frozenset()
    wants_optional: frozenset[str] = frozenset()
    rules_out_optional: frozenset[str] = frozenset()
    titles: tuple[TitleLabel, ...] = ()
    era: EraLabel | None = None
    demographics: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, row: Mapping[str, Any]) -> Sentence:
        """Parse one line; raises ``ValueError`` naming the field on a malformed one."""
        missing = [name for name in FIELDS if name not in row]
        unknown = set(row) - set(FIELDS) - set(OPTIONAL_FIELDS)
        if missing or unknown:
            raise ValueError(f"sentence {row.get('id')!r}: missing {missing}, unknown {sorted(unknown)}")
        if row["kind"] not in KINDS or row["catalogue"] not in CATALOGUES:
            raise ValueError(f"sentence {row['id']!r}: kind {row['kind']!r} or catalogue {row['catalogue']!r} unknown")
        titles = []
        for title in row["titles"]:
            if ("ids" in title) == ("unsure" in title) or not title.get("name"):
                raise ValueError(f"sentence {row['id']!r}: a title needs a name and either ids or unsure: {title}")
            ids = title.get("ids", title.get("unsure"))
            titles.append(TitleLabel(str(title["name"]), tuple(str(i) for i in ids), "unsure" in title))
        era = row["era"]
        return cls(
            id=str(row["id"]),
            family=str(row["family"]),
            kind=str(row["kind"]),
            catalogue=str(row["catalogue"]),
            text=str(row["text"]),
            wants=frozenset(row["wants"]),
            rules_out=frozenset(row["rules_out"]),
            wants_optional=frozenset(row.get("wants_optional", ())),
            rules_out_optional=frozenset(row.get("rules_out_optional", ())),
            titles=tuple(titles),
            era=None if era is None else EraLabel(era["start"], era["end"], int(era.get("tolerance", 1))),
            demographics=dict(row["demographics"]),
        )


def split_path(split: str, folder: Path = FOLDER) -> Path:
    return folder / f"{split}.jsonl"


def load(split: str, folder: Path = FOLDER) -> list[Sentence]:
    """The sentences of one split, in file order."""
    lines = split_path(split, folder).read_text(encoding="utf-8").splitlines()
    return [Sentence.from_dict(json.loads(line)) for line in lines if line.strip()]


def heldout_families(family_kinds: Mapping[str, str], seed: int = HELDOUT_SEED) -> list[str]:
    """The held-out families: a third of each kind's families (rounded), drawn with ``seed``.

    Run once to split the sentences; the tests check that the files still hold this split.
    """
    rng = random.Random(seed)
    chosen: list[str] = []
    for kind in KINDS:
        families = sorted(f for f, k in family_kinds.items() if k == kind)
        chosen += rng.sample(families, round(len(families) / 3))
    return sorted(chosen)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ======================================================================================
# Catalogues
# ======================================================================================


@dataclass(frozen=True)
class Catalogue:
    """A catalogue's reader and what its labels may name."""

    name: str
    reader: Reader
    genres: frozenset[str]
    item_ids: frozenset[str]
    user_labels: Mapping[str, tuple[str, ...]]  # user column → its labels (empty for numbers)
    year_range: tuple[int, int]


def reader_for(dataset: Dataset, attitude: AttitudeModel | None = None) -> ProfileReader:
    """The profile reader of ``dataset`` as ``Explorer.reader`` builds it, without training a model.

    The explorer's user vocabulary is ``FeatureSpace.fit`` of the dataset's users (``recsys.artifacts``);
    occupations come from its occupation column and every other one-label column is a place.
    """
    user_space = FeatureSpace.fit(dataset.users, dataset.user_attributes)
    occupations = user_space.block(C.OCCUPATION).labels if C.OCCUPATION in user_space.columns else ()
    places = {
        block.column: block.labels
        for block in user_space.blocks
        if block.kind == "one" and block.column not in (C.OCCUPATION, C.GENDER, C.AGE)
    }
    nouns = (dataset.noun, dataset.nouns)
    return ProfileReader(dataset.items, occupations=occupations, places=places, item_nouns=nouns, attitude=attitude)


def attitude_model() -> AttitudeModel:
    """The attitude model the app's reader uses, on the default text model (``$COLDSTART_ENCODER``, else MiniLM)."""
    from recsys.encoders import make_encoder

    return AttitudeModel.fit(make_encoder().encode)


def catalogue_of(name: str, dataset: Dataset, reader: Reader | None = None) -> Catalogue:
    """The catalogue ``name`` over ``dataset``; ``reader`` defaults to :func:`reader_for`."""
    user_space = FeatureSpace.fit(dataset.users, dataset.user_attributes)
    years = dataset.items[C.YEAR].dropna() if C.YEAR in dataset.items else ()
    return Catalogue(
        name=name,
        reader=reader if reader is not None else reader_for(dataset),
        genres=frozenset(g for genres in dataset.items[C.GENRES] for g in genres),
        item_ids=frozenset(str(i) for i in dataset.items[C.ITEM]),
        user_labels={b.column: (b.labels if b.kind == "one" else ()) for b in user_space.blocks},
        year_range=(int(min(years)), int(max(years))) if len(years) else (0, 9999),
    )


def load_catalogue(name: str, attitude: AttitudeModel | None = None) -> Catalogue:
    """MovieLens-100k, or the example bookshop written to a temporary folder (the same bytes every time)."""
    if name == "movielens":
        dataset = load_movielens_100k()
        return catalogue_of(name, dataset, reader_for(dataset, attitude))
    if name == "bookshop":
        with tempfile.TemporaryDirectory(prefix="reading-eval-bookshop-") as folder:
            dataset = load_path(write_bookshop(folder))
            return catalogue_of(name, dataset, reader_for(dataset, attitude))
    raise ValueError(f"unknown catalogue {name!r}; expected one of {', '.join(CATALOGUES)}")


def label_problems(sentence: Sentence, catalogue: Catalogue) -> list[str]:
    """What in a sentence's labels the catalogue does not have (empty when all is well)."""
    problems = []
    genres = sentence.wants | sentence.rules_out | sentence.wants_optional | sentence.rules_out_optional
    problems += [f"genre {g!r} is not in {catalogue.name}" for g in sorted(genres - catalogue.genres)]
    if sentence.wants & sentence.rules_out:
        problems.append(f"both wanted and ruled out: {sorted(sentence.wants & sentence.rules_out)}")
    for title in sentence.titles:
        problems += [f"title {title.name!r}: no item {i}" for i in title.ids if i not in catalogue.item_ids]
        if not title.ids:
            problems.append(f"title {title.name!r} has no ids")
    if sentence.era is not None:
        start, end = sentence.era.start, sentence.era.end
        if start is None and end is None or (start is not None and end is not None and start > end):
            problems.append(f"era {start}–{end} is not a window")
    for key, value in sentence.demographics.items():
        if key not in catalogue.user_labels:
            problems.append(f"{catalogue.name} has no user column {key!r}")
        elif key == C.AGE:
            if not (isinstance(value, int) or (isinstance(value, list) and len(value) == 2 and value[0] <= value[1])):
                problems.append(f"age {value!r} is neither a number nor a [low, high] range")
        elif catalogue.user_labels[key] and value not in catalogue.user_labels[key]:
            problems.append(f"{key} {value!r} is not one of {catalogue.name}'s labels")
    return [f"{sentence.id}: {p}" for p in problems]


# ======================================================================================
# Scoring
# ======================================================================================


@dataclass(frozen=True)
class Verdict:
    """How one reading compares with its labels; ``None`` where a score does not apply."""

    rules_out: bool | None
    wants: bool | None
    rules_out_as_wanted: bool | None
    titles_found: bool | None
    titles_exact: bool | None
    era: bool | None
    demographics: bool | None
    extra: bool
    all: bool
    extras: tuple[str, ...] = ()


def _genres_ok(read: Iterable[str], required: frozenset[str], optional: frozenset[str]) -> bool:
    read = set(read)
    return required <= read <= required | optional


def _offered(match: Any, ids: tuple[str, ...]) -> bool:
    """A confident match to one of ``ids``, or an unsure one with one of them among its alternatives."""
    if match.item_id is not None:
        return str(match.item_id) in ids
    return any(str(alt[0]) in ids for alt in match.alternatives)


def _title_exact(match: Any, label: TitleLabel) -> bool:
    if label.unsure:
        return match.item_id is None and any(str(alt[0]) in label.ids for alt in match.alternatives)
    return match.item_id is not None and str(match.item_id) in label.ids


def _end_ok(read: int, labelled: int | None, open_end: int, tolerance: int, lower: bool) -> bool:
    if labelled is None:  # open: at the catalogue's edge or beyond it
        return read <= open_end + tolerance if lower else read >= open_end - tolerance
    return abs(read - labelled) <= tolerance


def _era_ok(era: Any, label: EraLabel, year_range: tuple[int, int]) -> bool:
    if era is None:
        return False
    first, last = year_range
    return _end_ok(era.start, label.start, first, label.tolerance, True) and _end_ok(era.end, label.end, last, label.tolerance, False)


def _age_ok(read: Any, labelled: Any) -> bool:
    if isinstance(labelled, list):
        return isinstance(read, (int, float)) and labelled[0] <= read <= labelled[1]
    return read == labelled


def judge(sentence: Sentence, reading: Reading, catalogue: Catalogue) -> Verdict:
    """Score one reading against its sentence's labels."""
    said_rules = sentence.rules_out | sentence.rules_out_optional
    said_wants = sentence.wants | sentence.wants_optional
    rules_ok = _genres_ok(reading.rules_out, sentence.rules_out, sentence.rules_out_optional)
    wants_ok = _genres_ok(reading.wants, sentence.wants, sentence.wants_optional)
    found = [any(_offered(m, label.ids) for m in reading.titles) for label in sentence.titles]
    exact = [any(_title_exact(m, label) for m in reading.titles) for label in sentence.titles]
    stated = {k: v for k, v in reading.demographics.items() if k in catalogue.user_labels}
    demographics_ok = set(stated) == set(sentence.demographics) and all(
        _age_ok(stated[k], v) if k == C.AGE else stated[k] == v for k, v in sentence.demographics.items()
    )
    era_ok = _era_ok(reading.era, sentence.era, catalogue.year_range) if sentence.era else reading.era is None

    named = {i for label in sentence.titles for i in label.ids}
    extras = [f"genre {g}" for g in (*reading.wants, *reading.rules_out) if g not in said_rules | said_wants]
    extras += [f"title {m.title}" for m in reading.titles if m.item_id is not None and str(m.item_id) not in named]
    extras += [f"era {reading.era.start}–{reading.era.end}"] if reading.era is not None and sentence.era is None else []
    extras += [f"{k} {v}" for k, v in stated.items() if k not in sentence.demographics]
    confident_extra = any(e.startswith("title ") for e in extras)
    return Verdict(
        rules_out=rules_ok if sentence.rules_out else None,
        wants=wants_ok if sentence.wants else None,
        rules_out_as_wanted=bool(sentence.rules_out & set(reading.wants)) if sentence.rules_out else None,
        titles_found=all(found) if sentence.titles else None,
        titles_exact=all(exact) if sentence.titles else None,
        era=era_ok if sentence.era else None,
        demographics=demographics_ok if sentence.demographics else None,
        extra=bool(extras),
        all=rules_ok and wants_ok and all(exact) and not confident_extra and era_ok and demographics_ok,
        extras=tuple(extras),
    )


@dataclass(frozen=True)
class Tally:
    """``hits`` of ``n`` sentences (hits are errors for the lower-is-better scores)."""

    hits: int
    n: int

    @property
    def rate(self) -> float | None:
        return self.hits / self.n if self.n else None


@dataclass(frozen=True)
class Result:
    """The scores of one split on one catalogue."""

    split: str
    catalogue: str
    n_sentences: int
    n_families: int
    tallies: Mapping[str, Tally]
    p50_ms: float
    misses: tuple[dict, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        scores = {key: {"hits": t.hits, "n": t.n, "rate": t.rate} for key, t in self.tallies.items()}
        return {"sentences": self.n_sentences, "families": self.n_families, "scores": scores, "p50_ms": self.p50_ms}


def describe(reading: Reading) -> str:
    """A reading in one line, for the list of misreadings."""
    parts = [f"wants {sorted(reading.wants)}"] if reading.wants else []
    parts += [f"rules out {sorted(reading.rules_out)}"] if reading.rules_out else []
    parts += [f"title {m.title if m.confident else '?' + m.query}" for m in reading.titles]
    parts += [f"era {reading.era.start}–{reading.era.end}"] if reading.era else []
    parts += [f"{k} {v}" for k, v in reading.demographics.items()]
    return "; ".join(parts) or "nothing"


def evaluate(sentences: Sequence[Sentence], catalogue: Catalogue, split: str = "", keep_misses: bool = False) -> Result:
    """Read every sentence of ``catalogue`` and tally the scores (:data:`METRICS`)."""
    mine = [s for s in sentences if s.catalogue == catalogue.name]
    if mine:
        catalogue.reader.read(mine[0].text)  # first call warms caches; not timed
    counts = {key: [0, 0] for key, _, _ in METRICS}
    times, misses = [], []
    for sentence in mine:
        start = time.perf_counter()
        reading = catalogue.reader.read(sentence.text)
        times.append((time.perf_counter() - start) * 1000)
        verdict = judge(sentence, reading, catalogue)
        for key, _, _ in METRICS:
            value = getattr(verdict, key)
            if value is not None:
                counts[key][0] += bool(value)
                counts[key][1] += 1
        if keep_misses and not verdict.all:
            misses.append({"id": sentence.id, "text": sentence.text, "read": describe(reading), "extra": list(verdict.extras)})
    return Result(
        split=split,
        catalogue=catalogue.name,
        n_sentences=len(mine),
        n_families=len({s.family for s in mine}),
        tallies={key: Tally(*c) for key, c in counts.items()},
        p50_ms=statistics.median(times) if times else float("nan"),
        misses=tuple(misses),
    )


# ======================================================================================
# Report
# ======================================================================================


def by_kind(sentences: Mapping[str, Sequence[Sentence]], catalogues: Mapping[str, Catalogue]) -> dict[str, list[Result]]:
    """The scores of each kind of family (:data:`KINDS`) that has sentences, per split and catalogue."""
    out = {}
    for kind in KINDS:
        of_kind = {split: [s for s in group if s.kind == kind] for split, group in sentences.items()}
        if any(of_kind.values()):
            out[kind] = [evaluate(of_kind[split], catalogue, split) for split in of_kind for catalogue in catalogues.values()]
    return out


def _cell(tally: Tally) -> str:
    return "–" if tally.rate is None else f"{tally.rate:4.0%} ({tally.hits}/{tally.n})"


def table(results: Sequence[Result]) -> str:
    """The scores as a plain-text table, one column per split and catalogue."""
    heads = [f"{r.split} {r.catalogue}" for r in results]
    rows = [["sentences (families)", *[f"{r.n_sentences} ({r.n_families})" for r in results]]]
    for key, label, higher in METRICS:
        rows.append([f"{label} {'↑' if higher else '↓'}", *[_cell(r.tallies[key]) for r in results]])
    rows.append(["reading p50 ms", *[f"{r.p50_ms:.2f}" for r in results]])
    widths = [max(len(row[i]) for row in [["", *heads], *rows]) for i in range(len(heads) + 1)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(["", *heads], widths)).rstrip()]
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m recsys_bench.reading_eval", description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=(*SPLITS, "both"), default="both")
    parser.add_argument("--catalogue", choices=(*CATALOGUES, "both"), default="both")
    parser.add_argument("--json", type=Path, help="write the scores here")
    parser.add_argument("--misses", action="store_true", help="list the built split's misreadings (never the held-out ones)")
    parser.add_argument(
        "--folder", type=Path, default=FOLDER,
        help="the sentence files (built.jsonl, heldout.jsonl); default bench/reading, and bench/reading/round2 is the second round",
    )  # fmt: skip
    parser.add_argument("--rules-only", action="store_true", help="read without the attitude model (the rules alone)")
    parser.add_argument("--by-kind", action="store_true", help="also one table per kind of family (wants, exclusions, …)")
    args = parser.parse_args(argv)
    splits = SPLITS if args.split == "both" else (args.split,)
    names = CATALOGUES if args.catalogue == "both" else (args.catalogue,)
    attitude = None if args.rules_only else attitude_model()
    catalogues = {name: load_catalogue(name, attitude) for name in names}
    sentences = {split: load(split, args.folder) for split in splits}
    problems = [
        p for split in splits for s in sentences[split] if s.catalogue in catalogues for p in label_problems(s, catalogues[s.catalogue])
    ]
    if problems:
        print("The labels name things the catalogues do not have:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    results = [
        evaluate(sentences[split], catalogues[name], split, keep_misses=args.misses and split == "built")
        for split in splits
        for name in names
    ]
    print(table(results))
    if args.by_kind:
        for kind, kind_results in by_kind(sentences, catalogues).items():
            print(f"\n{kind}:")
            print(table(kind_results))
    for result in results:
        for miss in result.misses:
            print(f"\n{miss['id']} [{result.catalogue}]: {miss['text']}\n  read: {miss['read']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "date": datetime.date.today().isoformat(),
            "command": "python -m recsys_bench.reading_eval " + " ".join(argv if argv is not None else sys.argv[1:]),
            "folder": str(args.folder),
            "heldout_sha256": sha256(split_path("heldout", args.folder)),
            "reader": "rules only" if args.rules_only else "rules and the attitude model",
            "results": {r.split: {} for r in results},
        }
        for r in results:
            payload["results"][r.split][r.catalogue] = r.to_dict()
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
