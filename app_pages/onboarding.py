"""Onboarding designer: which items a sign-up screen should ask a new person to rate, and how many questions pay."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from recsys import onboarding, results
from ui import charts, literal, resources, session

explorer = resources.explorer()
NOUN, NOUNS = explorer.dataset.noun, explorer.dataset.nouns
TITLES = explorer.titles()
ANSWER_AS = {"haven't seen it": "unseen", "liked it": "like", "didn't like it": "dislike"}

STATS = resources.derived(("onboarding stats",), lambda: onboarding.CatalogueStats.of(explorer))
#: A catalogue of interactions without rating values (a purchase log, a bookshop's loans): no entropy to rank by.
UNRATED = float(STATS.entropy.max()) == 0.0
EVENTS = "interactions" if UNRATED else "ratings"  # what a catalogue without rating values records

st.title("🧩 Onboarding designer")
st.caption(
    f"A sign-up screen can ask a new person {'about' if UNRATED else 'to rate'} a few {NOUNS}. Which ones, and how many "
    "questions are worth it? Five ways to choose the questions, measured on people the model never saw, and the questions "
    "each would ask."
)
if UNRATED:
    st.info(
        f"This catalogue records interactions without rating values, so every {NOUN}'s rating entropy is 0: "
        f"**{onboarding.LABELS['entropy']}** and **{onboarding.LABELS['pop_entropy']}** ask exactly what "
        f"**{onboarding.LABELS['popular']}** asks, and the charts draw the three as one line. A question is answered "
        f"*liked it* when the person interacted with the {NOUN}, *haven't seen it* otherwise (there are no dislikes)."
    )
with st.expander("The five strategies"):
    st.markdown(
        f"- **{onboarding.LABELS['popular']}**: the {NOUNS} with the most {EVENTS} — everyone can answer, but they tell people apart little.\n"
        f"- **{onboarding.LABELS['entropy']}**: the {NOUNS} whose ratings are most spread out (Shannon entropy of the rating "
        "values; Rashid et al., 2002) — they split people, but few have seen them.\n"
        f"- **{onboarding.LABELS['pop_entropy']}**: log(number of {EVENTS}) × entropy, Rashid et al.'s balance of the two.\n"
        f"- **{onboarding.LABELS['coverage']}**: the {onboarding.POOL} {NOUNS} with the most {EVENTS} (at least {onboarding.MIN_RATERS} "
        f"{EVENTS} each), picked so that each question is as far as possible (cosine distance of the item vectors) from those "
        "already asked.\n"
        f"- **{onboarding.LABELS['expected_change']}**: adaptive — after each answer, the {NOUN} whose answer would move the "
        "person's vector e_u most: one step of the online update moves it by (y − p)·e_i, so the expected move is "
        "share who have seen it × 2p(1 − p) × ‖e_i‖, with p = σ(r̂) the current like-probability.\n\n"
        "A *haven't seen it* answer changes nothing and the next question follows. After a like or a dislike the online "
        "update runs, as on New user."
    )


@st.cache_data(show_spinner=False)
def _run(name: str, fingerprint: str, stamp: tuple) -> results.BenchResults | None:
    return results.onboarding(name, fingerprint)


def measured() -> results.BenchResults | None:
    """The simulation run for this catalogue (re-read when any results file changes)."""
    override = os.environ.get("COLDSTART_BENCH_RESULTS")
    folders = (Path(override).parent,) if override else (results.LOCAL.parent, results.REFERENCE.parent)
    stamp = tuple((str(p), p.stat().st_mtime) for f in folders if f.exists() for p in sorted(f.glob(results.ONBOARDING_GLOB)))
    return _run(explorer.dataset.name, explorer.fingerprint, stamp)


def simulation_section() -> None:
    """The curves of the simulation, the best strategy at each budget, and how often people could answer."""
    st.subheader("What each strategy buys, question by question")
    found = measured()
    if found is None:
        data_flag = f" --data {literal.md(os.path.relpath(resources.opened().folder))}" if resources.opened() else ""
        st.info(
            f"No onboarding simulation has been run on **{literal.md(explorer.dataset.name)}** yet. Run "
            f"`.venv/bin/python -m recsys{data_flag} bench --onboarding` (about a minute for MovieLens-100k once the models "
            "are trained) and reload: it holds out 20% of the users, trains without them, and asks each of them the questions "
            "below. The questions each strategy would ask are further down."
        )
        return
    data = found.data
    strategies = data["strategies"]
    answers = (
        "liked it when they interacted with it, *haven't seen it* otherwise"
        if UNRATED
        else "like when the rating counts as positive, dislike otherwise, *haven't seen it* when there is none"
    )
    st.caption(
        f"From the {literal.md(found.label)} on **{literal.md(explorer.dataset.name)}** (`{resources.shown_path(found.path)}`): "
        f"{data['users']:,} held-out people "
        f"(seeds {', '.join(map(str, data['seeds']))}) start from their demographics and a profile written from them, and "
        f"are asked 0–{data['budget']} questions. Each answer comes from their own held-out {'interactions' if UNRATED else 'ratings'} "
        f"({answers}); recall@20 and NDCG@10 are measured on their positives that no strategy asked about. Bands: 95% intervals."
    )
    drawn = charts.merged_curves(strategies)
    if len(drawn) < len(strategies):
        same = [row["label"] for row in drawn.values() if " = " in row["label"]]
        st.caption("Strategies with identical curves are drawn as one line: " + "; ".join(literal.md(s) for s in same) + ".")
    cols = st.columns(2)
    cols[0].plotly_chart(charts.onboarding_curves(drawn, "recall@20", "recall@20 after each question"), width="stretch")
    cols[1].plotly_chart(charts.onboarding_curves(drawn, "ndcg@10", "NDCG@10 after each question"), width="stretch")
    labels = {name: row["label"] for name, row in strategies.items()}
    rows = [
        {"questions": w["questions"], "best": labels[w["best"]], "recall@20": w["value"],
         "not distinguishable from it": ", ".join(labels[t] for t in w["tied"]) or "— (ahead of every other)"}
        if w["questions"] else  # before the first question every strategy shows the same list: none is best
        {"questions": 0, "best": "— (none: nothing asked)", "recall@20": w["value"],
         "not distinguishable from it": "every strategy (all show the same list)"}
        for w in data["winners"]
    ]  # fmt: skip
    st.markdown("**The best strategy at each number of questions**")
    # A static table: its cells wrap, where a data grid cut "largest expected change of e_u" off at its column's edge.
    winners = pd.DataFrame(rows)
    winners["recall@20"] = winners["recall@20"].map("{:.3f}".format)
    st.table(winners)
    st.caption("Not distinguishable: the per-person difference from the best (the same people, paired) has a 95% interval reaching 0.")
    answered = pd.DataFrame(
        [{"strategy": row["label"], "questions people could answer": 100 * float(np.mean(row["answered"])),
          f"recall@20 gained by {data['budget']} questions": row["recall@20"][-1] - row["recall@20"][0]}
         for row in strategies.values()]
    )  # fmt: skip
    st.dataframe(
        answered, hide_index=True, width="stretch",
        column_config={"questions people could answer": st.column_config.ProgressColumn(format="%.0f%%", min_value=0.0, max_value=100.0,
                                                                                         help="Share of its questions the held-out people had rated (the rest: haven't seen it)."),
                       f"recall@20 gained by {data['budget']} questions": st.column_config.NumberColumn(format="%+.3f")},
    )  # fmt: skip
    last = data["winners"][-1]
    # Rounded as shown before subtracting, so the start and the two gains add up to the end as displayed.
    best = [round(value, 3) for value in strategies[last["best"]]["recall@20"]]
    half = data["budget"] // 2
    st.markdown(
        f"**Reading it:** with {data['budget']} questions, **{literal.md(labels[last['best']])}** reaches recall@20 "
        f"{best[-1]:.3f} from {best[0]:.3f} with none"
        + (
            " and is ahead of every other strategy."
            if not last["tied"]
            else f", not distinguishable from {literal.md(', '.join(labels[t] for t in last['tied']))}."
        )
        + f" Its first {half} questions gain {best[half] - best[0]:+.3f}, the next {data['budget'] - half} {best[-1] - best[half]:+.3f}."
    )
    bench = resources.bench_results()
    cold = bench.data.get("user_cold", {}).get("0", {}).get("ours", {}).get("recall@20") if bench else None
    if cold is not None and bench.ran_on(explorer.dataset.name, explorer.fingerprint):
        st.caption(
            f"Not Evaluation's warm-up curve, whose N = 0 reads {cold:.3f} beside this {best[0]:.3f} with no question: here every "
            "list hides every item any strategy asked about, and recall counts only the positives no strategy asked about — the "
            "items easiest to find are taken out of both the lists and the truth, so its numbers run lower. Compare "
            "strategies with each other on this page, not with Evaluation's numbers."
        )


@st.fragment
def questions_section() -> None:
    """The questions each strategy would ask one person, as the deployed model sees them."""
    st.subheader("The questions each strategy would ask")
    cols = st.columns([0.5, 0.25, 0.25], vertical_alignment="bottom")
    presets = session.ready_made(explorer)
    text = cols[0].text_input("Profile text the person gave at sign-up", value=next(iter(presets.values()))[0] if presets else "",
                              key="onboarding_text", help="The strategies start from the person this text describes.")  # fmt: skip
    reply = cols[1].selectbox("Answer every question with", list(ANSWER_AS), key="onboarding_answer",
                              help="What the adaptive strategy asks next depends on the answers; the others ask the same whatever they hear.")  # fmt: skip
    n = cols[2].slider("Questions", 1, 10, 5, key="onboarding_n")
    if not text.strip():
        st.info("Type what a new person might write at sign-up to see the questions each strategy would ask them.")
        return
    try:
        user = explorer.new_user(text)
    except ValueError as err:
        st.error(literal.md(err))
        return
    stats = STATS
    given = ANSWER_AS[reply]
    table = {}
    with st.spinner("Asking…"):
        for name in onboarding.STRATEGIES:
            strategy = onboarding.make(name)
            asked = onboarding.questions(explorer, user, strategy, stats, n, answer=lambda item: given)
            label = onboarding.LABELS[name] + ("" if strategy.reads_the_person else " · the same for everyone")
            table[label] = [TITLES[i] for i in asked]  # whole, wrapping: a cut title names no film
    for col, (label, titles) in zip(st.columns(len(table)), table.items()):
        with col:
            st.markdown(f"**{literal.md(label)}**")
            st.markdown("  \n".join(f"{r}. {literal.md(title)}" for r, title in enumerate(titles, 1)))
    adaptive = [onboarding.LABELS[name] for name in onboarding.STRATEGIES if onboarding.make(name).reads_the_person]
    st.caption(
        f"Only {' and '.join(f'“{label}”' for label in adaptive)} start{'s' if len(adaptive) == 1 else ''} from the person the "
        "text describes; the others ask everyone the same questions, in the same order. "
        f"Asked by the model this session explores (trained on every user), each answer "
        f"“{reply}”. A {NOUN}'s number of {EVENTS} and its rating entropy come from the training {EVENTS}"
        + (" (every entropy is 0 here: both entropy strategies ask in order of popularity)." if UNRATED else ".")
    )  # fmt: skip


simulation_section()
questions_section()
