"""Cohort: everyone's top-k for a file of profiles (or a sample of the catalogue's users), and what the cohort is shown."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from recsys import cohort
from recsys import columns as C
from recsys.analysis.pull import percentiles
from ui import charts, literal, resources, session

explorer = resources.explorer()
NOUN, NOUNS = explorer.dataset.noun, explorer.dataset.nouns
UPLOAD, SAMPLE = "Upload a CSV of profiles", "A sample of this catalogue's users"
MAX_PEOPLE = 5_000  # a run this size takes a few minutes; a larger file is cut here, and says so
CATALOGUE_COLOUR = "#94a3b8"
USER_COLUMNS = list(explorer.user_space.columns)

st.title("👥 Cohort")
st.caption(
    f"Many people at once: everyone's top-k through the same path as one persona on New user, then what the cohort "
    f"is shown against the catalogue — which {NOUNS}, how popular, how concentrated, and who gets the same list."
)


def template() -> bytes:
    """An example cohort file for this catalogue: the ready-made personas, two with liked items."""
    popular = explorer.items[C.ITEM].to_numpy()[np.argsort(-explorer.popularity, kind="stable")[:3]]
    rows = []
    for n, (name, (text, demographics)) in enumerate(session.ready_made(explorer).items()):
        liked = ";".join(str(i) for i in popular[: 2 if n < 2 else 0])
        rows.append({"person": name, "text": text, **{c: demographics.get(c, "") for c in USER_COLUMNS}, "liked": liked})
    return cohort.csv_bytes(pd.DataFrame(rows, columns=["person", "text", *USER_COLUMNS, "liked"]))


def shares_figure(frame: pd.DataFrame, title: str, x_title: str) -> go.Figure:
    """Grouped horizontal bars: the share of shown slots with each value (blue) beside the catalogue's (grey)."""
    frame = frame.iloc[::-1]  # Plotly draws the first row at the bottom
    fig = go.Figure()
    fig.add_bar(y=frame["value"].astype(str), x=frame["catalogue"], orientation="h", name="catalogue", marker_color=CATALOGUE_COLOUR,
                hovertemplate="%{y}: %{x:.1%} of the catalogue<extra></extra>")  # fmt: skip
    fig.add_bar(y=frame["value"].astype(str), x=frame["shown"], orientation="h", name="shown to the cohort", marker_color=charts.POSITIVE,
                hovertemplate="%{y}: %{x:.1%} of what is shown<extra></extra>")  # fmt: skip
    fig.update_layout(height=max(220, 26 * len(frame) + 90), margin=dict(l=10, r=10, t=40, b=10), title=title, barmode="group",
                      legend=dict(orientation="h", y=1.02, yanchor="bottom", x=1, xanchor="right", traceorder="reversed"))  # fmt: skip
    fig.update_xaxes(title=x_title, tickformat=".0%")
    return fig


def run_cohort(people: cohort.Cohort, k: int, label: str) -> None:
    """Rank everyone with a progress bar, and keep the run for this session."""
    bar = st.progress(0.0, text="Starting…")
    report = resources.timed_progress(lambda message, fraction: bar.progress(min(max(fraction, 0.0), 1.0), text=message))
    run = cohort.run_cohort(explorer, people, k=k, progress=report)
    view = cohort.cohort_view(explorer, run)
    bar.empty()
    st.session_state[session.COHORT_RESULT] = (explorer.fingerprint, label, run, view)


with st.container(border=True):
    source = st.radio("People", [UPLOAD, SAMPLE], key=session.COHORT_SOURCE, horizontal=True)
    left, right = st.columns([0.6, 0.4], gap="large")
    with left:
        if source == UPLOAD:
            upload = st.file_uploader("Cohort CSV", type=["csv"], key=session.COHORT_FILE,
                                      help=f"UTF-8 CSV, one person a row; at most {MAX_PEOPLE:,} people are run.")  # fmt: skip
            columns = ", ".join(f"`{c}`" for c in USER_COLUMNS) or "none in this catalogue"
            st.caption(
                f"Columns: `text` (the profile, may be empty); optional {columns}; `liked` ({NOUN} ids separated by `;` "
                "or `|`); `person` (a label). A row that cannot run is listed with its line number; the others run."
            )
            st.download_button("Example file", template, file_name="cohort-example.csv", mime="text/csv", on_click="ignore", icon="📄")
        else:
            upload = None
            n_users = explorer.dataset.n_users
            st.number_input("How many users", 1, n_users, min(200, n_users), step=50, key=session.COHORT_SAMPLE,
                            help=f"Drawn at random (seed 0) from the catalogue's {n_users:,} users.")  # fmt: skip
            st.checkbox("With their profile text", value=True, key=session.COHORT_WITH_TEXT,
                        help=f"Each user comes as a new user: their demographics, the first three {NOUNS} they liked and — "
                        "with this — the sentence that summarises their ratings (written when the model was trained).")  # fmt: skip
    with right:
        k = st.slider("List length k", 5, 50, 20, key=session.COHORT_K)
        go_clicked = st.button("Run the cohort", type="primary", width="stretch", disabled=source == UPLOAD and upload is None)


def form_now() -> dict[str, str]:
    """What the form asks for now, in the words a change is named by."""
    if source == UPLOAD:
        people = f"the file {literal.md(upload.name)} ({upload.size:,} bytes)" if upload is not None else "an uploaded file"
    else:
        size = int(st.session_state[session.COHORT_SAMPLE])
        text = "with" if st.session_state[session.COHORT_WITH_TEXT] else "without"
        people = f"a sample of {size:,} users {text} their profile text"
    return {"people": people, "list length": f"top-{k}"}


def changed_since(ran: dict[str, str] | None) -> str:
    """ "" when the form still asks for the kept run; else a sentence naming each change, the run's value beside it."""
    if not ran:
        return ""
    now = form_now()
    changes = [f"{what}: {now[what]} (the run shown: {ran[what]})" for what in now if now[what] != ran.get(what)]
    if not changes:
        return ""
    return "The form has changed since the run below — " + "; ".join(changes) + ". **Run the cohort** to replace it."


if go_clicked:
    if source == UPLOAD:
        try:
            people = cohort.read_cohort(upload.getvalue(), explorer, limit=MAX_PEOPLE)
        except ValueError as err:
            st.error(f"{literal.md(upload.name)} cannot be read: {literal.md(err)}")
            people = None
        label = upload.name
    else:
        size = int(st.session_state[session.COHORT_SAMPLE])
        people = cohort.sample_cohort(explorer, size, np.random.default_rng(0), with_text=bool(st.session_state[session.COHORT_WITH_TEXT]))
        label = people.source
    if people is not None:
        run_cohort(people, k, label)
        st.session_state[session.COHORT_RAN_FORM] = form_now()  # only a run that replaced the results (a file that fails does not)


def results(kept) -> None:
    """The kept run, all in one block: a new run's progress bar takes its place at once, so no old number stays on screen
    while the next run works."""
    if kept is None or kept[0] != explorer.fingerprint:
        st.info("Upload a file of profiles or pick a sample, then **Run the cohort**.")
        return
    _, label, run, view = kept
    changed = changed_since(st.session_state.get(session.COHORT_RAN_FORM))
    if changed:
        st.info(changed, icon="✏️")
    problems = cohort.problems_frame(run.problems)
    skipped = problems[problems["skipped"]]
    st.subheader(f"{literal.md(label)}: {view.n_people:,} people, top-{run.k} each")
    if len(skipped):
        left_out = skipped["line"].nunique()
        st.warning(
            f"{left_out:,} {'row was' if left_out == 1 else 'rows were'} left out; everyone else ran. Fix the rows below and run again."
        )
        st.dataframe(skipped[["line", "person", "column", "message"]], hide_index=True, width="stretch", key="cohort_problems")
    for note in problems[~problems["skipped"]]["message"]:
        st.info(literal.md(note))
    if not view.n_people:
        return

    cols = st.columns(5)
    cols[0].metric(
        "People ranked", f"{view.n_people:,}", f"in {resources.duration(run.seconds, tenths=True)}", delta_color="off", delta_arrow="off"
    )
    listed = explorer.dataset.n_items - len(explorer.second_entries())  # the coverage's denominator
    merged = explorer.dataset.n_items - listed
    # On screen, 1,664 beside Home's 1,682 read as a slip: "distinct" says why, the help says how many (the chip holds
    # about 28 characters: "(18 listed twice count once)" was cut to "(18 liste…").
    counted = f"{view.distinct_items:,} of {listed:,} " + ("distinct" if merged else NOUNS)
    cols[1].metric(f"Coverage of the {NOUNS}", f"{view.coverage:.1%}", counted, delta_color="off", delta_arrow="off",
                   help=f"Share of the catalogue's {NOUNS} shown to at least one person"
                   + (f" ({listed:,}: the {merged:,} second entries of a title listed twice count once)." if merged else "."))  # fmt: skip
    cols[2].metric(
        "Gini of exposure", f"{view.gini:.3f}", help=f"0: every {NOUN} shown equally often; towards 1: a few {NOUNS} take every slot."
    )
    cols[3].metric("Popularity percentile", f"{view.popularity['p50']:.0f}", f"median · p10 {view.popularity['p10']:.0f} · p90 {view.popularity['p90']:.0f}",
                   delta_color="off", delta_arrow="off", help=f"Where the shown {NOUNS} sit in the catalogue's popularity (training interactions); the median {NOUN} is at 50.")  # fmt: skip
    cols[4].metric("Near-identical groups", f"{len(view.clusters):,}", f"{int(view.clusters['size'].sum()) if len(view.clusters) else 0:,} people in them",
                   delta_color="off", delta_arrow="off", help=f"People whose lists share at least {cohort.NEAR_IDENTICAL:.0%} of their {NOUNS} (Jaccard), grouped.")  # fmt: skip

    mix_tab, popularity_tab = st.tabs(["What is shown, against the catalogue", "How popular"])
    with mix_tab:
        attributes = list(dict.fromkeys(view.mix["attribute"]))
        for column, attribute in zip(st.columns(max(1, len(attributes))), attributes):
            part = view.mix[view.mix["attribute"] == attribute]
            name = "decade" if attribute == C.YEAR else attribute.replace("_", " ")
            total = int(part["values"].iloc[0])
            some = f" (the {len(part)} largest of {total})" if len(part) < total else ""
            column.plotly_chart(shares_figure(part, f"{name.capitalize()}: shown vs catalogue{some}", f"share of shown slots / of {NOUNS}"),
                                width="stretch", key=f"cohort_mix_{attribute}")  # fmt: skip
        st.caption(f"{NOUNS.capitalize()} with several genres count in each, so the genre shares can add up to more than 100%.")
    with popularity_tab:
        candidates = np.setdiff1d(np.arange(explorer.dataset.n_items), explorer.second_entries())
        edges = np.linspace(0, 100, 11)
        shown = np.histogram(run.recommendations["popularity_percentile"], edges)[0]
        catalogue = np.histogram(percentiles(np.asarray(explorer.popularity, float))[candidates], edges)[0]
        bins = pd.DataFrame({"value": [f"{a:.0f}–{b:.0f}" for a, b in zip(edges[:-1], edges[1:])][::-1],
                             "shown": (shown / max(1, shown.sum()))[::-1], "catalogue": (catalogue / max(1, catalogue.sum()))[::-1]})  # fmt: skip
        st.plotly_chart(shares_figure(bins, "Popularity percentile of what is shown", "share of shown slots / of the catalogue"),
                        width="stretch", key="cohort_popularity")  # fmt: skip

    st.markdown(f"#### The {NOUNS} that reach the most people")
    st.dataframe(
        view.reach.assign(share=view.reach["share"] * 100), hide_index=True, width="stretch", key="cohort_reach",
        column_config={"share": st.column_config.ProgressColumn("share of people", format="%.0f%%", min_value=0.0, max_value=100.0),
                       "mean_rank": st.column_config.NumberColumn("mean rank", format="%.1f"),
                       "popularity_percentile": st.column_config.NumberColumn("popularity percentile", format="%.0f")},
    )  # fmt: skip

    st.markdown("#### Profiles read as nothing, with titles the reader was unsure of, or with a note")
    if len(view.unread):
        st.caption("Text read as nothing (no genre, title, era or self-description found), naming titles it was unsure of, or "
                   "read with a note New user would show (a text cut to the model's length, a script the text model does not "
                   "read and what it was given instead, a title mentioned negatively …): read the notes before the lists.")  # fmt: skip
        unread = view.unread.assign(why=[cohort.flagged(p) for p in view.unread.to_dict("records")])
        order = [c for c in unread.columns if c not in ("reading", "unsure", "notes", "why")] + ["why", "unsure", "notes"]
        unread = unread[[c for c in order if not (c == "line" and not unread["line"].any())]]  # a sample has no file lines
        st.dataframe(unread, hide_index=True, width="stretch", key="cohort_unread",
                     column_config={"unsure": "titles it was unsure of", "notes": "notes, as New user shows them", "line": "line of the file"})  # fmt: skip
    else:
        st.caption("Every profile text was read as typed (or the people had none).")

    st.markdown("#### People who get near-identical lists")
    if len(view.clusters):
        shown_clusters = view.clusters.assign(items=view.clusters["items"].map("; ".join), people=view.clusters["people"].map(", ".join))
        st.dataframe(shown_clusters, hide_index=True, width="stretch", key="cohort_clusters",
                     column_config={"items": f"{NOUNS} most of them get", "shared_items": f"{NOUNS} in every list"})  # fmt: skip
    else:
        st.caption(f"No two people share {cohort.NEAR_IDENTICAL:.0%} of their lists.")

    st.markdown("#### Downloads")
    st.caption(
        "One row per person and rank: the item, its score and every term of it — score = mu + b_u + b_i + the sum of the "
        "dot_ columns, the parts of ⟨e_u, e_i⟩ by the evidence they come from (dot_text: the profile text, dot_avoid: what it "
        "rules out, dot_era: its era, …)."
    )
    recommendations = run.recommendations
    buttons = st.columns(4)
    buttons[0].download_button("Recommendations (CSV)", lambda: cohort.csv_bytes(recommendations), file_name="recommendations.csv",
                               mime="text/csv", on_click="ignore", width="stretch")  # fmt: skip
    buttons[1].download_button("Recommendations (Parquet)", lambda: cohort.parquet_bytes(recommendations), file_name="recommendations.parquet",
                               mime="application/vnd.apache.parquet", on_click="ignore", width="stretch")  # fmt: skip
    buttons[2].download_button("Summary (JSON)", lambda: cohort.summary_json(run, view), file_name="summary.json", mime="application/json",
                               on_click="ignore", width="stretch")  # fmt: skip
    buttons[3].download_button("Problems (CSV)", lambda: cohort.csv_bytes(cohort.problems_report(run, view)), file_name="problems.csv", mime="text/csv",
                               on_click="ignore", width="stretch")  # fmt: skip


with st.container():
    results(st.session_state.get(session.COHORT_RESULT))
