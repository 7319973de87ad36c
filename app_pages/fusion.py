"""Fusion: the learned fusion weights, re-weighting sliders, and the per-modality ablation."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from recsys import columns as C
from recsys.modalities import ITEM_NAMES as ITEM_MODALITIES
from recsys.modalities import USER_NAMES as USER_MODALITIES
from ui import charts, resources, session

explorer = resources.explorer()

st.title("🎚️ Fusion")
st.markdown(
    "Each side's vector is a weighted sum of its modalities, $e = \\sum_m \\alpha_m h_m$. The weights are a softmax over "
    "the modalities an entity **has**: a global preference $g_m$ plus a per-entity gate read from its text. "
    "A new user has no collaborative part, so its weight is shared among text, demographics and likes."
)

users = explorer.warm_user_weights()
items = pd.DataFrame(explorer.item_alpha, columns=list(ITEM_MODALITIES)).assign(title=explorer.items[C.TITLE].to_numpy())
cols = st.columns(2)
with cols[0]:
    global_users = explorer.global_weights("user")
    st.plotly_chart(charts.weights_bar(global_users, "Global user weights softmax(g) (all modalities present)", 220), width="stretch")
    long = users.melt(id_vars=[C.USER], var_name="modality", value_name="alpha")
    fig = px.box(long, x="modality", y="alpha", color="modality", points=False, title="Per-user weights α (943 MovieLens users)",
                 color_discrete_map=charts.MODALITY_COLOURS)  # fmt: skip
    fig.update_layout(height=320, showlegend=False, template="plotly_white", margin=dict(t=40, l=10, r=10, b=10))
    st.plotly_chart(fig, width="stretch")
with cols[1]:
    global_items = explorer.global_weights("item")
    st.plotly_chart(charts.weights_bar(global_items, "Global item weights softmax(g)", 220), width="stretch")
    long = items.melt(id_vars=["title"], var_name="modality", value_name="alpha")
    fig = px.box(long, x="modality", y="alpha", color="modality", points=False, title="Per-item weights α (1,682 films)",
                 color_discrete_map=charts.MODALITY_COLOURS)  # fmt: skip
    fig.update_layout(height=320, showlegend=False, template="plotly_white", margin=dict(t=40, l=10, r=10, b=10))
    st.plotly_chart(fig, width="stretch")

with st.expander("Items leaning most on their text, and most on their ratings"):
    c = st.columns(2)
    c[0].dataframe(items.sort_values("text", ascending=False).head(10), hide_index=True, width="stretch")
    c[1].dataframe(items.sort_values("id", ascending=False).head(10), hide_index=True, width="stretch")

st.subheader("Re-weight the evidence for a persona")
names = list(session.personas())
if not names:
    st.info("Create a persona on **New user** first; its list will change here as you move the sliders.")
else:
    name = st.selectbox(
        "Persona", names, index=names.index(st.session_state.get(session.ACTIVE)) if st.session_state.get(session.ACTIVE) in names else 0
    )
    user = session.personas()[name].state

    @st.fragment
    def sliders() -> None:
        cols = st.columns(2)
        with cols[0]:
            st.markdown("**User side** (multiplies the learned α, then renormalises)")
            user_factors = {m: st.slider(f"user · {m}", 0.0, 3.0, 1.0, 0.1, key=f"uf-{m}") for m in USER_MODALITIES if user.weights[m] > 0}
            if len(user_factors) == 1:
                st.caption(
                    "This persona has a single user modality, so re-weighting it changes nothing: give it demographics or onboarding likes on **New user**."
                )
        with cols[1]:
            st.markdown("**Item side**")
            item_factors = {m: st.slider(f"item · {m}", 0.0, 3.0, 1.0, 0.1, key=f"if-{m}") for m in ITEM_MODALITIES}
        base = explorer.recommend(user, k=10)
        adjusted_user = explorer.reweight(user, user_factors)
        changed = explorer.recommend(adjusted_user, k=10, item_weights=item_factors)
        c = st.columns(3)
        c[0].plotly_chart(charts.weights_bar(adjusted_user.weights, "User α after re-weighting"), width="stretch")
        with c[1]:
            st.markdown("**Learned weights**")
            st.dataframe(base[["rank", C.TITLE]], hide_index=True, width="stretch")
        with c[2]:
            shared = len(set(base[C.ITEM]) & set(changed[C.ITEM]))
            st.markdown(f"**Re-weighted** — {shared}/10 items in common")
            st.dataframe(changed[["rank", C.TITLE]], hide_index=True, width="stretch")

    sliders()

st.subheader("Per-modality ablation (benchmark)")
results, path = resources.bench_results()
if not results or "ablation" not in results:
    st.info(
        "No benchmark results yet. Run `make bench` (or `.venv/bin/python -m recsys bench --json bench-results/results.json`) and reload."
    )
else:
    rows = [{"setting": setting, "split": split, **{k: v for k, v in metrics.items() if k in ("recall@20", "ndcg@20")}}
            for split, table in results["ablation"].items() for setting, metrics in table.items()]  # fmt: skip
    frame = pd.DataFrame(rows)
    fig = px.bar(frame, x="setting", y="recall@20", color="split", barmode="group", title=f"Recall@20 by modality set ({path})")
    fig.update_layout(height=360, template="plotly_white")
    st.plotly_chart(fig, width="stretch")
    st.dataframe(frame, hide_index=True, width="stretch")
    if "fusion_weights" in results:
        st.markdown("**Learned fusion weights per split** (mean over the test users)")
        st.dataframe(pd.DataFrame(results["fusion_weights"]).T, width="stretch")
