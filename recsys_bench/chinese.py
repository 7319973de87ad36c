"""Chinese profiles: does a profile typed in Chinese (or Chinese with English words) get what it says?

Two measures on MovieLens-100k, for whichever text model the explorer loaded
(``python -m recsys bench --chinese [--encoder multilingual]``):

- **Profile understanding**, on the hand-written cases of ``bench/reading_zh`` (built and
  held-out, reported side by side; the held-out file was written apart from the reader and is
  never tuned on): the wanted genre's share of the top-20 (target ≥ 0.80), the ruled-out
  genre's share (≤ 0.05), the share inside the era window (≥ 0.70), and whether the stated age
  and occupation were read — the forms of ``bench --profiles``.
- **Cross-lingual agreement**, on ``bench/reading_zh/pairs.jsonl``: for each English profile,
  the Jaccard overlap of its top-20 with its Chinese translation's, beside the overlap with a
  second English wording of the same profile. The target: Chinese twins agree at least as much
  as English paraphrases do.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from recsys import columns as C
from recsys.explorer import Explorer
from recsys.reading import ProfileReader

K = 20
CASES = Path(__file__).resolve().parent.parent / "bench" / "reading_zh"
TARGETS = {"wanted_share": 0.80, "ruled_out_share": 0.05, "in_window": 0.70}


def load_cases(split: str) -> list[dict[str, Any]]:
    """The cases of one split (``built``, ``heldout`` or ``traditional``)."""
    return [json.loads(line) for line in (CASES / f"{split}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def _share(recs: pd.DataFrame, genres: Sequence[str]) -> float:
    return float(np.mean([bool(set(g) & set(genres)) for g in recs[C.GENRES]])) if len(recs) else 0.0


def score_case(explorer: Explorer, case: dict[str, Any]) -> dict[str, Any]:
    """One case's top-20 measures and whether it met each target its form has."""
    user = explorer.new_user(case["text"])
    recs = explorer.recommend(user, k=K)
    row: dict[str, Any] = {"id": case["id"], "family": case["family"], "form": case["form"], "text": case["text"]}
    met = []
    if case["wants"]:
        row["wanted_share"] = _share(recs, case["wants"])
        met.append(row["wanted_share"] >= TARGETS["wanted_share"])
    if case["rules_out"]:
        row["ruled_out_share"] = _share(recs, case["rules_out"])
        met.append(row["ruled_out_share"] <= TARGETS["ruled_out_share"])
    if case["era"]:
        start, end = case["era"]
        years = explorer.items.set_index(C.ITEM).loc[recs[C.ITEM], C.YEAR].to_numpy()
        row["in_window"] = float(np.mean((years >= start) & (years <= end)))
        met.append(row["in_window"] >= TARGETS["in_window"])
    if case["demographics"]:
        read = user.reading.demographics if user.reading is not None else {}
        row["demographics_read"] = all(read.get(k) == v for k, v in case["demographics"].items())
        met.append(row["demographics_read"])
    row["met"] = all(met)
    return row


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    frame = pd.DataFrame(rows)
    out: dict[str, Any] = {"cases": len(frame), "met": int(frame["met"].sum())}
    for measure in ("wanted_share", "ruled_out_share", "in_window", "demographics_read"):
        if measure in frame:
            values = frame[measure].dropna().astype(float)
            out[measure] = float(values.mean()) if len(values) else None
    mixed = frame[frame["family"].str.startswith("mixed_")]
    out["mixed_met"] = f"{int(mixed['met'].sum())}/{len(mixed)}"
    return out


def understanding(explorer: Explorer) -> dict[str, Any]:
    """Every split scored (built, held-out, and the held-out traditional-character profiles): rows and a summary each."""
    out: dict[str, Any] = {}
    for split in ("built", "heldout", "traditional"):
        cases = load_cases(split)
        rows = [score_case(explorer, case) for case in cases]
        reading = reading_accuracy(explorer.reader, cases, explorer.reader.year_range)
        out[split] = {"rows": rows, "summary": _summary(rows), "reading": reading}
    return out


def reading_accuracy(reader: ProfileReader, cases: Sequence[dict[str, Any]], year_range: tuple[int, int]) -> dict[str, float]:
    """How the reader alone does on the cases (no model): each part of the reading against its label.

    An era is compared clipped to the catalogue's years (二十年代 in a catalogue from 1922 is 1922–1929).
    """

    def clip(era: Any) -> tuple[int, int] | None:
        return None if era is None else (max(year_range[0], era[0]), min(year_range[1], era[1]))

    counts = {"entirely": 0, "wants": 0, "rules_out": 0, "rules_out_as_wanted": 0, "era": 0, "self": 0}
    totals = {"entirely": len(cases), "wants": 0, "rules_out": 0, "rules_out_as_wanted": 0, "era": 0, "self": 0}
    for case in cases:
        read = reader.read(case["text"])
        allowed = set(case["wants"]) | set(case.get("wants_optional", ()))
        wants_ok = set(case["wants"]) <= set(read.wants) <= allowed
        rules_ok = set(case["rules_out"]) == set(read.rules_out)
        era = (read.era.start, read.era.end) if read.era else None
        era_ok = clip(era) == clip(case["era"])
        self_ok = all(read.demographics.get(k) == v for k, v in case["demographics"].items())
        counts["entirely"] += wants_ok and rules_ok and era_ok and self_ok
        for key, ok, labelled in (("wants", wants_ok, case["wants"]), ("rules_out", rules_ok, case["rules_out"]),
                                  ("era", era_ok, case["era"]), ("self", self_ok, case["demographics"])):  # fmt: skip
            if labelled:
                totals[key] += 1
                counts[key] += ok
        if case["rules_out"]:
            totals["rules_out_as_wanted"] += 1
            counts["rules_out_as_wanted"] += bool(set(case["rules_out"]) & set(read.wants))
    return {key: counts[key] / totals[key] for key in counts if totals[key]}


def _top(explorer: Explorer, text: str) -> set:
    return set(explorer.recommend(explorer.new_user(text), k=K)[C.ITEM])


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def cross_lingual(explorer: Explorer) -> dict[str, Any]:
    """Top-20 Jaccard of each English profile with its Chinese translation and with an English paraphrase."""
    pairs = [json.loads(line) for line in (CASES / "pairs.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = []
    for pair in pairs:
        english = _top(explorer, pair["en"])
        rows.append(
            {
                "id": pair["id"],
                "chinese": _jaccard(english, _top(explorer, pair["zh"])),
                "paraphrase": _jaccard(english, _top(explorer, pair["en_paraphrase"])),
            }
        )
    frame = pd.DataFrame(rows)
    return {
        "rows": rows,
        "chinese_mean": float(frame["chinese"].mean()),
        "paraphrase_mean": float(frame["paraphrase"].mean()),
        "pairs": len(rows),
    }


def run(explorer: Explorer) -> dict[str, Any]:
    """Everything this module measures, with the text model it ran on."""
    return {"encoder": explorer.encoder.model_id, "understanding": understanding(explorer), "cross_lingual": cross_lingual(explorer)}


def print_chinese(results: dict[str, Any]) -> None:
    """The Chinese profile-understanding table (built and held-out side by side) and the cross-lingual agreement."""
    print(f"\nChinese profiles (top-20), text model {results['encoder']}")
    header = f"  {'split':11s} {'met':>7s} {'wanted≥.80':>11s} {'ruled out≤.05':>14s} {'era≥.70':>8s} {'self read':>10s} {'mixed met':>10s}"
    print(header)

    def cell(s: dict[str, Any], key: str, width: int) -> str:
        value = s.get(key)
        return f"{value:{width}.2f}" if isinstance(value, float) else f"{'—':>{width}s}"

    for split, part in results["understanding"].items():
        s = part["summary"]
        print(
            f"  {split:11s} {s['met']:>3d}/{s['cases']:<3d} {cell(s, 'wanted_share', 11)} {cell(s, 'ruled_out_share', 14)} "
            f"{cell(s, 'in_window', 8)} {cell(s, 'demographics_read', 10)} {s['mixed_met']:>10s}"
        )
    print("\n  the reader alone (share of cases whose part is read as labelled)")
    for split, part in results["understanding"].items():
        print(f"  {split:11s} " + " · ".join(f"{k.replace('_', ' ')} {v:.0%}" for k, v in part["reading"].items()))
    cross = results["cross_lingual"]
    print(
        f"\ncross-lingual agreement over {cross['pairs']} profiles (top-20 Jaccard with the English profile): "
        f"Chinese translation {cross['chinese_mean']:.2f}, English paraphrase {cross['paraphrase_mean']:.2f}"
    )
    for row in results["understanding"]["built"]["rows"]:
        if not row["met"]:
            print(f"  [MISSED built] {row['form']:9s} {row['text']}")


def reader_alone() -> dict[str, dict[str, float]]:
    """The reader alone on every split (no model, seconds): MovieLens-100k's reader, each part's share read as labelled.

    ``traditional (mainland wording)`` reads the same profiles as the traditional split, as a mainland speaker
    would write them (its ``simplified`` field): how far the regional vocabulary, not the script, is from the reader.
    """
    from recsys.data import load_movielens_100k

    dataset = load_movielens_100k()
    reader = ProfileReader(
        dataset.items, occupations=sorted(dataset.users[C.OCCUPATION].unique()), item_nouns=(dataset.noun, dataset.nouns)
    )
    out = {split: reading_accuracy(reader, load_cases(split), reader.year_range) for split in ("built", "heldout", "traditional")}
    twins = [dict(case, text=case["simplified"]) for case in load_cases("traditional")]
    out["traditional (mainland wording)"] = reading_accuracy(reader, twins, reader.year_range)
    return out


if __name__ == "__main__":
    # python -m recsys_bench.chinese: the reader-alone table of every split, without training a model.
    for split, shares in reader_alone().items():
        print(f"{split:32s} " + " · ".join(f"{k.replace('_', ' ')} {v:.0%}" for k, v in shares.items()))
