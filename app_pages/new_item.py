"""New item: describe an item in words and see who would get it, where it ranks, and what a boost would change."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from recsys import columns as C
from recsys.results import held_on_warm
from ui import charts, literal, nouns, resources, session

explorer = resources.explorer()
GENRES = list(explorer.item_space.block(C.GENRES).labels) if C.GENRES in explorer.item_space.columns else []
NOUN, NOUNS = explorer.dataset.noun, explorer.dataset.nouns
# Other categorical attributes of this catalogue (a bookshop's format or language), offered as pickers.
CHOICES = {
    name: list(explorer.item_space.block(name).labels)
    for name in explorer.item_space.columns
    if name not in (C.GENRES, C.YEAR) and explorer.item_space.block(name).kind == "one"
}
if NOUN == "film":
    EXAMPLE = "A heist thriller set in Tokyo, with a crew of con artists and a double-cross."
else:
    common = session.common_genres(explorer, 2)
    # A description a person could have written (its genres read from it), never an instruction embedded as one.
    EXAMPLE = f"A {NOUN} that mixes {' and '.join(g.lower() for g in common) or 'several genres'}: a small cast, a slow start and a surprising ending."
#: The text models the item tower reads a description with (recsys.item_text): the users' model, then the item model.
READERS = " and ".join(filter(None, (explorer.encoder.model_id, explorer.item_reading.model)))
BOOSTS = tuple(np.round(np.arange(0.0, 5.01, 0.5), 2))
SEGMENT_COLOUR = "#2563eb"


def described_genres(description: str) -> list[str]:
    """The catalogue genres a description names ("a heist thriller" → Crime, Thriller), as the engine reads text."""
    return [g for g in explorer.read(description, judge=False).wants if g in GENRES and g != "unknown"]


st.title(f"{nouns.item_icon(NOUN)} New {NOUN}")
st.caption("A cold-start item has no interactions yet: its vector and bias come from its description and attributes alone.")

with st.form("new_item"):
    text = st.text_area("Description", value=EXAMPLE, height=90)
    cols = st.columns([0.7, 0.3])
    genres = cols[0].multiselect(
        "Genres", [g for g in GENRES if g != "unknown"], placeholder="read from the description",
        help="Leave empty and the genres the description names are used; choose some to set them yourself.",
    )  # fmt: skip
    year = cols[1].number_input(
        "Release year" if NOUN == "film" else "Year", min_value=1800, max_value=2100, value=None, step=1, placeholder="optional"
    )
    picked = {}
    for column, (name, labels) in zip(st.columns(max(len(CHOICES), 1)), CHOICES.items()):
        picked[name] = column.selectbox(name.replace("_", " ").capitalize(), [session.NOT_GIVEN, *labels], key=f"new_item_{name}")
    list_length = st.slider("Counts as 'gets it' when the item would enter the user's top", 5, 50, 20)
    submitted = st.form_submit_button("Find its audience", type="primary")
    failed = False
    if submitted:
        try:
            chosen = {name: value for name, value in picked.items() if value != session.NOT_GIVEN}
            read = not genres and bool(GENRES)
            # The first description of a server process loads the item text model (a few seconds).
            with st.spinner(f"Reading the description with {READERS}…"):
                item = explorer.new_item(text, {C.GENRES: described_genres(text) if read else genres, C.YEAR: year, **chosen})
            session.new_items().append(item)
            st.session_state[session.NEW_ITEM_LENGTH] = list_length
            st.session_state[session.NEW_ITEM_GENRES_READ] = read
        except ValueError as err:
            failed = True
            st.error(literal.md(str(err)[:1].upper() + str(err)[1:] + "."))

items = session.new_items()
if not items:
    st.info("Describe an item and press **Find its audience**.")
    st.stop()

item = items[-1]
name = charts.short(item.text.split(" Genres:")[0], 60)
if failed:
    st.warning(f"Still showing the previous item, “{literal.md(name)}”: fix the input above and press **Find its audience**.")
length = st.session_state.get(session.NEW_ITEM_LENGTH, 20)
for warning in item.warnings:
    st.warning(literal.md(warning))
st.markdown(f"**Item text the model reads:** {literal.md(item.text)}")
if explorer.item_reading.model:
    st.caption(
        f"Read twice: by {explorer.encoder.model_id}, the space profiles, the map and the content-similarity list share, "
        f"and by {explorer.item_reading.model}, a stronger model the item tower reads beside it."
    )
if st.session_state.get(session.NEW_ITEM_GENRES_READ):
    found = list(item.attributes.get(C.GENRES) or [])
    st.caption(
        f"Genres read from the description: {literal.md(', '.join(found))}. Choose genres above to set them yourself."
        if found
        else f"The description names none of the catalogue's genres, so the {NOUN} has none: choose genres above to give it some."
    )
cols = st.columns([0.4, 0.6])
cols[0].plotly_chart(charts.weights_bar(item.weights, "Fusion weights α of the new item", side="item"), width="stretch")
cols[1].metric("Item bias b_i", f"{item.bias:.3f}", "from text and attributes only", delta_color="off", delta_arrow="off")
catalogue = pd.Series(explorer.item_bias)
cols[1].caption(
    f"Catalogue {NOUNS}' b_i: median {catalogue.median():.3f}, top 10% above {catalogue.quantile(0.9):.3f}. "
    "Their collaborative part, learned from their interactions, is what lifts them into people's lists."
)

st.subheader(f"Does anyone see it? A new item competes with every {NOUN} in each person's list")
st.markdown(
    f"To reach a person, the item must outscore every {NOUN} they have not {'rated' if NOUN == 'film' else 'picked'} yet — up to {explorer.dataset.n_items:,} candidates, "
    "most of them with a collaborative part and a bias learned from their interactions. Below: where it would rank, and how "
    "a **new-item boost** (a logit added to b_i, shown as its own term) changes who sees it."
)
boost = st.slider("New-item boost added to b_i (logit)", 0.0, float(BOOSTS[-1]), 0.0, 0.25, key="new_item_boost",
                  help="r̂ = μ + b_u + (b_i + boost) + ⟨e_u, e_i⟩. Products often give fresh items such a boost for a while.")  # fmt: skip
audience = explorer.audience(item, k=explorer.dataset.n_users, list_length=length, boost=boost)
reach = explorer.boost_reach(item, list_length=length, boosts=sorted({*BOOSTS, boost}))
share = float(audience["in_top"].mean())
cols = st.columns([0.38, 0.62])
with cols[0]:
    st.metric(
        f"Users who would see it in their top-{length}", f"{int(audience['in_top'].sum()):,}",
        f"{share:.1%} of {len(audience):,} at boost +{boost:g}", delta_color="off", delta_arrow="off",
    )  # fmt: skip
    st.metric(f"Median rank among each user's unseen {NOUNS}", f"{int(audience['position'].median()):,}",
              help="1 = it would top the person's list. Half of the users would rank it here or better.")  # fmt: skip
    # The best-ranked user and the most likely one can differ (a person with few films they would like more): the card
    # names the user it ranks best for, with that user's p.
    nearest = audience.loc[audience["position"].idxmin()]
    st.metric("Best rank for anyone", f"{int(nearest['position']):,}", f"user {nearest[C.USER]}, p(like) {charts.probability(nearest['p_like'])}",
              delta_color="off", delta_arrow="off",
              help="The user who would see it highest in their list. The users most likely to like it are listed below, by p(like).")  # fmt: skip
    st.latex(
        rf"\hat r = \mu + b_u + (\underbrace{{{item.bias:.2f}}}_{{b_i}} + \underbrace{{{boost:.2f}}}_{{\text{{boost}}}}) + \langle e_u, e_i\rangle"
    )
with cols[1]:
    st.plotly_chart(charts.boost_reach(reach, boost, length), width="stretch")
if share == 0:
    st.info(
        f"At boost +{boost:g} nobody gets it in their top-{length}: even the users who like it most (p(like) up to "
        f"{charts.probability(audience['p_like'].max())}) have catalogue {NOUNS} they would like more. Raise the boost to see how large a "
        "push it needs, or look at where it ranks in each segment below."
    )

st.subheader("Most likely audience")
columns = [C.USER, *[c for c in (C.AGE, C.GENDER, C.OCCUPATION) if c in audience], "p_like", "position", "in_top", C.SCORE, "boost"]
st.dataframe(
    audience.head(20)[columns], hide_index=True, width="stretch",
    column_config={
        "p_like": st.column_config.ProgressColumn("p(like)", min_value=0.0, max_value=1.0, format="%.2f"),
        "position": st.column_config.NumberColumn("rank in their list", help=f"Where the item would enter this user's list of unseen {NOUNS}"),
        "in_top": st.column_config.CheckboxColumn(f"in top-{length}"),
        C.SCORE: st.column_config.NumberColumn("r̂", format="%.3f"),
        "boost": st.column_config.NumberColumn("boost term", format="%.2f"),
    },
)  # fmt: skip

# The audience is the catalogue's own users, for whom the calibration (fitted on new users) runs high: say how the
# largest p shown held on their held-out ratings ("p(like) 0.90" was read as 90%; such pairs were liked 15–20% of the time).
found = resources.bench_results()
held = found.reliability_bin("warm", float(audience["p_like"].max()), explorer.dataset.name, explorer.fingerprint) if found else None
if held is not None:
    st.caption(
        "How far to trust p(like) here: these are the catalogue's own users, and the calibration was fitted on new users. "
        f"{held_on_warm(held)}. Read p as an order among these users, not as a chance."
    )

st.subheader("Your personas")
mine = session.personas()
if mine:
    # The personas a person made on New user: the first people anyone asks about, and not among the dataset's users above.
    rows = []
    for name, entry in mine.items():
        score, position = explorer.rank_for(entry.state, item, boost)
        terms = explorer.explain(entry.state, item)  # the same score, term by term (the boost is its own column)
        rows.append((name, position, terms.b_u, terms.b_i, boost, terms.dot, score))
    placed = pd.DataFrame(rows, columns=["persona", "position", "b_u", "b_i", "boost", "dot", C.SCORE])
    placed = placed.assign(in_top=placed["position"] <= length, p_like=explorer.p_like(placed[C.SCORE].to_numpy()))
    st.dataframe(
        placed[["persona", "position", "in_top", "p_like", "b_u", "b_i", "boost", "dot", C.SCORE]].sort_values("position", kind="stable"),
        hide_index=True, width="stretch", key="new_item_personas",
        column_config={
            "position": st.column_config.NumberColumn("rank in their list", help=f"Where the item would enter the persona's own top list, among the {NOUNS} New user would rank for them"),
            "in_top": st.column_config.CheckboxColumn(f"in top-{length}"),
            "p_like": st.column_config.ProgressColumn("p(like)", min_value=0.0, max_value=1.0, format="%.2f"),
            "b_u": st.column_config.NumberColumn("b_u", format="%.3f"),
            "b_i": st.column_config.NumberColumn("b_i", format="%.3f", help=f"The new {NOUN}'s bias, from its description and attributes: no likes yet"),
            "boost": st.column_config.NumberColumn("boost", format="%.3f"),
            "dot": st.column_config.NumberColumn("⟨e_u, e_i⟩", format="%.3f", help="How well the persona's taste and the item's vector agree"),
            C.SCORE: st.column_config.NumberColumn("r̂", format="%.3f"),
        },
    )  # fmt: skip
    st.caption(
        f"r̂ = μ ({explorer.mu:.3f}) + b_u + b_i + boost + ⟨e_u, e_i⟩, with every term New user shows (exclusions and era "
        f"are part of ⟨e_u, e_i⟩; each shown to three decimals, so a sum may differ in its last digit). A new {NOUN} starts with the bias of one nobody has liked yet, so its rank in a list "
        "full of well-liked catalogue items says more than its r̂ alone; the boost above is the usual remedy."
    )
else:
    st.caption("No personas yet: make one on **New user** to see where this item would land in their list.")

st.subheader("By segment: where it ranks in each group's lists")
measure = st.radio(
    "Show", ["median rank in their lists", f"share with it in their top-{length}", "mean p(like)"], horizontal=True, key="segment_measure"
)
column_of = {
    "median rank in their lists": "median_position",
    f"share with it in their top-{length}": "share_in_top",
    "mean p(like)": "mean_p_like",
}
value = column_of[measure]
segment_cols = st.columns(3)
for col, column in zip(segment_cols, [c for c in (C.AGE, C.GENDER, C.OCCUPATION) if c in explorer.user_space.columns]):
    segments = explorer.audience_segments(item, column, list_length=length, boost=boost)
    if column == C.AGE:  # age groups in age order, not by value
        order = list(explorer.user_space.block(C.AGE).labels)
        segments = segments.assign(_o=segments[column].map(order.index)).sort_values("_o").drop(columns="_o")
        segments[column] = segments[column].str.removeprefix("age").str.replace("<", "under ")
    groups = len(segments)
    if column != C.AGE:
        segments = segments.sort_values(value, ascending=value == "median_position").head(12)
    # A column is a third of the page: what is left out goes on a line of its own, or the title runs off the chart; it
    # holds about eight numbers side by side, so more bars carry their value in the hover only.
    crowded = len(segments) > charts.CROWDED_BARS
    notes = []
    if len(segments) < groups:
        notes.append(f"the best 12 of {groups}")
    if crowded:
        notes.append("hover a bar for its value")
    title = f"{measure.capitalize()} by {column}" + (f"<br><sup>{' · '.join(notes)}</sup>" if notes else "")
    fmt = "{:,.0f}" if value == "median_position" else "{:.1%}" if value == "share_in_top" else "{:.3f}"
    with col:
        fig = charts.bars(segments.assign(label=segments[column].astype(str)), "label", value, title,
                          height=340, colour=SEGMENT_COLOUR, text_format=None if crowded else fmt)  # fmt: skip
        fig.update_traces(
            customdata=segments[["share_in_top", "median_position", "mean_p_like", "users"]].to_numpy(),
            hovertemplate="%{x} (%{customdata[3]} users)<br>median rank %{customdata[1]:,.0f}<br>in top-" + str(length)
            + ": %{customdata[0]:.1%}<br>mean p(like) %{customdata[2]:.3f}<extra></extra>",
        )  # fmt: skip
        if value == "median_position":
            fig.add_hline(y=length, line_dash="dot", line_color="#ef4444")
            fig.update_yaxes(title="median rank (1 = top)", rangemode="tozero")
        st.plotly_chart(fig, width="stretch")

if value == "median_position":
    st.caption(
        f"Red dotted line: rank {length}, the cut-off for “sees it”. Hover a bar for the share in the top-{length} and mean p(like)."
    )

st.subheader("Nearest catalogue items (fused space)")
st.dataframe(
    explorer.nearest_items(item, k=10)[[C.TITLE, C.GENRES, "cosine"]], hide_index=True, width="stretch",
    column_config={"cosine": st.column_config.NumberColumn(format="%.3f")},
)  # fmt: skip
st.page_link("app_pages/embedding_map.py", label="See it on the Embedding map", icon="🗺️")
