"""Evaluation: the cold-start benchmark's results, from the local run `make bench` wrote or the shipped reference run."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from recsys_bench.results import schema_problems
from ui import charts, resources

st.title("📊 Evaluation")
found = resources.bench_results()
if found is None:
    st.info(
        "No benchmark results found (neither `bench-results/results.json` nor the shipped `bench/reference/results.json`). "
        "Produce them with\n\n"
        "```\nmake bench-peers      # LightFM / implicit / Cornac, each in its own environment\n"
        "make bench            # 3 seeds, all methods, ~25–35 min on 2 cores\n```\n\n"
        "or `.venv/bin/python -m recsys bench --quick --no-peers --json bench-results/results.json` for a one-seed smoke run, then reload this page."
    )
    st.stop()
results = found.data
run = results.get("run", {})
st.markdown(f"**{found.label.capitalize()}** · `{resources.shown_path(found.path)}`")
st.caption(
    f"dataset {results.get('dataset')} · seeds {results.get('seeds')} · command `{run.get('command', 'python -m recsys bench')}` · "
    "implicit positives = rating ≥ 4 · full candidate set · mean over seeds, ± 95% CI over users"
)
if results.get("dataset") != resources.explorer().dataset.name:
    st.warning(
        f"These results are for **{results.get('dataset')}**, not the catalogue this session explores "
        f"(**{resources.explorer().dataset.name}**). Benchmark yours with `python -m recsys --data PATH bench --no-peers "
        "--json bench-results/results.json` and reload.",
        icon="📦",
    )
if found.reference:
    st.info("These are the numbers shipped with the code. `make bench` measures them on this machine and replaces them here.", icon="📦")
if results.get("peers_missing"):
    st.warning("Peers not in this run (create their environments with `make bench-peers`): " + ", ".join(results["peers_missing"]))
if problems := schema_problems(results):
    st.caption("Parts this run does not have (a `--quick` or older run): " + "; ".join(problems[:6]) + ("…" if len(problems) > 6 else ""))


def table(block: dict) -> pd.DataFrame:
    frame = pd.DataFrame(block).T
    keep = [
        c
        for c in (
            "recall@20",
            "recall@20_ci95",
            "ndcg@20",
            "hr@10",
            "ndcg@10",
            "precision@20",
            "f1@20",
            "diversity_text",
            "diversity_genre",
            "novelty",
            "avg_popularity",
            "coverage",
            "gini",
            "n_users",
        )
        if c in frame
    ]
    return frame[keep].sort_values("recall@20", ascending=False).astype(float).round(3)


if results.get("targets"):
    st.subheader("Targets")
    st.dataframe(pd.DataFrame(results["targets"]).T, width="stretch")

st.subheader("User cold-start: the warm-up curve")
rows = [{"N": n, "method": m, **v} for n, block in results.get("user_cold", {}).items() for m, v in block.items()]
if rows:
    frame = pd.DataFrame(rows)
    frame["N"] = frame["N"].astype(int)
    frame = frame.sort_values(["method", "N"])
    metric = st.radio("Metric", ["recall@20", "ndcg@20", "hr@10", "ndcg@10"], horizontal=True)
    st.plotly_chart(
        charts.curves(frame, "N", metric, "method", f"{metric} after N onboarding positives", "onboarding positives N", metric),
        width="stretch",
    )
    n_pick = st.select_slider("Table for N =", sorted(frame["N"].unique()), value=5 if 5 in set(frame["N"]) else int(frame["N"].min()))
    st.dataframe(table(results["user_cold"][str(n_pick)]), width="stretch")

st.subheader("Item cold-start (20% of items never seen in training)")
if results.get("item_cold"):
    frame = table(results["item_cold"])
    st.plotly_chart(
        charts.bars(frame.reset_index(names="method"), "method", "recall@20", "Recall@20 on held-out items", error="recall@20_ci95"),
        width="stretch",
    )
    st.dataframe(frame, width="stretch")

st.subheader("Feedback loop: show 10, reveal likes, update, repeat")
loop = results.get("feedback_loop", {})
if loop:
    frame = pd.DataFrame([{"round": int(r), "method": m, "ndcg@10": v} for m, block in loop.items() for r, v in block.items()]).sort_values(
        ["method", "round"]
    )
    st.plotly_chart(
        charts.curves(frame, "round", "ndcg@10", "method", "NDCG@10 of the next list after r rounds", "rounds of feedback", "NDCG@10"),
        width="stretch",
    )

st.subheader("Popularity bias")
if results.get("user_cold", {}).get("0"):
    frame = table(results["user_cold"]["0"]).reset_index(names="method")
    # Methods in the legend, not as text on the points: close points' labels would overlap.
    fig = px.scatter(
        frame,
        x="avg_popularity",
        y="recall@20",
        color="method",
        size=frame["coverage"].clip(lower=0.1),
        size_max=28,
        color_discrete_sequence=charts.PALETTE,
        hover_data={"coverage": ":.3f"},
        title="N = 0: accuracy vs average popularity of what is recommended (size = coverage)",
    )
    fig.update_layout(height=420)
    fig.update_xaxes(title="average popularity of recommended items (ratings)")
    st.plotly_chart(fig, width="stretch")

st.subheader("Popularity pull: the item-bias control, measured")
pull = results.get("popularity_pull", {})
if pull:
    frame = pd.DataFrame(
        [{"N": int(n), "scale": float(scale), **summary} for n, settings in pull.items() for scale, summary in settings.items()]
    )
    # Two onboarding sizes on the chart (more lines would cross and their labels collide); the table has them all.
    shown_n = [n for n in (0, 5) if n in set(frame["N"])] or sorted(set(frame["N"]))[:2]
    st.plotly_chart(charts.pull_tradeoff(frame[frame["N"].isin(shown_n)]), width="stretch")
    shown = frame[["N", "scale", "recall@20", "ndcg@20", "novelty", "avg_popularity", "coverage", "diversity_genre"]]
    st.dataframe(shown.sort_values(["N", "scale"]).round(3), hide_index=True, width="stretch")
    st.caption(
        "The New user page's *popularity pull* control multiplies the item bias b_i by this scale before ranking "
        "(1 = the model as trained). Lower settings recommend less popular, more novel items; the table shows what that "
        "costs in accuracy for brand-new users (N = onboarding likes)."
    )
else:
    st.caption("Not in this run; `make bench` measures it.")

st.subheader("Is p(like) a probability? Calibration on held-out users")
calibration = results.get("calibration", {})
if calibration.get("splits"):
    fit = calibration["fit"]
    splits = calibration["splits"]
    ece = pd.DataFrame(
        [{"split": name, "user-item pairs": r["n_pairs"], "ECE of σ(r̂)": r["ece_raw"], "ECE calibrated": r["ece_calibrated"]}
         for name, r in splits.items()]
    )  # fmt: skip
    st.markdown(
        f"The pages show a like-probability for every score. Raw σ(r̂) is checked against what held-out users actually rated "
        f"4–5★, then recalibrated with **p = σ({fit['a']:.3f} · r̂ + ({fit['c']:.3f}))** — {fit['source']}. "
        "The calibration changes the probability shown, never the score or the ranking."
    )
    cols = st.columns([0.42, 0.58])
    cols[0].dataframe(ece.round(4), hide_index=True, width="stretch")
    cols[0].caption("Expected calibration error: the pair-weighted mean gap between predicted and observed rates over 10 bins.")
    pick = cols[1].selectbox("Split", list(splits), index=list(splits).index("user_cold_0") if "user_cold_0" in splits else 0)
    cols[1].plotly_chart(
        charts.reliability({"σ(r̂) as trained": splits[pick]["raw"], "calibrated": splits[pick]["calibrated"]}, f"Reliability on {pick}"),
        width="stretch",
    )
else:
    st.caption("Not in this run; `make bench` measures it.")

st.subheader("Warm items: does content cost warm accuracy?")
if results.get("warm_items"):
    st.dataframe(table(results["warm_items"]), width="stretch")
else:
    st.caption("Not in this run (a `--quick` run skips it); `make bench` measures it.")

if results.get("ablation"):
    st.subheader("Fusion ablation")
    rows = [{"split": s, "setting": k, **v} for s, block in results["ablation"].items() for k, v in block.items()]
    st.dataframe(pd.DataFrame(rows)[["split", "setting", "recall@20", "ndcg@20", "hr@10", "ndcg@10"]], hide_index=True, width="stretch")

if results.get("speed_ms"):
    st.subheader("Speed (this machine)")
    st.json(results["speed_ms"], expanded=False)
