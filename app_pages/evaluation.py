"""Evaluation: the cold-start benchmark's results, from the local run `make bench` wrote or the shipped reference run."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import plotly.express as px
import streamlit as st

from recsys.results import (
    METHOD_MEANINGS,
    feedback_loop_note,
    item_cold_ties,
    method_legend,
    schema_problems,
    target_notes,
    target_rows,
    unread_note,
    warmup_note,
)
from ui import charts, literal, resources


def catalogue_order_popularity(engine) -> float:
    """Spearman correlation of an item's position in the catalogue with its number of training interactions."""
    popularity = pd.Series(np.asarray(engine.popularity, dtype=np.float64))
    return float(popularity.corr(pd.Series(np.arange(len(popularity), dtype=np.float64)), method="spearman"))


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
    "implicit positives = rating ≥ 4 · full candidate set · "
    f"equal scores in {results.get('ties', 'catalogue order')} · mean over seeds, ± 95% CI over users"
)
# Measured on this session's catalogue? By content, not name (recsys.results.BenchResults.ran_on).
HERE = found.ran_on(resources.explorer().dataset.name, resources.explorer().fingerprint)
if not HERE:
    st.warning(
        f"These results are for **{results.get('dataset')}**, not the catalogue this session explores "
        f"(**{resources.explorer().dataset.name}**): every number on this page is {results.get('dataset')}'s. "
        "Benchmark yours with `python -m recsys --data PATH bench --no-peers "
        "--json bench-results/results.json` and reload.",
        icon="📦",
    )
if found.reference:
    st.info("These are the numbers shipped with the code. `make bench` measures them on this machine and replaces them here.", icon="📦")
if results.get("peers_missing"):
    st.warning("Peers not in this run (create their environments with `make bench-peers`): " + ", ".join(results["peers_missing"]))
if problems := schema_problems(results):
    st.caption("Parts this run does not have (a `--quick` or older run): " + "; ".join(problems[:6]) + ("…" if len(problems) > 6 else ""))


#: The per-user measures a run holds, in the order the pages offer them, with how they are named there.
MEASURES = {
    "recall@20": "recall@20", "precision@20": "precision@20", "f1@20": "F1@20", "ndcg@20": "NDCG@20", "hr@10": "HR@10",
    "ndcg@10": "NDCG@10", "diversity_text": "diversity (text)", "diversity_genre": "diversity (genre)", "novelty": "novelty (bits)",
}  # fmt: skip
TABLE_COLUMNS = [
    "recall@20", "recall@20_ci95", "precision@20", "f1@20", "ndcg@20", "hr@10", "ndcg@10", "diversity_text", "diversity_genre",
    "novelty", "avg_popularity", "coverage", "gini", "n_users",
]  # fmt: skip


def table(block: dict) -> pd.DataFrame:
    frame = pd.DataFrame(block).T
    keep = [c for c in TABLE_COLUMNS if c in frame]
    return frame[keep].sort_values("recall@20", ascending=False).astype(float).round(3)


def show_table(frame: pd.DataFrame) -> None:
    """A ``table`` with its methods named in full ("popularity_demographic" was cut to "popularity_der")."""
    longest = max((len(str(m)) for m in frame.index), default=0)
    st.dataframe(
        frame, width="stretch", column_config={"_index": st.column_config.TextColumn("method", width="medium" if longest > 14 else "small")}
    )


def measures(block: dict) -> list[str]:
    """The measures of ``MEASURES`` that every method of ``block`` has (older and ``--quick`` runs have fewer)."""
    return [m for m in MEASURES if all(m in v for v in block.values())]


ECE_DECIMALS = 4
#: The interactive steps the speed benchmark times (``recsys_bench.speed``), as the page names them.
STEPS = {
    "new_user_top20": "new user: embed the profile text, rank the top-20",
    "bare_encode": "one bare MiniLM encode of a profile text (the floor)",
    "feedback_rerank": "a 👍/👎: online update, then re-rank",
    "place_on_map": "place a persona on the map",
}
# Said with what each covers: "training from scratch: 170.0 s" beside "ours fit 27.4" read as two times for one thing.
ONE_OFF = {
    "embed_catalogue_s": "Embedding every item text once",
    "train_from_scratch_s": "training the model from scratch on every user (the training loop; each split's fit below trains on fewer)",
}


def step_timings(speed: dict) -> pd.DataFrame:
    """One row per timed step: median and p95 milliseconds, runs, and the median as a multiple of one bare encode."""
    floor = speed.get("bare_encode", {}).get("p50_ms")
    timed = {k: v for k, v in speed.items() if isinstance(v, dict) and "p50_ms" in v}
    order = [k for k in STEPS if k in timed] + [k for k in timed if k not in STEPS]
    return pd.DataFrame(
        [{"step": STEPS.get(k, k), "median (ms)": round(timed[k]["p50_ms"], 1), "p95 (ms)": round(timed[k]["p95_ms"], 1),
          "runs": int(timed[k].get("n", 0)), "× bare encode (median)": round(timed[k]["p50_ms"] / floor, 2) if floor else None}
         for k in order]
    )  # fmt: skip


def method_timings(speed: dict) -> pd.DataFrame:
    """Per benchmark method: median seconds to fit and milliseconds per answered request, fastest answer first."""
    fit, answer = speed.get("fit_seconds", {}), speed.get("answer_ms_per_request", {})
    names = list(dict.fromkeys([*fit, *answer]))
    frame = pd.DataFrame({"method": names, "fit (s)": [fit.get(n) for n in names], "answer (ms per list)": [answer.get(n) for n in names]})
    return frame.sort_values("answer (ms per list)").round({"fit (s)": 2, "answer (ms per list)": 2})


#: The measures of how well a list finds the held-out positives (the others describe the list: diversity, novelty).
ACCURACY = ("recall@20", "precision@20", "f1@20", "ndcg@20", "hr@10", "ndcg@10")

BEYOND = (
    "Precision and F1 over the list of 20; diversity = mean pairwise distance within a list (1 − cosine of the items' "
    "MiniLM text embeddings, or 1 − Jaccard of their genres); novelty = mean −log₂ p(item) in bits, p from training interactions."
)


if results.get("targets"):
    st.subheader("Targets")
    rows = target_rows(results["targets"])
    st.table(pd.DataFrame(rows))  # every row, and cells that wrap: a data grid cut the longest targets off at the column's edge
    for note in target_notes(results["targets"]):
        st.caption(note)

st.subheader("User cold-start: the warm-up curve")
rows = [{"N": n, "method": m, **v} for n, block in results.get("user_cold", {}).items() for m, v in block.items()]
if rows:
    frame = pd.DataFrame(rows)
    frame["N"] = frame["N"].astype(int)
    frame = frame.sort_values(["method", "N"])
    options = measures({m: v for block in results["user_cold"].values() for m, v in block.items()})
    metric = st.radio("Metric", options, horizontal=True, format_func=MEASURES.get)
    st.plotly_chart(
        charts.curves(frame, "N", metric, "method", f"{MEASURES[metric]} after N onboarding positives", "onboarding positives N",
                      MEASURES[metric]),
        width="stretch",
    )  # fmt: skip
    # A curve falling after five likes reads as "likes make it worse": the page says why, from the run's own numbers.
    fall = warmup_note(results["user_cold"], metric) if metric in ACCURACY else None
    if fall:
        st.caption(fall)
    st.caption(BEYOND)
    st.caption(method_legend(m for m in METHOD_MEANINGS if m in set(frame["method"])))
    # A variant above the shipped model invites "why not ship that?": the page answers with the run's own numbers.
    unread = unread_note(results.get("user_cold", {}))
    if unread:
        st.caption(unread)
    n_pick = st.select_slider("Table for N =", sorted(frame["N"].unique()), value=5 if 5 in set(frame["N"]) else int(frame["N"].min()))
    show_table(table(results["user_cold"][str(n_pick)]))

st.subheader("Item cold-start (20% of items never seen in training)")
if results.get("item_cold"):
    frame = table(results["item_cold"])
    shown = st.radio("Measure", measures(results["item_cold"]), horizontal=True, format_func=MEASURES.get, key="item_cold_measure")
    block = results["item_cold"]
    bars = pd.DataFrame(
        {"method": list(block), shown: [v[shown] for v in block.values()], "ci": [v.get(f"{shown}_ci95") for v in block.values()]}
    )
    bars = bars.astype({"ci": float}).sort_values(shown, ascending=False)
    st.plotly_chart(
        charts.bars(bars, "method", shown, f"{MEASURES[shown]} on held-out items", error="ci" if bars["ci"].notna().all() else None,
                    colours_of={m: s["colour"] for m, s in charts.method_styles(list(bars["method"])).items()}),
        width="stretch",
    )  # fmt: skip
    show_table(frame)
    notes = item_cold_ties(block)
    if notes and HERE and "ties" not in results and any("tie on every measure" in n for n in notes):
        # A run from before random tie-breaking (no "ties" key) ranked equal scores in catalogue order: where that order
        # follows popularity, the tied methods beat random by it.
        order = resources.derived(("catalogue order × popularity",), lambda: catalogue_order_popularity(resources.explorer()))
        if abs(order) >= 0.3:
            notes.append(
                f"Their shared ranking is the catalogue's own order (ties keep it), and on this catalogue that order "
                f"follows popularity (rank correlation of an item's position with its training interactions {order:+.2f}): "
                f"what they score above random comes from that order, not from reading the items."
            )
    if notes:
        st.caption(" ".join(notes))

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
    note = feedback_loop_note(loop)
    if note:
        st.caption(note)

st.subheader("Popularity bias")
if results.get("user_cold", {}).get("0"):
    frame = table(results["user_cold"]["0"]).reset_index(names="method")
    frame = frame.sort_values("method", key=lambda m: m == "ours", kind="stable")  # ours drawn last, on top of any close neighbour
    # Methods in the legend, not as text on the points: close points' labels would overlap.
    styles = charts.method_styles(list(frame["method"]))
    fig = px.scatter(
        frame,
        x="avg_popularity",
        y="recall@20",
        color="method",
        size=frame["coverage"].clip(lower=0.1),
        size_max=28,
        color_discrete_map={m: s["colour"] for m, s in styles.items()},
        symbol="method",
        symbol_map={m: s["symbol"].removesuffix("-open") for m, s in styles.items()},
        hover_data={"coverage": ":.3f"},
        title="N = 0: accuracy vs average popularity of what is recommended (size = coverage)",
    )
    # A dozen methods: the legend lists ours first (it is drawn last) with markers of one size, so none scrolls out of view.
    fig.update_layout(height=460, legend=dict(traceorder="reversed", itemsizing="constant"))
    fig.update_traces(marker=dict(opacity=0.8, line=dict(width=1.5, color="white")))  # a point under another still shows
    fig.update_xaxes(title="average popularity of recommended items (ratings)")
    st.plotly_chart(fig, width="stretch")
    together = charts.coinciding(frame, "method", "avg_popularity", "recall@20")
    if together:
        st.caption("Drawn on top of each other (within 2% of each axis): " + "; ".join(" and ".join(g) for g in together) + ".")

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

st.subheader("Popularity axis: the control that reaches ⟨e_u, e_i⟩, measured")
axis = results.get("popularity_axis", {})
if axis:
    frame = pd.DataFrame(
        [{"N": int(n), "scale": float(setting), **summary} for n, settings in axis.items() for setting, summary in settings.items()]
    )
    shown_n = [n for n in (0, 5) if n in set(frame["N"])] or sorted(set(frame["N"]))[:2]
    st.plotly_chart(
        charts.pull_tradeoff(frame[frame["N"].isin(shown_n)], "axis removed", "Popularity axis removed: recall@20 against novelty"),
        width="stretch",
    )
    shown = frame[["N", "scale", "recall@20", "ndcg@20", "novelty", "avg_popularity", "coverage"]].rename(columns={"scale": "axis removed"})
    st.dataframe(shown.sort_values(["N", "axis removed"]).round(3), hide_index=True, width="stretch")
    st.caption(
        "The New user page's second control removes this share of ⟨e_u, e_i⟩ along the items' popularity axis (the direction "
        "of the item vectors that best predicts log popularity), as its own term of the score (0 = the model as trained)."
    )
else:
    st.caption("Not in this run; `make bench` measures it.")

st.subheader("Is p(like) a probability? Calibration on held-out users")
calibration = results.get("calibration", {})
if calibration.get("splits"):
    fit = calibration["fit"]
    splits = calibration["splits"]
    ece = pd.DataFrame(
        [{"split": name, "user-item pairs": r["n_pairs"], "ECE of σ(r̂)": round(r["ece_raw"], ECE_DECIMALS),
          "ECE calibrated": round(r["ece_calibrated"], ECE_DECIMALS)} for name, r in splits.items()]
    )  # fmt: skip
    # Judged on the numbers as the table shows them, so the words and the table never disagree.
    ece["effect"] = [
        "worse" if after > before else "better" if after < before else "no change" for before, after in zip(ece["ECE of σ(r̂)"], ece["ECE calibrated"])
    ]  # fmt: skip
    where = "The pages show" if HERE else f"On {literal.md(str(results.get('dataset')))}, where this run measured it, the pages show"
    st.markdown(
        f"{where} a like-probability for every score. Raw σ(r̂) is checked against what held-out users actually rated "
        f"4–5★, then recalibrated with **p = σ({fit['a']:.3f} · r̂ + ({fit['c']:.3f}))** — {fit['source']}. "
        "The calibration changes the probability shown, never the score or the ranking."
        + (
            ""
            if HERE
            else f" On **{literal.md(resources.explorer().dataset.name)}** this fit does not apply: its pages show σ(r̂) as trained."
        )
    )
    worse = ece[ece["effect"] == "worse"]
    if len(worse):
        st.warning(
            "Calibration makes "
            + ("this split" if len(worse) == 1 else "these splits")
            + " **worse**: "
            + "; ".join(f"**{r['split']}**, ECE {r['ECE of σ(r̂)']:.{ECE_DECIMALS}f} → {r['ECE calibrated']:.{ECE_DECIMALS}f}" for _, r in worse.iterrows())
            + ". The fit was made on cold users; here the raw σ(r̂) is closer to what users rated, "
            + ("yet the pages show the calibrated probability." if HERE else f"yet the pages of {literal.md(str(results.get('dataset')))} show the calibrated probability."),
            icon="⚠️",
        )  # fmt: skip
    cols = st.columns([0.5, 0.5])
    cols[0].dataframe(ece, hide_index=True, width="stretch", column_config={c: st.column_config.NumberColumn(format=f"%.{ECE_DECIMALS}f")
                                                                            for c in ("ECE of σ(r̂)", "ECE calibrated")})  # fmt: skip
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
    show_table(table(results["warm_items"]))
    # Methods only this table has (the warm-up curve's legend named the rest): "ours_no_content" was named nowhere.
    named = {m for block in results.get("user_cold", {}).values() for m in block}
    extra = [m for m in results["warm_items"] if m not in named and m in METHOD_MEANINGS]
    if extra:
        st.caption(method_legend(extra))
else:
    st.caption("Not in this run (a `--quick` run skips it); `make bench` measures it.")

if results.get("ablation"):
    st.subheader("Fusion ablation")
    rows = [{"split": s, "setting": k, **v} for s, block in results["ablation"].items() for k, v in block.items()]
    frame = pd.DataFrame(rows)
    shown = ["split", "setting", *(c for c in TABLE_COLUMNS if c in frame and not c.endswith("_ci95") and c != "n_users")]
    st.dataframe(frame[shown].round(3), hide_index=True, width="stretch")

if results.get("speed_ms"):
    speed = results["speed_ms"]
    machine = results.get("run", {}).get("machine", {})
    where = f"{machine.get('cores', '?')} cores, {machine.get('device', '?')}" if machine else str(results.get("machine", "?"))
    if found.reference:
        st.subheader("Speed (the reference machine, not this one)")
        st.caption(f"Measured by the shipped reference run on {where}; `make bench` measures this machine and replaces these numbers.")
    else:
        st.subheader("Speed (this machine's run)")
        cores = machine.get("cores")
        st.caption(
            f"Measured by the local run `{resources.shown_path(found.path)}` on {where}"
            + (f"; this machine has {os.cpu_count()} cores, so it may have been measured elsewhere." if cores and cores != os.cpu_count() else ".")
        )  # fmt: skip
    steps = step_timings(speed)
    if len(steps):
        ratio = speed.get("ratio_to_encode", {})
        if ratio.get("p50") is not None:
            budget = ratio.get("budget")
            verdict = f"; budget {budget:g} ×: {'within' if ratio['p50'] <= budget else '**over**'} budget" if budget else ""
            st.markdown(f"A new user's top-20 takes **{ratio['p50']:.2f} ×** one bare encode of the profile text (medians{verdict}).")
        number = st.column_config.NumberColumn
        st.dataframe(steps, hide_index=True, width="stretch", column_config={
            "median (ms)": number(format="%.1f"), "p95 (ms)": number(format="%.1f"), "× bare encode (median)": number(format="%.2f ×"),
        })  # fmt: skip
    once = [f"{label}: **{speed[key]:.1f} s**" for key, label in ONE_OFF.items() if isinstance(speed.get(key), int | float)]
    if once:
        st.markdown(" · ".join(once))
    per_method = method_timings(speed)
    if len(per_method):
        st.dataframe(per_method, hide_index=True, width="stretch", height=35 * (len(per_method) + 1) + 3)
        st.caption(
            "Fit = median seconds to train on one split (0 for the popularity-pull settings, which reuse ours); peers' fit includes "
            "answering every request in their own process. Answer = median milliseconds per ranked list."
        )
