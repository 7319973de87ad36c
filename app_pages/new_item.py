"""New item: describe an item in words and see who would get it, and where it lands on the map."""

from __future__ import annotations

import html

import streamlit as st

from recsys import columns as C
from ui import charts, resources, session

explorer = resources.explorer()
GENRES = list(explorer.item_space.block(C.GENRES).labels) if C.GENRES in explorer.item_space.columns else []

st.title("🎬 New item")
st.caption("A cold-start item has no ratings: its vector and bias come from its description and attributes alone.")

with st.form("new_item"):
    text = st.text_area("Description", value="A heist thriller set in Tokyo, with a crew of con artists and a double-cross.", height=90)
    cols = st.columns([0.7, 0.3])
    genres = cols[0].multiselect("Genres", [g for g in GENRES if g != "unknown"], default=["Crime", "Thriller"])
    year = cols[1].number_input("Release year", min_value=1900, max_value=2030, value=None, placeholder="optional")
    list_length = st.slider("Counts as 'gets it' when the item would enter the user's top", 5, 50, 20)
    submitted = st.form_submit_button("Find its audience", type="primary")

if submitted:
    try:
        item = explorer.new_item(text, {C.GENRES: genres, C.YEAR: year})
        session.new_items().append(item)
        st.session_state["new_item_length"] = list_length
    except ValueError as err:
        st.error(str(err))

items = session.new_items()
if not items:
    st.info("Describe an item and press **Find its audience**.")
    st.stop()

item = items[-1]
length = st.session_state.get("new_item_length", 20)
for warning in item.warnings:
    st.warning(warning)
st.markdown(f"**Item text the model reads:** {html.escape(item.text)}")
cols = st.columns([0.4, 0.6])
cols[0].plotly_chart(charts.weights_bar(item.weights, "Fusion weights α of the new item"), width="stretch")
cols[1].metric("Item bias b_i", f"{item.bias:.3f}", "from text and attributes only", delta_color="off")

audience = explorer.audience(item, k=explorer.dataset.n_users, list_length=length)
share = float(audience["in_top"].mean())
cols[0].metric("Median rank among each user's unseen films", f"{int(audience['position'].median()):,}")
cols[1].metric(
    f"Users who would see it in their top-{length}",
    f"{int(audience['in_top'].sum()):,}",
    f"{share:.1%} of {len(audience):,}",
    delta_color="off",
)

st.subheader("Most likely audience")
st.dataframe(audience.head(20), hide_index=True, width="stretch",
             column_config={"p_like": st.column_config.ProgressColumn("p(like)", min_value=0.0, max_value=1.0, format="%.2f")})  # fmt: skip

st.subheader("By segment")
if share == 0:
    st.info(
        f"Nobody would see this item in their top-{length} yet: a cold item starts without the popularity that "
        f"lifts catalogue films (its median rank would be {int(audience['position'].median()):,}). The charts show "
        "how likely each segment is to like it."
    )
segment_cols = st.columns(3)
for col, column in zip(segment_cols, [c for c in (C.AGE, C.GENDER, C.OCCUPATION) if c in explorer.user_space.columns]):
    segments = explorer.audience_segments(item, column, list_length=length).sort_values("mean_p_like", ascending=False)
    with col:
        fig = charts.bars(
            segments.head(12).assign(label=segments[column].astype(str)), "label", "mean_p_like", f"Mean p(like) by {column}", height=340
        )
        fig.update_traces(
            customdata=segments.head(12)[["share_in_top", "median_position"]].to_numpy(),
            hovertemplate="%{x}<br>mean p(like) %{y:.3f}<br>in top-"
            + str(length)
            + ": %{customdata[0]:.1%}<br>median rank %{customdata[1]:.0f}<extra></extra>",
        )
        st.plotly_chart(fig, width="stretch")

st.subheader("Nearest catalogue items (fused space)")
st.dataframe(explorer.nearest_items(item, k=10)[[C.TITLE, C.GENRES, "cosine"]], hide_index=True, width="stretch")
st.page_link("app_pages/embedding_map.py", label="See it on the Embedding map", icon="🗺️")
