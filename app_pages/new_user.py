"""New user: describe a person, see their top-K with every score term, give feedback, compare personas."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import streamlit as st

from recsys import columns as C
from recsys.analysis.attribution import IG_STEPS, interest_keywords, token_attribution, word_influence
from recsys.personas import Persona
from ui import charts, resources, session

explorer = resources.explorer()
store = resources.persona_store()
TITLES = {int(i): t for i, t in zip(explorer.items[C.ITEM], explorer.items[C.TITLE])}
OCCUPATIONS = list(explorer.user_space.block(C.OCCUPATION).labels) if C.OCCUPATION in explorer.user_space.columns else []

st.title("🧑 New user")
st.caption("Describe a person in plain words. Everything below is recomputed from the same code path that ranks.")


def apply_preset() -> None:
    name = st.session_state.get("preset")
    if name in session.READY_MADE:
        text, demo = session.READY_MADE[name]
        st.session_state["profile_text"] = text
        st.session_state["age"] = demo.get(C.AGE)
        st.session_state["gender"] = demo.get(C.GENDER, "—")
        st.session_state["occupation"] = demo.get(C.OCCUPATION, "—")
        st.session_state["persona_name"] = session.unique_name(name)


left, right = st.columns([0.36, 0.64], gap="large")

with left:
    st.selectbox("Start from a ready-made persona", ["—", *session.READY_MADE], key="preset", on_change=apply_preset)
    with st.form("profile", border=True):
        st.text_area(
            "Profile text", key="profile_text", height=110, max_chars=20_000,
            placeholder="e.g. “cartoons with my kids”, “gory slasher films”, “I love space operas”",
            help="Free text, any length; the model reads the first 256 tokens. Ctrl+Enter submits.",
        )  # fmt: skip
        with st.expander("Demographics (optional)"):
            st.number_input("Age", min_value=1, max_value=120, value=None, key="age", placeholder="not given")
            st.selectbox("Gender", ["—", "F", "M"], key="gender")
            st.selectbox("Occupation", ["—", *OCCUPATIONS], key="occupation")
        st.multiselect(
            "Onboarding picks: films the person says they like (optional)", options=list(TITLES), key="liked",
            format_func=lambda i: TITLES.get(i, str(i)), placeholder="Search titles…", max_selections=20,
        )  # fmt: skip
        st.text_input("Persona name", key="persona_name", placeholder="e.g. Horror buff")
        submitted = st.form_submit_button("Recommend", type="primary", width="stretch")
    k = st.slider("List length k", 5, 50, 20, key="k")

if submitted:
    demographics = {
        C.AGE: st.session_state.get("age"),
        C.GENDER: st.session_state.get("gender"),
        C.OCCUPATION: st.session_state.get("occupation"),
    }
    demographics = {key: value for key, value in demographics.items() if value not in (None, "—")}
    name = (st.session_state.get("persona_name") or "").strip() or session.unique_name("Persona")
    persona = Persona(name[:80], st.session_state.get("profile_text", ""), demographics, tuple(st.session_state.get("liked", [])))
    try:
        with st.spinner("Embedding the profile…"):
            session.put(session.build(explorer, persona))
    except ValueError as err:
        with left:
            st.error(str(err))


def rank_change(item_id, rank: int, previous: dict) -> str:
    if not previous:
        return ""
    if item_id not in previous:
        return "🆕 new"
    moved = previous[item_id] - rank
    return f"▲ {moved}" if moved > 0 else f"▼ {-moved}" if moved < 0 else "="


def highlighted(influence: pd.DataFrame, text: str) -> str:
    """The profile with each word shaded by how much it pushes the chosen item up (blue) or down (red)."""
    if influence.empty:
        return html.escape(text)
    limit = max(1e-6, float(influence["delta"].abs().max()))
    spans = []
    for word, delta in zip(influence["word"], influence["delta"]):
        alpha = min(1.0, abs(delta) / limit)
        colour = f"rgba(37,99,235,{alpha:.2f})" if delta > 0 else f"rgba(239,68,68,{alpha:.2f})"
        spans.append(f"<span title='{delta:+.3f}' style='background:{colour};padding:1px 3px;border-radius:3px'>{html.escape(word)}</span>")
    return " ".join(spans)


def rate(explorer, name: str, item_id, key: str, current_ranks: tuple) -> None:
    """Star-rating callback: 1★ is a dislike (y = 0), 5★ a like (y = 1)."""
    if st.session_state.get(key) is not None:
        session.give_feedback(explorer, name, item_id, int(st.session_state[key]), current_ranks)


@st.fragment
def results(k: int) -> None:
    names = list(session.personas())
    if not names:
        st.info("👈 Type a profile (or pick a ready-made persona) and press **Recommend**.")
        return
    current = st.session_state.get(session.ACTIVE)
    name = st.selectbox("Persona", names, index=names.index(current) if current in names else 0, key=session.SHOWN)
    session.set_active(name)
    entry = session.personas()[name]
    user = entry.state
    for warning in user.warnings:
        st.warning(warning)
    recs = explorer.recommend(user, k=k)
    previous = dict(entry.previous_ranks)
    st.markdown(f"**Profile:** {html.escape(user.text[:400])}{'…' if len(user.text) > 400 else ''}", unsafe_allow_html=True)
    keywords = interest_keywords(explorer, user.text)
    if len(keywords):
        st.markdown(
            "**Interests the text expresses:** " + " ".join(f"`{html.escape(w)}`" for w in keywords["keyword"]), unsafe_allow_html=True
        )
    st.plotly_chart(charts.weights_bar(user.weights, "Fusion weights α of this user"), width="stretch")
    with st.container():
        top = recs.iloc[0]
        st.markdown(f"**Score terms of the #1 item, {html.escape(top['title'])}**")
        st.latex(
            rf"\hat r = \underbrace{{{top['mu']:.2f}}}_{{\mu}} + \underbrace{{{top['b_u']:.2f}}}_{{b_u}} + "
            rf"\underbrace{{{top['b_i']:.2f}}}_{{b_i}} + \underbrace{{{top['dot']:.2f}}}_{{\langle e_u, e_i\rangle}} = {top['score']:.2f}"
        )
        st.caption(f"σ(r̂) = {top['p_like']:.2f}: the model's probability that this person rates *{html.escape(top['title'])}* 4–5 stars.")

    if user.last_update is not None:
        trace = user.last_update
        with st.expander("The last online update, in numbers", expanded=True):
            st.latex(r"e \leftarrow e - \eta\Big[\sum_j (\sigma(\hat r_{uj}) - y_j)\,e_j + \lambda (e - e^0)\Big]")
            st.latex(r"b \leftarrow b - \eta\Big[\sum_j (\sigma(\hat r_{uj}) - y_j) + \lambda_b (b - b^0)\Big]")
            c = st.columns(3)
            c[0].metric("b_u", f"{trace.b_after:.2f}", f"{trace.b_after - trace.b_before:+.3f}")
            c[1].metric("‖e_u − e⁰‖", f"{np.linalg.norm(user.delta_e):.3f}", help="Distance of the user's vector from its text prior")
            c[2].metric("loss", f"{trace.loss[-1]:.3f}", f"{trace.loss[-1] - trace.loss[0]:+.3f}", delta_color="inverse")
            st.caption(
                f"K = {trace.config.steps} steps, η = {trace.config.lr}, λ = {trace.config.reg}, λ_b = {trace.config.reg_bias}, over all {len(user.feedback)} feedback so far."
            )
            rows = [
                {"item": TITLES.get(f.item_id, f.item_id), "feedback": f.label, "y": f.target, "p before": pb, "p after": pa}
                for f, pb, pa in zip(user.feedback, trace.p_before, trace.p_after)
            ]
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
            if previous:
                dropped = [TITLES.get(i, i) for i in previous if i not in set(recs[C.ITEM]) and i not in user.seen]
                if dropped:
                    st.caption("Dropped out of the list: " + "; ".join(html.escape(str(t)) for t in dropped[:10]))

    st.markdown(f"#### Top-{k} — like, dislike or rate to update the user online")
    header = st.columns([0.07, 0.09, 0.44, 0.1, 0.1, 0.1, 0.1])
    for col, label in zip(header, ["#", "move", "title", "score", "", "", "stars"]):
        col.caption(label)
    current_ranks = tuple(zip(recs[C.ITEM], recs["rank"]))
    for row in recs.itertuples():
        cols = st.columns([0.07, 0.09, 0.44, 0.1, 0.1, 0.1, 0.1], vertical_alignment="center")
        cols[0].write(f"**{row.rank}**")
        cols[1].write(rank_change(row.item_id, row.rank, previous))
        cols[2].markdown(f"{html.escape(row.title)}  \n<small>{html.escape(', '.join(row.genres))}</small>", unsafe_allow_html=True)
        cols[3].write(f"{row.score:.2f}")
        args = (explorer, name, row.item_id)
        cols[4].button(
            "👍", key=f"like-{name}-{row.item_id}", help="Like (y = 1)", on_click=session.give_feedback, args=(*args, "like", current_ranks)
        )
        cols[5].button(
            "👎",
            key=f"dislike-{name}-{row.item_id}",
            help="Dislike (y = 0)",
            on_click=session.give_feedback,
            args=(*args, "dislike", current_ranks),
        )
        key = f"stars-{name}-{row.item_id}-{len(user.feedback)}"
        cols[6].selectbox("stars", [None, 1, 2, 3, 4, 5], key=key, label_visibility="collapsed", on_change=rate, args=(*args, key, current_ranks),
                          format_func=lambda s: "★" if s is None else f"{s}★")  # fmt: skip

    st.markdown("**Score of each recommendation, term by term** (bars stack to the ◆ score; blue parts come from the profile text)")
    st.plotly_chart(charts.score_breakdown(recs), width="stretch")

    # A toggle rather than an expander: Streamlit runs an expander's body even when closed.
    if st.toggle("Which words drive a recommendation?", key=f"why-on-{name}"):
        choice = st.selectbox("Recommendation", list(recs[C.ITEM]), format_func=lambda i: TITLES.get(i, str(i)), key=f"why-{name}")
        method = st.radio(
            "Method", ["leave one word out", "integrated gradients (token level)"], horizontal=True, key=f"why-method-{name}",
            help="Leave-one-word-out re-embeds the profile without each word. Integrated gradients runs the language model "
            "token by token (transformers) and follows the gradient of r̂ from a neutral [MASK] profile to the real one.",
        )  # fmt: skip
        if choice is not None:
            if method.startswith("leave"):
                influence = word_influence(explorer, user, choice)
                st.markdown(highlighted(influence, user.text), unsafe_allow_html=True)
                st.caption("Blue words raise this item's score, red words lower it (hover a word for the change in r̂ when it is left out).")
            else:
                with st.spinner("Running the language model token by token…"):
                    tokens = token_attribution(explorer, user, choice)
                st.markdown(highlighted(tokens.rename(columns={"attribution": "delta"}), user.text), unsafe_allow_html=True)
                total, gap = float(tokens["attribution"].sum()), float(tokens["score"].iloc[0] - tokens["baseline_score"].iloc[0])
                st.caption(
                    f"Word attributions sum to {total:+.3f}; r̂(profile) − r̂([MASK] profile) = {gap:+.3f} "
                    f"(integrated gradients, {IG_STEPS} steps: the two agree up to the integration error)."
                )


with right:
    results(k)

st.divider()
st.subheader("Personas side by side")
names = list(session.personas())
if len(names) < 2:
    st.caption("Create two or three personas above to compare their lists here.")
else:
    chosen = st.multiselect("Compare", names, default=names[-3:], max_selections=3)
    if len(chosen) >= 2:
        lists = {n: explorer.recommend(session.personas()[n].state, k=10) for n in chosen}
        sets = {n: set(r[C.ITEM]) for n, r in lists.items()}
        cols = st.columns(len(chosen))
        for col, n in zip(cols, chosen):
            with col:
                st.markdown(f"**{html.escape(n)}**")
                st.dataframe(lists[n][["rank", C.TITLE, C.SCORE]], hide_index=True, width="stretch")
        overlaps = []
        for i, a in enumerate(chosen):
            for b in chosen[i + 1 :]:
                shared = sets[a] & sets[b]
                overlaps.append(
                    {
                        "pair": f"{a} ↔ {b}",
                        "shared of 10": len(shared),
                        "Jaccard": len(shared) / len(sets[a] | sets[b]),
                        "shared titles": "; ".join(TITLES[i] for i in shared),
                    }
                )
        st.dataframe(pd.DataFrame(overlaps), hide_index=True, width="stretch")

st.divider()
st.subheader("Save and share")
active = session.active()
cols = st.columns(3)
with cols[0]:
    st.markdown("**Save the current persona**")
    if active is None:
        st.caption("No persona yet.")
    else:
        if st.button(f"💾 Save “{active.persona.name}”", key="save"):
            try:
                store.save(active.persona)
                st.success("Saved. It will be here after a restart.")
            except ValueError as err:
                st.error(str(err))
        st.markdown("**Share link** (reproduces this persona, feedback included)")
        st.code(f"?persona={active.persona.to_token()}", language=None, wrap_lines=True)
with cols[1]:
    st.markdown("**Saved personas**")
    saved = store.names()
    if not saved:
        st.caption("Nothing saved yet.")
    else:
        pick = st.selectbox("Saved", saved, key="saved_pick", label_visibility="collapsed")
        b = st.columns(2)
        if b[0].button("Open", key="open_saved"):
            try:
                session.put(session.build(explorer, store.get(pick)))
                st.rerun()
            except (KeyError, ValueError) as err:
                st.error(str(err))
        if b[1].button("🗑 Delete", key="delete_saved"):
            store.delete(pick)
            st.rerun()
with cols[2]:
    st.markdown("**Rename a saved persona**")
    if saved:
        old = st.selectbox("Persona to rename", saved, key="rename_old")
        new = st.text_input("New name", key="rename_new")
        if st.button("Rename", key="rename"):
            try:
                store.rename(old, new)
                st.rerun()
            except (KeyError, ValueError) as err:
                st.error(str(err))
