"""Hedged eras: does the reader tell "mostly 80s films" (a leaning) from "films from the 1980s" (a period asked for)?

Sentences in ``bench/reading/hedges`` (English) and ``bench/reading/hedges_zh`` (Chinese, read by
:mod:`recsys.reading.chinese`), on MovieLens-100k, each labelled ``hedged`` and with its window:
``built.jsonl`` was written with the rule, ``heldout.jsonl`` by a writer who never saw the reader, before the rule was
run on it, and is reported, never tuned on (its SHA-256 is in the folder's README and checked by the tests). A hedged
window's era term weighs ``PreferenceConfig.hedged`` of a plain one's, so a hedge missed leaves the era as firm as
before the rule, and a plain era read as hedged is the harmful error: a period the person asked for, barely held.

``python -m recsys_bench.hedges [--json out.json]`` (about a second: the reader only, no model).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from recsys_bench.reading_eval import SPLITS, Catalogue, EraLabel, _era_ok, load_catalogue, sha256

FOLDER = Path(__file__).resolve().parent.parent / "bench" / "reading" / "hedges"
#: Each language's folder of sentences, as the table names it.
FOLDERS = {"English": FOLDER, "Chinese": FOLDER.with_name("hedges_zh")}


def load(split: str, folder: Path = FOLDER) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (folder / f"{split}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def score(rows: list[dict[str, Any]], catalogue: Catalogue) -> dict[str, Any]:
    """Counts: hedged sentences read as hedged; plain ones read as hedged (the harmful error); eras within tolerance."""
    out = {"hedged": 0, "hedged_read": 0, "plain": 0, "plain_as_hedged": 0, "era_right": 0, "sentences": len(rows)}
    for row in rows:
        era = catalogue.reader.read(row["text"]).era
        label = EraLabel(row["era"]["start"], row["era"]["end"], int(row["era"].get("tolerance", 1)))
        out["era_right"] += _era_ok(era, label, catalogue.year_range)
        out["hedged" if row["hedged"] else "plain"] += 1
        read = era is not None and era.hedged
        out["hedged_read" if row["hedged"] else "plain_as_hedged"] += read
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m recsys_bench.hedges", description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the counts here too")
    args = parser.parse_args(argv)
    catalogue = load_catalogue("movielens")
    results = {language: {split: score(load(split, folder), catalogue) for split in SPLITS} for language, folder in FOLDERS.items()}
    print("| sentences | split | hedged read as hedged | plain read as hedged (↓) | era within tolerance |\n|---|---|---|---|---|")
    for language, splits in results.items():
        for split, r in splits.items():
            print(
                f"| {language} | {split} | {r['hedged_read']}/{r['hedged']} | {r['plain_as_hedged']}/{r['plain']} | {r['era_right']}/{r['sentences']} |"
            )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        hashes = {f"heldout_sha256_{language.lower()}": sha256(folder / "heldout.jsonl") for language, folder in FOLDERS.items()}
        args.json.write_text(json.dumps({**hashes, **results}, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
