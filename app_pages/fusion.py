"""Fusion: the learned fusion weights, re-weighting sliders, and the per-modality ablation."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from recsys import columns as C
from recsys.modalities import ITEM_NAMES as ITEM_MODALITIES
from recsys.modalities import USER_NAMES as USER_MODALITIES
from recsys.results import ablation_by_split, split_label
from ui import charts, resources, session

explorer = resources.explorer()

st.title("🎚️ Fusion")
st.markdown(
    "Each side's vector is a weighted sum of its modalities, $e = \\sum_m \\alpha_m h_m$. The weights are a softmax over "
    "the modalities an entity **has**: a global preference $g_m$ plus a per-entity gate read from its text. "
    "A new user has no collaborative part, so its weight is shared among profile text, demographics and onboarding likes."
)


def shared_part_note(global_users: dict[str, float], users: pd.DataFrame) -> str:
    """Why the global chart is no one's weights, and the users' own mean weight of the modality they lean on most (each
    number rounded as the chart it quotes labels it)."""
    mean = users[list(USER_MODALITIES)].mean().to_dict()
    top = max(mean, key=mean.get)
    own, alone = charts.weight_labels(mean)[top], charts.weight_labels(global_users)[top]
    return (
        f"softmax(g) is what the weights would be from g alone; each user's gate, read from their text, shifts g before the "
        f"softmax, so no user has exactly these weights. With their gates, this catalogue's {len(users):,} users put on "
        f"average {own:.2f} on {charts.modality_label(top)} (g alone: {alone:.2f}): the dashed line of its box in the per-user chart, "
        f"and New user's chart before a persona is made. A new user has no {charts.modality_label('id')} part, so their weight "
        "goes to the modalities they have (the table of learned weights per split, further down)."
    )


users = explorer.warm_user_weights()
items = pd.DataFrame(explorer.item_alpha, columns=list(ITEM_MODALITIES)).assign(title=explorer.items[C.TITLE].to_numpy())
cols = st.columns(2)
with cols[0]:
    global_users = explorer.global_weights("user")
    st.plotly_chart(charts.weights_bar(global_users, "Global user weights softmax(g) (all modalities present)", 220), width="stretch")
    title = f"Per-user weights α ({len(users):,} {explorer.dataset.name} users)"
    st.plotly_chart(charts.modality_box(users, USER_MODALITIES, title, "user"), width="stretch")
with cols[1]:
    global_items = explorer.global_weights("item")
    st.plotly_chart(charts.weights_bar(global_items, "Global item weights softmax(g)", 220, side="item"), width="stretch")
    st.plotly_chart(
        charts.modality_box(items, ITEM_MODALITIES, f"Per-item weights α ({len(items):,} {explorer.dataset.nouns})", "item"),
        width="stretch",
    )

st.caption(shared_part_note(global_users, users))  # under both columns: in one, it pushed its box plot below the other's

with st.expander("Items leaning most on their text, and most on their ratings"):
    c = st.columns(2)
    shown = {m: st.column_config.NumberColumn(charts.modality_label(m, "item"), format="%.2f") for m in ITEM_MODALITIES}
    c[0].dataframe(items.sort_values("text", ascending=False).head(10)[["title", *ITEM_MODALITIES]], hide_index=True, width="stretch",
                   column_config=shown)  # fmt: skip
    c[1].dataframe(items.sort_values("id", ascending=False).head(10)[["title", *ITEM_MODALITIES]], hide_index=True, width="stretch",
                   column_config=shown)  # fmt: skip

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
            user_factors = {
                m: st.slider(f"user · {charts.modality_label(m)}", 0.0, 3.0, 1.0, 0.1, key=f"uf-{m}")
                for m in USER_MODALITIES if user.weights[m] > 0
            }  # fmt: skip
            if len(user_factors) == 1:
                st.caption(
                    "This persona has a single user modality, so re-weighting it changes nothing: give it demographics or onboarding likes on **New user**."
                )
            users_off = all(v == 0 for v in user_factors.values())
            if users_off:
                st.warning("All user sliders are at 0: nothing is left to weight, so the **learned** user weights are used below.")
        with cols[1]:
            st.markdown("**Item side**")
            item_factors = {
                m: st.slider(f"item · {charts.modality_label(m, 'item')}", 0.0, 3.0, 1.0, 0.1, key=f"if-{m}") for m in ITEM_MODALITIES
            }
            items_off = all(v == 0 for v in item_factors.values())
            if items_off:
                st.warning("All item sliders are at 0: nothing is left to weight, so the **learned** item weights are used below.")
        session.keep_fusion_setting(user_factors, item_factors)  # New user's comparison lists the model at these weights
        # At New user's popularity controls: the learned list here is the one New user shows, and the re-weighted one is
        # its comparison's "Fusion page weights" row.
        scale, axis = session.bias_scale(), session.axis_strength()
        base = explorer.recommend(user, k=10, item_bias_scale=scale, axis_strength=axis)
        adjusted_user = explorer.reweight(user, user_factors)
        changed = explorer.recommend(adjusted_user, k=10, item_weights=None if items_off else item_factors,
                                     item_bias_scale=scale, axis_strength=axis)  # fmt: skip
        controls = session.popularity_query()
        if controls:
            st.caption(
                "Both lists use New user's popularity controls ("
                + ", ".join({"pull": "b_i scaled by", "axis": "popularity axis removed"}[k] + f" {v}" for k, v in controls.items())
                + ")."
            )
        c = st.columns([1.0, 1.5, 1.5])  # the lists wider than the chart: whole titles, not cut ones
        title = "User α: learned (all sliders at 0)" if users_off else "User α after re-weighting"
        c[0].plotly_chart(charts.weights_bar(adjusted_user.weights, title), width="stretch")
        ranked = {
            "rank": st.column_config.NumberColumn("rank", width="small"),
            C.TITLE: st.column_config.TextColumn(C.TITLE, width="large"),
        }
        with c[1]:
            st.markdown("**Learned weights**")
            st.dataframe(base[["rank", C.TITLE]], hide_index=True, width="stretch", column_config=ranked)
        with c[2]:
            shared = len(set(base[C.ITEM]) & set(changed[C.ITEM]))
            st.markdown(f"**Re-weighted** — {shared}/10 items in common")
            st.dataframe(changed[["rank", C.TITLE]], hide_index=True, width="stretch", column_config=ranked)

    sliders()

st.subheader("Per-modality ablation (benchmark)")
found = resources.bench_results()
results = found.data if found else {}
if not results.get("ablation"):
    st.info(
        "No ablation in the benchmark results. Run `make bench` (or `.venv/bin/python -m recsys bench --json bench-results/results.json`) and reload."
    )
else:
    st.caption(
        f"From the {found.label} (`{resources.shown_path(found.path)}`), on **{results.get('dataset')}**"
        + ("" if results.get("dataset") == explorer.dataset.name else f" — not this session's catalogue ({explorer.dataset.name})")
        + "."
    )
    nouns = explorer.dataset.nouns if results.get("dataset") == explorer.dataset.name else "items"
    rows = [{"setting": setting, "split": split_label(split, nouns), **{k: v for k, v in metrics.items() if k in ("recall@20", "ndcg@20")}}
            for split, table in ablation_by_split(results).items() for setting, metrics in table.items()]  # fmt: skip
    frame = pd.DataFrame(rows)
    fig = px.bar(frame, x="setting", y="recall@20", color="split", barmode="group", title="Recall@20 by modality set",
                 category_orders={"split": list(dict.fromkeys(frame["split"]))})  # fmt: skip
    fig.update_layout(height=360)
    st.plotly_chart(fig, width="stretch")
    st.dataframe(frame, hide_index=True, width="stretch")
    if "fusion_weights" in results:
        st.markdown("**Learned fusion weights per split** (mean over the test users, or the held-out items)")
        weights = pd.DataFrame(
            [{"split": split_label(split, nouns), "side": side, "modality": charts.modality_label(m, side), "α": w}
             for split, table in results["fusion_weights"].items() for side in ["item" if split.startswith("item") else "user"]
             for m, w in table.items()]
        )  # fmt: skip
        st.dataframe(weights, hide_index=True, width="stretch", column_config={"α": st.column_config.NumberColumn(format="%.2f")})
