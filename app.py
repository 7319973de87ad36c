"""Cold-start explorer: entry point — page config, navigation, the shared engine, persona links."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from recsys.personas import OtherCatalogue, Persona
from ui import keeping, literal, nouns, resources, session

st.set_page_config(page_title="Cold-start explorer", page_icon="🧭", layout="wide")

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
    session.load_form(entry.persona)  # before any page draws the form, so its widgets start from these values
    st.toast(f"Loaded shared persona “{literal.md(entry.persona.name)}”")
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


def switch_offer() -> None:
    """A persona made on another catalogue: switch to it (when this server has it), or say plainly why not."""
    offer = st.session_state.get(session.SWITCH_OFFER)
    if not offer:
        return
    made_on, then = offer
    what = "This persona link" if then[0] == "link" else f"The saved persona “{literal.md(then[1])}”"
    here = explorer.dataset.name
    target = resources.find_catalogue(made_on["fingerprint"])
    with st.container(border=True, key="switch_offer"):
        if target is None:
            st.error(
                f"{what} was made on the catalogue **{literal.md(made_on['name'])}**, which is not open on this server "
                f"(no catalogue here has its content, fingerprint `{literal.md(made_on['fingerprint'])}`). Its items would mean "
                f"other {literal.md(explorer.dataset.nouns)} in **{literal.md(here)}**, so it was not opened. Open the same files "
                "on the Catalogue page, then open it again."
            )
            st.button("OK", key="switch_dismiss", on_click=session.decline_switch)
            return
        count = len(session.personas())
        dropped = (
            f" This session's {count} persona{'s' if count != 1 else ''} on {literal.md(here)} will be closed (saved ones stay saved)."
            if count
            else ""
        )
        st.warning(
            f"{what} was made on the catalogue **{literal.md(made_on['name'])}**; this session explores **{literal.md(here)}**, "
            f"where its item ids would mean other {literal.md(explorer.dataset.nouns)}.{dropped}"
        )
        b = st.columns([0.4, 0.2, 0.4])
        b[0].button(f"Switch to {literal.md(made_on['name'])} and open it", key="switch_catalogue", type="primary",
                    on_click=session.switch_catalogue, args=(target, then))  # fmt: skip
        b[1].button("Stay here", key="switch_decline", on_click=session.decline_switch)


reopen_after_switch()
load_persona_link()
switch_offer()

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
keeping.keep()
