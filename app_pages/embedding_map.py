"""Embedding map: UMAP of items and users (2D/3D), the session's personas placed on it, selections."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import streamlit as st

from recsys import columns as C
from recsys.analysis.audience import segment_labels
from ui import charts, resources, session

explorer = resources.explorer()
projector = resources.projector()

st.title("🗺️ Embedding map")
st.caption(
    "Each dot is a film (or a MovieLens user); nearby dots have similar vectors. The map is fitted once (UMAP, cosine) and "
    "cached; new personas and items are placed on it without refitting, from their nearest neighbours."
)

controls = st.columns([0.22, 0.14, 0.26, 0.2, 0.18])
space = controls[0].radio("Space", ["text", "fused"], horizontal=True, format_func=lambda s: {"text": "raw LLM text", "fused": "fused model"}[s],
                          help="raw LLM text: 384-d MiniLM embeddings. fused model: the model's d-dimensional e_i / e_u.")  # fmt: skip
dims = controls[1].radio("View", [2, 3], horizontal=True, format_func=lambda d: f"{d}D")
colour = controls[2].selectbox("Colour items by", ["genre", "popularity", "warm vs cold", "release decade"])
user_colour = controls[3].selectbox("Users", ["hidden", "all users", "by gender", "by age group"], index=0)
top_k = controls[4].slider("Top-K lines", 0, 20, 10)

if projector.has(space, dims):
    layout = projector.layout(space, dims)
else:
    with st.spinner(f"Fitting the {dims}D map of the {space} space (once; about 20 seconds)…"):
        layout = projector.layout(space, dims)
axes = ["x", "y", "z"][:dims]
items = pd.DataFrame(layout.items, columns=axes)
items["id"] = explorer.items[C.ITEM].to_numpy()
first_genre = [
    next((g for g in gs if g not in ("unknown", "Drama", "Comedy")), gs[0] if gs else "unknown") for gs in explorer.items[C.GENRES]
]
items["genre"] = first_genre
items["popularity"] = np.log1p(explorer.popularity)
items["warm vs cold"] = np.where(explorer.item_warm, "warm (has ratings)", "cold (content only)")
items["release decade"] = [f"{int(y) // 10 * 10}s" if y == y else "unknown" for y in explorer.items[C.YEAR]]
items["label"] = [
    f"<b>{html.escape(t)}</b><br>{html.escape(', '.join(g))}<br>{n} ratings"
    for t, g, n in zip(explorer.items[C.TITLE], explorer.items[C.GENRES], explorer.popularity)
]
categorical = colour != "popularity"
if categorical:
    # Keep the legend readable: the largest groups first.
    order = items[colour].value_counts().index
    items[colour] = pd.Categorical(items[colour], categories=order, ordered=True)
    items = items.sort_values(colour)
    items[colour] = items[colour].astype(str)

users = None
if user_colour != "hidden":
    users = pd.DataFrame(layout.users, columns=axes)
    frame = explorer.users.reset_index(drop=True)
    users["id"] = frame[C.USER].to_numpy()
    users["label"] = [
        f"user {u} · {a}, {g}, {html.escape(str(o))}"
        for u, a, g, o in zip(frame[C.USER], frame.get(C.AGE, ""), frame.get(C.GENDER, ""), frame.get(C.OCCUPATION, ""))
    ]
    if user_colour == "by gender" and C.GENDER in frame:
        users["segment"] = frame[C.GENDER].map({"F": "women", "M": "men"}).fillna("unknown").to_numpy()
    elif user_colour == "by age group" and C.AGE in frame:
        users["segment"] = segment_labels(explorer, C.AGE, frame[C.AGE])

extra = []
for name, entry in session.personas().items():
    vector = entry.state.text_vector if space == "text" else entry.state.vector
    point = layout.place(vector[None, :])[0]
    recs = explorer.recommend(entry.state, k=max(top_k, 1))
    rows = explorer.dataset.item_ids.indices(recs[C.ITEM])[:top_k]
    extra.append({
        **dict(zip(axes, point)), "name": name, "hover": f"{name}: {entry.state.text[:120]}",
        "targets": layout.items[rows].tolist(), "target_labels": [html.escape(t) for t in recs[C.TITLE][:top_k]],
    })  # fmt: skip
for n, item in enumerate(session.new_items()):
    vector = item.text_vector if space == "text" else item.vector
    point = layout.place(vector[None, :])[0]
    extra.append({**dict(zip(axes, point)), "name": f"new item {n + 1}", "hover": item.text[:160], "targets": []})

if extra:
    st.caption("Placed on the map (★, with lines to their top-K): " + ", ".join(html.escape(p["name"]) for p in extra))
else:
    st.info("No personas in this session yet: create one on **New user** to see where it lands and lines to its top-K.")


@st.fragment
def draw() -> None:
    figure = charts.embedding_map(items, users, colour, dims, extra, categorical=categorical)
    if dims == 2:
        event = st.plotly_chart(figure, width="stretch", on_select="rerun", selection_mode=("points", "box", "lasso"), key=f"map-{space}")
        points = event.selection.points if event and event.selection else []
        ids = [p["customdata"][0] for p in points if p.get("customdata") is not None]
        chosen = explorer.items[explorer.items[C.ITEM].isin([int(i) for i in ids])]
        st.markdown(f"**Selected items: {len(chosen)}** — use box or lasso select on the map (toolbar, top right).")
        if len(chosen):
            table = chosen[[C.ITEM, C.TITLE, C.GENRES, C.YEAR]].assign(
                ratings=explorer.popularity[explorer.dataset.item_ids.indices(chosen[C.ITEM])]
            )
            st.dataframe(table, hide_index=True, width="stretch")
    else:
        st.plotly_chart(figure, width="stretch", key=f"map3d-{space}")
        st.caption("3D view: drag to rotate, scroll to zoom. Selection works in the 2D view (Plotly has no lasso in 3D).")


draw()
