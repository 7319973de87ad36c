"""Embedding map: UMAP of items and users (2D/3D), the session's personas placed on it, selections."""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import streamlit as st

from recsys import columns as C
from recsys.analysis.projection import drawn_rows
from ui import charts, literal, resources, session

explorer = resources.explorer()
projector = resources.projector()
#: Genre families for colouring: 19 genres cannot get 19 colours that tell apart, 12 can.
GENRE_FAMILY = {
    "Drama": "Drama", "Comedy": "Comedy", "Action": "Action & adventure", "Adventure": "Action & adventure", "Romance": "Romance",
    "Crime": "Crime, mystery & noir", "Mystery": "Crime, mystery & noir", "Film-Noir": "Crime, mystery & noir", "Horror": "Horror",
    "Thriller": "Thriller", "Documentary": "Documentary", "Children's": "Children's & animation", "Animation": "Children's & animation",
    "Sci-Fi": "Sci-Fi & fantasy", "Fantasy": "Sci-Fi & fantasy", "War": "War & western", "Western": "War & western",
}  # fmt: skip
NOUN, NOUNS = explorer.dataset.noun, explorer.dataset.nouns
FILMS = NOUN == "film"
if FILMS:
    FAMILY_ORDER = list(dict.fromkeys(GENRE_FAMILY.values())) + ["Musical & other"]
else:  # another catalogue's genres, as they are: the 11 most common, the rest together
    FAMILY_ORDER = session.common_genres(explorer, 11) + ["Other"]
FAMILY_COLOURS = dict(zip(FAMILY_ORDER, charts.PALETTE))
ALL_WARM = bool(explorer.item_warm.all())
EVENTS = "ratings" if FILMS else "interactions"

st.title("🗺️ Embedding map")
st.caption(
    f"Each dot is a {NOUN} (or one of the catalogue's users); nearby dots have similar vectors. The map is fitted once (UMAP, cosine) and "
    "cached; new personas and items are placed on it without refitting."
)

controls = st.columns([0.22, 0.14, 0.26, 0.2, 0.18])
TEXT_MODEL = explorer.encoder.status()  # the sentence encoder, a small language model (not a generative LLM)
space = controls[0].radio("Space", ["text", "fused"], horizontal=True, format_func=lambda s: {"text": "text embedding", "fused": "fused model"}[s],
                          help=f"text embedding: the {TEXT_MODEL['dimension']}-d sentence vectors of {TEXT_MODEL['model']}, before any "
                          "training. fused model: the model's d-dimensional e_i / e_u.")  # fmt: skip
dims = controls[1].radio("View", [2, 3], horizontal=True, format_func=lambda d: f"{d}D")
colour_options = ["genre", "popularity", "release decade"] + ([] if ALL_WARM else ["warm vs cold"])
colour = controls[2].selectbox("Colour items by", colour_options,
                               help=f"Warm vs cold is offered when the catalogue has {NOUNS} without interactions; in this one every {NOUN} has some."
                               if ALL_WARM else f"Warm {NOUNS} have interactions (a collaborative part); cold ones only content.")  # fmt: skip
USER_VIEWS = ["hidden", "all users"] + ["by gender"] * (C.GENDER in explorer.users) + ["by age group"] * (C.AGE in explorer.users)
user_colour = controls[3].selectbox("Users", USER_VIEWS, index=0)
top_k = controls[4].slider("Top-K lines", 0, 20, 10)

if projector.has(space, dims):
    layout = projector.layout(space, dims)
else:
    with st.spinner(f"Fitting the {dims}D map of the {space} space (once; about 20 seconds)…"):
        layout = projector.layout(space, dims)
axes = ["x", "y", "z"][:dims]
span = float(np.ptp(layout.items, axis=0).max())


def title_year(title: str, fallback: float) -> float:
    """The year in the title ("Taxi Driver (1976)"); MovieLens' release date is often a later video release."""
    found = re.search(r"\((\d{4})\)\s*$", title)
    return float(found.group(1)) if found else fallback


def family(genres) -> str:
    if not FILMS:
        named = [g for g in genres if g in FAMILY_COLOURS]
        return named[0] if named else "Other"
    named = [g for g in genres if g not in ("unknown", "Drama", "Comedy")] or list(genres)
    return GENRE_FAMILY.get(named[0], "Musical & other") if named else "Musical & other"


def densest_centre(coords: np.ndarray) -> np.ndarray:
    """The centre of the largest group among ``coords`` (the point with most others nearby, averaged with them).

    A persona's top-K can sit on several islands of the map; the plain mean of all of them
    can fall in empty space between islands, far from any of its items.
    """
    distance = np.linalg.norm(coords[:, None, :] - coords[None, :, :], axis=2)
    near = distance <= 0.08 * span
    return coords[near[near.sum(1).argmax()]].mean(axis=0)


def item_frame() -> tuple[pd.DataFrame, dict | None]:
    """The items on this map, coloured by ``colour``, in drawing order, and each group's colour (``None``: the palette).

    Made from the engine and the layout alone, so it is built once per process (``resources.derived``) and shared.
    """
    shown = explorer.items.iloc[drawn]
    items = pd.DataFrame(layout.items[drawn], columns=axes)
    items["id"] = shown[C.ITEM].to_numpy()
    items["genre"] = [family(gs) for gs in shown[C.GENRES]]
    items["popularity"] = explorer.popularity[drawn]
    items["warm vs cold"] = np.where(explorer.item_warm[drawn], f"warm (has {EVENTS})", "cold (content only)")
    items["release decade"] = [f"{int(years[r]) // 10 * 10}s" if years[r] == years[r] else "unknown" for r in drawn]
    items["label"] = [
        f"<b>{html.escape(t)}</b><br>{html.escape(', '.join(g))}<br>{n} {EVENTS}"
        for t, g, n in zip(shown[C.TITLE], shown[C.GENRES], explorer.popularity[drawn])
    ]
    group_colours = None
    if colour == "genre":
        order = [f for f in FAMILY_ORDER if f in set(items["genre"])]
        group_colours = FAMILY_COLOURS
    elif colour == "release decade":
        order = sorted(set(items[colour]) - {"unknown"})  # chronological, on a sequential scale
        group_colours = dict(zip(order, charts.sequential(len(order)))) | {"unknown": "#b9b2ab"}
        order += ["unknown"] if "unknown" in set(items[colour]) else []
    elif categorical:
        order = list(items[colour].value_counts().index)
    if categorical:
        items[colour] = pd.Categorical(items[colour], categories=order, ordered=True)
        items = items.sort_values(colour)
        items[colour] = items[colour].astype(str)
    return items, group_colours


def user_frame() -> pd.DataFrame:
    """The catalogue's users on this map, labelled and (for a segment view) segmented; built once per process, like the items."""
    users = pd.DataFrame(layout.users, columns=axes)
    frame = explorer.users.reset_index(drop=True)
    users["id"] = frame[C.USER].to_numpy()
    shown = [c for c in explorer.dataset.user_attributes if c in frame][:3]
    users["label"] = [
        f"user {html.escape(str(u))}" + (" · " + ", ".join(html.escape(str(v)) for v in values) if shown else "")
        for u, *values in zip(frame[C.USER], *(frame[c] for c in shown))
    ]
    if user_colour == "by gender" and C.GENDER in frame:
        users["segment"] = frame[C.GENDER].map({"F": "women", "M": "men"}).fillna("unknown").to_numpy()
    elif user_colour == "by age group" and C.AGE in frame:
        users["segment"] = explorer.segment_labels(C.AGE, frame[C.AGE])
        # Youngest group first: the legend lists groups in the order they first appear.
        users = users.iloc[np.argsort(pd.to_numeric(frame[C.AGE], errors="coerce").fillna(np.inf).to_numpy(), kind="stable")]
    return users


# The same for every session of this catalogue: built once, shared read-only (never mutate them here).
years = resources.derived(("title years",), lambda: [title_year(t, y) for t, y in zip(explorer.items[C.TITLE], explorer.items[C.YEAR])])
categorical = colour != "popularity"
# A large catalogue is drawn as a fixed sample: a browser stays responsive up to MAX_DRAWN WebGL points.
drawn = resources.derived(("map sample",), lambda: drawn_rows(explorer.dataset.n_items))
if len(drawn) < explorer.dataset.n_items:
    st.caption(
        f"Drawing {len(drawn):,} of {explorer.dataset.n_items:,} {explorer.dataset.nouns} (the same uniform sample on every visit); "
        "personas, their top-K and new items are always drawn."
    )
items, group_colours = resources.derived(("map items", space, dims, colour), item_frame)
users = resources.derived(("map users", space, dims, user_colour), user_frame) if user_colour != "hidden" else None

extra, not_placed = [], []
for name, entry in session.personas().items():
    recs = explorer.recommend(entry.state, k=max(top_k, 10), item_bias_scale=session.bias_scale(), axis_strength=session.axis_strength())
    rows = explorer.dataset.item_ids.indices(recs[C.ITEM])
    if space == "text":
        if not entry.state.text:
            not_placed.append(name)
            continue
        point = layout.place(entry.state.text_vector[None, :])[0]
    else:
        point = densest_centre(layout.items[rows[:10]])
    extra.append({
        **dict(zip(axes, point)), "name": html.escape(name), "hover": html.escape(f"{name}: {entry.state.text[:120] or '(no profile text)'}"),
        "targets": layout.items[rows[:top_k]].tolist(), "target_labels": [html.escape(t) for t in recs[C.TITLE][:top_k]],
    })  # fmt: skip
for item in session.new_items():
    vector = item.text_vector if space == "text" else item.vector
    point = layout.place(vector[None, :])[0]
    label = "new item: " + charts.short(item.text.split(" Genres:")[0], 32)
    extra.append(
        {
            **dict(zip(axes, point)),
            "name": html.escape(label),
            "hover": html.escape(item.text[:160]),
            "targets": [],
            "symbol": "diamond-wide",
        }
    )

marker = "★ (new items ◆)" if dims == 2 else "◆"
if extra:
    st.caption(
        f"Placed on the map ({marker}, with lines to their top-K): " + ", ".join(literal.md(html.unescape(p["name"])) for p in extra) + ". "
        + (f"In the raw text space a persona sits among the {NOUNS} whose descriptions read most like its profile; its lines show "
           "where the model's recommendations are." if space == "text" else
           f"In the fused space a persona sits among the {NOUNS} it ranks highest (the largest group of its top-10).")
        + (" Its top-K is New user's list at that page's popularity controls." if session.popularity_query() else "")
    )  # fmt: skip
elif not not_placed:
    st.info("No personas in this session yet: create one on **New user** to see where it lands and lines to its top-K.")
if not_placed:
    st.caption(
        "Not on the raw text map (no profile text to place): "
        + ", ".join(literal.md(n) for n in not_placed)
        + ". They appear in the fused space."
    )
if colour == "popularity":
    st.caption(f"Popularity = number of {EVENTS}, on a log scale (1, 10, 100 … {EVENTS} are equally far apart on the colour bar).")
elif colour == "genre":
    st.caption(
        "Genre = a film's first genre other than Drama/Comedy (Drama or Comedy when it has no other), grouped into 12 families."
        if FILMS
        else f"Genre = a {NOUN}'s first genre among the catalogue's {len(FAMILY_ORDER) - 1} most common; the rest are Other."
    )


@st.fragment
def draw() -> None:
    figure = charts.embedding_map(items, users, colour, dims, extra, categorical=categorical, colours=group_colours,
                                  colour_title=f"number of {EVENTS}" if colour == "popularity" else None)  # fmt: skip
    if dims == 2:
        event = st.plotly_chart(figure, width="stretch", on_select="rerun", selection_mode=("points", "box", "lasso"), key=f"map-{space}")
        points = event.selection.points if event and event.selection else []
        # Items only: a box drawn over users too must not list the items that share their ids.
        ids = [p["customdata"][0] for p in points if p.get("customdata") is not None and p["customdata"][-1] == "item"]
        chosen = explorer.items[explorer.items[C.ITEM].isin(ids)]
        st.markdown(f"**Selected items: {len(chosen)}** — use box or lasso select on the map (toolbar, top right).")
        if len(chosen):
            rows = explorer.dataset.item_ids.indices(chosen[C.ITEM])
            table = chosen[[C.ITEM, C.TITLE, C.GENRES]].assign(
                year=[years[r] for r in rows], **{EVENTS: explorer.popularity[rows]}
            )  # fmt: skip
            st.dataframe(table, hide_index=True, width="stretch", column_config={"year": st.column_config.NumberColumn(format="%d")})
    else:
        st.plotly_chart(figure, width="stretch", key=f"map3d-{space}")
        st.caption(
            "3D view: drag to rotate, scroll to zoom; personas and new items are ◆. Selection works in the 2D view (Plotly has no lasso in 3D)."
        )


draw()
