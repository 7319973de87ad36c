"""The benchmark tables of docs/benchmark.md, written from a results JSON: ``python -m recsys_bench.report [PATH]``.

The tables are printed, never edited by hand, so docs/benchmark.md shows exactly what a run measured.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from recsys.results import LOCAL

ORDER = (
    "ours", "ours_unread", "ours_no_era", "ours_no_text", "lightfm", "implicit_als", "cornac_bpr", "content_knn",
    "popularity_demographic", "popularity", "genre", "random", "ours_no_content",
)  # fmt: skip


def _ordered(methods) -> list[str]:
    return [m for m in ORDER if m in methods] + sorted(m for m in methods if m not in ORDER)


def _with_ci(summary: dict | None, metric: str, digits: int = 3) -> str:
    if not summary or metric not in summary:
        return "–"
    value = f"{summary[metric]:.{digits}f}"
    return f"{value} ± {summary[f'{metric}_ci95']:.{digits}f}" if f"{metric}_ci95" in summary else value


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join([*lines, *("| " + " | ".join(row) + " |" for row in rows)])


def recall_table(results: dict) -> str:
    blocks = [("item cold-start", results["item_cold"]), ("user cold-start N=0", results["user_cold"].get("0", {})),
              ("user cold-start N=5", results["user_cold"].get("5", {})), ("warm items", results.get("warm_items", {}))]  # fmt: skip
    methods = _ordered({m for _, block in blocks for m in block})
    return _table(
        ["method", *(name for name, _ in blocks)], [[m, *(_with_ci(block.get(m), "recall@20") for _, block in blocks)] for m in methods]
    )


def warmup_table(results: dict) -> str:
    ns = sorted(results["user_cold"], key=int)
    methods = _ordered({m for n in ns for m in results["user_cold"][n]} - {"random", "genre"})
    rows = [[m, *(f"{results['user_cold'][n][m]['recall@20']:.3f}" if m in results["user_cold"][n] else "–" for n in ns)] for m in methods]
    return _table(["method", *(f"N={n}" for n in ns)], rows)


def loop_table(results: dict) -> str:
    loop = results["feedback_loop"]
    rounds = sorted(next(iter(loop.values())), key=int)
    return _table(["method", *(f"r={r}" for r in rounds)], [[m, *(f"{loop[m][r]:.3f}" for r in rounds)] for m in _ordered(loop)])


def ablation_table(results: dict) -> str:
    settings = ("text_only", "text+attributes", "text+attributes+collaborative")
    rows = [
        [split, *(f"{block[s]['recall@20']:.3f}" if s in block else "–" for s in settings)] for split, block in results["ablation"].items()
    ]
    weights = "\n".join(
        f"- α, {split}: " + ", ".join(f"{m} {w:.2f}" for m, w in table.items())
        for split, table in results.get("fusion_weights", {}).items()
    )
    return _table(["split", "text only", "+ attributes", "+ collaborative"], rows) + "\n\n" + weights


def beyond_accuracy_table(results: dict) -> str:
    rows = []
    blocks = [("item cold", results["item_cold"]), ("user cold N=0", results["user_cold"].get("0", {})),
              ("user cold N=5", results["user_cold"].get("5", {}))]  # fmt: skip
    for name, block in blocks:
        for m in _ordered(block):
            if m in ("random", "genre", "ours_unread"):
                continue
            s = block[m]
            rows.append([name, m, _with_ci(s, "precision@20"), _with_ci(s, "f1@20"), f"{s['ndcg@10']:.3f}", f"{s['hr@10']:.3f}",
                         f"{s.get('diversity_text', float('nan')):.3f}", f"{s.get('diversity_genre', float('nan')):.3f}",
                         _with_ci(s, "novelty", 2), f"{s['coverage']:.3f}", f"{s['gini']:.3f}"])  # fmt: skip
    header = ["split", "method", "precision@20", "F1@20", "NDCG@10", "HR@10", "diversity (text)", "diversity (genre)", "novelty (bits)",
              "coverage", "Gini"]  # fmt: skip
    return _table(header, rows)


def pull_table(results: dict, groups: tuple[str, ...] = ("0", "5"), block: str = "popularity_pull", setting: str = "b_i scale") -> str:
    """Accuracy and novelty at each setting of a popularity control (the b_i scale, or the popularity axis's
    strength with ``block="popularity_axis"``), for cold users with ``groups`` onboarding likes (all are in the JSON)."""
    rows = []
    pull = results.get(block, {})
    for n, settings in sorted(((n, pull[n]) for n in groups if n in pull), key=lambda kv: int(kv[0])):
        for scale in sorted(settings, key=float):
            s = settings[scale]
            rows.append([f"N={n}", f"{float(scale):g}", _with_ci(s, "recall@20"), f"{s['ndcg@20']:.3f}", _with_ci(s, "novelty", 2),
                         f"{s['avg_popularity']:.0f}", f"{s['coverage']:.3f}"])  # fmt: skip
    return _table(["users", setting, "recall@20", "NDCG@20", "novelty (bits)", "avg. popularity (likes)", "coverage"], rows)


def calibration_table(results: dict) -> str:
    calibration = results.get("calibration", {})
    fit = calibration.get("fit", {})
    rows = [
        [split, f"{r['n_pairs']:,}", f"{r['ece_raw']:.4f}", f"{r['ece_calibrated']:.4f}"]
        for split, r in calibration.get("splits", {}).items()
    ]
    head = f"Fitted map: p = σ({fit.get('a', 1):.3f} · r̂ + ({fit.get('c', 0):.3f})) — {fit.get('source', 'none')}.\n\n"
    return head + _table(["test split", "user-item pairs", "ECE of σ(r̂)", "ECE calibrated"], rows)


def targets_list(results: dict) -> str:
    return "\n".join(
        f"- {'met' if t['met'] else '**missed**'}: {name} — measured {t['value']:.3f} (target {t['target']:.3g})"
        for name, t in results.get("targets", {}).items()
    )


def speed_list(results: dict) -> str:
    speed = results.get("speed_ms", {})
    lines = [
        f"- {name}: p50 {v['p50_ms']:.1f} ms, p95 {v['p95_ms']:.1f} ms"
        for name, v in speed.items()
        if isinstance(v, dict) and "p50_ms" in v
    ]
    if "ratio_to_encode" in speed:
        lines.append(
            f"- new user + top-20 ÷ one bare encode by the loaded text model (p50): {speed['ratio_to_encode']['p50']:.2f}× (budget 1.5×)"
        )
    for key in ("embed_catalogue_s", "train_from_scratch_s"):
        if key in speed:
            lines.append(f"- {key}: {speed[key]:.1f} s")
    return "\n".join(lines)


SECTIONS = {
    "Recall@20": recall_table, "Warm-up curve": warmup_table, "Feedback loop": loop_table, "Fusion ablation": ablation_table,
    "Beyond accuracy": beyond_accuracy_table, "Popularity pull": pull_table,
    "Popularity axis": lambda results: pull_table(results, block="popularity_axis", setting="axis removed"), "Calibration": calibration_table,
    "Targets": targets_list, "Speed": speed_list,
}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m recsys_bench.report", description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(LOCAL), help=f"a results JSON (default: {LOCAL})")
    path = Path(parser.parse_args(argv).path)
    results = json.loads(path.read_text())
    run = results.get("run", {})
    print(f"<!-- from {path}: {run.get('command')} · commit {run.get('commit', '?')[:7]} · {run.get('date')} · {run.get('machine')} -->\n")
    for title, section in SECTIONS.items():
        print(f"#### {title}\n\n{section(results)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
