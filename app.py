"""Cold-start explorer: entry point — page config, navigation, the shared engine, persona links."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from recsys.data import MOVIELENS_CREDIT
from recsys.personas import OtherCatalogue, Persona, text_model_note
from ui import glossary, keeping, literal, nouns, resources, session, switching

st.set_page_config(page_title="Cold-start explorer", page_icon="🧭", layout="wide")
# Chips (st.pills) keep to one row and hide what does not fit; a profile read into a dozen chips must show them all.
st.html("<style>[data-testid='stButtonGroup'] [role='toolbar'] { flex-wrap: wrap; row-gap: 0.4rem; }</style>")

keeping.restore_catalogue()  # a reload (F5) brings back this browser's catalogue and personas
explorer = resources.explorer()
NOUN = explorer.dataset.noun
PAGES = [
    st.Page("app_pages/home.py", title="Home", icon="🏠", default=True),
    st.Page("app_pages/new_user.py", title="New user", icon="🧑", url_path="new_user"),
    st.Page("app_pages/new_item.py", title=f"New {NOUN}", icon=nouns.item_icon(NOUN), url_path="new_item"),
    st.Page("app_pages/embedding_map.py", title="Embedding map", icon="🗺️", url_path="map"),
    st.Page("app_pages/score_anatomy.py", title="Score anatomy", icon="🔬", url_path="anatomy"),
    st.Page("app_pages/fusion.py", title="Fusion", icon="🎚️", url_path="fusion"),
    st.Page("app_pages/evaluation.py", title="Evaluation", icon="📊", url_path="evaluation"),
    st.Page("app_pages/cohort.py", title="Cohort", icon="👥", url_path="cohort"),
    st.Page("app_pages/onboarding.py", title="Onboarding designer", icon="🧩", url_path="onboarding"),
    st.Page("app_pages/catalogue.py", title="Catalogue", icon="📦", url_path="catalogue"),
]
navigation = st.navigation(PAGES)
resources.checksums_at_load()
session.form_columns(explorer)  # the persona form asks for this catalogue's user columns
keeping.restore_personas(explorer)


def load_persona_link() -> None:
    """``?persona=<token>`` reproduces a shared persona once per session, and puts it in the form to edit.

    A link made on another catalogue never opens by item id here: the session is offered a switch.
    """
    token = st.query_params.get("persona")
    if not token or st.session_state.get(session.LINK_LOADED) == token:
        return
    st.session_state[session.LINK_LOADED] = token
    try:
        persona = Persona.from_token(token)
        entry = session.build(explorer, replace(persona, name=session.unique_name(persona.name)))
    except OtherCatalogue as elsewhere:
        st.session_state.pop(session.REOPEN, None)
        session.offer_switch(elsewhere, ("link", token))
        return
    except ValueError as err:
        st.error(f"This persona link could not be opened: {literal.md(err)}")
        return
    session.put(entry)
    try:
        settings = session.open_popularity_query(st.query_params)
    except ValueError as err:
        settings = []
        st.error(f"This persona link's popularity settings were not applied ({literal.md(err)}): neither control was set from it.")
    if st.query_params.get("compare") == "1":
        st.session_state[session.COMPARISON] = True
    session.load_form(entry.persona)  # before any page draws the form, so its widgets start from these values
    st.toast(f"Loaded shared persona “{literal.md(entry.persona.name)}”" + (f" with {' and '.join(settings)}" if settings else ""))
    note = text_model_note(persona, explorer)
    if note:
        st.warning(literal.md(note))
    if persona.catalogue is None:
        st.warning(
            f"This link does not say which catalogue it was made on (links made before they recorded it), so its items "
            f"were read as {literal.md(explorer.dataset.nouns)} of **{literal.md(explorer.dataset.name)}** by id. "
            "Check the titles on the persona card."
        )


def reopen_after_switch() -> None:
    """After switching to a persona's catalogue, open the saved persona that asked for it (a link reopens by itself)."""
    then = st.session_state.pop(session.REOPEN, None)
    if then and then[0] == "saved":
        st.session_state[session.SAVED_PICK] = then[1]
        session.open_saved(explorer, resources.persona_store())


reopen_after_switch()
load_persona_link()
switching.offer(explorer, "link")  # a link made on another catalogue: switch, or why not

with st.sidebar:
    status = explorer.status()
    dataset = explorer.dataset
    st.caption(
        f"📦 **{literal.md(dataset.name)}** · {status['n_users']:,} users · {status['n_items']:,} {dataset.nouns}"
        + (" *(opened in this session)*" if resources.opened() else "")
        + f"  \nmodel **{status['model']}** on **{status['device']}** · d = {status['dimension']}"
        + f"  \ntext model reads **{'Chinese, English and mixed text' if status.get('multilingual') else 'English only'}**"
        + (f"  \n{dataset.nouns} also read by **{explorer.item_reading.model}**" if explorer.item_reading.model else "")
    )
    if dataset.credit:
        st.caption(f"Data: {literal.md(dataset.credit)}.")
    if dataset.credit != MOVIELENS_CREDIT:
        st.caption("MovieLens data (the packaged default catalogue) © GroupLens Research, University of Minnesota.")
    counter = st.empty()
    glossary.sidebar()

navigation.run()
count = len(session.personas())
counter.caption(f"{count} persona{'s' if count != 1 else ''} in this session")
keeping.keep()
