"""Cold-start explorer: entry point — page config, navigation, the shared engine, persona links."""

from __future__ import annotations

import streamlit as st

from recsys.personas import Persona
from ui import literal, resources, session

st.set_page_config(page_title="Cold-start explorer", page_icon="🧭", layout="wide")

PAGES = [
    st.Page("app_pages/home.py", title="Home", icon="🏠", default=True),
    st.Page("app_pages/new_user.py", title="New user", icon="🧑", url_path="new_user"),
    st.Page("app_pages/new_item.py", title="New item", icon="🎬", url_path="new_item"),
    st.Page("app_pages/embedding_map.py", title="Embedding map", icon="🗺️", url_path="map"),
    st.Page("app_pages/score_anatomy.py", title="Score anatomy", icon="🔬", url_path="anatomy"),
    st.Page("app_pages/fusion.py", title="Fusion", icon="🎚️", url_path="fusion"),
    st.Page("app_pages/evaluation.py", title="Evaluation", icon="📊", url_path="evaluation"),
    st.Page("app_pages/catalogue.py", title="Catalogue", icon="📦", url_path="catalogue"),
]
navigation = st.navigation(PAGES)
explorer = resources.explorer()
resources.checksums_at_load()


def load_persona_link() -> None:
    """``?persona=<token>`` reproduces a shared persona once per session, and puts it in the form to edit."""
    token = st.query_params.get("persona")
    if not token or st.session_state.get(session.LINK_LOADED) == token:
        return
    st.session_state[session.LINK_LOADED] = token
    try:
        persona = Persona.from_token(token)
        entry = session.build(
            explorer, Persona(session.unique_name(persona.name), persona.text, persona.demographics, persona.liked, persona.feedback)
        )
    except ValueError as err:
        st.error(f"This persona link could not be opened: {literal.md(err)}")
        return
    session.put(entry)
    session.load_form(entry.persona)  # before any page draws the form, so its widgets start from these values
    st.toast(f"Loaded shared persona “{literal.md(entry.persona.name)}”")


load_persona_link()

with st.sidebar:
    status = explorer.status()
    dataset = explorer.dataset
    st.caption(
        f"📦 **{literal.md(dataset.name)}** · {status['n_users']:,} users · {status['n_items']:,} {dataset.nouns}"
        + (" *(opened in this session)*" if resources.opened() else "")
        + f"  \nmodel **{status['model']}** on **{status['device']}** · d = {status['dimension']}"
    )
    if dataset.noun == "film":
        st.caption("Data: MovieLens © GroupLens Research, University of Minnesota.")
    else:
        st.caption("MovieLens data (the packaged default catalogue) © GroupLens Research, University of Minnesota.")
    counter = st.empty()

navigation.run()
count = len(session.personas())
counter.caption(f"{count} persona{'s' if count != 1 else ''} in this session")
